"""Skills profiles, evidence, intents and the validation queue (docs/capture.md).

Who may read: the visibility rule (yourself, your reporting line; HR and executives everyone);
anyone else gets 404, as if the person did not exist. Who may write, and as which source,
follows from who calls: see `POST /employees/{id}/evidence`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, status

from skillpath.domains.evidence import capture, profile_reads
from skillpath.domains.evidence.profile_schemas import (
    BulkApprove,
    EmployeeProfile,
    EvidenceCreate,
    EvidenceCreated,
    IntentRead,
    IntentUpdate,
    ProfileSkill,
    Teammate,
    ValidationDecision,
    ValidationRead,
)
from skillpath.domains.evidence.schemas import EvidenceRead
from skillpath.web.api.common import Limit, Offset, Page
from skillpath.web.deps import ApiViewer, DbSession, client_ip
from skillpath.web.scales import OrgScale

router = APIRouter()
NOT_VISIBLE: dict[int | str, dict[str, Any]] = {
    404: {"description": "No such person, or one the caller may not see"}
}
REFUSED: dict[int | str, dict[str, Any]] = {
    403: {"description": "The caller may see the person but not write this"},
    404: {"description": "No such person (or one the caller may not see), skill or item"},
    409: {"description": "The person has left"},
    422: {"description": "A value is missing, out of range or not allowed for this source"},
}


@router.get(
    "/employees/{employee_id}/profile",
    tags=["profiles"],
    response_model=EmployeeProfile,
    summary="Read a consolidated skills profile",
    responses=NOT_VISIBLE,
)
def read_profile(
    session: DbSession, viewer: ApiViewer, scale: OrgScale, employee_id: int
) -> EmployeeProfile:
    """Every skill the person has evidence for, highest level first: `level` (latent 0–1),
    `display_level` on the organisation's display scale, `confidence` (0–1, with a low / medium
    / high band) and the `breakdown` — each piece of evidence with its source, rater, date,
    level, weight and share, recomputed as of `computed_at` so it explains the stored level
    exactly (docs/consolidation.md). Also the person's intents and pending self-ratings."""
    return profile_reads.profile(session, viewer=viewer, employee_id=employee_id, scale=scale)


@router.get(
    "/employees/{employee_id}/profile/skills/{skill_id}",
    tags=["profiles"],
    response_model=ProfileSkill,
    summary="Read one skill of a profile with its breakdown",
    responses={404: {"description": "No such person, one the caller may not see, or no level"}},
)
def read_profile_skill(
    session: DbSession, viewer: ApiViewer, scale: OrgScale, employee_id: int, skill_id: int
) -> ProfileSkill:
    """One skill of the person's profile: level, confidence and why (the breakdown)."""
    return profile_reads.profile_skill(
        session, viewer=viewer, employee_id=employee_id, skill_id=skill_id, scale=scale
    )


