"""Drawing data for vis-network: positions, node and edge styling, and a standalone HTML export.

Everything a browser needs to draw the graph is computed here, in Python, so the drawing stands
still as soon as it appears (physics is off in the browser). The same data feeds the Streamlit
app's component and the one-file HTML export; both draw it with ``graph/assets/kg_view.js``.

The vis-network library itself is read at run time from the installed ``pyvis`` package (it is
never copied into this repository and never fetched from a CDN). ``pyvis`` is imported nowhere
else in :mod:`graph`.

Examples
--------
>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("a", name="INTERPOL", type="international_org")
>>> G.add_node("b", name="Operation Synergia", type="operation")
>>> _ = G.add_edge("a", "b", relation="led", evidence="INTERPOL led it.")
>>> data = vis_data(G, positions=compute_layout(G))
>>> [n["label"] for n in data["nodes"]]
['INTERPOL', 'Operation Synergia']
>>> data["edges"][0]["title"].splitlines()[0]
'INTERPOL led Operation Synergia'
"""

from __future__ import annotations

import html
import json
import math
import re
from collections import Counter, defaultdict
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Collection, Hashable, Iterable, Mapping

import networkx as nx
import numpy as np

from graph.query import entity_name
from graph.schema import FALLBACK_COLOR, Schema, default_schema

__all__ = [
    "LAYOUTS",
    "COMMUNITY_PALETTE",
    "compute_layout",
    "vis_data",
    "vis_network_js",
    "kg_view_js",
    "kg_view_css",
    "standalone_html",
]

ASSETS = Path(__file__).parent / "assets"

LAYOUTS = ("force", "hierarchical", "type")
"""Layout names :func:`compute_layout` accepts."""

COMMUNITY_PALETTE = (
    "#CC6677", "#332288", "#DDCC77", "#117733", "#88CCEE",
    "#882255", "#44AA99", "#999933", "#AA4499",
)
"""Paul Tol's colour-blind-safe "muted" palette; communities past the ninth share grey."""

OTHER_COMMUNITY_COLOR = FALLBACK_COLOR

# Pixel geometry of the drawing (vis-network canvas units).
NODE_SIZE = 16          # default radius of a dot-like node
MIN_NODE_SIZE = 10      # radius of the lowest-scoring node when size_by is given
MAX_NODE_SIZE = 36      # radius of the highest-scoring node
FORCE_NEIGHBOUR_PX = 90.0   # median nearest-neighbour distance after scaling a force layout
MIN_GAP_PX = 56.0       # dots closer than this are pushed apart after a layout
LABEL_WIDTH_PX = 170    # labels wrap at this width (kg_view.js sets widthConstraint to match)
CHAR_PX = 7.2           # rough width of one character of a 14 px label
LAYER_GAP_PX = 150.0    # vertical distance between hierarchical layers
SLOT_PX = 150.0         # horizontal distance between nodes of a hierarchical layer
TYPE_SPACING_PX = 110.0  # distance between neighbouring nodes inside a type cluster

EDGE_COLOR = "#8A8F98"
HIGHLIGHT_COLOR = "#111111"
LABEL_COLOR = "#222222"
INSIDE_LABEL_SHAPES = frozenset({"box", "ellipse", "circle", "database", "text"})
"""vis-network shapes that draw the label inside the shape (and ignore ``size``)."""

TOOLTIP_DESCRIPTION_CHARS = 280
TOOLTIP_EVIDENCE_CHARS = 400
EXACT_REPULSION_MAX_NODES = 250


# --------------------------------------------------------------------------------------------
# Layouts
# --------------------------------------------------------------------------------------------

def compute_layout(G: nx.MultiDiGraph, layout: str = "force", *,
                   seed: int = 7) -> dict[str, tuple[float, float]]:
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
        ``node id -> (x, y)`` for every node; ``{}`` for an empty graph. Nodes closer than about
        56 px are pushed apart, so dots of the default size do not overlap.

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
    footprint = _footprints(G, nodes)
    if layout == "force":
        xy = _force_layout(G, nodes, seed)
    elif layout == "hierarchical":
        xy = _hierarchical_layout(G, nodes, footprint)
    else:
        xy = _type_layout(G, nodes, footprint)
    xy = _separate(xy, footprint)
    xy -= (xy.min(axis=0) + xy.max(axis=0)) / 2
    return {node: (round(float(x), 1), round(float(y), 1)) for node, (x, y) in zip(nodes, xy)}


