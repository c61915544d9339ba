"""Read a dataset folder or zip, validate it in one pass, and build the graph.

A dataset is ``entities.csv`` and ``relations.csv``, with optional ``documents.csv`` and
``types.csv`` (see the README for the contract), in a folder or a zip (at its root or in one
top-level folder). :func:`load_graph` either returns a ``networkx.MultiDiGraph`` or raises one
:class:`~graph.errors.DataError` listing every problem as ``FILE:LINE: problem``.

Examples
--------
>>> files = {
...     "entities.csv": "id,name,type\\ninterpol,INTERPOL,international_org\\n"
...                     "operation_synergia,Operation Synergia,operation\\n",
...     "relations.csv": "source,target,relation\\ninterpol,operation_synergia,led\\n",
... }
>>> G = load_graph(files)
>>> G.number_of_nodes(), G.number_of_edges()
(2, 1)
>>> G.nodes["interpol"]["name"]
'INTERPOL'
"""

from __future__ import annotations

import datetime as dt
import gc
import io
import os
import re
import stat
import sys
import zipfile
from array import array
from collections.abc import Callable, Mapping
from contextlib import ExitStack
from pathlib import Path
from typing import IO, Any

import networkx as nx

from . import _nxgraph, citations, dataset_info, store
from .csvfile import (
    READ_ERRORS,
    Content,
    Source,
    Table,
    ZipMember,
    cannot_read,
    open_table,
    read_bytes,
)
from .errors import DataError, Problem
from .evidence import SOURCES_FOLDER
from .schema import COLOR_PATTERN, TYPE_ID_PATTERN, VIS_SHAPES, Schema, default_schema

ENTITIES, RELATIONS = "entities.csv", "relations.csv"
DOCUMENTS, TYPES = "documents.csv", "types.csv"
CITATIONS = citations.CITATIONS

ENTITY_COLUMNS = ("id", "name", "short_name", "type", "aliases", "description", "documents", "date")
SHORT_NAME_MAX = 48  # characters: two lines of a label as the drawing wraps it
RELATION_COLUMNS = ("source", "target", "relation", "evidence", "documents", "date")
EDGE_DEFAULTS = ("evidence", "documents", "date")  # on every edge, "" or () when not in the file
DOCUMENT_COLUMNS = ("id", "title", "publisher", "author", "date", "url", "kind")
TYPE_COLUMNS = ("type", "label", "color", "shape", "description")
REQUIRED = {
    ENTITIES: ("id", "name", "type"),
    RELATIONS: ("source", "target", "relation"),
    DOCUMENTS: ("id",),
    TYPES: ("type",),
    CITATIONS: citations.CITATION_REQUIRED,
}
LIST_SEPARATOR = "|"
MAX_PROBLEMS = 200
DATASET_FILES = (ENTITIES, RELATIONS, DOCUMENTS, TYPES, CITATIONS)

# A zip is read in memory, member by member, never extracted. Limits against zip bombs:
ZIP_MAX_UNCOMPRESSED = 1_000_000_000  # bytes: the dataset files' declared sizes, together
ZIP_MAX_ENTRIES = 10_000  # entries of any kind, counted before the archive's index is read
ZIP_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}

# Each file is read only if it is a regular file (never a FIFO or a device, which could block
# or never end) of at most this many bytes; the bytes read are counted too, in case it grows.
MAX_FILE_BYTES = 1_000_000_000
MAX_FILE_BYTES_ENV = "GRAPH_MAX_FILE_BYTES"  # overrides MAX_FILE_BYTES (a whole number)

# ASCII only ([0-9], not \d, which takes any script's digits) and anchored with \Z (a "$" would
# let a trailing newline through).
ID_PATTERN = re.compile(r"^[a-z0-9_]+\Z")
RELATION_PATTERN = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*\Z")
DATE_PATTERN = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?\Z")


class _Collector:
    """Problems and warnings found so far, capped so a broken file cannot flood the report."""

    def __init__(self) -> None:
        self.errors: list[Problem] = []
        self.warnings: list[Problem] = []
        self.dropped = 0

    def error(self, file: str, line: int | None, message: str, column: str | None = None) -> None:
        if len(self.errors) < MAX_PROBLEMS:
            self.errors.append(Problem(file, line, message, column))
        else:
            self.dropped += 1

    def warn(self, file: str, line: int | None, message: str, column: str | None = None) -> None:
        if len(self.warnings) < MAX_PROBLEMS:
            self.warnings.append(Problem(file, line, message, column))

    def raise_if_any(self) -> None:
        if self.errors:
            raise DataError(sorted(self.errors, key=_reading_order), self.dropped)


FILE_ORDER = {
    name: rank for rank, name in enumerate((TYPES, DOCUMENTS, ENTITIES, RELATIONS, CITATIONS))
}


def _reading_order(problem: Problem) -> tuple[int, int]:
    return FILE_ORDER.get(problem.file, len(FILE_ORDER)), problem.line or 0


