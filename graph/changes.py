"""Change sets: the one way to change a dataset, shared by the CLI and the app.

A change set is JSON: ``{"base": VERSION?, "message": "...", "changes": [OP, ...]}``. Each op
is an object with an ``op`` name and its fields:

==================  =========================================================================
``add_entity``      ``entity``: the row (``id``, ``name``, ``type``, any other column)
``update_entity``   ``id``, ``set``: columns to change (not ``id``: use ``merge_entities``)
``delete_entity``   ``id``; refused while relations use it, unless ``"cascade": true``
``merge_entities``  ``keep``, ``merge``: ids whose relations move to ``keep``; their names and
                    aliases become its aliases, their documents its documents
``add_relation``    ``relation``: the row (``source``, ``target``, ``relation``, ...)
``update_relation`` ``id`` (the relation's ``id`` column) or ``match`` (``source``,
                    ``relation``, ``target`` naming one row), ``set``
``delete_relation`` ``id`` or ``match``
``add_citation``    ``relation`` (an id), ``document``, ``quote``, optional ``locator``
``add_document``    ``document``: the row (``id``, ``title``, ...); optional ``text``: the
                    document's text, kept as ``sources/<source_file>`` on apply
                    (``source_file`` defaults to ``<id>.txt``)
``add_tour``        ``tour``: ``id``, ``title``, ``summary``, ``steps``
``update_tour``     ``id``, ``set``: ``title`` / ``summary``
``delete_tour``     ``id``
``set_steps``       ``id``, ``steps``: the tour's new list of steps
==================  =========================================================================

Lists (``aliases``, ``documents``) may be given as JSON lists. Keys a change set or a change
does not use are ignored: ``python -m graph ingest`` writes a ``confidence`` and a ``reason``
with each change and the entities a document ``mentions`` beside the changes, for review.
:func:`apply_changes` works on the files in memory and validates the result exactly as
``python -m graph validate`` does
(:func:`graph.load.load_graph`, then the tours against the graph); :func:`apply` then saves it
through :mod:`graph.store` (atomic, versioned, undoable). Files a change set does not touch
keep their bytes.

Examples
--------
>>> files = {"entities.csv": b"id,name,type\\na,A,ngo\\nb,B,law\\n",
...          "relations.csv": b"source,target,relation\\na,b,advocated_for\\n"}
>>> changes = parse_change_set('{"message": "C", "changes": ['
...     '{"op": "add_entity", "entity": {"id": "c", "name": "C", "type": "tool"}},'
...     '{"op": "add_relation",'
...     ' "relation": {"source": "b", "target": "c", "relation": "concerns"}}]}')
>>> result = apply_changes(files, changes)
>>> result.files["entities.csv"].decode().splitlines()[-1], result.summary
('c,C,tool', {'add_entity': 1, 'add_relation': 1})
>>> apply_changes(files, parse_change_set('{"changes": [{"op": "delete_entity", "id": "a"}]}'))
Traceback (most recent call last):
...
graph.changes.ChangeError: change 1 (delete_entity): 'a' is used by 1 relation; give "cascade"...
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from . import store
from .errors import DataError, GraphError
from .evidence import SOURCES_FOLDER, read_texts
from .load import DOCUMENTS, ENTITIES, LIST_SEPARATOR, RELATIONS, load_graph
from .tours import TourError, parse_tours

CITATIONS = "citations.csv"
TOUR_FILES = ("tours.yaml", "tours.yml", "tours.json", "tours.toml")
CITATION_COLUMNS = ["relation", "document", "quote", "locator"]
MAX_CHANGES = 100_000


class ChangeError(GraphError):
    """A change set that cannot be applied; ``problems`` names each change's index and field."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class ChangeSet:
    """A parsed change set."""

    changes: list[dict[str, Any]]
    message: str = ""
    base: str | None = None


def parse_change_set(text: str | bytes) -> ChangeSet:
    """Read a change set from JSON text; raise :class:`ChangeError` naming what is wrong."""
    try:
        raw = json.loads(text)
    except (ValueError, RecursionError) as err:
        raise ChangeError([f"the change set is not valid JSON ({str(err)[:200]})"]) from None
    if not isinstance(raw, dict) or not isinstance(raw.get("changes"), list):
        raise ChangeError(['a change set is an object with a "changes" list'])
    problems = []
    base, message = raw.get("base"), raw.get("message", "")
    if base is not None and not isinstance(base, str):
        problems.append('"base" must be a version string, e.g. from `stats --json`')
    if not isinstance(message, str):
        problems.append('"message" must be text')
    if len(raw["changes"]) > MAX_CHANGES:
        problems.append(f"a change set holds at most {MAX_CHANGES:,} changes")
    for index, change in enumerate(raw["changes"], 1):
        if not isinstance(change, dict) or change.get("op") not in OPS:
            problems.append(f'change {index}: "op" must be one of {", ".join(OPS)}')
    if problems:
        raise ChangeError(problems)
    return ChangeSet(raw["changes"], message or "", base)


