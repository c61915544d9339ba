"""Reading one CSV file of a dataset into rows located by line, collecting problems.

The contract: UTF-8 (a BOM is accepted), a header row, commas, RFC 4180 quoting; CRLF or LF;
whitespace around values trimmed. A row is reported by the line it starts on, which differs from
its index when quoted fields hold newlines.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass, field
from typing import IO, Iterator, Union

from .errors import Problem

Source = Union[bytes, str, IO[bytes], IO[str]]


@dataclass
class Table:
    """A parsed CSV file: its header and its rows, each with the line it starts on."""

    name: str
    header: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)

    def column(self, name: str) -> int | None:
        """Index of a column, or None when the file has no such column."""
        try:
            return self.header.index(name)
        except ValueError:
            return None


def read_bytes(source: Source) -> bytes | str:
    """The raw content of a path-less source (bytes, text, or an open file)."""
    if isinstance(source, (bytes, str)):
        return source
    content = source.read()
    return content


def decode(name: str, raw: bytes | str, problems: list[Problem]) -> str | None:
    """Decode as UTF-8 (BOM dropped); on bad bytes, report the line and carry on with U+FFFD.

    None for a file in another Unicode encoding, which is reported and not read further.
    """
    if isinstance(raw, str):
        return raw[1:] if raw.startswith("\ufeff") else raw
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        problems.append(Problem(name, 1, "file is UTF-16, not UTF-8: save it as UTF-8 CSV"))
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[:err.start].count(b"\n") + 1
        problems.append(Problem(
            name, line, f"bytes that are not UTF-8 ({raw[err.start:err.start + 4]!r} at byte "
                        f"{err.start}); save the file as UTF-8"))
        return raw.decode("utf-8-sig", errors="replace")


def parse(name: str, text: str, required: tuple[str, ...],
          problems: list[Problem]) -> Table | None:
    """Parse CSV text into a :class:`Table`; None when the file cannot be used at all.

    Reports an empty file, a missing required column, duplicate column names, rows with the
    wrong number of fields and CSV syntax errors. Blank lines are skipped.

    >>> problems = []
    >>> table = parse("e.csv", "id,name\\n a , A \\n", ("id",), problems)
    >>> table.rows, problems
    ([(2, ['a', 'A'])], [])
    """
    if not text.strip():
        problems.append(Problem(name, None, "file is empty (expected a header row)"))
        return None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [cell.strip().lower() for cell in next(reader)]
    except csv.Error as err:
        problems.append(Problem(name, 1, f"malformed CSV header: {err}"))
        return None
    if not _header_ok(name, header, required, problems):
        return None
    table = Table(name, header)
    width = len(header)
    for line, row in _rows_with_lines(name, reader, problems):
        if len(row) != width:
            if not any(cell.strip() for cell in row):
                continue
            problems.append(Problem(
                name, line, f"row has {len(row)} field{'s' if len(row) != 1 else ''}, the header "
                            f"has {width} (check for an unquoted comma or a missing value)"))
            continue
        table.rows.append((line, [cell.strip() for cell in row]))
    return table


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
        if row:
            yield start, row
        start = reader.line_num + 1
