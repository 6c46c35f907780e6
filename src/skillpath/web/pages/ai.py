"""Skill suggestions made from text: the review queue (bulk accept/reject), tagging roles and the
catalog, and the suggestions shown inline on role, catalog item and profile pages."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from skillpath.config import Settings
from skillpath.core.errors import InvalidInputError, Problem
from skillpath.domains.ai import service
from skillpath.domains.ai.models import SUGGESTION_STATUSES, TARGET_KINDS
from skillpath.web.deps import CsrfChecked, DbSession, PageUser, get_settings
from skillpath.web.i18n import N_
from skillpath.web.pages.common import PAGE_SIZE, choice, offset_of, pager, viewer_of
from skillpath.web.templating import render

router = APIRouter()
AppSettings = Annotated[Settings, Depends(get_settings)]
OptionalText = Annotated[str | None, Query(max_length=40)]
MAX_TEXT = service.MAX_DOCUMENT_BYTES
DONE_MESSAGES = {
    "accepted": N_("The accepted suggestions are now part of the profile."),
    "rejected": N_("The rejected suggestions will not be made again."),
    "tagged": N_("New suggestions are waiting for review below."),
}
TEXT_KIND_LABELS = {
    "cv": N_("CV"),
    "profile": N_("Profile"),
    "project": N_("Project write-up"),
    "review": N_("Review"),
}


def _safe_next(target: str) -> str:
    """Only same-site paths are followed after a form."""
    return target if target.startswith("/") and not target.startswith("//") else "/suggestions"


def _with_done(target: str, done: str) -> str:
    """A path with `done=` added to its query (before any fragment)."""
    path, _, fragment = target.partition("#")
    joiner = "&" if "?" in path else "?"
    return f"{path}{joiner}{urlencode({'done': done})}" + (f"#{fragment}" if fragment else "")


@router.get("/suggestions")
def queue(
    request: Request,
    session: DbSession,
    user: PageUser,
    status: OptionalText = "suggested",
    kind: OptionalText = None,
    offset: OptionalText = None,
    done: OptionalText = None,
) -> Response:
    """The review queue: suggestions the user may decide, surest first, with their spans."""
    viewer = viewer_of(user)
    chosen_status = choice(status or None, SUGGESTION_STATUSES, "status")
    chosen_kind = choice(kind or None, TARGET_KINDS, "kind")
    start = offset_of(offset)
    items, total = service.review_queue(
        session,
        viewer=viewer,
        status=chosen_status,
        kind=chosen_kind,
        limit=PAGE_SIZE,
        offset=start,
    )
    context = {
        "suggestions": items,
        "total": total,
        "pager": pager(request, total=total, limit=PAGE_SIZE, offset=start),
        "status": chosen_status or "",
        "kind": chosen_kind or "",
        "statuses": SUGGESTION_STATUSES,
        "kinds": TARGET_KINDS,
        "can_tag": viewer.can_administer,
        "done": DONE_MESSAGES.get(done or ""),
        "next": str(request.url.path) + (f"?{request.url.query}" if request.url.query else ""),
    }
    return render(request, "ai/queue.html", context, user=user)


def _ids(values: list[str]) -> list[int]:
    """Suggestion ids from checkboxes; anything else is refused."""
    try:
        ids = [int(value) for value in values]
    except ValueError:
        raise InvalidInputError(
            N_("Some of the values sent are not valid."),
            [Problem(N_("must be a whole number"), column="ids")],
        ) from None
    if not ids:
        raise InvalidInputError(
            N_("Choose at least one suggestion."), [Problem(N_("none chosen"), column="ids")]
        )
    return ids


@router.post("/suggestions/decide", dependencies=[CsrfChecked])
def decide(
    session: DbSession,
    user: PageUser,
    decision: Annotated[str, Form(max_length=10)],
    ids: Annotated[list[str], Form()] = [],  # noqa: B006 (FastAPI reads the default)
    next: Annotated[str, Form(max_length=500)] = "/suggestions",
) -> Response:
    """Accept or reject the chosen suggestions, then go back where the form was."""
    chosen = choice(decision, ("accept", "reject"), "decision")
    service.decide(
        session, viewer=viewer_of(user), suggestion_ids=_ids(ids), accept=chosen == "accept"
    )
    done = "accepted" if chosen == "accept" else "rejected"
    return RedirectResponse(_with_done(_safe_next(next), done), status_code=303)


@router.post("/suggestions/tag", dependencies=[CsrfChecked])
def tag(
    session: DbSession,
    user: PageUser,
    settings: AppSettings,
    what: Annotated[str, Form(max_length=10)],
    target_id: Annotated[int | None, Form(ge=1)] = None,
    next: Annotated[str, Form(max_length=500)] = "/suggestions",
) -> Response:
    """Read role or catalog descriptions (one, or all) and store suggestions for review."""
    chosen = choice(what, ("catalog", "roles", "role", "item"), "what")
    viewer = viewer_of(user)
    options = {
        "viewer": viewer,
        "source": None,
        "cache_dir": settings.cache_dir,
        "use_embeddings": settings.ai_embeddings,
    }
    if chosen in ("role", "roles"):
        role_ids = [target_id] if chosen == "role" and target_id else None
        service.suggest_for_roles(session, role_ids=role_ids, **options)  # type: ignore[arg-type]
    else:
        item_ids = [target_id] if chosen == "item" and target_id else None
        service.suggest_for_items(session, item_ids=item_ids, **options)  # type: ignore[arg-type]
    return RedirectResponse(_with_done(_safe_next(next), "tagged"), status_code=303)


@router.post("/people/{employee_id}/skill-suggestions", dependencies=[CsrfChecked])
def suggest_for_person(
    session: DbSession,
    user: PageUser,
    settings: AppSettings,
    employee_id: int,
    text: Annotated[str, Form(max_length=MAX_TEXT)],
    text_kind: Annotated[str, Form(max_length=10)] = "cv",
) -> Response:
    """Read a text about a person and store skill suggestions for them to review."""
    service.suggest_for_employee(
        session,
        viewer=viewer_of(user),
        employee_id=employee_id,
        text=text,
        text_kind=text_kind,
        source=None,
        cache_dir=settings.cache_dir,
        use_embeddings=settings.ai_embeddings,
    )
    target = _with_done(f"/people/{employee_id}", "tagged") + "#skill-suggestions"
    return RedirectResponse(target, status_code=303)


@router.get("/suggestions/inline/{kind}/{target_id}")
def inline(
    request: Request,
    session: DbSession,
    user: PageUser,
    kind: str,
    target_id: int,
) -> Response:
    """The pending suggestions of a role, item or person, as a fragment for their page."""
    chosen = choice(kind, TARGET_KINDS, "kind")
    assert chosen is not None
    viewer = viewer_of(user)
    items = service.suggestions_for(session, viewer=viewer, kind=chosen, target_id=target_id)
    can_read = viewer.can_administer if chosen != "employee" else True
    back = {"role": f"/roles/{target_id}", "item": f"/catalog/{target_id}"}.get(
        chosen, f"/people/{target_id}"
    )
    context = {
        "suggestions": items,
        "kind": chosen,
        "target_id": target_id,
        "can_read": can_read,
        "next": back + "#skill-suggestions",
        "text_kinds": TEXT_KIND_LABELS,
    }
    return render(request, "ai/_inline.html", context, user=user)
