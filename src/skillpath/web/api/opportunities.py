"""The internal marketplace: opportunities, explained matches for a person, ranked internal
candidates for an opportunity, and the published formula."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, status

from skillpath.domains.mobility import service
from skillpath.domains.mobility.schemas import Formula, MatchRead, OpportunityIn, OpportunityRead
from skillpath.web.api.common import Limit, Offset, Page
from skillpath.web.deps import ApiViewer, DbSession

router = APIRouter(tags=["opportunities"])
ANSWERS: dict[int | str, dict[str, Any]] = {
    403: {"description": "The caller may see it but not do this"},
    404: {"description": "No such opportunity or person, or one the caller may not see"},
    409: {"description": "The opportunity is not in a state that allows this"},
    422: {"description": "The request is not valid: each problem names the field and reason"},
}
MatchLimit = Annotated[int, Query(ge=1, le=100, description="How many matches (1–100)")]


@router.get("/opportunities/formula", response_model=Formula, summary="The match formula")
def read_formula() -> Formula:
    """The published weights and parts of every match score."""
    return service.formula()


@router.get(
    "/opportunities",
    response_model=Page[OpportunityRead],
    summary="Opportunities (open ones by default)",
    responses=ANSWERS,
)
def list_opportunities(
    session: DbSession,
    viewer: ApiViewer,
    limit: Limit = 50,
    offset: Offset = 0,
    status_: Annotated[
        str, Query(alias="status", description="open (default), draft, filled, closed or all")
    ] = "open",
    kind: Annotated[str | None, Query(description="role, gig, project, stretch, mentoring")] = None,
    q: Annotated[str | None, Query(max_length=200, description="Words in the title")] = None,
    mine: Annotated[bool, Query(description="Only those you or your reports own")] = False,
) -> Page[OpportunityRead]:
    """Newest first."""
    items, total = service.list_opportunities(
        session,
        viewer=viewer,
        status=status_,
        kind=kind,
        q=q,
        mine=mine,
        limit=limit,
        offset=offset,
    )
    return Page[OpportunityRead](items=items, total=total, limit=limit, offset=offset)


@router.post(
    "/opportunities",
    response_model=OpportunityRead,
    status_code=status.HTTP_201_CREATED,
    summary="Post an opportunity (managers and HR)",
    responses=ANSWERS,
)
def create_opportunity(
    session: DbSession, viewer: ApiViewer, body: OpportunityIn
) -> OpportunityRead:
    """A role (from a role or an open opening: its skills default to the role's profile), a gig,
    project, stretch assignment or mentoring offer (with `skills`). A draft unless `publish`;
    publishing notifies the people it matches very highly."""
    return service.create_opportunity(session, viewer=viewer, data=body)


@router.get(
    "/opportunities/{opportunity_id}",
    response_model=OpportunityRead,
    summary="One opportunity",
    responses=ANSWERS,
)
def read_opportunity(session: DbSession, viewer: ApiViewer, opportunity_id: int) -> OpportunityRead:
    """Drafts and closed ones only for their owner, the owner's managers and HR."""
    return service.get_opportunity(session, viewer=viewer, opportunity_id=opportunity_id)


@router.post(
    "/opportunities/{opportunity_id}/publish",
    response_model=OpportunityRead,
    summary="Open a draft",
    responses=ANSWERS,
)
def publish_opportunity(
    session: DbSession, viewer: ApiViewer, opportunity_id: int
) -> OpportunityRead:
    """draft → open; people matching very highly (score ≥ 0.80) are notified in the app."""
    return service.publish_opportunity(session, viewer=viewer, opportunity_id=opportunity_id)


@router.post(
    "/opportunities/{opportunity_id}/close",
    response_model=OpportunityRead,
    summary="Close without filling",
    responses=ANSWERS,
)
def close_opportunity(
    session: DbSession, viewer: ApiViewer, opportunity_id: int
) -> OpportunityRead:
    """draft or open → closed."""
    return service.close_opportunity(session, viewer=viewer, opportunity_id=opportunity_id)


@router.get(
    "/opportunities/{opportunity_id}/candidates",
    response_model=list[MatchRead],
    summary="Ranked internal candidates, explained",
    responses=ANSWERS,
)
def read_candidates(
    session: DbSession, viewer: ApiViewer, opportunity_id: int, limit: MatchLimit = 20
) -> list[MatchRead]:
    """Everyone employed (except its owner and, for a role, the people already in it), ranked by
    score; each with `subscores` (score = Σ `weights` × sub-score), `matching_skills`,
    `missing_skills` (level shortfall and what reaching the target adds), `raise_score` and
    `months_to_ready` (the optimal learning path at 2 h/week). For the owner, their managers and
    HR."""
    return service.candidates(session, viewer=viewer, opportunity_id=opportunity_id, limit=limit)


@router.get(
    "/employees/{employee_id}/opportunities",
    response_model=list[MatchRead],
    summary="The opportunities that fit a person best, explained",
    responses=ANSWERS,
)
def read_recommendations(
    session: DbSession,
    viewer: ApiViewer,
    employee_id: int,
    limit: MatchLimit = 10,
    kind: Annotated[str | None, Query(description="Only this kind")] = None,
) -> list[MatchRead]:
    """Open opportunities ranked by score, without those marked "not interested", the person's
    own and their current role. The person and HR only."""
    return service.recommendations(
        session, viewer=viewer, employee_id=employee_id, limit=limit, kind=kind
    )
