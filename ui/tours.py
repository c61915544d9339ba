"""Guided tours in the app: the picker, the step card with Back / Next / Exit, and the state.

Tours come from ``tours.yaml`` beside the dataset's CSV files, read and checked against the
graph with :func:`graph.tours.load_tours` (an uploaded dataset has no tours). A bad tour file is
reported in an error box listing every problem, and the app carries on without tours.

Taking a step replaces the view with the step's view — focus, depth, direction, filters, path
and highlighted entities — keeping only the display settings (layout, colours, sizes). The
session keys ``tour_id`` and ``tour_step`` (0-based) say where the tour is; the deep link
carries them as ``tour`` and ``step`` (1-based).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import networkx as nx
import streamlit as st

from graph.dataset_info import tour_file
from graph.query import document
from graph.tours import Step, Tour, TourError, load_tours
from graph.view import View
from ui import handouts, state
from ui.dataset import Dataset
from ui.text import md, safe_url

ID_KEY = "tour_id"
STEP_KEY = "tour_step"
PREVIEW_KEY = "tour_preview"  # the tour builder's unsaved tour (ui.editor), while it plays


def init() -> None:
    """The session keys this part of the page owns."""
    state.init(**{ID_KEY: None, STEP_KEY: 0})


@dataclass(frozen=True)
class Tours:
    """The dataset's tours, or the problems that kept them from loading."""

    tours: tuple[Tour, ...] = ()
    source: str = ""
    problems: tuple[str, ...] = ()

    def get(self, tour_id: str | None) -> Tour | None:
        return next((t for t in self.tours if t.id == tour_id), None)


@st.cache_resource(max_entries=4, show_spinner=False)
def _load(_G: nx.MultiDiGraph, dataset: str, path: str, mtime: int) -> Tours:
    try:
        return Tours(tuple(load_tours(path, _G)), Path(path).name)
    except TourError as error:
        return Tours((), Path(path).name, tuple(str(error).splitlines()))


def available(dataset: Dataset) -> Tours:
    """The tours of ``dataset`` (none for an upload or a folder without a tour file), and the
    tour builder's unsaved tour while it is the one playing (its preview)."""
    found = _saved(dataset)
    preview = st.session_state.get(PREVIEW_KEY)
    if isinstance(preview, Tour) and st.session_state.get(ID_KEY) == preview.id:
        return replace(found, tours=(*found.tours, preview))
    return found


def _saved(dataset: Dataset) -> Tours:
    if dataset.origin.startswith("uploaded"):
        return Tours()
    path = tour_file(dataset.origin)
    if path is None:
        return Tours()
    return _load(dataset.graph, dataset.key, str(path), path.stat().st_mtime_ns)


def step_view(step: Step, display: View = View()) -> View:
    """The app's view for a tour step; layout, colours and sizes come from ``display``."""
    return step.view.with_display(display)


# --- where the tour is ------------------------------------------------------------------------


def position(tours: Tours) -> tuple[Tour, int] | None:
    """The running tour and its step index, or None (also when the tour is not in ``tours``)."""
    tour = tours.get(st.session_state.get(ID_KEY))
    if tour is None:
        return None
    return tour, min(max(st.session_state.get(STEP_KEY, 0), 0), len(tour.steps) - 1)


def go(tour: Tour, index: int) -> None:
    """Show step ``index`` of ``tour`` (clamped to the tour)."""
    index = min(max(index, 0), len(tour.steps) - 1)
    st.session_state[ID_KEY] = tour.id
    st.session_state[STEP_KEY] = index
    st.session_state[state.VIEW_KEY] = step_view(tour.steps[index], state.current())


def move(tours: Tours, by: int) -> None:
    """Next (``by=1``) or back (``by=-1``) in the running tour; nothing past either end."""
    where = position(tours)
    if where is not None:
        tour, index = where
        if 0 <= index + by < len(tour.steps):
            go(tour, index + by)


def stop() -> None:
    """Leave the tour; the view stays, without the tour's highlights."""
    st.session_state[ID_KEY] = None
    st.session_state[STEP_KEY] = 0
    state.update(highlight=())


def rerun_after(action, *args) -> None:
    """Do ``action(*args)``, then redraw the whole page — for buttons inside the graph's
    fragment, whose clicks would otherwise rerun only the fragment."""
    action(*args)
    st.rerun()


