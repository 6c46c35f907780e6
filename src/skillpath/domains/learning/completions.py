"""Learning completions become skill evidence ("closing the loop"; docs/consolidation.md,
"Learning completions").

Recording a completion stores it once per (employee, item, completed_at) and appends one piece
of `learning` evidence per skill the item teaches, observed when it was completed, then
refreshes the consolidated profiles of the people who got new evidence, all in the caller's
transaction. Recording the same completion again changes nothing: the completion is found by
its natural key, and evidence carries the fingerprint every evidence write uses (see
`evidence/engine/fingerprint.py`), so an observation already stored is never added twice.

Callers audit: the CSV import notes itself in the audit log, and learning paths record the
step done in their own trail.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

import numpy as np
from sqlalchemy.orm import Session

from skillpath.core.clock import as_utc, utcnow
from skillpath.core.errors import InvalidInputError, Problem
from skillpath.domains.evidence import repository as evidence_repository
from skillpath.domains.evidence import service as evidence_service
from skillpath.domains.evidence.engine.fingerprint import (
    NO_EXPIRY,
    NO_RATER,
    evidence_fingerprints,
    micros_since_epoch,
    note_hashes,
    text_hash,
)
from skillpath.domains.evidence.models import SkillEvidence
from skillpath.domains.learning import repository
from skillpath.domains.learning.models import Completion, LearningItem
from skillpath.domains.learning.repository import CompletionKey

PASS_MARK = 0.7
"""A score (0–1) at or above this passes: the evidence is the full level the item teaches.
Below it the level shrinks in proportion, level_gained × score / PASS_MARK, and a score of 0
gives no evidence (the completion is still stored)."""
CONFIDENCE_BY_KIND: dict[str, float] = {
    "microlearning": 0.4,
    "video": 0.4,
    "reading": 0.4,
    "e-learning": 0.5,
    "project-based course": 0.7,
    "workshop": 0.7,
    "mentorship": 0.8,
    "capstone": 0.8,
    "assessment": 0.8,
}
"""The confidence of the evidence a completion gives, by item kind: watching or reading shows
little, a course with exercises a little more, practice with feedback (projects, workshops)
more, and a mentor's or an assessor's judgement (mentorship, capstone, assessment) most."""
DEFAULT_SOURCE = "import"
MAX_SOURCE = 40
MAX_NOTES = 2000
EVIDENCE_SOURCE = "learning"
NOT_VALID = "Some completions cannot be recorded."
UNKNOWN_EMPLOYEE = "no employee has this id"
UNKNOWN_ITEM = "no learning item has this id"
BAD_SCORE = "must be a number from 0 to 1"
IN_THE_FUTURE = "must not be in the future"
BAD_SOURCE = f"must be 1 to {MAX_SOURCE} characters"
LONG_NOTES = f"is longer than {MAX_NOTES:,} characters"


class CompletionInput(NamedTuple):
    """One completion to record: who finished which item when, with the score (0–1) when the
    item was scored, where the record comes from (`lms`, `import`, `path`, …) and free notes."""

    employee_id: int
    item_id: int
    completed_at: datetime
    score: float | None = None
    source: str = DEFAULT_SOURCE
    notes: str = ""


@dataclass(frozen=True)
class RecordedCompletions:
    """What recording completions did: per input row, in order, the id of its completion (new
    or found); the evidence rows written; the employees whose profiles were refreshed (those
    with new evidence, ascending); and how many completions were new."""

    completion_ids: list[int]
    evidence: list[SkillEvidence]
    employee_ids: list[int]
    created: int


def evidence_level(level_gained: float, score: float | None) -> float:
    """The level a completion shows in a skill the item teaches: all of it without a score or
    with a passing one (≥ `PASS_MARK`), less in proportion below the pass mark."""
    if score is None or score >= PASS_MARK:
        return level_gained
    return level_gained * score / PASS_MARK


def evidence_confidence(kind: str) -> float:
    """The confidence of the evidence a completed item of this kind gives."""
    return CONFIDENCE_BY_KIND[kind]


def evidence_note(item: LearningItem, score: float | None) -> str:
    """The note of a completion's evidence: the item, and the score when there was one."""
    if score is None:
        return f"Completed {item.title}"
    return f"Completed {item.title} (score {score:.0%})"


