"""The exceptions this library raises: one base class, a few names users can catch.

The CLI and the app each turn a :class:`GraphError` into a message in one place; anything else
is a bug and is allowed to show its traceback.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol


class GraphError(Exception):
    """Base class of every error caused by data or by a user's request."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or worth a warning) in a dataset, located by file and line.

    >>> print(Problem("entities.csv", 4, "duplicate id 'ncmec' (first on line 2)", column="id"))
    entities.csv:4: duplicate id 'ncmec' (first on line 2)
    """

    file: str
    line: int | None
    message: str
    column: str | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        return f"{where}: {self.message}"


class Collector(Protocol):
    """Where the loader's checks report what they find: errors stop a load, warnings do not."""

    def error(
        self, file: str, line: int | None, message: str, column: str | None = None
    ) -> None: ...

    def warn(
        self, file: str, line: int | None, message: str, column: str | None = None
    ) -> None: ...


class DataError(GraphError):
    """A dataset that cannot be loaded; carries every problem found in one pass."""

    def __init__(self, problems: Sequence[Problem], more: int = 0):
        self.problems = list(problems)
        self.more = more
        lines = [str(p) for p in self.problems]
        if more:
            lines.append(f"... and {more} more problems")
        count = len(self.problems) + more
        super().__init__(
            f"{count} problem{'s' if count != 1 else ''} in the data:\n" + "\n".join(lines)
        )


class EntityNotFound(GraphError):
    """Text that names no entity; ``suggestions`` holds the closest names."""

    def __init__(self, text: str, suggestions: Sequence[str] = ()):
        self.text = text
        self.suggestions = list(suggestions)
        hint = f" Did you mean: {', '.join(self.suggestions)}?" if self.suggestions else ""
        super().__init__(f"No entity matches {text!r}.{hint}")


class AmbiguousEntity(GraphError):
    """Text that names several entities; ``candidates`` holds their ids."""

    def __init__(self, text: str, candidates: Sequence[str]):
        self.text = text
        self.candidates = list(candidates)
        super().__init__(
            f"{text!r} could mean any of: {', '.join(self.candidates)}. Use an id to choose one."
        )


class UsageError(GraphError):
    """A request that does not make sense (an unknown option value, a bad range)."""


class ExportError(GraphError):
    """An export that could not be written (a full disk, a read-only folder); nothing was left
    half-written."""
