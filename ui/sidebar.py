"""The controls: search, focus, path finder, filters, display options and reset.

Every control is tied to one field of the view with :func:`ui.state.bind`; this module only
arranges widgets and labels them. Option labels are plain text (Streamlit does not read
select-box options as Markdown), so entity names can be shown as they are.
"""

from __future__ import annotations

from collections import Counter

import networkx as nx
import streamlit as st

from graph import citations
from graph.errors import GraphError
from graph.query import entity_name, schema_of
from graph.schema import MODALITIES, MODALITY_LABELS, STATED
from graph.search import resolve
from graph.view import (
    COLOR_BY,
    DEPTHS,
    DIRECTIONS,
    LAYOUTS,
    MAX_HOPS,
    MAX_MIN_DEGREE,
    MAX_SOURCES,
    SIZE_BY,
)
from ui import actions, paths, state
from ui.dataset import Dataset
from ui.text import clip, md

PICKER_LIMIT = 5_000
"""Up to this many entities, pickers are select boxes; above, a text box resolved by name."""


@st.cache_resource(max_entries=4, show_spinner=False)
def _choices(_G: nx.MultiDiGraph, dataset: str) -> dict:
    """Entity ids sorted by name with their labels, and counts for the filter options.

    Kept as a shared read-only resource: copying 100,000 labels on every run would cost more
    than the run itself.
    """
    schema = schema_of(_G)
    labels = {
        n: f"{d.get('name', n)} · {schema.style(d.get('type', '')).label}"
        for n, d in _G.nodes(data=True)
    }
    years = set()
    for _, d in _G.nodes(data=True):
        if d.get("date"):
            years.add(int(str(d["date"])[:4]))
    for _, _, d in _G.edges(data=True):
        if d.get("date"):
            years.add(int(str(d["date"])[:4]))
    return {
        "ids": sorted(labels, key=lambda n: (labels[n].lower(), n)),
        "labels": labels,
        "types": Counter(d.get("type", "") for _, d in _G.nodes(data=True)),
        "relations": Counter(d.get("relation", "") for _, _, d in _G.edges(data=True)),
        "years": sorted(years),
        "modalities": Counter(citations.modality(d) for _, _, d in _G.edges(data=True)),
        "most_sources": max(
            (citations.corroboration(d) for _, _, d in _G.edges(data=True)), default=0
        ),
    }


def controls(dataset: Dataset) -> None:
    """Draw every control in the sidebar."""
    G = dataset.graph
    choices = _choices(G, dataset.key)
    st.subheader("Find")
    search_box(G, dataset.key)
    st.subheader("Focus")
    focus_controls(G, choices)
    st.subheader("Path finder")
    path_controls(G, dataset.key)
    st.subheader("Filters")
    filter_controls(G, choices)
    st.subheader("Display")
    display_controls()
    st.button(
        "Reset view",
        key="sidebar_reset",
        on_click=state.reset,
        icon=":material/restart_alt:",
        width="stretch",
        help="Back to the whole graph with default settings.",
    )


def search_box(G: nx.MultiDiGraph, dataset: str) -> None:
    """Search by name, alias, acronym or a misspelling; Enter jumps to the best match."""
    key = "sidebar_search"
    query = st.text_input(
        "Search entities",
        key=key,
        placeholder="e.g. NCMEC, arachnid, IJM",
        on_change=actions.search_submitted,
        args=(G, dataset, key),
        help="Names, aliases, acronyms and near misses. Press Enter to jump to the best match.",
    )
    notice = st.session_state.pop(actions.NOTICE_KEY, "")
    if notice:
        st.caption(notice)
    if not (query or "").strip():
        return
    hits = actions.suggestions(G, dataset, query)
    if not hits:
        st.caption("No entity matches that.")
        return
    schema = schema_of(G)
    for i, hit in enumerate(hits):
        label = f"{clip(hit.name, 48)} · {schema.style(hit.type).label}"
        st.button(
            md(label),
            key=f"sidebar_hit_{i}",
            on_click=actions.select,
            args=(hit.id,),
            kwargs={"reveal": True},
            width="stretch",
            type="primary" if hit.id == state.current().selected else "secondary",
        )


