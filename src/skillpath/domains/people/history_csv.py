"""CSV imports of employment history: openings, moves and leavers (docs/import-formats.md).

All or nothing, like the organisation imports: every row is checked (values, references,
dates that must agree with each other) before anything is written; records are matched by
external id (openings) or by natural key (a move by employee, date and new role; a departure by
employee), and only the differences are written.

Moves are history: importing them does not change an employee's current role or unit, which
the employees file owns. Otherwise the order of two imports would decide a person's role, and
re-importing an older employees file would fight with the moves. The report notes how many
people's current role disagrees with their latest move, so the mismatch is visible.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from skillpath.core.clock import utcnow
from skillpath.core.reports import ImportReport, ProgressCallback, no_progress
from skillpath.core.tabular import (
    RowContext,
    one_of,
    open_table,
    parse_bool,
    parse_currency,
    parse_date,
    parse_identifier,
    parse_nonnegative,
)
from skillpath.domains.identity import service as identity_service
from skillpath.domains.people import repository
from skillpath.domains.people.csv_common import count, first_use, reference, rows_with_progress
from skillpath.domains.people.models import (
    DEPARTURE_REASONS,
    FILL_SOURCES,
    MOVE_KINDS,
    OPENING_STATUSES,
)
from skillpath.domains.people.repository import DepartureState, MoveKey, MoveState, OpeningState

OPENINGS = "openings"
MOVES = "moves"
DEPARTURES = "departures"
EMPLOYEES = "employees"
DEFAULT_CURRENCY = "EUR"
EMPLOYEE_HINT = " (import employees first)"
T = TypeVar("T")


def _finish(
    session: Session, report: ImportReport, kind: str, file: str, started: float
) -> ImportReport:
    """Stamp the time and note the import in the audit log."""
    report.seconds = time.perf_counter() - started
    identity_service.record_import(session, kind=kind, file=file, report=report)
    return report


def _not_before(
    row: RowContext, column: str, value: date | None, earliest: date | None, what: str
) -> None:
    """A date that must not come before another one."""
    if value is not None and earliest is not None and value < earliest:
        row.problem(column, f"is before {what} ({earliest.isoformat()})", value.isoformat())


# Openings

OPENING_REQUIRED = ("external_id", "role", "opened_on")
OPENING_OPTIONAL = (
    "unit",
    "location",
    "hiring_manager",
    "filled_on",
    "closed_on",
    "status",
    "filled_by",
    "fill_source",
    "cost",
    "currency",
)


def import_openings(
    session: Session, *, path: Path, progress: ProgressCallback = no_progress
) -> ImportReport:
    """Upsert openings by external id, checking that status, dates and fill agree."""
    started = time.perf_counter()
    table = open_table(path, required=OPENING_REQUIRED, optional=OPENING_OPTIONAL)
    report = ImportReport(source=f"{table.file} ({OPENINGS})")
    roles = repository.role_ids(session, "org")
    units = repository.unit_ids(session)
    locations = repository.location_ids(session)
    people = repository.employee_dates(session)
    records: dict[str, OpeningState] = {}
    seen: dict[str, int] = {}
    for row in rows_with_progress(table.rows, progress, f"{table.file}: checking"):
        report.rows_read += 1
        external_id = row.required("external_id", parse_identifier)
        role = reference(row, "role", roles, "role", hint=" (import roles first)")
        if not row.raw("role"):
            row.problem("role", "is required but empty")
        unit = reference(row, "unit", units, "org unit")
        location = reference(row, "location", locations, "location")
        manager = reference(row, "hiring_manager", people, "employee", hint=EMPLOYEE_HINT)
        filled_by = reference(row, "filled_by", people, "employee", hint=EMPLOYEE_HINT)
        opened_on = row.required("opened_on", parse_date)
        filled_on = row.cell("filled_on", parse_date)
        closed_on = row.cell("closed_on", parse_date)
        status = row.cell("status", one_of(OPENING_STATUSES))
        fill_source = row.cell("fill_source", one_of(FILL_SOURCES))
        cost = row.cell("cost", parse_nonnegative, default=0.0)
        currency = row.cell("currency", parse_currency, default=DEFAULT_CURRENCY)
        if status is None and not row.raw("status"):
            status = "filled" if filled_on else "closed" if closed_on else "open"
        filled_by_dates = people.get(filled_by) if filled_by is not None else None
        _check_opening(row, status, opened_on, filled_on, closed_on, fill_source, filled_by_dates)
        if external_id is None or not first_use(row, "external_id", external_id, seen):
            continue
        if role is None or opened_on is None or status is None:
            continue
        records[external_id] = (
            roles[role],
            units[unit] if unit is not None else None,
            locations[location] if location is not None else None,
            people[manager][0] if manager is not None else None,
            opened_on,
            filled_on,
            closed_on,
            status,
            filled_by_dates[0] if filled_by_dates is not None else None,
            fill_source,
            cost or 0.0,
            currency or DEFAULT_CURRENCY,
        )
    table.log.raise_if_any(f"cannot import {table.file}")

    existing = repository.opening_states(session)
    fields = (
        "role_id",
        "org_unit_id",
        "location_id",
        "hiring_manager_id",
        "opened_on",
        "filled_on",
        "closed_on",
        "status",
        "filled_by_id",
        "fill_source",
        "cost",
        "currency",
    )
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    unchanged = 0
    for external_id, wanted in records.items():
        found = existing.get(external_id)
        values = dict(zip(fields, wanted, strict=True))
        if found is None:
            inserts.append({"external_id": external_id, **values})
        elif found[1] == wanted:
            unchanged += 1
        else:
            updates.append({"id": found[0], **values})
    repository.insert_openings(session, inserts)
    repository.update_openings(session, updates)
    count(report, OPENINGS, len(inserts), len(updates), unchanged)
    return _finish(session, report, "openings", table.file, started)


def _check_opening(
    row: RowContext,
    status: str | None,
    opened_on: date | None,
    filled_on: date | None,
    closed_on: date | None,
    fill_source: str | None,
    filled_by: tuple[int, date, date | None] | None,
) -> None:
    """Status, dates and fill of one opening must tell the same story."""
    _not_before(row, "filled_on", filled_on, opened_on, "opened_on")
    _not_before(row, "closed_on", closed_on, opened_on, "opened_on")
    if status == "filled":
        if filled_on is None and not row.raw("filled_on"):
            row.problem("filled_on", "is required when status is filled")
        if fill_source is None and not row.raw("fill_source"):
            row.problem("fill_source", "is required when status is filled (internal/external)")
        if fill_source == "internal" and not row.raw("filled_by"):
            row.problem("filled_by", "is required for an internal fill (the employee who moved)")
        if filled_by is not None and filled_on is not None:
            hired_on = filled_by[1]
            if fill_source == "internal" and hired_on > filled_on:
                row.problem(
                    "filled_by",
                    f"was hired on {hired_on.isoformat()}, after filled_on, so the fill "
                    "cannot be internal",
                    row.raw("filled_by"),
                )
            if fill_source == "external" and opened_on is not None and hired_on < opened_on:
                row.problem(
                    "filled_by",
                    f"was hired on {hired_on.isoformat()}, before opened_on, so the fill "
                    "cannot be external",
                    row.raw("filled_by"),
                )
        return
    for column in ("filled_on", "filled_by", "fill_source"):
        if row.raw(column):
            row.problem(column, f"must be empty when status is {status}", row.raw(column))
    if status == "closed" and closed_on is None and not row.raw("closed_on"):
        row.problem("closed_on", "is required when status is closed")
    if status == "open" and row.raw("closed_on"):
        row.problem("closed_on", "must be empty when status is open", row.raw("closed_on"))


# Moves

MOVE_REQUIRED = ("employee", "moved_on", "kind")
MOVE_OPTIONAL = ("from_role", "to_role", "from_unit", "to_unit", "opening")


@dataclass
class _MoveRow:
    row: int
    employee_id: int
    state: MoveState


def import_moves(
    session: Session, *, path: Path, progress: ProgressCallback = no_progress
) -> ImportReport:
    """Upsert moves by (employee, moved_on, to_role); they are history and do not change the
    employee's current role or unit (see the module docstring)."""
    started = time.perf_counter()
    table = open_table(path, required=MOVE_REQUIRED, optional=MOVE_OPTIONAL)
    report = ImportReport(source=f"{table.file} ({MOVES})")
    roles = repository.role_ids(session, "org")
    units = repository.unit_ids(session)
    openings = repository.opening_ids(session)
    people = repository.employee_dates(session)
    records: dict[MoveKey, _MoveRow] = {}
    seen: dict[str, int] = {}
    for row in rows_with_progress(table.rows, progress, f"{table.file}: checking"):
        report.rows_read += 1
        employee = reference(row, "employee", people, "employee", hint=EMPLOYEE_HINT)
        if not row.raw("employee"):
            row.problem("employee", "is required but empty")
        moved_on = row.required("moved_on", parse_date)
        kind = row.required("kind", one_of(MOVE_KINDS))
        from_role = reference(row, "from_role", roles, "role")
        to_role = reference(row, "to_role", roles, "role")
        from_unit = reference(row, "from_unit", units, "org unit")
        to_unit = reference(row, "to_unit", units, "org unit")
        opening = reference(row, "opening", openings, "opening", hint=" (import openings first)")
        if not row.raw("to_role") and not row.raw("to_unit"):
            row.problem("to_role", "a move needs a new role (to_role) or a new unit (to_unit)")
        elif row.raw("from_role") == row.raw("to_role") and row.raw("from_unit") == row.raw(
            "to_unit"
        ):
            row.problem("to_role", "the move changes neither role nor unit", row.raw("to_role"))
        if employee is None or moved_on is None or kind is None:
            continue
        employee_id, hired_on, left_on = people[employee]
        _not_before(row, "moved_on", moved_on, hired_on, "the employee's hired_on")
        if left_on is not None and moved_on > left_on:
            row.problem(
                "moved_on",
                f"is after the employee left ({left_on.isoformat()})",
                moved_on.isoformat(),
            )
        to_role_id = roles[to_role] if to_role is not None else None
        key_text = f"{employee}|{moved_on.isoformat()}|{to_role or ''}"
        if not first_use(row, "moved_on", key_text, seen):
            continue
        records[(employee_id, moved_on, to_role_id)] = _MoveRow(
            row.row,
            employee_id,
            (
                kind,
                roles[from_role] if from_role is not None else None,
                units[from_unit] if from_unit is not None else None,
                units[to_unit] if to_unit is not None else None,
                openings[opening] if opening is not None else None,
            ),
        )
    table.log.raise_if_any(f"cannot import {table.file}")

    existing = repository.move_states(session)
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    unchanged = 0
    fields = ("kind", "from_role_id", "from_unit_id", "to_unit_id", "opening_id")
    for key, record in records.items():
        found = existing.get(key)
        values = dict(zip(fields, record.state, strict=True))
        if found is None:
            employee_id, moved_on, to_role_id = key
            inserts.append(
                {
                    "employee_id": employee_id,
                    "moved_on": moved_on,
                    "to_role_id": to_role_id,
                    **values,
                }
            )
        elif found[1] == record.state:
            unchanged += 1
        else:
            updates.append({"id": found[0], **values})
    repository.insert_moves(session, inserts)
    repository.update_moves(session, updates)
    count(report, MOVES, len(inserts), len(updates), unchanged)
    _note_role_mismatches(session, report, {record.employee_id for record in records.values()})
    return _finish(session, report, "moves", table.file, started)


