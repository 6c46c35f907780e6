"""SQL of consolidated profiles: evidence read as columns, `employee_skill` replaced in bulk.

A full rebuild reads millions of evidence rows and writes millions of profile rows, so nothing
here builds ORM objects or a Python object per value:

- PostgreSQL: `COPY (SELECT …) TO STDOUT (FORMAT binary)` with every column cast to a
  fixed-size type, so each row has the same byte layout and numpy reads the whole stream as one
  structured array; profiles go back the same way (`COPY … FROM STDIN (FORMAT binary)` from a
  structured array). Floats travel as their 8 bytes: bit-exact, no text formatting.
- SQLite: the rows are turned into CSV text by SQLite itself (`group_concat` over slices of
  the table, in C; floats as 17 significant digits, which read back bit for bit) and parsed by
  polars; profiles are written with one prepared executemany on the driver's cursor.

Replacing rows is delete-then-insert inside the caller's transaction; `lock_profiles` explains
why concurrent writers cannot interleave, and `replace_all_profiles` why a full rebuild may
rebuild the secondary index instead of maintaining it row by row.
"""

from __future__ import annotations

import io
import struct
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import islice
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl
from sqlalchemy import CursorResult, ForeignKeyConstraint, Index, delete, func, select, text
from sqlalchemy.orm import Session
from sqlalchemy.schema import AddConstraint, DropConstraint

from skillpath.db import bulk
from skillpath.domains.evidence.engine.policy import SOURCES
from skillpath.domains.evidence.models import EmployeeSkill, ProfileBuild, SkillEvidence
from skillpath.domains.people.models import Employee
from skillpath.domains.taxonomy.models import Skill

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

ID_CHUNK = 5_000
"""Employee ids per IN-list (SQLite) when reading or deleting the rows of some employees."""
PG_ID_CHUNK = 100_000
"""Employee ids per `= ANY(array)` (PostgreSQL)."""
SQLITE_SLICE = 250_000
"""Rows (by rowid range) per `group_concat` string on SQLite (~10 MB of text)."""
WRITE_CHUNK = 200_000
"""Profile rows per executemany (SQLite) or COPY block (PostgreSQL)."""
REBUILD_INDEX_FROM = 200_000
"""A full replacement of at least this many rows drops the secondary index and builds it again
afterwards (one sort) instead of updating it for every row (a random B-tree insert each)."""
PROFILE_LOCK_KEY = 0x5E1D_0F11
"""PostgreSQL advisory lock key serialising writers of `employee_skill`."""
PROFILE_COLUMNS = (
    "employee_id",
    "skill_id",
    "level",
    "confidence",
    "floor",
    "evidence_count",
    "total_weight",
    "computed_at",
)
_EPOCH_DAY = date(1970, 1, 1)
_PG_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
_PG_COPY_SIGNATURE = b"PGCOPY\n\xff\r\n\x00"
_PG_COPY_HEADER = _PG_COPY_SIGNATURE + struct.pack(">ii", 0, 0)
_PG_COPY_TRAILER = struct.pack(">h", -1)
_PG_TYPES = {"i4": ("int4", ">i4"), "i8": ("int8", ">i8"), "f8": ("float8", ">f8")}


@dataclass(frozen=True)
class EvidenceColumns:
    """Evidence rows counted as of a moment, as parallel arrays (one element per row).

    Rows observed after the moment are left out (they did not exist yet). `source` holds codes
    of `engine.policy.SOURCES`, `rater` −1 when nobody rated, `observed_day` days since
    1970-01-01 (UTC), `expired` whether an expiry date lies before the moment's day. `id` is
    filled only when asked for (the breakdown needs it, a rebuild does not).
    """

    id: IntArray | None
    employee: IntArray
    skill: IntArray
    source: IntArray
    rater: IntArray
    level: FloatArray
    confidence: FloatArray
    observed_day: IntArray
    expired: BoolArray

    @property
    def size(self) -> int:
        """Number of rows."""
        return int(self.employee.shape[0])


def _source_code_sql(column: str) -> str:
    """A CASE expression turning the source word into its engine code."""
    cases = " ".join(f"WHEN '{name}' THEN {code}" for code, name in enumerate(SOURCES))
    return f"CASE {column} {cases} ELSE -1 END"


