"""The synthetic generator writes valid data in the contract, of the asked size, reproducibly."""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bench.synthetic import generate
from graph.load import ID_PATTERN, is_valid_date, load_graph
from graph.schema import default_schema

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def dataset(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("synthetic")
    generate(folder, 2000, seed=7)
    return folder


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_loads_without_errors_or_warnings(dataset):
    G = load_graph(dataset)
    assert G.number_of_nodes() == 2000
    assert G.number_of_edges() == 5 * 2000
    assert not [w for w in G.graph["warnings"] if "isolated" in w.message]
    assert G.graph["warnings"] == []
    assert len(G.graph["documents"]) == 20


def test_no_isolated_entity_and_skewed_degrees(dataset):
    G = load_graph(dataset)
    degrees = sorted((d for _, d in G.degree()), reverse=True)
    assert degrees[-1] >= 1
    median = degrees[len(degrees) // 2]
    assert degrees[0] > 10 * median  # hubs, as in a real network


def test_files_follow_the_contract(dataset):
    schema = default_schema()
    entities = _rows(dataset / "entities.csv")
    relations = _rows(dataset / "relations.csv")
    documents = {row["id"] for row in _rows(dataset / "documents.csv")}
    assert list(entities[0]) == [
        "id",
        "name",
        "type",
        "aliases",
        "description",
        "documents",
        "date",
    ]
    assert list(relations[0]) == ["source", "target", "relation", "evidence", "documents", "date"]
    assert all(
        re.fullmatch(r"e\d{6}", row["id"]) and ID_PATTERN.match(row["id"]) for row in entities
    )
    assert {row["type"] for row in entities} <= set(schema.entity_types)
    assert len({row["type"] for row in entities}) == len(schema.entity_types)
    assert {row["relation"] for row in relations} <= set(schema.relation_types)
    aliased = [row for row in entities if row["aliases"]]
    assert 0.05 * len(entities) < len(aliased) < 0.5 * len(entities)
    assert any("|" in row["aliases"] for row in aliased)
    assert all(row["description"].endswith(".") for row in entities)
    assert all(
        doc in documents
        for row in entities + relations
        for doc in row["documents"].split("|")
        if doc
    )
    dated = [row["date"] for row in entities + relations if row["date"]]
    assert dated and all(is_valid_date(d) for d in dated)
    assert {len(d) for d in dated} == {4, 7, 10}
    assert any(row["evidence"] for row in relations)
    assert all(row["source"] != row["target"] for row in relations)


def test_counts_follow_the_arguments(tmp_path):
    counts = generate(tmp_path, 300, relations_per_entity=3, seed=1)
    assert counts == {"entities": 300, "relations": 900, "documents": 20}
    G = load_graph(tmp_path)
    assert (G.number_of_nodes(), G.number_of_edges()) == (300, 900)
    assert G.graph["warnings"] == []


def test_deterministic_per_seed(tmp_path):
    files = ("documents.csv", "entities.csv", "relations.csv")
    generate(tmp_path / "a", 500, seed=3)
    generate(tmp_path / "b", 500, seed=3)
    generate(tmp_path / "c", 500, seed=4)
    assert all(
        (tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files
    )
    assert (tmp_path / "a" / "relations.csv").read_bytes() != (
        tmp_path / "c" / "relations.csv"
    ).read_bytes()


def test_rejects_too_few_entities(tmp_path):
    with pytest.raises(ValueError):
        generate(tmp_path, 3)


def test_command_line(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "bench.synthetic", str(tmp_path / "out"), "50", "--seed", "2"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    G = load_graph(tmp_path / "out")
    assert (G.number_of_nodes(), G.number_of_edges()) == (50, 250)
