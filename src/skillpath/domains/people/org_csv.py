"""CSV imports of the organisation: locations, org units and employees (docs/import-formats.md).

All or nothing: every row is checked (columns, values, duplicate ids, unknown references,
cycles in the org tree or the manager chain, across the file and the database) before anything
is written. Records are matched by external id; only what differs is written, so importing the
same file twice changes nothing. A column left out of the file keeps the stored values.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from skillpath.core.clock import utcnow
from skillpath.core.errors import Problem
from skillpath.core.reports import ImportReport, ProgressCallback, no_progress
from skillpath.core.tabular import (
    RowContext,
    bounded,
    open_table,
    parse_country,
    parse_date,
    parse_email,
    parse_identifier,
    parse_list,
    parse_locale,
    parse_timezone,
)
from skillpath.domains.identity import service as identity_service
from skillpath.domains.people import repository
from skillpath.domains.people.csv_common import (
    Located,
    chosen,
    count,
    dependency_levels,
    first_use,
    reference,
    report_cycles,
    rows_with_progress,
)
from skillpath.domains.people.repository import EmployeeState, LocationState, UnitState

LOCATIONS = "locations"
UNITS = "org units"
EMPLOYEES = "employees"
DEFAULT_LOCALE = "en"
DEFAULT_TIMEZONE = "UTC"
DEFAULT_UNIT_KIND = "unit"


def _finish(
    session: Session, report: ImportReport, kind: str, file: str, started: float
) -> ImportReport:
    """Stamp the time and note the import in the audit log."""
    report.seconds = time.perf_counter() - started
    identity_service.record_import(session, kind=kind, file=file, report=report)
    return report


# Locations


@dataclass
class _LocationRow:
    row: int
    name: str
    country: str
    locale: str | None
    timezone: str | None


LOCATION_REQUIRED = ("external_id", "name", "country")
LOCATION_OPTIONAL = ("locale", "timezone")


def import_locations(
    session: Session, *, path: Path, progress: ProgressCallback = no_progress
) -> ImportReport:
    """Upsert locations by external id (country ISO 3166 alpha-2, locale, IANA time zone)."""
    started = time.perf_counter()
    table = open_table(path, required=LOCATION_REQUIRED, optional=LOCATION_OPTIONAL)
    report = ImportReport(source=f"{table.file} ({LOCATIONS})")
    present = set(table.columns)
    records: dict[str, _LocationRow] = {}
    seen: dict[str, int] = {}
    for row in rows_with_progress(table.rows, progress, f"{table.file}: checking"):
        report.rows_read += 1
        external_id = row.required("external_id", parse_identifier)
        name = row.required("name", bounded(200))
        country = row.required("country", parse_country)
        locale = row.cell("locale", parse_locale)
        timezone = row.cell("timezone", parse_timezone)
        if external_id is None or not first_use(row, "external_id", external_id, seen):
            continue
        if name is not None and country is not None:
            records[external_id] = _LocationRow(row.row, name, country, locale, timezone)
    table.log.raise_if_any(f"cannot import {table.file}")

    existing = repository.location_states(session)
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    unchanged = 0
    for external_id, record in records.items():
        found = existing.get(external_id)
        stored: LocationState = found[1] if found else ("", "", DEFAULT_LOCALE, DEFAULT_TIMEZONE)
        wanted: LocationState = (
            record.name,
            record.country,
            chosen(present, "locale", record.locale, stored[2], DEFAULT_LOCALE),
            chosen(present, "timezone", record.timezone, stored[3], DEFAULT_TIMEZONE),
        )
        values = dict(zip(("name", "country", "locale", "timezone"), wanted, strict=True))
        if found is None:
            inserts.append({"external_id": external_id, **values})
        elif found[1] == wanted:
            unchanged += 1
        else:
            updates.append({"id": found[0], **values})
    repository.insert_locations(session, inserts)
    repository.update_locations(session, updates)
    count(report, LOCATIONS, len(inserts), len(updates), unchanged)
    return _finish(session, report, "locations", table.file, started)


# Org units


@dataclass
class _UnitRow:
    row: int
    name: str
    kind: str | None
    location_id: int | None


UNIT_REQUIRED = ("external_id", "name")
UNIT_OPTIONAL = ("kind", "parent", "location")


def import_org_units(
    session: Session, *, path: Path, progress: ProgressCallback = no_progress
) -> ImportReport:
    """Upsert org units by external id; parents may come later in the file; no cycles."""
    started = time.perf_counter()
    table = open_table(path, required=UNIT_REQUIRED, optional=UNIT_OPTIONAL)
    report = ImportReport(source=f"{table.file} ({UNITS})")
    present = set(table.columns)
    existing = repository.unit_states(session)
    locations = repository.location_ids(session)
    checked: list[tuple[RowContext, str]] = []
    records: dict[str, _UnitRow] = {}
    seen: dict[str, int] = {}
    for row in rows_with_progress(table.rows, progress, f"{table.file}: checking"):
        report.rows_read += 1
        external_id = row.required("external_id", parse_identifier)
        name = row.required("name", bounded(200))
        kind = row.cell("kind", bounded(40))
        location = reference(row, "location", locations, "location", hint=" (import it first)")
        if external_id is None or not first_use(row, "external_id", external_id, seen):
            continue
        checked.append((row, external_id))
        if name is not None:
            location_id = locations[location] if location is not None else None
            records[external_id] = _UnitRow(row.row, name, kind, location_id)
    ext_of = {unit_id: ext for ext, (unit_id, _state) in existing.items()}
    parent_of: dict[str, str | None] = {
        ext: ext_of.get(state[2]) if state[2] is not None else None
        for ext, (_unit_id, state) in existing.items()
    }
    # Parents are checked once every id of the file is known (a parent may come later).
    for row, external_id in checked:
        parent = reference(row, "parent", existing, "org unit", also=seen)
        if parent is not None and parent == external_id:
            row.problem("parent", "an org unit cannot be its own parent", parent)
            parent = None
        if "parent" in present:
            parent_of[external_id] = parent
        else:
            parent_of.setdefault(external_id, None)
    report_cycles(
        table.log,
        parent_of,
        {ext: Located(table.file, rec.row) for ext, rec in records.items()},
        column="parent",
        what="org units",
    )
    table.log.raise_if_any(f"cannot import {table.file}")

    stage = f"{table.file}: writing"
    progress(stage, 0, len(records))
    ids = {ext: unit_id for ext, (unit_id, _state) in existing.items()}
    new = [ext for ext in records if ext not in existing]
    new_set = set(new)

    def values_of(external_id: str, stored: UnitState | None) -> dict[str, Any]:
        record = records[external_id]
        parent = parent_of.get(external_id)
        return {
            "name": record.name,
            "kind": chosen(
                present,
                "kind",
                record.kind,
                stored[1] if stored else DEFAULT_UNIT_KIND,
                DEFAULT_UNIT_KIND,
            ),
            "parent_id": ids[parent] if parent is not None else None,
            "location_id": chosen(
                present, "location", record.location_id, stored[3] if stored else None, None
            ),
        }

    def new_parent(external_id: str) -> str | None:
        parent = parent_of.get(external_id)
        return parent if parent in new_set else None

    for level in dependency_levels(new, new_parent):
        ids.update(
            repository.insert_units(
                session, [{"external_id": ext, **values_of(ext, None)} for ext in level]
            )
        )
    updates: list[dict[str, Any]] = []
    unchanged = 0
    for external_id in records:
        found = existing.get(external_id)
        if found is None:
            continue
        values = values_of(external_id, found[1])
        wanted: UnitState = (
            values["name"],
            values["kind"],
            values["parent_id"],
            values["location_id"],
        )
        if wanted == found[1]:
            unchanged += 1
        else:
            updates.append({"id": found[0], **values})
    repository.update_units(session, updates)
    progress(stage, len(records), len(records))
    count(report, UNITS, len(new), len(updates), unchanged)
    return _finish(session, report, "org-units", table.file, started)


# Employees


@dataclass
class _EmployeeRow:
    row: int
    first_name: str
    last_name: str
    hired_on: date
    email: str | None
    job_title: str | None
    unit_id: int | None
    role_id: int | None
    location_id: int | None
    left_on: date | None
    languages: list[str] | None


EMPLOYEE_REQUIRED = ("external_id", "first_name", "last_name", "hired_on")
EMPLOYEE_OPTIONAL = (
    "email",
    "job_title",
    "manager",
    "unit",
    "role",
    "location",
    "left_on",
    "languages",
)


def _parse_languages(text: str) -> list[str]:
    """A `;`-separated list of locales ("en;fr-CA"), each checked like a location's locale."""
    return [parse_locale(item) for item in parse_list(text)]


