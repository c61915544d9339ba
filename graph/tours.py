"""Guided tours: narrated sequences of views, kept in a data file and checked against a graph.

A tour file (YAML, JSON or TOML) holds ``tours``, a list of tours; each has an ``id``, a
``title``, a one-line ``summary`` and ``steps``. A step has a ``title``, ``narration`` (a few
sentences), the ``documents`` it draws on, and a ``view``: a :class:`graph.view.View` written
with the same parameters as a link (``focus``, ``depth``, ``direction``, ``highlight``, ``types``,
``relations``, ``documents``, ``since``, ``min_degree``, ``from``/``to``, ``layout``, ...),
read by the same codec, plus ``path: [from, to]`` as a short form of ``from`` and ``to``.

Examples
--------
>>> from graph.load import load_graph
>>> G = load_graph({"entities.csv": "id,name,type\\na,A,ngo\\nb,B,law\\n",
...                 "relations.csv": "source,target,relation\\na,b,advocated_for\\n"})
>>> text = '''
... tours:
...   - id: intro
...     title: A first look
...     summary: Who advocates for what.
...     steps:
...       - title: The advocate
...         narration: A advocates for B.
...         view: {focus: a, depth: 1}
... '''
>>> [step.view.focus for step in parse_tours(text, G)[0].steps]
['a']
>>> parse_tours(text.replace("focus: a", "focus: zz"), G)
Traceback (most recent call last):
...
graph.tours.TourError: tours: tour 'intro', step 1 ('The advocate'): view.focus: names ... 'zz'.
"""

from __future__ import annotations

import os
import re
import stat
import sys
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import networkx as nx
import yaml

from .errors import GraphError
from .load import ID_PATTERN
from .query import entity_name
from .view import PARAM_NAMES, View, read_params, scene

TOUR_ID = ID_PATTERN  # tour ids follow the entity id rule
VIEW_KEYS = frozenset(PARAM_NAMES)
"""A step's ``view`` takes a link's parameters; ``path`` there is ``[from, to]``."""


# A tour file is data too: the same promises as the CSV files. Limits, and what happens past
# them (each is a TourError naming the file, never a crash or a hang):
MAX_TOUR_BYTES = 1_000_000  # the file (data/tours.yaml, seven tours, is 27 KB)
MAX_TOUR_NESTING = 16  # lists and mappings inside each other (a step's view is 5 deep)
MAX_PROBLEMS = 50  # problems listed, then "... and N more"
MAX_PROBLEM_CHARS = 300  # characters of one problem, then "…"


class TourError(GraphError):
    """Tours that do not fit the graph; ``problems`` names the tour and step of each.

    At most :data:`MAX_PROBLEMS` problems are kept, each clipped to :data:`MAX_PROBLEM_CHARS`
    characters, so a hostile file cannot make a message of megabytes.
    """

    def __init__(self, source: str, problems: list[str]):
        kept = [_clip(p) for p in problems[:MAX_PROBLEMS]]
        if len(problems) > MAX_PROBLEMS:
            kept.append(f"... and {len(problems) - MAX_PROBLEMS} more problems")
        self.problems = kept
        super().__init__("\n".join(f"{_clip(source, 100)}: {p}" for p in kept))


def _clip(text: str, size: int = MAX_PROBLEM_CHARS) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


@dataclass(frozen=True)
class Step:
    title: str
    narration: str
    documents: tuple[str, ...]
    view: View


@dataclass(frozen=True)
class Tour:
    id: str
    title: str
    summary: str
    steps: list[Step] = field(default_factory=list)

    def entities(self) -> set[str]:
        """Every entity any step focuses on, highlights or passes through on a path."""
        found: set[str] = set()
        for step in self.steps:
            v = step.view
            found.update(x for x in (v.focus, *v.highlight, v.path_from, v.path_to) if x)
        return found