def load_graph(
    source: str | Path | Mapping[str, Source],
    *,
    schema: Schema | None = None,
    name: str | None = None,
    max_file_bytes: int | None = None,
    sources: str | Path | None = None,
) -> nx.MultiDiGraph:
    """Load and validate a dataset; return its graph or raise :class:`DataError`.

    Parameters
    ----------
    source : path or mapping
        A folder holding the CSV files; a zip of them (at its root or in one top-level folder,
        read in memory, never extracted); or a mapping of file name to content (bytes, text or
        an open file) — how the app passes uploads and tests pass small fixtures. A mapping
        holding one ``NAME.zip`` (bytes or an open binary file) is a zipped dataset.
    schema : Schema, optional
        The entity types and relation vocabulary; the built-in one by default. A dataset's
        ``types.csv`` adds to it.
    name : str, optional
        A title for the dataset; defaults to the folder (or zip) name.
    max_file_bytes : int, optional
        The most bytes one file may hold; by default the environment variable
        ``GRAPH_MAX_FILE_BYTES``, else :data:`MAX_FILE_BYTES` (1 GB). Only regular files are
        read from a folder: a FIFO, a device or a folder in a file's place is a problem.
    sources : path, optional
        A folder of the documents' texts (by ``documents.csv``'s ``source_file``); by default
        the dataset folder's ``sources/``, if it has one. With texts, every quote must stand
        verbatim in each document it is cited with (:mod:`graph.evidence`).

    Returns
    -------
    networkx.MultiDiGraph
        Entities as nodes (``name``, ``type``, ``aliases``, ``description``, ``documents``,
        ``date`` and any extra columns), relations as edges (``relation``, ``evidence``,
        ``documents``, ``date`` and extras). ``G.graph`` holds ``schema``, ``documents``,
        ``name``, ``warnings`` (a list of :class:`Problem`) and the column order of each file.

    Raises
    ------
    DataError
        With every problem found, each naming file, line, column and value. A problem with a
        zip itself (not a zip, unsafe names, too large) names the zip.
    """
    if isinstance(source, (str, Path)) and Path(source).is_dir():
        store.recover(source)  # finish or roll back a save that was interrupted
    with ExitStack() as opened:  # a zip stays open while its members are read
        files, label = _open_source(source, opened)
        collecting = gc.isenabled()
        gc.disable()  # millions of new dicts would set off full collections that find nothing
        try:
            texts = _sources_folder(files, sources)
            return _load(files, label, schema, name, file_limit(max_file_bytes), texts)
        finally:
            if collecting:
                # One full pass now moves the new objects to the oldest generation; left young,
                # they would be walked by the next young collections, a pause in the first query.
                gc.collect()
                gc.enable()


def _load(
    files: Files,
    label: str,
    schema: Schema | None,
    name: str | None,
    limit: int,
    sources: Path | None = None,
) -> nx.MultiDiGraph:
    found = _Collector()
    tables = {f: _open(files, f, found, limit) for f in DATASET_FILES}
    schema = _schema_with_types(schema or default_schema(), tables[TYPES], found)
    documents = _documents(tables[DOCUMENTS], found)
    G = nx.MultiDiGraph(name=name or label, schema=schema, documents=documents or {})
    cells = _Cells(set(documents) if documents is not None else None, found)
    declared: dict[str, int] = {}
    entities, relations = tables[ENTITIES], tables[RELATIONS]
    # A file whose reading stopped early (a cell over the size limit, bad quoting) would make
    # every later reference into its unread rows look wrong: the files that depend on it are
    # not checked, and its own problem says where it stopped.
    if entities is not None and not _stopped(tables[TYPES], tables[DOCUMENTS]):
        declared = _add_entities(G, entities, schema, cells, found)
        if relations is not None and not _stopped(entities, tables[DOCUMENTS]):
            _add_relations(G, relations, declared, cells, found)
    _nxgraph.finish(G)  # nodes and edges were written directly
    if relations is not None and G.number_of_nodes() and not _stopped(relations):
        # ids, modalities, declared types, citations, quotes (graph.citations)
        citations.check(G, relations, tables[CITATIONS], found, sources=sources)
    dataset_info.describe(G, files, found.error)  # dataset.toml: title, summary
    found.raise_if_any()
    found.warnings.sort(key=_reading_order)  # duplicate rows are found on a second pass
    _warn_isolated(G, declared, found)
    G.graph["warnings"] = found.warnings
    return G


def _sources_folder(files: Files, sources: str | Path | None) -> Path | None:
    """The folder of the documents' texts: ``sources``, else a folder dataset's ``sources/``."""
    if sources is not None:
        return Path(sources)
    entities = files.get(ENTITIES)
    folder = entities.parent / SOURCES_FOLDER if isinstance(entities, Path) else None
    return folder if folder is not None and folder.is_dir() else None


