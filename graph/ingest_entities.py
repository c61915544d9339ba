"""Entities in a new document: the dataset's own (by name, alias, acronym, plural, possessive,
any case) and new ones proposed from the text.

New entities come from acronym definitions ("Full Name (ABBR)"), names ending in (or, for
operations and projects, starting with) an organisational, legal or product head word
("... Department", "... Act", "Operation ..."), named platforms and products (``WhatsApp``,
``CyberTipline``), the technology vocabulary, places and people named with a title. Each gets
a type guessed from its head word and context, and the aliases the text gives it. The words
are declared in ``ingest_vocabulary.toml``.

Examples
--------
>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("ncmec", name="National Center for Missing and Exploited Children", type="ngo",
...            aliases=("NCMEC",))
>>> text = "NCMEC’s analysts joined the Tech Safety Coalition (TSC) in Kenya."
>>> found = find_entities(text, G, types={"ngo", "coalition", "place"})
>>> [(m.entity, text[m.start:m.end]) for m in found.mentions]  # doctest: +NORMALIZE_WHITESPACE
[('ncmec', 'NCMEC’s'), ('tech_safety_coalition', 'Tech Safety Coalition'),
 ('tech_safety_coalition', 'TSC'), ('kenya', 'Kenya')]
>>> [(c.id, c.type, c.aliases) for c in found.candidates]
[('tech_safety_coalition', 'coalition', ('TSC',)), ('kenya', 'place', ())]
"""

from __future__ import annotations

import bisect
import re
import weakref
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .ingest_text import Sentence, folded, is_heading, normal, sentences, slug, vocabulary

CONNECTORS = frozenset(
    {"of", "and", "for", "the", "on", "in", "against", "to", "&", "de", "la", "del", "at", "from"}
)
LEADING = frozenset(
    "The A An This That These Those In On At For As By With From Since While However "
    "According Earlier Last Next Our Their Its His Her Every Each Both Under Through Today "
    "Yesterday When Where Why How What If Although Though After Before During Meanwhile Also "
    "Thus Still Then And But Or So Now Here There Many Some Most Other New Former".split()
)
"""Capitalised words that start a sentence rather than a name (dropped from a name's front)."""
LEGISLATURES = frozenset({"Congress", "Senate", "House", "Parliament", "Assembly"})
"""Head words that are a name by themselves ("the Senate")."""
NOT_NAMES = frozenset("I We You They He She It Mr Ms Mrs Dr".split())
_TOKEN = re.compile(r"[\w&][\w'&.\-]*")
_ACRONYM = re.compile(r"\(([A-Z][A-Za-z0-9&.\-]{0,10}[A-Z0-9])\)")
_CAMEL = re.compile(r"^[A-Z][a-z]+[A-Z][A-Za-z]*$")
_CONTEXT_TYPES = {
    "technology": "technology",
    "technologies": "technology",
    "act": "law",
    "bill": "law",
    "law": "law",
    "app": "tool",
    "tool": "tool",
    "platform": "tool",
    "program": "program",
    "programme": "program",
    "report": "report",
    "operation": "operation",
    "coalition": "coalition",
}


@dataclass(frozen=True)
class Mention:
    """An entity named in the text at ``[start, end)``; ``known``: already in the dataset."""

    start: int
    end: int
    entity: str
    known: bool
    coreferent: bool = False
    """A pronoun or definite description ("It", "the Act") read as the entity."""


@dataclass
class Candidate:
    """A new entity proposed from the text."""

    id: str
    name: str
    type: str
    start: int
    end: int
    confidence: float
    reason: str
    aliases: tuple[str, ...] = ()


@dataclass
class Found:
    """What :func:`find_entities` found: every mention in text order, the new candidates, and
    aliases the text defines for known entities (entity id -> new aliases)."""

    mentions: list[Mention]
    candidates: list[Candidate]
    new_aliases: dict[str, list[str]] = field(default_factory=dict)
    sentences: list[Sentence] = field(default_factory=list)


