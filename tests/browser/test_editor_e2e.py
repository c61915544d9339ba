"""Edit mode end to end, in headless Chromium: add an entity and a cited relation, save, reload
and find both; build a two-step tour from views, preview it in presentation mode, save it and
play it; a save refused because
the files changed underneath, with the edits kept for download."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from graph import changes, store
from graph.load import load_graph

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "good"
GRAPH = "[data-testid=kg-graph]"
READY = f"{GRAPH}[data-kg-ready=true]"
IDLE = "[data-testid=stApp][data-test-script-state=notRunning]"
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return Path(shutil.copytree(FIXTURE, tmp_path / "good"))


@pytest.fixture
def app(app_server, folder) -> Iterator:
    started = app_server(folder, "editor_e2e")
    yield started
    started.stop()


def idle(page) -> None:
    page.wait_for_selector(IDLE, timeout=60_000)


def open_editor(page, app, query: str = "") -> None:
    page.goto(f"{app.url}/{query}")
    page.wait_for_selector(READY, timeout=60_000)
    idle(page)
    page.get_by_text("Edit mode", exact=True).click()
    idle(page)
    tab(page, "Edit")


def tab(page, name: str) -> None:
    page.get_by_role("tab", name=name, exact=True).click()
    page.wait_for_selector(f"[role=tab][aria-selected=true]:has-text('{name}')", timeout=30_000)
    idle(page)


def fill(page, label: str, text: str) -> None:
    page.get_by_label(label, exact=True).fill(text)


def choose(page, label: str, option: str) -> None:
    box = page.get_by_role("combobox", name=label, exact=True)
    box.click()
    box.fill(option)  # the list is filtered as one types, and virtualised
    page.get_by_role("option", name=option, exact=True).first.click()


def see(page, text: str) -> None:
    """Wait until ``text`` is on the page (the rerun a click starts may not have begun yet)."""
    page.get_by_text(text).first.wait_for(timeout=30_000)


def press(page, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).click()
    idle(page)


def test_an_entity_and_a_cited_relation_are_saved_and_found_after_a_reload(
    page, app, folder, request_log
):
    open_editor(page, app)
    fill(page, "Id", "safe_net")
    fill(page, "Name", "Safe Net")
    choose(page, "Type", "NGO")
    press(page, "Add entity")
    see(page, "Pending changes: 1")  # the rerun that adds it redraws the relation form: wait
    choose(page, "Relation", "supported")
    fill(page, "Source (a name, alias or id)", "Safe Net")
    fill(page, "Target (a name, alias or id)", "NCMEC")
    fill(page, "Relation id (optional; citations refer to it)", "safe_net_ncmec")
    press(page, "Add relation")
    see(page, "Pending changes: 2")
    idle(page)
    document = sorted(load_graph(folder).graph["documents"])[0]
    fill(page, "Relation id", "safe_net_ncmec")
    fill(page, "Its quote, verbatim from that document", "a second source")
    press(page, "Add citation")
    fill(page, "What these changes do", "Add Safe Net")
    press(page, "Save to the dataset")
    see(page, "Saved 3 change(s)")
    G = load_graph(folder)
    assert "safe_net" in G and G.has_edge("safe_net", "ncmec")
    assert f"safe_net_ncmec,{document},a second source" in (folder / "citations.csv").read_text()
    page.goto(f"{app.url}/?focus=safe_net")
    page.wait_for_selector(READY, timeout=60_000)
    idle(page)
    ids = set(page.locator(GRAPH).get_attribute("data-node-ids").split())
    assert {"safe_net", "ncmec"} <= ids
    assert request_log.outside(app.url, f"blob:{app.url}") == []


def focus_on(page, folder: Path, entity: str) -> None:
    """Change the view with the sidebar's "Focus on" picker (same session, unlike a link)."""
    name = load_graph(folder).nodes[entity]["name"]
    box = page.get_by_role("combobox", name="Focus on", exact=True)
    box.click()
    box.fill(name)
    page.get_by_role("option", name=f"{name} · ").first.click()
    idle(page)