def entity_picker(
    label: str, name: str, G: nx.MultiDiGraph, choices: dict, placeholder: str
) -> None:
    """A control choosing one entity for the view field ``name`` (None: no entity)."""
    if len(G) <= PICKER_LIMIT:
        labels = choices["labels"]
        st.selectbox(
            label,
            [None, *choices["ids"]],
            placeholder=placeholder,
            format_func=lambda n: placeholder if n is None else labels.get(n, n),
            **state.bind(name, to_widget=lambda v: v if v in labels else None),
        )
        return
    problem_key = f"sidebar_{name}_problem"

    def resolved(text: str) -> str | None:
        st.session_state[problem_key] = ""
        if not (text or "").strip():
            return None
        try:
            return resolve(G, text)
        except GraphError as error:
            st.session_state[problem_key] = str(error)
            return getattr(state.current(), name)

    st.text_input(
        label,
        placeholder=placeholder,
        **state.bind(
            name, to_widget=lambda v: entity_name(G, v) if v in G else "", from_widget=resolved
        ),
    )
    if st.session_state.get(problem_key):
        st.caption(md(st.session_state[problem_key]))


def focus_controls(G: nx.MultiDiGraph, choices: dict) -> None:
    entity_picker("Focus on", "focus", G, choices, "— whole graph —")
    st.slider(
        "Depth",
        DEPTHS[0],
        DEPTHS[-1],
        **state.bind("depth"),
        help="How many steps out from the focus entity.",
    )
    st.radio(
        "Direction",
        list(DIRECTIONS),
        format_func=DIRECTIONS.get,
        horizontal=True,
        **state.bind("direction"),
    )


def path_end_picker(label: str, name: str, G: nx.MultiDiGraph, dataset: str) -> None:
    """One end of the path finder, found as the search box finds entities (graph.search:
    names, aliases, acronyms, near misses): Enter takes the best match, and the next best are
    offered as buttons. The box then shows the chosen entity's name."""
    key, others_key = f"sidebar_{name}", f"sidebar_{name}_others"

    def picked(text: str) -> str | None:
        st.session_state[others_key] = None
        if not (text or "").strip():
            return None
        hits = actions.suggestions(G, dataset, text)
        best = hits[0].id if hits else None
        others = tuple(h.id for h in hits[1:4])
        st.session_state[others_key] = {"text": text, "chosen": best, "others": others}
        return best if best is not None else getattr(state.current(), name)

    bound = state.bind(
        name,
        to_widget=lambda v: entity_name(G, v) if v in G else "",
        from_widget=picked,
        on_change=lambda: paths.choose_end(name, getattr(state.current(), name)),
    )
    st.text_input(label, placeholder="Name, alias or acronym", **bound)
    _other_matches(G, name, st.session_state.get(others_key), key)


def _other_matches(G: nx.MultiDiGraph, name: str, found: dict | None, key: str) -> None:
    """What else the last search for this end matched (or that nothing did)."""
    if not found:
        return
    if found["chosen"] is None:
        st.caption(f"No entity matches {md(clip(found['text'], 40))}.")
        return
    if found["chosen"] != getattr(state.current(), name) or not found["others"]:
        return  # the end was changed since (swap, clear, a button elsewhere)
    schema = schema_of(G)
    st.caption("Or one of these:")
    for other in found["others"]:
        label = f"{clip(entity_name(G, other), 40)} · {schema.style(G.nodes[other]['type']).label}"
        st.button(
            md(label),
            key=f"{key}_other_{other}",
            on_click=paths.choose_end,
            args=(name, other),
            width="stretch",
            type="tertiary",
        )


def path_controls(G: nx.MultiDiGraph, dataset: str) -> None:
    path_end_picker("From", "path_from", G, dataset)
    path_end_picker("To", "path_to", G, dataset)
    st.slider("Maximum hops", 1, MAX_HOPS, **state.bind("max_hops"))
    left, right = st.columns(2)
    left.button(
        "Swap",
        key="sidebar_path_swap",
        on_click=actions.swap_path,
        width="stretch",
        icon=":material/swap_vert:",
    )
    right.button(
        "Clear",
        key="sidebar_path_clear",
        on_click=actions.clear_path,
        width="stretch",
        icon=":material/close:",
    )


