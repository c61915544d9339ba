"""One model of a view: what to draw, used alike by the app, the tours, the links and the CLI.

A :class:`View` is a plain value — filters, focus, path, selection, highlights and display
settings. It has one codec to and from a link's query string (:func:`to_query`,
:func:`from_query`, :func:`parse_link`), and one function turns a graph and a view into what is
drawn (:func:`scene`): the subgraph, the paths asked for, the 1,500-entity cap and what chose the
entities it kept, and notes for the reader. Nothing here knows about Streamlit; the app caches
the steps of :func:`scene` (:func:`filtered`, :func:`scoped`, :func:`capped`) one by one.

Examples
--------
>>> from graph.load import load_graph
>>> G = load_graph({"entities.csv": "id,name,type\\na,A,ngo\\nb,B,law\\nc,C,tool\\n",
...                 "relations.csv": "source,target,relation\\na,b,advocated_for\\n"
...                                  "b,c,concerns\\n"})
>>> view, problems = from_query("focus=a&depth=1&layout=spiral", G)
>>> view.focus, view.layout
('a', 'force')
>>> print(*problems)
The link's layout must be one of force, hierarchical, type, not 'spiral'; using force.
>>> drawn = scene(G, view)
>>> sorted(drawn.graph), drawn.capped
(['a', 'b'], False)
>>> to_query(view)
{'focus': 'a'}
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any
from urllib.parse import parse_qs, urlsplit

import networkx as nx

from . import analytics, layout, query, vis
from .betweenness import betweenness
from .errors import GraphError
from .load import ID_PATTERN, is_valid_date
from .query import Path, entity_name
from .schema import MODALITIES

# --- every list and limit, once -------------------------------------------------------------

DIRECTIONS = dict(zip(query.DIRECTIONS, ("Both", "Out", "In"), strict=True))
"""How a focus follows relations (:data:`graph.query.DIRECTIONS`), with the app's labels."""
LAYOUTS = dict(
    zip(layout.LAYOUTS, ("Force-directed", "Hierarchical", "Grouped by type"), strict=True)
)
COLOR_BY = dict(zip(vis.COLOR_BY, ("Type", "Community"), strict=True))
SIZE_BY = {"degree": "Degree", "pagerank": "PageRank", "betweenness": "Betweenness"}
"""The measures of :data:`graph.analytics.MEASURES`, in the order the app offers them."""
if set(SIZE_BY) != set(analytics.MEASURES):
    raise ImportError("graph.view.SIZE_BY must label every measure of graph.analytics.MEASURES")
DEPTHS = (1, 2, 3)
MAX_DEPTH = DEPTHS[-1]
MAX_HOPS = 6
MAX_MIN_DEGREE = 1000
MAX_SOURCES = 99
"""The highest "cited by at least N documents" a view asks for."""
PATHS_SHOWN = 3
MAX_DRAWN = 1_500
"""The most entities drawn at once; larger views show their top entities by a measure."""
CAP_MEASURE_LIMITS: dict[str, int | None] = {
    "degree": None,
    "pagerank": 50_000,
    "betweenness": 5_000,
}
"""The most entities the cap ranks by each measure; beyond, it ranks by degree (seconds saved)."""
TRUE, FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")
CONTEXT_KEY = "context"
"""Where a filtered graph lists the entities kept only as context (``graph[CONTEXT_KEY]``)."""
DISPLAY_FIELDS = ("layout", "color_by", "size_by")
"""View fields that change how the drawing looks, not what it holds."""