def _chunks(ids: Sequence[int], size: int) -> Iterator[list[int]]:
    iterator = iter(ids)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _driver(session: Session) -> Any:
    """The DBAPI connection under the session's connection (its transaction included)."""
    driver = session.connection().connection.driver_connection
    assert driver is not None
    return driver


# Reading. A field is (name, SQLite expression, PostgreSQL expression, kind): "i" integers,
# "f" floats. SQLite formats the integer fields of a row with one printf into CSV text (one
# `group_concat` string per slice of rows) and returns the floats natively (exact, and cheaper
# than formatting 17 digits); PostgreSQL aggregates each field of a batch into one binary array.


@dataclass(frozen=True)
class _Field:
    name: str
    sqlite: str
    postgresql: str
    kind: str


_EVIDENCE_FIELDS: tuple[_Field, ...] = (
    _Field("id", "id", "id::int8", "i"),
    _Field("employee", "employee_id", "employee_id::int8", "i"),
    _Field("skill", "skill_id", "skill_id::int8", "i"),
    _Field("source", _source_code_sql("source"), f"({_source_code_sql('source')})::int8", "i"),
    _Field("rater", "coalesce(rater_id, -1)", "coalesce(rater_id, -1)::int8", "i"),
    _Field(
        "observed_day",
        # Whole seconds since 1970 (stored text is UTC), floored to days also before 1970.
        "CASE WHEN unixepoch(observed_at) >= 0 THEN unixepoch(observed_at) / 86400 "
        "ELSE (unixepoch(observed_at) - 86399) / 86400 END",
        "((observed_at AT TIME ZONE 'UTC')::date - DATE '1970-01-01')::int8",
        "i",
    ),
    _Field(
        "expired",
        "(expires_on IS NOT NULL AND expires_on < :day)",
        "(expires_on IS NOT NULL AND expires_on < %(day)s)::int4::int8",
        "i",
    ),
    _Field("level", "level", "level::float8", "f"),
    _Field("confidence", "confidence", "confidence::float8", "f"),
)


def evidence_columns(
    session: Session,
    *,
    as_of: datetime,
    employee_ids: Sequence[int] | None = None,
    with_ids: bool = False,
) -> EvidenceColumns:
    """The evidence of some employees (every employee when None) as of a moment, as columns."""
    as_of = as_of.astimezone(UTC)
    fields = _EVIDENCE_FIELDS if with_ids else _EVIDENCE_FIELDS[1:]
    dialect = session.get_bind().dialect.name
    ids = None if employee_ids is None else sorted({int(e) for e in employee_ids})
    if dialect == "sqlite":
        table = bulk.table_of(SkillEvidence)
        parameters = {
            "as_of": _sqlite_text(session, table.c.observed_at, as_of),
            "day": _sqlite_text(session, table.c.expires_on, as_of.date()),
        }
        parts = _read_sqlite(
            session, "skill_evidence", fields, "observed_at <= :as_of", parameters, ids
        )
    elif dialect == "postgresql":
        parts = _read_postgresql(
            session,
            "skill_evidence",
            fields,
            "observed_at <= %(as_of)s",
            {"as_of": as_of, "day": as_of.date()},
            ids,
        )
    else:  # pragma: no cover - only SQLite and PostgreSQL are supported
        raise RuntimeError(f"unsupported database {dialect}")
    columns = _concatenated(parts, fields)
    return EvidenceColumns(
        id=columns["id"] if with_ids else None,
        employee=columns["employee"],
        skill=columns["skill"],
        source=columns["source"],
        rater=columns["rater"],
        level=columns["level"],
        confidence=columns["confidence"],
        observed_day=columns["observed_day"],
        expired=columns["expired"].astype(bool),
    )


def _concatenated(
    parts: Sequence[dict[str, npt.NDArray[Any]]], fields: Sequence[_Field]
) -> dict[str, npt.NDArray[Any]]:
    """One int64 or float64 array per field out of the parts read batch by batch."""
    result = {}
    for field in fields:
        dtype = np.float64 if field.kind == "f" else np.int64
        arrays = [part[field.name] for part in parts]
        if len(arrays) == 1:
            result[field.name] = arrays[0].astype(dtype, copy=False)
        else:
            result[field.name] = (
                np.concatenate(arrays).astype(dtype, copy=False) if arrays else np.zeros(0, dtype)
            )
    return result


