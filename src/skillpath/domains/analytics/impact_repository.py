"""SQL of impact analytics: people with their history columns, program participation, fills,
moves, flows between role families, program costs and the stored assumptions."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session, aliased

from skillpath.core.clock import utcnow
from skillpath.domains.analytics.models import AnalyticsSetting
from skillpath.domains.identity.models import User
from skillpath.domains.identity.visibility import Viewer, visible_to
from skillpath.domains.learning.models import Completion, ItemSkill, LearningItem
from skillpath.domains.people.models import (
    Employee,
    Move,
    Opening,
    OrgUnit,
    PerformanceRating,
    Role,
)
from skillpath.domains.people.repository import active_on, unit_subtree

PROGRAM_SOURCES = ("program", "path")
"""Completion sources that mean taking part in a program (an academy, a learning path)."""


def _in_unit(column: Any, unit_id: int) -> ColumnElement[bool]:
    tree = unit_subtree(unit_id)
    return column.in_(select(tree.c.id))  # type: ignore[no-any-return]


@dataclass(frozen=True)
class PersonRow:
    """What the comparison needs about one person."""

    id: int
    hired_on: date
    left_on: date | None
    family: str
    location_id: int | None
    entry: date | None
    """The first program completion (None: not a participant)."""


def people(session: Session, *, unit_id: int | None) -> list[PersonRow]:
    """Everyone (leavers included) in a unit's subtree (None: everyone), with their first
    program completion."""
    first = (
        select(Completion.employee_id, func.min(Completion.completed_at).label("entry"))
        .where(Completion.source.in_(PROGRAM_SOURCES))
        .group_by(Completion.employee_id)
        .subquery()
    )
    query = (
        select(
            Employee.id,
            Employee.hired_on,
            Employee.left_on,
            func.coalesce(Role.family, "").label("family"),
            Employee.location_id,
            first.c.entry,
        )
        .outerjoin(Role, Role.id == Employee.role_id)
        .outerjoin(first, first.c.employee_id == Employee.id)
    )
    if unit_id is not None:
        query = query.where(_in_unit(Employee.org_unit_id, unit_id))
    return [
        PersonRow(
            id=row.id,
            hired_on=row.hired_on,
            left_on=row.left_on,
            family=row.family,
            location_id=row.location_id,
            entry=row.entry.date() if row.entry is not None else None,
        )
        for row in session.execute(query.order_by(Employee.id))
    ]


def performance_before(
    session: Session, employee_ids: Collection[int]
) -> dict[int, list[tuple[date, int]]]:
    """Each person's ratings (period end, performance), oldest first."""
    found: dict[int, list[tuple[date, int]]] = {}
    ids = sorted(set(employee_ids))
    for start in range(0, len(ids), 5000):
        for employee, period_end, performance in session.execute(
            select(
                PerformanceRating.employee_id,
                PerformanceRating.period_end,
                PerformanceRating.performance,
            )
            .where(PerformanceRating.employee_id.in_(ids[start : start + 5000]))
            .order_by(PerformanceRating.employee_id, PerformanceRating.period_end)
        ):
            found.setdefault(employee, []).append((period_end, performance))
    return found


def moves(session: Session, *, start: date, end: date, unit_id: int | None) -> dict[str, int]:
    """Moves in [start, end] by kind."""
    query = (
        select(Move.kind, func.count())
        .join(Employee, Employee.id == Move.employee_id)
        .where(Move.moved_on >= start, Move.moved_on <= end)
        .group_by(Move.kind)
    )
    if unit_id is not None:
        query = query.where(_in_unit(Employee.org_unit_id, unit_id))
    return dict(session.execute(query).all())


def headcount(session: Session, day: date, unit_id: int | None) -> int:
    """People employed on a day."""
    query = (
        select(func.count()).select_from(Employee).where(Employee.hired_on <= day, active_on(day))
    )
    if unit_id is not None:
        query = query.where(_in_unit(Employee.org_unit_id, unit_id))
    return int(session.scalar(query) or 0)


def program_costs(
    session: Session, employee_ids: Collection[int], *, start: date, end: date
) -> tuple[float, float]:
    """(item costs, learning hours) of the program completions of some people in [start, end]."""
    ids = sorted(set(employee_ids))
    cost = 0.0
    minutes = 0
    for chunk in range(0, len(ids), 5000):
        row = session.execute(
            select(
                func.coalesce(func.sum(LearningItem.cost), 0.0),
                func.coalesce(func.sum(LearningItem.minutes), 0),
            )
            .join(Completion, Completion.item_id == LearningItem.id)
            .where(
                Completion.employee_id.in_(ids[chunk : chunk + 5000]),
                Completion.source.in_(PROGRAM_SOURCES),
                Completion.completed_at >= datetime.combine(start, time.min, tzinfo=UTC),
                Completion.completed_at
                < datetime.combine(end + timedelta(days=1), time.min, tzinfo=UTC),
            )
        ).one()
        cost += float(row[0])
        minutes += int(row[1])
    return cost, minutes / 60


