"""A knowledge graph of the technology-and-human-trafficking ecosystem.

A pure library: reading and validating a CSV dataset (:mod:`graph.load`), questions about the
graph (:mod:`graph.query`, :mod:`graph.analytics`), exports (:mod:`graph.export`) and drawing
data for vis-network (:mod:`graph.layout`, :mod:`graph.vis`, :mod:`graph.page`). The CLI
(:mod:`graph.cli`) and the Streamlit app are thin layers over it. Nothing here imports Streamlit.
"""
