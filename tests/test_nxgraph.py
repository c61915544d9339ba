"""graph/_nxgraph.py: writing into networkx's private dicts builds the graph the public API
builds, and a networkx that stores graphs differently is noticed, not corrupted."""

from __future__ import annotations

import csv
import subprocess
import sys
from collections import Counter
from pathlib import Path

import networkx as nx
import pytest

from graph import _nxgraph
from graph._nxgraph import (
    add_edge_fast,
    add_node_fast,
    edge_adder,
    finish,
    internals_problem,
    isolated,
    node_adder,
)
from graph.load import load_graph

ROOT = Path(__file__).resolve().parent.parent

NODES = [
    ("a", {"name": "A", "type": "ngo"}),
    ("é_ü", {"name": "Ünïcode", "type": "law"}),
    ("日本", {"name": "Japan", "type": "place"}),
    ("lonely", {"name": "No edges"}),
    ("bare", {}),
]
EDGES = [
    ("a", "é_ü", {"relation": "led"}),
    ("a", "é_ü", {"relation": "supported"}),  # parallel: key 1
    ("a", "é_ü", {"relation": "led"}),  # parallel and identical: key 2
    ("é_ü", "a", {"relation": "answered"}),  # the way back: its own key dict
    ("日本", "日本", {"relation": "is_part_of"}),  # self-loop
    ("日本", "日本", {}),  # a second self-loop
    ("é_ü", "日本", {"relation": "funded", "extra": "x"}),
]


def built_publicly() -> nx.MultiDiGraph:
    G = nx.MultiDiGraph()
    G.add_nodes_from((node, dict(attrs)) for node, attrs in NODES)
    G.add_edges_from((u, v, dict(attrs)) for u, v, attrs in EDGES)
    return G


def built_fast() -> tuple[nx.MultiDiGraph, list[int]]:
    """As the loader builds: one adder per graph, called per row."""
    G = nx.MultiDiGraph()
    add_node, add_edge = node_adder(G), edge_adder(G)
    for node, attrs in NODES:
        add_node(node, dict(attrs))
    keys = [add_edge(u, v, dict(attrs)) for u, v, attrs in EDGES]
    finish(G)
    return G, keys


def nested(adjacency) -> dict:
    """An adjacency view as plain dicts: {u: {v: {key: attrs}}}, in order."""
    return {
        u: {v: {k: dict(d) for k, d in keyed.items()} for v, keyed in nbrs.items()}
        for u, nbrs in adjacency.items()
    }


def assert_same(G: nx.MultiDiGraph, H: nx.MultiDiGraph) -> None:
    assert list(G.nodes(data=True)) == list(H.nodes(data=True))
    assert list(G.edges(keys=True, data=True)) == list(H.edges(keys=True, data=True))
    assert list(G.in_edges(keys=True, data=True)) == list(H.in_edges(keys=True, data=True))
    for view in ("adj", "succ", "pred"):
        assert nested(getattr(G, view)) == nested(getattr(H, view)), view
    assert list(G.in_degree()) == list(H.in_degree())
    assert list(G.out_degree()) == list(H.out_degree())
    assert list(G.degree()) == list(H.degree())
    for u in G:
        for v in G:
            assert G.number_of_edges(u, v) == H.number_of_edges(u, v), (u, v)
            assert G.has_edge(u, v) == H.has_edge(u, v)
    assert G.number_of_edges() == H.number_of_edges()
    assert list(nx.selfloop_edges(G, keys=True)) == list(nx.selfloop_edges(H, keys=True))
    assert list(nx.isolates(G)) == list(nx.isolates(H)) == list(isolated(G))


def test_direct_writes_build_the_graph_add_edges_from_builds():
    G, keys = built_fast()
    H = built_publicly()
    assert keys == [0, 1, 2, 0, 0, 1, 0]
    assert_same(G, H)
    assert list(isolated(G)) == ["lonely", "bare"]


def test_subgraph_views_copies_and_reversed_views_behave_the_same():
    G, _ = built_fast()
    H = built_publicly()
    part = ["a", "é_ü", "lonely"]
    assert_same(G.subgraph(part), H.subgraph(part))
    assert_same(
        G.edge_subgraph([("a", "é_ü", 1), ("日本", "日本", 0)]),
        H.edge_subgraph([("a", "é_ü", 1), ("日本", "日本", 0)]),
    )
    assert_same(G.copy(), H.copy())
    assert_same(G.reverse(copy=False), H.reverse(copy=False))
    assert_same(nx.MultiDiGraph(G), nx.MultiDiGraph(H))
    copy = G.copy()  # a copy is independent of what it was copied from
    copy.add_edge("a", "é_ü", relation="later")
    copy.nodes["a"]["name"] = "Changed"
    assert G.number_of_edges("a", "é_ü") == 3 and G.nodes["a"]["name"] == "A"


def test_a_fast_graph_takes_later_public_changes_like_any_graph():
    G, _ = built_fast()
    H = built_publicly()
    for graph in (G, H):
        assert graph.add_edge("a", "é_ü") == 3
        graph.remove_edge("a", "é_ü", key=1)
        graph.add_edge("lonely", "a", relation="joined")
        graph.remove_node("bare")
    assert add_edge_fast(G, "a", "é_ü", {"relation": "again"}) == H.add_edge(
        "a", "é_ü", relation="again"
    )  # the key add_edge picks: 1 is free again
    finish(G)
    assert_same(G, H)


