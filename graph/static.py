"""Static drawings of a view (SVG, PDF, PNG) from the same positions, colours, shapes, legend and
label choices as the screen, drawn with matplotlib — no browser needed.

:func:`draw` puts one view's drawing into a rectangle of a :class:`matplotlib.figure.Figure` (the
Agg backend; no pyplot, no global state), so a handout (:mod:`graph.handout`) can place it on a
printed page; :func:`render` writes a whole picture — title, drawing, legend — as ``svg``,
``pdf`` or ``png``. What is drawn comes from :func:`graph.vis.vis_data` (the app's own colours,
shapes, sizes, highlights and importance ranks) at the positions of a
:class:`graph.view.Drawing`. Labels follow the screen's rule (``kg_view.js``): in order of
importance, each tried in 12 spots round its shape and kept only where it touches no shape and
no label kept before (:func:`place_labels`). Text stays text: SVG ``<text>`` elements
(``svg.fonttype = none``) and TrueType text in PDF (``pdf.fonttype = 42``), searchable and
selectable. Each entity's shape carries its id as the SVG ``id`` (matplotlib's ``gid``).

Examples
--------
>>> from graph.load import load_graph
>>> from graph import view as views
>>> G = load_graph({"entities.csv": "id,name,type\\na,Alpha,ngo\\nb,Beta,law\\n",
...                 "relations.csv": "source,target,relation\\na,b,advocated_for\\n"})
>>> drawn = views.scene(G, views.View())
>>> svg = render_bytes(drawn.graph, views.drawing(drawn, views.View()), "svg", title="Demo")
>>> b'id="a"' in svg and b">Alpha</text>" in svg
True
"""

from __future__ import annotations

import io
import math
import re
import warnings
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any

import matplotlib

matplotlib.use("Agg")  # never a window; set before anything draws (a no-op once chosen)

import networkx as nx  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.collections import LineCollection, PolyCollection  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Circle, PathPatch  # noqa: E402
from matplotlib.path import Path as MplPath  # noqa: E402

from .errors import UsageError  # noqa: E402
from .layout import BOX_HEIGHT, LABEL_LINE, LABEL_PX, TEXT_SHAPE, label_box, label_lines  # noqa: E402
from .vis import EDGE_COLOR, HIGHLIGHT_COLOR, LABEL_COLOR, vis_data  # noqa: E402

if TYPE_CHECKING:
    from .view import Drawing

