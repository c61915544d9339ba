"""What vis-network draws: node and edge styling, tooltips and the legend, as JSON-ready data.

:func:`vis_data` turns a graph (and positions from :mod:`graph.layout`) into nodes, edges and
legend entries for ``graph/assets/kg_view.js``: colours and shapes from the schema (or community
colours), sizes from a measure, label colours, plain-text tooltips,
highlighted paths. The Streamlit app and the standalone page (:mod:`graph.page`) both draw it.

Examples
--------
>>> import networkx as nx
>>> from graph.layout import compute_layout
>>> G = nx.MultiDiGraph()
>>> G.add_node("a", name="INTERPOL", type="international_org")
>>> G.add_node("b", name="Operation Synergia", type="operation")
>>> _ = G.add_edge("a", "b", relation="led", evidence="INTERPOL led it.")
>>> data = vis_data(G, positions=compute_layout(G))
>>> [n["label"] for n in data["nodes"]]
['INTERPOL', 'Operation Synergia']
>>> data["edges"][0]["title"].splitlines()[0]
'INTERPOL led Operation Synergia'
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping
from typing import Any

import networkx as nx

from graph import citations
from graph.layout import (
    MAX_NODE_SIZE,
    MIN_NODE_SIZE,
    NODE_SIZE,
    TEXT_SHAPE,
    compute_layout,
)
from graph.query import document, entity_label, entity_name, schema_of
from graph.schema import FALLBACK_COLOR, MODALITY_NOTES, Schema
from graph.text import clip

__all__ = ["COLOR_BY", "COMMUNITY_PALETTE", "DARK_CANVAS", "contrast", "dark_fill", "vis_data"]

COLOR_BY = ("type", "community")
"""What fills a node: its entity type's colour, or its community's."""

COMMUNITY_PALETTE = (
    "#CC6677",
    "#332288",
    "#DDCC77",
    "#117733",
    "#88CCEE",
    "#882255",
    "#44AA99",
    "#999933",
    "#AA4499",
)
"""Paul Tol's colour-blind-safe "muted" palette; communities past the ninth share grey."""

OTHER_COMMUNITY_COLOR = FALLBACK_COLOR

# Node radii (NODE_SIZE, MIN_NODE_SIZE, MAX_NODE_SIZE) are graph.layout's, which leaves them room.

DARK_CANVAS = "#0E1117"
"""The dark canvas fills are checked against (Streamlit's dark background)."""
DARK_MIN_CONTRAST = 3.0
"""Every fill drawn on the dark canvas stands out from it at least this much (WCAG ratio)."""
DARK_LIFT_CONTRAST = 3.3  # a fill that has to be lightened is lightened to this, with margin

EDGE_COLOR = "#8A8F98"
HIGHLIGHT_COLOR = "#111111"
LABEL_COLOR = "#222222"
FADED_ALPHA = 0.35  # context nodes: fill and border let the canvas through; labels stay legible

TOOLTIP_DESCRIPTION_CHARS = 280
TOOLTIP_EVIDENCE_CHARS = 400


