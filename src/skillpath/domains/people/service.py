"""Use cases of the people domain: the directory, employee records, roles and the org tree."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from skillpath.core.clock import today as utc_today
from skillpath.core.errors import NotFoundError
from skillpath.core.levels import DEFAULT_SCALE, importance_label
from skillpath.core.reports import ImportReport, ProgressCallback, no_progress
from skillpath.core.runtime import collector_paused
from skillpath.domains.evidence import service as evidence_service
from skillpath.domains.identity.visibility import Viewer
from skillpath.domains.people import history_csv, org_csv, repository, roles_csv
from skillpath.domains.people.models import Location, OrgUnit, Role
from skillpath.domains.people.repository import EmployeeRow
from skillpath.domains.people.schemas import (
    EmployeeDetail,
    EmployeeSummary,
    LocationRead,
    MoveRead,
    OrgUnitDetail,
    OrgUnitRead,
    PersonRef,
    RoleDetail,
    RoleRef,
    RoleSkillRead,
    RoleSummary,
    UnitRef,
)
from skillpath.domains.taxonomy.schemas import SkillRef

# Reads for pages and the API

EVIDENCE_SHOWN = 200


def location_read(location: Location) -> LocationRead:
    """The read shape of a location."""
    return LocationRead(
        id=location.id,
        external_id=location.external_id,
        name=location.name,
        country=location.country,
        locale=location.locale,
        timezone=location.timezone,
    )


def employee_summary(row: EmployeeRow, today: date) -> EmployeeSummary:
    """The read shape of a person from a directory row (role, unit and location may be None)."""
    employee, role_title, unit_name, location = row
    title: str | None = role_title
    unit: str | None = unit_name
    place: Location | None = location
    return EmployeeSummary(
        id=employee.id,
        external_id=employee.external_id,
        first_name=employee.first_name,
        last_name=employee.last_name,
        email=employee.email,
        job_title=employee.job_title,
        role=RoleRef(id=employee.role_id, title=title)
        if employee.role_id is not None and title is not None
        else None,
        manager_id=employee.manager_id,
        unit=UnitRef(id=employee.org_unit_id, name=unit)
        if employee.org_unit_id is not None and unit is not None
        else None,
        location=location_read(place) if place is not None else None,
        hired_on=employee.hired_on,
        left_on=employee.left_on,
        active=employee.left_on is None or employee.left_on > today,
    )


def search_employees(
    session: Session,
    *,
    viewer: Viewer,
    q: str | None = None,
    role_id: int | None = None,
    unit_id: int | None = None,
    include_former: bool = False,
    limit: int = 50,
    offset: int = 0,
    today: date | None = None,
) -> tuple[list[EmployeeSummary], int]:
    """The directory: people the viewer may see, filtered, A to Z, with the total."""
    day = today or utc_today()
    rows, total = repository.search_employees(
        session,
        viewer=viewer,
        q=q,
        role_id=role_id,
        unit_id=unit_id,
        include_former=include_former,
        today=day,
        limit=limit,
        offset=offset,
    )
    return [employee_summary(row, day) for row in rows], total


def visible_employee_summary(
    session: Session, *, viewer: Viewer, employee_id: int, today: date | None = None
) -> EmployeeSummary:
    """One person's directory entry, or NotFoundError when absent or not visible."""
    row = repository.visible_employee(session, viewer=viewer, employee_id=employee_id)
    if row is None:
        raise NotFoundError("No such person.")
    return employee_summary(row, today or utc_today())


def _person_ref(person_id: int, first_name: str, last_name: str) -> PersonRef:
    return PersonRef(id=person_id, name=f"{first_name} {last_name}")


def _move_read(row: repository.MoveRow) -> MoveRead:
    move, from_role, to_role, from_unit, to_unit = row
    return MoveRead(
        id=move.id,
        moved_on=move.moved_on,
        kind=move.kind,
        from_role=RoleRef(id=move.from_role_id, title=from_role)
        if move.from_role_id is not None and from_role is not None
        else None,
        to_role=RoleRef(id=move.to_role_id, title=to_role)
        if move.to_role_id is not None and to_role is not None
        else None,
        from_unit=UnitRef(id=move.from_unit_id, name=from_unit)
        if move.from_unit_id is not None and from_unit is not None
        else None,
        to_unit=UnitRef(id=move.to_unit_id, name=to_unit)
        if move.to_unit_id is not None and to_unit is not None
        else None,
        opening_id=move.opening_id,
    )


