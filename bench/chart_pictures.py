"""The README's pictures of the timeline and the charts, taken with headless Chromium.

``python -m bench.chart_pictures [--data data] [--out docs/images]`` writes:

- ``timeline.png``: the app's Analytics timeline (Altair), a lane per entity type;
- ``measures.png``: the app's degree / PageRank / betweenness bars, coloured by type, with
  what each measure means;
- ``communities.png``: the app's drawing of the communities, each named by its hubs;
- ``abuse_matrix.png``: the standalone HTML page's technologies × stages matrix with one
  cell's quotes listed;
- ``page_timeline.png``: the HTML page's timeline.

Nothing is drawn by hand: the app is started on the dataset (``tests/browser/conftest.App``)
and the page written by :func:`graph.page.standalone_html`.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from graph.load import load_graph
from graph.page import standalone_html
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, App

ROOT = Path(__file__).resolve().parent.parent


def app_pictures(page: Page, data: Path, out: Path, work: Path) -> list[Path]:
    """The Analytics tab's charts, each its own picture."""
    app = App(data, work / "streamlit.log")
    try:
        page.goto(app.url)
        page.get_by_role("tab", name="Analytics").click()
        page.wait_for_selector(
            ".st-key-analytics_timeline canvas, .st-key-analytics_timeline svg", timeout=60_000
        )
        page.wait_for_timeout(1500)  # let Vega finish its last draw before the picture
        taken = []
        for key, name in (
            ("analytics_timeline", "timeline.png"),
            ("analytics_bars_betweenness", "measures.png"),
            ("analytics_communities", "communities.png"),
        ):
            box = page.locator(f".st-key-{key}")
            box.scroll_into_view_if_needed()
            box.screenshot(path=str(out / name))
            taken.append(out / name)
        return taken
    finally:
        app.stop()


def page_pictures(page: Page, data: Path, out: Path, work: Path) -> list[Path]:
    """The HTML page's timeline and matrix (a cell's quotes listed)."""
    path = work / "page.html"
    path.write_text(standalone_html(load_graph(data), title=data.name), encoding="utf-8")
    page.goto(path.as_uri())
    page.wait_for_selector('[data-kg-ready="true"]', timeout=30_000)
    page.locator("#kg-charts > summary").click()
    page.add_style_tag(content="#kg-charts { max-height: none; }")  # the whole box, unscrolled
    page.locator(".kg-timeline-box").screenshot(path=str(out / "page_timeline.png"))
    page.locator("#kg-matrix .kg-matrix-cell").first.click()
    page.locator("#kg-matrix-box").screenshot(path=str(out / "abuse_matrix.png"))
    return [out / "page_timeline.png", out / "abuse_matrix.png"]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT / "data")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work, sync_playwright() as driver:
        browser = driver.chromium.launch(
            executable_path=str(CHROMIUM) if CHROMIUM.exists() else None,
            headless=True,
            args=CHROMIUM_ARGS,
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        taken = app_pictures(page, args.data.resolve(), args.out, Path(work))
        page = browser.new_page(viewport={"width": 1280, "height": 1400})
        taken += page_pictures(page, args.data.resolve(), args.out, Path(work))
        browser.close()
    for path in taken:
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)


if __name__ == "__main__":
    main()
