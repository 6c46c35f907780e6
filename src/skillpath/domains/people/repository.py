"""SQL of the people domain: org units, locations, roles and profiles, employees, history."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, Table, func, literal, or_, select
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.selectable import CTE

from skillpath.db import bulk
from skillpath.db.base import Base
from skillpath.domains.identity.visibility import Viewer, reporting_line, visible_to
from skillpath.domains.people.models import (
    Departure,
    Employee,
    Location,
    Move,
    Opening,
    OrgUnit,
    Role,
    RoleAlias,
    RoleSkill,
)
from skillpath.domains.taxonomy.models import Skill


def employee_by_external_id(session: Session, external_id: str) -> Employee | None:
    """The employee with this external id, if any."""
    return session.scalars(select(Employee).where(Employee.external_id == external_id)).first()


def employee_by_id(session: Session, employee_id: int) -> Employee | None:
    """The employee with this id, if any."""
    return session.get(Employee, employee_id)


# Reads for pages and the API

MAX_CHAIN_DEPTH = 50
EmployeeRow = Row[Employee, str, str, Location]


def active_on(day: date) -> ColumnElement[bool]:
    """Employed on a day: no leaving date, or one after that day."""
    return or_(Employee.left_on.is_(None), Employee.left_on > day)


def unit_subtree(unit_id: int) -> CTE:
    """A recursive CTE of the ids of a unit and every unit below it."""
    tree = select(OrgUnit.id.label("id"), literal(0).label("depth")).where(OrgUnit.id == unit_id)
    nodes = tree.cte("unit_subtree", recursive=True)
    child = aliased(OrgUnit)
    return nodes.union_all(
        select(child.id, nodes.c.depth + 1).where(
            child.parent_id == nodes.c.id, nodes.c.depth < MAX_CHAIN_DEPTH
        )
    )


def _employee_listing() -> Select[Employee, str, str, Location]:
    """Employees with their role title, unit name and location, in one query."""
    return (
        select(Employee, Role.title, OrgUnit.name, Location)
        .outerjoin(Role, Role.id == Employee.role_id)
        .outerjoin(OrgUnit, OrgUnit.id == Employee.org_unit_id)
        .outerjoin(Location, Location.id == Employee.location_id)
    )


def search_employees(
    session: Session,
    *,
    viewer: Viewer,
    q: str | None,
    role_id: int | None,
    unit_id: int | None,
    include_former: bool,
    today: date,
    limit: int,
    offset: int,
) -> tuple[Sequence[EmployeeRow], int]:
    """The people the viewer may see that match a query and filters, A to Z, and the total."""
    conditions: list[ColumnElement[bool]] = [visible_to(viewer)]
    needle = (q or "").strip().lower()
    if needle:
        conditions.append(
            or_(
                Employee.name_lower.contains(needle, autoescape=True),
                func.lower(Employee.email).contains(needle, autoescape=True),
                func.lower(Employee.external_id).contains(needle, autoescape=True),
            )
        )
    if role_id is not None:
        conditions.append(Employee.role_id == role_id)
    if unit_id is not None:
        subtree = unit_subtree(unit_id)
        conditions.append(Employee.org_unit_id.in_(select(subtree.c.id)))
    if not include_former:
        conditions.append(active_on(today))
    rows = session.execute(
        _employee_listing()
        .where(*conditions)
        .order_by(Employee.last_name, Employee.first_name, Employee.id)
        .limit(limit)
        .offset(offset)
    ).all()
    total = session.scalar(select(func.count()).select_from(Employee).where(*conditions)) or 0
    return rows, int(total)


def visible_employee(session: Session, *, viewer: Viewer, employee_id: int) -> EmployeeRow | None:
    """One person with role, unit and location, if they exist and the viewer may see them."""
    return session.execute(
        _employee_listing().where(Employee.id == employee_id, visible_to(viewer))
    ).first()


def direct_reports(
    session: Session, *, viewer: Viewer, manager_id: int, today: date
) -> Sequence[EmployeeRow]:
    """The current direct reports of a manager that the viewer may see, A to Z."""
    return session.execute(
        _employee_listing()
        .where(Employee.manager_id == manager_id, active_on(today), visible_to(viewer))
        .order_by(Employee.last_name, Employee.first_name, Employee.id)
    ).all()


MoveRow = tuple[Move, str | None, str | None, str | None, str | None]
"""A move with the titles of its roles and the names of its units (from, to)."""


def moves_of(session: Session, employee_id: int) -> list[MoveRow]:
    """A person's moves, newest first, with role titles and unit names."""
    from_role, to_role = aliased(Role), aliased(Role)
    from_unit, to_unit = aliased(OrgUnit), aliased(OrgUnit)
    rows = session.execute(
        select(Move, from_role.title, to_role.title, from_unit.name, to_unit.name)
        .outerjoin(from_role, from_role.id == Move.from_role_id)
        .outerjoin(to_role, to_role.id == Move.to_role_id)
        .outerjoin(from_unit, from_unit.id == Move.from_unit_id)
        .outerjoin(to_unit, to_unit.id == Move.to_unit_id)
        .where(Move.employee_id == employee_id)
        .order_by(Move.moved_on.desc(), Move.id.desc())
    ).all()
    return [(row[0], row[1], row[2], row[3], row[4]) for row in rows]