def record_completions(
    session: Session, rows: Sequence[CompletionInput], *, now: datetime | None = None
) -> RecordedCompletions:
    """Store completions (a completion already stored is kept as it is and its id returned),
    append the learning evidence of the new ones and refresh the profiles of the people who got
    evidence, once, as of `now` (default: the current time), in the caller's transaction.

    Inactive items are recordable (completions are history). Everything is checked before
    anything is written: an unknown employee or item, a score outside 0–1, a completion after
    `now`, or a source or notes too long refuses the whole call with an InvalidInputError whose
    problems name the row (1 = the first) and the field.
    """
    moment = as_utc(now) if now is not None else utcnow()
    normalised = [row._replace(completed_at=as_utc(row.completed_at)) for row in rows]
    items = repository.items_by_ids(session, {row.item_id for row in normalised})
    _check(session, normalised, items, moment)
    keys: list[CompletionKey] = [
        (row.employee_id, row.item_id, row.completed_at) for row in normalised
    ]
    stored = repository.completion_ids(session, keys)
    new: dict[CompletionKey, Completion] = {}
    for key, row in zip(keys, normalised, strict=True):
        if key not in stored and key not in new:
            new[key] = Completion(
                employee_id=row.employee_id,
                item_id=row.item_id,
                completed_at=row.completed_at,
                score=row.score,
                source=row.source.strip(),
                notes=row.notes.strip(),
            )
    repository.add_completions(session, list(new.values()))
    ids = [stored[key] if key in stored else new[key].id for key in keys]
    taught = repository.levels_taught(session, {completion.item_id for completion in new.values()})
    evidence = _evidence_of(list(new.values()), items, taught)
    written = evidence_repository.add_new_evidence(session, evidence)
    employees = sorted({row.employee_id for row in written})
    evidence_service.refresh_profiles(session, employee_ids=employees, now=moment)
    return RecordedCompletions(
        completion_ids=ids, evidence=written, employee_ids=employees, created=len(new)
    )


def _check(
    session: Session,
    rows: Sequence[CompletionInput],
    items: dict[int, LearningItem],
    now: datetime,
) -> None:
    """Refuse the rows when any is wrong, naming every problem's row and field."""
    employees = repository.existing_employee_ids(session, {row.employee_id for row in rows})
    problems: list[Problem] = []

    def refuse(position: int, field: str, reason: str, value: object) -> None:
        problems.append(Problem(reason, row=position, column=field, value=str(value)))

    for position, row in enumerate(rows, start=1):
        if row.employee_id not in employees:
            refuse(position, "employee_id", UNKNOWN_EMPLOYEE, row.employee_id)
        if row.item_id not in items:
            refuse(position, "item_id", UNKNOWN_ITEM, row.item_id)
        if row.completed_at > now:
            refuse(position, "completed_at", IN_THE_FUTURE, row.completed_at.isoformat())
        if row.score is not None and not (math.isfinite(row.score) and 0 <= row.score <= 1):
            refuse(position, "score", BAD_SCORE, row.score)
        if not 0 < len(row.source.strip()) <= MAX_SOURCE:
            refuse(position, "source", BAD_SOURCE, row.source)
        if len(row.notes.strip()) > MAX_NOTES:
            refuse(position, "notes", LONG_NOTES, f"{len(row.notes.strip()):,} characters")
    if problems:
        raise InvalidInputError(NOT_VALID, problems)


def _evidence_of(
    completions: Sequence[Completion],
    items: dict[int, LearningItem],
    taught: dict[int, list[tuple[int, float]]],
) -> list[SkillEvidence]:
    """The learning evidence of new completions, fingerprinted as every evidence write is: one
    row per skill the item teaches (none when the level comes out at 0)."""
    recorded_at = utcnow()
    rows: list[SkillEvidence] = []
    for completion in completions:
        item = items[completion.item_id]
        confidence = evidence_confidence(item.kind)
        note = evidence_note(item, completion.score)
        for skill_id, level_gained in taught.get(item.id, []):
            level = evidence_level(level_gained, completion.score)
            if level <= 0:
                continue
            rows.append(
                SkillEvidence(
                    employee_id=completion.employee_id,
                    skill_id=skill_id,
                    source=EVIDENCE_SOURCE,
                    rater_id=None,
                    level=level,
                    confidence=confidence,
                    observed_at=completion.completed_at,
                    expires_on=None,
                    item_id=item.id,
                    note=note,
                    recorded_at=recorded_at,
                )
            )
    if rows:
        fingerprints = evidence_fingerprints(
            employee_ids=[row.employee_id for row in rows],
            skill_ids=[row.skill_id for row in rows],
            source_hashes=np.full(len(rows), text_hash(EVIDENCE_SOURCE), dtype=np.uint64),
            rater_ids=np.full(len(rows), NO_RATER, dtype=np.int64),
            levels=[row.level for row in rows],
            confidences=[row.confidence for row in rows],
            observed_micros=[micros_since_epoch(row.observed_at) for row in rows],
            expires_days=np.full(len(rows), NO_EXPIRY, dtype=np.int64),
            note_hashes=note_hashes([row.note for row in rows]),
        )
        for row, fingerprint in zip(rows, fingerprints.tolist(), strict=True):
            row.fingerprint = fingerprint
    return rows
