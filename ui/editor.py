"""Edit mode: change the map and build tours in the app, through the library's change sets.

Every form adds one operation of :mod:`graph.changes` to the session's pending change set,
after checking that the whole set still applies and validates (the same messages as
``python -m graph apply``). The graph on screen is the dataset with the pending changes
applied, in this session only. **Save** applies the change set to the folder with the version
it was started from as its ``base`` (:func:`graph.changes.apply`: atomic, recorded in
``.history``, undoable with ``python -m graph undo``); a refused save says why and keeps the
pending changes, which can always be downloaded as JSON. A read-only folder or an uploaded
dataset keeps its edits in the session and offers the edited dataset as a zip.

Session keys: ``editor_on``, ``editor_ops`` (the pending operations), ``editor_redo``,
``editor_base`` (the version the edits started from), ``editor_steps`` (the tour being built),
``editor_problems`` and ``editor_notice``.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

import streamlit as st

from graph import changes, store
from graph.errors import DataError, GraphError
from graph.export import csv_files, export_bytes
from graph.load import load_graph
from graph.query import entity_name, schema_of
from graph.search import resolve
from graph.tours import Tour, TourError, parse_tours
from graph.view import to_query
from ui import presentation, state, tours
from ui.dataset import Dataset
from ui.text import md

ON_KEY, OPS_KEY, REDO_KEY, BASE_KEY = "editor_on", "editor_ops", "editor_redo", "editor_base"
STEPS_KEY, PROBLEMS_KEY, NOTICE_KEY = "editor_steps", "editor_problems", "editor_notice"
TOGGLE_KEY = "editor_toggle"  # the switch; ON_KEY outlasts it (it is not drawn while presenting)
SOURCE_KEY = "editor_source"  # the dataset as loaded, before the pending changes
MODALITIES = ("stated", "proposed", "hedged", "inferred")
PREVIEW_ID = "editor_preview"  # the id the unsaved tour plays under (not saved with it)


def init() -> None:
    """The session keys this part of the page owns. Edit mode outlasts presentation mode; a
    tour preview ends with it (back in the builder, the unsaved tour is not left running)."""
    state.init(
        None,
        **{
            SOURCE_KEY: None,
            ON_KEY: False,
            OPS_KEY: [],
            REDO_KEY: [],
            BASE_KEY: None,
            STEPS_KEY: [],
            PROBLEMS_KEY: [],
            NOTICE_KEY: "",
        },
    )
    if st.session_state.get(tours.ID_KEY) == PREVIEW_ID and not presentation.on():
        tours.stop()
        st.session_state[tours.PREVIEW_KEY] = None


def on() -> bool:
    """Whether edit mode is on (never in presentation mode)."""
    return bool(st.session_state.get(ON_KEY)) and not presentation.on()


def writable(dataset: Dataset) -> bool:
    """Whether saves go to the dataset's folder (not an upload, a zip or a read-only folder)."""
    folder = Path(dataset.origin)
    return folder.is_dir() and os.access(folder, os.W_OK)


def base_files(dataset: Dataset) -> dict[str, bytes]:
    """The files the edits apply to: the folder's own bytes, else the dataset as loaded (before
    the pending changes), written as the data contract."""
    source = st.session_state.get(SOURCE_KEY)
    if source is not None and source.origin == dataset.origin:
        dataset = source
    if Path(dataset.origin).is_dir():
        return store.read_files(dataset.origin)
    return {name: text.encode("utf-8") for name, text in csv_files(dataset.graph).items()}


def _change_set(ops: list[dict[str, Any]], message: str = "") -> changes.ChangeSet:
    return changes.ChangeSet(list(ops), message, st.session_state.get(BASE_KEY))


@st.cache_resource(max_entries=4, show_spinner="Applying your changes…")
def _edited(_dataset: Dataset, key: str, ops_json: str) -> Dataset:
    result = changes.apply_changes(base_files(_dataset), _change_set(json.loads(ops_json)))
    csv_only = {n: data for n, data in result.files.items() if n.endswith(".csv")}
    graph = load_graph(csv_only, name=str(_dataset.graph.graph.get("name") or "dataset"))
    for extra in ("title", "summary"):  # the dataset's own description, if it has one
        if extra in _dataset.graph.graph:
            graph.graph[extra] = _dataset.graph.graph[extra]
    return Dataset.of(graph, key, _dataset.origin)


