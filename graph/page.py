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

from graph.layout import compute_layout
from graph.vis import vis_data

__all__ = ["asset", "vis_network_js", "kg_view_js", "kg_view_css", "standalone_html"]

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
) -> str:
    """One self-contained HTML page that draws the graph from disk with no network at all.

    The page inlines vis-network (from ``pyvis``), ``graph/assets/`` scripts and styles, and the
    :func:`vis_data` output as a JSON block, with ``details=True``: the page has no server to
    ask. It has the title, a legend, a search box (names and aliases), a details panel for a
    clicked node (description, aliases, documents, every relation as a sentence with its
    evidence) and a "Save as PNG" button. A Content Security Policy forbids every fetch, and all
    data is inserted as text, never as markup.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The graph in the :mod:`graph.load` shape.
    title : str
        Page title and heading (escaped).
    positions : mapping, optional
        ``node -> (x, y)``; computed with ``layout`` when omitted.
    layout : {"force", "hierarchical", "type"}
        Layout used when ``positions`` is omitted.
    color_by, communities, size_by, highlight_nodes, highlight_edges, faded_nodes
        As in :func:`vis_data`.

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
    values = {
        "TITLE": html.escape(title),
        "SUBTITLE": html.escape(
            f"{dataset + ' · ' if dataset and dataset != title else ''}"
            f"{len(data['nodes'])} entities, {len(data['edges'])} relations"
        ),
        "NODE_COUNT": str(len(data["nodes"])),
        "EDGE_COUNT": str(len(data["edges"])),
        "NODE_IDS": html.escape(" ".join(str(node["id"]) for node in data["nodes"])),
        "STYLE": asset("kg_view.css") + "\n" + asset("kg_export.css"),
        "DATA": _script_json({"title": title, "dataset": dataset, **data}),
        "VIS_JS": _inline_script(vis_network_js()),
        "VIEW_JS": _inline_script(kg_view_js()),
        "EXPORT_JS": _inline_script(asset("kg_export.js")),
    }
    template = asset("standalone.html")
    # One pass, so text inserted for one placeholder is never scanned for another.
    return re.sub(r"\{\{KG_([A-Z_]+)\}\}", lambda m: values[m.group(1)], template)
