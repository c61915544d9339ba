"""Questions about the graph: subgraphs by filter, neighbourhoods, paths, entity details.

Every function takes the graph first and returns plain values or a new graph that keeps the
dataset's metadata (``G.graph``), so a result can be drawn or exported like the whole graph.

Examples
--------
>>> from graph.load import load_graph
>>> G = load_graph({
...     "entities.csv": "id,name,type\\npact,PACT,ngo\\nipa,IPA,ngo\\nncmec,NCMEC,ngo\\n",
...     "relations.csv": "source,target,relation,evidence\\n"
...                      "pact,ipa,partnered_with,PACT works with IPA\\n"
...                      "ncmec,ipa,supported,NCMEC supports IPA\\n",
... })
>>> [path.nodes for path in find_paths(G, "pact", "ncmec")]
[['pact', 'ipa', 'ncmec']]
>>> sorted(neighborhood(G, "ipa", depth=1, direction="in"))
['ipa', 'ncmec', 'pact']
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from . import citations
from .errors import EntityNotFound, UsageError
from .schema import MODALITIES, MODALITY_NOTES, Schema, default_schema
from .text import safe_url

DIRECTIONS = ("both", "out", "in")


# --- subgraphs ---------------------------------------------------------------------------


def induced(
    G: nx.MultiDiGraph, nodes: Iterable[str], keep_edge=None, *, in_given_order: bool = False
) -> nx.MultiDiGraph:
    """A new graph on ``nodes`` with the edges among them (those ``keep_edge`` accepts).

    Nodes keep ``G``'s order, which costs a pass over ``G``; ``in_given_order=True`` keeps the
    order of ``nodes`` instead, for a few nodes of a big graph (a neighbourhood).
    Attribute dicts are shared with ``G``, not copied: results are read-only snapshots.
    """
    wanted = dict.fromkeys(nodes)
    H = nx.MultiDiGraph()
    H.graph.update(G.graph)
    ordered = (
        (n for n in wanted if n in G._node) if in_given_order else (n for n in G if n in wanted)
    )
    H.add_nodes_from((n, G._node[n]) for n in ordered)
    H.add_edges_from(
        (u, v, k, d)
        for u in H
        for v, keyed in G._succ[u].items()
        if v in wanted
        for k, d in keyed.items()
        if keep_edge is None or keep_edge(d)
    )
    return H


def filter_graph(
    G: nx.MultiDiGraph,
    *,
    types: Collection[str] | None = None,
    relations: Collection[str] | None = None,
    documents: Collection[str] | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    keep_undated: bool = True,
    min_sources: int = 0,
    modalities: Collection[str] | None = None,
) -> nx.MultiDiGraph:
    """The part of ``G`` that passes every given filter (``None`` or empty: no filter).

    - ``types``: entities of these types, with the relations among them.
    - ``relations``: relations of these kinds, and only the entities they connect.
    - ``documents``: relations resting on any of these documents (in their row or a citation),
      the entities they connect and entities that cite one of the documents themselves.
    - ``min_sources``: relations cited by at least this many distinct documents
      (:func:`graph.citations.corroboration`), and only the entities they connect.
    - ``modalities``: relations worded so (:data:`graph.schema.MODALITIES`: stated,
      proposed, hedged, inferred), and only the entities they connect.
    - ``date_from`` / ``date_to`` (``YYYY[-MM[-DD]]``, inclusive): drops entities and relations
      dated wholly outside the range; undated ones stay unless ``keep_undated`` is False.

    Returns ``G`` itself when no filter is given.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_nodes_from([("a", {"type": "ngo"}), ("b", {"type": "law"})])
    >>> G.add_edge("a", "b", relation="advocated_for", documents=[], date="")
    0
    >>> list(filter_graph(G, types=["ngo"]))
    ['a']
    >>> list(filter_graph(G, min_sources=1)), list(filter_graph(G, modalities=["stated"]))
    ([], ['a', 'b'])
    """
    if not (types or relations or documents or date_from or date_to or min_sources or modalities):
        return G
    span = _date_span(date_from, date_to)
    types = set(types or ())
    relations = set(relations or ())
    documents = set(documents or ())
    wording = set(modalities or ())
    if wording - set(MODALITIES):
        raise UsageError(f"modalities must be among {', '.join(MODALITIES)}, not {sorted(wording)}")
    edge_filters = bool(relations or documents or min_sources or wording)

    def keep_node(data: dict) -> bool:
        return (not types or data.get("type") in types) and _in_span(
            data.get("date", ""), span, keep_undated
        )

    def keep_edge(data: dict) -> bool:
        return (
            (not relations or data.get("relation") in relations)
            and (not documents or not documents.isdisjoint(citations.sources(data)))
            and (not min_sources or citations.corroboration(data) >= min_sources)
            and (not wording or citations.modality(data) in wording)
            and _in_span(data.get("date", ""), span, keep_undated)
        )

    H = induced(G, (n for n, d in G.nodes(data=True) if keep_node(d)), keep_edge)
    if edge_filters:
        cited = {
            n
            for n, d in H.nodes(data=True)
            if documents and not documents.isdisjoint(d.get("documents", ()))
        }
        H.remove_nodes_from(
            [n for n in list(H) if not H._succ[n] and not H._pred[n] and n not in cited]
        )
    return H


def _date_bounds(value: str) -> tuple[dt.date, dt.date]:
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 1:
        return dt.date(parts[0], 1, 1), dt.date(parts[0], 12, 31)
    if len(parts) == 2:
        start = dt.date(parts[0], parts[1], 1)
        following = dt.date(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1)
        return start, following - dt.timedelta(days=1)
    day = dt.date(*parts)
    return day, day


def _date_span(date_from: str | None, date_to: str | None) -> tuple[dt.date, dt.date] | None:
    if not (date_from or date_to):
        return None
    try:
        start = _date_bounds(date_from)[0] if date_from else dt.date.min
        end = _date_bounds(date_to)[1] if date_to else dt.date.max
    except (ValueError, TypeError):
        raise UsageError(
            f"dates must be YYYY, YYYY-MM or YYYY-MM-DD, got {date_from!r} to {date_to!r}"
        ) from None
    if start > end:
        raise UsageError(f"the date range {date_from} to {date_to} is empty")
    return start, end


def _in_span(value: str, span: tuple[dt.date, dt.date] | None, keep_undated: bool) -> bool:
    if span is None:
        return True
    if not value:
        return keep_undated
    first, last = _date_bounds(value)
    return first <= span[1] and last >= span[0]


def _require(G: nx.MultiDiGraph, node: str) -> None:
    if node not in G:
        raise EntityNotFound(node)


def _neighbors(G: nx.MultiDiGraph, node: str, direction: str = "both") -> Iterator[str]:
    if direction in ("both", "out"):
        yield from G._succ[node]
    if direction in ("both", "in"):
        yield from G._pred[node]


def neighborhood(
    G: nx.MultiDiGraph, entity: str, *, depth: int = 1, direction: str = "both"
) -> nx.MultiDiGraph:
    """Entities within ``depth`` hops of ``entity`` and every relation among them.

    ``direction``: "out" follows relations from the entity, "in" towards it, "both" either way.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph([("a", "b"), ("b", "c"), ("d", "a")])
    >>> sorted(neighborhood(G, "a", depth=2, direction="out"))
    ['a', 'b', 'c']
    """
    _require(G, entity)
    if direction not in DIRECTIONS:
        raise UsageError(f"direction must be one of {', '.join(DIRECTIONS)}, not {direction!r}")
    if depth < 0:
        raise UsageError(f"depth must be 0 or more, not {depth}")
    seen = {entity: None}  # in the order found: the entity, then one hop away, then two…
    frontier = [entity]
    for _ in range(depth):
        frontier = [
            n
            for node in frontier
            for n in _neighbors(G, node, direction)
            if n not in seen and not seen.setdefault(n)
        ]
        if not frontier:
            break
    return induced(G, seen, in_given_order=True)


# --- paths -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hop:
    """One step of a path: the relation joining two entities, in its own direction."""

    source: str
    relation: str
    target: str
    evidence: str
    documents: tuple[str, ...]
    key: int
    modality: str = "stated"
    corroboration: int = 0
    citations: tuple[citations.Citation, ...] = ()


@dataclass(frozen=True)
class Path:
    """A chain of entities and, for each step, the relation that joins them."""

    nodes: list[str]
    hops: list[Hop] = field(default_factory=list)

    def sentences(self, G: nx.MultiDiGraph) -> list[str]:
        """Each hop read as a sentence, worded as its modality says: ``"PACT partnered with
        IPA"``, ``"EARN IT Act would establish …"``."""
        schema = schema_of(G)
        return [
            schema.sentence(
                entity_name(G, h.source), h.relation, entity_name(G, h.target), h.modality
            )
            for h in self.hops
        ]


