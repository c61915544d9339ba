"""Ingest a new document: propose what it adds to a dataset, each proposal with its sentence.

:func:`ingest` reads a document's text against a loaded graph and returns a change set in the
workbench's format (:mod:`graph.changes`), for a person to review before it is applied:

- ``add_document``: the document's row, with its text (kept under ``sources/`` on apply);
- ``add_entity``: each new entity (:mod:`graph.ingest_entities`), and each finding — a sentence
  with a figure ("40 percent", "nearly half", "1,300") named with the figure as written;
- ``update_entity``: an acronym the text defines for an entity the dataset already has;
- ``add_relation``: two entities of one sentence joined by a verb cue declared with a relation
  type (``cues`` in ``relation_types.toml``), read the other way in the passive ("was led by"),
  ``proposed`` after "would", ``hedged`` after "may", "can", "could" or "might", and only
  between the entity types the relation declares; a finding is ``reported_by`` the entity the
  sentence credits ("according to", "estimates") and ``concerns`` the others;
- ``"mentions"``: the entities the dataset already has that the text names, each with a quote.

Every change carries a ``confidence`` (0-1), a ``reason`` and the ``quote`` it rests on; every
quote and every evidence is a verbatim slice of the text, under 200 characters, holding the
names it joins. The change set is checked with :func:`graph.changes.apply_changes` (the
dataset's declared types and relation types), and proposals that would not validate are
dropped.

Examples
--------
>>> import networkx as nx
>>> from graph.schema import default_schema
>>> G = nx.MultiDiGraph(schema=default_schema(), documents={})
>>> G.add_node("interpol", name="INTERPOL", type="international_org", aliases=())
>>> text = ("INTERPOL led Operation Firewall in 2023. According to INTERPOL, "
...         "40 percent of the servers were seized.")
>>> result = ingest(text, G, document_id="note")
>>> [(c["op"], c.get("entity", {}).get("name")) for c in result["changes"]]
[('add_document', None), ('add_entity', 'Operation Firewall'), ('add_entity', '40 percent'),
 ('add_relation', None), ('add_relation', None)]
>>> [(r["source"], r["relation"], r["target"]) for r in relations(result)]
[('interpol', 'led', 'operation_firewall'), ('f_note_40_percent', 'reported_by', 'interpol')]
>>> result["mentions"][0]["entity"], summary(result)["mentions"]
('interpol', 1)
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import GraphError
from .extract import IngestError
from .ingest_entities import Candidate, Found, Mention, NameIndex, find_entities, known_index
from .ingest_text import Sentence, folded, is_heading, quote_around, slug, vocabulary
from .load import DATE_PATTERN, ID_PATTERN, LIST_SEPARATOR
from .schema import STATED, Schema, default_schema

FINDING = "finding"
GENERIC_CUES = frozenset(
    {"in", "on", "of the", "at the", "against", "alongside", "names", "features"}
)
"""Cues that are prepositions or common words more than verbs: their relations get a low
confidence."""
NEAR_BEFORE, NEAR_AFTER = 100, 80
"""How far (characters) the source may stand before a cue, and the target after it."""

_QUALIFIER = (
    r"(?:(?:nearly|almost|over|more than|less than|fewer than|about|around|roughly|"
    r"approximately|up to|some|at least|an estimated|estimated|only|just)\s+)?"
)
_NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_SCALE = r"(?:\s+(?:million|billion|thousand|trillion))"
_PERCENT = r"(?:\s*%|\s+percent|\s+per\s+cent)"
_FIGURE = re.compile(
    rf"(?<![\w.,$])(?<![A-Za-z]-)(?:"  # not the number of a name: COVID-19, G-7
    rf"\$?{_QUALIFIER}\$?{_NUMBER}{_SCALE}?{_PERCENT}"  # 40 percent, 846%, over 80 percent
    rf"|\$?{_QUALIFIER}\$?{_NUMBER}{_SCALE}"  # 50 million, $1.2 billion
    rf"|{_QUALIFIER}(?:\d+|one|two|three|four|five)\s+in\s+(?:\d+|two|three|four|five|ten)"
    rf"|{_QUALIFIER}(?:half|a third|a quarter|two-thirds|three-quarters|one-third|a fifth)"
    rf"(?:\s+a\s+(?:million|billion))?(?=\s)"  # nearly half, half a million
    rf"|\d{{1,3}}-\d{{1,3}}(?=\s+(?:vote|margin|in\s+the))|\d{{2,3}}-\d{{1,2}}(?=[\s.,])"  # 91-3
    rf"|{_QUALIFIER}{_NUMBER}(?=\s+(?:[a-z][\w-]*\s+){{0,2}}[a-z][\w-]*)"  # 1,300 servers
    rf"|(?:tens of |hundreds of )?(?:thousands|hundreds|millions|billions|dozens)(?=\s+of\b)"
    rf")(?![\w])",
    re.IGNORECASE,
)
_COMPOUND = re.compile(r"(?<=\w)-(led|run|funded|backed|sponsored)\b", re.IGNORECASE)
_COMPOUND_RELATIONS = {
    "led": "led", "run": "runs", "funded": "supported", "backed": "supported",
    "sponsored": "supported",
}  # fmt: skip
_YEAR = re.compile(r"^(?:1[89]|20)\d\d$")
_MONTH = re.compile(
    r"(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?\s+$"
)
_CREDIT_BEFORE = re.compile(
    r"\b(?:according to|as reported by|reported by|estimated by|documented by|found by|"
    r"data from|a study by|research by|a report by|figures from|per)\s+",
    re.IGNORECASE,
)
_CREDIT_VERB = re.compile(
    r"\b(?:estimates|estimated|found|finds|reported|reports|documented|documents|says|said|"
    r"shows|showed|notes|noted|revealed|reveals|recorded|records|counted|identified|mapped|"
    r"states|stated|calculates|calculated|claims|claimed|finding|cites|cited|highlighted|"
    r"highlights|emphasizes|emphasises|emphasized|emphasised)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Meta:
    """The new document's row: its id and what is known of it."""

    id: str
    title: str = ""
    publisher: str = ""
    date: str = ""
    source_file: str = ""


