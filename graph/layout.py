"""Where each node goes: force-directed, hierarchical and by-type layouts in pixel units.

Positions are computed in Python, once per view, so the browser's drawing stands still as soon
as it appears (physics is off there). :func:`compute_layout` is the one entry point; everything
else here is its machinery: Fruchterman–Reingold forces (exact repulsion up to 250 nodes, an FFT
density grid above), breadth-first layers, type discs round a circle, and a final pass that
removes overlaps between nodes and their labels.

Labels take room: each node's footprint is its shape plus its label box, measured from the
label's text (:func:`label_box`: DejaVu Sans character widths at the drawing's 14 px font,
wrapped at 170 px as ``kg_view.js`` wraps them), and no two footprints overlap, so at zoom 1
no label covers another label or a node.

Examples
--------
>>> import networkx as nx
>>> G = nx.MultiDiGraph([("a", "b"), ("b", "c")])
>>> sorted(compute_layout(G))
['a', 'b', 'c']
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

import networkx as nx
import numpy as np

from graph.query import entity_label, schema_of

__all__ = ["LAYOUTS", "compute_layout", "label_box", "label_lines", "footprints"]

LAYOUTS = ("force", "hierarchical", "type")
"""Layout names :func:`compute_layout` accepts."""

# Pixel geometry of the drawing (vis-network canvas units). kg_view.js draws with the same.
FORCE_NEIGHBOUR_PX = 90.0  # median nearest-neighbour distance after scaling a force layout
LABEL_WIDTH_PX = 170  # labels wrap at this width (kg_view.js: LABEL_WIDTH and widthConstraint)
LABEL_PX = 14  # label font size at zoom 1 (kg_view.js: the node font's size)
LABEL_LINE = 1.2  # line height, in font sizes (kg_view.js: LINE_HEIGHT)
LABEL_GAP_PX = 5.0  # between a shape and the label under it (kg_view.js: LABEL_GAP)
OVERLAP_PAD_PX = 4.0  # footprints are kept at least this far apart, up and down, ...
SIDE_PAD_PX = 12.0  # ... and this far side by side (two names on one line read as one)
# Width / height the app's canvas leaves a drawing: 625x370 at 1280x720, 735x545 at 1440x900.
CANVAS_ASPECT = 1.6
ASPECT_SLACK = 1.15  # a force drawing within this factor of it is left as it is
COMPACT_STEP = 0.85  # a small force view is shrunk this much a round (_compacted)
FOCUS_RING_PX = 10.0  # the focus ring's reach beyond a shape (kg_view.js: drawRing, 8 px + line)
LABEL_ROOM = 1.4  # every label gets room for itself this many times as big (read at zoom 0.7);
LEADER_SHARE = 0.25  # this share of the nodes, the best connected, ...
LEADER_MAX = 60  # ... at most this many, ...
LEADER_ROOM = 2.4  # ... get room for a label this many times as big (read when zoomed out),
TOP_LEADERS = 10  # and the first ten, 1.5 times that; but not in a view of ...
SMALL_VIEW = 40  # ... at most this many nodes
EXPAND_AFTER_ROUNDS = 48  # overlaps left after this many pushes: spread everything ...
EXPAND_FACTOR = 1.03  # ... by this much, every 8 rounds
NODE_SIZE = 16  # default radius of a dot-like node (graph.vis draws with these sizes)
MIN_NODE_SIZE = 10  # radius of the lowest-scoring node when sizes follow a measure
MAX_NODE_SIZE = 36  # radius of the highest-scoring node
LAYER_GAP_PX = 150.0  # vertical distance between hierarchical layers
SLOT_PX = 150.0  # horizontal distance between nodes of a hierarchical layer
TYPE_SPACING_PX = 110.0  # distance between neighbouring nodes inside a type cluster
EXACT_REPULSION_MAX_NODES = 250

INSIDE_LABEL_SHAPES = frozenset({"box", "ellipse", "circle", "database", "text"})
"""vis-network shapes that would draw the label inside the shape and grow with it. The drawing
(kg_view.js) gives the first four a fixed size from ``size`` instead, with the label outside like
every other shape; only ``"text"``, a label alone, keeps its label in place."""
TEXT_SHAPE = "text"
BOX_HEIGHT = 0.65  # a box, ellipse or database is 2 size wide and this times 2 size high

# Advance widths (in ems) of ASCII 32-126 in DejaVu Sans, the face Debian's Chromium gives
# "system-ui, sans-serif" (measured with canvas measureText). Other faces are narrower, so
# boxes measured with these err on the roomy side. Other characters count as 0.64 em.
_CHAR_EM = (
    0.32, 0.40, 0.46, 0.84, 0.64, 0.95, 0.78, 0.27, 0.39, 0.39, 0.50, 0.84, 0.32, 0.36, 0.32,
    0.34, 0.64, 0.64, 0.64, 0.64, 0.64, 0.64, 0.64, 0.64, 0.64, 0.64, 0.34, 0.34, 0.84, 0.84,
    0.84, 0.53, 1.00, 0.68, 0.69, 0.70, 0.77, 0.63, 0.58, 0.77, 0.75, 0.29, 0.29, 0.66, 0.56,
    0.86, 0.75, 0.79, 0.60, 0.79, 0.69, 0.63, 0.61, 0.73, 0.68, 0.99, 0.69, 0.61, 0.69, 0.39,
    0.34, 0.39, 0.84, 0.50, 0.50, 0.61, 0.63, 0.55, 0.63, 0.62, 0.35, 0.63, 0.63, 0.28, 0.28,
    0.58, 0.28, 0.97, 0.63, 0.61, 0.63, 0.63, 0.41, 0.52, 0.39, 0.63, 0.59, 0.82, 0.59, 0.59,
    0.52, 0.64, 0.34, 0.64, 0.84,
)  # fmt: skip
_OTHER_EM = 0.64


def _text_width(text: str, px: float) -> float:
    return px * sum(
        _CHAR_EM[code - 32] if 32 <= (code := ord(ch)) <= 126 else _OTHER_EM for ch in text
    )


def label_lines(text: str, px: float = LABEL_PX, width: float = LABEL_WIDTH_PX) -> list[str]:
    """``text`` wrapped at spaces into lines no wider than ``width`` (a longer word stays whole
    on its own line), as ``kg_view.js`` wraps a label.

    >>> label_lines("National Center for Missing and Exploited Children")
    ['National Center for', 'Missing and Exploited', 'Children']
    >>> label_lines("INTERPOL"), label_lines("")
    (['INTERPOL'], [])
    """
    lines: list[str] = []
    for word in text.split():
        if lines and _text_width(f"{lines[-1]} {word}", px) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def label_box(
    text: str, px: float = LABEL_PX, width: float = LABEL_WIDTH_PX
) -> tuple[float, float]:
    """Width and height in pixels of ``text`` drawn as a label: wrapped, ``px`` font.

    >>> w, h = label_box("National Center for Missing and Exploited Children")
    >>> 150 < w <= 170, round(h, 1)  # three lines of 14 px type, 1.2 apart
    (True, 50.4)
    """
    lines = label_lines(text, px, width)
    if not lines:
        return 0.0, 0.0
    return max(_text_width(line, px) for line in lines), len(lines) * px * LABEL_LINE


def compute_layout(
    G: nx.MultiDiGraph, layout: str = "force", *, seed: int = 7
) -> dict[str, tuple[float, float]]:
    """Positions for every node, in vis-network pixel coordinates.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The graph, in the :mod:`graph.load` shape (``type`` node attribute used by ``"type"``).
    layout : {"force", "hierarchical", "type"}
        ``"force"``: a force-directed layout (Fruchterman–Reingold forces with a weak pull to the
        centre so separate components stay close; repulsion is exact up to 250 nodes and computed
        on an FFT grid above that, so 1,500 nodes take a fraction of a second).
        ``"hierarchical"``: layers by breadth-first depth from each component's highest-degree
        node, ordered to shorten edges; very wide layers wrap onto extra rows.
        ``"type"``: one compact disc per entity type (highest degree at its centre), the discs
        set round a circle in schema order, spaced so labels have room.
    seed : int
        Seed of the random start of the force layout. The same graph and seed always give the
        same positions; the other layouts do not use randomness.

    Returns
    -------
    dict
        ``node id -> (x, y)`` for every node; ``{}`` for an empty graph. No two footprints
        (:func:`footprints`: a node's shape and its label box under it, or the box holding its
        label) overlap: at zoom 1 no label covers another label or a node.

    Raises
    ------
    ValueError
        For an unknown ``layout``.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph([("a", "b"), ("b", "c")])
    >>> pos = compute_layout(G, "hierarchical")
    >>> sorted(pos) == ["a", "b", "c"] and pos == compute_layout(G, "hierarchical")
    True
    >>> pos["b"][1] < pos["a"][1]  # "b" has the highest degree, so it is the top layer
    True
    >>> compute_layout(nx.MultiDiGraph())
    {}
    """
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}; expected one of {', '.join(LAYOUTS)}")
    nodes = list(G.nodes)
    if not nodes:
        return {}
    rects = footprints(G, nodes)
    footprint = np.maximum(-rects[:, 0], rects[:, 2])  # half the width each node needs
    if layout == "force":
        # A little wider than high, as screens are.
        xy = _force_layout(G, nodes, seed, _neighbour_px(rects)) * np.array([1.25, 0.8])
    elif layout == "hierarchical":
        xy = _hierarchical_layout(G, nodes, footprint)
    else:
        xy = _type_layout(G, nodes, footprint)
    xy = remove_overlaps(xy, rects)
    if layout == "force" and len(nodes) <= SMALL_VIEW:  # larger views start zoomed in
        xy = _towards_aspect(_compacted(xy, rects), rects)
    xy -= (xy.min(axis=0) + xy.max(axis=0)) / 2
    return {node: (round(float(x), 1), round(float(y), 1)) for node, (x, y) in zip(nodes, xy)}


def extent(xy: np.ndarray, rects: np.ndarray) -> np.ndarray:
    """Width and height of the box holding every footprint.

    >>> extent(np.array([[0.0, 0.0], [100.0, 0.0]]), np.array([[-10.0, -5, 10, 5]] * 2))
    array([120.,  10.])
    """
    return (xy + rects[:, 2:]).max(axis=0) - (xy + rects[:, :2]).min(axis=0)


def _compacted(xy: np.ndarray, rects: np.ndarray, rounds: int = 6) -> np.ndarray:
    """Draw a small view closer together while that makes it smaller: each round shrinks it
    towards its centre and removes the overlaps that makes, kept only if the box round it lost
    area. Why: the overlap removal leaves a small view loosely packed (a third of its box is
    labels and shapes), so fitted in a canvas it is zoomed out until labels lack room."""
    area = float(np.prod(extent(xy, rects)))
    for _ in range(rounds):
        centre = (xy.min(axis=0) + xy.max(axis=0)) / 2
        trial = remove_overlaps((xy - centre) * COMPACT_STEP + centre, rects)
        trial_area = float(np.prod(extent(trial, rects)))
        if trial_area > 0.97 * area:
            break
        xy, area = trial, trial_area
    return xy


def _towards_aspect(xy: np.ndarray, rects: np.ndarray, rounds: int = 4) -> np.ndarray:
    """Squeeze a drawing whose footprints make it much wider (or taller) than a screen's canvas
    towards :data:`CANVAS_ASPECT`, removing the overlaps that makes each round.

    Why: labels keep a readable size on screen, so a drawing fitted into a canvas of the other
    shape is zoomed out until its labels no longer fit the room the layout left them."""
    for _ in range(rounds):
        width, height = extent(xy, rects)
        aspect = width / max(height, 1.0)
        if CANVAS_ASPECT / ASPECT_SLACK <= aspect <= CANVAS_ASPECT * ASPECT_SLACK:
            break
        k = float(np.sqrt(aspect / CANVAS_ASPECT))
        centre = (xy.min(axis=0) + xy.max(axis=0)) / 2
        xy = remove_overlaps((xy - centre) * np.array([1 / k, k]) + centre, rects)
    return xy


def footprints(G: nx.MultiDiGraph, nodes: list | None = None) -> np.ndarray:
    """The room each node needs round its position: ``[left, top, right, bottom]`` offsets in
    pixels (left and top negative), one row per node of ``nodes`` (default: all, in order).

    A shape is its radius (from its degree, as ``graph.vis`` sizes nodes by default; a box is
    0.65 of it high) with the label box under it, 5 px below; a ``"text"`` node is its label.
    The label box is 1.4 times the label: the drawing keeps labels at a readable size on screen
    (13 px), so zoomed out to 0.7 to fit a small canvas they still have room. In a view of more
    than 40 nodes the best-connected quarter (at most 60, "leaders") get room for a label 2.4
    times as big, the first ten 3.6 times: zoomed further out, the drawing keeps labels
    at a readable size, so a label takes more of the picture, and theirs come first
    (kg_view.js draws labels in order of importance). In a smaller view the best-connected
    node, most often the focus, gets 10 px more round its shape for the focus ring.

    >>> G = nx.MultiDiGraph([("a", "b"), ("a", "c")])
    >>> for node, name, kind in [("a", "Polaris", "ngo"), ("b", "CyberTipline", "tool"),
    ...                          ("c", "Meta", "company")]:
    ...     G.add_node(node, name=name, type=kind)
    >>> [[round(v) for v in row] for row in footprints(G)]  # "a": most relations, biggest, ringed
    [[-46, -46, 46, 75], [-62, -6, 62, 35], [-24, -10, 24, 39]]
    """
    nodes = list(G.nodes) if nodes is None else nodes
    schema = schema_of(G)
    degree = dict(G.degree(nodes))
    low, high = (min(degree.values()), max(degree.values())) if degree else (0, 0)
    order = {node: i for i, node in enumerate(nodes)}
    ranked = sorted(nodes, key=lambda x: (-degree[x], order[x]))
    leaders = {
        node: LEADER_ROOM * (1.5 if rank < TOP_LEADERS else 1.0)
        for rank, node in enumerate(ranked[: min(LEADER_MAX, math.ceil(LEADER_SHARE * len(nodes)))])
        if len(nodes) > SMALL_VIEW  # a small view is drawn near zoom 1: every label has room
    }
    # A small view's hub is most often its focus, drawn ringed (kg_view.js): room for the ring.
    hub = ranked[0] if ranked and len(nodes) <= SMALL_VIEW else None
    rects = np.zeros((len(nodes), 4))
    for i, node in enumerate(nodes):
        shape = schema.style(str(G.nodes[node].get("type", ""))).shape
        name = entity_label(G, node)
        room = leaders.get(node, LABEL_ROOM) if degree[node] > low else LABEL_ROOM
        if shape == TEXT_SHAPE:  # the label is the shape
            w, h = label_box(name)
            half_w, half_h = max(w, LABEL_PX) / 2, max(h, LABEL_PX * LABEL_LINE) / 2
            rects[i] = (-half_w, -half_h, half_w, half_h)
            continue
        share = (degree[node] - low) / (high - low) if high > low else 0.0
        r = MIN_NODE_SIZE + share * (MAX_NODE_SIZE - MIN_NODE_SIZE)
        top = r * BOX_HEIGHT if shape in INSIDE_LABEL_SHAPES else r
        if node == hub:
            r, top = r + FOCUS_RING_PX, top + FOCUS_RING_PX
        w, h = label_box(name)
        half_w = max(r, w * room / 2)
        rects[i] = (-half_w, -top, half_w, top + (LABEL_GAP_PX + h * room if h else 0.0))
    return rects


def _edge_index(G: nx.MultiDiGraph, nodes: list) -> tuple[np.ndarray, np.ndarray]:
    """Unique undirected node pairs (by index), without self-loops."""
    index = {node: i for i, node in enumerate(nodes)}
    pairs = {
        (min(a, b), max(a, b)) for a, b in ((index[u], index[v]) for u, v in G.edges()) if a != b
    }
    if not pairs:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    arr = np.array(sorted(pairs), dtype=np.int64)
    return arr[:, 0], arr[:, 1]


def _neighbour_px(rects: np.ndarray) -> float:
    """The median nearest-neighbour distance a force layout is scaled to: 90 px, or more when
    the typical footprint is bigger, so the overlap pass has little left to do."""
    typical = float(np.median(np.sqrt((rects[:, 2] - rects[:, 0]) * (rects[:, 3] - rects[:, 1]))))
    return max(FORCE_NEIGHBOUR_PX, 1.1 * typical)


def _force_layout(
    G: nx.MultiDiGraph,
    nodes: list,
    seed: int,
    neighbour_px: float = FORCE_NEIGHBOUR_PX,
    iterations: int = 100,
) -> np.ndarray:
    """Fruchterman–Reingold with ideal distance 1 and linear gravity, scaled to pixels."""
    n = len(nodes)
    if n == 1:
        return np.zeros((1, 2))
    eu, ev = _edge_index(G, nodes)
    rng = np.random.default_rng(seed)
    side = math.sqrt(n)
    pos = rng.uniform(-side / 2, side / 2, size=(n, 2))
    repulsion = _exact_repulsion if n <= EXACT_REPULSION_MAX_NODES else _GridRepulsion(n)
    gravity = 1.0
    t0 = side / 6
    for step in range(iterations):
        temperature = t0 * (1 - step / iterations) + 0.01
        disp = repulsion(pos)
        if len(eu):
            d = pos[eu] - pos[ev]
            pull = d * np.sqrt((d * d).sum(axis=1))[:, None]  # |d|^2 along d
            for axis in (0, 1):
                disp[:, axis] -= np.bincount(eu, pull[:, axis], n) - np.bincount(
                    ev, pull[:, axis], n
                )
        disp -= gravity * pos
        length = np.sqrt((disp * disp).sum(axis=1)) + 1e-12
        pos += disp * (np.minimum(length, temperature) / length)[:, None]
    return pos * (neighbour_px / _median_neighbour_distance(pos))


def _exact_repulsion(pos: np.ndarray) -> np.ndarray:
    """Sum over all other nodes of ``d / |d|^2`` (a 1/r push)."""
    dx = pos[:, 0, None] - pos[None, :, 0]
    dy = pos[:, 1, None] - pos[None, :, 1]
    r2 = dx * dx + dy * dy
    np.fill_diagonal(r2, np.inf)
    inv = 1.0 / np.maximum(r2, 1e-6)
    return np.stack([(dx * inv).sum(axis=1), (dy * inv).sum(axis=1)], axis=1)


class _GridRepulsion:
    """The same 1/r push, by convolving a grid of node density with the force kernel (FFT).

    Nodes are spread onto a square grid over their bounding box (cloud-in-cell weights); the
    force field is the density convolved with ``d / |d|^2``, read back at each node with the same
    weights. The kernel is scale-free (it scales as 1/cell size), so its transform is computed
    once. Cost per step is O(n + g^2 log g) instead of O(n^2).
    """

    def __init__(self, n: int):
        self.m = _fft_size(int(min(512, max(64, 4 * math.sqrt(n)))))
        self.g = self.m // 2
        k = np.fft.fftfreq(self.m, 1.0 / self.m)
        kx, ky = np.meshgrid(k, k, indexing="ij")
        r2 = kx * kx + ky * ky
        r2[0, 0] = np.inf
        self.kernel_x = np.fft.rfft2(kx / r2)
        self.kernel_y = np.fft.rfft2(ky / r2)

    def __call__(self, pos: np.ndarray) -> np.ndarray:
        g, m = self.g, self.m
        lo = pos.min(axis=0)
        cell = max(float((pos.max(axis=0) - lo).max()) / (g - 1.001), 1e-9)
        grid = (pos - lo) / cell
        base = np.minimum(np.floor(grid).astype(np.int64), g - 2)
        frac = grid - base
        corners = []
        density = np.zeros(m * m)
        for dx, dy in ((0, 0), (1, 0), (0, 1), (1, 1)):
            weight = (frac[:, 0] if dx else 1 - frac[:, 0]) * (frac[:, 1] if dy else 1 - frac[:, 1])
            flat = (base[:, 0] + dx) * m + (base[:, 1] + dy)
            corners.append((flat, weight))
            density += np.bincount(flat, weight, minlength=m * m)
        density_hat = np.fft.rfft2(density.reshape(m, m))
        force = np.zeros((len(pos), 2))
        for axis, kernel in enumerate((self.kernel_x, self.kernel_y)):
            field = np.fft.irfft2(density_hat * kernel, s=(m, m)).ravel()
            for flat, weight in corners:
                force[:, axis] += field[flat] * weight
        return force / cell


def _fft_size(at_least: int) -> int:
    """The smallest even 2^a 3^b 5^c not below ``at_least`` (sizes the FFT does fastest)."""
    size = max(2, at_least)
    while True:
        rest = size
        for p in (2, 3, 5):
            while rest % p == 0:
                rest //= p
        if rest == 1 and size % 2 == 0:
            return size
        size += 1


def _median_neighbour_distance(pos: np.ndarray) -> float:
    """Median distance from a node to its nearest other node (on a sample of up to 250)."""
    n = len(pos)
    sample = np.arange(0, n, max(1, math.ceil(n / 250)))
    dx = pos[sample, 0, None] - pos[None, :, 0]
    dy = pos[sample, 1, None] - pos[None, :, 1]
    d2 = dx * dx + dy * dy
    d2[np.arange(len(sample)), sample] = np.inf
    nearest = np.sqrt(d2.min(axis=1))
    nearest = nearest[np.isfinite(nearest)]
    median = float(np.median(nearest)) if len(nearest) else 0.0
    return median if median > 1e-9 else 1.0


def _hierarchical_layout(G: nx.MultiDiGraph, nodes: list, footprint: np.ndarray) -> np.ndarray:
    """Breadth-first layers per component, components packed on shelves."""
    index = {node: i for i, node in enumerate(nodes)}
    U = nx.Graph()
    U.add_nodes_from(nodes)
    U.add_edges_from((u, v) for u, v in G.edges() if u != v)
    degree = dict(U.degree())
    order_key = {node: i for i, node in enumerate(nodes)}
    components = sorted(
        nx.connected_components(U), key=lambda c: (-len(c), min(order_key[x] for x in c))
    )
    wrap = max(12, math.ceil(2 * math.sqrt(len(nodes))))
    blocks = []
    for component in components:
        root = min(component, key=lambda x: (-degree[x], order_key[x]))
        depth = nx.single_source_shortest_path_length(U, root)
        layers: dict[int, list] = defaultdict(list)
        for node in component:
            layers[depth[node]].append(node)
        slot: dict[Any, float] = {root: 0.0}
        rows: list[list] = []
        for d in range(max(layers) + 1):
            layer = layers[d]

            def barycentre(x: Any) -> float:
                above = [slot[y] for y in U[x] if depth[y] == d - 1]  # noqa: B023 (sorted now)
                return sum(above) / len(above) if above else 0.0

            layer.sort(key=lambda x: (barycentre(x), -degree[x], order_key[x]))
            for i, node in enumerate(layer):
                slot[node] = float(i)
            for start in range(0, len(layer), wrap):
                rows.append(layer[start : start + wrap])
        xs = []
        for row in rows:
            x, at = 0.0, []
            for i, node in enumerate(row):
                if i:
                    x += max(SLOT_PX, footprint[index[row[i - 1]]] + footprint[index[node]] + 24)
                at.append(x)
            xs.append(at)
        width = max(at[-1] for at in xs)
        block = {}
        for r, (row, at) in enumerate(zip(rows, xs)):
            offset = (width - at[-1]) / 2
            for node, x in zip(row, at):
                block[node] = (offset + x, r * LAYER_GAP_PX)
        blocks.append((block, width + SLOT_PX, len(rows) * LAYER_GAP_PX))
    xy = np.zeros((len(nodes), 2))
    for node, (x, y) in _pack_shelves(blocks).items():
        xy[index[node]] = (x, y)
    return xy


def _pack_shelves(blocks: list[tuple[dict, float, float]]) -> dict:
    """Place blocks left to right, wrapping to a new shelf at about a square's width."""
    area = sum(w * h for _, w, h in blocks)
    limit = max(max(w for _, w, _ in blocks), 1.3 * math.sqrt(area))
    placed: dict = {}
    x = y = shelf_height = 0.0
    for block, width, height in blocks:
        if x > 0 and x + width > limit:
            x, y, shelf_height = 0.0, y + shelf_height, 0.0
        for node, (bx, by) in block.items():
            placed[node] = (x + bx, y + by)
        x += width
        shelf_height = max(shelf_height, height)
    return placed


GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))


def _type_layout(G: nx.MultiDiGraph, nodes: list, footprint: np.ndarray) -> np.ndarray:
    """A sunflower disc per type (stretched sideways, as labels are wide), the discs round a
    circle wide enough that none overlap."""
    schema = schema_of(G)
    degree = dict(G.degree())
    order_key = {node: i for i, node in enumerate(nodes)}
    groups: dict[str, list] = defaultdict(list)
    for node in nodes:
        groups[str(G.nodes[node].get("type", ""))].append(node)
    declared = {t: i for i, t in enumerate(schema.type_ids())}
    types = sorted(groups, key=lambda t: (declared.get(t, len(declared)), t))
    index = {node: i for i, node in enumerate(nodes)}
    stretch_x, stretch_y = 1.3, 0.85
    # Room for a typical label of the type; the overlap pass makes room for the longest.
    spacing = {
        t: max(TYPE_SPACING_PX, 1.6 * float(np.mean([footprint[index[x]] for x in groups[t]])))
        for t in types
    }
    radii = [spacing[t] * stretch_x * (0.56 * math.sqrt(len(groups[t])) + 0.3) for t in types]
    centres = _ring_centres(radii, gap=TYPE_SPACING_PX * 1.2)
    xy = np.zeros((len(nodes), 2))
    for t, (cx, cy) in zip(types, centres):
        members = sorted(groups[t], key=lambda x: (-degree[x], order_key[x]))
        for i, node in enumerate(members):
            r = spacing[t] * 0.56 * math.sqrt(i + 0.5) if i else 0.0
            a = i * GOLDEN_ANGLE
            xy[index[node]] = (cx + stretch_x * r * math.cos(a), cy + stretch_y * r * math.sin(a))
    return xy


