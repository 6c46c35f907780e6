"""The audit log for HR administrators: logins, imports and changes to personal data."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from skillpath.domains.identity import service as identity
from skillpath.web.deps import DbSession, PageUser
from skillpath.web.pages.common import PAGE_SIZE, choice, offset_of, pager, require_hr
from skillpath.web.templating import render

router = APIRouter()


@router.get("/audit")
def audit_log(
    request: Request,
    session: DbSession,
    user: PageUser,
    action: Annotated[str | None, Query(max_length=60)] = None,
    offset: Annotated[str | None, Query(max_length=20)] = None,
) -> Response:
    """The newest events first, optionally of one kind of action."""
    require_hr(user)
    actions = identity.audit_actions(session)
    chosen = choice(action, actions, "action")
    start = offset_of(offset)
    events, total = identity.audit_events(session, action=chosen, limit=PAGE_SIZE, offset=start)
    context = {
        "events": events,
        "actions": actions,
        "chosen": chosen,
        "pager": pager(request, total=total, limit=PAGE_SIZE, offset=start),
    }
    return render(request, "audit/index.html", context, user=user)
