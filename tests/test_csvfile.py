"""graph/csvfile.py: one CSV file, streamed line by line, its problems located by line."""

from __future__ import annotations

import codecs
import io
import zipfile

import pytest

from graph.csvfile import ZipMember, open_table

REQUIRED = ("id",)


def messages(problems) -> list[str]:
    return [str(p) for p in problems]


@pytest.mark.parametrize(
    "content",
    [
        b"id,name\na,A\n",
        "id,name\na,A\n",
        codecs.BOM_UTF8 + b"id,name\r\na,A\r\n",
        "\ufeffid,name\na,A\n",
    ],
)
def test_bytes_text_bom_and_crlf_read_the_same(content):
    problems = []
    table = open_table("e.csv", content, REQUIRED, problems)
    assert (table.header, list(table.rows(problems)), problems) == (
        ["id", "name"],
        [(2, ["a", "A"])],
        [],
    )


def test_a_file_on_disk_is_read_and_can_be_read_again(tmp_path):
    path = tmp_path / "e.csv"
    path.write_bytes(b"id,name\na,A\nb,B\n")
    table = open_table("e.csv", path, REQUIRED, [])
    assert list(table.rows()) == list(table.rows()) == [(2, ["a", "A"]), (3, ["b", "B"])]


def test_a_row_is_located_by_the_line_it_starts_on_when_quoted_fields_span_lines():
    table = open_table("e.csv", b'id,note\na,"two\nlines"\nb,x\n', REQUIRED, [])
    assert list(table.rows()) == [(2, ["a", "two\nlines"]), (4, ["b", "x"])]


def test_blank_lines_are_skipped_before_the_header_and_between_rows():
    table = open_table("e.csv", b"\n\nid,name\n\na,A\n", REQUIRED, [])
    assert list(table.rows()) == [(5, ["a", "A"])]


def test_the_first_undecodable_line_is_named_and_the_others_counted():
    problems = []
    table = open_table("e.csv", b"id,name\na,\xe9\nb,\xe9\nc,\xe9\n", REQUIRED, problems)
    rows = list(table.rows(problems))
    assert messages(problems) == [
        "e.csv:2: bytes that are not UTF-8 (b'\\xe9\\n' at byte 10); save the file as UTF-8",
        "e.csv:2: 2 more lines hold bytes that are not UTF-8",
    ]
    assert [values[1] for _, values in rows] == ["\ufffd"] * 3  # replaced, the rows still read


def test_bad_bytes_in_the_header_are_reported_once():
    problems = []
    table = open_table("e.csv", b"id,n\xe9me\na,A\n", REQUIRED, problems)
    list(table.rows(problems))
    assert len([m for m in messages(problems) if "not UTF-8" in m]) == 1


def test_a_utf16_file_is_refused_with_what_to_do():
    problems = []
    assert open_table("e.csv", "id,name\n".encode("utf-16"), REQUIRED, problems) is None
    assert messages(problems) == ["e.csv:1: file is UTF-16, not UTF-8: save it as UTF-8 CSV"]


def test_a_file_of_blank_lines_is_empty():
    problems = []
    assert open_table("e.csv", b"\n \n", REQUIRED, problems) is None
    assert messages(problems) == ["e.csv: file is empty (expected a header row)"]


def test_a_duplicate_column_is_refused():
    problems = []
    assert open_table("e.csv", b"id,name,name\n", REQUIRED, problems) is None
    assert messages(problems) == ["e.csv:1: column 'name' appears twice in the header"]


def test_malformed_quoting_stops_the_file_with_its_line():
    problems = []
    table = open_table("e.csv", b'id,name\na,"A"x\n', REQUIRED, problems)
    assert list(table.rows(problems)) == []
    assert messages(problems)[0].startswith("e.csv:2: malformed CSV:")


def test_a_second_pass_reports_nothing_unless_asked():
    problems = []
    table = open_table("e.csv", b"id,name\na\n", REQUIRED, problems)
    list(table.rows())
    assert problems == []


# --- a file inside a zip ------------------------------------------------------------------------


def member(content: bytes, name: str = "e.csv") -> ZipMember:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, content)
    archive = zipfile.ZipFile(buffer)
    return ZipMember(archive, archive.getinfo(name))


