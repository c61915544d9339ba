"""Printed handouts: a guided tour (or any view) as a PDF to hand out, A4 or Letter.

A tour's handout has a cover page — the tour's title and summary, the dataset's title and its
sources (each document's title, publisher and date) — then one page per step: the step's title,
its drawing (vector, :func:`graph.static.draw`, from the step's view), its narration and, under
it, each relation the step shows with its evidence quotes and the document of each (title,
publisher, date). Relations that do not fit go on continuation pages, never cut; every page is
numbered. :func:`view_handout` does the same for one view (a cover, then the view's page).

Text is real text (TrueType in the PDF: ``pdftotext`` reads it, a reader can search and copy it),
wrapped to the page at sizes legible in print (narration 10.5 pt, quotes 9 pt).

Examples
--------
>>> import io
>>> from graph.load import load_graph
>>> G = load_graph({"entities.csv": "id,name,type,documents\\na,Alpha,ngo,d1\\nb,Beta,law,d1\\n",
...                 "relations.csv": "source,target,relation,evidence,documents\\n"
...                                  "a,b,advocated_for,Alpha backs Beta.,d1\\n",
...                 "documents.csv": "id,title,publisher,date\\nd1,A report,Press,2024\\n"})
>>> out = io.BytesIO()
>>> [page.kind for page in view_handout(G, View(), out)]
['cover', 'section']
>>> out.getvalue()[:5]
b'%PDF-'
"""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import networkx as nx
from matplotlib import rc_context
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from . import citations, static
from . import view as views
from .errors import GraphError
from .layout import _text_width, label_lines
from .query import document, entity_name, schema_of
from .tours import Tour, load_tours
from .view import View

PAPERS = {"a4": (8.27, 11.69), "letter": (8.5, 11.0)}
"""Paper sizes in inches, width by height."""
MARGIN_IN = 0.75
DRAWING_SHARE = 0.42  # of the page's height, for a step's drawing and its legend
FOOTER_PT = 8.0
INK = "#222222"
MUTED = "#555555"
LINE_GAP = 1.3  # line height, in font sizes
BOLD_WIDTH = 1.1  # bold DejaVu Sans runs about this much wider than regular


class HandoutError(GraphError):
    """A handout that cannot be made: an unknown tour, a bad view, a dataset without tours."""


# --- what goes on the pages -------------------------------------------------------------------


@dataclass(frozen=True)
class Quote:
    """One quote a relation rests on, with its document."""

    text: str
    document: str  # "Title — Publisher, date"
    locator: str = ""


@dataclass(frozen=True)
class Relation:
    """A relation as a handout tells it: its sentence (worded by modality) and its quotes."""

    sentence: str
    quotes: tuple[Quote, ...]
    note: str = ""


@dataclass(frozen=True)
class Section:
    """One drawn page's worth of content: a title, a view, its narration."""

    title: str
    view: View
    narration: str = ""
    heading: str = ""  # above the title: "Step 2 of 7 · Tour title"


@dataclass(frozen=True)
class PageInfo:
    """What one page of the PDF holds: ``cover``, ``section`` (a step's first page) or
    ``continued`` (its relations, carried over), and the section's index (``None`` for the
    cover)."""

    kind: str
    section: int | None = None


def document_line(G: nx.MultiDiGraph, doc_id: str) -> str:
    """A document as a handout cites it: ``Title — Publisher, date``.

    >>> doc = {"title": "A report", "publisher": "P", "date": "2024"}
    >>> G = nx.MultiDiGraph(documents={"d1": doc})
    >>> document_line(G, "d1"), document_line(G, "d9")
    ('A report — P, 2024', 'd9')
    """
    doc = document(G, doc_id)
    rest = ", ".join(part for part in (doc["publisher"], doc["date"]) if part)
    return f"{doc['title']} — {rest}" if rest else doc["title"]


def relations_shown(
    G: nx.MultiDiGraph, drawn: nx.MultiDiGraph, first: Iterable[Hashable] = ()
) -> list[Relation]:
    """Every relation of ``drawn`` (a view's graph, part of ``G``) with its sentence and each
    ``(quote, document)`` it rests on (:func:`graph.citations.quotes`); relations touching the
    ``first`` entities (the focus, the highlights) come first.

    >>> G = nx.MultiDiGraph(documents={"d1": {"title": "T"}})
    >>> G.add_node("a", name="A", type="ngo"); G.add_node("b", name="B", type="law")
    >>> _ = G.add_edge("a", "b", relation="advocated_for", evidence="A backs B.", documents=["d1"])
    >>> [(r.sentence, [q.text for q in r.quotes]) for r in relations_shown(G, G)]
    [('A advocated for B', ['A backs B.'])]
    """
    schema = schema_of(G)
    ahead = set(first)
    edges = sorted(
        drawn.edges(keys=True, data=True),
        key=lambda e: 0 if (e[0] in ahead or e[1] in ahead) else 1,
    )
    found = []
    for u, v, _key, data in edges:
        modality = citations.modality(data)
        sentence = schema.sentence(
            entity_name(G, u), str(data.get("relation", "")), entity_name(G, v), modality
        )
        quotes = tuple(
            Quote(quote, document_line(G, doc), locator)
            for doc, quote, locator in citations.quotes(data)
        )
        note = "" if modality == "stated" else modality
        found.append(Relation(sentence, quotes, note))
    return found


