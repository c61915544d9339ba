"""Analytics of the drawn view: ranking (bar charts coloured by type, each measure explained),
counts by type and relation, communities (a picture coloured by community), bridges, the
technologies × trafficking stages matrix with each cell's quotes, and the timeline."""

from __future__ import annotations

import textwrap

import altair as alt
import networkx as nx
import pandas as pd
import streamlit as st

from graph import analytics
from graph.betweenness import SAMPLE, SAMPLE_ABOVE
from graph.query import entity_name, schema_of
from graph.view import SIZE_BY
from graph.vis import COMMUNITY_PALETTE, OTHER_COMMUNITY_COLOR
from ui import actions, state, timeline
from ui.scene import Scene, bridges, communities, measure, positions, stats
from ui.text import clip, md

TOP = 50
BARS = 10
COMMUNITIES_SHOWN = 9
MEMBERS_SHOWN = 40
NAMED_BY = 3
MATRIX_KEY = "analytics_matrix"
MATRIX_PICK = "matrix_pick"


def panel(current: Scene) -> None:
    """Every analytics section for what is on screen."""
    G = current.graph
    if G.number_of_nodes() == 0:
        st.info("Nothing to measure: the view is empty.")
        return
    if current.capped:
        st.caption(f"Measured on the {G.number_of_nodes():,} entities drawn.")
    _summary(current)
    _ranking(current)
    left, right = st.columns(2)
    with left:
        _counts_by_type(current)
    with right:
        _counts_by_relation(current)
    _communities(current)
    _bridges(current)
    _abuse_matrix(current)
    timeline.section(current)


def _summary(current: Scene) -> None:
    s = stats(current)
    cols = st.columns(4)
    cols[0].metric("Entities", f"{s['entities']:,}")
    cols[1].metric("Relations", f"{s['relations']:,}")
    cols[2].metric("Components", f"{s['components']:,}")
    cols[3].metric("Isolated", f"{s['isolated']:,}")


def _ranking(current: Scene) -> None:
    G = current.graph
    by = state.current().size_by
    schema = schema_of(G)
    values = {m: measure(current, m) for m in SIZE_BY}
    order = sorted(G, key=lambda n: (-values[by].get(n, 0.0), (entity_name(G, n))))
    table = pd.DataFrame(
        [
            {
                "id": n,
                "Entity": entity_name(G, n),
                "Type": schema.style(G.nodes[n].get("type", "")).label,
                "Degree": int(values["degree"].get(n, 0)),
                "PageRank": round(values["pagerank"].get(n, 0.0), 4),
                "Betweenness": round(values["betweenness"].get(n, 0.0), 4),
            }
            for n in order[:TOP]
        ]
    )
    st.markdown(
        f"**Most central entities, by {SIZE_BY[by].lower()}** (the “Size by” control "
        "chooses the measure; select a row to go there)"
    )
    if G.number_of_nodes() > SAMPLE_ABOVE:
        st.caption(f"Betweenness is estimated from {SAMPLE} sampled sources.")
    key = "analytics_ranking"

    def picked() -> None:
        rows = st.session_state[key].selection.rows
        if rows:
            actions.select(table.iloc[rows[0]]["id"], reveal=True)

    st.dataframe(
        table,
        hide_index=True,
        key=key,
        on_select=picked,
        selection_mode="single-row",
        width="stretch",
        column_order=["Entity", "Type", "Degree", "PageRank", "Betweenness"],
    )
    for measure_id in SIZE_BY:
        _measure_bars(current, measure_id, values[measure_id])


def _type_scale(current: Scene, labels: list[str]) -> alt.Scale:
    """The entity types' labels mapped to the schema's colours."""
    schema = schema_of(current.graph)
    by_label = {schema.style(t).label: schema.style(t).color for t in stats(current)["types"]}
    return alt.Scale(domain=labels, range=[by_label.get(label, "#999999") for label in labels])


def _bars(current: Scene, table: pd.DataFrame, x: str, y: str) -> alt.Chart:
    """Horizontal bars, full names on the axis, coloured by entity type (``Type`` column)."""
    labels = list(dict.fromkeys(table["Type"]))
    return (
        alt.Chart(table)
        .mark_bar()
        .encode(
            x=alt.X(f"{x}:Q", title=x),
            y=alt.Y(f"{y}:N", title=None, sort="-x", axis=alt.Axis(labelLimit=0)),
            color=alt.Color(
                "Type:N", scale=_type_scale(current, labels), legend=alt.Legend(orient="bottom")
            ),
            tooltip=[alt.Tooltip(f"{y}:N"), alt.Tooltip("Type:N"), alt.Tooltip(f"{x}:Q")],
        )
        .properties(height=24 * len(table) + 130)  # Streamlit fits axes and legend within it
    )