def _footprints(G: nx.MultiDiGraph, nodes: list) -> np.ndarray:
    """Half the room each node needs: 28 px for a dot (label below), more for a shape that
    holds its label (box, ellipse, circle, database), estimated from the wrapped label."""
    schema = _schema(G)
    radii = np.full(len(nodes), MIN_GAP_PX / 2)
    for i, node in enumerate(nodes):
        if schema.style(str(G.nodes[node].get("type", ""))).shape in INSIDE_LABEL_SHAPES:
            width = min(LABEL_WIDTH_PX, CHAR_PX * len(entity_name(G, node))) + 24
            radii[i] = max(radii[i], width / 2 + 6)
    return radii


def _edge_index(G: nx.MultiDiGraph, nodes: list) -> tuple[np.ndarray, np.ndarray]:
    """Unique undirected node pairs (by index), without self-loops."""
    index = {node: i for i, node in enumerate(nodes)}
    pairs = {(min(a, b), max(a, b)) for a, b in ((index[u], index[v]) for u, v in G.edges())
             if a != b}
    if not pairs:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    arr = np.array(sorted(pairs), dtype=np.int64)
    return arr[:, 0], arr[:, 1]


def _force_layout(G: nx.MultiDiGraph, nodes: list, seed: int,
                  iterations: int = 100) -> np.ndarray:
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
            pull = d * np.sqrt((d * d).sum(axis=1))[:, None]    # |d|^2 along d
            for axis in (0, 1):
                disp[:, axis] -= (np.bincount(eu, pull[:, axis], n)
                                  - np.bincount(ev, pull[:, axis], n))
        disp -= gravity * pos
        length = np.sqrt((disp * disp).sum(axis=1)) + 1e-12
        pos += disp * (np.minimum(length, temperature) / length)[:, None]
    return pos * (FORCE_NEIGHBOUR_PX / _median_neighbour_distance(pos))


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
    components = sorted(nx.connected_components(U),
                        key=lambda c: (-len(c), min(order_key[x] for x in c)))
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
                above = [slot[y] for y in U[x] if depth[y] == d - 1]
                return sum(above) / len(above) if above else 0.0

            layer.sort(key=lambda x: (barycentre(x), -degree[x], order_key[x]))
            for i, node in enumerate(layer):
                slot[node] = float(i)
            for start in range(0, len(layer), wrap):
                rows.append(layer[start:start + wrap])
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
    schema = _schema(G)
    degree = dict(G.degree())
    order_key = {node: i for i, node in enumerate(nodes)}
    groups: dict[str, list] = defaultdict(list)
    for node in nodes:
        groups[str(G.nodes[node].get("type", ""))].append(node)
    declared = {t: i for i, t in enumerate(schema.type_ids())}
    types = sorted(groups, key=lambda t: (declared.get(t, len(declared)), t))
    index = {node: i for i, node in enumerate(nodes)}
    stretch_x, stretch_y = 1.3, 0.85
    spacing = {t: max(TYPE_SPACING_PX, 2 * max(footprint[index[x]] for x in groups[t]) + 12)
               for t in types}
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
        clash = any(math.dist(centres[i], centres[j]) < radii[i] + radii[j] + gap
                    for i in range(len(radii)) for j in range(i + 1, len(radii)))
        if not clash:
            return centres
        ring *= 1.1


