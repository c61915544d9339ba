"""Analytics of the drawn view: ranking, communities, counts by type and relation, bridges."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from graph.betweenness import SAMPLE, SAMPLE_ABOVE
from graph.query import entity_name, schema_of
from graph.view import SIZE_BY
from ui import actions, state
from ui.scene import Scene, bridges, communities, measure, stats
from ui.text import clip, md

TOP = 50
COMMUNITIES_SHOWN = 9
MEMBERS_SHOWN = 40


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


def _counts_by_type(current: Scene) -> None:
    schema = schema_of(current.graph)
    counts = stats(current)["types"]
    st.markdown("**Entities by type**")
    st.bar_chart(
        pd.DataFrame(
            {"Type": [schema.style(t).label for t in counts], "Entities": list(counts.values())}
        ),
        x="Type",
        y="Entities",
        horizontal=True,
        sort="-Entities",
    )


def _counts_by_relation(current: Scene) -> None:
    schema = schema_of(current.graph)
    counts = stats(current)["relation_types"]
    st.markdown("**Relations by kind**")
    if not counts:
        st.caption("No relations in the view.")
        return
    st.bar_chart(
        pd.DataFrame(
            {"Relation": [schema.phrase(r) for r in counts], "Relations": list(counts.values())}
        ),
        x="Relation",
        y="Relations",
        horizontal=True,
        sort="-Relations",
    )


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
