"""Text rules for ingesting a document: sentences with their character offsets, quotes cut to
size, ids made from names, and the vocabulary file.

Offsets always point into the text as read, so every quote is a verbatim slice of it.

Examples
--------
>>> text = "The U.S. Department of Justice said so.4 Then INTERPOL led it. Next line\\nA new one."
>>> [text[s.start:s.end] for s in sentences(text)]
['The U.S. Department of Justice said so.4', 'Then INTERPOL led it.', 'Next line', 'A new one.']
>>> slug("Child Exploitation & Obscenity Section")
'child_exploitation_obscenity_section'
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .evidence import _FOLD

VOCABULARY_FILE = Path(__file__).with_name("ingest_vocabulary.toml")
MAX_QUOTE = 199
"""A quote (evidence) is shorter than 200 characters."""

_END = re.compile(r"[.!?]+[\"'”’)\]]*(?:\d{1,3}(?:,\d{1,3})*)?(?=\s+[\"“‘(\[]?[A-Z0-9])")
_ABBREVIATION = re.compile(
    r"(?:^|[\s(])(?:(?:[A-Z]\.)*[A-Z]|Mr|Ms|Mrs|Dr|St|No|Nos|vs|Jr|Sr|Inc|Ltd|Co|Corp|Rep|Sen|Gov|"
    r"Prof|Gen|Hon|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Fig|approx|e\.g|i\.e|cf)\.$"
)


@dataclass(frozen=True)
class Sentence:
    """One sentence: where it starts and ends in the text, and its words."""

    start: int
    end: int
    text: str


_DOTTED_END = re.compile(r"(?:^|\s)(?:[A-Z]\.){2,}$")
_OPENER = re.compile(
    r"\s+(?:The|This|These|Those|They|It|Its|We|Our|Their|He|She|In|But|However|Yet|So|A|An)\b"
)
"""After "U.S." or "U.N.", a word that opens a sentence: the stop also ends the sentence."""
_WRAP_WORDS = frozenset("a an the of and or to in on for by with from at as that than into".split())
"""Words a sentence does not end on: a line ending on one is wrapped, not finished."""


def _wrapped(line: str, following: str) -> bool:
    """Whether the break between two lines only wraps a sentence (hard-wrapped text, a PDF's
    lines): the first line does not end a sentence, and the next goes on in lower case, or the
    first stops on a comma or a word such as "the" or "of"."""
    end, nxt = line.rstrip(), following.lstrip()
    if not end or not nxt or end.rstrip("\"'”’)]").endswith((".", "!", "?", ":", ";")):
        return False
    last = re.search(r"[\w']+$", end)
    return (
        nxt[0].islower()
        or end.endswith(",")
        or (last is not None and last.group().lower() in _WRAP_WORDS)
    )


def _lines(text: str) -> list[tuple[int, int]]:
    """The text's lines as ``(start, end)``, a line wrapped onto the next (no blank line
    between) joined to it."""
    lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    joined: list[tuple[int, int]] = []
    for start, end in lines:
        if (
            joined
            and text[joined[-1][1] : start] == "\n"
            and _wrapped(text[joined[-1][0] : joined[-1][1]], text[start:end])
        ):
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
    return joined


def sentences(text: str) -> list[Sentence]:
    """The sentences of ``text``, split after ``.``, ``!`` or ``?`` (and a closing quote or a
    footnote number) before a capital or a digit, but not after an abbreviation such as
    ``U.S.`` or ``Dr.``. A sentence stays within its line, unless the line only wraps it onto
    the next (see :func:`_wrapped`): a heading or a list item keeps its own line.

    >>> [s.text for s in sentences("Most cases are in the U.S. They are online. The U.S. Senate")]
    ['Most cases are in the U.S.', 'They are online.', 'The U.S. Senate']
    >>> text = "Funded by the Office, the hotline found\\nthat they recruit online.\\nA Title"
    >>> [s.text for s in sentences(text)]
    ['Funded by the Office, the hotline found\\nthat they recruit online.', 'A Title']
    """
    found = []
    for line_start, line_end in _lines(text):
        start = line_start
        cuts = []
        for end in _END.finditer(text, line_start, line_end):
            head = text[max(line_start, end.start() - 12) : end.start() + 1]
            if (
                end.group().startswith(".")
                and _ABBREVIATION.search(head)
                and not (_DOTTED_END.search(head) and _OPENER.match(text, end.end()))
            ):
                continue
            cuts.append(end.end())
        for cut in [*cuts, line_end]:
            piece = text[start:cut]
            stripped = piece.strip()
            if stripped:
                offset = start + (len(piece) - len(piece.lstrip()))
                found.append(Sentence(offset, offset + len(stripped), stripped))
            start = cut
    return found


def is_heading(sentence: Sentence) -> bool:
    """Whether a sentence is a heading: no closing stop, and most of its words capitalised.

    >>> is_heading(Sentence(0, 30, "Social Media Becomes a Recruiting Tool"))
    True
    """
    words = re.findall(r"[A-Za-z][\w'-]*", sentence.text)
    if not words or sentence.text.rstrip("\"'”’)").endswith((".", "!", "?", ":")):
        return False
    return sum(w[0].isupper() for w in words) >= 0.6 * len(words)


def folded(text: str) -> str:
    """``text`` with typographic quote marks and dashes as ASCII, character for character (so
    offsets still match the original).

    >>> folded("NCMEC’s “CyberTipline”")
    'NCMEC\\'s "CyberTipline"'
    """
    return text.translate(_FOLD)


def quote_around(text: str, sentence: Sentence, start: int, end: int) -> str | None:
    """A verbatim quote under 200 characters holding ``text[start:end]``: its sentence when
    that is short enough, else the span itself (None when even that is too long).

    >>> s = Sentence(0, 21, "INTERPOL led the op.")
    >>> quote_around("INTERPOL led the op.", s, 0, 12)
    'INTERPOL led the op.'
    """
    if sentence.end - sentence.start <= MAX_QUOTE:
        return text[sentence.start : sentence.end]
    if end - start > MAX_QUOTE:
        return None
    # Grow the span to whole words, up to the limit.
    room = MAX_QUOTE - (end - start)
    left = max(sentence.start, start - room // 2)
    right = min(sentence.end, end + (room - (start - left)))
    while left > sentence.start and left < start and not text[left - 1].isspace():
        left += 1
    while right < sentence.end and right > end and not text[right].isspace():
        right -= 1
    return text[left:right].strip()


def slug(name: str, limit: int = 60) -> str:
    """A snake_case id made from a name (accents dropped)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_name.lower())
    return "_".join(words)[:limit].strip("_") or "entity"


def normal(name: str) -> str:
    """A name as names are compared: folded, lower case, one space, no "the", no possessive.

    >>> normal("The  NCMEC’s"), normal("U.S. Congress")
    ('ncmec', 'u.s. congress')
    """
    text = re.sub(r"\s+", " ", folded(name)).strip().lower()
    text = re.sub(r"^the ", "", text)
    return re.sub(r"'s?$", "", text)


@lru_cache(maxsize=1)
def vocabulary() -> dict[str, Any]:
    """The ingest vocabulary (``ingest_vocabulary.toml``): heads, technologies, platforms,
    places and titles.

    >>> vocabulary()["heads"]["law"][0]
    'Act'
    """
    with open(VOCABULARY_FILE, "rb") as handle:
        return tomllib.load(handle)
