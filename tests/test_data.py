"""The bundled dataset in data/: it loads cleanly, every row is sourced, and key facts are there.

Each relation's evidence must stand verbatim in one of the source documents it cites; the
sources live in ``../shared/sources`` beside the repository and are matched through
``documents.csv``'s ``source_file`` column.
"""

from __future__ import annotations

import csv
import os
import re
from pathlib import Path

import pytest

from graph.load import load_graph
from graph.schema import default_schema

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"


def _sources_folder() -> Path:
    """``$KG_SOURCES``, else ``../shared/sources`` beside the repository (or the workspace's)."""
    candidates = [Path(p) for p in [os.environ.get("KG_SOURCES", "")] if p]
    candidates += [ROOT.parent / "shared" / "sources", Path("/work/shared/sources")]
    return next((c for c in candidates if c.is_dir()), candidates[0])


SOURCES = _sources_folder()

MAX_EVIDENCE = 200

# Folding as /work/shared/tools/check_evidence.py does: typographic quotes and dashes to ASCII,
# whitespace runs collapsed, lower-case. Nothing else.
_FOLD = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u00a0": " ",
    }
)


def fold(text: str) -> str:
    return re.sub(r"\s+", " ", text.translate(_FOLD)).strip().lower()


def read_rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def split(value: str) -> list[str]:
    return [part.strip() for part in (value or "").split("|") if part.strip()]


@pytest.fixture(scope="module")
def graph():
    return load_graph(DATA)


@pytest.fixture(scope="module")
def documents() -> dict[str, dict[str, str]]:
    return {row["id"]: row for row in read_rows("documents.csv")}


@pytest.fixture(scope="module")
def entities() -> list[dict[str, str]]:
    return read_rows("entities.csv")


@pytest.fixture(scope="module")
def relations() -> list[dict[str, str]]:
    return read_rows("relations.csv")


def load_source_texts(documents) -> dict[str, str]:
    """Folded text of each document's source file, by document id; fails if sources are absent."""
    if not SOURCES.is_dir():
        pytest.fail(
            f"source documents folder {SOURCES} is missing: the evidence quotes cannot be "
            "checked (expected ../shared/sources beside the repository)"
        )
    texts = {}
    for doc_id, row in documents.items():
        path = SOURCES / row.get("source_file", "")
        assert row.get("source_file") and path.is_file(), (
            f"document {doc_id}: source file {row.get('source_file')!r} not found in {SOURCES}"
        )
        texts[doc_id] = fold(path.read_text(encoding="utf-8"))
    return texts


def has_relation(G, source: str, relation: str, target: str) -> bool:
    return any(
        data["relation"] == relation
        for data in G.get_edge_data(source, target, default={}).values()
    )


# --- the dataset as a whole ------------------------------------------------------------------


def test_bundled_data_loads_without_errors_or_warnings(graph):
    assert graph.number_of_nodes() > 100
    assert graph.number_of_edges() > 150
    assert [str(w) for w in graph.graph["warnings"]] == []


def test_documents_each_name_their_source_file(documents):
    assert len(documents) == 5
    for doc_id, row in documents.items():
        assert row["title"], f"document {doc_id} has no title"
        assert row["kind"], f"document {doc_id} has no kind"
        assert row["source_file"].endswith(".txt"), f"document {doc_id} has no source_file"
    assert len({row["source_file"] for row in documents.values()}) == 5


def test_every_entity_has_a_description_and_a_document(entities):
    for row in entities:
        assert row["description"].strip(), f"entity {row['id']} has no description"
        assert split(row["documents"]), f"entity {row['id']} cites no document"


def test_every_relation_has_evidence_and_documents(relations):
    for line, row in enumerate(relations, start=2):
        assert row["evidence"].strip(), f"relations.csv:{line}: no evidence"
        assert split(row["documents"]), f"relations.csv:{line}: no documents"


def test_every_cited_document_exists(documents, entities, relations):
    for name, rows in (("entities.csv", entities), ("relations.csv", relations)):
        for line, row in enumerate(rows, start=2):
            for doc in split(row["documents"]):
                assert doc in documents, f"{name}:{line}: unknown document {doc!r}"


def test_no_entity_is_isolated(graph):
    isolated = [node for node in graph.nodes if graph.degree(node) == 0]
    assert isolated == []


def test_every_relation_is_declared_in_the_vocabulary(relations):
    declared = default_schema().relation_types
    undeclared = sorted({row["relation"] for row in relations} - set(declared))
    assert undeclared == [], f"declare these in graph/relation_types.toml: {undeclared}"