def import_employees(
    session: Session, *, path: Path, progress: ProgressCallback = no_progress
) -> ImportReport:
    """Upsert employees by external id; managers may come later in the file; no cycles in the
    manager chain; units, org roles and locations must exist."""
    started = time.perf_counter()
    table = open_table(path, required=EMPLOYEE_REQUIRED, optional=EMPLOYEE_OPTIONAL)
    report = ImportReport(source=f"{table.file} ({EMPLOYEES})")
    present = set(table.columns)
    existing = repository.employee_states(session)
    units = repository.unit_ids(session)
    roles = repository.role_ids(session, "org")
    locations = repository.location_ids(session)
    checked: list[tuple[RowContext, str]] = []
    records: dict[str, _EmployeeRow] = {}
    seen: dict[str, int] = {}
    emails: dict[str, str] = {}
    for row in rows_with_progress(table.rows, progress, f"{table.file}: checking"):
        report.rows_read += 1
        external_id = row.required("external_id", parse_identifier)
        first_name = row.required("first_name", bounded(120))
        last_name = row.required("last_name", bounded(120))
        hired_on = row.required("hired_on", parse_date)
        email = row.cell("email", parse_email)
        job_title = row.cell("job_title", bounded(300))
        unit = reference(row, "unit", units, "org unit", hint=" (import org units first)")
        role = reference(row, "role", roles, "role", hint=" (import roles first)")
        location = reference(row, "location", locations, "location", hint=" (import it first)")
        left_on = row.cell("left_on", parse_date)
        languages = row.cell("languages", _parse_languages)
        if hired_on is not None and left_on is not None and left_on < hired_on:
            row.problem(
                "left_on", f"is before hired_on ({hired_on.isoformat()})", row.raw("left_on")
            )
        if external_id is None or not first_use(row, "external_id", external_id, seen):
            continue
        checked.append((row, external_id))
        if email is not None:
            first = emails.setdefault(email, external_id)
            if first != external_id:
                row.problem("email", f"is also the e-mail of employee {first} in this file", email)
        if first_name is None or last_name is None or hired_on is None:
            continue
        records[external_id] = _EmployeeRow(
            row=row.row,
            first_name=first_name,
            last_name=last_name,
            hired_on=hired_on,
            email=email,
            job_title=job_title,
            unit_id=units[unit] if unit is not None else None,
            role_id=roles[role] if role is not None else None,
            location_id=locations[location] if location is not None else None,
            left_on=left_on,
            languages=languages,
        )
    # E-mails must stay unique across the people the file does not mention.
    if "email" in present:
        for external_id, (_id, state, _languages) in existing.items():
            email = state[2]
            if external_id in seen or email is None:
                continue
            holder = emails.get(email)
            if holder is not None and holder in records:
                table.log.add(
                    Problem(
                        f"already belongs to employee {external_id}",
                        file=table.file,
                        row=records[holder].row,
                        column="email",
                        value=email,
                    )
                )
    ext_of = {employee_id: ext for ext, (employee_id, _s, _l) in existing.items()}
    manager_of: dict[str, str | None] = {
        ext: ext_of.get(state[4]) if state[4] is not None else None
        for ext, (_id, state, _languages) in existing.items()
    }
    for row, external_id in checked:
        manager = reference(row, "manager", existing, "employee", also=seen)
        if manager is not None and manager == external_id:
            row.problem("manager", "an employee cannot be their own manager", manager)
            manager = None
        if "manager" in present:
            manager_of[external_id] = manager
        else:
            manager_of.setdefault(external_id, None)
    report_cycles(
        table.log,
        manager_of,
        {ext: Located(table.file, rec.row) for ext, rec in records.items()},
        column="manager",
        what="managers",
    )
    table.log.raise_if_any(f"cannot import {table.file}")
    _write_employees(session, records, existing, manager_of, present, report, progress, table.file)
    return _finish(session, report, "employees", table.file, started)


