"""SQL of the gaps domain: workforce, requirements, levels and weights read as raw columns, and
gap snapshots written in bulk and read back by lens, population and skill.

Nothing on the hot paths builds ORM objects: the engine wants numpy arrays, so rows come back
as tuples (small populations) or as CSV text parsed by polars (every consolidated profile of a
large organisation: `group_concat` on SQLite, `COPY … TO STDOUT` on PostgreSQL).
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from itertools import islice
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl
from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    case,
    delete,
    func,
    literal,
    or_,
    select,
)
from sqlalchemy.orm import Session, aliased

from skillpath.db import bulk
from skillpath.domains.evidence.models import EmployeeSkill, ProfileBuild
from skillpath.domains.gaps.models import GapSnapshot, GapSnapshotLine, GapSnapshotUnit
from skillpath.domains.identity.visibility import reporting_line
from skillpath.domains.learning.models import ItemSkill, LearningItem
from skillpath.domains.people.models import (
    Employee,
    EngagementScore,
    Location,
    Move,
    Opening,
    OrgUnit,
    PerformanceRating,
    PriorityRole,
    PrioritySkill,
    Role,
    RoleSkill,
    StrategicPriority,
)
from skillpath.domains.people.repository import active_on, unit_subtree
from skillpath.domains.taxonomy.models import Skill, SkillRelation

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

ID_CHUNK = 5_000
SQLITE_SLICE = 250_000
LINE_BATCH = 50_000


@dataclass(frozen=True)
class Population:
    """Who is counted: employed on `day`, and (each when given) in a unit's subtree, at a
    location, in a manager's reporting line (the manager excluded), or among some people."""

    day: date
    unit_id: int | None = None
    location_id: int | None = None
    manager_id: int | None = None
    employee_ids: tuple[int, ...] | None = None


@dataclass(frozen=True)
class WorkforceColumns:
    """Employees as parallel arrays; −1 where a person has no role, unit or location."""

    employee: IntArray
    role: IntArray
    unit: IntArray
    location: IntArray


@dataclass(frozen=True)
class RequirementColumns:
    """Role skill profile lines as parallel arrays."""

    role: IntArray
    skill: IntArray
    target: FloatArray
    importance: FloatArray


@dataclass(frozen=True)
class LevelColumns:
    """Consolidated levels (and confidences) of (employee, skill) pairs."""

    employee: IntArray
    skill: IntArray
    level: FloatArray
    confidence: FloatArray


def _ints(values: Sequence[Any]) -> IntArray:
    return np.array([-1 if v is None else int(v) for v in values], dtype=np.int64)


def _chunks(ids: Sequence[int], size: int) -> Iterator[list[int]]:
    iterator = iter(ids)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _population_conditions(population: Population) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [
        active_on(population.day),
        Employee.hired_on <= population.day,
    ]
    if population.unit_id is not None:
        subtree = unit_subtree(population.unit_id)
        conditions.append(Employee.org_unit_id.in_(select(subtree.c.id)))
    if population.location_id is not None:
        conditions.append(Employee.location_id == population.location_id)
    if population.manager_id is not None:
        line = reporting_line(population.manager_id)
        conditions.append(Employee.id.in_(select(line.c.id)))
    if population.employee_ids is not None:
        conditions.append(Employee.id.in_(population.employee_ids))
    return conditions


def population_ids(population: Population) -> Select[int]:
    """A sub-select of the ids of the people in a population."""
    return select(Employee.id).where(*_population_conditions(population))


def workforce(session: Session, population: Population) -> WorkforceColumns:
    """The people of a population with their current role, unit and location, by id."""
    rows = session.execute(
        select(Employee.id, Employee.role_id, Employee.org_unit_id, Employee.location_id)
        .where(*_population_conditions(population))
        .order_by(Employee.id)
    ).all()
    columns = list(zip(*rows, strict=True)) if rows else [(), (), (), ()]
    return WorkforceColumns(
        employee=_ints(columns[0]),
        role=_ints(columns[1]),
        unit=_ints(columns[2]),
        location=_ints(columns[3]),
    )