def edited(dataset: Dataset) -> Dataset:
    """``dataset`` with the session's pending changes applied (itself when there are none)."""
    st.session_state[SOURCE_KEY] = dataset
    ops = st.session_state.get(OPS_KEY) or []
    if not ops:
        return dataset
    text = json.dumps(ops, sort_keys=True)
    digest = hashlib.sha1(f"{dataset.key}|{text}".encode()).hexdigest()[:12]
    try:
        return _edited(dataset, f"{dataset.key}-edit-{digest}", text)
    except (changes.ChangeError, DataError, GraphError):
        return dataset  # the folder changed under the edits; the save will say so


def _add(dataset: Dataset, op: dict[str, Any]) -> bool:
    """Queue ``op`` if the pending set still applies and validates; else show why."""
    ops = [*st.session_state[OPS_KEY], op]
    try:
        changes.apply_changes(base_files(dataset), _change_set(ops))
    except changes.ChangeError as error:
        st.session_state[PROBLEMS_KEY] = [
            p.replace(f"change {len(ops)} ", "this change ") for p in error.problems
        ]
        st.rerun()  # show why, above the forms
    if not st.session_state[OPS_KEY]:
        st.session_state[BASE_KEY] = store.version_of(base_files(dataset))
    st.session_state[OPS_KEY] = ops
    st.session_state[REDO_KEY] = []
    st.session_state[PROBLEMS_KEY] = []
    st.session_state[NOTICE_KEY] = ""
    return True


def undo() -> None:
    """Take back the last pending change (it can be redone)."""
    if st.session_state[OPS_KEY]:
        st.session_state[REDO_KEY] = [st.session_state[OPS_KEY][-1], *st.session_state[REDO_KEY]]
        st.session_state[OPS_KEY] = st.session_state[OPS_KEY][:-1]


def redo() -> None:
    """Put back the change last taken back."""
    if st.session_state[REDO_KEY]:
        st.session_state[OPS_KEY] = [*st.session_state[OPS_KEY], st.session_state[REDO_KEY][0]]
        st.session_state[REDO_KEY] = st.session_state[REDO_KEY][1:]


def save(dataset: Dataset, message: str) -> None:
    """Apply the pending change set to the folder; on refusal keep it and say why."""
    ops = st.session_state[OPS_KEY]
    try:
        result, entry = changes.apply(dataset.origin, _change_set(ops, message))
    except (changes.ChangeError, store.StoreError) as error:
        st.session_state[PROBLEMS_KEY] = [
            "The changes were not saved (they are kept here; download them below).",
            *str(error).splitlines(),
        ]
        return
    st.session_state[OPS_KEY], st.session_state[REDO_KEY] = [], []
    st.session_state[BASE_KEY], st.session_state[PROBLEMS_KEY] = None, []
    after = entry.after if entry else store.version(dataset.origin)
    quotes = "".join(
        f" The quote cited from {d} is {q}"
        + (" against the document's text." if q == "verified" else " (no text in sources/).")
        for _, d, q in result.quotes
    )
    st.session_state[NOTICE_KEY] = (
        f"Saved {len(ops)} change(s) to {dataset.origin} (version "
        f"{after}; `python -m graph undo` takes them back).{quotes}"
    )


# --- on screen --------------------------------------------------------------------------------


def toggle(dataset: Dataset) -> None:
    """The sidebar's edit-mode switch."""
    help_text = "Add, change and delete entities and relations, and build tours. " + (
        "Saves go to the dataset folder."
        if writable(dataset)
        else "This dataset cannot be written: edits stay in this session and can be downloaded."
    )
    # The switch has its own key: Streamlit forgets the value of a widget it does not draw (in
    # presentation mode), and edit mode must still be on when the presentation ends.
    st.session_state[TOGGLE_KEY] = bool(st.session_state.get(ON_KEY))
    st.toggle("Edit mode", key=TOGGLE_KEY, help=help_text, on_change=_switched)


def _switched() -> None:
    st.session_state[ON_KEY] = bool(st.session_state.get(TOGGLE_KEY))


