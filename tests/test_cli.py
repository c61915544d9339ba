"""graph/cli.py: exit codes, JSON shapes, no tracebacks.

Most tests call ``graph.cli.main(argv)`` in this process and read what it printed with
``capsys`` (a subprocess costs ~0.6 s of imports per call). A few run the real entry point,
``python -m graph``, for what only a process shows: its exit status, that bad data or a usage
error never ends in a traceback, a reader that goes away (``| head``) and ``--help``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import pytest

from graph.cli import COMMANDS, main

from .conftest import write_dataset
from .sources import SOURCES

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Ran:
    """What one command did: the fields of ``subprocess.CompletedProcess`` the tests read."""

    returncode: int
    stdout: str
    stderr: str


def run(*args: str) -> subprocess.CompletedProcess:
    """``python -m graph ARGS`` in a real process."""
    return subprocess.run(
        [sys.executable, "-m", "graph", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def cli(capsys, monkeypatch):
    """``cli(*args) -> Ran``: ``main(args)`` in this process, its exit code and its output."""
    monkeypatch.setenv("COLUMNS", "80")  # argparse wraps help and usage as in a plain pipe

    def invoke(*args: str) -> Ran:
        capsys.readouterr()  # only this command's output
        try:
            code = main(list(args))
        except SystemExit as stop:  # argparse: --help (0) and usage errors (2)
            code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
        out, err = capsys.readouterr()
        return Ran(code, out, err)

    return invoke


@pytest.fixture
def data(dataset_dir) -> list[str]:
    return ["--data", str(dataset_dir)]


# --- in this process ---------------------------------------------------------------------------


def test_validate_reports_counts_and_exits_0(cli, data):
    out = cli("validate", *data)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("OK: 7 entities, 6 relations, 2 documents")


def test_validate_on_bad_data_lists_every_problem_and_exits_1(cli, tmp_path):
    folder = write_dataset(
        tmp_path / "bad", entities="id,name\na,A\n", relations="source,target,relation\na,zz,led\n"
    )
    out = cli("validate", "--data", str(folder))
    assert out.returncode == 1
    assert "entities.csv:1: missing required column 'type' (header has: id, name)" in out.stderr
    assert out.stderr.startswith("Error: ")


def test_validate_on_a_missing_folder_exits_1(cli, tmp_path):
    out = cli("validate", "--data", str(tmp_path / "nope"))
    assert out.returncode == 1 and "is not a folder" in out.stderr


def test_stats_json_has_integer_counts(cli, data):
    stats = json.loads(cli("stats", *data, "--json").stdout)
    assert stats["entities"] == 7 and stats["relations"] == 6
    assert stats["types"]["ngo"] == 3


def test_search_json_lists_id_name_and_type(cli, data):
    hits = json.loads(cli("search", "ncmec", *data, "--json").stdout)
    assert hits[0] == {
        "id": "ncmec",
        "name": "National Center for Missing & Exploited Children",
        "type": "ngo",
        "score": 100.0,
    }


def test_search_with_no_hit_exits_1(cli, data):
    out = cli("search", "qqqqqq", *data)
    assert (out.returncode, out.stderr.strip()) == (1, "Error: No entity matches 'qqqqqq'.")


def test_show_accepts_a_name_or_alias_and_prints_every_relation_with_evidence(cli, data):
    out = cli("show", "National Center for Missing & Exploited Children", *data)
    assert out.returncode == 0
    assert "National Center for Missing & Exploited Children runs CyberTipline" in out.stdout
    assert '"NCMEC runs the CyberTipline" [d2]' in out.stdout
    assert "Source: Second article (Publisher Two)" in out.stdout


def test_show_unknown_entity_suggests_and_exits_1(cli, data):
    out = cli("show", "cybertiplin", *data)
    assert out.returncode == 1 and "Did you mean: CyberTipline" in out.stderr


def test_neighbors_json_shape(cli, data):
    result = json.loads(cli("neighbors", "IPA", "--depth", "1", *data, "--json").stdout)
    assert sorted(e["id"] for e in result["entities"]) == ["ipa", "ncmec", "pact"]
    assert len(result["relations"]) == 2


def test_path_json_lists_paths_as_entity_ids(cli, data):
    result = json.loads(cli("path", "PACT", "NCMEC", *data, "--json").stdout)
    assert result["paths"] == [["pact", "ipa", "ncmec"]]
    assert result["hops"][0][0]["evidence"] == "PACT works with IPA, closely"


def test_path_text_reads_as_sentences(cli, data):
    out = cli("path", "pact", "cybertipline", *data)
    assert (
        "Protect All Children from Trafficking partnered with Innocence Protection "
        "Alliance." in out.stdout
    )


def test_no_path_within_the_hops_exits_1(cli, data):
    out = cli("path", "operation_synergia", "report_act", "--max-hops", "2", *data)
    assert out.returncode == 1 and "No path" in out.stderr


def test_rank_json_lists_id_and_score(cli, data):
    ranked = json.loads(cli("rank", "--by", "pagerank", "--top", "3", *data, "--json").stdout)
    assert len(ranked) == 3 and {"id", "score"} <= set(ranked[0])
    assert ranked[0]["score"] >= ranked[-1]["score"]


def test_communities_json_covers_every_entity(cli, data):
    groups = json.loads(cli("communities", *data, "--json").stdout)
    assert sum(g["size"] for g in groups) == 7


def test_export_a_focused_subgraph_as_graphml(cli, data, tmp_path):
    out_file = tmp_path / "ipa.graphml"
    out = cli(
        "export",
        "--format",
        "graphml",
        "--out",
        str(out_file),
        "--focus",
        "IPA",
        "--depth",
        "1",
        *data,
    )
    assert out.returncode == 0, out.stderr
    assert nx.read_graphml(out_file).number_of_nodes() == 3


def test_export_filters_by_type_relation_and_document(cli, data, tmp_path):
    out = cli(
        "export",
        "--format",
        "json",
        "--out",
        str(tmp_path / "x.json"),
        "--types",
        "ngo,tool",
        "--relations",
        "runs",
        *data,
        "--json",
    )
    assert json.loads(out.stdout)["entities"] == 2


def test_export_csv_folder_validates(cli, data, tmp_path):
    assert cli("export", "--format", "csv", "--out", str(tmp_path / "copy"), *data).returncode == 0
    assert cli("validate", "--data", str(tmp_path / "copy")).returncode == 0


@pytest.mark.parametrize(
    "args",
    [(), ("frobnicate",), ("rank", "--by", "fame"), ("path", "only-one"), ("rank", "--top", "0")],
)
def test_usage_errors_exit_2(cli, args):
    out = cli(*args)
    assert out.returncode == 2 and "usage:" in out.stderr


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_explains_itself_with_an_example(cli, command):
    out = cli(command, "--help")
    assert out.returncode == 0
    assert "Example: python -m graph " + command in out.stdout


def test_an_html_page_of_a_big_graph_comes_with_advice_on_stderr(
    data, tmp_path, monkeypatch, capsys
):
    from graph import cli, export

    monkeypatch.setattr(export, "HTML_COMFORTABLE_ENTITIES", 3)
    assert cli.main(["export", *data, "--format", "html", "--out", str(tmp_path / "big.html")]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("Wrote ") and "slow to open in a browser" in err
    # ncmec and its two neighbours: 3 entities, not more than the (patched) comfortable 3
    assert (
        cli.main(
            [
                "export",
                *data,
                "--format",
                "html",
                "--focus",
                "ncmec",
                "--depth",
                "1",
                "--out",
                str(tmp_path / "small.html"),
            ]
        )
        == 0
    )
    assert capsys.readouterr().err == ""


# --- through `python -m graph` -----------------------------------------------------------------


def test_the_entry_point_exits_0_and_prints_the_result(data):
    out = run("validate", *data)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("OK: 7 entities, 6 relations, 2 documents")


def test_bad_data_exits_1_without_traceback(tmp_path):
    folder = write_dataset(
        tmp_path / "bad", entities="id,name\na,A\n", relations="source,target,relation\na,zz,led\n"
    )
    out = run("validate", "--data", str(folder))
    assert out.returncode == 1
    assert "Traceback" not in out.stderr + out.stdout
    assert "entities.csv:1: missing required column 'type' (header has: id, name)" in out.stderr
    assert out.stderr.startswith("Error: ")


def test_a_usage_error_exits_2_without_traceback():
    out = run("rank", "--by", "fame")
    assert out.returncode == 2 and "usage:" in out.stderr and "Traceback" not in out.stderr


def test_help_lists_every_command_and_exits_0():
    out = run("--help")
    assert out.returncode == 0 and out.stderr == ""
    assert all(command in out.stdout for command in COMMANDS)


def test_a_reader_that_goes_away_ends_it_quietly(tmp_path):
    """``python -m graph rank ... | head -n 1``: exit 0, nothing on stderr."""
    count = 6000  # ~300 KB of text: far more than a pipe holds, so writes go on after the close
    rows = "".join(f"e{i},Entity number {i},ngo\n" for i in range(count))
    links = "".join(f"e{i},e{i + 1},partnered_with\n" for i in range(count - 1))
    folder = write_dataset(
        tmp_path / "big",
        entities="id,name,type\n" + rows,
        relations="source,target,relation\n" + links,
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "graph", "rank", "--top", str(count), "--data", str(folder)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()  # what `head -n 1` does once it has its line
    err = process.stderr.read()
    assert process.wait(timeout=120) == 0, err
    assert first.strip() and err == ""


# --- changing a dataset: apply, history, undo ------------------------------------------------


def test_apply_history_and_undo_change_a_folder_and_give_it_back(cli, data, dataset_dir, tmp_path):
    original = {p.name: p.read_bytes() for p in dataset_dir.glob("*.csv")}
    version = json.loads(cli("stats", *data, "--json").stdout)["version"]
    change_set = tmp_path / "changes.json"
    change_set.write_text(
        json.dumps(
            {
                "base": version,
                "message": "Add Thorn",
                "changes": [
                    {"op": "add_entity", "entity": {"id": "thorn", "name": "Thorn", "type": "ngo"}},
                    {
                        "op": "add_relation",
                        "relation": {
                            "source": "thorn",
                            "target": "ncmec",
                            "relation": "partnered_with",
                        },
                    },
                ],
            }
        )
    )
    dry = cli("apply", *data, str(change_set), "--dry-run")
    assert (dry.returncode, dry.stdout) == (
        0,
        "Would change entities.csv, relations.csv (1 add_entity, 1 add_relation)\n",
    )
    assert {p.name: p.read_bytes() for p in dataset_dir.glob("*.csv")} == original
    done = cli("apply", *data, str(change_set), "--json")
    assert done.returncode == 0 and json.loads(done.stdout)["entry"]["message"] == "Add Thorn"
    assert "Thorn" in cli("show", *data, "thorn").stdout
    again = cli("apply", *data, str(change_set))
    assert again.returncode == 1
    assert again.stderr.startswith("Error: ") and "changed since you loaded it" in again.stderr
    [entry] = json.loads(cli("history", *data, "--json").stdout)
    assert (entry["number"], entry["before"], entry["status"]) == (1, version, "applied")
    assert cli("undo", *data).returncode == 0
    assert {p.name: p.read_bytes() for p in dataset_dir.glob("*.csv")} == original
    assert cli("undo", *data).stderr == f"Error: {dataset_dir}: there is nothing to undo\n"


def test_a_change_set_with_problems_exits_1_naming_each_and_writes_nothing(
    cli, data, dataset_dir, tmp_path
):
    original = {p.name: p.read_bytes() for p in dataset_dir.glob("*.csv")}
    change_set = tmp_path / "bad.json"
    change_set.write_text(
        json.dumps(
            {
                "changes": [
                    {"op": "delete_entity", "id": "ncmec"},
                    {"op": "update_entity", "id": "zz", "set": {}},
                ]
            }
        )
    )
    out = cli("apply", *data, str(change_set))
    assert out.returncode == 1 and out.stdout == ""
    assert out.stderr.splitlines() == [
        "Error: change 1 (delete_entity): 'ncmec' is used by 2 relations; give \"cascade\": "
        "true to delete them too",
        'change 2 (update_entity): "set" must be an object of columns',
    ]
    assert {p.name: p.read_bytes() for p in dataset_dir.glob("*.csv")} == original
    assert not (dataset_dir / ".history").exists() or cli("history", *data).stdout == (
        "No change sets applied yet.\n"
    )


# --- exports that must not destroy anything (issue 12) ---------------------------------------


def test_export_csv_refuses_a_non_empty_folder_and_force_replaces_it_whole(
    cli, data, dataset_dir, tmp_path
):
    out = tmp_path / "subset"
    assert cli("export", *data, "--format", "csv", "--out", str(out)).returncode == 0
    (out / "types.csv").write_text("type,label\nstale,Stale\n")  # an older export's file
    refused = cli("export", *data, "--format", "csv", "--out", str(out), "--types", "ngo")
    assert refused.returncode == 2
    assert refused.stderr.startswith(f"Error: {out} is not empty (it holds documents.csv, ")
    assert "--force" in refused.stderr
    done = cli("export", *data, "--format", "csv", "--out", str(out), "--types", "ngo", "--force")
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "documents.csv",
        "entities.csv",
        "relations.csv",
    ]
    assert cli("validate", "--data", str(out)).returncode == 0  # no stale types.csv left


@pytest.mark.parametrize("where", ["itself", "parent", "its file"])
def test_export_never_overwrites_the_dataset_it_reads(cli, dataset_dir, where):
    out = {
        "itself": dataset_dir,
        "parent": dataset_dir.parent,
        "its file": dataset_dir / "entities.csv",
    }[where]
    before = {p.name: p.read_bytes() for p in dataset_dir.iterdir()}
    ran = cli(
        "export",
        "--data",
        str(dataset_dir),
        "--format",
        "csv" if where != "its file" else "json",
        "--out",
        str(out),
        "--force",
    )
    assert ran.returncode == 2
    assert ran.stderr == (
        f"Error: --out {out} would overwrite the dataset being read ({dataset_dir}); "
        "write elsewhere\n"
    )
    assert {p.name: p.read_bytes() for p in dataset_dir.iterdir()} == before


def test_export_out_empty_is_a_usage_error(cli, data, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    ran = cli("export", *data, "--format", "csv", "--out", "")
    assert ran.returncode == 2 and "argument --out: is empty" in ran.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["small"]  # the dataset alone


@pytest.mark.parametrize("fmt", ["gexf", "graphml", "json", "cypher", "html", "csv"])
def test_export_to_a_full_device_or_a_folder_is_an_error_without_traceback(
    fmt, dataset_dir, tmp_path
):
    full = run("export", "--data", str(dataset_dir), "--format", fmt, "--out", "/dev/full")
    assert full.returncode == (1 if fmt != "csv" else 2), full.stderr
    assert "Traceback" not in full.stderr and full.stderr.startswith("Error: ")
    if fmt != "csv":
        assert (
            full.stderr
            == "Error: cannot write /dev/full: No space left on device; nothing was written\n"
        )
    folder = run("export", "--data", str(dataset_dir), "--format", fmt, "--out", str(tmp_path))
    assert folder.returncode == 2 and "Traceback" not in folder.stderr


# --- provenance: modality wording, citations, check-evidence (issue 11) -----------------------

BUNDLED = ["--data", str(ROOT / "data")]


def test_show_words_each_relation_by_its_modality_and_lists_every_quote(cli):
    out = cli("show", "EARN IT Act", *BUNDLED)
    assert out.returncode == 0, out.stderr
    assert (
        "- EARN IT Act would establish National Commission on Online Child Sexual "
        "Exploitation Prevention (proposed)" in out.stdout
    )
    assert "- EARN IT Act is pending before U.S. Senate" in out.stdout  # stated: no tag
    out = cli("show", "us_state_department", *BUNDLED)
    lines = out.stdout.splitlines()
    at = lines.index(
        "- U.S. State Department published 2024 Trafficking in Persons Report (3 documents)"
    )
    assert (
        lines[at + 1].startswith('    "The U.S. State Department Unveils')
        and "pact_tip_2024" in (lines[at + 1])
    )
    assert lines[at + 2].endswith("[hill_king_oped_2024, paragraph 1]")
    assert lines[at + 3].endswith("[ijm_protect_kids_online_2024, paragraph 8]")


def test_show_json_gives_modality_citations_and_corroboration(cli):
    out = cli("show", "bitcoin", "--json", *BUNDLED)
    relations = json.loads(out.stdout)["relations"]
    example = next(r for r in relations if r["relation"] == "example_of")
    assert example["modality"] == "inferred"
    assert example["sentence"] == "Bitcoin is an example of Cryptocurrency (inferred)"
    assert example["corroboration"] == 1 and example["citations"] == []


def test_path_tells_each_hop_in_its_modality(cli):
    out = cli("path", "EARN IT Act", "CyberTipline", "--max-hops", "1", *BUNDLED)
    assert out.returncode == 0, out.stderr
    assert "EARN IT Act would require reporting to CyberTipline. (proposed)" in out.stdout
    data = json.loads(cli("path", "earn_it_act", "cybertipline", "--json", *BUNDLED).stdout)
    assert data["hops"][0][0]["modality"] == "proposed"


def test_check_evidence_passes_on_the_bundled_data_with_the_shared_texts(cli):
    sources = SOURCES
    if not sources.is_dir():
        sources = Path("/work/shared/sources")
    out = cli("check-evidence", *BUNDLED, "--sources", str(sources))
    assert out.returncode == 0, out.stderr
    assert "pairs checked against the texts" in out.stdout
    assert cli("check-evidence", *BUNDLED).returncode == 2  # no texts shipped: say where