FORMATS = ("svg", "pdf", "png")
"""Picture formats :func:`render` writes."""
MIME_TYPES = {"svg": "image/svg+xml", "pdf": "application/pdf", "png": "image/png"}
RC: dict[Any, Any] = {
    "svg.fonttype": "none",  # SVG text stays <text>, not glyph outlines
    "pdf.fonttype": 42,  # PDF text is TrueType: selectable, searchable, pdftotext reads it
    "ps.fonttype": 42,
    "font.family": "DejaVu Sans",  # graph.layout measures labels in DejaVu Sans's widths
    "svg.hashsalt": "graph.static",  # the same drawing gives the same file
}
METADATA: dict[str, dict[str, Any]] = {
    "svg": {"Date": None},  # no dates: the same drawing gives the same bytes
    "pdf": {"CreationDate": None, "ModDate": None},
    "png": {"Software": "graph.static (matplotlib)"},
}
# Characters no font draws and XML 1.0 cannot hold (an SVG with one does not parse): C0 and
# C1 controls other than a newline, and the two non-characters. Tab and CR read as a space.
_UNSHOWABLE = re.compile("[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def shown(text: object) -> str:
    """``text`` as a picture draws it: a tab or carriage return becomes a space, any other
    control character U+FFFD (�), so every SVG parses as XML and no glyph is missing.

    >>> shown("a\\tb\\x0bc\\nd")
    'a b\ufffdc\\nd'
    """
    value = str(text)
    if value.isprintable():
        return value
    return _UNSHOWABLE.sub("\ufffd", value.replace("\t", " ").replace("\r", " "))


DEFAULT_WIDTH_IN = 10.0
MIN_SIDE_IN, MAX_SIDE_IN = 1.0, 100.0
DEFAULT_DPI = 150
MIN_DPI, MAX_DPI = 20, 1200
MAX_PIXELS = 400_000_000  # a PNG at most this many pixels (20,000 x 20,000)

# The screen's label rule (kg_view.js), in points instead of screen pixels.
LABEL_GAP_PT = 3.0  # between a shape and its label (kg_view.js LABEL_GAP)
NODE_CLEARANCE_PT = 1.5  # and at least this between a label and any other shape
LABEL_SIDE_PAD_PT = 2.5  # kept clear left and right of a label
LABEL_WRAP_EM = 170 / 14  # labels wrap at this many font sizes (graph.layout: 170 px at 14 px)
WIDE_LABEL = 2  # a label with no room as wrapped is tried wrapped this much wider (kg_view.js)
MIN_LABEL_PT = 7.0  # a printed label is never smaller than this ...
MAX_LABEL_PT = 11.0  # ... nor bigger
MAX_SCALE = 1.0  # points per layout pixel at most: a small view is not blown up past this
MIN_SHAPE_PT = 2.0  # radius of the smallest shape drawn
SHAPE_REACH = {"star": 1.3, "triangle": 1.15, "triangleDown": 1.15}
FLAT_SHAPES = frozenset({"box", "ellipse", "database"})
LABEL_PLATE_ALPHA = 1.0  # a label sits on a white plate over the relations (kg_view.js)
FOCUS_RING_PT = 4.0
GRID_CELL_PT = 24.0
SEGMENT_CELL_PT = 72.0
MAX_CROSSING_EDGES = 4000  # above this many relations, take the first free spot (kg_view.js)
TITLE_PT = 13.0
LEGEND_PT = 8.0
LEGEND_ROW_PT = 14.0
LEGEND_COLUMN_PT = 150.0


# --- sizes ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PictureSize:
    """A picture's size in inches (``height=None``: from the drawing's proportions) and its
    resolution (dots per inch, for PNG). Checked on creation.

    >>> PictureSize(8, dpi=300).dpi
    300
    >>> PictureSize(0.1)
    Traceback (most recent call last):
    ...
    graph.errors.UsageError: the width must be from 1 to 100 inches, not 0.1
    """

    width: float = DEFAULT_WIDTH_IN
    height: float | None = None
    dpi: int = DEFAULT_DPI

    def __post_init__(self) -> None:
        for name in ("width", "height"):
            value = getattr(self, name)
            if value is None:
                continue
            if not (isinstance(value, (int, float)) and MIN_SIDE_IN <= value <= MAX_SIDE_IN):
                raise UsageError(
                    f"the {name} must be from {MIN_SIDE_IN:g} to {MAX_SIDE_IN:g} inches, "
                    f"not {value}"
                )
        if not (isinstance(self.dpi, int) and MIN_DPI <= self.dpi <= MAX_DPI):
            raise UsageError(f"the dpi must be a whole number from {MIN_DPI} to {MAX_DPI}")
        pixels = self.width * (self.height or self.width * 2) * self.dpi**2
        if pixels > MAX_PIXELS:
            raise UsageError(
                f"{self.width:g} x {self.height or self.width * 2:g} inches at {self.dpi} dpi "
                f"is over {MAX_PIXELS:,} pixels; choose a smaller size or dpi"
            )


# --- label placement: the screen's rule ---------------------------------------------------


@dataclass(frozen=True)
class Box:
    """A rectangle: left ``x``, top ``y`` (y grows downward, as on screen), width, height."""

    x: float
    y: float
    w: float
    h: float

    def overlaps(self, other: Box) -> bool:
        """Whether the two rectangles share any area.

        >>> Box(0, 0, 2, 2).overlaps(Box(1, 1, 2, 2)), Box(0, 0, 1, 1).overlaps(Box(1, 0, 1, 1))
        (True, False)
        """
        return (
            self.x < other.x + other.w
            and other.x < self.x + self.w
            and self.y < other.y + other.h
            and other.y < self.y + self.h
        )

    def grown(self, by: float) -> Box:
        """The box with ``by`` more on every side."""
        return Box(self.x - by, self.y - by, self.w + 2 * by, self.h + 2 * by)


@dataclass(frozen=True)
class LabelRequest:
    """One entity whose label is to be placed: its shape's centre and half extents, and the
    label's size (``w`` x ``h``), all in one unit (points, y downward); ``wide``: the label's
    size wrapped twice as wide, tried when it finds no room as wrapped (``None``: one line)."""

    id: Hashable
    x: float
    y: float
    half_w: float
    half_h: float
    w: float
    h: float
    wide: tuple[float, float] | None = None


@dataclass(frozen=True)
class Placement:
    """Where labels went: ``labels`` maps an id to its label's box (the text's own box, without
    padding); ``shapes`` maps every id to its shape's box; ``left_out`` lists the ids whose
    label found no free spot; ``wide``, those placed wrapped twice as wide."""

    labels: dict[Hashable, Box]
    shapes: dict[Hashable, Box]
    left_out: tuple[Hashable, ...] = ()
    wide: frozenset[Hashable] = frozenset()


class _Grid:
    """Boxes bucketed in a grid, to ask "does this box touch any kept so far?"."""

    def __init__(self, cell: float = GRID_CELL_PT) -> None:
        self.cell = cell
        self.cells: dict[tuple[int, int], list[Box]] = {}

    def _keys(self, b: Box) -> Iterable[tuple[int, int]]:
        c = self.cell
        for i in range(math.floor(b.x / c), math.floor((b.x + b.w) / c) + 1):
            for j in range(math.floor(b.y / c), math.floor((b.y + b.h) / c) + 1):
                yield i, j

    def add(self, b: Box) -> None:
        for key in self._keys(b):
            self.cells.setdefault(key, []).append(b)

    def free(self, b: Box) -> bool:
        return not any(b.overlaps(o) for key in self._keys(b) for o in self.cells.get(key, ()))


def crosses(segment: tuple[float, float, float, float], box: Box) -> bool:
    """Whether the segment ``(x0, y0, x1, y1)`` passes through ``box`` (Liang–Barsky, as
    ``kg_view.js`` ``segmentCrosses``).

    >>> crosses((0, 5, 10, 5), Box(4, 4, 2, 2)), crosses((0, 0, 10, 0), Box(4, 4, 2, 2))
    (True, False)
    """
    x0, y0, x1, y1 = segment
    dx, dy = x1 - x0, y1 - y0
    t0, t1 = 0.0, 1.0
    for p, q in (
        (-dx, x0 - box.x),
        (dx, box.x + box.w - x0),
        (-dy, y0 - box.y),
        (dy, box.y + box.h - y0),
    ):
        if p == 0:
            if q < 0:
                return False
        else:
            t = q / p
            if p < 0:
                t0 = max(t0, t)
            else:
                t1 = min(t1, t)
            if t0 > t1:
                return False
    return True


class _Segments:
    """Relations as straight segments, bucketed in a coarse grid, to count how many cross a
    box."""

    def __init__(self, segments: Sequence[tuple[float, float, float, float]], cell: float) -> None:
        self.cell = cell
        self.cells: dict[tuple[int, int], list[int]] = {}
        self.segments = list(segments)
        for index, (x0, y0, x1, y1) in enumerate(self.segments):
            for key in self._keys(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)):
                self.cells.setdefault(key, []).append(index)

    def _keys(self, x0: float, y0: float, x1: float, y1: float) -> Iterable[tuple[int, int]]:
        c = self.cell
        for i in range(math.floor(x0 / c), math.floor(x1 / c) + 1):
            for j in range(math.floor(y0 / c), math.floor(y1 / c) + 1):
                yield i, j

    def crossing(self, b: Box) -> int:
        near = {
            i for key in self._keys(b.x, b.y, b.x + b.w, b.y + b.h) for i in self.cells.get(key, ())
        }
        return sum(1 for i in near if crosses(self.segments[i], b))


