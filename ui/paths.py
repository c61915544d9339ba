"""The path finder: choosing its ends, and its answer — how one entity connects to another,
hop by hop, with evidence (shown at the top of the panel beside the graph).
"""

from __future__ import annotations

import networkx as nx
import streamlit as st

from graph.query import document, entity_name
from graph.schema import MODALITY_NOTES
from ui import state
from ui.scene import Scene
from ui.text import doc_line, md


def choose_end(name: str, node: str | None) -> None:
    """Set the path finder's ``path_from`` or ``path_to`` (``name``) to ``node``.

    Once both ends are chosen and nothing is focused, the view centres on the path's start at
    depth 1 (as a tour step with a path does), so the path is drawn among a few entities, large,
    instead of as a thread through the whole graph.
    """
    view = state.update(**{name: node, "path_choice": 0})
    if view.has_path() and view.focus is None:
        state.update(focus=view.path_from, depth=1)


def panel(G: nx.MultiDiGraph, current: Scene) -> None:
    """The chosen path told as sentences (nothing when no path is asked for)."""
    view = state.current()
    if not view.has_path() or view.path_from not in G or view.path_to not in G:
        return
    heading = (
        f"How {md(entity_name(G, view.path_from))} connects to {md(entity_name(G, view.path_to))}"
    )
    with st.container(key="paths_answer", border=True):
        st.markdown(f"**{heading}**")
        if not current.paths:
            st.warning(
                f"No path of at most {view.max_hops} hops between them in this view. "
                "Allow more hops or loosen the filters.",
                icon=":material/route:",
            )
            return
        paths = current.paths
        if len(paths) > 1:
            st.radio(
                "Path",
                list(range(len(paths))),
                horizontal=True,
                format_func=lambda i: f"Path {i + 1} ({len(paths[i].hops)} hops)",
                **state.bind("path_choice", to_widget=lambda v: min(v, len(paths) - 1)),
            )
        path = paths[min(view.path_choice, len(paths) - 1)]
        st.markdown("\n".join(_hop_lines(G, path)))


def _hop_lines(G: nx.MultiDiGraph, path) -> list[str]:
    lines = []
    for i, (sentence, hop) in enumerate(zip(path.sentences(G), path.hops), 1):
        lines.append(f"{i}. **{md(sentence)}**")
        if MODALITY_NOTES[hop.modality]:
            lines.append(f"   *{md(MODALITY_NOTES[hop.modality].capitalize())}*")
        if hop.evidence:
            lines.append(f"   “{md(hop.evidence)}”")
        if hop.documents:
            sources = "; ".join(doc_line(document(G, d)) for d in hop.documents)
            lines.append(f"   Source: {sources}")
        for citation in hop.citations:
            lines.append(f"   “{md(citation.quote)}” — {doc_line(document(G, citation.document))}")
        if hop.corroboration > 1:
            lines.append(f"   Cited by {hop.corroboration} documents")
    if not lines:
        lines.append(f"{md(entity_name(G, path.nodes[0]))} is both ends of the path.")
    return [line + "  " for line in lines]