def _note_role_mismatches(session: Session, report: ImportReport, employee_ids: set[int]) -> None:
    """Say how many people's current role differs from the new role of their latest move."""
    latest = repository.latest_moves(session)
    current = {
        employee_id: state[6]
        for employee_id, state, _l in repository.employee_states(session).values()
    }
    differing = sum(
        1
        for employee_id in employee_ids
        if (move := latest.get(employee_id)) is not None
        and move[1] is not None
        and current.get(employee_id) != move[1]
    )
    if differing:
        report.notes.append(
            f"{differing} employee(s) hold a role other than the new role of their latest move; "
            "moves are history, the employees file sets the current role"
        )


# Leavers

LEAVER_REQUIRED = ("employee", "left_on")
LEAVER_OPTIONAL = ("reason", "regretted")


def import_leavers(
    session: Session, *, path: Path, progress: ProgressCallback = no_progress
) -> ImportReport:
    """Upsert departures by employee and set each leaver's `left_on`."""
    started = time.perf_counter()
    table = open_table(path, required=LEAVER_REQUIRED, optional=LEAVER_OPTIONAL)
    report = ImportReport(source=f"{table.file} (leavers)")
    present = set(table.columns)
    people = repository.employee_dates(session)
    existing = repository.departure_states(session)
    records: dict[int, DepartureState] = {}
    seen: dict[str, int] = {}
    for row in rows_with_progress(table.rows, progress, f"{table.file}: checking"):
        report.rows_read += 1
        employee = reference(row, "employee", people, "employee", hint=EMPLOYEE_HINT)
        if not row.raw("employee"):
            row.problem("employee", "is required but empty")
        left_on = row.required("left_on", parse_date)
        reason = row.cell("reason", one_of(DEPARTURE_REASONS))
        regretted = row.cell("regretted", parse_bool)
        if employee is None or not first_use(row, "employee", employee, seen):
            continue
        employee_id, hired_on, _left = people[employee]
        _not_before(row, "left_on", left_on, hired_on, "the employee's hired_on")
        if left_on is None:
            continue
        stored = existing.get(employee_id)
        records[employee_id] = (
            left_on,
            _kept(present, "reason", reason, stored[1][1] if stored else None, "voluntary"),
            _kept(present, "regretted", regretted, stored[1][2] if stored else None, False),
        )
    table.log.raise_if_any(f"cannot import {table.file}")

    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    unchanged = 0
    for employee_id, wanted in records.items():
        found = existing.get(employee_id)
        values = dict(zip(("left_on", "reason", "regretted"), wanted, strict=True))
        if found is None:
            inserts.append({"employee_id": employee_id, **values})
        elif found[1] == wanted:
            unchanged += 1
        else:
            updates.append({"id": found[0], **values})
    repository.insert_departures(session, inserts)
    repository.update_departures(session, updates)
    count(report, DEPARTURES, len(inserts), len(updates), unchanged)
    left_on_by_id = {employee_id: left for employee_id, _hired, left in people.values()}
    now = utcnow()
    employee_updates = [
        {"id": employee_id, "left_on": wanted[0], "updated_at": now}
        for employee_id, wanted in records.items()
        if left_on_by_id.get(employee_id) != wanted[0]
    ]
    repository.update_employees(session, employee_updates)
    count(report, EMPLOYEES, 0, len(employee_updates), len(records) - len(employee_updates))
    return _finish(session, report, "leavers", table.file, started)


def _kept(present: set[str], column: str, given: T | None, stored: T | None, default: T) -> T:
    """A column in the file sets the value (empty → default); one left out keeps the stored
    value (or the default for a new departure)."""
    if column in present:
        return default if given is None else given
    return default if stored is None else stored
