"""Finding entities by text: resolve a reference, or rank matches for a search box.

An index is built once per graph (names, aliases, initials of multi-word names, description
words) and kept in a weak cache, so searching a 100k-entity graph stays within milliseconds.

Examples
--------
>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("ncmec", name="National Center for Missing & Exploited Children", type="ngo",
...            aliases=["NCMEC"], description="Runs the CyberTipline.")
>>> G.add_node("cybertipline", name="CyberTipline", type="tool", aliases=[], description="")
>>> [hit.id for hit in search(G, "ncmec")]
['ncmec']
>>> resolve(G, "cybertipline")
'cybertipline'
"""

from __future__ import annotations

import bisect
import heapq
import re
import weakref
from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx
from rapidfuzz import fuzz, process

from .errors import AmbiguousEntity, EntityNotFound

WORD = re.compile(r"[\w']+")
STOP_WORDS = frozenset({"of", "the", "and", "for", "in", "on", "to", "a", "an", "&"})

SCORE_EXACT, SCORE_INITIALS, SCORE_PREFIX, SCORE_WORD = 100, 95, 80, 60
SCORE_SUBSTRING, SCORE_DESCRIPTION, FUZZY_CUTOFF = 50, 30, 72
LARGE = 20_000
"""Above this many names and aliases, linear scans run only when nothing better matched, and
fuzzy matching uses the plain edit ratio among names with the query's first letter (a typo
in the first letter is rare; scanning every name costs too much there)."""


@dataclass(frozen=True)
class Hit:
    """One search result: the entity, how well it matched and on what text."""

    id: str
    name: str
    type: str
    score: float
    matched: str


class _Index:
    """Lookup tables for one graph; rebuilt only when a new graph object is searched."""

    def __init__(self, G: nx.MultiDiGraph):
        self.exact: dict[str, list[str]] = {}
        self.initials: dict[str, list[str]] = {}
        self.keys: list[tuple[str, str]] = []  # (lower-case name or alias, id), sorted
        self.words: list[tuple[str, str, str]] = []  # (word, id, its name/alias), sorted
        self.descriptions: dict[str, str] = {}
        self.choices: list[str] = []  # lower-case names and aliases, for fuzzy matching
        self.choice_ids: list[str] = []
        for node, data in G.nodes(data=True):
            self._add(node, data)
        self.keys.sort()
        self.words.sort()
        self.by_initial: dict[str, tuple[list[str], list[str]]] = {}
        for choice, node in zip(self.choices, self.choice_ids):
            bucket = self.by_initial.setdefault(choice[:1], ([], []))
            bucket[0].append(choice)
            bucket[1].append(node)

    def _add(self, node: str, data: dict) -> None:
        name = data.get("name", "") or node
        texts = [name, data.get("short_name", ""), *data.get("aliases", ()), node]
        for text in dict.fromkeys(t for t in texts if t):
            key = text.lower()
            self.exact.setdefault(key, []).append(node)
            self.keys.append((key, node))
            self.choices.append(key)
            self.choice_ids.append(node)
            for word in WORD.findall(key)[1:]:
                self.words.append((word, node, text))
        initials = _initials(data.get("name", ""))
        if len(initials) >= 2:
            self.initials.setdefault(initials, []).append(node)
        if data.get("description"):
            self.descriptions[node] = data["description"].lower()


_INDEXES: weakref.WeakKeyDictionary[nx.MultiDiGraph, _Index] = weakref.WeakKeyDictionary()


def _index(G: nx.MultiDiGraph) -> _Index:
    index = _INDEXES.get(G)
    if index is None:
        index = _INDEXES[G] = _Index(G)
    return index


def _initials(name: str) -> str:
    words = [w for w in WORD.findall(name.lower()) if w not in STOP_WORDS]
    return "".join(w[0] for w in words) if len(words) > 1 else ""


def _prefixed(pairs: list, prefix: str) -> Iterable:
    for i in range(bisect.bisect_left(pairs, (prefix,)), len(pairs)):  # no copy of the tail
        item = pairs[i]
        if not item[0].startswith(prefix):
            return
        yield item


