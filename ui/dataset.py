"""Where the graph comes from: the dataset folder (or zip) given on the command line, or an
upload (the CSV files, or one zip of them).

A folder or zip is loaded once per process (``st.cache_resource``, keyed by its path and file
times); an upload is validated with the same loader — and so the same messages — as the CLI,
and only replaces the graph on screen when it has no problems. Nothing here writes to disk: a
zip is read in memory.

Uploads are bounded: one upload is at most :data:`UPLOAD_MAX_BYTES`, and the uploads held by
all live sessions together at most :data:`UPLOADS_HELD_MAX_BYTES`. An upload's graph lives in
its session's state; when the session ends (or the upload is replaced) it is released, and
with it the process-wide caches that drew it (:func:`hold` and :func:`release`).
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import streamlit as st

from graph.errors import DataError, Problem
from graph.load import DOCUMENTS, ENTITIES, RELATIONS, TYPES, load_graph

DEFAULT_DATA = Path(__file__).resolve().parent.parent / "data"
DATASET_FILES = (ENTITIES, RELATIONS, DOCUMENTS, TYPES)
UPLOAD_MAX_BYTES = 50_000_000
"""The most bytes one upload (all its files together) may hold; Streamlit's own per-file cap,
``server.maxUploadSize`` in .streamlit/config.toml, is set to the same 50 MB."""
UPLOADS_HELD_MAX_BYTES = 200_000_000
"""The most bytes of uploads all live sessions may hold at once (a graph takes several times
its CSV files' bytes in memory); past it a new upload is refused until others are released."""
CACHING_MODULES = ("ui.scene", "ui.graph_view", "ui.sidebar", "ui.tours", "ui.actions")
"""The modules whose process-wide caches may hold a dataset's graph, emptied by :func:`release`."""


@dataclass(frozen=True)
class Dataset:
    """The graph on screen, a key naming its exact content (for caches) and where it came from."""

    graph: nx.MultiDiGraph
    key: str
    origin: str
    entities: int = 0
    relations: int = 0

    @classmethod
    def of(cls, graph: nx.MultiDiGraph, key: str, origin: str) -> Dataset:
        return cls(graph, key, origin, graph.number_of_nodes(), graph.number_of_edges())


def data_dir_from_args(argv: Sequence[str]) -> str:
    """The ``--data DIR`` (or ``--data FILE.zip``) given after ``streamlit run app.py --``;
    ``data/`` by default."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--data", default=str(DEFAULT_DATA))
    args, _ = parser.parse_known_args(list(argv))
    return args.data


def _folder_signature(folder: str) -> str:
    if Path(folder).is_file():  # a zip
        stat = Path(folder).stat()
        return f"zip:{stat.st_size}:{stat.st_mtime_ns}"
    parts = []
    for name in DATASET_FILES:
        path = Path(folder) / name
        if path.exists():
            stat = path.stat()
            parts.append(f"{name}:{stat.st_size}:{stat.st_mtime_ns}")
    return "|".join(parts)


@st.cache_resource(show_spinner="Loading the dataset…", max_entries=4)
def _load_folder(folder: str, signature: str) -> Dataset:
    digest = hashlib.sha1(f"{folder}|{signature}".encode()).hexdigest()[:12]
    return Dataset.of(load_graph(folder), f"dir-{digest}", folder)


def from_folder(folder: str) -> Dataset:
    """The dataset in ``folder``, or in a zip at that path (loaded once per content); raises
    :class:`DataError`."""
    folder = str(Path(folder).resolve())
    return _load_folder(folder, _folder_signature(folder))


def upload_size(files: dict[str, bytes]) -> int:
    """The bytes of an upload, all files together."""
    return sum(len(content) for content in files.values())


def size_text(count: int) -> str:
    """``50 MB``, ``1.5 MB``, ``812 bytes``.

    >>> size_text(50_000_000), size_text(1_500_000), size_text(812)
    ('50 MB', '1.5 MB', '812 bytes')
    """
    for unit, scale in (("GB", 10**9), ("MB", 10**6), ("KB", 10**3)):
        if count >= scale:
            return f"{count / scale:.3g} {unit}"
    return f"{count} bytes"


def from_upload(files: dict[str, bytes]) -> Dataset:
    """A dataset from uploaded files (name -> content): the CSV files, or one ``.zip`` of them
    alone; raises :class:`DataError` (also for an upload over :data:`UPLOAD_MAX_BYTES`, or
    when the server already holds :data:`UPLOADS_HELD_MAX_BYTES` of uploads)."""
    size = upload_size(files)
    if size > UPLOAD_MAX_BYTES:
        raise DataError(
            [
                Problem(
                    "upload",
                    None,
                    f"is {size_text(size)}, more than the {size_text(UPLOAD_MAX_BYTES)} an upload "
                    "may hold here; load a dataset that large with `streamlit run app.py -- "
                    "--data FOLDER` or `python -m graph`",
                )
            ]
        )
    held = held_bytes()
    if held + size > UPLOADS_HELD_MAX_BYTES:
        raise DataError(
            [
                Problem(
                    "upload",
                    None,
                    f"is {size_text(size)}, and other sessions hold {size_text(held)} of uploads "
                    f"(at most {size_text(UPLOADS_HELD_MAX_BYTES)} together); try again when "
                    "they are done",
                )
            ]
        )
    names = {Path(name).name: content for name, content in files.items()}
    if any(name.lower().endswith(".zip") for name in names):
        graph = load_graph(names)  # refuses a zip with other files; named after the zip
    else:
        names = {name.lower(): content for name, content in names.items()}
        unknown = sorted(set(names) - set(DATASET_FILES))
        if unknown:
            raise DataError(
                [
                    Problem(
                        name,
                        None,
                        "is not a dataset file (expected entities.csv, "
                        "relations.csv, documents.csv or types.csv, "
                        "or one .zip of them)",
                    )
                    for name in unknown
                ]
            )
        graph = load_graph(names, name="uploaded dataset")
    digest = hashlib.sha1()
    for name in sorted(names):
        digest.update(name.encode() + b"\0" + names[name] + b"\0")
    return Dataset.of(
        graph, f"upload-{digest.hexdigest()[:12]}", "uploaded: " + ", ".join(sorted(names))
    )


# --- uploads held by live sessions ------------------------------------------------------------

_held: dict[int, int] = {}  # id of a session's holder -> bytes of its upload
_held_lock = threading.Lock()


def held_bytes() -> int:
    """The bytes of uploads that live sessions hold now."""
    with _held_lock:
        return sum(_held.values())


class _Holder:
    """A session's claim on its upload's bytes, released with the session."""

    def __init__(self, size: int) -> None:
        with _held_lock:
            _held[id(self)] = size

    def drop(self) -> None:
        with _held_lock:
            _held.pop(id(self), None)


def _released(holder: _Holder) -> None:
    holder.drop()
    release()


@st.cache_resource(scope="session", max_entries=1, on_release=_released, show_spinner=False)
def _hold(key: str, size: int) -> _Holder:
    return _Holder(size)


def hold(dataset: Dataset, size: int) -> None:
    """Count ``dataset``'s ``size`` bytes as held by this session until the session ends (or
    holds another upload, or :func:`let_go`); then the caches that drew it are emptied."""
    _hold(dataset.key, size)


def let_go() -> None:
    """This session no longer holds an upload (back to the folder)."""
    _hold.clear()


def release() -> None:
    """Empty the process-wide caches that may hold a dataset's graph.

    Streamlit's caches keep what they return until pushed out by newer entries, and the drawn
    graphs there share the dataset's attributes: an upload's graph would outlive its session.
    Each session's own view is simply worked out again on its next rerun; the dataset folder's
    graph stays (:func:`from_folder`'s cache is not emptied).
    """
    from streamlit.runtime.caching.cache_utils import CachedFunc

    for name in CACHING_MODULES:
        module = importlib.import_module(name)
        for value in list(vars(module).values()):
            if isinstance(value, CachedFunc):
                value.clear()


def problem_lines(error: DataError) -> list[str]:
    """The problems of a :class:`DataError` as the CLI prints them: ``FILE:LINE: problem``."""
    lines = [str(problem) for problem in error.problems]
    if error.more:
        lines.append(f"... and {error.more} more problems")
    return lines
