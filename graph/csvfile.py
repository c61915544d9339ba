"""Reading one CSV file of a dataset into rows located by line, collecting problems.

The contract: UTF-8 (a BOM is accepted), a header row, commas, RFC 4180 quoting; CRLF or LF;
whitespace around values trimmed. A row is reported by the line it starts on, which differs from
its index when quoted fields hold newlines.

Files are streamed, line by line, never held whole: at 2.5 million relations a decoded copy of
the file (and the 4-bytes-per-character buffer ``io.StringIO`` makes of it) cost more memory than
the graph itself. Each line is decoded on its own, so a bad byte is reported with its line.
A file inside a zip (:class:`ZipMember`) is streamed the same way, decompressed as it is read.
"""

from __future__ import annotations

import codecs
import csv
import io
import lzma
import zipfile
import zlib
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

from .errors import Problem

if TYPE_CHECKING:
    import _csv

Source = bytes | str | IO[bytes] | IO[str]
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


@dataclass(frozen=True)
class ZipMember:
    """A file inside an open zip archive; each :meth:`open` streams it afresh, decompressing as
    it is read (nothing is extracted to disk, and the file is never held whole in memory).

    ``zipfile`` stops a member's stream at the uncompressed size the archive declares for it,
    so checking the declared sizes (as ``graph.load`` does) bounds what can be read.
    """

    archive: zipfile.ZipFile
    info: zipfile.ZipInfo

    def open(self) -> IO[bytes]:
        return self.archive.open(self.info)


Content = Path | bytes | str | ZipMember
# What reading a file, or a damaged member of a zip, may raise: reported as "cannot be read".
READ_ERRORS = (OSError, EOFError, zipfile.BadZipFile, zlib.error, lzma.LZMAError)


def cannot_read(err: BaseException) -> str:
    """The message for a file that cannot be read (or a zip member that is damaged)."""
    if isinstance(err, OSError):
        return f"cannot be read: {err.strerror or err}"
    return f"cannot be read from the zip, which is damaged: {err}"


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
        try:
            lines = _text_lines(self.name, self.content, report)
        except (_NotUtf8, *READ_ERRORS) as err:  # it was readable when its header was checked
            report.append(Problem(self.name, None, cannot_read(err)))
            return
        try:
            yield from _rows(self.name, csv.reader(lines, strict=True), len(self.header), report)
        finally:
            lines.close()


def _rows(
    name: str, reader: _csv.Reader, width: int, problems: list[Problem]
) -> Iterator[tuple[int, list[str]]]:
    if _first_row(reader) is None:
        return
    strip = str.strip
    start = reader.line_num + 1
    try:
        for row in reader:
            if len(row) == width:
                yield start, list(map(strip, row))
            elif any(cell.strip() for cell in row):
                plural = "s" if len(row) != 1 else ""
                problems.append(
                    Problem(
                        name,
                        start,
                        f"row has {len(row)} field{plural}, the header has {width} "
                        "(check for an unquoted comma or a missing value)",
                    )
                )
            start = reader.line_num + 1
    except csv.Error as err:
        problems.append(Problem(name, start, f"malformed CSV: {err}"))
    except READ_ERRORS as err:
        problems.append(Problem(name, start, cannot_read(err)))


def read_bytes(source: Source) -> bytes | str:
    """The raw content of a path-less source (bytes, text, or an open file)."""
    if isinstance(source, (bytes, str)):
        return source
    return source.read()


def open_table(
    name: str, content: Content, required: tuple[str, ...], problems: list[Problem]
) -> Table | None:
    """Read and check the header of a CSV file; None when the file cannot be used at all.

    Reports a file in UTF-16, an empty file, a missing required column, duplicate column names,
    a malformed header, and a file that cannot be read.

    >>> problems = []
    >>> open_table("e.csv", "name\\nA\\n", ("id",), problems) is None, str(problems[0])
    (True, "e.csv:1: missing required column 'id' (header has: name)")
    """
    undecodable: list[Problem] = []  # reported by rows(), which decodes the header line again
    lines = None
    try:
        lines = _text_lines(name, content, undecodable)
        header_row = _first_row(csv.reader(lines, strict=True))
    except csv.Error as err:
        problems.append(Problem(name, 1, f"malformed CSV header: {err}"))
        return None
    except _NotUtf8:
        problems.append(Problem(name, 1, "file is UTF-16, not UTF-8: save it as UTF-8 CSV"))
        return None
    except READ_ERRORS as err:
        problems.append(Problem(name, None, cannot_read(err)))
        return None
    finally:
        if lines is not None:
            lines.close()
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


def _text_lines(
    name: str, content: Content, problems: list[Problem]
) -> IO[str] | Generator[str, None, None]:
    """The lines of a file as text, BOM dropped; close it when done.

    Valid UTF-8 (checked first, in C, chunk by chunk) is decoded by ``io.TextIOWrapper``; only a
    file holding bad bytes is decoded line by line, so each bad line can be named.
    Raises ``_NotUtf8`` for a UTF-16 file and one of :data:`READ_ERRORS` when the file cannot
    be read.
    """
    if isinstance(content, str):
        return io.StringIO(content[1:] if content.startswith("\ufeff") else content, newline="")
    if _binary_head(content).startswith(UTF16_BOMS):
        raise _NotUtf8()
    if _is_utf8(content):
        return io.TextIOWrapper(_binary(content), encoding="utf-8-sig", newline="")
    return _decode_lines(name, _binary(content), problems)


def _binary(content: Path | bytes | ZipMember) -> IO[bytes]:
    if isinstance(content, Path):
        return content.open("rb")
    if isinstance(content, ZipMember):
        return content.open()
    return io.BytesIO(content)


def _binary_head(content: Path | bytes | ZipMember) -> bytes:
    with _binary(content) as handle:
        return handle.read(4)


def _is_utf8(content: Path | bytes | ZipMember, chunk_size: int = 1 << 20) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    with _binary(content) as handle:
        try:
            while chunk := handle.read(chunk_size):
                if not chunk.isascii() or decoder.getstate()[0]:  # ASCII needs no decoding
                    decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
    return True


def _decode_lines(
    name: str, handle: IO[bytes], problems: list[Problem]
) -> Generator[str, None, None]:
    bad_lines, first_bad = 0, None
    offset = 0
    with handle:
        for number, raw in enumerate(handle, 1):
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as err:
                bad_lines += 1
                if first_bad is None:
                    first_bad = Problem(
                        name,
                        number,
                        (
                            f"bytes that are not UTF-8 ({raw[err.start : err.start + 4]!r} at byte "
                            f"{offset + err.start}); save the file as UTF-8"
                        ),
                    )
                    problems.append(first_bad)
                text = raw.decode("utf-8", errors="replace")
            offset += len(raw)
            yield text[1:] if number == 1 and text.startswith("\ufeff") else text
    if bad_lines > 1:
        problems.append(
            Problem(
                name,
                first_bad.line if first_bad else None,
                f"{bad_lines - 1} more lines hold bytes that are not UTF-8",
            )
        )


def _header_ok(
    name: str, header: list[str], required: tuple[str, ...], problems: list[Problem]
) -> bool:
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
        problems.append(
            Problem(
                name,
                1,
                f"missing required column{plural} {', '.join(map(repr, missing))} "
                f"(header has: {', '.join(h for h in header if h) or 'nothing'})",
            )
        )
        ok = False
    return ok
