"""The visibility rule: self, reporting line, or everyone for HR and executives."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from skillpath.domains.identity.visibility import Viewer, visible_to
from skillpath.domains.people.models import Employee
from tests.factories import make_employee


def _visible_ids(session: Session, viewer: Viewer) -> set[int]:
    return set(session.scalars(select(Employee.id).where(visible_to(viewer))))


def test_employee_sees_only_self_and_manager_sees_whole_line(session: Session) -> None:
    """A chain boss → manager → report, plus a peer outside the line."""
    boss = make_employee(session, "Bea")
    manager = make_employee(session, "Max", manager=boss)
    report = make_employee(session, "Rui", manager=manager)
    indirect = make_employee(session, "Ida", manager=report)
    outsider = make_employee(session, "Oli")

    as_report = Viewer(user_id=1, email="r@x.io", role="employee", employee_id=report.id)
    as_manager = Viewer(user_id=2, email="m@x.io", role="manager", employee_id=manager.id)
    as_boss = Viewer(user_id=3, email="b@x.io", role="manager", employee_id=boss.id)
    as_hr = Viewer(user_id=4, email="h@x.io", role="hr_admin", employee_id=None)
    nobody = Viewer(user_id=5, email="n@x.io", role="employee", employee_id=None)

    assert _visible_ids(session, as_report) == {report.id, indirect.id}
    assert _visible_ids(session, as_manager) == {manager.id, report.id, indirect.id}
    assert _visible_ids(session, as_boss) == {boss.id, manager.id, report.id, indirect.id}
    assert outsider.id in _visible_ids(session, as_hr)
    assert _visible_ids(session, nobody) == set()