def workforce_on(session: Session, day: date) -> WorkforceColumns:
    """Everyone employed on a past day, with the role and unit they held that day.

    The role and unit of a day follow from the moves: the destination of the last move on or
    before the day, otherwise the origin of the first move after it, otherwise today's record.
    """
    people = workforce(session, Population(day=day))
    role = people.role.copy()
    unit = people.unit.copy()
    if people.employee.shape[0] == 0:
        return people
    rows = session.execute(
        select(
            Move.employee_id,
            Move.moved_on,
            Move.from_role_id,
            Move.to_role_id,
            Move.from_unit_id,
            Move.to_unit_id,
        ).order_by(Move.employee_id, Move.moved_on, Move.id)
    ).all()
    position = {int(e): i for i, e in enumerate(people.employee.tolist())}
    settled: set[int] = set()
    first_after: dict[int, tuple[int | None, int | None]] = {}
    for employee_id, moved_on, from_role, to_role, from_unit, to_unit in rows:
        index = position.get(int(employee_id))
        if index is None:
            continue
        if moved_on <= day:
            role[index] = -1 if to_role is None else int(to_role)
            unit[index] = -1 if to_unit is None else int(to_unit)
            settled.add(index)
        elif index not in first_after:
            first_after[index] = (from_role, from_unit)
    for index, (from_role, from_unit) in first_after.items():
        if index not in settled:
            role[index] = -1 if from_role is None else int(from_role)
            unit[index] = -1 if from_unit is None else int(from_unit)
    return WorkforceColumns(
        employee=people.employee, role=role, unit=unit, location=people.location
    )


def requirements(session: Session, role_ids: Sequence[int] | None = None) -> RequirementColumns:
    """Role skill profile lines (of some roles, or of every role)."""
    statement = select(
        RoleSkill.role_id, RoleSkill.skill_id, RoleSkill.target_level, RoleSkill.importance
    ).order_by(RoleSkill.role_id, RoleSkill.skill_id)
    if role_ids is not None:
        statement = statement.where(RoleSkill.role_id.in_(sorted(set(role_ids))))
    rows = session.execute(statement).all()
    columns = list(zip(*rows, strict=True)) if rows else [(), (), (), ()]
    return RequirementColumns(
        role=_ints(columns[0]),
        skill=_ints(columns[1]),
        target=np.array(columns[2], dtype=np.float64),
        importance=np.array(columns[3], dtype=np.float64),
    )


def levels_of(session: Session, employee_ids: Sequence[int]) -> LevelColumns:
    """The consolidated levels of a few people (an IN-list per chunk)."""
    rows: list[Any] = []
    for chunk in _chunks(sorted(set(employee_ids)), ID_CHUNK):
        rows.extend(
            session.execute(
                select(
                    EmployeeSkill.employee_id,
                    EmployeeSkill.skill_id,
                    EmployeeSkill.level,
                    EmployeeSkill.confidence,
                ).where(EmployeeSkill.employee_id.in_(chunk))
            ).all()
        )
    columns = list(zip(*rows, strict=True)) if rows else [(), (), (), ()]
    return LevelColumns(
        employee=_ints(columns[0]),
        skill=_ints(columns[1]),
        level=np.array(columns[2], dtype=np.float64),
        confidence=np.array(columns[3], dtype=np.float64),
    )


def levels_in(session: Session, population: Population) -> LevelColumns:
    """The consolidated levels of everyone in a population (one query with a sub-select)."""
    rows = session.execute(
        select(
            EmployeeSkill.employee_id,
            EmployeeSkill.skill_id,
            EmployeeSkill.level,
            EmployeeSkill.confidence,
        ).where(EmployeeSkill.employee_id.in_(population_ids(population)))
    ).all()
    columns = list(zip(*rows, strict=True)) if rows else [(), (), (), ()]
    return LevelColumns(
        employee=_ints(columns[0]),
        skill=_ints(columns[1]),
        level=np.array(columns[2], dtype=np.float64),
        confidence=np.array(columns[3], dtype=np.float64),
    )


_LEVEL_SCHEMA = {"employee": pl.Int64, "skill": pl.Int64, "level": pl.Float64}


def _parse(text: bytes | str) -> pl.DataFrame:
    data = text.encode() if isinstance(text, str) else text
    return pl.read_csv(
        io.BytesIO(data),
        has_header=False,
        new_columns=list(_LEVEL_SCHEMA),
        schema_overrides=_LEVEL_SCHEMA,
    )