@router.get(
    "/employees/{employee_id}/evidence",
    tags=["evidence"],
    response_model=Page[EvidenceRead],
    summary="List a person's skill evidence",
    responses=NOT_VISIBLE,
)
def list_evidence(
    session: DbSession,
    viewer: ApiViewer,
    scale: OrgScale,
    employee_id: int,
    skill_id: Annotated[int | None, Query(description="Only evidence about this skill")] = None,
    source: Annotated[
        str | None, Query(max_length=20, description="Only this source: self, manager, peer …")
    ] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[EvidenceRead]:
    """Every dated claim about the person's skills, newest first (evidence is append-only)."""
    items, total = capture.evidence_list(
        session,
        viewer=viewer,
        employee_id=employee_id,
        skill_id=skill_id,
        source=source,
        limit=limit,
        offset=offset,
        scale=scale,
    )
    return Page[EvidenceRead](items=items, total=total, limit=limit, offset=offset)


@router.post(
    "/employees/{employee_id}/evidence",
    tags=["evidence"],
    response_model=EvidenceCreated,
    status_code=status.HTTP_201_CREATED,
    summary="Rate, endorse or record evidence",
    responses=REFUSED,
)
def create_evidence(
    request: Request,
    session: DbSession,
    viewer: ApiViewer,
    scale: OrgScale,
    employee_id: int,
    body: EvidenceCreate,
) -> EvidenceCreated:
    """Append one piece of evidence; the source and rater follow from who calls:

    - the person themselves → `self` (rater: them), and a validation request for their manager;
    - someone whose reporting line includes the person → `manager` (rater: them);
    - a teammate (same org unit or same manager, still employed) → `peer` (rater: them);
    - an HR administrator naming `source` = `assessment`, `certification`, `learning` (with
      `item_id`; the level defaults to what the item teaches) or `project`, optionally dated in
      the past (`observed_at`) and, for certifications, with `expires_on`.

    Anyone else: 404 when they may not see the person, otherwise 403. The profile is refreshed
    in the same transaction, and the answer carries the new level when the caller may see it.
    """
    return profile_reads.capture_evidence(
        session,
        viewer=viewer,
        employee_id=employee_id,
        skill_id=body.skill_id,
        level=body.level,
        display_level=body.display_level,
        scale=scale,
        source=body.source,
        confidence=body.confidence,
        observed_at=body.observed_at,
        expires_on=body.expires_on,
        item_id=body.item_id,
        note=body.note,
        ip=client_ip(request),
    )


@router.get(
    "/employees/{employee_id}/intents",
    tags=["intents"],
    response_model=list[IntentRead],
    summary="Read a person's skill intents",
    responses=NOT_VISIBLE,
)
def list_intents(session: DbSession, viewer: ApiViewer, employee_id: int) -> list[IntentRead]:
    """What the person wants to do with each skill: `have`, `develop` or `not_now`."""
    return capture.intents(session, viewer=viewer, employee_id=employee_id)


@router.put(
    "/employees/{employee_id}/intents/{skill_id}",
    tags=["intents"],
    response_model=IntentRead,
    summary="Set a skill intent",
    responses={
        403: {"description": "Only the person sets their own intents"},
        404: {"description": "No such person (or one the caller may not see), or skill"},
        422: {"description": "Not an intent, or a group of skills"},
    },
)
def put_intent(
    request: Request,
    session: DbSession,
    viewer: ApiViewer,
    employee_id: int,
    skill_id: int,
    body: IntentUpdate,
) -> IntentRead:
    """Say whether you have a skill, want to develop it, or not now (only for yourself)."""
    return capture.set_intent(
        session,
        viewer=viewer,
        employee_id=employee_id,
        skill_id=skill_id,
        intent=body.intent,
        ip=client_ip(request),
    )


@router.get(
    "/validations",
    tags=["validation"],
    response_model=Page[ValidationRead],
    summary="The caller's validation queue",
)
def list_validations(
    session: DbSession,
    viewer: ApiViewer,
    scale: OrgScale,
    status: Annotated[
        Literal["pending", "worked", "all"],
        Query(description="pending (default; they stay until worked), worked, or all"),
    ] = "pending",
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[ValidationRead]:
    """Self-ratings of the caller's current direct reports, oldest first."""
    items, total = capture.validation_queue(
        session, viewer=viewer, status=status, limit=limit, offset=offset, scale=scale
    )
    return Page[ValidationRead](items=items, total=total, limit=limit, offset=offset)


@router.post(
    "/validations/{request_id}/decision",
    tags=["validation"],
    response_model=ValidationRead,
    summary="Approve, adjust or decline a self-rating",
    responses={
        403: {"description": "The caller is not the person's manager"},
        404: {"description": "No such request (or one the caller may not see)"},
        409: {"description": "Already worked, or the person has left"},
        422: {"description": "Adjust without a level, or adjust/decline without a comment"},
    },
)
def decide(
    request: Request,
    session: DbSession,
    viewer: ApiViewer,
    scale: OrgScale,
    request_id: int,
    body: ValidationDecision,
) -> ValidationRead:
    """`approve` writes manager evidence at the self-rated level; `adjust` (with a level and a
    comment) writes manager evidence at that level; `decline` (with a comment) writes none. Only
    the person's current manager may decide, once; the profile is refreshed."""
    return capture.decide_validation(
        session,
        viewer=viewer,
        request_id=request_id,
        decision=body.decision,
        level=body.level,
        display_level=body.display_level,
        comment=body.comment,
        scale=scale,
        ip=client_ip(request),
    )


@router.post(
    "/validations/approve",
    tags=["validation"],
    response_model=list[ValidationRead],
    summary="Approve several self-ratings",
    responses={
        403: {"description": "One of them is not for the caller"},
        404: {"description": "One of them does not exist"},
        409: {"description": "One of them was already worked"},
    },
)
def approve_many(
    request: Request, session: DbSession, viewer: ApiViewer, scale: OrgScale, body: BulkApprove
) -> list[ValidationRead]:
    """Approve pending self-ratings at their self-rated levels: all of them, or none."""
    return capture.approve_many(
        session,
        viewer=viewer,
        request_ids=body.ids,
        comment=body.comment,
        scale=scale,
        ip=client_ip(request),
    )


@router.get(
    "/me/teammates",
    tags=["evidence"],
    response_model=list[Teammate],
    summary="Colleagues the caller may endorse",
)
def list_teammates(session: DbSession, viewer: ApiViewer) -> list[Teammate]:
    """Current colleagues in the caller's org unit or with the caller's manager (names and roles
    only: endorsing a skill does not open a colleague's profile)."""
    return capture.teammates(session, viewer=viewer)
