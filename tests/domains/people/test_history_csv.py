"""CSV imports of openings, moves and leavers: upsert, consistency checks, idempotence."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from skillpath.domains.people import service
from skillpath.domains.people.models import Departure, Employee, Move, Opening, OrgUnit, Role
from tests.csv_files import find, refused, totals, write_csv
from tests.factories import make_employee, make_role, make_unit


@pytest.fixture
def company(session: Session) -> dict[str, str]:
    """Two roles, two units and three people; returns their external ids by name."""
    analyst = make_role(session, "Data Analyst")
    senior = make_role(session, "Senior Data Analyst")
    ops = make_unit(session, "Operations")
    data = make_unit(session, "Data")
    boss = make_employee(session, "Boss", hired_on=date(2015, 1, 1))
    ana = make_employee(
        session, "Ana", role=analyst, unit=ops, manager=boss, hired_on=date(2020, 1, 1)
    )
    new = make_employee(session, "New", hired_on=date(2023, 6, 1))
    return {
        "analyst": analyst.external_id,
        "senior": senior.external_id,
        "ops": ops.external_id,
        "data": data.external_id,
        "boss": boss.external_id,
        "ana": ana.external_id,
        "new": new.external_id,
    }


# Openings


def openings_csv(c: dict[str, str]) -> str:
    """Three openings: filled internally, filled externally, still open."""
    return f"""
        external_id,role,unit,hiring_manager,opened_on,filled_on,status,filled_by,fill_source,cost,currency
        O1,{c["senior"]},{c["data"]},{c["boss"]},2024-01-10,2024-02-20,filled,{c["ana"]},internal,500,eur
        O2,{c["analyst"]},{c["ops"]},{c["boss"]},2023-04-01,2023-05-30,filled,{c["new"]},external,12000,EUR
        O3,{c["analyst"]},{c["ops"]},,2025-01-01,,,,,,
    """


def test_openings_import_and_reimport(
    session: Session, tmp_path: Path, company: dict[str, str]
) -> None:
    """Openings are stored with resolved references; the status is derived when left empty."""
    path = write_csv(tmp_path, "openings.csv", openings_csv(company))
    report = service.import_openings_csv(session, path=path)
    assert totals(report, "openings") == (3, 0, 0)
    rows = {o.external_id: o for o in session.scalars(select(Opening)).all()}
    assert rows["O1"].fill_source == "internal"
    assert rows["O1"].currency == "EUR"
    assert rows["O2"].cost == 12000
    assert rows["O3"].status == "open"
    assert rows["O3"].filled_by_id is None
    again = service.import_openings_csv(session, path=path)
    assert totals(again, "openings") == (0, 0, 3)


def test_openings_consistency(session: Session, tmp_path: Path, company: dict[str, str]) -> None:
    """Status, dates and fill must agree; each disagreement is named."""
    c = company
    path = write_csv(
        tmp_path,
        "openings.csv",
        f"""
        external_id,role,opened_on,filled_on,closed_on,status,filled_by,fill_source,cost,currency
        B1,{c["analyst"]},2024-03-01,2024-02-01,,filled,{c["ana"]},internal,0,EUR
        B2,{c["analyst"]},2024-03-01,,,filled,,internal,0,EUR
        B3,{c["analyst"]},2024-03-01,,,open,{c["ana"]},,0,EUR
        B4,{c["analyst"]},2024-03-01,,,closed,,,0,EUR
        B5,{c["analyst"]},2023-01-01,2023-03-01,,filled,{c["new"]},internal,-5,XXY
        B6,NOPE,2024-03-01,,,open,,,0,EUR
        B7,{c["analyst"]},2024-03-01,2024-04-01,,filled,{c["ana"]},external,0,EUR
        """,
    )
    problems = refused(session, service.import_openings_csv, path)
    assert "before opened_on" in find(problems, column="filled_on", row=2).reason
    assert "required" in find(problems, column="filled_on", row=3).reason
    assert "internal fill" in find(problems, column="filled_by", row=3).reason
    assert "must be empty" in find(problems, column="filled_by", row=4).reason
    assert "required" in find(problems, column="closed_on", row=5).reason
    assert "cannot be internal" in find(problems, column="filled_by", row=6).reason
    assert find(problems, column="cost", row=6).value == "-5"
    assert find(problems, column="currency", row=6).value == "XXY"
    assert find(problems, column="role", row=7).value == "NOPE"
    assert "cannot be external" in find(problems, column="filled_by", row=8).reason


# Moves


def test_moves_are_history_and_idempotent(
    session: Session, tmp_path: Path, company: dict[str, str]
) -> None:
    """Moves are stored with their opening; the employee's current role is not changed."""
    c = company
    service.import_openings_csv(session, path=write_csv(tmp_path, "o.csv", openings_csv(c)))
    path = write_csv(
        tmp_path,
        "moves.csv",
        f"""
        employee,moved_on,kind,from_role,to_role,from_unit,to_unit,opening
        {c["ana"]},2024-02-20,promotion,{c["analyst"]},{c["senior"]},{c["ops"]},{c["data"]},O1
        {c["new"]},2024-01-01,transfer,,,{c["ops"]},{c["data"]},
        """,
    )
    report = service.import_moves_csv(session, path=path)
    assert totals(report, "moves") == (2, 0, 0)
    assert any("moves are history" in note for note in report.notes)
    ana = session.scalars(select(Employee).where(Employee.external_id == c["ana"])).one()
    analyst = session.scalars(select(Role).where(Role.external_id == c["analyst"])).one()
    assert ana.role_id == analyst.id
    move = session.scalars(select(Move).where(Move.employee_id == ana.id)).one()
    opening = session.scalars(select(Opening).where(Opening.external_id == "O1")).one()
    data = session.scalars(select(OrgUnit).where(OrgUnit.external_id == c["data"])).one()
    assert (move.kind, move.opening_id, move.to_unit_id) == ("promotion", opening.id, data.id)
    again = service.import_moves_csv(session, path=path)
    assert totals(again, "moves") == (0, 0, 2)
    changed = path.read_text().replace("promotion", "lateral")
    updated = service.import_moves_csv(session, path=write_csv(tmp_path, "m2.csv", changed))
    assert totals(updated, "moves") == (0, 1, 1)