def reporting_line_ids(session: Session, manager_id: int) -> set[int]:
    """Everyone who reports to `manager_id`, directly or not (one recursive query)."""
    line = reporting_line(manager_id)
    return {int(i) for i in session.scalars(select(line.c.id))}


def manager_chain(session: Session, employee_id: int) -> list[tuple[int, str, str]]:
    """(id, first name, last name) of the managers above a person, the direct manager first."""
    start = select(Employee.manager_id.label("id"), literal(1).label("depth")).where(
        Employee.id == employee_id, Employee.manager_id.is_not(None)
    )
    chain = start.cte("manager_chain", recursive=True)
    above = aliased(Employee)
    chain = chain.union_all(
        select(above.manager_id, chain.c.depth + 1).where(
            above.id == chain.c.id, above.manager_id.is_not(None), chain.c.depth < MAX_CHAIN_DEPTH
        )
    )
    rows = session.execute(
        select(Employee.id, Employee.first_name, Employee.last_name)
        .join(chain, chain.c.id == Employee.id)
        .order_by(chain.c.depth)
    ).all()
    seen: set[int] = set()
    ordered: list[tuple[int, str, str]] = []
    for person_id, first, last in rows:
        if person_id not in seen and person_id != employee_id:
            seen.add(person_id)
            ordered.append((person_id, first, last))
    return ordered


def _role_conditions(
    q: str | None, family: str | None, include_templates: bool, source: str | None
) -> list[ColumnElement[bool]]:
    """Filters shared by the role list and its count."""
    conditions: list[ColumnElement[bool]] = []
    needle = (q or "").strip().lower()
    if needle:
        by_alias = select(RoleAlias.role_id).where(
            RoleAlias.title_lower.contains(needle, autoescape=True)
        )
        conditions.append(
            or_(Role.title_lower.contains(needle, autoescape=True), Role.id.in_(by_alias))
        )
    if family:
        conditions.append(Role.family == family)
    if not include_templates:
        conditions.append(Role.is_template.is_(False))
    if source:
        conditions.append(Role.source == source)
    return conditions


def search_roles(
    session: Session,
    *,
    q: str | None,
    family: str | None,
    include_templates: bool,
    source: str | None,
    today: date,
    limit: int,
    offset: int,
) -> tuple[Sequence[Row[Role, int, int]], int]:
    """Roles matching a title/alternate-title query and filters, with profile size and
    current headcount, A to Z, and the total."""
    conditions = _role_conditions(q, family, include_templates, source)
    skill_count = (
        select(func.count())
        .select_from(RoleSkill)
        .where(RoleSkill.role_id == Role.id)
        .correlate(Role)
        .scalar_subquery()
    )
    people_count = (
        select(func.count())
        .select_from(Employee)
        .where(Employee.role_id == Role.id, active_on(today))
        .correlate(Role)
        .scalar_subquery()
    )
    rows = session.execute(
        select(Role, skill_count, people_count)
        .where(*conditions)
        .order_by(Role.title_lower, Role.id)
        .limit(limit)
        .offset(offset)
    ).all()
    total = session.scalar(select(func.count()).select_from(Role).where(*conditions)) or 0
    return rows, int(total)


def role_families(session: Session) -> list[str]:
    """The families of the organisation's own roles, A to Z."""
    return list(
        session.scalars(
            select(Role.family)
            .where(Role.is_template.is_(False), Role.family != "")
            .distinct()
            .order_by(Role.family)
        )
    )


def role_sources(session: Session) -> list[str]:
    """Where roles came from (org, esco, onet …), A to Z."""
    return list(session.scalars(select(Role.source).distinct().order_by(Role.source)))


