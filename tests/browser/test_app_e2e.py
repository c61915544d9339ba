"""The explorer end to end: `streamlit run app.py` on a free port, driven in headless Chromium.

Uses the shared harness in tests/browser/conftest.py (Debian's /usr/bin/chromium, a request
log, screenshots in tests/artifacts/, the app started by ``app_server``). These tests never
skip: a missing Chromium fails them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.load import load_graph
from graph.query import neighborhood
from graph.schema import default_schema

from .glyphs import GLYPH_ROWS, SNAPSHOT_AGREES, is_triangle_down

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
GRAPH = "[data-testid=kg-graph]"
READY = f"{GRAPH}[data-kg-ready=true]"
DETAILS = ".st-key-details_panel"

# A node the mouse can reach: on top at its own centre (not under a bigger shape) and inside
# the visible part of the drawing.
REACHABLE_NODES = """
() => {
  const view = globalThis.kgGraph, net = view.network;
  const box = document.querySelector('[data-testid=kg-graph]').getBoundingClientRect();
  return view.nodes.getIds().filter(id => {
    const p = view.domPosition(id);
    const canvas = document.querySelector('[data-testid=kg-graph] canvas').getBoundingClientRect();
    const at = {x: Math.round(p.x) - canvas.left, y: Math.round(p.y) - canvas.top};
    // Not under the click card or a button laid over the canvas.
    const top = document.elementFromPoint(Math.round(p.x), Math.round(p.y));
    return net.getNodeAt(at) === id && top && top.tagName === 'CANVAS' &&
      p.x > box.left + 5 && p.x < box.right - 5 && p.y > box.top + 5 &&
      p.y < Math.min(box.bottom, window.innerHeight) - 5;
  });
}
"""


@pytest.fixture(scope="module")
def good_app(app_server) -> Iterator:
    app = app_server(FIXTURES / "good", "app_e2e_good")
    yield app
    app.stop()


@pytest.fixture(scope="module")
def dark_app(app_server) -> Iterator:
    app = app_server(FIXTURES / "good", "app_e2e_dark", "--theme.base", "dark")
    yield app
    app.stop()


@pytest.fixture(scope="module")
def hostile_app(app_server) -> Iterator:
    app = app_server(FIXTURES / "hostile", "app_e2e_hostile")
    yield app
    app.stop()


def open_app(page, app) -> None:
    page.goto(app.url)
    page.wait_for_selector(READY, timeout=60_000)


def counts(page) -> tuple[int, int]:
    graph = page.locator(GRAPH)
    return int(graph.get_attribute("data-node-count")), int(graph.get_attribute("data-edge-count"))


def positions(page) -> dict:
    return page.evaluate("() => globalThis.kgGraph.network.getPositions()")


# Resolves once the browser has drawn two more frames: every pending render has been painted.
NEXT_FRAMES = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"


def wait_idle(page) -> None:
    """Until the app's script has finished running (Streamlit marks it on the app element)."""
    page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]")


def click_node(page, node: str, *, double: bool = False) -> None:
    wait_idle(page)
    point = page.evaluate("id => globalThis.kgGraph.domPosition(id)", node)
    if double:
        page.mouse.dblclick(round(point["x"]), round(point["y"]))
    else:
        page.mouse.click(round(point["x"]), round(point["y"]))


def only_local(request_log, app) -> list[str]:
    """Requests to anywhere but the app (blob: and data: URLs are the page's own memory)."""
    return [url for url in request_log.outside(app.url, f"blob:{app.url}", "data:")]


def test_the_graph_stands_still_and_a_click_selects_a_node(
    page, request_log, good_app, save_screenshot
):
    open_app(page, good_app)
    assert counts(page) == (15, 15)
    assert page.locator(GRAPH).is_visible()
    expect_text(page, DETAILS, None)  # nothing selected yet
    before = positions(page)
    reachable = page.evaluate(REACHABLE_NODES)
    node = "project_arachnid" if "project_arachnid" in reachable else reachable[0]
    name = page.evaluate("id => globalThis.kgGraph.node(id).label", node)

    click_node(page, node)
    page.wait_for_selector(f"{DETAILS} h3:has-text({name!r})", timeout=20_000)
    wait_idle(page)  # the click's rerun has finished ...
    page.evaluate(NEXT_FRAMES)  # ... and whatever it sent the browser has been drawn
    assert positions(page) == before  # the rerun moved nothing
    assert page.evaluate("() => globalThis.kgGraph.selected()") == node
    brightness = page.evaluate(
        """id => {
      const view = globalThis.kgGraph, near = new Set(view.network.getConnectedNodes(id));
      const far = view.nodes.getIds().find(n => n !== id && !near.has(n));
      return {self: view.opacity(id), near: [...near].map(n => view.opacity(n)),
              far: view.opacity(far)};
    }""",
        node,
    )
    assert brightness["self"] == 1 and set(brightness["near"]) == {1}
    assert brightness["far"] < 0.5  # the rest of the drawing is dimmed
    save_screenshot(page, "app_e2e_selected")
    assert only_local(request_log, good_app) == []
    assert request_log.page_errors == [] and request_log.dialogs == []


