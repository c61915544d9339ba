"""The one place that holds what the explorer shows: a :class:`View`, kept in session state.

Everything a user can change about the picture — filters, focus, path, selection, layout —
is a field of ``View``. Widgets do not own these values: before a widget is drawn its key is
filled from the view, and its ``on_change`` writes the new value back (see :func:`bind`).
Buttons and the graph component change the view through :func:`update`. So the whole screen
can be rebuilt from one ``View`` — which is what deep links (``ui.links``) and guided tours
(``ui.tours``) do.

Session state keys are prefixed by the part of the page that owns them: ``view`` (this
module), ``sidebar_`` (the controls), ``dataset_`` and ``upload_`` (where the data comes from),
``details_``, ``data_`` and ``graph_`` (the panels), ``links_``, ``tour_`` and ``present_``
(deep links, guided tours, presentation mode).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from typing import Any, Callable, MutableMapping

import streamlit as st

VIEW_KEY = "view"

LAYOUTS = {"force": "Force-directed", "hierarchical": "Hierarchical", "type": "Grouped by type"}
COLOR_BY = {"type": "Type", "community": "Community"}
SIZE_BY = {"degree": "Degree", "pagerank": "PageRank", "betweenness": "Betweenness"}
DIRECTIONS = {"both": "Both", "out": "Out", "in": "In"}
MAX_DEPTH = 3
MAX_HOPS = 6


@dataclass(frozen=True)
class View:
    """What is on screen. Plain values only, so it maps to URL parameters one to one.

    ``None`` or an empty tuple means "no filter". Dates are ``YYYY[-MM[-DD]]`` strings.

    >>> view = View(focus="ncmec", depth=2, types=("ngo", "tool"))
    >>> default = View().as_dict()
    >>> {k: v for k, v in view.as_dict().items() if v != default[k]}
    {'focus': 'ncmec', 'depth': 2, 'types': ['ngo', 'tool']}
    >>> View.from_dict(view.as_dict()) == view
    True
    """

    focus: str | None = None
    depth: int = 1
    direction: str = "both"
    types: tuple[str, ...] = ()
    relations: tuple[str, ...] = ()
    documents: tuple[str, ...] = ()
    date_from: str | None = None
    date_to: str | None = None
    keep_undated: bool = True
    min_degree: int = 0
    hide_isolated: bool = False
    path_from: str | None = None
    path_to: str | None = None
    max_hops: int = 4
    path_choice: int = 0
    selected: str | None = None
    highlight: tuple[str, ...] = ()  # entities picked out by a guided tour step
    layout: str = "force"
    color_by: str = "type"
    size_by: str = "degree"

    def as_dict(self) -> dict[str, Any]:
        """The view as a plain dict (tuples as lists), e.g. for URL parameters."""
        return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items()}

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> "View":
        """A view from a plain dict; unknown keys are ignored, lists become tuples."""
        known = {f.name for f in fields(cls)}
        clean = {k: tuple(v) if isinstance(v, list) else v
                 for k, v in values.items() if k in known}
        return cls(**clean)

    def has_path(self) -> bool:
        """Whether both ends of the path finder are chosen."""
        return bool(self.path_from and self.path_to)


def init(state: MutableMapping[str, Any] | None = None, **defaults: Any) -> None:
    """Set up every session key once, at the top of the script (``setdefault`` only)."""
    state = st.session_state if state is None else state
    state.setdefault(VIEW_KEY, View())
    for key, value in defaults.items():
        state.setdefault(key, value)


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


def bind(name: str, *, to_widget: Callable[[Any], Any] = lambda v: v,
         from_widget: Callable[[Any], Any] = lambda v: v,
         on_change: Callable[[], None] | None = None) -> dict[str, Any]:
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