def test_evidence_is_a_short_quote(relations):
    for line, row in enumerate(relations, start=2):
        assert len(row["evidence"]) < MAX_EVIDENCE, (
            f"relations.csv:{line}: evidence is {len(row['evidence'])} characters"
        )


def test_every_evidence_quote_stands_in_a_document_it_cites(relations, documents):
    source_texts = load_source_texts(documents)
    missing = []
    for line, row in enumerate(relations, start=2):
        quote = fold(row["evidence"])
        if not any(quote in source_texts[doc] for doc in split(row["documents"])):
            missing.append(f"relations.csv:{line}: {row['evidence'][:80]!r}")
    assert missing == []


def test_no_entity_is_a_victim(entities):
    # The graph is about organisations, laws, tools, operations and findings, never victims.
    for row in entities:
        assert "victim" not in row["type"]
        if row["type"] == "person":
            assert "victim" not in row["description"].lower(), row["id"]


# --- facts a reader would check first ----------------------------------------------------------


def test_interpol_led_operation_synergia(graph):
    assert has_relation(graph, "interpol", "led", "operation_synergia")
    assert "INTERPOL-led Operation Synergia" in graph.nodes["operation_synergia"]["aliases"]


def test_canadian_centre_for_child_protection_runs_project_arachnid(graph):
    assert has_relation(graph, "canadian_centre_for_child_protection", "runs", "project_arachnid")


def test_report_act_concerns_ncmecs_cybertipline(graph):
    assert graph.get_edge_data("report_act", "cybertipline"), "no REPORT Act -> CyberTipline link"
    assert has_relation(graph, "report_act", "modernises", "cybertipline")
    assert has_relation(graph, "ncmec", "runs", "cybertipline")
    assert "NCMEC" in graph.nodes["ncmec"]["aliases"]


def test_kospa_combines_kosa_and_coppa_2_0(graph):
    assert has_relation(graph, "kospa", "combines", "kosa")
    assert has_relation(graph, "kospa", "combines", "coppa_2_0")
    assert has_relation(graph, "us_senate", "passed", "kospa")


def test_samson_inocencio_is_a_2024_tip_report_hero(graph):
    assert has_relation(graph, "us_state_department", "recognised", "samson_inocencio")
    assert has_relation(graph, "samson_inocencio", "won", "tip_report_hero_award")
    assert has_relation(graph, "samson_inocencio", "directs", "ijm_philippines")


def test_tech_against_trafficking_counts_amazon_and_microsoft_as_members(graph):
    for company in ("amazon", "microsoft"):
        assert has_relation(graph, company, "member_of", "tech_against_trafficking")


def test_findings_keep_their_figures_and_sources(graph):
    reach = graph.nodes["f_social_identity_quest_reach"]
    assert "1.2 million" in reach["name"]
    assert has_relation(graph, "f_social_identity_quest_reach", "reported_by", "pact")
    assert "846%" in graph.nodes["f_846_percent_increase_reports"]["name"]
    assert has_relation(graph, "f_846_percent_increase_reports", "reported_by", "ncmec")
    assert has_relation(graph, "f_40_percent_payments_bitcoin", "reported_by", "europol")


STAGES = {"recruitment", "control", "payment", "concealment", "advertising", "exploitation"}


def test_types_csv_declares_the_trafficking_stage_type(graph):
    style = graph.graph["schema"].entity_types["trafficking_stage"]
    assert (style.label, style.color, style.shape) == (
        "Trafficking stage",
        "#CCBB44",
        "triangleDown",
    )
    assert style.description
    stages = {n for n, d in graph.nodes(data=True) if d["type"] == "trafficking_stage"}
    assert stages == STAGES


def test_technology_abuse_runs_from_a_technology_to_a_trafficking_stage(graph):
    # "GPS tracking is abused by traffickers for Control and coercion", never "... for <a report>"
    abuse = [(u, v) for u, v, d in graph.edges(data=True) if d["relation"] == "abused_for"]
    assert len(abuse) >= 20
    for u, v in abuse:
        assert graph.nodes[u]["type"] in ("technology", "company"), u  # WhatsApp is a company
        assert graph.nodes[v]["type"] == "trafficking_stage", v
    assert not [
        d["relation"]
        for _, _, d in graph.edges(data=True)
        if d["relation"].startswith("abused_for_")
    ]
    for stage in STAGES:
        assert any(v == stage for _, v in abuse), f"no technology abused for {stage}"
    assert has_relation(graph, "gps_tracking", "abused_for", "control")
    assert has_relation(graph, "video_surveillance", "abused_for", "control")
    assert has_relation(graph, "dating_apps", "abused_for", "recruitment")
    assert has_relation(graph, "social_media", "abused_for", "recruitment")
    assert has_relation(graph, "cryptocurrency", "abused_for", "payment")
    assert has_relation(graph, "dark_web", "abused_for", "concealment")
    assert has_relation(graph, "online_advertising", "abused_for", "advertising")
    assert has_relation(graph, "live_streaming", "abused_for", "exploitation")


