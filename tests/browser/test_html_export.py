"""The standalone HTML export, opened from disk in a real Chromium.

It must draw every node, make no request other than loading its own file, show a node's
details (with the evidence of its relations) on a real mouse click, find nodes by alias, keep
hostile text as text, and save the drawing as a PNG.
"""

from __future__ import annotations

import base64
from pathlib import Path

import networkx as nx
import pytest

from graph.layout import compute_layout
from graph.load import load_graph
from graph.page import standalone_html
from graph.query import neighborhood
from graph.schema import default_schema

from ..conftest import contract_graph
from .glyphs import GLYPH_ROWS, SNAPSHOT_AGREES, is_triangle_down

GRAPH = '[data-testid="kg-graph"]'
READY = '[data-testid="kg-graph"][data-kg-ready="true"]'


def kg(
    nodes: list[tuple[str, dict]],
    edges: list[tuple[str, str, dict]],
    documents: dict[str, dict] | None = None,
    name: str = "Test graph",
) -> nx.MultiDiGraph:
    """A graph in the graph.load contract shape, built by hand."""
    return contract_graph(nodes, edges, documents=documents, name=name)


def small_graph() -> nx.MultiDiGraph:
    documents = {
        "d1": {
            "title": "Synergia results",
            "publisher": "INTERPOL",
            "author": "",
            "date": "2024",
            "url": "https://example.org/synergia",
            "kind": "press release",
        },
        "d2": {
            "title": "Annual report",
            "publisher": "Polaris",
            "author": "",
            "date": "2023",
            "url": "",
            "kind": "report",
        },
    }
    return kg(
        [
            (
                "interpol",
                {
                    "name": "INTERPOL",
                    "type": "international_org",
                    "aliases": ["International Criminal Police Organization"],
                    "description": "The international police organisation.",
                    "documents": ["d1"],
                },
            ),
            (
                "synergia",
                {
                    "name": "Operation Synergia",
                    "type": "operation",
                    "date": "2024",
                    "documents": ["d1"],
                },
            ),
            (
                "polaris",
                {
                    "name": "Polaris Project",
                    "type": "ngo",
                    "aliases": ["Polaris"],
                    "documents": ["d2"],
                },
            ),
            ("hotline", {"name": "National Hotline", "type": "tool", "documents": ["d2"]}),
            ("report", {"name": "Hotline statistics 2023", "type": "report"}),
            ("usa", {"name": "United States", "type": "place"}),
        ],
        [
            (
                "interpol",
                "synergia",
                {
                    "relation": "led",
                    "documents": ["d1"],
                    "evidence": "INTERPOL coordinated Operation Synergia.",
                },
            ),
            (
                "interpol",
                "synergia",
                {
                    "relation": "published",
                    "documents": ["d1"],
                    "evidence": "INTERPOL announced the results.",
                },
            ),
            (
                "polaris",
                "hotline",
                {
                    "relation": "runs",
                    "documents": ["d2"],
                    "evidence": "Polaris operates the National Hotline.",
                },
            ),
            (
                "polaris",
                "report",
                {
                    "relation": "published",
                    "documents": ["d2"],
                    "evidence": "Polaris published the statistics.",
                },
            ),
            (
                "hotline",
                "usa",
                {"relation": "operates_in", "evidence": "Serving the United States."},
            ),
            ("polaris", "interpol", {"relation": "supported", "evidence": "Polaris shared data."}),
        ],
        documents,
    )


HOSTILE_NAME = '<img src=x onerror="window.__pwned=1;alert(1)">'
HOSTILE_SCRIPT = "</script><script>window.__pwned=2;alert(2)</script>"


