"""Opening your own data: an uploader (the CSV files, or one zip of them), validation with the
CLI's messages, and the error box.

On any problem the graph on screen stays and the problems are listed; a clean upload replaces
the graph for this session only (nothing is written to disk).
"""

from __future__ import annotations

import streamlit as st

from graph.errors import DataError
from ui import state
from ui.dataset import Dataset, from_upload, problem_lines
from ui.text import md

FILES_KEY = "upload_files"
PROBLEMS_KEY = "upload_problems"
DATASET_KEY = "upload_dataset"
NOTICE_KEY = "upload_notice"


def init() -> None:
    """The session keys this part of the page owns."""
    state.init(None, **{PROBLEMS_KEY: [], DATASET_KEY: None, NOTICE_KEY: ""})


def uploaded() -> Dataset | None:
    """The dataset uploaded in this session, if any."""
    return st.session_state[DATASET_KEY]


def _received() -> None:
    files = st.session_state.get(FILES_KEY) or []
    if not files:
        return
    try:
        dataset = from_upload({f.name: f.getvalue() for f in files})
    except DataError as error:
        st.session_state[PROBLEMS_KEY] = problem_lines(error)
        st.session_state[NOTICE_KEY] = ""
        return
    st.session_state[PROBLEMS_KEY] = []
    st.session_state[DATASET_KEY] = dataset
    st.session_state[NOTICE_KEY] = (
        f"Loaded the uploaded dataset: "
        f"{dataset.entities:,} entities, "
        f"{dataset.relations:,} relations."
    )
    state.reset()


def _back_to_folder() -> None:
    st.session_state[DATASET_KEY] = None
    st.session_state[PROBLEMS_KEY] = []
    st.session_state[NOTICE_KEY] = ""
    state.reset()


def panel() -> None:
    """The uploader (for the sidebar)."""
    with st.expander("Open your own data", expanded=False):
        st.caption(
            "Choose entities.csv and relations.csv together (documents.csv and "
            "types.csv are optional), or one .zip of them. They are checked like "
            "`python -m graph validate`; if anything is wrong, the graph on screen "
            "stays."
        )
        st.file_uploader(
            "Dataset CSV files, or a .zip",
            type=["csv", "zip"],
            accept_multiple_files=True,
            key=FILES_KEY,
            on_change=_received,
        )
        if uploaded() is not None:
            st.button(
                "Back to the original dataset",
                key="upload_back",
                on_click=_back_to_folder,
                width="stretch",
            )


def messages() -> None:
    """The error box listing an upload's problems, or the notice that it loaded (main area)."""
    problems = st.session_state[PROBLEMS_KEY]
    if problems:
        count = len(problems)
        lines = "  \n".join(md(line) for line in problems)
        st.error(
            f"**The upload was not loaded: {count} problem{'s' if count != 1 else ''} "
            f"in the data.** The graph on screen is unchanged.  \n{lines}",
            icon=":material/error:",
        )
    elif st.session_state[NOTICE_KEY]:
        st.success(st.session_state[NOTICE_KEY], icon=":material/check_circle:")
        st.session_state[NOTICE_KEY] = ""  # shown once
