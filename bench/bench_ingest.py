"""Benchmark ingesting a report (``graph.ingest``), with the bundled data as the answer key.

A benchmark, not a test. An entity "belongs" to the documents in its ``documents`` column; a
proposal matches an entity when one of its names or aliases is one of the entity's (compared
folded, lower case, without "the" or a possessive, singular or plural, US or UK spelling), and
a proposed finding matches a finding whose name holds the same figure. It reports, for each
of the five documents:

- **new**: the document ingested into an empty dataset (the bundled types and relation types,
  no entities): the recall of its entities among the proposals (target >= 80%), the share of
  proposed relations joining a pair the bundled data joins (>= 50%), quotes verbatim (100%);
- **again**: the document ingested into the bundled data under a new id: the share of its
  entities recognised as mentions (>= 95%) and the proposals of an entity the data already
  has (target 0);
- **speed**: a 10-page report (the five texts concatenated to 30,000 characters, about 10
  pages) ingested end to end (``ingest_file``: read, propose, validate) against the bundled
  data, in seconds (target < 2 s), and as a ratio against reading its text, and against
  extracting it from a 10-page PDF, in the same process;
- **index**: the index of known names (``graph.ingest_entities.known_index``) of the bundled
  data and of synthetic datasets (:mod:`bench.synthetic`, 10,000 and 100,000 entities): its
  build, as a ratio against putting every name and alias in one dict (the floor of any index
  of names), and a scan of a 100,000-character text (the five concatenated) for the names it
  holds (``find``, then the names inside those found, as ingest reads them), as a ratio
  against reading the text's words once with one regular expression; both measured in the
  same process on the same dataset and text.

Usage::

    .venv/bin/python -m bench.bench_ingest [--repeat 3] [--index-sizes 10000 100000] [--json]
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

from bench.synthetic import generate
from bench.timing import best_of
from graph import store
from graph.extract import extract_text, read_document
from graph.ingest import entities, ingest, ingest_file, relations, validated
from graph.ingest_entities import NameIndex, _build_index, _variants
from graph.ingest_text import folded, normal
from graph.load import load_graph

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
SOURCES = next(  # not shipped: beside the repository, or the workspace's
    (p for p in (ROOT.parent / "shared" / "sources", Path("/work/shared/sources")) if p.is_dir()),
    ROOT.parent / "shared" / "sources",
)
PAGE = 3_000
"""Characters on a page of a report."""
SCAN = 100_000
"""Characters of the text the index of known names is timed on."""


def empty_dataset(folder: Path) -> Path:
    """A dataset with the bundled types (and relation types) and no rows."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(DATA / "types.csv", folder / "types.csv")
    (folder / "entities.csv").write_text("id,name,type,aliases,description,documents,date\n")
    (folder / "relations.csv").write_text(
        "id,source,target,relation,modality,evidence,documents,date\n"
    )
    (folder / "documents.csv").write_text("id,title,publisher,author,date,url,kind,source_file\n")
    return folder


def _names(row: dict[str, Any]) -> set[str]:
    aliases = row.get("aliases") or ()
    if isinstance(aliases, str):
        aliases = aliases.split("|")
    return {normal(v) for n in [row.get("name", ""), *aliases] if n for v in _variants(n)}


def _figure(text: str) -> str:
    return re.sub(r"[,\s]+", "", text.lower()).replace("percent", "%")


def matches(proposal: dict[str, Any], key: dict[str, Any]) -> bool:
    """Whether a proposed entity row is the answer key's entity."""
    if key.get("type") == "finding" or proposal.get("type") == "finding":
        if key.get("type") != proposal.get("type"):
            return False
        figure = _figure(
            re.sub(r"^(nearly|over|more than|about|almost)\s+", "", proposal["name"], flags=re.I)
        )
        return bool(figure) and figure in _figure(key["name"])
    return bool(_names(proposal) & _names(key))


def key_rows(G: Any) -> dict[str, dict[str, Any]]:
    return {
        str(n): {"id": n, "name": d["name"], "type": d["type"], "aliases": list(d["aliases"])}
        for n, d in G.nodes(data=True)
    }


def quotes_of(change_set: dict[str, Any]) -> list[str]:
    found = [c["quote"] for c in change_set["changes"] if c.get("quote")]
    found += [r["evidence"] for r in relations(change_set)]
    return found + [m["quote"] for m in change_set["mentions"]]