def test_double_click_focuses_on_the_node(page, request_log, good_app):
    open_app(page, good_app)
    reachable = page.evaluate(REACHABLE_NODES)
    node = "thorn" if "thorn" in reachable else reachable[0]
    click_node(page, node, double=True)
    page.wait_for_function(
        "() => document.querySelector('[data-testid=kg-graph]').dataset.nodeCount !== '15'",
        timeout=20_000,
    )
    expected = page.evaluate("id => globalThis.kgGraph.nodes.getIds().length", node)
    assert counts(page)[0] == expected < 15
    # The graph element names what is drawn: the node's neighbourhood, as the library has it.
    around = neighborhood(load_graph(FIXTURES / "good"), node, depth=1)
    assert sorted(drawn_ids(page)) == sorted(around.nodes)
    assert only_local(request_log, good_app) == []


def drawn_ids(page) -> list[str]:
    return page.locator(GRAPH).get_attribute("data-node-ids").split(" ")


def test_a_focus_link_draws_the_neighbourhood_and_names_its_ids(page, request_log, good_app):
    page.goto(f"{good_app.url}/?focus=ncmec&depth=1")
    page.wait_for_selector(READY, timeout=60_000)
    page.wait_for_function(
        "() => document.querySelector('[data-testid=kg-graph]').dataset.nodeCount !== '15'",
        timeout=20_000,
    )
    expected = sorted(neighborhood(load_graph(FIXTURES / "good"), "ncmec", depth=1).nodes)
    assert 1 < len(expected) < 15
    assert sorted(drawn_ids(page)) == expected
    assert sorted(page.evaluate("() => globalThis.kgGraph.nodes.getIds()")) == expected
    assert counts(page)[0] == len(expected)
    assert only_local(request_log, good_app) == []


def test_the_legend_draws_each_types_shape_as_the_png_does(page, request_log, good_app):
    open_app(page, good_app)
    schema = default_schema()
    legend = page.evaluate("""() => [...document.querySelectorAll('.kg-frame .kg-legend li')]
        .map(li => ({id: li.dataset.id, kind: li.dataset.kind,
                     shape: li.querySelector('svg.kg-glyph').dataset.shape,
                     label: li.querySelector('.kg-legend-label').textContent}))""")
    assert {entry["id"] for entry in legend} >= {"ngo", "tool", "law", "international_org"}
    for entry in legend:
        style = schema.style(entry["id"])
        assert (entry["kind"], entry["shape"], entry["label"]) == ("type", style.shape, style.label)
    # The law's glyph is a triangle pointing down, not the circle or square it used to be.
    law = page.evaluate(GLYPH_ROWS, ".kg-frame .kg-legend li[data-id=law] svg.kg-glyph")
    assert schema.style("law").shape == "triangleDown" and is_triangle_down(law), law
    # Save PNG draws the same outlines in its legend.
    for glyph in page.evaluate(SNAPSHOT_AGREES, ".kg-frame .kg-legend"):
        assert glyph["snapshot_shape"] == glyph["shape"], glyph
        assert glyph["checked"] >= 100 and glyph["agree"] >= 0.99 * glyph["checked"], glyph
    assert only_local(request_log, good_app) == []
    assert request_log.page_errors == []


def test_search_jumps_to_the_entity(page, request_log, good_app, save_screenshot):
    open_app(page, good_app)
    box = page.get_by_role("textbox", name="Search entities")
    box.fill("arachnid")
    box.press("Enter")
    page.wait_for_selector(f"{DETAILS} h3:has-text('Project Arachnid')", timeout=20_000)
    page.wait_for_function(
        "() => globalThis.kgGraph.selected() === 'project_arachnid'", timeout=20_000
    )
    save_screenshot(page, "app_e2e_search")
    assert only_local(request_log, good_app) == []


