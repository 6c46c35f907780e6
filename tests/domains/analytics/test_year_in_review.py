"""Editable ROI assumptions (HR only, validated, audited, used by the report) and each metric
against the previous period of the same length (story 7)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from skillpath.core.errors import ForbiddenError, InvalidInputError
from skillpath.domains.analytics import assumptions, impact
from skillpath.domains.identity.models import AuditEvent
from skillpath.domains.identity.service import viewer_for
from skillpath.domains.identity.visibility import Viewer
from skillpath.domains.learning.models import Completion
from skillpath.domains.people.models import Move, Opening
from tests.factories import make_employee, make_item, make_location, make_role, make_user

TODAY = date(2025, 12, 31)
START = date(2025, 1, 1)


def _fills(session: Session) -> dict[str, Viewer]:
    """Three fills this year (1 internal in 20 days, 2 external in 50 and 40 days), four the
    year before (3 internal in 30 days — one of a critical role, one on the last day — and one
    external in 90 days) and one older fill that belongs to neither period."""
    agent = make_role(session, "Agent", family="Support")
    lead = make_role(session, "Lead", family="Support")
    lead.is_critical = True
    analyst = make_role(session, "Analyst", family="Data")
    site = make_location(session)
    item = make_item(session, "Academy module", minutes=120, cost=100.0)
    people = [
        make_employee(session, f"P{k}", role=agent, location=site, hired_on=date(2020, 1, 1))
        for k in range(4)
    ]
    session.add(
        Completion(
            employee_id=people[0].id,
            item_id=item.id,
            completed_at=datetime(2025, 3, 1, 12, tzinfo=UTC),
            source="program",
        )
    )
    rows = [
        (agent, "internal", date(2025, 2, 1), date(2025, 2, 21)),
        (agent, "external", date(2025, 2, 1), date(2025, 3, 23)),
        (agent, "external", date(2025, 4, 1), date(2025, 5, 11)),
        (lead, "internal", date(2024, 3, 1), date(2024, 3, 31)),
        (agent, "internal", date(2024, 6, 1), date(2024, 7, 1)),
        (agent, "internal", date(2024, 12, 1), date(2024, 12, 31)),
        (agent, "external", date(2024, 2, 1), date(2024, 5, 1)),
        (agent, "internal", date(2023, 11, 1), date(2023, 12, 31)),
    ]
    for n, (role, source, opened, filled) in enumerate(rows):
        session.add(
            Opening(
                external_id=f"O{n}",
                role_id=role.id,
                opened_on=opened,
                filled_on=filled,
                status="filled",
                fill_source=source,
                cost=0.0,
            )
        )
    session.add(Move(employee_id=people[1].id, moved_on=date(2024, 6, 1), kind="promotion"))
    session.add(
        Move(
            employee_id=people[2].id,
            moved_on=date(2025, 6, 1),
            kind="lateral",
            from_role_id=agent.id,
            to_role_id=analyst.id,
        )
    )
    session.flush()
    return {
        "hr": viewer_for(make_user(session, role="hr_admin")),
        "executive": viewer_for(make_user(session, role="executive")),
        "employee": viewer_for(make_user(session, employee=people[3])),
    }


def test_each_metric_is_compared_with_the_previous_period(session: Session) -> None:
    viewers = _fills(session)
    report = impact.roi_report(session, viewer=viewers["hr"], start=START, end=TODAY, today=TODAY)
    assert (report.previous_start, report.previous_end) == (date(2024, 1, 1), date(2024, 12, 31))
    m = {metric.key: metric for metric in report.metrics}
    assert (m["internal_fills"].value, m["internal_fills"].previous) == (1, 3)
    assert m["internal_fills"].change == -2
    assert (
        m["critical_roles_filled_internally"].value,
        m["critical_roles_filled_internally"].previous,
    ) == (0, 1)
    assert m["internal_fill_rate"].value == pytest.approx(1 / 3)
    assert m["internal_fill_rate"].previous == pytest.approx(3 / 4)
    assert m["internal_fill_rate"].change == pytest.approx(1 / 3 - 3 / 4)
    assert (m["time_to_fill_internal"].value, m["time_to_fill_internal"].previous) == (20, 30)
    assert (m["time_to_fill_external"].value, m["time_to_fill_external"].previous) == (45, 90)
    assert m["time_to_fill_external"].change == -45
    # Default ramps: 3 months internal, 6 external, weighted by the fills.
    assert m["time_to_productivity"].value == pytest.approx((1 * 3 + 2 * 6) / 3)
    assert m["time_to_productivity"].previous == pytest.approx((3 * 3 + 1 * 6) / 4)
    assert set(m["time_to_productivity"].assumptions) == {
        "productivity_ramp_months_internal",
        "productivity_ramp_months_external",
    }
    # One move among four people each year.
    assert m["internal_mobility_rate"].value == pytest.approx(1 / 4)
    assert m["internal_mobility_rate"].previous == pytest.approx(1 / 4)
    # Nobody joined a program the year before: no program cost to compare with.
    assert m["program_cost"].previous == 0


def test_the_dashboard_lists_the_records_behind_the_figures(session: Session) -> None:
    viewers = _fills(session)
    board = impact.dashboard(
        session, viewer=viewers["executive"], start=START, end=TODAY, today=TODAY
    )
    assert [(f.opening, f.days, f.source) for f in board.fills] == [
        ("O0", 20, "internal"),
        ("O1", 50, "external"),
        ("O2", 40, "external"),
    ]
    spread = {s.source: s for s in board.fill_spread}
    assert (spread["external"].count, spread["external"].min, spread["external"].max) == (2, 40, 50)
    assert [(f.source, f.target, f.moves) for f in board.flows] == [("Support", "Data", 1)]
    # Followed from 1 March to 31 December: the curves stop at ten months.
    matched = next(c for c in board.roi.retention if c.against == "matched")
    assert [p.month for p in matched.participants.curve] == list(range(11))
    (pair,) = board.participants
    assert pair.name.startswith("P0 ")
    assert pair.joined_on == date(2025, 3, 1)
    assert pair.control_name is not None
    assert pair.control_name.split()[0] in {"P1", "P2", "P3"}
    with pytest.raises(ForbiddenError):
        impact.dashboard(session, viewer=viewers["employee"], today=TODAY)


def test_hr_changes_assumptions_and_the_report_uses_them(session: Session) -> None:
    viewers = _fills(session)
    listed = {a.key: a for a in assumptions.list_assumptions(session, viewer=viewers["executive"])}
    assert listed["loaded_hourly_rate"].value == listed["loaded_hourly_rate"].default == 45
    assert listed["loaded_hourly_rate"].updated_at is None
    changed = assumptions.update_assumptions(
        session,
        viewer=viewers["hr"],
        values={"loaded_hourly_rate": 100.0, "productivity_ramp_months_external": 36.0},
    )
    found = {a.key: a for a in changed}
    assert found["loaded_hourly_rate"].value == 100
    assert found["loaded_hourly_rate"].updated_by == viewers["hr"].email
    assert found["productivity_ramp_months_external"].value == 36
    event = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "analytics.assumptions.update")
    ).one()
    assert event.details["changes"]["loaded_hourly_rate"] == [45.0, 100.0]
    report = impact.roi_report(session, viewer=viewers["hr"], start=START, end=TODAY, today=TODAY)
    m = {metric.key: metric for metric in report.metrics}
    # One participant, one two-hour item of 100: item cost + 2 h × the new rate.
    assert m["program_cost"].value == pytest.approx(100 + 2 * 100)
    assert report.assumptions["loaded_hourly_rate"] == 100
    assert m["time_to_productivity"].value == pytest.approx((1 * 3 + 2 * 36) / 3)
    # Given assumptions still win over the stored ones.
    given = impact.roi_report(
        session,
        viewer=viewers["hr"],
        start=START,
        end=TODAY,
        today=TODAY,
        assumptions=assumptions.DEFAULTS,
    )
    assert given.assumptions["loaded_hourly_rate"] == 45


def test_assumptions_are_refused_all_at_once_and_only_hr_changes_them(session: Session) -> None:
    viewers = _fills(session)
    with pytest.raises(InvalidInputError) as refused:
        assumptions.update_assumptions(
            session,
            viewer=viewers["hr"],
            values={
                "average_salary": -1.0,
                "productivity_ramp_months_internal": 37.0,
                "moonshot": 1.0,
                "loaded_hourly_rate": float("nan"),
                "internal_transition_cost": 10.0,
            },
        )
    columns = {p.column: p.reason for p in refused.value.problems}
    assert set(columns) == {
        "average_salary",
        "productivity_ramp_months_internal",
        "moonshot",
        "loaded_hourly_rate",
    }
    assert "36" in columns["productivity_ramp_months_internal"]
    # Nothing was saved, not even the valid value.
    assert assumptions.current(session).internal_transition_cost == 2500
    with pytest.raises(InvalidInputError):
        assumptions.update_assumptions(session, viewer=viewers["hr"], values={})
    with pytest.raises(ForbiddenError):
        assumptions.update_assumptions(
            session, viewer=viewers["executive"], values={"average_salary": 1.0}
        )
    with pytest.raises(ForbiddenError):
        assumptions.list_assumptions(session, viewer=viewers["employee"])
    assert (
        session.scalars(
            select(AuditEvent).where(AuditEvent.action == "analytics.assumptions.update")
        ).first()
        is None
    )


def test_the_previous_period_has_the_same_length() -> None:
    # Whole months: the same months before (a calendar year, a quarter across a year end).
    assert impact.previous_period(date(2024, 1, 1), date(2024, 12, 31)) == (
        date(2023, 1, 1),
        date(2023, 12, 31),
    )
    assert impact.previous_period(date(2025, 1, 1), date(2025, 3, 31)) == (
        date(2024, 10, 1),
        date(2024, 12, 31),
    )
    # Otherwise the same number of days, ending the day before.
    assert impact.previous_period(date(2025, 3, 10), date(2025, 3, 19)) == (
        date(2025, 2, 28),
        date(2025, 3, 9),
    )
