"""The graph on screen: a Streamlit Custom Component (v2) around vis-network.

The component's JavaScript is vis-network (read from the installed pyvis package by
:func:`graph.page.vis_network_js`), the shared drawing script ``graph/assets/kg_view.js`` and
a little glue below — all inline, so the page loads nothing from any other host. Positions
come from Python (:func:`ui.scene.positions`), physics is off, so the picture stands still as
soon as it is drawn; a rerun that only changes the selection moves nothing.

Clicking a node sends ``select`` back to Python, double-clicking sends ``focus``; clicking the
background sends ``select`` with no id. The selection travels in a second, tiny component, so
that a click does not make the server resend the drawing (an unchanged element is sent as a
reference to the copy the browser already holds). The element holding the drawing has
``data-testid="kg-graph"``, ``data-node-count``, ``data-edge-count``, ``data-kg-ready`` (after
the first frame) and ``data-kg-seq`` (how many payloads it has drawn).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Callable

import streamlit as st

from graph.page import kg_view_css, kg_view_js, vis_network_js
from graph.vis import vis_data
from ui import actions
from ui.scene import Scene, communities, measure, path_highlight, positions

COMPONENT_NAME = "kg_explorer_graph"
KEY = "graph_canvas"
HEIGHT = 540

HTML = """
<div class="kg-frame">
  <div class="kg-graph" data-testid="kg-graph" data-node-count="0" data-edge-count="0"
       role="img" aria-label="Knowledge graph drawing"></div>
  <ul class="kg-legend" aria-label="Legend"></ul>