def filter_controls(G: nx.MultiDiGraph, choices: dict) -> None:
    schema = schema_of(G)
    types, relations = choices["types"], choices["relations"]
    st.multiselect(
        "Entity types",
        sorted(types, key=lambda t: schema.style(t).label),
        format_func=lambda t: f"{schema.style(t).label} ({types[t]})",
        placeholder="All types",
        **_bind_many("types", types),
    )
    st.multiselect(
        "Relations",
        sorted(relations),
        format_func=lambda r: f"{schema.phrase(r)} ({relations[r]})",
        placeholder="All relations",
        **_bind_many("relations", relations),
    )
    documents = G.graph.get("documents") or {}
    if documents:
        st.multiselect(
            "Documents",
            sorted(documents, key=lambda d: documents[d].get("title") or d),
            format_func=lambda d: clip(documents[d].get("title") or d, 70),
            placeholder="All documents",
            **_bind_many("documents", documents),
        )
    _provenance_filters(choices)
    st.checkbox(
        "Keep their neighbours, faded",
        **state.bind("context"),
        help="With a type, relation or document filter: also draw every entity one relation "
        "away from what it keeps, faded, so a filter shows what its entities connect to.",
    )
    _year_range(choices["years"])
    left, right = st.columns(2)
    left.number_input("Minimum degree", 0, MAX_MIN_DEGREE, step=1, **state.bind("min_degree"))
    right.checkbox(
        "Hide isolated",
        **state.bind("hide_isolated"),
        help="Leave out entities with no relation in the view.",
    )


def _provenance_filters(choices: dict) -> None:
    """How many documents a relation rests on, and how they word it."""
    most = min(choices["most_sources"], MAX_SOURCES)
    if most > 1:
        st.slider(
            "Cited by at least (documents)",
            1,
            most,
            help="Keep only relations that this many distinct documents state "
            "(in the relation's row or its citations), and the entities they join.",
            **state.bind(
                "min_sources",
                to_widget=lambda v: max(1, min(v, most)),
                from_widget=lambda v: 0 if v <= 1 else v,
            ),
        )
    wording = choices["modalities"]
    if len(wording) > 1 or STATED not in wording:
        st.multiselect(
            "How the documents word it",
            [m for m in MODALITIES if m in wording],
            format_func=lambda m: f"{MODALITY_LABELS[m]} ({wording[m]})",
            placeholder="Any: stated, proposed, hedged, inferred",
            help="Stated as fact; proposed (what a bill would do); hedged (may, can, an "
            "estimate); inferred (from the documents' own names, not written).",
            **_bind_many("modalities", wording),
        )


def _bind_many(name: str, known) -> dict:
    return state.bind(
        name, to_widget=lambda v: [x for x in v if x in known], from_widget=state.as_tuple
    )


def _year_range(years: list[int]) -> None:
    if len(years) < 2:
        return
    low, high = years[0], years[-1]
    key = "sidebar_years"
    view = state.current()
    start = int(view.date_from[:4]) if view.date_from else low
    end = int(view.date_to[:4]) if view.date_to else high
    st.session_state[key] = (max(low, min(start, high)), max(low, min(end, high)))

    def changed() -> None:
        a, b = st.session_state[key]
        state.update(date_from=None if a == low else str(a), date_to=None if b == high else str(b))

    st.slider(
        "Years",
        low,
        high,
        key=key,
        on_change=changed,
        help="Keeps entities and relations dated in these years.",
    )
    st.checkbox("Keep undated entities and relations", **state.bind("keep_undated"))


def display_controls() -> None:
    st.selectbox("Layout", list(LAYOUTS), format_func=LAYOUTS.__getitem__, **state.bind("layout"))
    st.radio(
        "Colour by",
        list(COLOR_BY),
        format_func=COLOR_BY.__getitem__,
        horizontal=True,
        **state.bind("color_by"),
    )
    st.selectbox("Size by", list(SIZE_BY), format_func=SIZE_BY.__getitem__, **state.bind("size_by"))