def role_by_id(session: Session, role_id: int) -> Role | None:
    """The role with this id, if any."""
    return session.get(Role, role_id)


def role_aliases(session: Session, role_id: int) -> list[str]:
    """The alternate titles of a role, A to Z."""
    return list(
        session.scalars(
            select(RoleAlias.title).where(RoleAlias.role_id == role_id).order_by(RoleAlias.title)
        )
    )


def role_profile(session: Session, role_id: int) -> Sequence[Row[RoleSkill, str]]:
    """The skill profile of a role with skill names, most important first."""
    return session.execute(
        select(RoleSkill, Skill.name)
        .join(Skill, Skill.id == RoleSkill.skill_id)
        .where(RoleSkill.role_id == role_id)
        .order_by(RoleSkill.importance.desc(), RoleSkill.target_level.desc(), Skill.name_lower)
    ).all()


def people_in_role(session: Session, role_id: int, today: date) -> int:
    """How many people hold a role today."""
    return int(
        session.scalar(
            select(func.count())
            .select_from(Employee)
            .where(Employee.role_id == role_id, active_on(today))
        )
        or 0
    )


def roles_requiring_skill(
    session: Session, skill_id: int, *, limit: int
) -> tuple[Sequence[Row[Role, RoleSkill]], int]:
    """Roles whose profile asks for a skill (own roles before templates), and how many."""
    rows = session.execute(
        select(Role, RoleSkill)
        .join(RoleSkill, RoleSkill.role_id == Role.id)
        .where(RoleSkill.skill_id == skill_id)
        .order_by(Role.is_template, RoleSkill.importance.desc(), Role.title_lower)
        .limit(limit)
    ).all()
    total = session.scalar(
        select(func.count()).select_from(RoleSkill).where(RoleSkill.skill_id == skill_id)
    )
    return rows, int(total or 0)


def units_with_headcount(session: Session, today: date) -> Sequence[Row[OrgUnit, int]]:
    """Every org unit with the number of people working in it directly today."""
    counts = (
        select(Employee.org_unit_id.label("unit_id"), func.count().label("n"))
        .where(active_on(today), Employee.org_unit_id.is_not(None))
        .group_by(Employee.org_unit_id)
        .subquery()
    )
    return session.execute(
        select(OrgUnit, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.unit_id == OrgUnit.id)
        .order_by(OrgUnit.name, OrgUnit.id)
    ).all()


def location_by_id(session: Session, location_id: int) -> Location | None:
    """The location with this id, if any."""
    return session.get(Location, location_id)


def locations(session: Session) -> Sequence[Location]:
    """Every work location, by country then name."""
    return session.scalars(select(Location).order_by(Location.country, Location.name)).all()


def unit_by_id(session: Session, unit_id: int) -> OrgUnit | None:
    """The org unit with this id, if any."""
    return session.get(OrgUnit, unit_id)


# Writes of role imports (ESCO/O*NET templates, roles and role-skills CSV): snapshots + bulk

RoleState = tuple[str, str, str, str, int, bool, bool]
"""(title, description, code, family, level, is_template, is_critical) as imports compare it."""
RoleSkillState = tuple[float, float, bool]
"""(target_level, importance, essential) of a profile line."""


def role_states(session: Session, source: str) -> dict[str, tuple[int, RoleState]]:
    """Every role of a source ('org', 'esco', 'onet'): external id → (id, compared values)."""
    rows = session.execute(
        select(
            Role.external_id,
            Role.id,
            Role.title,
            Role.description,
            Role.code,
            Role.family,
            Role.level,
            Role.is_template,
            Role.is_critical,
        ).where(Role.source == source)
    )
    return {
        row[0]: (row[1], (row[2], row[3], row[4], row[5], row[6], row[7], row[8])) for row in rows
    }


def role_ids(session: Session, source: str) -> dict[str, int]:
    """External id → id of every role of a source."""
    rows = session.execute(select(Role.external_id, Role.id).where(Role.source == source))
    return {row[0]: row[1] for row in rows}


def insert_roles(session: Session, rows: Iterable[dict[str, Any]]) -> int:
    """Bulk-insert roles."""
    return bulk.copy_rows(session, bulk.table_of(Role), rows)


def update_roles(session: Session, rows: Sequence[dict[str, Any]]) -> int:
    """Bulk-update roles by id."""
    return bulk.update_rows(session, bulk.table_of(Role), rows)