def search(G: nx.MultiDiGraph, query: str, *, limit: int = 10) -> list[Hit]:
    """Entities matching ``query``, best first.

    Ranking: exact name, alias or id (100); initials of a multi-word name (95, so "IJM" finds
    International Justice Mission even without the alias); name or alias prefix (80); a later
    word's prefix (60); substring (50); description (30); then fuzzy matches for typos (below
    30). Ties go to the better-connected entity.

    Parameters
    ----------
    G : MultiDiGraph
        A graph as built by :func:`graph.load.load_graph`.
    query : str
        What the user typed; case and surrounding space are ignored.
    limit : int
        The most hits to return.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("justice_mission", name="International Justice Mission", type="ngo", aliases=[])
    >>> [(h.id, h.score) for h in search(G, "IJM")]
    [('justice_mission', 95)]
    """
    text = " ".join(query.lower().split())
    if not text:
        return []
    index = _index(G)
    scores: dict[str, tuple[float, str]] = {}

    def offer(node: str, score: float, matched: str) -> None:
        held = scores.get(node)
        if held is None or score > held[0]:
            scores[node] = (score, matched)

    for node in index.exact.get(text, ()):
        offer(node, SCORE_EXACT, text)
    for node in index.initials.get(text.replace(" ", ""), ()):
        offer(node, SCORE_INITIALS, G.nodes[node].get("name", node))
    # A short prefix can match thousands: these scores only ever add a node (every score
    # offered before them is higher), so no call per match.
    for key, node in _prefixed(index.keys, text):
        if node not in scores:
            scores[node] = (SCORE_PREFIX, key)
    for _, node, matched in _prefixed(index.words, text):
        if node not in scores:
            scores[node] = (SCORE_WORD, matched)
    if len(index.choices) <= LARGE:
        if len(scores) < limit:
            _slow_matches(index, text, offer)
        if len(scores) < limit and len(text) >= 3:
            _fuzzy_matches(index, text, limit, False, offer)
    elif not scores:  # large: the cheap bucketed fuzzy pass first, linear scans last
        if len(text) >= 3:
            _fuzzy_matches(index, text, limit, True, offer)
        if not scores:
            _slow_matches(index, text, offer)
    return _ranked(G, scores, limit)


def _fuzzy_matches(index: _Index, text: str, limit: int, large: bool, offer) -> None:
    """Typo-tolerant matches; on large graphs only among names sharing the first letter."""
    choices, ids = (
        (index.choices, index.choice_ids) if not large else index.by_initial.get(text[:1], ([], []))
    )
    scorer = fuzz.ratio if large else fuzz.WRatio
    for choice, score, i in process.extract(
        text, choices, scorer=scorer, processor=None, limit=limit, score_cutoff=FUZZY_CUTOFF
    ):
        offer(ids[i], score * 0.29, choice)


def _slow_matches(index: _Index, text: str, offer) -> None:
    """Substring matches in names/aliases and in descriptions: linear, so only when needed."""
    for key, node in index.keys:
        if text in key:
            offer(node, SCORE_SUBSTRING, key)
    if len(text) >= 3:
        for node, description in index.descriptions.items():
            if text in description:
                offer(node, SCORE_DESCRIPTION, "description")


def _ranked(G: nx.MultiDiGraph, scores: dict[str, tuple[float, str]], limit: int) -> list[Hit]:
    succ, pred, attrs = G._succ, G._pred, G._node
    # Score and degree first (cheap); names only for the few that reach the top `limit`.
    coarse = {node: (-held[0], -len(succ[node]) - len(pred[node])) for node, held in scores.items()}
    if len(coarse) > limit:
        cut = heapq.nsmallest(limit, coarse.values())[-1]
        coarse = {node: key for node, key in coarse.items() if key <= cut}
    best = sorted(coarse, key=lambda node: (coarse[node], attrs[node].get("name", node).lower()))[
        :limit
    ]
    return [
        Hit(
            node,
            G.nodes[node].get("name", node),
            G.nodes[node].get("type", ""),
            round(scores[node][0], 1),
            scores[node][1],
        )
        for node in best
    ]


def resolve(G: nx.MultiDiGraph, text: str) -> str:
    """The id of the one entity that ``text`` names: an id, a name or an alias.

    Case-insensitive. Raises :class:`~graph.errors.AmbiguousEntity` with the candidates when
    several entities share the name, and :class:`~graph.errors.EntityNotFound` with "did you
    mean" suggestions when none does.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("interpol", name="INTERPOL", type="international_org", aliases=[])
    >>> resolve(G, "Interpol")
    'interpol'
    >>> resolve(G, "interpoll")
    Traceback (most recent call last):
    ...
    graph.errors.EntityNotFound: No entity matches 'interpoll'. Did you mean: INTERPOL?
    """
    stripped = text.strip()
    if stripped in G:
        return stripped
    key = " ".join(stripped.lower().split())
    candidates = list(dict.fromkeys(_index(G).exact.get(key, ())))
    if len(candidates) == 1:
        return candidates[0]
    if candidates:
        raise AmbiguousEntity(text, candidates)
    suggestions = [hit.name for hit in search(G, stripped, limit=5)] if key else []
    raise EntityNotFound(text, suggestions)
