"""ui/ingest.py: the "Add a document" review queue, driven headless with AppTest."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from graph import store
from graph.load import load_graph

from .test_app import GOOD, start

REPORT = (
    "The Safe Harbor Foundation (SHF) partnered with ECPAT in 2024. "
    "According to NCMEC, 45 percent of reports came from <script>alert(1)</script> apps.\n"
)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return Path(shutil.copytree(GOOD, tmp_path / "good"))


def read_report(folder: Path, text: str = REPORT):
    at = start(folder, editor_on=True, page_tab="Edit")
    at.file_uploader(key="ingest_upload").set_value(
        [("shf_report.txt", text.encode(), "text/plain")]
    )
    at.run()
    assert at.text_input(key="ingest_doc_id").placeholder == "shf_report"
    at.button(key="ingest_read").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def choice_keys(at, prefix="ingest_choice_"):
    return [c.key for c in at.get("button_group") if c.key and c.key.startswith(prefix)]


def test_an_uploaded_report_shows_grouped_proposals_each_with_its_sentence(folder):
    at = read_report(folder)
    proposals = at.session_state["ingest_proposals"]
    assert proposals["document"] == "shf_report"
    labels = [e.label for e in at.expander]
    assert any(label.startswith("Known entities mentioned (") for label in labels)
    assert any(label.startswith("New entities (") for label in labels)
    assert any(label.startswith("Relations (") for label in labels)
    assert any(label.startswith("Findings (") for label in labels)
    shown = "\n".join(m.value for m in at.markdown)
    assert "**Safe Harbor Foundation**" in shown
    assert "\\<script\\>" in shown and "<script>" not in shown, "the text is escaped"
    assert store.version(folder) == at.session_state["ingest_base"], "nothing applied yet"


def test_accepted_proposals_are_applied_kept_after_reload_and_undone(folder):
    before = store.version(folder)
    at = read_report(folder)
    at.slider(key="ingest_threshold").set_value(0.0).run()
    at.button(key="ingest_accept_above").click().run()
    assert choice_keys(at)
    at.button(key="ingest_apply").click().run()
    assert not at.error, [e.value for e in at.error]
    assert "Applied to" in at.success[0].value
    G = load_graph(folder)
    assert "safe_harbor_foundation" in G
    assert G.nodes["safe_harbor_foundation"]["aliases"] == ("SHF",)
    assert "shf_report" in G.graph["documents"]
    assert "shf_report" in G.nodes["ncmec"]["documents"], "an accepted mention cites it"
    assert (folder / "sources" / "shf_report.txt").read_text() == REPORT
    reloaded = start(folder, editor_on=True, page_tab="Edit")
    assert "safe_harbor_foundation" in reloaded.session_state["editor_source"].graph
    at.button(key="ingest_undo").click().run()
    assert store.version(folder) == before
    assert "safe_harbor_foundation" not in load_graph(folder)


def test_nothing_is_applied_without_the_click_and_a_rejected_entity_takes_its_relations(folder):
    before = store.version(folder)
    at = read_report(folder)
    groups = at.session_state["ingest_proposals"]
    new = next(
        i for i, c in enumerate(groups["changes"])
        if c["op"] == "add_entity" and c["entity"]["id"] == "safe_harbor_foundation"
    )  # fmt: skip
    for key in choice_keys(at):
        at.button_group(key=key).set_value("Accept")
    at.button_group(key=f"ingest_choice_c{new}").set_value("Reject")
    at.run()
    assert store.version(folder) == before
    at.button(key="ingest_apply").click().run()
    G = load_graph(folder)
    assert "safe_harbor_foundation" not in G
    assert "shf_report" in G.graph["documents"]


def test_a_text_in_sources_that_no_document_cites_can_be_picked_and_stays_where_it_is(folder):
    (folder / "sources").mkdir()
    (folder / "sources" / "new_note.txt").write_text(REPORT)
    at = start(folder, editor_on=True, page_tab="Edit")
    at.selectbox(key="ingest_pick").set_value("new_note.txt").run()
    at.button(key="ingest_read").click().run()
    proposals = at.session_state["ingest_proposals"]
    assert proposals["changes"][0]["document"]["source_file"] == "new_note.txt"
    at.button(key="ingest_apply").click().run()
    assert not at.error, [e.value for e in at.error]
    G = load_graph(folder)
    assert G.graph["documents"]["new_note"]["source_file"] == "new_note.txt"
    assert sorted(p.name for p in (folder / "sources").iterdir()) == ["new_note.txt"]


def test_the_quote_is_bold_within_its_passage_with_its_spaces_kept():
    from ui.ingest import highlight

    text = "First one. The SHF trains staff. Last one.\n"
    assert highlight(text, "The SHF trains staff.") == (
        "First one\\. **The SHF trains staff\\.** Last one\\."
    )
    assert highlight(text, "SHF") == "First one\\. The **SHF** trains staff\\. Last one\\."


def test_a_bad_file_is_an_error_box_not_a_crash(folder):
    at = start(folder, editor_on=True, page_tab="Edit")
    at.file_uploader(key="ingest_upload").set_value(
        [("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00", "text/plain")]
    )
    at.run()
    at.button(key="ingest_read").click().run()
    assert not at.exception
    assert at.session_state["ingest_problems"] == [
        "image.txt: a binary file, not text (.txt, .md, .html or .pdf)"
    ]
    assert any("a binary file" in e.value for e in at.error), "shown in an error box"
