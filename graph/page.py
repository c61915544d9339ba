"""The browser side: vis-network and the ``graph/assets/`` scripts and styles, and the
standalone offline HTML page.

The vis-network library itself is read at run time from the installed ``pyvis`` package (it is
never copied into this repository and never fetched from a CDN). ``pyvis`` is imported nowhere
else in :mod:`graph`. :func:`standalone_html` inlines everything into one page that opens from
disk with no network.

Examples
--------
>>> "KGView" in kg_view_js() and ".vis-tooltip" in kg_view_css()
True
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Hashable, Iterable, Mapping
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx

from graph import dataset_info, search
from graph.layout import compute_layout
from graph.query import document
from graph.vis import vis_data

__all__ = [
    "asset",
    "vis_network_js",
    "kg_view_js",
    "kg_view_css",
    "page_charts",
    "standalone_html",
]

ASSETS = Path(__file__).parent / "assets"


@lru_cache(maxsize=1)
def vis_network_js() -> str:
    """The vis-network 9.1.2 library, read from the installed ``pyvis`` package.

    Returns
    -------
    str
        The minified standalone build that defines the global ``vis``.

    Examples
    --------
    >>> js = vis_network_js()
    >>> "vis-network" in js[:200] and "@version 9.1.2" in js[:400]
    True
    """
    path = resources.files("pyvis").joinpath("lib", "vis-9.1.2", "vis-network.min.js")
    return path.read_text(encoding="utf-8")


def asset(name: str) -> str:
    """The text of one file in ``graph/assets/`` (a script, a stylesheet or the page template).

    The library owns the browser code; front ends read it from here rather than holding it as
    Python strings: the app's component uses ``kg_app.js``, ``kg_app_selection.js`` and
    ``kg_app.css`` beside :func:`kg_view_js`.

    Raises
    ------
    ValueError
        For a name that is not a file directly in ``graph/assets/``.

    Examples
    --------
    >>> "export default function" in asset("kg_app.js")
    True
    >>> asset("../page.py")
    Traceback (most recent call last):
    ...
    ValueError: no asset '../page.py' in graph/assets/
    """
    path = ASSETS / name
    if "/" in name or "\\" in name or name.startswith(".") or not path.is_file():
        raise ValueError(f"no asset {name!r} in graph/assets/")
    return path.read_text(encoding="utf-8")


def kg_view_js() -> str:
    """The shared drawing script (``graph/assets/kg_view.js``) defining ``window.KGView``.

    ``KGView.mount(container, data, {onSelect, onDoubleClick})`` draws :func:`vis_data` output
    into ``container`` (which needs ``vis`` loaded first) and returns a handle with ``network``,
    ``select``, ``focus``, ``setData``, ``domPosition`` and ``destroy``.

    Examples
    --------
    >>> "KGView" in kg_view_js()
    True
    """
    return asset("kg_view.js")


def kg_view_css() -> str:
    """Styles the shared drawing needs (tooltips): ``graph/assets/kg_view.css``.

    Examples
    --------
    >>> ".vis-tooltip" in kg_view_css()
    True
    """
    return asset("kg_view.css")


SEARCH_RULES = {
    "exact": search.SCORE_EXACT,
    "initials": search.SCORE_INITIALS,
    "prefix": search.SCORE_PREFIX,
    "word": search.SCORE_WORD,
    "substring": search.SCORE_SUBSTRING,
    "description": search.SCORE_DESCRIPTION,
    "fuzzy_cutoff": search.FUZZY_CUTOFF,
    "stop_words": sorted(search.STOP_WORDS),
}
"""The ranking of :func:`graph.search.search`, handed to the page's search box
(``kg_export.js``), so the page ranks as the app does from the same numbers."""


STEP_SHARED_NODE = frozenset(
    {"label", "name", "type", "shape", "font", "title", "selected", "details"}
)
STEP_SHARED_EDGE = frozenset({"from", "to", "arrows", "relation", "title"})


def _own(item: dict[str, Any], shared: frozenset) -> dict[str, Any]:
    return {k: v for k, v in item.items() if k not in shared}


def page_tours(G: nx.MultiDiGraph) -> list[dict[str, Any]]:
    """The dataset's guided tours, each step drawn as the app draws it, for the HTML page.

    Only for a page of the whole dataset (:func:`graph.dataset_info.is_whole`) whose folder has
    a tour file that loads (:func:`graph.tours.load_tours`); otherwise ``[]``. Each step has its
    ``title``, ``narration``, ``sources`` (the documents' titles) and ``nodes``, ``edges``,
    ``legend``: :func:`vis_data` of :func:`graph.view.scene` with
    :func:`graph.view.drawing`'s positions and highlights. What a step's node or edge shares
    with the page's own (labels, tooltips, details: :data:`STEP_SHARED_NODE`,
    :data:`STEP_SHARED_EDGE`) is left out; the page fills it in by id.

    >>> from graph.load import load_graph
    >>> G = load_graph("data")
    >>> tours = page_tours(G)
    >>> len(tours) >= 5, sorted(tours[0]["steps"][0])
    (True, ['edges', 'legend', 'narration', 'nodes', 'sources', 'title'])
    >>> page_tours(G.subgraph(["ncmec", "cybertipline"]).copy())
    []
    """
    from graph.tours import TourError, load_tours  # graph.tours reads the view, and so on
    from graph.view import drawing, scene

    path = G.graph.get("tour_file")
    if not path or not dataset_info.is_whole(G):
        return []
    try:
        found = load_tours(path, G)
    except TourError:
        return []
    out = []
    for tour in found:
        steps = []
        for step in tour.steps:
            drawn = scene(G, step.view)
            look = drawing(drawn, step.view)
            data = vis_data(drawn.graph, **look.options())
            steps.append(
                {
                    "title": step.title,
                    "narration": step.narration,
                    "sources": [document(G, d)["title"] for d in step.documents],
                    "nodes": [_own(n, STEP_SHARED_NODE) for n in data["nodes"]],
                    "edges": [_own(e, STEP_SHARED_EDGE) for e in data["edges"]],
                    "legend": data["legend"],
                }
            )
        out.append({"id": tour.id, "title": tour.title, "summary": tour.summary, "steps": steps})
    return out


TIMELINE_FIELDS = ("id", "kind", "type_label", "label", "date", "start", "color", "entity")
"""What the page's timeline needs of each :class:`graph.timeline.Item`."""


