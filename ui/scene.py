"""What to draw for a :class:`~ui.state.View`: filters, focus, path and the scale cap.

Each step is one library call, cached per dataset and per plain view values, so a rerun that
changes nothing structural (a selection, a colour) costs no graph work. Graphs are cached with
``st.cache_resource`` (they are read-only snapshots that share attributes with the dataset);
measures, communities and positions with ``st.cache_data``.

The ``_graph`` arguments are left out of cache keys (leading underscore); the ``dataset`` key
and the plain ``spec`` tuples name what they hold.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import networkx as nx
import streamlit as st

from graph import analytics, query
from graph.errors import GraphError
from graph.query import Path
from graph.render import compute_layout
from graph.betweenness import betweenness
from ui.state import View

MAX_DRAWN = 1_500
"""The most entities drawn at once; larger views show their top entities by a measure."""
CAP_MEASURE_LIMITS = {"degree": None, "pagerank": 50_000, "betweenness": 5_000}
"""The most entities the cap ranks by each measure; beyond, it ranks by degree (seconds saved)."""
PATHS_SHOWN = 3


@dataclass(frozen=True)
class Scene:
    """The graph to draw for a view, and what the user should be told about it."""

    graph: nx.MultiDiGraph
    key: str
    total: int
    paths: tuple[Path, ...] = ()
    notes: tuple[str, ...] = ()
    capped_by: str | None = None
    must_show: frozenset = field(default_factory=frozenset)
    entities: int = 0
    relations: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "entities", self.graph.number_of_nodes())
        object.__setattr__(self, "relations", self.graph.number_of_edges())

    @property
    def capped(self) -> bool:
        return self.capped_by is not None


def _filter_spec(view: View) -> tuple:
    return (view.types, view.relations, view.documents, view.date_from, view.date_to,
            view.keep_undated, view.min_degree, view.hide_isolated)


def _scene_spec(view: View) -> tuple:
    # size_by comes last: it changes what is drawn only when the view is capped (see _key).
    return (_filter_spec(view), view.focus, view.depth, view.direction, view.path_from,
            view.path_to, view.max_hops, view.size_by)


@st.cache_resource(max_entries=8, show_spinner=False)
def _filtered(_graph: nx.MultiDiGraph, dataset: str, spec: tuple) -> tuple[nx.MultiDiGraph, str]:
    """The graph after filters and the degree threshold, and a note if a filter was invalid."""
    types, relations, documents, date_from, date_to, keep_undated, min_degree, hide = spec
    note = ""
    try:
        H = query.filter_graph(_graph, types=types, relations=relations, documents=documents,
                               date_from=date_from, date_to=date_to, keep_undated=keep_undated)
    except GraphError as error:
        H, note = _graph, f"Date filter ignored: {error}"
    threshold = max(min_degree, 1 if hide else 0)
    if threshold:
        H = query.induced(H, [n for n, d in H.degree() if d >= threshold])
    return H, note


@st.cache_resource(max_entries=16, show_spinner=False)
def _scores(_graph: nx.MultiDiGraph, key: str, by: str) -> dict[str, float]:
    if by == "betweenness":
        return betweenness(_graph)
    return analytics.scores(_graph, by)


def _scoped(G: nx.MultiDiGraph, F: nx.MultiDiGraph,
            view: View) -> tuple[nx.MultiDiGraph, list[Path], list[str]]:
    """The focus neighbourhood (or everything) plus the paths asked for, within ``F`` (the
    filtered part of ``G``)."""
    notes: list[str] = []
    keep: set[str] | None = None
    if view.focus:
        if view.focus in F:
            keep = set(query.neighborhood(F, view.focus, depth=view.depth,
                                          direction=view.direction))
        else:
            notes.append(f"The focus entity {query.entity_name(G, view.focus)} is hidden by "
                         "the filters, so the whole filtered graph is shown.")
    paths: list[Path] = []
    if view.has_path():
        missing = [e for e in (view.path_from, view.path_to) if e not in F]
        if missing:
            notes.append("The path finder needs both ends in the view; hidden by the filters: "
                         + ", ".join(query.entity_name(G, e) for e in missing) + ".")
        else:
            paths = query.find_paths(F, view.path_from, view.path_to, max_hops=view.max_hops,
                                     k=PATHS_SHOWN)
            if keep is not None:
                keep.update(n for p in paths for n in p.nodes)
    V = F if keep is None else query.induced(F, keep)
    return V, paths, notes


@st.cache_resource(max_entries=16, show_spinner="Working out what to draw…")
def _scene(_graph: nx.MultiDiGraph, dataset: str, spec: tuple, _view: View) -> Scene:
    view = _view  # fully described by ``spec``, which is the cache key
    F, note = _filtered(_graph, dataset, spec[0])
    V, paths, notes = _scoped(_graph, F, view)
    if note:
        notes.insert(0, note)
    must = {n for p in paths for n in p.nodes}
    if view.focus in V:
        must.add(view.focus)
    if V.number_of_nodes() <= MAX_DRAWN:
        return Scene(V, _key(dataset, spec), V.number_of_nodes(), tuple(paths), tuple(notes),
                     must_show=frozenset(must))
    limit = CAP_MEASURE_LIMITS.get(view.size_by)
    by = view.size_by if limit is None or len(V) <= limit else "degree"
    key = _key(dataset, spec, by)
    values = _scores(V, f"{_key(dataset, spec)}-view", by)
    rest = sorted((n for n in V if n not in must), key=lambda n: (-values.get(n, 0.0), n))
    drawn = query.induced(V, [*must, *rest[:max(0, MAX_DRAWN - len(must))]])
    return Scene(drawn, key, V.number_of_nodes(), tuple(paths), tuple(notes), by,
                 frozenset(must))


def _key(dataset: str, spec: tuple, capped_by: str | None = None) -> str:
    """Names the drawn graph: the size measure only matters when it chose what to draw."""
    return hashlib.sha1(repr((dataset, spec[:-1], capped_by)).encode()).hexdigest()[:16]


def scene(graph: nx.MultiDiGraph, dataset: str, view: View) -> Scene:
    """What to draw for ``view`` of the dataset ``graph`` (named by the cache key ``dataset``)."""
    return _scene(graph, dataset, _scene_spec(view), view)


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
    if not current.paths:
        return [], []
    path = current.paths[min(max(index, 0), len(current.paths) - 1)]
    return list(path.nodes), [f"{h.source}|{h.target}|{h.key}" for h in path.hops]
