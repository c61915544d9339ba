"""The one place that holds what the explorer shows: a :class:`View`, kept in session state.

Everything a user can change about the picture — filters, focus, path, selection, layout —
is a field of :class:`graph.view.View`, the library's one model of a view. Widgets do not own
these values: before a widget is drawn its key is filled from the view, and its ``on_change``
writes the new value back (see :func:`bind`).
Buttons and the graph component change the view through :func:`update`. So the whole screen
can be rebuilt from one ``View`` — which is what deep links (``ui.links``) and guided tours
(``ui.tours``) do.

Session state keys are prefixed by the part of the page that owns them: ``view`` (this
module), ``sidebar_`` (the controls), ``dataset_`` and ``upload_`` (where the data comes from),
``details_``, ``data_`` and ``graph_`` (the panels), ``links_``, ``tour_`` and ``present_``
(deep links, guided tours, presentation mode).
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from dataclasses import replace
from typing import Any

import streamlit as st

from graph.view import View

__all__ = ["VIEW_KEY", "View", "init", "current", "update", "reset", "bind", "as_tuple"]

VIEW_KEY = "view"


def init(state: MutableMapping[str, Any] | None = None, /, **defaults: Any) -> None:
    """Set up every session key once, at the top of the script (``setdefault`` only)."""
    session: MutableMapping[str, Any] = state if state is not None else st.session_state  # type: ignore[assignment]
    session.setdefault(VIEW_KEY, View())
    for key, value in defaults.items():
        session.setdefault(key, value)


def current() -> View:
    """The view on screen now."""
    return st.session_state[VIEW_KEY]


def update(**changes: Any) -> View:
    """Change some fields of the view (call from callbacks, before widgets are drawn)."""
    view = replace(current(), **changes)
    st.session_state[VIEW_KEY] = view
    return view


def reset(**keep: Any) -> None:
    """Back to the whole graph with default settings (``keep``: fields to carry over)."""
    st.session_state[VIEW_KEY] = View(**keep)


def bind(
    name: str,
    *,
    to_widget: Callable[[Any], Any] = lambda v: v,
    from_widget: Callable[[Any], Any] = lambda v: v,
    on_change: Callable[[], None] | None = None,
) -> dict[str, Any]:
    """Keyword arguments tying a widget to the view field ``name``.

    Fills the widget's key (``sidebar_<name>``) from the view before the widget is drawn and
    returns ``key`` and ``on_change`` for the widget call; ``to_widget`` / ``from_widget``
    convert between the view's value and the widget's (e.g. tuple <-> list).
    """
    key = f"sidebar_{name}"
    st.session_state[key] = to_widget(getattr(current(), name))

    def changed() -> None:
        update(**{name: from_widget(st.session_state[key])})
        if on_change is not None:
            on_change()

    return {"key": key, "on_change": changed}


def as_tuple(values: Any) -> tuple:
    """A widget's list (or None) as the tuple a view field holds."""
    return tuple(values or ())
