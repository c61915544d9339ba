"""What graph.layout promises: positions for every node, repeatable, spread at drawing scale."""

from __future__ import annotations

import math

import networkx as nx
import pytest

from graph.layout import LAYOUTS, compute_layout

from .drawn_graphs import make_graph, random_graph, small

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
    nearest = [min(math.dist(p, q) for j, q in enumerate(xy) if j != i) for i, p in enumerate(xy)]
    assert min(nearest) > 40  # default dots (radius 16) never overlap
    median = sorted(nearest)[len(nearest) // 2]
    assert 60 < median < 200  # spread at a drawing scale, not squashed or exploded


@pytest.mark.parametrize("layout", LAYOUTS)
def test_shapes_that_hold_long_labels_get_more_room(layout):
    long_name = "National Human Trafficking Hotline data platform"
    G = make_graph(
        [(f"t{i}", {"type": "tool", "name": f"{long_name} {i}"}) for i in range(12)]
        + [(f"n{i}", {"type": "ngo"}) for i in range(12)],
        [(f"t{i}", f"t{(i + 1) % 12}", {}) for i in range(12)]
        + [(f"n{i}", f"t{i}", {}) for i in range(12)],
    )
    pos = compute_layout(G, layout)
    boxes = [pos[f"t{i}"] for i in range(12)]
    closest_boxes = min(math.dist(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])
    assert closest_boxes > 150  # a wrapped 170 px label box does not cover its neighbour


def test_force_layout_pulls_neighbours_together():
    # Two dense clusters joined by one edge: within-cluster distances are the short ones.
    G = make_graph(
        [(f"a{i}", {}) for i in range(10)] + [(f"b{i}", {}) for i in range(10)],
        [(f"a{i}", f"a{j}", {}) for i in range(10) for j in range(i + 1, 10)]
        + [(f"b{i}", f"b{j}", {}) for i in range(10) for j in range(i + 1, 10)]
        + [("a0", "b0", {})],
    )
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
    G = make_graph(
        [(x, {}) for x in "habcdz"],
        [("h", "a", {}), ("h", "b", {}), ("h", "c", {}), ("c", "d", {})],
    )
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
    centres = {
        t: (sum(p[0] for p in ps) / len(ps), sum(p[1] for p in ps) / len(ps))
        for t, ps in groups.items()
    }
    for t, ps in groups.items():
        for p in ps:
            nearest = min(centres, key=lambda c: math.dist(p, centres[c]))
            assert nearest == t