def test_the_attribute_dicts_are_kept_not_copied():
    G = nx.MultiDiGraph()
    node_attrs, edge_attrs = {"name": "A"}, {"relation": "led"}
    add_node_fast(G, "a", node_attrs)
    add_node_fast(G, "b", {})
    add_edge_fast(G, "a", "b", edge_attrs)
    assert G.nodes["a"] is node_attrs and G.edges["a", "b", 0] is edge_attrs
    assert G._succ["a"]["b"] is G._pred["b"]["a"]  # one key dict for both directions


def test_finish_clears_what_networkx_cached_of_the_graph():
    G, _ = built_fast()
    G.__networkx_cache__["stale"] = "value"  # as a backend conversion would leave it
    add_node_fast(G, "new", {})
    finish(G)
    assert "stale" not in G.__networkx_cache__


def test_the_loader_builds_the_bundled_dataset_as_add_edges_from_would():
    G = load_graph(ROOT / "data")
    with (ROOT / "data" / "relations.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = [(row["source"].strip(), row["target"].strip()) for row in csv.DictReader(handle)]
    H = nx.MultiDiGraph()  # in file order, as the loader adds them, so _pred's order matches
    H.add_nodes_from((node, dict(attrs)) for node, attrs in G.nodes(data=True))
    seen: Counter = Counter()
    for u, v in rows:
        H.add_edge(u, v, **G.edges[u, v, seen[u, v]])
        seen[u, v] += 1
    assert_same(G, H)


# --- a networkx that stores graphs differently ---------------------------------------------------


def test_the_installed_networkx_passes_the_check():
    assert internals_problem() is None and _nxgraph.FAST and _nxgraph.PROBLEM is None


class RenamedPred(nx.MultiDiGraph):
    """As if a release renamed ``_pred``: its own methods use the new name."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._predecessors = self.__dict__.pop("_pred")


class KeyDict(dict):
    """As if a release kept parallel edges in its own mapping type."""


class OwnKeyDicts(nx.MultiDiGraph):
    edge_key_dict_factory = KeyDict


class OwnAttrDicts(nx.MultiDiGraph):
    edge_attr_dict_factory = KeyDict


class SeparateSucc(nx.MultiDiGraph):
    """As if a release no longer kept ``_adj`` and ``_succ`` as one dict."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.__dict__["_succ"] = {}


class SeparateKeyDicts(nx.MultiDiGraph):
    """As if ``add_edge`` gave each direction its own key dict."""

    def add_edge(self, u, v, key=None, **attr):
        key = super().add_edge(u, v, key, **attr)
        self._pred[v][u] = dict(self._pred[v][u])
        return key


@pytest.mark.parametrize(
    "graph_class, reason",
    [
        (RenamedPred, "has no _pred dict"),
        (OwnKeyDicts, "the edge keys are a KeyDict, not a dict"),
        (OwnAttrDicts, "the edge attributes are a KeyDict, not a dict"),
        (SeparateSucc, "_adj and _succ are not one dict"),
        (SeparateKeyDicts, "_succ[u][v] and _pred[v][u] are not one key dict"),
    ],
)
def test_a_changed_storage_is_detected_with_its_reason(graph_class, reason):
    assert reason in internals_problem(graph_class)


def test_a_changed_networkx_falls_back_to_the_public_api_with_a_warning():
    """In a fresh interpreter whose networkx keeps edge keys in its own mapping type."""
    script = """
import warnings
import networkx as nx

class KeyDict(dict):
    pass

nx.MultiDiGraph.edge_key_dict_factory = KeyDict   # a "release" that stores graphs differently
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    from graph import _nxgraph
    from graph.load import load_graph
assert not _nxgraph.FAST and "edge keys are a KeyDict" in _nxgraph.PROBLEM
assert _nxgraph.edge_adder is _nxgraph._public_edge_adder
assert _nxgraph.node_adder is _nxgraph._public_node_adder
[warning] = [w for w in caught if issubclass(w.category, RuntimeWarning)]
print(warning.message)
G = load_graph("data")
assert all(type(keyed) is KeyDict for nbrs in G._succ.values() for keyed in nbrs.values())
del nx.MultiDiGraph.edge_key_dict_factory   # compare with the stock storage
H = load_graph("data")
assert list(G.nodes(data=True)) == list(H.nodes(data=True))
assert list(G.edges(keys=True, data=True)) == list(H.edges(keys=True, data=True))
assert [str(w) for w in G.graph["warnings"]] == [str(w) for w in H.graph["warnings"]]
print("same graph", G.number_of_nodes(), G.number_of_edges())
"""
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    first, second = out.stdout.splitlines()
    assert first.startswith(
        f"graph._nxgraph: networkx {nx.__version__} stores graphs "
        "differently than the versions this was checked against"
    )
    assert "loading uses the public add_node/add_edge instead" in first
    assert second.startswith("same graph")


def test_the_public_fallback_builds_the_same_graph():
    G = nx.MultiDiGraph()
    add_node, add_edge = _nxgraph._public_node_adder(G), _nxgraph._public_edge_adder(G)
    for node, attrs in NODES:
        add_node(node, dict(attrs))
    keys = [add_edge(u, v, dict(attrs)) for u, v, attrs in EDGES]
    assert keys == [0, 1, 2, 0, 0, 1, 0]
    assert_same(G, built_publicly())
    assert list(_nxgraph._public_isolated(G)) == ["lonely", "bare"]
