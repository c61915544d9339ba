"""A dataset folder on disk: its version, saves that replace several files at once, history, undo.

A save never leaves a mix of old and new files, whatever moment the process dies at:

1. the files it replaces are copied into a history entry (``.history/NNNN/before/``), whose
   ``entry.json`` says ``pending``;
2. each new file is written beside its target (``.entities.csv.<txid>.new``) and fsynced;
3. a journal (``.history/pending.json``) naming the staged files is written and renamed into
   place: **that rename is the commit point**;
4. each staged file is renamed over its target, the folder fsynced, the entry marked ``applied``
   and the journal removed.

:func:`recover` (run by every save, undo and :func:`version`, and by :func:`graph.load.load_graph`
on a folder) finishes a save that has a journal (roll forward) and removes the leftovers of one
that has none (roll back), so a reader sees the old dataset or the new one. Saves are serialised
with a lock file (``fcntl.flock``), and a save whose ``base`` is not the current :func:`version`
is refused: two people, or the app and an editor, never overwrite each other's work.

Examples
--------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "entities.csv").write_text("id,name,type\\na,A,ngo\\n")
>>> before = version(folder)
>>> entry = save(folder, {"entities.csv": b"id,name,type\\na,A,ngo\\nb,B,law\\n"}, base=before,
...              message="add B")
>>> entry.number, entry.before == before, entry.after == version(folder)
(1, True, True)
>>> undone = undo(folder)
>>> version(folder) == before, (folder / "entities.csv").read_text()
(True, 'id,name,type\\na,A,ngo\\n')
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import time
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path

from .errors import GraphError

TRACKED = (
    "entities.csv",
    "relations.csv",
    "documents.csv",
    "types.csv",
    "citations.csv",
    "dataset.toml",
    "tours.yaml",
    "tours.yml",
    "tours.json",
    "tours.toml",
)
"""The files that make up a dataset: its version covers them, saves and undo replace them."""
HISTORY = ".history"
JOURNAL = "pending.json"
LOCK = "lock"


class StoreError(GraphError):
    """A dataset folder that cannot be read or written as asked (the message says why)."""


class StaleDataset(StoreError):
    """The dataset changed since the change set's ``base`` version was read."""


@dataclass(frozen=True)
class Entry:
    """One applied change set in a dataset's history."""

    number: int
    message: str
    time: str
    before: str
    after: str
    files: tuple[str, ...]
    status: str = "applied"  # pending, applied or undone
    undoes: int | None = None  # for an undo: the entry it undid

    def as_dict(self) -> dict:
        return {**asdict(self), "files": list(self.files)}


def read_files(folder: str | Path) -> dict[str, bytes]:
    """The dataset's tracked files that exist, name -> bytes."""
    folder = Path(folder)
    return {name: (folder / name).read_bytes() for name in TRACKED if (folder / name).is_file()}


def version_of(files: Mapping[str, bytes]) -> str:
    """The version of a set of dataset files: a hash of their names and bytes.

    >>> version_of({"entities.csv": b"id,name,type\\n"}) == version_of({"entities.csv": b"x"})
    False
    """
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + hashlib.sha256(files[name]).digest())
    return digest.hexdigest()[:16]


