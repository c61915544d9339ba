"""Provenance of relations: citations, corroboration, modality and the types a relation joins.

A relation row names the documents it rests on (``documents``) and a quote standing in each of
them (``evidence``). A claim several documents make in different words gets a quote per
document in the optional ``citations.csv`` (``relation``, ``document``, ``quote``, optional
``locator``), keyed by the relation's optional ``id``. A relation's **corroboration** is the
number of distinct documents behind it: its documents and its citations' documents. Its
**modality** says how the documents word it (:data:`graph.schema.MODALITIES`).

:func:`check` runs after the loader has built the graph: it reports, as ``FILE:LINE`` problems,
relation ids that are malformed or repeated, modalities that are not known, relations joining
entity types their declaration does not allow (undeclared relations get one warning: not
checked), and citations naming an unknown relation or document or repeating a document; then
it attaches each relation's citations (edge attribute ``citations``) and corroboration (edge
attribute ``corroboration``), and, where the dataset's texts are at hand, checks every quote
(:mod:`graph.evidence`).

Examples
--------
>>> from graph.load import load_graph
>>> G = load_graph({
...     "entities.csv": "id,name,type\\nact,EARN IT Act,law\\nbody,Commission,agency\\n",
...     "relations.csv": "id,source,target,relation,modality,evidence,documents\\n"
...                      "r1,act,body,establishes,proposed,create a commission,d1\\n",
...     "documents.csv": "id,title\\nd1,Op-ed\\nd2,Article\\n",
...     "citations.csv": "relation,document,quote\\nr1,d2,would set up a commission\\n",
... })
>>> data = G.edges["act", "body", 0]
>>> data["corroboration"], [c.document for c in data["citations"]], modality(data)
(2, ['d2'], 'proposed')
>>> [(doc, quote) for doc, quote, _ in quotes(data)]
[('d1', 'create a commission'), ('d2', 'would set up a commission')]
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import networkx as nx

from . import evidence
from .csvfile import Table
from .errors import Collector
from .schema import ANY_TYPE, MODALITIES, RelationType, Schema, modality_of

RELATIONS, CITATIONS, DOCUMENTS = "relations.csv", "citations.csv", "documents.csv"
CITATION_COLUMNS = ("relation", "document", "quote", "locator")
CITATION_REQUIRED = ("relation", "document", "quote")
RELATION_ID_PATTERN_TEXT = "lower-case letters, digits and underscores"


@dataclass(frozen=True)
class Citation:
    """One more document behind a relation, with the quote it says it in."""

    document: str
    quote: str
    locator: str = ""

    def as_dict(self) -> dict[str, str]:
        """The citation as plain text fields (for JSON and exports)."""
        return asdict(self)


# --- reading a relation's provenance ---------------------------------------------------------


def modality(data: Mapping[str, Any]) -> str:
    """A relation's modality (``stated`` when its row gives none).

    >>> modality({"modality": "hedged"}), modality({})
    ('hedged', 'stated')
    """
    return modality_of(data.get("modality"))


def citations_of(data: Mapping[str, Any]) -> tuple[Citation, ...]:
    """A relation's citations from ``citations.csv`` (none for most relations)."""
    found = data.get("citations") or ()
    return tuple(c for c in found if isinstance(c, Citation))


def sources(data: Mapping[str, Any]) -> list[str]:
    """The distinct documents behind a relation: its own, then its citations', in order.

    >>> sources({"documents": ("a", "b", "a"), "citations": (Citation("c", "q"),)})
    ['a', 'b', 'c']
    """
    documents = data.get("documents") or ()
    if isinstance(documents, str):
        documents = (documents,)
    ordered = dict.fromkeys(str(d) for d in documents)
    ordered.update(dict.fromkeys(c.document for c in citations_of(data)))
    return list(ordered)


def corroboration(data: Mapping[str, Any]) -> int:
    """How many distinct documents a relation rests on (its documents and its citations').

    The loader stores it on every edge (``corroboration``); graphs built otherwise get it
    counted here.

    >>> corroboration({"documents": ("a", "b")}), corroboration({"corroboration": 3})
    (2, 3)
    """
    stored = data.get("corroboration")
    return stored if isinstance(stored, int) else len(sources(data))


def quotes(data: Mapping[str, Any]) -> Iterator[tuple[str, str, str]]:
    """Every ``(document, quote, locator)`` a relation rests on: its evidence in each of its
    documents, then each citation."""
    evidence = str(data.get("evidence") or "")
    documents = data.get("documents") or ()
    if evidence:
        for doc in dict.fromkeys(documents):
            yield str(doc), evidence, ""
    for citation in citations_of(data):
        yield citation.document, citation.quote, citation.locator


# --- checking and attaching, after the loader built the graph --------------------------------


@dataclass
class _Row:
    """What the checks need of one relations.csv row."""

    line: int
    source: str
    target: str
    relation: str
    evidence: str
    documents: tuple[str, ...]
    id: str
    modality: str


