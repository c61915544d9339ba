"""Presentation mode: the graph fills the screen, the tour's narration beside it in large type.

One flag (session key ``present_on``, ``?present=1`` in a link). When it is on, the app draws
no sidebar, header, status line or tabs; :func:`style` hides Streamlit's own chrome and makes
the drawing as tall as the window; the drawing gets bigger labels (:data:`LABEL_SIZE`); and
:func:`side_panel` shows the running tour's step (or a tour picker) with Back / Next, an
"Exit presentation" button and the keyboard: → or Page Down for the next step, ← or Page Up
for the previous one (what presentation clickers send).
"""

from __future__ import annotations

import streamlit as st

from graph.page import asset
from ui import state, tours
from ui.dataset import Dataset

KEY = "present_on"
TOGGLE_KEY = "present_toggle"
KEYS_KEY = "present_keys"
LABEL_SIZE = 16
"""Node label size in presentation mode (vis-network's default is 14)."""


_keys = st.components.v2.component(
    "kg_presentation_keys", js=asset("kg_present_keys.js"), isolate_styles=False
)


def init() -> None:
    """The session keys this part of the page owns."""
    state.init(**{KEY: False})


def on() -> bool:
    """Whether presentation mode is on."""
    return bool(st.session_state.get(KEY))


def set_on(value: bool) -> None:
    st.session_state[KEY] = bool(value)


def toggle() -> None:
    """The switch into presentation mode (for the sidebar)."""
    st.session_state[TOGGLE_KEY] = on()
    st.toggle(
        "Presentation mode",
        key=TOGGLE_KEY,
        on_change=lambda: set_on(st.session_state[TOGGLE_KEY]),
        help="The graph fills the screen with the tour's narration beside it, in type "
        "large enough for a projector. Arrow keys or a clicker move the tour.",
    )


def style() -> None:
    """Hide the sidebar and Streamlit's header; make the drawing fill the window."""
    st.html(f"<style>{asset('kg_present.css')}</style>")


def side_panel(dataset: Dataset) -> None:
    """The running tour's step in large type (or a tour picker), and the way out."""
    found = tours.available(dataset)
    with st.container(key="present_panel"):
        st.button(
            "Exit presentation",
            key="present_exit",
            on_click=tours.rerun_after,
            args=(set_on, False),
            icon=":material/fullscreen_exit:",
            type="tertiary",
        )
        if not tours.card(dataset, key="present_tour", large=True):
            tours.choose(dataset, key="present_choose")
    if tours.position(found) is not None:
        _keys(key=KEYS_KEY, height="content", on_key_change=lambda: _key_pressed(dataset))


def _key_pressed(dataset: Dataset) -> None:
    value = st.session_state.get(KEYS_KEY)
    move = value.get("key") if isinstance(value, dict) else None
    if move in ("next", "back"):
        tours.rerun_after(tours.move, tours.available(dataset), 1 if move == "next" else -1)
