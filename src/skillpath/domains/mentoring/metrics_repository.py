"""SQL of a mentoring program's metrics and of the enrol form: enrolment counts by role and
status, matches with their rounds' status, check-ins, the eligible population, a person's levels."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from skillpath.domains.evidence.models import EmployeeSkill
from skillpath.domains.mentoring.models import CheckIn, Enrolment, Match, MatchRound
from skillpath.domains.people.models import Employee, Role
from skillpath.domains.people.repository import active_on


def enrolment_counts(session: Session, program_id: int) -> dict[tuple[str, str], int]:
    """(role, status) → enrolments of a program."""
    rows = session.execute(
        select(Enrolment.role, Enrolment.status, func.count())
        .where(Enrolment.program_id == program_id)
        .group_by(Enrolment.role, Enrolment.status)
    )
    return {(str(r), str(s)): int(n) for r, s, n in rows}


def published_matches(session: Session, program_id: int) -> list[Match]:
    """A program's matches that people saw: from published rounds (or made without a round)."""
    published = select(MatchRound.id).where(MatchRound.status == "published")
    return list(
        session.scalars(
            select(Match)
            .where(
                Match.program_id == program_id,
                or_(Match.round_id.is_(None), Match.round_id.in_(published)),
            )
            .order_by(Match.id)
        )
    )


def checkin_rows(
    session: Session, match_ids: Collection[int]
) -> list[tuple[int, date, int | None]]:
    """(match, held on, rating) of every check-in of some matches."""
    if not match_ids:
        return []
    rows = session.execute(
        select(CheckIn.match_id, CheckIn.held_on, CheckIn.rating).where(
            CheckIn.match_id.in_(list(match_ids))
        )
    )
    return [(int(m), d, None if r is None else int(r)) for m, d, r in rows]


def eligible_count(
    session: Session,
    *,
    day: date,
    unit_ids: Collection[int] | None,
    role_ids: Collection[int],
    location_ids: Collection[int],
    min_level: int | None,
    max_level: int | None,
) -> int:
    """People employed on `day` who pass a program's eligibility (`unit_ids`: the units with
    every unit below them, None for any unit)."""
    query = select(func.count(Employee.id)).where(active_on(day))
    if unit_ids is not None:
        query = query.where(Employee.org_unit_id.in_(list(unit_ids)))
    if role_ids:
        query = query.where(Employee.role_id.in_(list(role_ids)))
    if location_ids:
        query = query.where(Employee.location_id.in_(list(location_ids)))
    if min_level is not None or max_level is not None:
        query = query.join(Role, Role.id == Employee.role_id)
        if min_level is not None:
            query = query.where(Role.level >= min_level)
        if max_level is not None:
            query = query.where(Role.level <= max_level)
    return int(session.scalar(query) or 0)


def held_skills(session: Session, employee_id: int) -> dict[int, float]:
    """A person's consolidated levels above 0, by skill."""
    rows = session.execute(
        select(EmployeeSkill.skill_id, EmployeeSkill.level).where(
            EmployeeSkill.employee_id == employee_id, EmployeeSkill.level > 0
        )
    )
    return {int(s): float(level) for s, level in rows}