def hostile_graph() -> nx.MultiDiGraph:
    documents = {
        "evil": {
            "title": "<b onmouseover=alert(3)>Evil doc</b>",
            "publisher": "<i>pub</i>",
            "author": "",
            "date": "",
            "url": "javascript:alert(4)",
            "kind": "x",
        },
        "ok": {
            "title": "Plain doc",
            "publisher": "P",
            "author": "",
            "date": "",
            "url": "https://example.org/a?b=<c>&d=1",
            "kind": "x",
        },
    }
    return kg(
        [
            (
                "h1",
                {
                    "name": HOSTILE_NAME,
                    "type": "<script>alert(5)</script>",
                    "aliases": ["alias\u2028with line separator", "&lt;escaped&gt;"],
                    "description": '<svg onload=alert(6)></svg> & "quotes"',
                    "documents": ["evil", "ok"],
                },
            ),
            ("h2", {"name": HOSTILE_SCRIPT, "type": "tool", "documents": ["evil"]}),
            ("h3", {"name": "javascript:alert(7)", "type": "company"}),
        ],
        [
            (
                "h1",
                "h2",
                {
                    "relation": "supported",
                    "documents": ["evil"],
                    "evidence": "<iframe src=javascript:alert(8)></iframe>",
                },
            ),
            ("h2", "h3", {"relation": "runs", "evidence": "</script><!-- -->"}),
        ],
        documents,
        name="<script>alert(9)</script>",
    )


def open_export(page, tmp_path, G, title="Export", **options) -> str:
    path = tmp_path / "export.html"
    path.write_text(standalone_html(G, title=title, **options), encoding="utf-8")
    url = path.as_uri()
    page.goto(url)
    page.wait_for_selector(READY, timeout=15_000)
    return url


def click_node(page, node_id: str) -> None:
    point = page.evaluate("id => window.kgExport.view.domPosition(id)", node_id)
    assert point is not None, node_id
    page.mouse.click(point["x"], point["y"])


def hover_node(page, node_id: str) -> None:
    point = page.evaluate("id => window.kgExport.view.domPosition(id)", node_id)
    page.mouse.move(point["x"] - 30, point["y"] - 30)
    page.mouse.move(point["x"], point["y"], steps=4)


def test_export_draws_every_node_and_makes_no_request(page, request_log, save_screenshot, tmp_path):
    G = small_graph()
    url = open_export(page, tmp_path, G, title="Small graph")
    graph = page.locator(GRAPH)
    assert graph.get_attribute("data-node-count") == str(G.number_of_nodes())
    assert graph.get_attribute("data-edge-count") == str(G.number_of_edges())
    assert page.evaluate("window.kgExport.view.nodes.length") == G.number_of_nodes()
    assert graph.locator("canvas").count() == 1
    assert page.title() == "Small graph"
    legend = page.locator("#kg-legend li")
    assert legend.count() == 6
    assert "Operation" in page.locator("#kg-legend").inner_text()
    save_screenshot(page, "html_export_small")
    assert request_log.urls == [url]
    assert request_log.outside(url) == []
    assert request_log.page_errors == [] and request_log.console_errors == []


def test_clicking_a_node_shows_its_details_and_evidence(
    page, request_log, save_screenshot, tmp_path
):
    url = open_export(page, tmp_path, small_graph())
    click_node(page, "interpol")
    details = page.locator("#kg-details")
    assert details.locator("h2").inner_text() == "INTERPOL"
    text = details.inner_text()
    assert "The international police organisation." in text
    assert "International Criminal Police Organization" in text
    assert "INTERPOL led Operation Synergia" in text
    assert "INTERPOL coordinated Operation Synergia." in text  # evidence of that relation
    assert "Polaris Project supported INTERPOL" in text  # incoming relations too
    assert "Synergia results" in text and "INTERPOL" in text  # document title and publisher
    assert details.locator("a[href='https://example.org/synergia']").count() == 1
    assert page.evaluate("window.kgExport.view.selected()") == "interpol"
    # The neighbourhood stays bright, the rest is dimmed.
    assert page.evaluate("window.kgExport.view.opacity('synergia')") == 1
    assert page.evaluate("window.kgExport.view.opacity('usa')") < 0.5
    save_screenshot(page, "html_export_details")
    # A relation's sentence leads to the other entity.
    details.locator("button.kg-sentence", has_text="INTERPOL led Operation Synergia").click()
    assert details.locator("h2").inner_text() == "Operation Synergia"
    # Clicking empty canvas clears the panel and the dimming.
    box = page.locator(GRAPH).bounding_box()
    page.mouse.click(box["x"] + 5, box["y"] + box["height"] - 5)
    assert page.evaluate("window.kgExport.view.selected()") is None
    assert page.evaluate("window.kgExport.view.opacity('usa')") == 1
    assert request_log.outside(url) == []