def check_document(G: Any, meta: Meta, name: str = "") -> None:
    """Raise :class:`~graph.extract.IngestError` when the document's id or date cannot be used.

    >>> import networkx as nx
    >>> check_document(nx.MultiDiGraph(documents={"d1": {}}), Meta("d1"))
    Traceback (most recent call last):
    ...
    graph.extract.IngestError: document id 'd1' is already used in the dataset; give another --id
    """
    documents = G.graph.get("documents") or {}
    if not ID_PATTERN.match(meta.id or ""):
        raise IngestError(
            f"document id {meta.id!r} may hold only lower-case letters, digits and underscores"
        )
    if meta.id in documents:
        raise IngestError(
            f"document id {meta.id!r} is already used in the dataset; give another --id"
        )
    if meta.date and not DATE_PATTERN.match(meta.date):
        raise IngestError(f"date {meta.date!r} is not YYYY, YYYY-MM or YYYY-MM-DD")


def ingest(
    text: str,
    G: Any,
    *,
    document_id: str,
    title: str = "",
    publisher: str = "",
    date: str = "",
    source_file: str = "",
    index: NameIndex | None = None,
) -> dict[str, Any]:
    """The change set proposing what ``text`` adds to the dataset ``G`` was loaded from (see
    the module's description). ``index``: a :func:`~graph.ingest_entities.known_index` of
    ``G``, when several documents are read against one graph."""
    meta = Meta(document_id, title, publisher, date, source_file or f"{document_id}.txt")
    check_document(G, meta)
    if not text.strip():
        raise IngestError(f"document {document_id!r}: the text is empty")
    schema: Schema = G.graph.get("schema") or default_schema()
    types = set(schema.entity_types)
    found = find_entities(text, G, types=types, index=index)
    reader = _Reader(text, G, schema, meta, found)
    return reader.change_set()


