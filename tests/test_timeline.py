"""graph/timeline.py: the dated entities and relations on one axis, and how much is dated."""

import pytest

from graph.errors import UsageError
from graph.load import load_graph
from graph.query import filter_graph, schema_of
from graph.timeline import timeline
from tests.conftest import contract_graph


@pytest.fixture(scope="module")
def bundled():
    return load_graph("data")


def dated_graph():
    return contract_graph(
        [
            ("vawa", {"name": "VAWA", "type": "law", "date": "1994"}),
            ("tvpa", {"name": "TVPA", "type": "law", "date": "2000-10-28"}),
            ("ngo", {"name": "An NGO", "type": "ngo"}),
        ],
        [
            ("ngo", "tvpa", {"relation": "advocated_for", "date": "2000-05"}),
            ("vawa", "tvpa", {"relation": "precedes"}),
        ],
    )


def test_items_are_the_dated_entities_and_relations_earliest_first():
    t = timeline(dated_graph())
    assert [(i.kind, i.id, i.date) for i in t.items] == [
        ("entity", "vawa", "1994"),
        ("relation", "ngo|tvpa|0", "2000-05"),
        ("entity", "tvpa", "2000-10-28"),
    ]
    relation = t.items[1]
    assert relation.label == "An NGO advocated for TVPA"
    assert (relation.entity, relation.relation, relation.type) == ("ngo", "advocated_for", "ngo")
    assert (relation.start, relation.end) == ("2000-05-01", "2000-05-31")


def test_items_take_their_type_colour_and_label_from_the_schema():
    G = dated_graph()
    schema = schema_of(G)
    for item in timeline(G).items:
        assert item.color == schema.style(item.type).color
        assert item.type_label == schema.style(item.type).label


def test_undated_ones_are_counted_aside():
    t = timeline(dated_graph())
    assert (t.entities, t.dated_entities, t.undated_entities) == (3, 2, 1)
    assert (t.relations, t.dated_relations, t.undated_relations) == (2, 1, 1)
    assert t.sentence() == "2 of 3 entities and 1 of 2 relations carry a date"


def test_a_range_keeps_what_overlaps_it_as_the_years_filter_does(bundled):
    t = timeline(bundled, date_from="2013", date_to="2020")
    kept = filter_graph(bundled, date_from="2013", date_to="2020", keep_undated=False)
    assert {i.id for i in t.items if i.kind == "entity"} == set(kept)
    # Every dated relation the filter keeps is on the timeline (the timeline also keeps a
    # dated relation whose end is dated outside the range: it goes by its own date).
    with_undated = filter_graph(bundled, date_from="2013", date_to="2020")
    assert {
        f"{u}|{v}|{k}" for u, v, k, d in with_undated.edges(keys=True, data=True) if d["date"]
    } <= {i.id for i in t.items if i.kind == "relation"}
    assert all(i.end >= "2013-01-01" and i.start <= "2020-12-31" for i in t.items)
    assert t.range_note() == f"Shown: {len(t.items)} dated items from 2013 to 2020."


def test_a_bad_range_is_a_usage_error():
    with pytest.raises(UsageError, match="empty"):
        timeline(dated_graph(), date_from="2001", date_to="2000")


def test_the_sentence_on_the_bundled_data_is_counted(bundled):
    entities = sum(1 for _, d in bundled.nodes(data=True) if d.get("date"))
    relations = sum(1 for *_, d in bundled.edges(data=True) if d.get("date"))
    t = timeline(bundled)
    assert t.sentence() == (
        f"{entities:,} of {bundled.number_of_nodes():,} entities and "
        f"{relations:,} of {bundled.number_of_edges():,} relations carry a date"
    )
    assert len(t.items) == entities + relations
    assert t.as_dict()["undated_entities"] == bundled.number_of_nodes() - entities


def test_singular_counts_read_naturally():
    G = contract_graph([("a", {"name": "A", "type": "law", "date": "2001"})], [])
    assert timeline(G).sentence() == "1 of 1 entity and 0 of 0 relations carry a date"