def drawn_around(page, entity: str) -> set[str]:
    """The entities drawn once the drawing shows ``entity`` (it redraws after the rerun)."""
    graph = page.locator(READY)
    expect(graph).to_have_attribute("data-node-ids", re.compile(rf"\b{entity}\b"), timeout=30_000)
    return set((graph.get_attribute("data-node-ids") or "").split())


def test_a_two_step_tour_built_from_views_is_saved_and_plays(page, app, folder, request_log):
    open_editor(page, app)
    steps = (("pact", "Where PACT stands"), ("thorn", "What Thorn builds"))
    for number, (entity, title) in enumerate(steps, 1):
        focus_on(page, folder, entity)
        fill(page, "Step title", title)
        fill(page, "Narration (two to four sentences, in your own words)", f"{title}, told.")
        press(page, "Add this view as a step")
        see(page, f"{number}. {title} — focus={entity}")
    press(page, "Preview in presentation mode")  # the unsaved steps, as the audience sees them
    panel = page.locator(".st-key-present_panel")
    expect(panel.get_by_role("heading", name=steps[0][1])).to_be_visible(timeout=30_000)
    assert "thorn" not in drawn_around(page, "pact")
    panel.get_by_role("button", name="Next", exact=True).click()
    idle(page)
    expect(panel.get_by_role("heading", name=steps[1][1])).to_be_visible(timeout=30_000)
    assert "pact" not in drawn_around(page, "thorn")
    press(page, "Exit presentation")
    see(page, "Edit mode")  # the sidebar is back
    idle(page)
    tab(page, "Edit")  # edit mode is still on
    see(page, f"2. {steps[1][1]}")  # the steps are still being built
    fill(page, "Tour id", "workshop")
    fill(page, "Tour title", "Workshop tour")
    fill(page, "One-line summary", "Two organisations, one step each.")
    press(page, "Add the tour to the pending changes")
    see(page, "Pending changes: 1")
    fill(page, "What these changes do", "Add the workshop tour")
    press(page, "Save to the dataset")
    see(page, "Saved 1 change(s)")
    assert "id: workshop" in (folder / "tours.yaml").read_text()

    page.get_by_text("Guided tours (1)").click()
    press(page, "Workshop tour")
    tab(page, "Graph")
    card = page.locator(".st-key-tour_card")
    expect(card.get_by_text("Step 1 of 2")).to_be_visible(timeout=30_000)
    expect(card.get_by_role("heading", name=steps[0][1])).to_be_visible()
    first = drawn_around(page, "pact")
    assert "thorn" not in first, "step 1 draws PACT's neighbourhood, not the last view's"
    card.get_by_role("button", name="Next", exact=True).click()
    idle(page)
    expect(card.get_by_role("heading", name=steps[1][1])).to_be_visible(timeout=30_000)
    second = drawn_around(page, "thorn")
    assert "pact" not in second, "step 2 draws Thorn's neighbourhood instead"
    assert request_log.outside(app.url, f"blob:{app.url}") == []


def test_a_save_after_the_files_changed_underneath_is_refused_and_the_edits_are_kept(
    page, app, folder
):
    open_editor(page, app)
    fill(page, "Id", "safe_net")
    fill(page, "Name", "Safe Net")
    choose(page, "Type", "NGO")
    press(page, "Add entity")
    see(page, "Pending changes: 1")
    someone_else = changes.ChangeSet(
        [{"op": "add_entity", "entity": {"id": "late", "name": "Late", "type": "ngo"}}],
        "someone else's edit",
        None,
    )
    changes.apply(folder, someone_else)
    theirs = store.read_files(folder)
    fill(page, "What these changes do", "Add Safe Net")
    press(page, "Save to the dataset")
    see(page, "The changes were not saved")
    see(page, "the dataset changed since you loaded it")
    see(page, "Pending changes: 1")
    assert store.read_files(folder) == theirs, "the other edit is not overwritten"
    G = load_graph(folder)
    assert "late" in G and "safe_net" not in G
    button = page.get_by_role("button", name="Download change set")
    expect(button).to_be_enabled()
    with page.expect_download() as download:
        button.click()
    kept = json.loads(Path(download.value.path()).read_text())
    assert [op["entity"]["id"] for op in kept["changes"]] == ["safe_net"]
