"""Quotes checked against the documents' own texts, and the passage each quote stands in.

A dataset may hold its documents' texts in a ``sources/`` folder, one file per document named by
``documents.csv``'s ``source_file`` (or they are given elsewhere: ``python -m graph
check-evidence --sources DIR``). Every ``(quote, document)`` pair — a relation's ``evidence`` in
each document of its row, each citation's ``quote`` in its document — must stand in that
document verbatim, with only typographic quote marks, dashes and runs of whitespace folded
(:func:`fold`); letters, case and punctuation must match.

Examples
--------
>>> fold("“Traffickers’ tools”  –\\n online")
'"Traffickers\\' tools" - online'
>>> text = "Intro line.\\nFirst sentence. The report “highlights the promise” of tech. Last one.\\n"
>>> found = passage(text, 'highlights the promise')
>>> found.before, found.quote, found.after
('First sentence. The report “', 'highlights the promise', '” of tech. Last one.')
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from .errors import Collector

SOURCES_FOLDER = "sources"
"""The folder of a dataset that holds its documents' texts."""
MAX_TEXT_BYTES = 50_000_000
"""A source text larger than this is not read (its quotes are then not checked)."""
PASSAGE_SENTENCES = 2
"""Sentences shown before and after a quote, within its paragraph."""

_FOLD = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u00a0": " ",
    }
)
_SPACE = re.compile(r"\s+")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+")


def fold(text: str) -> str:
    """``text`` as quotes are compared: typographic quote marks and dashes as ASCII, every run
    of whitespace one space, no space at either end. Nothing else changes (not the case)."""
    return _SPACE.sub(" ", text.translate(_FOLD)).strip()


@dataclass(frozen=True)
class FoldedText:
    """A text folded as :func:`fold` folds it, with the position in the original of each
    character of the folded text (so a match can be shown in the original)."""

    original: str
    folded: str
    positions: tuple[int, ...] = field(repr=False)

    @classmethod
    def of(cls, text: str) -> FoldedText:
        chars: list[str] = []
        positions: list[int] = []
        space_at: int | None = None
        for at, char in enumerate(text.translate(_FOLD)):
            if char.isspace():
                if space_at is None:
                    space_at = at
                continue
            if space_at is not None and chars:
                chars.append(" ")
                positions.append(space_at)
            space_at = None
            chars.append(char)
            positions.append(at)
        return cls(text, "".join(chars), tuple(positions))

    def __contains__(self, quote: str) -> bool:
        wanted = fold(quote)
        return bool(wanted) and wanted in self.folded

    def span(self, quote: str) -> tuple[int, int] | None:
        """Where ``quote`` stands in the original text, as ``(start, end)``, or None."""
        wanted = fold(quote)
        at = self.folded.find(wanted) if wanted else -1
        if at < 0:
            return None
        return self.positions[at], self.positions[at + len(wanted) - 1] + 1


@dataclass(frozen=True)
class Passage:
    """A quote in its paragraph: up to :data:`PASSAGE_SENTENCES` sentences either side."""

    before: str
    quote: str
    after: str

    def text(self) -> str:
        return f"{self.before}{self.quote}{self.after}"


def passage(
    text: str | FoldedText, quote: str, sentences: int = PASSAGE_SENTENCES
) -> Passage | None:
    """The passage of ``text`` where ``quote`` stands (None if it does not): the quote as the
    text writes it, and the sentences around it within its paragraph."""
    folded = text if isinstance(text, FoldedText) else FoldedText.of(text)
    span = folded.span(quote)
    if span is None:
        return None
    start, end = span
    original = folded.original
    para_start = max(original.rfind("\n", 0, start) + 1, 0)
    para_end = original.find("\n", end)
    para_end = len(original) if para_end < 0 else para_end
    cuts = [para_start]
    cuts += [m.end() for m in _SENTENCE_END.finditer(original, para_start, para_end)]
    cuts.append(para_end)
    first = max(i for i, cut in enumerate(cuts) if cut <= start)
    last = min(i for i, cut in enumerate(cuts) if cut >= end)
    begin = cuts[max(first - sentences, 0)]
    finish = cuts[min(last + sentences, len(cuts) - 1)]
    return Passage(
        original[begin:start].lstrip(),
        original[start:end],
        original[end:finish].rstrip(),
    )


