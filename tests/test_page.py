"""What graph.page promises: the browser assets, and a standalone page that fetches nothing."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from graph import page as pages
from graph.page import kg_view_css, kg_view_js, standalone_html, vis_network_js

from .drawn_graphs import by_id, make_graph, random_graph, small

# --- browser assets and the standalone export ----------------------------------------------

EXTERNAL = re.compile(
    r"""(?:<script[^>]*\ssrc\s*=|<link[^>]*\shref\s*=|<img[^>]*\ssrc\s*=|<iframe|"""
    r"""url\(\s*['"]?\s*(?:https?:)?//|@import|src\s*=\s*['"]?\s*(?:https?:)?//|"""
    r"""href\s*=\s*['"]?\s*(?:https?:)?//)""",
    re.IGNORECASE,
)


def test_vis_network_comes_from_the_installed_pyvis_not_the_repository():
    js = vis_network_js()
    assert "@version 9.1.2" in js[:500] and len(js) > 100_000
    assets = Path(pages.__file__).parent / "assets"
    assert not list(assets.glob("vis*"))
    assert "KGView" in kg_view_js() and ".vis-tooltip" in kg_view_css()


def test_standalone_html_fetches_nothing_from_anywhere():
    page = standalone_html(random_graph(30, 40), title="Offline")
    assert EXTERNAL.findall(page) == []
    assert page.count("</script>") == 4
    assert re.search(r"Content-Security-Policy\" content=\"default-src 'none'", page)


def test_standalone_html_has_the_graph_container_with_counts():
    G = small()
    page = standalone_html(G, title="Small")
    container = re.search(r'<div [^>]*data-testid="kg-graph"[^>]*>', page).group(0)
    assert f'data-node-count="{G.number_of_nodes()}"' in container
    assert f'data-edge-count="{G.number_of_edges()}"' in container


def embedded_data(page: str) -> dict:
    block = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page, re.S)
    return json.loads(block.group(1))


def test_standalone_html_escapes_data_so_it_cannot_leave_its_script_block():
    hostile = "</script><script>alert(1)</script><!-- & \u2028 \u2029 >"
    G = make_graph(
        [("x", {"name": hostile, "description": hostile})], [("x", "x", {"evidence": hostile})]
    )
    page = standalone_html(G, title="</title><script>alert(2)</script>")
    assert page.count("</script>") == 4  # only the four real script elements close
    assert "<script>alert" not in page
    assert "\u2028" not in page and "\u2029" not in page
    assert "<title>&lt;/title&gt;&lt;script&gt;alert(2)&lt;/script&gt;</title>" in page
    data = embedded_data(page)
    assert data["nodes"][0]["label"] == hostile  # the text itself survives intact
    assert data["edges"][0]["title"].startswith(hostile)


def test_inlined_scripts_cannot_close_their_script_element():
    code = 'var a = "</script><!-- </SCRIPT >"; var b = /<\\/script>/;'
    safe = pages._inline_script(code)
    assert "</script" not in safe.lower() and "<!--" not in safe
    assert safe == 'var a = "\\x3C/script>\\x3C!-- \\x3C/SCRIPT >"; var b = /<\\/script>/;'


def test_placeholders_in_data_are_not_expanded():
    G = make_graph([("x", {"name": "{{KG_VIS_JS}}"})], [])
    page = standalone_html(G, title="{{KG_DATA}}")
    assert page.count("vis-network.min.js.map") == 1  # the library was not expanded again
    assert embedded_data(page)["nodes"][0]["label"] == "{{KG_VIS_JS}}"


def test_standalone_html_for_200_nodes_is_under_2_mb():
    G = random_graph(200, 300)
    page = standalone_html(G, title="Random")
    assert len(page.encode("utf-8")) < 2_000_000
    assert embedded_data(page)["nodes"][0]["details"]["relations"] is not None


def test_standalone_html_takes_drawing_options():
    G = small()
    communities = {"interpol": 0, "synergia": 0, "polaris": 1, "odd": 1}
    page = standalone_html(
        G,
        title="Options",
        layout="hierarchical",
        color_by="community",
        communities=communities,
        size_by={"interpol": 2},
        highlight_nodes=["interpol"],
        highlight_edges=[("polaris", "interpol")],
    )
    data = embedded_data(page)
    assert by_id(data["edges"])["polaris|interpol|0"]["highlighted"]
    assert {e["kind"] for e in data["legend"]} == {"type", "community"}
    assert data["title"] == "Options" and data["dataset"] == "Test"


def test_standalone_html_names_the_drawn_ids_on_the_graph_element():
    G = small()
    container = re.search(r'<div [^>]*data-testid="kg-graph"[^>]*>', standalone_html(G, title="T"))
    ids = re.search(r'data-node-ids="([^"]*)"', container.group(0)).group(1).split(" ")
    assert ids == list(G.nodes)


def test_assets_are_read_by_name_from_the_assets_folder_only():
    for name in ("kg_app.js", "kg_app_selection.js", "kg_app.css", "kg_view.js"):
        assert pages.asset(name) == (Path(pages.__file__).parent / "assets" / name).read_text()
    for bad in ("../page.py", "..", "", "assets/kg_view.js", "nope.js"):
        with pytest.raises(ValueError, match="no asset"):
            pages.asset(bad)


def test_one_legend_renderer_serves_the_app_and_the_page():
    view = kg_view_js()
    assert "renderLegend: renderLegend" in view and "glyphPath: glyphPath" in view
    # The snapshot draws its glyphs from the same outline as the page's SVG glyphs.
    assert "new Path2D(glyphPath(" in view
    assert "KGView.renderLegend(" in pages.asset("kg_app.js")
    assert "KGView.renderLegend(" in pages.asset("kg_export.js")
    for name in ("kg_app.js", "kg_app.css", "kg_export.js", "kg_export.css"):
        assert "swatch" not in pages.asset(name)


# --- the timeline and the technologies × stages matrix ------------------------------------------

HOSTILE = '<img src=x onerror="alert(1)">&amp;</script>'


def hostile_charts_graph():
    from graph.load import load_graph

    return make_graph(
        [
            ("tech", {"name": HOSTILE, "type": "technology", "date": "2020"}),
            ("stage", {"name": "Control " + HOSTILE, "type": "trafficking_stage"}),
        ],
        [
            (
                "tech",
                "stage",
                {
                    "relation": "abused_for",
                    "evidence": "quote " + HOSTILE,
                    "documents": ["dx"],
                    "date": "2021-03",
                },
            )
        ],
        documents={"dx": {"title": "Title " + HOSTILE}},
        schema=load_graph("data").graph["schema"],
    )


def test_the_page_holds_the_timeline_and_the_matrix_with_their_script():
    from graph.analytics import abuse_matrix
    from graph.timeline import timeline

    G = hostile_charts_graph()
    page = standalone_html(G, title="Charts")
    for testid in ("kg-timeline", "kg-matrix"):
        assert f'data-testid="{testid}"' in page
    assert "drawTimeline" in page and "drawMatrix" in page  # graph/assets/timeline.js inlined
    data = embedded_data(page)
    told = timeline(G)
    assert data["timeline"]["sentence"] == told.sentence()
    assert [i["id"] for i in data["timeline"]["items"]] == [i.id for i in told.items]
    assert [r["id"] for r in data["matrix"]["rows"]] == [r for r, _ in abuse_matrix(G).rows]


def test_hostile_names_quotes_and_titles_stay_text_in_the_charts():
    page = standalone_html(hostile_charts_graph(), title="Charts")
    assert "<img" not in page and 'onerror="alert' not in page
    data = embedded_data(page)
    assert data["timeline"]["items"][0]["label"] == HOSTILE
    [cell] = data["matrix"]["cells"]
    [quote] = cell["relations"][0]["quotes"]
    assert (quote["quote"], quote["title"]) == ("quote " + HOSTILE, "Title " + HOSTILE)
    charts_js = pages.asset("timeline.js")
    assert "innerHTML" not in charts_js and "insertAdjacentHTML" not in charts_js


def test_the_charts_add_little_to_the_bundled_page():
    from graph.load import load_graph

    G = load_graph("data")
    with_charts = len(standalone_html(G, title="data").encode("utf-8"))
    without = len(standalone_html(G, title="data", charts=False).encode("utf-8"))
    assert without < with_charts < without * 1.05
