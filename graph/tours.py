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

import re
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


class TourError(GraphError):
    """Tours that do not fit the graph; ``problems`` names the tour and step of each."""

    def __init__(self, source: str, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(f"{source}: {p}" for p in problems))


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
    (``.yaml``, ``.yml``, ``.json``) as YAML, of which JSON is a subset.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
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


def _parse_yaml(text: str, source: str) -> Any:
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        raise TourError(
            source, [f"{where}not valid YAML ({getattr(err, 'problem', err)})"]
        ) from None
    except (ValueError, RecursionError) as err:  # e.g. a 5,000-digit number, deep nesting
        raise TourError(source, [f"not valid YAML ({str(err)[:200]})"]) from None


def _parse_toml(text: str, source: str) -> Any:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        message = str(err)
        where = re.search(r"\(at line (\d+), column \d+\)$", message)
        prefix = f"line {where.group(1)}: " if where else ""
        reason = message[: where.start()].strip() if where else message
        raise TourError(source, [f"{prefix}not valid TOML ({reason})"]) from None


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
