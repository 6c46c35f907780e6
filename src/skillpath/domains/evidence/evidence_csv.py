"""CSV import of skill evidence (docs/import-formats.md): append-only, idempotent, fast.

Evidence is history: each row is one observation and is never updated. Re-importing a file
adds nothing because every row carries a fingerprint of the whole observation (see
engine/fingerprint.py) that is unique per employee, and rows whose fingerprint is already
stored are skipped by the database.

Files run to millions of rows, so the import has two checkers of the same rules
(evidence_rules.py). The column checker (evidence_columns.py) reads the whole file with polars
and checks it column by column; a good file is then written in one bulk insert. When it finds
any problem, or cannot read the file exactly as the row reader would, the row checker below
runs instead: it reads the file row by row, names file, row, column and value of every
problem, and writes rows (in batches, inside a savepoint) only while there is none. A file
with any problem is refused whole and nothing is written.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime
from itertools import islice
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy.orm import Session

from skillpath.core.clock import utcnow
from skillpath.core.errors import Problem
from skillpath.core.reports import ImportReport, ProgressCallback, no_progress
from skillpath.core.tabular import CellError, Table, open_table, parse_date, parse_datetime
from skillpath.domains.evidence import evidence_columns, repository
from skillpath.domains.evidence.engine.fingerprint import (
    NO_EXPIRY,
    NO_RATER,
    days_since_epoch,
    evidence_fingerprints,
    micros_since_epoch,
    note_hash,
    text_hash,
)
from skillpath.domains.evidence.engine.fingerprint import (
    evidence_fingerprint as evidence_fingerprint,
)
from skillpath.domains.evidence.evidence_rules import (
    BAD_SOURCE,
    DEFAULT_CONFIDENCE,
    FUTURE_TOLERANCE,
    KIND,
    LONG_NOTE,
    MAX_NOTE,
    OPTIONAL,
    REQUIRED,
    UNKNOWN_EMPLOYEE,
    level_parser,
    parse_confidence,
    parse_source,
)
from skillpath.domains.evidence.models import EVIDENCE_SOURCES
from skillpath.domains.identity import service as identity_service
from skillpath.domains.people import repository as people_repository
from skillpath.domains.taxonomy import repository as taxonomy_repository
from skillpath.domains.taxonomy.references import SkillIndex

PROGRESS_EVERY = 20_000
FINGERPRINT_BATCH = 5_000


class _Cached:
    """Parse each distinct cell text once (files repeat dates and levels millions of times)."""

    def __init__(self, parse: Callable[[str], Any]) -> None:
        self.parse = parse
        self.values: dict[str, Any] = {}

    def __call__(self, text: str) -> Any:
        """The parsed value, or a CellError (returned, not raised) when the text is wrong."""
        try:
            return self.values[text]
        except KeyError:
            try:
                value = self.parse(text)
            except (CellError, ValueError) as error:
                value = CellError(str(error))
            self.values[text] = value
            return value


def import_evidence(
    session: Session,
    *,
    path: Path,
    progress: ProgressCallback = no_progress,
    touched: set[int] | None = None,
) -> ImportReport:
    """Append the evidence of a CSV file; rows already stored are skipped (idempotent).

    `touched`, when given, receives the ids of the employees the file has rows for (whose
    consolidated profiles may have changed).
    """
    started = time.perf_counter()
    table = open_table(path, required=REQUIRED, optional=OPTIONAL)
    report = ImportReport(source=f"{table.file} ({KIND})")
    data = path.read_bytes()
    total = max(data.count(b"\n") - 1, 0)
    stage = f"{table.file}: importing"
    progress(stage, 0, total)
    employees = people_repository.employee_ids(session)
    skills = SkillIndex(taxonomy_repository.skill_keys(session))
    now = utcnow()
    checked = evidence_columns.check(data, table, employees=employees, skills=skills, now=now)
    del data
    if checked.frame is not None:
        rows = checked.frame.height
        savepoint = session.begin_nested()
        try:
            inserted = repository.insert_evidence_frame(
                session,
                checked.frame,
                recorded_at=now,
                progress=lambda done: progress(stage, done, rows),
            )
            savepoint.commit()
        except BaseException:
            savepoint.rollback()
            raise
        if touched is not None:
            touched.update(checked.frame.get_column("employee_id").unique().to_list())
    else:
        # Checking alone is enough when the column checker saw a problem (the row checker
        # names it); if it finds none after all, the file is imported row by row.
        write = not checked.found_problem
        table, rows, inserted = _import_row_by_row(
            session,
            table,
            employees,
            skills,
            now,
            stage,
            total,
            progress,
            write=write,
            touched=touched,
        )
        if not write and not table.log.count:
            table = open_table(path, required=REQUIRED, optional=OPTIONAL)
            table, rows, inserted = _import_row_by_row(
                session,
                table,
                employees,
                skills,
                now,
                stage,
                total,
                progress,
                write=True,
                touched=touched,
            )
        table.log.raise_if_any(f"cannot import {table.file}")
    report.rows_read = rows
    progress(stage, rows, rows)
    report.count("created", KIND, inserted)
    report.count("updated", KIND, 0)
    report.count("unchanged", KIND, rows - inserted)
    report.seconds = time.perf_counter() - started
    identity_service.record_import(session, kind="evidence", file=table.file, report=report)
    return report


def _import_row_by_row(
    session: Session,
    table: Table,
    employees: dict[str, int],
    skills: SkillIndex,
    now: datetime,
    stage: str,
    total: int,
    progress: ProgressCallback,
    *,
    write: bool,
    touched: set[int] | None = None,
) -> tuple[Table, int, int]:
    """Check every row of an open file, writing its rows while no problem has been seen (when
    `write`); problems go to the table's log. Returns the table, rows read and rows new.

    The writes happen inside a savepoint that is rolled back when any problem turns up.
    """
    assert table.lines is not None
    counted = [0]
    rows = _checked_rows(
        table.columns,
        table.lines,
        table.file,
        table.log.add,
        employees,
        skills,
        repository.evidence_converters(session),
        now,
        counted,
        lambda done: progress(stage, done, total),
    )
    if not write:
        for _row in rows:
            pass
        return table, counted[0], 0
    savepoint = session.begin_nested()
    try:
        fingerprinted = _fingerprinted(rows)
        if touched is not None:
            fingerprinted = _noting_employees(fingerprinted, touched)
        inserted = repository.insert_evidence(session, fingerprinted)
        if table.log.count:
            savepoint.rollback()
        else:
            savepoint.commit()
    except BaseException:
        savepoint.rollback()
        raise
    return table, counted[0], inserted


def _noting_employees(
    rows: Iterator[tuple[Any, ...]], touched: set[int]
) -> Iterator[tuple[Any, ...]]:
    """The rows unchanged, noting each row's employee id (second column) in `touched`."""
    for row in rows:
        touched.add(row[1])
        yield row