def test_who_reports_an_abuse_is_kept(graph):
    assert has_relation(graph, "unodc_role_of_technology_2021", "reports_abuse_of", "gps_tracking")
    assert has_relation(graph, "tip_report_2024", "reports_abuse_of", "dating_apps")
    assert has_relation(graph, "ipa", "reports_abuse_of", "dark_web")
    assert has_relation(graph, "unodc_role_of_technology_2021", "describes_abuse_for", "control")
    for u, v, d in graph.edges(data=True):
        if d["relation"] == "reports_abuse_of":
            assert graph.nodes[v]["type"] in ("technology", "company"), (u, v)
        if d["relation"] == "describes_abuse_for":
            assert graph.nodes[v]["type"] == "trafficking_stage", (u, v)


def test_tools_and_operations_counter_a_stage_or_a_technology(graph):
    assert has_relation(
        graph, "netherlands_led_online_recruitment_action", "counters", "recruitment"
    )
    assert has_relation(graph, "financial_transaction_tracking", "counters", "payment")
    assert has_relation(graph, "operation_synergia", "counters", "cybercrime_servers")
    for u, v, d in graph.edges(data=True):
        if d["relation"] == "counters":
            assert graph.nodes[v]["type"] in ("technology", "trafficking_stage"), (u, v)


def test_every_relation_reads_as_a_declared_sentence(graph):
    schema = graph.graph["schema"]
    for u, v, d in graph.edges(data=True):
        declared = schema.relation_types[d["relation"]]
        assert declared.phrase and declared.inverse, d["relation"]
        sentence = schema.sentence(graph.nodes[u]["name"], d["relation"], graph.nodes[v]["name"])
        assert graph.nodes[v]["name"] in sentence


def test_structure_the_text_states_is_there(graph):
    # committees of the House, chambers of Congress, a section of the DOJ, a lab of a university
    for source, relation, target in [
        ("house_foreign_affairs_committee", "part_of", "us_house"),
        ("house_judiciary_committee", "part_of", "us_house"),
        ("us_senate", "part_of", "us_congress"),
        ("us_house", "part_of", "us_congress"),
        ("ceos", "part_of", "us_department_of_justice"),
        ("rights_lab", "part_of", "university_of_nottingham"),
        ("mit_lincoln_laboratory", "part_of", "mit"),
        ("unodc", "part_of", "united_nations"),
        ("us_congress", "passed", "report_act"),
        ("vawa", "precedes", "tvpa"),
        ("earn_it_act", "pending_before", "house_judiciary_committee"),
        ("kospa", "pending_before", "us_house"),
        ("unodc", "hosted", "datajam_against_exploitation"),
        ("buyer_resist", "won", "datajam_against_exploitation"),
        ("us_state_department", "confers", "tip_report_hero_award"),
        ("ijm", "observes", "world_day_2024"),
        ("world_day_2024", "part_of", "world_day_against_trafficking"),
        ("cindy_dyer", "testified_before", "house_foreign_affairs_committee"),
    ]:
        assert has_relation(graph, source, relation, target), (source, relation, target)


@pytest.mark.parametrize(
    "text, entity",
    [
        ("CEOS", "ceos"),
        ("KOSPA", "kospa"),
        ("H.R. 2732", "earn_it_act"),
        ("S. 1207", "earn_it_act"),
        ("DI", "digital_intelligence"),
        ("UNODC", "unodc"),
        ("ICAT", "icat"),
        ("TVPA", "tvpa"),
        ("VAWA", "vawa"),
        ("IOM", "iom"),
        ("IJM", "ijm"),
        ("NCMEC", "ncmec"),
        ("IPA", "ipa"),
        ("EUROPOL", "europol"),
        ("Silicon Valley", "us_technology_sector"),
        ("Canada-based Center for Child Protection", "canadian_centre_for_child_protection"),
        ("2024 TIP Report", "tip_report_2024"),
        ("Sam Inocencio", "samson_inocencio"),
        ("Columbian", "colombia"),
        ("COPPA 2.0", "coppa_2_0"),
    ],
)
def test_acronyms_and_spellings_the_documents_use_resolve(graph, text, entity):
    from graph.search import resolve

    assert resolve(graph, text) == entity