def _ring_centres(radii: list[float], gap: float) -> list[tuple[float, float]]:
    """Centres on a circle, arcs proportional to disc sizes, grown until no two discs touch."""
    if len(radii) == 1:
        return [(0.0, 0.0)]
    spans = [2 * r + gap for r in radii]
    ring = max(sum(spans) / (2 * math.pi), max(radii) + gap)
    angles, acc = [], 0.0
    for span in spans:
        angles.append(2 * math.pi * (acc + span / 2) / sum(spans) - math.pi / 2)
        acc += span
    while True:
        centres = [(ring * math.cos(a), ring * math.sin(a)) for a in angles]
        clash = any(
            math.dist(centres[i], centres[j]) < radii[i] + radii[j] + gap
            for i in range(len(radii))
            for j in range(i + 1, len(radii))
        )
        if not clash:
            return centres
        ring *= 1.1


def remove_overlaps(xy: np.ndarray, rects: np.ndarray, rounds: int = 400) -> np.ndarray:
    """Move nodes until no two footprints overlap (4 px apart, 12 px side by side), changing
    the picture little.

    ``rects`` are :func:`footprints` rows. Each round pushes every overlapping pair apart along
    the axis where they overlap least, a little more than half the overlap each way: boxes slide
    past each other sideways or up and down, as in Gephi's label adjust, so neighbourhoods keep
    their shape. The pairs that may touch come from a grid of footprint centres, found again
    every few rounds. Deterministic.

    >>> xy = remove_overlaps(np.zeros((3, 2)), np.array([[-20.0, -10, 20, 10]] * 3))
    >>> gaps = [abs(xy[i] - xy[j]) for i in range(3) for j in range(i)]
    >>> all(dx >= 51.5 or dy >= 23.5 for dx, dy in gaps)  # 40 x 20 boxes
    True
    """
    xy = np.array(xy, dtype=float)
    n = len(xy)
    if n < 2:
        return xy
    offset = (rects[:, :2] + rects[:, 2:]) / 2  # footprint centre relative to the node
    half = (rects[:, 2:] - rects[:, :2]) / 2 + np.array([SIDE_PAD_PX, OVERLAP_PAD_PX]) / 2
    cell = 2 * float(half.max()) + 8 * OVERLAP_PAD_PX  # room to move before pairs are renewed
    step = 0
    while step < rounds:
        pi, pj = _near_pairs(xy + offset, cell)
        if pi is None:
            break
        fresh = True
        for _ in range(8):
            step += 1
            if not _push_apart(xy, offset, half, pi, pj, n):
                break
            fresh = False
        if fresh:
            break  # no overlap among freshly found pairs: done
        if step >= EXPAND_AFTER_ROUNDS:
            # Crowds that local pushes clear only slowly: spread the whole picture a little.
            centre = (xy.min(axis=0) + xy.max(axis=0)) / 2
            xy[:] = centre + (xy - centre) * EXPAND_FACTOR
    return xy


