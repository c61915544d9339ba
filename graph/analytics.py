"""Measures over a graph: rankings, communities, bridges and summary statistics.

Examples
--------
>>> import networkx as nx
>>> G = nx.MultiDiGraph([("a", "b"), ("a", "c"), ("d", "a")])
>>> [(r.id, r.score) for r in rank(G, by="degree", top=2)]
[('a', 3.0), ('b', 1.0)]
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

import networkx as nx

from .betweenness import SAMPLE_ABOVE, betweenness
from .errors import UsageError
from .query import entity_name

MEASURES = ("degree", "betweenness", "pagerank")
SEED = 42


@dataclass(frozen=True)
class Ranked:
    """An entity's score under a measure (``note`` says when the score is an estimate)."""

    id: str
    name: str
    type: str
    score: float


def undirected_simple(G: nx.MultiDiGraph) -> nx.Graph:
    """``G`` as a simple undirected graph: one edge per connected pair, no self-loops."""
    H = nx.Graph()
    H.add_nodes_from(G)
    H.add_edges_from((u, v) for u, v in G.edges() if u != v)
    return H


def scores(G: nx.MultiDiGraph, by: str = "degree") -> dict[str, float]:
    """Every entity's score under a measure: ``degree``, ``betweenness`` or ``pagerank``.

    - degree: the number of relations touching the entity (parallel relations count).
    - betweenness: on the undirected simple graph, normalised as networkx does; above 3,000
      entities it is estimated from 500 sampled sources (seeded, so stable) — see
      :func:`is_sampled` and :mod:`graph.betweenness`.
    - pagerank: on the directed graph, parallel relations adding weight.

    Examples
    --------
    >>> import networkx as nx
    >>> scores(nx.MultiDiGraph([("a", "b"), ("b", "c")]), "betweenness")
    {'a': 0.0, 'b': 1.0, 'c': 0.0}
    """
    if by not in MEASURES:
        raise UsageError(f"unknown measure {by!r}; choose one of: {', '.join(MEASURES)}")
    if G.number_of_nodes() == 0:
        return {}
    if by == "degree":
        return {n: float(d) for n, d in G.degree()}
    if by == "pagerank":
        return nx.pagerank(G)
    return betweenness(G, seed=SEED)


def is_sampled(G: nx.MultiDiGraph) -> bool:
    """Whether betweenness on ``G`` is estimated from a sample rather than exact."""
    return G.number_of_nodes() > SAMPLE_ABOVE


def rank(G: nx.MultiDiGraph, *, by: str = "degree", top: int = 10) -> list[Ranked]:
    """The ``top`` entities by a measure, highest first; ties broken by name.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph([("hub", "x"), ("hub", "y")])
    >>> rank(G, by="degree", top=1)[0].id
    'hub'
    """
    if top < 1:
        raise UsageError(f"top must be 1 or more, not {top}")
    values = scores(G, by)
    ordered = sorted(values, key=lambda n: (-values[n], (entity_name(G, n)).lower()))
    return [
        Ranked(n, entity_name(G, n), G.nodes[n].get("type", ""), round(values[n], 6))
        for n in ordered[:top]
    ]


def communities(G: nx.MultiDiGraph, *, seed: int = SEED) -> list[list[str]]:
    """Louvain communities of the undirected graph, largest first, each sorted by degree.

    The seed is fixed so the same data always gives the same communities.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph([("a", "b"), ("b", "c"), ("c", "a"), ("x", "y"), ("y", "z"),
    ...                      ("z", "x"), ("c", "x")])
    >>> communities(G)
    [['c', 'a', 'b'], ['x', 'y', 'z']]
    """
    if G.number_of_nodes() == 0:
        return []
    groups = nx.community.louvain_communities(undirected_simple(G), seed=seed)
    degree = dict(G.degree())
    members = [sorted(g, key=lambda n: (-degree[n], str(n))) for g in groups]
    return sorted(members, key=lambda m: (-len(m), m[0]))


def community_of(groups: list[list[str]]) -> dict[str, int]:
    """Map each entity to the index of its community in ``groups``."""
    return {node: i for i, members in enumerate(groups) for node in members}


def bridges(
    G: nx.MultiDiGraph, groups: list[list[str]] | None = None, *, top: int = 10
) -> list[dict[str, Any]]:
    """Entities whose neighbours fall in the most communities: the connectors between groups.

    Each item: ``id``, ``name``, ``communities`` (how many distinct communities it touches,
    its own included) and ``cut_vertex`` (True when removing it disconnects the graph).
    """
    groups = communities(G) if groups is None else groups
    membership = community_of(groups)
    H = undirected_simple(G)
    cut = set(nx.articulation_points(H)) if H.number_of_nodes() else set()
    reach = {n: len({membership.get(m) for m in H[n]} | {membership.get(n)}) for n in H}
    ordered = sorted(
        (n for n in reach if reach[n] > 1), key=lambda n: (-reach[n], -H.degree(n), str(n))
    )
    return [
        {"id": n, "name": entity_name(G, n), "communities": reach[n], "cut_vertex": n in cut}
        for n in ordered[:top]
    ]


def stats(G: nx.MultiDiGraph, *, top: int = 5) -> dict[str, Any]:
    """Counts by type and relation, components, density and the most connected entities.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("a", type="ngo"); G.add_node("b", type="law")
    >>> G.add_edge("a", "b", relation="advocated_for")
    0
    >>> s = stats(G)
    >>> s["entities"], s["relations"], s["types"], s["components"]
    (2, 1, {'law': 1, 'ngo': 1}, 1)
    """
    n = G.number_of_nodes()
    types = Counter(d.get("type", "") for _, d in G.nodes(data=True))
    relations = Counter(d.get("relation", "") for _, _, d in G.edges(data=True))
    components = list(nx.weakly_connected_components(G)) if n else []
    return {
        "name": G.graph.get("name", ""),
        "entities": n,
        "relations": G.number_of_edges(),
        "types": dict(sorted(types.items())),
        "relation_types": dict(sorted(relations.items(), key=lambda kv: (-kv[1], kv[0]))),
        "documents": len(G.graph.get("documents", {})),
        "components": len(components),
        "largest_component": max((len(c) for c in components), default=0),
        "isolated": sum(1 for node in G if G.degree(node) == 0),
        "density": round(nx.density(G), 6) if n > 1 else 0.0,
        "most_connected": [
            {"id": r.id, "name": r.name, "degree": int(r.score)}
            for r in rank(G, by="degree", top=top)
        ]
        if n
        else [],
    }
