"""Entity types and relation vocabulary, declared once as data.

The built-in declarations live in ``entity_types.toml`` and ``relation_types.toml`` beside this
module. Everything else — validation, colours, shapes, the legend, exports, sentences — reads a
:class:`Schema`; nothing else hard-codes a type or a colour. A relation declares the entity types
it may join (``source`` / ``target``) and its bare verb phrase (``base``), so a claim reads as the
documents word it: stated, proposed ("would establish"), hedged ("may …") or inferred.

Both files are checked when they are read, every problem at once with its line
(:class:`SchemaError`): a misspelt key, a missing phrase, a bad colour, shape or type name.

Examples
--------
>>> schema = default_schema()
>>> schema.entity_types["agency"].label
'Government agency'
>>> schema.sentence("INTERPOL", "led", "Operation Synergia")
'INTERPOL led Operation Synergia'
>>> schema.sentence("EARN IT Act", "establishes", "a commission", modality="proposed")
'EARN IT Act would establish a commission'
>>> schema.phrase("requires_reporting_to")
'requires reporting to'
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from .errors import DataError, Problem

HERE = Path(__file__).parent
ENTITY_TYPES_FILE, RELATION_TYPES_FILE = "entity_types.toml", "relation_types.toml"

VIS_SHAPES = frozenset(
    {
        "dot",
        "square",
        "triangle",
        "triangleDown",
        "diamond",
        "star",
        "hexagon",
        "box",
        "ellipse",
        "circle",
        "database",
        "text",
    }
)
"""vis-network shapes a type may use (image and icon shapes need assets, so are left out)."""

COLOR_PATTERN = re.compile(r"^#[0-9a-fA-F]{6}$")
TYPE_ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
FALLBACK_COLOR = "#BBBBBB"
FALLBACK_SHAPE = "dot"
ANY_TYPE = "*"
"""In a relation's ``source`` or ``target`` list: any entity type."""

MODALITIES = ("stated", "proposed", "hedged", "inferred")
"""How a document words a relation: ``stated`` as fact (the default); ``proposed``, a bill or
plan ("would create"); ``hedged``, "may", "can" or an estimate; ``inferred``, true by the
documents' own names (a House committee is part of the House) but not written."""
STATED = MODALITIES[0]
MODALITY_LABELS = {
    "stated": "Stated",
    "proposed": "Proposed",
    "hedged": "Hedged",
    "inferred": "Inferred",
}
MODALITY_NOTES = {
    "stated": "",
    "proposed": "proposed: what a bill or plan would do, not in force",
    "hedged": "hedged: the document says it may or can, or estimates it",
    "inferred": "inferred: follows from the documents' own names, not written",
}

ENTITY_KEYS = {"label": True, "color": True, "shape": True, "description": False}
"""Keys of an entity type (True: required)."""
RELATION_KEYS = {
    "phrase": True,
    "inverse": False,
    "base": False,
    "inverse_base": False,
    "proposed": False,
    "hedged": False,
    "source": False,
    "target": False,
    "description": False,
    "cues": False,
}
"""Keys of a relation type (True: required). ``cues``: the verbs and phrases that state the
relation in a text, source before target ("led", "spearheaded"), for :mod:`graph.ingest`."""
_BE_VERBS = {"is": "be", "was": "be", "are": "be", "were": "be", "has": "have"}


class SchemaError(DataError):
    """A schema declaration file (or its text) that cannot be used; every problem at once,
    each naming the file, the line and the key."""

    def __init__(self, problems: Iterable[Problem], more: int = 0):
        super().__init__(list(problems), more)
        count = len(self.problems)
        self.args = (
            f"{count} problem{'s' if count != 1 else ''} in the schema declarations:\n"
            + "\n".join(str(p) for p in self.problems),
        )


def modality_of(value: Any) -> str:
    """A relation's modality: the value when it is one of :data:`MODALITIES`, else stated.

    >>> modality_of("proposed"), modality_of(""), modality_of(None)
    ('proposed', 'stated', 'stated')
    """
    return value if value in MODALITIES else STATED


def bare_form(phrase: str) -> str:
    """The bare verb phrase of one starting with is / was / are / were or has ("" if none).

    >>> bare_form("was led by"), bare_form("has member"), bare_form("includes")
    ('be led by', 'have member', '')
    """
    first, _, rest = phrase.partition(" ")
    bare = _BE_VERBS.get(first)
    return f"{bare} {rest}".strip() if bare and rest else ""


