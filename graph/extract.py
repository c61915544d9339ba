"""The plain text of a document file: ``.txt``, ``.md``, ``.html`` and ``.pdf``, read offline.

Text and Markdown files are read as they are (UTF-8, a byte-order mark dropped, line ends made
``\\n``); an HTML page gives its main text only (trafilatura drops navigation, scripts and
boilerplate; nothing is fetched); a PDF gives the text of its pages (pypdf), a blank line
between pages. A file that is empty, binary, or cannot be read raises :class:`IngestError`
naming the file, so the CLI and the app can say what is wrong.

Examples
--------
>>> extract_text(b"Hello,\\r\\nworld.\\r\\n", "note.txt")
'Hello,\\nworld.\\n'
>>> page = (b"<html><body><nav><a href='/'>Home</a> <a href='/a'>About</a></nav><main>"
...     b"<article><p>INTERPOL led Operation Synergia against cybercrime servers in 2023. It "
...     b"seized many devices and arrested people.</p><p>NCMEC runs the CyberTipline, which "
...     b"received reports.</p></article></main><footer>Copyright 2024</footer></body></html>")
>>> print(extract_text(page, "page.html"))
INTERPOL led Operation Synergia against cybercrime servers in 2023. It seized many devices and
arrested people.
NCMEC runs the CyberTipline, which received reports.
>>> extract_text(b"", "empty.txt")
Traceback (most recent call last):
...
graph.extract.IngestError: empty.txt: the file is empty
"""

from __future__ import annotations

import io
import logging
from pathlib import Path

from .errors import GraphError

TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".text")
HTML_SUFFIXES = (".html", ".htm")
PDF_SUFFIXES = (".pdf",)
SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + PDF_SUFFIXES
"""File endings :func:`extract_text` reads."""
MAX_FILE_BYTES = 50_000_000
"""A document larger than this is refused."""


class IngestError(GraphError):
    """A document that cannot be read or ingested; the message names the file."""


def read_document(path: str | Path) -> str:
    """The text of the document file at ``path`` (see :func:`extract_text`).

    >>> read_document("/nowhere/report.txt")
    Traceback (most recent call last):
    ...
    graph.extract.IngestError: /nowhere/report.txt: cannot be read (no such file)
    """
    path = Path(path)
    if not path.is_file():
        if path.exists() or path.is_symlink():  # a folder, a pipe, a device (/dev/zero)
            raise IngestError(f"{path}: cannot be read (not a regular file)")
        raise IngestError(f"{path}: cannot be read (no such file)")
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise IngestError(f"{path}: more than {MAX_FILE_BYTES:,} bytes")
        data = path.read_bytes()
    except OSError as err:
        raise IngestError(f"{path}: cannot be read ({err.strerror or err})") from None
    return extract_text(data, str(path))


def extract_text(data: bytes, name: str) -> str:
    """The text of a document given as its bytes; ``name`` (a file name) says its kind by its
    ending and names it in errors.

    >>> extract_text(b"\\x89PNG\\r\\n\\x1a\\n\\x00\\x00", "photo.txt")
    Traceback (most recent call last):
    ...
    graph.extract.IngestError: photo.txt: a binary file, not text (.txt, .md, .html or .pdf)
    """
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise IngestError(
            f"{name}: cannot read {suffix or 'a file without an ending'} files "
            "(give a .txt, .md, .html or .pdf file)"
        )
    if not data.strip():
        raise IngestError(f"{name}: the file is empty")
    if len(data) > MAX_FILE_BYTES:
        raise IngestError(f"{name}: more than {MAX_FILE_BYTES:,} bytes")
    if suffix in PDF_SUFFIXES:
        text = _pdf_text(data, name)
    else:
        text = _decode(data, name)
        if suffix in HTML_SUFFIXES:
            text = _html_text(text, name)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise IngestError(f"{name}: no text found in the file")
    return text


def _decode(data: bytes, name: str) -> str:
    if b"\x00" in data[:8192]:
        raise IngestError(f"{name}: a binary file, not text (.txt, .md, .html or .pdf)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise IngestError(
            f"{name}: not UTF-8 text (byte {err.start}: {data[err.start : err.start + 1]!r})"
        ) from None


def _html_text(html: str, name: str) -> str:
    import trafilatura  # imported here: it is slow to import and only HTML needs it

    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    try:
        text = trafilatura.extract(html, include_comments=False, include_tables=True)
    except Exception as err:  # noqa: BLE001 - a parser failure is bad input, not a bug here
        raise IngestError(f"{name}: the HTML cannot be read ({err})") from None
    if not text:
        raise IngestError(f"{name}: no main text found in the HTML page")
    return str(text)


def _pdf_text(data: bytes, name: str) -> str:
    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.CRITICAL)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise IngestError(f"{name}: the PDF is encrypted; give an unlocked copy")
        pages = [page.extract_text() or "" for page in reader.pages]
    except IngestError:
        raise
    except Exception as err:  # noqa: BLE001 - any parser failure (RecursionError too) is bad input
        problem = str(err)[:200] or type(err).__name__
        raise IngestError(f"{name}: not a readable PDF ({problem})") from None
    text = "\n\n".join(page.strip() for page in pages if page.strip())
    if not text:
        raise IngestError(f"{name}: the PDF holds no text (a scan? run OCR on it first)")
    return text + "\n"
