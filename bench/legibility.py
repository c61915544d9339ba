"""Which names a picture of the drawing shows legibly: OCR (tesseract) read back, name by name.

The one legibility check, used by ``bench/bench_legibility.py`` and the browser tests
(``tests/browser/test_legibility.py``). A name counts as legible when Debian's ``tesseract``
(package ``tesseract-ocr``, run as a subprocess: no network, no Python binding needed), reading
the canvas upscaled 3×, finds the name's words in order: case, accents and punctuation aside
("U.S." reads as "us"), each word a whole OCR word (or several of the name's words run
together, as OCR sometimes reads "Operation Synergia" as one, or pieces of one word that OCR
split closer than a space: "recruitm ent"), the next word to the right on the same line or on
the line below, near the centre of the line above (labels wrap over lines and are centred).
A word of seven letters or more may have one letter misread, added or lost (tesseract reads a
clear "CyberTipline" as "cyberrtipline" now and then; see :func:`one_slip`), a shorter one a
thin letter ("IJM" read "jm"); a small l and a capital I count as one letter (:func:`fold`);
stray marks of one or two letters that spell no word of any name are dropped
(:func:`is_noise`).
The picture is read twice, in tesseract's sparse-text and automatic page segmentation modes
(each misses different words of a sparse map); a name found by either reading counts. A
picture on a dark background is inverted first (tesseract reads dark text best). Names are
matched longest first, and the OCR words one name used are not used again, so "INTERPOL"
does not count because "INTERPOL Operation Synergia" was drawn.

Examples
--------
>>> words = [Word("national", 10, 10, 60, 12), Word("center", 75, 10, 45, 12),
...          Word("children", 30, 26, 55, 12), Word("ncmec", 400, 300, 50, 12)]
>>> sorted(legible_among({"a": "National Center — Children", "b": "NCMEC", "c": "Polaris"}, words))
['a', 'b']
>>> name_words("U.S. State Department's CyberTipline")
['us', 'state', 'departments', 'cybertipline']
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

TESSERACT = "tesseract"
UPSCALE = 3
DARK_INK_BELOW = 128
"""On a dark canvas, inverted: what is darker than mid-grey is ink, the rest paper. Tesseract's
own binarisation of the inverted picture ran the names' anti-aliased grey into the edges and
fills round them ("Internet" read "intemet"; the dark tour steps read 448 of 467 names, 458
with this; 120 and 140 give 459 and 460: not a tuned value)."""


@dataclass(frozen=True)
class Word:
    """One word tesseract read: normalised text and its box in the (upscaled) picture."""

    text: str
    left: float
    top: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.left + self.width

    @property
    def bottom(self) -> float:
        return self.top + self.height

    @property
    def cx(self) -> float:
        return self.left + self.width / 2

    @property
    def cy(self) -> float:
        return self.top + self.height / 2


def normalise(text: str) -> str:
    """Lower case, no accents, letters and digits only.

    >>> normalise("Exploited,") , normalise("Ñandú") , normalise("—")
    ('exploited', 'nandu', '')
    """
    flat = unicodedata.normalize("NFKD", text.lower())
    return re.sub(r"[^a-z0-9]", "", flat)


def name_words(name: str) -> list[str]:
    """The words a name is read as (empty pieces, like a dash, dropped)."""
    return [w for w in (normalise(p) for p in name.split()) if w]


def tesseract_available() -> bool:
    """Whether the ``tesseract`` binary is on the PATH."""
    return shutil.which(TESSERACT) is not None


def read_words(png: bytes, psm: str = "11") -> list[Word]:
    """The words tesseract reads in a PNG, upscaled 3× (inverted and made black on white first if
    it is dark: :data:`DARK_INK_BELOW`), with
    page segmentation mode ``psm`` ("11": sparse text in no particular order, as labels on a
    map; "3": tesseract's automatic layout).

    Raises ``RuntimeError`` naming the package to install when tesseract is missing.
    """
    from PIL import Image, ImageOps

    if not tesseract_available():
        raise RuntimeError(
            "tesseract not found: install Debian's package (sudo apt-get install tesseract-ocr)"
        )
    image = Image.open(io.BytesIO(png)).convert("L")
    image = image.resize((image.width * UPSCALE, image.height * UPSCALE), Image.Resampling.LANCZOS)
    histogram = image.histogram()
    mean = sum(i * n for i, n in enumerate(histogram)) / max(1, sum(histogram))
    if mean < 128:
        image = ImageOps.invert(image)
        image = image.point(lambda v: 0 if v < DARK_INK_BELOW else 255)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    done = subprocess.run(
        [TESSERACT, "stdin", "stdout", "--psm", psm, "-l", "eng", "tsv"],
        input=buffer.getvalue(),
        capture_output=True,
        check=True,
    )
    return parse_tsv(done.stdout.decode("utf-8", "replace"))


def parse_tsv(tsv: str) -> list[Word]:
    """Words from tesseract's TSV output (level 5 rows with text).

    >>> head = "level page block par line word left top width height conf text"
    >>> row = "5 1 1 1 1 1 3 4 20 9 91 NCMEC,"
    >>> parse_tsv("\\n".join(line.replace(" ", "\\t") for line in (head, row)))
    [Word(text='ncmec', left=3.0, top=4.0, width=20.0, height=9.0)]
    """
    words = []
    for line in tsv.splitlines()[1:]:
        cells = line.split("\t")
        if len(cells) < 12 or cells[0] != "5":
            continue
        text = normalise(cells[11])
        if text:
            left, top, width, height = (float(c) for c in cells[6:10])
            words.append(Word(text, left, top, width, height))
    return words


def fold(text: str) -> str:
    """``l`` read as ``i``: in a sans-serif label a capital I and a small l are one glyph, so
    OCR cannot tell "AI" from "Al"; both sides of the comparison are folded alike.

    >>> fold("al"), fold("lincoln")
    ('ai', 'iincoin')
    """
    return text.replace("l", "i")


class NameWord(str):
    """A name's word as matched (normalised, folded) that remembers which of its letters bore a
    diacritic: tesseract's English model misreads those ("Côte" as "cete"), so one of them
    read as another letter is a slip, not an illegible word."""

    accents: frozenset[int] = frozenset()


def accented_word(piece: str) -> NameWord:
    """``piece`` normalised and folded, with the positions of its accented letters.

    >>> word = accented_word("Côte"); str(word), sorted(word.accents)
    ('cote', [1])
    >>> sorted(accented_word("d'Ivoire").accents)
    []
    """
    letters: list[str] = []
    accents = set()
    for char in unicodedata.normalize("NFKD", piece.lower()):
        if re.match(r"[a-z0-9]", char):
            letters.append(char)
        elif unicodedata.combining(char) and letters:
            accents.add(len(letters) - 1)
    word = NameWord(fold("".join(letters)))
    word.accents = frozenset(accents)
    return word


def _folded_words(name: str) -> list[NameWord]:
    return [word for word in (accented_word(p) for p in name.split()) if word]


def is_noise(text: str, vocabulary: set[str]) -> bool:
    """Whether an OCR word is a stray mark: one or two letters that are no word of any name
    (tesseract reads an edge, a border or the gap in a line as "y", "h", "jl"). Dropped before
    matching, so a name's words read either side of one still follow each other.

    >>> is_noise("y", {"of", "half"}), is_noise("of", {"of", "half"}), is_noise("90", set())
    (True, False, False)
    >>> is_noise("jm", {"ijm"})  # "IJM" with its I lost: a slip, not a mark
    False
    """
    if len(text) > 2 or text in vocabulary or text.isdigit():
        return False
    return not any(one_slip(text, word) for word in vocabulary if len(word) == len(text) + 1)


def _absorb_noise(words: list[Word], vocabulary: set[str]) -> list[Word]:
    """The words without stray marks; a mark right after a word on its line widens that word's
    box instead (OCR boxes of one label's line can be cut up by marks: "nearly", "y", "h",
    "half" for "Nearly half"), so the next word is still a space away."""
    kept = [w for w in words if not is_noise(w.text, vocabulary)]
    for mark in sorted((w for w in words if is_noise(w.text, vocabulary)), key=lambda w: w.left):
        if any(_overlaps(w, mark) for w in kept):
            continue  # a second reading of a word already read ("ir" over "in"): dropped
        for i, word in enumerate(kept):
            if _same_line(word, mark) and word.left < mark.left:
                right = max(word.right, mark.right)
                kept[i] = Word(word.text, word.left, word.top, right - word.left, word.height)
                break
    return kept


def _overlaps(a: Word, b: Word) -> bool:
    """Whether the boxes of two words share most of the narrower one's width, on one line."""
    shared = min(a.right, b.right) - max(a.left, b.left)
    level = min(a.bottom, b.bottom) - max(a.top, b.top) > 0
    return level and shared > 0.5 * min(a.width, b.width)


def legible_among(names: Mapping[str, str], words: list[Word]) -> set[str]:
    """The keys of ``names`` whose name the OCR ``words`` spell out (see the module docstring)."""
    vocabulary = {token for name in names.values() for token in _folded_words(name)}
    words = [Word(fold(w.text), w.left, w.top, w.width, w.height) for w in words]
    words = _absorb_noise(words, vocabulary)
    used: set[int] = set()
    found = set()
    ordered = sorted(names, key=lambda k: (-len(name_words(names[k])), str(k)))
    for key in ordered:
        tokens = _folded_words(names[key])
        if not tokens:
            continue
        chain = _find_chain(tokens, words, used)
        if chain is not None:
            found.add(key)
            used.update(chain)
    return found


READINGS = ("11", "3")
"""The page segmentation modes a picture is read with; a name read in either counts."""


def legible_names(png: bytes, names: Mapping[str, str]) -> set[str]:
    """The keys of ``names`` (id -> name) legible in the PNG: read in each of :data:`READINGS`
    (tesseract finds the words of a sparse map differently in each; a name each reading
    matches on its own)."""
    found: set[str] = set()
    for psm in READINGS:
        found |= legible_among(names, read_words(png, psm))
    return found


SLIP_FROM = 7
"""A name's word this long or longer still reads with one letter misread, added or lost."""
THIN_SLIP_FROM = 3
THIN = set("iljtf1r")
"""A word of three letters or more still reads with one of these thin letters misread, added
or lost (tesseract reads a clear "IJM" as "jm")."""


def one_slip(text: str, token: str) -> bool:
    """Whether OCR's ``text`` is the long word ``token`` with one letter wrong, added or lost:
    tesseract's noise on a clear 14 px label ("cyberrtipline"), not a label one cannot read.
    Shorter words may slip only by a thin letter (:data:`THIN`: "IJM" read "jm"); an exact
    reading is not a slip.

    >>> one_slip("cyberrtipline", "cybertipline"), one_slip("recruitmemt", "recruitment")
    (True, True)
    >>> one_slip("jm", "ijm"), one_slip("ljm", "ijm")  # a thin letter in a short word
    (True, True)
    >>> one_slip("cyberline", "cybertipline"), one_slip("cat", "cab"), one_slip("ncmec", "ncmec")
    (False, False, False)
    >>> one_slip("m", "im"), one_slip("ncmoc", "ncmec")  # two letters; a thick letter, short
    (False, False)
    >>> one_slip("cete", accented_word("Côte")), one_slip("cete", "cote")  # "ô" read as "e"
    (True, False)
    """
    if len(token) < THIN_SLIP_FROM or text == token or abs(len(text) - len(token)) > 1:
        return False
    if len(text) == len(token):
        slips = [i for i, (a, b) in enumerate(zip(text, token)) if a != b]
        if len(slips) != 1:
            return False
        at = slips[0]
        accented = at in getattr(token, "accents", ())
        return len(token) >= SLIP_FROM or {text[at], token[at]} <= THIN or accented
    short, long = sorted((text, token), key=len)
    cut = next((i for i, (a, b) in enumerate(zip(short, long)) if a != b), len(short))
    thin = long[cut] in THIN
    return short[cut:] == long[cut + 1 :] and (len(token) >= SLIP_FROM or thin)


def _find_chain(tokens: list[str], words: list[Word], used: set[int]) -> list[int] | None:
    for start, word in enumerate(words):
        if start in used:
            continue
        for at in _advance(tokens, (0, 0), word.text):
            chain = _extend(tokens, at, words, [start], used, word, word)
            if chain is not None:
                return chain
    return None


def _advance(tokens: list[str], at: tuple[int, int], text: str) -> list[tuple[int, int]]:
    """Where reading the OCR word ``text`` from ``at`` (token, offset) leaves us, if it spells
    what comes next: one whole token, several run together, or a piece of one (OCR sometimes
    splits a word: "recruitm ent"). Empty if it does not match."""
    k, off = at
    if off == 0 and one_slip(text, tokens[k]):
        return [(k + 1, 0)]
    rest = "".join([tokens[k][off:], *tokens[k + 1 :]])
    if not rest.startswith(text):
        return []
    k, left = at[0], off + len(text)
    while k < len(tokens) and left >= len(tokens[k]):
        left -= len(tokens[k])
        k += 1
    return [(k, left)]


def _extend(
    tokens: list[str],
    at: tuple[int, int],
    words: list[Word],
    chain: list[int],
    used: set[int],
    last: Word,
    line_start: Word,
) -> list[int] | None:
    if at[0] == len(tokens):
        return chain
    inside = at[1] > 0  # the last word ended in the middle of a name's word
    for index, word in enumerate(words):
        if index in used or index in chain:
            continue
        same_line = _same_line(last, word, tight=inside)
        if not same_line and (inside or not _next_line(last, line_start, word)):
            continue
        for after in _advance(tokens, at, word.text):
            found = _extend(
                tokens, after, words, [*chain, index], used, word,
                line_start if same_line else word,
            )  # fmt: skip
            if found is not None:
                return found
    return None


def _same_line(last: Word, word: Word, tight: bool = False) -> bool:
    """``word`` follows ``last`` on its line: a space away, or (``tight``) closer than one."""
    h = max(last.height, word.height)
    gap = word.left - last.right
    return abs(word.cy - last.cy) < 0.5 * h and -0.2 * h <= gap < (0.5 if tight else 1.6) * h


def _next_line(last: Word, line_start: Word, word: Word) -> bool:
    """``word`` starts the line under the one ``line_start`` began, close to its centre."""
    h = max(last.height, word.height)
    gap = word.top - max(last.bottom, line_start.bottom)
    if not -0.35 * h <= gap < 1.3 * h:
        return False
    line_centre = (line_start.left + last.right) / 2
    line_half = (last.right - line_start.left) / 2
    return abs(word.cx - line_centre) < line_half + word.width / 2 + h


# --- in the browser (Playwright pages) --------------------------------------------------------

GRAPH = "[data-testid=kg-graph]"
CANVAS = f"{GRAPH} canvas"
NEXT_FRAMES = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"


def settle(page, timeout_ms: int = 60_000) -> None:
    """Until the drawing is ready, the app's script idle (if it is the app) and two more frames
    painted."""
    page.wait_for_selector(f"{GRAPH}[data-kg-ready=true]", timeout=timeout_ms)
    page.wait_for_function(
        """() => { const app = document.querySelector('[data-testid=stApp]');
                   return !app || app.dataset.testScriptState === 'notRunning'; }""",
        timeout=timeout_ms,
    )
    page.evaluate(NEXT_FRAMES)
    page.evaluate(NEXT_FRAMES)


def canvas_png(page) -> bytes:
    """A screenshot of the drawing's canvas as far as it lies in the window (what one sees
    without scrolling)."""
    box = page.locator(CANVAS).first.bounding_box()
    size = page.viewport_size
    left, top = max(0.0, box["x"]), max(0.0, box["y"])
    right = min(float(size["width"]), box["x"] + box["width"])
    bottom = min(float(size["height"]), box["y"] + box["height"])
    clip = {"x": left, "y": top, "width": right - left, "height": bottom - top}
    return page.screenshot(clip=clip)


def drawn_ids(page) -> list[str]:
    """The ids the drawing says it holds (its ``data-node-ids``)."""
    text = page.locator(GRAPH).first.get_attribute("data-node-ids") or ""
    return [node for node in text.split(" ") if node]