def employee_detail(
    session: Session,
    *,
    viewer: Viewer,
    employee_id: int,
    evidence_limit: int = EVIDENCE_SHOWN,
    today: date | None = None,
) -> EmployeeDetail:
    """One person's record with manager, reports, evidence and moves (their role history).

    A person the viewer may not see is reported as absent (NotFoundError), so that the answer
    does not reveal whether they exist.
    """
    day = today or utc_today()
    row = repository.visible_employee(session, viewer=viewer, employee_id=employee_id)
    if row is None:
        raise NotFoundError("No such person.")
    summary = employee_summary(row, day)
    employee = row[0]
    chain = [_person_ref(*link) for link in repository.manager_chain(session, employee_id)]
    reports = repository.direct_reports(session, viewer=viewer, manager_id=employee_id, today=day)
    evidence, evidence_total = evidence_service.evidence_of_employee(
        session, viewer=viewer, employee_id=employee_id, limit=evidence_limit
    )
    return EmployeeDetail(
        **summary.model_dump(),
        languages=list(employee.languages or []),
        manager=chain[0] if chain else None,
        reporting_chain=chain,
        direct_reports=[employee_summary(report, day) for report in reports],
        evidence=evidence,
        evidence_total=evidence_total,
        moves=[_move_read(move) for move in repository.moves_of(session, employee_id)],
    )


def _role_summary(role: Role, skill_count: int, people_count: int) -> RoleSummary:
    return RoleSummary(
        id=role.id,
        title=role.title,
        family=role.family,
        level=role.level,
        source=role.source,
        external_id=role.external_id,
        code=role.code,
        is_template=role.is_template,
        is_critical=role.is_critical,
        skill_count=skill_count,
        people_count=people_count,
    )


def search_roles(
    session: Session,
    *,
    q: str | None = None,
    family: str | None = None,
    include_templates: bool | None = None,
    source: str | None = None,
    limit: int = 50,
    offset: int = 0,
    today: date | None = None,
) -> tuple[list[RoleSummary], int]:
    """Roles matching a query, A to Z, with the total.

    Templates imported from ESCO or O*NET are left out unless asked for, or unless a source is
    named (asking for `source=esco` means asking for its templates).
    """
    with_templates = include_templates if include_templates is not None else source is not None
    rows, total = repository.search_roles(
        session,
        q=q,
        family=family,
        include_templates=with_templates,
        source=source,
        today=today or utc_today(),
        limit=limit,
        offset=offset,
    )
    return [_role_summary(role, skills, people) for role, skills, people in rows], total


def role_detail(session: Session, *, role_id: int, today: date | None = None) -> RoleDetail:
    """One role with its alternate titles, skill profile and how many people hold it."""
    role = repository.role_by_id(session, role_id)
    if role is None:
        raise NotFoundError("No such role.")
    profile = repository.role_profile(session, role_id)
    people = repository.people_in_role(session, role_id, today or utc_today())
    skills = [
        RoleSkillRead(
            skill=SkillRef(id=line.skill_id, name=name),
            target_level=line.target_level,
            display_level=DEFAULT_SCALE.from_latent(line.target_level),
            display_label=DEFAULT_SCALE.label(line.target_level),
            importance=line.importance,
            importance_label=importance_label(line.importance),
            essential=line.essential,
        )
        for line, name in profile
    ]
    return RoleDetail(
        **_role_summary(role, len(skills), people).model_dump(),
        description=role.description,
        aliases=repository.role_aliases(session, role_id),
        skills=skills,
    )


def role_filters(session: Session) -> tuple[list[str], list[str]]:
    """The role families and role sources to offer as filters."""
    return repository.role_families(session), repository.role_sources(session)


def _unit_read(unit: OrgUnit, depth: int, headcount: int, total: int) -> OrgUnitRead:
    return OrgUnitRead(
        id=unit.id,
        external_id=unit.external_id,
        name=unit.name,
        kind=unit.kind,
        parent_id=unit.parent_id,
        depth=depth,
        headcount=headcount,
        total_headcount=total,
    )


