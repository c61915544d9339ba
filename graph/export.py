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
MATCH (s:Entity {id: 'a'}), (t:Entity {id: 'b'}) CREATE (s)-[:`ADVOCATED_FOR` {relation: 'advocated_for', evidence: '', documents: [], date: ''}]->(t);
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from pathlib import Path
from typing import IO, Any, Callable, Iterable

import networkx as nx

from .errors import UsageError
from .load import (DOCUMENT_COLUMNS, DOCUMENTS, ENTITIES, ENTITY_COLUMNS, LIST_SEPARATOR,
                   RELATION_COLUMNS, RELATIONS, TYPE_COLUMNS, TYPES)

FORMATS = ("csv", "graphml", "gexf", "json", "cypher", "html")
# Above this many entities an HTML page is big and slow to open (bench: 10,000 entities make a
# 71 MB page, 100,000 a 700 MB one); the CLI says so. The app never draws more than 1,500.
HTML_COMFORTABLE_ENTITIES = 5_000
EXTENSIONS = {"csv": "zip", "graphml": "graphml", "gexf": "gexf", "json": "json",
              "cypher": "cypher", "html": "html"}
MIME_TYPES = {"csv": "application/zip", "graphml": "application/xml",
              "gexf": "application/xml", "json": "application/json",
              "cypher": "text/plain", "html": "text/html"}
GEXF_SHAPES = {"square": "square", "box": "square", "database": "square", "triangle": "triangle",
               "triangleDown": "triangle", "diamond": "diamond"}


def export(G: nx.MultiDiGraph, fmt: str, out: IO[bytes], *, title: str | None = None) -> None:
    """Write ``G`` to the binary handle ``out`` in format ``fmt`` (one of :data:`FORMATS`).

    ``csv`` writes a zip of the dataset folder; ``title`` names the HTML page.
    """
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    WRITERS[fmt](G, out, title or G.graph.get("name") or "Knowledge graph")


def export_bytes(G: nx.MultiDiGraph, fmt: str, *, title: str | None = None) -> bytes:
    """``G`` in format ``fmt`` as bytes (for downloads)."""
    buffer = io.BytesIO()
    export(G, fmt, buffer, title=title)
    return buffer.getvalue()


def write(G: nx.MultiDiGraph, fmt: str, path: str | Path, *, title: str | None = None) -> Path:
    """Write ``G`` to ``path``; for ``csv`` a folder (or a zip if the path ends in .zip)."""
    path = Path(path)
    if fmt == "csv" and path.suffix != ".zip":
        write_csv_folder(G, path)
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        export(G, fmt, handle, title=title)
    return path


def suggested_filename(G: nx.MultiDiGraph, fmt: str, label: str = "") -> str:
    """A file name that says what it holds: ``tech-trafficking_focus-ncmec_42-entities.gexf``."""
    parts = [G.graph.get("name") or "graph", label,
             f"{G.number_of_nodes()}-entities"]
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
    return files


