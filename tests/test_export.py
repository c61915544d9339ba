"""graph/export.py: every format reads back with the same entities, relations and attributes."""

import io
import json
import zipfile

import networkx as nx
import pytest

from graph.errors import UsageError
from graph.export import (FORMATS, csv_files, cypher_string, export_bytes, suggested_filename,
                          write)
from graph.load import load_graph
from graph.query import neighborhood

HOSTILE = "O'Brien said \"hi\" \\ back\nslash; }) DETACH DELETE n //\t<script>é😀\u2028"


def edges_as_set(G):
    return {(u, v, d["relation"], d["evidence"]) for u, v, d in G.edges(data=True)}


def test_csv_folder_reloads_to_the_same_graph(small_graph, tmp_path):
    write(small_graph, "csv", tmp_path / "copy")
    again = load_graph(tmp_path / "copy")
    assert dict(again.nodes(data=True)) == dict(small_graph.nodes(data=True))
    assert sorted(again.edges(keys=True, data=True)) == sorted(
        small_graph.edges(keys=True, data=True))
    assert again.graph["documents"] == small_graph.graph["documents"]


def test_csv_zip_holds_the_dataset_files_and_reloads(small_graph):
    archive = zipfile.ZipFile(io.BytesIO(export_bytes(small_graph, "csv")))
    assert sorted(archive.namelist()) == ["documents.csv", "entities.csv", "relations.csv"]
    again = load_graph({name: archive.read(name) for name in archive.namelist()})
    assert edges_as_set(again) == edges_as_set(small_graph)


def test_csv_round_trip_keeps_extra_columns_custom_types_and_hostile_text(tmp_path):
    G = load_graph({
        "entities.csv": "id,name,type,country,description\n"
                        f"a,\"{HOSTILE.replace(chr(34), chr(34) * 2)}\",hotline,US,x\n"
                        "b,Beta,law,,\"multi\nline\"\n",
        "relations.csv": "source,target,relation,evidence\na,b,advocated_for,\"a, b\"\n",
        "types.csv": "type,label,color,shape\nhotline,Hotline,#112233,star\n"})
    write(G, "csv", tmp_path / "copy")
    again = load_graph(tmp_path / "copy")
    assert dict(again.nodes(data=True)) == dict(G.nodes(data=True))
    assert again.graph["schema"].style("hotline").color == "#112233"


def test_graphml_reads_back_with_the_same_counts_and_attributes(small_graph):
    H = nx.read_graphml(io.BytesIO(export_bytes(small_graph, "graphml")), force_multigraph=True)
    assert (H.number_of_nodes(), H.number_of_edges()) == (7, 6)
    assert H.nodes["pact"]["name"] == "Protect All Children from Trafficking"
    assert H.nodes["pact"]["aliases"] == "PACT"
    assert H.nodes["pact"]["color"] == "#117733"
    assert {d["relation"] for _, _, d in H.edges(data=True)} == {
        "led", "partnered_with", "supported", "runs", "concerns"}


def test_gexf_reads_back_styled_by_type(small_graph):
    H = nx.read_gexf(io.BytesIO(export_bytes(small_graph, "gexf")))
    assert (H.number_of_nodes(), H.number_of_edges()) == (7, 6)
    viz = H.nodes["ncmec"]["viz"]
    assert viz["color"] == {"r": 0x11, "g": 0x77, "b": 0x33, "a": 1.0}
    assert viz["size"] > 8
    assert H.nodes["ncmec"]["type"] == "ngo"


def test_json_is_node_link_data_with_lists_and_documents(small_graph):
    data = json.loads(export_bytes(small_graph, "json"))
    H = nx.node_link_graph(data, edges="edges")
    assert (H.number_of_nodes(), H.number_of_edges()) == (7, 6)
    assert H.nodes["pact"]["documents"] == ["d1", "d2"]
    assert data["graph"]["documents"]["d1"]["title"] == "First article"
    assert data["graph"]["types"]["ngo"]["color"] == "#117733"


def test_cypher_creates_a_labelled_node_per_entity_and_a_typed_relationship_per_relation(
        small_graph):
    script = export_bytes(small_graph, "cypher").decode()
    assert script.count("CREATE (:Entity:") == 7
    assert script.count("]->(t);") == 6
    assert "CREATE (:Entity:`InternationalOrg` {id: 'interpol'" in script
    assert "-[:`PARTNERED_WITH` {" in script


@pytest.mark.parametrize("raw, literal", [
    ("O'Brien", r"'O\'Brien'"),
    ("back\\slash", r"'back\\slash'"),
    ("two\nlines\r", r"'two\nlines\r'"),
    ("tab\there", r"'tab\there'"),
    ("nul\x00bell\x07", r"'nul\u0000bell\u0007'"),
    ("line\u2028sep", r"'line\u2028sep'"),
    ("café 😀 \"quoted\"", "'café 😀 \"quoted\"'"),
])
def test_cypher_strings_escape_quotes_backslashes_newlines_and_controls(raw, literal):
    assert cypher_string(raw) == literal


def test_a_hostile_name_cannot_break_out_of_its_cypher_string():
    G = load_graph({"entities.csv": f"id,name,type\na,\"{HOSTILE.replace(chr(34), chr(34) * 2)}\""
                                    ",ngo\nb,B,law\n",
                    "relations.csv": "source,target,relation\na,b,advocated_for\n"})
    line = [ln for ln in export_bytes(G, "cypher").decode().splitlines() if "id: 'a'" in ln][0]
    assert line.count("\n") == 0
    body = line.split("name: '", 1)[1]
    # the literal ends at the first quote not preceded by a backslash, after the whole name
    end = next(i for i, ch in enumerate(body) if ch == "'" and body[i - 1] != "\\")
    assert "DETACH DELETE" in body[:end] and "😀" in body[:end]


def test_a_subgraph_exports_only_what_it_holds(small_graph):
    H = neighborhood(small_graph, "ipa")
    files = csv_files(H)
    assert files["entities.csv"].count("\n") == 1 + 3
    assert files["relations.csv"].count("\n") == 1 + 2


def test_an_unknown_format_is_a_usage_error(small_graph):
    with pytest.raises(UsageError, match="unknown format 'pdf'"):
        export_bytes(small_graph, "pdf")


def test_every_format_has_a_file_name_that_says_what_it_holds(small_graph):
    names = {fmt: suggested_filename(small_graph, fmt, "focus ncmec") for fmt in FORMATS}
    assert names["csv"] == "small_focus-ncmec_7-entities.zip"
    assert names["gexf"].endswith(".gexf") and names["html"].endswith(".html")
