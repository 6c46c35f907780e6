"""Career paths: a person's next roles (one or two steps, with readiness and missing skills) and
any role's neighbours in the role graph (visibility: self, reporting line, or HR and executives
for a person; every signed-in user for roles)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from skillpath.domains.mobility import careers
from skillpath.domains.mobility.career_schemas import CareerPaths, RoleNeighbours
from skillpath.web.deps import ApiViewer, DbSession

router = APIRouter(tags=["careers"])
NOT_VISIBLE: dict[int | str, dict[str, Any]] = {
    404: {"description": "No such person, or one the caller may not see"}
}
NO_ROLE: dict[int | str, dict[str, Any]] = {404: {"description": "No such role"}}


@router.get(
    "/employees/{employee_id}/career-paths",
    response_model=CareerPaths,
    summary="The roles a person could reach next, with their readiness",
    responses=NOT_VISIBLE,
)
def read_career_paths(
    session: DbSession,
    viewer: ApiViewer,
    employee_id: int,
    limit: Annotated[int, Query(ge=1, le=careers.MAX_LIMIT, description="How many roles")] = 10,
    steps: Annotated[int, Query(ge=1, le=2, description="1: next roles only; 2: two steps")] = 2,
) -> CareerPaths:
    """Roles reachable from the person's current role in one or two edges of the role graph,
    best score first. Edge score = (κ·similarity + moves) / (κ + moves) with κ = 4, where
    similarity = Σ w_B·min(t_A, t_B)/t_B / Σ w_B over the target's profile and moves = people
    who moved along the edge; a two-step path scores the product of its edges. Readiness =
    Σ min(level, target)·importance / Σ target·importance over the target's profile."""
    return careers.next_roles(
        session, viewer=viewer, employee_id=employee_id, limit=limit, steps=steps
    )


@router.get(
    "/roles/{role_id}/next-roles",
    response_model=RoleNeighbours,
    summary="A role's neighbours in the role graph: next roles and roles that lead to it",
    responses=NO_ROLE,
)
def read_next_roles(
    session: DbSession,
    viewer: ApiViewer,
    role_id: int,
    limit: Annotated[int, Query(ge=1, le=careers.MAX_LIMIT, description="How many each way")] = 10,
) -> RoleNeighbours:
    """Outgoing edges (next roles) and incoming edges (where people come from), best score
    first, each with its similarity, observed moves and typical months. No personal data."""
    return careers.role_neighbours(session, role_id=role_id, limit=limit)
