"""The timeline: what the view dates on one axis (Altair), undated counted aside; a click selects.

The axis spans the Years filter's range (the view's ``date_from`` / ``date_to``) or, with no
range, what the data dates. Each lane is an entity type, coloured as the schema colours it;
relations are squares in their source's lane. Clicking an item selects its entity (a relation's
source) in the graph (it is drawn: the timeline is of what is drawn).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import altair as alt
import networkx as nx
import pandas as pd
import streamlit as st

from graph.errors import GraphError
from graph.timeline import Timeline, span, timeline
from ui import actions, state
from ui.scene import Scene

KEY = "analytics_timeline"
PICK = "timeline_pick"
MOST = 2000
"""Items drawn at most (the earliest first); the rest are counted in a caption."""


@st.cache_data(max_entries=16, show_spinner=False)
def _timeline(_graph: nx.MultiDiGraph, key: str, since: str | None, until: str | None) -> Timeline:
    return timeline(_graph, date_from=since, date_to=until)


def of(current: Scene) -> Timeline:
    """The timeline of what is drawn, within the view's Years range."""
    view = state.current()
    try:
        return _timeline(current.graph, current.key, view.date_from, view.date_to)
    except GraphError:  # an invalid range: the filter ignored it too (see the scene notes)
        return _timeline(current.graph, current.key, None, None)


def frame(t: Timeline) -> pd.DataFrame:
    """One row per drawn item: its fields and ``stack``, its place among items of its lane
    and year (so items of one year sit side by side, not on top of each other)."""
    seen: Counter[tuple[str, str]] = Counter()
    rows: list[dict[str, Any]] = []
    for item in t.items[:MOST]:
        lane = (item.type_label, item.start[:4])
        rows.append({**item.as_dict(), "stack": seen[lane], "shape": item.kind})
        seen[lane] += 1
    return pd.DataFrame(rows)


def chart(t: Timeline) -> alt.Chart:
    """The Altair chart: x the date, a lane per entity type, the schema's colours."""
    data = frame(t)
    labels = list(dict.fromkeys(data["type_label"]))
    colors = [data.loc[data["type_label"] == label, "color"].iloc[0] for label in labels]
    start = span(t.date_from)[0].isoformat() if t.date_from else data["start"].min()
    end = span(t.date_to)[1].isoformat() if t.date_to else data["end"].max()
    pick = alt.selection_point(name=PICK, fields=["entity"], on="click")
    return (
        alt.Chart(data)
        .mark_point(filled=True, size=110, opacity=0.9)
        .encode(
            x=alt.X("start:T", title="Date", scale=alt.Scale(domain=[start, end])),
            y=alt.Y("type_label:N", title=None, sort=labels, axis=alt.Axis(labelLimit=0)),
            yOffset=alt.YOffset("stack:O"),
            color=alt.Color(
                "type_label:N",
                title="Type",
                scale=alt.Scale(domain=labels, range=colors),
                legend=None,
            ),
            shape=alt.Shape(
                "shape:N",
                title=None,
                scale=alt.Scale(domain=["entity", "relation"], range=["circle", "square"]),
                legend=alt.Legend(orient="bottom"),
            ),
            tooltip=[
                alt.Tooltip("label:N", title="What"),
                alt.Tooltip("date:N", title="Date"),
                alt.Tooltip("type_label:N", title="Type"),
            ],
        )
        .add_params(pick)
        .properties(height=34 * len(labels) + 120)  # Streamlit fits the axis and legend within it
    )


def section(current: Scene) -> None:
    """The timeline of the view, its sentence and what is undated."""
    t = of(current)
    st.markdown("**Timeline** (what the data dates; click an item to select it in the graph)")
    st.caption(f"{t.sentence()}. {t.range_note()}".strip())
    if not t.items:
        st.info("Nothing dated in this view." if not t.range_note() else "Nothing dated here.")
        return

    def picked() -> None:
        chosen = st.session_state[KEY].selection.get(PICK) or []
        if chosen and chosen[0].get("entity"):
            actions.select(str(chosen[0]["entity"]))  # drawn: the timeline is of the scene

    st.altair_chart(chart(t), key=KEY, on_select=picked, selection_mode=PICK, width="stretch")
    undated = (
        f"Undated, so not on the axis: {t.undated_entities:,} entities and "
        f"{t.undated_relations:,} relations."
    )
    if len(t.items) > MOST:
        undated += f" The first {MOST:,} of {len(t.items):,} dated items are drawn."
    st.caption(undated)
