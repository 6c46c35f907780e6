"""Use cases of the evidence domain: reading a person's skill evidence, importing evidence,
and consolidating it into profiles (incremental refresh and full rebuild)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
import numpy.typing as npt
from sqlalchemy.orm import Session

from skillpath.core.clock import utcnow
from skillpath.core.levels import DEFAULT_SCALE
from skillpath.core.reports import ImportReport, ProgressCallback, no_progress
from skillpath.core.runtime import collector_paused
from skillpath.domains.evidence import evidence_csv, profiles_repository, repository
from skillpath.domains.evidence.engine.consolidation import (
    Consolidated,
    EvidenceBatch,
    consolidate,
)
from skillpath.domains.evidence.engine.policy import ConsolidationPolicy
from skillpath.domains.evidence.repository import EvidenceRow
from skillpath.domains.evidence.schemas import EvidenceRead, ProfileBuildRead, RaterRef
from skillpath.domains.identity.visibility import Viewer
from skillpath.domains.taxonomy.schemas import SkillRef

# Reads for pages and the API


def evidence_read(row: EvidenceRow) -> EvidenceRead:
    """The read shape of an evidence row (the rater's names are None when nobody rated)."""
    evidence, skill_name, rater_first, rater_last = row
    first: str | None = rater_first
    last: str | None = rater_last
    rater = (
        RaterRef(id=evidence.rater_id, name=f"{first or ''} {last or ''}".strip())
        if evidence.rater_id is not None
        else None
    )
    return EvidenceRead(
        id=evidence.id,
        skill=SkillRef(id=evidence.skill_id, name=skill_name),
        source=evidence.source,
        rater=rater,
        level=evidence.level,
        display_level=DEFAULT_SCALE.from_latent(evidence.level),
        display_label=DEFAULT_SCALE.label(evidence.level),
        confidence=evidence.confidence,
        observed_at=evidence.observed_at,
        note=evidence.note,
    )


def evidence_of_employee(
    session: Session, *, viewer: Viewer, employee_id: int, limit: int
) -> tuple[list[EvidenceRead], int]:
    """A person's evidence the viewer may see, newest first, and how many rows there are."""
    rows, total = repository.evidence_of_employee(
        session, viewer=viewer, employee_id=employee_id, limit=limit
    )
    return [evidence_read(row) for row in rows], total


# CSV import (format in docs/import-formats.md; streaming and checks in evidence_csv.py)


FULL_REBUILD_SHARE = 0.2
"""An evidence import that touches at least this share of all employees rebuilds every profile
instead of refreshing those employees one by one: past it, reading the whole evidence table in
one pass and rebuilding the index once costs less than selective reads and per-row deletes."""


def import_evidence_csv(
    session: Session, *, path: Path, progress: ProgressCallback = no_progress
) -> ImportReport:
    """Append the skill evidence of a CSV file: all or nothing, idempotent by fingerprint; then
    bring the consolidated profiles of the people it added evidence for up to date, in the
    same transaction (incremental, or a full rebuild past `FULL_REBUILD_SHARE`)."""
    touched: set[int] = set()
    with collector_paused():
        report = evidence_csv.import_evidence(
            session, path=path, progress=progress, touched=touched
        )
    if not any(report.created.values()):
        return report
    employees = profiles_repository.count_employees(session)
    if len(touched) >= FULL_REBUILD_SHARE * employees:
        build = rebuild_profiles(session, progress=progress)
        report.notes.append(
            f"profiles rebuilt: {build.rows:,} rows for {build.employees:,} employees"
        )
    else:
        rows = refresh_profiles(session, employee_ids=sorted(touched))
        report.notes.append(f"profiles refreshed: {rows:,} rows for {len(touched):,} employees")
    return report


# Consolidated profiles (derived, rebuildable; docs/consolidation.md "Rebuilds")


def policy_in_force(session: Session) -> ConsolidationPolicy:
    """The consolidation policy the organisation uses (the documented default for now)."""
    del session  # a stored, organisation-specific policy will be read here
    return ConsolidationPolicy()


def policy_as_json(policy: ConsolidationPolicy) -> str:
    """The policy as JSON, stored with every build so an old number can be explained."""
    return json.dumps(
        {
            "reliability": dict(policy.reliability),
            "half_life_days": dict(policy.half_life_days),
            "default_half_life_days": policy.default_half_life_days,
            "saturation_weight": policy.saturation_weight,
            "agreement_share": policy.agreement_share,
            "learning_sets_floor": policy.learning_sets_floor,
        },
        sort_keys=True,
    )


@dataclass(frozen=True)
class ConsolidationInputs:
    """The engine's input for some employees as of a moment, and each row's evidence id
    (None unless asked for: the breakdown needs ids, a rebuild does not)."""

    batch: EvidenceBatch
    evidence_ids: npt.NDArray[np.int64] | None
    as_of: datetime
    policy: ConsolidationPolicy


def consolidation_inputs(
    session: Session,
    *,
    as_of: datetime,
    policy: ConsolidationPolicy,
    employee_ids: Sequence[int] | None = None,
    with_ids: bool = False,
) -> ConsolidationInputs:
    """Read the evidence of some employees (all when None) as of a moment, as the engine's
    batch: ages in whole UTC days before `as_of`, half-lives by skill kind under `policy`,
    evidence observed after `as_of` left out. Run `consolidate(inputs.batch, policy)` on it to
    get exactly what a build stores for `computed_at == as_of`."""
    columns = profiles_repository.evidence_columns(
        session, as_of=as_of, employee_ids=employee_ids, with_ids=with_ids
    )
    skill_ids, kinds = profiles_repository.half_life_kinds(session)
    width = int(max(skill_ids.max(initial=0), columns.skill.max(initial=0))) + 1
    half_life_of_skill = np.full(width, policy.default_half_life_days, dtype=np.float64)
    half_life_of_skill[skill_ids] = [policy.half_life_for(kind) for kind in kinds]
    return inputs_of_columns(columns, half_life_of_skill[columns.skill], as_of=as_of, policy=policy)


def inputs_of_columns(
    columns: profiles_repository.EvidenceColumns,
    half_life_days: npt.NDArray[np.float64],
    *,
    as_of: datetime,
    policy: ConsolidationPolicy,
) -> ConsolidationInputs:
    """The engine's batch of evidence columns read as of a moment, given each row's half-life:
    ages in whole UTC days before `as_of`."""
    today = profiles_repository.days_since_epoch(as_of)
    batch = EvidenceBatch(
        employee=columns.employee,
        skill=columns.skill,
        source=columns.source,
        rater=columns.rater,
        level=columns.level,
        confidence=columns.confidence,
        age_days=today - columns.observed_day,
        half_life_days=half_life_days,
        expired=columns.expired,
    )
    return ConsolidationInputs(batch=batch, evidence_ids=columns.id, as_of=as_of, policy=policy)


def _profile_rows(result: Consolidated) -> profiles_repository.ProfileRows:
    """The rows to store from the engine's result (floor 0 where no completion sets one)."""
    return profiles_repository.ProfileRows(
        employee=result.employee,
        skill=result.skill,
        level=result.level,
        confidence=result.confidence,
        floor=np.nan_to_num(result.floor, nan=0.0),
        evidence_count=result.evidence_count,
        total_weight=result.total_weight,
    )


def refresh_profiles(
    session: Session, *, employee_ids: Sequence[int], now: datetime | None = None
) -> int:
    """Recompute the consolidated profiles of some employees from all their evidence and
    replace their `employee_skill` rows; returns the rows written (0 and no build recorded
    when no employee is given).

    Runs in the caller's transaction: other sessions keep seeing the old rows until it
    commits (see `rebuild_profiles`). Call it after adding evidence, in the same transaction.
    """
    wanted = sorted({int(employee_id) for employee_id in employee_ids})
    if not wanted:
        return 0
    started = utcnow()
    as_of = now or started
    policy = policy_in_force(session)
    profiles_repository.lock_profiles(session)
    inputs = consolidation_inputs(session, as_of=as_of, policy=policy, employee_ids=wanted)
    result = consolidate(inputs.batch, policy)
    rows = profiles_repository.replace_profiles_of(
        session, wanted, _profile_rows(result), computed_at=as_of
    )
    profiles_repository.add_profile_build(
        session,
        kind="incremental",
        started_at=started,
        finished_at=utcnow(),
        as_of=as_of,
        employees=len(wanted),
        rows=rows,
        policy=policy_as_json(policy),
    )
    return rows


def rebuild_profiles(
    session: Session, *, now: datetime | None = None, progress: ProgressCallback = no_progress
) -> ProfileBuildRead:
    """Recompute every consolidated profile from all evidence and replace all `employee_skill`
    rows, in the caller's transaction; records and returns the build (see
    `rebuild_profiles_with_levels`)."""
    return rebuild_profiles_with_levels(session, now=now, progress=progress).build


@dataclass(frozen=True)
class RebuiltProfiles:
    """A full rebuild's record and the levels it stored, as arrays: exactly what
    `profiles_repository.profile_levels` reads back after it (so organisation-wide roll-ups
    computed right after a rebuild need not read `employee_skill` again)."""

    build: ProfileBuildRead
    levels: profiles_repository.ProfileLevels


def rebuild_profiles_with_levels(
    session: Session, *, now: datetime | None = None, progress: ProgressCallback = no_progress
) -> RebuiltProfiles:
    """Recompute every consolidated profile from all evidence and replace all `employee_skill`
    rows, in the caller's transaction; records the build and returns it with the stored levels.

    Nobody sees a half-written result: the old rows are deleted and the new ones inserted in
    one transaction (after the evidence is read and consolidated, so the replacement itself is
    short), and both databases show other sessions only committed data. SQLite in WAL mode
    gives each reader the snapshot of the last commit before its read began (the writer's pages
    sit in the write-ahead log until the commit makes them visible at once); PostgreSQL's MVCC
    keeps the deleted rows visible to other transactions until this one commits (a DELETE,
    not a TRUNCATE, which would not be MVCC-safe). A failure rolls
    everything back and leaves the previous profiles in place.
    """
    started = utcnow()
    as_of = now or started
    policy = policy_in_force(session)
    profiles_repository.lock_profiles(session)
    progress("Reading evidence", 0, None)
    inputs = consolidation_inputs(session, as_of=as_of, policy=policy)
    progress("Reading evidence", inputs.batch.size, inputs.batch.size)
    progress("Consolidating", 0, inputs.batch.size)
    result = consolidate(inputs.batch, policy, with_rows=False)
    del inputs
    progress("Consolidating", result.level.shape[0], result.level.shape[0])
    progress("Writing profiles", 0, result.level.shape[0])
    rows = profiles_repository.replace_all_profiles(
        session, _profile_rows(result), computed_at=as_of
    )
    progress("Writing profiles", rows, rows)
    # Sorted by employee, then skill: a change of employee starts a new one.
    employees = int(np.count_nonzero(np.diff(result.employee))) + int(result.employee.size > 0)
    build = profiles_repository.add_profile_build(
        session,
        kind="full",
        started_at=started,
        finished_at=utcnow(),
        as_of=as_of,
        employees=employees,
        rows=rows,
        policy=policy_as_json(policy),
    )
    levels = profiles_repository.ProfileLevels(
        employee=result.employee,
        skill=result.skill,
        level=result.level,
        confidence=result.confidence,
    )
    return RebuiltProfiles(build=ProfileBuildRead.model_validate(build), levels=levels)