def load_tours(path: str | Path, G: nx.MultiDiGraph) -> list[Tour]:
    """Read and check a tour file; raise :class:`TourError` naming every bad tour and step.

    ``.toml`` files are read as TOML (``[[tours]]``, ``[[tours.steps]]``); any other file
    (``.yaml``, ``.yml``, ``.json``) as YAML, of which JSON is a subset. Only a regular file of
    at most :data:`MAX_TOUR_BYTES` is read.
    """
    path = Path(path)
    try:
        status = os.stat(path)
        if not stat.S_ISREG(status.st_mode):
            raise TourError(path.name, ["is not a regular file (a FIFO, a device or a folder)"])
        if status.st_size > MAX_TOUR_BYTES:
            raise TourError(path.name, [_too_big(status.st_size)])
        with path.open("rb") as handle:
            raw = handle.read(MAX_TOUR_BYTES + 1)  # it may have grown since
        text = raw.decode("utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise TourError(path.name, [f"cannot be read: {err}"]) from None
    syntax = "toml" if path.suffix.lower() == ".toml" else "yaml"
    return parse_tours(text, G, source=path.name, syntax=syntax)


def parse_tours(
    text: str, G: nx.MultiDiGraph, *, source: str = "tours", syntax: str = "yaml"
) -> list[Tour]:
    """Parse tours written in YAML (or JSON) or, with ``syntax="toml"``, TOML; check every step
    against ``G``.

    >>> from graph.load import load_graph
    >>> G = load_graph({"entities.csv": "id,name,type\\na,A,ngo\\nb,B,law\\n",
    ...                 "relations.csv": "source,target,relation\\na,b,supported\\n"})
    >>> toml = (
    ...     '[[tours]]\\nid = "intro"\\ntitle = "A first look"\\nsummary = "A alone."\\n'
    ...     '[[tours.steps]]\\ntitle = "A"\\nnarration = "Here is A."\\nview = {focus = "a"}\\n')
    >>> parse_tours(toml, G, syntax="toml")[0].steps[0].view.focus
    'a'
    """
    document = _parse_toml(text, source) if syntax == "toml" else _parse_yaml(text, source)
    raw_tours = document.get("tours") if isinstance(document, dict) else None
    if not isinstance(raw_tours, list) or not raw_tours:
        raise TourError(source, ["expected a top-level 'tours:' list with at least one tour"])
    problems: list[str] = []
    tours = [_tour(raw, i, G, problems) for i, raw in enumerate(raw_tours, 1)]
    ids = [t.id for t in tours]
    problems += [
        f"tour id {t!r} is used twice" for t in sorted({t for t in ids if ids.count(t) > 1})
    ]
    if problems:
        raise TourError(source, problems)
    return tours


def _too_big(size: int) -> str:
    return (
        f"is {size:,} bytes, more than the {MAX_TOUR_BYTES:,} a tour file may hold "
        "(graph.tours.MAX_TOUR_BYTES)"
    )


class _Refused(yaml.YAMLError):
    """What :class:`_TourLoader` refuses to read."""


class _TourLoader(yaml.SafeLoader):
    """PyYAML's safe loader without anchors and aliases, and with a nesting limit.

    An alias repeats what its anchor names, so a few hundred bytes of them can expand to
    gigabytes (the "billion laughs"); a tour file has no use for them. Deep nesting is refused
    as it is composed, before Python's recursion limit is reached.
    """

    _depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise _Refused(
                f"line {_line(event)}: anchors and aliases (&name, *name) are "
                "not allowed in a tour file; write each value out"
            )
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            self._depth += 1
            if self._depth > MAX_TOUR_NESTING:
                raise _Refused(f"line {_line(event)}: {_too_deep()}")
        try:
            return super().compose_node(parent, index)
        finally:
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                self._depth -= 1


def _line(event: Any) -> int:
    return event.start_mark.line + 1 if event.start_mark is not None else 1


def _too_deep() -> str:
    return (
        f"lists and mappings nested more than {MAX_TOUR_NESTING} deep "
        "(graph.tours.MAX_TOUR_NESTING); a tour file needs 7"
    )


def _parse_yaml(text: str, source: str) -> Any:
    _check_size(text, source)
    try:
        document = yaml.load(text, Loader=_TourLoader)  # a SafeLoader: no Python objects
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark
        where = f"line {mark.line + 1}: " if mark is not None else ""
        raise TourError(source, [f"{where}not valid YAML ({err.problem})"]) from None
    except _Refused as err:  # its message says where
        raise TourError(source, [str(err)]) from None
    except yaml.YAMLError as err:  # e.g. a character YAML cannot hold (ReaderError)
        raise TourError(source, [f"not valid YAML ({' '.join(str(err).split())})"]) from None
    except ValueError as err:  # e.g. a 5,000-digit number
        raise TourError(source, [f"not valid YAML ({_value_error(err)})"]) from None
    return _checked_document(document, source)


def _parse_toml(text: str, source: str) -> Any:
    _check_size(text, source)
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        message = str(err)
        where = re.search(r"\(at line (\d+), column \d+\)$", message)
        prefix = f"line {where.group(1)}: " if where else ""
        reason = message[: where.start()].strip() if where else message
        raise TourError(source, [f"{prefix}not valid TOML ({reason})"]) from None
    except RecursionError:
        raise TourError(source, [_too_deep()]) from None
    except ValueError as err:  # e.g. a 5,000-digit number
        raise TourError(source, [f"not valid TOML ({_value_error(err)})"]) from None
    return _checked_document(document, source)


def _value_error(err: ValueError) -> str:
    if "integer string conversion" in str(err):
        return f"a number with more than {sys.get_int_max_str_digits():,} digits"
    return _clip(str(err), 200)


def _check_size(text: str, source: str) -> None:
    if len(text) > MAX_TOUR_BYTES:  # characters: at least as many bytes
        raise TourError(source, [_too_big(len(text.encode("utf-8", "surrogatepass")))])


def _checked_document(document: Any, source: str) -> Any:
    """``document`` with surrogate pairs joined in every string; raises :class:`TourError` for
    nesting deeper than :data:`MAX_TOUR_NESTING` or a lone surrogate.

    ``json.dump`` writes an emoji as an escaped surrogate pair (``"\\ud83d\\udd78"``), which
    YAML reads as two code points that cannot be encoded; joined, they are the emoji. A lone
    half is not a character at all. Walked with a stack: no recursion on hostile input.

    >>> _checked_document({"title": "\\ud83d\\udd78 web"}, "t")["title"] == "\\U0001f578 web"
    True
    >>> _checked_document({"tours": [{"title": "\\ud83d"}]}, "t")
    Traceback (most recent call last):
    ...
    graph.tours.TourError: t: tours[0].title: holds a lone surrogate (\\ud83d), half of a ...
    """
    root: list[Any] = [document]
    stack: list[tuple[list | dict, Any, str, int]] = [(root, 0, "", 0)]
    while stack:
        holder, key, where, depth = stack.pop()
        value = holder[key]
        if isinstance(value, str):
            holder[key] = _joined(value, where or "the file", source)
        elif isinstance(value, (list, dict)):
            if depth >= MAX_TOUR_NESTING:  # the top-level mapping is at depth 0
                raise TourError(source, [_too_deep()])
            if isinstance(value, dict):
                value = holder[key] = {
                    _joined(k, where or "the file", source) if isinstance(k, str) else k: v
                    for k, v in value.items()
                }
                items = [(k, f"{where}.{k}" if where else str(k)) for k in value]
            else:
                items = [(i, f"{where}[{i}]") for i in range(len(value))]
            stack.extend((value, k, _clip(w, 120), depth + 1) for k, w in items)
    return root[0]


def _joined(text: str, where: str, source: str) -> str:
    if text.isascii():
        return text
    try:
        return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le")
    except UnicodeDecodeError as err:
        half = text.encode("utf-16-le", "surrogatepass")[err.start : err.start + 2]
        code = int.from_bytes(half, "little")
        raise TourError(
            source,
            [
                f"{where}: holds a lone surrogate (\\u{code:04x}), half of a character's "
                "UTF-16 pair without the other half: write the character itself"
            ],
        ) from None


def _text(raw: dict, key: str, where: str, problems: list[str]) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        problems.append(f"{where}: '{key}' must be non-empty text")
        return ""
    return " ".join(value.split())


def _tour(raw: Any, number: int, G: nx.MultiDiGraph, problems: list[str]) -> Tour:
    if not isinstance(raw, dict):
        problems.append(f"tour {number}: expected a mapping with id, title, summary, steps")
        return Tour(f"#{number}", "", "")
    tour_id = str(raw.get("id", f"#{number}"))
    where = f"tour {tour_id!r}"
    if not TOUR_ID.match(tour_id):
        problems.append(f"{where}: id must be lower-case letters, digits and underscores")
    title = _text(raw, "title", where, problems)
    summary = _text(raw, "summary", where, problems)
    raw_steps = raw.get("steps")
    if not isinstance(raw_steps, list) or not raw_steps:
        problems.append(f"{where}: 'steps' must be a non-empty list")
        raw_steps = []
    steps = [_step(s, i, where, G, problems) for i, s in enumerate(raw_steps, 1)]
    return Tour(tour_id, title, summary, steps)


def _step(raw: Any, number: int, tour_where: str, G: nx.MultiDiGraph, problems: list[str]) -> Step:
    where = f"{tour_where}, step {number}"
    if not isinstance(raw, dict):
        problems.append(f"{where}: expected a mapping with title, narration, view")
        return Step("", "", (), View())
    title = _text(raw, "title", where, problems)
    where = f"{where} ({title!r})" if title else where
    narration = _text(raw, "narration", where, problems)
    documents = _names(raw.get("documents", []), f"{where}: documents", problems)
    known_docs = G.graph.get("documents", {})
    problems += [
        f"{where}: documents: unknown document {d!r}" for d in documents if d not in known_docs
    ]
    view = _view(raw.get("view"), where, G, problems)
    return Step(title, narration, documents, view)


def _names(value: Any, where: str, problems: list[str]) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problems.append(f"{where}: expected a list of ids")
        return ()
    return tuple(value)


def _view(raw: Any, where: str, G: nx.MultiDiGraph, problems: list[str]) -> View:
    """A step's view, read by the links' codec; a step that shows a path without a focus is
    drawn around the path's first entity."""
    if not isinstance(raw, dict) or not raw:
        problems.append(
            f"{where}: 'view' must say what to show (focus, highlight, path or filters)"
        )
        return View()
    for key in sorted(set(map(str, raw)) - VIEW_KEYS):
        problems.append(
            f"{where}: view.{key}: unknown key (allowed: {', '.join(sorted(VIEW_KEYS))})"
        )
    params = {k: v for k, v in raw.items() if k in VIEW_KEYS and k != "path"}
    path = raw.get("path")
    if path is not None:
        if isinstance(path, list) and len(path) == 2 and all(isinstance(e, str) for e in path):
            params["from"], params["to"] = path
        else:
            problems.append(f"{where}: view.path: expected two entities [from, to]")
    view, found = read_params(params, G)
    problems += [f"{where}: view.{name}: {problem}" for name, problem in found]
    if view.focus is None and view.path_from:
        view = replace(view, focus=view.path_from)
    if not found:
        problems += [f"{where}: {problem}" for problem in undrawn_highlights(G, view)]
    return view


def undrawn_highlights(G: nx.MultiDiGraph, view: View) -> list[str]:
    """A sentence for each entity ``view`` highlights that its drawing would leave out.

    What is drawn is decided as the app decides it (:func:`graph.view.scene`): a highlight
    outside the focus's neighbourhood, the filters or the path is never seen.

    >>> from graph.load import load_graph
    >>> G = load_graph({"entities.csv": "id,name,type\\na,A,ngo\\nb,B,law\\nc,C,tool\\n",
    ...                 "relations.csv": "source,target,relation\\na,b,advocated_for\\n"
    ...                                  "b,c,concerns\\n"})
    >>> undrawn_highlights(G, View(focus="a", depth=1, highlight=("b", "c")))
    ["view.highlight: 'C' (c) is not drawn by this step's view; widen it ..."]
    >>> undrawn_highlights(G, View(focus="a", depth=2, highlight=("b", "c")))
    []
    """
    if not view.highlight:
        return []
    drawn = scene(G, view).graph
    return [
        f"view.highlight: {entity_name(G, e)!r} ({e}) is not drawn by this step's view; "
        "widen it (depth, filters, a path) or drop the highlight"
        for e in view.highlight
        if e not in drawn
    ]
