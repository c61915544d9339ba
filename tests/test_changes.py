"""graph/changes.py: change sets are the one way to change a dataset; nothing invalid is written."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from graph import store
from graph.changes import ChangeError, apply, apply_changes, parse_change_set
from graph.load import load_graph

from .conftest import DOCUMENTS, ENTITIES, RELATIONS, write_dataset

ROOT = Path(__file__).resolve().parent.parent

TOURS = """tours:
- id: intro
  title: Intro
  summary: A first look.
  steps:
  - title: IPA
    narration: IPA and its partners.
    view: {focus: ipa, highlight: [pact]}
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    relations = RELATIONS.replace("source,target,relation,", "id,source,target,relation,")
    rows = relations.splitlines()
    relations = "\n".join([rows[0], *(f"r{i},{row}" for i, row in enumerate(rows[1:], 1))]) + "\n"
    path = write_dataset(
        tmp_path / "ds", entities=ENTITIES, relations=relations, documents=DOCUMENTS
    )
    (path / "tours.yaml").write_text(TOURS)
    return path


def changes(*ops: dict, base: str | None = None, message: str = "test"):
    return parse_change_set(json.dumps({"base": base, "message": message, "changes": list(ops)}))


def graph_after(folder: Path):
    return load_graph(folder)


def test_adding_an_entity_and_a_relation_saves_both_with_history(folder):
    base = store.version(folder)
    result, entry = apply(
        folder,
        changes(
            {
                "op": "add_entity",
                "entity": {
                    "id": "thorn",
                    "name": "Thorn",
                    "type": "ngo",
                    "aliases": ["Thorn NGO"],
                    "documents": ["d1"],
                },
            },
            {
                "op": "add_relation",
                "relation": {
                    "id": "r9",
                    "source": "thorn",
                    "target": "ipa",
                    "relation": "supported",
                    "documents": "d1",
                },
            },
            base=base,
            message="Add Thorn",
        ),
    )
    G = graph_after(folder)
    assert G.nodes["thorn"]["aliases"] == ("Thorn NGO",)
    assert G.has_edge("thorn", "ipa")
    assert result.changed == ("entities.csv", "relations.csv")
    assert entry is not None and (entry.message, entry.before) == ("Add Thorn", base)
    assert [e.message for e in store.history(folder)] == ["Add Thorn"]


def test_a_dry_run_validates_and_writes_nothing(folder):
    before = store.read_files(folder)
    result, entry = apply(
        folder,
        changes({"op": "update_entity", "id": "ipa", "set": {"description": "Changed."}}),
        dry_run=True,
    )
    assert entry is None and result.changed == ("entities.csv",)
    assert store.read_files(folder) == before


def test_every_problem_is_named_by_its_change_and_nothing_is_written(folder):
    before = store.read_files(folder)
    with pytest.raises(ChangeError) as caught:
        apply(
            folder,
            changes(
                {"op": "update_entity", "id": "nobody", "set": {"name": "X"}},
                {"op": "add_entity", "entity": {"id": "ipa", "name": "Again", "type": "ngo"}},
                {"op": "add_entity", "entity": {"id": "ok", "name": "OK", "type": "ngo"}},
                {"op": "delete_relation", "id": "r99"},
            ),
        )
    assert caught.value.problems == [
        "change 1 (update_entity): id: no entity 'nobody'",
        "change 2 (add_entity): entity.id 'ipa' is already an entity",
        "change 4 (delete_relation): id: no relation 'r99'",
    ]
    assert store.read_files(folder) == before and store.history(folder) == []


def test_the_result_is_validated_as_validate_does_naming_the_change_that_broke_it(folder):
    with pytest.raises(ChangeError) as caught:
        apply(
            folder,
            changes(
                {"op": "add_entity", "entity": {"id": "x", "name": "X", "type": "spaceship"}},
                {
                    "op": "add_relation",
                    "relation": {"source": "x", "target": "gone", "relation": "led"},
                },
            ),
        )
    first, second = caught.value.problems
    assert first.startswith(
        "change 1 (add_entity): the result does not validate: "
        "entities.csv:9: unknown type 'spaceship'"
    )
    assert second == (
        "change 2 (add_relation): the result does not validate: relations.csv:8: "
        "target 'gone' is not an entity in entities.csv (dangling relation)"
    )