@dataclass(frozen=True)
class EntityType:
    """How one entity type is named and drawn."""

    id: str
    label: str
    color: str
    shape: str
    description: str = ""


@dataclass(frozen=True)
class RelationType:
    """How one relation reads as a sentence, from either end and in each modality, and the
    entity types it may join (``None``: not declared, so not checked).

    >>> led = RelationType("led", "led", "was led by", base="lead", target=("operation",))
    >>> led.phrase_for("proposed"), led.phrase_for("hedged"), led.inverse_for("proposed")
    ('would lead', 'may lead', 'would be led by')
    >>> led.allows("agency", "operation"), led.allows("agency", "law")
    (True, False)
    """

    id: str
    phrase: str
    inverse: str
    description: str = ""
    base: str = ""
    inverse_base: str = ""
    proposed: str = ""
    hedged: str = ""
    source: tuple[str, ...] | None = None
    target: tuple[str, ...] | None = None
    cues: tuple[str, ...] = ()

    def phrase_for(self, modality: str = STATED) -> str:
        """The verb phrase in a modality: "would …" proposed, "may …" hedged, else ``phrase``."""
        if modality == "proposed":
            return self.proposed or (f"would {self.base}" if self.base else self.phrase)
        if modality == "hedged":
            return self.hedged or (f"may {self.base}" if self.base else self.phrase)
        return self.phrase

    def inverse_for(self, modality: str = STATED) -> str:
        """The inverse phrase in a modality (see :meth:`phrase_for`)."""
        bare = self.inverse_base or bare_form(self.inverse)
        if modality == "proposed" and bare:
            return f"would {bare}"
        if modality == "hedged" and bare:
            return f"may {bare}"
        return self.inverse

    @property
    def checked(self) -> bool:
        """Whether the types it joins are declared (source and target lists)."""
        return self.source is not None and self.target is not None

    def allows(self, source_type: str, target_type: str) -> bool:
        """Whether it may join an entity of ``source_type`` to one of ``target_type``."""
        return _admits(self.source, source_type) and _admits(self.target, target_type)


def _admits(allowed: tuple[str, ...] | None, type_id: str) -> bool:
    return allowed is None or ANY_TYPE in allowed or type_id in allowed


@dataclass(frozen=True)
class Schema:
    """The entity types and relation vocabulary a graph is read with."""

    entity_types: Mapping[str, EntityType]
    relation_types: Mapping[str, RelationType] = field(default_factory=dict)

    def type_ids(self) -> list[str]:
        """Declared entity type ids, in declaration order."""
        return list(self.entity_types)

    def style(self, type_id: str) -> EntityType:
        """The type's declaration, or a neutral grey dot for an undeclared type."""
        found = self.entity_types.get(type_id)
        if found is not None:
            return found
        label = type_id.replace("_", " ").capitalize() or "Unknown"
        return EntityType(type_id, label, FALLBACK_COLOR, FALLBACK_SHAPE)

    def relation(self, relation_id: str) -> RelationType:
        """The relation's declaration, or one made from its snake_case id."""
        found = self.relation_types.get(relation_id)
        if found is not None:
            return found
        words = relation_id.replace("_", " ")
        return RelationType(relation_id, words, f"is the target of '{words}' from")

    def phrase(self, relation_id: str, modality: str = STATED) -> str:
        """The verb phrase that reads ``source <phrase> target`` in ``modality``.

        >>> default_schema().phrase("regulates", "proposed")
        'would regulate'
        """
        return self.relation(relation_id).phrase_for(modality)

    def sentence(
        self, source_name: str, relation_id: str, target_name: str, modality: str = STATED
    ) -> str:
        """Read one relation as a sentence, worded as its modality says.

        >>> schema = default_schema()
        >>> schema.sentence("INTERPOL", "led", "Operation Synergia")
        'INTERPOL led Operation Synergia'
        >>> schema.sentence("AI", "abused_for", "Recruitment", modality="hedged")
        'AI may be abused by traffickers for Recruitment'
        >>> schema.sentence("Rights Lab", "part_of", "University", modality="inferred")
        'Rights Lab is part of University (inferred)'
        """
        text = f"{source_name} {self.phrase(relation_id, modality)} {target_name}"
        return f"{text} (inferred)" if modality == "inferred" else text

    def inverse_sentence(
        self, target_name: str, relation_id: str, source_name: str, modality: str = STATED
    ) -> str:
        """Read one relation from its target's side: ``'Synergia was led by INTERPOL'``."""
        text = f"{target_name} {self.relation(relation_id).inverse_for(modality)} {source_name}"
        return f"{text} (inferred)" if modality == "inferred" else text

    def with_entity_types(self, rows: Iterable[Mapping[str, str]]) -> Schema:
        """A copy with types added or restyled from ``types.csv``-shaped rows.

        Missing fields keep the built-in value (or a neutral default for a new type).
        Rows are assumed valid; :mod:`graph.load` checks them first.
        """
        merged = dict(self.entity_types)
        for row in rows:
            type_id = row["type"]
            base = self.style(type_id)
            merged[type_id] = replace(
                base,
                label=row.get("label") or base.label,
                color=row.get("color") or base.color,
                shape=row.get("shape") or base.shape,
                description=row.get("description") or base.description,
            )
        return Schema(merged, self.relation_types)