def _separate(xy: np.ndarray, radius: np.ndarray, rounds: int = 30) -> np.ndarray:
    """Push apart nodes closer than the sum of their radii (grid-hashed pairs, a few rounds)."""
    xy = np.array(xy, dtype=float)
    n = len(xy)
    if n < 2:
        return xy
    for _ in range(rounds):
        i, j = _near_pairs(xy, 2 * float(radius.max()))
        if i is None:
            break
        d = xy[j] - xy[i]
        dist = np.sqrt((d * d).sum(axis=1))
        min_dist = radius[i] + radius[j]
        close = dist < min_dist * 0.999
        if not close.any():
            break
        i, j, d, dist, min_dist = i[close], j[close], d[close], dist[close], min_dist[close]
        # Coincident nodes: a deterministic direction from their indices.
        same = dist < 1e-9
        if same.any():
            angle = (i[same] * 7 + j[same] * 13) * GOLDEN_ANGLE
            d[same] = np.stack([np.cos(angle), np.sin(angle)], axis=1)
            dist[same] = 1.0
        overlap = np.where(same, min_dist, min_dist - dist)
        push = d / dist[:, None] * (overlap * 0.5)[:, None]
        move = np.zeros_like(xy)
        for axis in (0, 1):
            move[:, axis] += np.bincount(j, push[:, axis], n) - np.bincount(i, push[:, axis], n)
        counts = np.bincount(i, minlength=n) + np.bincount(j, minlength=n)
        xy += move / np.maximum(counts, 1)[:, None]
    return xy


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


# --------------------------------------------------------------------------------------------
# vis-network data
# --------------------------------------------------------------------------------------------

