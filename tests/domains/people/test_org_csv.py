"""CSV imports of locations, org units and employees: upsert, idempotence, every bad input."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from skillpath.core.errors import InvalidInputError
from skillpath.domains.identity.models import AuditEvent
from skillpath.domains.people import service
from skillpath.domains.people.models import Employee, Location, OrgUnit
from tests.csv_files import find, refused, snapshot, totals, write_csv
from tests.factories import make_employee, make_role, make_unit

LOCATIONS = """
    external_id,name,country,locale,timezone
    LON,London office,gb,en_GB,Europe/London
    PAR,Paris store,FR,fr-FR,Europe/Paris
"""

UNITS = """
    external_id,name,kind,parent,location
    SALES-UK,Sales UK,team,SALES,LON
    SALES,Sales,function,HQ,
    HQ,Headquarters,company,,LON
"""

EMPLOYEES = """
    external_id,first_name,last_name,email,job_title,manager,unit,role,location,hired_on,left_on,languages
    E2,Bo,Berg,Bo@Example.com,Rep,E1,SALES-UK,,LON,2021-03-01,,en;fr
    E1,Ann,Ash,ann@example.com,Head,,HQ,,LON,2019-01-01,,en
    E3,Cy,Cole,cy@example.com,Rep,E2,SALES-UK,,PAR,2022-03-01,2024-01-31,fr_FR
