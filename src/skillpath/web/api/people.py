"""People and organisation: roles with skill profiles, employees (under the visibility rule)
and the org tree."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from skillpath.domains.people import service
from skillpath.domains.people.schemas import (
    EmployeeDetail,
    EmployeeSummary,
    OrgUnitDetail,
    OrgUnitRead,
    RoleDetail,
    RoleSummary,
)
from skillpath.web.api.common import Limit, Offset, Page
from skillpath.web.deps import ApiViewer, DbSession

router = APIRouter()


@router.get("/roles", tags=["roles"], response_model=Page[RoleSummary], summary="Search roles")
def list_roles(
    session: DbSession,
    viewer: ApiViewer,
    q: Annotated[
        str | None,
        Query(max_length=200, description="Text found in the title or an alternate title"),
    ] = None,
    family: Annotated[str | None, Query(max_length=120, description="Role family")] = None,
    include_templates: Annotated[
        bool | None,
        Query(
            description="Also list role templates imported from ESCO or O*NET "
            "(default: only when `source` is given)"
        ),
    ] = None,
    source: Annotated[
        str | None, Query(max_length=40, description="Where roles came from: org, esco, onet …")
    ] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[RoleSummary]:
    """The organisation's roles (and, on request, imported templates), A to Z, with the size of
    each skill profile and how many people hold the role today."""
    items, total = service.search_roles(
        session,
        q=q,
        family=family,
        include_templates=include_templates,
        source=source,
        limit=limit,
        offset=offset,
    )
    return Page[RoleSummary](items=items, total=total, limit=limit, offset=offset)


@router.get(
    "/roles/{role_id}",
    tags=["roles"],
    response_model=RoleDetail,
    summary="Read a role with its skill profile",
    responses={404: {"description": "No such role"}},
)
def read_role(session: DbSession, viewer: ApiViewer, role_id: int) -> RoleDetail:
    """One role: description, alternate titles and its skill profile (`skills`: skill, target
    level in [0, 1] and on the 5-point scale, importance, essential)."""
    return service.role_detail(session, role_id=role_id)


@router.get(
    "/employees",
    tags=["employees"],
    response_model=Page[EmployeeSummary],
    summary="Search employees",
)
def list_employees(
    session: DbSession,
    viewer: ApiViewer,
    q: Annotated[
        str | None, Query(max_length=200, description="Text found in the name, e-mail or id")
    ] = None,
    role_id: Annotated[int | None, Query(description="Only people in this role")] = None,
    unit_id: Annotated[
        int | None, Query(description="Only people in this org unit or any unit below it")
    ] = None,
    include_former: Annotated[bool, Query(description="Also list people who have left")] = False,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[EmployeeSummary]:
    """The people the caller may see (an employee: themselves; a manager: their reporting line;
    HR and executives: everyone), A to Z by last name."""
    items, total = service.search_employees(
        session,
        viewer=viewer,
        q=q,
        role_id=role_id,
        unit_id=unit_id,
        include_former=include_former,
        limit=limit,
        offset=offset,
    )
    return Page[EmployeeSummary](items=items, total=total, limit=limit, offset=offset)


@router.get(
    "/employees/{employee_id}",
    tags=["employees"],
    response_model=EmployeeDetail,
    summary="Read an employee",
    responses={404: {"description": "No such person, or one the caller may not see"}},
)
def read_employee(session: DbSession, viewer: ApiViewer, employee_id: int) -> EmployeeDetail:
    """One person's record with manager, direct reports and skill evidence (newest first).
    A person outside the caller's visibility answers 404, exactly like one who does not exist."""
    return service.employee_detail(session, viewer=viewer, employee_id=employee_id)


@router.get(
    "/org-units", tags=["org units"], response_model=Page[OrgUnitRead], summary="List org units"
)
def list_org_units(
    session: DbSession, viewer: ApiViewer, limit: Limit = 500, offset: Offset = 0
) -> Page[OrgUnitRead]:
    """Every org unit in tree order (each unit followed by its sub-units) with `parent_id`,
    `depth`, its own active headcount and the headcount including every sub-unit."""
    tree = service.org_tree(session)
    return Page[OrgUnitRead](
        items=tree[offset : offset + limit], total=len(tree), limit=limit, offset=offset
    )


@router.get(
    "/org-units/{unit_id}",
    tags=["org units"],
    response_model=OrgUnitDetail,
    summary="Read an org unit",
    responses={404: {"description": "No such org unit"}},
)
def read_org_unit(session: DbSession, viewer: ApiViewer, unit_id: int) -> OrgUnitDetail:
    """One org unit with the path from the root, its direct sub-units and its location."""
    return service.org_unit_detail(session, unit_id=unit_id)