def _sqlite_text(session: Session, column: Any, value: Any) -> Any:
    """A value in the text form SQLAlchemy stores it in SQLite (so comparisons are exact)."""
    dialect = session.get_bind().dialect
    convert = column.type.dialect_impl(dialect).bind_processor(dialect)
    return convert(value) if convert else value


def _read_sqlite(
    session: Session,
    table: str,
    fields: Sequence[_Field],
    condition: str,
    parameters: dict[str, Any],
    employee_ids: Sequence[int] | None,
) -> list[dict[str, npt.NDArray[Any]]]:
    """Rows of a table by slices of rowids (or batches of employees): the integer fields as
    one CSV string per slice, parsed by polars; the float fields natively, in the same order
    (both queries scan the same rowid range with the same condition)."""
    integers = [field for field in fields if field.kind == "i"]
    floats = [field for field in fields if field.kind == "f"]
    text_row = "printf('{}', {})".format(
        ",".join("%d" for _ in integers), ", ".join(field.sqlite for field in integers)
    )
    if employee_ids is None:
        where = f"rowid >= :low AND rowid < :high AND {condition}"
    else:
        where = f"employee_id IN (SELECT value FROM json_each(:ids)) AND {condition}"  # noqa: S608
    float_list = ", ".join(field.sqlite for field in floats)
    # Table, fields and condition are this module's constants: no user text in the statements.
    as_text = f"SELECT group_concat({text_row}, char(10)) FROM {table} WHERE {where}"  # noqa: S608
    as_floats = f"SELECT {float_list} FROM {table} WHERE {where}"  # noqa: S608
    cursor = _driver(session).cursor()
    parts = []
    try:
        if employee_ids is None:
            low, high = cursor.execute(
                f"SELECT coalesce(min(rowid), 0), coalesce(max(rowid), -1) FROM {table}"  # noqa: S608
            ).fetchone()
            batches: Iterator[dict[str, Any]] = (
                {**parameters, "low": start, "high": start + SQLITE_SLICE}
                for start in range(int(low), int(high) + 1, SQLITE_SLICE)
            )
        else:
            batches = (
                {**parameters, "ids": "[" + ",".join(map(str, chunk)) + "]"}
                for chunk in _chunks(employee_ids, ID_CHUNK)
            )
        for batch in batches:
            data = cursor.execute(as_text, batch).fetchone()[0]
            if not data:
                continue
            frame = pl.read_csv(
                io.BytesIO(data.encode()),
                has_header=False,
                new_columns=[field.name for field in integers],
                schema_overrides={field.name: pl.Int64 for field in integers},
            )
            part = {name: frame.get_column(name).to_numpy() for name in frame.columns}
            if floats:
                values = np.array(cursor.execute(as_floats, batch).fetchall(), dtype=np.float64)
                if values.shape[0] != frame.height:
                    raise RuntimeError(f"{table} changed while it was read")
                for position, field in enumerate(floats):
                    part[field.name] = values[:, position]
            parts.append(part)
    finally:
        cursor.close()
    return parts


_PG_ARRAY_TYPES = {"i": ">i8", "f": ">f8"}


def _read_postgresql(
    session: Session,
    table: str,
    fields: Sequence[_Field],
    condition: str,
    parameters: dict[str, Any],
    employee_ids: Sequence[int] | None,
) -> list[dict[str, npt.NDArray[Any]]]:
    """Rows of a table, each field of a batch aggregated by PostgreSQL into one array and sent
    in binary (a COPY of one row per batch: no per-row message, no text formatting)."""
    select_list = ", ".join(f"array_agg({field.postgresql})" for field in fields)
    batches: list[list[int] | None] = (
        [None] if employee_ids is None else list(_chunks(employee_ids, PG_ID_CHUNK))
    )
    parts = []
    with _driver(session).cursor() as cursor:
        for chunk in batches:
            where = condition
            values = dict(parameters)
            if chunk is not None:
                where += " AND employee_id = ANY(%(ids)s)"
                values["ids"] = chunk
            # psycopg binds COPY parameters on the client side (COPY takes no server parameters).
            query = f"SELECT {select_list} FROM {table} WHERE {where}"  # noqa: S608
            buffer = io.BytesIO()
            with cursor.copy(f"COPY ({query}) TO STDOUT (FORMAT binary)", values) as copy:
                for block in copy:
                    buffer.write(block)
            part = _binary_arrays(buffer.getbuffer(), fields)
            del buffer
            if part is not None:
                parts.append(part)
    return parts


