"""graph/citations.py: relation ids, modality, citations, corroboration and declared types,
checked by the loader and carried by every export."""

from __future__ import annotations

import io
import json

import networkx as nx
import pytest

from graph import citations
from graph.errors import DataError
from graph.export import export_bytes, write
from graph.load import load_graph

ENTITIES = "id,name,type\nact,EARN IT Act,law\nbody,Commission,agency\nipa,IPA,ngo\n"
RELATIONS = (
    "id,source,target,relation,modality,evidence,documents\n"
    "r1,act,body,establishes,proposed,create a commission,d1\n"
    "r2,ipa,act,advocates_for,,IPA backs it,d1|d2\n"
)
DOCUMENTS = "id,title\nd1,Op-ed\nd2,Article\nd3,Post\n"
CITATIONS = "relation,document,quote,locator\nr1,d2,would set up a commission,paragraph 4\n"


def dataset(**changes: str) -> dict[str, str]:
    files = {
        "entities.csv": ENTITIES,
        "relations.csv": RELATIONS,
        "documents.csv": DOCUMENTS,
        "citations.csv": CITATIONS,
    }
    files.update(changes)
    return {name: text for name, text in files.items() if text is not None}


def problems(**changes: str) -> list[str]:
    with pytest.raises(DataError) as caught:
        load_graph(dataset(**changes))
    return [str(p) for p in caught.value.problems]


def test_citations_attach_to_their_relation_and_count_as_corroboration():
    G = load_graph(dataset())
    proposed = G.edges["act", "body", 0]
    assert citations.citations_of(proposed) == (
        citations.Citation("d2", "would set up a commission", "paragraph 4"),
    )
    assert proposed["corroboration"] == 2 and citations.sources(proposed) == ["d1", "d2"]
    assert citations.modality(proposed) == "proposed"
    backed = G.edges["ipa", "act", 0]
    assert backed["corroboration"] == 2 and citations.modality(backed) == "stated"
    assert G.graph["warnings"] == []


def test_citation_problems_name_file_line_and_what_is_wrong():
    assert problems(
        **{
            "citations.csv": "relation,document,quote\n"
            "r9,d2,q\n"  # no such relation
            "r1,d9,q\n"  # no such document
            "r1,d1,q\n"  # d1 is the row's own document
            "r1,d3,q\n"
            "r1,d3,again\n"  # twice the same document
            "r1,d2,\n"  # no quote
        }
    ) == [
        "citations.csv:2: relation 'r9' is not the id of a relation in relations.csv",
        "citations.csv:3: unknown document id 'd9' (not in documents.csv)",
        "citations.csv:4: relation 'r1' already cites document 'd1' in relations.csv (its "
        "evidence stands there); a citation adds another document",
        "citations.csv:6: duplicate citation of document 'd3' for relation 'r1' (first on line 5)",
        "citations.csv:7: empty quote",
    ]


def test_citations_need_relation_ids():
    relations = "source,target,relation,evidence,documents\nact,body,establishes,x,d1\n"
    assert problems(**{"relations.csv": relations}) == [
        "citations.csv:2: relation 'r1' is not the id of a relation in relations.csv "
        "(relations.csv has no id column)"
    ]
    assert problems(**{"citations.csv": "relation,document\nr1,d2\n"}) == [
        "citations.csv:1: missing required column 'quote' (header has: relation, document)"
    ]


def test_relation_ids_and_modalities_are_checked_by_line():
    relations = (
        "id,source,target,relation,modality\n"
        "r1,act,body,establishes,proposed\n"
        "r1,ipa,act,advocates_for,\n"
        "R 3,ipa,body,partnered_with,maybe\n"
    )
    assert problems(**{"relations.csv": relations, "citations.csv": None}) == [
        "relations.csv:3: duplicate relation id 'r1' (first on line 2)",
        "relations.csv:4: relation id 'R 3' may hold only lower-case letters, digits and "
        "underscores",
        "relations.csv:4: modality 'maybe' is not one of stated, proposed, hedged, inferred "
        "(empty means stated)",
    ]


def test_a_relation_joining_types_its_declaration_does_not_allow_is_an_error():
    relations = "source,target,relation\nbody,act,passed\nipa,act,passed\nact,act,abused_for\n"
    assert problems(**{"relations.csv": relations, "citations.csv": None}) == [
        "relations.csv:3: relation 'passed' cannot join ipa (ngo) to act (law): its source must "
        "be agency (graph/relation_types.toml)",
        "relations.csv:4: relation 'abused_for' cannot join act (law) to act (law): its source "
        "must be technology and its target must be trafficking_stage, trafficking_form "
        "(graph/relation_types.toml)",
    ]


def test_an_undeclared_relation_is_unchecked_with_one_warning():
    relations = "source,target,relation\nipa,act,lobbies\nipa,body,lobbies\nipa,act,supported\n"
    G = load_graph(dataset(**{"relations.csv": relations, "citations.csv": None}))
    assert [str(w) for w in G.graph["warnings"]] == [
        "relations.csv:2: relation 'lobbies' declares no source and target types "
        "(graph/relation_types.toml), so the types it joins are not checked"
    ]


def test_a_graph_built_in_code_has_provenance_too():
    data = {"documents": ("a", "b", "a"), "modality": "nonsense"}
    assert citations.corroboration(data) == 2
    assert citations.modality(data) == "stated"
    assert list(citations.quotes({"evidence": "q", "documents": ("a",)})) == [("a", "q", "")]


# --- every export carries modality, corroboration and citations ----------------------------


@pytest.fixture(scope="module")
def graph() -> nx.MultiDiGraph:
    return load_graph(dataset())


def test_csv_export_writes_citations_and_reloads_the_same_provenance(graph, tmp_path):
    write(graph, "csv", tmp_path / "copy.zip")
    again = load_graph(tmp_path / "copy.zip")
    for u, v, k, data in graph.edges(keys=True, data=True):
        copy = again.edges[u, v, k]
        assert citations.modality(copy) == citations.modality(data)
        assert citations.citations_of(copy) == citations.citations_of(data)
        assert copy["corroboration"] == data["corroboration"]


def test_graphml_and_gexf_carry_provenance_as_properties(graph):
    for fmt, read in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        H = read(io.BytesIO(export_bytes(graph, fmt)))
        edges = {(u, v): d for u, v, d in H.edges(data=True)}
        proposed = edges[("act", "body")]
        assert proposed["modality"] == "proposed", fmt
        assert proposed["label"] == "would establish", fmt
        assert int(proposed["corroboration"]) == 2, fmt
        assert json.loads(proposed["citations"])[0]["document"] == "d2", fmt
        assert edges[("ipa", "act")]["modality"] == "stated", fmt


def test_json_and_cypher_carry_provenance(graph):
    data = json.loads(export_bytes(graph, "json"))
    proposed = next(e for e in data["edges"] if e["relation"] == "establishes")
    assert proposed["modality"] == "proposed" and proposed["corroboration"] == 2
    assert proposed["citations"] == [
        {"document": "d2", "quote": "would set up a commission", "locator": "paragraph 4"}
    ]
    script = export_bytes(graph, "cypher").decode()
    line = next(s for s in script.splitlines() if "ESTABLISHES" in s)
    assert "modality: 'proposed'" in line and "corroboration: 2" in line
    assert "citation_documents: ['d2']" in line
    assert "citation_quotes: ['would set up a commission']" in line
