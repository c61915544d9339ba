"""Writing a graph (the whole one or any subgraph) in the formats analysts use.

Every exporter writes to a binary handle it is given, so the CLI writes files and the app
offers downloads from the same code. ``csv`` is the dataset contract itself (a folder, or a zip
of it when written to a handle) and reloads to the same graph.

Examples
--------
>>> from graph.load import load_graph
>>> G = load_graph({"entities.csv": "id,name,type\\na,A,ngo\\nb,B,law\\n",
...                 "relations.csv": "source,target,relation\\na,b,advocated_for\\n"})
>>> print(export_bytes(G, "cypher").decode().splitlines()[-1])
MATCH (s:Entity {id: 'a'}), (t:Entity {id: 'b'}) CREATE (s)-[:`ADVOCATED_FOR` {relation: ...}]->(t);
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any
from xml.etree.ElementTree import Element

import networkx as nx
from networkx.readwrite.gexf import GEXFWriter

from . import citations
from .errors import ExportError, UsageError
from .load import (
    DATASET_FILES,
    DOCUMENTS,
    ENTITIES,
    ENTITY_COLUMNS,
    LIST_SEPARATOR,
    RELATION_COLUMNS,
    RELATIONS,
    TYPE_COLUMNS,
    TYPES,
)
from .schema import default_schema

if TYPE_CHECKING:  # graph.view imports the drawing code; exports need only its type
    from .static import PictureSize
    from .view import Drawing

FORMATS = ("csv", "graphml", "gexf", "json", "cypher", "html", "svg", "pdf", "png")
# Above this many entities an HTML page is big and slow to open (bench: 10,000 entities make a
# 71 MB page, 100,000 a 700 MB one); the CLI says so. The app never draws more than 1,500.
HTML_COMFORTABLE_ENTITIES = 5_000
EXTENSIONS = {
    "csv": "zip",
    "graphml": "graphml",
    "gexf": "gexf",
    "json": "json",
    "cypher": "cypher",
    "html": "html",
    "svg": "svg",
    "pdf": "pdf",
    "png": "png",
}
MIME_TYPES = {
    "csv": "application/zip",
    "graphml": "application/xml",
    "gexf": "application/xml",
    "json": "application/json",
    "cypher": "text/plain",
    "html": "text/html",
    "svg": "image/svg+xml",
    "pdf": "application/pdf",
    "png": "image/png",
}
POSITIONED_FORMATS = ("graphml", "gexf", "html", "svg", "pdf", "png")
"""Formats that carry a drawing's positions (and, for html and the pictures, its colours and
highlights)."""
PICTURE_FORMATS = ("svg", "pdf", "png")
"""Static drawings (:mod:`graph.static`): ``picture`` gives their size and resolution."""
CYPHER_DIALECTS = ("neo4j", "falkordb")
"""Cypher engines a ``cypher`` script is written for; ``neo4j`` is the default."""
GEXF_SHAPES = {
    "square": "square",
    "box": "square",
    "database": "square",
    "triangle": "triangle",
    "triangleDown": "triangle",
    "diamond": "diamond",
}
RESERVED_NODE_ATTRIBUTES = frozenset(
    ("id", "key", "label", "type_label", "color", "x", "y", "viz", "pid", "start", "end")
    + ("parents", "slices", "spells", "weight", "networkx_key", "node_for_adding")
)
"""Node attribute names GraphML and GEXF use themselves: what these exports add (``label``,
``type_label``, ``color``, ``x``, ``y``, ``viz``), what networkx's writers turn into XML or
read back as structure (``pid``, ``start``, ``spells``, ...) and its readers' own argument
(``node_for_adding``); GEXF writes a ``key`` as ``networkx_key``. An entity column so named
is written with ``_`` added (``label_``)."""
RESERVED_EDGE_ATTRIBUTES = frozenset(
    ("id", "key", "label", "weight", "type", "start", "end", "slices", "spells", "viz")
    + ("networkx_key", "u_for_edge", "v_for_edge")
)
"""Edge attribute names GraphML and GEXF use themselves (the edge's ``id`` and ``label``, GEXF's
numeric ``weight``, networkx's readers' arguments); a relation column so named is written with
``_`` added (``weight_``). JSON reserves the edge's ``key``."""
GEXF_RESERVED_EDGE_ATTRIBUTES = tuple(sorted(RESERVED_EDGE_ATTRIBUTES))  # the former name

Positions = Mapping[Any, tuple[float, float]]


