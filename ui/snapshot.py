"""Snapshot: a PNG of the drawing as it is on screen, made in the browser and downloaded.

A small component with one button. Clicking it copies the drawing's canvas onto a white
background and downloads it as ``<dataset>_<view>_<n>-entities.png`` — the same naming as the
other downloads (:func:`graph.export.suggested_filename`). Nothing goes to the server.
"""

from __future__ import annotations

import streamlit as st

from graph.export import suggested_filename
from ui.data_tab import view_label
from ui.scene import Scene
from ui.state import View

KEY = "snapshot_png"

HTML = """
<button type="button" class="kg-snapshot" data-testid="kg-snapshot"
        title="Download the drawing as it is on screen, as a PNG image">
  <span aria-hidden="true">⤓</span> Save PNG
</button>
"""

CSS = """
.kg-snapshot {
  font: inherit; font-family: var(--st-font, sans-serif); font-size: 0.95rem;
  color: var(--st-text-color, #31333f); background: var(--st-background-color, #ffffff);
  border: 1px solid var(--st-border-color, rgba(49, 51, 63, 0.2));
  border-radius: var(--st-button-radius, var(--st-base-radius, 0.5rem));
  padding: 0.3rem 0.75rem; min-height: 2.5rem; cursor: pointer;
}
.kg-snapshot:hover { border-color: var(--st-primary-color, #ff4b4b);
                     color: var(--st-primary-color, #ff4b4b); }
"""

JS = r"""
export default function (component) {
  const { data, parentElement } = component;
  const button = parentElement.querySelector(".kg-snapshot");
  button.dataset.fileName = String((data || {}).file_name || "graph.png");
  button.onclick = function () {
    const canvas = document.querySelector('[data-testid="kg-graph"] canvas');
    if (!canvas) { return; }
    const out = document.createElement("canvas");
    out.width = canvas.width;
    out.height = canvas.height;
    const ctx = out.getContext("2d");
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.drawImage(canvas, 0, 0);
    out.toBlob(function (blob) {
      const link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = button.dataset.fileName;
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(function () { URL.revokeObjectURL(link.href); }, 10000);
    }, "image/png");
  };
}
"""

_button = st.components.v2.component("kg_snapshot", html=HTML, css=CSS, js=JS,
                                     isolate_styles=False)


def file_name(current: Scene, view: View) -> str:
    """``<dataset>_<view>_<n>-entities.png``, e.g. ``data_focus-ncmec-depth-2_18-entities.png``."""
    return suggested_filename(current.graph, "png", view_label(view, current))


def button(current: Scene, view: View) -> None:
    """The "Save PNG" button for the drawing on screen."""
    _button(key=KEY, data={"file_name": file_name(current, view)}, height="content",
            width="content")
