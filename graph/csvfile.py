"""Reading one CSV file of a dataset into rows located by line, collecting problems.

The contract: UTF-8 (a BOM is accepted), a header row, commas, RFC 4180 quoting; CRLF or LF;
whitespace around values trimmed. A row is reported by the line it starts on, which differs from
its index when quoted fields hold newlines.

Files are streamed, line by line, never held whole: at 2.5 million relations a decoded copy of
the file (and the 4-bytes-per-character buffer ``io.StringIO`` makes of it) cost more memory than
the graph itself. Each line is decoded on its own, so a bad byte is reported with its line.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Iterable, Iterator, Union

from .errors import Problem

Source = Union[bytes, str, IO[bytes], IO[str]]
Content = Union[Path, bytes, str]
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


@dataclass
class Table:
    """A CSV file whose header has been read and checked; :meth:`rows` streams the rest.

    >>> problems = []
    >>> table = open_table("e.csv", b"id,name\\n a , A \\n\\nb,B,extra\\n", ("id",), problems)
    >>> table.header, list(table.rows(problems))
    (['id', 'name'], [(2, ['a', 'A'])])
    >>> [str(p) for p in problems]
    ['e.csv:4: row has 3 fields, the header has 2 (check for an unquoted comma or a missing value)']
    """

    name: str
    header: list[str]
    content: Content

    def column(self, name: str) -> int | None:
        """Index of a column, or None when the file has no such column."""
        try:
            return self.header.index(name)
        except ValueError:
            return None

    def rows(self, problems: list[Problem] | None = None) -> Iterator[tuple[int, list[str]]]:
        """Each data row (cells trimmed) with the line it starts on; a fresh pass per call.

        Rows with the wrong number of fields are left out and, like undecodable bytes and CSV
        syntax errors, reported to ``problems`` when given. Blank lines are skipped.
        """
        report = problems if problems is not None else []
        lines = _decoded(self.name, self.content, report)
        reader = csv.reader(lines, strict=True)
        if _first_row(reader) is None:
            return
        width = len(self.header)
        for line, row in _rows_with_lines(self.name, reader, report):
            if len(row) == width:
                yield line, [cell.strip() for cell in row]
            elif any(cell.strip() for cell in row):
                plural = "s" if len(row) != 1 else ""
                report.append(Problem(
                    self.name, line, f"row has {len(row)} field{plural}, the header has {width} "
                                     "(check for an unquoted comma or a missing value)"))


def read_bytes(source: Source) -> bytes | str:
    """The raw content of a path-less source (bytes, text, or an open file)."""
    if isinstance(source, (bytes, str)):
        return source
    return source.read()


def open_table(name: str, content: Content, required: tuple[str, ...],
               problems: list[Problem]) -> Table | None:
    """Read and check the header of a CSV file; None when the file cannot be used at all.

    Reports a file in UTF-16, an empty file, a missing required column, duplicate column names,
    a malformed header, and a file that cannot be read.

    >>> problems = []
    >>> open_table("e.csv", "name\\nA\\n", ("id",), problems) is None, str(problems[0])
    (True, "e.csv:1: missing required column 'id' (header has: name)")
    """
    undecodable: list[Problem] = []  # reported by rows(), which decodes the header line again
    try:
        header_row = _first_row(csv.reader(_decoded(name, content, undecodable), strict=True))
    except csv.Error as err:
        problems.append(Problem(name, 1, f"malformed CSV header: {err}"))
        return None
    except _NotUtf8:
        problems.append(Problem(name, 1, "file is UTF-16, not UTF-8: save it as UTF-8 CSV"))
        return None
    except OSError as err:
        problems.append(Problem(name, None, f"cannot be read: {err.strerror or err}"))
        return None
    if header_row is None:
        problems.append(Problem(name, None, "file is empty (expected a header row)"))
        return None
    header = [cell.strip().lower() for cell in header_row]
    if not _header_ok(name, header, required, problems):
        problems.extend(undecodable)
        return None
    return Table(name, header, content)


class _NotUtf8(Exception):
    """The file starts with a UTF-16 byte order mark."""


def _first_row(reader: Iterator[list[str]]) -> list[str] | None:
    for row in reader:
        if any(cell.strip() for cell in row):
            return row
    return None


def _physical_lines(content: Content) -> Iterator[bytes] | Iterator[str]:
    if isinstance(content, Path):
        with content.open("rb") as handle:
            yield from handle
    elif isinstance(content, bytes):
        yield from io.BytesIO(content)
    else:
        yield from io.StringIO(content, newline="")


def _decoded(name: str, content: Content, problems: list[Problem]) -> Iterator[str]:
    """The lines of a file as text: BOM dropped; bad bytes reported once, then replaced."""
    lines: Iterable[bytes] | Iterable[str] = _physical_lines(content)
    first = next(iter(lines), None)
    if first is None:
        return
    if isinstance(first, str):
        yield first[1:] if first.startswith("\ufeff") else first
        yield from lines
        return
    if first.startswith(UTF16_BOMS):
        raise _NotUtf8()
    yield from _decode_lines(name, first, lines, problems)


def _decode_lines(name: str, first: bytes, rest: Iterable[bytes],
                  problems: list[Problem]) -> Iterator[str]:
    bad_lines, first_bad = 0, None
    offset, number = 0, 0
    for number, raw in enumerate(_chain(first, rest), 1):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as err:
            bad_lines += 1
            if first_bad is None:
                first_bad = Problem(name, number, (
                    f"bytes that are not UTF-8 ({raw[err.start:err.start + 4]!r} at byte "
                    f"{offset + err.start}); save the file as UTF-8"))
                problems.append(first_bad)
            text = raw.decode("utf-8", errors="replace")
        offset += len(raw)
        yield text[1:] if number == 1 and text.startswith("\ufeff") else text
    if bad_lines > 1:
        problems.append(Problem(name, first_bad.line if first_bad else None,
                                f"{bad_lines - 1} more lines hold bytes that are not UTF-8"))


def _chain(first: bytes, rest: Iterable[bytes]) -> Iterator[bytes]:
    yield first
    yield from rest


def _header_ok(name: str, header: list[str], required: tuple[str, ...],
               problems: list[Problem]) -> bool:
    ok = True
    seen: set[str] = set()
    for column in header:
        if column in seen and column:
            problems.append(Problem(name, 1, f"column {column!r} appears twice in the header"))
            ok = False
        seen.add(column)
    missing = [c for c in required if c not in seen]
    if missing:
        plural = "s" if len(missing) > 1 else ""
        problems.append(Problem(
            name, 1, f"missing required column{plural} {', '.join(map(repr, missing))} "
                     f"(header has: {', '.join(h for h in header if h) or 'nothing'})"))
        ok = False
    return ok


def _rows_with_lines(name: str, reader: "csv._reader",
                     problems: list[Problem]) -> Iterator[tuple[int, list[str]]]:
    start = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            problems.append(Problem(name, start, f"malformed CSV: {err}"))
            return
        except OSError as err:
            problems.append(Problem(name, start, f"cannot be read: {err.strerror or err}"))
            return
        if row:
            yield start, row
        start = reader.line_num + 1