def all_levels(session: Session) -> LevelColumns:
    """Every consolidated level, fast: CSV text made by the database, parsed by polars.

    Floats travel with 17 significant digits (SQLite's `%!.17g`: plain `%.17g` stops at 16
    digits and does not round-trip) or PostgreSQL's shortest exact form, so each level is read
    back bit for bit (comparisons with target levels stay exact).
    """
    connection = session.connection()
    driver = connection.connection.driver_connection
    assert driver is not None
    frames: list[pl.DataFrame] = []
    if connection.dialect.name == "postgresql":
        buffer = io.BytesIO()
        with (
            driver.cursor() as cursor,
            cursor.copy(
                "COPY (SELECT employee_id, skill_id, level FROM employee_skill) "
                "TO STDOUT (FORMAT csv)"
            ) as copy,
        ):
            for block in copy:
                buffer.write(block)
        if buffer.tell():
            frames.append(_parse(buffer.getvalue()))
    else:
        low, high = connection.exec_driver_sql(
            "SELECT coalesce(min(rowid), 0), coalesce(max(rowid), -1) FROM employee_skill"
        ).one()
        sql = (
            "SELECT group_concat(employee_id || ',' || skill_id || ',' || "
            "printf('%!.17g', level), char(10)) FROM employee_skill "
            "WHERE rowid >= ? AND rowid < ?"
        )
        cursor = driver.cursor()
        try:
            for start in range(int(low), int(high) + 1, SQLITE_SLICE):
                cursor.execute(sql, (start, start + SQLITE_SLICE))
                text = cursor.fetchone()[0]
                if text:
                    frames.append(_parse(text))
        finally:
            cursor.close()
    if not frames:
        empty = np.zeros(0, dtype=np.int64)
        return LevelColumns(empty, empty, np.zeros(0), np.zeros(0))
    frame = pl.concat(frames, how="vertical")
    level = frame.get_column("level").to_numpy().astype(np.float64)
    return LevelColumns(
        employee=frame.get_column("employee").to_numpy().astype(np.int64),
        skill=frame.get_column("skill").to_numpy().astype(np.int64),
        level=level,
        confidence=np.zeros(level.shape[0]),
    )


def unit_parents(session: Session) -> tuple[IntArray, IntArray]:
    """Every org unit's id and its parent's id (−1 for a root)."""
    rows = session.execute(select(OrgUnit.id, OrgUnit.parent_id).order_by(OrgUnit.id)).all()
    columns = list(zip(*rows, strict=True)) if rows else [(), ()]
    return _ints(columns[0]), _ints(columns[1])


def units_named(session: Session, unit_ids: Sequence[int]) -> dict[int, tuple[str, int | None]]:
    """(name, parent id) of some units."""
    if not unit_ids:
        return {}
    rows = session.execute(
        select(OrgUnit.id, OrgUnit.name, OrgUnit.parent_id).where(
            OrgUnit.id.in_(sorted(set(unit_ids)))
        )
    ).all()
    return {int(i): (str(name), parent) for i, name, parent in rows}


def child_units(session: Session, parent_id: int | None) -> list[tuple[int, str]]:
    """The direct sub-units of a unit (the roots when None), A to Z."""
    condition = OrgUnit.parent_id.is_(None) if parent_id is None else OrgUnit.parent_id == parent_id
    rows = session.execute(
        select(OrgUnit.id, OrgUnit.name).where(condition).order_by(OrgUnit.name, OrgUnit.id)
    ).all()
    return [(int(i), str(n)) for i, n in rows]


def unit_exists(session: Session, unit_id: int) -> bool:
    """Whether an org unit exists."""
    return session.get(OrgUnit, unit_id) is not None


def location_name(session: Session, location_id: int) -> str | None:
    """A location's name, or None when it does not exist."""
    location = session.get(Location, location_id)
    return None if location is None else location.name


def locations(session: Session) -> list[tuple[int, str]]:
    """Every location, A to Z."""
    rows = session.execute(select(Location.id, Location.name).order_by(Location.name)).all()
    return [(int(i), str(n)) for i, n in rows]


def role_title(session: Session, role_id: int) -> str | None:
    """A role's title, or None when it does not exist."""
    role = session.get(Role, role_id)
    return None if role is None else role.title