class NameIndex:
    r"""Names and aliases matched in a text as whole words, with a plural or possessive ending.

    A form of several words, or of one word with no capital after its first letter
    (``Senate``, ``dating``), matches in any case; one word with capitals after its first
    letter (``IPA``, ``WhatsApp``, ``US``) only as written, so "ipa" and "us" in running text
    are not names.

    >>> index = NameIndex([("IPA", "ipa"), ("dating app", "dating"), ("agency", "agencies")])
    >>> [(s, e, i) for s, e, i in index.find("IPA's Dating Apps, ipa and agencies")]
    [(0, 5, 'ipa'), (6, 17, 'dating'), (27, 35, 'agencies')]

    Notes
    -----
    The spellings are kept in two :class:`_Spellings` tables (as written; in any case), each a
    dict of every spelling and, for each first word, the lengths of the spellings it starts.
    A text is read once per table: at each word, only the spellings that start with that word
    are tried, longest first, one dict look-up each, so a search costs what the text and the
    names sharing its words cost, not what the number of names does. It finds what one
    regular expression of every spelling (longest first, ``\s+`` for a space, ``(?<![\w-])``
    before and ``(?:'s|'|s|es)?(?!\w)`` after) would, without compiling one.
    """

    def __init__(self, forms: Iterable[tuple[str, str]]):
        self.ids: dict[str, str] = {}
        self.forms: dict[str, str] = {}  # each variant -> the form it was made from
        # Capitals after the first letter (IPA, WhatsApp, US) match only as written.
        self._tables = (_Spellings(any_case=False), _Spellings(any_case=True))
        exact, loose = self._tables
        for form, entity in forms:
            text = _SPACES.sub(" ", folded(form)).strip()
            if len(text) < 2 or not _WORD.search(text):
                continue
            for variant in _spellings(text):
                key = variant.lower()
                self.ids.setdefault(key, entity)
                self.forms.setdefault(key, text)
                is_loose = " " in variant or variant[1:] == variant[1:].lower()
                (loose if is_loose else exact).add(variant, key)
        for table in self._tables:
            table.freeze()
        self._last: tuple[str, _Collapsed] | None = None

    def __len__(self) -> int:
        """How many spellings the index looks for."""
        return sum(len(table.keys) for table in self._tables)

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """``(start, end, entity)`` of each name in ``text`` (folded), longest first, no overlap."""
        return _non_overlapping(self._matches(text, 0, len(text)))

    def nested(self, text: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
        """Names inside the ``spans`` found (INTERPOL in "INTERPOL-led Operation Synergia")."""
        found: set[tuple[int, int, str]] = set()
        todo = list(spans)
        while todo:
            start, end, entity = todo.pop()
            if " " not in text[start:end] and "-" not in text[start:end]:
                continue
            inner = self._matches(text, start, end - 1) + self._matches(text, start + 1, end)
            inner += self._overlapping(text, start, end)
            # Drop the span's own entity first: its shorter spellings (a plural's singular)
            # must not hide the other names inside it.
            inner = [m for m in inner if m[2] != entity]
            new = set(_non_overlapping(inner)) - found
            found |= new
            todo += new
        return sorted(found)

    def _collapsed(self, text: str) -> _Collapsed:
        """``text`` with its white space collapsed (the last text's kept: ``find`` and then
        ``nested`` read the same one)."""
        last = self._last
        if last is not None and last[0] == text:
            return last[1]
        collapsed = _Collapsed(text)
        self._last = (text, collapsed)
        return collapsed

    def _overlapping(self, text: str, start: int, end: int) -> list[tuple[int, int, str]]:
        """Names that start at a word inside ``[start, end)`` and run past its end: "TIP Report
        Hero" in "2024 TIP Report Hero" when "2024 TIP Report" was found first."""
        found = []
        collapsed = self._collapsed(text)
        for word in re.finditer(r"(?<=[\s\-/])\w", text[start:end]):
            at = collapsed.inner(start + word.start())
            for table in self._tables:
                written = collapsed.lower if table.any_case else collapsed.text
                if at > 0 and (_is_word(written[at - 1]) or written[at - 1] == "-"):
                    continue  # not a word's start ("Anti-Trafficking")
                run = _RUN.match(written, at)
                match = table.match(written, at, run.group() if run else "", len(written))
                if match is not None and collapsed.outer(match[0]) > end:
                    found.append((collapsed.outer(at), collapsed.outer(match[0]), match[1]))
        return [(s, e, self.ids[key]) for s, e, key in found]

    def _matches(self, text: str, start: int, end: int) -> list[tuple[int, int, str]]:
        """The names in ``text[start:end]`` (read as if the text ended at ``end``), each table
        read left to right, a name's end the next place to look."""
        found = []
        collapsed = self._collapsed(text)
        first, last = collapsed.inner(start), collapsed.inner(end)
        for table in self._tables:
            if not table.keys:
                continue
            written = collapsed.lower if table.any_case else collapsed.text
            after = first
            for head in _HEAD.finditer(written, first, last):
                at = head.start()
                if at < after:
                    continue
                match = table.match(written, at, head.group(), last)
                if match is not None:
                    after = match[0]
                    span = (collapsed.outer(at), collapsed.outer(after))
                    found.append((*span, self.ids[match[1]]))
        return found


_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"\w")
_RUN = re.compile(r"\w+")
_HEAD = re.compile(r"(?<![\w\-])(?:\w+|[^\w\s])")
"""Where a name may start: a word (not after a letter or a hyphen), or a sign such as "#"."""
_ENDINGS = ("'s", "'", "s", "es", "")
"""What may follow a name (a possessive or a plural), tried in this order."""


def _is_word(char: str) -> bool:
    """Whether ``char`` is a word character (as ``\\w`` matches)."""
    return char.isalnum() or char == "_"