def score_new(G: Any, doc_id: str, text: str, empty: Path) -> dict[str, Any]:
    keys = key_rows(G)
    wanted = {k: row for k, row in keys.items() if doc_id in G.nodes[k]["documents"]}
    change_set = ingest(text, load_graph(empty), document_id=f"{doc_id}_new")
    change_set = validated(change_set, store.read_files(empty))
    proposed = entities(change_set)
    found = {k for k, row in wanted.items() if any(matches(p, row) for p in proposed)}
    to_key: dict[str, set[str]] = {
        p["id"]: {k for k, row in keys.items() if matches(p, row)} for p in proposed
    }
    pairs = {frozenset((u, v)) for u, v in G.edges()}
    rels = relations(change_set)
    joined = sum(
        any(
            frozenset((a, b)) in pairs
            for a in to_key.get(r["source"], ())
            for b in to_key.get(r["target"], ())
        )
        for r in rels
    )
    quotes = quotes_of(change_set)
    return {
        "document": doc_id,
        "entities": len(wanted),
        "recall": len(found) / len(wanted) if wanted else 1.0,
        "missed": sorted(set(wanted) - found),
        "proposed": len(proposed),
        "relations": len(rels),
        "relations_in_data": joined / len(rels) if rels else 0.0,
        "quotes": len(quotes),
        "verbatim": sum(q in text and len(q) < 200 for q in quotes) / len(quotes) if quotes else 1,
    }


def named_in(row: dict[str, Any], text: str) -> bool:
    """Whether the text writes one of the entity's names or aliases (a plural or singular,
    US or UK spelling, without "the"), as whole words in any case: an entity the answer key
    ties to a document that never names it is a data case, not a recognition failure. A
    finding is named by its figure, not its name: counted as named."""
    if row.get("type") == "finding":
        return True
    lowered = re.sub(r"\s+", " ", normal(text))
    return any(re.search(rf"(?<![\w-]){re.escape(name)}(?![\w])", lowered) for name in _names(row))


def score_again(G: Any, doc_id: str, text: str) -> dict[str, Any]:
    keys = key_rows(G)
    wanted = {k for k in keys if doc_id in G.nodes[k]["documents"]}
    change_set = ingest(text, G, document_id=f"{doc_id}_again")
    mentioned = {m["entity"] for m in change_set["mentions"]}
    twice = [
        p["name"] for p in entities(change_set) if any(matches(p, row) for row in keys.values())
    ]
    named = {k for k in wanted if named_in(keys[k], text)}
    return {
        "document": doc_id,
        "recognised": len(wanted & mentioned) / len(wanted) if wanted else 1.0,
        "not_recognised": sorted(wanted - mentioned),
        "proposed_twice": twice,
        # Printed beside the score, not instead of it: the entities the text names by one of
        # their names, and how many of those were recognised.
        "named": len(named),
        "recognised_of_named": len(named & mentioned) / len(named) if named else 1.0,
        "not_named": sorted(wanted - named),
    }


