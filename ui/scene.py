"""What to draw for the view on screen: :func:`graph.view.scene`, cached step by step.

Each step of the library's pipeline (filters, then focus and paths, then the cap) is cached per
dataset and per plain view values, so a rerun that changes nothing structural (a selection, a
colour) costs no graph work. Graphs are cached with ``st.cache_resource`` (read-only snapshots
that share attributes with the dataset); measures, communities and positions with
``st.cache_data``. The ``_graph`` arguments are left out of cache keys (leading underscore);
the ``dataset`` key and the plain ``spec`` tuples name what they hold.
"""

from __future__ import annotations

import networkx as nx
import streamlit as st

from graph import analytics
from graph import view as views
from graph.layout import compute_layout
from graph.view import Scene, View

__all__ = [
    "Scene",
    "scene",
    "measure",
    "communities",
    "stats",
    "bridges",
    "positions",
    "drawing",
    "path_highlight",
]


@st.cache_resource(max_entries=8, show_spinner=False)
def _filtered(
    _graph: nx.MultiDiGraph, dataset: str, spec: tuple, _view: View
) -> tuple[nx.MultiDiGraph, str]:
    return views.filtered(_graph, _view)


@st.cache_resource(max_entries=16, show_spinner=False)
def _scores(_graph: nx.MultiDiGraph, key: str, by: str) -> dict[str, float]:
    return views.scores(_graph, by)


@st.cache_resource(max_entries=16, show_spinner="Working out what to draw…")
def _scene(_graph: nx.MultiDiGraph, dataset: str, spec: tuple, _view: View) -> Scene:
    view = _view  # fully described by ``spec``, which is the cache key
    F, note = _filtered(_graph, dataset, view.filter_key(), view)
    V, paths, notes = views.scoped(_graph, F, view)
    view_key = views.scene_key(view, None, dataset) + "-view"
    return views.finish(
        V,
        view,
        paths,
        [note, *notes] if note else notes,
        dataset=dataset,
        scores_of=lambda graph, by: _scores(graph, view_key, by),
    )


def scene(graph: nx.MultiDiGraph, dataset: str, view: View) -> Scene:
    """What to draw for ``view`` of the dataset ``graph`` (named by the cache key ``dataset``)."""
    return _scene(graph, dataset, view.scene_key(), view)


# --- measures of what is drawn -------------------------------------------------------------


def measure(current: Scene, by: str) -> dict[str, float]:
    """Every drawn entity's score under ``by`` (degree, pagerank, betweenness)."""
    return _scores(current.graph, current.key, by)


@st.cache_data(max_entries=16, show_spinner="Finding communities…")
def _communities(_graph: nx.MultiDiGraph, key: str) -> list[list[str]]:
    return analytics.communities(_graph)


def communities(current: Scene) -> list[list[str]]:
    """Louvain communities of the drawn graph, largest first."""
    return _communities(current.graph, current.key)


@st.cache_data(max_entries=16, show_spinner=False)
def _stats(_graph: nx.MultiDiGraph, key: str) -> dict:
    return analytics.stats(_graph)


def stats(current: Scene) -> dict:
    """Counts by type and relation, components and the like, of the drawn graph."""
    return _stats(current.graph, current.key)


@st.cache_data(max_entries=16, show_spinner="Finding bridges…")
def _bridges(_graph: nx.MultiDiGraph, key: str, top: int) -> list[dict]:
    return analytics.bridges(_graph, _communities(_graph, key), top=top)


def bridges(current: Scene, top: int = 15) -> list[dict]:
    """Entities whose neighbours fall in the most communities."""
    return _bridges(current.graph, current.key, top)


@st.cache_data(max_entries=32, show_spinner="Laying out the graph…")
def _positions(_graph: nx.MultiDiGraph, key: str, layout: str) -> dict[str, tuple[float, float]]:
    return compute_layout(_graph, layout)


def positions(current: Scene, layout: str) -> dict[str, tuple[float, float]]:
    """Where each drawn entity goes, computed once per drawn graph and layout."""
    return _positions(current.graph, current.key, layout)


def path_highlight(current: Scene, index: int) -> tuple[list[str], list[str]]:
    """The nodes and edge ids (``u|v|key``) of the chosen path, to highlight."""
    return current.path_highlight(index)


def drawing(current: Scene, view: View) -> views.Drawing:
    """How ``current`` is drawn under ``view`` (positions, colours, sizes, highlights), from
    the cached measures, communities and positions above."""
    return views.drawing(
        current,
        view,
        positions_of=lambda _graph, layout: positions(current, layout),
        scores_of=lambda _graph, by: measure(current, by),
        communities_of=lambda _graph: communities(current),
    )