def _lower(text: str) -> str:
    """``text`` in lower case, character for character (offsets kept)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c.lower()[0] for c in text)  # "İ" lowers to two characters


class _Spellings:
    """The spellings of names matched as written (or, ``any_case``, in lower case): each
    spelling with its key in :attr:`NameIndex.ids`, and for each first word (or first sign)
    the lengths of the spellings that start with it, longest first."""

    def __init__(self, any_case: bool):
        self.any_case = any_case
        self.keys: dict[str, str] = {}
        self.lengths: dict[str, tuple[int, ...]] = {}
        self._lengths: dict[str, set[int]] = {}

    def add(self, spelling: str, key: str) -> None:
        if self.any_case:
            spelling = _lower(spelling)
        if spelling in self.keys:
            return
        self.keys[spelling] = key
        head = _HEAD.match(spelling)
        if head is not None:  # always: a spelling starts with a word or a sign
            self._lengths.setdefault(head.group(), set()).add(len(spelling))

    def freeze(self) -> None:
        self.lengths = {h: tuple(sorted(n, reverse=True)) for h, n in self._lengths.items()}
        self._lengths = {}

    def match(self, text: str, at: int, head: str, limit: int) -> tuple[int, str] | None:
        """``(end, key)`` of the longest spelling at ``text[at:]`` (``head`` the word there;
        ``text`` read as if it ended at ``limit``) followed by an ending and no word character;
        None when there is none."""
        for length in self.lengths.get(head, ()):
            key = self.keys.get(text[at : at + length]) if at + length <= limit else None
            if key is not None:
                end = _ending(text, at + length, limit)
                if end is not None:
                    return end, key
        # A one-word spelling with a plural ending in the same word: "NGO" in "NGOs".
        for cut, ending in ((1, "s"), (2, "es")):
            if len(head) > cut and head.endswith(ending):
                key = self.keys.get(head[:-cut])
                if key is not None:
                    end = _ending(text, at + len(head) - cut, limit)
                    if end is not None:
                        return end, key
        return None


def _ending(text: str, at: int, limit: int) -> int | None:
    """Where a name ending at ``at`` ends with its possessive or plural ending, if any; None
    when a word character follows (the name is part of a longer word)."""
    for ending in _ENDINGS:
        end = at + len(ending)
        if end <= limit and text.startswith(ending, at, limit):
            if end == limit or not _is_word(text[end]):
                return end
    return None


class _Collapsed:
    """A text with each run of white space as one space (``text``; ``lower``: in lower case),
    and the way between its offsets and the original's."""

    def __init__(self, original: str):
        self.text = _SPACES.sub(" ", original)
        self.lower = _lower(self.text)
        # From self._marks[i] on, an offset is self._shifts[i] less than in the original.
        self._marks, self._shifts = [0], [0]
        removed = 0
        for run in _LONG_SPACES.finditer(original):
            removed += run.end() - run.start() - 1
            self._marks.append(run.end() - removed)
            self._shifts.append(removed)
        self._outer_marks = [m + s for m, s in zip(self._marks, self._shifts, strict=True)]

    def outer(self, at: int) -> int:
        """The original offset of offset ``at``."""
        return at + self._shifts[bisect.bisect_right(self._marks, at) - 1]

    def inner(self, at: int) -> int:
        """The offset of original offset ``at`` (inside a run of white space: after its one
        space)."""
        i = bisect.bisect_right(self._outer_marks, at) - 1
        inner = at - self._shifts[i]
        return min(inner, self._marks[i + 1]) if i + 1 < len(self._marks) else inner


_LONG_SPACES = re.compile(r"\s{2,}")


_UK_IZE = re.compile(r"is(ation|e|ed|ing)\b")
_UK_OUR = re.compile(r"our\b")
_THE = re.compile(r"the\s+\S", re.IGNORECASE)
_DOTTED = re.compile(r"(?<![\w.])((?:[A-Z]\.){2,})(?!\w)")
_BARE = re.compile(r"(?<![\w.])([A-Z]{2,3})(?![\w.])")
_HYPHEN = re.compile(r"(?<=\w)-(?=\w)")
_AMPERSAND = re.compile(r"\s&\s")


def _undotted(match: re.Match[str]) -> str:
    return match.group(1).replace(".", "")


def _dotted(match: re.Match[str]) -> str:
    return ".".join(match.group(1)) + "."


def _variants(text: str) -> list[str]:
    """A name and its other spellings: plural/singular of the last word, US/UK spelling.

    >>> _variants("Labour agency")
    ['Labour agency', 'Labour agencies', 'Labor agency', 'Labor agencies']
    """
    forms = [text]
    last = text.rsplit(" ", 1)[-1]
    if last.islower() and len(last) > 3:
        if text.endswith("y") and text[-2] not in "aeiou":
            forms.append(text[:-1] + "ies")
        elif text.endswith("ies"):
            forms.append(text[:-3] + "y")
        elif text.endswith("s") and not text.endswith(("ss", "us", "is")):
            forms.append(text[:-1])
    us = [
        _UK_OUR.sub("or", _UK_IZE.sub(r"iz\1", f)) if "is" in f or "our" in f else f for f in forms
    ]
    return list(dict.fromkeys(forms + us + _verb_forms(text)))


