"""What the data dates, on one time axis: the dated entities and relations of a graph.

Entities and relations carry an optional ``date`` (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``,
checked by :mod:`graph.load`). :func:`timeline` lists the dated ones as :class:`Item` s —
each with its span (a year runs from 1 January to 31 December), a label, and the colour of its
entity type from the schema (a relation takes its source's type) — and counts what is undated.
A date range keeps the items whose span overlaps it, as the Years filter does
(:func:`graph.query.filter_graph`).

Examples
--------
>>> from graph.load import load_graph
>>> G = load_graph({"entities.csv": "id,name,type,date\\nl,Act,law,2000\\nn,NGO,ngo,\\n",
...                 "relations.csv": "source,target,relation,date\\nn,l,advocated_for,1999-05\\n"})
>>> t = timeline(G)
>>> [(i.kind, i.date, i.label) for i in t.items]
[('relation', '1999-05', 'NGO advocated for Act'), ('entity', '2000', 'Act')]
>>> t.sentence()
'1 of 2 entities and 1 of 1 relation carry a date'
>>> [i.id for i in timeline(G, date_from="2000").items]
['l']
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

import networkx as nx

from .citations import modality
from .query import _date_bounds, _date_span, entity_name, schema_of

__all__ = ["Item", "Timeline", "timeline", "span"]


@dataclass(frozen=True)
class Item:
    """One dated entity or relation.

    ``id`` is the entity id, or ``source|target|key`` for a relation (as the drawing names
    edges); ``entity`` is the entity to select for it (a relation's source); ``type`` the entity
    type it is coloured by and ``type_label`` that type's label; ``relation`` the relation id
    (``""`` for an entity); ``start`` and ``end`` the first and last day its date covers.
    """

    id: str
    kind: str
    type: str
    type_label: str
    label: str
    date: str
    start: str
    end: str
    color: str
    entity: str
    relation: str = ""

    def as_dict(self) -> dict[str, str]:
        """The item as plain text fields (for JSON and tables)."""
        return asdict(self)


@dataclass(frozen=True)
class Timeline:
    """The dated items of a graph (within a range, if one was given) and how much is dated."""

    items: tuple[Item, ...]
    entities: int
    dated_entities: int
    relations: int
    dated_relations: int
    date_from: str | None = None
    date_to: str | None = None

    @property
    def undated_entities(self) -> int:
        """Entities with no date."""
        return self.entities - self.dated_entities

    @property
    def undated_relations(self) -> int:
        """Relations with no date."""
        return self.relations - self.dated_relations

    def sentence(self) -> str:
        """How much of the graph carries a date, plainly.

        >>> Timeline((), 153, 21, 283, 27).sentence()
        '21 of 153 entities and 27 of 283 relations carry a date'
        >>> Timeline((), 20000, 5953, 1, 0).sentence()
        '5,953 of 20,000 entities and 0 of 1 relation carry a date'
        """
        return (
            f"{self.dated_entities:,} of {_count(self.entities, 'entity', 'entities')} and "
            f"{self.dated_relations:,} of {_count(self.relations, 'relation', 'relations')} "
            "carry a date"
        )

    def range_note(self) -> str:
        """What the range leaves out, or ``""`` when there is no range.

        >>> Timeline((), 3, 2, 0, 0, date_from="2000").range_note()
        'Shown: 0 dated items from 2000 on.'
        """
        if not (self.date_from or self.date_to):
            return ""
        if self.date_from and self.date_to:
            where = f"from {self.date_from} to {self.date_to}"
        elif self.date_from:
            where = f"from {self.date_from} on"
        else:
            where = f"up to {self.date_to}"
        return f"Shown: {len(self.items)} dated {_noun(len(self.items), 'item', 'items')} {where}."

    def as_dict(self) -> dict[str, Any]:
        """Plain values for JSON: the items, the counts and the sentence."""
        return {
            "items": [item.as_dict() for item in self.items],
            "entities": self.entities,
            "dated_entities": self.dated_entities,
            "undated_entities": self.undated_entities,
            "relations": self.relations,
            "dated_relations": self.dated_relations,
            "undated_relations": self.undated_relations,
            "sentence": self.sentence(),
            "date_from": self.date_from,
            "date_to": self.date_to,
        }


def _noun(n: int, one: str, many: str) -> str:
    return one if n == 1 else many


def _count(n: int, one: str, many: str) -> str:
    return f"{n:,} {_noun(n, one, many)}"


def span(date: str) -> tuple[dt.date, dt.date]:
    """The first and last day a ``YYYY[-MM[-DD]]`` date covers.

    >>> span("2024-02")
    (datetime.date(2024, 2, 1), datetime.date(2024, 2, 29))
    """
    return _date_bounds(date)


def timeline(
    G: nx.MultiDiGraph, *, date_from: str | None = None, date_to: str | None = None
) -> Timeline:
    """The dated entities and relations of ``G``, earliest first, and how many are undated.

    ``date_from`` / ``date_to`` (``YYYY[-MM[-DD]]``, inclusive) keep the items whose date
    overlaps the range, as the Years filter does; the counts are of all of ``G``. Items are
    ordered by start, then end, then kind (entities first) and label.

    Raises
    ------
    graph.errors.UsageError
        For a range that is not dates or is empty.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("vawa", name="VAWA", type="law", date="1994")
    >>> G.add_node("x", name="X", type="ngo")
    >>> t = timeline(G)
    >>> [(i.id, i.start, i.end, i.type_label) for i in t.items], t.undated_entities
    ([('vawa', '1994-01-01', '1994-12-31', 'Law or bill')], 1)
    >>> timeline(G, date_to="1993").items
    ()
    """
    window = _date_span(date_from, date_to)
    schema = schema_of(G)
    found: list[tuple[tuple, Item]] = []
    spans: dict[str, tuple[dt.date, dt.date, str, str]] = {}  # datasets repeat a few dates
    styles: dict[str, tuple[str, str]] = {}

    def add(
        ident: str, kind: str, type_id: str, label: str, date: str, entity: str, rel: str = ""
    ) -> None:
        known = spans.get(date)
        if known is None:
            first, last = span(date)
            known = spans[date] = (first, last, first.isoformat(), last.isoformat())
        first, last, start, end = known
        if window is not None and (last < window[0] or first > window[1]):
            return
        style = styles.get(type_id)
        if style is None:
            declared = schema.style(type_id)
            style = styles[type_id] = (declared.label, declared.color)
        item = Item(ident, kind, type_id, style[0], label, date, start, end, style[1], entity, rel)
        found.append(((first, last, kind != "entity", label.lower(), ident), item))

    dated_entities = 0
    for node, data in G.nodes(data=True):
        date = str(data.get("date") or "")
        if date:
            dated_entities += 1
            add(str(node), "entity", str(data.get("type", "")), entity_name(G, node), date, node)
    dated_relations = relations = 0
    for u, v, key, data in G.edges(keys=True, data=True):
        relations += 1
        date = str(data.get("date") or "")
        if date:
            dated_relations += 1
            label = schema.sentence(
                entity_name(G, u), str(data.get("relation", "")), entity_name(G, v), modality(data)
            )
            add(
                f"{u}|{v}|{key}",
                "relation",
                str(G.nodes[u].get("type", "")),
                label,
                date,
                str(u),
                str(data.get("relation", "")),
            )
    found.sort(key=lambda pair: pair[0])
    return Timeline(
        tuple(item for _, item in found),
        G.number_of_nodes(),
        dated_entities,
        relations,
        dated_relations,
        date_from or None,
        date_to or None,
    )
