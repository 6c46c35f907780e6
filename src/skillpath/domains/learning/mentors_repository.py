"""SQL of mentor proposals: who holds skills at a level, who reports to whom, who mentors how many
(rules in docs/planner.md, "Mentorship steps")."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import date

from sqlalchemy import Row, and_, func, or_, select
from sqlalchemy.orm import Session

from skillpath.domains.evidence.models import EmployeeSkill
from skillpath.domains.learning.models import LearningPath, PathStep
from skillpath.domains.people.models import Employee, Location, OrgUnit, Role
from skillpath.domains.people.repository import active_on

OPEN_PATH_STATUSES = ("proposed", "approved", "active")
"""Path statuses whose planned mentorship steps take one of the mentor's places."""
ID_CHUNK = 5_000
"""Ids bound in one IN list (SQLite allows 32,766 parameters a statement, PostgreSQL 65,535)."""


def employee_place(session: Session, employee_id: int) -> Row[int | None, str | None] | None:
    """(location id, location time zone) of an employee, or None when there is no such employee."""
    return session.execute(
        select(Employee.location_id, Location.timezone)
        .outerjoin(Location, Location.id == Employee.location_id)
        .where(Employee.id == employee_id)
    ).first()


def expert_rows(
    session: Session,
    *,
    thresholds: Mapping[int, float],
    day: date,
    excluded_ids: Collection[int],
) -> Sequence[Row[int, int, float, int | None, str | None]]:
    """(employee id, skill id, level, location id, time zone) of every consolidated profile row
    at or above its skill's threshold, of people employed on `day` and not in `excluded_ids`.

    One query: each (skill, minimum level) pair is a range of the (skill_id, level) index.
    """
    ranges = [
        and_(EmployeeSkill.skill_id == skill_id, EmployeeSkill.level >= minimum)
        for skill_id, minimum in thresholds.items()
    ]
    conditions = [or_(*ranges), Employee.hired_on <= day, active_on(day)]
    if excluded_ids:
        conditions.append(Employee.id.not_in(list(excluded_ids)))
    return session.execute(
        select(
            EmployeeSkill.employee_id,
            EmployeeSkill.skill_id,
            EmployeeSkill.level,
            Employee.location_id,
            Location.timezone,
        )
        .join(Employee, Employee.id == EmployeeSkill.employee_id)
        .outerjoin(Location, Location.id == Employee.location_id)
        .where(*conditions)
    ).all()


def open_mentorship_counts(
    session: Session, mentor_ids: Collection[int], window: tuple[date, date] | None = None
) -> dict[int, int]:
    """Mentor id → number of planned mentorship steps assigned to them on open paths (only those
    whose dates overlap `window`, when given), for those of `mentor_ids` who have any (asked in
    chunks, so that any number of ids fits the driver)."""
    ids = sorted(set(mentor_ids))
    counts: dict[int, int] = {}
    overlap = (
        [PathStep.start_on <= window[1], PathStep.end_on >= window[0]] if window is not None else []
    )
    for start in range(0, len(ids), ID_CHUNK):
        rows = session.execute(
            select(PathStep.mentor_id, func.count())
            .join(LearningPath, LearningPath.id == PathStep.path_id)
            .where(
                PathStep.mentor_id.in_(ids[start : start + ID_CHUNK]),
                PathStep.status == "planned",
                LearningPath.status.in_(OPEN_PATH_STATUSES),
                *overlap,
            )
            .group_by(PathStep.mentor_id)
        )
        counts.update((mentor_id, count) for mentor_id, count in rows if mentor_id is not None)
    return counts


def mentor_details(
    session: Session, employee_ids: Collection[int]
) -> dict[int, tuple[str, str, str, str | None, str | None]]:
    """Employee id → (first name, last name, role title or job title, unit name, location name)."""
    rows = session.execute(
        select(
            Employee.id,
            Employee.first_name,
            Employee.last_name,
            func.coalesce(Role.title, Employee.job_title),
            OrgUnit.name,
            Location.name,
        )
        .outerjoin(Role, Role.id == Employee.role_id)
        .outerjoin(OrgUnit, OrgUnit.id == Employee.org_unit_id)
        .outerjoin(Location, Location.id == Employee.location_id)
        .where(Employee.id.in_(list(employee_ids)))
    )
    return {row[0]: (row[1], row[2], row[3], row[4], row[5]) for row in rows}


def learning_the_skills(
    session: Session, employee_ids: Collection[int], skill_ids: Collection[int]
) -> set[int]:
    """Those of `employee_ids` on an open learning path that plans for any of `skill_ids`
    (its gaps name the skill): they are learning it, not ready to mentor it."""
    ids = sorted(set(employee_ids))
    wanted = set(skill_ids)
    learning: set[int] = set()
    for start in range(0, len(ids), ID_CHUNK):
        for employee_id, gaps in session.execute(
            select(LearningPath.employee_id, LearningPath.gaps).where(
                LearningPath.employee_id.in_(ids[start : start + ID_CHUNK]),
                LearningPath.status.in_(OPEN_PATH_STATUSES),
            )
        ):
            if any(int(row["skill"]["id"]) in wanted for row in gaps or []):
                learning.add(employee_id)
    return learning
