"""Where the graph comes from: the dataset folder (or zip) given on the command line, or an
upload (the CSV files, or one zip of them).

A folder or zip is loaded once per process (``st.cache_resource``, keyed by its path and file
times); an upload is validated with the same loader — and so the same messages — as the CLI,
and only replaces the graph on screen when it has no problems. Nothing here writes to disk: a
zip is read in memory.
"""

from __future__ import annotations

import argparse
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import streamlit as st

from graph.errors import DataError, Problem
from graph.load import DOCUMENTS, ENTITIES, RELATIONS, TYPES, load_graph

DEFAULT_DATA = Path(__file__).resolve().parent.parent / "data"
DATASET_FILES = (ENTITIES, RELATIONS, DOCUMENTS, TYPES)


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


def from_upload(files: dict[str, bytes]) -> Dataset:
    """A dataset from uploaded files (name -> content): the CSV files, or one ``.zip`` of them
    alone; raises :class:`DataError`."""
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


def problem_lines(error: DataError) -> list[str]:
    """The problems of a :class:`DataError` as the CLI prints them: ``FILE:LINE: problem``."""
    lines = [str(problem) for problem in error.problems]
    if error.more:
        lines.append(f"... and {error.more} more problems")
    return lines
