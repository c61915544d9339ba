"""The explorer app, driven headless with Streamlit's AppTest.

What is drawn is read from the data the app hands to the graph component (its JSON payload);
what the user reads is read from the text elements. Fixture datasets live in tests/fixtures/.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app.py"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
GOOD, HOSTILE, MALFORMED = FIXTURES / "good", FIXTURES / "hostile", FIXTURES / "malformed"


def start(data: Path = GOOD, *, query: dict[str, str] | None = None, **state) -> AppTest:
    """A new session on ``data``, with these session-state values and ``?query`` parameters."""
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.session_state["dataset_dir"] = str(data)
    for key, value in state.items():
        at.session_state[key] = value
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def component_data(at: AppTest, key: str) -> dict:
    [component] = [c for c in at.get("bidi_component") if c.key == key]
    value = json.loads(component.proto.json)
    return json.loads(value) if isinstance(value, str) else value  # the drawing is JSON text


def drawn(at: AppTest) -> dict:
    """The payload the graph component was given on the last run."""
    return component_data(at, "graph_canvas")


def drawn_selection(at: AppTest) -> str | None:
    """The selection handed to the drawing (through its own small component)."""
    return component_data(at, "graph_canvas_selection")["selected"]


def drawn_ids(at: AppTest) -> set[str]:
    return {node["id"] for node in drawn(at)["nodes"]}


def view(at: AppTest):
    return at.session_state["view"]


def texts(at: AppTest) -> str:
    """Every Markdown, caption, subheader, alert and text value on the page, one per line."""
    parts = []
    for kind in (
        "markdown",
        "caption",
        "subheader",
        "header",
        "error",
        "warning",
        "info",
        "success",
        "text",
    ):
        parts += [str(element.value) for element in getattr(at, kind)]
    return "\n".join(parts)


def upload(at: AppTest, folder: Path) -> AppTest:
    files = [(p.name, p.read_bytes(), "text/csv") for p in sorted(folder.glob("*.csv"))]
    at.file_uploader(key="upload_files").set_value(files)
    return at.run()


# --- first run ------------------------------------------------------------------------------


def test_first_run_draws_the_whole_dataset_with_a_legend():
    at = start()
    data = drawn(at)
    assert len(data["nodes"]) == 15 and len(data["edges"]) == 15
    assert {entry["label"] for entry in data["legend"]} >= {"NGO", "Tool", "Law or bill"}
    assert all("x" in node and "y" in node for node in data["nodes"])  # positions from Python
    assert "15 entities, 15 relations" in texts(at)
    assert not at.error


def test_reruns_keep_the_same_drawing_and_a_selection_does_not_change_it():
    at = start()
    before = drawn(at)
    at.run()
    assert drawn(at) == before
    at.text_input(key="sidebar_search").input("NCMEC").run()
    assert drawn_selection(at) == "ncmec"
    assert drawn(at) == before  # the same text: the browser reuses what it has


# --- search and selection --------------------------------------------------------------------


@pytest.mark.parametrize(
    "query, expected",
    [("arachnid", "project_arachnid"), ("NCMEC", "ncmec"), ("Interpoll", "interpol")],
)
def test_search_selects_the_best_match_and_shows_its_details(query, expected):
    at = start()
    at.text_input(key="sidebar_search").input(query).run()
    assert view(at).selected == expected
    assert drawn_selection(at) == expected
    names = {
        "project_arachnid": "Project Arachnid",
        "ncmec": "National Center for Missing",
        "interpol": "INTERPOL",
    }
    assert names[expected] in at.subheader[0].value


def test_search_offers_suggestions_that_select_when_clicked():
    at = start()
    at.text_input(key="sidebar_search").input("fixture web").run()
    suggestions = [b for b in at.button if b.key and b.key.startswith("sidebar_hit_")]
    assert suggestions
    suggestions[0].click().run()
    assert view(at).selected == "project_arachnid"


def test_details_tell_every_relation_with_its_evidence_and_document():
    at = start()
    at.text_input(key="sidebar_search").input("C3P").run()
    page = texts(at)
    assert "Canadian Centre for Child Protection runs Project Arachnid" in page
    assert "Project Arachnid is operated by the Canadian Centre" in page
    assert "Fixture annual review" in page and "Fixture Foundation" in page
    assert "Also known as:** C3P" in page


def test_focus_button_in_the_details_panel_focuses_the_view():
    at = start()
    at.text_input(key="sidebar_search").input("Thorn").run()
    at.button(key="details_focus").click().run()
    assert view(at).focus == "thorn"
    assert drawn_ids(at) == {"thorn", "spotlight", "tech_coalition", "ncmec"}


# --- filters, focus, depth --------------------------------------------------------------------


def test_a_type_filter_changes_what_is_drawn():
    at = start()
    at.multiselect(key="sidebar_types").set_value(["tool"]).run()
    assert view(at).types == ("tool",)
    nodes = drawn(at)["nodes"]
    assert {n["type"] for n in nodes} == {"tool"}
    assert len(nodes) == 4
    assert "drawn: 4 entities" in texts(at)


def test_hide_isolated_drops_entities_without_relations():
    at = start()
    assert "example_act" in drawn_ids(at)
    at.checkbox(key="sidebar_hide_isolated").check().run()
    assert "example_act" not in drawn_ids(at)


def test_focus_and_depth():
    at = start()
    at.selectbox(key="sidebar_focus").set_value("pact").run()
    assert drawn_ids(at) == {"pact", "ecpat"}
    at.slider(key="sidebar_depth").set_value(2).run()
    assert drawn_ids(at) == {"pact", "ecpat", "ncmec", "c3p"}
    at.slider(key="sidebar_depth").set_value(3).run()
    assert {"cybertipline", "project_arachnid", "interpol", "us_doj"} <= drawn_ids(at)


def test_focus_direction_follows_relations_one_way():
    at = start()
    at.selectbox(key="sidebar_focus").set_value("ncmec").run()
    at.radio(key="sidebar_direction").set_value("out").run()
    assert drawn_ids(at) == {"ncmec", "cybertipline", "photodna"}
    at.radio(key="sidebar_direction").set_value("in").run()
    assert drawn_ids(at) == {"ncmec", "ecpat", "c3p", "interpol", "us_doj", "thorn"}


def test_reset_returns_to_the_whole_graph():
    at = start()
    at.multiselect(key="sidebar_types").set_value(["tool"]).run()
    at.button(key="sidebar_reset").click().run()
    assert len(drawn(at)["nodes"]) == 15
    assert at.multiselect(key="sidebar_types").value == []


# --- paths ------------------------------------------------------------------------------------


def test_a_path_is_highlighted_and_told_hop_by_hop_with_evidence():
    at = start()
    at.text_input(key="sidebar_path_from").input("pact").run()
    at.text_input(key="sidebar_path_to").input("ncmec").run()
    page = texts(at)
    assert "How PACT connects to National Center for Missing" in page
    assert "PACT partnered with ECPAT International" in page
    assert "PACT works with ECPAT on training" in page
    assert "ECPAT International partnered with National Center for Missing" in page
    lit = {e["id"] for e in drawn(at)["edges"] if e["highlighted"]}
    assert lit == {"pact|ecpat|0", "ecpat|ncmec|0"}
    lit_nodes = {n["id"] for n in drawn(at)["nodes"] if n["highlighted"]}
    assert lit_nodes == {"pact", "ecpat", "ncmec"}


def test_a_second_path_can_be_chosen():
    at = start()
    at.text_input(key="sidebar_path_from").input("pact").run()
    at.text_input(key="sidebar_path_to").input("ncmec").run()
    at.radio(key="sidebar_path_choice").set_value(1).run()
    lit = {e["id"] for e in drawn(at)["edges"] if e["highlighted"]}
    assert lit == {"pact|ecpat|0", "ecpat|c3p|0", "c3p|ncmec|0"}


def test_no_path_within_the_hop_limit_says_so():
    at = start()
    at.text_input(key="sidebar_path_from").input("Spotlight").run()
    at.text_input(key="sidebar_path_to").input("Project Arachnid").run()
    at.slider(key="sidebar_max_hops").set_value(2).run()
    assert any("No path of at most 2 hops" in w.value for w in at.warning)


# --- upload -----------------------------------------------------------------------------------


def test_an_upload_of_malformed_data_lists_its_problems_and_keeps_the_graph():
    at = start()
    upload(at, MALFORMED)
    assert not at.exception
    [error] = at.error
    assert "7 problems" in error.value
    for expected in [
        "entities.csv:3: duplicate id 'alpha' (first on line 2)",
        "entities.csv:5: unknown type 'spaceship'",
        "relations.csv:2: target 'nowhere' is not an entity",
    ]:
        assert expected in error.value.replace("\\", "")
    assert len(drawn(at)["nodes"]) == 15


def test_a_good_upload_replaces_the_graph_and_the_original_can_come_back():
    at = start()
    upload(at, HOSTILE)
    assert drawn_ids(at) == {"evil_script", "evil_img", "plain"}
    at.button(key="upload_back").click().run()
    assert len(drawn(at)["nodes"]) == 15


def test_an_upload_missing_relations_is_refused():
    at = start()
    at.file_uploader(key="upload_files").set_value(
        [("entities.csv", (GOOD / "entities.csv").read_bytes(), "text/csv")]
    )
    at.run()
    assert "relations.csv: missing file" in at.error[0].value.replace("\\", "")
    assert len(drawn(at)["nodes"]) == 15


def test_a_bad_data_folder_is_reported_not_crashed(tmp_path):
    at = start(MALFORMED)
    assert "could not be loaded" in at.error[0].value
    assert not at.get("bidi_component")


# --- hostile text -----------------------------------------------------------------------------

UNESCAPED = re.compile(r"(?<!\\)<(script|img|svg|a |b )|javascript:|\]\(<?javascript")


def test_hostile_text_comes_out_escaped():
    at = start(HOSTILE)
    at.text_input(key="sidebar_search").input("evil_script").run()
    assert view(at).selected == "evil_script"
    for element in [*at.markdown, *at.caption, *at.subheader, *at.error, *at.info]:
        value = str(element.value)
        assert not UNESCAPED.search(value), value  # every "<" and ":" is backslashed
        if element.type == "markdown":
            assert not element.proto.allow_html or "alert" not in value
    page = texts(at)
    assert r"\<script\>alert\(1\)\</script\>" in page  # the name, shown as text
    assert r"\<img src\=x onerror\=alert\(3\)\>" in page  # the evidence
    assert r"\[click me\]\(javascript\:alert\(1\)\)" in page  # not a link
    assert "](javascript" not in page and "](<javascript" not in page


def test_hostile_labels_reach_the_drawing_as_plain_text():
    at = start(HOSTILE)
    nodes = {n["id"]: n for n in drawn(at)["nodes"]}
    assert nodes["evil_script"]["label"] == "<script>alert(1)</script>"  # drawn on a canvas
    assert "details" not in nodes["evil_script"]


def test_hostile_document_links_are_not_links():
    at = start(HOSTILE)
    at.text_input(key="sidebar_search").input("evil_img").run()
    page = texts(at)
    assert "Hostile title" in page
    assert not re.search(r"\]\(<?javascript", page)


# --- analytics, data and downloads -------------------------------------------------------------


def test_analytics_rank_communities_and_bridges():
    at = start(page_tab="Analytics")
    [ranking, bridges] = at.dataframe
    assert ranking.value.iloc[0]["Entity"] == "National Center for Missing & Exploited Children"
    assert {"Degree", "PageRank", "Betweenness"} <= set(ranking.value.columns)
    assert "Communities" in texts(at)
    assert len(bridges.value) >= 1


def test_data_tab_tables_and_downloads_match_the_view():
    at = start(page_tab="Data and downloads")
    at.multiselect(key="sidebar_types").set_value(["tool", "ngo"]).run()
    entities, relations = at.dataframe
    assert set(entities.value["type"]) == {"Tool", "NGO"}
    downloads = {b.key: b for b in at.get("download_button")}
    assert set(downloads) == {
        f"data_download_{f}"
        for f in ("csv", "graphml", "gexf", "json", "cypher", "html", "svg", "pdf", "png")
    } | {"data_table_entities", "data_table_relations", "data_handout"}
    names = [b.help for b in downloads.values()]  # the file name is the button's tooltip
    assert "good_types-ngo-tool_9-entities.zip" in names, names


def test_every_download_holds_exactly_the_view(tmp_path):
    from graph.load import load_graph
    from ui.data_tab import downloads
    from ui.scene import scene
    from ui.state import View

    G = load_graph(GOOD)
    focus = View(focus="thorn", layout="hierarchical")
    files = {fmt: (name, make) for fmt, name, make in downloads(scene(G, "good", focus), focus)}
    assert files["gexf"][0] == "good_focus-thorn-depth-1_4-entities.gexf"
    assert set(files) == {"csv", "graphml", "gexf", "json", "cypher", "html", "svg", "pdf", "png"}
    made = {fmt: make() for fmt, (name, make) in files.items()}
    assert all(made.values())
    node_link = json.loads(made["json"])
    assert {n["id"] for n in node_link["nodes"]} == {
        "thorn",
        "spotlight",
        "tech_coalition",
        "ncmec",
    }
    assert b'data-node-count="4"' in made["html"]


def test_data_tab_filter_narrows_the_tables():
    at = start(page_tab="Data and downloads")
    at.text_input(key="data_filter").input("hotline").run()
    entities, relations = at.dataframe
    assert set(entities.value["id"]) == {"cybertipline"}
    assert list(relations.value["source"]) == ["ecpat"]


# --- scale ------------------------------------------------------------------------------------


def write_big_dataset(folder: Path, n: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    rows = ["id,name,type"] + [f"e{i},Entity {i},ngo" for i in range(n)]
    edges = ["source,target,relation"] + [
        f"e{i},e{(i * 7 + 1) % n},partnered_with" for i in range(n)
    ]
    edges += [f"e0,e{i},supported" for i in range(1, n, 50)]
    (folder / "entities.csv").write_text("\n".join(rows) + "\n")
    (folder / "relations.csv").write_text("\n".join(edges) + "\n")
    return folder


def test_a_large_view_draws_the_top_entities_and_says_so(tmp_path):
    at = start(write_big_dataset(tmp_path / "big", 1_700))
    assert len(drawn(at)["nodes"]) == 1_500
    assert any("Showing 1,500 of 1,700 — narrow the filters" in w.value for w in at.warning)
    assert "e0" in drawn_ids(at)  # the best-connected entity is kept


# --- upload: a zip of the dataset ----------------------------------------------------------------


def zipped(folder: Path, prefix: str = "") -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.glob("*.csv")):
            archive.writestr(prefix + path.name, path.read_bytes())
    return buffer.getvalue()


def upload_zip(at: AppTest, name: str, content: bytes, *others) -> AppTest:
    at.file_uploader(key="upload_files").set_value([(name, content, "application/zip"), *others])
    return at.run()


def test_a_zip_upload_replaces_the_graph_and_says_where_it_came_from():
    at = start()
    upload_zip(at, "hostile.zip", zipped(HOSTILE, "hostile/"))
    assert not at.exception
    assert not at.error
    assert drawn_ids(at) == {"evil_script", "evil_img", "plain"}
    assert at.title[0].value == "hostile\\.zip"  # the header names it
    assert any(c.value.startswith("3 entities") for c in at.caption)
    at.button(key="upload_back").click().run()
    assert len(drawn(at)["nodes"]) == 15


def test_a_zip_upload_of_malformed_data_lists_the_member_problems_and_keeps_the_graph():
    at = start()
    upload_zip(at, "malformed.zip", zipped(MALFORMED))
    assert not at.exception
    [error] = at.error
    assert "7 problems" in error.value
    assert "entities.csv:3: duplicate id 'alpha' (first on line 2)" in error.value.replace("\\", "")
    assert len(drawn(at)["nodes"]) == 15


@pytest.mark.parametrize(
    "content, others, expected",
    [
        (b"not a zip at all", (), "bad.zip: not a zip file"),
        (None, (), "bad.zip: holds the unsafe name '../entities.csv'"),
        (
            None,
            [("entities.csv", b"id,name,type\n", "text/csv")],
            "bad.zip: a zip must be opened alone, not with other files",
        ),
    ],
    ids=["not-a-zip", "traversal", "with-csv"],
)
def test_a_bad_zip_upload_is_refused_in_the_error_box_and_the_graph_stays(
    content, others, expected
):
    import io
    import zipfile

    if content is None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for path in sorted(GOOD.glob("*.csv")):
                archive.writestr(path.name, path.read_bytes())
            if not others:
                archive.writestr("../entities.csv", "id,name,type\n")
        content = buffer.getvalue()
    at = start()
    upload_zip(at, "bad.zip", content, *others)
    assert not at.exception
    [error] = at.error
    assert "The upload was not loaded" in error.value
    assert expected in error.value.replace("\\", "")
    assert len(drawn(at)["nodes"]) == 15


def test_the_app_opens_a_zip_given_as_its_data(tmp_path):
    path = tmp_path / "good.zip"
    path.write_bytes(zipped(GOOD, "good/"))
    at = start(path)
    assert len(drawn(at)["nodes"]) == 15
    assert at.title[0].value == "good\\.zip"
    assert any(c.value.startswith("15 entities") for c in at.caption)
    path.write_bytes(b"no longer a zip")  # a changed file is loaded again, and refused clearly
    at = start(path)
    assert "could not be loaded" in at.error[0].value and "not a zip file" in at.error[0].value


# --- the first screen says what this is ---------------------------------------------------------


def test_the_header_is_the_datasets_title_and_summary(tmp_path):
    import shutil

    from graph.load import load_graph

    folder = shutil.copytree(GOOD, tmp_path / "good")
    (folder / "dataset.toml").write_text(
        'title = "Platforms and <b>safety</b>"\nsummary = "Who reports abuse, and to whom."\n'
    )
    at = start(folder)
    assert at.title[0].value == "Platforms and \\<b\\>safety\\</b\\>"
    captions = [c.value for c in at.caption]
    assert captions[0] == "Who reports abuse, and to whom\\."
    G = load_graph(folder)
    assert captions[1].startswith(
        f"{G.number_of_nodes():,} entities, {G.number_of_edges():,} relations · drawn: "
    )
    assert not any("Knowledge graph explorer" in c for c in captions)


def test_without_dataset_toml_the_header_is_the_folders_name(tmp_path):
    import shutil

    at = start(shutil.copytree(GOOD, tmp_path / "my_cases"))
    assert at.title[0].value == "my\\_cases"
    assert at.caption[0].value.split(" · ")[0].endswith("relations")


def test_the_page_layout_styles_come_from_the_assets_folder():
    from graph.page import asset

    at = start()
    styles = [str(h.proto.body) for h in at.get("html")]
    assert any(asset("kg_page.css") in s for s in styles)
    assert "<" not in asset("kg_page.css"), "a '<' makes the browser's sanitiser drop the style"


# --- hostile input and load (issue 12) --------------------------------------------------------

import gc  # noqa: E402
import shutil  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
import weakref  # noqa: E402

from ui import dataset as datasets  # noqa: E402

TYPES = "type,label,color,shape\nspaceship,Spaceship,#112233,dot\n"


def uploader(at: AppTest):
    [widget] = [w for w in at.get("file_uploader")]
    return widget


def choose(at: AppTest, files: list[tuple[str, bytes]], *, keep: bool = False) -> AppTest:
    """Pick ``files`` in the uploader; with ``keep`` the earlier chips stay, as in a browser
    (their ids unchanged), and the new files come on top."""
    widget = uploader(at)
    earlier = [(f.file_id, f.name, f.getvalue(), f.type) for f in (widget.value or [])]
    new = [(str(uuid.uuid4()), name, content, "text/csv") for name, content in files]
    widget._files = (earlier if keep else []) + new  # the test API has no "add to the chips"
    return at.run()


def test_choosing_files_again_replaces_the_set_and_no_stale_file_rides_along(tmp_path):
    at = start()
    four = [(p.name, p.read_bytes()) for p in sorted(GOOD.glob("*.csv"))] + [
        ("types.csv", TYPES.encode())
    ]
    choose(at, four)
    assert not at.exception and not at.error
    assert at.session_state["upload_dataset"].origin == (
        "uploaded: documents.csv, entities.csv, relations.csv, types.csv"
    )
    two = [(p.name, p.read_bytes()) for p in sorted(HOSTILE.glob("[er]*.csv"))]
    choose(at, two, keep=True)  # a two-file pick on top of the four chips
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert at.session_state["upload_dataset"].origin == "uploaded: entities.csv, relations.csv"
    assert drawn_ids(at) == {"evil_script", "evil_img", "plain"}
    assert uploader(at).value == []  # emptied: the four earlier chips are gone
    assert "On screen: uploaded: entities.csv, relations.csv" in texts(at).replace("\\", "")


def test_removing_every_file_clears_the_error_box():
    at = start()
    choose(at, [("entities.csv", (MALFORMED / "entities.csv").read_bytes())])
    assert at.error and "missing file" in at.error[0].value
    uploader(at).set_value([])
    at.run()
    assert not at.error and not at.exception
    assert len(drawn(at)["nodes"]) == 15  # the graph stayed


def test_an_upload_over_the_size_limit_is_refused_with_the_limit_named(monkeypatch):
    monkeypatch.setattr(datasets, "UPLOAD_MAX_BYTES", 1_000)
    at = start()
    upload(at, GOOD)
    [error] = at.error
    assert "more than the 1 KB an upload may hold here" in error.value
    assert len(drawn(at)["nodes"]) == 15


def test_an_upload_is_held_until_its_session_lets_go_and_then_the_caches_are_emptied():
    from ui import scene

    at = start()
    upload(at, HOSTILE)
    size = sum(p.stat().st_size for p in HOSTILE.glob("*.csv"))
    assert size in datasets._held.values()  # (AppTest sessions share one session id)
    cached = scene._scene._info.get_function_cache(scene._scene._function_key)
    assert cached.get_stats()  # the upload's scene is in the process-wide cache
    graph = weakref.ref(at.session_state["upload_dataset"].graph)
    at.button(key="upload_back").click().run()
    assert size not in datasets._held.values()
    assert not at.exception and len(drawn(at)["nodes"]) == 15
    at.run()  # Streamlit keeps the previous run's session values for one more run
    gc.collect()
    assert graph() is None  # nothing in the process holds the upload's graph any more


def test_when_a_session_ends_its_upload_is_let_go():
    from streamlit.runtime.caching.cache_resource_api import (
        _resource_caches,
        clear_session_cache,
    )

    at = start()
    upload(at, HOSTILE)
    size = sum(p.stat().st_size for p in HOSTILE.glob("*.csv"))
    assert size in datasets._held.values()
    for session in list(_resource_caches._function_caches):  # what the runtime does at the end
        if session != "global":
            clear_session_cache(session)
    assert size not in datasets._held.values()


def test_the_server_refuses_uploads_past_what_all_sessions_may_hold(monkeypatch):
    size = sum(p.stat().st_size for p in HOSTILE.glob("*.csv"))
    monkeypatch.setattr(datasets, "UPLOADS_HELD_MAX_BYTES", datasets.held_bytes() + size)
    first, second = start(), start()
    upload(first, HOSTILE)
    assert not first.error
    upload(second, HOSTILE)
    assert "other sessions hold" in second.error[0].value
    first.button(key="upload_back").click().run()  # released: now there is room
    choose(second, [(p.name, p.read_bytes()) for p in sorted(HOSTILE.glob("*.csv"))])
    assert not second.error, second.error[0].value


LAUGHS_YAML = (
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    + "".join(f"{b}: &{b} [{', '.join([f'*{a}'] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi"))
    + "tours: [{id: *i, title: *i, summary: *i, steps: *i}]\n"
)


@pytest.mark.parametrize(
    "name, text, shown",
    [
        ("tours.yaml", LAUGHS_YAML, "anchors and aliases"),
        ("tours.json", "[" * 100_000, "nested more than 16 deep"),
        ("tours.toml", "tours = " + "[" * 100_000, "nested more than 16 deep"),
        ("tours.json", '{"tours": [{"id": "t", "title": "\\ud83d"}]}', "lone surrogate"),
    ],
    ids=["billion-laughs", "deep-json", "deep-toml", "lone-surrogate"],
)
def test_a_hostile_tour_file_is_an_error_box_and_the_app_carries_on(tmp_path, name, text, shown):
    folder = tmp_path / "data"
    shutil.copytree(GOOD, folder)
    (folder / name).write_text(text)
    at = start(folder)  # start() asserts no exception
    [error] = [e for e in at.error if "tours" in e.value]
    assert shown in error.value and len(error.value) < 2_000
    assert len(drawn(at)["nodes"]) == 15


def test_tours_written_by_json_dump_with_emoji_load_in_the_app(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(GOOD, folder)
    entity = next(iter((GOOD / "entities.csv").read_text().splitlines()[1:])).split(",")[0]
    tour = {
        "id": "web",
        "title": "\U0001f578 The web",
        "summary": "Spiders \U0001f577.",
        "steps": [{"title": "\U0001f578", "narration": "N.", "view": {"focus": entity}}],
    }
    (folder / "tours.json").write_text(json.dumps({"tours": [tour]}))  # "\ud83d\udd78"
    at = start(folder)
    assert not at.error
    assert any(b.label.startswith("\U0001f578 The web") for b in at.button)


def soak(seconds: float, sessions: int) -> tuple[list[str], int]:
    """``sessions`` AppTest sessions taking turns for ``seconds`` (AppTest itself cannot run in
    several threads: each builds a mock runtime of its own), each searching, selecting,
    filtering and resetting over the same process-wide caches; every exception they met and
    how many reruns ran. bench/bench_soak.py runs real concurrent browsers for 2 minutes.
    """
    queries = ["arachnid", "interpol", "ncmec", "zzz", "<script>", "operation", ""]
    found: list[str] = []
    apps = [start(HOSTILE if n % 3 == 2 else GOOD) for n in range(sessions)]
    ids = [sorted(drawn_ids(at)) for at in apps]
    deadline, step = time.monotonic() + seconds, 0
    while time.monotonic() < deadline:
        step += 1
        n = step % sessions
        at = apps[n]
        action = step // sessions % 4
        if action == 0:
            at.text_input(key="sidebar_search").set_value(queries[step % len(queries)])
        elif action == 1:
            at.session_state["view"] = view(at).__class__(selected=ids[n][step % len(ids[n])])
        elif action == 2:
            at.checkbox(key="sidebar_hide_isolated").check()
        else:
            at.button(key="sidebar_reset").click()
        at.run()
        found.extend(f"session {n}, step {step}: {e.value}" for e in at.exception)
    return found, step


def test_ten_sessions_searching_and_clicking_in_turn_meet_no_exception():
    found, reruns = soak(seconds=20, sessions=10)
    assert found == [] and reruns > 10


# --- the path finder's pickers search like the search box -------------------------------------


def test_a_path_end_is_found_by_acronym_alias_or_near_miss_and_shown_by_name():
    at = start()
    at.text_input(key="sidebar_path_from").input("C3P").run()
    assert view(at).path_from == "c3p"
    assert at.text_input(key="sidebar_path_from").value == "Canadian Centre for Child Protection"
    at.text_input(key="sidebar_path_to").input("interpoll").run()
    assert view(at).path_to == "interpol"


def test_the_best_match_is_taken_and_the_next_best_are_offered():
    at = start()
    at.text_input(key="sidebar_path_from").input("child").run()
    first = view(at).path_from
    offered = [b for b in at.button if b.key and b.key.startswith("sidebar_path_from_other_")]
    assert first and offered, "the best match is taken and others are offered"
    other = offered[0].key.removeprefix("sidebar_path_from_other_")
    assert other != first
    offered[0].click().run()
    assert view(at).path_from == other


def test_nothing_matching_keeps_the_end_and_says_so():
    at = start()
    at.text_input(key="sidebar_path_from").input("pact").run()
    at.text_input(key="sidebar_path_from").input("zzqqxx").run()
    assert view(at).path_from == "pact"
    assert any("No entity matches zzqqxx" in c.value for c in at.caption)


def test_with_both_ends_and_no_focus_the_path_is_drawn_around_its_start():
    at = start()
    at.text_input(key="sidebar_path_from").input("PACT").run()
    assert view(at).focus is None, "one end alone changes nothing"
    at.text_input(key="sidebar_path_to").input("NCMEC").run()
    assert (view(at).focus, view(at).depth) == ("pact", 1)
    from graph.load import load_graph

    G = load_graph(GOOD)
    assert len(drawn_ids(at)) < G.number_of_nodes()
    assert {"pact", "ecpat", "ncmec"} <= drawn_ids(at)


def in_page_order(node, where=()) -> list[tuple[tuple, str]]:
    """Where each text element under ``node`` sits (its path of block indexes) and its value,
    in the order they are laid out."""
    children = getattr(node, "children", None)
    if children is None:
        value = getattr(node, "value", None)
        return [(where, value)] if isinstance(value, str) else []
    return [item for k in sorted(children) for item in in_page_order(children[k], (*where, k))]


def test_the_path_answer_is_at_the_top_of_the_side_panel():
    at = start(query={"selected": "cybertipline"})
    at.text_input(key="sidebar_path_from").input("PACT").run()
    at.text_input(key="sidebar_path_to").input("NCMEC").run()
    order = in_page_order(at.main)
    answer = next(w for w, t in order if t.startswith("**How PACT connects to"))
    heading = next(w for w, t in order if t == "CyberTipline")  # the details panel's heading
    # one side panel holds both (the answer's box and the details' box sit side by side in
    # it), the answer first; before, the answer sat under the drawing, in the other column
    assert answer[:-2] == heading[:-2] and answer < heading, (answer, heading)


def test_the_details_panels_path_buttons_set_the_ends_too():
    at = start(query={"selected": "ncmec"})
    at.button(key="details_path_to").click().run()
    at.text_input(key="sidebar_path_from").input("PACT").run()
    assert (view(at).path_from, view(at).path_to, view(at).focus) == ("pact", "ncmec", "pact")


# --- filters that keep context ------------------------------------------------------------------


def test_a_type_filter_can_keep_its_neighbours_drawn_faded():
    at = start()
    at.multiselect(key="sidebar_types").set_value(["tool"]).run()
    alone = drawn(at)
    at.checkbox(key="sidebar_context").check().run()
    around = drawn(at)
    tools = {n["id"] for n in alone["nodes"]}
    faded = {n["id"] for n in around["nodes"] if n.get("faded")}
    assert tools and faded and tools.isdisjoint(faded)
    assert {n["id"] for n in around["nodes"]} == tools | faded
    assert len(around["edges"]) > len(alone["edges"])
    assert at.query_params["context"] == "1"