def _stopped(*tables: Table | None) -> bool:
    return any(table is not None and table.stopped_at is not None for table in tables)


def file_limit(max_file_bytes: int | None = None) -> int:
    """The most bytes a dataset file may hold: ``max_file_bytes``, else the environment's
    ``GRAPH_MAX_FILE_BYTES``, else :data:`MAX_FILE_BYTES`.

    >>> file_limit(5_000), file_limit() == MAX_FILE_BYTES or "set in the environment"
    (5000, True)
    """
    if max_file_bytes is not None:
        return max_file_bytes
    text = os.environ.get(MAX_FILE_BYTES_ENV, "").strip().replace("_", "")
    if not text:
        return MAX_FILE_BYTES
    if not text.isascii() or not text.isdigit():
        raise DataError(
            [Problem(MAX_FILE_BYTES_ENV, None, f"must be a whole number of bytes, not {text!r}")]
        )
    return int(text)


class _ProblemSink(list):
    """A list that forwards appended problems to a collector (for the CSV parser)."""

    def __init__(self, found: _Collector, warn: bool = False):
        super().__init__()
        self._add = found.warn if warn else found.error

    def append(self, problem: Problem) -> None:
        self._add(problem.file, problem.line, problem.message, problem.column)


def _sink(found: _Collector) -> list[Problem]:
    return _ProblemSink(found)


def _warnings(found: _Collector) -> list[Problem]:
    return _ProblemSink(found, warn=True)


Files = Mapping[str, "Source | Path | ZipMember"]
EXPECTED = "expected a folder holding entities.csv and relations.csv, or a .zip of one"


def _open_source(source: str | Path | Mapping[str, Source], opened: ExitStack) -> tuple[Files, str]:
    if isinstance(source, Mapping):
        zips = [name for name in source if Path(name).name.lower().endswith(".zip")]
        if zips and len(source) > 1:
            raise DataError(
                [
                    Problem(
                        Path(name).name,
                        None,
                        "a zip must be opened alone, not "
                        "with other files (it holds the whole dataset)",
                    )
                    for name in zips
                ]
            )
        if zips:
            label = Path(zips[0]).name
            try:
                content = read_bytes(source[zips[0]])
            except OSError as err:
                raise DataError([Problem(label, None, cannot_read(err))]) from None
            if isinstance(content, str):
                raise DataError([Problem(label, None, "not a zip file (given as text, not bytes)")])
            return _open_zip(label, io.BytesIO(content), opened), label
        return {Path(k).name.lower(): v for k, v in source.items()}, "uploaded dataset"
    path = Path(source)
    if path.is_dir():
        return {f: path / f for f in DATASET_FILES}, path.name
    if not path.is_file():
        what = "it does not exist" if not path.exists() else "it is neither"
        raise DataError(
            [Problem(str(path), None, f"is not a folder or a zip file: {what} ({EXPECTED})")]
        )
    try:
        handle = opened.enter_context(path.open("rb"))
    except OSError as err:
        raise DataError([Problem(str(path), None, cannot_read(err))]) from None
    return _open_zip(str(path), handle, opened), path.name


def _open_zip(label: str, handle: IO[bytes], opened: ExitStack) -> dict[str, ZipMember]:
    """The dataset files of a zip, checked, as members streamed from the open archive.

    Nothing is extracted. Refused, naming the zip: a file that is not a zip, more entries than
    :data:`ZIP_MAX_ENTRIES` (counted from the archive's end record, before its index is read),
    a name that is absolute or climbs out with ``..``, dataset files declaring more than
    :data:`ZIP_MAX_UNCOMPRESSED` bytes, an encrypted or unreadable dataset file. ``__MACOSX/``
    and dot files are ignored; the dataset is at the zip's root or in one top-level folder.
    """

    def refuse(*messages: str) -> DataError:
        return DataError([Problem(label, None, message) for message in messages])

    try:
        entries = _declared_entries(handle)
        if entries is not None and entries > ZIP_MAX_ENTRIES:
            raise refuse(
                f"holds {entries:,} entries, more than the {ZIP_MAX_ENTRIES:,} allowed "
                "(zip only the dataset's files)"
            )
        archive = opened.enter_context(zipfile.ZipFile(handle))
        infos = archive.infolist()
    except (zipfile.BadZipFile, EOFError, ValueError):
        raise refuse(f"not a zip file ({EXPECTED})") from None
    except OSError as err:
        raise refuse(cannot_read(err)) from None
    if len(infos) > ZIP_MAX_ENTRIES:
        raise refuse(
            f"holds {len(infos):,} entries, more than the {ZIP_MAX_ENTRIES:,} allowed "
            "(zip only the dataset's files)"
        )
    files: list[tuple[str, zipfile.ZipInfo]] = []
    unsafe = []
    for info in infos:
        path = info.filename.replace("\\", "/")
        parts = path.split("/")
        if path.startswith("/") or re.match(r"^[A-Za-z]:", path) or ".." in parts:
            unsafe.append(
                f"holds the unsafe name {info.filename!r} (an absolute path or one "
                "leaving the archive with '..'); refused"
            )
        elif not (
            info.is_dir() or parts[0] == "__MACOSX" or any(part.startswith(".") for part in parts)
        ):
            files.append((path, info))
    if unsafe:
        raise refuse(*unsafe)
    if not files:
        raise refuse(
            "the zip is empty (expected entities.csv and relations.csv, at its root "
            "or in one top-level folder)"
        )
    members = _dataset_members(label, files)
    sizes = {name: info.file_size for name, info in members.items()}
    limit = _size(ZIP_MAX_UNCOMPRESSED)
    too_big = [
        f"{name} is {_size(size)} uncompressed, more than the {limit} limit"
        for name, size in sizes.items()
        if size > ZIP_MAX_UNCOMPRESSED
    ]
    if too_big:
        raise refuse(*too_big)
    if sum(sizes.values()) > ZIP_MAX_UNCOMPRESSED:
        raise refuse(
            f"its dataset files are {_size(sum(sizes.values()))} uncompressed "
            f"together, more than the {limit} limit"
        )
    unreadable = [
        f"{name} {problem}"
        for name, info in members.items()
        if (problem := _member_problem(archive, info))
    ]
    if unreadable:
        raise refuse(*unreadable)
    return {name: ZipMember(archive, info) for name, info in members.items()}


