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
from pathlib import Path

from bench.synthetic import generate
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
    ids = sorted(G)[:6]
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


def best_of(repeat: int, run) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


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


def bench_kills(folder: Path, kills: int, seed: int = 7) -> tuple[int, float]:
    """Kill saves at random moments; return (kills survived, median save time)."""
    other = folder.parent / "other"
    generate(other, len(load_graph(folder)), seed=99)
    versions = {store.version(folder), store.version_of(store.read_files(other))}
    start = time.perf_counter()
    store.save(
        folder,
        {n: (other / n).read_bytes() for n in ("entities.csv", "relations.csv", "documents.csv")},
        base=None,
        message="timing",
    )
    duration = time.perf_counter() - start
    rng = random.Random(seed)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    survived = 0
    for attempt in range(kills):
        source = other if attempt % 2 else folder.parent / "original"
        child = subprocess.Popen(
            [sys.executable, "-c", KILLER, str(folder), str(source)],
            stdout=subprocess.PIPE,
            env=env,
        )
        assert child.stdout is not None and child.stdout.readline() == b"ready\n"
        time.sleep(rng.uniform(0, duration * 1.2))
        child.send_signal(signal.SIGKILL)
        child.wait()
        if store.version(folder) in versions and not list(folder.glob(".*.new")):
            load_graph(folder)
            survived += 1
        else:
            print(f"  kill {attempt}: the folder holds neither version", file=sys.stderr)
    return survived, duration


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000])
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        bundled = Path(tmp) / "bundled"
        shutil.copytree(ROOT / "data", bundled)
        apply_time, load_time = bench_apply(bundled, args.repeat)
        rows.append(("bundled (153)", apply_time, load_time, ""))
        for n in args.sizes:
            folder = Path(tmp) / f"n{n}" / "live"
            generate(folder, n, seed=1)
            shutil.copytree(folder, folder.parent / "original")
            apply_time, load_time = bench_apply(folder, args.repeat)
            survived, save_time = bench_kills(folder, args.kills)
            rows.append(
                (
                    f"synthetic {n:,}",
                    apply_time,
                    load_time,
                    f"{survived}/{args.kills} kills left the old or the new dataset "
                    f"(a save takes {save_time:.2f} s)",
                )
            )
    print("| dataset | apply 10 ops | plain load | apply / load | kills |")
    print("|---|---|---|---|---|")
    for name, apply_time, load_time, kills in rows:
        print(
            f"| {name} | {apply_time:.3f} s | {load_time:.3f} s | "
            f"{apply_time / load_time:.2f}× | {kills} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
