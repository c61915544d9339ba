"""What graph.vis promises: nodes, edges and legend for vis-network, styled from the schema."""

from __future__ import annotations

import json

import networkx as nx
import pytest

from graph import vis
from graph.schema import FALLBACK_COLOR, FALLBACK_SHAPE, default_schema
from graph.vis import COMMUNITY_PALETTE, vis_data

from .drawn_graphs import by_id, make_graph, random_graph, small

# --- nodes ---------------------------------------------------------------------------------


def test_node_colour_and_shape_come_from_the_schema():
    nodes = by_id(vis_data(small())["nodes"])
    schema = default_schema()
    for node_id, type_id in [
        ("interpol", "international_org"),
        ("synergia", "operation"),
        ("polaris", "ngo"),
    ]:
        assert nodes[node_id]["shape"] == schema.entity_types[type_id].shape
        assert nodes[node_id]["color"]["background"] == schema.entity_types[type_id].color
        assert nodes[node_id]["label"] == small().nodes[node_id]["name"]


def test_a_restyled_schema_restyles_the_drawing():
    schema = default_schema().with_entity_types(
        [{"type": "ngo", "color": "#123456", "shape": "star"}]
    )
    G = make_graph([("p", {"type": "ngo"})], [], schema=schema)
    node = vis_data(G)["nodes"][0]
    assert (node["shape"], node["color"]["background"]) == ("star", "#123456")


def test_unknown_type_gets_the_fallback_style():
    nodes = by_id(vis_data(small(), details=True)["nodes"])
    assert nodes["odd"]["shape"] == FALLBACK_SHAPE
    assert nodes["odd"]["color"]["background"] == FALLBACK_COLOR
    assert nodes["odd"]["details"]["type_label"] == "Mystery thing"
    assert nodes["odd"]["title"] == "Odd one\nMystery thing"


def test_nodes_sit_where_the_positions_say():
    positions = {
        "interpol": (1.5, -2.0),
        "synergia": (100, 0),
        "polaris": (0, 100),
        "odd": (-50, -50),
    }
    nodes = by_id(vis_data(small(), positions=positions)["nodes"])
    assert (nodes["interpol"]["x"], nodes["interpol"]["y"]) == (1.5, -2.0)


def test_without_positions_a_force_layout_is_computed():
    nodes = vis_data(small())["nodes"]
    assert len({(n["x"], n["y"]) for n in nodes}) == len(nodes)


def test_sizes_scale_with_size_by():
    G = small()
    scores = {"interpol": 10.0, "synergia": 5.0, "polaris": 0.0}  # "odd" has no score
    nodes = by_id(vis_data(G, size_by=scores)["nodes"])
    sizes = {n: nodes[n]["size"] for n in nodes}
    assert sizes["interpol"] == vis.MAX_NODE_SIZE
    assert sizes["polaris"] == sizes["odd"] == vis.MIN_NODE_SIZE
    assert sizes["polaris"] < sizes["synergia"] < sizes["interpol"]
    assert {n["size"] for n in vis_data(G)["nodes"]} == {vis.NODE_SIZE}


def test_node_tooltip_is_plain_text_name_type_and_description():
    G = make_graph(
        [
            (
                "x",
                {
                    "name": "<b>Bold</b> & co",
                    "type": "agency",
                    "description": "Runs <i>things</i>.",
                },
            )
        ],
        [],
    )
    node = vis_data(G)["nodes"][0]
    assert node["title"] == "<b>Bold</b> & co\nGovernment agency\nRuns <i>things</i>."
    assert isinstance(node["title"], str)  # vis-network 9 shows a string title as text