# --- reading the declarations ----------------------------------------------------------------


class _Lines:
    """Where each table and key of a flat TOML file is: ``[table]`` headers and ``key =`` lines."""

    HEADER = re.compile(r"^\s*\[\s*([^\]\s]+)\s*\]")
    KEY = re.compile(r"^\s*([A-Za-z0-9_-]+)\s*=")

    def __init__(self, text: str) -> None:
        self.tables: dict[str, int] = {}
        self.keys: dict[tuple[str, str], int] = {}
        table = ""
        for number, line in enumerate(text.splitlines(), 1):
            header = self.HEADER.match(line)
            if header:
                table = header.group(1).strip('"')
                self.tables.setdefault(table, number)
                continue
            key = self.KEY.match(line)
            if key:
                self.keys.setdefault((table, key.group(1)), number)

    def of(self, table: str, key: str | None = None) -> int | None:
        if key is not None and (table, key) in self.keys:
            return self.keys[(table, key)]
        return self.tables.get(table)


def _parse(file: str, text: str, problems: list[Problem]) -> tuple[dict[str, Any], _Lines]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        at = re.search(r"\(at line (\d+)", str(err))
        problems.append(Problem(file, int(at.group(1)) if at else None, f"not valid TOML: {err}"))
        data = {}
    return data, _Lines(text)


def _specs(
    file: str, data: dict[str, Any], lines: _Lines, keys: Mapping[str, bool], problems: list
) -> dict[str, dict[str, Any]]:
    """Each ``[table]`` of a declaration file whose keys are known and present, checked."""
    specs = {}
    expected = ", ".join(keys)
    for name, spec in data.items():
        if not isinstance(spec, dict):
            problems.append(
                Problem(file, lines.of("", name), f"{name!r} must be a table ([{name}])")
            )
            continue
        ok = True
        if not TYPE_ID_PATTERN.match(name):
            problems.append(Problem(file, lines.of(name), f"[{name}]: id must be snake_case"))
            ok = False
        for key in spec:
            if key not in keys:
                problems.append(
                    Problem(
                        file,
                        lines.of(name, key),
                        f"[{name}]: unknown key {key!r} (keys: {expected})",
                    )
                )
                ok = False
        for key, required in keys.items():
            if required and key not in spec:
                problems.append(Problem(file, lines.of(name), f"[{name}]: missing key {key!r}"))
                ok = False
        for key, value in spec.items():
            if key in ("source", "target"):
                ok &= _check_types(file, lines.of(name, key), name, key, value, problems)
            elif key == "cues":
                ok &= _check_cues(file, lines.of(name, key), name, value, problems)
            elif key in keys and (not isinstance(value, str) or (keys[key] and not value.strip())):
                problems.append(Problem(file, lines.of(name, key), f"[{name}]: {key} must be text"))
                ok = False
        if ok:
            specs[name] = spec
    return specs


def _check_types(
    file: str, line: int | None, name: str, key: str, value: Any, problems: list
) -> bool:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        problems.append(
            Problem(file, line, f'[{name}]: {key} must be a list of entity types, e.g. ["ngo"]')
        )
        return False
    bad = [v for v in value if v != ANY_TYPE and not TYPE_ID_PATTERN.match(v)]
    for v in bad:
        problems.append(
            Problem(file, line, f"[{name}]: {key} type {v!r} is not snake_case (or '*': any)")
        )
    return not bad


