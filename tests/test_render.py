"""What graph.render promises: drawing data for vis-network and a self-contained HTML export."""

from __future__ import annotations

import json
import math
import random
import re
from pathlib import Path

import networkx as nx
import pytest

from graph import render
from graph.render import (COMMUNITY_PALETTE, LAYOUTS, compute_layout, kg_view_css, kg_view_js,
                          standalone_html, vis_data, vis_network_js)
from graph.schema import FALLBACK_COLOR, FALLBACK_SHAPE, default_schema

from .conftest import contract_graph

DOCUMENTS = {
    "d1": {"title": "Synergia results", "publisher": "INTERPOL", "author": "", "date": "2024",
           "url": "https://example.org/synergia", "kind": "press release"},
    "d2": {"title": "Annual report", "publisher": "Polaris", "author": "", "date": "2023",
           "url": "javascript:alert(1)", "kind": "report"},
}


def make_graph(nodes, edges, *, documents=None, schema=None, name="Test") -> nx.MultiDiGraph:
    """A graph in the graph.load contract shape (documents default to this module's)."""
    return contract_graph(nodes, edges, documents=DOCUMENTS if documents is None else documents,
                          schema=schema, name=name)


def small() -> nx.MultiDiGraph:
    return make_graph(
        [("interpol", {"name": "INTERPOL", "type": "international_org",
                       "aliases": ["ICPO"], "description": "Police co-operation body.",
                       "documents": ["d1"]}),
         ("synergia", {"name": "Operation Synergia", "type": "operation"}),
         ("polaris", {"name": "Polaris", "type": "ngo", "documents": ["d2", "missing"]}),
         ("odd", {"name": "Odd one", "type": "mystery_thing"})],
        [("interpol", "synergia", {"relation": "led", "evidence": "INTERPOL led it.",
                                   "documents": ["d1"]}),
         ("interpol", "synergia", {"relation": "published", "evidence": "It announced it."}),
         ("synergia", "interpol", {"relation": "supported"}),
         ("polaris", "interpol", {"relation": "supported", "evidence": "Shared data."})])


def random_graph(n: int, m: int, seed: int = 1) -> nx.MultiDiGraph:
    """A contract-shaped random graph with realistic text lengths."""
    rng = random.Random(seed)
    types = default_schema().type_ids()
    words = ("trafficking technology platform report agency hotline network data victims "
             "operation support analysis online recruitment screening").split()

    def text(k: int) -> str:
        return " ".join(rng.choice(words) for _ in range(k))

    documents = {f"doc{i}": {"title": text(6).title(), "publisher": text(2).title(),
                             "author": "", "date": "2024-01-01",
                             "url": f"https://example.org/{i}", "kind": "report"}
                 for i in range(40)}
    nodes = [(f"e{i}", {"name": text(3).title(), "type": rng.choice(types),
                        "aliases": [text(2)], "description": text(20),
                        "documents": rng.sample(sorted(documents), 2)}) for i in range(n)]
    edges = []
    for _ in range(m):
        u, v = rng.sample(range(n), 2)
        edges.append((f"e{u}", f"e{v}", {"relation": rng.choice(["led", "supported", "runs"]),
                                         "evidence": text(25),
                                         "documents": rng.sample(sorted(documents), 1)}))
    return make_graph(nodes, edges, documents=documents)


def by_id(items):
    return {item["id"]: item for item in items}


# --- layouts -------------------------------------------------------------------------------

@pytest.mark.parametrize("layout", LAYOUTS)
def test_positions_cover_every_node_and_repeat_for_the_same_seed(layout):
    G = random_graph(120, 150)
    first = compute_layout(G, layout, seed=3)
    assert set(first) == set(G.nodes)
    assert all(math.isfinite(x) and math.isfinite(y) for x, y in first.values())
    assert compute_layout(G, layout, seed=3) == first


def test_force_layout_changes_with_the_seed():
    G = random_graph(60, 80)
    assert compute_layout(G, "force", seed=1) != compute_layout(G, "force", seed=2)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_empty_graph_has_no_positions_and_one_node_sits_at_the_origin(layout):
    assert compute_layout(nx.MultiDiGraph(), layout) == {}
    assert compute_layout(make_graph([("a", {})], []), layout) == {"a": (0.0, 0.0)}


def test_unknown_layout_is_refused():
    with pytest.raises(ValueError, match="unknown layout"):
        compute_layout(small(), "circular")