# --- the files as tables ----------------------------------------------------------------------


@dataclass
class Table:
    """One CSV file as its columns and rows (every value text); remembers how it was written."""

    columns: list[str]
    rows: list[dict[str, str]]
    newline: str = "\n"
    bom: bool = False
    changed: bool = False
    written_by: dict[int, int] = field(default_factory=dict)  # id(row) -> change index

    @classmethod
    def parse(cls, data: bytes | None, columns: list[str]) -> Table:
        if data is None:
            return cls(list(columns), [], changed=True)
        bom = data.startswith(b"\xef\xbb\xbf")
        text = data.decode("utf-8-sig")
        reader = csv.reader(io.StringIO(text, newline=""))
        header = [c.strip() for c in next(reader, [])]
        # Cells keep their bytes (the loader trims them when it reads the file again).
        rows = [dict(zip(header, row, strict=False)) for row in reader if any(row)]
        return cls(header, rows, "\r\n" if "\r\n" in text[:4096] else "\n", bom)

    def add_column(self, name: str) -> None:
        if name not in self.columns:
            self.columns.append(name)

    def render(self) -> bytes:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator=self.newline)
        writer.writerow(self.columns)
        writer.writerows([row.get(c, "") for c in self.columns] for row in self.rows)
        return (b"\xef\xbb\xbf" if self.bom else b"") + out.getvalue().encode("utf-8")

    def render_lines(self) -> tuple[bytes, dict[int, dict[str, str]]]:
        """The file's bytes, and the row that starts on each line (lines count from 1)."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator=self.newline)
        writer.writerow(self.columns)
        starts = {}
        line = out.getvalue().count("\n") + 1
        for row in self.rows:
            starts[line] = row
            before = out.tell()
            writer.writerow([row.get(c, "") for c in self.columns])
            out.seek(before)
            line += out.read().count("\n")
        data = (b"\xef\xbb\xbf" if self.bom else b"") + out.getvalue().encode("utf-8")
        return data, starts


def _cell(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return LIST_SEPARATOR.join(str(v) for v in value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@dataclass
class _Workspace:
    """The dataset being changed: its tables, its tour document, and the problems found."""

    files: Mapping[str, bytes]
    tables: dict[str, Table] = field(default_factory=dict)
    tours: dict[str, Any] | None = None
    tour_file: str | None = None
    problems: list[str] = field(default_factory=list)
    change: int = 0  # the index of the change being applied

    def table(self, name: str, columns: list[str]) -> Table:
        if name not in self.tables:
            self.tables[name] = Table.parse(self.files.get(name), columns)
        return self.tables[name]

    @property
    def entities(self) -> Table:
        return self.table(ENTITIES, ["id", "name", "type"])

    @property
    def relations(self) -> Table:
        return self.table(RELATIONS, ["source", "target", "relation"])

    def tour_document(self, where: str) -> dict[str, Any] | None:
        if self.tours is None:
            name = next((n for n in TOUR_FILES if n in self.files), None)
            if name == "tours.toml":
                self.problems.append(
                    f"{where}: tour changes need a YAML or JSON tour file; "
                    "this dataset's is tours.toml"
                )
                return None
            self.tour_file = name or "tours.yaml"
            text = self.files[name].decode("utf-8") if name else "tours: []\n"
            self.tours = yaml.safe_load(text) or {"tours": []}
            if not isinstance(self.tours.get("tours"), list):
                self.tours = {"tours": []}
        return self.tours


# --- the operations ---------------------------------------------------------------------------

Op = Callable[[_Workspace, dict[str, Any], str], None]


def _text_field(change: dict[str, Any], key: str, where: str, ws: _Workspace) -> str | None:
    value = change.get(key)
    if not isinstance(value, str) or not value.strip():
        ws.problems.append(f'{where}: "{key}" must be non-empty text')
        return None
    return value.strip()


def _row_field(
    change: dict[str, Any], key: str, where: str, ws: _Workspace
) -> dict[str, str] | None:
    value = change.get(key)
    if not isinstance(value, dict) or not value:
        ws.problems.append(f'{where}: "{key}" must be an object of columns')
        return None
    return {str(k).strip(): _cell(v).strip() for k, v in value.items()}


def _find(table: Table, column: str, value: str) -> dict[str, str] | None:
    return next((row for row in table.rows if row.get(column) == value), None)


def _set_fields(ws: _Workspace, table: Table, row: dict[str, str], values: dict[str, str]) -> None:
    for column, value in values.items():
        table.add_column(column)
        row[column] = value
    table.changed = True
    table.written_by[id(row)] = ws.change


def add_entity(ws: _Workspace, change: dict[str, Any], where: str) -> None:
    row = _row_field(change, "entity", where, ws)
    if row is None:
        return
    if _find(ws.entities, "id", row.get("id", "")) is not None:
        ws.problems.append(f"{where}: entity.id {row['id']!r} is already an entity")
        return
    ws.entities.rows.append({})
    _set_fields(ws, ws.entities, ws.entities.rows[-1], row)


def update_entity(ws: _Workspace, change: dict[str, Any], where: str) -> None:
    entity_id, values = _text_field(change, "id", where, ws), _row_field(change, "set", where, ws)
    if entity_id is None or values is None:
        return
    row = _find(ws.entities, "id", entity_id)
    if row is None:
        ws.problems.append(f"{where}: id: no entity {entity_id!r}")
    elif "id" in values and values["id"] != entity_id:
        ws.problems.append(f"{where}: set.id: an id cannot change (merge_entities moves relations)")
    else:
        _set_fields(ws, ws.entities, row, values)


def _uses(ws: _Workspace, entity_id: str) -> list[dict[str, str]]:
    return [r for r in ws.relations.rows if entity_id in (r.get("source"), r.get("target"))]


def _drop_relations(ws: _Workspace, doomed: list[dict[str, str]]) -> None:
    ids = {r.get("id") for r in doomed if r.get("id")}
    ws.relations.rows = [r for r in ws.relations.rows if not any(r is d for d in doomed)]
    ws.relations.changed = True
    if ids and CITATIONS in ws.files:
        citations = ws.table(CITATIONS, CITATION_COLUMNS)
        citations.rows = [c for c in citations.rows if c.get("relation") not in ids]
        citations.changed = True


def delete_entity(ws: _Workspace, change: dict[str, Any], where: str) -> None:
    entity_id = _text_field(change, "id", where, ws)
    if entity_id is None:
        return
    if _find(ws.entities, "id", entity_id) is None:
        ws.problems.append(f"{where}: id: no entity {entity_id!r}")
        return
    used = _uses(ws, entity_id)
    if used and change.get("cascade") is not True:
        count = f"{len(used)} relation{'s' if len(used) != 1 else ''}"
        ws.problems.append(
            f'{where}: {entity_id!r} is used by {count}; give "cascade": true to delete them too'
        )
        return
    _drop_relations(ws, used)
    ws.entities.rows = [r for r in ws.entities.rows if r.get("id") != entity_id]
    ws.entities.changed = True


def _joined(*lists: str) -> str:
    items = [x.strip() for text in lists for x in text.split(LIST_SEPARATOR) if x.strip()]
    return LIST_SEPARATOR.join(dict.fromkeys(items))


def merge_entities(ws: _Workspace, change: dict[str, Any], where: str) -> None:
    keep_id, merged = _text_field(change, "keep", where, ws), change.get("merge")
    if not isinstance(merged, list) or not merged or not all(isinstance(m, str) for m in merged):
        ws.problems.append(f'{where}: "merge" must be a list of entity ids')
        return
    keep = _find(ws.entities, "id", keep_id or "")
    if keep_id is None or keep is None:
        ws.problems.append(f"{where}: keep: no entity {keep_id!r}")
        return
    for other_id in merged:
        other = _find(ws.entities, "id", other_id)
        if other is None or other_id == keep_id:
            ws.problems.append(f"{where}: merge: {other_id!r} is not another entity")
            continue
        ws.entities.add_column("aliases")
        aliases = [other.get("name", ""), other.get("aliases", "")]
        keep["aliases"] = _joined(keep.get("aliases", ""), *aliases)
        if "documents" in ws.entities.columns:
            keep["documents"] = _joined(keep.get("documents", ""), other.get("documents", ""))
        for relation in _uses(ws, other_id):
            for end in ("source", "target"):
                if relation.get(end) == other_id:
                    relation[end] = keep_id
        ws.entities.rows = [r for r in ws.entities.rows if r is not other]
        _rename_in_tours(ws, other_id, keep_id)
    ws.entities.changed = ws.relations.changed = True


def _rename_in_tours(ws: _Workspace, old: str, new: str) -> None:
    if not any(n in ws.files for n in TOUR_FILES) or "tours.toml" in ws.files:
        return
    document = ws.tour_document("merge")
    text = json.dumps(document)
    renamed = json.loads(text.replace(json.dumps(old), json.dumps(new)))
    ws.tours = renamed


def _relation_row(ws: _Workspace, change: dict[str, Any], where: str) -> dict[str, str] | None:
    if "id" in change:
        relation_id = _text_field(change, "id", where, ws)
        row = _find(ws.relations, "id", relation_id) if relation_id else None
        if relation_id and row is None:
            ws.problems.append(f"{where}: id: no relation {relation_id!r}")
        return row
    match = change.get("match")
    if not isinstance(match, dict):
        ws.problems.append(
            f'{where}: name the relation by "id" or by "match" (source, relation, target)'
        )
        return None
    wanted = {k: _cell(v) for k, v in match.items()}
    found = [r for r in ws.relations.rows if all(r.get(k) == v for k, v in wanted.items())]
    if len(found) != 1:
        ws.problems.append(f"{where}: match: {len(found)} relations match {wanted}, not one")
        return None
    return found[0]


def add_relation(ws: _Workspace, change: dict[str, Any], where: str) -> None:
    row = _row_field(change, "relation", where, ws)
    if row is None:
        return
    if row.get("id") and _find(ws.relations, "id", row["id"]) is not None:
        ws.problems.append(f"{where}: relation.id {row['id']!r} is already a relation")
        return
    ws.relations.rows.append({})
    _set_fields(ws, ws.relations, ws.relations.rows[-1], row)


def update_relation(ws: _Workspace, change: dict[str, Any], where: str) -> None:
    row, values = _relation_row(ws, change, where), _row_field(change, "set", where, ws)
    if row is not None and values is not None:
        _set_fields(ws, ws.relations, row, values)


def delete_relation(ws: _Workspace, change: dict[str, Any], where: str) -> None:
    row = _relation_row(ws, change, where)
    if row is not None:
        _drop_relations(ws, [row])


def add_citation(ws: _Workspace, change: dict[str, Any], where: str) -> None:
    values = {k: _text_field(change, k, where, ws) for k in ("relation", "document", "quote")}
    if None in values.values():
        return
    if _find(ws.relations, "id", values["relation"] or "") is None:
        ws.problems.append(f"{where}: relation: no relation with id {values['relation']!r}")
        return
    citations = ws.table(CITATIONS, CITATION_COLUMNS)
    row = {k: v or "" for k, v in values.items()}
    if change.get("locator"):
        row["locator"] = _cell(change["locator"])
    citations.rows.append({})
    _set_fields(ws, citations, citations.rows[-1], row)


def add_document(ws: _Workspace, change: dict[str, Any], where: str) -> None:
    row = _row_field(change, "document", where, ws)
    if row is None:
        return
    documents = ws.table(DOCUMENTS, ["id", "title"])
    if _find(documents, "id", row.get("id", "")) is not None:
        ws.problems.append(f"{where}: document.id {row['id']!r} is already a document")
        return
    if "text" in change:
        text = change["text"]
        if not isinstance(text, str) or not text.strip():
            ws.problems.append(f'{where}: "text" must be the document\'s text')
            return
        row.setdefault("source_file", f"{row.get('id', '')}.txt")
        name = row["source_file"]
        if not name or Path(name).name != name or name.startswith("."):
            ws.problems.append(f"{where}: document.source_file {name!r} must be a plain file name")
            return
    documents.rows.append({})
    _set_fields(ws, documents, documents.rows[-1], row)


def _tour(ws: _Workspace, change: dict[str, Any], where: str) -> dict[str, Any] | None:
    tour_id = _text_field(change, "id", where, ws)
    document = ws.tour_document(where)
    if tour_id is None or document is None:
        return None
    found = next(
        (t for t in document["tours"] if isinstance(t, dict) and t.get("id") == tour_id), None
    )
    if found is None:
        ws.problems.append(f"{where}: id: no tour {tour_id!r}")
    return found


def add_tour(ws: _Workspace, change: dict[str, Any], where: str) -> None:
    tour, document = change.get("tour"), ws.tour_document(where)
    if not isinstance(tour, dict):
        ws.problems.append(f'{where}: "tour" must be an object (id, title, summary, steps)')
    elif document is not None:
        if any(t.get("id") == tour.get("id") for t in document["tours"] if isinstance(t, dict)):
            ws.problems.append(f"{where}: tour.id {tour.get('id')!r} is already a tour")
        else:
            document["tours"].append(tour)


def update_tour(ws: _Workspace, change: dict[str, Any], where: str) -> None:
    tour, values = _tour(ws, change, where), change.get("set")
    if tour is None:
        return
    if not isinstance(values, dict) or not set(values) <= {"title", "summary"} or not values:
        ws.problems.append(f'{where}: "set" changes a tour\'s title and summary')
        return
    tour.update(values)


def delete_tour(ws: _Workspace, change: dict[str, Any], where: str) -> None:
    tour = _tour(ws, change, where)
    if tour is not None and ws.tours is not None:
        ws.tours["tours"] = [t for t in ws.tours["tours"] if t is not tour]


def set_steps(ws: _Workspace, change: dict[str, Any], where: str) -> None:
    tour, steps = _tour(ws, change, where), change.get("steps")
    if tour is None:
        return
    if not isinstance(steps, list):
        ws.problems.append(f'{where}: "steps" must be a list of steps')
        return
    tour["steps"] = steps


OPS: dict[str, Op] = {
    "add_entity": add_entity,
    "update_entity": update_entity,
    "delete_entity": delete_entity,
    "merge_entities": merge_entities,
    "add_relation": add_relation,
    "update_relation": update_relation,
    "delete_relation": delete_relation,
    "add_citation": add_citation,
    "add_document": add_document,
    "add_tour": add_tour,
    "update_tour": update_tour,
    "delete_tour": delete_tour,
    "set_steps": set_steps,
}


# --- applying ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    """What a change set did: the files after it (all of them), the ones it changed, counts."""

    files: dict[str, bytes]
    changed: tuple[str, ...]
    summary: dict[str, int]
    warnings: tuple[str, ...] = ()
    quotes: tuple[tuple[str, str, str], ...] = ()
    """For each citation added: (relation, document, "verified" or "unverified")."""


def apply_changes(
    files: Mapping[str, bytes], change_set: ChangeSet, *, sources: str | Path | None = None
) -> Result:
    """Apply ``change_set`` to dataset files in memory and validate the result as ``validate``
    does; raise :class:`ChangeError` with every problem (the change's index and field, or the
    loader's ``FILE:LINE`` problems with the change that wrote that line).

    ``sources``: the folder of the documents' texts (``sources/`` of a dataset). A citation's
    quote is checked against its document's text there, verbatim (quote marks and whitespace
    folded): a quote the text does not hold is a problem; a document whose text is not there
    leaves the citation "unverified".
    """
    ws = _Workspace(files)
    for index, change in enumerate(change_set.changes, 1):
        ws.change = index
        OPS[change["op"]](ws, change, f"change {index} ({change['op']})")
    if ws.problems:
        raise ChangeError(ws.problems)
    new_files = dict(files)
    for name, table in ws.tables.items():
        if table.changed:
            new_files[name] = table.render()
    if ws.tours is not None and ws.tour_file is not None:
        new_files[ws.tour_file] = _render_tours(ws.tours, ws.tour_file)
    changed = tuple(sorted(n for n in new_files if new_files[n] != files.get(n)))
    warnings = _validate(new_files, ws, change_set)
    quotes = _check_quotes(ws, change_set, sources)
    summary = dict(Counter(c["op"] for c in change_set.changes))
    return Result(new_files, changed, summary, warnings, quotes)


def _check_quotes(
    ws: _Workspace, change_set: ChangeSet, sources: str | Path | None
) -> tuple[tuple[str, str, str], ...]:
    cited = [(i, c) for i, c in enumerate(change_set.changes, 1) if c["op"] == "add_citation"]
    if not cited:
        return ()
    documents = {row.get("id", ""): row for row in ws.table(DOCUMENTS, ["id", "title"]).rows}
    texts = read_texts(sources, documents)[0] if sources and Path(sources).is_dir() else {}
    found, problems = [], []
    for index, change in cited:
        relation, document, quote = change["relation"], change["document"], change["quote"]
        text = texts.get(document)
        if text is not None and quote not in text:
            problems.append(
                f"change {index} (add_citation): quote: not found verbatim in the "
                f"text of {document!r}"
            )
        found.append((relation, document, "unverified" if text is None else "verified"))
    if problems:
        raise ChangeError(problems)
    return tuple(found)


def _authors(ws: _Workspace) -> dict[tuple[str, int], int]:
    """(file, line) -> the index of the change that wrote the row starting there."""
    found = {}
    for name, table in ws.tables.items():
        if table.changed:
            for line, row in table.render_lines()[1].items():
                if id(row) in table.written_by:
                    found[(name, line)] = table.written_by[id(row)]
    return found


def _render_tours(document: dict[str, Any], name: str) -> bytes:
    if name.endswith(".json"):
        return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100).encode()


def _validate(files: Mapping[str, bytes], ws: _Workspace, change_set: ChangeSet) -> tuple[str, ...]:
    csv_files = {n: data for n, data in files.items() if n.endswith(".csv")}
    try:
        G = load_graph(csv_files, name="change set")
    except DataError as error:
        authors = _authors(ws)
        problems = []
        for problem in error.problems:
            index = authors.get((problem.file, problem.line or 0))
            where = f"change {index} ({change_set.changes[index - 1]['op']}): " if index else ""
            problems.append(f"{where}the result does not validate: {problem}")
        raise ChangeError(problems) from None
    tour_file = next((n for n in TOUR_FILES if n in files), None)
    if tour_file is not None:
        try:
            parse_tours(
                files[tour_file].decode("utf-8"),
                G,
                source=tour_file,
                syntax="toml" if tour_file.endswith(".toml") else "yaml",
            )
        except TourError as error:
            raise ChangeError(
                [f"the result does not validate: {p}" for p in str(error).splitlines()]
            ) from None
    return tuple(str(w) for w in G.graph.get("warnings", ()))


def apply(
    folder: str | Path, change_set: ChangeSet, *, dry_run: bool = False
) -> tuple[Result, store.Entry | None]:
    """Apply ``change_set`` to the dataset in ``folder``: validated first, then saved atomically
    and recorded in its history (nothing is written with ``dry_run``, or on any problem)."""
    folder = Path(folder)
    store.recover(folder)
    current = store.read_files(folder)
    if change_set.base is not None and change_set.base != store.version_of(current):
        raise store.StaleDataset(
            f"{folder}: the dataset changed since you loaded it (version {change_set.base}, now "
            f"{store.version_of(current)}); nothing was written"
        )
    result = apply_changes(current, change_set, sources=folder / SOURCES_FOLDER)
    texts = _document_texts(folder, change_set)
    if dry_run or not result.changed:
        return result, None
    written = _keep_texts(texts)
    try:
        entry = store.save(
            folder,
            {n: result.files[n] for n in result.changed},
            base=store.version_of(current),
            message=change_set.message or _default_message(result),
        )
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    return result, entry


def _document_texts(folder: Path, change_set: ChangeSet) -> dict[Path, str]:
    """The texts ``add_document`` changes bring, by where they go under ``sources/``; a text
    already there must be the same."""
    texts, problems = {}, []
    for index, change in enumerate(change_set.changes, 1):
        if change["op"] != "add_document" or "text" not in change:
            continue
        row = change["document"]
        name = str(row.get("source_file") or f"{str(row.get('id', '')).strip()}.txt").strip()
        path = folder / SOURCES_FOLDER / name
        try:
            existing = path.read_text(encoding="utf-8-sig") if path.is_file() else None
        except (OSError, UnicodeDecodeError) as err:
            problems.append(f"change {index} (add_document): {path} cannot be read ({err})")
            continue
        if existing is not None and existing != change["text"]:
            problems.append(
                f"change {index} (add_document): {SOURCES_FOLDER}/{name} already holds another "
                "text; give the document another source_file"
            )
        elif existing is None:
            texts[path] = change["text"]
    if problems:
        raise ChangeError(problems)
    return texts


def _keep_texts(texts: Mapping[Path, str]) -> list[Path]:
    """Write each new document text (under a temporary name, then renamed); the paths written."""
    written = []
    try:
        for path, text in texts.items():
            path.parent.mkdir(exist_ok=True)
            staged = path.with_name(f".{path.name}.new")
            staged.write_text(text, encoding="utf-8", newline="")
            staged.replace(path)
            written.append(path)
    except OSError as err:
        for path in written:
            path.unlink(missing_ok=True)
        raise store.StoreError(f"{path}: the document's text cannot be written ({err})") from None
    return written


def _default_message(result: Result) -> str:
    return ", ".join(f"{count} × {op}" for op, count in result.summary.items())