class _Reader:
    """One document read against one graph: the proposals, in the order they are made."""

    def __init__(self, text: str, G: Any, schema: Schema, meta: Meta, found: Found) -> None:
        self.text, self.ftext, self.G, self.schema, self.meta = text, folded(text), G, schema, meta
        self.found = found
        self.candidates: dict[str, Candidate] = {c.id: c for c in found.candidates}
        self.taken = set(G.nodes) | set(self.candidates)
        self.triples: set[tuple[str, str, str]] = set()  # proposed here
        self.entity_changes: list[dict[str, Any]] = []
        self.finding_changes: list[dict[str, Any]] = []
        self.relation_changes: list[dict[str, Any]] = []
        self.mentions: dict[str, dict[str, Any]] = {}
        self.relation_ids: set[str] = set()  # proposed here; a clash with the data is dropped
        self.with_ids = "id" in (G.graph.get("relation_columns") or ["id"])
        self.cues = _cue_pattern(schema)
        self.known_findings = [(n, d) for n, d in G.nodes(data=True) if d.get("type") == FINDING]

    # -- helpers --------------------------------------------------------------------------

    def type_of(self, entity: str) -> str:
        if entity in self.candidates:
            return self.candidates[entity].type
        if entity in self.G:
            return str(self.G.nodes[entity].get("type", ""))
        return FINDING

    def name_of(self, entity: str) -> str:
        if entity in self.candidates:
            return self.candidates[entity].name
        return str(self.G.nodes[entity].get("name") or entity)

    def _named(self, mention: Mention) -> str:
        """The entity's name, and the pronoun read as it ("UNODC ('It')")."""
        name = self.name_of(mention.entity)
        if mention.coreferent:
            return f"{name} ('{self.text[mention.start : mention.end]}')"
        return name

    def sentence_of(self, at: int) -> Sentence:
        for sentence in self.found.sentences:
            if sentence.start <= at < sentence.end:
                return sentence
        return Sentence(at, at, "")

    # -- the change set -------------------------------------------------------------------

    def change_set(self) -> dict[str, Any]:
        first: dict[str, Mention] = {}
        for mention in self.found.mentions:
            first.setdefault(mention.entity, mention)
        for entity, mention in first.items():
            sentence = self.sentence_of(mention.start)
            quote = quote_around(self.text, sentence, mention.start, mention.end) or ""
            if mention.known:
                self.mentions[entity] = {
                    "entity": entity,
                    "name": self.text[mention.start : mention.end],
                    "quote": quote,
                }
            else:
                self.entity_changes.append(self._add_entity(self.candidates[entity], quote))
        for entity, aliases in self.found.new_aliases.items():
            self.entity_changes.append(self._add_aliases(entity, aliases))
        last_by_type: dict[str, str] = {}  # type -> the last entity of it named
        subject: str | None = None  # the previous sentence's subject
        for sentence in self.found.sentences:
            if is_heading(sentence):
                continue
            inside = [m for m in self.found.mentions if sentence.start <= m.start < sentence.end]
            referent = self._coreferent(sentence, inside, last_by_type, subject)
            if referent is not None:
                inside = sorted([*inside, referent], key=lambda m: (m.start, m.start - m.end))
            self._relations(sentence, inside)
            self._findings(sentence, inside)
            for m in inside:
                if m.entity in self.candidates or m.entity in self.G:
                    kind = self.type_of(m.entity)
                    last_by_type.pop(kind, None)  # the last named goes to the end
                    last_by_type[kind] = m.entity
            opening = next((m for m in inside if m.start - sentence.start < 40), None)
            if opening is not None and self.type_of(opening.entity) not in (FINDING, "person"):
                subject = opening.entity
            elif inside:
                subject = None
        document = {
            "id": self.meta.id,
            "title": self.meta.title or _first_line(self.text),
            "source_file": self.meta.source_file,
        }
        if self.meta.publisher:
            document["publisher"] = self.meta.publisher
        if self.meta.date:
            document["date"] = self.meta.date
        add_document = {
            "op": "add_document",
            "document": document,
            "text": self.text,
            "confidence": 1.0,
            "reason": "the document being ingested",
        }
        return {
            "message": f"Ingest {self.meta.id}: {document['title']}"[:200],
            "document": self.meta.id,
            "changes": [
                add_document,
                *self.entity_changes,
                *self.finding_changes,
                *self.relation_changes,
            ],
            "mentions": list(self.mentions.values()),
        }

    def _add_entity(self, candidate: Candidate, quote: str) -> dict[str, Any]:
        row: dict[str, Any] = {
            "id": candidate.id,
            "name": candidate.name,
            "type": candidate.type,
            "description": quote,
            "documents": self.meta.id,
        }
        if candidate.aliases:
            row["aliases"] = LIST_SEPARATOR.join(candidate.aliases)
        return {
            "op": "add_entity",
            "entity": row,
            "confidence": candidate.confidence,
            "reason": candidate.reason,
            "quote": quote,
        }

    def _add_aliases(self, entity: str, aliases: list[str]) -> dict[str, Any]:
        old = list(self.G.nodes[entity].get("aliases") or ())
        written = re.search(rf"\({re.escape(aliases[0])}\)|\b{re.escape(aliases[0])}\b", self.ftext)
        first, last = written.span() if written else (0, 0)
        quote = quote_around(self.text, self.sentence_of(first), first, last) or ""
        return {
            "op": "update_entity",
            "id": entity,
            "set": {"aliases": LIST_SEPARATOR.join(dict.fromkeys([*old, *aliases]))},
            "confidence": 0.8,
            "reason": f"acronym {aliases[0]} "
            + ("defined" if written and written.group().startswith("(") else "used")
            + f" in the text for {self.name_of(entity)}",
            "quote": quote,
        }

    def _in_data(self, source: str, relation: str, target: str) -> bool:
        """Whether the dataset already has this relation (looked up, not scanned)."""
        if source not in self.G or target not in self.G or not self.G.has_edge(source, target):
            return False
        return any(d.get("relation") == relation for d in self.G[source][target].values())

    def _relation(
        self,
        source: str,
        target: str,
        relation: str,
        modality: str,
        evidence: str,
        confidence: float,
        reason: str,
    ) -> None:
        triple = (source, relation, target)
        if source == target or triple in self.triples or self._in_data(source, relation, target):
            return
        self.triples.add(triple)
        row: dict[str, Any] = {"source": source, "target": target, "relation": relation}
        if self.with_ids:
            number = len(self.relation_changes) + 1
            relation_id = f"{self.meta.id}_r{number:03d}"
            while relation_id in self.relation_ids:
                number += 1
                relation_id = f"{self.meta.id}_r{number:03d}"
            self.relation_ids.add(relation_id)
            row = {"id": relation_id, **row}
        if modality != STATED:
            row["modality"] = modality
        row.update({"evidence": evidence, "documents": self.meta.id})
        self.relation_changes.append(
            {
                "op": "add_relation",
                "relation": row,
                "confidence": round(max(0.05, min(confidence, 1.0)), 2),
                "reason": reason,
                "quote": evidence,
            }
        )

    # -- coreference ----------------------------------------------------------------------

    def _coreferent(
        self,
        sentence: Sentence,
        inside: list[Mention],
        last_by_type: Mapping[str, str],
        subject: str | None,
    ) -> Mention | None:
        """The entity "It", "The report", "The Act", "The organisation"... stands for as the
        subject at the sentence's start (or after a short opening phrase): the last entity
        named of a compatible type, "It" the previous sentence's subject. A mention of it at
        the pronoun, marked ``coreferent``, or None."""
        match = _DEFINITE.match(self.ftext, sentence.start, sentence.end)
        if match is None:
            return None
        if inside and inside[0].start < match.end():
            return None  # "The report's author, Nate King," -- a name is written there
        noun = (match.group("noun") or "").lower()
        if not noun:
            entity = subject
        else:
            kinds = _REFERENCE_TYPES.get(_singular(noun), [])
            entity = next(
                (last_by_type[k] for k in sorted(kinds, key=lambda k: -_order(last_by_type, k))
                 if k in last_by_type),
                None,
            )  # fmt: skip
        if entity is None:
            return None
        start, end = match.start("ref"), match.end("ref")
        return Mention(start, end, entity, entity in self.G, coreferent=True)

    # -- relations ------------------------------------------------------------------------

    def _compounds(self, sentence: Sentence, inside: list[Mention]) -> None:
        """ "INTERPOL-led Operation Synergia": the name before "-led" led the one after."""
        for match in _COMPOUND.finditer(self.ftext, sentence.start, sentence.end):
            source = next((m for m in inside if m.end == match.start()), None)
            target = next(
                (
                    m
                    for m in inside
                    if m.entity != (source.entity if source else None)
                    and (m.start <= match.start() < m.end or 0 <= m.start - match.end() <= 2)
                ),
                None,
            )
            if source is None or target is None:
                continue
            relation = _COMPOUND_RELATIONS[match.group(1).lower()]
            declared = self.schema.relation_types.get(relation)
            if declared is None or not declared.allows(
                self.type_of(source.entity), self.type_of(target.entity)
            ):
                continue
            start, end = min(source.start, target.start), max(source.end, target.end)
            evidence = quote_around(self.text, sentence, start, end)
            if evidence:
                name = self.name_of(source.entity)
                self._relation(
                    source.entity,
                    target.entity,
                    relation,
                    STATED,
                    evidence,
                    0.8,
                    f"'{name}-{match.group(1)}' {self.name_of(target.entity)}",
                )

    def _relations(self, sentence: Sentence, inside: list[Mention]) -> None:
        self._compounds(sentence, inside)
        if len(inside) < 2 or self.cues is None:
            return
        pattern, by_cue = self.cues
        for cue in pattern.finditer(self.ftext, sentence.start, sentence.end):
            left = [m for m in inside if m.end <= cue.start()]
            right = [m for m in inside if m.start >= cue.end()]
            if not left or not right:
                continue
            before, after = left[-1], right[0]
            if cue.start() - before.end > NEAR_BEFORE or after.start - cue.end() > NEAR_AFTER:
                continue
            between = self.ftext[before.end : cue.start()]
            if between.startswith(")") and self.ftext[before.start - 1 : before.start] == "(":
                between = between[1:]  # "Full Name (ABBR), we lead": the acronym is the name
            if re.search(r"[;:]|\. ", between) or _CLAUSE.search(
                re.sub(r"\([^()]*\)", "", between)
            ):
                continue  # the name before the cue is not its subject ("(PACT)" may stand there)
            passive = re.match(r"\s+by\b", self.ftext[cue.end() : cue.end() + 4]) is not None
            source, target = (after, before) if passive else (before, after)
            word = cue.group().lower()
            relation = next(
                (
                    r
                    for r in by_cue.get(re.sub(r"\s+", " ", word), ())
                    if self.schema.relation_types[r].allows(
                        self.type_of(source.entity), self.type_of(target.entity)
                    )
                ),
                None,
            )
            if relation is None:
                continue
            modality = STATED
            if re.search(r"\bwould\b", between, re.IGNORECASE):
                modality = "proposed"
            elif re.search(r"\b(?:may|might|can|could)\b", between, re.IGNORECASE):
                modality = "hedged"
            start, end = min(before.start, cue.start()), max(after.end, cue.end())
            evidence = quote_around(self.text, sentence, start, end)
            if evidence is None:
                continue
            confidence = 0.4 if word in GENERIC_CUES else 0.75
            confidence -= (
                0.15
                * (not source.known)
                * (
                    self.candidates[source.entity].confidence < 0.5
                    if source.entity in self.candidates
                    else 0
                )
            )
            confidence -= (
                0.15
                * (not target.known)
                * (
                    self.candidates[target.entity].confidence < 0.5
                    if target.entity in self.candidates
                    else 0
                )
            )
            if cue.start() - before.end > 50:
                confidence -= 0.1
            if before.coreferent or after.coreferent:
                confidence -= 0.15
            phrase = self.text[cue.start() : cue.end()]
            reason = f"verb '{phrase}' between {self._named(before)} and {self._named(after)}" + (
                " (passive: read the other way)" if passive else ""
            )
            if modality != STATED:
                reason += f"; {modality} ('{_modal_word(between)}')"
            self._relation(
                source.entity, target.entity, relation, modality, evidence, confidence, reason
            )

    # -- findings -------------------------------------------------------------------------

    def _findings(self, sentence: Sentence, inside: list[Mention]) -> None:
        if FINDING not in self.schema.entity_types:
            return
        for figure in _figures(self.ftext, sentence):
            start, end = figure
            name = self.text[start:end]
            known = self._known_finding(name, sentence)
            if known is not None:
                self.mentions.setdefault(
                    known,
                    {
                        "entity": known,
                        "name": name,
                        "quote": quote_around(self.text, sentence, start, end) or "",
                    },
                )
                continue
            finding_id = f"f_{self.meta.id}_{slug(name, 40)}"
            base, n = finding_id, 2
            while finding_id in self.taken:
                finding_id, n = f"{base}_{n}", n + 1
            self.taken.add(finding_id)
            credited = self._credited(sentence, inside, start)
            quote = quote_around(self.text, sentence, start, end) or name
            self.finding_changes.append(
                {
                    "op": "add_entity",
                    "entity": {
                        "id": finding_id,
                        "name": name,
                        "type": FINDING,
                        "description": quote,
                        "documents": self.meta.id,
                    },
                    "confidence": 0.65 if credited else 0.5,
                    "reason": "a sentence with a figure",
                    "quote": quote,
                }
            )
            self.candidates[finding_id] = Candidate(finding_id, name, FINDING, start, end, 0.6, "")
            reported = self.schema.relation_types.get("reported_by")
            if credited is not None and reported is not None:
                evidence = quote_around(
                    self.text, sentence, min(start, credited.start), max(end, credited.end)
                )
                for also in self._co_credited(inside, credited):
                    also_evidence = quote_around(
                        self.text, sentence, min(start, also.start), max(end, also.end)
                    )
                    if also_evidence and reported.allows(FINDING, self.type_of(also.entity)):
                        self._relation(
                            finding_id,
                            also.entity,
                            "reported_by",
                            STATED,
                            also_evidence,
                            0.6,
                            f"the sentence credits {self.name_of(credited.entity)} and "
                            f"{self.name_of(also.entity)} with {name!r}",
                        )
                if evidence and reported.allows(FINDING, self.type_of(credited.entity)):
                    self._relation(
                        finding_id,
                        credited.entity,
                        "reported_by",
                        STATED,
                        evidence,
                        0.7,
                        f"the sentence credits {self.name_of(credited.entity)} with {name!r}",
                    )
            concerns = self.schema.relation_types.get("concerns")
            others = sorted(
                (
                    m
                    for m in inside
                    if (credited is None or m.entity != credited.entity)
                    and not m.coreferent
                    and self._said_of(m, start, end)
                ),
                key=lambda m: abs(m.start - end) if m.start >= end else abs(start - m.end) + 40,
            )
            for other in others[:1]:
                if concerns is None or not concerns.allows(FINDING, self.type_of(other.entity)):
                    continue
                evidence = quote_around(
                    self.text, sentence, min(start, other.start), max(end, other.end)
                )
                if evidence:
                    self._relation(
                        finding_id,
                        other.entity,
                        "concerns",
                        STATED,
                        evidence,
                        0.55,
                        f"{name!r} is said of {self.name_of(other.entity)} in the sentence",
                    )

    def _co_credited(self, inside: list[Mention], credited: Mention) -> list[Mention]:
        """The names joined to the credited one by "and" ("research by X and the Y Lab
        estimates"): credited with it."""
        return [
            m
            for m in inside
            if m.entity != credited.entity
            and not m.coreferent
            and (
                re.fullmatch(r"\s+and\s+(?:the\s+)?", self.ftext[m.end : credited.start])
                or re.fullmatch(r"\s+and\s+(?:the\s+)?", self.ftext[credited.end : m.start])
            )
        ]

    def _said_of(self, m: Mention, start: int, end: int) -> bool:
        """Whether the figure at ``[start, end)`` can be about the name ``m``: within its
        clause (no comma, "and", quote or bracket between them), and a name before it close
        by ("40 percent of sex trafficking" yes; "26 countries and several agencies" no)."""
        if m.start >= end:
            between = self.ftext[end : m.start]
            return not re.search(r"[,;\"()]|\s(?:and|or|to|that|which|while)\s", between)
        between = self.ftext[m.end : start]
        if re.match(r",\s+(?:which|who)\s", between):  # "Operation X, which ... seized 1,300"
            return len(between) <= 150 and not re.search(r"[;()]", between[1:])
        return len(between) <= 30 and not re.search(r"[,;\"()]|\s(?:and|or|that)\s", between)

    def _credited(self, sentence: Sentence, inside: list[Mention], at: int) -> Mention | None:
        reported = self.schema.relation_types.get("reported_by")

        def allowed(m: Mention) -> bool:
            return reported is None or reported.allows(FINDING, self.type_of(m.entity))

        for cue in _CREDIT_BEFORE.finditer(self.ftext, sentence.start, sentence.end):
            after = [m for m in inside if cue.end() <= m.start <= cue.end() + 60 and allowed(m)]
            if after:
                return after[0]
        for verb in _CREDIT_VERB.finditer(self.ftext, sentence.start, sentence.end):
            before = [
                m
                for m in inside
                if verb.start() - 80 <= m.end <= verb.start()
                and allowed(m)
                and not _OTHER_SUBJECT.search(
                    re.sub(r"\([^()]*\)", "", self.ftext[m.end : verb.start()])
                )
            ]
            if before:
                # "the Section of the U.S. Department of Justice estimates": the Section does.
                last = before[-1]
                head = [
                    m
                    for m in before[:-1]
                    if re.fullmatch(r"\s+of(?:\s+the)?\s+", self.ftext[m.end : last.start])
                ]
                return head[-1] if head else last
        return None

    def _known_finding(self, figure: str, sentence: Sentence) -> str | None:
        """A finding the dataset already has for this figure and sentence, if any."""
        numbers = re.findall(r"\d+(?:\.\d+)?", figure.replace(",", ""))
        figure_words = set(re.findall(r"[a-z]+", figure.lower())) - {"of", "a", "in"}
        words = set(re.findall(r"[a-z]{4,}", sentence.text.lower())) - figure_words
        for node, data in self.known_findings:
            name = str(data.get("name", "")).lower().replace(",", "")
            if numbers and not set(numbers) <= set(re.findall(r"\d+(?:\.\d+)?", name)):
                continue
            if not numbers and not figure_words & set(re.findall(r"[a-z]+", name)):
                continue
            if len(words & set(re.findall(r"[a-z]{4,}", name))) >= (1 if numbers else 2):
                return str(node)
        return None