def ten_pages(texts: list[str]) -> str:
    report = ""
    while len(report) < 10 * PAGE:
        report += "\n\n".join(texts) + "\n\n"
    return report[: report.rfind("\n", 0, 10 * PAGE + PAGE // 2)] + "\n"


def pdf_of(text: str, path: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import textwrap

    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages

    lines = [w for para in text.splitlines() for w in (textwrap.wrap(para, 95) or [""])]
    per_page = 55
    with PdfPages(path) as pdf:
        for first in range(0, len(lines), per_page):
            figure = plt.figure(figsize=(8.5, 11))
            for row, line in enumerate(lines[first : first + per_page]):
                figure.text(0.05, 0.96 - row * 0.017, line, fontsize=8)
            pdf.savefig(figure)
            plt.close(figure)
    return path


def speed(texts: list[str], work: Path, repeat: int) -> dict[str, Any]:
    report = ten_pages(texts)
    txt = work / "report.txt"
    txt.write_text(report, encoding="utf-8")
    pdf = pdf_of(report, work / "report.pdf")
    folder = work / "data"
    shutil.copytree(DATA, folder)
    read = best_of(repeat, lambda: read_document(txt))
    extract = best_of(repeat, lambda: extract_text(pdf.read_bytes(), "report.pdf"))
    whole = best_of(repeat, lambda: ingest_file(txt, folder, document_id="ten_pages"))
    whole_pdf = best_of(repeat, lambda: ingest_file(pdf, folder, document_id="ten_pages"))
    return {
        "characters": len(report),
        "pages": round(len(report) / PAGE, 1),
        "pdf_pages": len(__import__("pypdf").PdfReader(pdf).pages),
        "seconds_txt": whole,
        "seconds_pdf": whole_pdf,
        "read_txt_seconds": read,
        "extract_pdf_seconds": extract,
        "ratio_vs_reading": whole / read if read else None,
        "ratio_vs_pdf_extraction": whole_pdf / extract if extract else None,
    }


def names_dict(G: Any) -> dict[str, str]:
    """Every name and alias of ``G`` in lower case, in one dict: the floor of any index of
    names (the baseline of the index's build)."""
    return {
        str(name).lower(): str(node)
        for node, data in G.nodes(data=True)
        for name in (data.get("name") or node, *data["aliases"])
    }


def read_words(text: str) -> int:
    """The words of ``text``, read once with one regular expression (the baseline of a scan)."""
    return sum(1 for _ in re.finditer(r"\w+", text))


def scan(index: NameIndex, text: str) -> int:
    """The known names in ``text``, as ingest reads them: those found, then the names inside
    them; how many."""
    found = index.find(text)
    return len(found) + len(index.nested(text, found))


def index_speed(G: Any, label: str, text: str, repeat: int) -> dict[str, Any]:
    """The index of ``G``'s names: its build and a scan of ``text``, each beside its baseline."""
    build = best_of(repeat, lambda: _build_index(G))
    floor = best_of(repeat, lambda: names_dict(G))
    index = _build_index(G)
    took = best_of(repeat, lambda: scan(index, text))
    words = best_of(repeat, lambda: read_words(text))
    return {
        "dataset": label,
        "entities": len(G),
        "spellings": len(index),
        "build_seconds": build,
        "names_dict_seconds": floor,
        "build_ratio": build / floor if floor else None,
        "characters": len(text),
        "scan_seconds": took,
        "read_words_seconds": words,
        "scan_ratio": took / words if words else None,
        "names_found": scan(index, text),
    }


def index_speeds(G: Any, texts: list[str], work: Path, sizes: list[int], repeat: int):
    """:func:`index_speed` for the bundled data and a synthetic dataset of each size."""
    text = ""
    while len(text) < SCAN:
        text += "\n\n".join(texts) + "\n\n"
    text = folded(text[:SCAN])
    rows = [index_speed(G, "bundled", text, repeat)]
    for n in sizes:
        folder = work / f"synthetic_{n}"
        generate(folder, n)
        rows.append(index_speed(load_graph(folder), f"synthetic {n:,}", text, repeat))
    return rows


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--index-sizes",
        type=int,
        nargs="*",
        default=[10_000, 100_000],
        help="entities of each synthetic dataset the index of known names is timed on",
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    G = load_graph(DATA)
    documents = G.graph["documents"]
    results: dict[str, Any] = {"new": [], "again": []}
    texts = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for doc_id, meta in documents.items():
            text = (SOURCES / meta["source_file"]).read_text(encoding="utf-8")
            texts.append(text)
            empty = empty_dataset(work / f"empty_{doc_id}")
            results["new"].append(score_new(G, doc_id, text, empty))
            results["again"].append(score_again(G, doc_id, text))
        results["speed"] = speed(texts, work, args.repeat)
        results["index"] = index_speeds(G, texts, work, args.index_sizes, args.repeat)
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        print(table(results))
    return results


def table(results: dict[str, Any]) -> str:
    lines = [
        "| document | its entities | recall (new) | proposed | relations | in the data "
        "| quotes verbatim | recognised (again) | of those named | proposed twice |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for new, again in zip(results["new"], results["again"], strict=True):
        lines.append(
            f"| {new['document']} | {new['entities']} | {new['recall']:.0%} | {new['proposed']} "
            f"| {new['relations']} | {new['relations_in_data']:.0%} | {new['verbatim']:.0%} "
            f"| {again['recognised']:.0%} | {again['recognised_of_named']:.0%} "
            f"({again['named']}) | {len(again['proposed_twice'])} |"
        )
    s = results["speed"]
    lines += [
        "",
        f"10-page report ({s['characters']:,} characters; a {s['pdf_pages']}-page PDF): "
        f"ingest {s['seconds_txt']:.2f} s from .txt ({s['ratio_vs_reading']:,.0f}x reading the "
        f"text), {s['seconds_pdf']:.2f} s from .pdf ({s['ratio_vs_pdf_extraction']:.1f}x "
        "extracting its text with pypdf)",
        "",
        f"Index of known names (best of each; the scan: {SCAN:,} characters, the five texts "
        "concatenated):",
        "",
        "| dataset | entities | spellings | build | vs one dict of the names | scan "
        "| vs reading its words | names found |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in results["index"]:
        lines.append(
            f"| {row['dataset']} | {row['entities']:,} | {row['spellings']:,} "
            f"| {row['build_seconds']:.3f} s | {row['build_ratio']:.1f}x "
            f"| {row['scan_seconds']:.3f} s | {row['scan_ratio']:.1f}x | {row['names_found']:,} |"
        )
    lines.append("")
    for new in results["new"]:
        if new["missed"]:
            lines.append(f"missed in {new['document']}: {', '.join(new['missed'])}")
    for again in results["again"]:
        if again["not_recognised"] or again["proposed_twice"]:
            lines.append(
                f"again {again['document']}: not recognised {again['not_recognised']}, "
                f"proposed twice {again['proposed_twice']}"
            )
        if again["not_named"]:
            lines.append(
                f"data cases in {again['document']} (tied to it, never named in its text): "
                f"{', '.join(again['not_named'])}"
            )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
