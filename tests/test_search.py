"""graph/search.py: find an entity however a reader remembers it."""

import pytest

from graph.errors import AmbiguousEntity, EntityNotFound
from graph.load import load_graph
from graph.search import resolve, search


def ids(hits):
    return [h.id for h in hits]


def test_an_acronym_alias_finds_its_entity_first(small_graph):
    assert ids(search(small_graph, "NCMEC"))[0] == "ncmec"
    assert ids(search(small_graph, "ipa"))[0] == "ipa"


def test_initials_of_a_multi_word_name_find_it_even_without_an_alias():
    G = load_graph(
        {
            "entities.csv": "id,name,type\nctr,National Center for Missing & Exploited "
            "Children,ngo\nx,NCMEC Watch,ngo\n",
            "relations.csv": "source,target,relation\nx,ctr,supported\n",
        }
    )
    hits = search(G, "ncmec")
    assert [(h.id, h.score) for h in hits][:2] == [("ctr", 95), ("x", 80)]


def test_search_is_case_and_space_insensitive(small_graph):
    assert ids(search(small_graph, "  operation   SYNERGIA "))[0] == "operation_synergia"


def test_exact_beats_prefix_beats_word_beats_description(small_graph):
    hits = {h.id: h.score for h in search(small_graph, "cyber")}
    assert hits["cybertipline"] == 80  # prefix of the name
    assert hits["ncmec"] == 30  # only its description mentions it
    assert ids(search(small_graph, "synergia"))[0] == "operation_synergia"  # later word


def test_a_typo_still_finds_the_entity_by_fuzzy_match(small_graph):
    assert "cybertipline" in ids(search(small_graph, "cybertiplne"))
    assert "interpol" in ids(search(small_graph, "interpoll"))


def test_an_empty_query_finds_nothing(small_graph):
    assert search(small_graph, "   ") == []


def test_hits_carry_name_type_and_what_matched(small_graph):
    [hit, *_] = search(small_graph, "REPORT Act")
    assert (hit.id, hit.name, hit.type, hit.score) == ("report_act", "REPORT Act", "law", 100)


def test_resolve_accepts_an_id_a_name_or_an_alias_in_any_case(small_graph):
    assert resolve(small_graph, "pact") == "pact"
    assert resolve(small_graph, "protect all children from trafficking") == "pact"
    assert resolve(small_graph, "INTERPOL-led Operation Synergia") == "operation_synergia"


def test_resolve_unknown_text_suggests_close_names(small_graph):
    with pytest.raises(EntityNotFound) as caught:
        resolve(small_graph, "Cybertipline Act")
    assert "CyberTipline" in caught.value.suggestions
    assert "Did you mean" in str(caught.value)


KOSA_FILES = {
    "entities.csv": "id,name,type,aliases\nkids_act,Kids Online Safety Act,law,KOSA\n"
    "kosa_summary,KOSA,report,\n",
    "relations.csv": "source,target,relation\nkosa_summary,kids_act,concerns\n",
}


def test_resolve_ambiguous_text_lists_the_candidates():
    with pytest.raises(AmbiguousEntity) as caught:
        resolve(load_graph(KOSA_FILES), "kosa")
    assert caught.value.candidates == ["kids_act", "kosa_summary"]
    assert "Use an id" in str(caught.value)


def test_resolve_prefers_an_exact_id_over_names():
    assert resolve(load_graph(KOSA_FILES), "kosa_summary") == "kosa_summary"


def test_the_short_name_drawn_on_the_map_finds_its_entity():
    files = {
        "entities.csv": "id,name,short_name,type\n"
        "f,Over 80 percent of prosecutions involved online ads,Ads in prosecutions,finding\n"
        "n,NCMEC,,ngo\n",
        "relations.csv": "source,target,relation\nf,n,reported_by\n",
    }
    G = load_graph(files)
    assert ids(search(G, "ads in prosecutions"))[:1] == ["f"]
    assert resolve(G, "Ads in prosecutions") == "f"