"""


@pytest.fixture
def org(session: Session, tmp_path: Path) -> Path:
    """Locations and units imported; returns the folder for more files."""
    service.import_locations_csv(session, path=write_csv(tmp_path, "locations.csv", LOCATIONS))
    service.import_org_units_csv(session, path=write_csv(tmp_path, "org-units.csv", UNITS))
    return tmp_path


def _employee(session: Session, external_id: str) -> Employee:
    return session.scalars(select(Employee).where(Employee.external_id == external_id)).one()


# Locations


def test_locations_import_normalises_and_is_idempotent(session: Session, tmp_path: Path) -> None:
    """Country codes are upper-cased, locales written with a hyphen; a re-import changes nothing."""
    path = write_csv(tmp_path, "locations.csv", LOCATIONS)
    first = service.import_locations_csv(session, path=path)
    assert totals(first, "locations") == (2, 0, 0)
    london = session.scalars(select(Location).where(Location.external_id == "LON")).one()
    assert (london.country, london.locale, london.timezone) == ("GB", "en-GB", "Europe/London")
    before = snapshot(session)
    again = service.import_locations_csv(session, path=path)
    assert totals(again, "locations") == (0, 0, 2)
    assert not again.changed_anything
    after = snapshot(session)
    assert {k: v for k, v in after.items() if k != "audit_event"} == {
        k: v for k, v in before.items() if k != "audit_event"
    }


def test_locations_update_and_audit(session: Session, tmp_path: Path) -> None:
    """A changed name updates one row, and every import is in the audit log."""
    service.import_locations_csv(session, path=write_csv(tmp_path, "a.csv", LOCATIONS))
    changed = LOCATIONS.replace("London office", "London HQ")
    report = service.import_locations_csv(session, path=write_csv(tmp_path, "b.csv", changed))
    assert totals(report, "locations") == (0, 1, 1)
    events = session.scalars(select(AuditEvent).where(AuditEvent.action == "import.csv")).all()
    assert [event.entity_id for event in events] == ["a.csv", "b.csv"]
    assert events[-1].details["updated"] == {"locations": 1}


def test_locations_bad_values_are_all_reported(session: Session, tmp_path: Path) -> None:
    """Country, locale, time zone, missing name and duplicate id: one problem each."""
    path = write_csv(
        tmp_path,
        "locations.csv",
        """
        external_id,name,country,locale,timezone
        L1,One,UK,en,UTC
        L2,Two,GB,xx-QQ,Mars/Base
        L3,,GB,en,UTC
        L1,Again,GB,en,UTC
        """,
    )
    problems = refused(session, service.import_locations_csv, path)
    assert find(problems, column="country", row=2).value == "UK"
    assert find(problems, column="locale", row=3).value == "xx-QQ"
    assert find(problems, column="timezone", row=3).value == "Mars/Base"
    assert "required" in find(problems, column="name", row=4).reason
    duplicate = find(problems, column="external_id", row=5)
    assert "row 2" in duplicate.reason
    assert all(problem.file == "locations.csv" for problem in problems)


# Files that cannot be read


def test_wrong_encoding_is_refused_with_the_line(session: Session, tmp_path: Path) -> None:
    """A Latin-1 file is refused, naming the line of the first byte that is not UTF-8."""
    path = write_csv(
        tmp_path,
        "latin1.csv",
        "external_id,name,country\nL1,Zürich,CH\nL2,Köln,DE\n",
        encoding="latin-1",
    )
    problems = refused(session, service.import_locations_csv, path)
    assert problems[0].row == 2
    assert "UTF-8" in problems[0].reason


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    ],
)
def test_empty_and_binary_files(
    session: Session, tmp_path: Path, content: bytes, reason: str
) -> None:
    """Empty and binary files are refused with a plain reason."""
    path = tmp_path / "file.csv"
    path.write_bytes(content)
    problems = refused(session, service.import_employees_csv, path)
    assert reason in problems[0].reason


def test_header_problems(session: Session, tmp_path: Path) -> None:
    """A missing required column and an unknown column are both named."""
    path = write_csv(
        tmp_path, "e.csv", "external_id,first_name,hired_on,shoe_size\nE1,A,2020-01-01,42"
    )
    problems = refused(session, service.import_employees_csv, path)
    assert find(problems, column="last_name").reason == "required column is missing"
    assert "unknown column" in find(problems, column="shoe_size").reason


def test_missing_file(session: Session, tmp_path: Path) -> None:
    """A path that does not exist is refused, not a stack trace."""
    with pytest.raises(InvalidInputError) as caught:
        service.import_locations_csv(session, path=tmp_path / "nope.csv")
    assert "not found" in caught.value.problems[0].reason


# Org units


def test_units_parents_later_in_file_and_idempotent(session: Session, org: Path) -> None:
    """Children may come before their parents; re-importing changes nothing."""
    units = {u.external_id: u for u in session.scalars(select(OrgUnit)).all()}
    assert units["SALES-UK"].parent_id == units["SALES"].id
    assert units["SALES"].parent_id == units["HQ"].id
    assert units["HQ"].parent_id is None
    assert units["SALES-UK"].kind == "team"
    again = service.import_org_units_csv(session, path=org / "org-units.csv")
    assert totals(again, "org units") == (0, 0, 3)


def test_units_moving_a_unit_updates_its_parent(session: Session, org: Path) -> None:
    """A new parent is one update; units the file leaves out are kept."""
    path = write_csv(org, "move.csv", "external_id,name,parent\nSALES-UK,Sales UK,HQ")
    report = service.import_org_units_csv(session, path=path)
    assert totals(report, "org units") == (0, 1, 0)
    units = {u.external_id: u for u in session.scalars(select(OrgUnit)).all()}
    assert units["SALES-UK"].parent_id == units["HQ"].id
    assert units["SALES-UK"].location_id is not None, "a column left out keeps its value"
    assert len(units) == 3


def test_units_cycle_in_file(session: Session, tmp_path: Path) -> None:
    """A loop in the file names every unit of the loop."""
    path = write_csv(tmp_path, "u.csv", "external_id,name,parent\nA,A,B\nB,B,C\nC,C,A\nD,D,D")
    problems = refused(session, service.import_org_units_csv, path)
    loop = find(problems, column="parent", row=2)
    assert "A → B → C → A" in loop.reason
    assert "own parent" in find(problems, column="parent", row=5).reason


def test_units_cycle_across_file_and_database(session: Session, tmp_path: Path) -> None:
    """Making a stored unit's ancestor its child is a loop, though the file alone has none."""
    top = make_unit(session, "Top")
    make_unit(session, "Below", parent=top)
    below = session.scalars(select(OrgUnit).where(OrgUnit.name == "Below")).one()
    path = write_csv(
        tmp_path, "u.csv", f"external_id,name,parent\n{top.external_id},Top,{below.external_id}"
    )
    problems = refused(session, service.import_org_units_csv, path)
    assert "cycle" in find(problems, column="parent", row=2).reason


def test_units_unknown_references(session: Session, tmp_path: Path) -> None:
    """Unknown parents and locations are named with row, column and value."""
    path = write_csv(tmp_path, "u.csv", "external_id,name,parent,location\nA,A,NOPE,\nB,B,,MARS")
    problems = refused(session, service.import_org_units_csv, path)
    assert find(problems, column="parent", row=2).value == "NOPE"
    assert find(problems, column="location", row=3).value == "MARS"


# Employees


def test_employees_managers_later_in_file_and_idempotent(session: Session, org: Path) -> None:
    """References resolve (managers may come later); a re-import reports all unchanged."""
    role = make_role(session, "Sales Rep")
    text = EMPLOYEES.replace("Rep,E1,SALES-UK,,", f"Rep,E1,SALES-UK,{role.external_id},")
    path = write_csv(org, "employees.csv", text)
    report = service.import_employees_csv(session, path=path)
    assert totals(report, "employees") == (3, 0, 0)
    ann, bo, cy = (_employee(session, e) for e in ("E1", "E2", "E3"))
    assert bo.manager_id == ann.id
    assert cy.manager_id == bo.id
    assert bo.email == "bo@example.com"
    assert bo.role_id == role.id
    assert bo.languages == ["en", "fr"]
    assert cy.languages == ["fr-FR"]
    assert cy.left_on == date(2024, 1, 31)
    assert bo.name_lower == "bo berg"
    again = service.import_employees_csv(session, path=path)
    assert totals(again, "employees") == (0, 0, 3)