def vis_data(
    G: nx.MultiDiGraph,
    *,
    positions: Mapping[Any, tuple[float, float]] | None = None,
    color_by: str = "type",
    communities: Mapping[Hashable, int] | None = None,
    size_by: Mapping[Hashable, float] | None = None,
    highlight_nodes: Iterable[Hashable] = (),
    highlight_edges: Iterable[Any] = (),
    faded_nodes: Iterable[Hashable] = (),
    selected: Hashable | None = None,
    focus: Hashable | None = None,
    details: bool = False,
    width_by: str | None = None,
) -> dict[str, Any]:
    """Nodes, edges and legend for vis-network, as JSON-serialisable data.

    The result carries only what the drawing needs (positions, styles, tooltips) unless
    ``details`` asks for each node's click-panel text as well: a page with no server to ask
    (:func:`graph.page.standalone_html`) needs it; the app reads details from the graph when a
    node is clicked, and at 1,500 drawn entities the details would be most of the JSON.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The graph in the :mod:`graph.load` shape; ``G.graph["schema"]`` styles it (the built-in
        schema when missing) and ``G.graph["documents"]`` names the documents.
    positions : mapping, optional
        ``node -> (x, y)`` in pixels, e.g. from :func:`compute_layout`. When omitted the
        ``"force"`` layout is computed, so the drawing never needs browser physics. A node
        missing from a given mapping is put at the origin.
    color_by : {"type", "community"}
        Fill colour from the node's entity type (schema), or from its community: the nine largest
        communities get Paul Tol's colour-blind-safe "muted" colours, the rest grey. Shapes
        always follow the type.
    communities : mapping, optional
        ``node -> community index``; required for ``color_by="community"``.
    size_by : mapping, optional
        ``node -> score`` (degree, PageRank, ...). Dot radii scale linearly with the score from
        10 px (lowest) to 36 px (highest); nodes without a score get the lowest size. Without
        it every node is 16 px.
    highlight_nodes : iterable
        Nodes drawn with a thick dark border (``"highlighted": True``), e.g. a path.
    highlight_edges : iterable
        Edges drawn thick and dark. Each item is an edge id ``"u|v|key"``, a ``(u, v, key)``
        triple, or a ``(u, v)`` pair (every parallel edge between u and v, either direction).
    faded_nodes : iterable
        Nodes drawn faded (``"faded": True``; fill and border at :data:`FADED_ALPHA`): context
        kept around what a filter selects (:attr:`graph.view.Scene.context`).
    selected : node, optional
        The node to show as selected (``"selected": True`` on it and in the result).
    focus : node, optional
        The view's focus entity, drawn with a ring (``"focused": True`` on it).
    details : bool
        Give each node ``details`` (below). Off by default.
    width_by : {None, "sources"}
        Draw each relation's width by the number of documents behind it (its corroboration,
        :func:`graph.citations.corroboration`); by default every relation is 1 px.

    Returns
    -------
    dict
        ``{"nodes": [...], "edges": [...], "legend": [...], "selected": id or None}``.

        Each node: ``id``, ``label`` (name), ``type``, ``shape``, ``color`` (vis colour object),
        ``font``, ``x``, ``y``, ``size``, ``borderWidth``, ``title`` (plain-text tooltip: the
        name, a newline, the type label and, if there is one, a newline and the description),
        ``rank`` (importance: 0 for the highest ``size_by`` score, then by degree and drawing
        order; labels are drawn in this order), ``highlighted``, ``selected``, ``focused``;
        ``dark`` (``background``, ``border``, ``font`` colour) when the fill is too dark for the
        dark canvas (:func:`dark_fill`); and, with ``details=True``,
        ``details`` for a click panel: ``name``, ``type``, ``type_label``, ``aliases``,
        ``description``, ``date``, ``documents`` (``id``, ``title``, ``publisher``, ``date``,
        ``url``) and ``relations`` (``edge``, ``sentence``, ``relation``, ``direction``
        "out"/"in", ``other``, ``other_name``, ``evidence``, ``date``, ``documents``).

        Each edge: ``id`` ``"u|v|key"``, ``from``, ``to``, ``arrows`` "to", ``relation``,
        ``title`` (the sentence worded by its modality, the modality's note, the evidence quote
        and the titles of the documents behind it, "Cited by N documents" when several; plain
        text), ``modality``, ``corroboration``, ``color``, ``width`` (1 px; with
        ``width_by="sources"`` more for each further document), ``highlighted`` and, for
        parallel edges, a ``smooth`` curve so they do not overlap. Edges carry no label.

        Each legend entry: ``kind`` ("type" or "community"), ``id``, ``label``, ``color``,
        ``dark_color`` (the fill on a dark canvas), ``shape``, ``count``. With
        ``color_by="community"`` the type entries keep their shapes but are drawn grey, and the
        communities follow.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("a", name="INTERPOL", type="international_org", description="Police body")
    >>> G.add_node("b", name="Synergia", type="operation")
    >>> _ = G.add_edge("a", "b", relation="led", evidence="It led Synergia.")
    >>> data = vis_data(G, positions={"a": (0, 0), "b": (100, 0)}, highlight_edges=[("a", "b")])
    >>> node = data["nodes"][0]
    >>> node["shape"], node["color"]["background"], node["title"]
    ('hexagon', '#0072B2', 'INTERPOL\\nInternational organisation\\nPolice body')
    >>> edge = data["edges"][0]
    >>> edge["id"], edge["title"].splitlines()[0], edge["highlighted"]
    ('a|b|0', 'INTERPOL led Synergia', True)
    >>> "details" in node
    False
    >>> vis_data(G, positions={}, details=True)["nodes"][0]["details"]["relations"][0]["sentence"]
    'INTERPOL led Synergia'
    >>> [(e["label"], e["count"]) for e in data["legend"]]
    [('International organisation', 1), ('Operation', 1)]
    """
    if color_by not in COLOR_BY:
        raise ValueError(f"color_by must be 'type' or 'community', not {color_by!r}")
    if color_by == "community" and communities is None:
        raise ValueError("color_by='community' needs communities (node -> community index)")
    schema = schema_of(G)
    cited = _DocumentCache(G)
    if positions is None:
        positions = compute_layout(G, "force")
    lit_nodes = set(highlight_nodes)
    faded = set(faded_nodes)
    lit_edges = _edge_matcher(highlight_edges)
    community_colors = _community_colors(communities) if color_by == "community" else {}
    sizes = _sizes(G, size_by)
    ranks = _ranks(G, size_by)
    names = {node: entity_name(G, node) for node in G.nodes}
    labels = {node: entity_label(G, node) for node in G.nodes}

    relations: dict[Hashable, list[dict]] = defaultdict(list)
    edges = []
    pair_rank: Counter = Counter()
    pair_total = Counter(frozenset((u, v)) for u, v in G.edges() if u != v)
    for u, v, key, attrs in G.edges(keys=True, data=True):
        relation = str(attrs.get("relation", ""))
        modality = citations.modality(attrs)
        sentence = schema.sentence(names[u], relation, names[v], modality)
        evidence = str(attrs.get("evidence", "") or "")
        docs = [cited(d) for d in citations.sources(attrs)]
        edge_id = f"{u}|{v}|{key}"
        lit = lit_edges(u, v, key, edge_id)
        edge: dict[str, Any] = {
            "id": edge_id,
            "from": u,
            "to": v,
            "arrows": "to",
            "relation": relation,
            "title": _edge_title(sentence, evidence, docs, modality),
            "modality": modality,
            "corroboration": len(docs),
            "color": (
                {"color": HIGHLIGHT_COLOR, "highlight": HIGHLIGHT_COLOR, "hover": HIGHLIGHT_COLOR}
                if lit
                else {"color": EDGE_COLOR, "highlight": "#333333", "hover": "#555555"}
            ),
            "width": 4 if lit else _width(len(docs), width_by),
            "highlighted": lit,
        }
        pair = frozenset((u, v))
        if u != v and pair_total[pair] > 1:
            rank = pair_rank[(u, v)]
            pair_rank[(u, v)] += 1
            edge["smooth"] = {
                "enabled": True,
                "type": "curvedCW",
                "roundness": round(0.15 + 0.15 * rank, 2),
            }
        edges.append(edge)
        if not details:
            continue
        item = {
            "edge": edge_id,
            "sentence": sentence,
            "relation": relation,
            "evidence": evidence,
            "date": str(attrs.get("date", "") or ""),
            "documents": docs,
            "modality": modality,
            "citations": [c.as_dict() for c in citations.citations_of(attrs)],
        }
        relations[u].append({**item, "direction": "out", "other": v, "other_name": names[v]})
        if v != u:
            relations[v].append({**item, "direction": "in", "other": u, "other_name": names[u]})

    nodes = []
    type_counts: Counter = Counter()
    community_counts: Counter = Counter()
    for node, attrs in G.nodes(data=True):
        type_id = str(attrs.get("type", ""))
        style = schema.style(type_id)
        type_counts[type_id] += 1
        if color_by == "community":
            index = communities.get(node) if communities is not None else None
            community_counts[index] += 1
            fill = (
                OTHER_COMMUNITY_COLOR
                if index is None
                else community_colors.get(index, OTHER_COMMUNITY_COLOR)
            )
        else:
            fill = style.color
        lit = node in lit_nodes
        is_selected = selected is not None and node == selected
        x, y = positions.get(node, (0.0, 0.0))
        description = str(attrs.get("description", "") or "")
        border = HIGHLIGHT_COLOR if lit else _shade(fill, 0.7)
        is_faded = node in faded and not lit
        entry = {
            "id": node,
            "label": labels[node],
            "type": type_id,
            "shape": style.shape,
            "color": {
                "background": _faded(fill) if is_faded else fill,
                "border": _faded(border) if is_faded else border,
                "highlight": {"background": fill, "border": HIGHLIGHT_COLOR},
                "hover": {"background": fill, "border": HIGHLIGHT_COLOR},
            },
            "font": _label_font(fill, style.shape),
            "x": float(x),
            "y": float(y),
            "size": sizes[node],
            "borderWidth": 4 if lit else 1,
            "title": _node_title(names[node], style.label, description),
            "rank": ranks[node],
            "highlighted": lit,
            "selected": is_selected,
            "focused": focus is not None and node == focus,
        }
        dark = dark_fill(fill)
        if dark != fill.upper():
            entry["dark"] = {
                "background": dark,
                "border": HIGHLIGHT_COLOR if lit else _shade(dark, 0.7),
                "font": _label_font(dark, style.shape)["color"],
            }
        if is_faded:
            entry["faded"] = True
        if labels[node] != names[node]:  # drawn short: the card and search still use the name
            entry["name"] = names[node]
        if details:
            entry["details"] = {
                "name": names[node],
                "type": type_id,
                "type_label": style.label,
                "aliases": [str(a) for a in _as_list(attrs.get("aliases"))],
                "description": description,
                "date": str(attrs.get("date", "") or ""),
                "documents": [cited(d) for d in _as_list(attrs.get("documents"))],
                "relations": relations.get(node, []),
            }
        nodes.append(entry)

    legend = _legend(schema, type_counts, community_counts, community_colors, color_by)
    return {
        "nodes": nodes,
        "edges": edges,
        "legend": legend,
        "selected": selected if selected is not None and selected in G else None,
    }