@dataclass(frozen=True)
class View:
    """What is on screen. Plain values only, so it maps to link parameters one to one.

    ``None`` or an empty tuple means "no filter". Dates are ``YYYY[-MM[-DD]]`` strings;
    ``path_choice`` counts from 0 (the link's ``path`` from 1). ``context``: a type, relation
    or document filter also keeps the direct neighbours of what it selects, drawn faded.
    ``min_sources``: only relations cited by at least that many documents (link ``sources``);
    ``modalities``: only relations worded so — stated, proposed, hedged, inferred (link
    ``modality``).

    >>> view = View(focus="ncmec", depth=2, types=("ngo", "tool"))
    >>> view.changed()
    {'focus': 'ncmec', 'depth': 2, 'types': ('ngo', 'tool')}
    >>> View.from_dict(view.as_dict()) == view
    True
    """

    focus: str | None = None
    depth: int = 1
    direction: str = "both"
    types: tuple[str, ...] = ()
    relations: tuple[str, ...] = ()
    documents: tuple[str, ...] = ()
    min_sources: int = 0
    modalities: tuple[str, ...] = ()
    date_from: str | None = None
    date_to: str | None = None
    keep_undated: bool = True
    context: bool = False
    min_degree: int = 0
    hide_isolated: bool = False
    path_from: str | None = None
    path_to: str | None = None
    max_hops: int = 4
    path_choice: int = 0
    selected: str | None = None
    highlight: tuple[str, ...] = ()
    layout: str = "force"
    color_by: str = "type"
    size_by: str = "degree"

    def as_dict(self) -> dict[str, Any]:
        """The view as a plain dict (tuples as lists), e.g. for JSON."""
        return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items()}

    @classmethod
    def from_dict(cls, values: Mapping[str, Any]) -> View:
        """A view from a plain dict; unknown keys are ignored, lists become tuples."""
        known = {f.name for f in fields(cls)}
        clean: dict[str, Any] = {
            k: tuple(v) if isinstance(v, list) else v for k, v in values.items() if k in known
        }
        return cls(**clean)

    def changed(self, base: View | None = None) -> dict[str, Any]:
        """The fields that differ from ``base`` (the default view when omitted)."""
        base = View() if base is None else base
        return {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if getattr(self, f.name) != getattr(base, f.name)
        }

    def has_path(self) -> bool:
        """Whether both ends of the path finder are chosen."""
        return bool(self.path_from and self.path_to)

    def with_display(self, display: View) -> View:
        """This view drawn with ``display``'s layout, colouring and sizing, where this view
        leaves them at their defaults (a tour step that sets a layout keeps it).

        >>> View(layout="type").with_display(View(layout="hierarchical", size_by="pagerank"))
        View(..., layout='type', color_by='type', size_by='pagerank')
        """
        default = View()
        return replace(
            self,
            **{
                name: getattr(display, name)
                for name in DISPLAY_FIELDS
                if getattr(self, name) == getattr(default, name)
            },
        )

    def filter_key(self) -> tuple:
        """What :func:`filtered` depends on, as a plain tuple (a cache key)."""
        return (
            self.types,
            self.relations,
            self.documents,
            self.min_sources,
            self.modalities,
            self.date_from,
            self.date_to,
            self.keep_undated,
            self.min_degree,
            self.hide_isolated,
            self.context,
        )

    def scene_key(self) -> tuple:
        """What :func:`scene` depends on; ``size_by`` last, as it matters only when capped."""
        return (
            self.filter_key(),
            self.focus,
            self.depth,
            self.direction,
            self.path_from,
            self.path_to,
            self.max_hops,
            self.size_by,
        )


# --- the link codec -------------------------------------------------------------------------


@dataclass(frozen=True)
class Param:
    """One link parameter: its name, the view field it holds, and how to read and write it."""

    name: str
    field: str
    kind: str  # entity, entities, types, relations, documents, int, choice, date, flag
    low: int = 0  # the range of a number, as written in the link
    high: int = 0
    choices: tuple[str, ...] = ()
    offset: int = 0  # written = stored + offset (``path`` counts from 1)


