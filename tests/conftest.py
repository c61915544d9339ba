"""Shared fixtures: tiny datasets written as files or passed as in-memory uploads."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from graph.load import load_graph

ENTITIES = """id,name,type,aliases,description,documents,date
interpol,INTERPOL,international_org,International Criminal Police Organization,Police body.,d1,
operation_synergia,Operation Synergia,operation,INTERPOL-led Operation Synergia,An op.,d1,2023
pact,Protect All Children from Trafficking,ngo,PACT,An NGO.,d1|d2,
ipa,Innocence Protection Alliance,ngo,IPA,Another NGO.,d2,
ncmec,National Center for Missing & Exploited Children,ngo,NCMEC,Runs the CyberTipline.,d2,
cybertipline,CyberTipline,tool,,A reporting hotline.,d2,
report_act,REPORT Act,law,,A law.,d2,2024-05-07
"""
RELATIONS = """source,target,relation,evidence,documents,date
interpol,operation_synergia,led,INTERPOL led it,d1,2023
pact,ipa,partnered_with,"PACT works with IPA, closely",d1|d2,
ncmec,ipa,supported,NCMEC supports IPA,d2,
ncmec,cybertipline,runs,NCMEC runs the CyberTipline,d2,
report_act,cybertipline,concerns,the REPORT Act changes the CyberTipline,d2,2024
pact,interpol,partnered_with,PACT and INTERPOL,d1,
"""
DOCUMENTS = """id,title,publisher,author,date,url,kind
d1,First article,Publisher One,A. Writer,2024-07,,article
d2,Second article,Publisher Two,,2024,,blog post
"""


def write_dataset(folder: Path, **files: str) -> Path:
    """Write CSV files into ``folder``: ``write_dataset(p, entities=..., relations=...)``."""
    folder.mkdir(parents=True, exist_ok=True)
    for stem, text in files.items():
        (folder / f"{stem}.csv").write_text(text, encoding="utf-8", newline="")
    return folder


def contract_graph(nodes, edges, *, documents=None, schema=None, name="Test") -> nx.MultiDiGraph:
    """A graph in the ``graph.load`` shape built by hand: nodes (id, attrs), edges (u, v, attrs).

    Missing attributes get the loader's defaults (type ngo, relation supported, empty text).
    """
    G = nx.MultiDiGraph(name=name, documents=documents or {})
    if schema is not None:
        G.graph["schema"] = schema
    for node_id, attrs in nodes:
        G.add_node(
            node_id,
            **{
                "name": node_id,
                "type": "ngo",
                "aliases": [],
                "description": "",
                "documents": [],
                "date": "",
                **attrs,
            },
        )
    for u, v, attrs in edges:
        G.add_edge(
            u, v, **{"relation": "supported", "evidence": "", "documents": [], "date": "", **attrs}
        )
    return G


@pytest.fixture
def dataset_dir(tmp_path: Path) -> Path:
    """A small valid dataset folder with documents."""
    return write_dataset(
        tmp_path / "small", entities=ENTITIES, relations=RELATIONS, documents=DOCUMENTS
    )


@pytest.fixture
def small_graph(dataset_dir: Path):
    """The small dataset, loaded."""
    return load_graph(dataset_dir)