def role_alias_states(
    session: Session, source: str, only_roles: Collection[int] | None = None
) -> dict[tuple[int, str], tuple[int, None]]:
    """Aliases of a source's roles (or of some of them): (role id, title) → (alias id, None)."""
    query = (
        select(RoleAlias.role_id, RoleAlias.title, RoleAlias.id)
        .join(Role, Role.id == RoleAlias.role_id)
        .where(Role.source == source)
    )
    if only_roles is not None:
        query = query.where(RoleAlias.role_id.in_(list(only_roles)))
    rows = session.execute(query)
    return {(role_id, title): (alias_id, None) for role_id, title, alias_id in rows}


def insert_role_aliases(session: Session, rows: Iterable[dict[str, Any]]) -> int:
    """Bulk-insert role aliases."""
    return bulk.copy_rows(session, bulk.table_of(RoleAlias), rows)


def delete_role_aliases(session: Session, ids: Iterable[int]) -> int:
    """Delete role aliases by id."""
    return bulk.delete_rows(session, bulk.table_of(RoleAlias), ids)


def role_skill_states(
    session: Session,
    *,
    role_source: str,
    skill_source_id: int | None = None,
    only_roles: Collection[int] | None = None,
) -> dict[tuple[int, int], tuple[int, RoleSkillState]]:
    """Profile lines of a source's roles, optionally only some roles or one skill source."""
    query = (
        select(
            RoleSkill.role_id,
            RoleSkill.skill_id,
            RoleSkill.id,
            RoleSkill.target_level,
            RoleSkill.importance,
            RoleSkill.essential,
        )
        .join(Role, Role.id == RoleSkill.role_id)
        .where(Role.source == role_source)
    )
    if skill_source_id is not None:
        query = query.join(Skill, Skill.id == RoleSkill.skill_id).where(
            Skill.source_id == skill_source_id
        )
    if only_roles is not None:
        query = query.where(RoleSkill.role_id.in_(list(only_roles)))
    return {
        (role_id, skill_id): (line_id, (target, importance, essential))
        for role_id, skill_id, line_id, target, importance, essential in session.execute(query)
    }


def insert_role_skills(session: Session, rows: Iterable[dict[str, Any]]) -> int:
    """Bulk-insert role profile lines."""
    return bulk.copy_rows(session, bulk.table_of(RoleSkill), rows)


def update_role_skills(session: Session, rows: Sequence[dict[str, Any]]) -> int:
    """Bulk-update role profile lines by id."""
    return bulk.update_rows(session, bulk.table_of(RoleSkill), rows)


def delete_role_skills(session: Session, ids: Iterable[int]) -> int:
    """Delete role profile lines by id."""
    return bulk.delete_rows(session, bulk.table_of(RoleSkill), ids)


# Writes of HR CSV imports (locations, org units, employees, openings, moves, leavers)

LocationState = tuple[str, str, str, str]
"""(name, country, locale, timezone) of a location, as imports compare it."""
UnitState = tuple[str, str, int | None, int | None]
"""(name, kind, parent_id, location_id) of an org unit."""
EmployeeState = tuple[
    str, str, str | None, str, int | None, int | None, int | None, int | None, date, date | None
]
"""(first_name, last_name, email, job_title, manager_id, org_unit_id, role_id, location_id,
hired_on, left_on) of an employee; languages are compared apart (a JSON list)."""
OpeningState = tuple[
    int,
    int | None,
    int | None,
    int | None,
    date,
    date | None,
    date | None,
    str,
    int | None,
    str | None,
    float,
    str,
]
"""(role_id, org_unit_id, location_id, hiring_manager_id, opened_on, filled_on, closed_on,
status, filled_by_id, fill_source, cost, currency) of an opening."""
MoveKey = tuple[int, date, int | None]
"""(employee_id, moved_on, to_role_id): how a move is found again on re-import."""
MoveState = tuple[str, int | None, int | None, int | None, int | None]
"""(kind, from_role_id, from_unit_id, to_unit_id, opening_id) of a move."""
DepartureState = tuple[date, str, bool]
"""(left_on, reason, regretted) of a departure."""
ID_QUERY_CHUNK = 1000


def location_states(session: Session) -> dict[str, tuple[int, LocationState]]:
    """Every location: external id → (id, compared values)."""
    rows = session.execute(
        select(
            Location.external_id,
            Location.id,
            Location.name,
            Location.country,
            Location.locale,
            Location.timezone,
        )
    )
    return {row[0]: (row[1], (row[2], row[3], row[4], row[5])) for row in rows}


