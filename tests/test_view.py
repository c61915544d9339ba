"""graph/view.py: one model of a view — its link codec and what it draws — without Streamlit."""

from __future__ import annotations

from dataclasses import fields

import pytest

from graph import view as views
from graph.view import MAX_DRAWN, View, from_query, parse_link, scene, to_query

from .conftest import contract_graph

# --- the codec ------------------------------------------------------------------------------


def test_every_field_of_a_view_survives_a_round_trip_through_a_link(small_graph):
    shown = View(
        focus="ncmec",
        depth=2,
        direction="out",
        types=("ngo", "tool"),
        relations=("runs",),
        documents=("d2",),
        min_sources=2,
        modalities=("stated", "proposed"),
        date_from="2020",
        date_to="2024-05",
        keep_undated=False,
        context=True,
        min_degree=2,
        hide_isolated=True,
        path_from="pact",
        path_to="ncmec",
        max_hops=5,
        path_choice=1,
        selected="ipa",
        highlight=("ipa", "pact"),
        layout="type",
        color_by="community",
        size_by="pagerank",
    )
    assert {f.name for f in fields(View)} == set(shown.changed()), "every field is changed"
    link = to_query(shown)
    assert set(link) == set(views.PARAM_NAMES)
    assert from_query(link, small_graph) == (shown, [])


def test_a_default_view_writes_no_parameters():
    assert to_query(View()) == {}


def test_a_link_is_a_whole_url_or_its_query_string(small_graph):
    url = "http://localhost:8501/?focus=ncmec&depth=2&types=ngo,tool&path=2"
    expected = View(focus="ncmec", depth=2, types=("ngo", "tool"), path_choice=1)
    assert from_query(url, small_graph) == (expected, [])
    assert from_query(url.split("?", 1)[1], small_graph) == (expected, [])
    assert from_query("?" + url.split("?", 1)[1], small_graph) == (expected, [])


def test_a_repeated_parameter_joins_its_values(small_graph):
    assert parse_link("types=ngo&types=tool") == {"types": ["ngo", "tool"]}
    assert from_query("types=ngo&types=tool", small_graph)[0].types == ("ngo", "tool")


def test_a_field_written_against_a_base_is_written_even_at_its_default(small_graph):
    base = View(focus="pact", highlight=("ipa",))
    assert to_query(View(), base) == {"focus": "", "highlight": ""}
    assert from_query({"focus": "", "highlight": ""}, small_graph, base)[0] == View()


@pytest.mark.parametrize(
    "link, problem",
    [
        (
            "focus=atlantis",
            "The link's focus names an entity that is not in this dataset: 'atlantis'.",
        ),
        (
            "types=ngo,spaceship",
            "The link's types names an entity type that is not in this dataset: 'spaceship'.",
        ),
        ("depth=abc", "The link's depth must be a whole number from 1 to 3, not 'abc'; using 1."),
        ("depth=9", "The link's depth must be from 1 to 3, not '9'; using 1."),
        ("depth=" + "9" * 5000, "The link's depth must be a whole number from 1 to 3"),
        (
            "layout=spiral",
            "The link's layout must be one of force, hierarchical, type, not "
            "'spiral'; using force.",
        ),
        (
            "since=2024-13-45",
            "The link's since must be a date YYYY, YYYY-MM or YYYY-MM-DD, not "
            "'2024-13-45'; left out.",
        ),
        ("undated=maybe", "The link's undated must be 1 or 0, not 'maybe'; left out."),
        ("path=4", "The link's path must be from 1 to 3, not '4'; using 1."),
    ],
)
def test_a_bad_value_is_named_and_the_rest_of_the_link_applies(small_graph, link, problem):
    view, problems = from_query(
        link + "&focus=ncmec&depth=2"
        if not link.startswith(("focus", "depth"))
        else link + "&selected=ipa",
        small_graph,
    )
    assert len(problems) == 1 and problems[0].startswith(problem), problems
    assert len(problems[0]) < 200, "a hostile value is clipped in the message"
    assert view.focus == "ncmec" or view.selected == "ipa"


def test_parameters_that_are_not_part_of_a_view_are_named():
    assert views.unknown_params("focus=a&tour=t&step=2&present=1&zoom=3") == [
        "The link's 'zoom' is not a view parameter; left out."
    ]


def test_a_display_setting_a_view_leaves_at_its_default_comes_from_the_display():
    step = View(focus="a", layout="type")
    shown = step.with_display(View(layout="hierarchical", color_by="community"))
    assert (shown.focus, shown.layout, shown.color_by) == ("a", "type", "community")


