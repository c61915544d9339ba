"""The graph on screen: a Streamlit Custom Component (v2) around vis-network.

The component's JavaScript is vis-network (read from the installed pyvis package by
:func:`graph.page.vis_network_js`), the shared drawing script ``graph/assets/kg_view.js`` and
the app's glue ``graph/assets/kg_app.js`` (styles: ``kg_app.css``; the selection component:
``kg_app_selection.js``), all read through :func:`graph.page.asset` and inlined, so the page
loads nothing from any other host. Positions come from Python (:func:`ui.scene.positions`),
physics is off, so the picture stands still as soon as it is drawn; a rerun that only changes
the selection moves nothing.

Clicking a node sends ``select`` back to Python, double-clicking sends ``focus``; clicking the
background sends ``select`` with no id. The selection travels in a second, tiny component, so
that a click does not make the server resend the drawing (an unchanged element is sent as a
reference to the copy the browser already holds). The element holding the drawing has
``data-testid="kg-graph"``, ``data-node-count``, ``data-edge-count``, ``data-node-ids`` (the
drawn ids, space-separated), ``data-kg-ready`` (after the first frame) and ``data-kg-seq`` (how
many payloads it has drawn). The legend under it is ``KGView.renderLegend``'s, as in the
standalone page.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import streamlit as st

from graph.page import asset, kg_view_css, kg_view_js, vis_network_js
from graph.view import View
from graph.vis import vis_data
from ui import actions
from ui.scene import Scene, drawing

COMPONENT_NAME = "kg_explorer_graph"
KEY = "graph_canvas"
HEIGHT = 540

HTML = """
<div class="kg-frame">
  <div class="kg-graph" data-testid="kg-graph" data-node-count="0" data-edge-count="0"
       data-node-ids="" aria-label="Knowledge graph drawing"></div>
  <ul class="kg-legend" aria-label="Legend"></ul>
</div>
"""


def _component_js() -> str:
    return "\n;\n".join([vis_network_js(), kg_view_js(), asset("kg_app.js")])


_render = st.components.v2.component(
    COMPONENT_NAME,
    html=HTML,
    css=kg_view_css() + asset("kg_app.css"),
    js=_component_js(),
    isolate_styles=False,
)
_render_selection = st.components.v2.component(
    f"{COMPONENT_NAME}_selection", js=asset("kg_app_selection.js"), isolate_styles=False
)


@st.cache_resource(max_entries=16, show_spinner=False)
def _base_payload(
    _current: Scene, structure: str, _view: View, label_size: int | None = None
) -> tuple[dict[str, Any], str]:
    """The drawing data for one structure, and the same as JSON text (made once, not per run).

    No details: the panel reads them from the graph."""
    data = vis_data(_current.graph, **drawing(_current, _view).options(), focus=_view.focus)
    nodes = data["nodes"]
    if label_size:  # bigger labels, e.g. for a projector
        nodes = [{**node, "font": {**node.get("font", {}), "size": label_size}} for node in nodes]
    base = {
        "nodes": nodes,
        "edges": data["edges"],
        "legend": data["legend"],
        "structure": structure,
        "height": HEIGHT,
    }
    return base, json.dumps(base, ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True)
class Payload:
    """What the component draws (for Python) and the same as JSON text (for the browser)."""

    data: dict[str, Any]
    text: str


def payload(current: Scene, view: View, *, label_size: int | None = None) -> Payload:
    """The drawing of ``view``: vis-network nodes and edges with positions, and the legend.

    Its layout, colouring, sizing, chosen path and highlights come from ``view``
    (:func:`graph.view.drawing`); ``label_size``: node label font size in pixels (vis-network's
    default 14 when None). The same view gives the very same text, so a rerun that changes
    only the selection sends the browser a reference to the message it already has instead of
    the drawing again.
    """
    look = (view.layout, view.color_by, view.size_by, view.path_choice, view.highlight, view.focus)
    structure = f"{current.key}|{look!r}" + (f"|font{label_size}" if label_size else "")
    base, text = _base_payload(current, structure, view, label_size)
    return Payload(base, text)


def graph_canvas(
    drawing: Payload,
    selected: str | None,
    *,
    on_select: Callable[[str | None], None],
    on_focus: Callable[[str], None],
) -> None:
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
    _render(
        key=KEY,
        data=drawing.text,
        height="content",
        on_select_change=clicked,
        on_focus_change=double_clicked,
    )
    _render_selection(
        key=f"{KEY}_selection",
        height="content",
        data={"selected": selected if selected in set(drawn) else None},
    )


def _event(name: str) -> Any:
    value = st.session_state.get(KEY)
    return value.get(name) if isinstance(value, dict) else None