def test_one_entity_per_name_or_alias(graph):
    owners: dict[str, set[str]] = {}
    for node, data in graph.nodes(data=True):
        for name in [data["name"], *data.get("aliases", [])]:
            owners.setdefault(name.lower(), set()).add(node)
    assert {name: ids for name, ids in owners.items() if len(ids) > 1} == {}


def test_the_graph_is_one_connected_component(graph):
    import networkx as nx

    assert nx.number_weakly_connected_components(graph) == 1


def test_entities_cite_every_document_their_relations_cite(graph):
    for u, v, data in graph.edges(data=True):
        for node in (u, v):
            missing = set(data["documents"]) - set(graph.nodes[node]["documents"])
            assert not missing, f"{node} does not cite {missing} ({u} {data['relation']} {v})"


def test_quantitative_claims_are_findings_with_their_figures(graph):
    figures = {
        "f_social_identity_quest_reach": "1.2 million",
        "f_report_act_preservation": "90 days",
        "f_netherlands_action_11_arrests": "11",
        "f_netherlands_action_45_victims": "45",
        "f_netherlands_action_26_countries": "26",
        "f_synergia_1300_seized": "1,300",
        "f_synergia_70_percent_servers": "70 percent",
        "f_half_million_filipino_children": "half a million",
        "f_50_million_in_trafficking": "50 million",
        "f_1_in_3_children": "1 in 3",
        "f_kospa_senate_vote_91_3": "91-3",
        "f_40_percent_recruited_online": "40 percent",
        "f_80_percent_prosecutions_online_ads": "80 percent",
        "f_846_percent_increase_reports": "846%",
        "f_40_percent_payments_bitcoin": "40%",
        "f_94_percent_women_girls": "94%",
        "f_600_to_1500_ads": "1,500",
        "f_260_tools_mapped": "260",
        "f_gracecity_thousands_responders": "thousands",
        "f_digital_evidence_thousands": "thousands",
    }
    for node, figure in figures.items():
        assert graph.nodes[node]["type"] == "finding"
        assert figure in graph.nodes[node]["name"], (node, figure)
    assert "30 percent" in graph.nodes["f_synergia_70_percent_servers"]["name"]


def test_every_finding_names_who_reported_it(graph):
    for node, data in graph.nodes(data=True):
        if data["type"] == "finding":
            reporters = [
                t for _, t, d in graph.out_edges(node, data=True) if d["relation"] == "reported_by"
            ]
            assert reporters, f"finding {node} has no reported_by relation"


# --- the bundled guided tours (data/tours.yaml) ------------------------------------------------

TOURS = DATA / "tours.yaml"
MIN_TOUR_COVERAGE = 0.8
_ABBREVIATIONS = ("U.S.", "e.g.", "i.e.", "H.R.", "S. ")


def sentences(text: str) -> list[str]:
    """Split narration into sentences, not breaking after abbreviations such as "U.S."."""
    for abbreviation in _ABBREVIATIONS:
        text = text.replace(abbreviation, abbreviation.replace(".", ""))
    return [s for s in re.split(r"(?<=[.!?])\s+(?=[\"\u201c(A-Z0-9])", text.strip()) if s]


@pytest.fixture(scope="module")
def tours(graph):
    from graph.tours import load_tours

    return load_tours(TOURS, graph)


def view_entities(G, view) -> set[str]:
    """What a step shows: exactly what the app draws for its view (graph.view.scene)."""
    from graph.view import scene

    return set(scene(G, view).graph)


def test_sentence_splitting_keeps_abbreviations():
    assert len(sentences("The U.S. Senate passed it 91-3. H.R. 2732 waits.")) == 2


def test_bundled_tours_load_and_validate_against_the_bundled_data(tours):
    assert len(tours) >= 5
    assert len({t.id for t in tours}) == len(tours)


def test_the_tours_asked_for_are_there(tours):
    ids = {t.id for t in tours}
    assert {
        "technology_abuse_stages",
        "who_fights_back",
        "platform_to_prosecution",
        "laws_before_congress",
        "data_and_collaboration",
    } <= ids


