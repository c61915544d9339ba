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
from dataclasses import asdict, dataclass
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


MEANINGS = {
    "degree": "how many relations touch an entity — the most talked-about players in the texts",
    "pagerank": (
        "how much an entity is pointed to by entities that are themselves pointed to — "
        "where relations lead in the end (laws, reports, stages of the crime)"
    ),
    "betweenness": (
        "how often an entity lies on the shortest route between two others — "
        "brokers between communities"
    ),
    "community": (
        "groups of entities more tied to each other than to the rest (Louvain), each named "
        "by its most connected members"
    ),
}
"""What each measure means, in words a trainer can read out (see :func:`explain`)."""


def explain(
    G: nx.MultiDiGraph,
    by: str,
    values: dict[str, float] | None = None,
    groups: list[list[str]] | None = None,
) -> str:
    """One sentence on what ``by`` means for this map, naming the entity that leads on it (for
    ``community``: how many communities, and the largest one's hub). ``values`` (the scores)
    and ``groups`` (:func:`communities`) are computed when not given.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph([("a", "hub"), ("b", "hub"), ("hub", "c")])
    >>> explain(G, "betweenness")
    'Betweenness: how often an entity lies on the shortest route ... Here hub leads (1).'
    >>> explain(G, "community")
    'Communities: groups of entities ... Here 1 community; the largest, around hub, holds 4.'
    """
    if by not in MEANINGS:
        raise UsageError(f"unknown measure {by!r}; choose one of: {', '.join(MEANINGS)}")
    name = {"pagerank": "PageRank", "community": "Communities"}.get(by, by.capitalize())
    text = f"{name}: {MEANINGS[by]}."
    if G.number_of_nodes() == 0:
        return text
    if by == "community":
        groups = communities(G) if groups is None else groups
        many = "community" if len(groups) == 1 else "communities"
        return (
            f"{text} Here {len(groups)} {many}; the largest, around "
            f"{entity_name(G, groups[0][0])}, holds {len(groups[0])}."
        )
    values = scores(G, by) if values is None else values
    top = min(values, key=lambda n: (-values[n], entity_name(G, n).lower()))
    shown = f"{values[top]:.0f}" if by == "degree" else f"{values[top]:.3g}"
    return f"{text} Here {entity_name(G, top)} leads ({shown})."


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


# --- technologies × trafficking stages -------------------------------------------------------

ABUSED_FOR = "abused_for"


@dataclass(frozen=True)
class Quote:
    """One quote a relation rests on, with the document it stands in."""

    document: str
    title: str
    quote: str
    locator: str = ""


@dataclass(frozen=True)
class AbuseRelation:
    """One ``abused_for`` relation of a matrix cell: its edge id, sentence and quotes."""

    id: str
    sentence: str
    modality: str
    quotes: tuple[Quote, ...]


@dataclass(frozen=True)
class AbuseMatrix:
    """Technologies (rows) × what they are abused for (columns: stages, then forms).

    ``rows`` and ``columns`` are ``(id, name)`` pairs; ``cells`` maps ``(row id, column id)`` to
    the relations behind that cell (absent when there are none).
    """

    rows: tuple[tuple[str, str], ...]
    columns: tuple[tuple[str, str], ...]
    cells: dict[tuple[str, str], tuple[AbuseRelation, ...]]

    def count(self, row: str, column: str) -> int:
        """How many relations back the cell (0 for an empty one)."""
        return len(self.cells.get((row, column), ()))

    def documents(self, row: str, column: str) -> int:
        """How many distinct documents the cell's quotes stand in (0 for an empty one)."""
        return len({q.document for r in self.cells.get((row, column), ()) for q in r.quotes})

    def as_dict(self) -> dict[str, Any]:
        """Plain values for JSON: rows, columns and the non-empty cells with their quotes."""
        return {
            "rows": [{"id": i, "name": n} for i, n in self.rows],
            "columns": [{"id": i, "name": n} for i, n in self.columns],
            "cells": [
                {
                    "row": r,
                    "column": c,
                    "documents": self.documents(r, c),
                    "relations": [asdict(rel) for rel in rels],
                }
                for (r, c), rels in self.cells.items()
            ],
        }


def abuse_matrix(G: nx.MultiDiGraph, *, relation: str = ABUSED_FOR) -> AbuseMatrix:
    """Which technology is abused for which stage or form of trafficking, with the quotes.

    Rows are the sources of ``relation`` edges (technologies), the most columns first, then by
    name; columns their targets, grouped by entity type in schema order (stages before forms)
    and in the dataset's order within a type. Each cell holds its relations: the sentence
    worded by modality and every quote (:func:`graph.citations.quotes`) with its document's
    title.

    Examples
    --------
    >>> from graph.load import load_graph
    >>> G = load_graph({
    ...     "entities.csv": "id,name,type\\ngps,GPS,technology\\nweb,Dark web,technology\\n"
    ...                     "ctl,Control,trafficking_stage\\nhide,Concealment,trafficking_stage\\n",
    ...     "relations.csv": "source,target,relation,evidence,documents\\n"
    ...                      "gps,ctl,abused_for,track victims,d1\\nweb,hide,abused_for,,\\n"
    ...                      "web,ctl,abused_for,,\\n",
    ...     "documents.csv": "id,title\\nd1,A report\\n",
    ...     "types.csv": "type,label\\ntrafficking_stage,Stage\\n"})
    >>> m = abuse_matrix(G)
    >>> m.rows, m.columns
    ((('web', 'Dark web'), ('gps', 'GPS')), (('ctl', 'Control'), ('hide', 'Concealment')))
    >>> m.count("gps", "ctl"), m.count("gps", "hide"), m.documents("gps", "ctl")
    (1, 0, 1)
    >>> m.cells[("gps", "ctl")][0].quotes
    (Quote(document='d1', title='A report', quote='track victims', locator=''),)
    """
    from .citations import modality, quotes
    from .query import document, schema_of

    schema = schema_of(G)
    cells: dict[tuple[str, str], list[AbuseRelation]] = {}
    for u, v, key, data in G.edges(keys=True, data=True):
        if data.get("relation") != relation:
            continue
        said = modality(data)
        cells.setdefault((str(u), str(v)), []).append(
            AbuseRelation(
                f"{u}|{v}|{key}",
                schema.sentence(entity_name(G, u), relation, entity_name(G, v), said),
                said,
                tuple(
                    Quote(doc, document(G, doc)["title"], text, locator)
                    for doc, text, locator in quotes(data)
                ),
            )
        )
    order = {n: i for i, n in enumerate(G)}
    type_order = {t: i for i, t in enumerate(schema.type_ids())}
    targets = {c for _, c in cells}
    width = Counter(r for r, _ in cells)

    def type_rank(node: str) -> int:
        return type_order.get(G.nodes[node].get("type", ""), len(type_order))

    columns = sorted(targets, key=lambda n: (type_rank(n), order[n]))
    rows = sorted(width, key=lambda n: (-width[n], entity_name(G, n).lower(), n))
    return AbuseMatrix(
        tuple((n, entity_name(G, n)) for n in rows),
        tuple((n, entity_name(G, n)) for n in columns),
        {(r, c): tuple(cells[(r, c)]) for r in rows for c in columns if (r, c) in cells},
    )