def _dataset_members(
    label: str, files: list[tuple[str, zipfile.ZipInfo]]
) -> dict[str, zipfile.ZipInfo]:
    """The dataset files of a zip: those in the folder (root or top-level) holding entities.csv."""
    places = sorted(
        {
            path.rpartition("/")[0]
            for path, _ in files
            if path.rpartition("/")[2].lower() == ENTITIES
        }
    )
    usable = [place for place in places if "/" not in place]
    if not places:
        raise DataError(
            [
                Problem(
                    label,
                    None,
                    f"holds no {ENTITIES} (expected entities.csv and "
                    "relations.csv, at the zip's root or in one top-level folder)",
                )
            ]
        )
    if not usable:
        raise DataError(
            [
                Problem(
                    label,
                    None,
                    f"holds {ENTITIES} only deeper than one folder "
                    f"({places[0]}/{ENTITIES}); zip the dataset's folder itself",
                )
            ]
        )
    if len(usable) > 1:
        where = ", ".join(f"{place}/" if place else "the root" for place in usable)
        raise DataError(
            [
                Problem(
                    label,
                    None,
                    f"holds {ENTITIES} in {len(usable)} places ({where}); zip one dataset",
                )
            ]
        )
    folder = usable[0]
    members: dict[str, zipfile.ZipInfo] = {}
    twice = []
    for path, info in files:
        place, _, base = path.rpartition("/")
        base = base.lower()
        if place != folder or base not in DATASET_FILES:
            continue
        if base in members:
            twice.append(Problem(label, None, f"holds {path} twice"))
        members[base] = info
    if twice:
        raise DataError(twice)
    return members


def _member_problem(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> str | None:
    """Why a member cannot be streamed (tried by opening it), or None."""
    if info.flag_bits & 0x1:
        return "is encrypted: zip the dataset without a password"
    if info.compress_type not in ZIP_METHODS:
        return (
            f"is compressed with method {info.compress_type}, which cannot be read: zip it "
            "with the usual (deflate) compression"
        )
    try:
        archive.open(info).close()
    except (*READ_ERRORS, NotImplementedError, RuntimeError) as err:
        return cannot_read(err)
    return None


def _declared_entries(handle: IO[bytes]) -> int | None:
    """How many entries a zip's end record declares, read before ``zipfile`` builds an object
    per entry (a few hundred bytes each: millions of tiny entries would exhaust memory first);
    None when there is no end record (then ``zipfile`` reports the file as not a zip)."""
    handle.seek(0, io.SEEK_END)
    size = handle.tell()
    start = max(0, size - (22 + 0xFFFF + 20))  # end record, its longest comment, zip64 locator
    handle.seek(start)
    tail = handle.read()
    handle.seek(0)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) < at + 22:
        return None
    entries = int.from_bytes(tail[at + 10 : at + 12], "little")
    locator = at - 20
    if entries != 0xFFFF or locator < 0 or tail[locator : locator + 4] != b"PK\x06\x07":
        return entries
    handle.seek(int.from_bytes(tail[locator + 8 : locator + 16], "little"))  # the zip64 end record
    record = handle.read(56)
    handle.seek(0)
    if record[:4] != b"PK\x06\x06" or len(record) < 40:
        return entries
    return int.from_bytes(record[32:40], "little")