# --- laying out text --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Line:
    text: str
    size: float
    x: float  # inches from the left edge
    weight: str = "normal"
    style: str = "normal"
    color: str = INK
    space_before: float = 0.0  # points

    @property
    def height(self) -> float:  # points
        return self.size * LINE_GAP + self.space_before


@dataclass
class _Page:
    info: PageInfo
    lines: list[tuple[float, _Line]] = field(default_factory=list)  # (top in points, line)
    drawing: tuple[nx.MultiDiGraph, views.Drawing, Hashable | None, float] | None = None


def wrap(text: str, size: float, width_in: float, *, bold: bool = False) -> list[str]:
    """``text`` wrapped at spaces to ``width_in`` inches at ``size`` points (DejaVu Sans's
    widths); a word longer than a line is broken where it must.

    >>> wrap("one two three four", 10, 1.0)
    ['one two three', 'four']
    """
    width = width_in * 72 / (BOLD_WIDTH if bold else 1.0)
    lines: list[str] = []
    for line in label_lines(text, size, width):
        while _text_width(line, size) > width and len(line) > 1:
            cut = max(1, int(len(line) * width / _text_width(line, size)))
            lines.append(line[:cut])
            line = line[cut:]
        lines.append(line)
    return lines


def _block(
    text: str,
    size: float,
    x: float,
    width: float,
    *,
    weight: str = "normal",
    style: str = "normal",
    color: str = INK,
    space_before: float = 0.0,
) -> list[_Line]:
    lines = wrap(static.shown(text), size, width, bold=weight == "bold")
    return [
        _Line(line, size, x, weight, style, color, space_before if i == 0 else 0.0)
        for i, line in enumerate(lines)
    ]


class _Flow:
    """Lines poured onto pages top to bottom; a block that does not fit starts a new page."""

    def __init__(self, paper: tuple[float, float], continued: Any) -> None:
        self.width, self.height = paper
        self.bottom = (self.height - MARGIN_IN) * 72 - FOOTER_PT * 3
        self.pages: list[_Page] = []
        self.top = 0.0
        self.continued = continued  # makes the next page: a function (flow) -> None

    def new_page(self, info: PageInfo) -> _Page:
        page = _Page(info)
        self.pages.append(page)
        self.top = MARGIN_IN * 72
        return page

    def add(self, lines: Sequence[_Line], *, keep_together: bool = True) -> None:
        total = sum(line.height for line in lines)
        room = self.bottom - self.top
        if keep_together and total > room and total <= self.bottom - MARGIN_IN * 72 - 60:
            self.continued(self)
        for line in lines:
            if self.top + line.height > self.bottom:
                self.continued(self)
            self.top += line.space_before
            self.pages[-1].lines.append((self.top, line))
            self.top += line.size * LINE_GAP


# --- the handout ------------------------------------------------------------------------------


def _cover(
    flow: _Flow, G: nx.MultiDiGraph, title: str, summary: str, contents: Sequence[str]
) -> None:
    text_w = flow.width - 2 * MARGIN_IN
    flow.continued = lambda flow: flow.new_page(PageInfo("continued"))
    flow.new_page(PageInfo("cover"))
    flow.add(_block(title, 22, MARGIN_IN, text_w, weight="bold"))
    if summary:
        flow.add(_block(summary, 12, MARGIN_IN, text_w, space_before=8))
    dataset = str(G.graph.get("title") or G.graph.get("name") or "")
    if dataset:
        flow.add(_block(f"From the dataset “{dataset}”", 11, MARGIN_IN, text_w, space_before=14))
    about = str(G.graph.get("summary") or "")
    if about:
        flow.add(_block(about, 10, MARGIN_IN, text_w, color=MUTED))
    if contents:
        flow.add(_block("Contents", 13, MARGIN_IN, text_w, weight="bold", space_before=18))
        for i, item in enumerate(contents, 1):
            flow.add(_block(f"{i}. {item}", 10, MARGIN_IN + 0.15, text_w - 0.15))
    documents = sorted(G.graph.get("documents") or {})
    if documents:
        flow.add(_block("Sources", 13, MARGIN_IN, text_w, weight="bold", space_before=18))
        for doc in documents:
            flow.add(_block(document_line(G, doc), 10, MARGIN_IN + 0.15, text_w - 0.15))