def vis_data(G: nx.MultiDiGraph, *, positions: Mapping[Hashable, tuple[float, float]] | None = None,
             color_by: str = "type", communities: Mapping[Hashable, int] | None = None,
             size_by: Mapping[Hashable, float] | None = None,
             highlight_nodes: Iterable[Hashable] = (), highlight_edges: Iterable[Any] = (),
             selected: Hashable | None = None) -> dict[str, Any]:
    """Nodes, edges and legend for vis-network, as JSON-serialisable data.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The graph in the :mod:`graph.load` shape; ``G.graph["schema"]`` styles it (the built-in
        schema when missing) and ``G.graph["documents"]`` names the documents.
    positions : mapping, optional
        ``node -> (x, y)`` in pixels, e.g. from :func:`compute_layout`. When omitted the
        ``"force"`` layout is computed, so the drawing never needs browser physics. A node
        missing from a given mapping is put at the origin.
    color_by : {"type", "community"}
        Fill colour from the node's entity type (schema), or from its community: the nine largest
        communities get Paul Tol's colour-blind-safe "muted" colours, the rest grey. Shapes
        always follow the type.
    communities : mapping, optional
        ``node -> community index``; required for ``color_by="community"``.
    size_by : mapping, optional
        ``node -> score`` (degree, PageRank, ...). Dot radii scale linearly with the score from
        10 px (lowest) to 36 px (highest); nodes without a score get the lowest size. Without
        it every node is 16 px.
    highlight_nodes : iterable
        Nodes drawn with a thick dark border (``"highlighted": True``), e.g. a path.
    highlight_edges : iterable
        Edges drawn thick and dark. Each item is an edge id ``"u|v|key"``, a ``(u, v, key)``
        triple, or a ``(u, v)`` pair (every parallel edge between u and v, either direction).
    selected : node, optional
        The node to show as selected (``"selected": True`` on it and in the result).

    Returns
    -------
    dict
        ``{"nodes": [...], "edges": [...], "legend": [...], "selected": id or None}``.

        Each node: ``id``, ``label`` (name), ``type``, ``shape``, ``color`` (vis colour object),
        ``font``, ``x``, ``y``, ``size``, ``borderWidth``, ``title`` (plain-text tooltip: name,
        type label, description), ``highlighted``, ``selected`` and ``details`` for a click
        panel: ``name``, ``type``, ``type_label``, ``aliases``, ``description``, ``date``,
        ``documents`` (``id``, ``title``, ``publisher``, ``date``, ``url``) and ``relations``
        (``edge``, ``sentence``, ``relation``, ``direction`` "out"/"in", ``other``,
        ``other_name``, ``evidence``, ``date``, ``documents``).

        Each edge: ``id`` ``"u|v|key"``, ``from``, ``to``, ``arrows`` "to", ``relation``,
        ``title`` (the sentence, the evidence quote and the document titles, plain text),
        ``color``, ``width``, ``highlighted`` and, for parallel edges, a ``smooth`` curve so they
        do not overlap. Edges carry no label.

        Each legend entry: ``kind`` ("type" or "community"), ``id``, ``label``, ``color``,
        ``shape``, ``count``. With ``color_by="community"`` the type entries keep their shapes
        but are drawn grey, and the communities follow.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("a", name="INTERPOL", type="international_org", description="Police body")
    >>> G.add_node("b", name="Synergia", type="operation")
    >>> _ = G.add_edge("a", "b", relation="led", evidence="It led Synergia.")
    >>> data = vis_data(G, positions={"a": (0, 0), "b": (100, 0)}, highlight_edges=[("a", "b")])
    >>> node = data["nodes"][0]
    >>> node["shape"], node["color"]["background"], node["title"]
    ('hexagon', '#0072B2', 'INTERPOL\\nInternational organisation\\nPolice body')
    >>> edge = data["edges"][0]
    >>> edge["id"], edge["title"].splitlines()[0], edge["highlighted"]
    ('a|b|0', 'INTERPOL led Synergia', True)
    >>> node["details"]["relations"][0]["sentence"]
    'INTERPOL led Synergia'
    >>> [(e["label"], e["count"]) for e in data["legend"]]
    [('International organisation', 1), ('Operation', 1)]
    """
    if color_by not in ("type", "community"):
        raise ValueError(f"color_by must be 'type' or 'community', not {color_by!r}")
    if color_by == "community" and communities is None:
        raise ValueError("color_by='community' needs communities (node -> community index)")
    schema = _schema(G)
    documents = G.graph.get("documents") or {}
    if positions is None:
        positions = compute_layout(G, "force")
    lit_nodes = set(highlight_nodes)
    lit_edges = _edge_matcher(highlight_edges)
    community_colors = _community_colors(communities) if color_by == "community" else {}
    sizes = _sizes(G, size_by)
    names = {node: entity_name(G, node) for node in G.nodes}

    relations: dict[Hashable, list[dict]] = defaultdict(list)
    edges = []
    pair_rank: Counter = Counter()
    pair_total = Counter(frozenset((u, v)) for u, v in G.edges() if u != v)
    for u, v, key, attrs in G.edges(keys=True, data=True):
        relation = str(attrs.get("relation", ""))
        sentence = schema.sentence(names[u], relation, names[v])
        evidence = str(attrs.get("evidence", "") or "")
        docs = [_document(documents, d) for d in _as_list(attrs.get("documents"))]
        edge_id = f"{u}|{v}|{key}"
        lit = lit_edges(u, v, key, edge_id)
        edge: dict[str, Any] = {
            "id": edge_id, "from": u, "to": v, "arrows": "to", "relation": relation,
            "title": _edge_title(sentence, evidence, docs),
            "color": ({"color": HIGHLIGHT_COLOR, "highlight": HIGHLIGHT_COLOR,
                       "hover": HIGHLIGHT_COLOR} if lit else
                      {"color": EDGE_COLOR, "highlight": "#333333", "hover": "#555555"}),
            "width": 4 if lit else 1,
            "highlighted": lit,
        }
        pair = frozenset((u, v))
        if u != v and pair_total[pair] > 1:
            rank = pair_rank[(u, v)]
            pair_rank[(u, v)] += 1
            edge["smooth"] = {"enabled": True, "type": "curvedCW",
                              "roundness": round(0.15 + 0.15 * rank, 2)}
        edges.append(edge)
        item = {"edge": edge_id, "sentence": sentence, "relation": relation,
                "evidence": evidence, "date": str(attrs.get("date", "") or ""),
                "documents": docs}
        relations[u].append({**item, "direction": "out", "other": v, "other_name": names[v]})
        if v != u:
            relations[v].append({**item, "direction": "in", "other": u, "other_name": names[u]})

    nodes = []
    type_counts: Counter = Counter()
    community_counts: Counter = Counter()
    for node, attrs in G.nodes(data=True):
        type_id = str(attrs.get("type", ""))
        style = schema.style(type_id)
        type_counts[type_id] += 1
        if color_by == "community":
            index = communities.get(node) if communities is not None else None
            community_counts[index] += 1
            fill = community_colors.get(index, OTHER_COMMUNITY_COLOR)
        else:
            fill = style.color
        lit = node in lit_nodes
        is_selected = selected is not None and node == selected
        x, y = positions.get(node, (0.0, 0.0))
        description = str(attrs.get("description", "") or "")
        border = HIGHLIGHT_COLOR if lit else _shade(fill, 0.7)
        entry = {
            "id": node,
            "label": names[node],
            "type": type_id,
            "shape": style.shape,
            "color": {"background": fill, "border": border,
                      "highlight": {"background": fill, "border": HIGHLIGHT_COLOR},
                      "hover": {"background": fill, "border": HIGHLIGHT_COLOR}},
            "font": _label_font(fill, style.shape),
            "x": float(x), "y": float(y),
            "size": sizes[node],
            "borderWidth": 4 if lit else 1,
            "title": _node_title(names[node], style.label, description),
            "highlighted": lit,
            "selected": is_selected,
            "details": {
                "name": names[node], "type": type_id, "type_label": style.label,
                "aliases": [str(a) for a in _as_list(attrs.get("aliases"))],
                "description": description,
                "date": str(attrs.get("date", "") or ""),
                "documents": [_document(documents, d) for d in _as_list(attrs.get("documents"))],
                "relations": relations.get(node, []),
            },
        }
        nodes.append(entry)

    legend = _legend(schema, type_counts, community_counts, community_colors, color_by)
    return {"nodes": nodes, "edges": edges, "legend": legend,
            "selected": selected if selected is not None and selected in G else None}