</div>
"""

CSS = """
.kg-frame { position: relative; width: 100%; }
.kg-frame .kg-graph {
  width: 100%;
  height: 540px;
  border: 1px solid var(--st-border-color, rgba(128, 128, 128, 0.35));
  border-radius: var(--st-base-radius, 0.5rem);
  background: var(--st-background-color, #ffffff);
}
.kg-frame .kg-legend {
  list-style: none; margin: 0.4rem 0 0 0; padding: 0;
  display: flex; flex-wrap: wrap; gap: 0.2rem 0.9rem;
  font-family: var(--st-font, sans-serif); font-size: 0.85rem;
  color: var(--st-text-color, #31333f);
}
.kg-frame .kg-legend li { display: inline-flex; align-items: center; gap: 0.35rem; }
.kg-frame .kg-swatch {
  display: inline-block; width: 0.8rem; height: 0.8rem; border-radius: 50%;
  border: 1px solid rgba(0, 0, 0, 0.35);
}
.kg-frame .kg-swatch.kg-square { border-radius: 2px; }
.kg-frame .kg-count { opacity: 0.7; }
"""

GLUE = r"""
const KG_INSTANCES = new WeakMap();
const SQUARE_SHAPES = new Set(["square", "box", "database", "text"]);

function kgLegend(list, entries) {
  while (list.firstChild) { list.removeChild(list.firstChild); }
  (entries || []).forEach(function (entry) {
    const item = document.createElement("li");
    const swatch = document.createElement("span");
    swatch.className = "kg-swatch" + (SQUARE_SHAPES.has(entry.shape) ? " kg-square" : "");
    swatch.style.backgroundColor = String(entry.color || "#bbbbbb");
    const label = document.createElement("span");
    label.textContent = String(entry.label);
    const count = document.createElement("span");
    count.className = "kg-count";
    count.textContent = "(" + String(entry.count) + ")";
    item.append(swatch, label, count);
    list.appendChild(item);
  });
}

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

/* The selection arrives through its own small component (see SELECTION_JS), so a click does
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
  kgLegend(inst.legend, payload.legend);
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
"""

SELECTION_JS = r"""
export default function (component) {
  const data = component.data || {};
  globalThis.kgSelection = { id: data.selected || null };
  if (globalThis.kgGraph && globalThis.kgApplySelection) {
    globalThis.kgApplySelection(globalThis.kgGraph, true);
  }
}
"""


def _component_js() -> str:
    return "\n;\n".join([vis_network_js(), kg_view_js(), GLUE])


_render = st.components.v2.component(COMPONENT_NAME, html=HTML, css=kg_view_css() + CSS,
                                     js=_component_js(), isolate_styles=False)
_render_selection = st.components.v2.component(f"{COMPONENT_NAME}_selection", js=SELECTION_JS,
                                               isolate_styles=False)


@st.cache_resource(max_entries=16, show_spinner=False)
def _base_payload(_current: Scene, structure: str, layout: str, color_by: str,
                  size_by: str, path_choice: int, highlight: tuple[str, ...] = (),
                  label_size: int | None = None) -> tuple[dict[str, Any], str]:
    """The drawing data for one structure, and the same as JSON text (made once, not per run)."""
    groups = communities(_current) if color_by == "community" else None
    membership = {n: i for i, members in enumerate(groups or []) for n in members}
    lit_nodes, lit_edges = path_highlight(_current, path_choice)
    lit_nodes += [n for n in highlight if n in _current.graph and n not in lit_nodes]
    data = vis_data(_current.graph, positions=positions(_current, layout), color_by=color_by,
                    communities=membership if groups is not None else None,
                    size_by=measure(_current, size_by), highlight_nodes=lit_nodes,
                    highlight_edges=lit_edges)  # no details: the panel reads them from the graph
    nodes = data["nodes"]
    if label_size:  # bigger labels, e.g. for a projector
        nodes = [{**node, "font": {**node.get("font", {}), "size": label_size}} for node in nodes]
    base = {"nodes": nodes, "edges": data["edges"], "legend": data["legend"],
            "structure": structure, "height": HEIGHT}
    return base, json.dumps(base, ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True)
class Payload:
    """What the component draws (for Python) and the same as JSON text (for the browser)."""

    data: dict[str, Any]
    text: str


def payload(current: Scene, *, layout: str, color_by: str, size_by: str,
            path_choice: int, highlight: tuple[str, ...] = (),
            label_size: int | None = None) -> Payload:
    """The drawing for a view: vis-network nodes and edges with positions, and the legend.

    ``highlight``: entities drawn with a thick border besides the chosen path's (a tour step's);
    ``label_size``: node label font size in pixels (vis-network's default 14 when None).

    The same view gives the very same text, so a rerun that changes only the selection sends
    the browser a reference to the message it already has instead of the drawing again.
    """
    highlight = tuple(highlight)
    structure = (f"{current.key}|{layout}|{color_by}|{size_by}|{path_choice}"
                 + (f"|{','.join(highlight)}" if highlight else "")
                 + (f"|font{label_size}" if label_size else ""))
    base, text = _base_payload(current, structure, layout, color_by, size_by, path_choice,
                               highlight, label_size)
    return Payload(base, text)


def graph_canvas(drawing: Payload, selected: str | None, *,
                 on_select: Callable[[str | None], None],
                 on_focus: Callable[[str], None]) -> None:
    """Draw ``drawing`` with ``selected`` picked out; clicks call ``on_select(id)`` and
    double-clicks ``on_focus(id)``."""
    def clicked() -> None:
        on_select(_event("select"))

    def double_clicked() -> None:
        node = _event("focus")
        if node:
            on_focus(node)

    data = drawing.data
    drawn = [n["id"] for n in data["nodes"]]
    st.session_state[actions.DRAWN_KEY] = {"nodes": drawn, "structure": data["structure"]}
    _render(key=KEY, data=drawing.text, height="content", on_select_change=clicked,
            on_focus_change=double_clicked)
    _render_selection(key=f"{KEY}_selection", height="content",
                      data={"selected": selected if selected in set(drawn) else None})


def _event(name: str) -> Any:
    value = st.session_state.get(KEY)
    return value.get(name) if isinstance(value, dict) else None
