"""graph/query.py: subgraphs by filter, neighbourhoods, paths and entity details."""

import networkx as nx
import pytest

from graph.errors import EntityNotFound, UsageError
from graph.query import (
    entity_details,
    filter_graph,
    find_paths,
    induced,
    neighborhood,
    relations_of,
)

# --- filters ---------------------------------------------------------------------------------


def test_no_filter_returns_the_graph_itself(small_graph):
    assert filter_graph(small_graph) is small_graph


def test_a_type_filter_keeps_those_entities_and_the_relations_among_them(small_graph):
    H = filter_graph(small_graph, types=["ngo"])
    assert sorted(H) == ["ipa", "ncmec", "pact"]
    assert sorted((u, v) for u, v in H.edges()) == [("ncmec", "ipa"), ("pact", "ipa")]
    assert H.graph["schema"] is small_graph.graph["schema"]


def test_a_relation_filter_keeps_those_relations_and_only_the_entities_they_join(small_graph):
    H = filter_graph(small_graph, relations=["partnered_with"])
    assert sorted(H) == ["interpol", "ipa", "pact"]
    assert {d["relation"] for _, _, d in H.edges(data=True)} == {"partnered_with"}


def test_a_document_filter_keeps_what_the_documents_support(small_graph):
    H = filter_graph(small_graph, documents=["d1"])
    assert sorted(H) == ["interpol", "ipa", "operation_synergia", "pact"]
    assert all("d1" in d["documents"] for _, _, d in H.edges(data=True))


def test_a_date_range_drops_what_is_dated_outside_it_and_keeps_the_undated(small_graph):
    H = filter_graph(small_graph, date_from="2024")
    assert "operation_synergia" not in H and "report_act" in H and "pact" in H
    assert not H.has_edge("interpol", "operation_synergia")
    strict = filter_graph(small_graph, date_from="2024-05", date_to="2024-05", keep_undated=False)
    assert sorted(strict) == ["report_act"]


def test_filters_combine(small_graph):
    H = filter_graph(small_graph, types=["ngo", "tool"], relations=["runs"])
    assert sorted(H) == ["cybertipline", "ncmec"]


def test_a_bad_date_range_is_a_usage_error(small_graph):
    with pytest.raises(UsageError, match="empty"):
        filter_graph(small_graph, date_from="2025", date_to="2024")
    with pytest.raises(UsageError, match="YYYY"):
        filter_graph(small_graph, date_from="May")


# --- neighbourhoods ----------------------------------------------------------------------------


def test_neighbourhood_depth_and_direction(small_graph):
    assert sorted(neighborhood(small_graph, "ipa")) == ["ipa", "ncmec", "pact"]
    assert sorted(neighborhood(small_graph, "ipa", depth=2)) == [
        "cybertipline",
        "interpol",
        "ipa",
        "ncmec",
        "pact",
    ]
    assert sorted(neighborhood(small_graph, "ipa", depth=3, direction="out")) == ["ipa"]
    assert sorted(neighborhood(small_graph, "pact", depth=2, direction="out")) == [
        "interpol",
        "ipa",
        "operation_synergia",
        "pact",
    ]
    assert list(neighborhood(small_graph, "ipa", depth=0)) == ["ipa"]


def test_neighbourhood_keeps_every_relation_among_its_entities(small_graph):
    H = neighborhood(small_graph, "ncmec", depth=1)
    assert H.number_of_edges() == 2


def test_neighbourhood_of_an_unknown_entity_or_bad_direction_raises(small_graph):
    with pytest.raises(EntityNotFound):
        neighborhood(small_graph, "nobody")
    with pytest.raises(UsageError, match="direction"):
        neighborhood(small_graph, "ipa", direction="sideways")


# --- paths -------------------------------------------------------------------------------------


def test_a_path_ignores_direction_and_tells_each_hop_with_its_evidence(small_graph):
    [path] = find_paths(small_graph, "pact", "ncmec")
    assert path.nodes == ["pact", "ipa", "ncmec"]
    assert path.sentences(small_graph) == [
        "Protect All Children from Trafficking partnered with Innocence Protection Alliance",
        "National Center for Missing & Exploited Children supported Innocence Protection Alliance",
    ]
    assert path.hops[1].evidence == "NCMEC supports IPA"
    assert path.hops[1].documents == ("d2",)


def test_paths_are_the_k_shortest_and_respect_max_hops():
    G = nx.MultiDiGraph()
    G.graph["schema"] = None
    for u, v in [
        ("a", "b"),
        ("b", "z"),
        ("a", "c"),
        ("c", "d"),
        ("d", "z"),
        ("a", "e"),
        ("e", "f"),
        ("f", "g"),
        ("g", "z"),
    ]:
        G.add_edge(u, v, relation="r", evidence="", documents=[])
    found = find_paths(G, "a", "z", k=5, max_hops=3)
    assert [p.nodes for p in found] == [["a", "b", "z"], ["a", "c", "d", "z"]]
    assert len(find_paths(G, "a", "z", k=5, max_hops=4)) == 3
    assert find_paths(G, "a", "z", k=1)[0].nodes == ["a", "b", "z"]