def _as_list(value: Any) -> list:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [value]
    return list(value)


class _DocumentCache(dict):
    """``graph.query.document`` for each cited id, looked up once per drawing."""

    def __init__(self, G: nx.MultiDiGraph) -> None:
        super().__init__()
        self.G = G

    def __call__(self, doc_id: Any) -> dict[str, str]:
        if doc_id not in self:
            found = document(self.G, doc_id)
            self[doc_id] = {k: found[k] for k in ("id", "title", "publisher", "date", "url")}
        return self[doc_id]


def _node_title(name: str, type_label: str, description: str) -> str:
    lines = [name, type_label]
    if description:
        lines.append(clip(description, TOOLTIP_DESCRIPTION_CHARS))
    return "\n".join(lines)


def _edge_title(
    sentence: str, evidence: str, docs: list[dict[str, str]], modality: str = "stated"
) -> str:
    lines = [sentence]
    if MODALITY_NOTES.get(modality):
        lines.append(f"({MODALITY_NOTES[modality]})")
    if evidence:
        lines.append(f"“{clip(evidence, TOOLTIP_EVIDENCE_CHARS)}”")
    if len(docs) > 1:
        lines.append(f"Cited by {len(docs)} documents: " + "; ".join(d["title"] for d in docs))
    elif docs:
        lines.append("— " + docs[0]["title"])
    return "\n".join(lines)


