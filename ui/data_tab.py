"""The data of the current view as searchable tables, and downloads in every export format.

Downloads hold exactly what is drawn (the same entities, relations, positions and colours);
their file names say what they hold. Files are made only when a button is clicked. Each table
also downloads as a CSV file for spreadsheets, written against CSV injection as OWASP advises
(:func:`graph.export.spreadsheet_csv`: a cell starting ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return gets a leading ``'``); the dataset download (CSV zip) stays exact, as it must
reload. Streamlit's own table export is off (``client.disableDataExport``), as it writes cells
raw.
"""

from __future__ import annotations

from collections.abc import Callable

import networkx as nx
import pandas as pd
import streamlit as st

from graph.export import (
    FORMATS,
    MIME_TYPES,
    POSITIONED_FORMATS,
    export_bytes,
    spreadsheet_csv,
    suggested_filename,
)
from graph.query import entity_name, schema_of
from graph.view import View
from ui import handouts, state
from ui.scene import Scene, drawing

FORMAT_LABELS = {
    "csv": "CSV (zip)",
    "graphml": "GraphML",
    "gexf": "GEXF",
    "json": "JSON",
    "cypher": "Cypher",
    "html": "HTML page",
    "svg": "SVG",
    "pdf": "PDF",
    "png": "PNG",
}


def panel(current: Scene) -> None:
    """Downloads, then the entities and relations tables with a shared text filter."""
    _downloads(current)
    query = st.text_input(
        "Filter the tables",
        key="data_filter",
        placeholder="Any text: a name, a type, a word of evidence",
    )
    entities, relations = entity_table(current.graph), relation_table(current.graph)
    if (query or "").strip():
        entities, relations = _matching(entities, query), _matching(relations, query)
    label = view_label(state.current(), current)
    for name, table in (("entities", entities), ("relations", relations)):
        title, button = st.columns([3, 1], vertical_alignment="bottom")
        title.markdown(f"**{name.capitalize()}** ({len(table):,})")
        button.download_button(
            "Download table as CSV",
            data=_table_csv(table),
            file_name=suggested_filename(current.graph, "csv", f"{label}_{name}")[:-4] + ".csv",
            mime="text/csv",
            key=f"data_table_{name}",
            on_click="ignore",
            width="stretch",
            icon=":material/table_view:",
            help="For spreadsheets: a cell that could run as a formula starts with '",
        )
        st.dataframe(table, hide_index=True, width="stretch", key=f"data_{name}")


def _table_csv(table: pd.DataFrame) -> Callable[[], bytes]:
    """Makes a table's download: CSV for spreadsheets, defused as OWASP advises."""
    return lambda: table_csv(table)


def table_csv(table: pd.DataFrame) -> bytes:
    """A table as CSV for spreadsheets (:func:`graph.export.spreadsheet_csv`).

    >>> print(table_csv(pd.DataFrame({"name": ["=1+1", "Ann"]})).decode("utf-8-sig"), end="")
    "name"
    "'=1+1"
    "Ann"
    """
    return spreadsheet_csv(list(table.columns), table.itertuples(index=False, name=None))


def entity_table(G: nx.MultiDiGraph) -> pd.DataFrame:
    """One row per entity: id, name, type, aliases, description, date, documents."""
    schema = schema_of(G)
    return pd.DataFrame(
        [
            {
                "id": n,
                "name": d.get("name", n),
                "type": schema.style(d.get("type", "")).label,
                "aliases": " | ".join(d.get("aliases", ())),
                "description": d.get("description", ""),
                "date": d.get("date", ""),
                "documents": " | ".join(d.get("documents", ())),
                "degree": G.degree(n),
            }
            for n, d in G.nodes(data=True)
        ],
        columns=["id", "name", "type", "aliases", "description", "date", "documents", "degree"],
    )


def relation_table(G: nx.MultiDiGraph) -> pd.DataFrame:
    """One row per relation: the sentence, its parts, evidence, documents and date."""
    schema = schema_of(G)
    name = lambda n: entity_name(G, n)  # noqa: E731
    return pd.DataFrame(
        [
            {
                "sentence": schema.sentence(name(u), d.get("relation", ""), name(v)),
                "source": u,
                "relation": d.get("relation", ""),
                "target": v,
                "evidence": d.get("evidence", ""),
                "documents": " | ".join(d.get("documents", ())),
                "date": d.get("date", ""),
            }
            for u, v, d in G.edges(data=True)
        ],
        columns=["sentence", "source", "relation", "target", "evidence", "documents", "date"],
    )


def _matching(table: pd.DataFrame, query: str) -> pd.DataFrame:
    if table.empty:
        return table
    text = table.astype(str).agg(" ".join, axis=1).str.lower()
    return table[text.str.contains(query.strip().lower(), regex=False)]


def view_label(view: View, current: Scene) -> str:
    """Words for a file name saying what the view holds, e.g. ``focus-ncmec-depth-2``."""
    parts = []
    if view.focus:
        parts.append(
            f"focus-{view.focus}-depth-{view.depth}"
            + ("" if view.direction == "both" else f"-{view.direction}")
        )
    if view.has_path():
        parts.append(f"path-{view.path_from}-to-{view.path_to}")
    if view.types:
        parts.append(
            "types-" + "-".join(sorted(view.types)[:3]) + ("-etc" if len(view.types) > 3 else "")
        )
    if view.relations:
        parts.append(
            "relations-"
            + "-".join(sorted(view.relations)[:2])
            + ("-etc" if len(view.relations) > 2 else "")
        )
    if view.documents:
        parts.append(f"{len(view.documents)}-documents")
    if view.date_from or view.date_to:
        parts.append(f"dated-{view.date_from or 'start'}-to-{view.date_to or 'end'}")
    if view.min_degree or view.hide_isolated:
        parts.append(f"min-degree-{max(view.min_degree, 1 if view.hide_isolated else 0)}")
    if current.capped:
        parts.append(f"top-by-{current.capped_by}")
    return "_".join(parts) or "whole-graph"


def _export(current: Scene, view: View, fmt: str) -> Callable[[], bytes]:
    """Makes the download: GraphML, GEXF and the HTML page carry the drawing as on screen."""

    def make() -> bytes:
        look = drawing(current, view) if fmt in POSITIONED_FORMATS else None
        return export_bytes(current.graph, fmt, drawing=look)

    return make


def downloads(current: Scene, view: View) -> list[tuple[str, str, Callable[[], bytes]]]:
    """For each export format: the format, a file name saying what it holds, and a maker."""
    label = view_label(view, current)
    return [
        (fmt, suggested_filename(current.graph, fmt, label), _export(current, view, fmt))
        for fmt in FORMATS
    ]


def _downloads(current: Scene) -> None:
    st.markdown(
        f"**Download what is on screen** ({current.entities:,} entities, "
        f"{current.relations:,} relations)"
    )
    files = downloads(current, state.current())
    for col, (fmt, file_name, make) in zip(st.columns(len(files)), files):
        col.download_button(
            FORMAT_LABELS.get(fmt, fmt),
            data=make,
            file_name=file_name,
            mime=MIME_TYPES[fmt],
            key=f"data_download_{fmt}",
            on_click="ignore",
            width="stretch",
            icon=":material/download:",
            help=file_name,
        )
    handouts.view_button(current, state.current(), view_label(state.current(), current))