_OTHER_SUBJECT = re.compile(
    r",\s+(?:the|a|an|this|these|its|their|our)\s+[\w'-]+(?:\s+[\w'-]+){0,2}\s+$", re.IGNORECASE
)
"""Between a name and a verb that credits a figure: another subject right before the verb
("Funded by the Office (OTIP), the hotline identified"): the name is not the one credited
("UNODC, the UN's agency, estimates" still credits UNODC)."""
_CLAUSE = re.compile(
    r"[()]|\"(?=[^\"]*\w[^\"]*$)|,\s+(?:noting|saying|adding|where|while|when|including|"
    r"such\s+as|and|but|as|because|although|though)\b",
    re.IGNORECASE,
)
"""Between a name and a verb: a bracket, a quote opening before other words, or a new
clause, so the name is not the verb's subject ("the Committee yesterday, noting that
'traffickers use ...'"); ", which would 'create" keeps the name as the subject."""


def _plural(noun: str) -> str:
    return noun[:-1] + "ies" if noun.endswith("y") else noun + "s"


def _singular(noun: str) -> str:
    return noun[:-3] + "y" if noun.endswith("ies") else noun.removesuffix("s")


_REFERENCE_TYPES: dict[str, list[str]] = vocabulary()["references"]
"""A definite description's noun -> the entity types it can stand for (the vocabulary's
``[references]``)."""
_REFERENCE_NOUNS = "|".join(
    sorted({form for noun in _REFERENCE_TYPES for form in (noun, _plural(noun))}, key=len)[::-1]
)
_DEFINITE = re.compile(
    r"(?:[A-Z][\w ]{0,30},\s+)?(?P<ref>(?:[Ii]t|(?:[Tt]he|[Tt]his|[Tt]hese)\s+"
    rf"(?:[a-zA-Z-]+\s+)?(?P<noun>{_REFERENCE_NOUNS})))(?=\s+(?:also\s+|has\s+|have\s+|"
    r"had\s+|would\s+|will\s+|can\s+|could\s+|may\s+)?[a-z]+(?:ed|es|s)?\b)"
    r"(?!\s+(?:is|was|of|and|or)\b)"
)
"""A definite description or "It" as a sentence's subject, before its verb."""


