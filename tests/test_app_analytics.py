"""The Analytics tab's charts, driven headless with Streamlit's AppTest: bar charts coloured by
type with each measure explained, the communities drawn, the technologies × stages matrix with
its quotes, and the timeline that selects what is clicked.

AppTest cannot click inside a Vega-Lite chart, so a click is sent as the browser sends it: the
chart's widget state holding the selection (see :func:`click`).
"""

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from graph import analytics
from graph.load import load_graph
from graph.query import schema_of
from graph.timeline import timeline
from graph.view import View
from ui.analytics import MATRIX_PICK
from ui.text import md
from ui.timeline import PICK

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app.py"
DATA = ROOT / "data"


@pytest.fixture(scope="module")
def bundled():
    return load_graph(DATA)


def start(**state) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.session_state["dataset_dir"] = str(DATA)
    at.session_state["page_tab"] = "Analytics"
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def charts(at: AppTest) -> list:
    return [e for e in at.main if getattr(e, "type", "") == "vega_lite_chart"]


def chart_with(at: AppTest, param: str):
    [found] = [e for e in charts(at) if f'"{param}"' in e.proto.spec]
    return found


def spec(element) -> dict:
    return json.loads(element.proto.spec)


def captions(at: AppTest) -> list[str]:
    return [c.value for c in at.caption]


def click(at: AppTest, param: str, chosen: dict) -> AppTest:
    """Send a click on a chart: its selection ``param`` holding one point's fields."""
    element = chart_with(at, param)
    states = at._tree.get_widget_states()
    widget = states.widgets.add()
    widget.id = element.proto.id
    widget.string_value = json.dumps({"selection": {param: [chosen]}})
    runner = at._tree._runner
    assert runner is not None
    runner._run(states, timeout=120)
    assert not at.exception, [e.value for e in at.exception]
    return at


def color_scales(value):
    """Every colour scale (``domain`` and ``range``) in a Vega-Lite spec."""
    if isinstance(value, dict):
        scale = value.get("scale") if "field" in value else None
        if isinstance(scale, dict) and isinstance(scale.get("range"), list):
            yield scale
        for inner in value.values():
            yield from color_scales(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from color_scales(inner)


def test_the_timeline_renders_with_its_sentence_and_undated_counts(bundled):
    at = start()
    t = timeline(bundled)
    assert f"{t.sentence()}." in captions(at)
    assert (
        f"Undated, so not on the axis: {t.undated_entities:,} entities and "
        f"{t.undated_relations:,} relations." in captions(at)
    )
    drawn = spec(chart_with(at, PICK))
    schema = schema_of(bundled)
    for scale in color_scales(drawn["encoding"]["color"]):
        labels = {schema.style(i.type).label: i.color for i in t.items}
        assert dict(zip(scale["domain"], scale["range"], strict=True)) == labels


def test_the_timeline_spans_the_years_filter(bundled):
    at = start(view=View(date_from="2013", date_to="2020"))
    t = timeline(bundled, date_from="2013", date_to="2020")
    assert t.range_note() in " ".join(captions(at))
    x = spec(chart_with(at, PICK))["encoding"]["x"]
    assert x["scale"]["domain"] == ["2013-01-01", "2020-12-31"]


def test_clicking_a_timeline_item_selects_it_in_the_graph(bundled):
    at = start()
    first = timeline(bundled).items[0]
    click(at, PICK, {"entity": first.entity})
    assert at.session_state["view"].selected == first.entity


def test_the_matrix_renders_and_a_cell_lists_its_quotes(bundled):
    at = start()
    m = analytics.abuse_matrix(bundled)
    assert f"{len(m.rows)} technologies, {len(m.columns)} stages and forms." in captions(at)
    (row, column), relations = next(iter(m.cells.items()))
    click(at, MATRIX_PICK, {"row": row, "column": column})
    shown = "\n".join(str(e.value) for e in at.markdown)
    for relation in relations:
        assert md(relation.sentence) in shown
        for quote in relation.quotes:
            assert f"> “{md(quote.quote)}”" in shown
            assert f"— {md(quote.title)}" in shown


def test_each_measure_is_explained_under_its_bars_coloured_by_type(bundled):
    at = start()
    for by in ("degree", "pagerank", "betweenness"):
        assert analytics.explain(bundled, by, analytics.scores(bundled, by)) in captions(at)
    schema = schema_of(bundled)
    colours = {schema.style(t).label: schema.style(t).color for t in schema.type_ids()}
    bars = [e for e in charts(at) if '"bar"' in e.proto.spec]
    assert len(bars) >= 4  # three measures and the counts by type
    for element in bars:
        for scale in color_scales(spec(element)):
            assert all(colours[label] == c for label, c in zip(scale["domain"], scale["range"]))
        assert spec(element)["encoding"]["y"]["axis"]["labelLimit"] == 0  # names are not cut


def test_the_communities_are_drawn_and_named_by_their_hubs(bundled):
    at = start()
    groups = analytics.communities(bundled)
    picture = [e for e in charts(at) if "Community (its hubs)" in e.proto.spec]
    assert len(picture) == 1
    names = [s for s in color_scales(spec(picture[0]))][0]["domain"]
    first = bundled.nodes[groups[0][0]]["name"]
    assert names[0].startswith("1 · ") and first[:20] in names[0]
    assert analytics.explain(bundled, "community", groups=groups) in captions(at)
