"""The one error tree of Skillpath; edges map each class to an HTTP status or an exit code."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


class SkillpathError(Exception):
    """Base class of every expected failure; never a 500 and never a stack trace for users."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFoundError(SkillpathError):
    """The thing asked for does not exist, or the viewer may not know that it exists."""


class ConflictError(SkillpathError):
    """The request clashes with the current state (duplicate, wrong lifecycle state)."""


class ForbiddenError(SkillpathError):
    """The viewer is known but may not do this."""


class UnauthorizedError(SkillpathError):
    """The caller did not prove who they are (no or bad credentials)."""


class ThrottledError(SkillpathError):
    """Too many attempts in a short time; try again later."""

    def __init__(self, message: str, retry_after_seconds: int) -> None:
        super().__init__(message)
        self.retry_after_seconds = retry_after_seconds


@dataclass(frozen=True)
class Problem:
    """One reason an input was refused, located as precisely as the input allows."""

    reason: str
    file: str | None = None
    row: int | None = None
    column: str | None = None
    value: str | None = None

    def describe(self) -> str:
        """Render as `file:row: column: reason (value)` leaving out what is unknown."""
        where = []
        if self.file:
            where.append(self.file)
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column!r}")
        prefix = ", ".join(where)
        shown = f" (got {self.value!r})" if self.value not in (None, "") else ""
        return f"{prefix}: {self.reason}{shown}" if prefix else f"{self.reason}{shown}"


class InvalidInputError(SkillpathError):
    """The input is wrong; carries every problem found so the user can fix them all at once."""

    def __init__(self, message: str, problems: Sequence[Problem] = ()) -> None:
        super().__init__(message)
        self.problems: list[Problem] = list(problems)

    def describe(self, limit: int = 50) -> str:
        """A human-readable multi-line report of the first `limit` problems."""
        lines = [self.message]
        for problem in self.problems[:limit]:
            lines.append(f"  - {problem.describe()}")
        hidden = len(self.problems) - limit
        if hidden > 0:
            lines.append(f"  … and {hidden} more problem(s)")
        return "\n".join(lines)
