"""The bundled dataset in data/: it loads cleanly, every claim is traceable, key facts are there.

Every (quote, document) pair — a relation's evidence in each document of its row, each
citation's quote in its document — must stand verbatim in that document's text. The texts are
not shipped (they are others' words); they live in ``../shared/sources`` beside the repository
(or ``$KG_SOURCES``) and are matched through ``documents.csv``'s ``source_file`` column, by
``python -m graph check-evidence`` exactly as a user would run it.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest

from graph import citations
from graph.cli import main as cli
from graph.load import load_graph
from graph.schema import MODALITIES, default_schema

from .sources import SOURCES

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"


MAX_EVIDENCE = 200


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


def has_relation(G, source: str, relation: str, target: str) -> bool:
    return any(
        data["relation"] == relation
        for data in G.get_edge_data(source, target, default={}).values()
    )


def edge(G, source: str, relation: str, target: str) -> dict:
    found = [d for d in G.get_edge_data(source, target, default={}).values()]
    found = [d for d in found if d["relation"] == relation]
    assert len(found) == 1, (source, relation, target)
    return found[0]


# --- the dataset as a whole ------------------------------------------------------------------


def test_bundled_data_loads_without_errors_or_warnings(graph):
    # no warning either: an entity-type violation of a relation's declaration would be an
    # error, and an undeclared relation a warning
    assert graph.number_of_nodes() > 100
    assert graph.number_of_edges() > 150
    assert [str(w) for w in graph.graph["warnings"]] == []


def test_every_quote_stands_verbatim_in_each_document_it_is_cited_with(capsys):
    if not SOURCES.is_dir():
        pytest.fail(f"the source texts are missing: expected {SOURCES} (or set $KG_SOURCES)")
    code = cli(["check-evidence", "--data", str(DATA), "--sources", str(SOURCES), "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert '"missed": 0' in out and '"unchecked": 0' in out


def test_the_texts_hold_every_pair_the_dataset_cites(graph):
    G = load_graph(DATA, sources=SOURCES)
    pairs = sum(len(list(citations.quotes(d))) for _, _, d in G.edges(data=True))
    assert G.graph["evidence"] == {"checked": pairs, "missed": 0, "unchecked": 0}
    assert pairs > graph.number_of_edges()  # every relation, and the citations besides


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


def test_every_relation_has_an_id_evidence_and_documents(relations):
    for line, row in enumerate(relations, start=2):
        assert re.fullmatch(r"r[0-9]{3}", row["id"]), f"relations.csv:{line}: id {row['id']!r}"
        assert row["evidence"].strip(), f"relations.csv:{line}: no evidence"
        assert split(row["documents"]), f"relations.csv:{line}: no documents"


def test_every_cited_document_exists(documents, entities, relations):
    for name, rows in (("entities.csv", entities), ("relations.csv", relations)):
        for line, row in enumerate(rows, start=2):
            for doc in split(row["documents"]):
                assert doc in documents, f"{name}:{line}: unknown document {doc!r}"
    for line, row in enumerate(read_rows("citations.csv"), start=2):
        assert row["document"] in documents, f"citations.csv:{line}: {row['document']!r}"


def test_no_entity_is_isolated(graph):
    isolated = [node for node in graph.nodes if graph.degree(node) == 0]
    assert isolated == []


def test_every_relation_is_declared_with_the_types_it_joins(graph):
    declared = default_schema().relation_types
    for u, v, d in graph.edges(data=True):
        relation = declared[d["relation"]]
        assert relation.checked, f"{d['relation']} declares no source/target types"
        assert relation.allows(graph.nodes[u]["type"], graph.nodes[v]["type"]), (u, v, d)


def test_every_quote_is_short(relations):
    quotes = [r["evidence"] for r in relations] + [c["quote"] for c in read_rows("citations.csv")]
    long = [q for q in quotes if len(q) >= MAX_EVIDENCE]
    assert long == []


def test_no_entity_is_a_victim(entities):
    # The graph is about organisations, laws, tools, operations and findings, never victims.
    for row in entities:
        assert "victim" not in row["type"]
        if row["type"] == "person":
            assert "victim" not in row["description"].lower(), row["id"]


# --- provenance: modality, citations, corroboration -------------------------------------------


def test_every_relation_has_a_known_modality_and_most_are_stated(graph):
    counts = Counter(citations.modality(d) for _, _, d in graph.edges(data=True))
    assert set(counts) == set(MODALITIES)
    assert counts["stated"] > 0.8 * graph.number_of_edges()


def test_every_proposed_relation_is_a_bills_effect(graph):
    # what a pending bill would do is "proposed", never written as law in force
    for u, v, d in graph.edges(data=True):
        if citations.modality(d) == "proposed":
            assert graph.nodes[u]["type"] == "law", (u, d["relation"], v)
    for target in (
        "national_commission_online_child_sexual_exploitation_prevention",
        "cybertipline",
        "technology_companies",
        "us_technology_sector",
    ):
        relations = [
            d
            for d in graph.get_edge_data("earn_it_act", target).values()
            if d["relation"] != "concerns"
        ]
        assert relations and all(citations.modality(d) == "proposed" for d in relations), target
    assert citations.modality(edge(graph, "kospa", "regulates", "technology_companies")) == (
        "proposed"
    )
    assert citations.modality(edge(graph, "report_act", "regulates", "technology_companies")) == (
        "stated"  # the REPORT Act became law in May 2024
    )


def test_inferred_relations_rest_on_names_not_on_sentences(graph):
    inferred = {
        (u, d["relation"], v)
        for u, v, d in graph.edges(data=True)
        if citations.modality(d) == "inferred"
    }
    assert ("house_foreign_affairs_committee", "part_of", "us_house") in inferred
    assert ("rights_lab", "part_of", "university_of_nottingham") in inferred
    assert ("bitcoin", "example_of", "cryptocurrency") in inferred
    for _, relation, _ in inferred:
        assert relation in ("part_of", "directs", "based_in", "concerns", "published", "example_of")


def test_hedged_relations_are_worded_may_or_can(graph):
    hedged = [(u, d, v) for u, v, d in graph.edges(data=True) if citations.modality(d) == "hedged"]
    assert hedged
    for _, d, _ in hedged:
        assert re.search(r"\b(can|may)\b", d["evidence"]), d["evidence"]
    schema = graph.graph["schema"]
    u, d, v = next(h for h in hedged if h[0] == "artificial_intelligence")
    assert schema.sentence("AI", d["relation"], "Recruitment", "hedged").startswith("AI may ")


def test_a_claim_several_documents_make_has_a_quote_from_each(graph):
    published = edge(graph, "us_state_department", "published", "tip_report_2024")
    assert citations.corroboration(published) == 3
    assert [doc for doc, _, _ in citations.quotes(published)] == [
        "pact_tip_2024",
        "hill_king_oped_2024",
        "ijm_protect_kids_online_2024",
    ]
    social = edge(graph, "social_media", "abused_for", "recruitment")
    assert citations.corroboration(social) == 3
    pivotal = edge(graph, "tip_report_2024", "calls_on", "technology_companies")
    assert pivotal["documents"] == ("hill_king_oped_2024", "ijm_protect_kids_online_2024")


def test_corroboration_counts(graph):
    counts = Counter(citations.corroboration(d) for _, _, d in graph.edges(data=True))
    cited_rows = read_rows("citations.csv")
    assert counts[1] + counts[2] + counts[3] == graph.number_of_edges()
    assert counts[3] == 2  # the 2024 report's publication, social media's use for recruitment
    extra = sum((n - 1) * k for n, k in counts.items())
    assert extra == len(cited_rows) + 1  # one row cites two documents with one quote
    assert all(row["locator"].startswith("paragraph ") for row in cited_rows)


# --- the corrections of issue 11 ------------------------------------------------------------


def test_advocacy_is_credited_as_the_text_credits_it(graph):
    # "civil society organizations, like members of the End OSEAC Coalition"
    assert not has_relation(graph, "end_oseac_coalition", "advocates_for", "tvpa")
    assert not has_relation(graph, "end_oseac_coalition", "advocates_for", "vawa")
    assert has_relation(graph, "civil_society_organisations", "advocates_for", "tvpa")
    assert has_relation(graph, "civil_society_organisations", "member_of", "end_oseac_coalition")
    assert has_relation(graph, "end_oseac_coalition", "advocates_for", "earn_it_act")


def test_no_passage_of_law_the_text_never_describes(graph):
    for law in ("report_act", "tvpa", "vawa"):
        assert not any(d["relation"] == "passed" for _, _, d in graph.in_edges(law, data=True))
    assert has_relation(graph, "us_senate", "passed", "kospa")


def test_types_follow_the_role_in_the_text(graph):
    types = {n: d["type"] for n, d in graph.nodes(data=True)}
    assert types["whatsapp"] == types["zoom"] == "technology"  # apps used, not companies
    assert "mit_news_office" not in graph  # a news office is not a research group
    assert "pact_public_policy_team" not in graph and "pact_survivors_council" not in graph
    assert all(
        types[n] != "finding" or re.search(r"[0-9]|half|thousands", graph.nodes[n]["name"])
        for n in graph
    )


def test_aliases_are_names_of_the_entity(graph):
    assert "TIP" not in graph.nodes["trafficking_in_persons_report"]["aliases"]  # the crime
    assert "businesses" not in graph.nodes["technology_companies"]["aliases"]
    assert "Kids Online Safety Act" in graph.nodes["kosa"]["aliases"]  # the text says "KOSA"
    assert graph.nodes["kosa"]["name"] == "KOSA"
    assert graph.nodes["canadian_centre_for_child_protection"]["name"] == (
        "Center for Child Protection"  # as the text names it; the official name is an alias
    )


def test_what_the_text_keeps_apart_stays_apart(graph):
    assert has_relation(graph, "ipa", "supported", "digital_evidence_collection")
    assert has_relation(
        graph, "law_enforcement_agencies", "uses", "digital_evidence_analysis_systems"
    )
    assert not has_relation(graph, "zoom", "part_of", "internet")
    assert has_relation(graph, "zoom", "example_of", "digital_platforms")
    assert not has_relation(graph, "us_senate", "part_of", "us_congress")


def test_facts_the_graph_missed_are_there(graph):
    assert has_relation(graph, "online_advertising", "abused_for", "labour_trafficking")
    assert has_relation(graph, "f_nearly_half_tools_forced_labor", "concerns", "labour_trafficking")
    assert has_relation(graph, "online_exploitation", "gateway_to", "physical_trafficking")
    assert has_relation(graph, "internet", "abused_for", "revictimisation")
    assert has_relation(graph, "artificial_intelligence", "requires", "human_oversight")
    assert has_relation(graph, "digital_technology", "requires", "digital_literacy")
    assert has_relation(graph, "ngos", "underuses", "digital_technology")
    assert has_relation(graph, "digital_technology", "abused_for", "osaec")


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
    # IPA reports the MIT figure; the text does not credit the laboratory with it
    assert has_relation(graph, "f_600_to_1500_ads", "reported_by", "ipa")
    assert not has_relation(graph, "f_600_to_1500_ads", "reported_by", "mit_lincoln_laboratory")


STAGES = {
    "recruitment",
    "control",
    "payment",
    "concealment",
    "advertising",
    "exploitation",
    "revictimisation",
}
FORMS = {
    "labour_trafficking",
    "sex_trafficking",
    "osaec",
    "online_exploitation",
    "physical_trafficking",
}
PARTS_OF_TRAFFICKING = ("trafficking_stage", "trafficking_form")


def test_types_csv_declares_the_stage_form_and_requirement_types(graph):
    style = graph.graph["schema"].entity_types["trafficking_stage"]
    assert (style.label, style.color, style.shape) == (
        "Trafficking stage",
        "#CCBB44",
        "triangleDown",
    )
    for type_id in ("trafficking_stage", "trafficking_form", "requirement"):
        assert graph.graph["schema"].entity_types[type_id].description
    by_type = lambda t: {n for n, d in graph.nodes(data=True) if d["type"] == t}  # noqa: E731
    assert by_type("trafficking_stage") == STAGES
    assert by_type("trafficking_form") == FORMS
    assert by_type("requirement") == {"human_oversight", "digital_literacy"}
    colours = [t.color for t in graph.graph["schema"].entity_types.values()]
    assert len(set(colours)) == len(colours)


def test_technology_abuse_runs_from_a_technology_to_a_part_of_trafficking(graph):
    # "GPS tracking is abused by traffickers for Control and coercion", never "... for <a report>"
    abuse = [(u, v) for u, v, d in graph.edges(data=True) if d["relation"] == "abused_for"]
    assert len(abuse) >= 20
    for u, v in abuse:
        assert graph.nodes[u]["type"] == "technology", u
        assert graph.nodes[v]["type"] in PARTS_OF_TRAFFICKING, v
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
            assert graph.nodes[v]["type"] == "technology", (u, v)
        if d["relation"] == "describes_abuse_for":
            assert graph.nodes[v]["type"] in PARTS_OF_TRAFFICKING, (u, v)


def test_tools_and_operations_counter_a_stage_a_form_or_a_technology(graph):
    assert has_relation(
        graph, "netherlands_led_online_recruitment_action", "counters", "recruitment"
    )
    assert has_relation(graph, "financial_transaction_tracking", "counters", "payment")
    assert has_relation(graph, "operation_synergia", "counters", "cybercrime_servers")
    assert has_relation(graph, "ijm_osec_program", "counters", "osaec")
    for u, v, d in graph.edges(data=True):
        if d["relation"] == "counters":
            assert graph.nodes[v]["type"] in ("technology", *PARTS_OF_TRAFFICKING), (u, v)


def test_every_relation_reads_as_a_declared_sentence(graph):
    schema = graph.graph["schema"]
    for u, v, d in graph.edges(data=True):
        declared = schema.relation_types[d["relation"]]
        assert declared.phrase and declared.inverse and declared.base, d["relation"]
        sentence = schema.sentence(
            graph.nodes[u]["name"], d["relation"], graph.nodes[v]["name"], citations.modality(d)
        )
        assert graph.nodes[v]["name"] in sentence
    establishes = edge(
        graph,
        "earn_it_act",
        "establishes",
        "national_commission_online_child_sexual_exploitation_prevention",
    )
    assert schema.sentence("EARN IT Act", "establishes", "it", citations.modality(establishes)) == (
        "EARN IT Act would establish it"
    )


def test_structure_the_text_states_is_there(graph):
    # committees of the House, a section of the DOJ, a lab of a university, a UN office
    for source, relation, target in [
        ("house_foreign_affairs_committee", "part_of", "us_house"),
        ("house_judiciary_committee", "part_of", "us_house"),
        ("ceos", "part_of", "us_department_of_justice"),
        ("rights_lab", "part_of", "university_of_nottingham"),
        ("mit_lincoln_laboratory", "part_of", "mit"),
        ("unodc", "part_of", "united_nations"),
        ("vawa", "precedes", "tvpa"),
        ("earn_it_act", "pending_before", "house_judiciary_committee"),
        ("earn_it_act", "pending_before", "us_senate"),
        ("kospa", "pending_before", "us_house"),
        ("unodc", "hosted", "datajam_against_exploitation"),
        ("buyer_resist", "won", "datajam_against_exploitation"),
        ("us_state_department", "confers", "tip_report_hero_award"),
        ("ijm", "observes", "world_day_2024"),
        ("world_day_2024", "part_of", "world_day_against_trafficking"),
        ("cindy_dyer", "testified_before", "house_foreign_affairs_committee"),
        ("alexandra_gelber", "works_for", "us_department_of_justice"),
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
        ("Canadian Centre for Child Protection", "canadian_centre_for_child_protection"),
        ("2024 TIP Report", "tip_report_2024"),
        ("Sam Inocencio", "samson_inocencio"),
        ("COPPA 2.0", "coppa_2_0"),
        ("OSAEC", "osaec"),
        ("labor trafficking", "labour_trafficking"),
        ("re-victimization", "revictimisation"),
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
            missing = set(citations.sources(data)) - set(graph.nodes[node]["documents"])
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
    findings = {n for n, d in graph.nodes(data=True) if d["type"] == "finding"}
    assert findings - set(figures) == {"f_nearly_half_tools_forced_labor"}


FIGURE = re.compile(r"\d[\d,.]*%?|\b(?:half|million|percent|thousands?|nearly|over)\b", re.I)


def test_a_short_name_keeps_every_figure_of_its_name_as_written(graph):
    """A finding's drawn label may drop words, never change or lose its figure ("846%",
    "Over 80 percent")."""
    shortened = {n: d for n, d in graph.nodes(data=True) if d.get("short_name")}
    assert len(shortened) >= 25, "the long names are drawn short"
    findings = {n: d for n, d in shortened.items() if d["type"] == "finding"}
    assert len(findings) >= 15
    for node, data in findings.items():
        name, short = data["name"].lower(), data["short_name"].lower()
        for figure in FIGURE.findall(short):
            assert figure in name, (node, figure)
        figures = re.findall(r"\d[\d,.]*\d|\d", name) or FIGURE.findall(name)
        assert any(f.lower() in short for f in figures), (node, "drops its figure")


def test_every_finding_names_who_reported_it(graph):
    for node, data in graph.nodes(data=True):
        if data["type"] == "finding":
            reporters = [
                t for _, t, d in graph.out_edges(node, data=True) if d["relation"] == "reported_by"
            ]
            assert reporters, f"finding {node} has no reported_by relation"


def test_the_readme_counts_match_the_data(graph):
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    assert f"**{graph.number_of_nodes()} entities**" in readme
    assert f"**{graph.number_of_edges()} relations**" in readme
    for type_id, count in Counter(d["type"] for _, d in graph.nodes(data=True)).items():
        assert re.search(rf"\| {type_id} \| {count} \|", readme), type_id
    for relation, count in Counter(d["relation"] for *_, d in graph.edges(data=True)).items():
        assert re.search(rf"\| `{relation}` \| {count} \|", readme), relation


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


def test_every_path_step_draws_its_path_within_its_own_view(graph, tours):
    from graph.view import scene

    for tour in tours:
        for number, step in enumerate(tour.steps, 1):
            if step.view.has_path():
                assert scene(graph, step.view).paths, (
                    f"{tour.id} step {number} ({step.title}): no path within the step's "
                    f"filters and {step.view.max_hops} hops"
                )
