"""Small text rules shared by every front end: clipping, and which links are safe to follow.

>>> clip("International Justice Mission", 14)
'International…'
>>> safe_url("javascript:alert(1)"), safe_url("https://example.org/a")
('', 'https://example.org/a')
"""

from __future__ import annotations

import re

URL_PATTERN = re.compile(r"^https?://[^\s<>\"']+$", re.IGNORECASE)
"""The only links made clickable: plain http(s) addresses (never ``javascript:`` and the like)."""


def clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis."""
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def safe_url(url: object) -> str:
    """``url`` if it is a plain http(s) address, else an empty string."""
    text = str(url or "").strip()
    return text if URL_PATTERN.match(text) else ""