def entity_name(G: nx.MultiDiGraph, node: Hashable) -> str:
    """What to call an entity in text: its name, or its id when it has none or is not in ``G``.

    >>> G = nx.MultiDiGraph(); G.add_node("ncmec", name="NCMEC"); G.add_node("x")
    >>> entity_name(G, "ncmec"), entity_name(G, "x"), entity_name(G, "gone")
    ('NCMEC', 'x', 'gone')
    """
    name = G.nodes[node].get("name") if node in G else None
    return str(name) if name not in (None, "") else str(node)


def entity_label(G: nx.MultiDiGraph, node: Hashable) -> str:
    """What to draw beside an entity: its ``short_name`` when it has one, else its name.

    The full name stays everywhere text has room (tooltips, cards, details, exports).

    >>> G = nx.MultiDiGraph()
    >>> G.add_node("f", name="Over 80 percent of prosecutions involved ads", short_name="80% ads")
    >>> G.add_node("ncmec", name="NCMEC")
    >>> entity_label(G, "f"), entity_label(G, "ncmec"), entity_label(G, "gone")
    ('80% ads', 'NCMEC', 'gone')
    """
    short = G.nodes[node].get("short_name") if node in G else None
    return str(short) if short else entity_name(G, node)


def schema_of(G: nx.MultiDiGraph) -> Schema:
    """The schema that styles and words ``G``: the dataset's own, else the built-in one.

    >>> schema_of(nx.MultiDiGraph()).style("ngo").label
    'NGO'
    """
    schema = G.graph.get("schema")
    return schema if isinstance(schema, Schema) else default_schema()


