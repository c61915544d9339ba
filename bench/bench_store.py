"""Benchmark saving a dataset: change sets applied, saves killed, on the bundled data and 100k.

A benchmark, not a test. It reports:

- **apply**: a 10-operation change set (`graph.changes.apply`: read, apply, validate by a full
  load, save atomically with history) on the bundled data and on a synthetic dataset, as a
  ratio against a plain `load_graph` of the same folder measured in the same process (the
  targets: < 0.5 s on the bundled data, < 2× a plain load at 100k);
- **kills**: `kill -9` of a process saving the 100k dataset at 20 random moments; after each,
  the folder must hold exactly the old files or exactly the new ones, and load (the target: no
  lost update, no partial file, every time).

Usage::

    .venv/bin/python -m bench.bench_store [--sizes 100000] [--kills 20] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench.synthetic import generate
from bench.timing import best_of
from graph import changes, store
from graph.load import load_graph

ROOT = Path(__file__).resolve().parent.parent

KILLER = """
import sys
from graph import store
names = ("entities.csv", "relations.csv", "documents.csv")
files = {n: open(f"{sys.argv[2]}/{n}", "rb").read() for n in names}
print("ready", flush=True)
store.save(sys.argv[1], files, base=None, message="bench")
"""


def ten_changes(folder: Path) -> changes.ChangeSet:
    """Ten operations of every common kind, against entities that exist in ``folder``."""
    G = load_graph(folder)
    ids = sorted(n for n, t in G.nodes(data="type") if t == "ngo")[:6]  # ngo supported ngo
    u, v, data = next(iter(G.edges(data=True)))
    ops = [
        {
            "op": "add_entity",
            "entity": {"id": f"bench_new_{i}", "name": f"Bench {i}", "type": "ngo"},
        }
        for i in range(3)
    ]
    ops += [{"op": "update_entity", "id": e, "set": {"description": "Edited."}} for e in ids[:3]]
    ops += [
        {
            "op": "add_relation",
            "relation": {"source": f"bench_new_{i}", "target": ids[i], "relation": "supported"},
        }
        for i in range(3)
    ]
    ops.append(
        {
            "op": "update_relation",
            "match": {"source": u, "target": v, "relation": data["relation"]},
            "set": {"evidence": "Edited evidence."},
        }
    )
    return changes.parse_change_set(json.dumps({"message": "bench", "changes": ops}))


def bench_apply(folder: Path, repeat: int) -> tuple[float, float]:
    """(apply, plain load) best-of times; the folder is restored by undo after each apply."""
    change_set = ten_changes(folder)

    def apply_and_undo() -> None:
        changes.apply(folder, change_set)

    applies = []
    for _ in range(repeat):
        start = time.perf_counter()
        apply_and_undo()
        applies.append(time.perf_counter() - start)
        store.undo(folder)
    load = best_of(repeat, lambda: load_graph(folder))
    return min(applies), load


@dataclass(frozen=True)
class Kill:
    """What one ``kill -9`` left: the phase it hit, what recovery did, and which version."""

    number: int
    at: float  # seconds after the save started
    finished: bool  # the save returned before the signal arrived
    journal: bool  # the commit point was passed (the journal was on disk)
    staged: int  # staged ``.*.new`` files left beside the dataset
    recovery: str  # what graph.store.recover did: rolled forward / rolled back / nothing
    outcome: str  # "old", "new" or "neither" (by version hash)
    lost: bool  # a save that returned, or passed its commit point, is not in the folder
    history_ok: bool  # the newest applied history entry's "after" is the folder's version


def bench_kills(folder: Path, kills: int, seed: int = 7) -> tuple[list[Kill], float]:
    """Kill saves at random moments; each save replaces the dataset with the other version.

    Returns every kill's outcome and the time of one uninterrupted save.
    """
    original, other = folder.parent / "original", folder.parent / "other"
    generate(other, len(load_graph(folder)), seed=99)
    sources = {store.version_of(store.read_files(p)): p for p in (original, other)}
    start = time.perf_counter()
    store.save(folder, store.read_files(other), base=None, message="timing")
    duration = time.perf_counter() - start
    rng = random.Random(seed)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    results = []
    for attempt in range(1, kills + 1):
        old = store.version(folder)
        [new] = [v for v in sources if v != old]
        child = subprocess.Popen(
            [sys.executable, "-c", KILLER, str(folder), str(sources[new])],
            stdout=subprocess.PIPE,
            env=env,
        )
        assert child.stdout is not None and child.stdout.readline() == b"ready\n"
        at = rng.uniform(0, duration * 1.1)
        time.sleep(at)
        child.send_signal(signal.SIGKILL)
        finished = child.wait() == 0
        journal = (folder / store.HISTORY / store.JOURNAL).is_file()
        staged = len(list(folder.glob(".*.new")))
        recovery = store.recover(folder) or "nothing to do"
        now = store.version_of(store.read_files(folder))
        outcome = {old: "old", new: "new"}.get(now, "neither")
        load_graph(folder)  # the folder loads, whichever it holds
        applied = [e for e in store.history(folder) if e.status == "applied"]
        results.append(
            Kill(
                attempt,
                at,
                finished,
                journal,
                staged,
                recovery,
                outcome,
                lost=(finished or journal) and outcome != "new",
                history_ok=bool(applied) and applied[-1].after == now,
            )
        )
    return results, duration


def kill_table(kills: list[Kill]) -> str:
    """The kills as a Markdown table."""
    lines = [
        "| kill | at (s) | save had | journal on disk | staged files | recovery | folder holds "
        "| history |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for k in kills:
        lines.append(
            f"| {k.number} | {k.at:.2f} | {'returned' if k.finished else 'not returned'} | "
            f"{'yes' if k.journal else 'no'} | {k.staged} | {k.recovery} | {k.outcome} version"
            f"{' (LOST UPDATE)' if k.lost else ''} | {'consistent' if k.history_ok else 'WRONG'} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000])
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    rows, tables = [], []
    with tempfile.TemporaryDirectory() as tmp:
        bundled = Path(tmp) / "bundled"
        shutil.copytree(ROOT / "data", bundled)
        apply_time, load_time = bench_apply(bundled, args.repeat)
        rows.append((f"bundled ({len(load_graph(bundled)):,})", apply_time, load_time, ""))
        for n in args.sizes:
            folder = Path(tmp) / f"n{n}" / "live"
            generate(folder, n, seed=1)
            shutil.copytree(folder, folder.parent / "original")
            apply_time, load_time = bench_apply(folder, args.repeat)
            kills, save_time = bench_kills(folder, args.kills)
            olds = sum(k.outcome == "old" for k in kills)
            news = sum(k.outcome == "new" for k in kills)
            summary = (
                f"{olds} old, {news} new, {len(kills) - olds - news} neither; "
                f"{sum(k.lost for k in kills)} lost updates; "
                f"{sum(not k.history_ok for k in kills)} wrong histories "
                f"(a save takes {save_time:.2f} s)"
            )
            rows.append((f"synthetic {n:,}", apply_time, load_time, summary))
            tables.append(
                f"\nKills during saves of the {n:,}-entity dataset:\n\n{kill_table(kills)}"
            )
    print("| dataset | apply 10 ops | plain load | apply / load | kill -9 during saves |")
    print("|---|---|---|---|---|")
    for name, apply_time, load_time, kills_text in rows:
        print(
            f"| {name} | {apply_time:.3f} s | {load_time:.3f} s | "
            f"{apply_time / load_time:.2f}× | {kills_text} |"
        )
    print("\n".join(tables))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