def check(
    G: nx.MultiDiGraph,
    relations: Table | None,
    citation_table: Table | None,
    found: Collector,
    *,
    sources: str | Path | None = None,
) -> None:
    """Check and attach relations' provenance in ``G`` (just built from ``relations``).

    ``sources`` (a folder of the documents' texts, by ``source_file``) turns on the verbatim
    check of every quote: each miss is an error naming the row, the document and its file; a
    document whose text is missing is a warning (its quotes are not checked). The tally is
    kept in ``G.graph["evidence"]`` and the folder in ``G.graph["sources"]``.
    """
    schema = G.graph["schema"]
    violations, unchecked = _type_problems(G, schema)
    columns = _columns(relations) if relations is not None else {}
    texts, names = _texts(G, sources, found)
    tally = evidence.Tally()
    if relations is not None and (
        violations or unchecked or texts is not None or ("id" in columns or "modality" in columns)
    ):
        rows = _rows(relations, columns)
        _report_types(rows, schema, G, violations, unchecked, found)
        _check_ids_and_modalities(rows, found)
        if texts is not None:
            evidence.check_rows(RELATIONS, _relation_quotes(rows), texts, names, found, tally)
    edges_by_id: dict[str, tuple] = {}
    if "id" in columns:
        edges_by_id = {
            str(d["id"]): (u, v, k) for u, v, k, d in G.edges(keys=True, data=True) if d.get("id")
        }
    if citation_table is not None:
        cited = _read_citations(citation_table, edges_by_id, G, found, "id" in columns)
        _attach(G, cited, edges_by_id)
        if texts is not None:
            pairs = ((c.line, c.citation.document, c.citation.quote, "quote") for c in cited)
            evidence.check_rows(CITATIONS, pairs, texts, names, found, tally)
    if texts is not None:
        G.graph["evidence"] = asdict(tally)


def _texts(
    G: nx.MultiDiGraph, sources: str | Path | None, found: Collector
) -> tuple[dict[str, evidence.FoldedText] | None, dict[str, str]]:
    if sources is None:
        return None, {}
    texts, names, missing = evidence.read_texts(sources, G.graph.get("documents") or {})
    for sentence in missing:
        found.warn(DOCUMENTS, None, f"{sentence}: its quotes are not checked")
    G.graph["sources"] = str(sources)
    return texts, names


def _columns(table: Table) -> dict[str, int]:
    return {name: index for index, name in enumerate(table.header) if name}


def _rows(table: Table, columns: Mapping[str, int]) -> list[_Row]:
    def cell(values: list[str], name: str) -> str:
        index = columns.get(name)
        return values[index] if index is not None else ""

    from .load import split_list  # the loader imports this module

    return [
        _Row(
            line,
            cell(values, "source"),
            cell(values, "target"),
            cell(values, "relation"),
            cell(values, "evidence"),
            split_list(cell(values, "documents")),
            cell(values, "id"),
            cell(values, "modality"),
        )
        for line, values in table.rows()
    ]


def _relation_quotes(rows: list[_Row]) -> Iterator[tuple[int, str, str, str]]:
    for row in rows:
        if row.evidence:
            for document in dict.fromkeys(row.documents):
                yield row.line, document, row.evidence, "evidence"


def _type_problems(
    G: nx.MultiDiGraph, schema: Schema
) -> tuple[set[tuple[str, str, str]], set[str]]:
    """Relations joining types their declaration forbids, as (relation, source type, target
    type); and relations with no declaration of the types they join. One pass over the edges;
    each (relation, source type, target type) is judged once (nested dicts: no key per edge)."""
    declared = schema.relation_types
    unchecked: set[str] = set()
    bad: set[tuple[str, str, str]] = set()
    types = {node: data.get("type", "") for node, data in G._node.items()}
    verdicts: dict[str, dict[str, dict[str, bool]]] = {}
    for u, neighbours in G._succ.items():
        source_type = types[u]
        by_target = verdicts.setdefault(source_type, {})
        for v, keyed in neighbours.items():
            target_type = types[v]
            known = by_target.get(target_type)
            if known is None:
                known = by_target[target_type] = {}
            for data in keyed.values():
                relation_id = data.get("relation", "")
                if relation_id in known:
                    continue
                relation = declared.get(relation_id)
                if relation is None or (relation.source is None and relation.target is None):
                    unchecked.add(relation_id)
                    known[relation_id] = True
                else:
                    ok = known[relation_id] = relation.allows(source_type, target_type)
                    if not ok:
                        bad.add((relation_id, source_type, target_type))
    return bad, unchecked


def _listed(types: tuple[str, ...] | None) -> str:
    return "any type" if types is None or ANY_TYPE in types else ", ".join(types)


