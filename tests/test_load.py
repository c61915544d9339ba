"""graph/load.py: the data contract, and one clear message per problem, all in one pass."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from graph import load
from graph.errors import DataError
from graph.export import write
from graph.load import MAX_PROBLEMS, is_valid_date, load_graph

from .conftest import DOCUMENTS, ENTITIES, RELATIONS, write_dataset

GOOD_ENTITIES = "id,name,type\na,Alpha,ngo\nb,Beta,law\n"
GOOD_RELATIONS = "source,target,relation\na,b,advocated_for\n"


def problems_of(**files) -> list[str]:
    """Load in-memory files and return every problem message, or fail if it loads."""
    files = {f"{stem}.csv": text for stem, text in files.items()}
    files.setdefault("entities.csv", GOOD_ENTITIES)
    files.setdefault("relations.csv", GOOD_RELATIONS)
    with pytest.raises(DataError) as caught:
        load_graph(files)
    return [str(p) for p in caught.value.problems]


# --- what loads -------------------------------------------------------------------------------


def test_a_valid_folder_loads_entities_as_nodes_and_relations_as_edges(small_graph):
    G = small_graph
    assert (G.number_of_nodes(), G.number_of_edges()) == (7, 6)
    assert G.nodes["pact"] == {
        "name": "Protect All Children from Trafficking",
        "type": "ngo",
        "aliases": ("PACT",),
        "description": "An NGO.",
        "documents": ("d1", "d2"),
        "date": "",
    }
    edge = G.edges["pact", "ipa", 0]
    assert edge["relation"] == "partnered_with"
    assert edge["evidence"] == "PACT works with IPA, closely"
    assert edge["documents"] == ("d1", "d2")
    assert G.graph["documents"]["d1"]["title"] == "First article"
    assert G.graph["warnings"] == []
    assert G.graph["name"] == "small"


def test_list_cells_become_tuples_shared_between_rows_citing_the_same_documents(small_graph):
    G = small_graph
    assert G.edges["pact", "ipa", 0]["documents"] is G.nodes["pact"]["documents"]
    assert G.nodes["cybertipline"]["aliases"] == ()


def test_attribute_dicts_are_plain_and_independent_though_they_share_key_tables(small_graph):
    G = small_graph
    first, second = G.edges["pact", "ipa", 0], G.edges["ncmec", "ipa", 0]
    assert type(first) is dict and type(G.nodes["pact"]) is dict
    first["weight"] = 2
    del first["evidence"]
    assert "weight" not in second and second["evidence"] == "NCMEC supports IPA"
    G.nodes["pact"]["name"] = "Renamed"
    assert G.nodes["ipa"]["name"] == "Innocence Protection Alliance"


def test_edges_reuse_the_entity_id_strings_of_their_nodes():
    G = load_graph(
        {
            "entities.csv": "id,name,type\na,A,ngo\nb,B,law\n",
            "relations.csv": "source,target,relation\na,b,supported\n",
        }
    )
    node_ids = {id(n) for n in G.nodes}
    assert {id(v) for v in G._succ["a"]} <= node_ids
    assert {id(u) for u in G._pred["b"]} <= node_ids


def test_bom_crlf_and_surrounding_whitespace_are_accepted():
    entities = "\ufeffid , name ,type\r\n  a , Alpha  , ngo \r\nb,Beta,law\r\n".encode("utf-8")
    G = load_graph({"entities.csv": entities, "relations.csv": GOOD_RELATIONS})
    assert G.nodes["a"]["name"] == "Alpha" and G.nodes["a"]["type"] == "ngo"


def test_quoted_fields_may_hold_commas_quotes_and_newlines_and_lines_stay_right():
    entities = (
        "id,name,type,description\n"
        'a,Alpha,ngo,"one, two ""three""\nand a second line"\n'
        "b,Beta,law,\n"
        "c,Gamma,nonsense,\n"
    )
    problems = problems_of(entities=entities)
    assert problems[0].startswith("entities.csv:5: unknown type 'nonsense'")
    G = load_graph(
        {
            "entities.csv": entities.replace("nonsense", "ngo"),
            "relations.csv": GOOD_RELATIONS + "c,a,supported\n",
        }
    )
    assert G.nodes["a"]["description"] == 'one, two "three"\nand a second line'


def test_extra_columns_are_kept_as_attributes():
    G = load_graph(
        {
            "entities.csv": "id,name,type,country\na,Alpha,ngo,US\nb,Beta,law,\n",
            "relations.csv": "source,target,relation,weight\na,b,advocated_for,3\n",
        }
    )
    assert G.nodes["a"]["country"] == "US"
    assert G.edges["a", "b", 0]["weight"] == "3"
    assert G.graph["entity_columns"][-1] == "country"


def test_a_short_name_is_kept_for_drawing_and_the_name_stays_whole():
    G = load_graph(
        {
            "entities.csv": "id,name,short_name,type\n"
            "a,Over 80 percent of prosecutions involved online ads,80 percent: ads,finding\n"
            "b,Beta,,law\n",
            "relations.csv": GOOD_RELATIONS,
        }
    )
    assert G.nodes["a"]["short_name"] == "80 percent: ads"
    assert G.nodes["a"]["name"].startswith("Over 80 percent of prosecutions")
    assert "short_name" not in G.nodes["b"]  # empty: the name is drawn
    assert G.graph["entity_columns"][:3] == ["id", "name", "short_name"]
    assert not [w for w in G.graph["warnings"] if w.file == "entities.csv"]


@pytest.mark.parametrize(
    ("short", "warning"),
    [
        (
            "x" * (load.SHORT_NAME_MAX + 1),
            f"short_name is 49 characters (at most {load.SHORT_NAME_MAX})",
        ),
        ("Alpha Alpha", "short_name is not shorter than the name"),
    ],
)
def test_a_short_name_too_long_to_help_is_a_warning_and_the_name_is_drawn(short, warning):
    G = load_graph(
        {
            "entities.csv": f"id,name,short_name,type\na,Alpha Beta,{short},ngo\nb,Beta,,law\n",
            "relations.csv": GOOD_RELATIONS,
        }
    )
    assert "short_name" not in G.nodes["a"]
    [found] = [str(w) for w in G.graph["warnings"] if "short_name" in str(w)]
    assert found.startswith("entities.csv:2: ") and warning in found, found


def test_parallel_relations_between_the_same_pair_are_all_kept():
    G = load_graph(
        {
            "entities.csv": GOOD_ENTITIES,
            "relations.csv": GOOD_RELATIONS + "a,b,supported\na,b,advocated_for\n",
        }
    )
    assert G.number_of_edges("a", "b") == 3


def test_uploads_may_be_bytes_text_or_open_files():
    G = load_graph(
        {
            "entities.csv": io.BytesIO(GOOD_ENTITIES.encode()),
            "relations.csv": io.StringIO(GOOD_RELATIONS),
        }
    )
    assert G.number_of_nodes() == 2


def test_types_csv_adds_a_type_the_entities_may_use():
    G = load_graph(
        {
            "entities.csv": "id,name,type\na,Alpha,hotline\nb,Beta,law\n",
            "relations.csv": GOOD_RELATIONS,
            "types.csv": "type,label,color,shape\nhotline,Hotline,#112233,star\n",
        }
    )
    assert G.graph["schema"].style("hotline").color == "#112233"


# --- errors: each with file, line, column and value --------------------------------------------


def test_missing_files_are_named(tmp_path):
    with pytest.raises(DataError) as caught:
        load_graph(write_dataset(tmp_path / "d", documents=DOCUMENTS))
    messages = [str(p) for p in caught.value.problems]
    assert any(m.startswith("entities.csv: missing file") for m in messages)
    assert any(m.startswith("relations.csv: missing file") for m in messages)


def test_a_path_that_is_not_a_folder_is_a_clear_error(tmp_path):
    with pytest.raises(DataError, match="is not a folder or a zip file: it does not exist"):
        load_graph(tmp_path / "nowhere")


def test_an_empty_file_is_reported():
    assert problems_of(entities="") == ["entities.csv: file is empty (expected a header row)"]


def test_a_missing_required_column_is_named_with_the_header_found():
    assert problems_of(entities="id,name\na,Alpha\n") == [
        "entities.csv:1: missing required column 'type' (header has: id, name)"
    ]


def test_a_row_with_the_wrong_number_of_fields_is_reported():
    assert problems_of(relations="source,target,relation\na,b\n") == [
        "relations.csv:2: row has 2 fields, the header has 3 (check for an unquoted comma or a "
        "missing value)"
    ]


def test_bytes_that_are_not_utf8_are_reported_with_their_line():
    latin1 = "id,name,type\na,Alpha,ngo\nb,Bêta,law\n".encode("latin-1")
    [problem] = problems_of(entities=latin1)
    assert problem.startswith("entities.csv:3: bytes that are not UTF-8")
    assert "save the file as UTF-8" in problem


def test_utf16_is_recognised():
    assert problems_of(entities=GOOD_ENTITIES.encode("utf-16")) == [
        "entities.csv:1: file is UTF-16, not UTF-8: save it as UTF-8 CSV"
    ]


def test_empty_required_values_are_reported():
    problems = problems_of(
        entities="id,name,type\n,Alpha,ngo\nb,,law\nc,Gamma,\n",
        relations="source,target,relation\n,b,led\nb,,led\nb,b,\n",
    )
    assert problems == [
        "entities.csv:2: empty id",
        "entities.csv:3: empty name for b",
        "entities.csv:4: empty type",
        "relations.csv:2: empty source",
        "relations.csv:3: empty target",
        "relations.csv:4: empty relation",
    ]


def test_an_id_with_invalid_characters_is_reported():
    assert problems_of(entities="id,name,type\nNCMEC-1,X,ngo\nb,Beta,law\n")[0] == (
        "entities.csv:2: id 'NCMEC-1' may hold only lower-case letters, digits and underscores"
    )


def test_a_duplicate_id_names_both_lines():
    assert problems_of(entities=GOOD_ENTITIES + "a,Again,ngo\n") == [
        "entities.csv:4: duplicate id 'a' (first on line 2)"
    ]


def test_an_unknown_type_lists_the_allowed_ones():
    [problem] = problems_of(entities="id,name,type\na,Alpha,ngo\nb,Beta,spaceship\n")
    assert problem.startswith("entities.csv:3: unknown type 'spaceship'; allowed: agency, ")
    assert "technology, finding" in problem


def test_a_dangling_relation_is_reported():
    assert problems_of(relations="source,target,relation\na,zz,led\n") == [
        "relations.csv:2: target 'zz' is not an entity in entities.csv (dangling relation)"
    ]


def test_a_relation_that_is_not_snake_case_is_reported():
    assert problems_of(relations="source,target,relation\na,b,Led By\n") == [
        "relations.csv:2: relation 'Led By' must be a snake_case verb phrase (e.g. led, is_part_of)"
    ]


def test_an_unknown_document_id_is_reported_when_documents_csv_exists():
    assert problems_of(
        entities="id,name,type,documents\na,Alpha,ngo,d1|d9\nb,Beta,law,\n",
        documents="id,title\nd1,One\n",
    ) == ["entities.csv:2: unknown document id 'd9' (not in documents.csv)"]


@pytest.mark.parametrize("date", ["2024-13-45", "2023-02-29", "24-01-01", "2024/01/01", "May 2024"])
def test_a_malformed_or_impossible_date_is_reported(date):
    assert problems_of(entities=f"id,name,type,date\na,Alpha,ngo,{date}\nb,Beta,law,\n") == [
        f"entities.csv:2: date '{date}' is not a real date in ISO 8601 form (YYYY, YYYY-MM or "
        "YYYY-MM-DD)"
    ]


def test_iso_dates_of_year_month_or_day_precision_are_valid():
    assert all(is_valid_date(d) for d in ("2024", "2024-02", "2024-02-29"))


def test_bad_types_csv_values_are_reported():
    problems = problems_of(types="type,color,shape\nHot Line,#12,star\nngo,#12,blob\n")
    assert problems[0] == "types.csv:2: type 'Hot Line' must be snake_case (a-z, 0-9, _)"
    assert problems[1] == "types.csv:3: color '#12' is not a #RRGGBB colour"
    assert problems[2].startswith("types.csv:3: shape 'blob' is not one of:")


def test_every_problem_is_reported_in_one_pass_in_reading_order():
    problems = problems_of(
        entities="id,name,type,date\nA,X,ngo,\nb,Beta,law,2024-99\n",
        relations="source,target,relation\nb,zz,led\nzz,b,led\n",
    )
    assert [p.split(":")[0:2] for p in problems] == [
        ["entities.csv", "2"],
        ["entities.csv", "3"],
        ["relations.csv", "2"],
        ["relations.csv", "3"],
    ]


def test_a_flood_of_problems_is_capped_and_counted():
    rows = "".join(f"a{i},X,nope\n" for i in range(MAX_PROBLEMS + 50))
    with pytest.raises(DataError) as caught:
        load_graph({"entities.csv": "id,name,type\n" + rows, "relations.csv": GOOD_RELATIONS})
    assert len(caught.value.problems) == MAX_PROBLEMS
    assert "... and 52 more problems" in str(caught.value)


# --- warnings: loaded, but worth saying ---------------------------------------------------------


def test_duplicate_rows_self_loops_and_isolated_entities_are_warnings():
    G = load_graph(
        {
            "entities.csv": GOOD_ENTITIES + "c,Gamma,ngo\n",
            "relations.csv": GOOD_RELATIONS + "a,b,advocated_for\na,a,supported\n",
        }
    )
    assert [str(w) for w in G.graph["warnings"] if "declares no source" not in str(w)] == [
        "relations.csv:3: duplicate relation row a advocated_for b (same as line 2)",
        "relations.csv:4: self-loop: a supported itself",
        "entities.csv:4: entity 'c' has no relation (isolated)",
    ]
    assert G.number_of_edges() == 3


def test_a_duplicate_row_is_the_same_relation_as_loaded_including_extra_columns():
    relations = (
        "source,target,relation,evidence,documents,note\n"
        "a,b,supported,q,d1|d2,x\n"
        "a,b,supported,q, d1 | d2 ,x\n"  # same once trimmed: a duplicate of line 2
        "a,b,supported,q,d1|d2,y\n"  # another note: a different row
        "a,b,supported,q,d1|d2,x\n"
    )  # a third copy of line 2
    G = load_graph(
        {
            "entities.csv": "id,name,type\na,A,ngo\nb,B,law\n",
            "relations.csv": relations,
            "documents.csv": "id\nd1\nd2\n",
        }
    )
    assert [str(w) for w in G.graph["warnings"]] == [
        "relations.csv:3: duplicate relation row a supported b (same as line 2)",
        "relations.csv:5: duplicate relation row a supported b (same as line 2)",
    ]
    assert G.number_of_edges() == 4  # warnings only: every row is kept


def test_the_shared_fixture_is_itself_valid():
    G = load_graph(
        {"entities.csv": ENTITIES, "relations.csv": RELATIONS, "documents.csv": DOCUMENTS}
    )
    assert G.graph["warnings"] == []


def test_loading_pauses_the_cyclic_collector_and_restores_it_even_on_errors():
    import gc

    assert gc.isenabled()
    load_graph({"entities.csv": ENTITIES, "relations.csv": RELATIONS})
    assert gc.isenabled()
    with pytest.raises(DataError):
        load_graph({"entities.csv": "id,name,type\na,A,nope\n", "relations.csv": RELATIONS})
    assert gc.isenabled()
    gc.disable()
    try:
        load_graph({"entities.csv": ENTITIES, "relations.csv": RELATIONS})
        assert not gc.isenabled()  # a caller that turned it off keeps it off
    finally:
        gc.enable()


# --- a zipped dataset ---------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "data"


def zip_bytes(entries: dict[str, bytes | str], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A zip holding ``entries`` (name -> content), made in memory."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def good_zip(prefix: str = "", **extra: bytes | str) -> bytes:
    return zip_bytes(
        {f"{prefix}entities.csv": GOOD_ENTITIES, f"{prefix}relations.csv": GOOD_RELATIONS, **extra}
    )


def zip_problems(content: bytes, tmp_path: Path, name: str = "x.zip") -> list[str]:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DataError) as caught:
        load_graph(path)
    return [str(p).replace(str(path), name) for p in caught.value.problems]


def same_graph(G, H) -> None:
    assert list(G.nodes(data=True)) == list(H.nodes(data=True))
    assert list(G.edges(keys=True, data=True)) == list(H.edges(keys=True, data=True))
    assert G.graph["documents"] == H.graph["documents"]
    assert G.graph["entity_columns"] == H.graph["entity_columns"]
    assert G.graph["relation_columns"] == H.graph["relation_columns"]
    assert [str(w) for w in G.graph["warnings"]] == [str(w) for w in H.graph["warnings"]]
    assert G.graph["schema"].entity_types == H.graph["schema"].entity_types


def test_the_bundled_dataset_exported_as_a_csv_zip_loads_back_to_the_same_graph(tmp_path):
    G = load_graph(BUNDLED)
    path = write(G, "csv", tmp_path / "bundled.zip")
    again = load_graph(path)
    same_graph(again, G)
    assert again.graph["name"] == "bundled.zip"  # the label says it came from the zip
    uploaded = load_graph({"bundled.zip": path.read_bytes()})
    same_graph(uploaded, G)
    same_graph(load_graph({"bundled.zip": io.BytesIO(path.read_bytes())}), G)


def test_a_zip_may_hold_the_files_in_one_top_level_folder_and_mac_or_dot_files(tmp_path):
    content = good_zip(
        "subset/",
        **{
            "__MACOSX/subset/._entities.csv": b"\x00\x05junk",
            "subset/.DS_Store": b"\x00junk",
            "README.txt": "hello",
            "subset/notes/entities.csv": "not, the, dataset",
        },
    )
    (tmp_path / "x.zip").write_bytes(content)
    G = load_graph(tmp_path / "x.zip")
    assert sorted(G.nodes) == ["a", "b"] and G.number_of_edges() == 1


@pytest.mark.parametrize(
    "method", [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA]
)
def test_a_zip_loads_with_every_usual_compression(tmp_path, method):
    (tmp_path / "x.zip").write_bytes(
        zip_bytes({"Entities.CSV": GOOD_ENTITIES, "relations.csv": GOOD_RELATIONS}, method)
    )
    assert load_graph(tmp_path / "x.zip").number_of_edges() == 1


def test_problems_inside_a_zip_name_the_member_file_and_line(tmp_path):
    content = zip_bytes(
        {
            "d/entities.csv": GOOD_ENTITIES + "a,Again,ngo\n",
            "d/relations.csv": "source,target,relation\na,zz,led\n",
        }
    )
    assert zip_problems(content, tmp_path) == [
        "entities.csv:4: duplicate id 'a' (first on line 2)",
        "relations.csv:2: target 'zz' is not an entity in entities.csv (dangling relation)",
    ]


def test_a_zip_without_relations_csv_reports_the_missing_file(tmp_path):
    assert zip_problems(zip_bytes({"entities.csv": GOOD_ENTITIES}), tmp_path) == [
        "relations.csv: missing file (every dataset needs entities.csv and relations.csv)"
    ]


def test_members_are_streamed_from_the_zip_not_read_whole(tmp_path, monkeypatch):
    (tmp_path / "x.zip").write_bytes(good_zip())

    def no_whole_reads(*args, **kwargs):
        raise AssertionError("ZipFile.read holds a whole member in memory")

    monkeypatch.setattr(zipfile.ZipFile, "read", no_whole_reads)
    monkeypatch.setattr(zipfile.ZipFile, "extract", no_whole_reads)
    monkeypatch.setattr(zipfile.ZipFile, "extractall", no_whole_reads)
    assert load_graph(tmp_path / "x.zip").number_of_nodes() == 2


def test_loading_a_zip_writes_nothing(tmp_path):
    path = tmp_path / "x.zip"
    path.write_bytes(good_zip())
    before = path.stat().st_mtime_ns, path.read_bytes()
    load_graph(path)
    assert (path.stat().st_mtime_ns, path.read_bytes()) == before
    assert [p.name for p in tmp_path.iterdir()] == ["x.zip"]


def declare_size(content: bytes, member: str, size: int) -> bytes:
    """``content`` with ``member``'s uncompressed size rewritten in its local and central
    headers (how a zip bomb announces itself, or lies)."""
    data = bytearray(content)
    name = member.encode()
    for signature, size_at, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        at = data.find(signature)
        while at >= 0:
            if data[at + name_at : at + name_at + len(name)] == name:
                struct.pack_into("<I", data, at + size_at, size)
            at = data.find(signature, at + 4)
    return bytes(data)


def test_a_zip_declaring_more_than_the_limit_is_refused_before_reading(tmp_path):
    bomb = declare_size(good_zip(), "entities.csv", 3_000_000_000)
    assert zip_problems(bomb, tmp_path) == [
        "x.zip: entities.csv is 3 GB uncompressed, more than the 1 GB limit"
    ]


def test_dataset_files_too_large_together_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(load, "ZIP_MAX_UNCOMPRESSED", 60)
    assert zip_problems(good_zip(), tmp_path) == [
        "x.zip: its dataset files are 77 bytes uncompressed together, more than the 60 bytes limit"
    ]


def test_a_member_larger_than_it_declares_is_cut_at_its_size_and_reported_damaged(tmp_path):
    liar = declare_size(good_zip(), "entities.csv", 20)
    [problem] = zip_problems(liar, tmp_path)
    assert problem.startswith("entities.csv: cannot be read from the zip, which is damaged: ")


def test_a_corrupt_member_is_reported_not_raised(tmp_path):
    content = bytearray(
        zip_bytes({"entities.csv": GOOD_ENTITIES * 50, "relations.csv": GOOD_RELATIONS})
    )
    at = content.find(b"PK\x03\x04") + 30 + len("entities.csv")
    content[at + 5 : at + 25] = b"\xff" * 20  # inside the deflated data
    [problem] = zip_problems(bytes(content), tmp_path)
    assert problem.startswith("entities.csv: cannot be read from the zip, which is damaged: ")


def test_too_many_entries_are_refused_before_the_archive_index_is_read(tmp_path, monkeypatch):
    content = good_zip(**{f"extra/{i}.txt": "" for i in range(5)})
    monkeypatch.setattr(load, "ZIP_MAX_ENTRIES", 4)
    monkeypatch.setattr(load.zipfile, "ZipFile", None)  # never reached
    assert zip_problems(content, tmp_path) == [
        "x.zip: holds 7 entries, more than the 4 allowed (zip only the dataset's files)"
    ]


@pytest.mark.parametrize(
    "content, expected",
    [
        (
            b"id,name,type\na,A,ngo\n",
            "x.zip: not a zip file (expected a folder holding entities.csv "
            "and relations.csv, or a .zip of one)",
        ),
        (
            b"",
            "x.zip: not a zip file (expected a folder holding entities.csv and relations.csv, or "
            "a .zip of one)",
        ),
        (
            zip_bytes({}),
            "x.zip: the zip is empty (expected entities.csv and relations.csv, at its "
            "root or in one top-level folder)",
        ),
        (
            zip_bytes({"__MACOSX/._entities.csv": "x", "folder/": ""}),
            "x.zip: the zip is empty (expected entities.csv and relations.csv, at its root or "
            "in one top-level folder)",
        ),
        (
            zip_bytes({"relations.csv": GOOD_RELATIONS}),
            "x.zip: holds no entities.csv (expected entities.csv and relations.csv, at the "
            "zip's root or in one top-level folder)",
        ),
        (
            zip_bytes({"a/b/entities.csv": GOOD_ENTITIES}),
            "x.zip: holds entities.csv only deeper than one folder (a/b/entities.csv); zip the "
            "dataset's folder itself",
        ),
        (
            zip_bytes({"one/entities.csv": GOOD_ENTITIES, "two/entities.csv": GOOD_ENTITIES}),
            "x.zip: holds entities.csv in 2 places (one/, two/); zip one dataset",
        ),
        (
            zip_bytes({"entities.csv": GOOD_ENTITIES, "ENTITIES.csv": GOOD_ENTITIES}),
            "x.zip: holds ENTITIES.csv twice",
        ),
        (
            good_zip(**{"../evil.csv": "x"}),
            "x.zip: holds the unsafe name '../evil.csv' (an absolute "
            "path or one leaving the archive with '..'); refused",
        ),
        (
            good_zip(**{"d/../../evil.csv": "x"}),
            "x.zip: holds the unsafe name 'd/../../evil.csv' (an "
            "absolute path or one leaving the archive with '..'); "
            "refused",
        ),
        (
            good_zip(**{"/etc/passwd": "x"}),
            "x.zip: holds the unsafe name '/etc/passwd' (an absolute "
            "path or one leaving the archive with '..'); refused",
        ),
        (
            good_zip(**{"C:/evil.csv": "x"}),
            "x.zip: holds the unsafe name 'C:/evil.csv' (an absolute "
            "path or one leaving the archive with '..'); refused",
        ),
    ],
    ids=[
        "text",
        "zero-bytes",
        "empty",
        "only-ignored",
        "no-entities",
        "too-deep",
        "two-datasets",
        "twice",
        "dotdot",
        "nested-dotdot",
        "absolute",
        "drive",
    ],
)
def test_a_bad_zip_is_one_clear_problem_naming_the_zip(tmp_path, content, expected):
    assert zip_problems(content, tmp_path) == [expected]


def test_an_encrypted_member_is_refused(tmp_path):
    content = bytearray(good_zip())
    for signature, flags_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = content.find(signature)
        content[at + flags_at] |= 0x1
    assert zip_problems(bytes(content), tmp_path) == [
        "x.zip: entities.csv is encrypted: zip the dataset without a password"
    ]


def test_an_uploaded_zip_must_come_alone_and_as_bytes():
    with pytest.raises(DataError) as caught:
        load_graph({"x.zip": good_zip(), "entities.csv": GOOD_ENTITIES})
    assert [str(p) for p in caught.value.problems] == [
        "x.zip: a zip must be opened alone, not with other files (it holds the whole dataset)"
    ]
    with pytest.raises(DataError, match="x.zip: not a zip file"):
        load_graph({"x.zip": "PK but text"})
    with pytest.raises(DataError, match="x.zip: not a zip file"):
        load_graph({"x.zip": b"not a zip"})


def test_a_path_that_is_neither_a_folder_nor_a_zip_is_a_clear_error(tmp_path):
    (tmp_path / "entities.csv").write_text(GOOD_ENTITIES)
    with pytest.raises(DataError, match="entities.csv: not a zip file"):
        load_graph(tmp_path / "entities.csv")


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "graph", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_every_cli_command_takes_a_zip(tmp_path):
    path = write(load_graph(BUNDLED), "csv", tmp_path / "bundled.zip")
    out = cli("validate", "--data", str(path))
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("OK: ") and str(path) in out.stdout
    out = cli("search", "ncmec", "--data", str(path), "--json")
    assert out.returncode == 0 and json.loads(out.stdout)[0]["id"] == "ncmec"


@pytest.mark.parametrize(
    "content, expected",
    [
        (b"not a zip", "bad.zip: not a zip file"),
        (good_zip(**{"../evil.csv": "x"}), "bad.zip: holds the unsafe name '../evil.csv'"),
        (
            declare_size(good_zip(), "entities.csv", 3_000_000_000),
            "bad.zip: entities.csv is 3 GB uncompressed, more than the 1 GB limit",
        ),
        (
            zip_bytes(
                {"entities.csv": GOOD_ENTITIES + "a,Again,ngo\n", "relations.csv": GOOD_RELATIONS}
            ),
            "entities.csv:4: duplicate id 'a' (first on line 2)",
        ),
    ],
    ids=["not-a-zip", "traversal", "oversized", "bad-row"],
)
def test_the_cli_reports_a_bad_zip_and_exits_1_without_a_traceback(tmp_path, content, expected):
    (tmp_path / "bad.zip").write_bytes(content)
    out = cli("validate", "--data", str(tmp_path / "bad.zip"))
    assert out.returncode == 1
    assert "Traceback" not in out.stderr + out.stdout
    assert out.stderr.startswith(f"Error: {tmp_path / 'bad.zip'}: ")
    assert expected in out.stderr.replace(str(tmp_path) + "/", "")


def test_a_zip64_archive_s_entries_are_counted_from_its_zip64_end_record(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for i in range(0x10000 + 10):  # more than a plain end record can count
            archive.writestr(f"f{i}", b"")
    assert zip_problems(buffer.getvalue(), tmp_path) == [
        "x.zip: holds 65,546 entries, more than the 10,000 allowed (zip only the dataset's files)"
    ]


def test_windows_separators_in_a_zip_are_folders_and_checked_like_slashes(tmp_path):
    content = zip_bytes(
        {"data\\entities.csv": GOOD_ENTITIES, "data\\relations.csv": GOOD_RELATIONS}
    )
    assert load_graph({"win.zip": content}).number_of_edges() == 1
    assert zip_problems(good_zip(**{"..\\evil.csv": "x"}), tmp_path) == [
        "x.zip: holds the unsafe name '..\\\\evil.csv' (an absolute path or one leaving the "
        "archive with '..'); refused"
    ]


# --- hostile input (issue 12): limits, special files, digits, blank rows ----------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from graph.csvfile import FIELD_LIMIT  # noqa: E402

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def test_a_cell_of_140_kb_loads_whole():
    cell = "x" * 140_000  # over Python's default csv field limit (128 KiB)
    G = load_graph(
        {
            "entities.csv": f"id,name,type,description\na,A,ngo,{cell}\nb,B,law,\n",
            "relations.csv": GOOD_RELATIONS,
        }
    )
    assert G.nodes["a"]["description"] == cell


def test_a_cell_over_the_field_limit_names_its_line_and_the_limit_and_nothing_else():
    entities = f"id,name,type,description\na,A,ngo,\nb,B,law,{'x' * (FIELD_LIMIT + 1)}\nc,C,ngo,\n"
    relations = "source,target,relation\na,b,advocated_for\nc,a,supported\n"
    assert problems_of(entities=entities, relations=relations) == [
        f"entities.csv:3: a cell holds more than {FIELD_LIMIT:,} characters, the limit per cell "
        "(graph.csvfile.FIELD_LIMIT); reading stopped at this row"
    ]  # no "dangling relation" for c, which was never read


def test_a_documents_file_that_stops_early_gives_no_false_unknown_documents():
    documents = 'id,title\nd1,"unclosed\n'
    entities = "id,name,type,documents\na,A,ngo,d1\nb,B,law,d2\n"
    [problem] = problems_of(documents=documents, entities=entities)
    assert problem.startswith("documents.csv:2: malformed CSV:") and "stopped" in problem


@pytest.mark.parametrize("date", ["２０２４", "٢٠٢٤-01", "2024-０1", "2024\n", "𝟚𝟘𝟚𝟜"])
def test_a_date_in_other_digits_than_ascii_is_not_a_date(date):
    assert not is_valid_date(date)


@pytest.mark.parametrize("pattern", [load.ID_PATTERN, load.RELATION_PATTERN, load.DATE_PATTERN])
@given(text=st.text(max_size=12))
@FUZZ
def test_every_pattern_that_validates_data_takes_ascii_only_and_no_trailing_newline(pattern, text):
    if pattern.match(text):
        assert text.isascii() and "\n" not in text


@given(text=st.text(max_size=12))
@FUZZ
def test_a_valid_date_is_an_iso_date_python_reads_the_same(text):
    if is_valid_date(text):
        padded = {4: "-01-01", 7: "-01", 10: ""}[len(text)]
        assert dt.date.fromisoformat(text + padded).isoformat().startswith(text)


def test_ids_and_relations_in_other_digits_are_refused():
    found = problems_of(
        entities="id,name,type\na٣,A,ngo\nb,B,law\n", relations="source,target,relation\nb,b,led٣\n"
    )
    assert any("'a٣' may hold only" in p for p in found)
    assert any("relation 'led٣' must be a snake_case" in p for p in found)


def _validate(folder: Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "graph", "validate", "--data", str(folder)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).parent.parent,
        env={**os.environ, **env},
    )


def test_a_fifo_or_a_symlink_to_a_device_is_refused_without_hanging(tmp_path):
    folder = write_dataset(tmp_path / "special", relations=GOOD_RELATIONS)
    (folder / "entities.csv").symlink_to("/dev/zero")
    os.mkfifo(folder / "documents.csv")  # opening it would wait for a writer forever
    out = _validate(folder)  # a hang would end in TimeoutExpired
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert out.stderr.splitlines()[1:] == [
        "documents.csv: is not a regular file (a FIFO, a device or a folder); only regular "
        "files are read",
        "entities.csv: is not a regular file (a FIFO, a device or a folder); only regular "
        "files are read",
    ]


def test_a_folder_in_a_file_s_place_is_refused(tmp_path):
    folder = write_dataset(tmp_path / "d", entities=GOOD_ENTITIES, relations=GOOD_RELATIONS)
    (folder / "types.csv").mkdir()
    with pytest.raises(DataError, match="types.csv: is not a regular file"):
        load_graph(folder)


def test_a_file_over_the_byte_limit_is_not_read_and_the_limit_can_be_raised(tmp_path):
    folder = write_dataset(tmp_path / "d", entities=GOOD_ENTITIES * 2, relations=GOOD_RELATIONS)
    size = (folder / "entities.csv").stat().st_size
    with pytest.raises(DataError) as caught:
        load_graph(folder, max_file_bytes=size - 1)
    assert [str(p) for p in caught.value.problems] == [
        f"entities.csv: is {size:,} bytes, more than the limit of {size - 1:,} bytes per file; not "
        "read (set GRAPH_MAX_FILE_BYTES or load_graph(max_file_bytes=...) to allow more)"
    ]
    with pytest.raises(DataError, match="duplicate id"):  # read whole at the limit
        load_graph(folder, max_file_bytes=size)
    assert load_graph({"entities.csv": GOOD_ENTITIES.encode(), "relations.csv": GOOD_RELATIONS})
    with pytest.raises(
        DataError, match="entities.csv: holds more than the limit of 10 bytes per file; not read"
    ):
        load_graph(
            {"entities.csv": io.BytesIO(GOOD_ENTITIES.encode()), "relations.csv": GOOD_RELATIONS},
            max_file_bytes=10,
        )


def test_the_byte_limit_is_read_from_the_environment(tmp_path):
    folder = write_dataset(tmp_path / "d", entities=GOOD_ENTITIES, relations=GOOD_RELATIONS)
    out = _validate(folder, GRAPH_MAX_FILE_BYTES="20")
    assert out.returncode == 1 and "more than the limit of 20 bytes per file" in out.stderr
    out = _validate(folder, GRAPH_MAX_FILE_BYTES="lots")
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert "GRAPH_MAX_FILE_BYTES: must be a whole number of bytes, not 'lots'" in out.stderr


BLANK_ROW = (
    st.integers(min_value=1, max_value=8)
    .flatmap(lambda n: st.lists(st.sampled_from(["", " ", "\t"]), min_size=n, max_size=n))
    .map(",".join)
    .filter(lambda row: "," in row or row.strip() == "" and row != "")
)


@given(
    rows=st.lists(BLANK_ROW, min_size=1, max_size=4),
    places=st.lists(st.integers(min_value=0, max_value=2), min_size=4, max_size=4),
)
@FUZZ
def test_rows_of_only_commas_are_skipped_at_any_width_with_one_warning(rows, places):
    lines = GOOD_ENTITIES.splitlines()  # header and two rows
    for row, place in zip(rows, places):
        lines.insert(1 + place, row)
    G = load_graph({"entities.csv": "\n".join(lines) + "\n", "relations.csv": GOOD_RELATIONS})
    assert sorted(G.nodes) == ["a", "b"]
    [warning] = [w for w in G.graph["warnings"] if "declares no source" not in w.message]
    count = "1 row" if len(rows) == 1 else f"{len(rows)} rows"
    first = 1 + next(i for i, line in enumerate(lines[1:], 1) if line in rows)
    assert str(warning) == f"entities.csv:{first}: {count} of only commas or spaces skipped"