def _push_apart(xy, offset, half, pi, pj, n) -> bool:
    """One round of :func:`remove_overlaps` over candidate pairs; False if none overlapped."""
    d = (xy[pj] + offset[pj]) - (xy[pi] + offset[pi])
    overlap = half[pi] + half[pj] - np.abs(d)
    hit = (overlap[:, 0] > 0.25) & (overlap[:, 1] > 0.25)  # within the gap: close enough
    if not hit.any():
        return False
    i, j, d, overlap = pi[hit], pj[hit], d[hit], overlap[hit]
    axis = (overlap[:, 1] < overlap[:, 0]).astype(np.int64)  # push along the smaller one
    rows = np.arange(len(i))
    sign = np.sign(d[rows, axis])
    sign[sign == 0] = 1.0  # coincident: the later node goes right or down
    push = np.zeros((len(i), 2))
    push[rows, axis] = sign * (overlap[rows, axis] * 0.5 + 0.05)
    move = np.zeros_like(xy)
    for k in (0, 1):
        move[:, k] += np.bincount(j, push[:, k], n) - np.bincount(i, push[:, k], n)
    counts = np.bincount(i, minlength=n) + np.bincount(j, minlength=n)
    xy += move / np.sqrt(np.maximum(counts, 1))[:, None]
    return True