def test_employees_columns_left_out_keep_values(session: Session, org: Path) -> None:
    """A file without the manager column changes names but keeps reporting lines."""
    service.import_employees_csv(session, path=write_csv(org, "e.csv", EMPLOYEES))
    path = write_csv(
        org, "names.csv", "external_id,first_name,last_name,hired_on\nE2,Bob,Berg,2021-03-01"
    )
    report = service.import_employees_csv(session, path=path)
    assert totals(report, "employees") == (0, 1, 0)
    bob = _employee(session, "E2")
    assert bob.first_name == "Bob"
    assert bob.manager_id == _employee(session, "E1").id
    assert bob.email == "bo@example.com"


def test_employees_manager_cycle_names_the_people(session: Session, org: Path) -> None:
    """A loop in the manager chain is refused, listing the ids in the loop."""
    path = write_csv(
        org,
        "e.csv",
        """
        external_id,first_name,last_name,manager,hired_on
        M1,A,A,M3,2020-01-01
        M2,B,B,M1,2020-01-01
        M3,C,C,M2,2020-01-01
        M4,D,D,M4,2020-01-01
        """,
    )
    problems = refused(session, service.import_employees_csv, path)
    loop = find(problems, column="manager", row=2)
    assert "M1 → M3 → M2 → M1" in loop.reason
    assert "own manager" in find(problems, column="manager", row=5).reason


def test_employees_cycle_through_the_database(session: Session, org: Path) -> None:
    """Making a stored manager report to their own report is a loop."""
    boss = make_employee(session, "Boss")
    report = make_employee(session, "Report", manager=boss)
    path = write_csv(
        org,
        "e.csv",
        f"external_id,first_name,last_name,manager,hired_on\n"
        f"{boss.external_id},Boss,X,{report.external_id},2020-01-01",
    )
    problems = refused(session, service.import_employees_csv, path)
    reason = find(problems, column="manager", row=2).reason
    assert boss.external_id in reason
    assert report.external_id in reason


def test_employees_unknown_references_and_bad_dates(session: Session, org: Path) -> None:
    """Every unknown reference and bad date is reported with row, column and value."""
    path = write_csv(
        org,
        "e.csv",
        """
        external_id,first_name,last_name,manager,unit,role,location,hired_on,left_on
        X1,A,A,GHOST,NOUNIT,NOROLE,NOLOC,2020-02-30,
        X2,B,B,,,,,2021-05-01,2021-04-30
        """,
    )
    problems = refused(session, service.import_employees_csv, path)
    assert find(problems, column="manager", row=2).value == "GHOST"
    assert find(problems, column="unit", row=2).value == "NOUNIT"
    assert find(problems, column="role", row=2).value == "NOROLE"
    assert find(problems, column="location", row=2).value == "NOLOC"
    assert find(problems, column="hired_on", row=2).value == "2020-02-30"
    assert "before hired_on" in find(problems, column="left_on", row=3).reason


def test_employees_duplicate_ids_and_emails(session: Session, org: Path) -> None:
    """Duplicate ids and e-mails (in the file, or held by someone else) are refused."""
    other = make_employee(session, "Other")
    path = write_csv(
        org,
        "e.csv",
        f"""
        external_id,first_name,last_name,email,hired_on
        D1,A,A,a@example.com,2020-01-01
        D1,B,B,b@example.com,2020-01-01
        D2,C,C,A@example.com,2020-01-01
        D3,E,E,{other.email},2020-01-01
        D4,F,F,not-an-email,2020-01-01
        """,
    )
    problems = refused(session, service.import_employees_csv, path)
    assert "first on row 2" in find(problems, column="external_id", row=3).reason
    assert "D1" in find(problems, column="email", row=4).reason
    assert other.external_id in find(problems, column="email", row=5).reason
    assert find(problems, column="email", row=6).value == "not-an-email"


def test_employees_many_rows_report_every_problem(session: Session, org: Path) -> None:
    """Problems are collected across the whole file, not just the first."""
    rows = "\n".join(f"B{n},A,B,2020-01-{n % 28 + 1:02d},NOUNIT" for n in range(300))
    path = write_csv(org, "e.csv", "external_id,first_name,last_name,hired_on,unit\n" + rows)
    problems = refused(session, service.import_employees_csv, path)
    assert len(problems) == 300
