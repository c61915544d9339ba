"""graph/cli.py through a real subprocess: exit codes, JSON shapes, no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

from graph.cli import COMMANDS

from .conftest import write_dataset

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "graph", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


@pytest.fixture
def data(dataset_dir) -> list[str]:
    return ["--data", str(dataset_dir)]


def test_validate_reports_counts_and_exits_0(data):
    out = run("validate", *data)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("OK: 7 entities, 6 relations, 2 documents")


def test_validate_on_bad_data_lists_every_problem_and_exits_1_without_traceback(tmp_path):
    folder = write_dataset(tmp_path / "bad", entities="id,name\na,A\n",
                           relations="source,target,relation\na,zz,led\n")
    out = run("validate", "--data", str(folder))
    assert out.returncode == 1
    assert "Traceback" not in out.stderr + out.stdout
    assert "entities.csv:1: missing required column 'type' (header has: id, name)" in out.stderr
    assert out.stderr.startswith("Error: ")


def test_validate_on_a_missing_folder_exits_1(tmp_path):
    out = run("validate", "--data", str(tmp_path / "nope"))
    assert out.returncode == 1 and "is not a folder" in out.stderr


def test_stats_json_has_integer_counts(data):
    stats = json.loads(run("stats", *data, "--json").stdout)
    assert stats["entities"] == 7 and stats["relations"] == 6
    assert stats["types"]["ngo"] == 3


def test_search_json_lists_id_name_and_type(data):
    hits = json.loads(run("search", "ncmec", *data, "--json").stdout)
    assert hits[0] == {"id": "ncmec", "name": "National Center for Missing & Exploited Children",
                       "type": "ngo", "score": 100.0}


def test_search_with_no_hit_exits_1(data):
    out = run("search", "qqqqqq", *data)
    assert (out.returncode, out.stderr.strip()) == (1, "Error: No entity matches 'qqqqqq'.")


def test_show_accepts_a_name_or_alias_and_prints_every_relation_with_evidence(data):
    out = run("show", "National Center for Missing & Exploited Children", *data)
    assert out.returncode == 0
    assert "National Center for Missing & Exploited Children runs CyberTipline" in out.stdout
    assert '"NCMEC runs the CyberTipline" [d2]' in out.stdout
    assert "Source: Second article (Publisher Two)" in out.stdout


def test_show_unknown_entity_suggests_and_exits_1(data):
    out = run("show", "cybertiplin", *data)
    assert out.returncode == 1 and "Did you mean: CyberTipline" in out.stderr


def test_neighbors_json_shape(data):
    result = json.loads(run("neighbors", "IPA", "--depth", "1", *data, "--json").stdout)
    assert sorted(e["id"] for e in result["entities"]) == ["ipa", "ncmec", "pact"]
    assert len(result["relations"]) == 2


def test_path_json_lists_paths_as_entity_ids(data):
    result = json.loads(run("path", "PACT", "NCMEC", *data, "--json").stdout)
    assert result["paths"] == [["pact", "ipa", "ncmec"]]
    assert result["hops"][0][0]["evidence"] == "PACT works with IPA, closely"


def test_path_text_reads_as_sentences(data):
    out = run("path", "pact", "cybertipline", *data)
    assert "Protect All Children from Trafficking partnered with Innocence Protection " \
           "Alliance." in out.stdout


def test_no_path_within_the_hops_exits_1(data):
    out = run("path", "operation_synergia", "report_act", "--max-hops", "2", *data)
    assert out.returncode == 1 and "No path" in out.stderr


def test_rank_json_lists_id_and_score(data):
    ranked = json.loads(run("rank", "--by", "pagerank", "--top", "3", *data, "--json").stdout)
    assert len(ranked) == 3 and {"id", "score"} <= set(ranked[0])
    assert ranked[0]["score"] >= ranked[-1]["score"]


def test_communities_json_covers_every_entity(data):
    groups = json.loads(run("communities", *data, "--json").stdout)
    assert sum(g["size"] for g in groups) == 7


def test_export_a_focused_subgraph_as_graphml(data, tmp_path):
    out_file = tmp_path / "ipa.graphml"
    out = run("export", "--format", "graphml", "--out", str(out_file), "--focus", "IPA",
              "--depth", "1", *data)
    assert out.returncode == 0, out.stderr
    assert nx.read_graphml(out_file).number_of_nodes() == 3


def test_export_filters_by_type_relation_and_document(data, tmp_path):
    out = run("export", "--format", "json", "--out", str(tmp_path / "x.json"), "--types",
              "ngo,tool", "--relations", "runs", *data, "--json")
    assert json.loads(out.stdout)["entities"] == 2


def test_export_csv_folder_validates(data, tmp_path):
    assert run("export", "--format", "csv", "--out", str(tmp_path / "copy"), *data).returncode == 0
    assert run("validate", "--data", str(tmp_path / "copy")).returncode == 0


@pytest.mark.parametrize("args", [(), ("frobnicate",), ("rank", "--by", "fame"),
                                  ("path", "only-one"), ("rank", "--top", "0")])
def test_usage_errors_exit_2(args):
    out = run(*args)
    assert out.returncode == 2 and "usage:" in out.stderr and "Traceback" not in out.stderr


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_explains_itself_with_an_example(command):
    out = run(command, "--help")
    assert out.returncode == 0
    assert "Example: python -m graph " + command in out.stdout


def test_an_html_page_of_a_big_graph_comes_with_advice_on_stderr(data, tmp_path, monkeypatch,
                                                               capsys):
    from graph import cli, export
    monkeypatch.setattr(export, "HTML_COMFORTABLE_ENTITIES", 3)
    assert cli.main(["export", *data, "--format", "html", "--out", str(tmp_path / "big.html")]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("Wrote ") and "slow to open in a browser" in err
    assert cli.main(["export", *data, "--format", "html", "--focus", "ncmec", "--depth", "0",
                     "--out", str(tmp_path / "small.html")]) == 0
    assert capsys.readouterr().err == ""