def base_view(tours: Tours) -> View:
    """What a link leaves out: the current step's view during a tour, else the default view."""
    where = position(tours)
    if where is None:
        return View()
    tour, index = where
    return step_view(tour.steps[index])


# --- on screen --------------------------------------------------------------------------------


def picker(dataset: Dataset, *, key: str = "tour_picker") -> None:
    """Every tour with its summary and a button to start it, in an expander (for the sidebar).

    A tour file with problems gives an error box listing them instead.
    """
    found = available(dataset)
    if found.problems:
        lines = "  \n".join(md(p) for p in found.problems)
        st.error(
            f"**The tours in {md(found.source)} were not loaded.**  \n{lines}",
            icon=":material/error:",
        )
        return
    if not found.tours:
        return
    running = position(found)
    with st.expander(
        f"Guided tours ({len(found.tours)})", icon=":material/tour:", expanded=running is not None
    ):
        for tour in found.tours:
            _start_button(tour, key, active=running is not None and running[0].id == tour.id)
            handouts.tour_button(dataset.graph, tour, key)


def _start_button(tour: Tour, key: str, *, active: bool) -> None:
    st.button(
        md(tour.title),
        key=f"{key}_{tour.id}",
        on_click=go,
        args=(tour, 0),
        width="stretch",
        type="primary" if active else "secondary",
    )
    st.caption(md(tour.summary))


def choose(dataset: Dataset, *, key: str = "tour_choose") -> None:
    """A compact picker: one select box of tour titles and a Start button."""
    found = available(dataset)
    if not found.tours:
        return
    titles = {t.id: t.title for t in found.tours}
    st.selectbox("Guided tour", list(titles), format_func=lambda t: titles[t], key=key)
    chosen = found.get(st.session_state.get(key))
    if chosen is not None:
        st.caption(md(chosen.summary))
        st.button(
            "Start the tour",
            key=f"{key}_start",
            on_click=rerun_after,
            args=(go, chosen, 0),
            type="primary",
            icon=":material/play_arrow:",
        )


def card(dataset: Dataset, *, key: str = "tour_card", large: bool = False) -> bool:
    """The running tour's step: title, narration, sources, "Step i of n", Back / Next / Exit.

    The buttons come first, so they stay on screen however long the narration. ``large``
    (presentation mode): no frame, the sources in small type. Returns whether a tour is
    running (nothing is drawn otherwise).
    """
    found = available(dataset)
    where = position(found)
    if where is None:
        return False
    tour, index = where
    step = tour.steps[index]
    with st.container(key=key, border=not large):
        st.caption(f"Guided tour: {md(tour.title)} · Step {index + 1} of {len(tour.steps)}")
        _buttons(found, index, len(tour.steps), key)
        st.subheader(md(step.title), anchor=False)
        st.markdown(md(step.narration))
        if step.documents:
            sources = "**Sources:** " + "; ".join(
                source_title(document(dataset.graph, d)) for d in step.documents
            )
            if large:
                st.caption(sources)
            else:
                st.markdown(sources)
    return True


def source_title(doc: dict) -> str:
    """A step's source, short: the document's title as escaped Markdown, linked when it has an
    http(s) address (the details panel gives the publisher and the rest).

    >>> source_title({"id": "d1", "title": "A *report*", "url": "https://example.org/r"})
    '[A \\\\*report\\\\*](<https://example.org/r>)'
    >>> source_title({"id": "d2", "title": "", "url": "javascript:alert(1)"})
    'd2'
    """
    title = md(doc.get("title") or doc.get("id", ""))
    url = safe_url(doc.get("url"))
    return f"[{title}](<{url}>)" if url else title


def _buttons(found: Tours, index: int, steps: int, key: str) -> None:
    with st.container(horizontal=True, key=f"{key}_buttons"):
        st.button(
            "Back",
            key=f"{key}_back",
            on_click=rerun_after,
            args=(move, found, -1),
            disabled=index == 0,
            icon=":material/arrow_back:",
        )
        st.button(
            "Next",
            key=f"{key}_next",
            on_click=rerun_after,
            args=(move, found, 1),
            disabled=index == steps - 1,
            type="primary",
            icon=":material/arrow_forward:",
        )
        st.button(
            "Exit tour",
            key=f"{key}_exit",
            on_click=rerun_after,
            args=(stop,),
            icon=":material/close:",
        )