def _binary_arrays(
    data: memoryview, fields: Sequence[_Field]
) -> dict[str, npt.NDArray[Any]] | None:
    """The arrays of a one-row binary COPY of `array_agg`s (None when no row matched)."""
    if bytes(data[: len(_PG_COPY_SIGNATURE)]) != _PG_COPY_SIGNATURE:
        raise RuntimeError("unexpected binary COPY header")
    (extension,) = struct.unpack_from(">i", data, 15)
    offset = 19 + extension
    (count,) = struct.unpack_from(">h", data, offset)
    if count != len(fields):
        raise RuntimeError("unexpected binary COPY row")
    offset += 2
    result = {}
    for field in fields:
        (length,) = struct.unpack_from(">i", data, offset)
        offset += 4
        if length < 0:
            return None  # array_agg over no rows is NULL
        dimensions, _flags, _type = struct.unpack_from(">iiI", data, offset)
        if dimensions != 1:
            raise RuntimeError("unexpected array in binary COPY")
        (size, _lower) = struct.unpack_from(">ii", data, offset + 12)
        element = np.dtype([("length", ">i4"), ("value", _PG_ARRAY_TYPES[field.kind])])
        elements = np.frombuffer(data, dtype=element, count=size, offset=offset + 20)
        if np.any(elements["length"] != 8):
            raise RuntimeError(f"nulls or unexpected types in {field.name}")
        result[field.name] = elements["value"].astype(np.float64 if field.kind == "f" else np.int64)
        offset += length
    return result


def half_life_kinds(session: Session) -> tuple[IntArray, list[str]]:
    """Every skill's id and kind (the kind decides the half-life of its evidence)."""
    rows = session.execute(select(Skill.id, Skill.kind)).all()
    return np.array([row[0] for row in rows], dtype=np.int64), [row[1] for row in rows]


# Writing


