"""Reading one CSV file of a dataset into rows located by line, collecting problems.

The contract: UTF-8 (a BOM is accepted), a header row, commas, RFC 4180 quoting; CRLF or LF;
whitespace around values trimmed. A row is reported by the line it starts on, which differs from
its index when quoted fields hold newlines.

Files are streamed, line by line, never held whole: at 2.5 million relations a decoded copy of
the file (and the 4-bytes-per-character buffer ``io.StringIO`` makes of it) cost more memory than
the graph itself. Each line is decoded on its own, so a bad byte is reported with its line.
A file inside a zip (:class:`ZipMember`) is streamed the same way, decompressed as it is read.

Limits: a cell may hold up to :data:`FIELD_LIMIT` characters (above it the file's reading stops
at that row, named with its line); a file may be given a byte cap (``limit``), past which its
reading stops with :class:`FileTooLarge`.
"""

from __future__ import annotations

import codecs
import csv
import io
import lzma
import zipfile
import zlib
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from .errors import Problem

if TYPE_CHECKING:
    import _csv

Source = bytes | str | IO[bytes] | IO[str]
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
FIELD_LIMIT = 1 << 20
"""Characters one cell may hold (1 MiB; Python's csv module stops at 128 KiB by default). The
limit is the csv module's, process-wide; it is raised to this at import, never lowered."""
csv.field_size_limit(max(csv.field_size_limit(), FIELD_LIMIT))


class FileTooLarge(OSError):
    """A file holding more bytes than the cap it was read with."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"holds more than {limit:,} bytes, the limit per file")
        self.limit = limit


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
    if isinstance(err, FileTooLarge):
        return (
            f"{err}; reading stopped (set GRAPH_MAX_FILE_BYTES or "
            "load_graph(max_file_bytes=...) to allow more)"
        )
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
    limit: int | None = None
    """Most bytes read from the file in one pass (None: no cap)."""
    stopped_at: int | None = field(default=None, init=False)
    """The line where the last pass stopped before the file's end (a CSV syntax error, a cell
    over :data:`FIELD_LIMIT`, a read error), else None: later checks that depend on every row
    of this file (dangling relations, unknown documents) are then not made."""

    def column(self, name: str) -> int | None:
        """Index of a column, or None when the file has no such column."""
        try:
            return self.header.index(name)
        except ValueError:
            return None

    def rows(
        self, problems: list[Problem] | None = None, warnings: list[Problem] | None = None
    ) -> Iterator[tuple[int, list[str]]]:
        """Each data row (cells trimmed) with the line it starts on; a fresh pass per call.

        Rows with the wrong number of fields are left out and, like undecodable bytes and CSV
        syntax errors, reported to ``problems`` when given. Empty lines are skipped; rows of
        only commas and spaces (spreadsheets leave them) are skipped at any width, with one
        warning for the file in ``warnings`` when given. A syntax error, a cell longer than
        :data:`FIELD_LIMIT` or a read error stops the pass at that row (:attr:`stopped_at`).
        """
        report = problems if problems is not None else []
        self.stopped_at = None
        try:
            lines = _text_lines(self.name, self.content, report, self.limit)
        except (_NotUtf8, *READ_ERRORS) as err:  # it was readable when its header was checked
            report.append(Problem(self.name, None, cannot_read(err)))
            self.stopped_at = 1
            return
        reader = csv.reader(lines, strict=True)
        blank = _Blank()
        try:
            yield from _rows(self.name, reader, len(self.header), report, blank)
        except _Stopped as stop:
            self.stopped_at = stop.line
        finally:
            lines.close()
        if blank.count and warnings is not None:
            warnings.append(blank.warning(self.name))


class _Stopped(Exception):
    def __init__(self, line: int) -> None:
        self.line = line


@dataclass
class _Blank:
    """Rows of only commas and spaces seen in one pass: how many, and the first one's line."""

    count: int = 0
    first: int = 0

    def add(self, line: int) -> None:
        self.count += 1
        self.first = self.first or line

    def warning(self, name: str) -> Problem:
        rows = "1 row" if self.count == 1 else f"{self.count:,} rows"
        return Problem(name, self.first, f"{rows} of only commas or spaces skipped")


