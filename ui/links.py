"""Deep links: the whole view in the address bar, so a link reopens exactly what was shown.

The URL is read once, when a session starts (:func:`restore`), into the view, the tour position
and presentation mode; after that the view writes the URL on every run (:func:`sync`). The
codec itself — which parameters, how each is read and written, what a bad value gives — is the
library's (:mod:`graph.view`: ``to_query``, ``from_query``), shared with the tours and with
``python -m graph export --view``. Only what differs from the *base* is written, so links stay
short: the base is the default view, or during a guided tour the current step's view (so
``?tour=…&step=3`` alone shows step 3, and a field changed away from the step is written even
when it is back at its default, e.g. ``focus=`` for "no focus"). Besides the view's parameters
a link may hold ``tour`` and ``step`` (from 1) and ``present=1``.

Anything unknown in a link (an entity, type, relation, document, tour, a number that is not
one) is named in a warning and left out; the rest of the link still applies.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode, urlsplit

import streamlit as st

from graph.view import FALSE, TRUE, from_query, to_query, unknown_params
from ui import presentation, state, tours
from ui.dataset import Dataset
from ui.text import md

RESTORED_KEY = "links_restored"
WARNINGS_KEY = "links_warnings"
SHOWN_KEY = "links_shown"  # what the last run wrote to the address bar


def _as_int(text: Any) -> int | None:
    try:
        return int(str(text).strip()) if len(str(text).strip()) <= 12 else None
    except ValueError:
        return None


# --- in the app ---------------------------------------------------------------------------


def init() -> None:
    """The session keys this part of the page owns."""
    state.init(**{RESTORED_KEY: False, WARNINGS_KEY: [None, []], SHOWN_KEY: None})


def _current_params() -> dict[str, list[str]]:
    return {key: st.query_params.get_all(key) for key in st.query_params}


def restore(dataset: Dataset) -> None:
    """Once per session: the view, tour and presentation mode from the address bar."""
    if st.session_state[RESTORED_KEY]:
        return
    st.session_state[RESTORED_KEY] = True
    params = _current_params()
    if not params:
        return
    problems: list[str] = []
    found = tours.available(dataset)
    tour_id = ",".join(params.get("tour", [])).strip()
    if tour_id:
        tour = found.get(tour_id)
        if tour is None:
            known = ", ".join(t.id for t in found.tours) or "this dataset has none"
            problems.append(
                f"The link's tour {tour_id!r} is not one of this dataset's tours ({known})."
            )
        else:
            steps = len(tour.steps)
            step_text = ",".join(params.get("step", ["1"])).strip() or "1"
            number = _as_int(step_text)
            if number is None or not 1 <= number <= steps:
                problems.append(
                    f"The link's step must be a whole number from 1 to {steps}, "
                    f"not {step_text!r}; using step 1."
                )
                number = 1
            st.session_state[tours.ID_KEY] = tour.id
            st.session_state[tours.STEP_KEY] = number - 1
    view, view_problems = from_query(params, dataset.graph, tours.base_view(found))
    st.session_state[state.VIEW_KEY] = view
    problems += view_problems + unknown_params(params)
    if "present" in params:
        flag = ",".join(params["present"]).strip().lower()
        if flag in TRUE + FALSE:
            presentation.set_on(flag in TRUE)
        else:
            problems.append(f"The link's present must be 1 or 0, not {flag!r}; left out.")
    st.session_state[WARNINGS_KEY] = [view, problems]


def link_params(dataset: Dataset) -> dict[str, str]:
    """The parameters describing what is on screen now."""
    found = tours.available(dataset)
    params = to_query(state.current(), tours.base_view(found))
    where = tours.position(found)
    if where is not None:
        tour, index = where
        params = {"tour": tour.id, "step": str(index + 1), **params}
    if presentation.on():
        params["present"] = "1"
    return params


def sync(dataset: Dataset) -> None:
    """Write the view to the address bar (only when it changed, so reruns stay quiet)."""
    params = link_params(dataset)
    if params != st.session_state[SHOWN_KEY] or params != st.query_params.to_dict():
        st.query_params.from_dict(params)
        st.session_state[SHOWN_KEY] = params


def warnings() -> None:
    """Whatever in the opening link could not be used, named (shown until the view changes)."""
    opened, problems = st.session_state[WARNINGS_KEY]
    if problems and opened == state.current():
        st.warning(
            "**Part of this link could not be used;** the rest of the view is shown.  \n"
            + "  \n".join(md(p) for p in problems),
            icon=":material/link_off:",
        )


def url(dataset: Dataset) -> str:
    """The full link to what is on screen (relative when the app's address is unknown)."""
    base = ""
    try:
        base = st.context.url or ""
    except Exception:  # noqa: BLE001 - no browser context (e.g. under AppTest)
        base = ""
    if base and not urlsplit(base).path:
        base += "/"  # http://host:8501/?focus=… rather than http://host:8501?focus=…
    query = urlencode(link_params(dataset), safe=",")
    return f"{base}?{query}" if query else (base or "?")


def share(dataset: Dataset) -> None:
    """A "Copy link" control: the link in a code box with its copy button."""
    with st.popover("Copy link", icon=":material/link:", key="links_share"):
        st.caption("This link reopens exactly this view (the code box has a copy button).")
        st.code(url(dataset), language=None, wrap_lines=True)