def test_a_short_name_is_drawn_and_the_full_name_kept_for_tooltip_card_and_details():
    long = "Over 80 percent of prosecutions involved online advertising"
    G = make_graph(
        [
            ("f", {"name": long, "short_name": "80 percent: ads", "type": "finding"}),
            ("n", {"name": "NCMEC", "type": "ngo"}),
        ],
        [("f", "n", {"relation": "reported_by"})],
    )
    data = vis_data(G, details=True)
    f, n = by_id(data["nodes"])["f"], by_id(data["nodes"])["n"]
    assert f["label"] == "80 percent: ads" and f["name"] == long  # the card reads "name"
    assert f["title"].startswith(long + "\n") and f["details"]["name"] == long
    assert data["edges"][0]["title"].startswith(long)  # the sentence names it in full
    assert n["label"] == "NCMEC" and "name" not in n  # a name drawn whole is not repeated


def test_long_descriptions_are_clipped_in_the_tooltip_but_whole_in_the_details():
    G = make_graph([("x", {"description": "word " * 200})], [])
    node = vis_data(G, details=True)["nodes"][0]
    assert len(node["title"]) < 320 and node["title"].endswith("…")
    assert node["details"]["description"] == "word " * 200


def test_details_hold_documents_and_every_relation_as_a_sentence():
    nodes = by_id(vis_data(small(), details=True)["nodes"])
    details = nodes["interpol"]["details"]
    assert details["name"] == "INTERPOL" and details["type_label"] == "International organisation"
    assert details["aliases"] == ["ICPO"]
    assert details["documents"] == [
        {
            "id": "d1",
            "title": "Synergia results",
            "publisher": "INTERPOL",
            "date": "2024",
            "url": "https://example.org/synergia",
        }
    ]
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
    docs = by_id(vis_data(small(), details=True)["nodes"])["polaris"]["details"]["documents"]
    assert docs[0]["url"] == ""  # javascript: dropped
    assert docs[1] == {"id": "missing", "title": "missing", "publisher": "", "date": "", "url": ""}


def test_selected_node_is_flagged():
    data = vis_data(small(), selected="synergia")
    assert data["selected"] == "synergia"
    assert [n["id"] for n in data["nodes"] if n["selected"]] == ["synergia"]
    assert vis_data(small(), selected="nope")["selected"] is None


# --- edges ---------------------------------------------------------------------------------


def test_edges_have_stable_ids_arrows_and_no_label():
    edges = vis_data(small())["edges"]
    assert [e["id"] for e in edges] == [
        "interpol|synergia|0",
        "interpol|synergia|1",
        "synergia|interpol|0",
        "polaris|interpol|0",
    ]
    assert all(e["arrows"] == "to" and "label" not in e for e in edges)
    assert [(e["from"], e["to"]) for e in edges][3] == ("polaris", "interpol")


def test_edge_title_is_the_relation_as_a_sentence_with_its_evidence():
    edge = by_id(vis_data(small())["edges"])["interpol|synergia|0"]
    assert edge["title"] == (
        "INTERPOL led Operation Synergia\n“INTERPOL led it.”\n— Synergia results"
    )
    assert (
        by_id(vis_data(small())["edges"])["synergia|interpol|0"]["title"]
        == "Operation Synergia supported INTERPOL"
    )


def test_parallel_edges_curve_apart():
    edges = by_id(vis_data(small())["edges"])
    curves = [
        edges[i].get("smooth")
        for i in ("interpol|synergia|0", "interpol|synergia|1", "synergia|interpol|0")
    ]
    assert all(c and c["type"] == "curvedCW" for c in curves)
    assert curves[0]["roundness"] != curves[1]["roundness"]
    assert "smooth" not in edges["polaris|interpol|0"]


@pytest.mark.parametrize(
    "how",
    [
        [("polaris", "interpol")],
        [("polaris", "interpol", 0)],
        ["polaris|interpol|0"],
        [("interpol", "polaris")],
    ],
)
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
    assert all(n["shape"] == "dot" for n in data["nodes"])  # shapes still follow the type
    communities_legend = [e for e in data["legend"] if e["kind"] == "community"]
    assert communities_legend[0] == {
        "kind": "community",
        "id": 5,
        "label": "Community 5",
        "color": COMMUNITY_PALETTE[0],
        "dark_color": COMMUNITY_PALETTE[0],  # light enough for the dark canvas as it is
        "shape": "dot",
        "count": 6,
    }
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
    assert (first["label"], first["color"], first["shape"]) == (
        style.label,
        style.color,
        style.shape,
    )