def _section(
    flow: _Flow,
    G: nx.MultiDiGraph,
    section: Section,
    index: int,
    *,
    drawn: views.Scene | None = None,
    look: views.Drawing | None = None,
) -> None:
    text_w = flow.width - 2 * MARGIN_IN
    if drawn is None:
        drawn = views.scene(G, section.view)
    if look is None:
        look = views.drawing(drawn, section.view)

    def continued(flow: _Flow) -> None:
        flow.new_page(PageInfo("continued", index))
        flow.add(
            _block(f"{section.title} (continued)", 12, MARGIN_IN, text_w, weight="bold"),
            keep_together=False,
        )

    flow.continued = continued
    page = flow.new_page(PageInfo("section", index))
    if section.heading:
        flow.add(_block(section.heading, 9, MARGIN_IN, text_w, color=MUTED))
    flow.add(_block(section.title, 16, MARGIN_IN, text_w, weight="bold", space_before=2))
    drawing_pt = flow.height * 72 * DRAWING_SHARE
    page.drawing = (drawn.graph, look, section.view.focus, flow.top + 6)
    flow.top += drawing_pt + 12
    for note in (drawn.cap_note(), *drawn.notes):
        if note:
            flow.add(_block(note, 8.5, MARGIN_IN, text_w, color=MUTED))
    if section.narration:
        flow.add(_block(section.narration, 10.5, MARGIN_IN, text_w, space_before=4))
    first = [n for n in (section.view.focus, *section.view.highlight) if n]
    shown = relations_shown(G, drawn.graph, first)
    flow.add(
        _block(
            f"Relations shown ({len(shown)})",
            12,
            MARGIN_IN,
            text_w,
            weight="bold",
            space_before=12,
        )  # fmt: skip
    )
    quote_x, quote_w = MARGIN_IN + 0.2, text_w - 0.2
    for relation in shown:
        lines = _block(
            relation.sentence + (f" ({relation.note})" if relation.note else ""),
            9.5, MARGIN_IN, text_w, weight="bold", space_before=6,
        )  # fmt: skip
        if not relation.quotes:
            lines += _block("No quote in the data.", 9, quote_x, quote_w, color=MUTED)
        for quote in relation.quotes:
            lines += _block(f"“{quote.text}”", 9, quote_x, quote_w, style="italic", space_before=2)
            where = f", {quote.locator}" if quote.locator else ""
            lines += _block(f"{quote.document}{where}", 8, quote_x, quote_w, color=MUTED)
        flow.add(lines)


def _render(pages: list[_Page], paper: tuple[float, float], out: IO[bytes], footer: str) -> None:
    width, height = paper
    metadata = {"Title": footer, "Creator": "graph.handout", "CreationDate": None}
    # drawn in memory, then written: a disk that fails mid-write is one OSError (matplotlib's
    # PDF writer, interrupted, ends in a zlib.error instead)
    buffer = io.BytesIO()
    with rc_context(static.RC), PdfPages(buffer, metadata=metadata) as pdf:
        for number, page in enumerate(pages, 1):
            fig = static.new_figure(width, height)
            if page.drawing is not None:
                _draw(fig, page.drawing, paper)
            for top, line in page.lines:
                fig.text(
                    line.x / width, 1 - (top + line.size) / 72 / height, line.text,
                    fontsize=line.size, fontweight=line.weight, fontstyle=line.style,
                    color=line.color, parse_math=False, va="baseline",
                )  # fmt: skip
            fig.text(
                1 - MARGIN_IN / width, (MARGIN_IN * 0.6) / height, f"Page {number} of {len(pages)}",
                ha="right", fontsize=FOOTER_PT, color=MUTED, parse_math=False,
            )  # fmt: skip
            if footer:
                fig.text(
                    MARGIN_IN / width, (MARGIN_IN * 0.6) / height, static.shown(footer[:80]),
                    fontsize=FOOTER_PT, color=MUTED, parse_math=False,
                )  # fmt: skip
            with warnings.catch_warnings():  # a glyph DejaVu lacks is a box, not a warning
                warnings.filterwarnings("ignore", message="Glyph .* missing from font")
                pdf.savefig(fig)
    out.write(buffer.getvalue())


