"""bench/legibility.py: when OCR's words count as a name read back (no tesseract needed here:
the words are given as tesseract would report them)."""

from __future__ import annotations

import doctest

import bench.legibility as legibility
from bench.legibility import Word, legible_among


def line(*texts: str, top: float = 0.0, left: float = 0.0) -> list[Word]:
    """Words on one line, a space apart, 20 px high."""
    words, x = [], left
    for text in texts:
        width = 12.0 * len(text)
        words.append(Word(text, x, top, width, 20.0))
        x += width + 8.0
    return words


def test_the_documented_rules_hold():
    result = doctest.testmod(legibility)
    assert result.attempted >= 15 and result.failed == 0


def test_a_name_is_read_when_its_words_follow_each_other_on_a_line():
    words = line("sex", "trafficking", "report", "act")
    assert legible_among({"s": "Sex trafficking", "r": "REPORT Act"}, words) == {"s", "r"}


def test_a_name_wrapped_onto_the_next_line_centred_under_it_is_read():
    words = line("cybercrime", "server") + line("infrastructure", top=24.0)
    assert legible_among({"c": "Cybercrime server infrastructure"}, words) == {"c"}


def test_words_out_of_order_or_far_apart_are_not_a_name():
    assert legible_among({"r": "REPORT Act"}, line("act", "report")) == set()
    far = line("report") + line("act", left=600.0)
    assert legible_among({"r": "REPORT Act"}, far) == set()


def test_each_word_read_counts_for_one_name_only():
    words = line("operation", "synergia")
    names = {"op": "Operation Synergia", "again": "Operation Synergia"}
    assert len(legible_among(names, words)) == 1


def test_a_letter_with_a_diacritic_may_be_misread_but_a_plain_one_may_not():
    assert legible_among({"c": "Côte d'Ivoire"}, line("cete", "divoire")) == {"c"}
    assert legible_among({"c": "Cote d'Ivoire"}, line("cete", "divoire")) == set()


def test_a_second_reading_over_a_word_already_read_does_not_break_its_line():
    """Tesseract sometimes reads one glyph twice, a tall box ("ir") over the word ("in")."""
    words = line("trafficking", "in", "persons")
    ghost = Word("ir", words[1].left - 10.0, words[1].top - 4.0, 31.0, 40.0)
    assert legible_among({"t": "Trafficking in Persons"}, [*words, ghost]) == {"t"}
