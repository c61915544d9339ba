"""ui/editor.py: edit mode, driven headless with AppTest — edits go through change sets."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from graph import store
from graph.load import load_graph

from .test_app import GOOD, drawn_ids, start


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return Path(shutil.copytree(GOOD, tmp_path / "good"))


def edit_mode(folder: Path):
    at = start(folder, editor_on=True, page_tab="Edit")
    assert "Edit" in [t.label for t in at.tabs]
    return at


def submit(at, key: str):
    [button] = [b for b in at.button if b.key and b.key.endswith(key)]
    return button.click().run()


def test_an_entity_and_a_relation_added_in_the_app_are_saved_through_a_change_set(folder):
    before = store.version(folder)
    at = edit_mode(folder)
    at.text_input(key="editor_entity_id").set_value("safe_net")
    at.text_input(key="editor_entity_name").set_value("Safe Net")
    at.selectbox(key="editor_entity_type").set_value("ngo")
    submit(at, "editor_add_entity_submit")
    assert not at.error, [e.value for e in at.error]
    assert len(at.session_state["editor_ops"]) == 1
    assert store.version(folder) == before, "nothing is written before Save"
    first = sorted(load_graph(folder))[0]
    at.text_input(key="editor_relation_source").set_value("Safe Net")
    at.selectbox(key="editor_relation").set_value("supported")
    at.text_input(key="editor_target").set_value(first)
    submit(at, "editor_add_relation_submit")
    assert not at.error, [e.value for e in at.error]
    at.text_input(key="editor_message").set_value("Add Safe Net")
    submit(at, "editor_save")
    G = load_graph(folder)
    assert "safe_net" in G and G.has_edge("safe_net", first)
    assert [e.message for e in store.history(folder)] == ["Add Safe Net"]
    assert at.session_state["editor_ops"] == []


def test_a_bad_entity_is_refused_with_the_cli_s_message_and_nothing_is_queued(folder):
    at = edit_mode(folder)
    at.text_input(key="editor_entity_id").set_value("Bad Id")
    at.text_input(key="editor_entity_name").set_value("Bad")
    submit(at, "editor_add_entity_submit")
    [error] = at.error
    assert "invalid" in error.value.lower() or "id" in error.value.lower()
    assert at.session_state["editor_ops"] == []


def test_undo_and_redo_take_back_and_put_back_a_pending_change(folder):
    at = edit_mode(folder)
    at.text_input(key="editor_entity_id").set_value("safe_net")
    at.text_input(key="editor_entity_name").set_value("Safe Net")
    submit(at, "editor_add_entity_submit")
    at.button(key="editor_undo").click().run()
    assert at.session_state["editor_ops"] == []
    at.button(key="editor_redo_button").click().run()
    assert len(at.session_state["editor_ops"]) == 1


def test_pending_changes_are_drawn_in_the_session_before_they_are_saved(folder):
    op = {"op": "add_entity", "entity": {"id": "safe_net", "name": "Safe Net", "type": "ngo"}}
    at = start(folder, editor_on=True, editor_ops=[op])
    assert "safe_net" in drawn_ids(at)
    assert "safe_net" not in load_graph(folder)


def test_a_save_after_the_files_changed_underneath_is_refused_and_keeps_the_edits(folder):
    at = edit_mode(folder)
    at.text_input(key="editor_entity_id").set_value("safe_net")
    at.text_input(key="editor_entity_name").set_value("Safe Net")
    submit(at, "editor_add_entity_submit")
    entities = folder / "entities.csv"
    entities.write_text(entities.read_text() + "late,Late edit,ngo,,,,\n")  # someone else
    changed = entities.read_bytes()
    submit(at, "editor_save")
    assert any("changed since you loaded it" in e.value.replace("\\", "") for e in at.error)
    assert entities.read_bytes() == changed
    assert len(at.session_state["editor_ops"]) == 1


def test_a_view_becomes_a_tour_step_and_the_tour_is_saved(folder):
    at = edit_mode(folder)
    first = sorted(load_graph(folder))[0]
    at.session_state["view"] = at.session_state["view"].__class__(focus=first, depth=2)
    at.run()
    [step_title] = [t for t in at.text_input if t.label == "Step title"]
    step_title.set_value("First look")
    [narration] = [t for t in at.text_area if t.label.startswith("Narration")]
    narration.set_value("Here is the first entity. It has neighbours.")
    [add] = [b for b in at.button if b.label == "Add this view as a step"]
    add.click().run()
    assert at.session_state["editor_steps"][0]["view"] == {"focus": first, "depth": "2"}
    for label, value in (("Tour id", "mine"), ("Tour title", "Mine"), ("One-line summary", "A.")):
        [box] = [t for t in at.text_input if t.label == label]
        box.set_value(value)
    [save_tour] = [b for b in at.button if b.label == "Add the tour to the pending changes"]
    save_tour.click().run()
    assert not at.error, [e.value for e in at.error]
    submit(at, "editor_save")
    assert "id: mine" in (folder / "tours.yaml").read_text()


def test_a_relation_with_an_id_gets_a_citation_and_both_are_saved(folder):
    at = edit_mode(folder)
    G = load_graph(folder)
    u, v = sorted(G)[0], sorted(G)[1]
    documents = sorted(G.graph["documents"])
    at.text_input(key="editor_relation_source").set_value(u)
    at.selectbox(key="editor_relation").set_value("supported")
    at.text_input(key="editor_target").set_value(v)
    at.text_input(key="editor_relation_id").set_value("new_support")
    at.text_area(key="editor_evidence").set_value("a quote")
    submit(at, "editor_add_relation_submit")
    at.text_input(key="editor_citation_relation").set_value("new_support")
    at.selectbox(key="editor_citation_document").set_value(documents[0])
    at.text_area(key="editor_citation_quote").set_value("another quote")
    submit(at, "editor_add_citation_submit")
    assert not at.error, [e.value for e in at.error]
    submit(at, "editor_save")
    saved = (folder / "citations.csv").read_text()
    assert f"new_support,{documents[0]},another quote" in saved
    assert any("unverified" in s.value for s in at.success), "no text: the quote is unverified"


def test_the_tour_being_built_previews_in_presentation_mode_before_it_is_saved(folder):
    at = edit_mode(folder)
    first, second = sorted(load_graph(folder))[:2]
    for focus, title in ((first, "First look"), (second, "Second look")):
        at.session_state["view"] = at.session_state["view"].__class__(focus=focus)
        at.run()
        [step_title] = [t for t in at.text_input if t.label == "Step title"]
        step_title.set_value(title)
        [narration] = [t for t in at.text_area if t.label.startswith("Narration")]
        narration.set_value(f"{title}: the entity and its neighbours.")
        [add] = [b for b in at.button if b.label == "Add this view as a step"]
        add.click().run()
    before = store.version(folder)
    at.button(key="editor_preview").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert at.session_state["present_on"], "the preview plays in presentation mode"
    assert at.session_state["view"].focus == first
    assert "First look" in [s.value for s in at.subheader]
    at.button(key="present_tour_next").click().run()
    assert at.session_state["view"].focus == second
    assert "Second look" in [s.value for s in at.subheader]
    at.button(key="present_exit").click().run()
    assert not at.session_state["present_on"]
    assert at.session_state["tour_id"] is None, "the preview ends with presentation mode"
    assert "Edit" in [t.label for t in at.tabs], "edit mode outlasts presentation mode"
    assert len(at.session_state["editor_steps"]) == 2, "the steps are still being built"
    assert store.version(folder) == before, "a preview writes nothing"


def test_a_preview_of_steps_the_tour_file_would_refuse_says_why_and_stays_in_edit_mode(folder):
    first = sorted(load_graph(folder))[0]
    untold = {"title": "No words", "narration": "", "documents": [], "view": {"focus": first}}
    at = edit_mode(folder)
    at.session_state["editor_steps"] = [untold]
    at.run()
    at.button(key="editor_preview").click().run()
    assert not at.session_state["present_on"]
    assert any("narration" in e.value for e in at.error)