def test_a_change_set_made_against_an_old_version_is_refused(folder):
    stale = store.version(folder)
    apply(folder, changes({"op": "update_entity", "id": "ipa", "set": {"name": "IPA 2"}}))
    with pytest.raises(store.StaleDataset, match="the dataset changed since you loaded it"):
        apply(
            folder, changes({"op": "update_entity", "id": "pact", "set": {"name": "P"}}, base=stale)
        )
    assert graph_after(folder).nodes["pact"]["name"] == "Protect All Children from Trafficking"


def test_deleting_a_used_entity_needs_cascade_which_takes_its_relations_and_citations(folder):
    (folder / "citations.csv").write_text("relation,document,quote\nr3,d2,NCMEC supports IPA\n")
    with pytest.raises(ChangeError, match="'ncmec' is used by 2 relations"):
        apply_changes(store.read_files(folder), changes({"op": "delete_entity", "id": "ncmec"}))
    result = apply_changes(
        store.read_files(folder), changes({"op": "delete_entity", "id": "ncmec", "cascade": True})
    )
    assert b"ncmec" not in result.files["relations.csv"]
    assert result.files["citations.csv"] == b"relation,document,quote\n"


def test_merging_moves_relations_keeps_names_as_aliases_and_renames_tour_steps(folder):
    result, _ = apply(folder, changes({"op": "merge_entities", "keep": "pact", "merge": ["ipa"]}))
    G = graph_after(folder)
    assert "ipa" not in G
    assert "Innocence Protection Alliance" in G.nodes["pact"]["aliases"]
    assert "IPA" in G.nodes["pact"]["aliases"]
    assert G.has_edge("ncmec", "pact")
    assert "tours.yaml" in result.changed and "ipa" not in (folder / "tours.yaml").read_text()


def test_a_citation_needs_a_relation_id_and_lands_in_citations_csv(folder):
    result = apply_changes(
        store.read_files(folder),
        changes(
            {
                "op": "add_citation",
                "relation": "r3",
                "document": "d1",
                "quote": "NCMEC supports",
                "locator": "para 4",
            }
        ),
    )
    assert result.files["citations.csv"].decode().splitlines() == [
        "relation,document,quote,locator",
        "r3,d1,NCMEC supports,para 4",
    ]
    with pytest.raises(ChangeError, match="no relation with id 'r42'"):
        apply_changes(
            store.read_files(folder),
            changes({"op": "add_citation", "relation": "r42", "document": "d2", "quote": "x"}),
        )


def test_a_relation_without_an_id_is_named_by_match(folder):
    files = store.read_files(folder)
    result = apply_changes(
        files,
        changes(
            {
                "op": "update_relation",
                "match": {"source": "ncmec", "relation": "runs", "target": "cybertipline"},
                "set": {"evidence": "NCMEC runs it"},
            }
        ),
    )
    assert b"NCMEC runs it" in result.files["relations.csv"]
    with pytest.raises(ChangeError, match="2 relations match"):
        apply_changes(files, changes({"op": "delete_relation", "match": {"source": "pact"}}))


def test_tours_are_changed_by_change_sets_and_checked_against_the_graph(folder):
    step = {"title": "NCMEC", "narration": "NCMEC runs the hotline.", "view": {"focus": "ncmec"}}
    apply(
        folder,
        changes(
            {
                "op": "add_tour",
                "tour": {
                    "id": "hotline",
                    "title": "Hotline",
                    "summary": "One step.",
                    "steps": [step],
                },
            },
            {"op": "update_tour", "id": "intro", "set": {"title": "Introduction"}},
        ),
    )
    text = (folder / "tours.yaml").read_text()
    assert "hotline" in text and "Introduction" in text
    with pytest.raises(ChangeError, match="view.focus: names an entity that is not in this"):
        apply(
            folder,
            changes(
                {
                    "op": "set_steps",
                    "id": "hotline",
                    "steps": [{**step, "view": {"focus": "atlantis"}}],
                }
            ),
        )
    apply(folder, changes({"op": "delete_tour", "id": "hotline"}))
    assert "hotline" not in (folder / "tours.yaml").read_text()


def test_files_a_change_set_does_not_touch_keep_their_bytes(folder):
    before = store.read_files(folder)
    result, _ = apply(
        folder, changes({"op": "add_document", "document": {"id": "d3", "title": "Third"}})
    )
    after = store.read_files(folder)
    assert result.changed == ("documents.csv",)
    assert {n: after[n] for n in after if n != "documents.csv"} == {
        n: before[n] for n in before if n != "documents.csv"
    }


