"""The standalone HTML page's timeline and technologies × stages matrix, in a real Chromium.

Opened from disk, the page draws one timeline mark per dated item, a click on a mark selects
its entity in the drawing, the matrix holds a number per non-empty cell, a click on a number
lists that cell's quotes with their documents' titles (as text), and nothing is requested but
the page itself.
"""

from __future__ import annotations

from pathlib import Path

from graph.analytics import abuse_matrix
from graph.load import load_graph
from graph.page import standalone_html
from graph.timeline import timeline

READY = '[data-testid="kg-graph"][data-kg-ready="true"]'


def test_the_page_draws_the_timeline_and_matrix_and_a_cell_lists_its_quotes(
    page, request_log, save_screenshot, tmp_path
):
    G = load_graph("data")
    path = tmp_path / "charts.html"
    path.write_text(standalone_html(G, title="data"), encoding="utf-8")
    url = path.as_uri()
    page.goto(url)
    page.wait_for_selector(READY, timeout=15_000)
    page.locator("#kg-charts > summary").click()

    told = timeline(G)
    marks = page.locator("#kg-timeline .kg-timeline-item")
    assert marks.count() == len(told.items)
    assert page.locator("#kg-timeline-sentence").inner_text() == f"{told.sentence()}."
    assert str(told.undated_entities) in page.locator("#kg-timeline-undated").inner_text()

    first = told.items[0]
    page.locator(f'#kg-timeline [data-id="{first.id}"]').click()
    assert page.locator("#kg-details h2").first.inner_text() == G.nodes[first.entity]["name"]

    m = abuse_matrix(G)
    cells = page.locator("#kg-matrix .kg-matrix-cell")
    assert cells.count() == len(m.cells)
    (row, column), relations = next(iter(m.cells.items()))
    cell = page.locator(f'#kg-matrix [data-row="{row}"][data-column="{column}"]')
    assert cell.inner_text() == str(m.documents(row, column))
    cell.click()
    quotes = page.locator("#kg-matrix-quotes .kg-matrix-quote")
    assert quotes.count() == sum(len(r.quotes) for r in relations)
    listed = page.locator("#kg-matrix-quotes").inner_text()
    for relation in relations:
        assert relation.sentence in listed
        for quote in relation.quotes:
            assert quote.quote in listed and quote.title in listed
    page.locator("#kg-charts").scroll_into_view_if_needed()
    save_screenshot(page, "html_timeline_matrix")

    assert request_log.outside(url) == []
    assert request_log.page_errors == [] and request_log.console_errors == []


def test_clicking_a_mark_on_the_apps_timeline_selects_it_in_the_graph(
    app_server, page, request_log, save_screenshot
):
    G = load_graph("data")
    first = timeline(G).items[0]  # the earliest dated item: its mark is the first drawn
    app = app_server(Path("data").resolve(), "timeline_e2e")
    page.goto(app.url)
    page.wait_for_selector('[data-testid=kg-graph][data-kg-ready="true"]', timeout=60_000)
    page.get_by_role("tab", name="Analytics").click()
    box = page.locator(".st-key-analytics_timeline")
    box.locator("svg .mark-symbol.role-mark path").first.wait_for(timeout=60_000)
    box.scroll_into_view_if_needed()
    assert box.locator("svg .mark-symbol.role-mark path").count() == len(timeline(G).items)
    box.locator("svg .mark-symbol.role-mark path").first.click(force=True)  # Vega's own hit test
    page.get_by_role("tab", name="Graph").click()
    name = G.nodes[first.entity]["name"]
    page.wait_for_selector(f".st-key-details_panel:has-text({name!r})", timeout=30_000)
    save_screenshot(page, "app_timeline_selects")
    assert request_log.outside(app.url, f"blob:{app.url}", "data:") == []
    assert request_log.page_errors == []
    app.stop()