def location_ids(session: Session) -> dict[str, int]:
    """External id → id of every location."""
    return {row[0]: row[1] for row in session.execute(select(Location.external_id, Location.id))}


def insert_locations(session: Session, rows: Iterable[dict[str, Any]]) -> int:
    """Bulk-insert locations."""
    return bulk.insert_rows(session, bulk.table_of(Location), rows)


def update_locations(session: Session, rows: Sequence[dict[str, Any]]) -> int:
    """Bulk-update locations by id."""
    return bulk.update_rows(session, bulk.table_of(Location), rows)


def unit_states(session: Session) -> dict[str, tuple[int, UnitState]]:
    """Every org unit: external id → (id, compared values)."""
    rows = session.execute(
        select(
            OrgUnit.external_id,
            OrgUnit.id,
            OrgUnit.name,
            OrgUnit.kind,
            OrgUnit.parent_id,
            OrgUnit.location_id,
        )
    )
    return {row[0]: (row[1], (row[2], row[3], row[4], row[5])) for row in rows}


def unit_ids(session: Session) -> dict[str, int]:
    """External id → id of every org unit."""
    return {row[0]: row[1] for row in session.execute(select(OrgUnit.external_id, OrgUnit.id))}


def insert_units(session: Session, rows: Sequence[dict[str, Any]]) -> dict[str, int]:
    """Bulk-insert org units; returns external id → new id."""
    return _insert_returning_ids(session, bulk.table_of(OrgUnit), rows)


def update_units(session: Session, rows: Sequence[dict[str, Any]]) -> int:
    """Bulk-update org units by id."""
    return bulk.update_rows(session, bulk.table_of(OrgUnit), rows)


def employee_states(
    session: Session,
) -> dict[str, tuple[int, EmployeeState, list[str]]]:
    """Every employee: external id → (id, compared values, languages)."""
    rows = session.execute(
        select(
            Employee.external_id,
            Employee.id,
            Employee.first_name,
            Employee.last_name,
            Employee.email,
            Employee.job_title,
            Employee.manager_id,
            Employee.org_unit_id,
            Employee.role_id,
            Employee.location_id,
            Employee.hired_on,
            Employee.left_on,
            Employee.languages,
        )
    )
    return {
        row[0]: (row[1], (*row[2:12],), list(row[12] or []))  # type: ignore[misc]
        for row in rows
    }


def employee_ids(session: Session) -> dict[str, int]:
    """External id → id of every employee."""
    return {row[0]: row[1] for row in session.execute(select(Employee.external_id, Employee.id))}


def employee_dates(session: Session) -> dict[str, tuple[int, date, date | None]]:
    """External id → (id, hired_on, left_on) of every employee."""
    rows = session.execute(
        select(Employee.external_id, Employee.id, Employee.hired_on, Employee.left_on)
    )
    return {row[0]: (row[1], row[2], row[3]) for row in rows}


def insert_employees(session: Session, rows: Sequence[dict[str, Any]]) -> dict[str, int]:
    """Bulk-insert employees; returns external id → new id.

    Every dict must carry every column that has a Python-side default (the import sets them
    all): the rows skip SQLAlchemy's per-row parameter handling (`bulk.insert_new_rows`).
    """
    return _insert_returning_ids(session, bulk.table_of(Employee), rows, write=bulk.insert_new_rows)


def update_employees(session: Session, rows: Sequence[dict[str, Any]]) -> int:
    """Bulk-update employees by id (every dict with the same keys)."""
    return bulk.update_rows(session, bulk.table_of(Employee), rows)


def opening_states(session: Session) -> dict[str, tuple[int, OpeningState]]:
    """Every opening: external id → (id, compared values)."""
    rows = session.execute(
        select(
            Opening.external_id,
            Opening.id,
            Opening.role_id,
            Opening.org_unit_id,
            Opening.location_id,
            Opening.hiring_manager_id,
            Opening.opened_on,
            Opening.filled_on,
            Opening.closed_on,
            Opening.status,
            Opening.filled_by_id,
            Opening.fill_source,
            Opening.cost,
            Opening.currency,
        )
    )
    return {row[0]: (row[1], (*row[2:],)) for row in rows}


def opening_ids(session: Session) -> dict[str, int]:
    """External id → id of every opening."""
    return {row[0]: row[1] for row in session.execute(select(Opening.external_id, Opening.id))}


def insert_openings(session: Session, rows: Iterable[dict[str, Any]]) -> int:
    """Bulk-insert openings."""
    return bulk.insert_rows(session, bulk.table_of(Opening), rows)