def place_labels(
    requests: Sequence[LabelRequest],
    bounds: Box,
    *,
    segments: Sequence[tuple[float, float, float, float]] = (),
    gap: float = LABEL_GAP_PT,
    clearance: float = NODE_CLEARANCE_PT,
    side_pad: float = LABEL_SIDE_PAD_PT,
) -> Placement:
    """Place labels as the screen does (``kg_view.js`` ``placeLabels``): every shape is an
    obstacle (grown by ``clearance``); then, in the order given (most important first), each
    label is tried below, above, right and left of its shape, at the four corners, then slid
    sideways below and above — 12 spots — and kept at the first spot that lies inside
    ``bounds`` and touches no shape and no label kept before (labels are kept ``side_pad``
    apart side by side, so two names on one line do not read as one). A label with no free
    spot is tried wrapped twice as wide (its ``wide`` size), then left out. With ``segments``
    (the relations, ``(x0, y0, x1, y1)``), of the free spots the one fewest relations cross is
    kept (the first, when none do), as on screen.

    >>> near = [LabelRequest("a", 50, 50, 5, 5, 30, 10), LabelRequest("b", 50, 72, 5, 5, 30, 10)]
    >>> placed = place_labels(near, Box(0, 0, 200, 200))
    >>> placed.labels["a"], placed.labels["b"]
    (Box(x=35.0, y=32.0, w=30, h=10), Box(x=35.0, y=80.0, w=30, h=10))
    >>> place_labels(near, Box(0, 0, 60, 60)).left_out  # a fits on the left; b nowhere
    ('b',)
    """
    grid = _Grid()
    lines = (
        _Segments(segments, SEGMENT_CELL_PT) if 0 < len(segments) <= MAX_CROSSING_EDGES else None
    )
    shapes: dict[Hashable, Box] = {}
    for r in requests:
        shape = Box(r.x - r.half_w, r.y - r.half_h, 2 * r.half_w, 2 * r.half_h)
        shapes[r.id] = shape
        grid.add(shape.grown(clearance))
    labels: dict[Hashable, Box] = {}
    left_out: list[Hashable] = []
    wide: set[Hashable] = set()

    def free_spot(r: LabelRequest, w: float, h: float) -> tuple[int, Box, Box] | None:
        """Of the 12 spots round ``r``'s shape, a free one the fewest relations cross."""
        s = shapes[r.id]
        cx, cy = r.x, r.y
        right = s.x + s.w + gap + 1
        left = s.x - gap - 1 - w
        below = s.y + s.h + gap
        above = s.y - gap - h
        spots = (  # below, above, right, left, the four corners, then slid sideways
            (cx - w / 2, below),
            (cx - w / 2, above),
            (right, cy - h / 2),
            (left, cy - h / 2),
            (right - s.w / 2, below),
            (left + s.w / 2, below),
            (right - s.w / 2, above),
            (left + s.w / 2, above),
            (cx - 0.2 * w, below),
            (cx - 0.8 * w, below),
            (cx - 0.2 * w, above),
            (cx - 0.8 * w, above),
        )
        best: tuple[int, Box, Box] | None = None
        for x, y in spots:
            padded = Box(x - side_pad, y - 0.5, w + 2 * side_pad, h + 1)
            inside = (
                padded.x >= bounds.x
                and padded.y >= bounds.y
                and padded.x + padded.w <= bounds.x + bounds.w
                and padded.y + padded.h <= bounds.y + bounds.h
            )
            if not (inside and grid.free(padded)):
                continue
            cuts = lines.crossing(padded) if lines is not None else 0
            if best is None or cuts < best[0]:
                best = (cuts, padded, Box(x, y, w, h))
            if cuts == 0:
                break
        return best

    for r in requests:
        if r.id in labels or r.w <= 0:
            continue
        for tried, size in enumerate(((r.w, r.h), r.wide)):
            best = free_spot(r, *size) if size is not None else None
            if best is not None:
                grid.add(best[1])
                labels[r.id] = best[2]
                if tried:
                    wide.add(r.id)
                break
        else:
            left_out.append(r.id)
    return Placement(labels, shapes, tuple(left_out), frozenset(wide))


