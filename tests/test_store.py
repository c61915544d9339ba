"""graph/store.py: versions, saves that replace files together, history and byte-exact undo."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from graph import store
from graph.load import load_graph

from .conftest import DOCUMENTS, ENTITIES, RELATIONS, write_dataset

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return write_dataset(
        tmp_path / "ds", entities=ENTITIES, relations=RELATIONS, documents=DOCUMENTS
    )


def test_the_version_follows_the_bytes_of_every_dataset_file(folder):
    first = store.version(folder)
    assert first == store.version(folder)
    (folder / "tours.yaml").write_text("tours: []\n")
    second = store.version(folder)
    assert second != first
    (folder / "notes.txt").write_text("not a dataset file")
    assert store.version(folder) == second


def test_a_save_replaces_the_files_together_and_is_recorded(folder):
    before = store.version(folder)
    new = {"entities.csv": ENTITIES.encode() + b"x,X,tool,,,,\n", "types.csv": None}
    entry = store.save(folder, new, base=before, message="add X")
    assert (folder / "entities.csv").read_bytes().endswith(b"x,X,tool,,,,\n")
    assert (entry.number, entry.message, entry.before, entry.status) == (
        1,
        "add X",
        before,
        "applied",
    )
    assert entry.after == store.version(folder) != before
    assert [e.number for e in store.history(folder)] == [1]
    assert not list(folder.glob(".*.new")), "no staged file is left behind"


def test_a_save_against_an_old_version_is_refused_and_writes_nothing(folder):
    stale = store.version(folder)
    (folder / "documents.csv").write_text(DOCUMENTS + "d3,Third,,,,,\n")  # someone else's edit
    current = (folder / "documents.csv").read_bytes()
    with pytest.raises(store.StaleDataset, match="the dataset changed since you loaded it"):
        store.save(folder, {"entities.csv": b"id,name,type\n"}, base=stale, message="mine")
    assert (folder / "documents.csv").read_bytes() == current
    assert (folder / "entities.csv").read_text() == ENTITIES
    assert store.history(folder) == []


def test_undo_restores_the_previous_version_byte_for_byte_and_goes_further_back(folder):
    original = store.read_files(folder)
    v0 = store.version(folder)
    store.save(
        folder,
        {
            "entities.csv": b"id,name,type\r\na,A,ngo\r\n",
            "relations.csv": b"source,target,relation\n",
            "documents.csv": None,
        },
        base=v0,
        message="1",
    )
    v1 = store.version(folder)
    store.save(folder, {"tours.yaml": b"tours: []\n"}, base=v1, message="2")
    store.undo(folder)
    assert store.version(folder) == v1 and not (folder / "tours.yaml").exists()
    store.undo(folder)
    assert store.read_files(folder) == original and store.version(folder) == v0
    assert [(e.number, e.status) for e in store.history(folder)] == [
        (1, "undone"),
        (2, "undone"),
        (3, "applied"),
        (4, "applied"),
    ]
    with pytest.raises(store.StoreError, match="nothing to undo"):
        store.undo(folder)


def test_only_dataset_files_can_be_saved(folder):
    with pytest.raises(store.StoreError, match="not dataset files: ../evil.csv"):
        store.save(folder, {"../evil.csv": b"x"}, base=None, message="")


def test_a_folder_that_cannot_keep_history_gives_a_clear_error_and_stays_as_it_was(folder):
    (folder / store.HISTORY).write_text("a file where the history folder should be")
    before = store.read_files(folder)
    with pytest.raises(store.StoreError, match="cannot be written"):
        store.save(folder, {"entities.csv": b"id,name,type\n"}, base=None, message="")
    assert store.read_files(folder) == before


def test_a_save_that_fails_part_way_leaves_the_old_dataset(folder, monkeypatch):
    before = store.read_files(folder)
    real = store._write_durably
    calls = []

    def failing(path, data):
        calls.append(path)
        if len(calls) == 3:  # the second staged file: the disk is full
            raise OSError(28, "No space left on device")
        real(path, data)

    monkeypatch.setattr(store, "_write_durably", failing)
    with pytest.raises(store.StoreError, match="the save failed and nothing was changed"):
        store.save(
            folder,
            {"entities.csv": b"id,name,type\n", "relations.csv": b"x\n"},
            base=None,
            message="",
        )
    assert store.read_files(folder) == before
    assert not list(folder.glob(".*.new")) and store.history(folder) == []


def test_an_interrupted_save_after_its_commit_point_is_finished_by_the_next_reader(folder):
    # Stage and journal a save by hand, as a process killed right after the commit point would.
    entry = store.save(folder, {"entities.csv": ENTITIES.encode()}, base=None, message="noop")
    assert entry.number == 1
    history = folder / store.HISTORY
    (history / "0002" / "before").mkdir(parents=True)
    (history / "0002" / "entry.json").write_text(
        '{"number": 2, "message": "m", "time": "t", "before": "a", "after": "b", '
        '"files": ["types.csv"], "status": "pending", "undoes": null, "existed": []}'
    )
    (folder / ".types.csv.abc.new").write_text("type,label\nthing,Thing\n")
    (history / store.JOURNAL).write_text(
        '{"txid": "abc", "entry": "0002", "files": {"types.csv": "replace"}}'
    )
    assert store.recover(folder) == "rolled forward"
    assert (folder / "types.csv").read_text() == "type,label\nthing,Thing\n"
    assert store.history(folder)[-1].status == "applied"


def test_an_interrupted_save_before_its_commit_point_is_rolled_back(folder):
    before = store.read_files(folder)
    history = folder / store.HISTORY
    (history / "0001" / "before").mkdir(parents=True)
    (history / "0001" / "entry.json").write_text(
        '{"number": 1, "message": "m", "time": "t", "before": "a", "after": "b", '
        '"files": ["entities.csv"], "status": "pending", "undoes": null, "existed": []}'
    )
    (folder / ".entities.csv.abc.new").write_text("half a fi")
    assert store.recover(folder) == "rolled back"
    assert store.read_files(folder) == before and store.history(folder) == []
    assert not list(folder.glob(".*.new"))


KILLER = """
import sys
from graph import store
folder, which = sys.argv[1], sys.argv[2]
names = ("entities.csv", "relations.csv", "documents.csv")
files = {n: open(f"{sys.argv[3]}/{n}", "rb").read() for n in names}
print("ready", flush=True)
store.save(folder, files, base=None, message=which)
"""


def test_a_save_killed_at_random_moments_leaves_the_old_dataset_or_the_new_one(tmp_path):
    """kill -9 during saves of a 2,000-entity dataset, 20 times at random moments: every reader
    afterwards sees exactly the old files or exactly the new ones, and the graph loads.
    (bench/bench_store.py does the same on 100,000 entities.)"""
    from bench.synthetic import generate as synthetic

    old, new = tmp_path / "old", tmp_path / "new"
    synthetic(old, 2_000, seed=1)
    synthetic(new, 2_000, seed=2)
    versions = {store.version_of(store.read_files(old)), store.version_of(store.read_files(new))}
    folder = tmp_path / "live"
    folder.mkdir()
    for name in ("entities.csv", "relations.csv", "documents.csv"):
        (folder / name).write_bytes((old / name).read_bytes())
    rng = random.Random(7)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for attempt in range(20):
        source = new if attempt % 2 == 0 else old
        child = subprocess.Popen(
            [sys.executable, "-c", KILLER, str(folder), str(attempt), str(source)],
            stdout=subprocess.PIPE,
            env=env,
        )
        assert child.stdout is not None and child.stdout.readline() == b"ready\n"
        time.sleep(rng.uniform(0, 0.08))
        child.send_signal(signal.SIGKILL)
        child.wait()
        assert store.version(folder) in versions, f"attempt {attempt}: a mix of old and new"
    load_graph(folder)
    assert not list(folder.glob(".*.new"))
