"""Every SQL statement of career paths: the roles of the graph, their profiles, the move history
(aggregated by the service, never shown per person), one person's levels and the fingerprint."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from skillpath.domains.evidence.models import EmployeeSkill
from skillpath.domains.people.models import Employee, Move, Role, RoleSkill

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
ID_CHUNK = 900


def _ints(values: Sequence[Any]) -> IntArray:
    return np.array([-1 if v is None else int(v) for v in values], dtype=np.int64)


@dataclass(frozen=True)
class RoleRow:
    """A role of the graph."""

    id: int
    title: str
    family: str
    level: int
    is_template: bool


@dataclass(frozen=True)
class ProfileColumns:
    """Role profile lines as columns (database ids)."""

    role: IntArray
    skill: IntArray
    target: FloatArray
    importance: FloatArray


@dataclass(frozen=True)
class MoveColumns:
    """Every move as columns: employee, day ordinals, roles (−1 none) and the hire day."""

    employee: IntArray
    moved_day: IntArray
    from_role: IntArray
    to_role: IntArray
    hired_day: IntArray


def graph_roles(session: Session) -> list[RoleRow]:
    """The organisation's own roles, plus any template someone holds or moved from or to."""
    held = select(Employee.role_id).where(Employee.role_id.is_not(None))
    moved_from = select(Move.from_role_id).where(Move.from_role_id.is_not(None))
    moved_to = select(Move.to_role_id).where(Move.to_role_id.is_not(None))
    rows = session.execute(
        select(Role.id, Role.title, Role.family, Role.level, Role.is_template)
        .where(
            or_(
                Role.is_template.is_(False),
                Role.id.in_(held),
                Role.id.in_(moved_from),
                Role.id.in_(moved_to),
            )
        )
        .order_by(Role.id)
    ).all()
    return [
        RoleRow(int(i), str(t), str(f or ""), int(lv or 1), bool(tp)) for i, t, f, lv, tp in rows
    ]


def profile_lines(session: Session, role_ids: Sequence[int]) -> ProfileColumns:
    """The profile lines of some roles."""
    rows: list[Any] = []
    ids = sorted(set(role_ids))
    for start in range(0, len(ids), ID_CHUNK):
        rows.extend(
            session.execute(
                select(
                    RoleSkill.role_id,
                    RoleSkill.skill_id,
                    RoleSkill.target_level,
                    RoleSkill.importance,
                ).where(RoleSkill.role_id.in_(ids[start : start + ID_CHUNK]))
            ).all()
        )
    columns = list(zip(*rows, strict=True)) if rows else [(), (), (), ()]
    return ProfileColumns(
        role=_ints(columns[0]),
        skill=_ints(columns[1]),
        target=np.array(columns[2], dtype=np.float64),
        importance=np.array(columns[3], dtype=np.float64),
    )


def all_moves(session: Session) -> MoveColumns:
    """Every move of the history with its employee's hire date."""
    rows = session.execute(
        select(
            Move.employee_id, Move.moved_on, Move.from_role_id, Move.to_role_id, Employee.hired_on
        )
        .join(Employee, Employee.id == Move.employee_id)
        .order_by(Move.employee_id, Move.moved_on, Move.id)
    ).all()
    columns = list(zip(*rows, strict=True)) if rows else [(), (), (), (), ()]
    return MoveColumns(
        employee=_ints(columns[0]),
        moved_day=np.array([d.toordinal() for d in columns[1]], dtype=np.int64),
        from_role=_ints(columns[2]),
        to_role=_ints(columns[3]),
        hired_day=np.array([d.toordinal() for d in columns[4]], dtype=np.int64),
    )


def fingerprint(session: Session) -> tuple[Any, ...]:
    """A cheap summary of every input of the role graph: it changes when a profile line, a role's
    level or template flag, or a move is added, removed or edited."""
    lines = session.execute(
        select(
            func.count(RoleSkill.id),
            func.coalesce(func.max(RoleSkill.id), 0),
            func.coalesce(func.sum(RoleSkill.role_id * 7919 + RoleSkill.skill_id), 0),
            func.coalesce(func.sum(RoleSkill.target_level * (RoleSkill.skill_id % 97 + 1)), 0),
            func.coalesce(func.sum(RoleSkill.importance * (RoleSkill.role_id % 89 + 1)), 0),
        )
    ).one()
    roles = session.execute(
        select(
            func.count(Role.id),
            func.coalesce(func.sum(Role.id * Role.level), 0),
            func.max(Role.updated_at),
        )
    ).one()
    moves = session.execute(
        select(
            func.count(Move.id),
            func.coalesce(func.max(Move.id), 0),
            func.coalesce(func.sum(func.coalesce(Move.from_role_id, 0) * 31 + Move.employee_id), 0),
            func.coalesce(func.sum(func.coalesce(Move.to_role_id, 0)), 0),
            func.max(Move.moved_on),
            func.min(Move.moved_on),
        )
    ).one()
    held = session.execute(
        select(func.count(Employee.id), func.coalesce(func.sum(Employee.role_id), 0))
    ).one()
    return (
        *(round(float(v), 6) for v in lines),
        *(str(v) for v in roles),
        *(str(v) for v in moves),
        *(int(v) for v in held),
    )


def levels_of(session: Session, employee_id: int) -> tuple[IntArray, FloatArray]:
    """One person's consolidated levels: skill ids and levels."""
    rows = session.execute(
        select(EmployeeSkill.skill_id, EmployeeSkill.level).where(
            EmployeeSkill.employee_id == employee_id
        )
    ).all()
    return (
        np.array([int(s) for s, _ in rows], dtype=np.int64),
        np.array([float(v) for _, v in rows], dtype=np.float64),
    )


def role_row(session: Session, role_id: int) -> RoleRow | None:
    """One role, or None when there is no role with this id."""
    found = session.execute(
        select(Role.id, Role.title, Role.family, Role.level, Role.is_template).where(
            Role.id == role_id
        )
    ).first()
    if found is None:
        return None
    i, t, f, lv, tp = found
    return RoleRow(int(i), str(t), str(f or ""), int(lv or 1), bool(tp))