# --- shapes -----------------------------------------------------------------------------------


def shape_path(shape: str, x: float, y: float, r: float) -> MplPath:
    """The outline of vis-network's shape ``shape`` centred on (x, y) at radius ``r``, with y
    growing downward — ``kg_view.js`` ``glyphPath``'s geometry (vis-network 9's triangle,
    triangleDown, star, hexagon, diamond, square and dot; box, ellipse and database at a fixed
    proportion). Unknown shapes are dots, as in vis-network.

    >>> shape_path("diamond", 0, 0, 1).vertices[:4].tolist()
    [[0.0, -1.0], [1.0, 0.0], [0.0, 1.0], [-1.0, 0.0]]
    """
    if shape == "square":
        return _polygon([(x - r, y - r), (x + r, y - r), (x + r, y + r), (x - r, y + r)])
    if shape == "diamond":
        return _polygon([(x, y - r), (x + r, y), (x, y + r), (x - r, y)])
    if shape in ("triangle", "triangleDown"):
        up = 1 if shape == "triangle" else -1
        side = 2 * r * 1.15
        inner = math.sqrt(3) / 6 * side
        height = math.sqrt(side * side - side * side / 4)
        cy = y + up * 0.275 * r * 1.15
        return _polygon(
            [
                (x, cy - up * (height - inner)),
                (x + side / 2, cy + up * inner),
                (x - side / 2, cy + up * inner),
            ]
        )
    if shape == "hexagon":
        return _polygon(
            [
                (x + r * math.cos(i * math.pi / 3), y + r * math.sin(i * math.pi / 3))
                for i in range(6)
            ]
        )
    if shape == "star":
        rs, points = r * 0.82, []
        sy = y + 0.1 * rs
        for i in range(10):
            radius = rs * 1.3 if i % 2 == 0 else rs * 0.5
            points.append(
                (x + radius * math.sin(i * math.pi / 5), sy - radius * math.cos(i * math.pi / 5))
            )
        return _polygon(points)
    if shape == "box":
        h = BOX_HEIGHT * r
        return _polygon([(x - r, y - h), (x + r, y - h), (x + r, y + h), (x - r, y + h)])
    if shape == "ellipse":
        return _ellipse(x, y, r, BOX_HEIGHT * r)
    if shape == "database":  # a cylinder: its body, rounded top and bottom
        top, bottom, rim = y - 0.7 * r + 0.3 * r, y + 0.7 * r - 0.3 * r, 0.3 * r
        steps = [math.pi * i / 12 for i in range(13)]
        upper = [(x - r * math.cos(t), top - rim * math.sin(t)) for t in steps]
        lower = [(x + r * math.cos(t), bottom + rim * math.sin(t)) for t in steps]
        return _polygon([*upper, *lower])
    if shape == TEXT_SHAPE:
        return _polygon(
            [(x - r, y - 0.3 * r), (x + r, y - 0.3 * r), (x + r, y + 0.3 * r), (x - r, y + 0.3 * r)]
        )
    return _ellipse(x, y, r, r)