def page_charts(G: nx.MultiDiGraph) -> dict[str, Any]:
    """The timeline (:func:`graph.timeline.timeline`, items cut to :data:`TIMELINE_FIELDS`) and
    the matrix (:func:`graph.analytics.abuse_matrix`) as plain values for the page's JSON.

    >>> from graph.load import load_graph
    >>> charts = page_charts(load_graph("data"))
    >>> sorted(charts), sorted(charts["timeline"]["items"][0]) == sorted(TIMELINE_FIELDS)
    (['matrix', 'timeline'], True)
    >>> charts["timeline"]["sentence"].endswith("carry a date")
    True
    """
    from graph.analytics import abuse_matrix
    from graph.timeline import timeline

    told = timeline(G).as_dict()
    told["items"] = [{k: item[k] for k in TIMELINE_FIELDS} for item in told["items"]]
    matrix = abuse_matrix(G).as_dict()
    for cell in matrix["cells"]:
        for relation in cell["relations"]:
            relation.pop("id", None)
            relation["quotes"] = [
                {k: q[k] for k in ("title", "quote", "locator")} for q in relation["quotes"]
            ]
    return {"timeline": told, "matrix": matrix}


def _script_json(data: Any) -> str:
    """JSON safe inside ``<script type="application/json">``: no ``<``, ``>``, ``&`` or U+2028/9."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _inline_script(code: str) -> str:
    """Script text that cannot close its own ``<script>`` element early.

    ``</script`` and ``<!--`` can only occur inside string, template or regex literals in these
    scripts, where ``\\x3C`` means the same ``<``.
    """
    return re.sub(r"<(?=/script|!--)", r"\\x3C", code, flags=re.IGNORECASE)


def standalone_html(
    G: nx.MultiDiGraph,
    *,
    title: str,
    positions: Mapping[Any, tuple[float, float]] | None = None,
    layout: str = "force",
    color_by: str = "type",
    communities: Mapping[Hashable, int] | None = None,
    size_by: Mapping[Hashable, float] | None = None,
    highlight_nodes: Iterable[Hashable] = (),
    highlight_edges: Iterable[Any] = (),
    faded_nodes: Iterable[Hashable] = (),
    tours: bool = True,
    charts: bool = True,
) -> str:
    """One self-contained HTML page that draws the graph from disk with no network at all.

    The page inlines vis-network (from ``pyvis``), ``graph/assets/`` scripts and styles, and the
    :func:`vis_data` output as a JSON block, with ``details=True``: the page has no server to
    ask. It has the dataset's title and summary (``dataset.toml``), a legend, a search box
    ranked as :func:`graph.search.search` ranks (names, aliases, acronyms, prefixes, words,
    near misses), a details panel for a clicked node (description, aliases, documents, every
    relation as a sentence with its evidence), the dataset's guided tours with Back / Next
    (see :func:`page_tours`), a timeline and the technologies × stages matrix whose cells list
    their quotes (:func:`page_charts`) and a "Save as PNG" button. A Content Security Policy forbids
    every fetch, and all data is inserted as text, never as markup.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The graph in the :mod:`graph.load` shape.
    title : str
        Page title and heading (escaped); the dataset's own title (``G.graph["title"]``) when
        ``title`` is just the dataset's folder name, as the exporters pass by default.
    positions : mapping, optional
        ``node -> (x, y)``; computed with ``layout`` when omitted.
    layout : {"force", "hierarchical", "type"}
        Layout used when ``positions`` is omitted.
    color_by, communities, size_by, highlight_nodes, highlight_edges, faded_nodes
        As in :func:`vis_data`.
    tours : bool
        Include the dataset's tours (:func:`page_tours`) when there are any.
    charts : bool
        Include the timeline and the technologies × stages matrix (:func:`page_charts`), drawn
        by ``graph/assets/timeline.js`` under the drawing.

    Returns
    -------
    str
        The HTML text. The graph container is ``<div data-testid="kg-graph">`` with
        ``data-node-count``, ``data-edge-count`` and ``data-node-ids`` (the drawn ids,
        space-separated).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("a", name="</script><b>x</b>", type="tool")
    >>> page = standalone_html(G, title="Demo")
    >>> 'data-testid="kg-graph"' in page and 'data-node-count="1"' in page
    True
    >>> 'data-node-ids="a"' in page
    True
    >>> "</script><b>" in page
    False
    """
    if positions is None:
        positions = compute_layout(G, layout)
    data = vis_data(
        G,
        positions=positions,
        color_by=color_by,
        communities=communities,
        size_by=size_by,
        highlight_nodes=highlight_nodes,
        highlight_edges=highlight_edges,
        faded_nodes=faded_nodes,
        details=True,
    )
    dataset = str(G.graph.get("name", "") or "")
    named = str(G.graph.get("title") or "")
    if named and title == dataset:
        title = named
    summary = str(G.graph.get("summary") or "")
    counts = f"{len(data['nodes'])} entities, {len(data['edges'])} relations"
    shown = {
        "title": title,
        "dataset": dataset,
        "summary": summary,
        "search": SEARCH_RULES,
        "tours": page_tours(G) if tours else [],
        **(page_charts(G) if charts else {"timeline": None, "matrix": None}),
        **data,
    }
    values = {
        "TITLE": html.escape(title),
        "SUMMARY": html.escape(summary),
        "SUBTITLE": html.escape(
            f"{dataset + ' · ' if dataset and not named and dataset != title else ''}{counts}"
        ),
        "NODE_COUNT": str(len(data["nodes"])),
        "EDGE_COUNT": str(len(data["edges"])),
        "NODE_IDS": html.escape(" ".join(str(node["id"]) for node in data["nodes"])),
        "STYLE": asset("kg_view.css") + "\n" + asset("kg_export.css"),
        "DATA": _script_json(shown),
        "VIS_JS": _inline_script(vis_network_js()),
        "VIEW_JS": _inline_script(kg_view_js()),
        # The charts' script rides in the page script's element (one script element fewer).
        "EXPORT_JS": _inline_script(asset("kg_export.js") + "\n" + asset("timeline.js")),
    }
    template = asset("standalone.html")
    # One pass, so text inserted for one placeholder is never scanned for another.
    return re.sub(r"\{\{KG_([A-Z_]+)\}\}", lambda m: values[m.group(1)], template)