def roles_with_profiles(session: Session) -> list[tuple[int, str]]:
    """The organisation's roles that have a skill profile, A to Z (target-role choices)."""
    has_profile = select(RoleSkill.role_id).distinct()
    rows = session.execute(
        select(Role.id, Role.title)
        .where(Role.is_template.is_(False), Role.id.in_(has_profile))
        .order_by(Role.title, Role.id)
    ).all()
    return [(int(i), str(t)) for i, t in rows]


def skill_names(session: Session, skill_ids: Sequence[int]) -> dict[int, str]:
    """Names of some skills."""
    names: dict[int, str] = {}
    for chunk in _chunks(sorted(set(skill_ids)), ID_CHUNK):
        names.update(
            (int(i), str(n))
            for i, n in session.execute(select(Skill.id, Skill.name).where(Skill.id.in_(chunk)))
        )
    return names


def people_named(session: Session, employee_ids: Sequence[int]) -> dict[int, tuple[str, str]]:
    """(full name, role title or "") of some people."""
    names: dict[int, tuple[str, str]] = {}
    for chunk in _chunks(sorted(set(employee_ids)), ID_CHUNK):
        rows = session.execute(
            select(Employee.id, Employee.first_name, Employee.last_name, Role.title)
            .outerjoin(Role, Role.id == Employee.role_id)
            .where(Employee.id.in_(chunk))
        ).all()
        names.update((int(i), (f"{f} {last}", t or "")) for i, f, last, t in rows)
    return names


# Strategic priorities


def priority_by_name(session: Session, name: str) -> StrategicPriority | None:
    """The priority with this name (case-insensitive), if any."""
    return session.scalars(
        select(StrategicPriority).where(func.lower(StrategicPriority.name) == name.strip().lower())
    ).first()


def active_priorities(session: Session) -> list[StrategicPriority]:
    """The active strategic priorities, A to Z."""
    return list(
        session.scalars(
            select(StrategicPriority)
            .where(StrategicPriority.active.is_(True))
            .order_by(StrategicPriority.name)
        )
    )


def priority_weights(
    session: Session, priority_ids: Sequence[int]
) -> tuple[dict[int, float], dict[int, float]]:
    """Skill and role weights of some priorities; a skill or role several name takes the
    highest weight."""
    skills: dict[int, float] = {}
    roles: dict[int, float] = {}
    if not priority_ids:
        return skills, roles
    for skill_id, weight in session.execute(
        select(PrioritySkill.skill_id, PrioritySkill.weight).where(
            PrioritySkill.priority_id.in_(priority_ids)
        )
    ):
        skills[int(skill_id)] = max(float(weight), skills.get(int(skill_id), float(weight)))
    for role_id, weight in session.execute(
        select(PriorityRole.role_id, PriorityRole.weight).where(
            PriorityRole.priority_id.in_(priority_ids)
        )
    ):
        roles[int(role_id)] = max(float(weight), roles.get(int(role_id), float(weight)))
    return skills, roles


def headcount_needed(session: Session, priority_ids: Sequence[int]) -> dict[int, int]:
    """Extra people the priorities ask for, per role."""
    if not priority_ids:
        return {}
    rows = session.execute(
        select(PriorityRole.role_id, func.sum(PriorityRole.headcount_needed))
        .where(PriorityRole.priority_id.in_(priority_ids))
        .group_by(PriorityRole.role_id)
    ).all()
    return {int(r): int(n or 0) for r, n in rows}


# Inputs fingerprint: is a stored snapshot still the answer for today?


