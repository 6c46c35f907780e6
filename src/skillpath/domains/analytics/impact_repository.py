"""SQL of impact analytics: people with their history columns, program participation, fills,
moves and program costs."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from skillpath.domains.learning.models import Completion, LearningItem
from skillpath.domains.people.models import Employee, Move, Opening, PerformanceRating, Role
from skillpath.domains.people.repository import unit_subtree

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


def fills(
    session: Session, *, start: date, end: date, unit_id: int | None
) -> list[tuple[date, date, str, float]]:
    """(opened, filled, source, cost) of openings filled in [start, end]."""
    query = select(Opening.opened_on, Opening.filled_on, Opening.fill_source, Opening.cost).where(
        Opening.filled_on.is_not(None),
        Opening.filled_on >= start,
        Opening.filled_on <= end,
        Opening.fill_source.is_not(None),
    )
    if unit_id is not None:
        query = query.where(_in_unit(Opening.org_unit_id, unit_id))
    return [
        (row.opened_on, row.filled_on, row.fill_source, float(row.cost or 0.0))
        for row in session.execute(query)
    ]


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
        select(func.count())
        .select_from(Employee)
        .where(Employee.hired_on <= day, or_(Employee.left_on.is_(None), Employee.left_on > day))
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