def panel(dataset: Dataset) -> None:
    """The edit tab: pending changes with save/undo, then the forms and the tour builder."""
    G = dataset.graph
    _pending(dataset)
    entity, relation = st.columns(2, gap="medium")
    with entity:
        st.subheader("Entities", anchor=False)
        _entity_forms(dataset, G)
    with relation:
        st.subheader("Relations and citations", anchor=False)
        _relation_form(dataset, G)
    st.subheader("A tour from views", anchor=False)
    _tour_builder(dataset, G)


def _pending(dataset: Dataset) -> None:
    ops = st.session_state[OPS_KEY]
    if st.session_state[NOTICE_KEY]:
        st.success(md(st.session_state[NOTICE_KEY]), icon=":material/check:")
    if st.session_state[PROBLEMS_KEY]:
        st.error(
            "  \n".join(md(p) for p in st.session_state[PROBLEMS_KEY]), icon=":material/error:"
        )
    st.markdown(
        f"**Pending changes: {len(ops)}**"
        + ("" if writable(dataset) else " (this dataset is read-only: download it)")
    )
    for i, op in enumerate(ops, 1):
        st.text(f"{i}. {op['op']}: {_describe(op)}")
    with st.container(horizontal=True):
        st.button(
            "Undo", key="editor_undo", on_click=undo, disabled=not ops, icon=":material/undo:"
        )
        st.button(
            "Redo",
            key="editor_redo_button",
            on_click=redo,
            disabled=not st.session_state[REDO_KEY],
            icon=":material/redo:",
        )
        st.download_button(
            "Download change set",
            key="editor_download_changes",
            data=json.dumps(
                {"base": st.session_state[BASE_KEY], "changes": ops}, ensure_ascii=False, indent=1
            ),
            file_name="changes.json",
            mime="application/json",
            disabled=not ops,
        )
        if not writable(dataset):
            st.download_button(
                "Download dataset",
                key="editor_download_dataset",
                data=lambda: export_bytes(edited(dataset).graph, "csv"),
                file_name="dataset.zip",
                mime="application/zip",
                on_click="ignore",
            )
    if writable(dataset) and ops:
        with st.form("editor_save_form", border=False):
            message = st.text_input(
                "What these changes do",
                key="editor_message",
                placeholder="e.g. Add Thorn and the tools it runs",
            )
            if st.form_submit_button(
                "Save to the dataset", type="primary", icon=":material/save:", key="editor_save"
            ):
                save(dataset, message or "")
                st.rerun()


def _describe(op: dict[str, Any]) -> str:
    fields = {k: v for k, v in op.items() if k != "op"}
    return json.dumps(fields, ensure_ascii=False)[:160]


def _list(text: str) -> list[str]:
    return [part.strip() for part in (text or "").replace("|", ",").split(",") if part.strip()]


SHORT_NAME_LABEL = "Short name (drawn on the map instead of a long name; optional)"