def _violation(declared: RelationType, row: _Row, source_type: str, target_type: str) -> str:
    sides = []
    if not declared.allows(source_type, target_type) and not _fits(declared.source, source_type):
        sides.append(f"its source must be {_listed(declared.source)}")
    if not _fits(declared.target, target_type):
        sides.append(f"its target must be {_listed(declared.target)}")
    return (
        f"relation {row.relation!r} cannot join {row.source} ({source_type}) to {row.target} "
        f"({target_type}): {' and '.join(sides)} (graph/relation_types.toml)"
    )


def _fits(allowed: tuple[str, ...] | None, type_id: str) -> bool:
    return allowed is None or ANY_TYPE in allowed or type_id in allowed


def _report_types(
    rows: list[_Row],
    schema: Schema,
    G: nx.MultiDiGraph,
    violations: set[tuple[str, str, str]],
    unchecked: set[str],
    found: Collector,
) -> None:
    warned: set[str] = set()
    for row in rows:
        if row.source not in G or row.target not in G:
            continue
        source_type, target_type = G.nodes[row.source]["type"], G.nodes[row.target]["type"]
        if (row.relation, source_type, target_type) in violations:
            found.error(
                RELATIONS,
                row.line,
                _violation(schema.relation_types[row.relation], row, source_type, target_type),
                "relation",
            )
        elif row.relation in unchecked and row.relation not in warned:
            warned.add(row.relation)
            found.warn(
                RELATIONS,
                row.line,
                f"relation {row.relation!r} declares no source and target types "
                "(graph/relation_types.toml), so the types it joins are not checked",
                "relation",
            )


def _check_ids_and_modalities(rows: list[_Row], found: Collector) -> None:
    from .load import ID_PATTERN

    first: dict[str, int] = {}
    for row in rows:
        if row.id:
            if not ID_PATTERN.match(row.id):
                found.error(
                    RELATIONS,
                    row.line,
                    f"relation id {row.id!r} may hold only {RELATION_ID_PATTERN_TEXT}",
                    "id",
                )
            elif row.id in first:
                found.error(
                    RELATIONS,
                    row.line,
                    f"duplicate relation id {row.id!r} (first on line {first[row.id]})",
                    "id",
                )
            else:
                first[row.id] = row.line
        if row.modality and row.modality not in MODALITIES:
            found.error(
                RELATIONS,
                row.line,
                f"modality {row.modality!r} is not one of {', '.join(MODALITIES)} "
                "(empty means stated)",
                "modality",
            )


@dataclass(frozen=True)
class CitedRow:
    """One valid row of citations.csv."""

    line: int
    relation: str
    citation: Citation


def _read_citations(
    table: Table,
    edges_by_id: Mapping[str, tuple],
    G: nx.MultiDiGraph,
    found: Collector,
    has_ids: bool,
) -> list[CitedRow]:
    columns = _columns(table)
    missing = [c for c in CITATION_REQUIRED if c not in columns]
    if missing:  # the loader reported the header already
        return []
    known_docs = set(G.graph.get("documents") or ()) or None
    seen: dict[tuple[str, str], int] = {}
    rows = []
    for line, values in table.rows():
        row = {name: values[index] for name, index in columns.items()}
        relation, document, quote = row["relation"], row["document"], row["quote"]
        ok = True
        for name in CITATION_REQUIRED:
            if not row[name]:
                found.error(CITATIONS, line, f"empty {name}", name)
                ok = False
        if not ok:
            continue
        where = edges_by_id.get(relation)
        if where is None:
            hint = "" if has_ids else " (relations.csv has no id column)"
            found.error(
                CITATIONS,
                line,
                f"relation {relation!r} is not the id of a relation in relations.csv{hint}",
                "relation",
            )
            continue
        if known_docs is not None and document not in known_docs:
            found.error(
                CITATIONS,
                line,
                f"unknown document id {document!r} (not in documents.csv)",
                "document",
            )
            continue
        if document in G.edges[where].get("documents", ()):
            found.error(
                CITATIONS,
                line,
                f"relation {relation!r} already cites document {document!r} in relations.csv "
                "(its evidence stands there); a citation adds another document",
                "document",
            )
            continue
        if (relation, document) in seen:
            found.error(
                CITATIONS,
                line,
                f"duplicate citation of document {document!r} for relation {relation!r} "
                f"(first on line {seen[(relation, document)]})",
                "document",
            )
            continue
        seen[(relation, document)] = line
        rows.append(CitedRow(line, relation, Citation(document, quote, row.get("locator", ""))))
    return rows


def _attach(G: nx.MultiDiGraph, cited: list[CitedRow], edges_by_id: Mapping[str, tuple]) -> None:
    by_relation: dict[str, list[Citation]] = {}
    for row in cited:
        by_relation.setdefault(row.relation, []).append(row.citation)
    for relation, found in by_relation.items():
        data = G.edges[edges_by_id[relation]]
        data["citations"] = tuple(found)
        data["corroboration"] = len(sources(data))
