/* The app's selection component (ui/graph_view.py): a click's selection reaches the drawing
   through this tiny component, so the server need not resend the drawing (see kg_app.js). */
export default function (component) {
  const data = component.data || {};
  globalThis.kgSelection = { id: data.selected || null };
  if (globalThis.kgGraph && globalThis.kgApplySelection) {
    globalThis.kgApplySelection(globalThis.kgGraph, true);
  }
}