def _size(count: int) -> str:
    """A byte count for people: ``3 GB``, ``1.5 MB``, ``812 bytes``.

    >>> _size(3_000_000_000), _size(1_500_000), _size(812)
    ('3 GB', '1.5 MB', '812 bytes')
    """
    for unit, scale in (("GB", 10**9), ("MB", 10**6), ("KB", 10**3)):
        if count >= scale:
            return f"{count / scale:.3g} {unit}"
    return f"{count} bytes"


def _open(files: Files, file: str, found: _Collector, limit: int) -> Table | None:
    source = files.get(file)
    required = file in (ENTITIES, RELATIONS)
    if isinstance(source, Path) and not source.exists():
        source = None
    if source is None:
        if required:
            found.error(
                file, None, "missing file (every dataset needs entities.csv and relations.csv)"
            )
        return None
    try:
        content: Content = (
            source if isinstance(source, (Path, ZipMember)) else read_bytes(source, limit)
        )
        refused = _refused(content, limit, exact=content is source)
    except OSError as err:
        found.error(file, None, cannot_read(err))
        return None
    if refused:
        found.error(file, None, refused)
        return None
    return open_table(file, content, REQUIRED[file], _sink(found), limit)


def _refused(content: Content, limit: int, exact: bool = True) -> str | None:
    """Why a file is not read at all: not a regular file, or over the size limit (its size
    known ``exact``-ly, or read up to the limit from an open file)."""
    if isinstance(content, Path):
        status = os.stat(content)  # follows a symlink: what it points to must be a regular file
        if not stat.S_ISREG(status.st_mode):
            return (
                "is not a regular file (a FIFO, a device or a folder); only regular files are read"
            )
        size = status.st_size
    else:
        size = content.info.file_size if isinstance(content, ZipMember) else len(content)
    if size > limit:
        over = f"is {size:,} bytes, more than" if exact else "holds more than"
        return (
            f"{over} the limit of {limit:,} bytes per file; not read (set "
            f"{MAX_FILE_BYTES_ENV} or load_graph(max_file_bytes=...) to allow more)"
        )
    return None


def _schema_with_types(schema: Schema, table: Table | None, found: _Collector) -> Schema:
    if table is None:
        return schema
    rows = []
    seen: dict[str, int] = {}
    for line, values in table.rows(_sink(found), _warnings(found)):
        row = dict(zip(table.header, values))
        type_id = row.get("type", "")
        if not TYPE_ID_PATTERN.fullmatch(type_id):
            found.error(TYPES, line, f"type {type_id!r} must be snake_case (a-z, 0-9, _)", "type")
            continue
        if type_id in seen:
            found.error(
                TYPES,
                line,
                f"type {type_id!r} declared twice (first on line {seen[type_id]})",
                "type",
            )
            continue
        seen[type_id] = line
        color, shape = row.get("color", ""), row.get("shape", "")
        if color and not COLOR_PATTERN.fullmatch(color):
            found.error(TYPES, line, f"color {color!r} is not a #RRGGBB colour", "color")
        if shape and shape not in VIS_SHAPES:
            found.error(
                TYPES,
                line,
                f"shape {shape!r} is not one of: {', '.join(sorted(VIS_SHAPES))}",
                "shape",
            )
        rows.append(row)
    return schema.with_entity_types(rows)


def _check_date(file: str, line: int, value: str, found: _Collector) -> bool:
    if value and not is_valid_date(value):
        found.error(
            file,
            line,
            f"date {value!r} is not a real date in ISO 8601 form (YYYY, YYYY-MM or YYYY-MM-DD)",
            "date",
        )
        return False
    return True


def is_valid_date(value: str) -> bool:
    """Whether ``value`` is ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` naming a real date.

    >>> is_valid_date("2024-07-30"), is_valid_date("2024-13-45"), is_valid_date("2024-02-30")
    (True, False, False)
    """
    match = DATE_PATTERN.match(value)
    if not match:
        return False
    year, month, day = (int(part) if part else 1 for part in match.groups())
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def split_list(value: str) -> tuple[str, ...]:
    """A ``|``-separated cell as a tuple of trimmed, non-empty parts.

    List attributes are tuples: immutable, so rows citing the same documents share one.

    >>> split_list("doc_01 | doc_02|"), split_list("")
    (('doc_01', 'doc_02'), ())
    """
    if not value:
        return ()
    return tuple(part.strip() for part in value.split(LIST_SEPARATOR) if part.strip())


