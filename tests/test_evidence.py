"""graph/evidence.py: quotes checked verbatim against the documents' texts, and their passages."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.cli import main as cli
from graph.errors import DataError
from graph.evidence import FoldedText, fold, passage, passage_in, read_texts
from graph.load import load_graph

TEXT = (
    "Title line\n"
    "\n"
    "First sentence here. Traffickers “advertise false jobs” on social media. Third one!\n"
    "Fourth   sentence,\n  split over lines. Fifth.\n"
)


def test_folding_touches_quote_marks_dashes_and_whitespace_only():
    assert fold("“It’s  –\n here”") == '"It\'s - here"'
    assert fold("Case Stays") != fold("case stays")


def test_a_quote_is_found_with_typographic_marks_and_line_breaks_folded():
    text = FoldedText.of(TEXT)
    assert 'Traffickers "advertise false jobs"' in text
    assert "Fourth sentence, split over lines" in text
    assert "traffickers advertise false jobs" not in text  # case and marks are not folded away
    assert "" not in text


def test_a_passage_gives_the_sentences_around_the_quote_within_its_paragraph():
    found = passage(TEXT, "advertise false jobs")
    assert (found.before, found.quote, found.after) == (
        "First sentence here. Traffickers “",
        "advertise false jobs",
        "” on social media. Third one!",
    )
    assert passage(TEXT, "split over lines").quote == "split over lines"
    assert passage(TEXT, "Title line").text() == "Title line"
    assert passage(TEXT, "not in the text") is None


def test_a_passage_is_cut_to_two_sentences_either_side():
    text = " ".join(f"Sentence {i}." for i in range(10)) + "\n"
    found = passage(text, "Sentence 5.")
    assert found.text() == "Sentence 3. Sentence 4. Sentence 5. Sentence 6. Sentence 7."


def test_texts_are_read_by_source_file_and_missing_ones_named(tmp_path):
    (tmp_path / "a.txt").write_text("Alpha text.", encoding="utf-8")
    texts, names, missing = read_texts(
        tmp_path,
        {
            "d1": {"source_file": "a.txt"},
            "d2": {"source_file": "b.txt"},
            "d3": {"source_file": "../a.txt"},
            "d4": {},
        },
    )
    assert list(texts) == ["d1"] and names["d2"] == "b.txt"
    assert missing == [
        f"document 'd2': its text b.txt is not in {tmp_path}",
        f"document 'd3': its text ../a.txt is not in {tmp_path}",  # never outside the folder
        "document 'd4' names no source_file",
    ]


def write_dataset(folder: Path, *, evidence: str, quote: str) -> Path:
    folder.mkdir()
    (folder / "entities.csv").write_text(
        "id,name,type\nact,Act,law\nbody,Body,agency\n", encoding="utf-8"
    )
    (folder / "relations.csv").write_text(
        f"id,source,target,relation,modality,evidence,documents\n"
        f'r1,act,body,establishes,proposed,"{evidence}",d1|d2\n',
        encoding="utf-8",
    )
    (folder / "documents.csv").write_text(
        "id,title,source_file\nd1,One,one.txt\nd2,Two,two.txt\nd3,Three,three.txt\n",
        encoding="utf-8",
    )
    (folder / "citations.csv").write_text(
        f'relation,document,quote,locator\nr1,d3,"{quote}",paragraph 1\n', encoding="utf-8"
    )
    sources = folder / "sources"
    sources.mkdir()
    (sources / "one.txt").write_text("The bill would create a body.\n", encoding="utf-8")
    (sources / "two.txt").write_text("It would create a body, they say.\n", encoding="utf-8")
    (sources / "three.txt").write_text("A body would be set up.\n", encoding="utf-8")
    return folder


def test_a_dataset_with_its_texts_is_checked_when_it_loads(tmp_path):
    good = write_dataset(tmp_path / "good", evidence="would create a body", quote="set up")
    G = load_graph(good)
    assert G.graph["evidence"] == {"checked": 3, "missed": 0, "unchecked": 0}
    assert passage_in(G, "d1", "would create a body").before == "The bill "
    bad = write_dataset(tmp_path / "bad", evidence="The bill would create a body", quote="nope")
    with pytest.raises(DataError) as caught:
        load_graph(bad)
    assert [str(p) for p in caught.value.problems] == [
        "relations.csv:2: evidence does not stand verbatim in document 'd2' (two.txt): "
        "'The bill would create a body'",
        "citations.csv:2: quote does not stand verbatim in document 'd3' (three.txt): 'nope'",
    ]


def test_check_evidence_lists_each_miss_and_exits_1(tmp_path, capsys):
    bad = write_dataset(tmp_path / "bad", evidence="The bill would create a body", quote="nope")
    assert cli(["check-evidence", "--data", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "relations.csv:2: evidence does not stand verbatim in document 'd2' (two.txt)" in err
    assert "citations.csv:2: quote does not stand verbatim in document 'd3'" in err


def test_check_evidence_passes_and_counts_the_pairs(tmp_path, capsys):
    good = write_dataset(tmp_path / "good", evidence="would create a body", quote="set up")
    assert cli(["check-evidence", "--data", str(good)]) == 0
    assert capsys.readouterr().out.startswith("OK: 3 (quote, document) pairs checked")


def test_check_evidence_fails_when_a_text_is_missing(tmp_path, capsys):
    good = write_dataset(tmp_path / "good", evidence="would create a body", quote="set up")
    (good / "sources" / "three.txt").unlink()
    assert cli(["check-evidence", "--data", str(good)]) == 1
    err = capsys.readouterr().err
    assert "1 (quote, document) pairs could not be checked" in err
    assert "document 'd3': its text three.txt is not in" in err


def test_check_evidence_needs_texts(tmp_path, capsys):
    good = write_dataset(tmp_path / "good", evidence="would create a body", quote="set up")
    assert cli(["check-evidence", "--data", str(good), "--sources", str(tmp_path / "no")]) == 2
    assert "not a folder" in capsys.readouterr().err
    (good / "sources" / "one.txt").unlink()
    (good / "sources" / "two.txt").unlink()
    (good / "sources" / "three.txt").unlink()
    (good / "sources").rmdir()
    assert cli(["check-evidence", "--data", str(good)]) == 2
    assert "give one with --sources DIR" in capsys.readouterr().err