# --- what is drawn --------------------------------------------------------------------------


def test_a_focus_draws_its_neighbourhood_within_the_filters(small_graph):
    drawn = scene(small_graph, View(focus="ncmec", depth=1, types=("ngo", "tool")))
    assert set(drawn.graph) == {"ncmec", "ipa", "cybertipline"}
    assert not drawn.capped and drawn.total == 3 and drawn.notes == ()


def test_a_focus_hidden_by_the_filters_shows_the_filtered_graph_with_a_note(small_graph):
    drawn = scene(small_graph, View(focus="ncmec", types=("law",)))
    assert set(drawn.graph) == {"report_act"}
    assert drawn.notes == (
        "The focus entity National Center for Missing & Exploited Children "
        "is hidden by the filters, so the whole filtered graph is shown.",
    )


def test_a_path_is_found_within_the_filters_and_drawn_with_the_focus(small_graph):
    view = View(focus="interpol", path_from="interpol", path_to="ncmec", max_hops=4)
    drawn = scene(small_graph, view)
    assert [p.nodes for p in drawn.paths] == [["interpol", "pact", "ipa", "ncmec"]]
    assert {"interpol", "pact", "ipa", "ncmec"} <= set(drawn.graph)
    nodes, edges = drawn.highlight(view)
    assert nodes == ["interpol", "pact", "ipa", "ncmec"] and len(edges) == 3


def test_a_bad_date_filter_is_ignored_with_a_note(small_graph):
    drawn = scene(small_graph, View(date_from="2025", date_to="2020"))
    assert drawn.entities == small_graph.number_of_nodes()
    assert drawn.notes and drawn.notes[0].startswith("Date filter ignored:")


def test_a_large_view_is_capped_by_its_size_measure_keeping_the_focus_and_path():
    nodes = [(f"n{i}", {}) for i in range(MAX_DRAWN + 200)]
    edges = [("n0", f"n{i}", {}) for i in range(1, 400)] + [
        (f"n{i}", f"n{i + 1}", {}) for i in range(400, MAX_DRAWN + 199)
    ]
    G = contract_graph(nodes, edges)
    view = View(path_from=f"n{MAX_DRAWN + 150}", path_to=f"n{MAX_DRAWN + 152}")
    drawn = scene(G, view)
    assert drawn.capped_by == "degree" and drawn.total == MAX_DRAWN + 200
    assert drawn.entities == MAX_DRAWN and "n0" in drawn.graph
    assert {f"n{MAX_DRAWN + i}" for i in (150, 151, 152)} <= set(drawn.graph)
    assert drawn.cap_note().startswith(f"Showing 1,500 of {MAX_DRAWN + 200:,} — narrow")
    assert scene(G, view, max_drawn=None).entities == MAX_DRAWN + 200


def test_betweenness_ranks_the_cap_only_where_it_is_affordable():
    assert views.cap_measure(View(size_by="betweenness"), 4_000) == "betweenness"
    assert views.cap_measure(View(size_by="betweenness"), 6_000) == "degree"
    assert views.cap_measure(View(size_by="pagerank"), 60_000) == "degree"


def test_the_scene_key_names_what_is_drawn_not_how(small_graph):
    a = scene(small_graph, View(focus="ncmec", layout="type", selected="ipa"))
    b = scene(small_graph, View(focus="ncmec", color_by="community", size_by="pagerank"))
    c = scene(small_graph, View(focus="pact"))
    assert a.key == b.key != c.key


def test_the_drawing_carries_positions_and_highlights_for_every_drawn_entity(small_graph):
    view = View(
        focus="ncmec", highlight=("ipa", "interpol"), layout="hierarchical", size_by="pagerank"
    )
    drawn = scene(small_graph, view)
    look = views.drawing(drawn, view)
    assert set(look.positions) == set(drawn.graph)
    assert look.highlight_nodes == ("ipa",), "a highlight that is not drawn is left out"
    assert set(look.size_by) == set(drawn.graph)
    assert look.options()["positions"] is look.positions


def test_the_library_view_needs_no_streamlit():
    import subprocess
    import sys

    code = "import sys, graph.view, graph.tours, graph.cli; print('streamlit' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# --- filters that keep context --------------------------------------------------------------


