"""graph/dataset_info.py: a dataset's title and summary (dataset.toml), read by the loader."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph import dataset_info
from graph.errors import DataError
from graph.load import load_graph
from graph.query import induced

from .conftest import ENTITIES, RELATIONS

ROOT = Path(__file__).resolve().parent.parent


def test_the_bundled_dataset_names_its_subject_and_its_five_documents():
    G = load_graph(ROOT / "data")
    assert G.graph["title"].startswith("Technology and human trafficking")
    summary = G.graph["summary"]
    for document in ("PACT", "TIP Report", "The Hill", "World Day 2024", "2022", "IPA"):
        assert document in summary, document
    assert "\n" not in summary and len(summary) <= dataset_info.MAX_SUMMARY
    assert G.graph["tour_file"].endswith("tours.yaml")


def test_a_folder_with_dataset_toml_gives_its_title_and_summary(dataset_dir):
    (dataset_dir / "dataset.toml").write_text(
        'title = "Small test set"\nsummary = """Seven entities,\n   six relations."""\n'
    )
    G = load_graph(dataset_dir)
    assert (G.graph["title"], G.graph["summary"]) == (
        "Small test set",
        "Seven entities, six relations.",
    )


def test_without_dataset_toml_the_title_is_the_folder_name(dataset_dir):
    G = load_graph(dataset_dir)
    assert (G.graph["title"], G.graph["summary"]) == ("small", "")
    assert "tour_file" not in G.graph


def test_an_uploaded_dataset_toml_is_read_too():
    G = load_graph(
        {"entities.csv": ENTITIES, "relations.csv": RELATIONS, "dataset.toml": b'title = "Up"\n'}
    )
    assert G.graph["title"] == "Up"


@pytest.mark.parametrize(
    "text, problem",
    [
        ('title = "a"\nsummary = [1,\n', "dataset.toml:2: not valid TOML (Invalid value)"),
        ("title = 7\n", "dataset.toml:1: title must be text, not 7"),
        (
            'title = "a"\nsubtitle = "b"\n',
            "dataset.toml:2: unknown key 'subtitle' (allowed: summary, title)",
        ),
        (f'title = "{"x" * 121}"\n', "dataset.toml:1: title is 121 characters; at most 120"),
        (b"title = '\xff'\n", "dataset.toml: is not UTF-8 text"),
        ("x" * 70_000, "dataset.toml: is larger than 64,000 bytes"),
    ],
)
def test_a_bad_dataset_toml_is_a_data_error_naming_file_and_line(dataset_dir, text, problem):
    target = dataset_dir / "dataset.toml"
    target.write_bytes(text if isinstance(text, bytes) else text.encode())
    with pytest.raises(DataError) as caught:
        load_graph(dataset_dir)
    assert problem in str(caught.value), str(caught.value)


def test_a_dataset_toml_that_is_a_folder_is_refused(dataset_dir):
    (dataset_dir / "dataset.toml").mkdir()
    with pytest.raises(DataError, match="dataset.toml: is not a regular file"):
        load_graph(dataset_dir)


def test_a_part_of_the_graph_is_told_from_the_whole(small_graph):
    assert dataset_info.is_whole(small_graph)
    assert not dataset_info.is_whole(induced(small_graph, ["pact", "ipa"]))


def test_the_tour_file_is_found_in_the_order_documented(tmp_path):
    assert dataset_info.tour_file(tmp_path) is None
    (tmp_path / "tours.toml").write_text("")
    (tmp_path / "tours.yml").write_text("")
    assert dataset_info.tour_file(tmp_path) == tmp_path / "tours.yml"