def inputs_fingerprint(session: Session, day: date) -> str:
    """A short digest of everything the roll-ups depend on, cheap to compute.

    The latest consolidation run (every writer of `employee_skill` records one), the employees
    (count, highest id, last change: every writer sets `updated_at`), the day, the role
    profiles, the unit tree and the priorities with their weights.
    """
    build = session.scalar(select(func.max(ProfileBuild.id)))
    # Every writer of employees sets `updated_at` (indexed), and the day is part of the digest,
    # so count, highest id and last change say whether the people employed that day changed.
    # One aggregate per query: SQLite answers a lone max() from the index, not a combination.
    workforce_row = (
        session.scalar(select(func.count()).select_from(Employee)),
        session.scalar(select(func.max(Employee.updated_at))),
        session.scalar(select(func.max(Employee.id))),
    )
    profile_row = session.execute(
        select(
            func.count(),
            func.max(RoleSkill.id),
            func.sum(RoleSkill.target_level),
            func.sum(RoleSkill.importance),
            func.sum(RoleSkill.skill_id),
        )
    ).one()
    unit_row = session.execute(
        select(func.count(), func.sum(func.coalesce(OrgUnit.parent_id, 0)), func.max(OrgUnit.id))
    ).one()
    priority_row = session.execute(
        select(
            func.count(),
            func.sum(case((StrategicPriority.active.is_(True), StrategicPriority.id), else_=0)),
        )
    ).one()
    weights_row = session.execute(
        select(func.count(), func.sum(PrioritySkill.weight), func.sum(PrioritySkill.skill_id))
    ).one()
    role_weights_row = session.execute(
        select(func.count(), func.sum(PriorityRole.weight), func.sum(PriorityRole.role_id))
    ).one()
    text = repr(
        (
            day.isoformat(),
            build,
            tuple(workforce_row),
            tuple(profile_row),
            tuple(unit_row),
            tuple(priority_row),
            tuple(weights_row),
            tuple(role_weights_row),
        )
    )
    return hashlib.sha256(text.encode()).hexdigest()[:40]


# Snapshots


def latest_snapshot(session: Session) -> GapSnapshot | None:
    """The most recent snapshot."""
    return session.scalars(select(GapSnapshot).order_by(GapSnapshot.as_of.desc()).limit(1)).first()


def snapshots(session: Session) -> list[GapSnapshot]:
    """Every snapshot, oldest first."""
    return list(session.scalars(select(GapSnapshot).order_by(GapSnapshot.as_of)))


def delete_snapshot_of_month(session: Session, month: str, as_of: date) -> None:
    """Remove the snapshot of a month (and any with the same date), lines first."""
    ids = list(
        session.scalars(
            select(GapSnapshot.id).where(
                or_(GapSnapshot.month == month, GapSnapshot.as_of == as_of)
            )
        )
    )
    if not ids:
        return
    session.execute(delete(GapSnapshotLine).where(GapSnapshotLine.snapshot_id.in_(ids)))
    session.execute(delete(GapSnapshotUnit).where(GapSnapshotUnit.snapshot_id.in_(ids)))
    session.execute(delete(GapSnapshot).where(GapSnapshot.id.in_(ids)))


def add_snapshot(
    session: Session,
    *,
    as_of: date,
    taken_at: datetime,
    basis: str,
    employees: int,
    inputs: str,
) -> GapSnapshot:
    """Insert a snapshot's header (its lines follow with `insert_lines`)."""
    snapshot = GapSnapshot(
        as_of=as_of,
        month=as_of.strftime("%Y-%m"),
        taken_at=taken_at,
        basis=basis,
        employees=employees,
        lines=0,
        inputs=inputs,
    )
    session.add(snapshot)
    session.flush()
    return snapshot


_LINE_FIELDS = (
    "snapshot_id",
    "priority_id",
    "unit_id",
    "skill_id",
    "demand",
    "met",
    "supply",
    "coverage",
    "impact",
    "shortfall_sum",
    "reference_level",
)


def insert_lines(session: Session, snapshot: GapSnapshot, frame: pl.DataFrame) -> int:
    """Insert snapshot lines from a frame with the line columns (nulls for org and combined).

    Plain numbers only, so the rows go to the driver as they are: one executemany per batch on
    SQLite, COPY on PostgreSQL (no per-row parameter handling).
    """
    rows = frame.select(pl.lit(snapshot.id, dtype=pl.Int64).alias("snapshot_id"), *_LINE_FIELDS[1:])
    connection = session.connection()
    driver = connection.connection.driver_connection
    assert driver is not None
    names = ", ".join(f'"{name}"' for name in _LINE_FIELDS)
    table = bulk.table_of(GapSnapshotLine).name
    if connection.dialect.name == "postgresql":
        with (
            driver.cursor() as cursor,
            cursor.copy(f'COPY "{table}" ({names}) FROM STDIN (FORMAT csv)') as copy,
        ):
            for chunk in rows.iter_slices(LINE_BATCH):
                copy.write(chunk.write_csv(include_header=False, float_precision=None))
    else:
        marks = ", ".join("?" for _ in _LINE_FIELDS)
        cursor = driver.cursor()
        try:
            for chunk in rows.iter_slices(LINE_BATCH):
                cursor.executemany(
                    f'INSERT INTO "{table}" ({names}) VALUES ({marks})',  # noqa: S608
                    chunk.iter_rows(),
                )
        finally:
            cursor.close()
    snapshot.lines = rows.height
    session.flush()
    return rows.height