class _Cells:
    """Checks date and documents cells, remembering the valid ones.

    Datasets repeat a few dates and combinations of documents: each distinct cell is checked
    once, and every row holding it shares one string or tuple (a large share of the memory of a
    graph with millions of relations).
    """

    LIMIT = 1 << 16  # distinct cells remembered; beyond, cells are checked and kept per row

    def __init__(self, known_docs: set[str] | None, found: _Collector) -> None:
        self.known_docs, self.found = known_docs, found
        self.dates: dict[str, str] = {"": ""}
        self.documents: dict[str, tuple[str, ...]] = {"": ()}

    def date(self, file: str, line: int, cell: str) -> str | None:
        """The date, or None (reported) when it is not a real ISO 8601 date."""
        date = self.dates.get(cell)
        if date is None:
            if not _check_date(file, line, cell, self.found):
                return None
            date = self._remember(self.dates, cell, cell)
        return date

    def document_ids(self, file: str, line: int, cell: str) -> tuple[str, ...] | None:
        """The cited document ids, or None (reported) when one is not in documents.csv."""
        docs = self.documents.get(cell)
        if docs is None:
            docs = split_list(cell)
            known = self.known_docs
            unknown = [doc for doc in docs if known is not None and doc not in known]
            for doc in unknown:
                self.found.error(
                    file, line, f"unknown document id {doc!r} (not in documents.csv)", "documents"
                )
            if unknown:
                return None
            docs = self._remember(self.documents, cell, docs)
        return docs

    def _remember(self, cache: dict, cell: str, value):
        if len(cache) < self.LIMIT:
            cache[cell] = value
        return value


def _documents(table: Table | None, found: _Collector) -> dict[str, dict[str, str]] | None:
    if table is None:
        return None
    documents: dict[str, dict[str, str]] = {}
    lines: dict[str, int] = {}
    for line, values in table.rows(_sink(found), _warnings(found)):
        row = dict(zip(table.header, values))
        doc_id = row["id"]
        if not doc_id:
            found.error(DOCUMENTS, line, "empty id", "id")
            continue
        if not ID_PATTERN.match(doc_id):
            found.error(
                DOCUMENTS,
                line,
                f"id {doc_id!r} may hold only lower-case letters, digits and underscores",
                "id",
            )
        if doc_id in lines:
            found.error(
                DOCUMENTS, line, f"duplicate id {doc_id!r} (first on line {lines[doc_id]})", "id"
            )
            continue
        _check_date(DOCUMENTS, line, row.get("date", ""), found)
        lines[doc_id] = line
        documents[doc_id] = {k: v for k, v in row.items() if k != "id"}
    return documents


def _add_entities(
    G: nx.MultiDiGraph, table: Table, schema: Schema, cells: _Cells, found: _Collector
) -> dict[str, int]:
    """Add valid entity rows as nodes; return every declared id with its first line."""
    column = {name: index for index, name in enumerate(table.header) if name}
    i_id, i_name, i_type = column["id"], column["name"], column["type"]
    i_short, i_aliases, i_description, i_docs, i_date = (
        column.get(c) for c in ("short_name", "aliases", "description", "documents", "date")
    )
    extras = [(c, i) for c, i in column.items() if c not in ENTITY_COLUMNS]
    G.graph["entity_columns"] = [c for c in ENTITY_COLUMNS if c in column] + [c for c, _ in extras]
    types = schema.entity_types
    first_line: dict[str, int] = {}
    add_node = _nxgraph.node_adder(G)
    for line, values in table.rows(_sink(found), _warnings(found)):
        entity_id, name, type_id = values[i_id], values[i_name], values[i_type]
        ok = _entity_row_ok(line, entity_id, name, type_id, types, first_line, found)
        docs = cells.document_ids(ENTITIES, line, values[i_docs]) if i_docs is not None else ()
        date = cells.date(ENTITIES, line, values[i_date]) if i_date is not None else ""
        if entity_id and entity_id not in first_line:
            first_line[entity_id] = line
        if not ok or docs is None or date is None:
            continue
        attrs = vars(_NodeAttributes())
        attrs["name"] = name
        attrs["type"] = types[type_id].id
        if i_short is not None and (short := _short_name(line, values[i_short], name, found)):
            attrs["short_name"] = short
        attrs["aliases"] = split_list(values[i_aliases]) if i_aliases is not None else ()
        attrs["description"] = values[i_description] if i_description is not None else ""
        attrs["documents"] = docs
        attrs["date"] = date
        for extra, index in extras:
            attrs[extra] = values[index]
        add_node(entity_id, attrs)  # as G.add_node would, without copying the dict
    return first_line


def _short_name(line: int, cell: str, name: str, found: _Collector) -> str:
    """The label to draw instead of a long name, or "" (with a warning when it cannot be used)."""
    short = cell.strip()
    if not short or short == name:
        return ""
    if len(short) > SHORT_NAME_MAX:
        found.warn(
            ENTITIES,
            line,
            f"short_name is {len(short)} characters (at most {SHORT_NAME_MAX}); the name is drawn",
            "short_name",
        )
        return ""
    if len(short) >= len(name):
        found.warn(
            ENTITIES,
            line,
            "short_name is not shorter than the name; the name is drawn",
            "short_name",
        )
        return ""
    return short


class _NodeAttributes:
    """Lends its ``__dict__`` as a node's attribute dict; see :class:`_EdgeAttributes`."""


