"""Small graphs in the graph.load contract shape, for the drawing tests (layout, vis, page)."""

from __future__ import annotations

import random

import networkx as nx

from graph.schema import default_schema

from .conftest import contract_graph

DOCUMENTS = {
    "d1": {
        "title": "Synergia results",
        "publisher": "INTERPOL",
        "author": "",
        "date": "2024",
        "url": "https://example.org/synergia",
        "kind": "press release",
    },
    "d2": {
        "title": "Annual report",
        "publisher": "Polaris",
        "author": "",
        "date": "2023",
        "url": "javascript:alert(1)",
        "kind": "report",
    },
}


def make_graph(nodes, edges, *, documents=None, schema=None, name="Test") -> nx.MultiDiGraph:
    """A graph in the graph.load contract shape (documents default to this module's)."""
    return contract_graph(
        nodes,
        edges,
        documents=DOCUMENTS if documents is None else documents,
        schema=schema,
        name=name,
    )


def small() -> nx.MultiDiGraph:
    return make_graph(
        [
            (
                "interpol",
                {
                    "name": "INTERPOL",
                    "type": "international_org",
                    "aliases": ["ICPO"],
                    "description": "Police co-operation body.",
                    "documents": ["d1"],
                },
            ),
            ("synergia", {"name": "Operation Synergia", "type": "operation"}),
            ("polaris", {"name": "Polaris", "type": "ngo", "documents": ["d2", "missing"]}),
            ("odd", {"name": "Odd one", "type": "mystery_thing"}),
        ],
        [
            (
                "interpol",
                "synergia",
                {"relation": "led", "evidence": "INTERPOL led it.", "documents": ["d1"]},
            ),
            ("interpol", "synergia", {"relation": "published", "evidence": "It announced it."}),
            ("synergia", "interpol", {"relation": "supported"}),
            ("polaris", "interpol", {"relation": "supported", "evidence": "Shared data."}),
        ],
    )


def random_graph(n: int, m: int, seed: int = 1) -> nx.MultiDiGraph:
    """A contract-shaped random graph with realistic text lengths."""
    rng = random.Random(seed)
    types = default_schema().type_ids()
    words = (
        "trafficking technology platform report agency hotline network data victims "
        "operation support analysis online recruitment screening"
    ).split()

    def text(k: int) -> str:
        return " ".join(rng.choice(words) for _ in range(k))

    documents = {
        f"doc{i}": {
            "title": text(6).title(),
            "publisher": text(2).title(),
            "author": "",
            "date": "2024-01-01",
            "url": f"https://example.org/{i}",
            "kind": "report",
        }
        for i in range(40)
    }
    nodes = [
        (
            f"e{i}",
            {
                "name": text(3).title(),
                "type": rng.choice(types),
                "aliases": [text(2)],
                "description": text(20),
                "documents": rng.sample(sorted(documents), 2),
            },
        )
        for i in range(n)
    ]
    edges = []
    for _ in range(m):
        u, v = rng.sample(range(n), 2)
        edges.append(
            (
                f"e{u}",
                f"e{v}",
                {
                    "relation": rng.choice(["led", "supported", "runs"]),
                    "evidence": text(25),
                    "documents": rng.sample(sorted(documents), 1),
                },
            )
        )
    return make_graph(nodes, edges, documents=documents)


def by_id(items):
    return {item["id"]: item for item in items}