def insert_units(
    session: Session, snapshot: GapSnapshot, units: Sequence[tuple[int, int, bool]]
) -> None:
    """Record the units a snapshot stores lines for: (unit id, headcount, every lens)."""
    bulk.insert_new_rows(
        session,
        bulk.table_of(GapSnapshotUnit),
        [
            {"snapshot_id": snapshot.id, "unit_id": u, "people": n, "every_lens": every}
            for u, n, every in units
        ],
    )


def stored_units(
    session: Session, snapshot_id: int, unit_ids: Sequence[int], *, every_lens: bool = False
) -> dict[int, int]:
    """Which of some units a snapshot stores (for every lens, when asked), with their headcount
    then."""
    if not unit_ids:
        return {}
    conditions = [
        GapSnapshotUnit.snapshot_id == snapshot_id,
        GapSnapshotUnit.unit_id.in_(list(unit_ids)),
    ]
    if every_lens:
        conditions.append(GapSnapshotUnit.every_lens.is_(True))
    rows = session.execute(
        select(GapSnapshotUnit.unit_id, GapSnapshotUnit.people).where(*conditions)
    ).all()
    return {int(u): int(n) for u, n in rows}


LineRow = tuple[int, int, int, int, float, float, float, float]
"""(skill id, demand, met, supply, coverage, impact, shortfall sum, reference level)."""


def _lens(priority_id: int | None) -> ColumnElement[bool]:
    if priority_id is None:
        return GapSnapshotLine.priority_id.is_(None)
    return GapSnapshotLine.priority_id == priority_id


def _population(unit_id: int | None) -> ColumnElement[bool]:
    if unit_id is None:
        return GapSnapshotLine.unit_id.is_(None)
    return GapSnapshotLine.unit_id == unit_id


_LINE_COLUMNS = (
    GapSnapshotLine.skill_id,
    GapSnapshotLine.demand,
    GapSnapshotLine.met,
    GapSnapshotLine.supply,
    GapSnapshotLine.coverage,
    GapSnapshotLine.impact,
    GapSnapshotLine.shortfall_sum,
    GapSnapshotLine.reference_level,
)


def snapshot_lines(
    session: Session,
    *,
    snapshot_id: int,
    priority_id: int | None,
    unit_id: int | None,
    limit: int | None = None,
) -> tuple[list[LineRow], int]:
    """The lines of one lens and population, highest impact first, and how many there are."""
    conditions = [
        GapSnapshotLine.snapshot_id == snapshot_id,
        _lens(priority_id),
        _population(unit_id),
    ]
    statement = (
        select(*_LINE_COLUMNS)
        .where(*conditions)
        .order_by(GapSnapshotLine.impact.desc(), GapSnapshotLine.skill_id)
    )
    if limit is not None:
        statement = statement.limit(limit)
    rows = [tuple(row) for row in session.execute(statement)]
    total = session.scalar(select(func.count()).select_from(GapSnapshotLine).where(*conditions))
    return rows, int(total or 0)  # type: ignore[return-value]


def snapshot_cells(
    session: Session,
    *,
    snapshot_id: int,
    priority_id: int | None,
    unit_ids: Sequence[int],
    skill_ids: Sequence[int],
) -> list[tuple[int, LineRow]]:
    """(unit id, line) of some units and skills of one lens."""
    if not unit_ids or not skill_ids:
        return []
    rows = session.execute(
        select(GapSnapshotLine.unit_id, *_LINE_COLUMNS).where(
            GapSnapshotLine.snapshot_id == snapshot_id,
            _lens(priority_id),
            GapSnapshotLine.unit_id.in_(list(unit_ids)),
            GapSnapshotLine.skill_id.in_(list(skill_ids)),
        )
    ).all()
    return [(int(row[0] or 0), tuple(row[1:])) for row in rows]  # type: ignore[misc]