def _rows(
    name: str, reader: _csv.Reader, width: int, problems: list[Problem], blank: _Blank
) -> Iterator[tuple[int, list[str]]]:
    if _first_row(reader) is None:
        return
    strip = str.strip
    start = reader.line_num + 1
    try:
        for row in reader:
            if len(row) == width:
                cells = list(map(strip, row))
                if any(cells):
                    yield start, cells
                else:
                    blank.add(start)
            elif row and not any(map(strip, row)):
                blank.add(start)
            elif row:
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
        problems.append(Problem(name, start, _malformed(err)))
        raise _Stopped(start) from None
    except READ_ERRORS as err:
        problems.append(Problem(name, start, cannot_read(err)))
        raise _Stopped(start) from None


def _malformed(err: csv.Error) -> str:
    if "field larger than field limit" in str(err):
        return (
            f"a cell holds more than {csv.field_size_limit():,} characters, the limit per "
            "cell (graph.csvfile.FIELD_LIMIT); reading stopped at this row"
        )
    return f"malformed CSV: {err}; reading stopped at this row"


def read_bytes(source: Source, limit: int | None = None) -> bytes | str:
    """The raw content of a path-less source (bytes, text, or an open file); an open file is
    read to at most ``limit`` bytes and one more, so one over the limit can be told."""
    if isinstance(source, (bytes, str)):
        return source
    return source.read() if limit is None else source.read(limit + 1)


def open_table(
    name: str,
    content: Content,
    required: tuple[str, ...],
    problems: list[Problem],
    limit: int | None = None,
) -> Table | None:
    """Read and check the header of a CSV file; None when the file cannot be used at all.

    Reports a file in UTF-16, an empty file, a missing required column, duplicate column names,
    a malformed header, and a file that cannot be read. ``limit`` caps the bytes read from
    the file in each pass (:class:`FileTooLarge` past it, reported as a problem).

    >>> problems = []
    >>> open_table("e.csv", "name\\nA\\n", ("id",), problems) is None, str(problems[0])
    (True, "e.csv:1: missing required column 'id' (header has: name)")
    """
    undecodable: list[Problem] = []  # reported by rows(), which decodes the header line again
    lines = None
    try:
        lines = _text_lines(name, content, undecodable, limit)
        header_row = _first_row(csv.reader(lines, strict=True))
    except csv.Error as err:
        problems.append(Problem(name, 1, f"malformed CSV header: {_malformed(err)}"))
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
    return Table(name, header, content, limit)


class _NotUtf8(Exception):
    """The file starts with a UTF-16 byte order mark."""


def _first_row(reader: Iterator[list[str]]) -> list[str] | None:
    for row in reader:
        if any(cell.strip() for cell in row):
            return row
    return None


def _text_lines(
    name: str, content: Content, problems: list[Problem], limit: int | None = None
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
    if _is_utf8(content, limit):
        return io.TextIOWrapper(_binary(content, limit), encoding="utf-8-sig", newline="")
    return _decode_lines(name, _binary(content, limit), problems)


def _binary(content: Path | bytes | ZipMember, limit: int | None = None) -> IO[bytes]:
    if isinstance(content, Path):
        if limit is None:
            return content.open("rb")
        return io.BufferedReader(_Capped(content.open("rb", buffering=0), limit))
    if isinstance(content, ZipMember):
        return content.open()  # stops at the member's declared size, which load checks
    return io.BytesIO(content)


class _Capped(io.RawIOBase):
    """A raw file that raises :class:`FileTooLarge` once more than ``limit`` bytes are read
    (a file that grows while read, or a special file that passed as a regular one)."""

    def __init__(self, raw: IO[bytes], limit: int) -> None:
        self._raw, self._left, self._limit = raw, limit, limit

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        count = self._raw.readinto(buffer)  # type: ignore[attr-defined]
        self._left -= count or 0
        if self._left < 0:
            raise FileTooLarge(self._limit)
        return count

    def close(self) -> None:
        self._raw.close()
        super().close()


def _binary_head(content: Path | bytes | ZipMember) -> bytes:
    with _binary(content) as handle:
        return handle.read(4)


def _is_utf8(
    content: Path | bytes | ZipMember, limit: int | None = None, chunk_size: int = 1 << 20
) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    with _binary(content, limit) as handle:
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
