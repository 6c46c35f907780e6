"""Applications in the internal marketplace: the person's own interest and applications, the
owner's applicants and decisions, filling a role internally, and gig approvals (who sees what:
docs/mobility.md)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends

from skillpath.config import Settings
from skillpath.domains.mobility import applications
from skillpath.domains.mobility.application_schemas import (
    ApplicantDecisionIn,
    ApplicantRead,
    FillIn,
    FillResult,
    GigApprovalRead,
    GigDecisionIn,
    InterestIn,
    MyApplication,
    PipelineCount,
    SharedApplication,
)
from skillpath.web.deps import ApiViewer, DbSession, get_settings

router = APIRouter(tags=["applications"])
AppSettings = Annotated[Settings, Depends(get_settings)]
ANSWERS: dict[int | str, dict[str, Any]] = {
    403: {"description": "The caller may see the opportunity but not do this"},
    404: {
        "description": "No such opportunity, person or application, or one the caller may not see"
    },
    409: {"description": "Not possible in the current state (closed, already decided, time cap)"},
    422: {"description": "The request is not valid: each problem names the field and reason"},
}


@router.post(
    "/opportunities/{opportunity_id}/interest",
    response_model=MyApplication,
    summary="Save, dismiss, express interest in, apply to or withdraw from an opportunity",
    responses=ANSWERS,
)
def set_interest(
    session: DbSession, viewer: ApiViewer, opportunity_id: int, body: InterestIn
) -> MyApplication:
    """Always on the caller's own record. `saved`, `interested` and `applied` need an open
    opportunity; `dismissed` ("not interested") hides it from the caller's recommendations;
    applying again changes nothing; `share_with_manager` (interest and applications) lets the
    caller's current manager see it — otherwise they do not. The match score is kept when the
    caller applies."""
    return applications.set_interest(
        session,
        viewer=viewer,
        opportunity_id=opportunity_id,
        status=body.status,
        note=body.note,
        share_with_manager=body.share_with_manager,
    )


@router.get(
    "/me/applications",
    response_model=list[MyApplication],
    summary="The caller's saved, dismissed, interested and applied opportunities",
)
def my_applications(session: DbSession, viewer: ApiViewer) -> list[MyApplication]:
    """Most recently changed first, with each opportunity's title, kind and status, the owner's
    note and the manager's approval of a gig."""
    return applications.my_applications(session, viewer=viewer)


@router.get(
    "/me/team-applications",
    response_model=list[SharedApplication],
    summary="Applications the caller's direct reports shared with them",
)
def team_applications(session: DbSession, viewer: ApiViewer) -> list[SharedApplication]:
    """Only what each person chose to share (`share_with_manager`)."""
    return applications.shared_with_me(session, viewer=viewer)


@router.get(
    "/opportunities/{opportunity_id}/applicants",
    response_model=list[ApplicantRead],
    summary="The people interested in or applying to an opportunity",
    responses=ANSWERS,
)
def list_applicants(
    session: DbSession, viewer: ApiViewer, opportunity_id: int
) -> list[ApplicantRead]:
    """For the owner, the managers above the owner and HR: status, note, applied date and the
    match score at application, earliest first; `seen_as` says why the caller sees them."""
    return applications.applicants(session, viewer=viewer, opportunity_id=opportunity_id)


@router.post(
    "/opportunities/{opportunity_id}/applicants/{employee_id}",
    response_model=ApplicantRead,
    summary="Shortlist, contact, decline or select an applicant",
    responses=ANSWERS,
)
def decide_applicant(
    session: DbSession,
    viewer: ApiViewer,
    settings: AppSettings,
    opportunity_id: int,
    employee_id: int,
    body: ApplicantDecisionIn,
) -> ApplicantRead:
    """Selecting someone for a gig, project, stretch or mentoring offer asks their current
    manager's approval and is refused (409) above the cap on the share of time in gigs."""
    return applications.decide_applicant(
        session,
        viewer=viewer,
        opportunity_id=opportunity_id,
        employee_id=employee_id,
        status=body.status,
        note=body.note,
        gig_time_cap=settings.gig_time_cap,
    )


@router.post(
    "/opportunities/{opportunity_id}/fill",
    response_model=FillResult,
    summary="Fill a role internally: record the move and the time-to-fill",
    responses=ANSWERS,
)
def fill_internally(
    session: DbSession, viewer: ApiViewer, opportunity_id: int, body: FillIn
) -> FillResult:
    """With an applicant (HR: anyone). Records the move in the person's history, gives them the
    role, fills the opening and declines the other open applicants."""
    return applications.fill_internally(
        session,
        viewer=viewer,
        opportunity_id=opportunity_id,
        employee_id=body.employee_id,
        on=body.on,
    )


@router.get(
    "/gig-approvals",
    response_model=list[GigApprovalRead],
    summary="Gig selections waiting for the caller's approval",
)
def gig_approvals(
    session: DbSession, viewer: ApiViewer, settings: AppSettings
) -> list[GigApprovalRead]:
    """Of the caller's direct reports (HR: everyone's), oldest first, with each person's current
    share of time in gigs and the cap."""
    return applications.gig_approvals(session, viewer=viewer, gig_time_cap=settings.gig_time_cap)


@router.post(
    "/gig-approvals/{interest_id}",
    response_model=GigApprovalRead,
    summary="Approve or refuse a person joining a gig",
    responses=ANSWERS,
)
def decide_gig(
    session: DbSession,
    viewer: ApiViewer,
    settings: AppSettings,
    interest_id: int,
    body: GigDecisionIn,
) -> GigApprovalRead:
    """By the person's current manager or HR; a refusal needs a note."""
    return applications.decide_gig(
        session,
        viewer=viewer,
        interest_id=interest_id,
        approve=body.approve,
        note=body.note,
        gig_time_cap=settings.gig_time_cap,
    )


@router.get(
    "/applications/summary",
    response_model=list[PipelineCount],
    summary="Marketplace totals by kind and status (HR and executives; no names)",
    responses=ANSWERS,
)
def pipeline_summary(session: DbSession, viewer: ApiViewer) -> list[PipelineCount]:
    """Counts of interests and applications of each status per kind of opportunity."""
    return applications.pipeline_summary(session, viewer=viewer)