def trend_totals(
    session: Session, *, priority_id: int | None, unit_id: int | None
) -> list[tuple[date, int, int, int, float]]:
    """Per snapshot (oldest first): lines, demand, met and total impact of one lens/population."""
    rows = session.execute(
        select(
            GapSnapshot.as_of,
            func.count(GapSnapshotLine.id),
            func.coalesce(func.sum(GapSnapshotLine.demand), 0),
            func.coalesce(func.sum(GapSnapshotLine.met), 0),
            func.coalesce(func.sum(GapSnapshotLine.impact), 0.0),
        )
        .join(
            GapSnapshotLine,
            and_(
                GapSnapshotLine.snapshot_id == GapSnapshot.id,
                _lens(priority_id),
                _population(unit_id),
            ),
            isouter=True,
        )
        .group_by(GapSnapshot.id, GapSnapshot.as_of)
        .order_by(GapSnapshot.as_of)
    ).all()
    return [(d, int(n), int(dem), int(met), float(imp)) for d, n, dem, met, imp in rows]


def trend_of_skills(
    session: Session, *, priority_id: int | None, unit_id: int | None, skill_ids: Sequence[int]
) -> list[tuple[date, int, float, float]]:
    """(snapshot date, skill id, coverage, impact) of some skills, oldest first."""
    if not skill_ids:
        return []
    rows = session.execute(
        select(
            GapSnapshot.as_of,
            GapSnapshotLine.skill_id,
            GapSnapshotLine.coverage,
            GapSnapshotLine.impact,
        )
        .join(GapSnapshotLine, GapSnapshotLine.snapshot_id == GapSnapshot.id)
        .where(
            _lens(priority_id), _population(unit_id), GapSnapshotLine.skill_id.in_(list(skill_ids))
        )
        .order_by(GapSnapshot.as_of, GapSnapshotLine.skill_id)
    ).all()
    return [(d, int(s), float(c), float(i)) for d, s, c, i in rows]


# What a gap blocks, how to close it, and a team's context


def prerequisite_of(session: Session, skill_ids: Sequence[int]) -> dict[int, list[int]]:
    """For each skill, the skills that need it first (`prerequisite` relations)."""
    if not skill_ids:
        return {}
    found: dict[int, list[int]] = {}
    for needing, needed in session.execute(
        select(SkillRelation.from_skill_id, SkillRelation.to_skill_id).where(
            SkillRelation.kind == "prerequisite", SkillRelation.to_skill_id.in_(list(skill_ids))
        )
    ):
        found.setdefault(int(needed), []).append(int(needing))
    return found


def items_teaching(
    session: Session, skill_ids: Sequence[int]
) -> list[tuple[int, int, str, str, int, float]]:
    """(skill id, item id, title, kind, minutes, level gained) of active catalog items."""
    if not skill_ids:
        return []
    rows = session.execute(
        select(
            ItemSkill.skill_id,
            LearningItem.id,
            LearningItem.title,
            LearningItem.kind,
            LearningItem.minutes,
            ItemSkill.level_gained,
        )
        .join(LearningItem, LearningItem.id == ItemSkill.item_id)
        .where(ItemSkill.skill_id.in_(list(skill_ids)), LearningItem.active.is_(True))
        .order_by(ItemSkill.skill_id, LearningItem.minutes, LearningItem.id)
    ).all()
    return [(int(s), int(i), str(t), str(k), int(m), float(g)) for s, i, t, k, m, g in rows]


def latest_performance(session: Session, population: Population) -> dict[int, tuple[int, int]]:
    """Each person's latest (performance 1–5, potential 1–3) on or before the day."""
    latest = (
        select(
            PerformanceRating.employee_id.label("employee_id"),
            func.max(PerformanceRating.period_end).label("period_end"),
        )
        .where(
            PerformanceRating.employee_id.in_(population_ids(population)),
            PerformanceRating.period_end <= population.day,
        )
        .group_by(PerformanceRating.employee_id)
        .subquery()
    )
    rating = aliased(PerformanceRating)
    rows = session.execute(
        select(rating.employee_id, rating.performance, rating.potential).join(
            latest,
            and_(
                latest.c.employee_id == rating.employee_id,
                latest.c.period_end == rating.period_end,
            ),
        )
    ).all()
    return {int(e): (int(p), int(q)) for e, p, q in rows}


