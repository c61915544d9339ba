"""graph/tours.py: tours are data, checked against the graph with errors naming tour and step."""

from pathlib import Path

import pytest

from graph.tours import TourError, load_tours, parse_tours

ROOT = Path(__file__).resolve().parent.parent

GOOD = """
tours:
  - id: pipeline
    title: From platform to prosecution
    summary: How a report travels.
    steps:
      - title: The hotline
        narration: NCMEC runs the CyberTipline. The REPORT Act changed it.
        documents: [d2]
        view: {focus: ncmec, depth: 2, types: [ngo, tool, law], relations: [runs]}
      - title: A path
        narration: PACT reaches NCMEC through IPA.
        view: {path: [pact, ncmec], highlight: [ipa]}
"""


def test_a_good_tour_file_parses_into_tours_steps_and_views(small_graph):
    [tour] = parse_tours(GOOD, small_graph)
    assert (tour.id, tour.title, len(tour.steps)) == ("pipeline", "From platform to prosecution", 2)
    first, second = tour.steps
    assert (first.view.focus, first.view.depth, first.view.types) == (
        "ncmec",
        2,
        ("ngo", "tool", "law"),
    )
    assert first.documents == ("d2",)
    assert (second.view.path_from, second.view.path_to) == ("pact", "ncmec")
    assert second.view.focus == "pact", "a path without a focus is drawn around its start"
    assert tour.entities() == {"ncmec", "pact", "ipa"}


@pytest.mark.parametrize(
    "change, message",
    [
        (
            ("focus: ncmec", "focus: nobody"),
            "tour 'pipeline', step 1 ('The hotline'): view.focus: names an entity that is not "
            "in this dataset: 'nobody'.",
        ),
        (
            ("depth: 2", "depth: 7"),
            "step 1 ('The hotline'): view.depth: must be from 1 to 3, not '7'",
        ),
        (
            ("[ngo, tool, law]", "[ngo, spaceship]"),
            "view.types: names an entity type that is not in this dataset: 'spaceship'",
        ),
        (
            ("relations: [runs]", "relations: [flies]"),
            "view.relations: names a relation that is not in this dataset: 'flies'",
        ),
        (
            ("documents: [d2]", "documents: [d9]"),
            "step 1 ('The hotline'): documents: unknown document 'd9'",
        ),
        (("path: [pact, ncmec]", "path: [pact]"), "step 2 ('A path'): view.path: expected two"),
        (
            ("highlight: [ipa]", "highlight: [ipa], zoom: 3"),
            "step 2 ('A path'): view.zoom: unknown key",
        ),
        (
            ("        narration: PACT reaches NCMEC through IPA.\n", ""),
            "step 2 ('A path'): 'narration' must be non-empty text",
        ),
        (("id: pipeline", "id: Pipe Line"), "tour 'Pipe Line': id must be lower-case"),
    ],
)
def test_a_bad_step_names_its_tour_step_and_problem(small_graph, change, message):
    with pytest.raises(TourError) as caught:
        parse_tours(GOOD.replace(*change), small_graph)
    assert any(message in p for p in caught.value.problems), caught.value.problems


def test_invalid_yaml_names_the_line(small_graph):
    with pytest.raises(TourError, match=r"tours: line 3: not valid YAML"):
        parse_tours("tours:\n  - id: x\n   title: [unclosed\n", small_graph)


def test_a_file_without_tours_is_an_error(small_graph):
    with pytest.raises(TourError, match="top-level 'tours:' list"):
        parse_tours("hello: world\n", small_graph)


def test_duplicate_tour_ids_are_an_error(small_graph):
    body = GOOD.split("tours:\n", 1)[1]
    with pytest.raises(TourError, match="tour id 'pipeline' is used twice"):
        parse_tours("tours:\n" + body + body, small_graph)


def test_a_missing_tour_file_is_a_tour_error(small_graph, tmp_path):
    with pytest.raises(TourError, match="cannot be read"):
        load_tours(tmp_path / "tours.yaml", small_graph)


GOOD_TOML = """
[[tours]]
id = "pipeline"
title = "From platform to prosecution"
summary = "How a report travels."

[[tours.steps]]
title = "The hotline"
narration = "NCMEC runs the CyberTipline. The REPORT Act changed it."
documents = ["d2"]
view = {focus = "ncmec", depth = 2, types = ["ngo", "tool", "law"], relations = ["runs"]}

[[tours.steps]]
title = "A path"
narration = "PACT reaches NCMEC through IPA."
view = {path = ["pact", "ncmec"], highlight = ["ipa"]}
"""


