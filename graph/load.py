"""Read a dataset folder, validate it in one pass, and build the graph.

A dataset is ``entities.csv`` and ``relations.csv``, with optional ``documents.csv`` and
``types.csv`` (see the README for the contract). :func:`load_graph` either returns a
``networkx.MultiDiGraph`` or raises one :class:`~graph.errors.DataError` listing every problem as
``FILE:LINE: problem``.

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
import re
import sys
from array import array
from pathlib import Path
from typing import Callable, Mapping

import networkx as nx

from .csvfile import Content, Source, Table, open_table, read_bytes
from .errors import DataError, Problem
from .schema import COLOR_PATTERN, TYPE_ID_PATTERN, VIS_SHAPES, Schema, default_schema

ENTITIES, RELATIONS, DOCUMENTS, TYPES = "entities.csv", "relations.csv", "documents.csv", "types.csv"

ENTITY_COLUMNS = ("id", "name", "type", "aliases", "description", "documents", "date")
RELATION_COLUMNS = ("source", "target", "relation", "evidence", "documents", "date")
EDGE_DEFAULTS = ("evidence", "documents", "date")  # on every edge, "" or () when not in the file
DOCUMENT_COLUMNS = ("id", "title", "publisher", "author", "date", "url", "kind")
TYPE_COLUMNS = ("type", "label", "color", "shape", "description")
REQUIRED = {
    ENTITIES: ("id", "name", "type"),
    RELATIONS: ("source", "target", "relation"),
    DOCUMENTS: ("id",),
    TYPES: ("type",),
}
LIST_SEPARATOR = "|"
MAX_PROBLEMS = 200

ID_PATTERN = re.compile(r"^[a-z0-9_]+$")
RELATION_PATTERN = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")
DATE_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


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


FILE_ORDER = {name: rank for rank, name in enumerate((TYPES, DOCUMENTS, ENTITIES, RELATIONS))}


def _reading_order(problem: Problem) -> tuple[int, int]:
    return FILE_ORDER.get(problem.file, len(FILE_ORDER)), problem.line or 0


def load_graph(source: str | Path | Mapping[str, Source], *, schema: Schema | None = None,
               name: str | None = None) -> nx.MultiDiGraph:
    """Load and validate a dataset; return its graph or raise :class:`DataError`.

    Parameters
    ----------
    source : path or mapping
        A folder holding the CSV files, or a mapping of file name to content (bytes, text or an
        open file) — how the app passes uploads and tests pass small fixtures.
    schema : Schema, optional
        The entity types and relation vocabulary; the built-in one by default. A dataset's
        ``types.csv`` adds to it.
    name : str, optional
        A title for the dataset; defaults to the folder name.

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
        With every problem found, each naming file, line, column and value.
    """
    files, label = _open_source(source)
    collecting = gc.isenabled()
    gc.disable()  # millions of new dicts would set off full collections that find nothing
    try:
        return _load(files, label, schema, name)
    finally:
        if collecting:
            # One full pass now moves the new objects to the oldest generation; left young,
            # they would be walked by the next young collections, a pause in the first query.
            gc.collect()
            gc.enable()


def _load(files: Mapping[str, Source | Path], label: str, schema: Schema | None,
          name: str | None) -> nx.MultiDiGraph:
    found = _Collector()
    tables = {f: _open(files, f, found) for f in (ENTITIES, RELATIONS, DOCUMENTS, TYPES)}
    schema = _schema_with_types(schema or default_schema(), tables[TYPES], found)
    documents = _documents(tables[DOCUMENTS], found)
    G = nx.MultiDiGraph(name=name or label, schema=schema, documents=documents or {})
    cells = _Cells(set(documents) if documents is not None else None, found)
    declared: dict[str, int] = {}
    if tables[ENTITIES] is not None:
        declared = _add_entities(G, tables[ENTITIES], schema, cells, found)
    if tables[RELATIONS] is not None and tables[ENTITIES] is not None:
        _add_relations(G, tables[RELATIONS], declared, cells, found)
    getattr(nx, "_clear_cache", lambda graph: None)(G)  # nodes and edges were added directly
    found.raise_if_any()
    found.warnings.sort(key=_reading_order)  # duplicate rows are found on a second pass
    _warn_isolated(G, declared, found)
    G.graph["warnings"] = found.warnings
    return G


class _ProblemSink(list):
    """A list that forwards appended problems to a collector (for the CSV parser)."""

    def __init__(self, found: _Collector):
        super().__init__()
        self._found = found

    def append(self, problem: Problem) -> None:  # type: ignore[override]
        self._found.error(problem.file, problem.line, problem.message, problem.column)


def _sink(found: _Collector) -> list[Problem]:
    return _ProblemSink(found)


def _open_source(source: str | Path | Mapping[str, Source]) -> tuple[dict[str, Source | Path], str]:
    if isinstance(source, Mapping):
        return {Path(k).name.lower(): v for k, v in source.items()}, "uploaded dataset"
    folder = Path(source)
    if not folder.is_dir():
        raise DataError([Problem(str(folder), None, "is not a folder (expected a folder holding "
                                                    "entities.csv and relations.csv)")])
    return {f: folder / f for f in (ENTITIES, RELATIONS, DOCUMENTS, TYPES)}, folder.name


def _open(files: Mapping[str, Source | Path], file: str, found: _Collector) -> Table | None:
    source = files.get(file)
    required = file in (ENTITIES, RELATIONS)
    if isinstance(source, Path) and not source.exists():
        source = None
    if source is None:
        if required:
            found.error(file, None, "missing file (every dataset needs entities.csv and "
                                    "relations.csv)")
        return None
    try:
        content: Content = source if isinstance(source, Path) else read_bytes(source)
    except OSError as err:
        found.error(file, None, f"cannot be read: {err.strerror or err}")
        return None
    return open_table(file, content, REQUIRED[file], _sink(found))


def _schema_with_types(schema: Schema, table: Table | None, found: _Collector) -> Schema:
    if table is None:
        return schema
    rows = []
    seen: dict[str, int] = {}
    for line, values in table.rows(_sink(found)):
        row = dict(zip(table.header, values))
        type_id = row.get("type", "")
        if not TYPE_ID_PATTERN.match(type_id):
            found.error(TYPES, line, f"type {type_id!r} must be snake_case (a-z, 0-9, _)", "type")
            continue
        if type_id in seen:
            found.error(TYPES, line, f"type {type_id!r} declared twice (first on line "
                                     f"{seen[type_id]})", "type")
            continue
        seen[type_id] = line
        color, shape = row.get("color", ""), row.get("shape", "")
        if color and not COLOR_PATTERN.match(color):
            found.error(TYPES, line, f"color {color!r} is not a #RRGGBB colour", "color")
        if shape and shape not in VIS_SHAPES:
            found.error(TYPES, line, f"shape {shape!r} is not one of: "
                                     f"{', '.join(sorted(VIS_SHAPES))}", "shape")
        rows.append(row)
    return schema.with_entity_types(rows)


def _check_date(file: str, line: int, value: str, found: _Collector) -> bool:
    if value and not is_valid_date(value):
        found.error(file, line, f"date {value!r} is not a real date in ISO 8601 form "
                                "(YYYY, YYYY-MM or YYYY-MM-DD)", "date")
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
                self.found.error(file, line, f"unknown document id {doc!r} (not in "
                                             "documents.csv)", "documents")
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
    for line, values in table.rows(_sink(found)):
        row = dict(zip(table.header, values))
        doc_id = row["id"]
        if not doc_id:
            found.error(DOCUMENTS, line, "empty id", "id")
            continue
        if not ID_PATTERN.match(doc_id):
            found.error(DOCUMENTS, line, f"id {doc_id!r} may hold only lower-case letters, digits "
                                         "and underscores", "id")
        if doc_id in lines:
            found.error(DOCUMENTS, line, f"duplicate id {doc_id!r} (first on line "
                                         f"{lines[doc_id]})", "id")
            continue
        _check_date(DOCUMENTS, line, row.get("date", ""), found)
        lines[doc_id] = line
        documents[doc_id] = {k: v for k, v in row.items() if k != "id"}
    return documents


def _add_entities(G: nx.MultiDiGraph, table: Table, schema: Schema, cells: _Cells,
                  found: _Collector) -> dict[str, int]:
    """Add valid entity rows as nodes; return every declared id with its first line."""
    column = {name: index for index, name in enumerate(table.header) if name}
    i_id, i_name, i_type = column["id"], column["name"], column["type"]
    i_aliases, i_description, i_docs, i_date = (
        column.get(c) for c in ("aliases", "description", "documents", "date"))
    extras = [(c, i) for c, i in column.items() if c not in ENTITY_COLUMNS]
    G.graph["entity_columns"] = [c for c in ENTITY_COLUMNS if c in column] + \
        [c for c, _ in extras]
    types = schema.entity_types
    first_line: dict[str, int] = {}
    node, succ, pred = G._node, G._succ, G._pred
    for line, values in table.rows(_sink(found)):
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
        attrs["aliases"] = split_list(values[i_aliases]) if i_aliases is not None else ()
        attrs["description"] = values[i_description] if i_description is not None else ""
        attrs["documents"] = docs
        attrs["date"] = date
        for extra, index in extras:
            attrs[extra] = values[index]
        node[entity_id] = attrs  # as add_node would, without copying the dict
        succ[entity_id] = {}
        pred[entity_id] = {}
    return first_line


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


def _entity_row_ok(line: int, entity_id: str, name: str, type_id: str, types: Mapping,
                   first_line: dict[str, int], found: _Collector) -> bool:
    ok = True
    if not entity_id:
        found.error(ENTITIES, line, "empty id", "id")
        ok = False
    elif not ID_PATTERN.match(entity_id):
        found.error(ENTITIES, line, f"id {entity_id!r} may hold only lower-case letters, "
                                    "digits and underscores", "id")
        ok = False
    elif entity_id in first_line:
        found.error(ENTITIES, line, f"duplicate id {entity_id!r} (first on line "
                                    f"{first_line[entity_id]})", "id")
        ok = False
    if not name:
        found.error(ENTITIES, line, f"empty name for {entity_id or 'this row'!s}", "name")
        ok = False
    if not type_id:
        found.error(ENTITIES, line, "empty type", "type")
        ok = False
    elif type_id not in types:
        found.error(ENTITIES, line, f"unknown type {type_id!r}; allowed: {', '.join(types)} "
                                    "(or declare it in types.csv)", "type")
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

        def make(values: list[str], relation: str, documents: tuple[str, ...],
                 date: str) -> dict:
            row = vars(new_holder())
            row["relation"] = relation
            row["evidence"] = values[evidence] if evidence is not None else ""
            row["documents"] = documents
            row["date"] = date
            for name, index in extras:
                row[name] = values[index]
            return row
        return make


def _add_relations(G: nx.MultiDiGraph, table: Table, declared: Mapping[str, int],
                   cells: _Cells, found: _Collector) -> None:
    columns = _RelationColumns(table.header)
    G.graph["relation_columns"] = columns.names
    i_src, i_tgt, i_rel, i_docs, i_date = (columns.source, columns.target, columns.relation,
                                           columns.documents, columns.date)
    # Edges reuse the nodes' own id strings: a copy per edge end cost ~110 bytes an edge.
    canonical = {node: node for node in G._node}
    relations: dict[str, str] = {}  # valid relation names, interned
    fingerprints = array("q")  # one hash per edge; duplicate rows are confirmed afterwards
    # Edges go straight into the adjacency dicts, as MultiDiGraph.add_edge would put them
    # (one key dict shared by _succ[u][v] and _pred[v][u]); add_edges_from costs 3x more here.
    succ, pred = G._succ, G._pred
    attributes = columns.attribute_maker()
    for line, values in table.rows(_sink(found)):
        source, target = canonical.get(values[i_src]), canonical.get(values[i_tgt])
        relation = relations.get(values[i_rel])
        if source is None or target is None or relation is None:
            relation = _checked_relation(line, values[i_src], values[i_tgt], values[i_rel],
                                         declared, relations, found)
            ok = source is not None and target is not None and relation is not None
        else:
            ok = True
        docs = cells.document_ids(RELATIONS, line, values[i_docs]) if i_docs is not None else ()
        date = cells.date(RELATIONS, line, values[i_date]) if i_date is not None else ""
        if not ok or docs is None or date is None:
            continue
        if source is target:
            found.warn(RELATIONS, line, f"self-loop: {source} {relation} itself")
        row = attributes(values, relation, docs, date)
        fingerprints.append(hash((source, target, *row.values())))
        keyed = succ[source].get(target)
        if keyed is None:
            keyed = succ[source][target] = pred[target][source] = {}
        keyed[len(keyed)] = row
    if not found.errors:
        _warn_duplicate_rows(table, columns, fingerprints, found)


def _warn_duplicate_rows(table: Table, columns: _RelationColumns, fingerprints: array,
                         found: _Collector) -> None:
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
        source, target, relation = (values[i] for i in (columns.source, columns.target,
                                                        columns.relation))
        row = attributes(
            values, relation,
            split_list(values[columns.documents]) if columns.documents is not None else (),
            values[columns.date] if columns.date is not None else "")
        key = (source, target, *row.values())  # as fingerprinted in _add_relations
        if hash(key) not in repeated:
            continue
        first = first_line.setdefault(key, line)
        if first != line:
            found.warn(RELATIONS, line, f"duplicate relation row {source} {relation} {target} "
                                        f"(same as line {first})")


def _checked_relation(line: int, source: str, target: str, relation: str, nodes: Mapping,
                      relations: dict[str, str], found: _Collector) -> str | None:
    """The relation name (interned) if the row's relation is valid; report what is wrong."""
    if not _relation_row_ok(line, source, target, relation, nodes, found):
        return relations.get(relation)
    return relations.setdefault(relation, sys.intern(relation))


def _relation_row_ok(line: int, source: str, target: str, relation: str, nodes: Mapping,
                     found: _Collector) -> bool:
    ok = True
    for column, value in (("source", source), ("target", target)):
        if not value:
            found.error(RELATIONS, line, f"empty {column}", column)
            ok = False
        elif value not in nodes:
            found.error(RELATIONS, line, f"{column} {value!r} is not an entity in entities.csv "
                                         "(dangling relation)", column)
            ok = False
    if not relation:
        found.error(RELATIONS, line, "empty relation", "relation")
        ok = False
    elif not RELATION_PATTERN.match(relation):
        found.error(RELATIONS, line, f"relation {relation!r} must be a snake_case verb phrase "
                                     "(e.g. led, is_part_of)", "relation")
        ok = False
    return ok


def _warn_isolated(G: nx.MultiDiGraph, lines: Mapping[str, int], found: _Collector) -> None:
    for node in G.nodes:
        if not G._succ[node] and not G._pred[node]:  # G.degree() is far slower at 100k nodes
            found.warn(ENTITIES, lines.get(node), f"entity {node!r} has no relation (isolated)")
