"""The micro-mentoring finder: who can help me with a skill this week (any signed-in person with
an employee record; helpers are micro-mentors who offered the skill)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, status
from pydantic import BaseModel, Field

from skillpath.domains.mentoring import micro_service
from skillpath.domains.mentoring.micro_schemas import HelpFinder
from skillpath.domains.mentoring.schemas import MatchRead
from skillpath.web.deps import ApiViewer, DbSession

router = APIRouter(prefix="/mentoring", tags=["mentoring"])
ANSWERS: dict[int | str, dict[str, Any]] = {
    403: {"description": "The caller has no employee record"},
    404: {"description": "No such skill"},
    422: {"description": "The request is not valid: each problem names the field and reason"},
}


@router.get(
    "/help",
    response_model=HelpFinder,
    summary="Who can help me with a skill this week",
    responses=ANSWERS,
)
def find_help(
    session: DbSession,
    viewer: ApiViewer,
    skill_id: Annotated[int, Query(description="The skill you need help with")],
    limit: Annotated[
        int, Query(ge=1, le=micro_service.MAX_HELPERS, description="How many helpers")
    ] = 10,
) -> HelpFinder:
    """Micro-mentors of running micro-mentoring programs who offer the skill, best first:
    score = 0.50·g(their level − yours) + 0.25·min(1, free hours this week / 2) + 0.10·shared
    language + 0.15·max(0, 1 − |Δ UTC hours| / 8), with g the diminishing returns of the mentor
    matching. Only helpers above your level with an hour free this week, outside your reporting
    line; each with the parts of the score and the reasons."""
    return micro_service.find_helpers(session, viewer=viewer, skill_id=skill_id, limit=limit)


class SessionRequest(BaseModel):
    """Ask a helper the finder shows for a short session on one skill."""

    helper_id: int
    skill_id: int
    on: date | None = Field(default=None, description="The day (default today; within 4 weeks)")
    note: str = Field(default="", max_length=300, description="What you need help with")


@router.post(
    "/help/sessions",
    response_model=MatchRead,
    status_code=status.HTTP_201_CREATED,
    summary="Ask a helper for a micro-mentoring session",
    responses={**ANSWERS, 409: {"description": "The helper cannot help with this skill now"}},
)
def book_session(session: DbSession, viewer: ApiViewer, body: SessionRequest) -> MatchRead:
    """A proposed micro-mentoring match: you have accepted; the helper accepts or declines
    (`POST /api/v1/mentoring/matches/{id}/answer`). Only a helper the finder shows you today."""
    return micro_service.book_session(
        session,
        viewer=viewer,
        helper_id=body.helper_id,
        skill_id=body.skill_id,
        on=body.on,
        note=body.note,
    )
