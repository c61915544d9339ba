"""Opening your own data: an uploader (the CSV files, or one zip of them), validation with the
CLI's messages, and the error box.

An upload is one set: the files chosen together. Choosing files again replaces the set (the
uploader is emptied when it held earlier files, so no stale ``types.csv`` rides along), and
removing every file clears the error box. On any problem the graph on screen stays and the
problems are listed; a clean upload replaces the graph for this session only (nothing is
written to disk). Big uploads are checked under a spinner saying what is being read.
"""

from __future__ import annotations

import streamlit as st

from graph.errors import DataError
from ui import state
from ui.dataset import (
    UPLOAD_MAX_BYTES,
    Dataset,
    from_upload,
    hold,
    let_go,
    problem_lines,
    size_text,
    upload_size,
)
from ui.text import md

FILES_KEY = "upload_files"
PROBLEMS_KEY = "upload_problems"
DATASET_KEY = "upload_dataset"
NOTICE_KEY = "upload_notice"
ROUND_KEY = "upload_round"  # bumped to give the uploader a new key, which empties it
TAKEN_KEY = "upload_taken"  # file ids of the set last taken from the uploader
PENDING_KEY = "upload_pending"  # the set waiting to be checked on this run: name -> bytes


def init() -> None:
    """The session keys this part of the page owns."""
    state.init(
        None,
        **{
            PROBLEMS_KEY: [],
            DATASET_KEY: None,
            NOTICE_KEY: "",
            ROUND_KEY: 0,
            TAKEN_KEY: (),
            PENDING_KEY: None,
        },
    )


def uploaded() -> Dataset | None:
    """The dataset uploaded in this session, if any."""
    return st.session_state[DATASET_KEY]


def widget_key() -> str:
    """The uploader's key now (``upload_files``, then ``upload_files_1``, ... once emptied)."""
    round_ = st.session_state[ROUND_KEY]
    return FILES_KEY if round_ == 0 else f"{FILES_KEY}_{round_}"


def _received() -> None:
    """The uploader changed: take the set it now holds (a new pick alone), check it this run."""
    files = list(st.session_state.get(widget_key()) or [])
    if not files:  # every file removed
        st.session_state[PROBLEMS_KEY] = []
        st.session_state[NOTICE_KEY] = ""
        st.session_state[TAKEN_KEY] = ()
        return
    taken = set(st.session_state[TAKEN_KEY])
    new = [f for f in files if f.file_id not in taken]
    if new and len(new) < len(files):  # files chosen on top of an earlier set: they replace it
        files = new
        st.session_state[ROUND_KEY] += 1  # the uploader shows the earlier chips no more
    st.session_state[TAKEN_KEY] = tuple(f.file_id for f in files)
    st.session_state[PENDING_KEY] = {f.name: f.getvalue() for f in files}


def _check_pending() -> None:
    files = st.session_state[PENDING_KEY]
    st.session_state[PENDING_KEY] = None
    size = upload_size(files)
    names = ", ".join(sorted(files))
    with st.spinner(f"Checking the upload ({names}: {size_text(size)})…", show_time=True):
        try:
            dataset = from_upload(files)
        except DataError as error:
            st.session_state[PROBLEMS_KEY] = problem_lines(error)
            st.session_state[NOTICE_KEY] = ""
            return
    hold(dataset, size)  # released with the session, or by the next upload
    st.session_state[PROBLEMS_KEY] = []
    st.session_state[DATASET_KEY] = dataset
    st.session_state[NOTICE_KEY] = (
        f"Loaded the uploaded dataset ({names}): "
        f"{dataset.entities:,} entities, "
        f"{dataset.relations:,} relations."
    )
    state.reset()


def _back_to_folder() -> None:
    st.session_state[DATASET_KEY] = None
    st.session_state[PROBLEMS_KEY] = []
    st.session_state[NOTICE_KEY] = ""
    st.session_state[TAKEN_KEY] = ()
    st.session_state[ROUND_KEY] += 1
    let_go()
    state.reset()


def panel() -> None:
    """The uploader (for the sidebar)."""
    with st.expander("Open your own data", expanded=False):
        st.caption(
            "Choose entities.csv and relations.csv together (documents.csv and "
            "types.csv are optional), or one .zip of them, up to "
            f"{size_text(UPLOAD_MAX_BYTES)}. Files chosen together are one dataset: "
            "choosing again replaces them. They are checked like "
            "`python -m graph validate`; if anything is wrong, the graph on screen "
            "stays."
        )
        st.file_uploader(
            "Dataset CSV files, or a .zip",
            type=["csv", "zip"],
            accept_multiple_files=True,
            key=widget_key(),
            on_change=_received,
        )
        if uploaded() is not None:
            st.caption(f"On screen: {md(uploaded().origin)}")  # type: ignore[union-attr]
            st.button(
                "Back to the original dataset",
                key="upload_back",
                on_click=_back_to_folder,
                width="stretch",
            )


def messages() -> None:
    """Check a set just chosen (under a spinner), then the error box listing its problems, or
    the notice that it loaded (main area)."""
    if st.session_state[PENDING_KEY] is not None:
        _check_pending()
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
