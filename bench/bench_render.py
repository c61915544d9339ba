"""Benchmark the drawing: layouts, drawing data and the HTML export at 200 / 1,500 / 10,000 nodes.

Covers graph.layout (``compute_layout``), graph.vis (``vis_data``, with its JSON size as the app
sends it and with ``details=True`` as the standalone page embeds it) and graph.page
(``standalone_html``).

A benchmark, not a test. Graphs are synthetic but in the graph.load contract shape (hub-heavy
preferential attachment plus random cross links, a few isolated nodes, realistic text lengths),
built in-process. Each timing is the best of ``--repeat`` runs. Ratios compare against a
baseline measured in the same process on the same graph: networkx's ``spring_layout`` with
default settings where it runs (networkx needs scipy for it above 500 nodes, and scipy is not
installed here), else ``forceatlas2_layout`` with default settings while it fits in memory.

Usage::

    .venv/bin/python bench/bench_render.py [--sizes 200 1500 10000] [--repeat 3] [--no-baseline]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import networkx as nx
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.timing import best_of  # noqa: E402
from graph.layout import LAYOUTS, compute_layout  # noqa: E402
from graph.page import standalone_html  # noqa: E402
from graph.schema import default_schema  # noqa: E402
from graph.vis import vis_data  # noqa: E402

WORDS = (
    "trafficking technology platform report agency hotline network data online support "
    "analysis recruitment screening victims operation funding research"
).split()


def synthetic_graph(n: int, seed: int = 1) -> nx.MultiDiGraph:
    """About 1.4 edges per node: a preferential-attachment tree plus random links."""
    rng = np.random.default_rng(seed)
    types = default_schema().type_ids()

    def text(k: int) -> str:
        return " ".join(rng.choice(WORDS, size=k))

    documents = {
        f"doc{i}": {
            "title": text(6).title(),
            "publisher": text(2).title(),
            "author": "",
            "date": "2024-01-01",
            "url": f"https://example.org/{i}",
            "kind": "report",
        }
        for i in range(max(10, n // 10))
    }
    doc_ids = list(documents)
    G = nx.MultiDiGraph(name=f"Synthetic {n}", documents=documents, schema=default_schema())
    isolated = max(1, n // 50)
    for i in range(n):
        G.add_node(
            f"e{i}",
            name=text(3).title(),
            type=types[int(rng.integers(len(types)))],
            aliases=[text(2)],
            description=text(18),
            documents=[doc_ids[int(j)] for j in rng.integers(len(doc_ids), size=2)],
            date="",
        )
    connected = n - isolated
    tree = nx.barabasi_albert_graph(connected, 1, seed=seed)
    pairs = list(tree.edges())
    extra = rng.integers(0, connected, size=(int(0.4 * connected), 2))
    pairs += [(int(u), int(v)) for u, v in extra if u != v]
    for u, v in pairs:
        G.add_edge(
            f"e{u}",
            f"e{v}",
            relation=str(rng.choice(["led", "supported", "runs"])),
            evidence=text(25),
            documents=[doc_ids[int(rng.integers(len(doc_ids)))]],
            date="",
        )
    return G


def baseline(G: nx.MultiDiGraph, repeat: int) -> tuple[str, float | None]:
    """networkx's default force layout on the same graph (skipped above 2,000 nodes: without
    scipy it is dense O(n^2) in time and memory, ~40 s at 1,500 nodes and gigabytes at 10k)."""
    n = G.number_of_nodes()
    if n > 2000:
        return "nx.spring_layout", None
    U = nx.Graph(G)
    runs = repeat if n <= 500 else 1
    try:
        return "nx.spring_layout", best_of(runs, lambda: nx.spring_layout(U, seed=7))
    except ImportError:
        return "nx.forceatlas2_layout", best_of(1, lambda: nx.forceatlas2_layout(U, seed=7))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 1500, 10000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-baseline", action="store_true")
    args = parser.parse_args(argv)

    print(f"{'nodes':>6} {'edges':>6}  {'what':<38} {'seconds':>9} {'vs baseline':>12}")
    for n in args.sizes:
        rows: list[tuple] = []
        G = synthetic_graph(n)
        base_name, base = ("skipped", None) if args.no_baseline else baseline(G, args.repeat)
        if base is not None:
            rows.append((n, G.number_of_edges(), f"baseline {base_name}", base, 1.0))
        for layout in LAYOUTS:
            t = best_of(args.repeat, lambda: compute_layout(G, layout))  # noqa: B023 (run now)
            rows.append(
                (n, G.number_of_edges(), f"compute_layout {layout}", t, t / base if base else None)
            )
        positions = compute_layout(G, "force")
        for details in (False, True):
            t = best_of(
                args.repeat,
                lambda d=details: vis_data(G, positions=positions, details=d),  # noqa: B023
            )
            size = (
                len(
                    json.dumps(
                        vis_data(G, positions=positions, details=details),
                        ensure_ascii=False,
                        separators=(",", ":"),
                    ).encode()
                )
                / 1e6
            )
            what = f"vis_data{' details=True' if details else ''} ({size:.2f} MB JSON)"
            rows.append((n, G.number_of_edges(), what, t, t / base if base else None))
        if n <= 2000:
            page = standalone_html(G, title="bench", positions=positions)
            t = best_of(
                args.repeat,
                lambda: standalone_html(G, title="bench", positions=positions),  # noqa: B023
            )
            rows.append(
                (
                    n,
                    G.number_of_edges(),
                    f"standalone_html ({len(page.encode()) / 1e6:.2f} MB)",
                    t,
                    t / base if base else None,
                )
            )
        if base is None and not args.no_baseline:
            rows.append((n, G.number_of_edges(), f"baseline {base_name} (skipped)", None, None))
        for n_, m, what, t, ratio in rows:
            seconds = f"{t:9.3f}" if t is not None else f"{'-':>9}"
            vs = f"{ratio:11.2f}x" if ratio is not None else f"{'-':>12}"
            print(f"{n_:>6} {m:>6}  {what:<38} {seconds} {vs}", flush=True)


if __name__ == "__main__":
    main()
