/* The Streamlit app's graph component (ui/graph_view.py): glue between Streamlit's Custom
   Component v2 API and KGView (kg_view.js, loaded before this module with vis-network).

   Each run hands over the drawing as JSON text; an unchanged structure is not redrawn, only the
   theme, the selection and the legend follow. Clicks report "select" and double-clicks "focus"
   back to Python. The drawing is globalThis.kgGraph; its legend entries are
   globalThis.kgLegendEntries (for the PNG snapshot). The graph element's data-node-ids lists
   the drawn ids (KGView sets it when it draws). */
const KG_INSTANCES = new WeakMap();

/* The drawing follows the page's theme: its background and text colours, as computed. */
function kgHex(cssColor) {
  const m = /rgba?\((\d+),\s*(\d+),\s*(\d+)/.exec(String(cssColor || ""));
  if (!m) { return null; }
  return "#" + [m[1], m[2], m[3]].map(function (v) {
    return Number(v).toString(16).padStart(2, "0");
  }).join("");
}

function kgTheme(holder, legend) {
  return { background: kgHex(getComputedStyle(holder).backgroundColor) || "#ffffff",
           text: kgHex(getComputedStyle(legend).color) || "#31333f" };
}

/* The selection arrives through its own small component (kg_app_selection.js), so a click does
   not resend the drawing; whichever of the two runs first, the latest selection wins. */
function kgApplySelection(view, animate) {
  const wanted = (globalThis.kgSelection || {}).id || null;
  if (wanted === view.selected()) { return; }
  if (wanted) {
    view.select(wanted, animate ? { focus: true, animation: { duration: 350 } } : { focus: false });
  } else {
    view.clearSelection();
  }
}
globalThis.kgApplySelection = kgApplySelection;

export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  const payload = typeof data === "string" ? JSON.parse(data) : (data || {});
  let inst = KG_INSTANCES.get(parentElement);
  if (!inst) {
    const holder = parentElement.querySelector(".kg-graph");
    const legend = parentElement.querySelector(".kg-legend");
    holder.style.height = String(payload.height || 540) + "px";
    inst = { holder: holder, legend: legend, structure: null, seq: 0, view: null };
    inst.view = globalThis.KGView.mount(holder, payload, {
      theme: kgTheme(holder, legend),
      onSelect: function (id) {
        globalThis.kgSelection = { id: id === undefined ? null : id };
        setTriggerValue("select", id === undefined ? null : id);
      },
      onDoubleClick: function (id) { setTriggerValue("focus", id); }
    });
    KG_INSTANCES.set(parentElement, inst);
  } else if (inst.structure !== payload.structure) {
    inst.holder.style.height = String(payload.height || 540) + "px";
    inst.view.setData(payload);
  }
  inst.structure = payload.structure;
  inst.view.setTheme(kgTheme(inst.holder, inst.legend));
  inst.holder.setAttribute("data-kg-theme", inst.view.theme().dark ? "dark" : "light");
  kgApplySelection(inst.view, false);
  globalThis.KGView.renderLegend(inst.legend, payload.legend, { dark: inst.view.theme().dark });
  globalThis.kgLegendEntries = payload.legend || [];
  inst.seq += 1;
  inst.holder.setAttribute("data-kg-seq", String(inst.seq));
  inst.holder.setAttribute("data-kg-structure", String(payload.structure || ""));
  globalThis.kgGraph = inst.view;
  return function () {
    KG_INSTANCES.delete(parentElement);
    if (globalThis.kgGraph === inst.view) { globalThis.kgGraph = null; }
    inst.view.destroy();
  };
}