def _schema(G: nx.MultiDiGraph) -> Schema:
    schema = G.graph.get("schema")
    return schema if isinstance(schema, Schema) else default_schema()


def _as_list(value: Any) -> list:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [value]
    return list(value)


def _document(documents: Mapping[str, Mapping[str, Any]], doc_id: Any) -> dict[str, str]:
    doc = documents.get(doc_id) or {}
    url = str(doc.get("url", "") or "")
    return {"id": str(doc_id), "title": str(doc.get("title", "") or doc_id),
            "publisher": str(doc.get("publisher", "") or ""),
            "date": str(doc.get("date", "") or ""),
            "url": url if re.match(r"^https?://", url, re.IGNORECASE) else ""}


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _node_title(name: str, type_label: str, description: str) -> str:
    lines = [name, type_label]
    if description:
        lines.append(_clip(description, TOOLTIP_DESCRIPTION_CHARS))
    return "\n".join(lines)


def _edge_title(sentence: str, evidence: str, docs: list[dict[str, str]]) -> str:
    lines = [sentence]
    if evidence:
        lines.append(f"“{_clip(evidence, TOOLTIP_EVIDENCE_CHARS)}”")
    if docs:
        lines.append("— " + "; ".join(d["title"] for d in docs))
    return "\n".join(lines)


def _edge_matcher(items: Iterable[Any]):
    ids, triples, pairs = set(), set(), set()
    for item in items:
        if isinstance(item, str):
            ids.add(item)
        elif isinstance(item, (tuple, list)) and len(item) == 3:
            triples.add((item[0], item[1], item[2]))
        elif isinstance(item, (tuple, list)) and len(item) == 2:
            pairs.add(frozenset(item))
        else:
            raise ValueError(f"highlight_edges item {item!r} is not an id, pair or triple")

    def lit(u: Hashable, v: Hashable, key: Any, edge_id: str) -> bool:
        return edge_id in ids or (u, v, key) in triples or frozenset((u, v)) in pairs
    return lit


def _community_colors(communities: Mapping[Hashable, int] | None) -> dict[int, str]:
    """Palette colours for the largest communities (ties: lower index first)."""
    sizes = Counter((communities or {}).values())
    ranked = sorted(sizes, key=lambda c: (-sizes[c], c))
    return {c: COMMUNITY_PALETTE[i] for i, c in enumerate(ranked[:len(COMMUNITY_PALETTE)])}


