"""The command line: ``python -m graph COMMAND``, a thin layer over the library.

Each command parses its options, makes one or two library calls and prints the result, as text
or (``--json``) as JSON. Exit codes: 0 ok, 1 bad data or nothing found, 2 usage.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import networkx as nx

from . import analytics, changes, export, ingest, query, search, store
from . import view as views
from .errors import DataError, GraphError, UsageError
from .evidence import SOURCES_FOLDER
from .load import DATASET_FILES, control_characters, load_graph
from .query import entity_name
from .schema import STATED

DEFAULT_DATA = Path(__file__).resolve().parent.parent / "data"
EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class NothingFound(GraphError):
    """A query that ran fine but found nothing (exit 1)."""


def _csv_list(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _out_path(text: str) -> Path:
    if not text.strip():
        raise argparse.ArgumentTypeError("is empty: name the file or folder to write")
    return Path(text)


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return value


def _common(json_output: bool = True) -> argparse.ArgumentParser:
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument(
        "--data",
        type=Path,
        default=DEFAULT_DATA,
        metavar="DIR",
        help="dataset folder or .zip (default: the bundled data/)",
    )
    if json_output:
        parent.add_argument("--json", action="store_true", help="print JSON instead of text")
    return parent


COMMANDS: dict[str, tuple[str, str]] = {
    "validate": (
        "Check a dataset and build its graph exactly as the app does.",
        "python -m graph validate --data my_dataset/",
    ),
    "stats": (
        "Counts by type and relation, components, density, most connected.",
        "python -m graph stats --json",
    ),
    "search": (
        "Find entities by name, alias, acronym or description (typos forgiven).",
        'python -m graph search "arachnid"',
    ),
    "show": (
        "An entity's details and every relation with its evidence.",
        "python -m graph show NCMEC",
    ),
    "neighbors": (
        "Entities within N hops of an entity.",
        'python -m graph neighbors "Operation Synergia" --depth 2',
    ),
    "path": (
        "The k shortest paths between two entities, hop by hop with evidence.",
        "python -m graph path PACT NCMEC --max-hops 4 --k 3",
    ),
    "rank": (
        "Entities ranked by degree, betweenness or PageRank.",
        "python -m graph rank --by pagerank --top 10",
    ),
    "communities": (
        "Louvain communities (fixed seed, stable across runs).",
        "python -m graph communities --json",
    ),
    "export": (
        "Write the graph or a subgraph as csv, graphml, gexf, json, cypher, html, or a "
        "picture: svg, pdf, png.",
        "python -m graph export --format gexf --out ncmec.gexf --view "
        "'focus=ncmec&depth=2&types=ngo,agency'",
    ),
    "handout": (
        "A printable PDF of a guided tour (a cover, a page per step) or of one view.",
        "python -m graph handout --tour technology_abuse_stages --out tour.pdf --paper letter",
    ),
    "apply": (
        "Apply a change set (JSON) to a dataset folder: validated, saved atomically, undoable.",
        "python -m graph apply --data my_dataset/ changes.json --dry-run",
    ),
    "history": (
        "The change sets applied to a dataset folder, oldest first.",
        "python -m graph history --data my_dataset/ --json",
    ),
    "undo": (
        "Restore a dataset folder as it was before its latest change set, byte for byte.",
        "python -m graph undo --data my_dataset/",
    ),
    "check-evidence": (
        "Check that every quote stands verbatim in each document it is cited with.",
        "python -m graph check-evidence --data data --sources ../shared/sources",
    ),
    "ingest": (
        "Propose what a new report adds (entities, relations, findings), each with its quote.",
        "python -m graph ingest report.pdf --data my_dataset/ --id new_report --out changes.json",
    ),
}
FOLDER_COMMANDS = ("apply", "history", "undo", "check-evidence", "ingest")
"""Commands that read the dataset themselves rather than take its graph (check-evidence loads
it with its documents' texts)."""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, one sub-command per library question."""
    parser = argparse.ArgumentParser(
        prog="python -m graph",
        description="Explore the technology-and-human-trafficking knowledge graph.",
        epilog="Example: python -m graph search NCMEC",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    common = _common()
    sub = {}
    for name, (summary, example) in COMMANDS.items():
        sub[name] = commands.add_parser(
            name, parents=[common], help=summary, description=summary, epilog=f"Example: {example}"
        )
    sub["search"].add_argument("query", help="text to look for")
    sub["search"].add_argument("--limit", type=_positive, default=10, help="most results (10)")
    sub["show"].add_argument("entity", help="an id, a name or an alias")
    sub["neighbors"].add_argument("entity", help="an id, a name or an alias")
    sub["neighbors"].add_argument("--depth", type=int, default=1, help="hops (default 1)")
    sub["neighbors"].add_argument("--direction", choices=query.DIRECTIONS, default="both")
    sub["path"].add_argument("source", help="where the path starts (id, name or alias)")
    sub["path"].add_argument("target", help="where it ends")
    sub["path"].add_argument("--max-hops", type=_positive, default=4, help="longest path (4)")
    sub["path"].add_argument("--k", type=_positive, default=3, help="how many paths (3)")
    sub["apply"].add_argument(
        "changes", type=Path, help="the change set, a JSON file (- for stdin)"
    )
    sub["apply"].add_argument(
        "--dry-run", action="store_true", help="validate and report, write nothing"
    )
    sub["rank"].add_argument("--by", choices=analytics.MEASURES, default="degree")
    sub["rank"].add_argument("--top", type=_positive, default=10, help="how many (10)")
    sub["check-evidence"].add_argument(
        "--sources",
        type=Path,
        metavar="DIR",
        help="folder of the documents' texts, by documents.csv's source_file "
        "(default: the dataset's sources/)",
    )
    _export_options(sub["export"])
    _handout_options(sub["handout"])
    ingest.add_arguments(sub["ingest"])
    return parser


def _handout_options(parser: argparse.ArgumentParser) -> None:
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--tour", metavar="ID", help="the tour's id (in the dataset's tours.yaml)")
    which.add_argument("--view", metavar="LINK", help="a link or its query string: one view")
    parser.add_argument("--out", required=True, type=_out_path, help="the PDF file to write")
    parser.add_argument("--paper", choices=("a4", "letter"), default="a4", help="paper (a4)")


def _export_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", required=True, choices=export.FORMATS, dest="fmt")
    parser.add_argument(
        "--out",
        required=True,
        type=_out_path,
        help="file to write (csv: a new or empty folder, or a .zip); written under a "
        "temporary name and renamed, so a failure leaves nothing behind",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="with --format csv: replace an --out folder that holds an earlier export, whole",
    )
    parser.add_argument("--title", help="title of the HTML page")
    parser.add_argument(
        "--view",
        metavar="LINK",
        help="a link copied from the app's address bar, or its query string "
        "(e.g. 'focus=ncmec&depth=2'): exports exactly what the app draws "
        "for it; the options below change that view",
    )
    parser.add_argument("--focus", metavar="ENTITY", help="export only this entity's neighbourhood")
    parser.add_argument(
        "--depth", type=int, choices=views.DEPTHS, help="neighbourhood depth with --focus (1)"
    )
    parser.add_argument(
        "--direction",
        choices=tuple(views.DIRECTIONS),
        help="follow relations both ways (default), out or in",
    )
    parser.add_argument("--types", type=_csv_list, metavar="T,..", help="entity types to keep")
    parser.add_argument("--relations", type=_csv_list, metavar="R,..", help="relations to keep")
    parser.add_argument(
        "--documents", type=_csv_list, metavar="D,..", help="keep what these documents support"
    )
    parser.add_argument(
        "--layout",
        choices=tuple(views.LAYOUTS),
        help="positions written with graphml, gexf and html (force)",
    )
    parser.add_argument(
        "--all",
        action="store_true",
        dest="uncapped",
        help=f"export every entity of the view, even above the app's "
        f"{views.MAX_DRAWN:,}-entity drawing cap",
    )
    parser.add_argument("--width", type=float, help="svg, pdf, png: width in inches (10)")
    parser.add_argument("--height", type=float, help="svg, pdf, png: height in inches (fits)")
    parser.add_argument("--dpi", type=int, default=150, help="png: dots per inch (150)")
    parser.add_argument(
        "--dialect",
        choices=export.CYPHER_DIALECTS,
        default="neo4j",
        help="Cypher dialect with --format cypher (neo4j)",
    )


def export_view(G: nx.MultiDiGraph, args: argparse.Namespace) -> tuple[views.View, list[str]]:
    """The view ``export`` writes: the ``--view`` link, changed by the other options, and the
    warnings the app would show for the link."""
    view, warnings = views.View(), list[str]()
    if args.view:
        view, warnings = views.from_query(args.view, G)
        warnings += views.unknown_params(args.view)
    changes: dict[str, Any] = {}
    if args.focus:
        changes["focus"] = search.resolve(G, args.focus)
    for name in ("depth", "direction", "types", "relations", "documents", "layout"):
        value = getattr(args, name)
        if value is not None:
            changes[name] = tuple(value) if isinstance(value, list) else value
    return replace(view, **changes), warnings


# --- commands: each returns (data for --json, text lines) -----------------------------------


def cmd_validate(G: nx.MultiDiGraph, args: argparse.Namespace) -> tuple[Any, list[str]]:
    warnings = [str(w) for w in [*G.graph["warnings"], *control_characters(G)]]
    summary = {
        "ok": True,
        "entities": G.number_of_nodes(),
        "relations": G.number_of_edges(),
        "documents": len(G.graph["documents"]),
        "warnings": warnings,
    }
    lines = [
        f"OK: {summary['entities']} entities, {summary['relations']} relations, "
        f"{summary['documents']} documents in {args.data}"
    ]
    lines += [f"warning: {w}" for w in warnings]
    return summary, lines


def cmd_stats(G: nx.MultiDiGraph, args: argparse.Namespace) -> tuple[Any, list[str]]:
    s = analytics.stats(G)
    if Path(args.data).is_dir():
        s["version"] = store.version(args.data)
    lines = [
        f"{s['entities']} entities, {s['relations']} relations, {s['documents']} documents",
        f"{s['components']} components (largest {s['largest_component']}), "
        f"density {s['density']}, {s['isolated']} isolated",
        "",
        "Entities by type:",
    ]
    lines += [
        f"  {count:5d}  {t}" for t, count in sorted(s["types"].items(), key=lambda kv: -kv[1])
    ]
    lines += ["", "Relations by kind:"]
    lines += [f"  {count:5d}  {r}" for r, count in s["relation_types"].items()]
    lines += ["", "Most connected:"]
    lines += [f"  {m['degree']:5d}  {m['name']} ({m['id']})" for m in s["most_connected"]]
    return s, lines


def cmd_search(G: nx.MultiDiGraph, args: argparse.Namespace) -> tuple[Any, list[str]]:
    hits = search.search(G, args.query, limit=args.limit)
    if not hits:
        raise NothingFound(f"No entity matches {args.query!r}.")
    data = [{"id": h.id, "name": h.name, "type": h.type, "score": h.score} for h in hits]
    return data, [f"{h.score:5.1f}  {h.name}  [{h.type}]  ({h.id})" for h in hits]


def cmd_show(G: nx.MultiDiGraph, args: argparse.Namespace) -> tuple[Any, list[str]]:
    details = query.entity_details(G, search.resolve(G, args.entity))
    lines = [f"{details['name']}  [{details['type_label']}]  ({details['id']})"]
    if details.get("aliases"):
        lines.append(f"Also known as: {', '.join(details['aliases'])}")
    if details.get("description"):
        lines.append(details["description"])
    if details.get("date"):
        lines.append(f"Date: {details['date']}")
    for doc in details["documents"]:
        lines.append(
            f"Source: {doc['title'] or doc['id']}"
            + (f" ({doc['publisher']})" if doc["publisher"] else "")
        )
    lines.append(f"\n{len(details['relations'])} relations:")
    for rel in details["relations"]:
        lines.append(f"- {rel['sentence']}" + _provenance_note(rel["modality"], rel["sources"]))
        lines += _quote_lines(rel["evidence"], rel["documents"], rel["citations"], "    ")
    return details, lines


def _provenance_note(modality: str, sources: Sequence[str]) -> str:
    """`` (proposed; 2 documents)``: how a relation is worded and how many documents back it."""
    parts = [] if modality == STATED else [modality]
    if len(sources) > 1:
        parts.append(f"{len(sources)} documents")
    return f" ({'; '.join(parts)})" if parts else ""


def _quote_lines(
    evidence: str, documents: Sequence[str], cited: Sequence[dict[str, str]], indent: str
) -> list[str]:
    lines = [f'{indent}"{evidence}" [{", ".join(documents)}]'] if evidence else []
    for citation in cited:
        where = f", {citation['locator']}" if citation.get("locator") else ""
        lines.append(f'{indent}"{citation["quote"]}" [{citation["document"]}{where}]')
    return lines


def cmd_neighbors(G: nx.MultiDiGraph, args: argparse.Namespace) -> tuple[Any, list[str]]:
    center = search.resolve(G, args.entity)
    H = query.neighborhood(G, center, depth=args.depth, direction=args.direction)
    entities = [
        {"id": n, "name": d.get("name", n), "type": d.get("type", "")}
        for n, d in H.nodes(data=True)
    ]
    relations = [
        {"source": u, "target": v, "relation": d.get("relation", "")}
        for u, v, d in H.edges(data=True)
    ]
    lines = [f"{len(entities)} entities within {args.depth} hop(s) of {G.nodes[center]['name']}:"]
    lines += [f"  {e['name']}  [{e['type']}]  ({e['id']})" for e in entities if e["id"] != center]
    return {"center": center, "entities": entities, "relations": relations}, lines


def cmd_path(G: nx.MultiDiGraph, args: argparse.Namespace) -> tuple[Any, list[str]]:
    source, target = search.resolve(G, args.source), search.resolve(G, args.target)
    found = query.find_paths(G, source, target, max_hops=args.max_hops, k=args.k)
    if not found:
        raise NothingFound(
            f"No path between {G.nodes[source]['name']} and "
            f"{G.nodes[target]['name']} within {args.max_hops} hops."
        )
    data = {
        "source": source,
        "target": target,
        "paths": [p.nodes for p in found],
        "hops": [
            [
                {
                    "source": h.source,
                    "relation": h.relation,
                    "target": h.target,
                    "modality": h.modality,
                    "evidence": h.evidence,
                    "documents": list(h.documents),
                    "citations": [c.as_dict() for c in h.citations],
                    "corroboration": h.corroboration,
                }
                for h in p.hops
            ]
            for p in found
        ],
    }
    lines = []
    for i, path in enumerate(found, 1):
        lines.append(f"Path {i} ({len(path.hops)} hops):")
        for hop, sentence in zip(path.hops, path.sentences(G)):
            behind = [*hop.documents, *(c.document for c in hop.citations)]
            note = _provenance_note(hop.modality, list(dict.fromkeys(behind)))
            lines.append(f"  {sentence}.{note}")
            cited = [c.as_dict() for c in hop.citations]
            lines += _quote_lines(hop.evidence, hop.documents, cited, "      ")
    return data, lines


def cmd_check_evidence(args: argparse.Namespace) -> tuple[Any, list[str]]:
    """Load the dataset with its documents' texts: every miss is a problem of the load."""
    sources = args.sources
    if sources is None:
        folder = Path(args.data) / SOURCES_FOLDER
        if not folder.is_dir():
            raise UsageError(
                f"{args.data} has no {SOURCES_FOLDER}/ folder of document texts; "
                "give one with --sources DIR"
            )
        sources = folder
    if not Path(sources).is_dir():
        raise UsageError(f"--sources {sources}: not a folder")
    G = load_graph(args.data, sources=sources)
    tally = G.graph.get("evidence") or {"checked": 0, "missed": 0, "unchecked": 0}
    if tally["unchecked"]:
        missing = [str(w) for w in G.graph["warnings"] if "quotes are not checked" in w.message]
        raise NothingFound(
            f"{tally['unchecked']} (quote, document) pairs could not be checked:\n"
            + "\n".join(missing)
        )
    data = {"ok": True, **tally, "sources": str(sources)}
    return data, [
        f"OK: {tally['checked']} (quote, document) pairs checked against the texts in "
        f"{sources}: every quote stands verbatim in each document it is cited with."
    ]


def cmd_rank(G: nx.MultiDiGraph, args: argparse.Namespace) -> tuple[Any, list[str]]:
    ranked = analytics.rank(G, by=args.by, top=args.top)
    data = [{"id": r.id, "name": r.name, "type": r.type, "score": r.score} for r in ranked]
    lines = [
        f"Top {len(ranked)} by {args.by}"
        + (
            " (estimated from a sample of sources)"
            if args.by == "betweenness" and analytics.is_sampled(G)
            else ""
        )
        + ":"
    ]
    lines += [f"  {r.score:10.4f}  {r.name}  ({r.id})" for r in ranked]
    return data, lines


def cmd_communities(G: nx.MultiDiGraph, args: argparse.Namespace) -> tuple[Any, list[str]]:
    groups = analytics.communities(G)
    data = [{"community": i, "size": len(m), "members": m} for i, m in enumerate(groups)]
    lines = []
    for i, members in enumerate(groups):
        names = ", ".join(entity_name(G, n) for n in members[:8])
        more = f" and {len(members) - 8} more" if len(members) > 8 else ""
        lines.append(f"Community {i} ({len(members)}): {names}{more}")
    return data, lines


def _check_not_source(out: Path, data: Path) -> None:
    """Refuse an ``--out`` that would overwrite the dataset being read: the dataset itself (a
    folder or a zip), a folder holding it, or one of its files."""
    target, source = out.resolve(), Path(data).resolve()
    files = (*DATASET_FILES, "tours.yaml", "tours.yml", "tours.json", "tours.toml")
    inside = source.is_dir() and target.parent == source and target.name.lower() in files
    if target == source or source.is_relative_to(target) or inside:
        raise UsageError(
            f"--out {out} would overwrite the dataset being read ({data}); write elsewhere"
        )


def cmd_export(G: nx.MultiDiGraph, args: argparse.Namespace) -> tuple[Any, list[str]]:
    _check_not_source(args.out, args.data)
    view, warnings = export_view(G, args)
    for warning in warnings:
        print(f"Warning: {warning}", file=sys.stderr)
    drawn = views.scene(G, view, max_drawn=None if args.uncapped else views.MAX_DRAWN)
    for note in (drawn.cap_note(), *drawn.notes):
        if note:
            print(f"Note: {note}", file=sys.stderr)
    look = views.drawing(drawn, view) if args.fmt in export.POSITIONED_FORMATS else None
    path = export.write(
        drawn.graph,
        args.fmt,
        args.out,
        title=args.title,
        drawing=look,
        dialect=args.dialect,
        replace=args.force,
        picture=_picture_size(args) if args.fmt in export.PICTURE_FORMATS else None,
    )
    data = {
        "format": args.fmt,
        "out": str(path),
        "entities": drawn.entities,
        "relations": drawn.relations,
        "view": views.to_query(view),
        "total": drawn.total,
        "capped_by": drawn.capped_by,
    }
    if args.fmt == "html" and data["entities"] > export.HTML_COMFORTABLE_ENTITIES:
        print(
            f"Note: a page with {data['entities']:,} entities is slow to open in a browser; "
            "--focus, --types, --relations or --documents export a part of the graph.",
            file=sys.stderr,
        )
    return data, [
        f"Wrote {data['entities']} entities and {data['relations']} relations "
        f"as {args.fmt} to {path}"
    ]


def _picture_size(args: argparse.Namespace) -> Any:
    from .static import PictureSize  # matplotlib only when a picture is drawn

    return PictureSize(args.width or 10.0, args.height, args.dpi)


def cmd_handout(G: nx.MultiDiGraph, args: argparse.Namespace) -> tuple[Any, list[str]]:
    from . import handout  # matplotlib only when a handout is made

    _check_not_source(args.out, args.data)
    pages: list[Any] = []
    if args.tour:
        tour = handout.find_tour(G, args.tour)
        make = lambda out: pages.extend(handout.tour_handout(G, tour, out, paper=args.paper))  # noqa: E731
    else:
        view = handout.read_view(G, args.view)
        make = lambda out: pages.extend(handout.view_handout(G, view, out, paper=args.paper))  # noqa: E731
    export.write_file(args.out, make)
    data = {"out": str(args.out), "pages": len(pages), **handout.page_count(pages)}
    return data, [f"Wrote a {len(pages)}-page handout ({args.paper}) to {args.out}"]


def cmd_apply(args: argparse.Namespace) -> tuple[Any, list[str]]:
    text = sys.stdin.read() if str(args.changes) == "-" else _read_text(args.changes)
    result, entry = changes.apply(args.data, changes.parse_change_set(text), dry_run=args.dry_run)
    data = {
        "dry_run": args.dry_run,
        "changed": list(result.changed),
        "summary": result.summary,
        "warnings": list(result.warnings),
        "entry": entry.as_dict() if entry else None,
    }
    done = "Would change" if args.dry_run else "Changed"
    counts = ", ".join(f"{n} {op}" for op, n in result.summary.items())
    lines = [f"{done} {', '.join(result.changed) or 'nothing'} ({counts})"]
    if entry is not None:
        lines.append(f"Version {entry.before} -> {entry.after}; `undo` restores {entry.before}.")
    data["quotes"] = [{"relation": r, "document": d, "status": q} for r, d, q in result.quotes]
    lines += [f"citation of {d} for {r}: quote {q}" for r, d, q in result.quotes]
    return data, lines + [f"warning: {w}" for w in result.warnings]


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise UsageError(f"{path}: cannot be read ({err})") from None


def cmd_history(args: argparse.Namespace) -> tuple[Any, list[str]]:
    entries = store.history(args.data)
    lines = [
        f"{e.number:4d}  {e.time}  {e.before} -> {e.after}  [{e.status}]  {e.message}"
        for e in entries
    ]
    return [e.as_dict() for e in entries], lines or ["No change sets applied yet."]


def cmd_undo(args: argparse.Namespace) -> tuple[Any, list[str]]:
    entry = store.undo(args.data)
    return entry.as_dict(), [f"{entry.message}: version {entry.before} -> {entry.after}"]


FOLDER_HANDLERS: dict[str, Callable[[argparse.Namespace], tuple[Any, list[str]]]] = {
    "check-evidence": cmd_check_evidence,
    "apply": cmd_apply,
    "history": cmd_history,
    "undo": cmd_undo,
    "ingest": ingest.command,
}

HANDLERS: dict[str, Callable[[nx.MultiDiGraph, argparse.Namespace], tuple[Any, list[str]]]] = {
    "validate": cmd_validate,
    "stats": cmd_stats,
    "search": cmd_search,
    "show": cmd_show,
    "neighbors": cmd_neighbors,
    "path": cmd_path,
    "rank": cmd_rank,
    "communities": cmd_communities,
    "export": cmd_export,
    "handout": cmd_handout,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return the exit code (0 ok, 1 bad data or nothing found, 2 usage)."""
    args = build_parser().parse_args(argv)
    try:
        if args.command in FOLDER_COMMANDS:
            if args.command != "check-evidence" and not Path(args.data).is_dir():
                raise UsageError(f"{args.data}: {args.command} needs a dataset folder")
            data, lines = FOLDER_HANDLERS[args.command](args)
        else:
            data, lines = HANDLERS[args.command](load_graph(args.data), args)
    except DataError as err:
        print(f"Error: {args.data}: {err}", file=sys.stderr)
        return EXIT_FAILED
    except UsageError as err:
        print(f"Error: {err}", file=sys.stderr)
        return EXIT_USAGE
    except GraphError as err:
        print(f"Error: {err}", file=sys.stderr)
        return EXIT_FAILED
    if getattr(args, "json", False):
        print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    else:
        print("\n".join(lines))
    return EXIT_OK


def run(argv: Sequence[str] | None = None) -> int:
    """:func:`main` for a terminal: a closed pipe (``| head``) or Ctrl-C ends quietly."""
    try:
        return main(argv)
    except BrokenPipeError:
        # The reader went away (`| head`); point stdout at devnull so the final flush is quiet.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt:
        return 130