@pytest.mark.parametrize("n", [150, 900])  # exact repulsion and the FFT grid
def test_force_layout_keeps_nodes_apart_in_pixel_units(n):
    G = random_graph(n, int(n * 1.3))
    pos = compute_layout(G, "force")
    xy = list(pos.values())
    nearest = [min(math.dist(p, q) for j, q in enumerate(xy) if j != i)
               for i, p in enumerate(xy)]
    assert min(nearest) > 40          # default dots (radius 16) never overlap
    median = sorted(nearest)[len(nearest) // 2]
    assert 60 < median < 200          # spread at a drawing scale, not squashed or exploded


@pytest.mark.parametrize("layout", LAYOUTS)
def test_shapes_that_hold_long_labels_get_more_room(layout):
    long_name = "National Human Trafficking Hotline data platform"
    G = make_graph([(f"t{i}", {"type": "tool", "name": f"{long_name} {i}"}) for i in range(12)]
                   + [(f"n{i}", {"type": "ngo"}) for i in range(12)],
                   [(f"t{i}", f"t{(i + 1) % 12}", {}) for i in range(12)]
                   + [(f"n{i}", f"t{i}", {}) for i in range(12)])
    pos = compute_layout(G, layout)
    boxes = [pos[f"t{i}"] for i in range(12)]
    closest_boxes = min(math.dist(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:])
    assert closest_boxes > 150        # a wrapped 170 px label box does not cover its neighbour


def test_force_layout_pulls_neighbours_together():
    # Two dense clusters joined by one edge: within-cluster distances are the short ones.
    G = make_graph([(f"a{i}", {}) for i in range(10)] + [(f"b{i}", {}) for i in range(10)],
                   [(f"a{i}", f"a{j}", {}) for i in range(10) for j in range(i + 1, 10)]
                   + [(f"b{i}", f"b{j}", {}) for i in range(10) for j in range(i + 1, 10)]
                   + [("a0", "b0", {})])
    pos = compute_layout(G, "force")
    inside = math.dist(pos["a1"], pos["a2"]) + math.dist(pos["b1"], pos["b2"])
    across = math.dist(pos["a1"], pos["b1"]) + math.dist(pos["a2"], pos["b2"])
    assert inside < across


def test_force_layout_of_1500_nodes_spreads_every_node_apart():
    # Speed is measured in bench/bench_render.py, never asserted here.
    G = random_graph(1500, 2000)
    pos = compute_layout(G, "force")
    assert set(pos) == set(G)
    assert len({(round(x), round(y)) for x, y in pos.values()}) == len(G)


def test_hierarchical_layers_follow_distance_from_the_hub():
    G = make_graph([(x, {}) for x in "habcdz"],
                   [("h", "a", {}), ("h", "b", {}), ("h", "c", {}), ("c", "d", {})])
    pos = compute_layout(G, "hierarchical")
    y = {node: p[1] for node, p in pos.items()}
    assert y["h"] < y["a"] == y["b"] == y["c"] < y["d"]
    assert pos["a"][0] != pos["b"][0]


def test_type_layout_groups_each_type_together():
    G = random_graph(150, 100)
    pos = compute_layout(G, "type")
    groups: dict[str, list] = {}
    for node, attrs in G.nodes(data=True):
        groups.setdefault(attrs["type"], []).append(pos[node])
    centres = {t: (sum(p[0] for p in ps) / len(ps), sum(p[1] for p in ps) / len(ps))
               for t, ps in groups.items()}
    for t, ps in groups.items():
        for p in ps:
            nearest = min(centres, key=lambda c: math.dist(p, centres[c]))
            assert nearest == t


# --- nodes ---------------------------------------------------------------------------------

def test_node_colour_and_shape_come_from_the_schema():
    nodes = by_id(vis_data(small())["nodes"])
    schema = default_schema()
    for node_id, type_id in [("interpol", "international_org"), ("synergia", "operation"),
                             ("polaris", "ngo")]:
        assert nodes[node_id]["shape"] == schema.entity_types[type_id].shape
        assert nodes[node_id]["color"]["background"] == schema.entity_types[type_id].color
        assert nodes[node_id]["label"] == small().nodes[node_id]["name"]


def test_a_restyled_schema_restyles_the_drawing():
    schema = default_schema().with_entity_types([{"type": "ngo", "color": "#123456",
                                                  "shape": "star"}])
    G = make_graph([("p", {"type": "ngo"})], [], schema=schema)
    node = vis_data(G)["nodes"][0]
    assert (node["shape"], node["color"]["background"]) == ("star", "#123456")


def test_unknown_type_gets_the_fallback_style():
    nodes = by_id(vis_data(small())["nodes"])
    assert nodes["odd"]["shape"] == FALLBACK_SHAPE
    assert nodes["odd"]["color"]["background"] == FALLBACK_COLOR
    assert nodes["odd"]["details"]["type_label"] == "Mystery thing"


def test_nodes_sit_where_the_positions_say():
    positions = {"interpol": (1.5, -2.0), "synergia": (100, 0), "polaris": (0, 100),
                 "odd": (-50, -50)}
    nodes = by_id(vis_data(small(), positions=positions)["nodes"])
    assert (nodes["interpol"]["x"], nodes["interpol"]["y"]) == (1.5, -2.0)


def test_without_positions_a_force_layout_is_computed():
    nodes = vis_data(small())["nodes"]
    assert len({(n["x"], n["y"]) for n in nodes}) == len(nodes)


def test_sizes_scale_with_size_by():
    G = small()
    scores = {"interpol": 10.0, "synergia": 5.0, "polaris": 0.0}   # "odd" has no score
    nodes = by_id(vis_data(G, size_by=scores)["nodes"])
    sizes = {n: nodes[n]["size"] for n in nodes}
    assert sizes["interpol"] == render.MAX_NODE_SIZE
    assert sizes["polaris"] == sizes["odd"] == render.MIN_NODE_SIZE
    assert sizes["polaris"] < sizes["synergia"] < sizes["interpol"]
    assert {n["size"] for n in vis_data(G)["nodes"]} == {render.NODE_SIZE}


def test_node_tooltip_is_plain_text_name_type_and_description():
    G = make_graph([("x", {"name": "<b>Bold</b> & co", "type": "agency",
                           "description": "Runs <i>things</i>."})], [])
    node = vis_data(G)["nodes"][0]
    assert node["title"] == "<b>Bold</b> & co\nGovernment agency\nRuns <i>things</i>."
    assert isinstance(node["title"], str)   # vis-network 9 shows a string title as text


def test_long_descriptions_are_clipped_in_the_tooltip_but_whole_in_the_details():
    G = make_graph([("x", {"description": "word " * 200})], [])
    node = vis_data(G)["nodes"][0]
    assert len(node["title"]) < 320 and node["title"].endswith("…")
    assert node["details"]["description"] == "word " * 200


def test_details_hold_documents_and_every_relation_as_a_sentence():
    nodes = by_id(vis_data(small())["nodes"])
    details = nodes["interpol"]["details"]
    assert details["name"] == "INTERPOL" and details["type_label"] == "International organisation"
    assert details["aliases"] == ["ICPO"]
    assert details["documents"] == [{"id": "d1", "title": "Synergia results",
                                     "publisher": "INTERPOL", "date": "2024",
                                     "url": "https://example.org/synergia"}]
    sentences = [(r["direction"], r["sentence"], r["evidence"]) for r in details["relations"]]
    assert sentences == [
        ("out", "INTERPOL led Operation Synergia", "INTERPOL led it."),
        ("out", "INTERPOL published Operation Synergia", "It announced it."),
        ("in", "Operation Synergia supported INTERPOL", ""),
        ("in", "Polaris supported INTERPOL", "Shared data."),
    ]
    assert details["relations"][0]["documents"][0]["title"] == "Synergia results"
    assert details["relations"][3]["other"] == "polaris"


def test_only_http_urls_survive_and_unknown_documents_keep_their_id():
    docs = by_id(vis_data(small())["nodes"])["polaris"]["details"]["documents"]
    assert docs[0]["url"] == ""                          # javascript: dropped
    assert docs[1] == {"id": "missing", "title": "missing", "publisher": "", "date": "",
                       "url": ""}


def test_selected_node_is_flagged():
    data = vis_data(small(), selected="synergia")
    assert data["selected"] == "synergia"
    assert [n["id"] for n in data["nodes"] if n["selected"]] == ["synergia"]
    assert vis_data(small(), selected="nope")["selected"] is None


# --- edges ---------------------------------------------------------------------------------

def test_edges_have_stable_ids_arrows_and_no_label():
    edges = vis_data(small())["edges"]
    assert [e["id"] for e in edges] == ["interpol|synergia|0", "interpol|synergia|1",
                                        "synergia|interpol|0", "polaris|interpol|0"]
    assert all(e["arrows"] == "to" and "label" not in e for e in edges)
    assert [(e["from"], e["to"]) for e in edges][3] == ("polaris", "interpol")


def test_edge_title_is_the_relation_as_a_sentence_with_its_evidence():
    edge = by_id(vis_data(small())["edges"])["interpol|synergia|0"]
    assert edge["title"] == ("INTERPOL led Operation Synergia\n“INTERPOL led it.”\n"
                             "— Synergia results")
    assert by_id(vis_data(small())["edges"])["synergia|interpol|0"]["title"] == \
        "Operation Synergia supported INTERPOL"


def test_parallel_edges_curve_apart():
    edges = by_id(vis_data(small())["edges"])
    curves = [edges[i].get("smooth") for i in ("interpol|synergia|0", "interpol|synergia|1",
                                               "synergia|interpol|0")]
    assert all(c and c["type"] == "curvedCW" for c in curves)
    assert curves[0]["roundness"] != curves[1]["roundness"]
    assert "smooth" not in edges["polaris|interpol|0"]


@pytest.mark.parametrize("how", [[("polaris", "interpol")], [("polaris", "interpol", 0)],
                                 ["polaris|interpol|0"], [("interpol", "polaris")]])
def test_highlighted_path_edges_are_drawn_distinct(how):
    data = vis_data(small(), highlight_nodes=["polaris", "interpol"], highlight_edges=how)
    edges = by_id(data["edges"])
    lit = edges["polaris|interpol|0"]
    plain = edges["interpol|synergia|0"]
    assert lit["highlighted"] and not plain["highlighted"]
    assert lit["width"] > plain["width"]
    assert lit["color"]["color"] != plain["color"]["color"]
    nodes = by_id(data["nodes"])
    assert nodes["polaris"]["highlighted"] and not nodes["synergia"]["highlighted"]
    assert nodes["polaris"]["borderWidth"] > nodes["synergia"]["borderWidth"]


def test_bad_highlight_edge_is_refused():
    with pytest.raises(ValueError):
        vis_data(small(), highlight_edges=[("a",)])


# --- colour by community and the legend ----------------------------------------------------

def test_community_colouring_uses_the_colour_blind_safe_palette_largest_first():
    G = make_graph([(f"n{i}", {}) for i in range(30)], [])
    # community 5 is the largest, then 0; communities 10.. are past the palette.
    communities = {f"n{i}": 5 for i in range(6)}
    communities.update({f"n{i}": 0 for i in range(6, 10)})
    communities.update({f"n{i}": 100 + i for i in range(10, 30)})
    data = vis_data(G, color_by="community", communities=communities)
    nodes = by_id(data["nodes"])
    assert nodes["n0"]["color"]["background"] == COMMUNITY_PALETTE[0]
    assert nodes["n6"]["color"]["background"] == COMMUNITY_PALETTE[1]
    colours = {n["color"]["background"] for n in data["nodes"]}
    assert colours <= set(COMMUNITY_PALETTE) | {FALLBACK_COLOR}
    assert FALLBACK_COLOR in colours
    assert all(n["shape"] == "dot" for n in data["nodes"])      # shapes still follow the type
    communities_legend = [e for e in data["legend"] if e["kind"] == "community"]
    assert communities_legend[0] == {"kind": "community", "id": 5, "label": "Community 5",
                                     "color": COMMUNITY_PALETTE[0], "shape": "dot", "count": 6}
    assert communities_legend[-1]["label"] == "Other communities"
    assert sum(e["count"] for e in communities_legend) == 30


def test_community_colouring_needs_communities():
    with pytest.raises(ValueError, match="communities"):
        vis_data(small(), color_by="community")


def test_legend_lists_the_types_present_in_schema_order_with_counts():
    G = random_graph(80, 10)
    legend = vis_data(G)["legend"]
    counts: dict[str, int] = {}
    for _, attrs in G.nodes(data=True):
        counts[attrs["type"]] = counts.get(attrs["type"], 0) + 1
    assert {e["id"]: e["count"] for e in legend} == counts
    order = default_schema().type_ids()
    assert [e["id"] for e in legend] == sorted(counts, key=order.index)
    first = legend[0]
    style = default_schema().style(first["id"])
    assert (first["label"], first["color"], first["shape"]) == (style.label, style.color,
                                                                 style.shape)


def test_unknown_types_come_last_in_the_legend():
    assert [e["label"] for e in vis_data(small())["legend"]] == [
        "International organisation", "NGO", "Operation", "Mystery thing"]


def test_drawing_data_is_json_serialisable():
    data = vis_data(random_graph(50, 80), size_by={"e1": 3}, highlight_edges=[("e1", "e2")])
    assert json.loads(json.dumps(data)) == data
    assert vis_data(nx.MultiDiGraph()) == {"nodes": [], "edges": [], "legend": [],
                                           "selected": None}


# --- browser assets and the standalone export ----------------------------------------------

EXTERNAL = re.compile(
    r"""(?:<script[^>]*\ssrc\s*=|<link[^>]*\shref\s*=|<img[^>]*\ssrc\s*=|<iframe|"""
    r"""url\(\s*['"]?\s*(?:https?:)?//|@import|src\s*=\s*['"]?\s*(?:https?:)?//|"""
    r"""href\s*=\s*['"]?\s*(?:https?:)?//)""", re.IGNORECASE)


def test_vis_network_comes_from_the_installed_pyvis_not_the_repository():
    js = vis_network_js()
    assert "@version 9.1.2" in js[:500] and len(js) > 100_000
    assets = Path(render.__file__).parent / "assets"
    assert not list(assets.glob("vis*"))
    assert "KGView" in kg_view_js() and ".vis-tooltip" in kg_view_css()


def test_standalone_html_fetches_nothing_from_anywhere():
    page = standalone_html(random_graph(30, 40), title="Offline")
    assert EXTERNAL.findall(page) == []
    assert page.count("</script>") == 4
    assert re.search(r"Content-Security-Policy\" content=\"default-src 'none'", page)


def test_standalone_html_has_the_graph_container_with_counts():
    G = small()
    page = standalone_html(G, title="Small")
    container = re.search(r'<div [^>]*data-testid="kg-graph"[^>]*>', page).group(0)
    assert f'data-node-count="{G.number_of_nodes()}"' in container
    assert f'data-edge-count="{G.number_of_edges()}"' in container


def embedded_data(page: str) -> dict:
    block = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page, re.S)
    return json.loads(block.group(1))