def _entity_forms(dataset: Dataset, G: Any) -> None:
    schema = schema_of(G)
    with st.form("editor_add_entity", clear_on_submit=False):
        st.markdown("**Add an entity**")
        entity_id = st.text_input("Id", placeholder="lower_case_words", key="editor_entity_id")
        name = st.text_input("Name", key="editor_entity_name")
        short_name = st.text_input(SHORT_NAME_LABEL, key="editor_entity_short_name")
        type_id = st.selectbox(
            "Type",
            schema.type_ids(),
            format_func=lambda t: schema.style(t).label,
            key="editor_entity_type",
        )
        aliases = st.text_input("Aliases (comma-separated)")
        description = st.text_area("Description (your own words)")
        documents = st.multiselect("Documents", list(G.graph.get("documents") or {}))
        if st.form_submit_button("Add entity", key="editor_add_entity_submit"):
            row = {
                "id": entity_id.strip(),
                "name": name.strip(),
                "type": type_id,
                "aliases": _list(aliases),
                "description": description.strip(),
                "documents": documents,
            }
            if short_name.strip():
                row["short_name"] = short_name.strip()
            if _add(dataset, {"op": "add_entity", "entity": row}):
                state.update(selected=row["id"])
                st.rerun()
    selected = state.current().selected
    if selected and selected in G:
        node = G.nodes[selected]
        with st.form("editor_edit_entity"):
            st.markdown(f"**Edit {md(entity_name(G, selected))}** (the selected entity)")
            new_name = st.text_input("Name", value=str(node.get("name", "")))
            new_short = st.text_input(SHORT_NAME_LABEL, value=str(node.get("short_name", "")))
            new_aliases = st.text_input("Aliases", value=", ".join(node.get("aliases", ())))
            new_description = st.text_area("Description", value=str(node.get("description", "")))
            cascade = st.checkbox("Also delete its relations", key="editor_cascade")
            left, right = st.columns(2)
            if left.form_submit_button("Save changes to the entity"):
                values = {
                    "name": new_name.strip(),
                    "aliases": _list(new_aliases),
                    "description": new_description.strip(),
                }
                if new_short.strip() != str(node.get("short_name", "")):  # no empty new column
                    values["short_name"] = new_short.strip()
                if _add(dataset, {"op": "update_entity", "id": selected, "set": values}):
                    st.rerun()
            if right.form_submit_button("Delete the entity"):
                if _add(dataset, {"op": "delete_entity", "id": selected, "cascade": cascade}):
                    state.update(selected=None)
                    st.rerun()
        with st.form("editor_merge"):
            st.markdown(f"**Merge into {md(entity_name(G, selected))}**")
            others = st.text_input("Entities to merge into it (names, aliases or ids)")
            if st.form_submit_button("Merge"):
                ids = _resolved(G, _list(others))
                if ids is not None and _add(
                    dataset, {"op": "merge_entities", "keep": selected, "merge": ids}
                ):
                    st.rerun()
    else:
        st.caption("Select an entity in the graph to edit, delete or merge it.")


def _resolved(G: Any, texts: list[str]) -> list[str] | None:
    found, problems = [], []
    for text in texts:
        try:
            found.append(resolve(G, text))
        except GraphError as error:
            problems.append(str(error))
    if problems or not found:
        st.session_state[PROBLEMS_KEY] = problems or ["Name at least one entity."]
        st.rerun()  # show why, above the forms
    return found


def _relation_form(dataset: Dataset, G: Any) -> None:
    schema = schema_of(G)
    with st.form("editor_add_relation"):
        st.markdown("**Add a relation** (source — relation — target)")
        source = st.text_input(
            "Source (a name, alias or id)",
            value=entity_name(G, state.current().selected) if state.current().selected in G else "",
            key="editor_relation_source",
        )
        relation = st.selectbox(
            "Relation",
            sorted(schema.relation_types),
            format_func=lambda r: schema.phrase(r),
            key="editor_relation",
        )
        target = st.text_input("Target (a name, alias or id)", key="editor_target")
        modality = st.selectbox(
            "Claim",
            MODALITIES,
            help="stated; proposed (a bill or plan); hedged (may, estimates);"
            " inferred (true by the documents' own names)",
        )
        evidence = st.text_area(
            "Evidence: a short verbatim quote (under 200 characters)", key="editor_evidence"
        )
        documents = st.multiselect(
            "Documents the quote stands in", list(G.graph.get("documents") or {})
        )
        relation_id = st.text_input(
            "Relation id (optional; citations refer to it)", key="editor_relation_id"
        )
        if st.form_submit_button("Add relation", key="editor_add_relation_submit"):
            ends = _resolved(G, [source, target])
            if ends is not None and len(ends) == 2:
                row = {
                    **({"id": relation_id.strip()} if relation_id.strip() else {}),
                    "source": ends[0],
                    "target": ends[1],
                    "relation": relation,
                    "evidence": evidence.strip(),
                    "documents": documents,
                }
                if modality != "stated":
                    row["modality"] = modality
                if _add(dataset, {"op": "add_relation", "relation": row}):
                    st.rerun()
    with st.form("editor_add_citation"):
        st.markdown("**Cite another document** for a relation (a quote per document)")
        cited = st.text_input("Relation id", key="editor_citation_relation")
        document = st.selectbox(
            "Document", list(G.graph.get("documents") or {}), key="editor_citation_document"
        )
        quote = st.text_area("Its quote, verbatim from that document", key="editor_citation_quote")
        locator = st.text_input("Where (optional: a paragraph or page)")
        if st.form_submit_button("Add citation", key="editor_add_citation_submit"):
            op = {
                "op": "add_citation",
                "relation": cited.strip(),
                "document": document,
                "quote": quote.strip(),
            }
            if locator.strip():
                op["locator"] = locator.strip()
            if _add(dataset, op):
                st.rerun()


