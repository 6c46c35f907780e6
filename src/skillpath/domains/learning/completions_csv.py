"""CSV import of learning completions (docs/import-formats.md): history, found again by its
natural key (employee, item, completed_at), and turned into skill evidence.

All or nothing: every row is checked (people and items known, dates not in the future, scores,
the same completion twice in the file) before anything is written; then the completions are
recorded as `record_completions` records them (new completions get learning evidence and the
people concerned get their profiles refreshed). A completion already stored is left as it is
and counted as unchanged, so importing the same file twice changes nothing.
"""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from skillpath.core.clock import utcnow
from skillpath.core.reports import ImportReport, ProgressCallback, no_progress
from skillpath.core.tabular import CellError, RowContext, bounded, open_table, parse_datetime
from skillpath.domains.identity import service as identity_service
from skillpath.domains.learning import repository
from skillpath.domains.learning.completions import (
    DEFAULT_SOURCE,
    MAX_NOTES,
    MAX_SOURCE,
    CompletionInput,
    record_completions,
)
from skillpath.domains.people import repository as people_repository
from skillpath.domains.people.csv_common import reference, rows_with_progress

REQUIRED = ("employee", "item", "completed_at")
OPTIONAL = ("score", "source", "notes")
COMPLETIONS = "completions"
EVIDENCE = "skill evidence"


def parse_score(text: str) -> float:
    """A score from 0 to 1 (`0.85`), or a percentage with its sign (`85%`)."""
    percent = text.endswith("%")
    number = text[:-1].strip() if percent else text
    try:
        value = float(number)
    except ValueError:
        raise CellError("is not a score: a number from 0 to 1, or a percentage like 85%") from None
    if percent:
        value /= 100
    if not 0 <= value <= 1:  # also refuses nan
        raise CellError("must be from 0 to 1 (or from 0% to 100%)")
    return value


def _source(text: str) -> str:
    if len(text) > MAX_SOURCE:
        raise CellError(f"is longer than {MAX_SOURCE} characters")
    if "\n" in text or "\r" in text or "\t" in text:
        raise CellError("must not contain line breaks or tabs")
    return text


def _completed_at(row: RowContext, now: datetime) -> datetime | None:
    value = row.required("completed_at", parse_datetime)
    if value is not None and value > now:
        row.problem("completed_at", "is in the future", row.raw("completed_at"))
        return None
    return value


def import_completions(
    session: Session, *, path: Path, progress: ProgressCallback = no_progress
) -> ImportReport:
    """Record the completions of a CSV file and the evidence they give; all or nothing."""
    started = time.perf_counter()
    now = utcnow()
    table = open_table(path, required=REQUIRED, optional=OPTIONAL)
    report = ImportReport(source=f"{table.file} ({COMPLETIONS})")
    employees = people_repository.employee_ids(session)
    items = repository.item_ids_by_external_id(session)
    inputs: list[CompletionInput] = []
    seen: dict[tuple[int, int, datetime], int] = {}
    for row in rows_with_progress(table.rows, progress, f"{table.file}: checking"):
        report.rows_read += 1
        employee = reference(
            row, "employee", employees, "employee", hint=" (import employees first)"
        )
        item = reference(row, "item", items, "learning item", hint=" (import the catalog first)")
        for column in ("employee", "item"):
            if not row.raw(column):
                row.problem(column, "is required but empty")
        completed_at = _completed_at(row, now)
        score = row.cell("score", parse_score)
        source = row.cell("source", _source, default=DEFAULT_SOURCE)
        notes = row.cell("notes", bounded(MAX_NOTES), default="")
        if employee is None or item is None or completed_at is None:
            continue
        key = (employees[employee], items[item], completed_at)
        first = seen.setdefault(key, row.row)
        if first != row.row:
            row.problem(
                "completed_at",
                f"the same employee, item and completed_at are on row {first}",
                row.raw("completed_at"),
            )
            continue
        inputs.append(
            CompletionInput(
                employee_id=key[0],
                item_id=key[1],
                completed_at=completed_at,
                score=score,
                source=source or DEFAULT_SOURCE,
                notes=notes or "",
            )
        )
    table.log.raise_if_any(f"cannot import {table.file}")
    progress(f"{table.file}: recording", 0, len(inputs))
    recorded = record_completions(session, inputs, now=now)
    progress(f"{table.file}: recording", len(inputs), len(inputs))
    report.count("created", COMPLETIONS, recorded.created)
    report.count("unchanged", COMPLETIONS, len(inputs) - recorded.created)
    report.count("created", EVIDENCE, len(recorded.evidence))
    if recorded.employee_ids:
        report.notes.append(f"profiles refreshed for {len(recorded.employee_ids):,} employees")
    report.seconds = time.perf_counter() - started
    identity_service.record_import(session, kind=COMPLETIONS, file=table.file, report=report)
    return report