@pytest.mark.parametrize(
    "name, text",
    [
        ("tours.toml", GOOD_TOML),
        (
            "tours.json",
            '{"tours": [{"id": "pipeline", "title": "From platform to prosecution", '
            '"summary": "How a report travels.", "steps": ['
            '{"title": "The hotline", "narration": "NCMEC runs the CyberTipline. The '
            'REPORT Act changed it.", "documents": ["d2"], "view": {"focus": "ncmec", '
            '"depth": 2, "types": ["ngo", "tool", "law"], "relations": ["runs"]}}, '
            '{"title": "A path", "narration": "PACT reaches NCMEC through IPA.", '
            '"view": {"path": ["pact", "ncmec"], "highlight": ["ipa"]}}]}]}',
        ),
    ],
)
def test_toml_and_json_tour_files_read_the_same_as_yaml(small_graph, tmp_path, name, text):
    (tmp_path / name).write_text(text)
    assert load_tours(tmp_path / name, small_graph) == parse_tours(GOOD, small_graph)


def test_bad_toml_is_reported_with_its_line(small_graph, tmp_path):
    (tmp_path / "tours.toml").write_text('[[tours]]\nid = "x"\ntitle = \n')
    with pytest.raises(TourError, match=r"^tours.toml: line 3: not valid TOML \(Invalid value\)"):
        load_tours(tmp_path / "tours.toml", small_graph)


def test_toml_tours_are_checked_against_the_graph_like_yaml(small_graph):
    with pytest.raises(
        TourError, match=r"tour 'pipeline', step 1 .*view.focus: names an entity .*'nobody'"
    ):
        parse_tours(
            GOOD_TOML.replace('focus = "ncmec"', 'focus = "nobody"'), small_graph, syntax="toml"
        )


def test_a_step_view_takes_every_link_parameter(small_graph):
    text = GOOD.replace(
        "{focus: ncmec, depth: 2, types: [ngo, tool, law], relations: [runs]}",
        "{focus: ncmec, direction: out, since: '2020', min_degree: 1, "
        "layout: hierarchical, selected: cybertipline}",
    )
    view = parse_tours(text, small_graph)[0].steps[0].view
    assert (view.direction, view.date_from, view.min_degree, view.layout, view.selected) == (
        "out",
        "2020",
        1,
        "hierarchical",
        "cybertipline",
    )


@pytest.mark.parametrize(
    "depth, message",
    [
        ("9" * 5001, r"not valid YAML \(Exceeds the limit"),
        ("[[[[1]]]]", "view.depth: must be"),
        ("abc", "view.depth: must be"),
        ("-1", "view.depth: must be"),
    ],
)
def test_a_step_depth_that_is_not_a_small_number_is_a_tour_error(small_graph, depth, message):
    with pytest.raises(TourError, match=message):
        parse_tours(GOOD.replace("depth: 2", f"depth: {depth}"), small_graph)


def test_a_highlight_the_steps_view_would_not_draw_names_the_tour_step_and_entity(small_graph):
    # Step 1 keeps only `runs` relations: the REPORT Act (joined by `concerns`) is not drawn.
    text = GOOD.replace("relations: [runs]}", "relations: [runs], highlight: [report_act]}")
    with pytest.raises(TourError) as caught:
        parse_tours(text, small_graph)
    assert caught.value.problems == [
        "tour 'pipeline', step 1 ('The hotline'): view.highlight: 'REPORT Act' (report_act) is "
        "not drawn by this step's view; widen it (depth, filters, a path) or drop the highlight"
    ]


def test_a_highlight_drawn_by_the_steps_view_loads(small_graph):
    text = GOOD.replace(
        "relations: [runs]}", "relations: [runs, concerns], highlight: [report_act]}"
    )
    [tour] = parse_tours(text, small_graph)
    assert tour.steps[0].view.highlight == ("report_act",)


def test_a_highlight_on_the_steps_path_is_drawn_without_a_focus_depth(small_graph):
    # Step 2 draws the path pact -> ipa -> ncmec around pact: ipa is on it, interpol is pact's
    # neighbour, cybertipline is neither.
    ok = GOOD.replace("highlight: [ipa]", "highlight: [ipa, interpol]")
    assert parse_tours(ok, small_graph)[0].steps[1].view.highlight == ("ipa", "interpol")
    bad = GOOD.replace("highlight: [ipa]", "highlight: [ipa, cybertipline]")
    with pytest.raises(TourError, match=r"step 2 \('A path'\): view.highlight: 'CyberTipline'"):
        parse_tours(bad, small_graph)
