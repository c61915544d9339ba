"""Add a document: the review queue for what a new report adds to the map.

A person uploads a document (or picks a text already in the dataset's ``sources/`` folder that
no document cites yet); :func:`graph.ingest.ingest` proposes the known entities it mentions,
new entities, relations and findings, each with its sentence shown in the document's text.
Each proposal is accepted, edited or rejected one by one (or all those above a confidence at
once); **Apply** then applies the accepted ones with the document through the workbench
(:func:`graph.changes.apply`: validated, against the version read, recorded and undoable).
Nothing is applied without that click. Accepting a mention adds the document to that entity's
documents.

Session keys (all ``ingest_``): ``ingest_proposals`` (the change set read), ``ingest_text``,
``ingest_base``, ``ingest_notice``, ``ingest_problems``, ``ingest_entry`` (the last apply, for
undo), and one ``ingest_choice_<key>`` / ``ingest_name_<key>`` / ``ingest_type_<key>`` /
``ingest_relation_<key>`` per proposal.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import streamlit as st

from graph import changes, store
from graph.errors import GraphError
from graph.evidence import SOURCES_FOLDER, passage
from graph.extract import SUFFIXES, extract_text
from graph.ingest import FINDING, ingest, validated
from graph.ingest_text import slug
from graph.load import LIST_SEPARATOR
from graph.query import schema_of
from ui import state
from ui.dataset import Dataset
from ui.editor import base_files, writable
from ui.text import md

PROPOSALS, TEXT, BASE = "ingest_proposals", "ingest_text", "ingest_base"
NOTICE, PROBLEMS, ENTRY = "ingest_notice", "ingest_problems", "ingest_entry"
CHOICES = ("Undecided", "Accept", "Reject")
GROUPS = (
    ("mentions", "Known entities mentioned"),
    ("entities", "New entities"),
    ("relations", "Relations"),
    ("findings", "Findings"),
)


def init() -> None:
    """The session keys this part of the page owns."""
    state.init(
        None, **{PROPOSALS: None, TEXT: "", BASE: None, NOTICE: "", PROBLEMS: [], ENTRY: None}
    )


def panel(dataset: Dataset) -> None:
    """The "Add a document" section of the Edit tab."""
    init()
    st.subheader("Add a document", anchor=False)
    st.caption(
        "Read a new report (.txt, .md, .html or .pdf): the proposals below each show the "
        "sentence they rest on. Nothing is added until you apply the ones you accept."
    )
    if st.session_state[NOTICE]:
        st.success(md(st.session_state[NOTICE]), icon=":material/check:")
        if st.session_state[ENTRY] is not None:
            st.button("Undo this", key="ingest_undo", on_click=_undo, args=(dataset,))
    if st.session_state[PROBLEMS]:
        st.error("  \n".join(md(p) for p in st.session_state[PROBLEMS]), icon=":material/error:")
    _reader(dataset)
    if st.session_state[PROPOSALS] is not None:
        _queue(dataset)


def _unread_sources(dataset: Dataset) -> list[str]:
    folder = Path(dataset.origin) / SOURCES_FOLDER
    if not folder.is_dir():
        return []
    cited = {str(d.get("source_file") or "") for d in dataset.graph.graph["documents"].values()}
    return sorted(
        p.name for p in folder.iterdir() if p.suffix.lower() in SUFFIXES and p.name not in cited
    )


def _reader(dataset: Dataset) -> None:
    with st.container(border=True):
        upload, pick = st.columns(2)
        with upload:
            uploaded = st.file_uploader(
                "Upload a document",
                type=[s.lstrip(".") for s in SUFFIXES],
                key="ingest_upload",
            )
        with pick:
            unread = _unread_sources(dataset)
            picked = st.selectbox(
                "…or pick a text in the dataset's sources/ folder",
                [""] + unread,
                key="ingest_pick",
                disabled=not unread,
                help="Texts in sources/ that no document cites yet",
            )
        name = uploaded.name if uploaded is not None else picked
        columns = st.columns(4)
        default_id = slug(Path(name).stem) if name else ""
        doc_id = (
            columns[0].text_input(
                "Document id",
                key="ingest_doc_id",
                placeholder=default_id or "e.g. unodc_report_2025",
                help="Lower-case letters, digits and _ (empty: made from the file's name)",
            )
            or default_id
        )
        title = columns[1].text_input("Title", key="ingest_title")
        publisher = columns[2].text_input("Publisher", key="ingest_publisher")
        date = columns[3].text_input("Date", key="ingest_date", placeholder="YYYY-MM-DD")
        st.button(
            "Read the document",
            key="ingest_read",
            disabled=not name,
            icon=":material/article:",
            on_click=_read_chosen,
            args=(dataset, name, doc_id, title, publisher, date),
        )


def _read_chosen(
    dataset: Dataset, name: str, doc_id: str, title: str, publisher: str, date: str
) -> None:
    uploaded = st.session_state.get("ingest_upload")
    if uploaded is not None:
        data, picked = uploaded.getvalue(), ""
    else:
        picked = st.session_state.get("ingest_pick") or ""
        data = (Path(dataset.origin) / SOURCES_FOLDER / picked).read_bytes()
    _read(dataset, data, name, doc_id, title, publisher, date, picked_name=picked)


def _read(
    dataset: Dataset,
    data: bytes,
    name: str,
    doc_id: str,
    title: str,
    publisher: str,
    date: str,
    *,
    picked_name: str = "",
) -> None:
    for key in [k for k in st.session_state if str(k).startswith("ingest_choice_")]:
        del st.session_state[key]
    st.session_state[NOTICE], st.session_state[ENTRY] = "", None
    try:
        text = extract_text(data, name)
        files = base_files(dataset)
        # A picked text stays where it is; other files are kept as their extracted text.
        plain = picked_name.lower().endswith((".txt", ".md"))
        source = picked_name if plain else f"{doc_id}{'.md' if name.endswith('.md') else '.txt'}"
        found = ingest(
            text,
            dataset.graph,
            document_id=doc_id.strip(),
            title=title.strip(),
            publisher=publisher.strip(),
            date=date.strip(),
            source_file=source,
        )
        found = validated(found, files)
    except GraphError as error:
        st.session_state[PROBLEMS] = [str(error)]
        st.session_state[PROPOSALS] = None
        return
    st.session_state[PROBLEMS] = []
    st.session_state[PROPOSALS], st.session_state[TEXT] = found, text
    st.session_state[BASE] = store.version_of(files)


# --- the queue --------------------------------------------------------------------------------


def items(change_set: dict[str, Any]) -> dict[str, list[tuple[str, dict[str, Any]]]]:
    """The proposals by group, each with its key (``m3``: a mention, ``c5``: a change)."""
    groups: dict[str, list[tuple[str, dict[str, Any]]]] = {g: [] for g, _ in GROUPS}
    for i, mention in enumerate(change_set.get("mentions", ())):
        groups["mentions"].append((f"m{i}", mention))
    for i, change in enumerate(change_set["changes"]):
        if change["op"] == "add_relation":
            groups["relations"].append((f"c{i}", change))
        elif change["op"] == "add_entity" and change["entity"].get("type") == FINDING:
            groups["findings"].append((f"c{i}", change))
        elif change["op"] in ("add_entity", "update_entity"):
            groups["entities"].append((f"c{i}", change))
    return groups


def _confidence(item: dict[str, Any]) -> float:
    return float(item.get("confidence", 1.0))


def _accept_above(groups: dict[str, list[tuple[str, dict[str, Any]]]]) -> None:
    threshold = st.session_state.get("ingest_threshold", 0.6)
    for entries in groups.values():
        for key, item in entries:
            if _confidence(item) >= threshold:
                st.session_state[f"ingest_choice_{key}"] = "Accept"


def _queue(dataset: Dataset) -> None:
    change_set = st.session_state[PROPOSALS]
    groups = items(change_set)
    text = st.session_state[TEXT]
    G = dataset.graph
    with st.container(horizontal=True, vertical_alignment="bottom"):
        st.slider(
            "Confidence", 0.0, 1.0, 0.6, 0.05, key="ingest_threshold", width=300,
            help="Accept every proposal at or above this confidence",
        )  # fmt: skip
        st.button(
            "Accept all above", key="ingest_accept_above", on_click=_accept_above, args=(groups,)
        )
    for group, label in GROUPS:
        entries = groups[group]
        with st.expander(f"{label} ({len(entries)})", expanded=group != "mentions"):
            if not entries:
                st.caption("None.")
            for key, item in entries:
                _proposal(G, text, group, key, item)
    accepted = sum(
        st.session_state.get(f"ingest_choice_{k}") == "Accept"
        for entries in groups.values()
        for k, _ in entries
    )
    can_write = writable(dataset)
    st.markdown(f"**Accepted: {accepted}** (the document itself is added with them)")
    with st.container(horizontal=True):
        st.button(
            "Apply the accepted proposals",
            key="ingest_apply",
            type="primary",
            icon=":material/playlist_add_check:",
            disabled=not can_write,
            on_click=_apply,
            args=(dataset,),
        )
        st.download_button(
            "Download the change set",
            key="ingest_download",
            data=json.dumps(accepted_change_set(G, change_set), ensure_ascii=False, indent=1),
            file_name=f"{change_set.get('document', 'document')}_changes.json",
            mime="application/json",
            on_click="ignore",
        )
    if not can_write:
        st.caption("This dataset cannot be written: download the change set instead.")


def highlight(text: str, quote: str) -> str:
    """``quote`` in bold within its sentence and one either side, all escaped for Markdown."""
    found = passage(text, quote, sentences=1) if quote else None
    if found is None:
        return f"“{md(quote)}”"
    before = found.before if len(found.before) <= 300 else "…" + found.before[-299:]
    after = found.after if len(found.after) <= 300 else found.after[:299] + "…"
    # md() folds the spaces at either end, so the ones around the quote are put back here;
    # bold opens and closes only beside a space or punctuation (Markdown's flanking rules).
    left = (
        " "
        if before[-1:].isspace() or (before[-1:].isalnum() and not found.quote[:1].isalnum())
        else ""
    )
    right = (
        " "
        if after[:1].isspace() or (after[:1].isalnum() and not found.quote[-1:].isalnum())
        else ""
    )
    return f"{md(before)}{left}**{md(found.quote)}**{right}{md(after)}"


def _title(G: Any, change_set: dict[str, Any], group: str, item: dict[str, Any]) -> str:
    schema = schema_of(G)
    if group == "mentions":
        node = G.nodes[item["entity"]] if item["entity"] in G else {}
        return f"**{md(node.get('name', item['entity']))}** — named “{md(item['name'])}”"
    if item["op"] == "update_entity":
        return f"**{md(item['id'])}**: new alias {md(item['set']['aliases'].split('|')[-1])}"
    if item["op"] == "add_relation":
        row = item["relation"]
        names = _names(G, change_set)
        sentence = schema.sentence(
            names.get(row["source"], row["source"]),
            row["relation"],
            names.get(row["target"], row["target"]),
            modality=row.get("modality") or "stated",
        )
        return f"**{md(sentence)}**"
    row = item["entity"]
    return f"**{md(row['name'])}** ({md(schema.style(row['type']).label)})"


def _names(G: Any, change_set: dict[str, Any]) -> dict[str, str]:
    names = {str(n): str(d.get("name") or n) for n, d in G.nodes(data=True)}
    for change in change_set["changes"]:
        if change["op"] == "add_entity":
            names[change["entity"]["id"]] = change["entity"]["name"]
    return names


def _proposal(G: Any, text: str, group: str, key: str, item: dict[str, Any]) -> None:
    change_set = st.session_state[PROPOSALS]
    with st.container(border=True):
        head, choice = st.columns([4, 2])
        with head:
            st.markdown(_title(G, change_set, group, item))
            reason = item.get("reason") or "named in the text"
            st.caption(f"{md(reason)} · confidence {_confidence(item):.2f}")
        with choice:
            st.segmented_control(
                "Decision",
                CHOICES,
                default="Undecided",
                key=f"ingest_choice_{key}",
                label_visibility="collapsed",
            )
        st.markdown(f"> {highlight(text, item.get('quote', ''))}")
        if group in ("entities", "findings") and item.get("op") == "add_entity":
            if st.session_state.get(f"ingest_choice_{key}") == "Accept":
                _entity_edit(G, key, item["entity"])
        elif group == "relations" and st.session_state.get(f"ingest_choice_{key}") == "Accept":
            _relation_edit(G, key, item["relation"])


def _entity_edit(G: Any, key: str, row: dict[str, Any]) -> None:
    name, kind = st.columns(2)
    name.text_input("Name", value=row["name"], key=f"ingest_name_{key}")
    types = schema_of(G).type_ids()
    kind.selectbox(
        "Type",
        types,
        index=types.index(row["type"]) if row["type"] in types else 0,
        key=f"ingest_type_{key}",
        format_func=lambda t: schema_of(G).style(t).label,
    )


def _relation_edit(G: Any, key: str, row: dict[str, Any]) -> None:
    relations = list(schema_of(G).relation_types)
    st.selectbox(
        "Relation",
        relations,
        index=relations.index(row["relation"]) if row["relation"] in relations else 0,
        key=f"ingest_relation_{key}",
        format_func=lambda r: schema_of(G).phrase(r),
    )


# --- applying ---------------------------------------------------------------------------------


def accepted_change_set(G: Any, change_set: dict[str, Any]) -> dict[str, Any]:
    """The change set of the accepted proposals, as edited, with the document: what **Apply**
    applies. A relation whose new entity was not accepted is left out."""
    chosen = {
        key
        for entries in items(change_set).values()
        for key, _ in entries
        if st.session_state.get(f"ingest_choice_{key}") == "Accept"
    }
    doc_id = change_set["document"]
    ops: list[dict[str, Any]] = [_clean(change_set["changes"][0])]
    new_ids = set()
    for i, change in enumerate(change_set["changes"][1:], 1):
        key = f"c{i}"
        if key not in chosen or change["op"] == "add_relation":
            continue
        change = _clean(change)
        if change["op"] == "add_entity":
            row = dict(change["entity"])
            row["name"] = st.session_state.get(f"ingest_name_{key}", row["name"]) or row["name"]
            row["type"] = st.session_state.get(f"ingest_type_{key}", row["type"])
            change["entity"] = row
            new_ids.add(row["id"])
        ops.append(change)
    for i, mention in enumerate(change_set.get("mentions", ())):
        entity = mention["entity"]
        if f"m{i}" in chosen and entity in G:
            documents = [*G.nodes[entity].get("documents", ()), doc_id]
            ops.append(
                {
                    "op": "update_entity",
                    "id": entity,
                    "set": {"documents": LIST_SEPARATOR.join(dict.fromkeys(documents))},
                }
            )
    for i, change in enumerate(change_set["changes"][1:], 1):
        key = f"c{i}"
        if key not in chosen or change["op"] != "add_relation":
            continue
        row = dict(change["relation"])
        if not all(end in G or end in new_ids for end in (row["source"], row["target"])):
            continue
        row["relation"] = st.session_state.get(f"ingest_relation_{key}", row["relation"])
        ops.append({"op": "add_relation", "relation": row})
    return {
        "base": st.session_state.get(BASE),
        "message": change_set.get("message", f"Ingest {doc_id}"),
        "changes": ops,
    }


def _clean(change: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in change.items() if k not in ("confidence", "reason", "quote")}


def _apply(dataset: Dataset) -> None:
    raw = accepted_change_set(dataset.graph, st.session_state[PROPOSALS])
    change_set = changes.ChangeSet(raw["changes"], raw["message"], raw["base"])
    try:
        result, entry = changes.apply(dataset.origin, change_set)
    except (changes.ChangeError, store.StoreError) as error:
        st.session_state[PROBLEMS] = ["Nothing was applied:", *str(error).splitlines()]
        return
    summary = ", ".join(f"{n} {op}" for op, n in result.summary.items())
    st.session_state[NOTICE] = (
        f"Applied to {dataset.origin}: {summary} (version {entry.after if entry else '?'})."
    )
    st.session_state[ENTRY] = entry.number if entry else None
    st.session_state[PROBLEMS], st.session_state[PROPOSALS] = [], None


def _undo(dataset: Dataset) -> None:
    applied = [e for e in store.history(dataset.origin) if e.status == "applied" and not e.undoes]
    if not applied or applied[-1].number != st.session_state[ENTRY]:
        st.session_state[PROBLEMS] = ["Another change was saved since; undo it first."]
        return
    try:
        entry = store.undo(dataset.origin)
    except store.StoreError as error:
        st.session_state[PROBLEMS] = [str(error)]
        return
    st.session_state[NOTICE] = f"{entry.message} (version {entry.after})."
    st.session_state[ENTRY] = None