def _spellings(text: str) -> list[str]:
    """The forms of a name the index looks for: its :func:`_variants`, and the same name
    written without a leading "the", with its dotted acronyms without periods (or the other
    way), with a hyphen as a space or as nothing, "&" as "and", and a capitalised plural head
    word in the singular.

    >>> _spellings("The U.S. Anti-Trafficking Unit")  # doctest: +NORMALIZE_WHITESPACE
    ['The U.S. Anti-Trafficking Unit', 'U.S. Anti-Trafficking Unit',
     'The US Anti-Trafficking Unit', 'US Anti-Trafficking Unit',
     'The U.S. Anti Trafficking Unit', 'U.S. Anti Trafficking Unit',
     'The US Anti Trafficking Unit', 'US Anti Trafficking Unit',
     'The U.S. AntiTrafficking Unit', 'U.S. AntiTrafficking Unit',
     'The US AntiTrafficking Unit', 'US AntiTrafficking Unit']
    >>> _spellings("Labour Agencies")
    ['Labour Agencies', 'Labor Agencies', 'Labour Agency', 'Labor Agency']
    >>> _spellings("US Congress")[:2]
    ['US Congress', 'U.S. Congress']
    """
    forms = [text]
    if len(text) > 6 and _THE.match(text):
        forms.append(text[4:])
    forms += [_DOTTED.sub(_undotted, f) if "." in f else f for f in forms]
    forms += [_BARE.sub(_dotted, f) for f in forms if " " in f]
    forms += [_HYPHEN.sub(sep, f) for sep in (" ", "") for f in forms if "-" in f]
    forms += [_AMPERSAND.sub(" and ", f) for f in forms if " & " in f]
    last = text.rsplit(" ", 1)[-1]
    if " " in text and last[:1].isupper() and last[1:].islower() and len(last) > 4:
        if last.endswith("ies"):
            forms += [f[:-3] + "y" for f in forms]
        elif last.endswith("s") and not last.endswith(("ss", "us", "is")):
            forms += [f[:-1] for f in forms]
    variants = [v for f in dict.fromkeys(forms) for v in _variants(f)]
    return [v for v in dict.fromkeys(variants) if len(v) >= 2]


def _verb_forms(word: str) -> list[str]:
    """The verb of a one-word noun of action ("recruitment" -> "recruited", "recruiting").

    >>> _verb_forms("coercion"), _verb_forms("Bitcoin")
    (['coerce', 'coerces', 'coerced', 'coercing'], [])
    """
    if word[1:].islower():
        word = word.lower()
    if not word.isalpha() or not word.islower() or len(word) < 7:
        return []
    if word.endswith(("ising", "izing")):
        stem = word[:-3]
        return [stem + "e", stem + "es", stem + "ed", stem + "ement", stem + "ements"]
    for ending, stems in (("ment", ("",)), ("ation", ("", "e")), ("ion", ("e",))):
        if word.endswith(ending):
            stem = word[: -len(ending)]
            forms = []
            for extra in stems:
                base = stem + extra
                if extra == "e":
                    forms += [base, base + "s", base + "d", stem + "ing"]
                else:
                    forms += [base, base + "s", base + "ed", base + "ing"]
            return forms
    return []