def document(G: nx.MultiDiGraph, doc_id: str) -> dict[str, str]:
    """A document cited in ``G`` as plain text fields: ``id``, ``title`` (the id when the
    dataset gives none), ``publisher``, ``author``, ``date``, ``kind`` and ``url`` (only a
    plain http(s) address, else "").

    >>> G = nx.MultiDiGraph(documents={"d1": {"title": "A report", "url": "javascript:x"}})
    >>> document(G, "d1")["title"], document(G, "d1")["url"], document(G, "d9")["title"]
    ('A report', '', 'd9')
    """
    found = (G.graph.get("documents") or {}).get(doc_id) or {}
    text = {
        key: str(found.get(key, "") or "")
        for key in ("title", "publisher", "author", "date", "kind")
    }
    return {
        "id": str(doc_id),
        **text,
        "title": text["title"] or str(doc_id),
        "url": safe_url(found.get("url")),
    }


def find_paths(
    G: nx.MultiDiGraph, source: str, target: str, *, max_hops: int = 4, k: int = 3
) -> list[Path]:
    """Up to ``k`` shortest simple paths between two entities, ignoring direction.

    Paths longer than ``max_hops`` are left out. Each hop names the relation that joins the two
    entities (from either side), with its evidence. Yen's algorithm over a bidirectional
    breadth-first search, so a path in a 100k-entity graph takes milliseconds.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("a", "b", relation="funds", evidence="", documents=[])
    0
    >>> G.add_edge("c", "b", relation="runs", evidence="", documents=[])
    0
    >>> [(h.source, h.relation, h.target) for h in find_paths(G, "a", "c")[0].hops]
    [('a', 'funds', 'b'), ('c', 'runs', 'b')]
    """
    _require(G, source)
    _require(G, target)
    if max_hops < 1 or k < 1:
        raise UsageError("max_hops and k must be 1 or more")
    if source == target:
        return [Path([source])]
    node_paths = _k_shortest(G, source, target, max_hops, k)
    return [Path(nodes, [_hop(G, u, v) for u, v in zip(nodes, nodes[1:])]) for nodes in node_paths]


def _hop(G: nx.MultiDiGraph, u: str, v: str) -> Hop:
    """The relation between u and v to tell: forward ones first, then the one with evidence."""
    options = [(u, v, k, d) for k, d in G._succ[u].get(v, {}).items()]
    options += [(v, u, k, d) for k, d in G._succ[v].get(u, {}).items()]
    src, tgt, key, data = max(
        options,
        key=lambda o: (o[0] == u, bool(o[3].get("evidence")), citations.corroboration(o[3])),
    )
    return Hop(
        src,
        data.get("relation", ""),
        tgt,
        data.get("evidence", ""),
        tuple(data.get("documents", ())),
        key,
        citations.modality(data),
        citations.corroboration(data),
        citations.citations_of(data),
    )


