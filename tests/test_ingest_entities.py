"""graph.ingest_entities.NameIndex: the known names a text writes, however it spells them.

A name is found as whole words, with a possessive or plural ending, written another way (no
leading "the", "U.S." or "US", a hyphen as a space or as nothing, "&" as "and", a plural head
in the singular, UK or US spelling), in any case unless it has capitals after its first
letter; the longest name wins, and the names inside a name found are found too.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.ingest_entities import NameIndex
from graph.ingest_text import folded


def found(forms: list[tuple[str, str]], text: str) -> list[tuple[str, str]]:
    """``(what the text writes, entity)`` for each name an index of ``forms`` finds."""
    return [(text[s:e], entity) for s, e, entity in NameIndex(forms).find(folded(text))]


def nested(forms: list[tuple[str, str]], text: str) -> list[tuple[str, str]]:
    """``(what the text writes, entity)`` for each name inside the names found."""
    index = NameIndex(forms)
    ftext = folded(text)
    return [(text[s:e], entity) for s, e, entity in index.nested(ftext, index.find(ftext))]


# --- each way of writing a name -----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "text", "written"),
    [
        ("The Internet", "sold on Internet forums", "Internet"),  # no leading "the"
        ("U.S. Congress", "the US Congress voted", "US Congress"),  # dots dropped
        ("US Congress", "the U.S. Congress voted", "U.S. Congress"),  # and added
        ("Anti-Trafficking Unit", "an Anti Trafficking Unit", "Anti Trafficking Unit"),
        ("Anti-Trafficking Unit", "an AntiTrafficking Unit", "AntiTrafficking Unit"),
        ("Anti-Trafficking Unit", "an Anti–Trafficking Unit", "Anti–Trafficking Unit"),  # en dash
        ("Exploitation & Obscenity Section", "the Exploitation and Obscenity Section", None),
        ("Labour Agencies", "a Labour Agency said", "Labour Agency"),  # a plural head singular
        ("Labour Agencies", "a Labor Agency said", "Labor Agency"),  # and US spelling
        ("dating app", "dating apps", None),  # a lower-case last word's plural
        ("online agency", "online agencies", None),  # -y, -ies
        ("Organisation for Security", "the Organization for Security", "Organization for Security"),
        ("recruitment", "victims recruited online", "recruited"),  # a noun of action's verb
        ("International Justice Mission", "International Justice\n  Mission said", None),
    ],
)
def test_a_name_written_another_way_is_found(name, text, written):
    written = written or text.removeprefix("the ").removesuffix(" said")
    assert found([(name, "it")], text) == [(written, "it")]


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("IPA's staff", "IPA's"),
        ("IPA’s staff", "IPA’s"),  # a typographic apostrophe
        ("the IPAs' staff", "IPAs"),  # one ending: the plural's apostrophe is left out
        ("the IPA' staff", "IPA'"),
        ("two IPAs", "IPAs"),
        ("two IPAes", "IPAes"),
        ("IPA'sx", "IPA"),  # an ending that runs into a word is left out
    ],
)
def test_a_possessive_or_plural_ending_is_part_of_the_name(text, written):
    assert found([("IPA", "ipa")], text) == [(written, "ipa")]


def test_a_name_across_a_line_break_is_found_at_its_place_in_the_text():
    text = "First,   the\tNational Center for\n\n   Missing Children, then INTERPOL."
    forms = [("National Center for Missing Children", "ncmec"), ("INTERPOL", "interpol")]
    spans = NameIndex(forms).find(text)
    assert [(text[s:e], entity) for s, e, entity in spans] == [
        ("National Center for\n\n   Missing Children", "ncmec"),
        ("INTERPOL", "interpol"),
    ]


# --- case ---------------------------------------------------------------------------------


def test_a_word_with_capitals_after_its_first_letter_is_found_only_as_written():
    forms = [("IPA", "ipa"), ("WhatsApp", "whatsapp"), ("US", "us")]
    assert found(forms, "ipa, Ipa, whatsapp, Whatsapp, us") == []
    assert found(forms, "IPA, WhatsApp, US") == [
        ("IPA", "ipa"),
        ("WhatsApp", "whatsapp"),
        ("US", "us"),
    ]


def test_a_name_of_several_words_or_one_plain_word_is_found_in_any_case():
    forms = [("Kids Online Safety Act", "kosa"), ("Senate", "senate"), ("cybercrime", "cyber")]
    assert found(forms, "KIDS ONLINE SAFETY ACT, the senate, Cybercrime") == [
        ("KIDS ONLINE SAFETY ACT", "kosa"),
        ("senate", "senate"),
        ("Cybercrime", "cyber"),
    ]


def test_a_plural_ending_follows_the_case_rule_of_its_name():
    assert found([("NGO", "ngo")], "NGOs and NGOS") == [("NGOs", "ngo")]
    assert found([("charity", "charity")], "CHARITYS") == [("CHARITYS", "charity")]


# --- which name wins ----------------------------------------------------------------------


def test_the_longest_name_wins():
    forms = [("State", "state"), ("Department of State", "dos"), ("State Department", "sd")]
    assert found(forms, "The Department of State and the State Department") == [
        ("Department of State", "dos"),
        ("State Department", "sd"),
    ]


def test_the_longest_name_wins_even_when_written_another_way():
    forms = [("TIP Report", "report"), ("2024 TIP Report", "tip_2024")]
    assert found(forms, "the 2024 TIP Reports") == [("2024 TIP Reports", "tip_2024")]


def test_a_name_that_cannot_end_where_it_does_gives_way_to_a_shorter_one():
    """ "Data Forum" is not found in "Data Forumx" (the word goes on); "Data" is."""
    forms = [("Data Forum", "forum"), ("Data", "data")]
    assert found(forms, "Data Forumx") == [("Data", "data")]


def test_a_spelling_two_entities_share_is_the_first_ones():
    """The index of a dataset lists names before aliases: a name wins over an alias."""
    assert found([("Congress", "us_congress"), ("congress", "a_congress")], "Congress") == [
        ("Congress", "us_congress")
    ]


def test_names_found_do_not_overlap():
    forms = [("2024 TIP Report", "tip_2024"), ("TIP Report Hero", "hero")]
    assert found(forms, "a 2024 TIP Report Hero") == [("2024 TIP Report", "tip_2024")]


# --- names inside names, and names that overlap -------------------------------------------


def test_a_name_inside_a_longer_one_is_found_inside_it():
    forms = [("INTERPOL-led Operation Synergia", "op"), ("INTERPOL", "interpol")]
    assert found(forms, "the INTERPOL-led Operation Synergia") == [
        ("INTERPOL-led Operation Synergia", "op")
    ]
    assert nested(forms, "the INTERPOL-led Operation Synergia") == [("INTERPOL", "interpol")]


def test_a_name_that_starts_inside_another_and_runs_on_is_found():
    forms = [("2024 TIP Report", "tip_2024"), ("TIP Report Hero", "hero")]
    assert nested(forms, "a 2024 TIP Report Hero") == [("TIP Report Hero", "hero")]


def test_a_name_inside_a_plural_is_not_hidden_by_the_plurals_own_singular():
    """The longer name's singular (one letter shorter) is found first inside it, and dropped."""
    forms = [("algorithms that analyze sex advertisements", "algorithms")]
    forms.append(("sex advertisements", "ads"))
    text = "algorithms that analyze sex advertisements"
    assert nested(forms, text) == [("sex advertisements", "ads")]