def _draw(fig: Figure, drawing: tuple, paper: tuple[float, float]) -> None:
    G, look, focus, top = drawing
    width, height = paper
    box_w = width - 2 * MARGIN_IN
    box_h = height * DRAWING_SHARE
    data = static.vis_data(G, **look.options(), focus=focus)
    columns, legend_in = static.legend_height(len(data["legend"]), box_w)
    bottom = height - top / 72 - box_h
    rect = (MARGIN_IN, bottom + legend_in, box_w, box_h - legend_in)
    static.draw(fig, rect, G, look, focus=focus, data=data)
    static.add_legend(
        fig, data["legend"], anchor=(0.5, bottom / height), loc="lower center", columns=columns
    )


def _paper(paper: str) -> tuple[float, float]:
    if paper not in PAPERS:
        raise HandoutError(f"unknown paper {paper!r}; choose one of: {', '.join(PAPERS)}")
    return PAPERS[paper]


def tour_handout(
    G: nx.MultiDiGraph, tour: Tour, out: IO[bytes], *, paper: str = "a4"
) -> list[PageInfo]:
    """Write ``tour``'s handout as a PDF to ``out``: a cover, then each step's page (and its
    continuation pages); ``paper`` is ``a4`` or ``letter``. Returns what each page holds."""
    size = _paper(paper)
    flow = _Flow(size, lambda flow: None)
    _cover(flow, G, tour.title, tour.summary, [s.title for s in tour.steps])
    for i, step in enumerate(tour.steps):
        heading = f"Step {i + 1} of {len(tour.steps)} · {tour.title}"
        _section(flow, G, Section(step.title, step.view, step.narration, heading), i)
    _render(flow.pages, size, out, tour.title)
    return [page.info for page in flow.pages]


def view_handout(
    G: nx.MultiDiGraph,
    view: View,
    out: IO[bytes],
    *,
    paper: str = "a4",
    title: str | None = None,
    drawn: views.Scene | None = None,
    look: views.Drawing | None = None,
) -> list[PageInfo]:
    """Write a handout of one view as a PDF to ``out``: a cover (the dataset and its sources),
    then the view's drawing and every relation it shows with its quotes. ``drawn`` and
    ``look``: the view's scene and drawing when already made (the app's cached ones)."""
    size = _paper(paper)
    query = "&".join(f"{k}={v}" for k, v in views.to_query(view).items())
    name = title or (f"The view {query}" if query else "The whole graph")
    flow = _Flow(size, lambda flow: None)
    _cover(flow, G, name, "", [])
    _section(flow, G, Section(name, view), 0, drawn=drawn, look=look)
    _render(flow.pages, size, out, name)
    return [page.info for page in flow.pages]


def find_tour(G: nx.MultiDiGraph, tour_id: str, path: str | Path | None = None) -> Tour:
    """The tour ``tour_id`` of the dataset's tour file (``G.graph["tour_file"]``, or ``path``).

    Raises :class:`HandoutError` naming the tours there are when there is no such tour.
    """
    where = path or G.graph.get("tour_file")
    if not where:
        raise HandoutError("this dataset has no tour file (tours.yaml beside its CSV files)")
    tours = load_tours(where, G)
    for tour in tours:
        if tour.id == tour_id:
            return tour
    raise HandoutError(
        f"{Path(where).name} has no tour {tour_id!r}; the tours are: "
        + ", ".join(t.id for t in tours)
    )


def read_view(G: nx.MultiDiGraph, link: str) -> View:
    """The view a link (or its query string) asks for; :class:`HandoutError` listing every
    problem when any parameter is wrong, rather than a handout of something else.

    >>> G = nx.MultiDiGraph(); G.add_node("a", name="A", type="ngo")
    >>> read_view(G, "focus=a").focus
    'a'
    >>> read_view(G, "focus=zz&colour=red")
    Traceback (most recent call last):
    ...
    graph.handout.HandoutError: The link's focus names ... 'zz'. The link's 'colour' is not ...
    """
    view, problems = views.from_query(link, G)
    problems += views.unknown_params(link)
    if problems:  # refused, not fallen back on: "...; using 1." would not be true here
        raise HandoutError(" ".join(re.sub(r"; using [^;]*\.$", ".", p) for p in problems))
    return view


def page_count(pages: Sequence[PageInfo]) -> dict[str, int]:
    """How many pages of each kind.

    >>> page_count([PageInfo("cover"), PageInfo("section", 0), PageInfo("continued", 0)])
    {'cover': 1, 'section': 1, 'continued': 1}
    """
    counts = {"cover": 0, "section": 0, "continued": 0}
    for page in pages:
        counts[page.kind] += 1
    return counts


__all__ = [
    "PAPERS",
    "HandoutError",
    "PageInfo",
    "Relation",
    "document_line",
    "find_tour",
    "page_count",
    "read_view",
    "relations_shown",
    "tour_handout",
    "view_handout",
    "wrap",
]
