"""graph/analytics.py: rankings, communities, bridges and statistics."""

import networkx as nx
import pytest

from graph import analytics
from graph.errors import UsageError
from graph.load import load_graph


def test_rank_by_degree_counts_every_relation(small_graph):
    top = analytics.rank(small_graph, by="degree", top=3)
    assert [r.score for r in top] == [2.0, 2.0, 2.0]
    assert [r.name for r in top] == sorted((r.name for r in top), key=str.lower)


def test_rank_breaks_ties_by_name():
    G = nx.MultiDiGraph()
    G.add_nodes_from([("b", {"name": "Beta"}), ("a", {"name": "alpha"})])
    G.add_edge("a", "b")
    assert [r.id for r in analytics.rank(G, by="degree")] == ["a", "b"]


def test_betweenness_finds_the_broker():
    G = nx.MultiDiGraph([("a", "hub"), ("b", "hub"), ("hub", "c"), ("hub", "d")])
    assert analytics.rank(G, by="betweenness", top=1)[0].id == "hub"
    assert not analytics.is_sampled(G)


def test_betweenness_is_sampled_on_large_graphs_and_stable():
    G = nx.MultiDiGraph(nx.gnm_random_graph(3100, 4000, seed=1, directed=True))
    assert analytics.is_sampled(G)
    assert analytics.scores(G, "betweenness") == analytics.scores(G, "betweenness")


def test_betweenness_matches_networkx_exactly_on_small_graphs():
    G = nx.MultiDiGraph(nx.gnm_random_graph(120, 300, seed=3, directed=True))
    G.add_edge(0, 1)  # a parallel relation does not count twice
    ours = analytics.scores(G, "betweenness")
    theirs = nx.betweenness_centrality(analytics.undirected_simple(G))
    assert all(abs(ours[n] - theirs[n]) < 1e-9 for n in G)


def test_pagerank_sums_to_one(small_graph):
    assert sum(analytics.scores(small_graph, "pagerank").values()) == pytest.approx(1.0)


def test_an_unknown_measure_or_top_is_a_usage_error(small_graph):
    with pytest.raises(UsageError, match="unknown measure"):
        analytics.rank(small_graph, by="fame")
    with pytest.raises(UsageError):
        analytics.rank(small_graph, top=0)


def test_communities_are_stable_and_cover_every_entity(small_graph):
    first = analytics.communities(small_graph)
    assert first == analytics.communities(small_graph)
    assert sorted(n for group in first for n in group) == sorted(small_graph)
    membership = analytics.community_of(first)
    assert set(membership) == set(small_graph)


def test_two_cliques_joined_by_one_edge_are_two_communities_and_a_bridge():
    G = nx.MultiDiGraph(
        [("a", "b"), ("b", "c"), ("c", "a"), ("x", "y"), ("y", "z"), ("z", "x"), ("c", "x")]
    )
    groups = analytics.communities(G)
    assert sorted(map(sorted, groups)) == [["a", "b", "c"], ["x", "y", "z"]]
    bridges = analytics.bridges(G, groups)
    assert {b["id"] for b in bridges} == {"c", "x"}
    assert all(b["cut_vertex"] and b["communities"] == 2 for b in bridges)


def test_stats_count_types_relations_and_components(small_graph):
    s = analytics.stats(small_graph)
    assert (s["entities"], s["relations"], s["documents"]) == (7, 6, 2)
    assert s["types"] == {"international_org": 1, "law": 1, "ngo": 3, "operation": 1, "tool": 1}
    assert s["relation_types"]["partnered_with"] == 2
    assert (s["components"], s["largest_component"], s["isolated"]) == (1, 7, 0)
    assert s["most_connected"][0]["degree"] == 2


def test_empty_graph_statistics_are_zero():
    s = analytics.stats(nx.MultiDiGraph())
    assert (s["entities"], s["components"], s["most_connected"]) == (0, 0, [])
    assert analytics.communities(nx.MultiDiGraph()) == []