def test_a_zip_member_reads_like_a_file_and_can_be_read_again():
    content = member(codecs.BOM_UTF8 + b'id,note\r\na,"two\nlines"\r\n\r\nb,B\r\n')
    problems = []
    table = open_table("e.csv", content, REQUIRED, problems)
    assert (
        list(table.rows(problems))
        == list(table.rows())
        == [(2, ["a", "two\nlines"]), (5, ["b", "B"])]
    )
    assert problems == []


def test_bad_bytes_in_a_zip_member_are_named_by_line():
    problems = []
    table = open_table("e.csv", member(b"id,name\na,A\nb,\xe9\n"), REQUIRED, problems)
    list(table.rows(problems))
    assert messages(problems) == [
        "e.csv:3: bytes that are not UTF-8 (b'\\xe9\\n' at byte 14); save the file as UTF-8"
    ]


def test_a_utf16_or_empty_zip_member_is_refused_like_a_file():
    problems = []
    assert open_table("e.csv", member("id\n".encode("utf-16")), REQUIRED, problems) is None
    assert open_table("e.csv", member(b""), REQUIRED, problems) is None
    assert messages(problems) == [
        "e.csv:1: file is UTF-16, not UTF-8: save it as UTF-8 CSV",
        "e.csv: file is empty (expected a header row)",
    ]


def test_a_damaged_zip_member_is_a_problem_not_an_exception():
    good = member(b"id,name\n" + b"a,A\n" * 1000)

    class Damaged(ZipMember):
        def open(self):
            handle = super().open()
            handle._expected_crc ^= 1  # the archive's checksum no longer matches the data
            return handle

    problems = []
    assert open_table("e.csv", Damaged(good.archive, good.info), REQUIRED, problems) is None
    assert messages(problems) == [
        "e.csv: cannot be read from the zip, which is damaged: Bad CRC-32 for file 'e.csv'"
    ]


def test_a_zip_member_that_breaks_after_its_header_stops_with_a_problem():
    good = member(b"id,name\n" + b"a,A\n" * 1000)
    opened = []

    class BreaksLater(ZipMember):
        def open(self):
            opened.append(1)
            if len(opened) > 3:  # head, UTF-8 check, header: fine; then the rows pass fails
                raise zipfile.BadZipFile("Bad magic number for file header")
            return super().open()

    problems = []
    table = open_table("e.csv", BreaksLater(good.archive, good.info), REQUIRED, problems)
    assert table is not None and list(table.rows(problems)) == []
    assert messages(problems) == [
        "e.csv: cannot be read from the zip, which is damaged: Bad magic number for file header"
    ]


# --- hostile input (issue 12) -----------------------------------------------------------------


def test_bytes_read_past_the_cap_stop_the_file_even_if_its_size_said_otherwise(tmp_path):
    path = tmp_path / "e.csv"
    path.write_bytes(b"id,name\n" + b"a,A\n" * 100)  # 408 bytes, as a growing file would be
    problems = []
    assert open_table("e.csv", path, REQUIRED, problems, limit=50) is None
    assert messages(problems) == [
        "e.csv: holds more than 50 bytes, the limit per file; reading stopped "
        "(set GRAPH_MAX_FILE_BYTES or load_graph(max_file_bytes=...) to allow more)"
    ]
    table = open_table("e.csv", path, REQUIRED, [], limit=408)
    assert len(list(table.rows())) == 100 and table.stopped_at is None


def test_a_pass_that_stops_early_says_where():
    problems = []
    table = open_table("e.csv", b'id,name\na,A\nb,"open\n', REQUIRED, problems)
    assert [line for line, _ in table.rows(problems)] == [2]
    assert table.stopped_at == 3
    assert messages(problems) == [
        "e.csv:3: malformed CSV: unexpected end of data; reading stopped at this row"
    ]


def test_blank_rows_of_any_width_are_skipped_with_one_warning_for_the_file():
    problems, warnings = [], []
    table = open_table("e.csv", b"id,name\n,\na,A\n,,,,\n , \n\n", REQUIRED, problems)
    assert list(table.rows(problems, warnings)) == [(3, ["a", "A"])]
    assert (messages(problems), messages(warnings)) == (
        [],
        ["e.csv:2: 3 rows of only commas or spaces skipped"],
    )
