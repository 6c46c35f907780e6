"""ROI and impact of a period from the records: fills, mobility, retention against matched
non-participants, costs and ROI %."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy.orm import Session

from skillpath.core.errors import ForbiddenError, InvalidInputError
from skillpath.domains.analytics import impact
from skillpath.domains.identity.service import viewer_for
from skillpath.domains.learning.models import Completion
from skillpath.domains.people.models import Move, Opening
from tests.factories import (
    make_employee,
    make_evidence,
    make_item,
    make_location,
    make_role,
    make_skill,
    make_user,
)

TODAY = date(2025, 12, 31)
START = date(2025, 1, 1)


def _world(session: Session) -> dict[str, object]:
    role = make_role(session, "Agent", family="Support")
    site = make_location(session)
    skill = make_skill(session, "Ticketing")
    item = make_item(session, "Academy module", minutes=120, cost=100.0, teaches=[(skill, 0.6)])
    people = []
    for k in range(12):
        joined = k < 6
        left = date(2025, 7, 1) if k in (0, 6, 7, 8) else None
        person = make_employee(
            session, f"P{k}", role=role, location=site, hired_on=date(2021, 1, 1), left_on=left
        )
        people.append(person)
        if joined:
            session.add(
                Completion(
                    employee_id=person.id,
                    item_id=item.id,
                    completed_at=datetime(2025, 3, 1, 12, tzinfo=UTC),
                    source="program",
                )
            )
    for n, (source, opened, filled, cost) in enumerate(
        [
            ("internal", date(2025, 2, 1), date(2025, 2, 21), 0.0),
            ("external", date(2025, 2, 1), date(2025, 3, 23), 5000.0),
            ("external", date(2025, 4, 1), date(2025, 5, 11), 7000.0),
        ]
    ):
        session.add(
            Opening(
                external_id=f"O{n}",
                role_id=role.id,
                opened_on=opened,
                filled_on=filled,
                status="filled",
                fill_source=source,
                cost=cost,
            )
        )
    session.add(Move(employee_id=people[1].id, moved_on=date(2025, 6, 1), kind="promotion"))
    make_evidence(
        session,
        people[0],
        skill,
        level=0.6,
        source="learning",
        observed_at=datetime(2025, 4, 1, tzinfo=UTC),
    )
    session.flush()
    return {
        "hr": viewer_for(make_user(session, role="hr_admin")),
        "employee": viewer_for(make_user(session, employee=people[3])),
    }


def test_every_metric_comes_from_the_records(session: Session) -> None:
    world = _world(session)
    report = impact.roi_report(
        session,
        viewer=world["hr"],
        start=START,
        end=TODAY,
        today=TODAY,  # type: ignore[arg-type]
    )
    metrics = {m.key: m for m in report.metrics}
    assert metrics["time_to_fill_internal"].value == 20
    assert metrics["time_to_fill_external"].value == 45  # median of 50 and 40
    assert metrics["internal_fill_rate"].value == pytest.approx(1 / 3)
    assert metrics["internal_mobility_rate"].inputs["moves_promotion"] == 1
    assert metrics["recruiting_cost_avoided"].inputs["cost_per_external_hire"] == 6000
    assert metrics["recruiting_cost_avoided"].value == pytest.approx(6000 - 2500)
    assert metrics["program_cost"].inputs == {"item_costs": 600.0, "learning_hours": 12.0}
    assert metrics["program_cost"].value == pytest.approx(600 + 12 * 45)
    roi = metrics["roi_percent"]
    assert roi.value == pytest.approx(
        100 * (roi.inputs["benefit"] - roi.inputs["cost"]) / roi.inputs["cost"]
    )
    matched = next(c for c in report.retention if c.against == "matched")
    # Six participants (one left), each matched with a non-participant (three left).
    assert (matched.participants.people, matched.participants.left) == (6, 1)
    assert (matched.others.people, matched.others.left) == (6, 3)
    assert matched.unmatched_participants == 0
    assert matched.retained_participants > matched.retained_others
    assert matched.difference_low <= matched.difference <= matched.difference_high
    assert report.assumptions["loaded_hourly_rate"] == 45.0
    # Six participant–skill pairs (the module teaches one skill); only P0 has new evidence.
    change = metrics["proficiency_change"]
    assert change.inputs["pairs"] == 6
    assert change.inputs["mean_before"] == pytest.approx(0.0)
    assert change.value is not None
    assert 0 < change.value <= 0.6 * 5 / 6 + 1e-9


def test_only_hr_and_executives_and_a_valid_period(session: Session) -> None:
    world = _world(session)
    with pytest.raises(ForbiddenError):
        impact.roi_report(session, viewer=world["employee"], today=TODAY)  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError) as refused:
        impact.roi_report(
            session,
            viewer=world["hr"],
            start=TODAY,
            end=START,
            today=TODAY,  # type: ignore[arg-type]
        )
    assert refused.value.problems[0].column == "from"
