"""Entity types and relation vocabulary, declared once as data.

The built-in declarations live in ``entity_types.toml`` and ``relation_types.toml`` beside this
module. Everything else — validation, colours, shapes, the legend, exports, sentences — reads a
:class:`Schema`; nothing else hard-codes a type or a colour.

Examples
--------
>>> schema = default_schema()
>>> schema.entity_types["agency"].label
'Government agency'
>>> schema.sentence("INTERPOL", "led", "Operation Synergia")
'INTERPOL led Operation Synergia'
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

HERE = Path(__file__).parent

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
    """How one relation reads as a sentence, from either end."""

    id: str
    phrase: str
    inverse: str
    description: str = ""


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

    def phrase(self, relation_id: str) -> str:
        """The verb phrase that reads ``source <phrase> target``."""
        return self.relation(relation_id).phrase

    def sentence(self, source_name: str, relation_id: str, target_name: str) -> str:
        """Read one relation as a sentence: ``'INTERPOL led Operation Synergia'``."""
        return f"{source_name} {self.phrase(relation_id)} {target_name}"

    def inverse_sentence(self, target_name: str, relation_id: str, source_name: str) -> str:
        """Read one relation from its target's side: ``'Synergia was led by INTERPOL'``."""
        return f"{target_name} {self.relation(relation_id).inverse} {source_name}"

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


def _read_toml(name: str) -> dict:
    with (HERE / name).open("rb") as handle:
        return tomllib.load(handle)


@lru_cache(maxsize=1)
def default_schema() -> Schema:
    """The built-in schema, read once from the TOML declarations.

    Raises ``ValueError`` at import-time use if a declaration is malformed, so a bad edit to the
    TOML files fails the first test rather than a later drawing.
    """
    entity_types = {
        type_id: EntityType(
            type_id, spec["label"], spec["color"], spec["shape"], spec.get("description", "")
        )
        for type_id, spec in _read_toml("entity_types.toml").items()
    }
    relation_types = {
        rel_id: RelationType(
            rel_id,
            spec["phrase"],
            spec.get("inverse") or f"is the target of '{spec['phrase']}' from",
            spec.get("description", ""),
        )
        for rel_id, spec in _read_toml("relation_types.toml").items()
    }
    _check_declarations(entity_types, relation_types)
    return Schema(entity_types, relation_types)


def _check_declarations(
    entity_types: Mapping[str, EntityType], relation_types: Mapping[str, RelationType]
) -> None:
    for spec in entity_types.values():
        if not TYPE_ID_PATTERN.match(spec.id):
            raise ValueError(f"entity type id {spec.id!r} is not snake_case")
        if not COLOR_PATTERN.match(spec.color):
            raise ValueError(f"entity type {spec.id!r}: colour {spec.color!r} is not #RRGGBB")
        if spec.shape not in VIS_SHAPES:
            raise ValueError(
                f"entity type {spec.id!r}: shape {spec.shape!r} is not one of "
                f"{', '.join(sorted(VIS_SHAPES))}"
            )
    for rel in relation_types.values():
        if not TYPE_ID_PATTERN.match(rel.id):
            raise ValueError(f"relation {rel.id!r} is not snake_case")
