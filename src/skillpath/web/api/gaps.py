"""Gaps: a person against their role or a target role, a manager's team, critical gaps, the org
heatmap, snapshots and trends (visibility: self, reporting line, or HR and executives)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query

from skillpath.core.clock import utcnow
from skillpath.core.errors import ForbiddenError
from skillpath.domains.gaps import service
from skillpath.domains.gaps.schemas import (
    CriticalGaps,
    GapTrend,
    Heatmap,
    ManagerBrief,
    PersonGaps,
    SnapshotRead,
    TeamGaps,
)
from skillpath.web.deps import ApiViewer, DbSession

router = APIRouter(tags=["gaps"])
PriorityName = Annotated[
    str | None,
    Query(
        max_length=200,
        description="A strategic priority by name (its weights apply); default: every active "
        "priority combined",
    ),
]
NOT_VISIBLE: dict[int | str, dict[str, Any]] = {
    404: {"description": "No such person, role or priority, or one the caller may not see"}
}
ORG_ONLY: dict[int | str, dict[str, Any]] = {
    403: {"description": "Only HR administrators and executives"},
    404: {"description": "No such unit, location or priority"},
}


@router.get(
    "/employees/{employee_id}/gaps",
    response_model=PersonGaps,
    summary="A person's gaps against their role or a target role",
    responses=NOT_VISIBLE,
)
def read_person_gaps(
    session: DbSession,
    viewer: ApiViewer,
    employee_id: int,
    target_role_id: Annotated[
        int | None, Query(description="Compare with this role instead of the current one")
    ] = None,
    priority: PriorityName = None,
) -> PersonGaps:
    """Per skill of the role: current level (consolidated, 0 without evidence) and target level
    (latent and on the 5-point scale), importance, shortfall = max(0, target − current) and
    weighted gap = shortfall × importance × priority weight; largest weighted gap first."""
    return service.person_gaps(
        session,
        viewer=viewer,
        employee_id=employee_id,
        target_role_id=target_role_id,
        priority=priority,
    )


@router.get(
    "/employees/{employee_id}/team-gaps",
    response_model=TeamGaps,
    summary="A manager's team: gaps per skill and the people × skills matrix",
    responses=NOT_VISIBLE,
)
def read_team_gaps(
    session: DbSession,
    viewer: ApiViewer,
    employee_id: int,
    priority: PriorityName = None,
    skills: Annotated[int, Query(ge=1, le=100, description="Matrix columns")] = 20,
) -> TeamGaps:
    """Everyone in the manager's reporting line (direct and indirect): demand, met, supply,
    coverage and impact per skill, and each person's level against their role's target in the
    skills with the highest impact."""
    return service.team_gaps(
        session, viewer=viewer, manager_id=employee_id, priority=priority, matrix_skills=skills
    )


@router.get(
    "/employees/{employee_id}/brief",
    response_model=ManagerBrief,
    summary="A manager's brief: gaps, performance, engagement, openings, actions",
    responses=NOT_VISIBLE,
)
def read_manager_brief(
    session: DbSession, viewer: ApiViewer, employee_id: int, priority: PriorityName = None
) -> ManagerBrief:
    """The team's critical gaps next to its latest performance ratings, recent engagement and
    open positions, with the actions those figures suggest."""
    return service.manager_brief(session, viewer=viewer, manager_id=employee_id, priority=priority)


@router.get(
    "/gaps/critical",
    response_model=CriticalGaps,
    summary="Critical gaps, ranked by business impact",
    responses=ORG_ONLY,
)
def read_critical_gaps(
    session: DbSession,
    viewer: ApiViewer,
    priority: PriorityName = None,
    unit_id: Annotated[
        int | None, Query(description="Only this org unit and every unit below it")
    ] = None,
    location_id: Annotated[int | None, Query(description="Only people at this location")] = None,
    limit: Annotated[int, Query(ge=1, le=500, description="How many skills to return")] = 20,
) -> CriticalGaps:
    """Skills in demand, highest impact first: `impact` = Σ shortfall × importance × priority
    weight over the people whose role requires the skill; `demand`, `met`, `coverage` = met /
    demand, `supply` (bench strength: people at or above the highest target) and the single
    point of failure flag (supply ≤ 1)."""
    return service.critical_gaps(
        session,
        viewer=viewer,
        priority=priority,
        unit_id=unit_id,
        location_id=location_id,
        limit=limit,
    )


@router.get(
    "/gaps/heatmap",
    response_model=Heatmap,
    summary="Org heatmap: units × the skills with the highest impact",
    responses=ORG_ONLY,
)
def read_heatmap(
    session: DbSession,
    viewer: ApiViewer,
    unit_id: Annotated[
        int | None, Query(description="Show this unit's sub-units (default: the top level)")
    ] = None,
    location_id: Annotated[int | None, Query(description="Only people at this location")] = None,
    priority: PriorityName = None,
    skills: Annotated[int, Query(ge=1, le=100, description="Columns")] = 20,
) -> Heatmap:
    """Rows: the sub-units; columns: the skills with the highest impact over the whole
    population; cells: demand, met, supply, coverage and impact (null: not in demand)."""
    return service.org_heatmap(
        session,
        viewer=viewer,
        unit_id=unit_id,
        location_id=location_id,
        priority=priority,
        skills=skills,
    )


@router.get(
    "/gaps/trend",
    response_model=GapTrend,
    summary="Gap totals and top skills over the snapshots",
    responses=ORG_ONLY,
)
def read_trend(
    session: DbSession,
    viewer: ApiViewer,
    priority: PriorityName = None,
    unit_id: Annotated[int | None, Query(description="Only this unit's subtree")] = None,
    skills: Annotated[int, Query(ge=1, le=50, description="Skills to follow")] = 5,
) -> GapTrend:
    """One point per monthly snapshot (oldest first): skills in demand, demand, met, coverage
    and total impact; and the coverage and impact of the skills with the highest impact in the
    latest snapshot."""
    return service.gap_trend(
        session, viewer=viewer, priority=priority, unit_id=unit_id, skills=skills
    )


@router.get(
    "/gaps/snapshots",
    response_model=list[SnapshotRead],
    summary="Stored gap snapshots",
    responses={403: {"description": "Only HR administrators and executives"}},
)
def read_snapshots(session: DbSession, viewer: ApiViewer) -> list[SnapshotRead]:
    """Every snapshot (one per month), oldest first; `current` marks the one whose inputs
    equal today's."""
    return service.list_snapshots(session, viewer=viewer)


@router.post(
    "/gaps/snapshots",
    response_model=SnapshotRead,
    status_code=201,
    summary="Take a gap snapshot now",
    responses={403: {"description": "Only HR administrators"}},
)
def create_snapshot(session: DbSession, viewer: ApiViewer) -> SnapshotRead:
    """Recompute every roll-up from the stored profiles and store it as this month's snapshot
    (replacing an earlier one of the month)."""
    if not viewer.can_administer:
        raise ForbiddenError("Only HR administrators can take gap snapshots.")
    now: datetime = utcnow()
    return service.take_gap_snapshot(session, now)