def _polygon(points: Sequence[tuple[float, float]]) -> MplPath:
    return MplPath([*points, points[0]], closed=True)


def _ellipse(x: float, y: float, rx: float, ry: float) -> MplPath:
    circle = MplPath.unit_circle()
    return MplPath(
        np.asarray(circle.vertices) * np.array((rx, ry)) + np.array((x, y)), circle.codes
    )


def shape_half(shape: str, size: float, border: float = 1.0) -> tuple[float, float]:
    """Half the width and height of a shape of radius ``size`` (``kg_view.js`` ``shapeHalf``).

    >>> shape_half("dot", 10), shape_half("star", 10), shape_half("box", 10)
    ((10.5, 10.5), (13.5, 13.5), (10.5, 7.0))
    """
    reach = size * SHAPE_REACH.get(shape, 1.0) + border / 2
    if shape in FLAT_SHAPES:
        return reach, size * BOX_HEIGHT + border / 2
    return reach, reach


def _marker(shape: str) -> MplPath:
    """A shape as a matplotlib marker (unit size, y upward)."""
    path = shape_path(shape, 0.0, 0.0, 1.0)
    return MplPath(np.asarray(path.vertices) * np.array((1.0, -1.0)), path.codes)


# --- drawing ----------------------------------------------------------------------------------


@dataclass
class Drawn:
    """What :func:`draw` drew: the label placement (in points, y downward from the drawing's
    top left), the ids drawn, the label size and the scale (points per layout pixel)."""

    placement: Placement
    entities: list[Hashable] = field(default_factory=list)
    names: dict[Hashable, str] = field(default_factory=dict)
    label_pt: float = MIN_LABEL_PT
    scale: float = 1.0
    legend: list[dict[str, Any]] = field(default_factory=list)


def _style(text: str, mapping: Mapping[str, Any] | str | None, fallback: str) -> str:
    if isinstance(mapping, Mapping):
        value = mapping.get(text)
        return str(value) if value else fallback
    return str(mapping) if mapping else fallback


def _rgba(color: str) -> tuple[Any, float]:
    """A vis colour (``#RRGGBB`` or ``rgba(r,g,b,a)``) as a matplotlib colour and alpha."""
    if color.startswith("rgba("):
        r, g, b, a = (float(p) for p in color[5:-1].split(","))
        return (r / 255, g / 255, b / 255), a
    return color, 1.0