def test_undo_after_apply_gives_back_the_bundled_dataset_byte_for_byte(tmp_path):
    folder = Path(shutil.copytree(ROOT / "data", tmp_path / "data"))
    before = store.read_files(folder)
    apply(
        folder,
        changes(
            {"op": "update_entity", "id": "ncmec", "set": {"description": "X"}},
            {"op": "delete_relation", "match": {"source": "ncmec", "target": "cybertipline"}},
        ),
    )
    assert store.read_files(folder) != before
    store.undo(folder)
    assert store.read_files(folder) == before


@pytest.mark.parametrize(
    "text, message",
    [
        ("not json", "the change set is not valid JSON"),
        ('{"changes": {}}', 'a change set is an object with a "changes" list'),
        ('{"changes": [{"op": "explode"}]}', 'change 1: "op" must be one of add_entity'),
        ('{"base": 7, "changes": []}', '"base" must be a version string'),
        ("[" * 100_000, "the change set is not valid JSON"),
    ],
)
def test_a_malformed_change_set_is_a_clear_error(text, message):
    with pytest.raises(ChangeError, match=message):
        parse_change_set(text)


def test_a_citation_s_quote_is_checked_against_the_document_s_text_when_the_dataset_has_it(
    folder,
):
    documents = folder / "documents.csv"
    rows = documents.read_text().splitlines()
    documents.write_text(
        "\n".join([rows[0] + ",source_file", rows[1] + ",d1.txt", rows[2] + ","]) + "\n"
    )
    (folder / "sources").mkdir()
    (folder / "sources" / "d1.txt").write_text("It says that NCMEC\nsupports the “IPA” work.\n")
    ok = {"op": "add_citation", "relation": "r3", "document": "d1", "quote": 'supports the "IPA"'}
    result, _ = apply(folder, changes(ok))
    assert result.quotes == (("r3", "d1", "verified"),)
    with pytest.raises(ChangeError, match="quote: not found verbatim in the text of 'd1'"):
        apply(folder, changes({**ok, "relation": "r4", "quote": "supports everyone"}))
    result, _ = apply(folder, changes({**ok, "relation": "r1", "document": "d2"}), dry_run=True)
    assert result.quotes == (("r1", "d2", "unverified"),), "d2's text is not in sources/"


def test_review_keys_are_accepted_and_ignored_when_applying(folder):
    change_set = parse_change_set(
        json.dumps(
            {
                "message": "ingest",
                "mentions": [{"entity": "ipa", "quote": "IPA"}],
                "changes": [
                    {
                        "op": "add_entity",
                        "entity": {"id": "c3p", "name": "C3P", "type": "ngo"},
                        "confidence": 0.9,
                        "reason": "acronym defined in the text",
                    }
                ],
            }
        )
    )
    result, _ = apply(folder, change_set)
    assert result.summary == {"add_entity": 1}
    header = (folder / "entities.csv").read_text().splitlines()[0]
    assert "confidence" not in header and "reason" not in header
    assert "c3p" in graph_after(folder)


def test_a_new_document_s_text_is_kept_under_sources_on_apply_and_not_on_a_dry_run(folder):
    text = "NCMEC runs the CyberTipline.\n"
    add = {"op": "add_document", "document": {"id": "d3", "title": "Third"}, "text": text}
    apply(folder, changes(add), dry_run=True)
    assert not (folder / "sources").exists()
    result, entry = apply(folder, changes(add))
    assert (folder / "sources" / "d3.txt").read_text() == text
    assert graph_after(folder).graph["documents"]["d3"]["source_file"] == "d3.txt"
    store.undo(folder)
    assert "d3" not in graph_after(folder).graph["documents"]
    apply(folder, changes(add))  # the same text already there is kept as it is
    assert (folder / "sources" / "d3.txt").read_text() == text


def test_a_document_text_never_replaces_another_text_or_leaves_sources(folder):
    (folder / "sources").mkdir()
    (folder / "sources" / "d3.txt").write_text("Another text.\n")
    add = {"op": "add_document", "document": {"id": "d3", "title": "T"}, "text": "New text.\n"}
    with pytest.raises(ChangeError, match=r"sources/d3.txt already holds another text"):
        apply(folder, changes(add))
    escape = {**add, "document": {"id": "d4", "title": "T", "source_file": "../x.txt"}}
    with pytest.raises(ChangeError, match=r"source_file '../x.txt' must be a plain file name"):
        apply(folder, changes(escape))
    assert (folder / "sources" / "d3.txt").read_text() == "Another text.\n"