def test_a_type_filter_with_context_keeps_the_neighbours_of_what_it_selects(small_graph):
    plain = scene(small_graph, View(types=("law",)))
    assert set(plain.graph) == {"report_act"} and plain.relations == 0
    drawn = scene(small_graph, View(types=("law",), context=True))
    assert set(drawn.graph) == {"report_act", "cybertipline"}
    assert drawn.context == {"cybertipline"}, "the neighbour is context, the law is not"
    assert list(drawn.graph.edges()) == [("report_act", "cybertipline")]


def test_context_leaves_out_relations_among_the_neighbours(small_graph):
    # pact's neighbours ipa and interpol; ncmec -> ipa is a relation between context only
    drawn = scene(small_graph, View(types=("ngo",), context=True))
    ngos = {"pact", "ipa", "ncmec"}
    assert set(drawn.graph) == ngos | {"interpol", "cybertipline"}
    assert drawn.context == {"interpol", "cybertipline"}
    for u, v in drawn.graph.edges():
        assert u in ngos or v in ngos, (u, v)


def test_a_relation_filter_with_context_adds_the_other_relations_of_its_entities(small_graph):
    plain = scene(small_graph, View(relations=("runs",)))
    assert set(plain.graph) == {"ncmec", "cybertipline"}
    drawn = scene(small_graph, View(relations=("runs",), context=True))
    assert set(drawn.graph) == {"ncmec", "cybertipline", "ipa", "report_act"}
    assert drawn.context == {"ipa", "report_act"}


def test_a_document_filter_with_context_keeps_neighbours_within_the_date_range(small_graph):
    drawn = scene(small_graph, View(documents=("d1",), context=True))
    # d1's relations join interpol, operation_synergia, pact and ipa; ncmec supports ipa
    assert drawn.context == {"ncmec"}
    dated = scene(small_graph, View(types=("law",), context=True, date_to="2023"))
    assert set(dated.graph) == set(), "the law (2024) is outside the range: nothing to keep"


def test_context_without_a_type_relation_or_document_filter_changes_nothing(small_graph):
    assert scene(small_graph, View(context=True)).graph is small_graph
    assert scene(small_graph, View(context=True)).context == frozenset()


def test_a_focus_within_a_filter_with_context_reaches_through_the_neighbours(small_graph):
    drawn = scene(small_graph, View(focus="report_act", types=("law",), context=True))
    assert set(drawn.graph) == {"report_act", "cybertipline"}
    assert drawn.context == {"cybertipline"}


def test_context_is_a_link_parameter_and_part_of_what_the_scene_draws(small_graph):
    view = View(types=("law",), context=True)
    assert to_query(view) == {"types": "law", "context": "1"}
    assert from_query("types=law&context=1", small_graph) == (view, [])
    assert scene(small_graph, view).key != scene(small_graph, View(types=("law",))).key


def test_the_drawing_fades_the_context_and_the_page_data_marks_it(small_graph):
    from graph.vis import vis_data

    view = View(types=("law",), context=True)
    drawn = scene(small_graph, view)
    look = views.drawing(drawn, view)
    assert look.faded_nodes == ("cybertipline",)
    nodes = {n["id"]: n for n in vis_data(drawn.graph, **look.options())["nodes"]}
    assert nodes["cybertipline"]["faded"] is True
    assert nodes["cybertipline"]["color"]["background"].startswith("rgba(")
    assert "faded" not in nodes["report_act"]
    assert nodes["report_act"]["color"]["background"].startswith("#")


# --- provenance filters (issue 11) --------------------------------------------------------------


def test_the_provenance_filters_travel_in_a_link_and_filter_the_view():
    from graph.load import load_graph

    G = load_graph(
        {
            "entities.csv": "id,name,type\nact,Act,law\nbody,Body,agency\nipa,IPA,ngo\n",
            "relations.csv": "source,target,relation,modality,documents\n"
            "act,body,establishes,proposed,d1\nipa,act,advocates_for,,d1|d2\n",
            "documents.csv": "id,title\nd1,One\nd2,Two\n",
        }
    )
    view = View(min_sources=2, modalities=("stated",))
    assert to_query(view) == {"sources": "2", "modality": "stated"}
    assert from_query("sources=2&modality=stated", G) == (view, [])
    assert sorted(scene(G, view).graph.edges()) == [("ipa", "act")]
    assert sorted(scene(G, View(modalities=("proposed",))).graph) == ["act", "body"]
    view, problems = from_query("sources=abc&modality=maybe,proposed", G)
    assert (view.min_sources, view.modalities) == (0, ("proposed",))
    assert problems == [
        "The link's sources must be a whole number from 0 to 99, not 'abc'; using 0.",
        "The link's modality names a modality that is not in this dataset: 'maybe'.",
    ]