class _EdgeAttributes:
    """Lends its ``__dict__`` as an edge's attribute dict.

    CPython keeps the keys of a class's instance dicts in one shared table (PEP 412,
    key-sharing dictionaries), so a dict made this way holds only its values: 121 bytes for
    relation, evidence, documents and date instead of 193 for a dict literal, 180 MB less at
    2.5 million relations. It is an ordinary ``dict``; a key added to one later gives that dict
    its own table.
    """


def _entity_row_ok(
    line: int,
    entity_id: str,
    name: str,
    type_id: str,
    types: Mapping,
    first_line: dict[str, int],
    found: _Collector,
) -> bool:
    ok = True
    if not entity_id:
        found.error(ENTITIES, line, "empty id", "id")
        ok = False
    elif not ID_PATTERN.match(entity_id):
        found.error(
            ENTITIES,
            line,
            f"id {entity_id!r} may hold only lower-case letters, digits and underscores",
            "id",
        )
        ok = False
    elif entity_id in first_line:
        found.error(
            ENTITIES,
            line,
            f"duplicate id {entity_id!r} (first on line {first_line[entity_id]})",
            "id",
        )
        ok = False
    if not name:
        found.error(ENTITIES, line, f"empty name for {entity_id or 'this row'!s}", "name")
        ok = False
    if not type_id:
        found.error(ENTITIES, line, "empty type", "type")
        ok = False
    elif type_id not in types:
        found.error(
            ENTITIES,
            line,
            f"unknown type {type_id!r}; allowed: {', '.join(types)} (or declare it in types.csv)",
            "type",
        )
        ok = False
    return ok


class _RelationColumns:
    """Where each column of relations.csv is, read once from its header."""

    def __init__(self, header: list[str]) -> None:
        column = {name: index for index, name in enumerate(header) if name}
        self.source, self.target, self.relation = (column[c] for c in REQUIRED[RELATIONS])
        self.evidence, self.documents, self.date = (column.get(c) for c in EDGE_DEFAULTS)
        self.extras = [(c, i) for c, i in column.items() if c not in RELATION_COLUMNS]
        self.names = [c for c in RELATION_COLUMNS if c in column] + [c for c, _ in self.extras]

    def attribute_maker(self) -> Callable[[list[str], str, tuple[str, ...], str], dict]:
        """``make(values, relation, documents, date)``: an edge's attribute dict, keys in the
        order relation, evidence, documents, date, extra columns (a closure: it runs per row)."""
        evidence, extras, new_holder = self.evidence, self.extras, _EdgeAttributes

        def make(values: list[str], relation: str, documents: tuple[str, ...], date: str) -> dict:
            row = vars(new_holder())
            row["relation"] = relation
            row["evidence"] = values[evidence] if evidence is not None else ""
            row["documents"] = documents
            row["date"] = date
            # documents behind it; graph.citations adds its citations' (few rows repeat one)
            row["corroboration"] = len(documents) if len(documents) < 2 else len(set(documents))
            for name, index in extras:
                row[name] = values[index]
            return row

        return make


def _add_relations(
    G: nx.MultiDiGraph, table: Table, declared: Mapping[str, int], cells: _Cells, found: _Collector
) -> None:
    columns = _RelationColumns(table.header)
    G.graph["relation_columns"] = columns.names
    i_src, i_tgt, i_rel, i_docs, i_date = (
        columns.source,
        columns.target,
        columns.relation,
        columns.documents,
        columns.date,
    )
    # Edges reuse the nodes' own id strings: a copy per edge end cost ~110 bytes an edge.
    canonical = {node: node for node in G}
    relations: dict[str, str] = {}  # valid relation names, interned
    fingerprints = array("q")  # one hash per edge; duplicate rows are confirmed afterwards
    # Edges go straight into the adjacency dicts (graph._nxgraph); add_edges_from costs 3x more.
    add_edge = _nxgraph.edge_adder(G)
    attributes = columns.attribute_maker()
    for line, values in table.rows(_sink(found), _warnings(found)):
        source, target = canonical.get(values[i_src]), canonical.get(values[i_tgt])
        relation = relations.get(values[i_rel])
        if source is None or target is None or relation is None:
            relation = _checked_relation(
                line, values[i_src], values[i_tgt], values[i_rel], declared, relations, found
            )
            ok = source is not None and target is not None and relation is not None
        else:
            ok = True
        docs = cells.document_ids(RELATIONS, line, values[i_docs]) if i_docs is not None else ()
        date = cells.date(RELATIONS, line, values[i_date]) if i_date is not None else ""
        if not ok or docs is None or date is None:
            continue
        if source is target:
            found.warn(RELATIONS, line, f"self-loop: {source} {relation} itself")
        row = attributes(values, relation, docs, date)  # type: ignore[arg-type]  # ok: not None
        fingerprints.append(hash((source, target, *row.values())))
        add_edge(source, target, row)
    if not found.errors:
        _warn_duplicate_rows(table, columns, fingerprints, found)