def stored_assumptions(session: Session) -> list[AnalyticsSetting]:
    """Every assumption HR has set."""
    return list(session.scalars(select(AnalyticsSetting).order_by(AnalyticsSetting.key)))


def user_emails(session: Session, user_ids: Collection[int]) -> dict[int, str]:
    """The e-mail of some users, by id."""
    if not user_ids:
        return {}
    return dict(
        session.execute(select(User.id, User.email).where(User.id.in_(sorted(set(user_ids))))).all()
    )


def save_assumption(session: Session, key: str, value: float, user_id: int | None) -> None:
    """Set an assumption (insert or update) and flush."""
    row = session.get(AnalyticsSetting, key)
    if row is None:
        session.add(AnalyticsSetting(key=key, value=value, updated_by_id=user_id))
    else:
        row.value = value
        row.updated_by_id = user_id
        row.updated_at = utcnow()
    session.flush()


@dataclass(frozen=True)
class FillRow:
    """An opening filled in the period, for the drill-down."""

    opening: str
    role: str
    family: str
    critical: bool
    unit: str | None
    opened_on: date
    filled_on: date
    source: str
    cost: float


def fill_rows(session: Session, *, start: date, end: date, unit_id: int | None) -> list[FillRow]:
    """Openings filled in [start, end] with their role and unit (no personal data)."""
    query = (
        select(
            Opening.external_id,
            Role.title,
            Role.family,
            Role.is_critical,
            OrgUnit.name,
            Opening.opened_on,
            Opening.filled_on,
            Opening.fill_source,
            Opening.cost,
        )
        .join(Role, Role.id == Opening.role_id)
        .outerjoin(OrgUnit, OrgUnit.id == Opening.org_unit_id)
        .where(
            Opening.filled_on.is_not(None),
            Opening.filled_on >= start,
            Opening.filled_on <= end,
            Opening.fill_source.is_not(None),
        )
        .order_by(Opening.filled_on, Opening.external_id)
    )
    if unit_id is not None:
        query = query.where(_in_unit(Opening.org_unit_id, unit_id))
    return [
        FillRow(
            opening=row[0],
            role=row[1],
            family=row[2] or "",
            critical=bool(row[3]),
            unit=row[4],
            opened_on=row[5],
            filled_on=row[6] or row[5],
            source=row[7] or "",
            cost=float(row[8] or 0.0),
        )
        for row in session.execute(query)
    ]


def family_flows(
    session: Session, *, start: date, end: date, unit_id: int | None
) -> list[tuple[str, str, int]]:
    """(from role family, to role family, moves) of the moves in [start, end]."""
    source = aliased(Role)
    target = aliased(Role)
    query = (
        select(source.family, target.family, func.count())
        .select_from(Move)
        .join(Employee, Employee.id == Move.employee_id)
        .outerjoin(source, source.id == Move.from_role_id)
        .outerjoin(target, target.id == Move.to_role_id)
        .where(Move.moved_on >= start, Move.moved_on <= end)
        .group_by(source.family, target.family)
    )
    if unit_id is not None:
        query = query.where(_in_unit(Employee.org_unit_id, unit_id))
    counted: dict[tuple[str, str], int] = {}
    for a, b, n in session.execute(query):
        key = (a or "", b or "")
        counted[key] = counted.get(key, 0) + int(n)
    return [(a, b, n) for (a, b), n in sorted(counted.items())]


def summaries(session: Session, viewer: Viewer, employee_ids: Collection[int]) -> dict[int, str]:
    """The names of the people the viewer may see among some ids."""
    ids = sorted(set(employee_ids))
    found: dict[int, str] = {}
    for chunk in range(0, len(ids), 5000):
        found.update(
            (row.id, f"{row.first_name} {row.last_name}")
            for row in session.execute(
                select(Employee.id, Employee.first_name, Employee.last_name).where(
                    Employee.id.in_(ids[chunk : chunk + 5000]), visible_to(viewer)
                )
            )
        )
    return found


def targeted_skills(
    session: Session, employee_ids: Collection[int], *, start: date, end: date
) -> list[tuple[int, int]]:
    """(employee, skill) pairs the people's program completions in [start, end] teach."""
    ids = sorted(set(employee_ids))
    found: set[tuple[int, int]] = set()
    low = datetime.combine(start, time.min, tzinfo=UTC)
    high = datetime.combine(end + timedelta(days=1), time.min, tzinfo=UTC)
    for chunk in range(0, len(ids), 5000):
        for employee, skill in session.execute(
            select(Completion.employee_id, ItemSkill.skill_id)
            .join(ItemSkill, ItemSkill.item_id == Completion.item_id)
            .where(
                Completion.employee_id.in_(ids[chunk : chunk + 5000]),
                Completion.source.in_(PROGRAM_SOURCES),
                Completion.completed_at >= low,
                Completion.completed_at < high,
            )
        ):
            found.add((int(employee), int(skill)))
    return sorted(found)