def test_unknown_types_come_last_in_the_legend():
    assert [e["label"] for e in vis_data(small())["legend"]] == [
        "International organisation",
        "NGO",
        "Operation",
        "Mystery thing",
    ]


def test_without_details_only_what_the_drawing_needs_is_given():
    G = small()
    lean, full = vis_data(G), vis_data(G, details=True)
    assert all("details" not in node for node in lean["nodes"])
    # Everything else, tooltips included, is the same with or without details.
    assert [{k: v for k, v in n.items() if k != "details"} for n in full["nodes"]] == lean["nodes"]
    assert lean["edges"] == full["edges"] and lean["legend"] == full["legend"]
    assert by_id(lean["nodes"])["interpol"]["title"].startswith("INTERPOL\n")
    assert by_id(lean["edges"])["interpol|synergia|0"]["title"].startswith("INTERPOL led")
    big = random_graph(300, 600)
    assert len(json.dumps(vis_data(big))) < len(json.dumps(vis_data(big, details=True))) / 2


def test_drawing_data_is_json_serialisable():
    for details in (False, True):
        data = vis_data(
            random_graph(50, 80), size_by={"e1": 3}, highlight_edges=[("e1", "e2")], details=details
        )
        assert json.loads(json.dumps(data)) == data
    assert vis_data(nx.MultiDiGraph()) == {"nodes": [], "edges": [], "legend": [], "selected": None}


# --- importance, focus and the dark theme -----------------------------------------------------


def test_rank_orders_nodes_by_the_size_measure_then_degree():
    G = small()
    ranks = {n["id"]: n["rank"] for n in vis_data(G, size_by={"polaris": 3.0, "odd": 9.0})["nodes"]}
    assert sorted(ranks.values()) == list(range(len(G)))
    assert ranks["odd"] == 0 and ranks["polaris"] == 1  # scored, highest first
    # Unscored nodes follow, by degree: interpol has more relations than synergia.
    assert G.degree("interpol") > G.degree("synergia") and ranks["interpol"] < ranks["synergia"]
    by_degree = {n["id"]: n["rank"] for n in vis_data(G)["nodes"]}
    assert min(by_degree, key=by_degree.get) == max(
        G, key=lambda n: (G.degree(n), -list(G).index(n))
    )


def test_the_focus_entity_is_marked():
    nodes = by_id(vis_data(small(), focus="synergia")["nodes"])
    assert nodes["synergia"]["focused"] is True
    assert [n for n in nodes if nodes[n]["focused"]] == ["synergia"]
    assert not any(n["focused"] for n in vis_data(small())["nodes"])


def test_every_fill_stands_out_from_the_dark_canvas():
    schema = default_schema()
    G = make_graph([(t, {"type": t}) for t in schema.type_ids()], [])
    data = vis_data(G)
    for node in data["nodes"]:
        light = node["color"]["background"]
        dark = node.get("dark", {}).get("background", light)
        assert vis.contrast(dark, vis.DARK_CANVAS) >= 3, node["type"]
        if "dark" in node:  # lightened only when needed
            assert vis.contrast(light, vis.DARK_CANVAS) < 3
    agency = by_id(data["nodes"])["agency"]
    assert agency["dark"]["background"] != agency["color"]["background"]  # navy is lifted
    for entry in data["legend"]:
        assert vis.contrast(entry["dark_color"], vis.DARK_CANVAS) >= 3
    communities = vis_data(G, color_by="community", communities={t: i for i, t in enumerate(G)})
    for node in communities["nodes"]:
        fill = node.get("dark", {}).get("background", node["color"]["background"])
        assert vis.contrast(fill, vis.DARK_CANVAS) >= 3