WIDTH_BY = ("sources",)
"""What a relation's drawn width may show: ``sources``, the documents behind it."""
MAX_EDGE_WIDTH = 7.0


def _width(documents: int, width_by: str | None) -> float:
    """A relation's width: 1 px, or with ``width_by="sources"`` 1 px per document behind it
    (1.5 px more for each after the first, at most 7).

    >>> _width(3, None), _width(1, "sources"), _width(3, "sources"), _width(9, "sources")
    (1, 1.0, 4.0, 7.0)
    """
    if width_by is None:
        return 1
    if width_by not in WIDTH_BY:
        raise ValueError(f"width_by must be one of {', '.join(WIDTH_BY)} or None, not {width_by!r}")
    return min(1.0 + 1.5 * max(documents - 1, 0), MAX_EDGE_WIDTH)


def _edge_matcher(items: Iterable[Any]):
    ids, triples, pairs = set(), set(), set()
    for item in items:
        if isinstance(item, str):
            ids.add(item)
        elif isinstance(item, (tuple, list)) and len(item) == 3:
            triples.add((item[0], item[1], item[2]))
        elif isinstance(item, (tuple, list)) and len(item) == 2:
            pairs.add(frozenset(item))
        else:
            raise ValueError(f"highlight_edges item {item!r} is not an id, pair or triple")

    def lit(u: Hashable, v: Hashable, key: Any, edge_id: str) -> bool:
        return edge_id in ids or (u, v, key) in triples or frozenset((u, v)) in pairs

    return lit


