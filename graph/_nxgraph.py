"""The one place that writes into a networkx ``MultiDiGraph``'s private dicts, and why it may.

The loader adds every node and edge through :data:`node_adder` and :data:`edge_adder` (one
function per graph, bound to its dicts, called per row; :func:`add_node_fast` and
:func:`add_edge_fast` for single calls). They put the attribute dict they are given straight
into ``G._node`` / ``G._succ`` / ``G._pred`` (``G._adj`` is the same dict as ``G._succ``),
exactly where ``MultiDiGraph.add_node`` and ``add_edge`` would put it, but without their
per-call work (a membership test per end, ``new_edge_key``, a fresh dict filled by
``update``, a cache clear): at 500,000 relations ``add_edges_from`` costs 3x more than these
writes, and it copies each attribute dict, losing the PEP 412 key-sharing dicts the loader
builds (121 instead of 193 bytes per relation). After the writes, :func:`finish` clears the
graph's cache as the public methods do.

This relies on networkx internals, so they are checked, not trusted: at import, a tiny graph
is built both through the public API and through these writes and compared (the private
attribute names, which dicts are shared, the edge keys, every view). If anything differs — a
networkx release renamed or restructured them — a ``RuntimeWarning`` says so and the public
``add_node`` / ``add_edge`` are used instead: slower, never a silently corrupt graph.
Checked against networkx 3.3, 3.4.2, 3.5 and 3.6.1 (``requirements.txt`` allows >=3.3,<4);
``tests/test_nxgraph.py`` compares graphs built both ways.

The functions are for a plain ``networkx.MultiDiGraph`` (the loader's); a subclass may use
other dict factories.

>>> G = nx.MultiDiGraph()
>>> add_node_fast(G, "a", {"name": "A"}); add_node_fast(G, "b", {"name": "B"})
>>> add_edge_fast(G, "a", "b", {"relation": "led"}), add_edge_fast(G, "a", "b", {})
(0, 1)
>>> finish(G); G.number_of_edges("a", "b"), list(isolated(G))
(2, [])
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Hashable, Iterator
from typing import Any

import networkx as nx

Node = Hashable


NodeAdder = Callable[[Node, dict[str, Any]], None]
EdgeAdder = Callable[[Node, Node, dict[str, Any]], int]


def _direct_node_adder(G: nx.MultiDiGraph) -> NodeAdder:
    node_attrs, succ, pred = G._node, G._succ, G._pred  # bound once: this runs per row

    def add_node(node: Node, attrs: dict[str, Any]) -> None:
        node_attrs[node] = attrs  # the dict itself, not a copy: it may be a key-sharing dict
        succ[node] = {}
        pred[node] = {}

    return add_node


def _direct_edge_adder(G: nx.MultiDiGraph) -> EdgeAdder:
    succ, pred = G._succ, G._pred

    def add_edge(u: Node, v: Node, attrs: dict[str, Any]) -> int:
        keyed = succ[u].get(v)
        if keyed is None:
            # One key dict shared by _succ[u][v] and _pred[v][u], as MultiDiGraph.add_edge does.
            keyed = succ[u][v] = pred[v][u] = {}
        key = len(keyed)  # new_edge_key's choice: len, or the next free key after a removal
        while key in keyed:
            key += 1
        keyed[key] = attrs
        return key

    return add_edge


def _direct_isolated(G: nx.MultiDiGraph) -> Iterator[Node]:
    succ, pred = G._succ, G._pred  # G.degree() is far slower at 100k nodes
    return (node for node in G._node if not succ[node] and not pred[node])


def _public_node_adder(G: nx.MultiDiGraph) -> NodeAdder:
    def add_node(node: Node, attrs: dict[str, Any]) -> None:
        G.add_node(node)
        G.nodes[node].update(attrs)

    return add_node


def _public_edge_adder(G: nx.MultiDiGraph) -> EdgeAdder:
    def add_edge(u: Node, v: Node, attrs: dict[str, Any]) -> int:
        key = G.add_edge(u, v)
        G.edges[u, v, key].update(attrs)
        return key

    return add_edge


def _public_isolated(G: nx.MultiDiGraph) -> Iterator[Node]:
    succ, pred = G.succ, G.pred
    return (node for node in G if not succ[node] and not pred[node])


def _clear_cache(G: nx.MultiDiGraph) -> None:
    getattr(nx, "_clear_cache", lambda graph: None)(G)  # networkx >= 3.3 caches conversions


def internals_problem(graph_class: type = nx.MultiDiGraph) -> str | None:
    """Why the direct writes would not build the graph ``add_node``/``add_edge`` build; None
    when they do.

    Builds nodes (one isolated, unicode ids), parallel edges and a self-loop both ways, then
    compares the private dicts' names and sharing and every public view.

    >>> internals_problem() is None
    True
    """
    try:
        return _compare(graph_class)
    except Exception as err:  # noqa: BLE001 - any failure means "do not write directly"
        return f"{type(err).__name__}: {err}"


def _compare(graph_class: type) -> str | None:
    fresh = graph_class()
    for name in ("_node", "_adj", "_succ", "_pred"):
        if type(getattr(fresh, name, None)) is not dict:
            return f"a new {graph_class.__name__} has no {name} dict"
    if fresh._adj is not fresh._succ:
        return "_adj and _succ are not one dict"
    nodes = [("a", {"n": 1}), ("é", {"n": 2}), ("lonely", {})]
    edges = [("a", "é", {"r": 1}), ("a", "é", {"r": 2}), ("é", "é", {"r": 3}), ("é", "a", {})]
    public = graph_class()
    public.add_nodes_from(nodes)
    public.add_edges_from(edges)
    keyed = public._succ["a"]["é"]
    if keyed is not public._pred["é"]["a"]:
        return "_succ[u][v] and _pred[v][u] are not one key dict"
    if public._node["a"] is not public.nodes["a"]:
        return "_node does not hold the node attribute dicts"
    inner = {
        "node attributes": public._node["a"],
        "successors": public._succ["a"],
        "predecessors": public._pred["a"],
        "edge keys": keyed,
        "edge attributes": keyed[0],
    }
    for what, held in inner.items():
        if type(held) is not dict:
            return f"the {what} are a {type(held).__name__}, not a dict"
    direct = graph_class()
    add_node, add_edge = _direct_node_adder(direct), _direct_edge_adder(direct)
    for node, attrs in nodes:
        add_node(node, dict(attrs))
    keys = [add_edge(u, v, dict(attrs)) for u, v, attrs in edges]
    _clear_cache(direct)
    if keys != [0, 1, 0, 0]:
        return f"edge keys {keys}, expected [0, 1, 0, 0]"
    for view in (
        lambda G: list(G.nodes(data=True)),
        lambda G: list(G.edges(keys=True, data=True)),
        lambda G: {u: {v: dict(k) for v, k in n.items()} for u, n in G.adj.items()},
        lambda G: {u: {v: dict(k) for v, k in n.items()} for u, n in G.pred.items()},
        lambda G: dict(G.in_degree()),
        lambda G: dict(G.out_degree()),
        lambda G: G.number_of_edges("a", "é"),
        lambda G: sorted(G.subgraph(["a", "é"]).edges(keys=True)),
        lambda G: sorted(G.copy().edges(keys=True, data="r"), key=str),
    ):
        if view(public) != view(direct):
            return (
                f"a graph written directly differs from one built by add_edges_from "
                f"({view(direct)!r} != {view(public)!r})"
            )
    return None


PROBLEM = internals_problem()
"""Why the direct writes are off (a networkx release changed its internals), or None."""
FAST = PROBLEM is None
if not FAST:
    warnings.warn(
        f"graph._nxgraph: networkx {nx.__version__} stores graphs differently than "
        f"the versions this was checked against ({PROBLEM}); loading uses the public "
        "add_node/add_edge instead (slower, same graph)",
        RuntimeWarning,
        stacklevel=2,
    )

node_adder: Callable[[nx.MultiDiGraph], NodeAdder] = (
    _direct_node_adder if FAST else _public_node_adder
)
"""``node_adder(G)``: a function ``add_node(node, attrs)`` adding new nodes to ``G``, each
with ``attrs`` itself as its attribute dict (a copy through the public API)."""
edge_adder: Callable[[nx.MultiDiGraph], EdgeAdder] = (
    _direct_edge_adder if FAST else _public_edge_adder
)
"""``edge_adder(G)``: a function ``add_edge(u, v, attrs) -> key`` adding edges between
existing nodes of ``G``, keyed as ``add_edge`` keys them, with ``attrs`` itself as the
attribute dict (a copy through the public API). Bound once per graph: it runs per row."""
isolated: Callable[[nx.MultiDiGraph], Iterator[Node]] = (
    _direct_isolated if FAST else _public_isolated
)
"""``isolated(G)``: the nodes with no edge in or out, in node order."""


def add_node_fast(G: nx.MultiDiGraph, node: Node, attrs: dict[str, Any]) -> None:
    """Add a new node whose attribute dict is ``attrs`` (one call; loops use
    :data:`node_adder`)."""
    node_adder(G)(node, attrs)


def add_edge_fast(G: nx.MultiDiGraph, u: Node, v: Node, attrs: dict[str, Any]) -> int:
    """Add an edge between existing nodes; return its key (one call; loops use
    :data:`edge_adder`)."""
    return edge_adder(G)(u, v, attrs)


def finish(G: nx.MultiDiGraph) -> None:
    """Call once after direct writes: clears the caches networkx keeps of the graph."""
    _clear_cache(G)
