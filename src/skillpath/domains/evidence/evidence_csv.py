"""CSV import of skill evidence (docs/import-formats.md): append-only, idempotent, fast.

Evidence is history: each row is one observation and is never updated. Re-importing a file
adds nothing because every row carries a fingerprint (a hash of the whole observation) that is
unique in the table, and rows whose fingerprint is already stored are skipped by the database.

Files run to millions of rows, so this import streams: rows are checked and written in batches
inside a savepoint, in one pass over the file. The first problem stops the writing (checking
goes on, to report every problem); at the end a file with any problem is rolled back whole, so
it stays all or nothing.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from skillpath.core.clock import utcnow
from skillpath.core.errors import Problem
from skillpath.core.levels import SCALES
from skillpath.core.reports import ImportReport, ProgressCallback, no_progress
from skillpath.core.tabular import (
    CellError,
    open_table,
    parse_date,
    parse_datetime,
    parse_unit_interval,
)
from skillpath.domains.evidence import repository
from skillpath.domains.evidence.models import EVIDENCE_SOURCES
from skillpath.domains.identity import service as identity_service
from skillpath.domains.people import repository as people_repository
from skillpath.domains.taxonomy import repository as taxonomy_repository
from skillpath.domains.taxonomy.references import SkillIndex

REQUIRED = ("employee", "skill", "source", "level", "observed_at")
OPTIONAL = ("skill_source", "rater", "scale", "confidence", "expires_on", "note")
KIND = "skill evidence"
DEFAULT_CONFIDENCE = 0.5
PROGRESS_EVERY = 20_000
MAX_NOTE = 2000
FUTURE_TOLERANCE = timedelta(days=1)
LATENT = "latent"


def evidence_fingerprint(
    *,
    employee_id: int,
    skill_id: int,
    source: str,
    rater_id: int | None,
    level: float,
    confidence: float,
    observed_at: datetime,
    expires_on: date | None,
    note: str,
) -> int:
    """A stable 63-bit key of one observation: the same observation always gets the same
    fingerprint, so storing it twice is impossible ((employee, fingerprint) is unique).

    It is the first 63 bits of a SHA-1 of every field. Collisions would need two different
    observations of the same person to share 63 bits of SHA-1 — about one chance in 10^13 for a
    person with a thousand observations.
    """
    return _fingerprint(
        employee_id,
        skill_id,
        source,
        rater_id,
        f"{level:.6f}",
        f"{confidence:.6f}",
        observed_at.isoformat(),
        expires_on.isoformat() if expires_on is not None else "",
        note,
    )


def _fingerprint(
    employee_id: int,
    skill_id: int,
    source: str,
    rater_id: int | None,
    level: str,
    confidence: str,
    observed_at: str,
    expires_on: str,
    note: str,
) -> int:
    """`evidence_fingerprint` from fields already written as text (the import caches them)."""
    rater = "" if rater_id is None else rater_id
    text = (
        f"{employee_id}|{skill_id}|{source}|{rater}|{level}|{confidence}|"
        f"{observed_at}|{expires_on}|{note}"
    )
    digest = hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).digest()
    return int.from_bytes(digest[:8], "big") >> 1


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


def _level_parser(scale_text: str) -> Callable[[str], float]:
    """Latent level in [0, 1], or a display level when a scale is named."""
    if not scale_text or scale_text.lower() == LATENT:
        return parse_unit_interval
    scale = SCALES.get(scale_text.lower())
    if scale is None:
        raise CellError(f"must be one of: {LATENT} (0–1, the default), {', '.join(SCALES)}")

    def parse(text: str) -> float:
        try:
            display = float(text)
        except ValueError:
            raise CellError(f"is not a level of the {scale.name} scale") from None
        return scale.to_latent(display)

    return parse


def _confidence(text: str) -> float:
    value = parse_unit_interval(text)
    if value == 0:
        raise CellError("must be above 0 (and at most 1)")
    return value


def import_evidence(
    session: Session, *, path: Path, progress: ProgressCallback = no_progress
) -> ImportReport:
    """Append the evidence of a CSV file; rows already stored are skipped (idempotent)."""
    started = time.perf_counter()
    table = open_table(path, required=REQUIRED, optional=OPTIONAL)
    assert table.lines is not None
    report = ImportReport(source=f"{table.file} ({KIND})")
    total = max(path.read_bytes().count(b"\n") - 1, 0)
    stage = f"{table.file}: importing"
    progress(stage, 0, total)
    employees = people_repository.employee_ids(session)
    skills = SkillIndex(taxonomy_repository.skill_keys(session))
    converters = repository.evidence_converters(session)
    now = utcnow()
    counted = [0]
    savepoint = session.begin_nested()
    try:
        inserted = repository.insert_evidence(
            session,
            _checked_rows(
                table.columns,
                table.lines,
                table.file,
                table.log.add,
                employees,
                skills,
                converters,
                now,
                counted,
                lambda done: progress(stage, done, total),
            ),
        )
        if table.log.count:
            savepoint.rollback()
        else:
            savepoint.commit()
    except BaseException:
        savepoint.rollback()
        raise
    table.log.raise_if_any(f"cannot import {table.file}")
    report.rows_read = counted[0]
    progress(stage, counted[0], counted[0])
    report.count("created", KIND, inserted)
    report.count("updated", KIND, 0)
    report.count("unchanged", KIND, counted[0] - inserted)
    report.seconds = time.perf_counter() - started
    identity_service.record_import(session, kind="evidence", file=table.file, report=report)
    return report


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
    """Check every row; yield the good ones in driver form until the first problem.

    One flat loop with local names and caches: it runs millions of times per import.
    """
    index = {name: position for position, name in enumerate(columns)}

    def column(name: str) -> int | None:
        return index.get(name)

    at_employee, at_skill, at_source = index["employee"], index["skill"], index["source"]
    at_level, at_observed = index["level"], index["observed_at"]
    at_skill_source, at_rater, at_scale = column("skill_source"), column("rater"), column("scale")
    at_confidence, at_expires, at_note = column("confidence"), column("expires_on"), column("note")
    sources = {source: source for source in EVIDENCE_SOURCES}
    latest = now + FUTURE_TOLERANCE
    convert_observed = converters[7] or (lambda value: value)
    convert_expires = converters[8] or (lambda value: value)
    recorded = converters[10](now) if converters[10] else now

    # Caches hold, per distinct text, (value, the text the fingerprint uses, driver value).
    def observed_parser(text: str) -> tuple[datetime, str, Any]:
        value = parse_datetime(text)
        return value, value.isoformat(), convert_observed(value)

    def expires_parser(text: str) -> tuple[date, str, Any]:
        value = parse_date(text)
        return value, value.isoformat(), convert_expires(value)

    observed_cache = _Cached(observed_parser)
    expires_cache = _Cached(expires_parser)
    confidence_cache = _Cached(lambda text: _with_text(_confidence(text)))
    level_caches: dict[str, _Cached] = {}
    default_confidence = _with_text(DEFAULT_CONFIDENCE)
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
                problem(line, "employee", "no employee has this id (import employees first)", text)
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
        source: Any = sources.get(text) or sources.get(text.lower())
        if source is None:
            bad = True
            problem(line, "source", f"must be one of: {', '.join(EVIDENCE_SOURCES)}", text)
        scale_text = values[at_scale].strip() if at_scale is not None else ""
        level_cache = level_caches.get(scale_text)
        if level_cache is None:
            try:
                level_cache = _Cached(_texted(_level_parser(scale_text)))
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
        confidence: Any = default_confidence
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
                problem(line, "rater", "no employee has this id (import employees first)", text)
        note = values[at_note].strip() if at_note is not None else ""
        if len(note) > MAX_NOTE:
            bad = True
            problem(line, "note", f"is longer than {MAX_NOTE} characters")
        if bad:
            failed = True
            continue
        if failed:
            continue
        fingerprint = _fingerprint(
            employee_id,
            skill,
            source,
            rater_id,
            level[1],
            confidence[1],
            observed[1],
            expires[1] if expires is not None else "",
            note,
        )
        yield (
            fingerprint,
            employee_id,
            skill,
            source,
            rater_id,
            level[0],
            confidence[0],
            observed[2],
            expires[2] if expires is not None else None,
            note,
            recorded,
        )
    counted[0] = done


def _with_text(value: float) -> tuple[float, str]:
    """A level or confidence with the text its fingerprint uses."""
    return value, f"{value:.6f}"


def _texted(parse: Callable[[str], float]) -> Callable[[str], tuple[float, str]]:
    """A level parser whose values carry their fingerprint text."""
    return lambda text: _with_text(parse(text))


def _failing(reason: str) -> Callable[[str], float]:
    """A level parser for rows whose scale is wrong: every level fails with that reason."""

    def parse(_text: str) -> float:
        raise CellError(reason)

    return parse
