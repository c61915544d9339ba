"""Edit mode end to end, in headless Chromium: add an entity and a cited relation, save, reload
and find both. (The tour builder and a stale save are covered with AppTest in test_editor.py.)"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

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
    choose(page, "Relation", "supported")
    fill(page, "Source (a name, alias or id)", "Safe Net")
    fill(page, "Target (a name, alias or id)", "NCMEC")
    fill(page, "Relation id (optional; citations refer to it)", "safe_net_ncmec")
    press(page, "Add relation")
    see(page, "Pending changes: 2")
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