def test_search_finds_a_node_by_alias(page, request_log, tmp_path):
    url = open_export(page, tmp_path, small_graph())
    search = page.locator("#kg-search")
    search.fill("criminal police")
    hit = page.locator("#kg-search-results button.kg-result")
    assert hit.count() == 1
    assert "INTERPOL" in hit.inner_text() and "International Criminal Police" in hit.inner_text()
    search.press("Enter")
    assert page.locator("#kg-details h2").inner_text() == "INTERPOL"
    assert page.evaluate("window.kgExport.view.selected()") == "interpol"
    assert page.evaluate("window.kgExport.view.network.getSelectedNodes()") == ["interpol"]
    search.fill("polaris")
    assert (
        page.locator("#kg-search-results button.kg-result")
        .first.inner_text()
        .startswith("Polaris Project")
    )
    page.locator("#kg-search-results button.kg-result").first.click()
    assert page.locator("#kg-details h2").inner_text() == "Polaris Project"
    search.fill("no such entity")
    assert page.locator("#kg-search-results").inner_text() == "No entity matches."
    assert request_log.outside(url) == []


def test_node_tooltip_is_plain_text(page, tmp_path):
    open_export(page, tmp_path, small_graph())
    hover_node(page, "interpol")
    tooltip = page.locator("div.vis-tooltip")
    tooltip.wait_for(state="visible", timeout=5_000)
    assert tooltip.inner_text().splitlines()[:2] == ["INTERPOL", "International organisation"]
    # innerText turns line breaks into <br>; nothing else may become an element.
    assert tooltip.evaluate("el => [...el.children].map(c => c.tagName)") == ["BR", "BR"]
    # Hovering dims everything outside the neighbourhood.
    assert page.evaluate("window.kgExport.view.opacity('usa')") < 0.5


def test_hostile_text_is_shown_as_text_and_runs_nothing(
    page, request_log, save_screenshot, tmp_path
):
    title = "<script>alert(10)</script> & title"
    url = open_export(page, tmp_path, hostile_graph(), title=title)
    assert page.title() == title
    assert page.locator("h1").inner_text() == title
    assert page.locator(GRAPH).get_attribute("data-node-count") == "3"

    hover_node(page, "h1")
    tooltip = page.locator("div.vis-tooltip")
    tooltip.wait_for(state="visible", timeout=5_000)
    assert tooltip.inner_text().splitlines()[0] == HOSTILE_NAME
    # innerText turns line breaks into <br>; nothing else may become an element.
    assert tooltip.evaluate("el => [...el.children].map(c => c.tagName)") == ["BR", "BR"]

    click_node(page, "h1")
    details = page.locator("#kg-details")
    assert details.locator("h2").inner_text() == HOSTILE_NAME
    text = details.inner_text()
    assert '<svg onload=alert(6)></svg> & "quotes"' in text
    assert "<iframe src=javascript:alert(8)></iframe>" in text
    assert "<b onmouseover=alert(3)>Evil doc</b>" in text
    assert "&lt;escaped&gt;" in text
    # Only the http(s) document is a link; the javascript: URL is plain text.
    hrefs = details.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert hrefs == ["https://example.org/a?b=%3Cc%3E&d=1"]

    page.locator("#kg-search").fill("<img")
    assert HOSTILE_NAME in page.locator("#kg-search-results").inner_text()
    page.locator("#kg-search").press("Enter")
    click_node(page, "h2")
    assert details.locator("h2").inner_text() == HOSTILE_SCRIPT
    save_screenshot(page, "html_export_hostile")

    injected = page.evaluate("""() => ({
        pwned: window.__pwned === undefined ? null : window.__pwned,
        img: document.querySelectorAll('img, iframe, b, i').length,
        scripts: document.querySelectorAll('script').length,
        jsLinks: document.querySelectorAll('a[href^="javascript"]').length,
        // The only SVG is the legend's and the details panel's own glyphs: one path each,
        // no event handler.
        foreignSvg: [...document.querySelectorAll('svg')].filter(svg =>
            !svg.matches('.kg-legend-item > svg.kg-glyph, .kg-details-type > svg.kg-glyph') ||
            [...svg.querySelectorAll('*')].some(el => el.tagName !== 'path') ||
            [svg, ...svg.querySelectorAll('*')].some(el =>
                [...el.attributes].some(a => a.name.startsWith('on')))).length,
        glyphs: document.querySelectorAll('svg.kg-glyph').length,
    })""")
    assert injected == {
        "pwned": None,
        "img": 0,
        "scripts": 4,
        "jsLinks": 0,
        "foreignSvg": 0,
        "glyphs": 3 + 1,
    }  # three types in the legend, one in the details
    assert request_log.dialogs == []
    assert request_log.urls == [url]
    assert request_log.page_errors == []