def _measure_bars(current: Scene, by: str, values: dict[str, float]) -> None:
    G = current.graph
    schema = schema_of(G)
    top = sorted(values, key=lambda n: (-values[n], entity_name(G, n).lower()))[:BARS]
    name = SIZE_BY[by]
    table = pd.DataFrame(
        [
            {
                "Entity": entity_name(G, n),
                "Type": schema.style(G.nodes[n].get("type", "")).label,
                name: round(values[n], 4),
            }
            for n in top
        ]
    )
    st.markdown(f"**{name}**")
    with st.container(key=f"analytics_bars_{by}"):
        st.altair_chart(_bars(current, table, name, "Entity"), width="stretch")
        st.caption(analytics.explain(G, by, values))


def _counts_by_type(current: Scene) -> None:
    schema = schema_of(current.graph)
    counts = stats(current)["types"]
    st.markdown("**Entities by type**")
    table = pd.DataFrame(
        {"Type": [schema.style(t).label for t in counts], "Entities": list(counts.values())}
    )
    st.altair_chart(_bars(current, table, "Entities", "Type"), width="stretch")


def _counts_by_relation(current: Scene) -> None:
    schema = schema_of(current.graph)
    counts = stats(current)["relation_types"]
    st.markdown("**Relations by kind**")
    if not counts:
        st.caption("No relations in the view.")
        return
    table = pd.DataFrame(
        {"Relation": [schema.phrase(r) for r in counts], "Relations": list(counts.values())}
    )
    bars = (
        alt.Chart(table)
        .mark_bar()
        .encode(
            x=alt.X("Relations:Q"),
            y=alt.Y("Relation:N", title=None, sort="-x", axis=alt.Axis(labelLimit=0)),
            tooltip=["Relation:N", "Relations:Q"],
        )
        .properties(height=24 * len(table) + 130)  # Streamlit fits axes and legend within it
    )
    st.altair_chart(bars, width="stretch")


def _communities(current: Scene) -> None:
    G = current.graph
    groups = communities(current)
    st.markdown(f"**Communities** ({len(groups)}, by Louvain; “Colour by: Community” paints them)")
    for i, members in enumerate(groups[:COMMUNITIES_SHOWN]):
        names = [clip((entity_name(G, n)), 60) for n in members[:MEMBERS_SHOWN]]
        more = f", and {len(members) - MEMBERS_SHOWN} more" if len(members) > MEMBERS_SHOWN else ""
        with st.expander(
            f"Community {i} · {len(members)} entities · around {md(clip(names[0], 40))}"
        ):
            st.markdown(", ".join(md(n) for n in names) + more)
    if len(groups) > COMMUNITIES_SHOWN:
        st.caption(f"{len(groups) - COMMUNITIES_SHOWN} smaller communities not listed.")
    _community_picture(current, groups)
    st.caption(analytics.explain(G, "community", groups=groups))


def community_names(current: Scene, groups: list[list[str]]) -> list[str]:
    """Each community named by its most connected members (``"1 · NCMEC, IJM, PACT"``)."""
    G = current.graph
    return [
        f"{i + 1} · " + ", ".join(clip(entity_name(G, n), 30) for n in members[:NAMED_BY])
        for i, members in enumerate(groups)
    ]


def _community_picture(current: Scene, groups: list[list[str]]) -> None:
    """The drawing's force layout coloured by community: relations as lines, entities as dots."""
    G = current.graph
    where = positions(current, "force")
    names = community_names(current, groups)
    shown = names[:COMMUNITIES_SHOWN]
    other = "Smaller communities"
    group = {n: i for i, members in enumerate(groups) for n in members}
    nodes = pd.DataFrame(
        [
            {
                "x": where[n][0],
                "y": -where[n][1],
                "Entity": entity_name(G, n),
                "Community": names[group[n]] if group[n] < COMMUNITIES_SHOWN else other,
            }
            for n in G
            if n in where and n in group
        ]
    )
    edges = pd.DataFrame(
        [
            {"x": where[u][0], "y": -where[u][1], "x2": where[v][0], "y2": -where[v][1]}
            for u, v in G.edges()
            if u in where and v in where and u != v
        ],
        columns=["x", "y", "x2", "y2"],
    )
    domain = shown + ([other] if len(names) > COMMUNITIES_SHOWN else [])
    palette = list(COMMUNITY_PALETTE[: len(shown)]) + [OTHER_COMMUNITY_COLOR] * (
        len(domain) > len(shown)
    )
    bare = alt.Axis(title=None, labels=False, ticks=False, grid=False, domain=False)
    lines = (
        alt.Chart(edges)
        .mark_rule(color="#bbbbbb", opacity=0.5)
        .encode(x=alt.X("x:Q", axis=bare), y=alt.Y("y:Q", axis=bare), x2="x2", y2="y2")
    )
    dots = (
        alt.Chart(nodes)
        .mark_circle(size=90, opacity=0.95)
        .encode(
            x=alt.X("x:Q", axis=bare),
            y=alt.Y("y:Q", axis=bare),
            color=alt.Color(
                "Community:N",
                scale=alt.Scale(domain=domain, range=palette),
                legend=alt.Legend(orient="right", labelLimit=0, title="Community (its hubs)"),
            ),
            tooltip=["Entity:N", "Community:N"],
        )
    )
    st.markdown("**The communities, drawn** (the graph's layout, coloured by community)")
    with st.container(key="analytics_communities"):
        st.altair_chart((lines + dots).properties(height=460), width="stretch")