def _non_overlapping(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    kept: list[tuple[int, int, str]] = []
    for span in sorted(spans, key=lambda s: (s[0], s[0] - s[1])):
        if not kept or span[0] >= kept[-1][1]:
            kept.append(span)
    return kept


_INDEXES: weakref.WeakKeyDictionary[Any, tuple[int, NameIndex]] = weakref.WeakKeyDictionary()


def known_index(G: Any) -> NameIndex:
    """The index of a loaded graph's names and aliases (names first: a name wins over another
    entity's alias); kept while the graph lives, so reading several documents against one
    graph builds it once."""
    kept = _INDEXES.get(G)
    if kept is not None and kept[0] == len(G):
        return kept[1]
    index = _build_index(G)
    _INDEXES[G] = (len(G), index)
    return index


def _build_index(G: Any) -> NameIndex:
    names = [(str(data.get("name") or node), str(node)) for node, data in G.nodes(data=True)]
    aliases = [(str(a), str(node)) for node, data in G.nodes(data=True) for a in data["aliases"]]
    return NameIndex(names + aliases)


# --- new entities -----------------------------------------------------------------------------


def _heads() -> tuple[dict[str, str], dict[str, str]]:
    heads = vocabulary()["heads"]
    suffix = {w.lower(): t for t, words in heads.items() if t != "prefix" for w in words}
    prefix = {w.lower(): t for t, words in heads["prefix"].items() for w in words}
    return suffix, prefix


def _type_of(words: list[str], context: str = "") -> str | None:
    """The type a name's head word suggests ("Department" -> agency), or None; a year may
    follow the head word ("EU Anti-Trafficking Day 2020").

    >>> _type_of(["EU", "Anti-Trafficking", "Day", "2020"]), _type_of(["Day", "2020"])
    ('event', None)
    """
    if len(words) > 2 and re.fullmatch(r"(?:19|20)\d\d", words[-1]):
        return _type_of(words[:-1], context)
    suffix, prefix = _heads()
    lower = [w.lower().rstrip(".") for w in words]
    if len(words) > 1 and " ".join(lower[:2]) in prefix:
        return prefix[" ".join(lower[:2])]
    if len(words) > 1 and lower[0] in prefix:
        return prefix[lower[0]]
    found = None
    for i in range(len(lower)):
        # A head word ends the name, or comes before its complement ("Department of Justice").
        last = i == len(lower) - 1 or lower[i + 1] in CONNECTORS
        pair = " ".join(lower[i : i + 2])
        if (
            i + 1 < len(lower)
            and pair in suffix
            and (i + 2 == len(lower) or lower[i + 2] in CONNECTORS)
        ):
            found = suffix[pair]
        elif lower[i] in suffix and last and (words[i][0].isupper() or words[i][0].isdigit()):
            found = suffix[lower[i]]
    if found in ("agency", "ngo", "coalition") and re.match(
        r"(united nations|un |international|inter-|world|global|european)", " ".join(lower)
    ):
        joined = " ".join(lower)
        if found == "agency" or "organization" in lower or "organisation" in lower:
            found = "international_org"
        elif re.match(r"(united nations|un |inter-)", joined):
            found = "international_org"
    return found


_APPOSITIVE = re.compile(
    r",?\s+(?:is\s+)?(?:a|an|the)\s+(?:[\w-]+\s+){0,3}?(coalition|alliance|organization|"
    r"organisation|nonprofit|non-profit|charity|ngo|agency|department|company|firm|platform|app|"
    r"application|tool|database|hotline|program|programme|initiative|report|law|bill|act|"
    r"university|institute|lab|laboratory|operation|campaign|event|conference)\b",
    re.IGNORECASE,
)
_APPOSITIVE_TYPES = {
    "coalition": "coalition", "alliance": "coalition", "organization": "ngo",
    "organisation": "ngo", "nonprofit": "ngo", "non-profit": "ngo", "charity": "ngo",
    "ngo": "ngo", "agency": "agency", "department": "agency", "company": "company",
    "firm": "company", "platform": "tool", "app": "tool", "application": "tool", "tool": "tool",
    "database": "tool", "hotline": "tool", "program": "program", "programme": "program",
    "initiative": "program", "report": "report", "law": "law", "bill": "law", "act": "law",
    "university": "research", "institute": "research", "lab": "research",
    "laboratory": "research", "operation": "operation", "campaign": "program", "event": "event",
    "conference": "event",
}  # fmt: skip


def _descriptor_type(text: str, sentence: Sentence, start: int) -> str | None:
    """The type a common noun right before a name gives it ("the NGO Fundación Pasos")."""
    match = re.search(r"(?<![\w-])([A-Za-z-]+)\s+$", text[max(sentence.start, start - 30) : start])
    word = match.group(1).lower() if match else ""
    return _APPOSITIVE_TYPES.get(word) if word not in ("act", "law", "bill", "report") else None


def _appositive_type(text: str, end: int) -> str | None:
    """The type a description right after a name gives it ("X, a coalition of ...")."""
    match = _APPOSITIVE.match(text, end, min(len(text), end + 60))
    return _APPOSITIVE_TYPES[match.group(1).lower()] if match else None


def _tokens(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    out = []
    for match in _TOKEN.finditer(text, start, end):
        s, e, word = match.start(), match.end(), match.group()
        while word.endswith((".", "-")) and not re.fullmatch(r"(?:[A-Z]\.)+", word):
            word, e = word[:-1], e - 1
        compound = _COMPOUND.search(word)
        if compound and compound.start() > 0:
            out.append((s, s + compound.start(), word[: compound.start()]))
            out.append((s + compound.start() + 1, e, word[compound.start() + 1 :]))
        elif word:
            out.append((s, e, word))
    return out


_COMPOUND = re.compile(r"-(led|based|run|funded|backed|owned|linked|sponsored)$")


def _is_cap(word: str) -> bool:
    return word[0].isupper() or (word[0].isdigit() and len(word) == 4)


def _runs(text: str, sentence: Sentence) -> Iterable[list[tuple[int, int, str]]]:
    """Runs of capitalised words (with ``of``, ``and``... between them) in a sentence."""
    tokens = _tokens(text, sentence.start, sentence.end)
    run: list[tuple[int, int, str]] = []
    i = 0
    while i < len(tokens):
        s, e, word = tokens[i]
        joined = bool(run) and text[run[-1][1] : s].strip() == ""
        if _is_cap(word) and (joined or not run):
            run.append(tokens[i])
        elif joined and word.lower() in CONNECTORS and i + 1 < len(tokens):
            nxt = tokens[i + 1]
            if nxt[2][0].isupper() and text[e : nxt[0]].strip() == "" and not word[0].isupper():
                run.append(tokens[i])
            else:
                yield run
                run = []
        else:
            if run:
                yield run
            run = [tokens[i]] if _is_cap(word) else []
        if run and run[-1][2].endswith(("'s", "'")):
            nxt_cap = i + 1 < len(tokens) and tokens[i + 1][2][0].isupper()
            if not (run[-1][2].endswith("s'") and nxt_cap):  # "United Nations' Office" goes on
                yield run
                run = []
        i += 1
    if run:
        yield run


def _trim(run: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    run = [(s, e - 2 if w.endswith("'s") else e, re.sub(r"'s?$", "", w)) for s, e, w in run]
    while run and (run[0][2] in LEADING or run[0][2].lower() in CONNECTORS):
        run = run[1:]
    while run and run[-1][2].lower() in CONNECTORS:
        run = run[:-1]
    return run


def _initials(words: list[str]) -> str:
    return "".join(part[0] for w in words for part in w.split("-") if part and part[0].isupper())


def _spells(letters: str, words: list[str]) -> bool:
    """Whether ``letters`` are the initials of ``words``, a connector's ("in", "of") optional:
    "Office on Trafficking in Persons" is OTIP (and OTP), "Department of Justice" DOJ.

    >>> _spells("OTIP", "Office on Trafficking in Persons".split())
    True
    """
    pattern = "".join(
        f"(?:{re.escape(w[0].upper())})?" if w.lower() in CONNECTORS else re.escape(_initials([w]))
        for w in words
    )
    return re.fullmatch(pattern, letters) is not None


def _acronyms(
    text: str, sentence: Sentence
) -> Iterable[tuple[int, int, int, str, str, float, int | None]]:
    """``(start, end, end of the brackets, full name, abbreviation, confidence, outer)`` for
    "Full Name (ABBR)". A parent's acronym before the name ("the ACF Office on Trafficking in
    Persons (OTIP)") is left out of it; ``outer`` is where the name with it starts (the whole
    is another name of the same entity), else None."""
    for match in _ACRONYM.finditer(text, sentence.start, sentence.end):
        abbr = match.group(1)
        letters = "".join(c for c in abbr if c.isupper())
        if len(letters) < 2:
            continue
        before = _tokens(text, sentence.start, match.start())
        run: list[tuple[int, int, str]] = []
        for token in reversed(before):
            if _is_cap(token[2]) or (token[2].lower() in CONNECTORS and run):
                run.insert(0, token)
            else:
                break
        run = _trim(run)
        best = None
        outer = None
        for i in range(len(run)):
            if _spells(letters, [w for _, _, w in run[i:]]):
                best = (run[i:], 0.9)
                if i and all(re.fullmatch(r"[A-Z]{2,6}", w) for _, _, w in run[:i]):
                    outer = run[0][0]
                break
            if best is None and _initials([run[i][2]])[:1] == letters[:1] and len(run) - i >= 2:
                best = (run[i:], 0.7)
        if best is None:
            words = before[-len(letters) :]
            if len(words) == len(letters) and all(
                w[2][0].lower() == c.lower() for w, c in zip(words, letters, strict=True)
            ):
                best = (words, 0.8)
        if best is not None:
            words, confidence = best
            full = text[words[0][0] : words[-1][1]]
            yield words[0][0], words[-1][1], match.end(), full, abbr, confidence, outer


def _context_type(text: str, end: int) -> str:
    after = re.match(r"\s*([A-Za-z]+)", text[end : end + 30])
    if after and after.group(1).lower() in _CONTEXT_TYPES:
        return _CONTEXT_TYPES[after.group(1).lower()]
    return "ngo"


def type_terms(descriptions: Mapping[str, str]) -> list[tuple[str, str]]:
    """``(term, type)`` for the examples a type's description lists in brackets.

    >>> type_terms({"requirement": "What it needs (human oversight, digital literacy)."})
    [('human oversight', 'requirement'), ('digital literacy', 'requirement')]
    """
    found = []
    for type_id, description in descriptions.items():
        for listed in re.findall(r"\(([^()]+)\)", description or ""):
            for term in re.split(r",\s*|\s+or\s+", listed):
                term = re.sub(r"^(?:and|e\.g\.|such as|or)\s+", "", term.strip()).strip(" .")
                shared = re.fullmatch(r"(\w+) and (\w+) (\w+)", term)
                if shared:  # "online and physical trafficking": two terms
                    a, b, head = shared.groups()
                    found += [(f"{a} {head}", type_id), (f"{b} {head}", type_id)]
                elif term and len(term.split()) <= 5 and not term.endswith(":"):
                    found.append((term, type_id))
    return found


def _vocabulary_index(descriptions: Mapping[str, str]) -> NameIndex:
    vocab = vocabulary()
    forms = type_terms(descriptions)
    forms += [(t, kind) for kind, terms in vocab["generic"].items() for t in terms]
    forms += [(t, "technology") for t in vocab["technology"]["terms"]]
    forms += [(t, kind) for kind, terms in vocab["platforms"].items() for t in terms]
    forms += [(t, "place") for t in vocab["places"]["terms"]]
    return NameIndex(forms)


def _not_names() -> frozenset[str]:
    """Words written like names that never name an entity (the vocabulary's [not_names]:
    "PDF", "COVID")."""
    return frozenset(vocabulary()["not_names"]["terms"])


def _single_name(text: str, ftext: str, part: list[tuple[int, int, str]]) -> list[tuple]:
    """A product or platform name (``CyberTipline``) or an acronym used as a name."""
    s, e, word = part[0][0], part[-1][1], part[0][2]
    if _CAMEL.match(word):
        kind = "tool"
        if re.match(r"\s*(app|messaging|platform)", ftext[e : e + 12].lower()):
            kind = "technology"
        return [(s, e, text[s:e], kind, 0.5, "a product or platform name", ())]
    if re.fullmatch(r"[A-Z][A-Z&]{2,7}", word) and word not in _not_names():
        kind = _context_type(ftext, e)
        return [(s, e, text[s:e], kind, 0.35, _USED_AS_NAME, ())]
    return []


def _people(text: str, sentence: Sentence) -> Iterable[tuple[int, int, float, str]]:
    titles = "|".join(
        re.escape(t).replace(r"\ ", r"\s+")
        for t in sorted(vocabulary()["titles"]["terms"], key=len, reverse=True)
    )
    name = r"([A-Z][a-z'\-]+(?:\s+[A-Z]\.)?(?:\s+\"[A-Z][a-z]+\")?(?:\s+[A-Z][a-z'\-]+){1,2})"
    cues = [
        (rf"\b(?:{titles})\s+(?:of\s+[A-Z][\w.\s]*?\s+)?{name}", 0.7, "a title before the name"),
        (rf"\b[Aa]ccording to {name}", 0.6, "'according to' a person"),
        (
            rf"{name},?\s+(?:said|says|wrote|writes|testified|told|explained|noted|added|argued)",
            0.5,
            "a person speaking",
        ),
        (rf"{name},\s+(?:the|a|an)\s+[a-z\- ]*(?:of|at|for)\b", 0.5, "a person and their post"),
    ]
    for pattern, confidence, reason in cues:
        for match in re.finditer(pattern, text[sentence.start : sentence.end]):
            words = match.group(1).split()
            plain = not set(words) & LEADING and not {w.lower() for w in words} & CONNECTORS
            if (
                _type_of(words) is None
                and plain
                and _appositive_type(text, sentence.start + match.end(1)) in (None, "agency")
            ):
                start = sentence.start + match.start(1)
                yield start, sentence.start + match.end(1), confidence, reason


def find_entities(
    text: str, G: Any, *, types: Collection[str], index: NameIndex | None = None
) -> Found:
    """The known entities ``text`` mentions and the new ones it proposes (of ``types`` only),
    with their mentions in text order."""
    ftext = folded(text)
    index = index or known_index(G)
    known = index.find(ftext)
    covered = [(s, e) for s, e, _ in known]
    starts = {s for s, _, _ in known}
    parts = sentences(text)
    raw: list[tuple[int, int, str, str, float, str, tuple[str, ...]]] = []
    new_aliases: dict[str, list[str]] = {}
    kind: str | None
    schema = G.graph.get("schema")
    descriptions = (
        {t: e.description for t, e in schema.entity_types.items() if t != "finding"}
        if schema is not None
        else {}
    )
    vocabulary_index = _vocabulary_index(descriptions)
    vocab_hits = vocabulary_index.find(ftext)
    for s, e, listed in vocab_hits:
        reason = {
            "technology": "in the technology vocabulary",
            "place": "a country or region",
            "company": "a named platform or company",
        }.get(listed, f"in the {listed} vocabulary")
        surface = ftext[s:e]
        canonical = vocabulary_index.forms.get(re.sub(r"\s+", " ", surface).lower(), surface)
        name = text[s:e] if canonical.lower() == surface.lower() else canonical
        raw.append((s, e, name, listed, 0.6, reason, ()))
    for sentence in parts:
        for s, e, after, full, abbr, confidence, outer in _acronyms(ftext, sentence):
            known_id = index.ids.get(normal(full)) or index.ids.get(full.lower())
            if known_id is not None:
                if abbr.lower() not in index.ids:
                    new_aliases.setdefault(known_id, []).append(abbr)
                continue
            kind = _type_of(full.split()) or _context_type(ftext, after)
            names = (abbr,) if outer is None else (abbr, re.sub(r"\s+", " ", text[outer:e]))
            raw.append((s, e, text[s:e], kind, confidence, "acronym defined in the text", names))
        heading = is_heading(sentence)
        for run in _runs(ftext, sentence):
            run = _before_known(_trim(run), starts)
            if not run:
                continue
            if len(run) > 1 and re.fullmatch(r"\d{4}", run[0][2]):
                if _type_of([w for _, _, w in run[1:]]) not in ("report", "event", "program"):
                    run = run[1:]  # "2023 INTERPOL-led": the year is not part of the name
            words = [w for _, _, w in run]
            s, e = run[0][0], run[-1][1]
            kind = None if heading else _type_of(words)
            described = _appositive_type(ftext, e) or _descriptor_type(ftext, sentence, s)
            if described is not None and not heading and len(words) > 1:
                raw.append((s, e, text[s:e], described, 0.7, f"described as a {described}", ()))
            elif kind is not None and (
                len(words) > 1 or words[0].lower() not in _heads()[0] or words[0] in LEGISLATURES
            ):
                raw.append((s, e, text[s:e], kind, 0.7, f"its head word suggests {kind}", ()))
            else:
                # No head word: its single product names and acronyms ("KOSA and COPPA").
                pieces: list[list[tuple[int, int, str]]] = [[]]
                for token in run:
                    if token[2].lower() in ("and", "&"):
                        pieces.append([])
                    else:
                        pieces[-1].append(token)
                for part in pieces:
                    if len(part) == 1 or (len(part) == 2 and re.fullmatch(r"[\d.]+", part[1][2])):
                        raw.extend(_single_name(text, ftext, part))
        for match in _QUOTED_TITLE.finditer(ftext, sentence.start, sentence.end):
            s, e = match.span("title")
            e -= len(match.group("title")) - len(match.group("title").rstrip(" .,"))
            raw.append((s, e, text[s:e], "report", 0.6, "a title quoted after 'report'", ()))
        for s, e, confidence, reason in _people(ftext, sentence):
            raw.append((s, e, text[s:e], "person", confidence, reason, ()))
    raw, initialisms = _initialisms(raw, [(ftext[s:e], i) for s, e, i in known])
    for s, e, entity, abbr in initialisms:
        known.append((s, e, entity))
        if abbr.lower() not in index.ids:
            new_aliases.setdefault(entity, []).append(abbr)
    candidates = _merge(raw, index, covered, set(G.nodes), types)
    new_index = NameIndex(
        [(c.name, c.id) for c in candidates] + [(a, c.id) for c in candidates for a in c.aliases]
    )
    spans = [(s, e, i, True) for s, e, i in known]
    spans += [(s, e, i, False) for s, e, i in new_index.find(ftext)]
    mentions: list[Mention] = []
    for s, e, entity, is_known in sorted(spans, key=lambda x: (x[0], x[0] - x[1], not x[3])):
        if not mentions or s >= mentions[-1].end:
            mentions.append(Mention(s, e, entity, is_known))
    inner = index.nested(ftext, [(m.start, m.end, m.entity) for m in mentions if m.known])
    mentions = sorted(
        mentions + [Mention(s, e, i, True) for s, e, i in inner],
        key=lambda m: (m.start, m.start - m.end),
    )
    used = {m.entity for m in mentions}
    return Found(mentions, [c for c in candidates if c.id in used], new_aliases, parts)


_QUOTED_TITLE = re.compile(
    r"\b(?:report|study|paper|brief|guide|handbook|toolkit|publication)(?:,?\s+(?:titled|"
    r"entitled|called)|:)\s*\"(?P<title>[A-Z][^\"]{7,150})\"",
    re.IGNORECASE,
)
"""A report's title quoted after its noun: 'the report: "Leveraging innovation ..."'."""
_USED_AS_NAME = "an acronym used as a name"


def _before_known(run: list[tuple[int, int, str]], starts: Collection[int]):
    """A run cut before "and" when a known name follows it ("the Organization for Security
    and Co-operation in Europe and Tech Against Trafficking": two names, the second known)."""
    for k in range(1, len(run)):
        if run[k - 1][2].lower() in ("and", "&") and run[k][0] in starts:
            return _trim(run[: k - 1])
    return run


def _initialisms(raw: list[tuple], written: list[tuple[str, str]]):
    """``raw`` without the acronyms used as names that spell the initials of a known name the
    text writes ("Tech Against Trafficking ... the OSCE and TAT"), and those acronyms as
    ``(start, end, entity, acronym)``: mentions of that entity. An acronym that spells a new
    name the text writes ("the Organization for Security and Co-operation in Europe ... the
    OSCE") becomes that name's alias."""
    kept, found = [], []
    acronym = re.compile(r"[A-Z][A-Z&]{1,7}")
    for item in raw:
        s, e, name, _kind, _confidence, reason, _aliases = item
        entity = next(
            (i for w, i in written if reason == _USED_AS_NAME and _spells(name, w.split())), None
        )
        if entity is None:
            kept.append(item)
        else:
            found.append((s, e, entity, name))
    names = {item[2] for item in kept if acronym.fullmatch(item[2])}
    for n, item in enumerate(kept):
        words = item[2].split()
        spelled = [a for a in sorted(names) if len(words) > 1 and _spells(a, words)]
        if spelled and item[5] != _USED_AS_NAME:
            kept[n] = (*item[:6], tuple(dict.fromkeys([*item[6], *spelled])))
    return kept, found


def _merge(raw, index: NameIndex, covered, taken: set[str], types: Collection[str]):
    """One candidate per name (highest confidence first), none the dataset already names."""
    by_name: dict[str, Candidate] = {}
    alias_of: dict[str, Candidate] = {}
    ids = set(taken)
    for s, e, name, kind, confidence, reason, aliases in sorted(raw, key=lambda r: -r[4]):
        name = re.sub(r"\s+", " ", name).strip(" '’")
        key = normal(name)
        if kind not in types or len(key) < 2 or name in NOT_NAMES or name in _not_names():
            continue
        if key in index.ids or folded(name).lower() in index.ids:
            continue
        if any(a.lower() in index.ids for a in aliases):
            continue
        if any(cs <= s and e <= ce for cs, ce in covered):
            continue
        found = by_name.get(key) or alias_of.get(key)
        if found is not None:
            found.aliases = tuple(dict.fromkeys([*found.aliases, *aliases]))
            continue
        entity_id = slug(name)
        base, n = entity_id, 2
        while entity_id in ids:
            entity_id, n = f"{base}_{n}", n + 1
        ids.add(entity_id)
        candidate = Candidate(entity_id, name, kind, s, e, confidence, reason, tuple(aliases))
        by_name[key] = candidate
        for alias in aliases:
            alias_of.setdefault(normal(alias), candidate)
    # An all-capitals name that another candidate defines as its acronym is that candidate.
    return sorted(
        (c for k, c in by_name.items() if not (k in alias_of and alias_of[k] is not c)),
        key=lambda c: c.start,
    )