def test_the_graph_element_names_the_drawn_ids_of_a_focus_view(page, tmp_path):
    G = small_graph()
    view = neighborhood(G, "polaris", depth=1)
    assert set(view) == {"polaris", "hotline", "report", "interpol"}
    open_export(page, tmp_path, view, title="Around Polaris")
    graph = page.locator(GRAPH)
    ids = graph.get_attribute("data-node-ids").split(" ")
    assert sorted(ids) == sorted(view.nodes)
    assert sorted(page.evaluate("window.kgExport.view.nodes.getIds()")) == sorted(ids)
    assert graph.get_attribute("data-node-count") == str(len(ids))


def every_shape_graph() -> nx.MultiDiGraph:
    """One entity of each built-in type, so the legend shows every shape the schema uses."""
    types = default_schema().type_ids()
    return kg(
        [(t, {"name": f"A {t}", "type": t}) for t in types],
        [(types[i], types[i + 1], {"relation": "supported"}) for i in range(len(types) - 1)],
    )


def test_legend_glyphs_draw_each_types_shape_in_the_page_and_the_png(page, tmp_path):
    G = every_shape_graph()
    open_export(page, tmp_path, G, title="Every shape")
    schema = default_schema()
    items = page.locator("#kg-legend li.kg-legend-item")
    assert items.count() == len(schema.type_ids())
    drawn = page.evaluate("""() => [...document.querySelectorAll('#kg-legend li')].map(li => ({
        id: li.dataset.id, shape: li.querySelector('svg.kg-glyph').dataset.shape,
        label: li.querySelector('.kg-legend-label').textContent}))""")
    for entry in drawn:
        style = schema.style(entry["id"])
        assert (entry["shape"], entry["label"]) == (style.shape, style.label)
    # The law's glyph is a triangle pointing down (wide at the top), not a circle or a square.
    law = page.evaluate(GLYPH_ROWS, "#kg-legend li[data-id=law] svg.kg-glyph")
    assert is_triangle_down(law), law
    ngo = page.evaluate(GLYPH_ROWS, "#kg-legend li[data-id=ngo] svg.kg-glyph")
    assert ngo == ngo[::-1] and not is_triangle_down(ngo), ngo  # a dot: symmetric
    # The PNG's legend draws the same outline: its pixels are painted where the page's glyph is
    # filled (points within about a pixel of an edge, where anti-aliasing blurs, are left out;
    # a square drawn as a dot already disagrees on 3% of the rest).
    for glyph in page.evaluate(SNAPSHOT_AGREES, "#kg-legend"):
        assert glyph["snapshot_shape"] == glyph["shape"], glyph
        assert glyph["checked"] >= 100 and glyph["filled"] >= 20, glyph
        assert glyph["agree"] >= 0.99 * glyph["checked"], glyph
    # The details panel shows the entity's type with the same glyph.
    click_node(page, "law")
    assert (
        page.locator("#kg-details .kg-details-type svg.kg-glyph").get_attribute("data-shape")
        == "triangleDown"
    )