def _community_colors(communities: Mapping[Hashable, int] | None) -> dict[int, str]:
    """Palette colours for the largest communities (ties: lower index first)."""
    sizes = Counter((communities or {}).values())
    ranked = sorted(sizes, key=lambda c: (-sizes[c], c))
    return {c: COMMUNITY_PALETTE[i] for i, c in enumerate(ranked[: len(COMMUNITY_PALETTE)])}


def _sizes(G: nx.MultiDiGraph, size_by: Mapping[Hashable, float] | None) -> dict[Hashable, float]:
    if size_by is None:
        return {node: float(NODE_SIZE) for node in G.nodes}
    values = [float(size_by[n]) for n in G.nodes if n in size_by]
    low, high = (min(values), max(values)) if values else (0.0, 0.0)
    span = high - low
    sizes = {}
    for node in G.nodes:
        if node not in size_by or span <= 0:
            share = 0.0 if node not in size_by or not values else 0.5
        else:
            share = (float(size_by[node]) - low) / span
        sizes[node] = round(MIN_NODE_SIZE + share * (MAX_NODE_SIZE - MIN_NODE_SIZE), 2)
    return sizes


def _ranks(G: nx.MultiDiGraph, size_by: Mapping[Hashable, float] | None) -> dict[Hashable, int]:
    """0 for the most important node: highest score, then highest degree, then drawing order."""
    degree = dict(G.degree())
    order = {node: i for i, node in enumerate(G.nodes)}
    scores = size_by or {}

    def key(node: Hashable) -> tuple[float, int, int]:
        return (-float(scores.get(node, float("-inf"))), -degree[node], order[node])

    return {node: rank for rank, node in enumerate(sorted(G.nodes, key=key))}


