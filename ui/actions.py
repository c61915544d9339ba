"""What buttons, clicks and the search box do to the view (called from widget callbacks)."""

from __future__ import annotations

import networkx as nx
import streamlit as st

from graph.search import Hit, search
from ui import state

NOTICE_KEY = "sidebar_notice"
DRAWN_KEY = "graph_drawn"


def drawn_nodes() -> set[str]:
    """The entities drawn on the last run."""
    return set(st.session_state.get(DRAWN_KEY, {}).get("nodes", ()))


def select(node: str | None, *, reveal: bool = False) -> None:
    """Select ``node``; with ``reveal``, focus on it when it is not in the drawing."""
    if reveal and node is not None and node not in drawn_nodes():
        state.update(selected=node, focus=node)
        st.session_state[NOTICE_KEY] = "It was not in the drawing, so the view now focuses on it."
    else:
        state.update(selected=node)


def focus(node: str | None) -> None:
    """Show ``node`` and its neighbours (or everything again, for ``None``)."""
    state.update(focus=node, selected=node if node is not None else state.current().selected)


def path_from(node: str) -> None:
    state.update(path_from=node, path_choice=0)


def path_to(node: str) -> None:
    state.update(path_to=node, path_choice=0)


def clear_path() -> None:
    state.update(path_from=None, path_to=None, path_choice=0)


def swap_path() -> None:
    view = state.current()
    state.update(path_from=view.path_to, path_to=view.path_from, path_choice=0)


SUGGESTIONS = 6


@st.cache_data(max_entries=64, show_spinner=False)
def suggestions(_G: nx.MultiDiGraph, dataset: str, query: str) -> list[Hit]:
    """The best matches for what was typed (cached: the box keeps its text across reruns)."""
    return search(_G, query, limit=SUGGESTIONS) if query.strip() else []


def search_submitted(G: nx.MultiDiGraph, dataset: str, key: str) -> None:
    """Enter in the search box: jump to the best match."""
    hits = suggestions(G, dataset, st.session_state.get(key) or "")
    if hits:
        select(hits[0].id, reveal=True)
