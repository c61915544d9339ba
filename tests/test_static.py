"""graph/static.py: pictures of a view (SVG, PDF, PNG) drawn as the screen draws them.

The picture holds one shape per drawn entity (its SVG id the entity's id), each placed label as
text (``<text>`` in SVG, real text in PDF), the legend of the types drawn and the title; labels
follow the screen's no-collision rule, so no two overlap and none covers a shape; a PNG at
300 DPI of a small view is legible to OCR.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image

from bench.legibility import legible_names
from graph import static
from graph import view as views
from graph.errors import UsageError
from graph.export import FORMATS, POSITIONED_FORMATS, export_bytes
from graph.load import load_graph
from graph.query import entity_label, schema_of
from graph.schema import VIS_SHAPES
from graph.static import Box, LabelRequest, PictureSize, place_labels

from .conftest import contract_graph
from .test_cli import cli  # noqa: F401  (the in-process CLI fixture)

ROOT = Path(__file__).resolve().parent.parent
SVG = "{http://www.w3.org/2000/svg}"
SMALL_VIEW = "focus=ncmec&depth=2"


@pytest.fixture(scope="module")
def bundled():
    return load_graph(ROOT / "data")


def picture_of(G, link: str = "", fmt: str = "svg", **size):
    view, problems = views.from_query(link, G)
    assert problems == []
    drawn = views.scene(G, view)
    look = views.drawing(drawn, view)
    out = io.BytesIO()
    placed = static.render(
        drawn.graph, look, fmt, out, title="A view", size=PictureSize(**size), focus=view.focus
    )
    return drawn, placed, out.getvalue()


def groups(svg: bytes) -> dict[str, ET.Element]:
    root = ET.fromstring(svg)
    return {g.get("id"): g for g in root.iter(f"{SVG}g") if g.get("id")}


def words(element: ET.Element) -> str:
    return " ".join(" ".join(t.text or "" for t in element.iter(f"{SVG}text")).split())


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "picture.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return " ".join(out.stdout.split())


# --- what the picture holds -------------------------------------------------------------------


def test_the_svg_holds_one_shape_per_entity_its_label_and_the_legend(bundled):
    drawn, placed, svg = picture_of(bundled, SMALL_VIEW)
    found = groups(svg)
    assert drawn.entities <= 40
    for node in drawn.graph:
        assert node in found, node
        assert found[node].find(f"{SVG}path") is not None
    assert placed.placement.left_out == ()
    for node in drawn.graph:  # as the app draws it: the short name where there is one
        assert words(found[f"label-{node}"]) == " ".join(entity_label(drawn.graph, node).split())
    assert words(found["label-ncmec"]) == "NCMEC"
    schema = schema_of(drawn.graph)
    drawn_types = {data["type"] for _, data in drawn.graph.nodes(data=True)}
    legend = words(found["legend"])
    for type_id in drawn_types:
        count = sum(1 for _, d in drawn.graph.nodes(data=True) if d["type"] == type_id)
        assert f"{schema.style(type_id).label} ({count})" in legend
    assert words(found["title"]) == "A view"


def test_svg_text_stays_text_and_math_signs_stay_as_written():
    G = contract_graph(
        [("a", {"name": "$5 million in fines"}), ("b", {"name": "B_2 & <C>", "type": "law"})],
        [("a", "b", {})],
    )
    look = views.Drawing({"a": (0.0, 0.0), "b": (200.0, 0.0)})
    svg = static.render_bytes(G, look, "svg")
    found = groups(svg)
    assert words(found["label-a"]) == "$5 million in fines"
    assert words(found["label-b"]) == "B_2 & <C>"
    assert b'id="DejaVuSans-' not in svg  # no glyph outlines: the text is text


def test_the_pdf_text_holds_the_drawn_names(bundled, tmp_path):
    drawn, placed, pdf = picture_of(bundled, SMALL_VIEW, "pdf")
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf, tmp_path)
    for node in placed.placement.labels:
        assert " ".join(entity_label(drawn.graph, node).split()) in text


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="needs tesseract (make tools)")
def test_a_300_dpi_png_of_a_small_view_is_legible_to_ocr(bundled):
    drawn, placed, png = picture_of(bundled, SMALL_VIEW, "png", width=8, dpi=300)
    assert drawn.entities <= 40
    names = {n: entity_label(drawn.graph, n) for n in drawn.graph}
    read = legible_names(png, names)
    assert len(read) >= 0.9 * len(names), sorted(set(names) - read)


def test_a_png_has_the_size_and_resolution_asked_for(bundled):
    _, _, png = picture_of(bundled, SMALL_VIEW, "png", width=4, height=3, dpi=100)
    image = Image.open(io.BytesIO(png))
    assert image.size == (400, 300)
    assert round(image.info["dpi"][0]) == 100


def test_shapes_colours_and_highlights_come_from_the_schema_and_the_view(bundled):
    view = views.View(focus="ncmec", depth=1, highlight=("cybertipline",))
    drawn = views.scene(bundled, view)
    svg = static.render_bytes(drawn.graph, views.drawing(drawn, view), "svg", focus="ncmec")
    found = groups(svg)
    schema = schema_of(drawn.graph)
    for node, data in drawn.graph.nodes(data=True):
        style = found[node].find(f"{SVG}path").get("style", "")
        assert f"fill: {schema.style(data['type']).color.lower()}" in style.lower(), node
    lit = found["cybertipline"].find(f"{SVG}path").get("style", "")
    plain = found["ncmec"].find(f"{SVG}path").get("style", "")

    def width(style: str) -> float:  # matplotlib leaves out the default, 1
        found = re.search(r"stroke-width: ([\d.]+)", style)
        return float(found.group(1)) if found else 1.0

    assert width(lit) > width(plain)


def test_faded_context_is_drawn_translucent():
    G = contract_graph([("a", {}), ("b", {"type": "law"})], [("a", "b", {})])
    look = views.Drawing({"a": (0.0, 0.0), "b": (200.0, 0.0)}, faded_nodes=("b",))
    found = groups(static.render_bytes(G, look, "svg"))
    assert "fill-opacity: 0.35" in found["b"].find(f"{SVG}path").get("style", "")
    assert "fill-opacity" not in found["a"].find(f"{SVG}path").get("style", "")


def test_every_vis_shape_has_its_own_outline():
    outlines = {
        shape: tuple(map(tuple, static.shape_path(shape, 0, 0, 10).vertices.round(2)))
        for shape in VIS_SHAPES
    }
    assert outlines["circle"] == outlines["dot"]  # vis-network's circle is a dot at a fixed size
    assert len(set(outlines.values())) == len(VIS_SHAPES) - 1
    up = static.shape_path("triangle", 0, 0, 10).vertices
    assert up[0][1] < 0  # y grows downward: the triangle's apex is on top, as on screen


def test_an_empty_view_draws_a_note_not_an_error():
    G = contract_graph([], [])
    svg = static.render_bytes(G, views.Drawing({}), "svg", title="Nothing")
    assert b"Nothing to draw in this view." in svg


# --- labels: the screen's rule ----------------------------------------------------------------


@pytest.mark.parametrize("link", ["", SMALL_VIEW, "layout=hierarchical", "layout=type"])
def test_no_two_labels_overlap_and_no_label_covers_a_shape(bundled, link):
    _, placed, _ = picture_of(bundled, link)
    labels = list(placed.placement.labels.items())
    assert labels
    for i, (a, box) in enumerate(labels):
        for b, other in labels[i + 1 :]:
            assert not box.overlaps(other), (a, b)
        for node, shape in placed.placement.shapes.items():
            assert not box.overlaps(shape), (a, node)


def test_the_more_important_label_gets_the_contested_spot():
    # Two shapes side by side: only one label fits below them, none elsewhere.
    requests = [LabelRequest("a", 20, 10, 5, 5, 36, 10), LabelRequest("b", 36, 10, 5, 5, 36, 10)]
    bounds = Box(0, 0, 60, 32)
    assert set(place_labels(requests, bounds).labels) == {"a"}
    assert set(place_labels(requests[::-1], bounds).labels) == {"b"}


def test_a_label_tries_the_twelve_spots_in_the_screens_order():
    request = LabelRequest("a", 100, 100, 10, 10, 40, 12)
    below = place_labels([request], Box(0, 0, 200, 200)).labels["a"]
    assert below.y > 110 and below.x + below.w / 2 == 100  # below, centred
    blocker = LabelRequest("x", 100, 130, 10, 10, 0, 0)  # a shape right under it
    above = place_labels([request, blocker], Box(0, 0, 200, 200)).labels["a"]
    assert above.y + above.h < 90  # then above
    walled = [
        request,
        blocker,
        LabelRequest("y", 100, 70, 10, 10, 0, 0),  # and a shape above it too
    ]
    right = place_labels(walled, Box(0, 0, 200, 200)).labels["a"]
    assert right.x > 110  # then right


def test_a_label_with_no_room_as_wrapped_is_tried_twice_as_wide():
    # Room for one line only: three lines 30 wide do not fit, one line 90 wide does.
    request = LabelRequest("a", 100, 10, 5, 5, 30, 36, wide=(90, 12))
    placed = place_labels([request], Box(0, 0, 200, 42))
    assert placed.labels["a"].w == 90 and placed.wide == {"a"}
    assert place_labels([replace(request, wide=None)], Box(0, 0, 200, 42)).left_out == ("a",)


def test_a_label_with_no_free_spot_is_left_out():
    crowd = [LabelRequest(i, 10 + 12 * i, 10, 6, 6, 30, 10) for i in range(5)]
    placed = place_labels(crowd, Box(0, 0, 70, 22))
    assert placed.left_out and set(placed.labels) | set(placed.left_out) == set(range(5))


# --- sizes and formats ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "size, problem",
    [
        ({"width": 0.5}, "width must be from 1 to 100 inches"),
        ({"height": 200}, "height must be from 1 to 100 inches"),
        ({"dpi": 5}, "dpi must be a whole number from 20 to 1200"),
        ({"width": 100, "height": 100, "dpi": 1200}, "pixels"),
    ],
)
def test_sizes_out_of_range_are_usage_errors(size, problem):
    with pytest.raises(UsageError, match=problem):
        PictureSize(**size)


def test_pictures_are_export_formats_that_carry_the_drawing(small_graph):
    for fmt in static.FORMATS:
        assert fmt in FORMATS and fmt in POSITIONED_FORMATS
    assert export_bytes(small_graph, "svg").lstrip().startswith(b"<?xml")
    assert export_bytes(small_graph, "pdf").startswith(b"%PDF")
    assert export_bytes(small_graph, "png").startswith(b"\x89PNG")


def test_the_same_drawing_gives_the_same_svg(small_graph):
    assert export_bytes(small_graph, "svg") == export_bytes(small_graph, "svg")


def test_importing_the_library_leaves_pyplot_out():
    code = "import graph.static, sys; print('matplotlib.pyplot' in sys.modules)"
    out = subprocess.run(
        [".venv/bin/python", "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"


# --- the command line -------------------------------------------------------------------------


@pytest.mark.parametrize("fmt, magic", [("svg", b"<?xml"), ("pdf", b"%PDF"), ("png", b"\x89PNG")])
def test_export_writes_a_picture_of_the_view(cli, tmp_path, bundled, fmt, magic):  # noqa: F811
    drawn = views.scene(bundled, views.from_query(SMALL_VIEW, bundled)[0])
    out = tmp_path / f"view.{fmt}"
    ran = cli("export", "--format", fmt, "--out", str(out), "--view", SMALL_VIEW, "--width", "6")
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.startswith(f"Wrote {drawn.entities} entities and {drawn.relations} relations")
    assert out.read_bytes().startswith(magic)
    assert [p.name for p in tmp_path.iterdir()] == [out.name]  # no temporary file left


def test_export_of_a_bad_size_is_an_error_naming_it(cli, tmp_path):  # noqa: F811
    out = tmp_path / "view.png"
    ran = cli("export", "--format", "png", "--out", str(out), "--dpi", "5000")
    assert (ran.returncode, ran.stderr) == (
        2,
        "Error: the dpi must be a whole number from 20 to 1200\n",
    )
    assert not out.exists()
