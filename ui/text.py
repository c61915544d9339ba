"""Showing untrusted text from a dataset safely in Streamlit.

Names, aliases, descriptions and quotes come from CSV files anyone can write. They are shown
with ``st.text``, in dataframes, or in Markdown after :func:`md` has escaped every character
Markdown (and Streamlit's extensions: colours, emoji, maths) would interpret. Nothing from the
data is ever passed with ``unsafe_allow_html``.

>>> md("<script>alert(1)</script>")
'\\\\<script\\\\>alert\\\\(1\\\\)\\\\</script\\\\>'
>>> safe_url("javascript:alert(1)"), safe_url("https://example.org/a")
('', 'https://example.org/a')
"""

from __future__ import annotations

import re

from graph.text import clip, safe_url

__all__ = ["md", "safe_url", "doc_line", "clip"]

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&=\"'])")


def md(text: object) -> str:
    """``text`` escaped for Markdown: every special character backslashed, lines joined."""
    flat = " ".join(str(text if text is not None else "").split())
    return _MARKDOWN_SPECIAL.sub(r"\\\1", flat)


def doc_line(doc: dict) -> str:
    """A document as escaped Markdown: linked title (http/https only) and publisher."""
    title = md(doc.get("title") or doc.get("id", ""))
    url = safe_url(doc.get("url"))
    line = f"[{title}](<{url}>)" if url else title
    if doc.get("publisher"):
        line += f" — {md(doc['publisher'])}"
    return line