def test_save_as_png_downloads_a_png(page, request_log, tmp_path):
    url = open_export(page, tmp_path, small_graph(), title="Small graph: PNG")
    with page.expect_download() as info:
        page.locator("#kg-png").click()
    download = info.value
    assert download.url.startswith("data:image/png;base64,")
    assert download.suggested_filename == "small-graph-png.png"
    png = base64.b64decode(download.url.split(",", 1)[1])
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5_000
    canvas = page.evaluate(
        "() => { const c = window.kgExport.view.canvas(); return [c.width, c.height]; }"
    )
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert width == canvas[0] and height > canvas[1] + 60  # the title above, the legend below
    assert request_log.outside(url, "data:image/png") == []


def test_mount_is_generic_and_set_data_updates_the_counts(page, tmp_path):
    open_export(page, tmp_path, small_graph())
    counts = page.evaluate("""() => {
        const view = window.kgExport.view, data = window.kgExport.data;
        view.setData({nodes: data.nodes.slice(0, 2), edges: data.edges.slice(0, 1)});
        const graph = document.querySelector('[data-testid="kg-graph"]');
        return [graph.dataset.nodeCount, graph.dataset.edgeCount, view.nodes.length];
    }""")
    assert counts == ["2", "1", 2]
    # A second, independent view mounted into any element works the same way.
    second = page.evaluate("""() => {
        const box = document.createElement('div');
        box.style.width = '300px'; box.style.height = '200px';
        document.body.appendChild(box);
        let picked = null;
        const view = KGView.mount(box, window.kgExport.data, {onSelect: id => { picked = id; }});
        view.select('usa', {notify: true});
        const result = [box.dataset.nodeCount, box.dataset.edgeCount, picked];
        view.destroy();
        return result;
    }""")
    assert second == ["6", "6", "usa"]


@pytest.mark.parametrize("layout", ["force", "hierarchical", "type"])
def test_every_layout_draws(page, save_screenshot, tmp_path, layout):
    G = nx.MultiDiGraph(nx.barabasi_albert_graph(60, 1, seed=3))
    types = ["ngo", "agency", "tool", "report", "company"]
    G = nx.relabel_nodes(G, {n: f"n{n}" for n in G})
    for i, node in enumerate(G):
        G.nodes[node].update(
            name=f"Entity {i}",
            type=types[i % len(types)],
            aliases=[],
            description="",
            documents=[],
            date="",
        )
    for u, v, key in G.edges(keys=True):
        G.edges[u, v, key].update(relation="supported", evidence="", documents=[], date="")
    open_export(page, tmp_path, G, title=f"Layout {layout}", positions=compute_layout(G, layout))
    assert page.locator(GRAPH).get_attribute("data-node-count") == "60"
    save_screenshot(page, f"html_export_layout_{layout}")


# --- the handout reads as well as the app: title, forgiving search, tours -----------------------

BUNDLED = Path(__file__).resolve().parents[2] / "data"


def node_ids(page) -> set[str]:
    return set(page.locator(GRAPH).get_attribute("data-node-ids").split())