def _tour_builder(dataset: Dataset, G: Any) -> None:
    steps: list[dict[str, Any]] = st.session_state[STEPS_KEY]
    st.caption("Each step records the view on screen now: focus, filters, path, highlights.")
    with st.form("editor_add_step"):
        title = st.text_input("Step title")
        narration = st.text_area("Narration (two to four sentences, in your own words)")
        documents = st.multiselect("Documents it draws on", list(G.graph.get("documents") or {}))
        if st.form_submit_button("Add this view as a step", icon=":material/add_a_photo:"):
            view = to_query(state.current())
            view.pop("selected", None)
            if not view:
                st.session_state[PROBLEMS_KEY] = [
                    "Focus, filter or highlight something first: a step shows a view."
                ]
            else:
                steps.append(
                    {
                        "title": title.strip(),
                        "narration": narration.strip(),
                        "documents": documents,
                        "view": view,
                    }
                )
                st.rerun()
    for i, step in enumerate(steps):
        with st.container(horizontal=True):
            st.text(f"{i + 1}. {step['title'] or '(untitled)'} — {to_text(step['view'])}")
            st.button("↑", key=f"editor_step_up_{i}", on_click=_move, args=(i, -1), disabled=i == 0)
            st.button("✕", key=f"editor_step_delete_{i}", on_click=_drop_step, args=(i,))
    if steps:
        st.button(
            "Preview in presentation mode",
            key="editor_preview",
            on_click=preview,
            args=(G, steps),
            icon=":material/slideshow:",
            help="Play these steps as the audience will see them; Exit presentation comes back.",
        )
        with st.form("editor_save_tour"):
            tour_id = st.text_input("Tour id", placeholder="my_workshop")
            tour_title = st.text_input("Tour title")
            summary = st.text_input("One-line summary")
            if st.form_submit_button("Add the tour to the pending changes"):
                tour = {
                    "id": tour_id.strip(),
                    "title": tour_title.strip(),
                    "summary": summary.strip(),
                    "steps": steps,
                }
                if _add(dataset, {"op": "add_tour", "tour": tour}):
                    st.session_state[STEPS_KEY] = []
                    st.rerun()


def preview_tour(G: Any, steps: list[dict[str, Any]]) -> Tour:
    """The steps being built as a tour, read and checked exactly as the tour file will be
    (:func:`graph.tours.parse_tours`); raises :class:`graph.tours.TourError` naming each problem.

    >>> from graph.load import load_graph
    >>> G = load_graph({"entities.csv": "id,name,type\\na,A,ngo\\n",
    ...                 "relations.csv": "source,target,relation\\n"})
    >>> step = {"title": "A", "narration": "Here is A.", "view": {"focus": "a"}}
    >>> preview_tour(G, [step]).steps[0].view.focus
    'a'
    """
    tour = {
        "id": PREVIEW_ID,
        "title": "Preview of the tour being built",
        "summary": "Not saved yet.",
        "steps": steps,
    }
    return parse_tours(json.dumps({"tours": [tour]}), G, source="the tour being built")[0]


def preview(G: Any, steps: list[dict[str, Any]]) -> None:
    """Play the unsaved steps in presentation mode, from the first (or say why they cannot)."""
    try:
        tour = preview_tour(G, steps)
    except TourError as error:
        st.session_state[PROBLEMS_KEY] = str(error).splitlines()
        return
    st.session_state[tours.PREVIEW_KEY] = tour
    presentation.set_on(True)
    tours.go(tour, 0)


def to_text(view: dict[str, str]) -> str:
    """A step's view in a few words (its link parameters)."""
    return "&".join(f"{k}={v}" for k, v in view.items())[:80]


def _drop_step(index: int) -> None:
    st.session_state[STEPS_KEY].pop(index)


def _move(index: int, by: int) -> None:
    steps = st.session_state[STEPS_KEY]
    other = index + by
    if 0 <= other < len(steps):
        steps[index], steps[other] = steps[other], steps[index]