def update_openings(session: Session, rows: Sequence[dict[str, Any]]) -> int:
    """Bulk-update openings by id."""
    return bulk.update_rows(session, bulk.table_of(Opening), rows)


def move_states(session: Session) -> dict[MoveKey, tuple[int, MoveState]]:
    """Every move: (employee id, date, new role id) → (id, compared values)."""
    rows = session.execute(
        select(
            Move.employee_id,
            Move.moved_on,
            Move.to_role_id,
            Move.id,
            Move.kind,
            Move.from_role_id,
            Move.from_unit_id,
            Move.to_unit_id,
            Move.opening_id,
        )
    )
    return {(row[0], row[1], row[2]): (row[3], (*row[4:],)) for row in rows}


def latest_moves(session: Session) -> dict[int, tuple[date, int | None, int | None]]:
    """Employee id → (date, new role id, new unit id) of each employee's latest move."""
    rows = session.execute(
        select(Move.employee_id, Move.moved_on, Move.to_role_id, Move.to_unit_id).order_by(
            Move.employee_id, Move.moved_on, Move.id
        )
    )
    return {row[0]: (row[1], row[2], row[3]) for row in rows}


def insert_moves(session: Session, rows: Iterable[dict[str, Any]]) -> int:
    """Bulk-insert moves."""
    return bulk.insert_rows(session, bulk.table_of(Move), rows)


def update_moves(session: Session, rows: Sequence[dict[str, Any]]) -> int:
    """Bulk-update moves by id."""
    return bulk.update_rows(session, bulk.table_of(Move), rows)


def departure_states(session: Session) -> dict[int, tuple[int, DepartureState]]:
    """Every departure: employee id → (id, compared values)."""
    rows = session.execute(
        select(
            Departure.employee_id,
            Departure.id,
            Departure.left_on,
            Departure.reason,
            Departure.regretted,
        )
    )
    return {row[0]: (row[1], (row[2], row[3], row[4])) for row in rows}


def insert_departures(session: Session, rows: Iterable[dict[str, Any]]) -> int:
    """Bulk-insert departures."""
    return bulk.insert_rows(session, bulk.table_of(Departure), rows)


def update_departures(session: Session, rows: Sequence[dict[str, Any]]) -> int:
    """Bulk-update departures by id."""
    return bulk.update_rows(session, bulk.table_of(Departure), rows)


def _insert_returning_ids(
    session: Session,
    table: Table,
    rows: Sequence[dict[str, Any]],
    *,
    write: Callable[[Session, Table, Sequence[dict[str, Any]]], int] = bulk.insert_rows,
) -> dict[str, int]:
    """Insert rows in batches (with `write`) and return external id → id of the new rows.

    The ids are read back with a query instead of `INSERT … RETURNING`: SQLAlchemy sends
    RETURNING batches as one huge multi-row statement, which psycopg re-parses in Python on
    every batch (minutes for 100,000 rows), while a plain executemany is pipelined.
    """
    write(session, table, rows)
    wanted = [row["external_id"] for row in rows]
    ids: dict[str, int] = {}
    for start in range(0, len(wanted), ID_QUERY_CHUNK):
        chunk = wanted[start : start + ID_QUERY_CHUNK]
        found = session.execute(
            select(table.c.external_id, table.c.id).where(table.c.external_id.in_(chunk))
        )
        ids.update({row[0]: row[1] for row in found})
    return ids


def refresh_role_statistics(session: Session) -> None:
    """Let the database re-plan queries over roles and profiles after a bulk import."""
    bulk.analyze(session, [bulk.table_of(model) for model in (Role, RoleAlias, RoleSkill)])


# Bulk writes of generated data (the demo company)


def write_generated_rows(
    session: Session, model: type[Base], rows: Iterable[dict[str, Any]]
) -> int:
    """Write new rows, ids included, into one of this domain's tables as fast as the database
    allows (COPY on PostgreSQL, prepared executemany on SQLite); returns how many were written."""
    if model.__module__ != "skillpath.domains.people.models":
        raise ValueError(f"{model.__name__} is not a table of this domain")
    return bulk.insert_new_rows(session, bulk.table_of(model), rows)


def timezone_of_employee(session: Session, employee_id: int) -> str | None:
    """The time zone of an employee's work location, if they have one."""
    return session.scalar(
        select(Location.timezone)
        .join(Employee, Employee.location_id == Location.id)
        .where(Employee.id == employee_id)
    )
