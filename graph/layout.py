"""Where each node goes: force-directed, hierarchical and by-type layouts in pixel units.

Positions are computed in Python, once per view, so the browser's drawing stands still as soon
as it appears (physics is off there). :func:`compute_layout` is the one entry point; everything
else here is its machinery: Fruchterman–Reingold forces (exact repulsion up to 250 nodes, an FFT
density grid above), breadth-first layers, type discs round a circle, and a final pass that
pushes overlapping nodes apart.

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

from graph.query import entity_name, schema_of

__all__ = ["LAYOUTS", "compute_layout"]

LAYOUTS = ("force", "hierarchical", "type")
"""Layout names :func:`compute_layout` accepts."""

# Pixel geometry of the drawing (vis-network canvas units).
FORCE_NEIGHBOUR_PX = 90.0  # median nearest-neighbour distance after scaling a force layout
MIN_GAP_PX = 56.0  # dots closer than this are pushed apart after a layout
LABEL_WIDTH_PX = 170  # labels wrap at this width (kg_view.js sets widthConstraint to match)
CHAR_PX = 7.2  # rough width of one character of a 14 px label
LAYER_GAP_PX = 150.0  # vertical distance between hierarchical layers
SLOT_PX = 150.0  # horizontal distance between nodes of a hierarchical layer
TYPE_SPACING_PX = 110.0  # distance between neighbouring nodes inside a type cluster
EXACT_REPULSION_MAX_NODES = 250

INSIDE_LABEL_SHAPES = frozenset({"box", "ellipse", "circle", "database", "text"})
"""vis-network shapes that draw the label inside the shape (and ignore ``size``)."""


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
    schema = schema_of(G)
    radii = np.full(len(nodes), MIN_GAP_PX / 2)
    for i, node in enumerate(nodes):
        if schema.style(str(G.nodes[node].get("type", ""))).shape in INSIDE_LABEL_SHAPES:
            width = min(LABEL_WIDTH_PX, CHAR_PX * len(entity_name(G, node))) + 24
            radii[i] = max(radii[i], width / 2 + 6)
    return radii


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


def _force_layout(G: nx.MultiDiGraph, nodes: list, seed: int, iterations: int = 100) -> np.ndarray:
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
    spacing = {
        t: max(TYPE_SPACING_PX, 2 * max(footprint[index[x]] for x in groups[t]) + 12) for t in types
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
