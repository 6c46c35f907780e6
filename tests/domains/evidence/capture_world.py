"""A small company for evidence capture tests: reporting lines, teams, skills and items."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy.orm import Session

from skillpath.domains.identity import service as identity
from skillpath.domains.identity.visibility import Viewer
from skillpath.domains.people.models import Employee
from skillpath.domains.taxonomy.models import Skill
from tests.factories import make_employee, make_item, make_skill, make_unit, make_user

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


@dataclass
class Org:
    """Boss ← Max (manager) ← Ann, Bob (Data unit) and Lea (left); Boss ← Sue ← Oli (Sales)."""

    people: dict[str, Employee]
    viewers: dict[str, Viewer]
    sql: Skill
    tool: Skill
    group: Skill
    item_id: int
    other_item_id: int


def build_org(session: Session) -> Org:
    """A small company with one user per person, plus an HR administrator without a record."""
    company = make_unit(session, "Company")
    data = make_unit(session, "Data", parent=company)
    sales = make_unit(session, "Sales", parent=company)
    boss = make_employee(session, "Bea", "Boss", unit=company)
    max_ = make_employee(session, "Max", "Manager", manager=boss, unit=company)
    ann = make_employee(session, "Ann", "Analyst", manager=max_, unit=data)
    bob = make_employee(session, "Bob", "Builder", manager=max_, unit=data)
    lea = make_employee(
        session, "Lea", "Leaver", manager=max_, unit=data, left_on=date(2026, 1, 31)
    )
    sue = make_employee(session, "Sue", "Sales", manager=boss, unit=sales)
    oli = make_employee(session, "Oli", "Seller", manager=sue, unit=sales)
    people = {
        "boss": boss,
        "max": max_,
        "ann": ann,
        "bob": bob,
        "lea": lea,
        "sue": sue,
        "oli": oli,
    }
    roles = {"boss": "executive", "max": "manager", "sue": "manager"}
    viewers = {
        name: identity.viewer_for(
            make_user(session, role=roles.get(name, "employee"), employee=person, password=None)
        )
        for name, person in people.items()
    }
    viewers["hr"] = identity.viewer_for(make_user(session, role="hr_admin", password=None))
    group = make_skill(session, "Data skills", kind="group")
    sql = make_skill(session, "SQL", parent=group)
    tool = make_skill(session, "Spreadsheets", kind="tool")
    item = make_item(session, "SQL in depth", teaches=[(sql, 0.9)])
    other = make_item(session, "Spreadsheet basics", teaches=[(tool, 0.4)])
    return Org(people, viewers, sql, tool, group, item.id, other.id)