def _sizes(G: nx.MultiDiGraph, size_by: Mapping[Hashable, float] | None) -> dict[Hashable, float]:
    if size_by is None:
        return {node: float(NODE_SIZE) for node in G.nodes}
    values = [float(size_by[n]) for n in G.nodes if n in size_by]
    low, high = (min(values), max(values)) if values else (0.0, 0.0)
    span = high - low
    sizes = {}
    for node in G.nodes:
        if node not in size_by or span <= 0:
            share = 0.0 if node not in size_by or not values else 0.5
        else:
            share = (float(size_by[node]) - low) / span
        sizes[node] = round(MIN_NODE_SIZE + share * (MAX_NODE_SIZE - MIN_NODE_SIZE), 2)
    return sizes


def _rgb(color: str) -> tuple[int, int, int]:
    value = color.lstrip("#")
    if not re.fullmatch(r"[0-9a-fA-F]{6}", value):
        value = FALLBACK_COLOR.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def _shade(color: str, factor: float) -> str:
    r, g, b = _rgb(color)
    return "#{:02X}{:02X}{:02X}".format(int(r * factor), int(g * factor), int(b * factor))


def _label_font(fill: str, shape: str) -> dict[str, Any]:
    """A label's font: inside a filled shape it needs no halo (the stroke would blur it)."""
    font: dict[str, Any] = {"color": _label_color(fill, shape)}
    if shape in INSIDE_LABEL_SHAPES and shape != "text":
        font["strokeWidth"] = 0
    return font


