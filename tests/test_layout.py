"""What graph.layout promises: positions for every node, repeatable, spread at drawing scale."""

from __future__ import annotations

import math
from pathlib import Path

import networkx as nx
import numpy as np
import pytest

from graph.layout import (
    ASPECT_SLACK,
    CANVAS_ASPECT,
    LABEL_ROOM,
    LABEL_WIDTH_PX,
    LAYOUTS,
    compute_layout,
    extent,
    footprints,
    label_box,
    label_lines,
)

from .drawn_graphs import make_graph, random_graph, small

ROOT_DATA = Path(__file__).resolve().parents[1] / "data"

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


def overlapping_footprints(G, pos) -> list[tuple[str, str]]:
    """Pairs of nodes whose footprints (shape and label box) overlap by more than half a pixel."""
    nodes = list(G)
    rects = footprints(G, nodes)
    xy = np.array([pos[n] for n in nodes])
    lo, hi = xy + rects[:, :2], xy + rects[:, 2:]
    found = []
    for a in range(len(nodes)):
        wide = np.minimum(hi[a, 0], hi[:, 0]) - np.maximum(lo[a, 0], lo[:, 0]) > 0.5
        tall = np.minimum(hi[a, 1], hi[:, 1]) - np.maximum(lo[a, 1], lo[:, 1]) > 0.5
        found += [(nodes[a], nodes[b]) for b in np.flatnonzero(wide & tall) if b > a]
    return found