def recent_engagement(session: Session, population: Population, since: date) -> dict[int, float]:
    """Each person's mean engagement score observed between `since` and the day."""
    rows = session.execute(
        select(EngagementScore.employee_id, func.avg(EngagementScore.score))
        .where(
            EngagementScore.employee_id.in_(population_ids(population)),
            EngagementScore.observed_on >= since,
            EngagementScore.observed_on <= population.day,
        )
        .group_by(EngagementScore.employee_id)
    ).all()
    return {int(e): float(s) for e, s in rows}


def org_performance_mean(session: Session, day: date) -> tuple[float | None, int]:
    """Mean latest performance rating of everyone employed on a day, and how many are rated."""
    ratings = latest_performance(session, Population(day=day))
    if not ratings:
        return None, 0
    values = [p for p, _q in ratings.values()]
    return sum(values) / len(values), len(values)


def org_engagement_mean(session: Session, day: date, since: date) -> tuple[float | None, int]:
    """Mean recent engagement of everyone employed on a day, and how many answered."""
    row = session.execute(
        select(
            func.avg(EngagementScore.score), func.count(func.distinct(EngagementScore.employee_id))
        )
        .join(Employee, Employee.id == EngagementScore.employee_id)
        .where(
            active_on(day),
            EngagementScore.observed_on >= since,
            EngagementScore.observed_on <= day,
        )
    ).one()
    return (None if row[0] is None else float(row[0])), int(row[1] or 0)


def open_positions(
    session: Session, *, manager_id: int, day: date
) -> list[tuple[int, str, int, str, date, str]]:
    """Openings open on a day whose hiring manager is the manager or anyone in their line:
    (opening id, external id, role id, role title, opened on, unit name)."""
    line = population_ids(Population(day=day, manager_id=manager_id))
    rows = session.execute(
        select(
            Opening.id,
            Opening.external_id,
            Opening.role_id,
            Role.title,
            Opening.opened_on,
            func.coalesce(OrgUnit.name, literal("")),
        )
        .join(Role, Role.id == Opening.role_id)
        .outerjoin(OrgUnit, OrgUnit.id == Opening.org_unit_id)
        .where(
            Opening.opened_on <= day,
            or_(
                Opening.status == "open",
                and_(Opening.filled_on.is_not(None), Opening.filled_on > day),
            ),
            or_(Opening.hiring_manager_id == manager_id, Opening.hiring_manager_id.in_(line)),
        )
        .order_by(Opening.opened_on, Opening.id)
    ).all()
    return [(int(i), str(x), int(r), str(t), o, str(u)) for i, x, r, t, o, u in rows]


def direct_report_ids(session: Session, manager_id: int, day: date) -> list[int]:
    """Ids of a manager's direct reports employed on a day."""
    return [
        int(i)
        for i in session.scalars(
            select(Employee.id).where(Employee.manager_id == manager_id, active_on(day))
        )
    ]


def count_people(session: Session, population: Population) -> int:
    """How many people a population holds."""
    return int(
        session.scalar(
            select(func.count()).select_from(Employee).where(*_population_conditions(population))
        )
        or 0
    )


def line_ids(session: Session, manager_id: int, day: date) -> list[int]:
    """Ids of everyone employed on a day in a manager's reporting line."""
    return [
        int(i) for i in session.scalars(population_ids(Population(day=day, manager_id=manager_id)))
    ]


def managers_with_reports(session: Session, day: date, limit: int = 500) -> list[tuple[int, str]]:
    """People employed on a day who have direct reports (brief choices for HR), A to Z."""
    report = aliased(Employee)
    has_reports = select(report.manager_id).where(
        report.manager_id.is_not(None), or_(report.left_on.is_(None), report.left_on > day)
    )
    rows = session.execute(
        select(Employee.id, Employee.first_name, Employee.last_name)
        .where(active_on(day), Employee.id.in_(has_reports))
        .order_by(Employee.last_name, Employee.first_name, Employee.id)
        .limit(limit)
    ).all()
    return [(int(i), f"{f} {last}") for i, f, last in rows]