def _k_shortest(
    G: nx.MultiDiGraph, source: str, target: str, max_hops: int, k: int
) -> list[list[str]]:
    first = _bfs_path(G, source, target, max_hops, set(), set())
    if first is None:
        return []
    found, candidates = [first], []
    while len(found) < k:
        previous = found[-1]
        for i in range(len(previous) - 1):
            root = previous[: i + 1]
            banned_edges = {frozenset(p[i : i + 2]) for p in found if p[: i + 1] == root}
            spur = _bfs_path(G, root[-1], target, max_hops - i, set(root[:-1]), banned_edges)
            if spur is not None:
                path = root[:-1] + spur
                if path not in candidates and path not in found:
                    candidates.append(path)
        if not candidates:
            break
        candidates.sort(key=len)
        found.append(candidates.pop(0))
    return found


def _bfs_path(
    G: nx.MultiDiGraph,
    source: str,
    target: str,
    max_hops: int,
    banned_nodes: set[str],
    banned_edges: set[frozenset],
) -> list[str] | None:
    """Shortest undirected path of at most ``max_hops`` avoiding the banned nodes and edges."""
    if source == target:
        return [source]
    parents: list[dict[str, str | None]] = [{source: None}, {target: None}]
    frontiers = [[source], [target]]
    for _ in range(max_hops):
        side = 0 if len(frontiers[0]) <= len(frontiers[1]) else 1
        mine, other = parents[side], parents[1 - side]
        next_frontier = []
        for node in frontiers[side]:
            for n in _neighbors(G, node):
                if n in mine or n in banned_nodes or frozenset((node, n)) in banned_edges:
                    continue
                mine[n] = node
                if n in other:
                    return _join(parents, n)
                next_frontier.append(n)
        frontiers[side] = next_frontier
        if not next_frontier:
            return None
    return None


def _join(parents: list[dict], meet: str) -> list[str]:
    forward, node = [], meet
    while node is not None:
        forward.append(node)
        node = parents[0][node]
    backward, node = [], parents[1][meet]
    while node is not None:
        backward.append(node)
        node = parents[1][node]
    return forward[::-1] + backward


# --- entity details ----------------------------------------------------------------------


def relations_of(G: nx.MultiDiGraph, entity: str) -> list[dict[str, Any]]:
    """Every relation touching ``entity``, outgoing first, each read as a sentence.

    Each item: ``direction`` ("out"/"in"), ``source``, ``target``, ``other`` (the entity at the
    other end), ``relation``, ``sentence`` (worded as its modality says: "would establish"),
    ``modality`` and ``modality_note`` ("" when stated), ``evidence``, ``documents``,
    ``citations`` (``document``, ``quote``, ``locator`` for each further document),
    ``sources`` (every document behind it) and ``corroboration`` (how many), ``date``.
    """
    _require(G, entity)
    schema = schema_of(G)
    items = []
    for direction, edges in (
        ("out", G.out_edges(entity, keys=True, data=True)),
        ("in", G.in_edges(entity, keys=True, data=True)),
    ):
        for u, v, key, data in edges:
            modality = citations.modality(data)
            items.append(
                {
                    "direction": direction,
                    "source": u,
                    "target": v,
                    "key": key,
                    "other": v if direction == "out" else u,
                    "relation": data.get("relation", ""),
                    "sentence": schema.sentence(
                        entity_name(G, u), data.get("relation", ""), entity_name(G, v), modality
                    ),
                    "modality": modality,
                    "modality_note": MODALITY_NOTES[modality],
                    "evidence": data.get("evidence", ""),
                    "documents": list(data.get("documents", ())),
                    "citations": [c.as_dict() for c in citations.citations_of(data)],
                    "sources": citations.sources(data),
                    "corroboration": citations.corroboration(data),
                    "date": data.get("date", ""),
                }
            )
    return items


def entity_details(G: nx.MultiDiGraph, entity: str) -> dict[str, Any]:
    """An entity's attributes, its type's label, its documents and every relation.

    Documents are given as :func:`document` gives them (the title is the id when the dataset
    has no documents.csv).
    """
    _require(G, entity)
    data = G.nodes[entity]
    schema = schema_of(G)
    documents = [document(G, d) for d in data.get("documents", ())]
    return {
        "id": entity,
        **data,
        "type_label": schema.style(data.get("type", "")).label,
        "documents": documents,
        "relations": relations_of(G, entity),
        "degree": G.degree(entity),
    }