# --- the texts of a dataset ------------------------------------------------------------------


def read_texts(
    folder: str | Path, documents: Mapping[str, Mapping[str, Any]]
) -> tuple[dict[str, FoldedText], dict[str, str], list[str]]:
    """The texts of ``documents`` in ``folder`` (by ``source_file``): folded texts and file
    names by document id, and a sentence for each document whose text is not there.

    >>> read_texts("/nowhere", {"d1": {"source_file": "a.txt"}, "d2": {}})[2]
    ["document 'd1': its text a.txt is not in /nowhere", "document 'd2' names no source_file"]
    """
    folder = Path(folder)
    texts: dict[str, FoldedText] = {}
    names: dict[str, str] = {}
    missing = []
    for doc_id, meta in documents.items():
        name = str(meta.get("source_file") or "").strip()
        if not name:
            missing.append(f"document {doc_id!r} names no source_file")
            continue
        names[doc_id] = name
        path = folder / name
        if Path(name).name != name or not path.is_file():
            missing.append(f"document {doc_id!r}: its text {name} is not in {folder}")
            continue
        try:
            texts[doc_id] = _read(str(path), path.stat().st_mtime_ns)
        except (OSError, UnicodeDecodeError, ValueError) as err:
            missing.append(f"document {doc_id!r}: its text {name} cannot be read ({err})")
    return texts, names, missing


@lru_cache(maxsize=64)
def _read(path: str, _modified: int) -> FoldedText:
    with open(path, "rb") as handle:
        raw = handle.read(MAX_TEXT_BYTES + 1)
    if len(raw) > MAX_TEXT_BYTES:
        raise ValueError(f"more than {MAX_TEXT_BYTES:,} bytes")
    return FoldedText.of(raw.decode("utf-8-sig"))


@dataclass
class Tally:
    """How many ``(quote, document)`` pairs were checked, missed, or could not be checked."""

    checked: int = 0
    missed: int = 0
    unchecked: int = 0


def check_rows(
    file: str,
    pairs: Iterable[tuple[int, str, str, str]],
    texts: Mapping[str, FoldedText | str],
    names: Mapping[str, str] | None,
    found: Collector,
    tally: Tally | None = None,
) -> Tally:
    """Check ``(line, document, quote, column)`` pairs of ``file``: each miss is an error
    naming the line, the document and its text's file; a document without a text is counted
    as not checked."""
    tally = tally if tally is not None else Tally()
    names = names or {}
    folded = {doc: t if isinstance(t, FoldedText) else FoldedText.of(t) for doc, t in texts.items()}
    for line, document, quote, column in pairs:
        text = folded.get(document)
        if text is None:
            tally.unchecked += 1
            continue
        tally.checked += 1
        if quote not in text:
            tally.missed += 1
            shown = quote if len(quote) <= 100 else quote[:99] + "…"
            where = f" ({names[document]})" if document in names else ""
            found.error(
                file,
                line,
                f"{column} does not stand verbatim in document {document!r}{where}: {shown!r}",
                column,
            )
    return tally


def texts_of(G: Any) -> dict[str, FoldedText]:
    """The texts of a loaded graph's documents, when its dataset has them (``G.graph["sources"]``
    names the folder), by document id; else an empty dict."""
    folder = G.graph.get("sources")
    if not folder:
        return {}
    return read_texts(folder, G.graph.get("documents") or {})[0]


def passage_in(G: Any, document: str, quote: str) -> Passage | None:
    """Where ``quote`` stands in ``document``'s text, when the dataset has the text."""
    text = texts_of(G).get(document)
    return passage(text, quote) if text is not None else None
