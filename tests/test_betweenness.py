"""graph/betweenness.py: Brandes' betweenness by sparse products, equal to networkx's."""

import networkx as nx

from graph.analytics import undirected_simple
from graph.betweenness import SAMPLE_ABOVE, betweenness


def test_it_matches_networkx_with_parallel_edges_self_loops_and_isolated_nodes():
    G = nx.MultiDiGraph(nx.gnm_random_graph(80, 160, seed=3, directed=True))
    G.add_edges_from([(1, 2), (2, 1), (4, 4)])
    G.add_node("alone")
    expected = nx.betweenness_centrality(undirected_simple(G))
    got = betweenness(G)
    assert max(abs(got[n] - expected[n]) for n in G) < 1e-12


def test_tiny_graphs_score_zero():
    assert betweenness(nx.MultiDiGraph([("a", "b")])) == {"a": 0.0, "b": 0.0}


def test_large_graphs_are_sampled_with_a_fixed_seed_close_to_exact():
    G = nx.MultiDiGraph(nx.barabasi_albert_graph(SAMPLE_ABOVE + 200, 2, seed=5))
    first, second = betweenness(G), betweenness(G)
    assert first == second
    hub = max(G.degree, key=lambda item: item[1])[0]
    assert max(first, key=first.get) == hub