# --- technologies × trafficking stages --------------------------------------------------------


def abuse_graph():
    from tests.conftest import contract_graph

    return contract_graph(
        [
            ("gps", {"name": "GPS tracking", "type": "technology"}),
            ("web", {"name": "Dark web", "type": "technology"}),
            ("ctl", {"name": "Control", "type": "trafficking_stage"}),
            ("osaec", {"name": "OSAEC", "type": "trafficking_form"}),
            ("ngo", {"name": "An NGO", "type": "ngo"}),
        ],
        [
            (
                "gps",
                "ctl",
                {"relation": "abused_for", "evidence": "tracks them", "documents": ["d1"]},
            ),
            (
                "web",
                "ctl",
                {"relation": "abused_for", "evidence": "hides", "documents": ["d1", "d2"]},
            ),
            ("web", "osaec", {"relation": "abused_for", "modality": "hedged"}),
            ("ngo", "gps", {"relation": "reports_abuse_of", "evidence": "not in the matrix"}),
        ],
        documents={"d1": {"title": "Report <one>"}, "d2": {"title": "Op-ed"}},
        schema=load_graph("data").graph["schema"],
    )


def test_abuse_matrix_counts_each_technology_and_stage_pair():
    m = analytics.abuse_matrix(abuse_graph())
    assert m.rows == (("web", "Dark web"), ("gps", "GPS tracking"))
    assert m.columns == (("ctl", "Control"), ("osaec", "OSAEC"))  # stages before forms
    assert [[m.count(r, c) for c, _ in m.columns] for r, _ in m.rows] == [[1, 1], [1, 0]]
    assert [[m.documents(r, c) for c, _ in m.columns] for r, _ in m.rows] == [[2, 0], [1, 0]]


def test_abuse_matrix_cells_carry_quotes_with_document_titles_and_modality():
    m = analytics.abuse_matrix(abuse_graph())
    (hides,) = m.cells[("web", "ctl")]
    assert [(q.document, q.title, q.quote) for q in hides.quotes] == [
        ("d1", "Report <one>", "hides"),
        ("d2", "Op-ed", "hides"),
    ]
    (hedged,) = m.cells[("web", "osaec")]
    assert hedged.sentence == "Dark web may be abused by traffickers for OSAEC"
    assert hedged.quotes == ()


def test_abuse_matrix_on_the_bundled_data_rests_on_quoted_abused_for_relations():
    from graph.citations import quotes

    G = load_graph("data")
    m = analytics.abuse_matrix(G)
    abused = [
        (u, v, k) for u, v, k, d in G.edges(keys=True, data=True) if d["relation"] == "abused_for"
    ]
    assert sum(len(rels) for rels in m.cells.values()) == len(abused)
    assert {G.nodes[r]["type"] for r, _ in m.rows} == {"technology"}
    for (row, column), relations in m.cells.items():
        for relation in relations:
            u, v, key = relation.id.split("|")
            data = G.edges[u, v, int(key)]
            assert (u, v, data["relation"]) == (row, column, "abused_for")
            assert relation.quotes, relation.sentence
            assert [(q.document, q.quote) for q in relation.quotes] == [
                (doc, text) for doc, text, _ in quotes(data)
            ]


def test_explain_says_what_a_measure_means_and_who_leads():
    G = nx.MultiDiGraph([("a", "hub"), ("b", "hub"), ("hub", "c")])
    text = analytics.explain(G, "betweenness")
    assert text.startswith("Betweenness: how often an entity lies on the shortest route")
    assert text.endswith("Here hub leads (1).")
    assert analytics.explain(G, "degree").endswith("Here hub leads (3).")
    assert analytics.explain(G, "community").endswith(
        "Here 1 community; the largest, around hub, holds 4."
    )
    with pytest.raises(UsageError, match="unknown measure"):
        analytics.explain(G, "closeness")
