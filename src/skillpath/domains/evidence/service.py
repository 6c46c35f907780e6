"""Use cases of the evidence domain: reading a person's skill evidence."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from skillpath.core.levels import DEFAULT_SCALE
from skillpath.core.reports import ImportReport, ProgressCallback, no_progress
from skillpath.core.runtime import collector_paused
from skillpath.domains.evidence import evidence_csv, repository
from skillpath.domains.evidence.repository import EvidenceRow
from skillpath.domains.evidence.schemas import EvidenceRead, RaterRef
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


def import_evidence_csv(
    session: Session, *, path: Path, progress: ProgressCallback = no_progress
) -> ImportReport:
    """Append the skill evidence of a CSV file: all or nothing, idempotent by fingerprint."""
    with collector_paused():
        return evidence_csv.import_evidence(session, path=path, progress=progress)