def _check_cues(file: str, line: int | None, name: str, value: Any, problems: list) -> bool:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        problems.append(
            Problem(file, line, f'[{name}]: cues must be a list of phrases, e.g. ["led"]')
        )
        return False
    return True


def _entity_types(file: str, text: str, problems: list[Problem]) -> dict[str, EntityType]:
    data, lines = _parse(file, text, problems)
    types = {}
    for type_id, spec in _specs(file, data, lines, ENTITY_KEYS, problems).items():
        if not COLOR_PATTERN.match(spec["color"]):
            problems.append(
                Problem(
                    file,
                    lines.of(type_id, "color"),
                    f"[{type_id}]: colour {spec['color']!r} is not #RRGGBB",
                )
            )
            continue
        if spec["shape"] not in VIS_SHAPES:
            problems.append(
                Problem(
                    file,
                    lines.of(type_id, "shape"),
                    f"[{type_id}]: shape {spec['shape']!r} is not one of "
                    f"{', '.join(sorted(VIS_SHAPES))}",
                )
            )
            continue
        types[type_id] = EntityType(
            type_id, spec["label"], spec["color"], spec["shape"], spec.get("description", "")
        )
    return types


def _relation_types(file: str, text: str, problems: list[Problem]) -> dict[str, RelationType]:
    data, lines = _parse(file, text, problems)
    relations = {}
    for rel_id, spec in _specs(file, data, lines, RELATION_KEYS, problems).items():
        phrase = spec["phrase"]
        inverse = spec.get("inverse") or f"is the target of '{phrase}' from"
        relations[rel_id] = RelationType(
            rel_id,
            phrase,
            inverse,
            spec.get("description", ""),
            base=spec.get("base", ""),
            inverse_base=spec.get("inverse_base", ""),
            proposed=spec.get("proposed", ""),
            hedged=spec.get("hedged", ""),
            source=tuple(spec["source"]) if "source" in spec else None,
            target=tuple(spec["target"]) if "target" in spec else None,
            cues=tuple(c.strip() for c in spec.get("cues", ())),
        )
    return relations


def read_schema(
    entity_types: str | Path = HERE / ENTITY_TYPES_FILE,
    relation_types: str | Path = HERE / RELATION_TYPES_FILE,
) -> Schema:
    """A schema read from two declaration files; :class:`SchemaError` lists every problem in
    either, as ``FILE:LINE: [table]: problem``.

    >>> read_schema().relation("led").phrase
    'led'
    """
    problems: list[Problem] = []
    texts = {}
    for path in (Path(entity_types), Path(relation_types)):
        try:
            texts[path] = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            problems.append(Problem(path.name, None, f"cannot be read: {err}"))
            texts[path] = ""
    schema = schema_from_text(
        texts[Path(entity_types)],
        texts[Path(relation_types)],
        files=(Path(entity_types).name, Path(relation_types).name),
        problems=problems,
    )
    return schema


def schema_from_text(
    entity_types: str,
    relation_types: str,
    *,
    files: tuple[str, str] = (ENTITY_TYPES_FILE, RELATION_TYPES_FILE),
    problems: list[Problem] | None = None,
) -> Schema:
    """A schema from the text of the two declarations; raises :class:`SchemaError` with every
    problem (those already in ``problems`` too).

    >>> schema_from_text('[ngo]\\nlabel = "NGO"\\ncolr = "#117733"\\nshape = "dot"\\n', "")
    Traceback (most recent call last):
    ...
    graph.schema.SchemaError: 2 problems in the schema declarations:
    entity_types.toml:1: [ngo]: missing key 'color'
    entity_types.toml:3: [ngo]: unknown key 'colr' (keys: label, color, shape, description)
    """
    found = list(problems or [])
    entities = _entity_types(files[0], entity_types, found)
    relations = _relation_types(files[1], relation_types, found)
    if found:
        order = {name: rank for rank, name in enumerate(files)}
        raise SchemaError(sorted(found, key=lambda p: (order.get(p.file, -1), p.line or 0)))
    return Schema(entities, relations)


@lru_cache(maxsize=1)
def default_schema() -> Schema:
    """The built-in schema, read once from the TOML declarations.

    Raises :class:`SchemaError` (every problem, with its file, line and key) when a
    declaration is malformed, so a bad edit to the TOML files fails the first test rather than
    a later drawing.
    """
    return read_schema()
