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
        ("9" * 5001, r"not valid YAML \(a number with more than 4,300 digits\)"),
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


# --- hostile tour files (issue 12): a tour file is data too ----------------------------------

import json  # noqa: E402
import os  # noqa: E402
import time  # noqa: E402

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from graph import tours as tours_module  # noqa: E402
from graph.load import load_graph  # noqa: E402

from .conftest import DOCUMENTS, ENTITIES, RELATIONS  # noqa: E402

SMALL = load_graph(
    {"entities.csv": ENTITIES, "relations.csv": RELATIONS, "documents.csv": DOCUMENTS}
)  # the small_graph fixture's data, once: hypothesis runs a test many times

LAUGHS = (
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    + "".join(f"{b}: &{b} [{', '.join([f'*{a}'] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi"))
    + "tours: [{id: *i, title: *i, summary: *i, steps: *i}]\n"
)


def tour_error(text: str, graph, syntax: str = "yaml") -> str:
    """The message of the TourError ``text`` raises, checked to be short and quick."""
    started = time.perf_counter()
    with pytest.raises(TourError) as caught:
        parse_tours(text, graph, syntax=syntax)
    assert time.perf_counter() - started < 5
    message = str(caught.value)
    assert len(message) < 20_000
    return message


@pytest.mark.parametrize(
    "text, syntax",
    [
        ("[" * 100_000, "yaml"),  # tours.json of 100k nested lists
        ('{"tours": ' * 50_000, "yaml"),
        ("tours:\n" + "".join("  " * i + "- \n" for i in range(1, 500)), "yaml"),
        ("tours = " + "[" * 100_000, "toml"),
        ("tours = " + "{a = " * 20_000, "toml"),
        ("tours = " + "[" * 40 + "]" * 40, "toml"),  # parses, then is found too deep
        ("[" + ".".join(["a"] * 5_000) + "]\n", "toml"),
    ],
    ids=["json-lists", "json-maps", "yaml-block", "toml-lists", "toml-tables", "toml-40", "dotted"],
)
def test_deep_nesting_is_a_tour_error_not_a_recursion_error(small_graph, text, syntax):
    message = tour_error(text, small_graph, syntax)
    assert "nested more than 16 deep (graph.tours.MAX_TOUR_NESTING)" in message


def test_a_billion_laughs_is_refused_at_its_first_anchor(small_graph):
    assert len(LAUGHS) < 600
    assert tour_error(LAUGHS, small_graph) == (
        "tours: line 1: anchors and aliases (&name, *name) are not allowed in a tour file; "
        "write each value out"
    )


def test_a_single_alias_is_refused_too(small_graph):
    text = GOOD.replace("documents: [d2]", "documents: &docs [d2]").replace(
        "highlight: [ipa]}", "highlight: [ipa]}\n        documents: *docs"
    )
    assert "anchors and aliases" in tour_error(text, small_graph)


def test_a_5001_digit_depth_in_toml_is_a_tour_error(small_graph):
    message = tour_error(
        GOOD_TOML.replace("depth = 2", "depth = " + "9" * 5001), small_graph, "toml"
    )
    assert message == "tours: not valid TOML (a number with more than 4,300 digits)"


def test_error_text_is_capped_in_count_and_length(small_graph):
    steps = "".join(
        f"      - title: S{i}\n        narration: N\n        view: {{focus: {'x' * 1_000}}}\n"
        for i in range(500)
    )
    text = "tours:\n  - id: t\n    title: T\n    summary: S\n    steps:\n" + steps
    error = pytest.raises(TourError, parse_tours, text, small_graph).value
    assert len(error.problems) == tours_module.MAX_PROBLEMS + 1
    assert error.problems[-1] == "... and 450 more problems"
    assert all(len(p) <= tours_module.MAX_PROBLEM_CHARS for p in error.problems)
    assert len(str(error)) < 20_000


def test_a_tour_file_over_the_size_limit_is_not_read(small_graph, tmp_path):
    path = tmp_path / "tours.yaml"
    path.write_text(GOOD + "#" * tours_module.MAX_TOUR_BYTES)
    with pytest.raises(
        TourError, match=r"^tours.yaml: is 1,000,\d+ bytes, more than the 1,000,000"
    ):
        load_tours(path, small_graph)


def test_a_fifo_tour_file_is_refused_without_waiting(small_graph, tmp_path):
    os.mkfifo(tmp_path / "tours.yaml")
    with pytest.raises(TourError, match="is not a regular file"):
        load_tours(tmp_path / "tours.yaml", small_graph)


def test_json_dump_s_surrogate_pairs_are_read_as_the_character(small_graph, tmp_path):
    tours = json.loads(json.dumps({"tours": [{}]}))  # a plain structure to fill
    tours["tours"][0] = {
        "id": "web",
        "title": "\U0001f578 The web",
        "summary": "Spiders \U0001f577 and webs.",
        "steps": [{"title": "\U0001f578", "narration": "N.", "view": {"focus": "ncmec"}}],
    }
    path = tmp_path / "tours.json"
    path.write_text(json.dumps(tours))  # ensure_ascii: "\ud83d\udd78"
    assert "\\ud83d\\udd78" in path.read_text()
    [tour] = load_tours(path, small_graph)
    assert (tour.title, tour.summary, tour.steps[0].title) == (
        "\U0001f578 The web",
        "Spiders \U0001f577 and webs.",
        "\U0001f578",
    )
    assert tour.title.encode("utf-8")  # what the app died on


@pytest.mark.parametrize("half", ["\\ud83d", "\\udd78", "\\udd78\\ud83d"])
def test_a_lone_surrogate_is_a_tour_error_naming_where(small_graph, half):
    text = GOOD.replace("title: The hotline", f'title: "The {half} hotline"')
    message = tour_error(text, small_graph)
    assert message.startswith("tours: tours[0].steps[0].title: holds a lone surrogate (\\ud")


@given(title=st.text(min_size=1, max_size=30).filter(str.strip))
@settings(max_examples=80, deadline=None)
def test_any_title_written_by_json_dump_reads_back(title):
    document = {
        "tours": [
            {
                "id": "t",
                "title": title,
                "summary": "S",
                "steps": [{"title": "A", "narration": "N", "view": {"focus": "ncmec"}}],
            }
        ]
    }
    for ensure_ascii in (True, False):
        text = json.dumps(document, ensure_ascii=ensure_ascii)
        try:
            [tour] = parse_tours(text, SMALL)
        except TourError as error:  # YAML refuses some raw characters; never a crash
            assert not ensure_ascii and "not valid YAML" in str(error)
            continue
        assert tour.title == " ".join(title.split())
        tour.title.encode("utf-8")
