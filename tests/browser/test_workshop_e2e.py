"""Workshops and sharing end to end, in headless Chromium: deep links, a guided tour in
presentation mode at projector size (buttons and arrow keys), the link to copy and the PNG
snapshot. The app serves the bundled dataset with its tours (``app_server`` in conftest.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from graph.load import load_graph
from graph.query import neighborhood
from graph.tours import load_tours

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
GRAPH = "[data-testid=kg-graph]"
READY = f"{GRAPH}[data-kg-ready=true]"
IDLE = "[data-testid=stApp][data-test-script-state=notRunning]"
PROJECTOR = {"width": 1280, "height": 720}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
ARTIFACTS = ROOT / "tests" / "artifacts"


@pytest.fixture(scope="module")
def bundled_app(app_server) -> Iterator:
    app = app_server(DATA, "workshop_e2e")
    yield app
    app.stop()


@pytest.fixture(scope="module")
def bundled():
    G = load_graph(DATA)
    return G, {t.id: t for t in load_tours(DATA / "tours.yaml", G)}


def open_link(page, app, query: str = "") -> None:
    page.goto(f"{app.url}/{query}")
    page.wait_for_selector(READY, timeout=60_000)
    page.wait_for_selector(IDLE, timeout=60_000)


def node_count(page) -> int:
    return int(page.locator(GRAPH).get_attribute("data-node-count"))


def url_params(page) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(urlsplit(page.url).query, keep_blank_values=True).items()}


def wait_for_param(page, name: str, value: str) -> None:
    page.wait_for_function(
        "([name, value]) => new URLSearchParams(location.search).get(name) === value",
        arg=[name, value],
        timeout=30_000,
    )


def only_local(request_log, app) -> list[str]:
    """Requests to anywhere but the app (blob: and data: URLs are the page's own memory)."""
    return request_log.outside(app.url, f"blob:{app.url}", "data:")


def test_a_deep_link_draws_the_focused_neighbourhood(page, request_log, bundled_app, bundled):
    G, _ = bundled
    open_link(page, bundled_app, "?focus=ncmec&depth=2")
    expected = neighborhood(G, "ncmec", depth=2).number_of_nodes()
    assert 1 < node_count(page) == expected < G.number_of_nodes()
    assert url_params(page) == {"focus": "ncmec", "depth": "2"}
    page.get_by_role("button", name="Copy link").click()
    code = page.locator("[data-testid=stPopoverBody] code").first
    code.wait_for(timeout=20_000)
    assert code.inner_text().strip() == f"{bundled_app.url}/?focus=ncmec&depth=2"
    assert only_local(request_log, bundled_app) == []
    assert request_log.page_errors == []


def test_a_click_puts_the_selection_in_the_address_bar(page, request_log, bundled_app):
    open_link(page, bundled_app, "?focus=ncmec")
    point = page.evaluate("() => globalThis.kgGraph.domPosition('ncmec')")
    page.mouse.click(round(point["x"]), round(point["y"]))
    wait_for_param(page, "selected", "ncmec")
    assert url_params(page) == {"focus": "ncmec", "selected": "ncmec"}
    assert only_local(request_log, bundled_app) == []


def test_an_unknown_id_in_a_link_is_named_and_the_rest_applies(
    page, request_log, bundled_app, bundled
):
    G, _ = bundled
    open_link(page, bundled_app, "?focus=atlantis&types=law,spaceship")
    warning = page.locator("[data-testid=stAlertContentWarning]").first
    assert "'atlantis'" in warning.inner_text() and "'spaceship'" in warning.inner_text()
    laws = sum(1 for _, d in G.nodes(data=True) if d.get("type") == "law")
    assert node_count(page) == laws
    assert url_params(page) == {"types": "law"}
    assert request_log.page_errors == []


def test_a_tour_in_presentation_mode_moves_with_buttons_and_arrow_keys(
    page, request_log, bundled_app, bundled, save_screenshot
):
    _, tours = bundled
    tour = tours["technology_abuse_stages"]
    page.set_viewport_size(PROJECTOR)
    open_link(page, bundled_app, f"?tour={tour.id}&step=1&present=1")
    panel = page.locator(".st-key-present_panel")
    expect_step(page, tour, 1)
    # the controls are folded away and the drawing fills the window
    assert (
        page.locator("[data-testid=stSidebar]").count() == 0
        or not page.locator("[data-testid=stSidebar]").is_visible()
    )
    assert page.locator("header[data-testid=stHeader]").is_hidden()
    box = page.locator(GRAPH).bounding_box()
    assert box["height"] >= 0.75 * PROJECTOR["height"] and box["width"] >= 0.6 * PROJECTOR["width"]
    narration = panel.locator("p", has_text=tour.steps[0].narration[:40])
    assert narration.evaluate("p => parseFloat(getComputedStyle(p).fontSize)") >= 20
    save_screenshot(page, "workshop_presentation_1280x720")

    panel.get_by_role("button", name="Next").click()
    expect_step(page, tour, 2)
    page.wait_for_function("() => (globalThis.kgPresentKeys || {}).listener", timeout=20_000)
    page.keyboard.press("ArrowRight")
    expect_step(page, tour, 3)
    page.keyboard.press("ArrowLeft")
    expect_step(page, tour, 2)
    page.keyboard.press("PageDown")  # what a presentation clicker sends
    expect_step(page, tour, 3)
    assert url_params(page) == {"tour": tour.id, "step": "3", "present": "1"}
    focus = tour.steps[2].view.focus
    assert page.evaluate("id => globalThis.kgGraph.node(id) !== null", focus)

    panel.get_by_role("button", name="Exit presentation").click()
    page.wait_for_selector("[data-testid=stSidebar]", state="visible", timeout=30_000)
    wait_for_param(page, "step", "3")
    assert "present" not in url_params(page)
    assert only_local(request_log, bundled_app) == []
    assert request_log.page_errors == [] and request_log.dialogs == []


def expect_step(page, tour, number: int) -> None:
    """Step ``number`` (from 1) is on screen: its title, narration and "Step i of n"."""
    step = tour.steps[number - 1]
    panel = ".st-key-present_panel"
    page.wait_for_selector(f"{panel} h3:has-text({step.title!r})", timeout=30_000)
    page.wait_for_selector(f"{panel} :text({f'Step {number} of {len(tour.steps)}'!r})")
    page.wait_for_selector(IDLE, timeout=30_000)
    assert step.narration[:60] in page.locator(panel).inner_text()
    wait_for_param(page, "step", str(number))


def test_save_png_downloads_the_drawing(page, request_log, bundled_app):
    open_link(page, bundled_app, "?focus=ncmec&depth=2")
    with page.expect_download(timeout=30_000) as download:
        page.locator("[data-testid=kg-snapshot]").click()
    count = node_count(page)
    assert download.value.suggested_filename == f"data_focus-ncmec-depth-2_{count}-entities.png"
    data = Path(download.value.path()).read_bytes()
    assert data.startswith(PNG_SIGNATURE) and len(data) > 10_000
    canvas = page.evaluate(
        "() => { const c = globalThis.kgGraph.canvas(); return [c.width, c.height]; }"
    )
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert width == canvas[0] and height > canvas[1] + 60  # a title above, the legend below
    Path(ARTIFACTS / "workshop_snapshot.png").write_bytes(data)
    assert only_local(request_log, bundled_app) == []