def test_search_forgives_typos_and_ranks_as_the_library_does(page, request_log, tmp_path):
    from graph.search import SCORE_DESCRIPTION, search

    G = load_graph(BUNDLED)
    url = open_export(page, tmp_path, G, title=G.graph["name"])
    box = page.locator("#kg-search")
    typos = ("interpoll", "arachnd", "ncmek", "europoll", "socail media", "blinkin")
    for typed in (*typos, "IJM", "PACT", "cybertip", "tip report", "earn it", "crypto"):
        box.fill(typed)
        shown = page.locator("#kg-search-results button.kg-result .kg-result-name")
        hits = search(G, typed, limit=12)
        # The same best match, and the same matches above the near misses, in the same order
        # (near misses are scored by rapidfuzz in the library and approximated in the page).
        sure = [hit.name for hit in hits if hit.score >= SCORE_DESCRIPTION]
        assert shown.all_inner_texts()[: len(sure)] == sure, typed
        assert shown.first.inner_text() == hits[0].name, typed
    box.fill("interpoll")
    box.press("Enter")
    assert page.locator("#kg-details h2").inner_text() == "INTERPOL"
    assert page.evaluate("window.kgExport.view.selected()") == "interpol"
    assert request_log.outside(url) == [] and request_log.page_errors == []


def test_the_page_shows_the_datasets_title_and_summary(page, tmp_path):
    G = load_graph(BUNDLED)
    open_export(page, tmp_path, G, title=G.graph["name"])
    assert page.title() == page.locator("h1").inner_text() == G.graph["title"]
    assert page.locator(".kg-summary").inner_text() == G.graph["summary"]
    assert not page.locator(".kg-subtitle").inner_text().startswith("data ·")


def test_next_and_back_walk_a_tour_from_the_file_alone(
    page, request_log, save_screenshot, tmp_path
):
    from graph.tours import load_tours
    from graph.view import scene

    G = load_graph(BUNDLED)
    tours = load_tours(BUNDLED / "tours.yaml", G)
    url = open_export(page, tmp_path, G, title=G.graph["name"])
    everything = node_ids(page)
    assert page.locator("#kg-tour-select option").all_inner_texts() == [t.title for t in tours]
    tour = tours[1]
    page.select_option("#kg-tour-select", index=1)
    page.get_by_role("button", name="Start the tour").click()
    panel = page.locator("#kg-tour")

    def at_step(number: int) -> None:
        step = tour.steps[number - 1]
        assert panel.get_attribute("data-step") == str(number)
        assert f"Step {number} of {len(tour.steps)}" in panel.inner_text()
        assert page.locator("#kg-tour-title").inner_text() == step.title
        assert page.locator("#kg-tour-narration").inner_text() == step.narration
        assert node_ids(page) == set(scene(G, step.view).graph)
        assert set(step.view.highlight) <= node_ids(page)

    at_step(1)
    assert page.get_by_role("button", name="← Back").is_disabled()
    page.get_by_role("button", name="Next →").click()
    at_step(2)
    save_screenshot(page, "html_export_tour_step")
    page.get_by_role("button", name="← Back").click()
    at_step(1)
    page.keyboard.press("ArrowRight")  # a presenter's clicker sends these
    page.keyboard.press("PageDown")
    at_step(3)
    page.keyboard.press("ArrowLeft")
    at_step(2)
    for _ in range(len(tour.steps)):
        page.keyboard.press("ArrowRight")
    at_step(len(tour.steps))
    assert page.get_by_role("button", name="Next →").is_disabled()
    # A clicked node's details come from the page's own data during a tour too.
    first = tour.steps[-1].view.focus
    click_node(page, first)
    assert page.locator("#kg-details h2").inner_text() == G.nodes[first]["name"]
    page.get_by_role("button", name="Exit tour").click()
    assert panel.is_hidden() and node_ids(page) == everything
    assert request_log.outside(url) == []
    assert request_log.page_errors == [] and request_log.console_errors == []


def test_a_page_of_part_of_the_dataset_has_no_tours(page, tmp_path):
    G = load_graph(BUNDLED)
    open_export(page, tmp_path, neighborhood(G, "ncmec", depth=1), title="NCMEC")
    assert page.locator("#kg-tour-picker").is_hidden()
