"""The knowledge-graph explorer: ``streamlit run app.py [-- --data DIR]``.

The page: a status line saying what is drawn; three tabs — the graph with the running guided
tour's step and the selected entity's details beside it and the path finder's answer below it,
the analytics of the view, and the view's data with downloads; and the controls in the
sidebar. In presentation mode only the graph and the tour's narration beside it are drawn.
The address bar holds the view (``ui.links``), so a link reopens it.
"""

from __future__ import annotations

import sys

import streamlit as st

from graph.errors import DataError
from graph.page import asset
from ui import (
    actions,
    analytics,
    data_tab,
    details,
    editor,
    graph_view,
    links,
    paths,
    presentation,
    sidebar,
    state,
    toolbar,
    tours,
    upload,
)
from ui import ingest as ingest_queue
from ui.dataset import Dataset, data_dir_from_args, from_folder, problem_lines
from ui.scene import Scene, scene
from ui.text import clip, md

st.set_page_config(
    page_title="Knowledge graph explorer",
    page_icon="🕸️",
    layout="wide",
    initial_sidebar_state="expanded",
)

SCENE_KEY = "graph_scene"  # the view drawn by the last full run (see graph_screen)
state.init(dataset_dir=data_dir_from_args(sys.argv[1:]))
upload.init()
links.init()
tours.init()
presentation.init()
editor.init()


def open_dataset() -> Dataset | None:
    """The uploaded dataset if there is one, else the folder; problems shown in an error box."""
    uploaded = upload.uploaded()
    if uploaded is not None:
        return editor.edited(uploaded)
    folder = st.session_state["dataset_dir"]
    try:
        return editor.edited(from_folder(folder))
    except DataError as error:
        lines = "  \n".join(md(line) for line in problem_lines(error))
        st.error(
            f"**The dataset in {md(folder)} could not be loaded.** Upload one in the "
            f"sidebar, or fix these problems:  \n{lines}",
            icon=":material/error:",
        )
        return None


def header(dataset: Dataset | None) -> None:
    """What this is: the dataset's title and its one-line summary (``dataset.toml``)."""
    info = dataset.graph.graph if dataset is not None else {}
    title = info.get("title") or info.get("name") or "Knowledge graph explorer"
    st.set_page_config(page_title=clip(title, 60))
    st.html(f"<style>{asset('kg_page.css')}</style>")
    with st.container(key="page_header"):
        st.title(md(title), anchor=False)
        if info.get("summary"):
            st.caption(md(info["summary"]))


def status(dataset: Dataset, current: Scene) -> None:
    """One line saying what is drawn, and any warning about it."""
    st.caption(
        f"{dataset.entities:,} entities, {dataset.relations:,} relations · drawn: "
        f"{current.entities:,} entities, {current.relations:,} relations"
    )
    if current.capped:
        st.warning(current.cap_note(), icon=":material/filter_alt:")
    for note in current.notes:
        st.info(md(note), icon=":material/info:")


@st.fragment
def graph_screen(dataset: Dataset) -> None:
    """The drawing on the left; on the right, in a panel that scrolls on its own, the running
    tour's step, the path finder's answer and the selected entity's details.

    A fragment: a click in the drawing reruns only this part of the page. When the click
    changed what is drawn (a double-click focus, a path end), the whole page reruns instead.
    """
    view = state.current()
    current = scene(dataset.graph, dataset.key, view)
    if current.key != st.session_state.get(SCENE_KEY):
        st.rerun()
    links.sync(dataset)  # a click changes the selection: the address bar follows
    presenting = presentation.on()
    with st.container(key="graph_columns"):
        left, right = st.columns([13, 7] if presenting else [7, 3], gap="small")
    with right:  # filled first: after a click, the details are what the reader waits for
        if presenting:
            presentation.side_panel(dataset)
        else:
            with st.container(key="side_panel"):  # scrolls on its own (kg_page.css)
                tours.card(dataset)
                paths.panel(dataset.graph, current)  # at the top: seen without scrolling
                details.panel(dataset, current)
    with left:
        if current.entities == 0:
            st.info("Nothing matches these filters. Loosen them, or press “Reset view”.")
        else:
            label_size = presentation.LABEL_SIZE if presenting else None
            graph_view.graph_canvas(
                graph_view.payload(current, view, label_size=label_size),
                view.selected,
                on_select=actions.select,
                on_focus=actions.focus,
            )
            if not presenting:
                toolbar.row(dataset, current)
        if presenting:
            paths.panel(dataset.graph, current)


top = st.container()  # the header, or presentation mode's styles (known once a link is read)
upload.messages()
dataset = open_dataset()
if dataset is not None:
    links.restore(dataset)  # once per session: the view the link describes
    links.sync(dataset)
presenting = dataset is not None and presentation.on()
with top:
    if presenting:
        presentation.style()
    else:
        header(dataset)
if dataset is not None and presenting:
    st.session_state[SCENE_KEY] = scene(dataset.graph, dataset.key, state.current()).key
    links.warnings()
    graph_screen(dataset)
elif dataset is not None:
    current = scene(dataset.graph, dataset.key, state.current())
    st.session_state[SCENE_KEY] = current.key
    status(dataset, current)
    links.warnings()
    names = ["Graph", "Analytics", "Data and downloads", *(["Edit"] if editor.on() else [])]
    graph_tab, analytics_tab, data_tab_, *edit_tab = st.tabs(
        names, key="page_tab", on_change="rerun"
    )
    if graph_tab.open:
        with graph_tab:
            graph_screen(dataset)
    if analytics_tab.open:
        with analytics_tab:
            analytics.panel(current)
    if data_tab_.open:
        with data_tab_:
            data_tab.panel(current)
    if edit_tab and edit_tab[0].open:
        with edit_tab[0]:
            editor.panel(dataset)
            ingest_queue.panel(dataset)
# The controls come last in the script (they still appear on the left) so the drawing's
# element reaches the browser first and starts loading while the sidebar is being built.
with st.sidebar:
    if dataset is not None and not presenting:
        presentation.toggle()
        editor.toggle(dataset)
        tours.picker(dataset)
        sidebar.controls(dataset)
    if not presenting:
        upload.panel()
