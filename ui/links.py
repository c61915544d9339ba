"""Deep links: the whole view in the address bar, so a link reopens exactly what was shown.

The URL is read once, when a session starts (:func:`restore`), into the :class:`~ui.state.View`,
the tour position and presentation mode; after that the view writes the URL on every run
(:func:`sync`). Only what differs from the *base* is written, so links stay short: the base is
the default view, or during a guided tour the current step's view (so ``?tour=…&step=3`` alone
shows step 3, and a field changed away from the step is written even when it is back at its
default, e.g. ``focus=`` for "no focus").

Parameters (lists are comma-separated; ``step`` and ``path`` count from 1):

========================  ===================================================================
``focus``                 entity id to centre on; ``depth`` 1–3, ``direction`` both/out/in
``types``                 entity types to keep
``relations``             relation kinds to keep
``documents``             document ids: keep what these documents mention
``since``, ``until``      date range ``YYYY[-MM[-DD]]``; ``undated=0`` drops undated items
``min_degree``            hide entities with fewer relations; ``hide_isolated=1``
``from``, ``to``          path finder ends; ``hops`` at most 1–6, ``path`` which path (1–3)
``selected``              entity whose details are shown
``highlight``             entities drawn with a thick border
``layout``                force / hierarchical / type; ``color`` type / community;
                          ``size`` degree / pagerank / betweenness
``tour``, ``step``        a guided tour and its step
``present``               ``1``: presentation mode
========================  ===================================================================

Anything unknown in a link (an entity, type, relation, document, tour, a number that is not
one) is named in a warning and left out; the rest of the link still applies.

>>> from graph.load import load_graph
>>> G = load_graph({"entities.csv": "id,name,type\\na,A,ngo\\nb,B,law\\n",
...                 "relations.csv": "source,target,relation\\na,b,advocated_for\\n"})
>>> encode(View(focus="a", depth=2, types=("ngo", "law")))
{'focus': 'a', 'depth': '2', 'types': 'ngo,law'}
>>> view, problems = decode({"focus": "zz", "depth": "abc", "types": "ngo"}, G)
>>> view.focus, view.depth, view.types
(None, 1, ('ngo',))
>>> for problem in problems:
...     print(problem)
The link's focus names an entity that is not in this dataset: 'zz'.
The link's depth must be a whole number from 1 to 3, not 'abc'; using 1.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Callable, Mapping
from urllib.parse import urlencode, urlsplit

import networkx as nx
import streamlit as st

from graph.load import is_valid_date
from ui import presentation, state, tours
from ui.dataset import Dataset
from ui.scene import PATHS_SHOWN
from ui.state import COLOR_BY, DIRECTIONS, LAYOUTS, MAX_DEPTH, MAX_HOPS, SIZE_BY, View
from ui.text import md

RESTORED_KEY = "links_restored"
WARNINGS_KEY = "links_warnings"
SHOWN_KEY = "links_shown"  # what the last run wrote to the address bar
MAX_MIN_DEGREE = 1000
TRUE, FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


@dataclass(frozen=True)
class Param:
    """One URL parameter: its name, the view field it holds, and how to read and write it."""

    name: str
    field: str
    kind: str  # entity, entities, types, relations, documents, int, choice, date, flag
    low: int = 0  # the range of a number, as written in the link
    high: int = 0
    choices: tuple[str, ...] = ()
    offset: int = 0  # written = stored + offset (``path`` counts from 1)


PARAMS = (
    Param("focus", "focus", "entity"),
    Param("depth", "depth", "int", 1, MAX_DEPTH),
    Param("direction", "direction", "choice", choices=tuple(DIRECTIONS)),
    Param("types", "types", "types"),
    Param("relations", "relations", "relations"),
    Param("documents", "documents", "documents"),
    Param("since", "date_from", "date"),
    Param("until", "date_to", "date"),
    Param("undated", "keep_undated", "flag"),
    Param("min_degree", "min_degree", "int", 0, MAX_MIN_DEGREE),
    Param("hide_isolated", "hide_isolated", "flag"),
    Param("from", "path_from", "entity"),
    Param("to", "path_to", "entity"),
    Param("hops", "max_hops", "int", 1, MAX_HOPS),
    Param("path", "path_choice", "int", 1, PATHS_SHOWN, offset=1),
    Param("selected", "selected", "entity"),
    Param("highlight", "highlight", "entities"),
    Param("layout", "layout", "choice", choices=tuple(LAYOUTS)),
    Param("color", "color_by", "choice", choices=tuple(COLOR_BY)),
    Param("size", "size_by", "choice", choices=tuple(SIZE_BY)),
)
LIST_KINDS = ("entities", "types", "relations", "documents")
KIND_NOUNS = {"entity": "entity", "entities": "entity", "types": "entity type",
              "relations": "relation", "documents": "document"}


# --- the view <-> parameters, without Streamlit -------------------------------------------

def _write(param: Param, value: Any) -> str:
    if param.kind in LIST_KINDS:
        return ",".join(value)
    if param.kind == "flag":
        return "1" if value else "0"
    if param.kind == "int":
        return str(value + param.offset)
    return "" if value is None else str(value)


def encode(view: View, base: View = View()) -> dict[str, str]:
    """The URL parameters for ``view``: every field that differs from ``base``."""
    return {p.name: _write(p, getattr(view, p.field)) for p in PARAMS
            if getattr(view, p.field) != getattr(base, p.field)}


def _known(G: nx.MultiDiGraph, kind: str) -> Callable[[str], bool]:
    if kind in ("entity", "entities"):
        return lambda x: x in G
    if kind == "types":
        present = {d.get("type") for _, d in G.nodes(data=True)}
        return present.__contains__
    if kind == "relations":
        present = {d.get("relation") for _, _, d in G.edges(data=True)}
        return present.__contains__
    return (G.graph.get("documents") or {}).__contains__


def _read(param: Param, text: str, G: nx.MultiDiGraph, fallback: Any,
          problems: list[str]) -> Any:
    """The value of one parameter, or ``fallback`` with a problem noted."""
    text = text.strip()
    where = f"The link's {param.name}"
    if param.kind in ("entity", *LIST_KINDS):
        items = list(dict.fromkeys(x.strip() for x in text.split(",") if x.strip()))
        known = _known(G, param.kind)
        unknown = [x for x in items if not known(x)]
        if unknown:
            noun = KIND_NOUNS[param.kind]
            listed = ", ".join(repr(x) for x in unknown)
            if len(unknown) == 1:
                article = "an" if noun[0] in "aeiou" else "a"
                problems.append(f"{where} names {article} {noun} that is not in this dataset: "
                                f"{listed}.")
            else:
                problems.append(f"{where} names {noun}s that are not in this dataset: {listed}.")
        kept = [x for x in items if known(x)]
        if param.kind == "entity":
            if len(items) > 1:
                problems.append(f"{where} takes one entity; using the first known one.")
            return kept[0] if kept else (None if not unknown else fallback)
        return tuple(kept)
    if param.kind == "int":  # low and high are as shown in the link
        shown, default = f"{param.low} to {param.high}", fallback + param.offset
        try:
            number = int(text)
        except ValueError:
            problems.append(f"{where} must be a whole number from {shown}, not {text!r}; "
                            f"using {default}.")
            return fallback
        if not param.low <= number <= param.high:
            problems.append(f"{where} must be from {shown}, not {text!r}; using {default}.")
            return fallback
        return number - param.offset
    if param.kind == "choice":
        if text in param.choices:
            return text
        problems.append(f"{where} must be one of {', '.join(param.choices)}, not {text!r}; "
                        f"using {fallback}.")
        return fallback
    if param.kind == "date":
        if not text:
            return None
        if is_valid_date(text):
            return text
        problems.append(f"{where} must be a date YYYY, YYYY-MM or YYYY-MM-DD, not {text!r}; "
                        "left out.")
        return fallback
    if text.lower() in TRUE + FALSE:  # flag
        return text.lower() in TRUE
    problems.append(f"{where} must be 1 or 0, not {text!r}; left out.")
    return fallback


def decode(params: Mapping[str, Any], G: nx.MultiDiGraph,
           base: View = View()) -> tuple[View, list[str]]:
    """The view a link describes, on top of ``base``, and a sentence for each problem.

    ``params`` maps names to text (a list of texts for a repeated name, joined with commas).
    """
    problems: list[str] = []
    changes: dict[str, Any] = {}
    for param in PARAMS:
        if param.name not in params:
            continue
        raw = params[param.name]
        text = ",".join(raw) if isinstance(raw, (list, tuple)) else str(raw)
        changes[param.field] = _read(param, text, G, getattr(base, param.field), problems)
    return replace(base, **changes), problems


def _as_int(text: Any) -> int | None:
    try:
        return int(str(text).strip())
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
            problems.append(f"The link's tour {tour_id!r} is not one of this dataset's tours "
                            f"({known}).")
        else:
            steps = len(tour.steps)
            step_text = ",".join(params.get("step", ["1"])).strip() or "1"
            number = _as_int(step_text)
            if number is None or not 1 <= number <= steps:
                problems.append(f"The link's step must be a whole number from 1 to {steps}, "
                                f"not {step_text!r}; using step 1.")
                number = 1
            st.session_state[tours.ID_KEY] = tour.id
            st.session_state[tours.STEP_KEY] = number - 1
    view, view_problems = decode(params, dataset.graph, tours.base_view(found))
    st.session_state[state.VIEW_KEY] = view
    problems += view_problems
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
    params = encode(state.current(), tours.base_view(found))
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
        st.warning("**Part of this link could not be used;** the rest of the view is shown.  \n"
                   + "  \n".join(md(p) for p in problems), icon=":material/link_off:")


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