def _warn_duplicate_rows(
    table: Table, columns: _RelationColumns, fingerprints: array, found: _Collector
) -> None:
    """Warn about relation rows repeating an earlier row, naming both lines.

    Only rows whose hash occurs twice are compared, on a second pass over the file, so no
    set of every row is held while the graph is built. Rows compare as loaded (``a|b`` and
    ``a | b`` cite the same documents).
    """
    import numpy as np  # a pandas dependency; imported here as only this check needs it

    hashes = np.sort(np.frombuffer(fingerprints, dtype=np.int64))
    repeated = set(hashes[1:][hashes[1:] == hashes[:-1]].tolist())
    if not repeated:
        return
    attributes = columns.attribute_maker()
    first_line: dict[tuple, int] = {}
    for line, values in table.rows():
        source, target, relation = (
            values[i] for i in (columns.source, columns.target, columns.relation)
        )
        row = attributes(
            values,
            relation,
            split_list(values[columns.documents]) if columns.documents is not None else (),
            values[columns.date] if columns.date is not None else "",
        )
        key = (source, target, *row.values())  # as fingerprinted in _add_relations
        if hash(key) not in repeated:
            continue
        first = first_line.setdefault(key, line)
        if first != line:
            found.warn(
                RELATIONS,
                line,
                f"duplicate relation row {source} {relation} {target} (same as line {first})",
            )


def _checked_relation(
    line: int,
    source: str,
    target: str,
    relation: str,
    nodes: Mapping,
    relations: dict[str, str],
    found: _Collector,
) -> str | None:
    """The relation name (interned) if the row's relation is valid; report what is wrong."""
    if not _relation_row_ok(line, source, target, relation, nodes, found):
        return relations.get(relation)
    return relations.setdefault(relation, sys.intern(relation))


def _relation_row_ok(
    line: int, source: str, target: str, relation: str, nodes: Mapping, found: _Collector
) -> bool:
    ok = True
    for column, value in (("source", source), ("target", target)):
        if not value:
            found.error(RELATIONS, line, f"empty {column}", column)
            ok = False
        elif value not in nodes:
            found.error(
                RELATIONS,
                line,
                f"{column} {value!r} is not an entity in entities.csv (dangling relation)",
                column,
            )
            ok = False
    if not relation:
        found.error(RELATIONS, line, "empty relation", "relation")
        ok = False
    elif not RELATION_PATTERN.match(relation):
        found.error(
            RELATIONS,
            line,
            f"relation {relation!r} must be a snake_case verb phrase (e.g. led, is_part_of)",
            "relation",
        )
        ok = False
    return ok


def _warn_isolated(G: nx.MultiDiGraph, lines: Mapping[str, int], found: _Collector) -> None:
    for node in _nxgraph.isolated(G):
        found.warn(ENTITIES, lines.get(str(node)), f"entity {node!r} has no relation (isolated)")


# Characters XML 1.0 cannot hold (graph.export and graph.static write them as U+FFFD).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def control_characters(G: nx.MultiDiGraph) -> list[Problem]:
    """Warnings for text holding control characters other than tab, newline and carriage
    return: one per file (entities, relations, documents), naming the first such cell and how
    many there are. The data loads; the XML exports and the pictures write each as U+FFFD.
    Run by ``python -m graph validate`` (not on every load: it reads every cell again).

    >>> G = nx.MultiDiGraph(documents={})
    >>> G.add_node("a", name="A\\x0bB", aliases=("x\\x01",))
    >>> [str(p) for p in control_characters(G)]  # doctest: +NORMALIZE_WHITESPACE
    ["entities.csv: 2 cells hold control characters (entity 'a', name: U+000B); GraphML, GEXF
    and pictures write them as U+FFFD"]
    """

    def bad(value: object) -> str | None:
        texts = value if isinstance(value, (tuple, list)) else (value,)
        for text in texts:
            if isinstance(text, str) and not text.isprintable():
                match = _CONTROL.search(text)
                if match:
                    return f"U+{ord(match.group()):04X}"
        return None

    def scan(file: str, items: Any) -> Problem | None:
        first, count = "", 0
        for where, attrs in items:
            for key, value in attrs.items():
                char = bad(value)
                if char:
                    count += 1
                    first = first or f"{where}, {key}: {char}"
        if not count:
            return None
        cells = "1 cell holds" if count == 1 else f"{count:,} cells hold"
        message = (
            f"{cells} control characters ({first}); GraphML, GEXF and pictures write them as U+FFFD"
        )
        return Problem(file, None, message)

    found = [
        scan(ENTITIES, ((f"entity {n!r}", {"id": n, **a}) for n, a in G.nodes(data=True))),
        scan(RELATIONS, ((f"relation {u} -> {v}", a) for u, v, a in G.edges(data=True))),
        scan(DOCUMENTS, ((f"document {d!r}", a) for d, a in G.graph["documents"].items())),
    ]
    return [p for p in found if p is not None]
