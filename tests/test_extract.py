"""graph.extract: the plain text of .txt, .md, .html and .pdf documents, offline."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.extract import IngestError, extract_text, read_document

ARTICLE = (
    "<html><head><title>News</title><script>var tracker = 'secret-script';</script></head>"
    "<body><nav><a href='/'>Home</a> <a href='/about'>About us</a></nav><main><article>"
    "<h1>Operation report</h1><p>INTERPOL led Operation Synergia against cybercrime servers "
    "in 2023. It seized 1,300 devices and arrested 31 people in several countries.</p>"
    "<p>NCMEC runs the CyberTipline, which received millions of reports last year.</p>"
    "</article></main><footer>Copyright 2024 Example News</footer></body></html>"
)


def make_pdf(path: Path, pages: list[list[str]]) -> Path:
    """A PDF whose pages hold these lines as real text (matplotlib's PDF backend)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages

    with PdfPages(path) as pdf:
        for lines in pages:
            figure = plt.figure(figsize=(8.5, 11))
            for row, line in enumerate(lines):
                figure.text(0.05, 0.95 - row * 0.04, line, fontsize=10)
            pdf.savefig(figure)
            plt.close(figure)
    return path


def test_a_text_file_is_read_as_written_with_unix_line_ends():
    assert extract_text("À report.\r\nLine two.".encode("utf-8-sig"), "a.txt") == (
        "À report.\nLine two."
    )


def test_markdown_is_read_as_text():
    assert extract_text(b"# Title\n\nThe *IJM* report.\n", "notes.md") == (
        "# Title\n\nThe *IJM* report.\n"
    )


def test_an_html_page_gives_its_main_text_without_navigation_scripts_or_footer():
    text = extract_text(ARTICLE.encode(), "page.html")
    assert "INTERPOL led Operation Synergia" in text
    assert "NCMEC runs the CyberTipline" in text
    for boilerplate in ("About us", "secret-script", "Copyright 2024"):
        assert boilerplate not in text


def test_a_pdf_gives_the_text_of_every_page(tmp_path):
    pdf = make_pdf(
        tmp_path / "report.pdf",
        [["INTERPOL led Operation Synergia in 2023."], ["NCMEC runs the CyberTipline."]],
    )
    text = read_document(pdf)
    assert "INTERPOL led Operation Synergia in 2023." in text
    assert "NCMEC runs the CyberTipline." in text
    assert text.index("INTERPOL") < text.index("NCMEC")


@pytest.mark.parametrize(
    ("data", "name", "problem"),
    [
        (b"", "empty.txt", "empty.txt: the file is empty"),
        (b"  \n\t\n", "blank.md", "blank.md: the file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "image.txt", "image.txt: a binary file"),
        (b"caf\xe9 au lait", "latin1.txt", "latin1.txt: not UTF-8 text"),
        (b"%PDF-1.4 nothing else here", "broken.pdf", "broken.pdf: not a readable PDF"),
        (b"PK\x03\x04", "report.docx", "report.docx: cannot read .docx files"),
        (b"<html><body></body></html>", "blank.html", "blank.html: no main text"),
    ],
)
def test_bad_files_raise_an_ingest_error_naming_the_file(data, name, problem):
    with pytest.raises(IngestError, match="^" + problem.replace(".", r"\.")):
        extract_text(data, name)


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(IngestError, match=r"nope\.txt: cannot be read"):
        read_document(tmp_path / "nope.txt")