def test_hostile_data_is_shown_as_text_and_runs_nothing(
    page, request_log, hostile_app, save_screenshot
):
    open_app(page, hostile_app)
    box = page.get_by_role("textbox", name="Search entities")
    box.fill("evil_script")
    box.press("Enter")
    page.wait_for_selector(f"{DETAILS} h3:has-text('<script>alert(1)</script>')", timeout=20_000)
    reachable = page.evaluate(REACHABLE_NODES)
    click_node(page, "evil_img" if "evil_img" in reachable else reachable[0])
    page.wait_for_selector(f"{DETAILS} h3:has-text('<img src=x onerror=alert(1)>')", timeout=20_000)
    page.mouse.move(0, 0)
    wait_idle(page)
    page.evaluate(NEXT_FRAMES)
    save_screenshot(page, "app_e2e_hostile")
    injected = page.evaluate("""() => ({
        imgs: document.querySelectorAll('img[src="x"]').length,
        svgs: document.querySelectorAll('svg[onload]').length,
        links: [...document.querySelectorAll('a')]
            .filter(a => /^javascript:/i.test(a.getAttribute('href') || '')).length,
        bold: document.querySelectorAll('b[onmouseover]').length,
    })""")
    assert injected == {"imgs": 0, "svgs": 0, "links": 0, "bold": 0}
    assert request_log.dialogs == []
    assert request_log.page_errors == []
    assert only_local(request_log, hostile_app) == []


def test_the_analytics_and_data_tabs_open(page, request_log, good_app, save_screenshot):
    open_app(page, good_app)
    page.get_by_role("tab", name="Analytics").click()
    page.wait_for_selector(".st-key-analytics_ranking [data-testid=stDataFrame]", timeout=30_000)
    page.get_by_role("tab", name="Data and downloads").click()
    page.wait_for_selector("[data-testid=stDownloadButton]", timeout=30_000)
    formats = page.locator("[class*='st-key-data_download_'] [data-testid=stDownloadButton]")
    tables = page.locator("[class*='st-key-data_table_'] [data-testid=stDownloadButton]")
    assert (formats.count(), tables.count()) == (9, 2)
    with page.expect_download(timeout=30_000) as download:
        page.get_by_role("button", name="GEXF").click()
    assert download.value.suggested_filename == "good_whole-graph_15-entities.gexf"
    assert b"<gexf" in Path(download.value.path()).read_bytes()[:400]
    save_screenshot(page, "app_e2e_data_tab")
    assert only_local(request_log, good_app) == []
    assert request_log.page_errors == []


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two #rrggbb colours."""

    def luminance(color: str) -> float:
        channels = [int(color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


DRAWN_INKS = """
() => {
  const view = globalThis.kgGraph;
  return {
    theme: view.theme(),
    labels: view.labels().labels.map(l => l.color),  // as KGView drew them
    edges: view.edges.get().map(e => (e.color || {}).color),
    legend: getComputedStyle(document.querySelector(".kg-legend")).color,
  };
}
"""


@pytest.mark.parametrize("app_fixture, theme", [("good_app", "light"), ("dark_app", "dark")])
def test_the_drawing_follows_the_light_and_dark_themes(
    page, request, request_log, save_screenshot, app_fixture, theme
):
    app = request.getfixturevalue(app_fixture)
    open_app(page, app)
    assert page.locator(GRAPH).get_attribute("data-kg-theme") == theme
    drawn = page.evaluate(DRAWN_INKS)
    background, text = drawn["theme"]["background"], drawn["theme"]["text"]
    assert drawn["theme"]["dark"] is (theme == "dark")
    assert contrast(background, text) >= 7  # page text on the canvas
    assert drawn["labels"] and set(drawn["labels"]) == {text if theme == "dark" else "#222222"}
    assert all(contrast(background, c) >= 2.5 for c in drawn["edges"] if c)  # edges visible
    save_screenshot(page, f"app_e2e_theme_{theme}")
    assert only_local(request_log, app) == []
    assert request_log.page_errors == []


def test_the_server_log_has_no_warnings_or_tracebacks(good_app, page):
    open_app(page, good_app)  # runs last: every test above has used this server
    log = good_app.log()
    for bad in ("Traceback", "deprecat", "Deprecat", "Error"):
        assert bad not in log, log


def expect_text(page, selector: str, text: str | None) -> None:
    """With ``text=None``: the details panel is not there yet (nothing selected)."""
    if text is None:
        assert page.locator(selector).count() == 0
    else:
        page.wait_for_selector(f"{selector}:has-text({text!r})")