def export(
    G: nx.MultiDiGraph,
    fmt: str,
    out: IO[bytes],
    *,
    title: str | None = None,
    positions: Positions | None = None,
    dialect: str = "neo4j",
    drawing: Drawing | None = None,
    picture: PictureSize | None = None,
) -> None:
    """Write ``G`` to the binary handle ``out`` in format ``fmt`` (one of :data:`FORMATS`).

    ``csv`` writes a zip of the dataset folder; ``title`` names the HTML page. ``positions``
    (``node -> (x, y)`` in screen pixels, y growing downward, as vis-network draws and
    :func:`graph.layout.compute_layout` returns) places the nodes in ``gexf``, ``graphml`` and
    ``html``; the other formats have no positions. ``drawing`` (a :class:`graph.view.Drawing`)
    gives the positions when ``positions`` is omitted and, for ``html``, the drawing's colours,
    sizes and highlights, so the page looks as the view did in the app. ``dialect`` (one of
    :data:`CYPHER_DIALECTS`) is the Cypher engine a ``cypher`` script is written for.
    ``picture`` (a :class:`graph.static.PictureSize`) sizes ``svg``, ``pdf`` and ``png``.
    """
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    _check_dialect(dialect)
    if positions is None and drawing is not None:
        positions = drawing.positions
    WRITERS[fmt](
        G,
        out,
        _Options(
            title or G.graph.get("name") or "Knowledge graph",
            _checked_positions(positions),
            dialect,
            drawing,
            picture,
        ),
    )


def export_bytes(
    G: nx.MultiDiGraph,
    fmt: str,
    *,
    title: str | None = None,
    positions: Positions | None = None,
    dialect: str = "neo4j",
    drawing: Drawing | None = None,
    picture: PictureSize | None = None,
) -> bytes:
    """``G`` in format ``fmt`` as bytes (for downloads); keywords as in :func:`export`."""
    buffer = io.BytesIO()
    export(
        G,
        fmt,
        buffer,
        title=title,
        positions=positions,
        dialect=dialect,
        drawing=drawing,
        picture=picture,
    )
    return buffer.getvalue()


def write(
    G: nx.MultiDiGraph,
    fmt: str,
    path: str | Path,
    *,
    title: str | None = None,
    positions: Positions | None = None,
    dialect: str = "neo4j",
    drawing: Drawing | None = None,
    replace: bool = False,
    picture: PictureSize | None = None,
) -> Path:
    """Write ``G`` to ``path``; for ``csv`` a folder (or a zip if the path ends in .zip).

    Nothing is ever left half-written: the file (or the csv folder) is written beside the
    target under a temporary name, flushed to disk, then renamed into place, so a full disk or
    a read-only folder raises :class:`~graph.errors.ExportError` and leaves the target as it
    was. An existing file is replaced; an existing folder only if it is empty or, with
    ``replace=True``, holds nothing but an earlier export's dataset files (it is then replaced
    whole, so no stale file of the old export stays). A target that is a device or a pipe
    (``/dev/stdout``) is written straight to. Other keywords as in :func:`export`.
    """
    if not str(path).strip():  # Path("") would be the working folder
        raise UsageError("the output path is empty; name a file or folder to write")
    path = Path(path)
    _check_dialect(dialect)
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    if fmt == "csv" and path.suffix.lower() != ".zip":
        write_csv_folder(G, path, replace=replace)
        return path
    write_file(
        path,
        lambda handle: export(
            G,
            fmt,
            handle,
            title=title,
            positions=positions,
            dialect=dialect,
            drawing=drawing,
            picture=picture,
        ),
    )
    return path


_UMASK = os.umask(0o022)
os.umask(_UMASK)  # read once: files written get the usual permissions, not mkstemp's 0600


def write_file(path: str | Path, fill: Callable[[IO[bytes]], None]) -> None:
    """Call ``fill(handle)`` to write ``path`` atomically: a temporary file beside it, fsync,
    rename. On any failure the temporary file is removed and ``path`` is as it was; a failure
    to write raises :class:`~graph.errors.ExportError`.

    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> write_file(target, lambda handle: handle.write(b"done"))
    >>> target.read_bytes(), [p.name for p in target.parent.iterdir()]
    (b'done', ['out.txt'])
    """
    path = Path(path)
    if path.is_dir():
        raise ExportError(f"{path} is a folder; give the name of a file to write")
    if path.exists() and not path.is_file():  # a device or a pipe: nothing partial can stay
        with _writing(path):
            with path.open("wb") as handle:
                fill(handle)
        return
    if path.is_symlink():
        path = path.resolve()  # replace the file it points to, not the link
    with _writing(path):
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with _writing(path), os.fdopen(descriptor, "wb") as handle:
            fill(handle)
            handle.flush()
            os.fsync(handle.fileno())
        with _writing(path):
            os.chmod(temporary, 0o666 & ~_UMASK)
            os.replace(temporary, path)
            _sync_folder(path.parent)
    except BaseException:
        _remove(Path(temporary))
        raise


