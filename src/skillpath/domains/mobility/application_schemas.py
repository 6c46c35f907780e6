"""What the application pages and API send and read: interests and applications, applicants,
decisions, internal fills and gig approvals (docs/mobility.md)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from skillpath.domains.people.schemas import PersonRef

MAX_NOTE = 2000

PersonStatus = Literal["saved", "dismissed", "interested", "applied", "withdrawn"]
OwnerStatus = Literal["shortlisted", "contacted", "declined", "selected"]
SeenAs = Literal["self", "owner", "owner_line", "hr", "manager", "approver"]


class InterestIn(BaseModel):
    """The person's own step: save, not interested, interested, apply or withdraw."""

    status: PersonStatus
    note: str = Field(default="", max_length=MAX_NOTE)
    share_with_manager: bool | None = Field(
        default=None,
        description="Tell the current manager (interest and applications only); "
        "omitted: unchanged (not shared for a new one)",
    )


class ApplicantDecisionIn(BaseModel):
    """The owner's step on an applicant."""

    status: OwnerStatus
    note: str = Field(default="", max_length=MAX_NOTE)


class FillIn(BaseModel):
    """Who fills a role internally, and on which day they move."""

    employee_id: int
    on: date


class GigDecisionIn(BaseModel):
    """The current manager's (or HR's) decision on joining a gig; a refusal says why."""

    approve: bool
    note: str = Field(default="", max_length=MAX_NOTE)


class OpportunityRef(BaseModel):
    """An opportunity as a list of applications names it."""

    id: int
    title: str
    kind: str
    status: str
    time_share: float
    starts_on: date | None
    duration_weeks: int | None


class MyApplication(BaseModel):
    """One of the person's own interests or applications, as they see it."""

    id: int
    opportunity: OpportunityRef
    status: str
    note: str
    shared_with_manager: bool
    score: float | None
    applied_at: datetime | None
    owner_note: str
    approval: str | None
    approval_note: str
    updated_at: datetime


class ApplicantRead(BaseModel):
    """An applicant (or an interested person) as the owner's side sees them; `seen_as` says
    why the viewer may see it."""

    interest_id: int
    opportunity_id: int
    employee: PersonRef
    status: str
    note: str
    applied_at: datetime | None
    score: float | None
    shared_with_manager: bool
    owner_note: str
    approval: str | None
    approval_note: str
    seen_as: SeenAs


class SharedApplication(BaseModel):
    """An interest or application a direct report chose to share with their manager."""

    interest_id: int
    employee: PersonRef
    opportunity: OpportunityRef
    status: str
    note: str
    applied_at: datetime | None


class FillResult(BaseModel):
    """A role filled internally: the move recorded and the time it took."""

    opportunity_id: int
    employee_id: int
    move_id: int
    move_kind: str
    from_role_id: int | None
    to_role_id: int
    opening_id: int | None
    filled_on: date
    time_to_fill_days: int
    declined: int = Field(description="How many other open applicants were declined")


class GigApprovalRead(BaseModel):
    """A selection for a gig, project, stretch or mentoring offer and the manager's approval,
    with the person's share of time already in approved gigs and the cap."""

    interest_id: int
    employee: PersonRef
    opportunity: OpportunityRef
    approval: str | None
    approval_note: str
    current_share: float
    cap: float


class PipelineCount(BaseModel):
    """How many interests of one status exist for opportunities of one kind (no names)."""

    kind: str
    status: str
    count: int
