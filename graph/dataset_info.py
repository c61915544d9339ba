"""What a dataset says about itself: its title and one-line summary, from ``dataset.toml``.

A dataset folder may hold ``dataset.toml`` beside its CSV files::

    title = "Technology and human trafficking"
    summary = "Who abuses which technology, and who fights back, from five documents."

Both keys are optional text on one line (:data:`MAX_TITLE` and :data:`MAX_SUMMARY` characters
at most); any other key is an error, so a misspelt one is not silently ignored. The loader
(:func:`graph.load.load_graph`) calls :func:`describe`, which puts ``title`` (the folder's name
when the file gives none) and ``summary`` (``""``) into ``G.graph``, with the counts that tell
a part of the graph from the whole (``dataset_entities``, ``dataset_relations``) and, for a
folder, the path of its tour file (``tour_file``, see :data:`TOUR_FILES`). Problems are
reported like the CSV files' (``dataset.toml:2: title must be text``).

Examples
--------
>>> info, problems = parse('title = "Demo"\\nsummary = "A small graph."\\n')
>>> info, problems
({'title': 'Demo', 'summary': 'A small graph.'}, [])
>>> parse('title = 3\\ncolour = "red"\\n')[1]
[(1, 'title must be text, not 3'), (2, "unknown key 'colour' (allowed: summary, title)")]
"""

from __future__ import annotations

import os
import re
import stat
import tomllib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import networkx as nx

DATASET_FILE = "dataset.toml"
TOUR_FILES = ("tours.yaml", "tours.yml", "tours.json", "tours.toml")
"""A dataset folder's tour file: the first of these found (JSON is read as YAML)."""
MAX_BYTES = 64_000
MAX_TITLE = 120
MAX_SUMMARY = 400
KEYS = {"title": MAX_TITLE, "summary": MAX_SUMMARY}

Report = Callable[[str, "int | None", str], None]
"""Where problems go: ``report(file, line, message)`` (the loader's error collector)."""


def parse(text: str) -> tuple[dict[str, str], list[tuple[int | None, str]]]:
    """The title and summary ``text`` (TOML) declares, and ``(line, problem)`` for the rest.

    >>> parse('title = "x"\\nsummary = [unclosed\\n')[1]
    [(2, 'not valid TOML (Invalid value)')]
    >>> parse('summary = "one\\\\ntwo"')
    ({'summary': 'one two'}, [])
    """
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        where = re.search(r"\(at (?:line (\d+), column \d+|end of document)\)$", str(err))
        reason = str(err)[: where.start()].strip() if where else str(err)
        line = None if where is None else int(where.group(1) or len(text.splitlines()) or 1)
        return {}, [(line, f"not valid TOML ({reason})")]
    info: dict[str, str] = {}
    problems: list[tuple[int | None, str]] = []
    for key, value in document.items():
        line = _line_of(text, key)
        if key not in KEYS:
            allowed = ", ".join(sorted(KEYS))
            problems.append((line, f"unknown key {_clip(key)!r} (allowed: {allowed})"))
        elif not isinstance(value, str):
            problems.append((line, f"{key} must be text, not {_clip(repr(value))}"))
        elif len(flat := " ".join(value.split())) > KEYS[key]:
            problems.append((line, f"{key} is {len(flat):,} characters; at most {KEYS[key]}"))
        elif flat:
            info[key] = flat
    return info, problems


def read(files: Mapping[str, Any], report: Report) -> dict[str, str]:
    """The title and summary of the dataset whose files are ``files`` (as the loader holds
    them: name to path, zip member or content); ``{}`` without a ``dataset.toml``."""
    raw = _raw(files, report)
    if raw is None:
        return {}
    try:
        text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError as err:
        report(DATASET_FILE, None, f"is not UTF-8 text (byte {err.start + 1})")
        return {}
    info, problems = parse(text)
    for line, problem in problems:
        report(DATASET_FILE, line, problem)
    return info


def describe(G: nx.MultiDiGraph, files: Mapping[str, Any], report: Report) -> None:
    """Put what the dataset says about itself into ``G.graph`` (see the module's notes)."""
    info = read(files, report)
    G.graph["title"] = info.get("title") or str(G.graph.get("name") or "")
    G.graph["summary"] = info.get("summary", "")
    G.graph["dataset_entities"] = G.number_of_nodes()
    G.graph["dataset_relations"] = G.number_of_edges()
    folder = _folder(files)
    found = tour_file(folder) if folder is not None else None
    if found is not None:
        G.graph["tour_file"] = str(found)


def is_whole(G: nx.MultiDiGraph) -> bool:
    """Whether ``G`` holds its whole dataset (not a filtered or focused part of it).

    >>> G = nx.MultiDiGraph([("a", "b")], dataset_entities=2, dataset_relations=1)
    >>> is_whole(G), is_whole(G.subgraph(["a"]).copy())
    (True, False)
    """
    return (G.number_of_nodes(), G.number_of_edges()) == (
        G.graph.get("dataset_entities"),
        G.graph.get("dataset_relations"),
    )


def tour_file(folder: str | Path) -> Path | None:
    """The tour file in a dataset folder (the first of :data:`TOUR_FILES`), if there is one."""
    for name in TOUR_FILES:
        path = Path(folder) / name
        if path.is_file():
            return path
    return None


def _folder(files: Mapping[str, Any]) -> Path | None:
    entities = files.get("entities.csv")
    return entities.parent if isinstance(entities, Path) else None


def _raw(files: Mapping[str, Any], report: Report) -> bytes | str | None:
    given = files.get(DATASET_FILE)
    folder = _folder(files)
    if given is None and folder is not None:
        given = folder / DATASET_FILE
        if not given.exists():
            return None
    if given is None:
        return None
    try:
        if isinstance(given, Path):
            status = os.stat(given)
            if not stat.S_ISREG(status.st_mode):
                report(DATASET_FILE, None, "is not a regular file")
                return None
            with given.open("rb") as handle:
                raw: bytes | str = handle.read(MAX_BYTES + 1)
        elif isinstance(given, (bytes, str)):
            raw = given
        else:  # an open file
            raw = given.read(MAX_BYTES + 1)
    except OSError as err:
        report(DATASET_FILE, None, f"cannot be read: {err.strerror or err}")
        return None
    if len(raw) > MAX_BYTES:
        report(DATASET_FILE, None, f"is larger than {MAX_BYTES:,} bytes; it holds two lines")
        return None
    return raw


def _line_of(text: str, key: str) -> int | None:
    match = re.search(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=", text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else None


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
