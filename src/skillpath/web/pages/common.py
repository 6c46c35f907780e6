"""Shared pieces of the HTML routes: lenient form values, pagination links, HTMX fragments."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from fastapi import Request

from skillpath.core.errors import ForbiddenError, InvalidInputError, Problem
from skillpath.domains.identity import service as identity
from skillpath.domains.identity.models import User
from skillpath.domains.identity.visibility import Viewer
from skillpath.web.i18n import N_

PAGE_SIZE = 50
MAX_OFFSET = 10_000_000
NOT_VALID = N_("Some of the values sent are not valid.")


@dataclass(frozen=True)
class Pager:
    """Where a page of results sits in the whole list, with links to its neighbours."""

    total: int
    limit: int
    offset: int
    previous_url: str | None
    next_url: str | None

    @property
    def first(self) -> int:
        """The 1-based position of the first row shown (0 when nothing is shown)."""
        return 0 if self.total == 0 else self.offset + 1

    @property
    def last(self) -> int:
        """The 1-based position of the last row shown."""
        return min(self.offset + self.limit, self.total)


def pager(request: Request, *, total: int, limit: int, offset: int) -> Pager:
    """A pager whose links keep every other query parameter of the current URL."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "offset" and v != ""]

    def link(new_offset: int) -> str:
        query = urlencode([*params, ("offset", str(new_offset))] if new_offset else params)
        return f"{request.url.path}?{query}" if query else request.url.path

    previous_url = link(max(0, offset - limit)) if offset > 0 else None
    next_url = link(offset + limit) if offset + limit < total else None
    return Pager(total, limit, offset, previous_url, next_url)


def optional_int(value: str | None, field: str) -> int | None:
    """An id or number from a form field, where an empty value means "any"."""
    if value is None or value.strip() == "":
        return None
    try:
        number = int(value.strip())
    except ValueError:
        raise _refused(N_("must be a whole number"), field, value) from None
    if number < 0:
        raise _refused(N_("must not be negative"), field, value)
    return number


def _refused(reason: str, field: str, value: str) -> InvalidInputError:
    """The error of one refused form value (its reason is translated where it is shown)."""
    return InvalidInputError(NOT_VALID, [Problem(reason, column=field, value=value)])


def offset_of(value: str | None) -> int:
    """The row offset of a page (0 when absent)."""
    number = optional_int(value, "offset") or 0
    return min(number, MAX_OFFSET)


def optional_bool(value: str | None, field: str) -> bool | None:
    """A yes/no filter from a form field, where an empty value means "either"."""
    if value is None or value.strip() == "":
        return None
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise _refused(N_("must be yes or no"), field, value)


def choice(value: str | None, allowed: tuple[str, ...] | list[str], field: str) -> str | None:
    """A value from a fixed list, where an empty value means "any"."""
    if value is None or value == "":
        return None
    if value not in allowed:
        raise _refused(N_("is not one of the choices offered"), field, value)
    return value


def text(value: str | None, limit: int = 200) -> str | None:
    """A free-text filter, trimmed and bounded; empty means none."""
    if value is None:
        return None
    trimmed = value.strip()[:limit]
    return trimmed or None


def wants_fragment(request: Request, target: str) -> bool:
    """Whether HTMX asked for just the results fragment `#target` (a live search), rather than
    the whole page (a normal visit, or HTMX restoring history)."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-Target") == target
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def viewer_of(user: User) -> Viewer:
    """The visibility identity of the logged-in user."""
    return identity.viewer_for(user)


def require_hr(user: User) -> Viewer:
    """The viewer, if they are an HR administrator; otherwise ForbiddenError."""
    viewer = viewer_of(user)
    if not viewer.can_administer:
        raise ForbiddenError("Only HR administrators can see this page.")
    return viewer
