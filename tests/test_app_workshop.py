"""Workshops and sharing, driven headless with AppTest: deep links, guided tours, presentation
mode and the PNG snapshot's file name.

Links are AppTest query parameters: set before the first run they are the link the session
opened; after a run they are what the app wrote to the address bar.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from graph.load import load_graph
from graph.tours import load_tours
from graph.view import View
from ui import links
from ui.tours import step_view

from .test_app import APP, GOOD, component_data, drawn, drawn_ids, start, texts, upload, view

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "data"


def open_link(data: Path = GOOD, **params: str) -> AppTest:
    """A new session opened with ``?key=value&…``."""
    return start(data, query=params)


def link(at: AppTest) -> dict:
    """What the app last wrote to the address bar."""
    return dict(at.query_params)


def warnings(at: AppTest) -> str:
    return "\n".join(w.value for w in at.warning).replace("\\", "")


def bundled_tours():
    G = load_graph(BUNDLED)
    return G, load_tours(BUNDLED / "tours.yaml", G)


# --- deep links: the URL into the view ---------------------------------------------------


def test_a_link_opens_the_view_it_describes():
    at = open_link(focus="pact", depth="2", selected="ecpat")
    assert view(at).focus == "pact" and view(at).depth == 2
    assert drawn_ids(at) == {"pact", "ecpat", "ncmec", "c3p"}
    assert view(at).selected == "ecpat"
    assert at.selectbox(key="sidebar_focus").value == "pact"  # the controls show the link's view
    assert at.slider(key="sidebar_depth").value == 2
    assert not at.warning


def test_a_link_with_filters_a_path_and_display_settings():
    at = open_link(
        types="ngo,tool",
        relations="partnered_with",
        **{"from": "pact", "to": "ncmec"},
        hops="3",
        layout="hierarchical",
        color="community",
        size="pagerank",
    )
    v = view(at)
    assert v.types == ("ngo", "tool") and v.relations == ("partnered_with",)
    assert (v.path_from, v.path_to, v.max_hops) == ("pact", "ncmec", 3)
    assert (v.layout, v.color_by, v.size_by) == ("hierarchical", "community", "pagerank")
    lit = {e["id"] for e in drawn(at)["edges"] if e["highlighted"]}
    assert lit == {"pact|ecpat|0", "ecpat|ncmec|0"}


def test_every_field_of_the_view_survives_a_round_trip_through_a_link():
    shown = View(
        focus="ncmec",
        depth=2,
        direction="out",
        types=("ngo", "tool"),
        relations=("runs", "partnered_with"),
        documents=("fixture_doc_a",),
        date_from="2020",
        date_to="2024-06",
        keep_undated=False,
        min_degree=1,
        hide_isolated=True,
        path_from="pact",
        path_to="cybertipline",
        max_hops=5,
        path_choice=1,
        selected="cybertipline",
        highlight=("thorn",),
        layout="type",
        color_by="community",
        size_by="betweenness",
    )
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.session_state["dataset_dir"] = str(GOOD)
    at.session_state["view"] = shown
    at.run()
    written = link(at)
    assert written["focus"] == "ncmec" and written["types"] == "ngo,tool"
    assert written["path"] == "2"  # counted from 1
    reopened = open_link(**written)
    assert view(reopened) == shown
    assert link(reopened) == written
    assert "link" not in warnings(reopened)


def test_a_default_view_writes_no_parameters():
    at = open_link()
    assert link(at) == {}


# --- deep links: the view into the URL ---------------------------------------------------


def test_changing_the_view_updates_the_link():
    at = open_link()
    at.selectbox(key="sidebar_focus").set_value("pact").run()
    assert link(at) == {"focus": "pact"}
    at.slider(key="sidebar_depth").set_value(2).run()
    assert link(at)["depth"] == "2"
    at.multiselect(key="sidebar_types").set_value(["ngo"]).run()
    assert link(at)["types"] == "ngo"
    at.button(key="sidebar_reset").click().run()
    assert link(at) == {}


def test_a_search_selection_is_in_the_link():
    at = open_link()
    at.text_input(key="sidebar_search").input("Thorn").run()
    assert link(at) == {"selected": "thorn"}


def test_the_copy_link_control_holds_the_link_to_this_view():
    at = open_link(focus="thorn")
    [box] = at.code
    assert box.value.endswith("?focus=thorn")
    at.multiselect(key="sidebar_types").set_value(["tool", "ngo"]).run()
    assert at.code[0].value.endswith("?focus=thorn&types=tool,ngo")


# --- deep links: what cannot be used -------------------------------------------------------


def test_unknown_ids_in_a_link_are_named_and_the_rest_of_the_view_applies():
    at = open_link(
        focus="nowhere",
        types="tool,spaceship",
        relations="teleports",
        documents="lost_doc",
        selected="ghost",
        depth="2",
    )
    said = warnings(at)
    for name in ("'nowhere'", "'spaceship'", "'teleports'", "'lost_doc'", "'ghost'"):
        assert name in said, said
    v = view(at)
    assert v.focus is None and v.selected is None and v.depth == 2
    assert v.types == ("tool",) and v.relations == () and v.documents == ()
    assert {n["type"] for n in drawn(at)["nodes"]} == {"tool"}
    assert link(at) == {"depth": "2", "types": "tool"}  # the address bar is cleaned up


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"depth": "abc"}, "depth must be a whole number from 1 to 3, not 'abc'; using 1"),
        ({"depth": "9"}, "depth must be from 1 to 3, not '9'"),
        ({"hops": "-1"}, "hops must be from 1 to 6"),
        ({"path": "0"}, "path must be from 1 to 3"),
        ({"layout": "spiral"}, "layout must be one of force, hierarchical, type, not 'spiral'"),
        ({"since": "2024-13-45"}, "since must be a date YYYY, YYYY-MM or YYYY-MM-DD"),
        ({"hide_isolated": "maybe"}, "hide_isolated must be 1 or 0, not 'maybe'"),
        ({"present": "please"}, "present must be 1 or 0, not 'please'"),
        (
            {"tour": "nope"},
            "tour 'nope' is not one of this dataset's tours (this dataset has none)",
        ),
    ],
)
def test_a_malformed_value_gives_a_warning_and_the_default(params, expected):
    at = open_link(**params)
    assert expected in warnings(at)
    assert view(at) == View()
    assert len(drawn(at)["nodes"]) == 15


def test_the_warning_goes_once_the_view_changes():
    at = open_link(focus="nowhere")
    assert at.warning
    at.selectbox(key="sidebar_focus").set_value("pact").run()
    assert not at.warning


def test_the_app_reads_links_with_the_library_codec():
    from graph import view as views

    G = load_graph(GOOD)
    base = View(focus="pact", highlight=("ecpat",))
    assert links.to_query is views.to_query and links.from_query is views.from_query
    assert views.to_query(View(), base) == {"focus": "", "highlight": ""}
    assert views.from_query({"focus": "", "highlight": ""}, G, base)[0] == View()


# --- guided tours ---------------------------------------------------------------------------


def test_starting_a_tour_applies_step_one_and_next_applies_step_two():
    G, tours = bundled_tours()
    tour = next(t for t in tours if t.id == "who_fights_back")
    at = open_link(BUNDLED)
    at.button(key="tour_picker_who_fights_back").click().run()
    assert view(at) == step_view(tour.steps[0])
    assert link(at) == {"tour": "who_fights_back", "step": "1"}
    page = texts(at)
    assert "Step 1 of 7" in page and tour.steps[0].narration[:40] in page.replace("\\", "")
    at.button(key="tour_card_next").click().run()
    assert view(at) == step_view(tour.steps[1])
    assert view(at).focus == "operation_synergia" and view(at).highlight == ("interpol",)
    assert link(at) == {"tour": "who_fights_back", "step": "2"}
    assert "Step 2 of 7" in texts(at)
    lit = {n["id"] for n in drawn(at)["nodes"] if n["highlighted"]}
    assert lit == {"interpol"}
    at.button(key="tour_card_back").click().run()
    assert view(at) == step_view(tour.steps[0])


def test_a_step_cites_its_documents_by_title():
    G, tours = bundled_tours()
    at = open_link(BUNDLED, tour="technology_abuse_stages", step="2")
    page = texts(at).replace("\\", "")
    assert "Sources:" in page
    for doc in tours[0].steps[1].documents:
        assert G.graph["documents"][doc]["title"][:30] in page


def test_back_is_off_on_the_first_step_and_next_on_the_last():
    at = open_link(BUNDLED, tour="people_and_observances", step="1")
    assert at.button(key="tour_card_back").disabled
    at = open_link(BUNDLED, tour="people_and_observances", step="5")
    assert at.button(key="tour_card_next").disabled and not at.button(key="tour_card_back").disabled


def test_a_tour_link_opens_that_step_and_a_changed_view_stays_in_the_link():
    G, tours = bundled_tours()
    tour = next(t for t in tours if t.id == "laws_before_congress")
    at = open_link(BUNDLED, tour="laws_before_congress", step="2")
    assert view(at) == step_view(tour.steps[1])
    assert "Step 2 of 7" in texts(at)
    at.slider(key="sidebar_depth").set_value(1).run()
    assert link(at) == {"tour": "laws_before_congress", "step": "2", "depth": "1"}
    at.selectbox(key="sidebar_focus").set_value(None).run()
    assert link(at)["focus"] == ""  # "no focus", unlike the step
    reopened = open_link(BUNDLED, **link(at))
    assert view(reopened) == view(at)


def test_a_path_step_shows_the_path_around_its_start():
    G, tours = bundled_tours()
    tour = next(t for t in tours if t.id == "platform_to_prosecution")
    at = open_link(BUNDLED, tour=tour.id, step="5")
    v = view(at)
    step = tour.steps[4].view
    assert (v.path_from, v.path_to) == (step.path_from, step.path_to) != (None, None)
    assert v.focus == v.path_from
    lit = {e["id"] for e in drawn(at)["edges"] if e["highlighted"]}
    assert lit and len(drawn(at)["nodes"]) < G.number_of_nodes()


def test_exit_leaves_the_tour_and_its_highlights():
    at = open_link(BUNDLED, tour="who_fights_back", step="2")
    at.button(key="tour_card_exit").click().run()
    assert "tour" not in link(at) and view(at).highlight == ()
    assert view(at).focus == "operation_synergia"  # the view stays
    assert "Step 2 of 7" not in texts(at)


def test_a_bad_tour_step_in_a_link_starts_at_step_one():
    at = open_link(BUNDLED, tour="who_fights_back", step="99")
    assert "step must be a whole number from 1 to 7, not '99'" in warnings(at)
    assert link(at) == {"tour": "who_fights_back", "step": "1"}


def test_a_tour_file_with_problems_is_listed_and_the_app_goes_on(tmp_path):
    folder = shutil.copytree(GOOD, tmp_path / "good")
    (folder / "tours.yaml").write_text(
        "tours:\n  - id: intro\n    title: Intro\n    summary: A look.\n    steps:\n"
        "      - title: First\n        narration: Look.\n        view: {focus: atlantis}\n",
        encoding="utf-8",
    )
    at = open_link(folder)
    [error] = at.error
    message = error.value.replace("\\", "")
    assert "tours.yaml were not loaded" in message
    assert (
        "tour 'intro', step 1 ('First'): view.focus: names an entity that is not in this "
        "dataset: 'atlantis'."
    ) in message
    assert len(drawn(at)["nodes"]) == 15
    assert not [b for b in at.button if (b.key or "").startswith("tour_picker_")]


def test_a_dataset_without_a_tour_file_or_an_upload_has_no_tours():
    at = open_link(GOOD)
    assert not [b for b in at.button if (b.key or "").startswith("tour_picker_")]
    at = open_link(BUNDLED)
    assert [b for b in at.button if (b.key or "").startswith("tour_picker_")]
    upload(at, GOOD)
    assert not [b for b in at.button if (b.key or "").startswith("tour_picker_")]


# --- presentation mode ----------------------------------------------------------------------


def presenting(at: AppTest) -> bool:
    styles = [str(h.proto.body) for h in at.get("html")]
    return any('[data-testid="stSidebar"]' in s and "display: none" in s for s in styles)


def test_the_presentation_toggle_folds_the_controls_away():
    at = open_link(BUNDLED)
    assert len(at.sidebar) > 0 and not presenting(at)
    at.toggle(key="present_toggle").set_value(True).run()
    assert presenting(at)
    assert len(at.sidebar) == 0  # no controls drawn
    assert not at.header and not at.get("tab")  # no title, status line or tabs
    assert link(at) == {"present": "1"}
    assert {n["font"]["size"] for n in drawn(at)["nodes"]} == {16}  # bigger labels
    at.button(key="present_exit").click().run()
    assert not presenting(at) and len(at.sidebar) > 0 and link(at) == {}
    assert "size" not in drawn(at)["nodes"][0]["font"]


def test_a_presentation_link_runs_the_tour_with_next_and_back():
    G, tours = bundled_tours()
    tour = tours[0]
    at = open_link(BUNDLED, tour=tour.id, step="1", present="1")
    assert presenting(at) and len(at.sidebar) == 0
    assert view(at) == step_view(tour.steps[0])
    at.button(key="present_tour_next").click().run()
    assert view(at) == step_view(tour.steps[1])
    assert link(at) == {"tour": tour.id, "step": "2", "present": "1"}
    assert tour.steps[1].title in texts(at).replace("\\", "")


def test_presentation_without_a_tour_offers_one():
    at = open_link(BUNDLED, present="1")
    at.selectbox(key="present_choose").set_value("the_numbers").run()
    at.button(key="present_choose_start").click().run()
    assert link(at) == {"tour": "the_numbers", "step": "1", "present": "1"}


# --- snapshot -------------------------------------------------------------------------------


def test_the_snapshot_is_named_and_captioned_after_the_dataset_and_the_view():
    at = open_link(focus="pact", depth="2")
    assert component_data(at, "snapshot_png") == {
        "file_name": "good_focus-pact-depth-2_4-entities.png",
        "title": "Around PACT (depth 2)",
        "subtitle": "good: 4 entities, 4 relations",
    }


def test_the_html_download_keeps_a_tour_step_s_highlights():
    import json
    import re

    from ui.data_tab import downloads
    from ui.scene import scene

    G = load_graph(GOOD)
    shown = View(focus="thorn", highlight=("ncmec",))
    [make] = [make for fmt, _, make in downloads(scene(G, "good", shown), shown) if fmt == "html"]
    page = make().decode("utf-8")
    data = json.loads(
        re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page, re.S).group(
            1
        )
    )
    assert {n["id"] for n in data["nodes"] if n["highlighted"]} == {"ncmec"}


def test_the_png_caption_says_what_the_view_holds():
    from graph.query import neighborhood
    from ui.scene import Scene
    from ui.snapshot import caption

    G = load_graph(BUNDLED)
    view = View(focus="ncmec", depth=2, direction="out", types=("ngo", "tool"))
    around = neighborhood(G, "ncmec", depth=2, direction="out")
    words = caption(Scene(around, "k", G.number_of_nodes()), view)
    assert words["title"] == (
        "Around National Center for Missing and Exploited Children "
        "(depth 2, outgoing only) · Types: NGO, Tool"
    )
    assert words["subtitle"] == (
        f"data: {around.number_of_nodes()} entities, {around.number_of_edges()} relations"
    )
    assert caption(Scene(G, "k", G.number_of_nodes()), View())["title"] == "The whole graph"


# --- the same view from the command line -----------------------------------------------------


def cli_messages(capsys) -> list[str]:
    """What the CLI said on stderr (Streamlit's own logging, which AppTest leaves pointing at
    an earlier test's closed stream, is left out)."""
    return [
        line
        for line in capsys.readouterr().err.splitlines()
        if line.startswith(("Warning: ", "Note: ", "Error: "))
    ]


@pytest.mark.parametrize(
    "query",
    [
        {"focus": "ncmec", "depth": "2", "layout": "type"},
        {
            "from": "pact",
            "to": "ncmec",
            "hops": "4",
            "types": "ngo,tool,law",
            "layout": "hierarchical",
        },
        {"min_degree": "3", "direction": "out", "focus": "ncmec", "depth": "3"},
    ],
)
def test_a_link_exports_from_the_cli_exactly_as_the_app_draws_it(tmp_path, capsys, query):
    from urllib.parse import urlencode

    import networkx as nx

    from graph import cli

    at = open_link(BUNDLED, **query)
    on_screen = {n["id"]: (n["x"], n["y"]) for n in drawn(at)["nodes"]}
    link = "http://localhost:8501/?" + urlencode(query)
    out = tmp_path / "view.gexf"
    assert (
        cli.main(
            [
                "export",
                "--data",
                str(BUNDLED),
                "--format",
                "gexf",
                "--out",
                str(out),
                "--view",
                link,
            ]
        )
        == 0
    )
    assert cli_messages(capsys) == []
    exported = nx.read_gexf(out)
    assert set(exported) == set(on_screen)
    for node, (x, y) in on_screen.items():
        position = exported.nodes[node]["viz"]["position"]
        assert (position["x"], -position["y"]) == pytest.approx((x, y), abs=0.01), node
    assert exported.number_of_edges() == len(drawn(at)["edges"])


def test_a_link_the_app_warns_about_warns_the_same_on_the_cli(tmp_path, capsys):
    from graph import cli

    at = open_link(BUNDLED, focus="ncmec", depth="abc", layout="spiral")
    assert (
        cli.main(
            [
                "export",
                "--data",
                str(BUNDLED),
                "--format",
                "json",
                "--out",
                str(tmp_path / "v.json"),
                "--view",
                "focus=ncmec&depth=abc&layout=spiral",
            ]
        )
        == 0
    )
    printed = [line.removeprefix("Warning: ") for line in cli_messages(capsys)]
    assert printed == [
        line.strip() for line in warnings(at).splitlines() if line.startswith("The link")
    ]
    assert len(printed) == 2


def test_the_gexf_download_opens_in_gephi_where_the_app_drew_it():
    import networkx as nx

    from ui.data_tab import downloads
    from ui.scene import positions, scene

    G = load_graph(BUNDLED)
    shown = View(focus="ncmec", depth=2, layout="type")
    current = scene(G, "bundled", shown)
    [make] = [make for fmt, _, make in downloads(current, shown) if fmt == "gexf"]
    exported = nx.read_gexf(__import__("io").BytesIO(make()))
    for node, (x, y) in positions(current, "type").items():
        at = exported.nodes[node]["viz"]["position"]
        assert (at["x"], -at["y"]) == pytest.approx((x, y), abs=0.01)


# --- tour steps: short sources, every highlight drawn --------------------------------------------


def test_a_steps_sources_are_the_documents_titles_only():
    G, tours = bundled_tours()
    tour = tours[0]
    at = open_link(BUNDLED, tour=tour.id, step="2")
    [line] = [m.value for m in at.markdown if m.value.startswith("**Sources:**")]
    line = line.replace("\\", "")  # Markdown escapes
    for doc in tour.steps[1].documents:
        assert G.graph["documents"][doc]["title"].split(" ")[0] in line
        publisher = G.graph["documents"][doc].get("publisher")
        assert not publisher or f"— {publisher}" not in line


def test_every_step_of_every_tour_draws_its_highlights_in_the_app():
    G, tours = bundled_tours()
    for tour in tours:
        at = open_link(BUNDLED, tour=tour.id, step="1")
        for number, step in enumerate(tour.steps, 1):
            ids = drawn_ids(at)
            lit = {n["id"] for n in drawn(at)["nodes"] if n["highlighted"]}
            assert set(step.view.highlight) <= ids & lit, (tour.id, number)
            if number < len(tour.steps):
                at.button(key="tour_card_next").click().run()