def _label_color(fill: str, shape: str) -> str:
    """Dark text beside a shape; inside a shape, black or white for contrast with the fill."""
    if shape not in INSIDE_LABEL_SHAPES or shape == "text":
        return LABEL_COLOR if shape != "text" else fill
    channels = [c / 255 for c in _rgb(fill)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return "#000000" if luminance > 0.18 else "#FFFFFF"


def _legend(schema: Schema, type_counts: Counter, community_counts: Counter,
            community_colors: Mapping[int, str], color_by: str) -> list[dict[str, Any]]:
    declared = {t: i for i, t in enumerate(schema.type_ids())}
    legend = []
    for type_id in sorted(type_counts, key=lambda t: (declared.get(t, len(declared)), t)):
        style = schema.style(type_id)
        legend.append({"kind": "type", "id": type_id, "label": style.label,
                       "color": style.color if color_by == "type" else FALLBACK_COLOR,
                       "shape": style.shape, "count": type_counts[type_id]})
    if color_by == "community":
        coloured = [c for c in community_colors if c in community_counts]
        for c in sorted(coloured, key=lambda c: (-community_counts[c], c)):
            legend.append({"kind": "community", "id": c, "label": f"Community {c}",
                           "color": community_colors[c], "shape": "dot",
                           "count": community_counts[c]})
        rest = sum(k for c, k in community_counts.items() if c not in community_colors)
        if rest:
            legend.append({"kind": "community", "id": None,
                           "label": "Other communities" if len(community_colors) else "No community",
                           "color": OTHER_COMMUNITY_COLOR, "shape": "dot", "count": rest})
    return legend


# --------------------------------------------------------------------------------------------
# Browser assets and the standalone export
# --------------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def vis_network_js() -> str:
    """The vis-network 9.1.2 library, read from the installed ``pyvis`` package.

    Returns
    -------
    str
        The minified standalone build that defines the global ``vis``.

    Examples
    --------
    >>> js = vis_network_js()
    >>> "vis-network" in js[:200] and "@version 9.1.2" in js[:400]
    True
    """
    path = resources.files("pyvis").joinpath("lib", "vis-9.1.2", "vis-network.min.js")
    return path.read_text(encoding="utf-8")


def _asset(name: str) -> str:
    return (ASSETS / name).read_text(encoding="utf-8")


def kg_view_js() -> str:
    """The shared drawing script (``graph/assets/kg_view.js``) defining ``window.KGView``.

    ``KGView.mount(container, data, {onSelect, onDoubleClick})`` draws :func:`vis_data` output
    into ``container`` (which needs ``vis`` loaded first) and returns a handle with ``network``,
    ``select``, ``focus``, ``setData``, ``domPosition`` and ``destroy``.

    Examples
    --------
    >>> "KGView" in kg_view_js()
    True
    """
    return _asset("kg_view.js")


def kg_view_css() -> str:
    """Styles the shared drawing needs (tooltips): ``graph/assets/kg_view.css``.

    Examples
    --------
    >>> ".vis-tooltip" in kg_view_css()
    True
    """
    return _asset("kg_view.css")


def _script_json(data: Any) -> str:
    """JSON safe inside ``<script type="application/json">``: no ``<``, ``>``, ``&`` or U+2028/9."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _inline_script(code: str) -> str:
    """Script text that cannot close its own ``<script>`` element early.

    ``</script`` and ``<!--`` can only occur inside string, template or regex literals in these
    scripts, where ``\\x3C`` means the same ``<``.
    """
    return re.sub(r"<(?=/script|!--)", r"\\x3C", code, flags=re.IGNORECASE)


def standalone_html(G: nx.MultiDiGraph, *, title: str,
                    positions: Mapping[Hashable, tuple[float, float]] | None = None,
                    layout: str = "force", color_by: str = "type",
                    communities: Mapping[Hashable, int] | None = None,
                    size_by: Mapping[Hashable, float] | None = None,
                    highlight_nodes: Iterable[Hashable] = (),
                    highlight_edges: Iterable[Any] = ()) -> str:
    """One self-contained HTML page that draws the graph from disk with no network at all.

    The page inlines vis-network (from ``pyvis``), ``graph/assets/`` scripts and styles, and the
    :func:`vis_data` output as a JSON block. It has the title, a legend, a search box (names and
    aliases), a details panel for a clicked node (description, aliases, documents, every
    relation as a sentence with its evidence) and a "Save as PNG" button. A Content Security
    Policy forbids every fetch, and all data is inserted as text, never as markup.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The graph in the :mod:`graph.load` shape.
    title : str
        Page title and heading (escaped).
    positions : mapping, optional
        ``node -> (x, y)``; computed with ``layout`` when omitted.
    layout : {"force", "hierarchical", "type"}
        Layout used when ``positions`` is omitted.
    color_by, communities, size_by, highlight_nodes, highlight_edges
        As in :func:`vis_data`.

    Returns
    -------
    str
        The HTML text. The graph container is ``<div data-testid="kg-graph">`` with
        ``data-node-count`` and ``data-edge-count``.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("a", name="</script><b>x</b>", type="tool")
    >>> page = standalone_html(G, title="Demo")
    >>> 'data-testid="kg-graph"' in page and 'data-node-count="1"' in page
    True
    >>> "</script><b>" in page
    False
    """
    if positions is None:
        positions = compute_layout(G, layout)
    data = vis_data(G, positions=positions, color_by=color_by, communities=communities,
                    size_by=size_by, highlight_nodes=highlight_nodes,
                    highlight_edges=highlight_edges)
    dataset = str(G.graph.get("name", "") or "")
    values = {
        "TITLE": html.escape(title),
        "SUBTITLE": html.escape(
            f"{dataset + ' · ' if dataset and dataset != title else ''}"
            f"{len(data['nodes'])} entities, {len(data['edges'])} relations"),
        "NODE_COUNT": str(len(data["nodes"])),
        "EDGE_COUNT": str(len(data["edges"])),
        "STYLE": _asset("kg_view.css") + "\n" + _asset("kg_export.css"),
        "DATA": _script_json({"title": title, "dataset": dataset, **data}),
        "VIS_JS": _inline_script(vis_network_js()),
        "VIEW_JS": _inline_script(kg_view_js()),
        "EXPORT_JS": _inline_script(_asset("kg_export.js")),
    }
    template = _asset("standalone.html")
    # One pass, so text inserted for one placeholder is never scanned for another.
    return re.sub(r"\{\{KG_([A-Z_]+)\}\}", lambda m: values[m.group(1)], template)