def test_no_path_within_the_hops_gives_an_empty_list(small_graph):
    assert find_paths(small_graph, "operation_synergia", "report_act", max_hops=2) == []
    assert len(find_paths(small_graph, "operation_synergia", "report_act", max_hops=6)) == 1


def test_path_arguments_are_checked(small_graph):
    with pytest.raises(EntityNotFound):
        find_paths(small_graph, "pact", "nobody")
    with pytest.raises(UsageError):
        find_paths(small_graph, "pact", "ipa", k=0)


# --- details -----------------------------------------------------------------------------------


def test_entity_details_name_the_type_the_documents_and_every_relation(small_graph):
    details = entity_details(small_graph, "ncmec")
    assert details["type_label"] == "NGO"
    assert details["documents"] == [
        {
            "id": "d2",
            "title": "Second article",
            "publisher": "Publisher Two",
            "author": "",
            "date": "2024",
            "kind": "blog post",
            "url": "",
        }
    ]
    assert [r["sentence"] for r in details["relations"]] == [
        "National Center for Missing & Exploited Children supported Innocence Protection Alliance",
        "National Center for Missing & Exploited Children runs CyberTipline",
    ]


def test_relations_of_lists_outgoing_then_incoming(small_graph):
    rels = relations_of(small_graph, "cybertipline")
    assert [(r["direction"], r["other"], r["relation"]) for r in rels] == [
        ("in", "ncmec", "runs"),
        ("in", "report_act", "concerns"),
    ]
    assert rels[1]["date"] == "2024"


def test_a_neighbourhood_lists_the_entity_first_then_each_ring_outwards():
    G = nx.MultiDiGraph([("a", "b"), ("b", "c"), ("d", "a"), ("x", "y")])
    assert list(neighborhood(G, "a", depth=2)) == ["a", "b", "d", "c"]


def test_induced_keeps_the_graph_s_order_unless_told_to_keep_the_given_one():
    G = nx.MultiDiGraph([("a", "b"), ("b", "c")])
    assert list(induced(G, ["c", "a"])) == ["a", "c"]
    assert list(induced(G, ["c", "a", "zz"], in_given_order=True)) == ["c", "a"]


# --- provenance: filters by corroboration and modality, relation details (issue 11) ---------


@pytest.fixture
def cited_graph():
    from graph.load import load_graph

    return load_graph(
        {
            "entities.csv": "id,name,type\nact,EARN IT Act,law\nbody,Commission,agency\n"
            "ipa,IPA,ngo\nlab,Lab,research\nuni,University,research\n",
            "relations.csv": "id,source,target,relation,modality,evidence,documents\n"
            "r1,act,body,establishes,proposed,create a commission,d1\n"
            "r2,ipa,act,advocates_for,,IPA backs it,d1|d2\n"
            "r3,lab,uni,part_of,inferred,the University Lab,d3\n",
            "documents.csv": "id,title\nd1,Op-ed\nd2,Article\nd3,Post\n",
            "citations.csv": "relation,document,quote\nr1,d3,would set up a commission\n",
        }
    )


def test_a_corroboration_filter_keeps_relations_cited_by_enough_documents(cited_graph):
    assert sorted(filter_graph(cited_graph, min_sources=2).edges()) == [
        ("act", "body"),
        ("ipa", "act"),
    ]
    assert sorted(filter_graph(cited_graph, min_sources=3)) == []


def test_a_modality_filter_keeps_relations_worded_so(cited_graph):
    assert sorted(filter_graph(cited_graph, modalities=["proposed", "inferred"]).edges()) == [
        ("act", "body"),
        ("lab", "uni"),
    ]
    with pytest.raises(UsageError, match="modalities must be among"):
        filter_graph(cited_graph, modalities=["maybe"])


def test_a_document_filter_sees_the_documents_of_citations(cited_graph):
    assert sorted(filter_graph(cited_graph, documents=["d3"]).edges()) == [
        ("act", "body"),
        ("lab", "uni"),
    ]


def test_relation_details_carry_modality_citations_and_corroboration(cited_graph):
    [told] = [r for r in relations_of(cited_graph, "act") if r["relation"] == "establishes"]
    assert told["sentence"] == "EARN IT Act would establish Commission"
    assert told["modality"] == "proposed" and told["modality_note"].startswith("proposed:")
    assert told["citations"] == [
        {"document": "d3", "quote": "would set up a commission", "locator": ""}
    ]
    assert told["sources"] == ["d1", "d3"] and told["corroboration"] == 2
    [inferred] = relations_of(cited_graph, "lab")
    assert inferred["sentence"] == "Lab is part of University (inferred)"


def test_a_path_tells_each_hop_in_its_modality(cited_graph):
    [path] = find_paths(cited_graph, "ipa", "body")
    assert path.sentences(cited_graph) == [
        "IPA advocated for EARN IT Act",
        "EARN IT Act would establish Commission",
    ]
    assert [hop.corroboration for hop in path.hops] == [2, 2]
