"""graph/schema.py: entity types and relations are declared once, as data."""

import tomllib
from pathlib import Path

import pytest

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


# --- modality, declared types, and errors in the declarations themselves ----------------------


def test_a_relation_reads_in_each_modality():
    schema = default_schema()
    assert schema.sentence("EARN IT", "establishes", "a commission", "proposed") == (
        "EARN IT would establish a commission"
    )
    assert schema.sentence("AI", "abused_for", "Recruitment", "hedged") == (
        "AI may be abused by traffickers for Recruitment"
    )
    assert schema.sentence("Lab", "part_of", "MIT", "inferred") == "Lab is part of MIT (inferred)"
    assert schema.sentence("Lab", "part_of", "MIT", "stated") == "Lab is part of MIT"
    assert schema.inverse_sentence("Synergia", "led", "INTERPOL", "proposed") == (
        "Synergia would be led by INTERPOL"
    )
    assert schema.inverse_sentence("Body", "establishes", "EARN IT", "proposed") == (
        "Body would be established by EARN IT"
    )


def test_every_built_in_relation_declares_its_bare_form_and_the_types_it_joins():
    schema = default_schema()
    known = set(schema.entity_types) | {"trafficking_stage", "trafficking_form", "requirement", "*"}
    for relation in schema.relation_types.values():
        assert relation.base, relation.id
        assert relation.checked, relation.id
        assert set(relation.source) | set(relation.target) <= known, relation.id
        assert not relation.phrase.startswith("would "), relation.id  # modality says "would"


def test_declared_types_allow_and_refuse():
    schema = default_schema()
    assert schema.relation("passed").allows("agency", "law")
    assert not schema.relation("passed").allows("ngo", "law")
    assert schema.relation("concerns").allows("finding", "spaceship")  # target "*": any type
    assert schema.relation("not_declared_here").allows("ngo", "law")  # undeclared: unchecked


def test_every_problem_in_the_declaration_files_is_reported_at_once_with_its_line(tmp_path):
    from graph.schema import SchemaError, read_schema

    entities = tmp_path / "entity_types.toml"
    relations = tmp_path / "relation_types.toml"
    entities.write_text(
        '[ngo]\nlabel = "NGO"\ncolour = "#117733"\nshape = "dot"\n\n'
        '[law]\nlabel = "Law"\ncolor = "red"\nshape = "dot"\n',
        encoding="utf-8",
    )
    relations.write_text(
        '[led]\nphrase = "led"\nsource = ["Agency"]\n\n[runs]\nphrase = 3\nsorce = ["ngo"]\n',
        encoding="utf-8",
    )
    with pytest.raises(SchemaError) as caught:
        read_schema(entities, relations)
    assert [str(p) for p in caught.value.problems] == [
        "entity_types.toml:1: [ngo]: missing key 'color'",
        "entity_types.toml:3: [ngo]: unknown key 'colour' (keys: label, color, shape, description)",
        "entity_types.toml:8: [law]: colour 'red' is not #RRGGBB",
        "relation_types.toml:3: [led]: source type 'Agency' is not snake_case (or '*': any)",
        "relation_types.toml:6: [runs]: phrase must be text",
        "relation_types.toml:7: [runs]: unknown key 'sorce' (keys: phrase, inverse, base, "
        "inverse_base, proposed, hedged, source, target, description, cues)",
    ]


def test_a_declaration_that_is_not_toml_names_its_line(tmp_path):
    from graph.schema import SchemaError, schema_from_text

    with pytest.raises(SchemaError, match=r"relation_types.toml:2: not valid TOML"):
        schema_from_text(
            '[ngo]\nlabel = "NGO"\ncolor = "#117733"\nshape = "dot"\n', "[led]\nphrase led\n"
        )


def test_a_relation_declares_the_cues_that_state_it_in_a_text():
    from graph.schema import schema_from_text

    schema = schema_from_text("", '[led]\nphrase = "led"\ncues = ["led", " spearheaded "]\n')
    assert schema.relation("led").cues == ("led", "spearheaded")
    assert schema.relation("other").cues == ()
    assert "spearheaded" in default_schema().relation("led").cues


def test_cues_must_be_a_list_of_phrases():
    from graph.schema import SchemaError, schema_from_text

    with pytest.raises(SchemaError) as caught:
        schema_from_text(
            "",
            '[led]\nphrase = "led"\ncues = "led"\n\n[runs]\nphrase = "runs"\ncues = ["runs", ""]\n',
        )
    assert [str(p) for p in caught.value.problems] == [
        'relation_types.toml:3: [led]: cues must be a list of phrases, e.g. ["led"]',
        'relation_types.toml:7: [runs]: cues must be a list of phrases, e.g. ["led"]',
    ]
