"""The details panel: what the selected entity is, and every relation with its evidence.

All text from the data goes through :func:`ui.text.md` (Markdown) or into dataframes (plain
text); nothing from the data is rendered as HTML.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from graph.evidence import passage, texts_of
from graph.query import document, entity_details, entity_name, schema_of
from ui import actions, paths, state
from ui.dataset import Dataset
from ui.scene import Scene
from ui.text import clip, doc_line, md

RELATIONS_SHOWN = 40


def panel(dataset: Dataset, current: Scene) -> None:
    """The selected entity's details, or a hint when nothing is selected."""
    G = dataset.graph
    node = state.current().selected
    if not node or node not in G:
        st.info(
            "Click a node in the graph, or search, to read what it is and how it connects.",
            icon=":material/touch_app:",
        )
        return
    info = entity_details(G, node)
    with st.container(key="details_panel"):
        _heading(info)
        _actions(node, in_drawing=node in current.graph)
        _documents(G, info["documents"])
        _relations(G, info["relations"])
        _neighbours(G, node, info["relations"])


def _heading(info: dict[str, Any]) -> None:
    st.subheader(md(info["name"]), anchor=False)
    degree = info["degree"]
    facts = [
        info["type_label"],
        f"id {info['id']}",
        f"{degree} relation{'' if degree == 1 else 's'}",
    ]
    if info.get("date"):
        facts.append(f"dated {info['date']}")
    st.caption(" · ".join(md(f) for f in facts))
    if info.get("aliases"):
        st.markdown("**Also known as:** " + ", ".join(md(a) for a in info["aliases"]))
    if info.get("description"):
        st.markdown(md(info["description"]))


def _actions(node: str, *, in_drawing: bool) -> None:
    # A wrapping row, not columns: in a narrow panel the buttons move to a second line
    # instead of being cut to "F…".
    with st.container(horizontal=True, key="details_actions", gap="small"):
        _action_buttons(node)
    if not in_drawing:
        st.caption("Not in the current drawing (hidden by the filters, focus or size limit).")


def _action_buttons(node: str) -> None:
    st.button(
        "Focus",
        key="details_focus",
        on_click=actions.focus,
        args=(node,),
        help="Show this entity and its neighbours.",
        icon=":material/center_focus_strong:",
    )
    st.button(
        "Path from",
        key="details_path_from",
        on_click=paths.choose_end,
        args=("path_from", node),
        help="Start the path finder here.",
        icon=":material/start:",
    )
    st.button(
        "Path to",
        key="details_path_to",
        on_click=paths.choose_end,
        args=("path_to", node),
        help="End the path finder here.",
        icon=":material/flag:",
    )


def _documents(G, documents: list[dict[str, str]]) -> None:
    if not documents:
        return
    st.markdown("**Documents that mention it**")
    st.markdown("\n".join(f"- {doc_line(document(G, d['id']))}" for d in documents))


def _doc_titles(G, doc_ids: list[str]) -> str:
    return "; ".join(doc_line(document(G, d)) for d in doc_ids)


def _relation_block(G, item: dict[str, Any], texts: dict) -> str:
    """One relation as Markdown: the sentence worded by its modality and the modality's note;
    each quote as a block quote (in its paragraph when the text is at hand) with its
    document; how many documents back it; its date."""
    head = [f"**{md(item['sentence'])}**"]
    if item.get("modality_note"):
        head.append(f"*{md(item['modality_note'].capitalize())}*")
    quotes = []
    if item.get("evidence"):
        for doc in item.get("documents") or [None]:
            quotes.append(_quote_line(G, doc, item["evidence"], texts))
    for citation in item.get("citations", ()):
        where = f" ({md(citation['locator'])})" if citation.get("locator") else ""
        quotes.append(_quote_line(G, citation["document"], citation["quote"], texts) + where)
    tail = []
    if item.get("corroboration", 0) > 1:
        tail.append(f"Cited by {item['corroboration']} documents")
    if item.get("date"):
        tail.append(f"Dated {md(item['date'])}")
    parts = ["  \n".join(head), *(f"> {q}" for q in quotes)]
    return "\n\n".join(parts + (["  \n".join(tail)] if tail else []))


def _quote_line(G, doc: str | None, quote: str, texts: dict) -> str:
    """A quote and its document; within its paragraph (a sentence either side, the quote in
    bold) when the document's text is at hand."""
    found = passage(texts[doc], quote, sentences=1) if doc in texts else None
    source = f" — {doc_line(document(G, doc))}" if doc else ""
    if found is None:
        return f"“{md(quote)}”{source}"
    before = found.before if len(found.before) <= 300 else "…" + found.before[-299:]
    after = clip(found.after, 300)
    return f"{md(before)}{_bold(before, found.quote, after)}{md(after)}{source}".strip()


def _bold(before: str, quote: str, after: str) -> str:
    """``quote`` in bold inside running text. Markdown opens ``**`` before punctuation only
    after a space or punctuation, and closes it after punctuation only before one, so a space
    is added there and nowhere else."""
    left = " " if before[-1:].isalnum() and not quote[:1].isalnum() else ""
    right = " " if after[:1].isalnum() and not quote[-1:].isalnum() else ""
    return f"{left}**{md(quote)}**{right}"


def _relations(G, relations: list[dict[str, Any]]) -> None:
    st.markdown(f"**Relations ({len(relations)})**")
    if not relations:
        st.caption("None.")
        return
    texts = texts_of(G)  # the documents' own texts, when the dataset has them (sources/)
    blocks = []
    for item in relations[:RELATIONS_SHOWN]:
        blocks.append(_relation_block(G, item, texts))
    st.markdown("\n\n".join(blocks))
    if not texts:
        st.caption(
            "The documents' texts are not in this dataset (a sources/ folder), so quotes are "
            "shown without their paragraphs."
        )
    if len(relations) > RELATIONS_SHOWN:
        st.caption(f"The first {RELATIONS_SHOWN} of {len(relations)}; the table below lists all.")


def _neighbours(G, node: str, relations: list[dict[str, Any]]) -> None:
    if not relations:
        return
    schema = schema_of(G)
    rows = [
        {
            "id": r["other"],
            "Neighbour": entity_name(G, r["other"]),
            "Type": schema.style(G.nodes[r["other"]].get("type", "")).label,
            "Relation": schema.phrase(r["relation"]),
            "Direction": "→ out" if r["direction"] == "out" else "← in",
        }
        for r in relations
    ]
    table = pd.DataFrame(rows)
    key = f"details_neighbours_{node}"

    def picked() -> None:
        chosen = st.session_state[key].selection.rows
        if chosen:
            actions.select(table.iloc[chosen[0]]["id"], reveal=True)

    st.markdown("**Neighbours** (select a row to go there)")
    st.dataframe(
        table,
        hide_index=True,
        column_order=["Neighbour", "Type", "Relation", "Direction"],
        key=key,
        on_select=picked,
        selection_mode="single-row",
        width="stretch",
    )