def _luminance(color: str) -> float:
    channels = [c / 255 for c in _rgb(color)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two ``#RRGGBB`` colours (1 to 21).

    >>> round(contrast("#FFFFFF", "#000000"), 1), round(contrast("#332288", "#0E1117"), 2)
    (21.0, 1.55)
    """
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def dark_fill(color: str, canvas: str = DARK_CANVAS) -> str:
    """``color`` as drawn on a dark canvas: itself when it stands out at least 3:1 from it,
    else mixed with white until it stands out 3.3:1 (same hue, lighter). The schema's colour is
    the one source; this is how it reads in the dark theme, in the drawing and the legend alike.

    >>> dark_fill("#E69F00"), dark_fill("#332288")
    ('#E69F00', '#685CA7')
    >>> contrast(dark_fill("#332288"), DARK_CANVAS) >= 3
    True
    """
    base = "#" + "".join(f"{c:02X}" for c in _rgb(color))
    if contrast(base, canvas) >= DARK_MIN_CONTRAST:
        return base
    r, g, b = _rgb(base)
    low, high = 0.0, 1.0  # share of white: the smallest that reaches the contrast
    for _ in range(20):
        mid = (low + high) / 2
        if contrast(_mix_white(r, g, b, mid), canvas) >= DARK_LIFT_CONTRAST:
            high = mid
        else:
            low = mid
    return _mix_white(r, g, b, high)


def _mix_white(r: int, g: int, b: int, share: float) -> str:
    return "#" + "".join(f"{round(c + (255 - c) * share):02X}" for c in (r, g, b))


def _rgb(color: str) -> tuple[int, int, int]:
    value = color.lstrip("#")
    if not re.fullmatch(r"[0-9a-fA-F]{6}", value):
        value = FALLBACK_COLOR.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def _faded(color: str) -> str:
    """``color`` at :data:`FADED_ALPHA`, so the canvas shows through (either theme)."""
    r, g, b = _rgb(color)
    return f"rgba({r},{g},{b},{FADED_ALPHA})"


def _shade(color: str, factor: float) -> str:
    r, g, b = _rgb(color)
    return f"#{int(r * factor):02X}{int(g * factor):02X}{int(b * factor):02X}"


def _label_font(fill: str, shape: str) -> dict[str, Any]:
    """A label's font colour: dark beside a shape (the page's text colour on a dark canvas, in
    kg_view.js); a ``"text"`` node is its label, in the type's colour. Every shape, a box too,
    has its label beside it (kg_view.js draws labels; graph.layout leaves them room)."""
    return {"color": fill if shape == TEXT_SHAPE else LABEL_COLOR}


def _legend(
    schema: Schema,
    type_counts: Counter,
    community_counts: Counter,
    community_colors: Mapping[int, str],
    color_by: str,
) -> list[dict[str, Any]]:
    declared = {t: i for i, t in enumerate(schema.type_ids())}
    legend = []
    for type_id in sorted(type_counts, key=lambda t: (declared.get(t, len(declared)), t)):
        style = schema.style(type_id)
        legend.append(
            {
                "kind": "type",
                "id": type_id,
                "label": style.label,
                "color": style.color if color_by == "type" else FALLBACK_COLOR,
                "dark_color": dark_fill(style.color if color_by == "type" else FALLBACK_COLOR),
                "shape": style.shape,
                "count": type_counts[type_id],
            }
        )
    if color_by == "community":
        coloured = [c for c in community_colors if c in community_counts]
        for c in sorted(coloured, key=lambda c: (-community_counts[c], c)):
            legend.append(
                {
                    "kind": "community",
                    "id": c,
                    "label": f"Community {c}",
                    "color": community_colors[c],
                    "dark_color": dark_fill(community_colors[c]),
                    "shape": "dot",
                    "count": community_counts[c],
                }
            )
        rest = sum(k for c, k in community_counts.items() if c not in community_colors)
        if rest:
            legend.append(
                {
                    "kind": "community",
                    "id": None,
                    "label": ("Other communities" if len(community_colors) else "No community"),
                    "color": OTHER_COMMUNITY_COLOR,
                    "dark_color": dark_fill(OTHER_COMMUNITY_COLOR),
                    "shape": "dot",
                    "count": rest,
                }
            )
    return legend