def test_standalone_html_escapes_data_so_it_cannot_leave_its_script_block():
    hostile = "</script><script>alert(1)</script><!-- & \u2028 \u2029 >"
    G = make_graph([("x", {"name": hostile, "description": hostile})],
                   [("x", "x", {"evidence": hostile})])
    page = standalone_html(G, title="</title><script>alert(2)</script>")
    assert page.count("</script>") == 4          # only the four real script elements close
    assert "<script>alert" not in page
    assert "\u2028" not in page and "\u2029" not in page
    assert "<title>&lt;/title&gt;&lt;script&gt;alert(2)&lt;/script&gt;</title>" in page
    data = embedded_data(page)
    assert data["nodes"][0]["label"] == hostile   # the text itself survives intact
    assert data["edges"][0]["title"].startswith(hostile)


def test_inlined_scripts_cannot_close_their_script_element():
    code = 'var a = "</script><!-- </SCRIPT >"; var b = /<\\/script>/;'
    safe = render._inline_script(code)
    assert "</script" not in safe.lower() and "<!--" not in safe
    assert safe == 'var a = "\\x3C/script>\\x3C!-- \\x3C/SCRIPT >"; var b = /<\\/script>/;'


def test_placeholders_in_data_are_not_expanded():
    G = make_graph([("x", {"name": "{{KG_VIS_JS}}"})], [])
    page = standalone_html(G, title="{{KG_DATA}}")
    assert len(page) < len(vis_network_js()) + 60_000
    assert embedded_data(page)["nodes"][0]["label"] == "{{KG_VIS_JS}}"


def test_standalone_html_for_200_nodes_is_under_2_mb():
    G = random_graph(200, 300)
    page = standalone_html(G, title="Random")
    assert len(page.encode("utf-8")) < 2_000_000
    assert embedded_data(page)["nodes"][0]["details"]["relations"] is not None


def test_standalone_html_takes_drawing_options():
    G = small()
    communities = {"interpol": 0, "synergia": 0, "polaris": 1, "odd": 1}
    page = standalone_html(G, title="Options", layout="hierarchical", color_by="community",
                           communities=communities, size_by={"interpol": 2},
                           highlight_nodes=["interpol"], highlight_edges=[("polaris", "interpol")])
    data = embedded_data(page)
    assert by_id(data["edges"])["polaris|interpol|0"]["highlighted"]
    assert {e["kind"] for e in data["legend"]} == {"type", "community"}
    assert data["title"] == "Options" and data["dataset"] == "Test"
