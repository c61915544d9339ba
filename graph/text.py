"""Small text rules shared by every front end: clipping, and which links are safe to follow.

>>> clip("International Justice Mission", 14)
'International…'
>>> safe_url("javascript:alert(1)"), safe_url("https://example.org/a")
('', 'https://example.org/a')
"""

from __future__ import annotations

import re
from urllib.parse import quote

URL_PATTERN = re.compile(r"^https?://[^\s\x00-\x1f\x7f]+$", re.IGNORECASE)
"""The only links made clickable: http(s) addresses (never ``javascript:`` and the like)."""
URL_SAFE = "/:?#[]@!$&()*+,;=%~-._"
"""Characters a link keeps as they are; others (``<``, ``>``, quotes, non-ASCII) are escaped."""


def clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def safe_url(url: object) -> str:
    """``url`` if it is an http(s) address, with ``<``, ``>``, quotes and other characters a
    link must not hold percent-encoded; else an empty string.

    >>> safe_url("https://example.org/a?b=<c>&d=1"), safe_url("https://x.org/a b")
    ('https://example.org/a?b=%3Cc%3E&d=1', '')
    """
    text = str(url or "").strip()
    return quote(text, safe=URL_SAFE) if URL_PATTERN.match(text) else ""
