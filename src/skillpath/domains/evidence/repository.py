"""SQL of the evidence domain: skill evidence and intents."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

import polars as pl
from sqlalchemy import Row, func, select
from sqlalchemy.orm import Session, aliased

from skillpath.db import bulk
from skillpath.db.base import Base
from skillpath.domains.evidence.models import SkillEvidence
from skillpath.domains.identity.visibility import Viewer, visible_to
from skillpath.domains.people.models import Employee
from skillpath.domains.taxonomy.models import Skill

# Reads for pages and the API

EvidenceRow = Row[SkillEvidence, str, str, str]


def evidence_of_employee(
    session: Session, *, viewer: Viewer, employee_id: int, limit: int
) -> tuple[Sequence[EvidenceRow], int]:
    """A person's evidence, newest first, with skill and rater names, and how many rows exist.

    The rater's first and last names are None when there is no rater (outer join).
    """
    rater = aliased(Employee)
    visible = visible_to(viewer, SkillEvidence.employee_id.expression)
    rows = session.execute(
        select(SkillEvidence, Skill.name, rater.first_name, rater.last_name)
        .join(Skill, Skill.id == SkillEvidence.skill_id)
        .outerjoin(rater, rater.id == SkillEvidence.rater_id)
        .where(SkillEvidence.employee_id == employee_id, visible)
        .order_by(SkillEvidence.observed_at.desc(), SkillEvidence.id.desc())
        .limit(limit)
    ).all()
    total = session.scalar(
        select(func.count())
        .select_from(SkillEvidence)
        .where(SkillEvidence.employee_id == employee_id, visible)
    )
    return rows, int(total or 0)


def evidenced_skill_ids(session: Session, employee_id: int) -> set[int]:
    """The skills a person has at least one piece of evidence for."""
    return set(
        session.scalars(
            select(SkillEvidence.skill_id)
            .where(SkillEvidence.employee_id == employee_id)
            .distinct()
        )
    )


def evidence_stats_by_employee(
    session: Session, employee_ids: Sequence[int]
) -> dict[int, tuple[int, datetime | None]]:
    """(evidence rows, newest observation) per person, for a set of people."""
    if not employee_ids:
        return {}
    rows = session.execute(
        select(
            SkillEvidence.employee_id,
            func.count(),
            func.max(SkillEvidence.observed_at),
        )
        .where(SkillEvidence.employee_id.in_(employee_ids))
        .group_by(SkillEvidence.employee_id)
    ).all()
    return {employee_id: (int(n), newest) for employee_id, n, newest in rows}


# Writes of the evidence CSV import (append-only, idempotent by fingerprint)

EVIDENCE_IMPORT_COLUMNS = (
    "fingerprint",
    "employee_id",
    "skill_id",
    "source",
    "rater_id",
    "level",
    "confidence",
    "observed_at",
    "expires_on",
    "note",
    "recorded_at",
)
"""The columns, in order, of the tuples `insert_evidence` takes."""


def evidence_converters(session: Session) -> list[Callable[[Any], Any] | None]:
    """Per column of `EVIDENCE_IMPORT_COLUMNS`, what turns a value into the driver's form."""
    return bulk.driver_converters(session, bulk.table_of(SkillEvidence), EVIDENCE_IMPORT_COLUMNS)


def insert_evidence(session: Session, rows: Iterable[Sequence[Any]]) -> int:
    """Append evidence tuples in driver form, skipping fingerprints already stored; returns
    how many rows were new."""
    return bulk.insert_prepared_ignoring_conflicts(
        session,
        bulk.table_of(SkillEvidence),
        EVIDENCE_IMPORT_COLUMNS,
        rows,
        conflict_columns=("employee_id", "fingerprint"),
    )


def insert_evidence_frame(
    session: Session,
    frame: pl.DataFrame,
    *,
    recorded_at: datetime,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Append checked evidence given as columns (`EVIDENCE_IMPORT_COLUMNS` but recorded_at,
    which is `recorded_at` for every row), skipping fingerprints already stored; returns how
    many rows were new."""
    rows = frame.with_columns(
        pl.lit(recorded_at, dtype=pl.Datetime("us", "UTC")).alias("recorded_at")
    )
    return bulk.insert_frame_ignoring_conflicts(
        session,
        bulk.table_of(SkillEvidence),
        rows.select(EVIDENCE_IMPORT_COLUMNS),
        conflict_columns=("employee_id", "fingerprint"),
        progress=progress,
    )


FINGERPRINT_LOOKUP_BATCH = 2000
"""Evidence rows checked against the stored fingerprints per query (at most twice as many bound
values, well under the drivers' limits)."""


def add_new_evidence(session: Session, rows: Sequence[SkillEvidence]) -> list[SkillEvidence]:
    """Append fingerprinted evidence objects, skipping each one whose (employee, fingerprint) is
    already stored or comes earlier in `rows`; returns the rows added, with their ids."""
    ordered = sorted(rows, key=lambda row: row.employee_id)
    stored: set[tuple[int, int]] = set()
    for start in range(0, len(ordered), FINGERPRINT_LOOKUP_BATCH):
        batch = ordered[start : start + FINGERPRINT_LOOKUP_BATCH]
        found = session.execute(
            select(SkillEvidence.employee_id, SkillEvidence.fingerprint).where(
                SkillEvidence.employee_id.in_({row.employee_id for row in batch}),
                SkillEvidence.fingerprint.in_({row.fingerprint for row in batch}),
            )
        )
        stored.update((employee_id, fingerprint) for employee_id, fingerprint in found)
    new: list[SkillEvidence] = []
    for row in rows:
        key = (row.employee_id, row.fingerprint)
        if key not in stored:
            stored.add(key)
            new.append(row)
    session.add_all(new)
    session.flush()
    return new


def count_evidence(session: Session) -> int:
    """How many evidence rows are stored."""
    return int(session.scalar(select(func.count()).select_from(SkillEvidence)) or 0)


# Bulk writes of generated data (the demo company)


def write_generated_rows(
    session: Session, model: type[Base], rows: Iterable[dict[str, Any]]
) -> int:
    """Write new rows, ids included, into one of this domain's tables as fast as the database
    allows (COPY on PostgreSQL, prepared executemany on SQLite); returns how many were written."""
    if model.__module__ != "skillpath.domains.evidence.models":
        raise ValueError(f"{model.__name__} is not a table of this domain")
    return bulk.insert_new_rows(session, bulk.table_of(model), rows)
