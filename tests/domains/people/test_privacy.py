"""The right of access (export) and the right to erasure."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from skillpath.core.errors import ConflictError, ForbiddenError, InvalidInputError, NotFoundError
from skillpath.domains.evidence.models import EmployeeSkill, SkillEvidence, SkillIntent
from skillpath.domains.identity.models import ApiToken, AuditEvent, User
from skillpath.domains.identity.service import create_token, viewer_for
from skillpath.domains.learning.models import LearningPath, PathStep
from skillpath.domains.people import privacy
from skillpath.domains.people.models import Employee, Move
from tests.factories import make_employee, make_evidence, make_role, make_skill, make_user

TODAY = date(2025, 12, 31)


def test_every_column_that_points_at_a_person_has_an_erasure_rule() -> None:
    columns = {(table.name, column) for table, column in privacy.person_columns()}
    assert columns - privacy.ERASURE.keys() == set()
    assert privacy.ERASURE.keys() - columns == set()


def _world(session: Session) -> dict[str, object]:
    skill = make_skill(session, "SQL")
    role = make_role(session, "Analyst", skills=[(skill, 0.6, 1.0)])
    boss = make_employee(session, "Max", role=role)
    gone = make_employee(session, "Rui", role=role, manager=boss, left_on=date(2025, 6, 30))
    report = make_employee(session, "Ida", role=role, manager=gone)
    make_evidence(session, gone, skill, level=0.6)
    make_evidence(session, report, skill, level=0.4, source="peer", rater=gone)
    session.add(SkillIntent(employee_id=gone.id, skill_id=skill.id, intent="develop"))
    session.add(
        EmployeeSkill(
            employee_id=gone.id,
            skill_id=skill.id,
            level=0.6,
            confidence=0.5,
            evidence_count=1,
            total_weight=1.0,
            computed_at=datetime(2025, 6, 1, tzinfo=UTC),
        )
    )
    session.add(Move(employee_id=gone.id, moved_on=date(2024, 1, 1), kind="lateral"))
    path = LearningPath(
        employee_id=gone.id, mode="upskill", hours_per_week=2.0, start_on=date(2025, 1, 1)
    )
    session.add(path)
    session.flush()
    session.add(
        PathStep(
            path_id=path.id,
            position=0,
            title="SQL Basics",
            kind="e-learning",
            stage=0,
            minutes=60,
            month=1,
            end_month=1,
            start_on=date(2025, 1, 1),
            end_on=date(2025, 1, 7),
        )
    )
    session.flush()
    user = make_user(session, employee=gone, email="rui@example.com")
    create_token(session, email="rui@example.com")
    hr = viewer_for(make_user(session, role="hr_admin"))
    return {
        "gone": gone,
        "report": report,
        "boss": boss,
        "user": user,
        "hr": hr,
        "rui": viewer_for(user),
        "max": viewer_for(make_user(session, employee=boss)),
    }


def test_a_person_exports_everything_held_about_them(session: Session) -> None:
    world = _world(session)
    gone = world["gone"]
    assert isinstance(gone, Employee)
    data = privacy.export_person(session, viewer=world["rui"], employee_id=gone.id)  # type: ignore[arg-type]
    json.dumps(data)  # JSON-ready
    assert data["employee"]["first_name"] == "Rui"
    records = data["records"]
    assert len(records["skill_evidence.employee_id"]) == 1
    assert len(records["skill_evidence.rater_id"]) == 1  # a rating they gave
    assert len(records["learning_path.employee_id"]) == 1
    assert len(records["move.employee_id"]) == 1
    assert len(records["skill_intent.employee_id"]) == 1
    account = records["app_user.employee_id"][0]
    assert account["email"] == "rui@example.com"
    assert "password_hash" not in account
    hr_copy = privacy.export_person(session, viewer=world["hr"], employee_id=gone.id)  # type: ignore[arg-type]
    assert hr_copy["employee"]["id"] == gone.id
    with pytest.raises(NotFoundError):  # even their former manager may not
        privacy.export_person(session, viewer=world["max"], employee_id=gone.id)  # type: ignore[arg-type]


def test_erasure_pseudonymises_deletes_and_detaches(session: Session) -> None:
    world = _world(session)
    gone, report, user = world["gone"], world["report"], world["user"]
    assert isinstance(gone, Employee)
    assert isinstance(report, Employee)
    assert isinstance(user, User)
    hr = world["hr"]
    with pytest.raises(ForbiddenError):
        privacy.erase_person(
            session, viewer=world["max"], employee_id=gone.id, confirm=gone.external_id, today=TODAY
        )  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError):
        privacy.erase_person(session, viewer=hr, employee_id=gone.id, confirm="nope", today=TODAY)  # type: ignore[arg-type]
    with pytest.raises(ConflictError):  # still employed
        privacy.erase_person(
            session, viewer=hr, employee_id=report.id, confirm=report.external_id, today=TODAY
        )  # type: ignore[arg-type]
    external = gone.external_id
    counts = privacy.erase_person(
        session, viewer=hr, employee_id=gone.id, confirm=external, today=TODAY
    )  # type: ignore[arg-type]
    assert counts["deleted"] >= 4
    session.expire_all()
    erased = session.get(Employee, gone.id)
    assert erased is not None
    assert (erased.first_name, erased.email, erased.external_id) == (
        "Erased",
        None,
        f"erased-{gone.id}",
    )
    assert erased.left_on == date(2025, 6, 30)  # aggregates stay true
    assert (
        session.scalars(select(SkillEvidence).where(SkillEvidence.employee_id == gone.id)).all()
        == []
    )
    assert (
        session.scalars(select(LearningPath).where(LearningPath.employee_id == gone.id)).all() == []
    )
    assert session.scalars(select(PathStep)).all() == []
    # The rating they gave someone else stays, without them; their report keeps a record.
    rating = session.scalars(
        select(SkillEvidence).where(SkillEvidence.employee_id == report.id)
    ).one()
    assert rating.rater_id is None
    assert session.get(Employee, report.id).manager_id is None  # type: ignore[union-attr]
    assert len(session.scalars(select(Move).where(Move.employee_id == gone.id)).all()) == 1
    account = session.get(User, user.id)
    assert account is not None
    assert not account.active
    assert account.password_hash is None
    assert "rui" not in account.email
    assert session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)).all() == []
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "person.erase")).one()
    assert "Rui" not in event.summary
    with pytest.raises(ConflictError):
        privacy.erase_person(
            session, viewer=hr, employee_id=gone.id, confirm=f"erased-{gone.id}", today=TODAY
        )  # type: ignore[arg-type]