class _writing:
    """Turns an OSError while writing ``path`` into :class:`ExportError`."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: Any, error: Any, trace: Any) -> None:
        if isinstance(error, OSError):
            reason = error.strerror or str(error)
            raise ExportError(f"cannot write {self.path}: {reason}; nothing was written") from None


def _sync_folder(folder: Path) -> None:
    """Flush a folder's entries (the rename) to disk, where the system allows it."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def _remove(path: Path) -> None:
    try:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
    except OSError:
        pass


@dataclass(frozen=True)
class _Options:
    """What a writer is told besides the graph."""

    title: str
    positions: dict[Hashable, tuple[float, float]] | None
    dialect: str
    drawing: Drawing | None = None
    picture: PictureSize | None = None


def _check_dialect(dialect: str) -> None:
    if dialect not in CYPHER_DIALECTS:
        raise UsageError(
            f"unknown Cypher dialect {dialect!r}; choose one of: {', '.join(CYPHER_DIALECTS)}"
        )


def _checked_positions(positions: Positions | None) -> dict[Hashable, tuple[float, float]] | None:
    if positions is None:
        return None
    checked = {}
    for node, (x, y) in positions.items():
        x, y = float(x), float(y)
        if not (math.isfinite(x) and math.isfinite(y)):
            raise UsageError(f"the position of {node!r} is not a finite number: ({x}, {y})")
        checked[node] = (x, y)
    return checked


def suggested_filename(G: nx.MultiDiGraph, fmt: str, label: str = "") -> str:
    """A file name that says what it holds: ``tech-trafficking_focus-ncmec_42-entities.gexf``."""
    parts = [G.graph.get("name") or "graph", label, f"{G.number_of_nodes()}-entities"]
    stem = "_".join(_slug(p) for p in parts if p)
    return f"{stem}.{EXTENSIONS.get(fmt, fmt)}"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-")[:60] or "x"


# --- csv: the dataset contract -----------------------------------------------------------


def csv_files(G: nx.MultiDiGraph) -> dict[str, str]:
    """The dataset files of ``G`` as text: entities, relations, and documents/types if any."""
    files = {ENTITIES: _entities_csv(G), RELATIONS: _relations_csv(G)}
    if G.graph.get("documents"):
        files[DOCUMENTS] = _documents_csv(G)
    types = _types_csv(G)
    if types:
        files[TYPES] = types
    cited = _citations_csv(G)
    if cited:
        files[citations.CITATIONS] = cited
    return files


EXPORT_FILES = frozenset(DATASET_FILES)
"""The files a csv export writes: a folder holding only these may be replaced whole."""


def write_csv_folder(G: nx.MultiDiGraph, folder: str | Path, *, replace: bool = False) -> None:
    """Write the dataset files of ``G`` as the folder ``folder``, atomically.

    The files are written into a temporary folder beside it, then that folder is renamed into
    place, so the result holds exactly this export's files. An existing ``folder`` must be
    empty, or (``replace=True``) hold nothing but dataset files, which are then replaced
    whole; otherwise :class:`~graph.errors.UsageError`. A failure to write raises
    :class:`~graph.errors.ExportError` and leaves ``folder`` as it was.
    """
    folder = Path(folder)
    existing = _existing_export(folder, replace)
    with _writing(folder):
        folder.parent.mkdir(parents=True, exist_ok=True)
        temporary = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}."))
    try:
        with _writing(folder):
            for name, text in csv_files(G).items():
                with (temporary / name).open("w", encoding="utf-8", newline="") as handle:
                    handle.write(text)
                    handle.flush()
                    os.fsync(handle.fileno())
                os.chmod(temporary / name, 0o666 & ~_UMASK)
            os.chmod(temporary, 0o777 & ~_UMASK)
            _swap_in(temporary, folder, existing)
            _sync_folder(folder.parent)
    except BaseException:
        _remove(temporary)
        raise


def _existing_export(folder: Path, replace: bool) -> bool:
    """Whether ``folder`` exists (and may be replaced); :class:`UsageError` when it may not."""
    if not folder.exists() and not folder.is_symlink():
        return False
    if not folder.is_dir() or folder.is_symlink():
        raise UsageError(f"{folder} exists and is not a folder; a csv export writes a folder")
    entries = sorted(folder.iterdir())
    if not entries:
        return True
    if not replace:
        shown = ", ".join(e.name for e in entries[:3]) + (", …" if len(entries) > 3 else "")
        raise UsageError(
            f"{folder} is not empty (it holds {shown}); write the csv export to a new or "
            "empty folder, or replace an earlier export whole with --force"
        )
    others = [e.name for e in entries if e.name not in EXPORT_FILES or not e.is_file()]
    if others:
        raise UsageError(
            f"{folder} holds {others[0]!r}, which a csv export does not write; --force "
            "replaces only a folder holding nothing but dataset files"
        )
    return True