@pytest.mark.parametrize("n", [150, 900])  # exact repulsion and the FFT grid
def test_force_layout_spreads_nodes_at_drawing_scale(n):
    G = random_graph(n, int(n * 1.3))
    pos = compute_layout(G, "force")
    xy = list(pos.values())
    nearest = [min(math.dist(p, q) for j, q in enumerate(xy) if j != i) for i, p in enumerate(xy)]
    assert min(nearest) > 20  # the smallest dots (radius 10) never touch
    median = sorted(nearest)[len(nearest) // 2]
    assert 60 < median < 260  # spread at a drawing scale (room for long labels), not exploded


LONG_NAME = "National Human Trafficking Hotline data platform"


def long_labels():
    return make_graph(
        [(f"t{i}", {"type": "tool", "name": f"{LONG_NAME} {i}"}) for i in range(12)]
        + [(f"n{i}", {"type": "ngo", "name": f"{LONG_NAME} of NGO {i}"}) for i in range(12)]
        + [(f"p{i}", {"type": "person", "name": "Al"}) for i in range(12)],
        [(f"t{i}", f"t{(i + 1) % 12}", {}) for i in range(12)]
        + [(f"n{i}", f"t{i}", {}) for i in range(12)]
        + [(f"p{i}", f"n{i}", {}) for i in range(12)],
    )


@pytest.mark.parametrize("layout", LAYOUTS)
def test_no_shape_or_label_box_overlaps_another(layout):
    for G in (long_labels(), random_graph(300, 420)):
        pos = compute_layout(G, layout)
        assert overlapping_footprints(G, pos) == []


def test_no_footprints_overlap_at_1500_nodes():
    G = random_graph(1500, 2000)
    assert overlapping_footprints(G, compute_layout(G, "force")) == []


def test_a_footprint_is_the_shape_and_the_label_box_under_it():
    G = long_labels()
    rects = dict(zip(G, footprints(G)))
    box_w, box_h = label_box(f"{LONG_NAME} of NGO 0")
    assert box_h == pytest.approx(3 * 14 * 1.2)  # three wrapped lines
    left, top, right, bottom = rects["n0"]  # room for the label 1.4 times as big, centred
    assert right - left == pytest.approx(LABEL_ROOM * box_w) and right == -left
    assert top < 0 and bottom == pytest.approx(-top + 5 + LABEL_ROOM * box_h)  # hangs below
    t_left, t_top, t_right, t_bottom = rects["t0"]  # a tool's box: flat, its label below
    assert t_right - t_left == pytest.approx(LABEL_ROOM * label_box(f"{LONG_NAME} 0")[0])
    assert t_bottom > -t_top * 2
    short = rects["p0"]
    assert short[2] - short[0] < 30  # "Al": the dot is wider than its label


def test_a_short_name_gets_the_room_of_its_own_label_not_of_the_long_name():
    G = nx.MultiDiGraph([("f", "n"), ("g", "n")])
    long = "Over 80 percent of the sex trafficking prosecutions involved online advertising"
    G.add_node("f", name=long, short_name="Over 80 percent: ads", type="finding")
    G.add_node("g", name=long, type="finding")
    G.add_node("n", name="NCMEC", type="ngo")
    rects = dict(zip(G, footprints(G)))
    short_w, _ = label_box("Over 80 percent: ads")
    assert rects["f"][3] - rects["f"][1] < rects["g"][3] - rects["g"][1]  # one line, not three
    assert rects["f"][2] - rects["f"][0] == pytest.approx(LABEL_ROOM * short_w)


def test_labels_wrap_at_the_drawings_width():
    lines = label_lines(f"{LONG_NAME} of NGO 7")
    assert " ".join(lines) == f"{LONG_NAME} of NGO 7" and len(lines) == 3
    assert all(label_box(line)[0] <= LABEL_WIDTH_PX for line in lines)
    wide, _ = label_box("W" * 40)  # one long word is not broken
    assert wide > LABEL_WIDTH_PX and label_lines("W" * 40) == ["W" * 40]


@pytest.mark.parametrize("layout", ["force", "hierarchical"])  # "type" groups by type instead
def test_removing_overlaps_keeps_neighbourhoods_together(layout):
    G = long_labels()
    pos = compute_layout(G, layout)
    # Each person sits nearer its own NGO than the median NGO does.
    for i in range(12):
        others = sorted(math.dist(pos[f"p{i}"], pos[f"n{j}"]) for j in range(12))
        assert math.dist(pos[f"p{i}"], pos[f"n{i}"]) <= others[6]


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


# --- small views fill a screen's canvas ---------------------------------------------------------

SMALL_BUNDLED_VIEWS = ("focus=ncmec&depth=2", "focus=pact&depth=1&from=pact&to=ncmec",
                       "focus=earn_it_act&depth=1", "types=agency", "types=law")  # fmt: skip


@pytest.mark.parametrize("query", SMALL_BUNDLED_VIEWS)
def test_a_small_force_view_fits_a_720p_canvas_with_room_for_its_labels(query):
    """Fitted into what the app's canvas leaves a drawing at 1280x720 (about 624x370 inside
    its padding and below its buttons), the zoom stays near 1 / LABEL_ROOM or above: labels
    drawn at their readable size still have (nearly all) their room."""
    from graph.load import load_graph
    from graph.view import from_query, scene

    G = load_graph(ROOT_DATA)
    view, _ = from_query(query, G)
    drawn = scene(G, view).graph
    pos = compute_layout(drawn, "force")
    nodes = list(drawn)
    width, height = extent(np.array([pos[n] for n in nodes]), footprints(drawn, nodes))
    assert min(624 / width, 370 / height) >= 0.9 / LABEL_ROOM
    assert CANVAS_ASPECT / ASPECT_SLACK**2 <= width / height <= CANVAS_ASPECT * ASPECT_SLACK**2


def test_a_long_chain_is_folded_towards_the_canvas_shape():
    G = nx.MultiDiGraph([(f"n{i}", f"n{i + 1}") for i in range(30)])
    pos = compute_layout(G, "force")
    nodes = list(G)
    width, height = extent(np.array([pos[n] for n in nodes]), footprints(G, nodes))
    assert width / height <= CANVAS_ASPECT * ASPECT_SLACK**2