def write_csv_folder(G: nx.MultiDiGraph, folder: str | Path) -> None:
    """Write the dataset files of ``G`` into ``folder`` (created if needed)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in csv_files(G).items():
        (folder / name).write_text(text, encoding="utf-8", newline="")


def _write_zip(G: nx.MultiDiGraph, out: IO[bytes], title: str) -> None:
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in csv_files(G).items():
            archive.writestr(name, text.encode("utf-8"))


def _cell(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return LIST_SEPARATOR.join(str(v) for v in value)
    return "" if value is None else str(value)


def _table(columns: list[str], rows: Iterable[list[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([_cell(v) for v in row] for row in rows)
    return buffer.getvalue()


def _entities_csv(G: nx.MultiDiGraph) -> str:
    columns = list(G.graph.get("entity_columns") or ENTITY_COLUMNS)
    for required in ENTITY_COLUMNS:
        if required not in columns:
            columns.append(required)
    return _table(columns, ([node if c == "id" else data.get(c, "") for c in columns]
                            for node, data in G.nodes(data=True)))


def _relations_csv(G: nx.MultiDiGraph) -> str:
    columns = list(G.graph.get("relation_columns") or RELATION_COLUMNS)
    for required in RELATION_COLUMNS:
        if required not in columns:
            columns.append(required)
    ends = {"source": 0, "target": 1}
    return _table(columns, ([(u, v)[ends[c]] if c in ends else data.get(c, "") for c in columns]
                            for u, v, data in G.edges(data=True)))


def _documents_csv(G: nx.MultiDiGraph) -> str:
    documents = G.graph["documents"]
    extras = sorted({k for d in documents.values() for k in d} - set(DOCUMENT_COLUMNS))
    columns = list(DOCUMENT_COLUMNS) + extras
    return _table(columns, ([doc_id if c == "id" else meta.get(c, "") for c in columns]
                            for doc_id, meta in documents.items()))


def _types_csv(G: nx.MultiDiGraph) -> str:
    """Types whose declaration differs from the built-in one (from the dataset's types.csv)."""
    from .schema import default_schema

    schema, builtin = G.graph.get("schema"), default_schema().entity_types
    if schema is None:
        return ""
    custom = [t for t_id, t in schema.entity_types.items() if builtin.get(t_id) != t]
    if not custom:
        return ""
    return _table(list(TYPE_COLUMNS),
                  ([t.id, t.label, t.color, t.shape, t.description] for t in custom))


# --- graphml, gexf, json -----------------------------------------------------------------

def _flat_copy(G: nx.MultiDiGraph, with_viz: bool = False) -> nx.MultiDiGraph:
    """A copy whose attributes are all strings or numbers, as GraphML and GEXF require."""
    schema = G.graph.get("schema")
    H = nx.MultiDiGraph(name=str(G.graph.get("name", "")))
    degree = dict(G.degree())
    top = max(degree.values(), default=1) or 1
    for node, data in G.nodes(data=True):
        attrs = {k: _cell(v) for k, v in data.items()}
        attrs["label"] = attrs.get("name", node)
        if schema is not None:
            style = schema.style(data.get("type", ""))
            attrs["type_label"], attrs["color"] = style.label, style.color
            if with_viz:
                attrs["viz"] = _viz(style.color, style.shape, degree[node], top)
        H.add_node(node, **attrs)
    for u, v, key, data in G.edges(keys=True, data=True):
        attrs = {k: _cell(val) for k, val in data.items()}
        attrs["label"] = data.get("relation", "")
        H.add_edge(u, v, key=key, **attrs)
    return H


def _viz(color: str, shape: str, degree: int, top: int) -> dict[str, Any]:
    red, green, blue = (int(color[i:i + 2], 16) for i in (1, 3, 5))
    return {"color": {"r": red, "g": green, "b": blue, "a": 1.0},
            "size": round(8 + 32 * (degree / top) ** 0.5, 2),
            "shape": GEXF_SHAPES.get(shape, "disc")}


def _write_graphml(G: nx.MultiDiGraph, out: IO[bytes], title: str) -> None:
    nx.write_graphml(_flat_copy(G), out, encoding="utf-8", named_key_ids=True)


def _write_gexf(G: nx.MultiDiGraph, out: IO[bytes], title: str) -> None:
    nx.write_gexf(_flat_copy(G, with_viz=True), out, encoding="utf-8", version="1.2draft")


def node_link(G: nx.MultiDiGraph) -> dict[str, Any]:
    """networkx node-link data with the dataset's documents and types in ``graph``."""
    H = nx.MultiDiGraph()
    H.add_nodes_from(G.nodes(data=True))
    H.add_edges_from(G.edges(keys=True, data=True))
    H.graph.update(_graph_metadata(G))
    return nx.node_link_data(H, edges="edges")


def _graph_metadata(G: nx.MultiDiGraph) -> dict[str, Any]:
    schema = G.graph.get("schema")
    types = {t.id: {"label": t.label, "color": t.color, "shape": t.shape}
             for t in schema.entity_types.values()} if schema is not None else {}
    return {"name": G.graph.get("name", ""), "documents": G.graph.get("documents", {}),
            "types": types}


def _write_json(G: nx.MultiDiGraph, out: IO[bytes], title: str) -> None:
    out.write(json.dumps(node_link(G), ensure_ascii=False, indent=1).encode("utf-8"))


# --- cypher ------------------------------------------------------------------------------

_CYPHER_ESCAPES = {"\\": "\\\\", "'": "\\'", "\n": "\\n", "\r": "\\r", "\t": "\\t",
                   "\b": "\\b", "\f": "\\f"}
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029\\']")


def cypher_string(value: Any) -> str:
    """A Cypher string literal, every special character escaped.

    >>> print(cypher_string("O'Brien \\\\ \\"x\\"\\nend"))
    'O\\'Brien \\\\ "x"\\nend'
    """
    text = str(value)
    escaped = _CONTROL.sub(lambda m: _CYPHER_ESCAPES.get(m.group(), f"\\u{ord(m.group()):04x}"),
                           text)
    return f"'{escaped}'"


def cypher_name(text: str) -> str:
    """A backtick-quoted Cypher label or relationship type (backticks doubled)."""
    return "`" + text.replace("`", "``") + "`"


def _cypher_value(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(cypher_string(v) for v in value) + "]"
    return cypher_string(value)


def _cypher_map(data: dict[str, Any]) -> str:
    return "{" + ", ".join(f"{cypher_name(k) if not k.isidentifier() else k}: "
                           f"{_cypher_value(v)}" for k, v in data.items()) + "}"


def _type_label(type_id: str) -> str:
    return "".join(part.capitalize() for part in type_id.split("_")) or "Entity"


def _write_cypher(G: nx.MultiDiGraph, out: IO[bytes], title: str) -> None:
    write_line = lambda text: out.write((text + "\n").encode("utf-8"))  # noqa: E731
    write_line(f"// {title}: {G.number_of_nodes()} entities, {G.number_of_edges()} relations")
    write_line("CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (e:Entity) REQUIRE e.id IS UNIQUE;")
    for node, data in G.nodes(data=True):
        label = cypher_name(_type_label(data.get("type", "")))
        write_line(f"CREATE (:Entity:{label} {_cypher_map({'id': node, **data})});")
    for u, v, data in G.edges(data=True):
        rel_type = cypher_name(str(data.get("relation", "related_to")).upper())
        write_line(f"MATCH (s:Entity {{id: {cypher_string(u)}}}), (t:Entity {{id: "
                   f"{cypher_string(v)}}}) CREATE (s)-[:{rel_type} {_cypher_map(data)}]->(t);")


# --- html --------------------------------------------------------------------------------

def _write_html(G: nx.MultiDiGraph, out: IO[bytes], title: str) -> None:
    from .page import standalone_html  # pyvis is imported only where drawing needs it

    out.write(standalone_html(G, title=title).encode("utf-8"))


WRITERS: dict[str, Callable[[nx.MultiDiGraph, IO[bytes], str], None]] = {
    "csv": _write_zip, "graphml": _write_graphml, "gexf": _write_gexf, "json": _write_json,
    "cypher": _write_cypher, "html": _write_html,
}