def _swap_in(temporary: Path, folder: Path, existing: bool) -> None:
    if not existing:
        os.rename(temporary, folder)
        return
    old = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}.old."))
    os.rename(folder, old / "export")
    try:
        os.rename(temporary, folder)
    except OSError:
        os.rename(old / "export", folder)  # put the earlier export back
        old.rmdir()
        raise
    shutil.rmtree(old, ignore_errors=True)


def _write_zip(G: nx.MultiDiGraph, out: IO[bytes], options: _Options) -> None:
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in csv_files(G).items():
            archive.writestr(name, text.encode("utf-8"))


SPREADSHEET_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet may read as the start of a formula (OWASP, "CSV Injection")."""


def spreadsheet_cell(value: Any) -> str:
    """A cell for a CSV file meant to be opened in a spreadsheet: text that a spreadsheet
    could run as a formula gets a leading ``'``, which shows it as text (OWASP's advice).

    >>> print(spreadsheet_cell("=HYPERLINK(1)"), spreadsheet_cell("-1"), spreadsheet_cell("a"))
    '=HYPERLINK(1) '-1 a
    """
    text = _cell(value)
    return "'" + text if text.startswith(SPREADSHEET_FORMULA_STARTS) else text


def spreadsheet_csv(columns: list[str], rows: Iterable[Iterable[Any]]) -> bytes:
    """A table as CSV for spreadsheets (the app's table downloads), following OWASP's advice
    on CSV injection: every cell quoted, and one that starts with ``=``, ``+``, ``-``, ``@``, a
    tab or a carriage return prefixed with ``'``. UTF-8 with a byte order mark, so Excel reads
    the accents. Not the dataset contract: the ``csv`` export stays exact and reloads.

    >>> print(spreadsheet_csv(["name"], [["@SUM(A1)"], ["Ann"]]).decode("utf-8-sig"), end="")
    "name"
    "'@SUM(A1)"
    "Ann"
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow([spreadsheet_cell(c) for c in columns])
    writer.writerows([spreadsheet_cell(v) for v in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


def _cell(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return LIST_SEPARATOR.join(str(v) for v in value)
    return "" if value is None else str(value)


def _table(columns: list[str], rows: Callable[[], Iterable[list[Any]]]) -> str:
    """A CSV file's text: the header, then the rows, lines ended by ``\\n``.

    Python's writer quotes a cell holding a comma, a quote or ``\\n``, but not one holding a
    lone ``\\r``, which a reader then takes as a line end: a row with a ``\\r`` in a cell is
    written with every cell quoted. ``rows`` makes the rows (called again in that case: the
    common case is written in one streamed pass and checked once).

    >>> print(repr(_table(["id", "note"], lambda: [["a", "x\\ry"], ["b", "z"]])))
    'id,note\\n"a","x\\ry"\\nb,z\\n'
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([_cell(v) for v in row] for row in rows())
    text = buffer.getvalue()
    if "\r" not in text:
        return text
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    quoted = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow(columns)
    for row in rows():
        cells = [_cell(v) for v in row]
        (quoted if any("\r" in cell for cell in cells) else writer).writerow(cells)
    return buffer.getvalue()


def _columns(recorded: list[str] | None, standard: tuple[str, ...], rows: Iterable[dict]) -> list:
    """The columns to write: those the file had (``recorded``, in its order), and any standard
    column it lacked that some row now has a value for; all standard ones when unrecorded.
    So a file with only ``id,title`` is written back with only those.

    >>> _columns(["id", "name", "type", "extra"], ("id", "name", "type", "date"), [{"date": ""}])
    ['id', 'name', 'type', 'extra']
    >>> _columns(["id", "name", "type"], ("id", "name", "type", "date"), [{"date": "2024"}])
    ['id', 'name', 'type', 'date']
    """
    if not recorded:
        return list(standard)
    columns = list(recorded)
    missing = [c for c in standard if c not in columns]
    if missing:
        rows = list(rows)
        columns += [c for c in missing if any(row.get(c) for row in rows)]
    return columns


def _entities_csv(G: nx.MultiDiGraph) -> str:
    columns = _columns(
        G.graph.get("entity_columns"), ENTITY_COLUMNS, (data for _, data in G.nodes(data=True))
    )
    for required in ("id", "name", "type"):
        if required not in columns:
            columns.append(required)
    return _table(
        columns,
        lambda: (
            [node if c == "id" else data.get(c, "") for c in columns]
            for node, data in G.nodes(data=True)
        ),
    )


def _relations_csv(G: nx.MultiDiGraph) -> str:
    columns = _columns(
        G.graph.get("relation_columns"),
        RELATION_COLUMNS,
        (data for _, _, data in G.edges(data=True)),
    )
    for required in ("source", "target", "relation"):
        if required not in columns:
            columns.append(required)
    for provenance in ("id", "modality"):  # a graph built in code may carry them
        if provenance not in columns and any(d.get(provenance) for *_, d in G.edges(data=True)):
            columns.append(provenance)
    ends = {"source": 0, "target": 1}
    return _table(
        columns,
        lambda: (
            [(u, v)[ends[c]] if c in ends else data.get(c, "") for c in columns]
            for u, v, data in G.edges(data=True)
        ),
    )


def _citations_csv(G: nx.MultiDiGraph) -> str:
    """citations.csv for the relations of ``G`` that have citations (and an id to key them)."""
    rows = [
        [data["id"], c.document, c.quote, c.locator]
        for _, _, data in G.edges(data=True)
        if data.get("id")
        for c in citations.citations_of(data)
    ]
    return _table(list(citations.CITATION_COLUMNS), lambda: iter(rows)) if rows else ""


def provenance(data: Mapping[str, Any], *, flat: bool = False) -> dict[str, Any]:
    """A relation's attributes for an export, its provenance spelt out: ``modality`` (stated
    when the row gives none), ``corroboration`` (an integer) and ``citations`` (a list of
    ``document``, ``quote``, ``locator``; with ``flat``, that list as JSON text).

    >>> from graph.citations import Citation
    >>> provenance({"documents": ("a",), "citations": (Citation("b", "q"),)}, flat=True)
    {'documents': ('a',), 'citations': '[{"document": "b", "quote": "q", "locator": ""}]', \
'modality': 'stated', 'corroboration': 2}
    """
    out = dict(data)
    cited = [c.as_dict() for c in citations.citations_of(data)]
    if cited:
        out["citations"] = json.dumps(cited, ensure_ascii=False) if flat else cited
    else:
        out.pop("citations", None)
    out["modality"] = citations.modality(data)
    out["corroboration"] = citations.corroboration(data)
    return out


def _documents_csv(G: nx.MultiDiGraph) -> str:
    """documents.csv with the columns its documents have (``id`` first), in the order first
    seen: a file with only ``id,title`` comes back with only those."""
    documents = G.graph["documents"]
    columns = ["id", *dict.fromkeys(k for meta in documents.values() for k in meta if k != "id")]
    return _table(
        columns,
        lambda: (
            [doc_id if c == "id" else meta.get(c, "") for c in columns]
            for doc_id, meta in documents.items()
        ),
    )


def _types_csv(G: nx.MultiDiGraph) -> str:
    """Types whose declaration differs from the built-in one (from the dataset's types.csv)."""
    schema, builtin = G.graph.get("schema"), default_schema().entity_types
    if schema is None:
        return ""
    custom = [t for t_id, t in schema.entity_types.items() if builtin.get(t_id) != t]
    if not custom:
        return ""
    return _table(
        list(TYPE_COLUMNS),
        lambda: ([t.id, t.label, t.color, t.shape, t.description] for t in custom),
    )


# --- graphml, gexf, json -----------------------------------------------------------------

# Characters XML 1.0 cannot hold at all, not even as character references.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(value: Any) -> str:
    """A cell as XML text: control characters XML forbids become U+FFFD (�)."""
    text = _cell(value)
    return text if text.isprintable() else _NOT_XML.sub("\ufffd", text)


@lru_cache(maxsize=4096)
def _xml_key(name: str, edge: bool = False) -> str:
    """An attribute name as XML text, a reserved one with ``_`` added (see :func:`unreserved`)."""
    return reserved_name(_xml_text(name), RESERVED_EDGE_ATTRIBUTES if edge else None)


def reserved_name(name: str, reserved: frozenset[str] | None = None) -> str:
    """``name`` as an export writes it: with ``_`` added when, less any trailing ``_``, it is
    one of ``reserved`` (node names by default). One more ``_`` for a name that already ends
    in ``_`` keeps the mapping one-to-one: :func:`unreserved` gives the column back.

    >>> reserved_name("label"), reserved_name("label_"), reserved_name("labels")
    ('label_', 'label__', 'labels')
    """
    reserved = RESERVED_NODE_ATTRIBUTES if reserved is None else reserved
    return f"{name}_" if name.rstrip("_") in reserved else name


def unreserved(name: str, reserved: frozenset[str] | None = None) -> str:
    """The column an exported attribute name stands for (the inverse of :func:`reserved_name`).

    >>> unreserved("label_"), unreserved("label__"), unreserved("label"), unreserved("x_y_")
    ('label', 'label_', 'label', 'x_y_')
    """
    reserved = RESERVED_NODE_ATTRIBUTES if reserved is None else reserved
    return name[:-1] if name.endswith("_") and name.rstrip("_") in reserved else name


def edge_id(u: Hashable, v: Hashable, key: Any) -> str:
    """An edge's id in GEXF and GraphML: the one the drawing gives it (``source|target|key``).

    >>> edge_id("ncmec", "ipa", 0)
    'ncmec|ipa|0'
    """
    return f"{u}|{v}|{key}"


def _flat_copy(
    G: nx.MultiDiGraph, positions: Mapping[Any, tuple[float, float]] | None, gexf: bool
) -> nx.MultiDiGraph:
    """A copy whose attributes are all strings or numbers, as GraphML and GEXF require.

    Nodes get ``label`` (the name), ``type_label`` and ``color``; in GEXF also ``viz`` (colour,
    size by degree, shape) and, with ``positions``, a ``viz`` position; in GraphML the position
    is ``x`` and ``y``. Either way y is flipped (file y = -screen y): Gephi's y grows upward.
    Edges are keyed by :func:`edge_id` and get ``label``, the relation's phrase in the schema.
    """
    schema = G.graph.get("schema") or default_schema()
    H = nx.MultiDiGraph(name=_xml_text(G.graph.get("name", "")))
    degree = dict(G.degree())
    top = max(degree.values(), default=1) or 1
    for node, data in G.nodes(data=True):
        attrs: dict[str, Any] = {_xml_key(k): _xml_text(v) for k, v in data.items()}  # label_
        attrs["label"] = attrs.get("name", _xml_text(node))
        style = schema.style(data.get("type", ""))
        attrs["type_label"], attrs["color"] = _xml_text(style.label), style.color
        at = positions.get(node) if positions is not None else None
        if at is not None:
            at = (at[0], 0.0 - at[1])  # Gephi's y grows upward (0.0 - y: no "-0.0" for 0)
        if gexf:
            attrs["viz"] = _viz(style.color, style.shape, degree[node], top)
            if at is not None:
                attrs["viz"]["position"] = {"x": at[0], "y": at[1], "z": 0.0}
        elif at is not None:
            attrs["x"], attrs["y"] = at
        H.add_nodes_from([(_xml_text(node), attrs)])
    for u, v, key, data in G.edges(keys=True, data=True):
        spelt = provenance(data, flat=True)
        attrs = {_xml_key(k, True): _xml_text(val) for k, val in spelt.items()}
        attrs["corroboration"] = spelt["corroboration"]  # a number, not text
        attrs["label"] = _xml_text(schema.phrase(str(data.get("relation", "")), spelt["modality"]))
        identity = _xml_text(edge_id(u, v, key))
        if gexf:
            attrs["id"] = identity
        H.add_edges_from([(_xml_text(u), _xml_text(v), identity, attrs)])  # a column may be "key"
    return H


def _viz(color: str, shape: str, degree: int, top: int) -> dict[str, Any]:
    red, green, blue = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return {
        "color": {"r": red, "g": green, "b": blue, "a": 1.0},
        "size": round(8 + 32 * (degree / top) ** 0.5, 2),
        "shape": GEXF_SHAPES.get(shape, "disc"),
    }


def _write_graphml(G: nx.MultiDiGraph, out: IO[bytes], options: _Options) -> None:
    nx.write_graphml(
        _flat_copy(G, options.positions, gexf=False), out, encoding="utf-8", named_key_ids=True
    )


def _write_gexf(G: nx.MultiDiGraph, out: IO[bytes], options: _Options) -> None:
    writer = GEXFWriter(encoding="utf-8", version="1.2draft")
    writer.add_graph(_flat_copy(G, options.positions, gexf=True))
    _drop_edge_attribute(writer.xml, "networkx_key")
    writer.write(out)


def _drop_edge_attribute(gexf: Element, title: str) -> None:
    """Remove an edge attribute (its declaration and every value) from a GEXF tree.

    networkx's writer stores a multigraph's edge key as the attribute ``networkx_key``; ours
    is the edge's ``id`` already, and ``networkx.read_gexf`` takes that id as the key.
    """
    graph = gexf.find("graph")
    if graph is None:
        return
    for declared in graph.findall("attributes[@class='edge']"):
        for attribute in declared.findall(f"attribute[@title='{title}']"):
            declared.remove(attribute)
            for values in graph.iterfind("edges/edge/attvalues"):
                for value in values.findall(f"attvalue[@for='{attribute.get('id')}']"):
                    values.remove(value)
        if not len(declared):
            graph.remove(declared)
    for edge in graph.iterfind("edges/edge"):
        edge_values = edge.find("attvalues")
        if edge_values is not None and not len(edge_values):
            edge.remove(edge_values)


JSON_RESERVED_EDGE_ATTRIBUTES = frozenset(("key",))
"""node-link data keeps an edge's key as ``key``: a relation column so named is ``key_``."""


def node_link(G: nx.MultiDiGraph) -> dict[str, Any]:
    """networkx node-link data with the dataset's documents and types in ``graph``."""
    H = nx.MultiDiGraph()
    H.add_nodes_from(G.nodes(data=True))
    reserved = JSON_RESERVED_EDGE_ATTRIBUTES
    columns = G.graph.get("relation_columns") or {n for *_, d in G.edges(data=True) for n in d}
    if any(name.rstrip("_") in reserved for name in columns):
        H.add_edges_from(
            (
                u,
                v,
                k,
                {reserved_name(n, reserved): value for n, value in provenance(data).items()},
            )
            for u, v, k, data in G.edges(keys=True, data=True)
        )
    else:
        H.add_edges_from((u, v, k, provenance(d)) for u, v, k, d in G.edges(keys=True, data=True))
    H.graph.update(_graph_metadata(G))
    return nx.node_link_data(H, edges="edges")


def _graph_metadata(G: nx.MultiDiGraph) -> dict[str, Any]:
    schema = G.graph.get("schema")
    types = (
        {
            t.id: {"label": t.label, "color": t.color, "shape": t.shape}
            for t in schema.entity_types.values()
        }
        if schema is not None
        else {}
    )
    return {
        "name": G.graph.get("name", ""),
        "documents": G.graph.get("documents", {}),
        "types": types,
    }


def _write_json(G: nx.MultiDiGraph, out: IO[bytes], options: _Options) -> None:
    out.write(json.dumps(node_link(G), ensure_ascii=False, indent=1).encode("utf-8"))


# --- cypher ------------------------------------------------------------------------------

# Both engines read these escapes in a string literal. Neo4j also reads \uXXXX, so the other
# control characters (and the Unicode line separators) are written that way; FalkorDB keeps
# \uXXXX as six characters, so there they are written as themselves, and it cannot hold NUL.
_CYPHER_ESCAPES = {
    "\\": "\\\\",
    "'": "\\'",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\b": "\\b",
    "\f": "\\f",
}
_SPECIAL = {
    "neo4j": re.compile(r"[\x00-\x1f\x7f\u2028\u2029\\']"),
    "falkordb": re.compile(r"[\x00\n\r\t\b\f\\']"),
}
_PLAIN_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def cypher_string(value: Any, dialect: str = "neo4j") -> str:
    """A Cypher string literal, every special character escaped.

    >>> print(cypher_string("O'Brien \\\\ \\"x\\"\\nend"))
    'O\\'Brien \\\\ "x"\\nend'
    >>> print(cypher_string("bell\\x07"), ascii(cypher_string("bell\\x07", "falkordb")))
    'bell\\u0007' "'bell\\x07'"

    Raises :class:`UsageError` for a NUL character with ``dialect="falkordb"``: FalkorDB
    strings cannot hold one.
    """
    text = str(value)
    if text.isprintable() and "'" not in text and "\\" not in text:
        return f"'{text}'"  # nothing to escape (the common case, checked fast)
    return "'" + _SPECIAL[dialect].sub(lambda m: _escape(m.group(), text, dialect), text) + "'"


def _escape(char: str, text: str, dialect: str) -> str:
    if char in _CYPHER_ESCAPES:
        return _CYPHER_ESCAPES[char]
    if dialect == "falkordb":  # only NUL gets here
        raise UsageError(
            f"FalkorDB strings cannot hold the NUL character (U+0000), found in "
            f"{text[:60]!r}; export with dialect neo4j, or remove it from the data"
        )
    return f"\\u{ord(char):04x}"


def cypher_name(text: str, dialect: str = "neo4j") -> str:
    """A backtick-quoted Cypher label, relationship type or property key.

    Neo4j reads a doubled backtick as one; FalkorDB has no way to write a backtick in a name,
    so there it is a :class:`UsageError`.

    >>> print(cypher_name("PARTNERED_WITH"), cypher_name("odd`name"))
    `PARTNERED_WITH` `odd``name`
    """
    if "`" in text and dialect == "falkordb":
        raise UsageError(
            f"FalkorDB cannot name a label, relationship type or property "
            f"{text!r}: it has a backtick"
        )
    return "`" + text.replace("`", "``") + "`"


def _cypher_value(value: Any, dialect: str) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(cypher_string(v, dialect) for v in value) + "]"
    return cypher_string(value, dialect)


@lru_cache(maxsize=4096)
def _cypher_key(name: str, dialect: str) -> str:
    return name if _PLAIN_NAME.fullmatch(name) else cypher_name(name, dialect)


def _cypher_map(data: dict[str, Any], dialect: str) -> str:
    return (
        "{"
        + ", ".join(
            f"{_cypher_key(str(k), dialect)}: {_cypher_value(v, dialect)}" for k, v in data.items()
        )
        + "}"
    )


def cypher_properties(data: Mapping[str, Any]) -> dict[str, Any]:
    """A relation's properties: its citations as three parallel lists (Cypher properties hold
    lists of strings, not maps): ``citation_documents``, ``citation_quotes``,
    ``citation_locators``."""
    out = provenance(data)
    cited = out.pop("citations", None) or []
    if cited:
        for name in ("document", "quote", "locator"):
            out[f"citation_{name}s"] = [c[name] for c in cited]
    return out


def _type_label(type_id: str) -> str:
    return "".join(part.capitalize() for part in type_id.split("_")) or "Entity"


def _comment(text: str) -> str:
    """``text`` for a ``//`` comment: on one line, whatever it holds."""
    return re.sub(r"[\x00-\x1f\x7f\x85\u2028\u2029]+", " ", text)


def _write_cypher(G: nx.MultiDiGraph, out: IO[bytes], options: _Options) -> None:
    dialect = options.dialect
    write_line = lambda text: out.write((text + "\n").encode("utf-8"))  # noqa: E731
    write_line(
        f"// {_comment(options.title)}: {G.number_of_nodes()} entities, "
        f"{G.number_of_edges()} relations"
    )
    if dialect == "falkordb":
        write_line(
            "// one statement a line: send each line that is not a // comment as one "
            "GRAPH.QUERY (split on \\n only)"
        )
        write_line(
            "// unique ids (not Cypher): GRAPH.CONSTRAINT CREATE <graph> UNIQUE NODE Entity "
            "PROPERTIES 1 id"
        )
        write_line("CREATE INDEX FOR (e:Entity) ON (e.id);")
    else:
        write_line(
            "CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (e:Entity) REQUIRE e.id IS UNIQUE;"
        )
    for node, data in G.nodes(data=True):
        label = cypher_name(_type_label(str(data.get("type", ""))), dialect)
        write_line(f"CREATE (:Entity:{label} {_cypher_map({'id': node, **data}, dialect)});")
    for u, v, data in G.edges(data=True):
        rel_type = cypher_name(str(data.get("relation", "related_to")).upper(), dialect)
        write_line(
            f"MATCH (s:Entity {{id: {cypher_string(u, dialect)}}}), (t:Entity {{id: "
            f"{cypher_string(v, dialect)}}}) CREATE (s)-[:{rel_type} "
            f"{_cypher_map(cypher_properties(data), dialect)}]->(t);"
        )


# --- html --------------------------------------------------------------------------------


def _write_html(G: nx.MultiDiGraph, out: IO[bytes], options: _Options) -> None:
    from .page import standalone_html  # pyvis is imported only where drawing needs it

    style = options.drawing.options() if options.drawing is not None else {}
    style["positions"] = options.positions
    out.write(standalone_html(G, title=options.title, **style).encode("utf-8"))


# --- pictures: svg, pdf, png -----------------------------------------------------------------


def _write_picture(fmt: str) -> Callable[[nx.MultiDiGraph, IO[bytes], _Options], None]:
    def write_picture(G: nx.MultiDiGraph, out: IO[bytes], options: _Options) -> None:
        from . import static  # matplotlib is imported only where pictures are drawn
        from .layout import compute_layout
        from .view import Drawing

        look = options.drawing
        if look is None:  # positions alone (or none): the schema's colours, default sizes
            positions: Any = options.positions or compute_layout(G)
            look = Drawing(positions)
        size = options.picture or static.PictureSize()
        static.render(G, look, fmt, out, title=options.title, size=size)

    return write_picture


WRITERS: dict[str, Callable[[nx.MultiDiGraph, IO[bytes], _Options], None]] = {
    "csv": _write_zip,
    "graphml": _write_graphml,
    "gexf": _write_gexf,
    "json": _write_json,
    "cypher": _write_cypher,
    "html": _write_html,
    "svg": _write_picture("svg"),
    "pdf": _write_picture("pdf"),
    "png": _write_picture("png"),
}