def draw(
    fig: Figure,
    rect: tuple[float, float, float, float],
    G: nx.MultiDiGraph,
    look: Drawing,
    *,
    focus: Hashable | None = None,
    selected: Hashable | None = None,
    label_pt: float | None = None,
    data: Mapping[str, Any] | None = None,
) -> Drawn:
    """Draw ``G`` as ``look`` places it into ``rect`` of ``fig`` (left, bottom, width, height in
    inches from the figure's bottom left). Shapes, colours, sizes, highlights and faded
    context are :func:`graph.vis.vis_data`'s; the drawing is scaled to fit ``rect`` (at most
    :data:`MAX_SCALE` points per layout pixel) and centred. Labels are placed by
    :func:`place_labels` in the order of importance the screen uses: the selection and its
    neighbours, the focus and highlights, then graph.vis's rank. ``label_pt``: the label size
    (default: the screen's 14 px at the drawing's scale, kept from 7 to 11 pt). ``data``:
    ``vis_data`` already made for this drawing.
    """
    left, bottom, width, height = rect
    w_pt, h_pt = width * 72, height * 72
    ax = fig.add_axes(
        (left / fig.get_figwidth(), bottom / fig.get_figheight(), width / fig.get_figwidth(),
         height / fig.get_figheight())
    )  # fmt: skip
    ax.set_axis_off()
    ax.set_xlim(0, w_pt)
    ax.set_ylim(h_pt, 0)  # y downward, as the layout and the screen
    if data is None:
        data = vis_data(G, **look.options(), focus=focus, selected=selected)
    nodes = data["nodes"]
    if not nodes:
        ax.text(
            w_pt / 2, h_pt / 2, "Nothing to draw in this view.", ha="center", va="center",
            fontsize=MIN_LABEL_PT + 2, color=LABEL_COLOR, parse_math=False,
        )  # fmt: skip
        return Drawn(Placement({}, {}), legend=list(data["legend"]))
    scale, place = _fit(nodes, w_pt, h_pt)
    px = (
        label_pt if label_pt is not None else min(max(LABEL_PX * scale, MIN_LABEL_PT), MAX_LABEL_PT)
    )
    by_id = {n["id"]: n for n in nodes}
    xy = {n["id"]: place(n["x"], n["y"]) for n in nodes}
    radius = {n["id"]: max(float(n["size"]) * scale, MIN_SHAPE_PT) for n in nodes}
    _draw_edges(ax, data["edges"], xy, radius, by_id, scale)
    requests = []
    for n in nodes:
        x, y = xy[n["id"]]
        r = radius[n["id"]]
        border = max(float(n.get("borderWidth", 1)) * scale, 0.5)
        half_w, half_h = shape_half(n["shape"], r, border)
        if n.get("focused"):
            half_w, half_h = half_w + FOCUS_RING_PT, half_h + FOCUS_RING_PT
        name = shown(n["label"])
        lw, lh = label_box(name, px, LABEL_WRAP_EM * px)
        wide = label_box(name, px, WIDE_LABEL * LABEL_WRAP_EM * px) if lh > px * 1.5 else None
        requests.append(LabelRequest(n["id"], x, y, half_w, half_h, lw, lh, wide))
        _draw_node(ax, n, x, y, r, border)
    order = _label_order(G, nodes, selected)
    rank = {node_id: i for i, node_id in enumerate(order)}
    requests.sort(key=lambda q: rank[q.id])
    segments = [
        (*xy[e["from"]], *xy[e["to"]])
        for e in data["edges"]
        if e["from"] != e["to"] and e["from"] in xy and e["to"] in xy
    ]
    placement = place_labels(requests, Box(0, 0, w_pt, h_pt), segments=segments)
    for node_id, box in placement.labels.items():
        n = by_id[node_id]
        faded = bool(n.get("faded"))
        wrap = LABEL_WRAP_EM * px * (WIDE_LABEL if node_id in placement.wide else 1)
        text = "\n".join(label_lines(shown(n["label"]), px, wrap))
        ax.text(
            box.x + box.w / 2, box.y, text, ha="center", va="top", fontsize=px,
            linespacing=LABEL_LINE, color=_label_color(n), alpha=0.6 if faded else 1.0,
            gid=f"label-{node_id}", parse_math=False, clip_on=False, zorder=4,
            bbox={"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none",
                  "alpha": LABEL_PLATE_ALPHA},
        )  # fmt: skip
    names = {n["id"]: shown(n["label"]) for n in nodes}
    return Drawn(placement, [n["id"] for n in nodes], names, px, scale, list(data["legend"]))


def _label_color(node: Mapping[str, Any]) -> str:
    font = node.get("font") or {}
    return str(font.get("color") or LABEL_COLOR)


def _fit(nodes: Sequence[Mapping[str, Any]], w_pt: float, h_pt: float) -> tuple[float, Any]:
    """The scale (points per layout pixel) and a function from layout to drawing points that
    fits every node, with room round it for shapes and labels, centred."""
    xs = [float(n["x"]) for n in nodes]
    ys = [float(n["y"]) for n in nodes]
    margin = max(float(n["size"]) for n in nodes) * 1.5 + 8
    span_x = max(xs) - min(xs) + 2 * margin
    span_y = max(ys) - min(ys) + 2 * margin
    room = 0.1 * min(w_pt, h_pt)  # kept for the labels of the outermost entities
    scale = min((w_pt - 2 * room) / span_x, (h_pt - room) / span_y, MAX_SCALE)
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2

    def place(x: float, y: float) -> tuple[float, float]:
        return w_pt / 2 + (float(x) - cx) * scale, h_pt / 2 + (float(y) - cy) * scale

    return max(scale, 1e-6), place


def _label_order(
    G: nx.MultiDiGraph, nodes: Sequence[Mapping[str, Any]], selected: Hashable | None
) -> list[Hashable]:
    """Labels in order of importance, as the screen tries them."""
    by_rank = sorted(nodes, key=lambda n: (n.get("rank", math.inf),))
    order: list[Hashable] = []
    if selected is not None and selected in G:
        order.append(selected)
        near = set(nx.all_neighbors(G, selected))
        order += [n["id"] for n in by_rank if n["id"] in near]
    order += [n["id"] for n in nodes if n.get("focused") or n.get("highlighted")]
    order += [n["id"] for n in by_rank]
    return list(dict.fromkeys(order))