def _fingerprinted(rows: Iterable[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
    """The rows of `_checked_rows` in the order of `EVIDENCE_IMPORT_COLUMNS`, fingerprints
    first, computed a batch at a time."""
    iterator = iter(rows)
    while batch := list(islice(iterator, FINGERPRINT_BATCH)):
        columns = list(zip(*batch, strict=True))
        fingerprints = evidence_fingerprints(
            employee_ids=columns[0],
            skill_ids=columns[1],
            source_hashes=np.array(columns[10], dtype=np.uint64),
            rater_ids=[NO_RATER if rater is None else rater for rater in columns[3]],
            levels=columns[4],
            confidences=columns[5],
            observed_micros=columns[11],
            expires_days=columns[12],
            note_hashes=np.array(columns[13], dtype=np.uint64),
        )
        for fingerprint, row in zip(fingerprints.tolist(), batch, strict=True):
            yield (fingerprint, *row[:10])


def _checked_rows(
    columns: Sequence[str],
    lines: Iterator[tuple[int, list[str]]],
    file: str,
    add_problem: Callable[[Problem], None],
    employees: dict[str, int],
    skills: SkillIndex,
    converters: Sequence[Callable[[Any], Any] | None],
    now: datetime,
    counted: list[int],
    tick: Callable[[int], None],
) -> Iterator[tuple[Any, ...]]:
    """Check every row; yield the good ones until the first problem, as the values of
    `EVIDENCE_IMPORT_COLUMNS` after the fingerprint (driver form), then the source's text
    hash, observed_at in microseconds, expires_on in days (`NO_EXPIRY`) and the note's hash:
    `_fingerprinted` makes the fingerprints of these.

    One flat loop with local names and caches: it runs millions of times per import.
    """
    index = {name: position for position, name in enumerate(columns)}

    def column(name: str) -> int | None:
        return index.get(name)

    at_employee, at_skill, at_source = index["employee"], index["skill"], index["source"]
    at_level, at_observed = index["level"], index["observed_at"]
    at_skill_source, at_rater, at_scale = column("skill_source"), column("rater"), column("scale")
    at_confidence, at_expires, at_note = column("confidence"), column("expires_on"), column("note")
    source_hashes = {source: text_hash(source) for source in EVIDENCE_SOURCES}
    latest = now + FUTURE_TOLERANCE
    convert_observed = converters[7] or (lambda value: value)
    convert_expires = converters[8] or (lambda value: value)
    recorded = converters[10](now) if converters[10] else now

    # Caches hold, per distinct text, (value, the integer the fingerprint uses, driver value).
    def observed_parser(text: str) -> tuple[datetime, int, Any]:
        value = parse_datetime(text)
        return value, micros_since_epoch(value), convert_observed(value)

    def expires_parser(text: str) -> tuple[date, int, Any]:
        value = parse_date(text)
        return value, days_since_epoch(value), convert_expires(value)

    observed_cache = _Cached(observed_parser)
    expires_cache = _Cached(expires_parser)
    confidence_cache = _Cached(parse_confidence)
    level_caches: dict[str, _Cached] = {}
    skill_cache: dict[tuple[str, str], int | str] = {}
    failed = False
    done = 0

    def problem(line: int, name: str, reason: str, value: str = "") -> None:
        add_problem(Problem(reason, file=file, row=line, column=name, value=value))

    for line, values in lines:
        done += 1
        if done % PROGRESS_EVERY == 0:
            tick(done)
        bad = False
        text = values[at_employee].strip()
        employee_id: Any = employees.get(text)
        if employee_id is None:
            bad = True
            if text:
                problem(line, "employee", UNKNOWN_EMPLOYEE, text)
            else:
                problem(line, "employee", "is required but empty")
        skill_text = values[at_skill].strip()
        source_key = values[at_skill_source].strip() if at_skill_source is not None else ""
        skill: Any = skill_cache.get((source_key, skill_text))
        if skill is None:
            skill = skills.resolve(skill_text, source_key)
            skill_cache[(source_key, skill_text)] = skill
        if isinstance(skill, str):
            bad = True
            problem(line, "skill", skill, skill_text)
        text = values[at_source].strip()
        source: Any = parse_source(text)
        if source is None:
            bad = True
            problem(line, "source", BAD_SOURCE, text)
        scale_text = values[at_scale].strip() if at_scale is not None else ""
        level_cache = level_caches.get(scale_text)
        if level_cache is None:
            try:
                level_cache = _Cached(level_parser(scale_text))
            except CellError as error:
                level_cache = _Cached(_failing(str(error)))
                problem(line, "scale", str(error), scale_text)
                bad = True
            level_caches[scale_text] = level_cache
        text = values[at_level].strip()
        level: Any = level_cache(text) if text else CellError("is required but empty")
        if isinstance(level, CellError):
            bad = True
            problem(line, "level", str(level), text)
        text = values[at_observed].strip()
        observed: Any = observed_cache(text) if text else CellError("is required but empty")
        if isinstance(observed, CellError):
            bad = True
            problem(line, "observed_at", str(observed), text)
        elif observed[0] > latest:
            bad = True
            problem(line, "observed_at", "is in the future", text)
        confidence: Any = DEFAULT_CONFIDENCE
        if at_confidence is not None and (text := values[at_confidence].strip()):
            confidence = confidence_cache(text)
            if isinstance(confidence, CellError):
                bad = True
                problem(line, "confidence", str(confidence), text)
        expires: Any = None
        if at_expires is not None and (text := values[at_expires].strip()):
            expires = expires_cache(text)
            if isinstance(expires, CellError):
                bad = True
                problem(line, "expires_on", str(expires), text)
            elif isinstance(observed, tuple) and expires[0] < observed[0].date():
                bad = True
                problem(line, "expires_on", "is before observed_at", text)
        rater_id = None
        if at_rater is not None and (text := values[at_rater].strip()):
            rater_id = employees.get(text)
            if rater_id is None:
                bad = True
                problem(line, "rater", UNKNOWN_EMPLOYEE, text)
        note = values[at_note].strip() if at_note is not None else ""
        if len(note) > MAX_NOTE:
            bad = True
            problem(line, "note", LONG_NOTE)
        if bad:
            failed = True
            continue
        if failed:
            continue
        yield (
            employee_id,
            skill,
            source,
            rater_id,
            level,
            confidence,
            observed[2],
            expires[2] if expires is not None else None,
            note,
            recorded,
            source_hashes[source],
            observed[1],
            expires[1] if expires is not None else NO_EXPIRY,
            note_hash(note),
        )
    counted[0] = done


def _failing(reason: str) -> Callable[[str], float]:
    """A level parser for rows whose scale is wrong: every level fails with that reason."""

    def parse(_text: str) -> float:
        raise CellError(reason)

    return parse