def _bridges(current: Scene) -> None:
    found = bridges(current)
    st.markdown("**Bridge entities** (neighbours in the most communities)")
    if not found:
        st.caption("None: no entity links two communities.")
        return
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "Entity": b["name"],
                    "Communities touched": b["communities"],
                    "Cuts the graph if removed": b["cut_vertex"],
                }
                for b in found
            ]
        ),
        hide_index=True,
        width="stretch",
    )


def _wrapped(name: str, width: int = 12) -> str:
    """A column heading broken into lines (``\\n``) of about ``width`` characters."""
    return "\n".join(textwrap.wrap(name, width)) or name


@st.cache_data(max_entries=16, show_spinner=False)
def _matrix(_graph: nx.MultiDiGraph, key: str) -> analytics.AbuseMatrix:
    return analytics.abuse_matrix(_graph)


def _abuse_matrix(current: Scene) -> None:
    """Technologies × what they are abused for; a cell's relations and quotes on click."""
    m = _matrix(current.graph, current.key)
    st.markdown(
        "**Technologies × trafficking stages** (each cell: how many documents say traffickers "
        "abuse the technology for it; select a cell to read its quotes)"
    )
    if not m.cells:
        st.caption("No technology is abused for a stage or form in this view.")
        return
    table = pd.DataFrame(
        [
            {
                "row": r,
                "column": c,
                "Technology": dict(m.rows)[r],
                "Abused for": _wrapped(dict(m.columns)[c]),
                "Relations": len(relations),
                "Documents": m.documents(r, c),
            }
            for (r, c), relations in m.cells.items()
        ]
    )
    rows = [name for _, name in m.rows]
    columns = [_wrapped(name) for _, name in m.columns]
    pick = alt.selection_point(name=MATRIX_PICK, fields=["row", "column"], on="click")
    base = alt.Chart(table).encode(
        x=alt.X(
            "Abused for:N",
            sort=columns,
            title=None,
            axis=alt.Axis(
                orient="bottom",
                labelAngle=0,
                labelLimit=0,
                labelOverlap=False,
                labelExpr="split(datum.label, '\\n')",  # one line per wrapped piece
            ),
        ),
        y=alt.Y("Technology:N", sort=rows, title=None, axis=alt.Axis(labelLimit=0)),
    )
    cells = base.mark_rect(stroke="#ffffff").encode(
        color=alt.Color("Documents:Q", scale=alt.Scale(scheme="oranges"), legend=None),
        tooltip=["Technology:N", "Abused for:N", "Documents:Q", "Relations:Q"],
    )
    counts = base.mark_text(fontWeight="bold").encode(text="Documents:Q")
    chart = (cells + counts).add_params(pick).properties(height=26 * len(rows) + 150)
    event = st.altair_chart(
        chart, key=MATRIX_KEY, on_select="rerun", selection_mode=MATRIX_PICK, width="stretch"
    )
    chosen = (event.selection.get(MATRIX_PICK) or []) if event is not None else []
    if not chosen:
        st.caption(f"{len(m.rows)} technologies, {len(m.columns)} stages and forms.")
        return
    cell = (str(chosen[0].get("row")), str(chosen[0].get("column")))
    for relation in m.cells.get(cell, ()):
        st.markdown(f"**{md(relation.sentence)}**")
        for quote in relation.quotes:
            where = f" ({md(quote.locator)})" if quote.locator else ""
            st.markdown(f"> “{md(quote.quote)}”\n>\n> — {md(quote.title)}{where}")
        if not relation.quotes:
            st.caption("No quote recorded for this relation.")
