"""graph/handout.py: a tour (or a view) as a printable PDF.

A tour's handout is a cover and one page per step — more only where a step's relations carry
over onto continuation pages, and those are counted; each step's narration and every quote of
every relation it shows stand in the PDF's text exactly as in the data; A4 and Letter are real
paper sizes; an unknown tour or a bad view is an ``Error:``, exit 1.
"""

from __future__ import annotations

import io
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from graph import citations, handout
from graph import view as views
from graph.errors import GraphError
from graph.load import load_graph
from graph.tours import load_tours

from .conftest import contract_graph
from .test_cli import cli  # noqa: F401  (the in-process CLI fixture)

ROOT = Path(__file__).resolve().parent.parent
TOURS = ROOT / "data" / "tours.yaml"


@pytest.fixture(scope="module")
def bundled():
    return load_graph(ROOT / "data")


@pytest.fixture(scope="module")
def tours(bundled):
    return {tour.id: tour for tour in load_tours(TOURS, bundled)}


def flat(text: str) -> str:
    """Text as compared: Unicode compatibility forms (pdftotext's ligatures), one space for
    any run of whitespace, a word hyphenated over a line break joined."""
    text = unicodedata.normalize("NFKC", text).replace("-\n", "-")
    return " ".join(text.split())


def page_texts(pdf: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "handout.pdf"
    path.write_bytes(pdf)
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    texts = []
    for number in range(1, pages + 1):
        out = subprocess.run(
            ["pdftotext", "-f", str(number), "-l", str(number), str(path), "-"],
            capture_output=True,
            text=True,
            check=True,
        )
        texts.append(flat(out.stdout))
    return texts


def make(tour, G, paper="a4"):
    out = io.BytesIO()
    pages = handout.tour_handout(G, tour, out, paper=paper)
    return pages, out.getvalue()


@pytest.fixture(scope="module")
def first_tour(bundled, tours):
    tour = tours["technology_abuse_stages"]
    return (tour, *make(tour, bundled))


def test_a_handout_is_a_cover_and_a_page_per_step_plus_counted_continuations(first_tour):
    tour, pages, pdf = first_tour
    counts = handout.page_count(pages)
    assert len(PdfReader(io.BytesIO(pdf)).pages) == len(pages)
    assert counts["cover"] == 1 and pages[0].kind == "cover"
    assert counts["section"] == len(tour.steps)
    assert len(pages) == 1 + len(tour.steps) + counts["continued"]
    starts = [page.section for page in pages if page.kind == "section"]
    assert starts == list(range(len(tour.steps)))
    for before, page in zip(pages, pages[1:]):  # a continuation follows its own step
        if page.kind == "continued":
            assert page.section == before.section


def test_the_cover_holds_the_tour_the_dataset_and_its_sources(first_tour, bundled, tmp_path):
    tour, pages, pdf = first_tour
    cover = page_texts(pdf, tmp_path)[0]
    assert flat(tour.title) in cover and flat(tour.summary) in cover
    assert flat(bundled.graph["title"]) in cover
    for doc_id in bundled.graph["documents"]:
        assert flat(handout.document_line(bundled, doc_id)) in cover


def test_each_step_page_holds_its_title_narration_and_every_quote_exactly(
    first_tour, bundled, tmp_path
):
    tour, pages, pdf = first_tour
    texts = page_texts(pdf, tmp_path)
    for index, step in enumerate(tour.steps):
        mine = " ".join(t for t, p in zip(texts, pages) if p.section == index)
        assert flat(step.title) in mine
        assert flat(step.narration) in mine
        drawn = views.scene(bundled, step.view)
        for _, _, data in drawn.graph.edges(data=True):
            for doc_id, quote, _ in citations.quotes(data):
                assert flat(f"“{quote}”") in mine, (step.title, quote)
                assert flat(handout.document_line(bundled, doc_id)) in mine


def test_pages_are_numbered(first_tour, tmp_path):
    _, pages, pdf = first_tour
    for number, text in enumerate(page_texts(pdf, tmp_path), 1):
        assert f"Page {number} of {len(pages)}" in text


@pytest.mark.parametrize("paper, size", [("a4", (595, 842)), ("letter", (612, 792))])
def test_the_paper_is_a4_or_letter(bundled, tours, paper, size):
    _, pdf = make(tours["people_and_observances"], bundled, paper)
    for page in PdfReader(io.BytesIO(pdf)).pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == size


def test_many_relations_carry_over_onto_continuation_pages_none_cut(bundled, tmp_path):
    out = io.BytesIO()
    pages = handout.view_handout(bundled, views.View(), out)
    counts = handout.page_count(pages)
    assert counts["cover"] == 1 and counts["section"] == 1 and counts["continued"] > 0
    text = " ".join(page_texts(out.getvalue(), tmp_path))
    for relation in handout.relations_shown(bundled, views.scene(bundled, views.View()).graph):
        assert flat(relation.sentence) in text


def test_text_is_written_as_the_data_gives_it_math_signs_and_all(tmp_path):
    G = contract_graph(
        [("a", {"name": "A"}), ("b", {"name": "B", "type": "law"})],
        [("a", "b", {"evidence": "It cost $5 million_and more", "documents": ["d1"]})],
        documents={"d1": {"title": "Report $1", "publisher": "P", "date": "2024"}},
    )
    out = io.BytesIO()
    handout.view_handout(G, views.View(), out)
    text = " ".join(page_texts(out.getvalue(), tmp_path))
    assert "“It cost $5 million_and more”" in text
    assert "Report $1 — P, 2024" in text


def test_wrapping_keeps_every_word_within_the_width():
    text = "How Congress should address technology-fueled human trafficking " * 3
    lines = handout.wrap(text, 10, 2.0)
    assert " ".join(lines) == " ".join(text.split())
    assert all(handout._text_width(line, 10) <= 2.0 * 72 for line in lines)


def test_an_unknown_tour_or_a_bad_view_is_an_error(bundled):
    with pytest.raises(handout.HandoutError, match="has no tour 'nope'; the tours are: "):
        handout.find_tour(bundled, "nope")
    with pytest.raises(handout.HandoutError, match="not in this dataset: 'zz'"):
        handout.read_view(bundled, "focus=zz")
    with pytest.raises(handout.HandoutError, match="no tour file"):
        handout.find_tour(contract_graph([], []), "any")
    with pytest.raises(GraphError, match="unknown paper 'a5'"):
        handout.view_handout(bundled, views.View(), io.BytesIO(), paper="a5")


# --- the command line -------------------------------------------------------------------------


def test_handout_writes_a_tour_pdf(cli, tmp_path, tours):  # noqa: F811
    out = tmp_path / "tour.pdf"
    ran = cli("handout", "--tour", "people_and_observances", "--out", str(out), "--paper", "letter")
    assert ran.returncode == 0, ran.stderr
    pages = len(PdfReader(out).pages)
    assert ran.stdout == f"Wrote a {pages}-page handout (letter) to {out}\n"
    assert pages >= 1 + len(tours["people_and_observances"].steps)
    assert [p.name for p in tmp_path.iterdir()] == ["tour.pdf"]


def test_handout_of_a_view(cli, tmp_path):  # noqa: F811
    out = tmp_path / "view.pdf"
    ran = cli("handout", "--view", "focus=ncmec&depth=1", "--out", str(out), "--json")
    assert ran.returncode == 0, ran.stderr
    assert '"section": 1' in ran.stdout and out.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(
    "args, message",
    [
        (("--tour", "nope"), "Error: tours.yaml has no tour 'nope'; the tours are: "),
        (("--view", "focus=zz"), "Error: The link's focus names an entity that is not in"),
        (("--view", "depth=9"), "Error: The link's depth must be from 1 to 3, not '9'.\n"),
    ],
)
def test_a_bad_tour_or_view_is_an_error_exit_1(cli, tmp_path, args, message):  # noqa: F811
    out = tmp_path / "x.pdf"
    ran = cli("handout", *args, "--out", str(out))
    assert ran.returncode == 1
    assert ran.stderr.startswith(message) and "Traceback" not in ran.stderr
    assert not out.exists()


# --- in the app -------------------------------------------------------------------------------


def test_the_app_offers_a_handout_beside_each_tour_and_of_the_view(bundled, tours):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["dataset_dir"] = str(ROOT / "data")
    at.session_state["page_tab"] = "Data and downloads"
    at.run()
    keys = {b.key for b in at.get("download_button")}
    assert {f"tour_picker_handout_{tour_id}" for tour_id in tours} <= keys
    assert "data_handout" in keys
    assert not at.exception


def test_the_apps_view_handout_is_the_view_on_screen(bundled, tmp_path):
    from ui.handouts import view_pdf

    view = views.View(focus="ncmec", depth=1)
    drawn = views.scene(bundled, view)
    pdf = view_pdf(drawn, view)()
    text = " ".join(page_texts(pdf, tmp_path))
    for relation in handout.relations_shown(bundled, drawn.graph):
        assert flat(relation.sentence) in text


# --- hostile text, failing disks ---------------------------------------------------------------

HOSTILE = {
    "script": "<script>alert(1)</script>",
    "controls": "tab\there, vertical\vtab, bell\x07, nul\x00",
    "rtl": "\u202eRTL override\u200f mark",
    "long": "very long " * 300,
}


def test_a_handout_of_hostile_names_draws_them_as_text_without_glyph_warnings(recwarn):
    G = contract_graph(
        [(key, {"name": name, "description": name}) for key, name in HOSTILE.items()],
        [("script", "controls", {"evidence": HOSTILE["controls"]}), ("rtl", "long", {})],
    )
    out = io.BytesIO()
    handout.view_handout(G, views.View(), out)
    assert not [w for w in recwarn if "Glyph" in str(w.message)]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(out.getvalue())).pages)
    assert "<script>alert(1)</script>" in text.replace(" ", "").replace("\n", "")
    assert "\x0b" not in text and "\x07" not in text  # controls are drawn as U+FFFD


FILL_DISK = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
resource.setrlimit(resource.RLIMIT_FSIZE, (1024, 1024))  # a handout is larger
from graph.cli import run
sys.exit(run(sys.argv[1:]))
"""


def test_a_handout_onto_a_disk_that_fills_up_is_an_error_and_leaves_nothing(tmp_path):
    out = tmp_path / "h.pdf"
    done = subprocess.run(
        [sys.executable, "-c", FILL_DISK, "handout", "--view", "focus=ncmec", "--out", str(out)],
        capture_output=True, text=True, timeout=300, cwd=ROOT,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    assert done.stderr.startswith(f"Error: cannot write {out}: File too large")
    assert "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_handout_onto_dev_full_or_a_folder_is_an_error_exit_1(cli, tmp_path):  # noqa: F811
    ran = cli("handout", "--view", "focus=ncmec", "--out", "/dev/full")
    assert ran.returncode == 1
    assert ran.stderr == (
        "Error: cannot write /dev/full: No space left on device; nothing was written\n"
    )
    ran = cli("handout", "--view", "focus=ncmec", "--out", str(tmp_path))
    assert ran.returncode == 1 and "is a folder; give the name of a file" in ran.stderr
    assert list(tmp_path.iterdir()) == []