def _order(last_by_type: Mapping[str, str], kind: str) -> int:
    """How recently an entity of ``kind`` was named (the dict keeps the order of updates)."""
    return list(last_by_type).index(kind) if kind in last_by_type else -1


def _modal_word(text: str) -> str:
    found = re.findall(r"\b(would|may|might|can|could)\b", text, re.IGNORECASE)
    return found[-1] if found else ""


def _first_line(text: str) -> str:
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "Untitled")
    return line if len(line) <= 150 else line[:149].rstrip() + "…"


def _figures(ftext: str, sentence: Sentence) -> Iterable[tuple[int, int]]:
    for match in _FIGURE.finditer(ftext, sentence.start, sentence.end):
        figure = match.group().strip()
        start, end = match.start(), match.start() + len(figure)
        bare = re.fullmatch(_NUMBER, figure) is not None
        if bare and (_YEAR.match(figure) or figure in ("0", "1")):
            continue
        head = ftext[max(sentence.start, start - 12) : start]
        if bare and (_MONTH.search(head) or re.search(r"(?:[A-Z][\w.]*|\d)\s$", head)):
            continue  # July 30, H.R. 2732, Section 230
        yield start, end


def _cue_pattern(schema: Schema) -> tuple[re.Pattern[str], dict[str, list[str]]] | None:
    by_cue: dict[str, list[str]] = {}
    for relation_id, relation in schema.relation_types.items():
        for cue in relation.cues:
            by_cue.setdefault(re.sub(r"\s+", " ", cue.lower()), []).append(relation_id)
    if not by_cue:
        return None
    alternatives = "|".join(
        re.escape(c).replace(r"\ ", r"\s+") for c in sorted(by_cue, key=len, reverse=True)
    )
    return re.compile(rf"(?<![\w'-])(?:{alternatives})(?![\w'-])", re.IGNORECASE), by_cue