def test_moves_bad_rows(session: Session, tmp_path: Path, company: dict[str, str]) -> None:
    """Dates outside employment, unknown kinds, empty moves and duplicates are refused."""
    c = company
    path = write_csv(
        tmp_path,
        "moves.csv",
        f"""
        employee,moved_on,kind,to_role,to_unit,opening
        {c["ana"]},2019-01-01,promotion,{c["senior"]},,
        {c["ana"]},2024-01-01,sideways,{c["senior"]},,
        {c["ana"]},2024-02-01,lateral,,,
        {c["ana"]},2024-03-01,lateral,{c["senior"]},,
        {c["ana"]},2024-03-01,promotion,{c["senior"]},,
        GHOST,2024-03-01,promotion,{c["senior"]},,NOPE
        """,
    )
    problems = refused(session, service.import_moves_csv, path)
    assert "hired_on" in find(problems, column="moved_on", row=2).reason
    assert find(problems, column="kind", row=3).value == "sideways"
    assert "needs a new role" in find(problems, column="to_role", row=4).reason
    assert "first on row 5" in find(problems, column="moved_on", row=6).reason
    assert find(problems, column="employee", row=7).value == "GHOST"
    assert find(problems, column="opening", row=7).value == "NOPE"


# Leavers


def test_leavers_set_left_on_and_are_idempotent(
    session: Session, tmp_path: Path, company: dict[str, str]
) -> None:
    """A leaver gets a departure and a leaving date; a re-import changes nothing."""
    c = company
    path = write_csv(
        tmp_path,
        "leavers.csv",
        f"employee,left_on,reason,regretted\n{c['ana']},2025-03-31,voluntary,yes",
    )
    report = service.import_leavers_csv(session, path=path)
    assert totals(report, "departures") == (1, 0, 0)
    assert totals(report, "employees") == (0, 1, 0)
    ana = session.scalars(select(Employee).where(Employee.external_id == c["ana"])).one()
    assert ana.left_on == date(2025, 3, 31)
    departure = session.scalars(select(Departure).where(Departure.employee_id == ana.id)).one()
    assert departure.regretted is True
    again = service.import_leavers_csv(session, path=path)
    assert totals(again, "departures") == (0, 0, 1)
    assert totals(again, "employees") == (0, 0, 1)
    later = write_csv(tmp_path, "later.csv", f"employee,left_on\n{c['ana']},2025-04-30")
    moved = service.import_leavers_csv(session, path=later)
    assert totals(moved, "departures") == (0, 1, 0)
    departure = session.scalars(select(Departure).where(Departure.employee_id == ana.id)).one()
    assert departure.regretted is True, "a column left out keeps its value"


def test_leavers_bad_rows(session: Session, tmp_path: Path, company: dict[str, str]) -> None:
    """Leaving before being hired, unknown people, bad reasons and duplicates are refused."""
    c = company
    path = write_csv(
        tmp_path,
        "leavers.csv",
        f"""
        employee,left_on,reason,regretted
        {c["new"]},2020-01-01,voluntary,no
        {c["ana"]},2025-01-01,fired,maybe
        {c["ana"]},2025-02-01,other,no
        NOBODY,2025-01-01,other,no
        """,
    )
    problems = refused(session, service.import_leavers_csv, path)
    assert "hired_on" in find(problems, column="left_on", row=2).reason
    assert find(problems, column="reason", row=3).value == "fired"
    assert find(problems, column="regretted", row=3).value == "maybe"
    assert "first on row 3" in find(problems, column="employee", row=4).reason
    assert find(problems, column="employee", row=5).value == "NOBODY"
