"""Where the five source texts are: they are not shipped (others' words)."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def sources_folder() -> Path:
    """``$KG_SOURCES``, else ``../shared/sources`` beside the repository, else the workspace's
    ``/work/shared/sources`` (a clone made elsewhere)."""
    candidates = [Path(p) for p in [os.environ.get("KG_SOURCES", "")] if p]
    candidates += [ROOT.parent / "shared" / "sources", Path("/work/shared/sources")]
    return next((c for c in candidates if c.is_dir()), candidates[0])


SOURCES = sources_folder()