def org_tree(session: Session, *, today: date | None = None) -> list[OrgUnitRead]:
    """Every org unit in tree order (each unit followed by its sub-units, A to Z), with its own
    headcount and the headcount including every sub-unit."""
    rows = repository.units_with_headcount(session, today or utc_today())
    units = {unit.id: unit for unit, _n in rows}
    own = {unit.id: int(n) for unit, n in rows}
    children: dict[int | None, list[int]] = {}
    for unit, _n in rows:
        parent = unit.parent_id if unit.parent_id in units else None
        children.setdefault(parent, []).append(unit.id)
    ordered: list[OrgUnitRead] = []
    totals: dict[int, int] = {}

    def total_of(unit_id: int, seen: frozenset[int]) -> int:
        # The import refuses cycles; `seen` only guards against a hand-edited database.
        if unit_id in totals:
            return totals[unit_id]
        below = [c for c in children.get(unit_id, []) if c not in seen]
        totals[unit_id] = own[unit_id] + sum(total_of(c, seen | {unit_id}) for c in below)
        return totals[unit_id]

    stack: list[tuple[int, int]] = [(root, 0) for root in reversed(children.get(None, []))]
    visited: set[int] = set()
    while stack:
        unit_id, depth = stack.pop()
        if unit_id in visited:
            continue
        visited.add(unit_id)
        ordered.append(
            _unit_read(units[unit_id], depth, own[unit_id], total_of(unit_id, frozenset()))
        )
        stack.extend((child, depth + 1) for child in reversed(children.get(unit_id, [])))
    return ordered


def org_unit_detail(session: Session, *, unit_id: int, today: date | None = None) -> OrgUnitDetail:
    """One org unit with the path from its root, its sub-units and its location."""
    tree = org_tree(session, today=today)
    by_id = {unit.id: unit for unit in tree}
    unit = by_id.get(unit_id)
    if unit is None:
        raise NotFoundError("No such org unit.")
    breadcrumb: list[UnitRef] = []
    parent_id = unit.parent_id
    while parent_id is not None and parent_id in by_id and len(breadcrumb) < len(tree):
        parent = by_id[parent_id]
        breadcrumb.insert(0, UnitRef(id=parent.id, name=parent.name))
        parent_id = parent.parent_id
    row = repository.unit_by_id(session, unit_id)
    location = (
        repository.location_by_id(session, row.location_id)
        if row is not None and row.location_id is not None
        else None
    )
    return OrgUnitDetail(
        **unit.model_dump(),
        breadcrumb=breadcrumb,
        children=[child for child in tree if child.parent_id == unit_id],
        location=location_read(location) if location is not None else None,
    )


def list_locations(session: Session) -> list[LocationRead]:
    """Every work location."""
    return [location_read(location) for location in repository.locations(session)]


# HR CSV imports (formats in docs/import-formats.md): checking in org_csv.py / history_csv.py


def import_locations_csv(
    session: Session, *, path: Path, progress: ProgressCallback = no_progress
) -> ImportReport:
    """Import a locations CSV: all or nothing, upsert by external id."""
    return org_csv.import_locations(session, path=path, progress=progress)


def import_org_units_csv(
    session: Session, *, path: Path, progress: ProgressCallback = no_progress
) -> ImportReport:
    """Import an org units CSV: all or nothing, upsert by external id, no cycles in the tree."""
    return org_csv.import_org_units(session, path=path, progress=progress)


def import_employees_csv(
    session: Session, *, path: Path, progress: ProgressCallback = no_progress
) -> ImportReport:
    """Import an employees CSV: all or nothing, upsert by external id, no manager cycles."""
    with collector_paused():
        return org_csv.import_employees(session, path=path, progress=progress)


def import_openings_csv(
    session: Session, *, path: Path, progress: ProgressCallback = no_progress
) -> ImportReport:
    """Import an openings CSV: all or nothing, upsert by external id."""
    return history_csv.import_openings(session, path=path, progress=progress)


def import_moves_csv(
    session: Session, *, path: Path, progress: ProgressCallback = no_progress
) -> ImportReport:
    """Import a moves CSV: all or nothing, upsert by employee, date and new role."""
    return history_csv.import_moves(session, path=path, progress=progress)


def import_leavers_csv(
    session: Session, *, path: Path, progress: ProgressCallback = no_progress
) -> ImportReport:
    """Import a leavers CSV: all or nothing, one departure per employee, sets `left_on`."""
    return history_csv.import_leavers(session, path=path, progress=progress)


# Roles and role-skills CSV imports (checking and writing in roles_csv.py)


def import_roles_csv(
    session: Session, *, path: Path, progress: ProgressCallback = no_progress
) -> ImportReport:
    """Import a roles CSV: all or nothing, upsert by external id (source 'org')."""
    return roles_csv.import_roles(session, path=path, progress=progress)


def import_role_skills_csv(
    session: Session, *, path: Path, progress: ProgressCallback = no_progress
) -> ImportReport:
    """Import a role-skills CSV: all or nothing; each named role's profile becomes the file's."""
    return roles_csv.import_role_skills(session, path=path, progress=progress)


def timezone_of_employee(session: Session, *, employee_id: int | None) -> str | None:
    """The time zone pages should show an employee's times in (their work location's)."""
    if employee_id is None:
        return None
    return repository.timezone_of_employee(session, employee_id)