def _near_pairs(xy: np.ndarray, r: float, cap: int = 5_000_000):
    """All pairs (i, j) that may lie within ``r``: same or adjacent grid cells of side ``r``."""
    n = len(xy)
    cells = np.floor((xy - xy.min(axis=0)) / r).astype(np.int64)
    width = int(cells[:, 1].max()) + 3
    key = cells[:, 0] * width + cells[:, 1]
    order = np.argsort(key, kind="stable")
    sorted_key = key[order]
    firsts, seconds = [], []
    total = 0
    for dx, dy in ((0, 0), (1, -1), (1, 0), (1, 1), (0, 1)):
        target = sorted_key + dx * width + dy
        start = np.searchsorted(sorted_key, target, "left")
        end = np.searchsorted(sorted_key, target, "right")
        if (dx, dy) == (0, 0):
            start = np.maximum(start, np.arange(n) + 1)
        count = np.clip(end - start, 0, None)
        total += int(count.sum())
        if total > cap:
            return None, None
        first = np.repeat(np.arange(n), count)
        begin = np.repeat(start - (np.cumsum(count) - count), count)
        second = begin + np.arange(int(count.sum()))
        firsts.append(order[first])
        seconds.append(order[second])
    return np.concatenate(firsts), np.concatenate(seconds)