# --- whole words --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "RIPA",  # a word before
        "IPAX",  # a word after
        "IPA_2",  # an underscore is part of a word
        "pro-IPA",  # after a hyphen: part of a compound
        "IPAsy",
    ],
)
def test_a_name_inside_a_word_is_not_found(text):
    assert found([("IPA", "ipa")], text) == []


def test_a_name_next_to_punctuation_is_found():
    text = "(IPA), IPA. “IPA” IPA/ECPAT IPA-led"
    assert [w for w, _ in found([("IPA", "ipa")], text)] == ["IPA"] * 5


def test_a_name_is_found_at_the_very_start_and_end_of_the_text():
    assert found([("Europol", "europol")], "Europol") == [("Europol", "europol")]


def test_a_short_or_wordless_form_is_not_indexed():
    index = NameIndex([("A", "a"), ("--", "dash"), ("  ", "space")])
    assert len(index) == 0
    assert index.find("A -- B") == []


# --- the index as one structure -----------------------------------------------------------


def test_names_the_text_never_writes_change_nothing():
    """An index of 20,000 more names finds what the small one does."""
    forms = [("INTERPOL", "interpol"), ("Operation Synergia", "op"), ("dating app", "app")]
    text = "INTERPOL led Operation Synergia against dating apps; Interpol's data."
    more = [(f"Zq{i} Council of Vx{i % 97}", f"z{i}") for i in range(20_000)]
    assert NameIndex(more + forms).find(text) == NameIndex(forms).find(text)


def _regex_reference(forms: list[tuple[str, str]], text: str) -> list[tuple[int, int, str]]:
    """What one regular expression per kind of name finds (the index's behaviour, written as
    the regex it replaces): each spelling, longest first, as a whole word with an ending."""
    index = NameIndex(forms)
    spans = []
    for table in index._tables:
        if not table.keys:
            continue
        spellings = sorted(table.keys, key=len, reverse=True)
        alternatives = "|".join(re.escape(f).replace(r"\ ", r"\s+") for f in spellings)
        flags = re.IGNORECASE if table.any_case else 0
        pattern = re.compile(rf"(?<![\w\-])({alternatives})(?:'s|'|s|es)?(?![\w])", flags)
        for match in pattern.finditer(text):
            key = re.sub(r"\s+", " ", match.group(1)).lower()
            spans.append((match.start(), match.end(), index.ids[key]))
    kept: list[tuple[int, int, str]] = []
    for span in sorted(spans, key=lambda s: (s[0], s[0] - s[1])):
        if not kept or span[0] >= kept[-1][1]:
            kept.append(span)
    return kept


WORDS = ["ab", "AB", "Ab", "abs", "cd", "CD", "u.s.", "US", "the", "a-b", "e", "es", "ngo"]
SEPARATORS = [" ", "  ", "\n", "", "-", "'", "'s ", ", ", "."]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.lists(st.sampled_from(WORDS), min_size=1, max_size=3).map(" ".join),
            st.sampled_from(["x", "y", "z"]),
        ),
        min_size=1,
        max_size=8,
    ),
    st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(SEPARATORS)), max_size=30),
)
def test_the_index_finds_what_one_regular_expression_per_kind_of_name_would(forms, pieces):
    text = "".join(word + separator for word, separator in pieces)
    assert NameIndex(forms).find(text) == _regex_reference(forms, text)
