"""Snapshot: a PNG of the drawing as it is on screen, made in the browser and downloaded.

A small component with one button. Clicking it draws the view's title and counts, the drawing
and its legend onto one canvas in the page's theme (``KGView.snapshot``) and downloads it as
``<dataset>_<view>_<n>-entities.png`` — the same naming as the other downloads
(:func:`graph.export.suggested_filename`). Nothing goes to the server.
"""

from __future__ import annotations

import streamlit as st

from graph.export import suggested_filename
from graph.page import asset
from graph.query import entity_name, schema_of
from graph.view import View
from ui.data_tab import view_label
from ui.scene import Scene

KEY = "snapshot_png"

HTML = """
<button type="button" class="kg-snapshot" data-testid="kg-snapshot"
        title="Download the drawing as it is on screen, as a PNG image">
  <span aria-hidden="true">⤓</span> Save PNG
</button>
"""


_button = st.components.v2.component(
    "kg_snapshot",
    html=HTML,
    css=asset("kg_snapshot.css"),
    js=asset("kg_snapshot.js"),
    isolate_styles=False,
)


def file_name(current: Scene, view: View) -> str:
    """``<dataset>_<view>_<n>-entities.png``, e.g. ``data_focus-ncmec-depth-2_18-entities.png``."""
    return suggested_filename(current.graph, "png", view_label(view, current))


def button(current: Scene, view: View) -> None:
    """The "Save PNG" button for the drawing on screen."""
    _button(
        key=KEY,
        data={"file_name": file_name(current, view), **caption(current, view)},
        height="content",
        width="content",
    )


def caption(current: Scene, view: View) -> dict[str, str]:
    """The title and subtitle written above the drawing in the PNG (drawn as canvas text)."""
    G = current.graph
    schema = schema_of(G)
    parts = []
    if view.focus:
        direction = {"out": ", outgoing only", "in": ", incoming only"}.get(view.direction, "")
        parts.append(f"Around {entity_name(G, view.focus)} (depth {view.depth}{direction})")
    if view.has_path():
        parts.append(
            f"Paths from {entity_name(G, view.path_from)} to {entity_name(G, view.path_to)}"
        )
    if view.types:
        labels = [schema.style(t).label if schema else t for t in view.types]
        parts.append("Types: " + ", ".join(labels))
    if view.relations:
        parts.append("Relations: " + ", ".join(r.replace("_", " ") for r in view.relations))
    if view.documents:
        parts.append(f"{len(view.documents)} document{'s' if len(view.documents) > 1 else ''}")
    if view.date_from or view.date_to:
        parts.append(f"Dated {view.date_from or '…'} to {view.date_to or '…'}")
    counts = f"{current.entities:,} entities, {current.relations:,} relations"
    if current.capped:
        counts += f" (the top {current.entities:,} of {current.total:,} by {current.capped_by})"
    dataset = str(G.graph.get("name") or "Knowledge graph")
    return {"title": " · ".join(parts) or "The whole graph", "subtitle": f"{dataset}: {counts}"}