def test_each_tour_has_a_title_a_one_line_summary_and_four_to_seven_steps(tours):
    for tour in tours:
        assert tour.title and tour.summary and "\n" not in tour.summary, tour.id
        assert 4 <= len(tour.steps) <= 7, f"{tour.id}: {len(tour.steps)} steps"


def test_every_step_narrates_in_two_to_four_sentences_and_cites_a_document(tours):
    for tour in tours:
        for step in tour.steps:
            count = len(sentences(step.narration))
            assert 2 <= count <= 4, f"{tour.id} / {step.title}: {count} sentences"
            assert step.documents, f"{tour.id} / {step.title}: no documents"


def test_every_path_step_has_a_path_within_four_hops(graph, tours):
    from graph.query import find_paths

    for tour in tours:
        for step in tour.steps:
            ends = (step.view.path_from, step.view.path_to)
            if step.view.has_path():
                assert find_paths(graph, *ends, max_hops=4), (
                    f"{tour.id} / {step.title}: no path {ends} within 4 hops"
                )


def test_together_the_tours_show_most_of_the_dataset(graph, tours):
    shown = set()
    for tour in tours:
        for step in tour.steps:
            shown |= view_entities(graph, step.view)
    coverage = len(shown) / graph.number_of_nodes()
    missing = sorted(set(graph) - shown)
    assert coverage >= MIN_TOUR_COVERAGE, f"tours show {coverage:.0%}; never shown: {missing}"


# A narration names a document as "<publisher>'s article", "The Hill op-ed", "the 2022 World Day
# post" and the like: those words cite a source (the step's `documents`), not an entity to draw.
DOCUMENT_CITATION = re.compile(
    r"\b(?:The Hill|IPA|PACT|IJM|UNODC|ICAT|MIT News)(?:['’]s)?(?: [\w-]+){0,2}? "
    r"(?:op-eds?|article|post|brief|web story)\b|\b[Tt]he (?:2022 )?World Day post\b"
)


def named_entities(G, text: str) -> dict[str, str]:
    """The entities ``text`` names: whole-word, case-sensitive matches of a name or of an
    alias written with a capital (so "Senate" and "IJM", not "grooming"); a match inside a
    longer one counts only as the longer ("2024 TIP Report", not also "TIP Report")."""
    text = DOCUMENT_CITATION.sub(lambda m: "#" * len(m.group()), text)
    spellings: dict[str, set[str]] = {}
    for node, data in G.nodes(data=True):
        spellings.setdefault(data["name"], set()).add(node)
        for alias in data.get("aliases", ()):
            if len(alias) >= 3 and any(c.isupper() for c in alias):
                spellings.setdefault(alias, set()).add(node)
    found = []
    for spelling, nodes in spellings.items():
        pattern = r"(?<![\w-])" + re.escape(spelling) + r"(?![\w-])"
        found += [(m.start(), m.end(), spelling, nodes) for m in re.finditer(pattern, text)]
    named: dict[str, str] = {}
    for start, end, spelling, nodes in found:
        if any(s <= start and end <= e and e - s > end - start for s, e, _, _ in found):
            continue
        named.update(dict.fromkeys(nodes, spelling))
    return named


def test_named_entities_reads_names_and_capitalised_aliases_not_citations(graph):
    text = "IPA's article says the 2024 TIP Report and IJM agree; The Hill op-ed adds grooming."
    assert named_entities(graph, text) == {"tip_report_2024": "2024 TIP Report", "ijm": "IJM"}


def test_every_highlighted_entity_of_every_step_is_drawn(graph, tours):
    for tour in tours:
        for number, step in enumerate(tour.steps, 1):
            missing = set(step.view.highlight) - view_entities(graph, step.view)
            assert not missing, f"{tour.id} step {number} ({step.title}): {sorted(missing)}"


def test_every_entity_a_narration_names_is_drawn_by_its_step(graph, tours):
    for tour in tours:
        for number, step in enumerate(tour.steps, 1):
            drawn = view_entities(graph, step.view)
            missing = {
                node: spelling
                for node, spelling in named_entities(graph, step.narration).items()
                if node not in drawn
            }
            assert not missing, f"{tour.id} step {number} ({step.title}) names {missing}"


def test_every_step_draws_a_view_small_enough_to_read(graph, tours):
    for tour in tours:
        for number, step in enumerate(tour.steps, 1):
            drawn = len(view_entities(graph, step.view))
            assert 3 <= drawn <= 40, f"{tour.id} step {number} ({step.title}): {drawn} drawn"
