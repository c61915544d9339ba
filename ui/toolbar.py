"""The row under the drawing: copy a link to this view, save the drawing as a PNG."""

from __future__ import annotations

import streamlit as st

from ui import links, snapshot, state
from ui.dataset import Dataset
from ui.scene import Scene


def row(dataset: Dataset, current: Scene) -> None:
    """ "Copy link" and "Save PNG" side by side."""
    with st.container(horizontal=True, key="toolbar", vertical_alignment="center"):
        links.share(dataset)
        snapshot.button(current, state.current())