# --- reading the change set --------------------------------------------------------------------


def relations(change_set: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The relation rows a change set proposes."""
    return [c["relation"] for c in change_set["changes"] if c["op"] == "add_relation"]


def entities(change_set: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The entity rows a change set proposes (findings too)."""
    return [c["entity"] for c in change_set["changes"] if c["op"] == "add_entity"]


def summary(change_set: Mapping[str, Any]) -> dict[str, int]:
    """Counts by kind: mentions, new entities, findings, relations, aliases.

    >>> summary({"changes": [{"op": "add_entity", "entity": {"type": "finding"}}], "mentions": []})
    {'mentions': 0, 'entities': 0, 'findings': 1, 'relations': 0, 'aliases': 0}
    """
    rows = entities(change_set)
    return {
        "mentions": len(change_set.get("mentions", ())),
        "entities": sum(r.get("type") != FINDING for r in rows),
        "findings": sum(r.get("type") == FINDING for r in rows),
        "relations": len(relations(change_set)),
        "aliases": sum(c["op"] == "update_entity" for c in change_set["changes"]),
    }


def validated(change_set: dict[str, Any], files: Mapping[str, bytes]) -> dict[str, Any]:
    """``change_set`` with every proposal that would not validate against the dataset
    ``files`` dropped (named by :func:`graph.changes.apply_changes`), so it passes
    ``apply --dry-run``; a change set that still fails raises :class:`IngestError`."""
    from .changes import ChangeError, apply_changes, parse_change_set

    current = dict(change_set)
    for _ in range(5):
        try:
            apply_changes(files, parse_change_set(json.dumps(current)))
            return current
        except ChangeError as err:
            bad = {int(n) for n in re.findall(r"^change (\d+) ", str(err), re.MULTILINE)}
            bad.discard(1)  # the document itself
            if not bad:
                raise IngestError(f"the proposals do not validate: {err}") from None
            dropped = {
                (c.get("entity") or {}).get("id")
                for i, c in enumerate(current["changes"], 1)
                if i in bad and c["op"] == "add_entity"
            }
            current["changes"] = [
                c
                for i, c in enumerate(current["changes"], 1)
                if i not in bad
                and not (
                    c["op"] == "add_relation"
                    and {c["relation"]["source"], c["relation"]["target"]} & dropped
                )
            ]
    raise IngestError("the proposals do not validate")


def write_change_set(change_set: Mapping[str, Any], out: str | Path) -> None:
    """Write the change set as JSON (under a temporary name, then renamed)."""
    out = Path(out)
    staged = out.with_name(f".{out.name}.new")
    try:
        staged.write_text(json.dumps(change_set, ensure_ascii=False, indent=2) + "\n", "utf-8")
        staged.replace(out)
    except OSError as err:
        staged.unlink(missing_ok=True)
        raise IngestError(f"{out}: cannot be written ({err.strerror or err})") from None


def ingest_file(
    path: str | Path,
    folder: str | Path,
    *,
    document_id: str,
    title: str = "",
    publisher: str = "",
    date: str = "",
) -> dict[str, Any]:
    """Read the document at ``path`` (:func:`graph.extract.read_document`) against the dataset
    folder ``folder``; the validated change set, its ``base`` the dataset's version."""
    from . import store
    from .extract import read_document
    from .load import load_graph

    folder = Path(folder)
    G = load_graph(folder)
    meta = Meta(document_id, title, publisher, date)
    check_document(G, meta)
    text = read_document(path)
    suffix = Path(path).suffix.lower()
    source_file = f"{document_id}.txt" if suffix != ".md" else f"{document_id}.md"
    change_set = ingest(
        text,
        G,
        document_id=document_id,
        title=title,
        publisher=publisher,
        date=date,
        source_file=source_file,
    )
    change_set = validated(change_set, store.read_files(folder))
    change_set["base"] = store.version(folder)
    return change_set


# --- the command line --------------------------------------------------------------------------


def add_arguments(parser: Any) -> None:
    """The ``ingest`` command's options (on an argparse parser)."""
    parser.add_argument("file", type=Path, help="the document: .txt, .md, .html or .pdf")
    parser.add_argument("--id", required=True, dest="doc_id", help="the new document's id")
    parser.add_argument("--title", default="", help="its title (default: its first line)")
    parser.add_argument("--publisher", default="", help="who published it")
    parser.add_argument("--date", default="", help="when: YYYY, YYYY-MM or YYYY-MM-DD")
    parser.add_argument("--out", required=True, type=Path, help="the change set to write (JSON)")


def command(args: Any) -> tuple[dict[str, Any], list[str]]:
    """Run ``ingest``: write the change set to ``--out``; the summary and its lines."""
    if Path(args.out).resolve() == Path(args.file).resolve():
        raise IngestError(f"{args.out}: --out would overwrite the document")
    change_set = ingest_file(
        args.file,
        args.data,
        document_id=args.doc_id,
        title=args.title,
        publisher=args.publisher,
        date=args.date,
    )
    write_change_set(change_set, args.out)
    counts = summary(change_set)
    lines = [
        f"Wrote {args.out}: " + ", ".join(f"{n} {kind}" for kind, n in counts.items()),
        f"Review it, then: python -m graph apply --data {args.data} {args.out}",
    ]
    return {"out": str(args.out), "document": args.doc_id, **counts}, lines


__all__ = [
    "GraphError",
    "IngestError",
    "Meta",
    "add_arguments",
    "command",
    "entities",
    "ingest",
    "ingest_file",
    "known_index",
    "relations",
    "summary",
    "validated",
    "write_change_set",
]