def lock_profiles(session: Session) -> None:
    """Make this transaction the only writer of `employee_skill` until it ends; call it before
    reading the evidence a refresh or rebuild is computed from.

    PostgreSQL: a transaction-level advisory lock, so two refreshes of the same people (or a
    refresh and a full rebuild) run one after the other and the second reads the evidence the
    first committed; without it, two delete-then-inserts could interleave and clash on the
    primary key. SQLite has one writer at a time: a write statement (here one that deletes
    nothing) takes the database's write lock now, so no other transaction can commit evidence
    between this read and this write.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.pg_advisory_xact_lock(PROFILE_LOCK_KEY)))
    else:
        session.execute(delete(bulk.table_of(EmployeeSkill)).where(text("0")))


def delete_profiles(session: Session, employee_ids: Sequence[int]) -> int:
    """Delete the profile rows of some employees; returns how many."""
    table = bulk.table_of(EmployeeSkill)
    connection = session.connection()
    deleted = 0
    for chunk in _chunks(sorted({int(e) for e in employee_ids}), ID_CHUNK):
        result: CursorResult[Any] = connection.execute(
            delete(table).where(table.c.employee_id.in_(chunk))
        )
        deleted += int(result.rowcount)
    return deleted


@dataclass(frozen=True)
class ProfileRows:
    """Consolidated profile rows to store, as parallel arrays sorted by employee then skill."""

    employee: IntArray
    skill: IntArray
    level: FloatArray
    confidence: FloatArray
    floor: FloatArray
    evidence_count: IntArray
    total_weight: FloatArray

    @property
    def size(self) -> int:
        """Number of rows."""
        return int(self.employee.shape[0])


def replace_all_profiles(session: Session, rows: ProfileRows, *, computed_at: datetime) -> int:
    """Replace every `employee_skill` row by `rows`; returns how many were written.

    A DELETE rather than a TRUNCATE: TRUNCATE is not MVCC-safe on PostgreSQL (a concurrent
    reader with an older snapshot would see an empty table). For big replacements the
    (skill, level) index is dropped first and created again after the insert (inside the same
    transaction, so readers keep using the old index on the old rows: SQLite readers see the
    last committed schema; PostgreSQL readers wait for the short exclusive lock DROP INDEX takes
    until the commit, and never see the table without its index). On PostgreSQL the foreign
    keys are dropped and added back the same way (ADR 0013): validating them once after the
    COPY costs one join each instead of a trigger call and parent row lock per row; until the
    commit, writes to `employee` and `skill` wait for the lock that takes.
    """
    table = bulk.table_of(EmployeeSkill)
    connection = session.connection()
    connection.execute(delete(table))
    indexes: list[Index] = sorted(table.indexes, key=lambda index: str(index.name))
    rebuild = rows.size >= REBUILD_INDEX_FROM
    # PostgreSQL checks a foreign key with a trigger per inserted row (a lookup and a row lock
    # on the parent each); added back after the COPY, each key is validated by one join.
    # SQLite cannot drop a constraint (its checks are plain index lookups, much cheaper).
    foreign_keys: list[ForeignKeyConstraint] = (
        sorted(table.foreign_key_constraints, key=lambda key: str(key.name))
        if rebuild and connection.dialect.name == "postgresql"
        else []
    )
    if rebuild:
        for index in indexes:
            index.drop(connection)
        for key in foreign_keys:
            connection.execute(DropConstraint(key))
    written = insert_profiles(session, rows, computed_at=computed_at)
    if rebuild:
        for index in indexes:
            index.create(connection)
        for key in foreign_keys:
            connection.execute(AddConstraint(key))
    # Fresh statistics, or PostgreSQL plans profile reads as if the table were empty.
    bulk.analyze(session, [table])
    return written


def replace_profiles_of(
    session: Session, employee_ids: Sequence[int], rows: ProfileRows, *, computed_at: datetime
) -> int:
    """Replace the `employee_skill` rows of some employees by `rows` (which must be theirs)."""
    delete_profiles(session, employee_ids)
    return insert_profiles(session, rows, computed_at=computed_at)


def insert_profiles(session: Session, rows: ProfileRows, *, computed_at: datetime) -> int:
    """Insert profile rows known to be new (their employees' old rows were deleted first)."""
    if rows.size == 0:
        return 0
    if session.get_bind().dialect.name == "sqlite":
        return _insert_sqlite(session, rows, computed_at)
    return _insert_postgresql(session, rows, computed_at)


def _insert_sqlite(session: Session, rows: ProfileRows, computed_at: datetime) -> int:
    """One prepared executemany per chunk on the driver's cursor."""
    table = bulk.table_of(EmployeeSkill)
    moment = _sqlite_text(session, table.c.computed_at, computed_at)
    quoted = ", ".join(f'"{name}"' for name in PROFILE_COLUMNS)
    marks = ", ".join("?" for _ in PROFILE_COLUMNS)
    statement = f'INSERT INTO "{table.name}" ({quoted}) VALUES ({marks})'  # noqa: S608
    cursor = _driver(session).cursor()
    try:
        for start in range(0, rows.size, WRITE_CHUNK):
            stop = min(start + WRITE_CHUNK, rows.size)
            cursor.executemany(
                statement,
                zip(
                    rows.employee[start:stop].tolist(),
                    rows.skill[start:stop].tolist(),
                    rows.level[start:stop].tolist(),
                    rows.confidence[start:stop].tolist(),
                    rows.floor[start:stop].tolist(),
                    rows.evidence_count[start:stop].tolist(),
                    rows.total_weight[start:stop].tolist(),
                    [moment] * (stop - start),
                    strict=True,
                ),
            )
    finally:
        cursor.close()
    return rows.size


def _binary_dtype(kinds: Sequence[str]) -> np.dtype[Any]:
    """The byte layout of one row of a binary COPY whose columns are all non-null and fixed
    size: a 16-bit field count, then per field a 32-bit length and the big-endian value."""
    layout: list[tuple[str, str]] = [("fields", ">i2")]
    for position, kind in enumerate(kinds):
        layout.append((f"length{position}", ">i4"))
        layout.append((f"value{position}", _PG_TYPES[kind][1]))
    return np.dtype(layout)


def _insert_postgresql(session: Session, rows: ProfileRows, computed_at: datetime) -> int:
    """A binary COPY built from a structured array (no text formatting of any value)."""
    table = bulk.table_of(EmployeeSkill)
    columns: list[tuple[str, str, npt.NDArray[Any]]] = [
        ("employee_id", "i4", rows.employee),
        ("skill_id", "i4", rows.skill),
        ("level", "f8", rows.level),
        ("confidence", "f8", rows.confidence),
        ("floor", "f8", rows.floor),
        ("evidence_count", "i4", rows.evidence_count),
        ("total_weight", "f8", rows.total_weight),
        ("computed_at", "i8", np.zeros(0, dtype=np.int64)),
    ]
    kinds = [kind for _, kind, _ in columns]
    dtype = _binary_dtype(kinds)
    micros = (computed_at - _PG_EPOCH) // _MICROSECOND
    quoted = ", ".join(f'"{name}"' for name, _, _ in columns)
    statement = f'COPY "{table.name}" ({quoted}) FROM STDIN (FORMAT binary)'
    with _driver(session).cursor() as cursor, cursor.copy(statement) as copy:
        copy.write(_PG_COPY_HEADER)
        for start in range(0, rows.size, WRITE_CHUNK):
            stop = min(start + WRITE_CHUNK, rows.size)
            block = np.empty(stop - start, dtype=dtype)
            block["fields"] = len(columns)
            for position, (_, kind, values) in enumerate(columns):
                block[f"length{position}"] = np.dtype(_PG_TYPES[kind][1]).itemsize
                block[f"value{position}"] = micros if values.shape[0] == 0 else values[start:stop]
            copy.write(block.tobytes())
        copy.write(_PG_COPY_TRAILER)
    return rows.size


# Builds


def add_profile_build(
    session: Session,
    *,
    kind: str,
    started_at: datetime,
    finished_at: datetime,
    as_of: datetime,
    employees: int,
    rows: int,
    policy: str,
) -> ProfileBuild:
    """Record one consolidation run."""
    build = ProfileBuild(
        kind=kind,
        started_at=started_at,
        finished_at=finished_at,
        as_of=as_of,
        employees=employees,
        rows=rows,
        policy=policy,
    )
    session.add(build)
    session.flush()
    return build


def latest_profile_build(session: Session, kind: str | None = None) -> ProfileBuild | None:
    """The most recent consolidation run (of a kind, when given)."""
    statement = select(ProfileBuild).order_by(ProfileBuild.id.desc()).limit(1)
    if kind is not None:
        statement = statement.where(ProfileBuild.kind == kind)
    return session.scalars(statement).first()


def count_profiles(session: Session) -> int:
    """How many profile rows are stored."""
    return int(session.scalar(select(func.count()).select_from(EmployeeSkill)) or 0)


def days_since_epoch(moment: datetime) -> int:
    """Days from 1970-01-01 to the UTC date of a moment."""
    return (moment.astimezone(UTC).date() - _EPOCH_DAY).days


# Reading stored profiles in bulk (organisation-wide gap roll-ups)

_PROFILE_FIELDS: tuple[_Field, ...] = (
    _Field("employee", "employee_id", "employee_id::int8", "i"),
    _Field("skill", "skill_id", "skill_id::int8", "i"),
    _Field("level", "level", "level::float8", "f"),
    _Field("confidence", "confidence", "confidence::float8", "f"),
)


@dataclass(frozen=True)
class ProfileLevels:
    """Every stored consolidated level as parallel arrays, sorted by employee then skill."""

    employee: IntArray
    skill: IntArray
    level: FloatArray
    confidence: FloatArray


def profile_levels(session: Session) -> ProfileLevels:
    """Every consolidated level (the input of organisation-wide gap roll-ups), read in bulk
    like `evidence_columns` (no Python object per value but the floats on SQLite)."""
    if session.get_bind().dialect.name == "sqlite":
        parts = _read_sqlite(session, "employee_skill", _PROFILE_FIELDS, "1", {}, None)
    else:
        parts = _read_postgresql(session, "employee_skill", _PROFILE_FIELDS, "true", {}, None)
    columns = _concatenated(parts, _PROFILE_FIELDS)
    order = np.lexsort((columns["skill"], columns["employee"]))
    return ProfileLevels(
        employee=columns["employee"][order],
        skill=columns["skill"][order],
        level=columns["level"][order],
        confidence=columns["confidence"][order],
    )


def count_employees(session: Session) -> int:
    """How many employees there are (past ones included)."""
    return int(session.scalar(select(func.count()).select_from(Employee)) or 0)