def version(folder: str | Path) -> str:
    """The version of the dataset in ``folder`` (after finishing any interrupted save)."""
    recover(folder)
    return version_of(read_files(folder))


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[Path]:
    history = folder / HISTORY
    try:
        history.mkdir(exist_ok=True)
        handle = open(history / LOCK, "a+b")  # noqa: SIM115 - closed below
    except OSError as err:
        raise StoreError(f"{folder}: cannot be written ({err.strerror or err})") from None
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield history
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_durably(path: Path, data: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _write_json_atomically(path: Path, value: object) -> None:
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    _write_durably(temporary, json.dumps(value, ensure_ascii=False, indent=1).encode())
    os.replace(temporary, path)
    _fsync_dir(path.parent)


def _entries_dir(history: Path) -> list[Path]:
    return sorted(
        (p for p in history.iterdir() if p.is_dir() and p.name.isdigit()), key=lambda p: int(p.name)
    )


ENTRY_FIELDS = frozenset(Entry.__dataclass_fields__)


def _read_entry(path: Path) -> Entry:
    data = json.loads((path / "entry.json").read_text(encoding="utf-8"))
    known = {k: v for k, v in data.items() if k in ENTRY_FIELDS}
    return Entry(**{**known, "files": tuple(data["files"])})


def _staged_name(name: str, txid: str) -> str:
    return f".{name}.{txid}.new"


def recover(folder: str | Path) -> str:
    """Finish an interrupted save (its journal was written) or undo its leftovers (it was not).

    Returns what was done: ``"rolled forward"``, ``"rolled back"`` or ``""``. A folder without
    history, or one that cannot be written, is left alone.
    """
    folder = Path(folder)
    history = folder / HISTORY
    if not history.is_dir() or not os.access(folder, os.W_OK):
        return ""
    with _locked(folder):
        return _recover_locked(folder, history)


def _recover_locked(folder: Path, history: Path) -> str:
    journal = history / JOURNAL
    done = ""
    if journal.is_file():
        pending = json.loads(journal.read_text(encoding="utf-8"))
        for name, action in pending["files"].items():
            staged = folder / _staged_name(name, pending["txid"])
            if action == "delete":
                with contextlib.suppress(FileNotFoundError):
                    (folder / name).unlink()
            elif staged.exists():
                os.replace(staged, folder / name)
        _fsync_dir(folder)
        _mark(history / pending["entry"], "applied")
        journal.unlink()
        _fsync_dir(history)
        done = "rolled forward"
    for path in _entries_dir(history):
        # An entry without entry.json died while being written, before anything was staged.
        if not (path / "entry.json").is_file() or _read_entry(path).status == "pending":
            shutil.rmtree(path)
            done = done or "rolled back"
    for leftover in history.glob("**/.*.tmp"):
        leftover.unlink()
    for leftover in folder.glob(".*.new"):
        leftover.unlink()
        done = done or "rolled back"
    return done


def _mark(entry_dir: Path, status: str) -> None:
    data = json.loads((entry_dir / "entry.json").read_text(encoding="utf-8"))
    _write_json_atomically(entry_dir / "entry.json", {**data, "status": status})


def save(
    folder: str | Path,
    files: Mapping[str, bytes | None],
    *,
    base: str | None,
    message: str,
    undoes: int | None = None,
) -> Entry:
    """Replace (or, for ``None``, delete) these dataset files together, and record it.

    ``base``: the version the change was made against; ``None`` skips the check (a forced
    save). Raises :class:`StaleDataset` when the dataset changed since ``base``, and
    :class:`StoreError` when the folder cannot be written.
    """
    folder = Path(folder)
    unknown = sorted(set(files) - set(TRACKED))
    if unknown:
        raise StoreError(f"not dataset files: {', '.join(unknown)}")
    with _locked(folder) as history:
        _recover_locked(folder, history)
        current = read_files(folder)
        before = version_of(current)
        if base is not None and base != before:
            raise StaleDataset(
                f"{folder}: the dataset changed since you loaded it (you loaded version {base}, "
                f"it is now {before}); reload it and make your changes again"
            )
        after_files = {**current, **{k: v for k, v in files.items() if v is not None}}
        for name in (k for k, v in files.items() if v is None):
            after_files.pop(name, None)
        try:
            return _commit(folder, history, current, files, before, after_files, message, undoes)
        except OSError as err:
            _recover_locked(folder, history)
            raise StoreError(
                f"{folder}: the save failed and nothing was changed ({err.strerror or err})"
            ) from None


def _commit(
    folder: Path,
    history: Path,
    current: Mapping[str, bytes],
    files: Mapping[str, bytes | None],
    before: str,
    after_files: Mapping[str, bytes],
    message: str,
    undoes: int | None,
) -> Entry:
    numbers = [int(p.name) for p in _entries_dir(history)]
    number = max(numbers, default=0) + 1
    entry_dir = history / f"{number:04d}"
    (entry_dir / "before").mkdir(parents=True)
    for name in files:
        if name in current:
            _write_durably(entry_dir / "before" / name, current[name])
    entry = Entry(
        number,
        message,
        time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        before,
        version_of(after_files),
        tuple(sorted(files)),
        "pending",
        undoes,
    )
    _write_json_atomically(
        entry_dir / "entry.json", {**entry.as_dict(), "existed": sorted(set(files) & set(current))}
    )
    txid = uuid.uuid4().hex[:12]
    for name, data in files.items():
        if data is not None:
            _write_durably(folder / _staged_name(name, txid), data)
    _fsync_dir(folder)
    actions = {name: "delete" if data is None else "replace" for name, data in files.items()}
    _write_json_atomically(
        history / JOURNAL, {"txid": txid, "entry": entry_dir.name, "files": actions}
    )
    _recover_locked(folder, history)  # the commit point is passed: roll forward
    return _read_entry(entry_dir)


def history(folder: str | Path) -> list[Entry]:
    """The dataset's applied change sets and undos, oldest first."""
    folder = Path(folder)
    recover(folder)
    root = folder / HISTORY
    if not root.is_dir():
        return []
    return [_read_entry(path) for path in _entries_dir(root)]


def undo(folder: str | Path) -> Entry:
    """Restore the dataset as it was before its latest change set still in force, byte for byte.

    The undo is itself a save (so it is atomic and in the history); the undone entry is marked
    ``undone``, so a second undo goes one change set further back.
    """
    folder = Path(folder)
    candidates = [e for e in history(folder) if e.status == "applied" and e.undoes is None]
    if not candidates:
        raise StoreError(f"{folder}: there is nothing to undo")
    last = candidates[-1]
    entry_dir = folder / HISTORY / f"{last.number:04d}"
    existed = set(json.loads((entry_dir / "entry.json").read_text())["existed"])
    restored: dict[str, bytes | None] = {
        name: (entry_dir / "before" / name).read_bytes() if name in existed else None
        for name in last.files
    }
    entry = save(
        folder,
        restored,
        base=last.after,
        message=f"Undo {last.number}: {last.message}",
        undoes=last.number,
    )
    _mark(entry_dir, "undone")
    return entry
