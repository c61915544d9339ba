"""graph/schema.py: entity types and relations are declared once, as data."""

import tomllib
from pathlib import Path

from graph.schema import VIS_SHAPES, default_schema

BUILT_IN = (
    "agency international_org ngo coalition company research operation tool law report "
    "event program person place technology finding"
).split()


def test_every_built_in_type_is_declared_with_label_colour_and_shape():
    schema = default_schema()
    assert schema.type_ids() == BUILT_IN
    for type_id in BUILT_IN:
        style = schema.entity_types[type_id]
        assert style.label and style.color.startswith("#") and style.shape in VIS_SHAPES


def test_no_two_types_share_both_colour_and_shape():
    pairs = [(t.color, t.shape) for t in default_schema().entity_types.values()]
    assert len(set(pairs)) == len(pairs)
    assert len({t.color for t in default_schema().entity_types.values()}) == len(pairs)


def test_an_undeclared_type_gets_a_neutral_fallback_style():
    style = default_schema().style("spaceship")
    assert (style.color, style.shape, style.label) == ("#BBBBBB", "dot", "Spaceship")


def test_relations_read_as_sentences_from_both_ends():
    schema = default_schema()
    assert (
        schema.sentence("INTERPOL", "led", "Operation Synergia")
        == "INTERPOL led Operation Synergia"
    )
    assert (
        schema.inverse_sentence("Operation Synergia", "led", "INTERPOL")
        == "Operation Synergia was led by INTERPOL"
    )


def test_an_undeclared_relation_reads_from_its_snake_case_id():
    assert default_schema().phrase("teaches_online_safety_to") == "teaches online safety to"


def test_types_csv_rows_add_and_restyle_types():
    schema = default_schema().with_entity_types(
        [
            {"type": "ngo", "color": "#123456"},
            {"type": "hotline", "label": "Hotline", "shape": "star"},
        ]
    )
    assert schema.entity_types["ngo"].color == "#123456"
    assert schema.entity_types["ngo"].label == "NGO"
    assert schema.entity_types["hotline"].shape == "star"
    assert "hotline" not in default_schema().entity_types


def test_every_declared_relation_has_a_phrase_and_an_inverse():
    declared = tomllib.loads(Path("graph/relation_types.toml").read_text(encoding="utf-8"))
    for rel_id, spec in declared.items():
        assert spec["phrase"] and spec["inverse"], rel_id


def test_importing_the_library_does_not_import_streamlit():
    import subprocess
    import sys

    code = (
        "import sys, graph, graph.load, graph.query, graph.search, graph.analytics, "
        "graph.export, graph.cli; print('streamlit' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