def _draw_node(ax: Any, n: Mapping[str, Any], x: float, y: float, r: float, border: float) -> None:
    fill, fill_alpha = _rgba(str(n["color"]["background"]))
    edge, edge_alpha = _rgba(str(n["color"]["border"]))
    if n["shape"] == TEXT_SHAPE:  # a label alone: its shape is an invisible bar
        fill_alpha = edge_alpha = 0.0
    patch = PathPatch(
        shape_path(n["shape"], x, y, r),
        facecolor=fill,
        edgecolor=edge,
        linewidth=border,
        alpha=None,
        gid=str(n["id"]),
        zorder=3,
    )
    patch.set_facecolor(matplotlib.colors.to_rgba(fill, fill_alpha))
    patch.set_edgecolor(matplotlib.colors.to_rgba(edge, edge_alpha))
    ax.add_patch(patch)
    if n.get("focused"):
        ax.add_patch(
            Circle(
                (x, y), r * SHAPE_REACH.get(n["shape"], 1.0) + FOCUS_RING_PT / 2, fill=False,
                edgecolor=HIGHLIGHT_COLOR, linewidth=1.2, linestyle=(0, (2, 1.5)), zorder=3,
            )
        )  # fmt: skip


def _draw_edges(
    ax: Any,
    edges: Sequence[Mapping[str, Any]],
    xy: Mapping[Hashable, tuple[float, float]],
    radius: Mapping[Hashable, float],
    nodes: Mapping[Hashable, Mapping[str, Any]],
    scale: float,
) -> None:
    """Relations as straight lines with an arrowhead at the target's edge; highlighted ones
    thick and dark, drawn last (two collections, so a big view stays quick)."""
    groups: dict[bool, tuple[list, list, list]] = {False: ([], [], []), True: ([], [], [])}
    for e in edges:
        u, v = e["from"], e["to"]
        if u == v or u not in xy or v not in xy:
            continue
        (x0, y0), (x1, y1) = xy[u], xy[v]
        dx, dy = x1 - x0, y1 - y0
        length = math.hypot(dx, dy)
        if length <= 0:
            continue
        ux, uy = dx / length, dy / length
        end = radius[v] * SHAPE_REACH.get(nodes[v]["shape"], 1.0)
        start = radius[u]
        if length <= start + end:
            continue
        tip = (x1 - ux * end, y1 - uy * end)
        lit = bool(e.get("highlighted"))
        width = max(float(e.get("width", 1)) * min(scale, 1.0), 0.4) * (1.6 if lit else 1.0)
        head = max(3.0, 4.5 * width**0.5) * (1.0 if not lit else 1.2)
        head = min(head, (length - start - end) * 0.6)
        back = (tip[0] - ux * head, tip[1] - uy * head)
        segments, heads, widths = groups[lit]
        segments.append([(x0 + ux * start, y0 + uy * start), back])
        heads.append(
            [tip, (back[0] - uy * head * 0.45, back[1] + ux * head * 0.45),
             (back[0] + uy * head * 0.45, back[1] - ux * head * 0.45)]
        )  # fmt: skip
        widths.append(width)
    for lit, (segments, heads, widths) in groups.items():
        if not segments:
            continue
        color = HIGHLIGHT_COLOR if lit else EDGE_COLOR
        ax.add_collection(
            LineCollection(segments, colors=color, linewidths=widths, zorder=2 + lit * 0.5,
                           gid="highlighted-relations" if lit else "relations")
        )  # fmt: skip
        ax.add_collection(
            PolyCollection(heads, facecolors=color, edgecolors="none", zorder=2 + lit * 0.5)
        )