def _write_employees(
    session: Session,
    records: dict[str, _EmployeeRow],
    existing: dict[str, tuple[int, EmployeeState, list[str]]],
    manager_of: dict[str, str | None],
    present: set[str],
    report: ImportReport,
    progress: ProgressCallback,
    file: str,
) -> None:
    """Insert the new employees (managers first) and update those that changed."""
    stage = f"{file}: writing"
    progress(stage, 0, len(records))
    ids = {ext: employee_id for ext, (employee_id, _s, _l) in existing.items()}
    new = [ext for ext in records if ext not in existing]
    new_set = set(new)
    now = utcnow()

    def values_of(
        external_id: str, stored: EmployeeState | None, stored_languages: list[str]
    ) -> dict[str, Any]:
        record = records[external_id]
        manager = manager_of.get(external_id)
        return {
            "first_name": record.first_name,
            "last_name": record.last_name,
            "name_lower": f"{record.first_name} {record.last_name}".lower(),
            "email": chosen(present, "email", record.email, stored[2] if stored else None, None),
            "job_title": chosen(
                present, "job_title", record.job_title, stored[3] if stored else "", ""
            ),
            "manager_id": ids[manager] if manager is not None else None,
            "org_unit_id": chosen(
                present, "unit", record.unit_id, stored[5] if stored else None, None
            ),
            "role_id": chosen(present, "role", record.role_id, stored[6] if stored else None, None),
            "location_id": chosen(
                present, "location", record.location_id, stored[7] if stored else None, None
            ),
            "hired_on": record.hired_on,
            "left_on": chosen(
                present, "left_on", record.left_on, stored[9] if stored else None, None
            ),
            "languages": chosen(present, "languages", record.languages, stored_languages, []),
            "updated_at": now,
        }

    def new_manager(external_id: str) -> str | None:
        manager = manager_of.get(external_id)
        return manager if manager in new_set else None

    done = 0
    for level in dependency_levels(new, new_manager):
        ids.update(
            repository.insert_employees(
                session,
                [
                    {"external_id": ext, "profile_text": "", **values_of(ext, None, [])}
                    for ext in level
                ],
            )
        )
        done += len(level)
        progress(stage, done, len(records))
    updates: list[dict[str, Any]] = []
    unchanged = 0
    for external_id in records:
        found = existing.get(external_id)
        if found is None:
            continue
        employee_id, stored, stored_languages = found
        values = values_of(external_id, stored, stored_languages)
        wanted: EmployeeState = (
            values["first_name"],
            values["last_name"],
            values["email"],
            values["job_title"],
            values["manager_id"],
            values["org_unit_id"],
            values["role_id"],
            values["location_id"],
            values["hired_on"],
            values["left_on"],
        )
        if wanted == stored and values["languages"] == stored_languages:
            unchanged += 1
        else:
            updates.append({"id": employee_id, **values})
    repository.update_employees(session, updates)
    progress(stage, len(records), len(records))
    count(report, EMPLOYEES, len(new), len(updates), unchanged)