PARAMS = (
    Param("focus", "focus", "entity"),
    Param("depth", "depth", "int", DEPTHS[0], MAX_DEPTH),
    Param("direction", "direction", "choice", choices=tuple(DIRECTIONS)),
    Param("types", "types", "types"),
    Param("relations", "relations", "relations"),
    Param("documents", "documents", "documents"),
    Param("sources", "min_sources", "int", 0, MAX_SOURCES),
    Param("modality", "modalities", "modalities"),
    Param("since", "date_from", "date"),
    Param("until", "date_to", "date"),
    Param("undated", "keep_undated", "flag"),
    Param("context", "context", "flag"),
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
PARAM_NAMES = tuple(p.name for p in PARAMS)
LINK_ONLY = ("tour", "step", "present", "embed", "embed_options")
"""Link parameters that are not part of a view: a guided tour, its step, presentation mode
(and Streamlit's own ``embed`` options)."""
LIST_KINDS = ("entities", "types", "relations", "documents", "modalities")
KIND_NOUNS = {
    "modalities": "modality",
    "entity": "entity",
    "entities": "entity",
    "types": "entity type",
    "relations": "relation",
    "documents": "document",
}


def _write(param: Param, value: Any) -> str:
    if param.kind in LIST_KINDS:
        return ",".join(value)
    if param.kind == "flag":
        return "1" if value else "0"
    if param.kind == "int":
        return str(value + param.offset)
    return "" if value is None else str(value)


def to_query(view: View, base: View | None = None) -> dict[str, str]:
    """The link parameters for ``view``: every field that differs from ``base``.

    >>> to_query(View(focus="a", depth=2, types=("ngo", "law"), path_choice=1))
    {'focus': 'a', 'depth': '2', 'types': 'ngo,law', 'path': '2'}
    """
    differs = view.changed(base)
    return {p.name: _write(p, differs[p.field]) for p in PARAMS if p.field in differs}


def parse_link(link: str) -> dict[str, list[str]]:
    """The parameters of a link: a whole URL copied from the address bar, or its query string.

    >>> parse_link("http://localhost:8501/?focus=ncmec&depth=2&types=ngo,tool")
    {'focus': ['ncmec'], 'depth': ['2'], 'types': ['ngo,tool']}
    >>> parse_link("?focus=") == parse_link("focus=") == {'focus': ['']}
    True
    """
    text = link.strip()
    if "://" in text or text.startswith("/"):
        text = urlsplit(text).query
    return parse_qs(text.lstrip("?"), keep_blank_values=True)


def schema_types(G: nx.MultiDiGraph) -> set[str]:
    """The entity types this graph's schema declares (built-in and the dataset's own)."""
    schema = G.graph.get("schema")
    return set(schema.entity_types) if schema is not None else set()


def _known(G: nx.MultiDiGraph, kind: str) -> Callable[[str], bool]:
    if kind in ("entity", "entities"):
        return G.__contains__
    if kind == "types":
        return {d.get("type") for _, d in G.nodes(data=True)}.__contains__
    if kind == "relations":
        return {d.get("relation") for _, _, d in G.edges(data=True)}.__contains__
    if kind == "modalities":
        return MODALITIES.__contains__
    return (G.graph.get("documents") or {}).__contains__


def _as_text(raw: Any) -> str:
    if isinstance(raw, bool):
        return "1" if raw else "0"
    if isinstance(raw, (list, tuple)):
        return ",".join(_as_text(x) for x in raw)
    return "" if raw is None else str(raw)


def _read_names(
    param: Param, text: str, G: nx.MultiDiGraph, fallback: Any, problems: list[str]
) -> Any:
    items = list(dict.fromkeys(x.strip() for x in text.split(",") if x.strip()))
    known = _known(G, param.kind)
    unknown = [x for x in items if not known(x)]
    if unknown:
        noun = KIND_NOUNS[param.kind]
        listed = ", ".join(repr(x) for x in unknown)
        if len(unknown) == 1:
            article = "an" if noun[0] in "aeiou" else "a"
            problems.append(f"names {article} {noun} that is not in this dataset: {listed}.")
        else:
            problems.append(f"names {noun}s that are not in this dataset: {listed}.")
    kept = [x for x in items if known(x)]
    if param.kind != "entity":
        return tuple(kept)
    if len(items) > 1:
        problems.append("takes one entity; using the first known one.")
    return kept[0] if kept else (None if not unknown else fallback)


def _read_int(param: Param, text: str, fallback: int, problems: list[str]) -> int:
    shown, default = f"{param.low} to {param.high}", fallback + param.offset
    try:
        number = int(text) if len(text) <= 12 else None
    except ValueError:
        number = None
    if number is None:
        problems.append(
            f"must be a whole number from {shown}, not {_clip(text)!r}; using {default}."
        )
        return fallback
    if not param.low <= number <= param.high:
        problems.append(f"must be from {shown}, not {_clip(text)!r}; using {default}.")
        return fallback
    return number - param.offset


def _read(param: Param, raw: Any, G: nx.MultiDiGraph, fallback: Any, problems: list[str]) -> Any:
    """The value of one parameter, or ``fallback`` with a problem noted (without its subject)."""
    if isinstance(raw, (list, tuple)) and param.kind not in ("entity", *LIST_KINDS):
        raw = ",".join(raw) if all(isinstance(x, str) for x in raw) else repr(list(raw))
    text = _as_text(raw).strip()
    if param.kind in ("entity", *LIST_KINDS):
        return _read_names(param, text, G, fallback, problems)
    if param.kind == "int":
        return _read_int(param, text, fallback, problems)
    if param.kind == "choice":
        if text in param.choices:
            return text
        problems.append(
            f"must be one of {', '.join(param.choices)}, not {_clip(text)!r}; using {fallback}."
        )
        return fallback
    if param.kind == "date":
        if not text:
            return None
        if is_valid_date(text):
            return text
        problems.append(
            f"must be a date YYYY, YYYY-MM or YYYY-MM-DD, not {_clip(text)!r}; left out."
        )
        return fallback
    if text.lower() in TRUE + FALSE:  # flag
        return text.lower() in TRUE
    problems.append(f"must be 1 or 0, not {_clip(text)!r}; left out.")
    return fallback


def read_params(
    params: Mapping[str, Any], G: nx.MultiDiGraph, base: View | None = None
) -> tuple[View, list[tuple[str, str]]]:
    """The view ``params`` describe on top of ``base``, and ``(name, problem)`` for each
    value that could not be used. Values may be text or (from a tour file) numbers, flags and
    lists; the front end words the problems (:func:`from_query` for links).
    """
    base = View() if base is None else base
    problems: list[tuple[str, str]] = []
    changes: dict[str, Any] = {}
    for param in PARAMS:
        if param.name in params:
            found: list[str] = []
            changes[param.field] = _read(
                param, params[param.name], G, getattr(base, param.field), found
            )
            problems += [(param.name, problem) for problem in found]
    return replace(base, **changes), problems


def from_query(
    link: str | Mapping[str, Any], G: nx.MultiDiGraph, base: View | None = None
) -> tuple[View, list[str]]:
    """The view a link describes, on top of ``base``, and a sentence for each problem.

    ``link`` is a URL, a query string, or a mapping of names to text (a list of texts for a
    repeated name, joined with commas). Anything unknown is named and left out; a value that
    is not valid falls back to ``base``'s; the rest of the link still applies.

    >>> from graph.load import load_graph
    >>> G = load_graph({"entities.csv": "id,name,type\\na,A,ngo\\nb,B,law\\n",
    ...                 "relations.csv": "source,target,relation\\na,b,advocated_for\\n"})
    >>> view, problems = from_query({"focus": "zz", "depth": "abc", "types": "ngo"}, G)
    >>> view.focus, view.depth, view.types
    (None, 1, ('ngo',))
    >>> for problem in problems:
    ...     print(problem)
    The link's focus names an entity that is not in this dataset: 'zz'.
    The link's depth must be a whole number from 1 to 3, not 'abc'; using 1.
    """
    params = parse_link(link) if isinstance(link, str) else link
    view, problems = read_params(params, G, base)
    return view, [f"The link's {name} {problem}" for name, problem in problems]


def unknown_params(link: str | Mapping[str, Any]) -> list[str]:
    """Parameter names in a link that neither a view nor the app knows, as sentences."""
    params = parse_link(link) if isinstance(link, str) else link
    extra = [name for name in params if name not in PARAM_NAMES and name not in LINK_ONLY]
    return [f"The link's {_clip(name)!r} is not a view parameter; left out." for name in extra]


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def is_entity_id(text: str) -> bool:
    """Whether ``text`` has the form of an entity id (lower-case letters, digits, ``_``)."""
    return bool(ID_PATTERN.match(text))


# --- what is drawn --------------------------------------------------------------------------


@dataclass(frozen=True)
class Scene:
    """The graph to draw for a view, and what the reader should be told about it.

    ``total``: entities in the view before the cap; ``capped_by``: the measure that chose the
    entities drawn when the view was capped (else None); ``must_show``: the focus and path
    entities, kept whatever the cap; ``key``: names the drawn graph (for caches);
    ``context``: the drawn entities a filter kept only as neighbours of what it selects
    (:attr:`View.context`), to be drawn faded.
    """

    graph: nx.MultiDiGraph
    key: str
    total: int
    paths: tuple[Path, ...] = ()
    notes: tuple[str, ...] = ()
    capped_by: str | None = None
    must_show: frozenset = field(default_factory=frozenset)
    entities: int = 0
    relations: int = 0
    context: frozenset = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        object.__setattr__(self, "entities", self.graph.number_of_nodes())
        object.__setattr__(self, "relations", self.graph.number_of_edges())
        kept = self.graph.graph.get(CONTEXT_KEY, ())
        object.__setattr__(self, "context", frozenset(n for n in kept if n in self.graph))

    @property
    def capped(self) -> bool:
        return self.capped_by is not None

    def cap_note(self) -> str:
        """What the reader is told when the view was capped ("" when it was not)."""
        if not self.capped:
            return ""
        return (
            f"Showing {self.entities:,} of {self.total:,} — narrow the filters. (The top "
            f"entities by {self.capped_by} are drawn; at most {MAX_DRAWN:,} at once.)"
        )

    def path_highlight(self, index: int) -> tuple[list[str], list[str]]:
        """The nodes and edge ids (``u|v|key``) of path ``index`` (clamped), to highlight."""
        if not self.paths:
            return [], []
        path = self.paths[min(max(index, 0), len(self.paths) - 1)]
        return list(path.nodes), [f"{h.source}|{h.target}|{h.key}" for h in path.hops]

    def highlight(self, view: View) -> tuple[list[str], list[str]]:
        """The view's chosen path and its highlighted entities that are drawn: nodes, edges."""
        nodes, edges = self.path_highlight(view.path_choice)
        nodes += [n for n in view.highlight if n in self.graph and n not in nodes]
        return nodes, edges


def filtered(G: nx.MultiDiGraph, view: View) -> tuple[nx.MultiDiGraph, str]:
    """``G`` after the view's filters and degree threshold, and a note if a filter was invalid.

    With ``view.context``, the entities one relation away from what a type, relation or
    document filter selects stay too, with the relations joining them to it (not those among
    themselves); they are listed in the result's ``graph["context"]`` (:data:`CONTEXT_KEY`),
    which every subgraph taken of it carries on, and the :class:`Scene` fades them.

    >>> from graph.load import load_graph
    >>> G = load_graph({"entities.csv": "id,name,type\\na,A,ngo\\nb,B,law\\nc,C,ngo\\n",
    ...                 "relations.csv": "source,target,relation\\na,b,advocated_for\\n"})
    >>> sorted(filtered(G, View(hide_isolated=True))[0])
    ['a', 'b']
    >>> sorted(filtered(G, View(types=("law",)))[0])
    ['b']
    >>> H = filtered(G, View(types=("law",), context=True))[0]
    >>> sorted(H), sorted(H.graph["context"])
    (['a', 'b'], ['a'])
    """
    note = ""
    try:
        H = query.filter_graph(
            G,
            types=view.types,
            relations=view.relations,
            documents=view.documents,
            date_from=view.date_from,
            date_to=view.date_to,
            keep_undated=view.keep_undated,
            min_sources=view.min_sources,
            modalities=view.modalities,
        )
    except GraphError as error:
        H, note = G, f"Date filter ignored: {error}"
    threshold = max(view.min_degree, 1 if view.hide_isolated else 0)
    if threshold:
        H = query.induced(H, [n for n, d in H.degree() if d >= threshold])
    if view.context and (view.types or view.relations or view.documents):
        H = with_context(G if note else _dated(G, view), H)
    return H, note


def _dated(G: nx.MultiDiGraph, view: View) -> nx.MultiDiGraph:
    """``G`` after the view's date filter alone: where context is looked for."""
    return query.filter_graph(
        G, date_from=view.date_from, date_to=view.date_to, keep_undated=view.keep_undated
    )


def with_context(G: nx.MultiDiGraph, H: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """``H`` (a part of ``G``) with every entity one relation away from it in ``G``, joined to
    it by every relation that touches it; the added entities are listed in
    ``graph["context"]``. Relations among the added entities are left out.

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph([("a", "b"), ("b", "c"), ("c", "d"), ("b", "d")])
    >>> K = with_context(G, G.subgraph(["b"]))
    >>> sorted(K), sorted(K.graph["context"]), sorted(K.edges())
    (['a', 'b', 'c', 'd'], ['a', 'c', 'd'], [('a', 'b'), ('b', 'c'), ('b', 'd')])
    """
    chosen = set(H)
    extra = {m for n in chosen for m in nx.all_neighbors(G, n) if m not in chosen}
    K = query.induced(G, chosen | extra)
    K.remove_edges_from([(u, v, k) for u, v, k in K.edges(keys=True) if u in extra and v in extra])
    K.graph[CONTEXT_KEY] = frozenset(extra)
    return K


def scoped(
    G: nx.MultiDiGraph, F: nx.MultiDiGraph, view: View
) -> tuple[nx.MultiDiGraph, list[Path], list[str]]:
    """The focus neighbourhood (or everything) plus the paths asked for, within ``F`` (the
    filtered part of ``G``); notes say what could not be shown."""
    notes: list[str] = []
    keep: set[str] | None = None
    if view.focus:
        if view.focus in F:
            keep = set(
                query.neighborhood(F, view.focus, depth=view.depth, direction=view.direction)
            )
        else:
            notes.append(
                f"The focus entity {entity_name(G, view.focus)} is hidden by "
                "the filters, so the whole filtered graph is shown."
            )
    paths: list[Path] = []
    if view.has_path():
        assert view.path_from is not None and view.path_to is not None
        missing = [e for e in (view.path_from, view.path_to) if e not in F]
        if missing:
            notes.append(
                "The path finder needs both ends in the view; hidden by the filters: "
                + ", ".join(entity_name(G, e) for e in missing)
                + "."
            )
        else:
            paths = query.find_paths(
                F, view.path_from, view.path_to, max_hops=view.max_hops, k=PATHS_SHOWN
            )
            if keep is not None:
                keep.update(n for p in paths for n in p.nodes)
    V = F if keep is None else query.induced(F, keep)
    return V, paths, notes


def cap_measure(view: View, entities: int) -> str:
    """The measure that ranks a capped view: the view's size measure, or degree when that
    measure would take too long on ``entities`` entities."""
    limit = CAP_MEASURE_LIMITS.get(view.size_by)
    return view.size_by if limit is None or entities <= limit else "degree"


def scores(G: nx.MultiDiGraph, by: str) -> dict[str, float]:
    """Every entity's score under ``by`` (degree, pagerank or betweenness)."""
    return betweenness(G) if by == "betweenness" else analytics.scores(G, by)


def capped(
    V: nx.MultiDiGraph,
    must: Iterable[str],
    by: str,
    values: Mapping[str, float],
    max_drawn: int = MAX_DRAWN,
) -> nx.MultiDiGraph:
    """The ``max_drawn`` entities of ``V`` to draw: ``must`` first, then the top by ``values``
    (ties by id, so the choice is stable)."""
    must = list(dict.fromkeys(must))
    chosen = set(must)
    rest = sorted((n for n in V if n not in chosen), key=lambda n: (-values.get(n, 0.0), n))
    return query.induced(V, [*must, *rest[: max(0, max_drawn - len(must))]])


def scene_key(view: View, capped_by: str | None = None, dataset: str = "") -> str:
    """Names the drawn graph: the size measure only matters when it chose what to draw."""
    spec = (dataset, view.scene_key()[:-1], capped_by)
    return hashlib.sha1(repr(spec).encode()).hexdigest()[:16]


def scene(
    G: nx.MultiDiGraph, view: View, *, dataset: str = "", max_drawn: int | None = MAX_DRAWN
) -> Scene:
    """What to draw for ``view`` of ``G``: filters, focus, paths, then the cap.

    ``max_drawn=None`` draws every entity of the view (no cap); ``dataset`` names ``G`` in the
    scene's key. The focus and the paths' entities are always drawn.

    >>> from graph.load import load_graph
    >>> G = load_graph({"entities.csv": "id,name,type\\na,A,ngo\\nb,B,law\\nc,C,tool\\n",
    ...                 "relations.csv": "source,target,relation\\na,b,advocated_for\\n"
    ...                                  "b,c,concerns\\n"})
    >>> drawn = scene(G, View(path_from="a", path_to="c"), max_drawn=2)
    >>> sorted(drawn.graph), drawn.total, drawn.capped_by, [p.nodes for p in drawn.paths]
    (['a', 'b', 'c'], 3, 'degree', [['a', 'b', 'c']])
    >>> drawn = scene(G, View(), max_drawn=2)
    >>> sorted(drawn.graph), drawn.capped_by
    (['a', 'b'], 'degree')
    """
    F, note = filtered(G, view)
    V, paths, notes = scoped(G, F, view)
    return finish(
        V,
        view,
        paths,
        [note, *notes] if note else notes,
        dataset=dataset,
        max_drawn=max_drawn,
        scores_of=scores,
    )


def finish(
    V: nx.MultiDiGraph,
    view: View,
    paths: list[Path],
    notes: list[str],
    *,
    dataset: str = "",
    max_drawn: int | None = MAX_DRAWN,
    scores_of: Callable[[nx.MultiDiGraph, str], Mapping[str, float]] = scores,
) -> Scene:
    """The scene for the scoped graph ``V``: capped to ``max_drawn`` entities when larger.

    ``scores_of(V, by)`` ranks the entities (the app passes a cached one).
    """
    must = {n for p in paths for n in p.nodes}
    if view.focus is not None and view.focus in V:
        must.add(view.focus)
    total = V.number_of_nodes()
    if max_drawn is None or total <= max_drawn:
        return Scene(
            V,
            scene_key(view, None, dataset),
            total,
            tuple(paths),
            tuple(notes),
            must_show=frozenset(must),
        )
    by = cap_measure(view, total)
    drawn = capped(V, sorted(must), by, scores_of(V, by), max_drawn)
    return Scene(
        drawn, scene_key(view, by, dataset), total, tuple(paths), tuple(notes), by, frozenset(must)
    )


# --- how it is drawn ------------------------------------------------------------------------


@dataclass(frozen=True)
class Drawing:
    """How a scene is drawn: where each entity goes, its colour group and size score, and what
    stands out (the chosen path, the view's highlights) and what is faded (context kept by a
    filter, :attr:`Scene.context`). The keyword arguments of
    :func:`graph.vis.vis_data` and :func:`graph.page.standalone_html` are :meth:`options`."""

    positions: Mapping[str, tuple[float, float]]
    color_by: str = "type"
    communities: Mapping[str, int] | None = None
    size_by: Mapping[str, float] | None = None
    highlight_nodes: tuple[str, ...] = ()
    highlight_edges: tuple[str, ...] = ()
    faded_nodes: tuple[str, ...] = ()

    def options(self) -> dict[str, Any]:
        """The drawing as keyword arguments for the vis-network data and the HTML page."""
        return {
            "positions": self.positions,
            "color_by": self.color_by,
            "communities": self.communities,
            "size_by": self.size_by,
            "highlight_nodes": self.highlight_nodes,
            "highlight_edges": self.highlight_edges,
            "faded_nodes": self.faded_nodes,
        }


def drawing(
    drawn: Scene,
    view: View,
    *,
    positions_of: Callable[[nx.MultiDiGraph, str], Mapping[str, tuple[float, float]]] | None = None,
    scores_of: Callable[[nx.MultiDiGraph, str], Mapping[str, float]] = scores,
    communities_of: Callable[[nx.MultiDiGraph], list[list[str]]] | None = None,
) -> Drawing:
    """How ``drawn`` looks under ``view``'s layout, colouring, sizing and highlights.

    The ``*_of`` functions compute positions, scores and communities (the app passes cached
    ones); by default :func:`graph.layout.compute_layout` and :func:`graph.analytics.communities`.

    >>> from graph.load import load_graph
    >>> G = load_graph({"entities.csv": "id,name,type\\na,A,ngo\\nb,B,law\\nc,C,tool\\n",
    ...                 "relations.csv": "source,target,relation\\na,b,advocated_for\\n"
    ...                                  "b,c,concerns\\n"})
    >>> view = View(path_from="a", path_to="c", highlight=("c",), color_by="community")
    >>> look = drawing(scene(G, view), view)
    >>> sorted(look.positions), look.highlight_nodes, look.highlight_edges
    (['a', 'b', 'c'], ('a', 'b', 'c'), ('a|b|0', 'b|c|0'))
    >>> sorted(set(look.communities.values()))
    [0]
    """
    if positions_of is None:
        positions_of = layout.compute_layout
    if communities_of is None:
        communities_of = analytics.communities
    membership = None
    if view.color_by == "community":
        membership = {
            n: i for i, members in enumerate(communities_of(drawn.graph)) for n in members
        }
    nodes, edges = drawn.highlight(view)
    return Drawing(
        positions_of(drawn.graph, view.layout),
        view.color_by,
        membership,
        scores_of(drawn.graph, view.size_by),
        tuple(nodes),
        tuple(edges),
        tuple(n for n in drawn.graph if n in drawn.context),
    )