def legend_height(entries: int, width: float) -> tuple[int, float]:
    """How many columns a legend of ``entries`` types gets across ``width`` inches, and its
    height in inches.

    >>> legend_height(9, 10)
    (4, 0.75)
    """
    columns = max(1, int(width * 72 // LEGEND_COLUMN_PT))
    rows = math.ceil(entries / columns) if entries else 0
    return columns, (rows * LEGEND_ROW_PT + 12) / 72 if rows else 0.0


def add_legend(
    fig: Figure,
    entries: Sequence[Mapping[str, Any]],
    *,
    anchor: tuple[float, float] = (0.5, 0.0),
    loc: Any = "lower center",
    columns: int = 4,
) -> None:
    """A legend of ``entries`` (:func:`graph.vis.vis_data`'s ``legend``: a marker of each type's
    shape and colour, ``Label (count)``) at ``anchor`` (figure fractions); its SVG group's id is
    ``legend``."""
    if not entries:
        return
    handles = _handles(entries)
    box = fig.legend(
        [h for h, _ in handles], [t for _, t in handles], loc=loc,
        ncol=min(columns, len(handles)), frameon=False, fontsize=LEGEND_PT,
        bbox_to_anchor=anchor, handletextpad=0.4, columnspacing=1.2,
    )  # fmt: skip
    box.set_gid("legend")
    for text in box.get_texts():
        text.set_parse_math(False)


def _handles(legend: Sequence[Mapping[str, Any]]) -> list[tuple[Line2D, str]]:
    handles = []
    for entry in legend:
        handle = Line2D(
            [], [], linestyle="none", marker=_marker(str(entry["shape"])), markersize=9,
            markerfacecolor=str(entry["color"]), markeredgecolor="#444444", markeredgewidth=0.6,
        )  # fmt: skip
        handles.append((handle, shown(f"{entry['label']} ({entry['count']})")))
    return handles


def new_figure(width: float, height: float) -> Figure:
    """A matplotlib figure of ``width`` x ``height`` inches on the Agg canvas (no pyplot)."""
    fig = Figure(figsize=(width, height))
    FigureCanvasAgg(fig)
    return fig


def picture(
    G: nx.MultiDiGraph,
    look: Drawing,
    *,
    title: str | None = None,
    size: PictureSize = PictureSize(),
    focus: Hashable | None = None,
    selected: Hashable | None = None,
) -> tuple[Figure, Drawn]:
    """The whole picture as a figure: the title on top, the drawing, the legend of the types
    drawn below it."""
    with matplotlib.rc_context(RC):
        data = vis_data(G, **look.options(), focus=focus, selected=selected)
        legend = data["legend"]
        columns, legend_in = legend_height(len(legend), size.width)
        title_in = (TITLE_PT * 2.2) / 72 if title else 0.15
        height = size.height or _height(data["nodes"], size.width, title_in + legend_in)
        fig = new_figure(size.width, height)
        pad = 0.15
        rect = (pad, legend_in + pad / 2, size.width - 2 * pad, height - title_in - legend_in - pad)
        if rect[3] < 0.5:
            raise UsageError(f"{size.width:g} x {height:g} inches leaves no room for the drawing")
        drawn = draw(fig, rect, G, look, focus=focus, selected=selected, data=data)
        if title:
            fig.text(
                0.5, 1 - (TITLE_PT * 0.6 / 72) / height, shown(title), ha="center", va="top",
                fontsize=TITLE_PT, fontweight="bold", color=LABEL_COLOR, parse_math=False,
                gid="title",
            )  # fmt: skip
        add_legend(fig, legend, columns=columns)
        return fig, drawn


def _height(nodes: Sequence[Mapping[str, Any]], width: float, extra: float) -> float:
    """A picture's height from the drawing's proportions (between 0.5 and 1.5 times wide)."""
    if not nodes:
        return max(MIN_SIDE_IN, width * 0.5)
    xs = [float(n["x"]) for n in nodes]
    ys = [float(n["y"]) for n in nodes]
    ratio = (max(ys) - min(ys) + 120) / (max(xs) - min(xs) + 120)
    return round(min(max(width * ratio + extra, width * 0.5), width * 1.5, MAX_SIDE_IN), 2)


def save(fig: Figure, fmt: str, out: IO[bytes], dpi: int = DEFAULT_DPI) -> None:
    """Write ``fig`` to the binary handle ``out`` as ``svg``, ``pdf`` or ``png``."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown picture format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    metadata: dict[str, Any] = dict(METADATA[fmt])
    with matplotlib.rc_context(RC), warnings.catch_warnings():
        # a name in a script DejaVu lacks is drawn as a box; no warning on stderr for it
        warnings.filterwarnings("ignore", message="Glyph .* missing from font")
        # drawn in memory, then written: a disk that fails mid-write is one OSError (matplotlib's
        # PDF writer, interrupted, ends in a zlib.error instead)
        buffer = io.BytesIO()
        fig.savefig(buffer, format=fmt, dpi=dpi, metadata=metadata, facecolor="white")
    out.write(buffer.getvalue())


def render(
    G: nx.MultiDiGraph,
    look: Drawing,
    fmt: str,
    out: IO[bytes],
    *,
    title: str | None = None,
    size: PictureSize = PictureSize(),
    focus: Hashable | None = None,
    selected: Hashable | None = None,
) -> Drawn:
    """Write the picture of ``G`` drawn as ``look`` (:func:`picture`) to ``out`` as ``fmt``
    (one of :data:`FORMATS`); PNG at ``size.dpi``. Returns what was drawn."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown picture format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    fig, drawn = picture(G, look, title=title, size=size, focus=focus, selected=selected)
    save(fig, fmt, out, size.dpi)
    return drawn


def render_bytes(
    G: nx.MultiDiGraph,
    look: Drawing,
    fmt: str,
    *,
    title: str | None = None,
    size: PictureSize = PictureSize(),
    focus: Hashable | None = None,
) -> bytes:
    """:func:`render` into bytes (for downloads)."""
    buffer = io.BytesIO()
    render(G, look, fmt, buffer, title=title, size=size, focus=focus)
    return buffer.getvalue()
