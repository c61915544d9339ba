"""The Streamlit screens of the explorer: widgets arranged around one call into :mod:`graph`.

``app.py`` reads like a description of the page and calls these modules; they hold no graph
logic of their own beyond choosing what to draw (:mod:`ui.scene`).
"""
