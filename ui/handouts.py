"""Handout (PDF) download buttons: one for a guided tour, one for the view on screen.

The PDF (:mod:`graph.handout`) is made only when the button is clicked; its file name says
what it holds.
"""

from __future__ import annotations

import io
from collections.abc import Callable

import networkx as nx
import streamlit as st

from graph.export import suggested_filename
from graph.handout import tour_handout, view_handout
from graph.tours import Tour
from graph.view import View
from ui.scene import Scene, drawing

PDF = "application/pdf"


def tour_pdf(G: nx.MultiDiGraph, tour: Tour) -> Callable[[], bytes]:
    """Makes a tour's handout (A4) when called."""

    def make() -> bytes:
        out = io.BytesIO()
        tour_handout(G, tour, out)
        return out.getvalue()

    return make


def view_pdf(current: Scene, view: View) -> Callable[[], bytes]:
    """Makes the handout of the view on screen (A4), from the drawing the app already made."""

    def make() -> bytes:
        out = io.BytesIO()
        view_handout(current.graph, view, out, drawn=current, look=drawing(current, view))
        return out.getvalue()

    return make


def tour_button(G: nx.MultiDiGraph, tour: Tour, key: str) -> None:
    """A "Handout (PDF)" download of ``tour``: a cover and a page per step."""
    st.download_button(
        "Handout (PDF)",
        data=tour_pdf(G, tour),
        file_name=f"{tour.id}_handout.pdf",
        mime=PDF,
        key=f"{key}_handout_{tour.id}",
        on_click="ignore",
        icon=":material/print:",
        help="A cover and one page per step: its drawing, narration and quotes (A4)",
    )


def view_button(current: Scene, view: View, label: str) -> None:
    """A "Handout (PDF)" download of the view on screen: its drawing and every relation it
    shows with its quotes."""
    file_name = suggested_filename(current.graph, "pdf", f"{label}_handout")
    st.download_button(
        "Handout (PDF)",
        data=view_pdf(current, view),
        file_name=file_name,
        mime=PDF,
        key="data_handout",
        on_click="ignore",
        icon=":material/print:",
        help=f"{file_name}: the drawing and each relation with its quotes (A4)",
    )
