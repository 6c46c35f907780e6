"""Building a small demo company into SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from skillpath.core.errors import InvalidInputError
from skillpath.demo.build import DEMO_PASSWORD, build_company
from skillpath.domains.evidence.models import SkillEvidence
from skillpath.domains.identity.models import AuditEvent, User
from skillpath.domains.identity.service import password_matches, viewer_for
from skillpath.domains.learning.models import ITEM_KINDS, LearningItem
from skillpath.domains.mentoring.models import Match, MatchMember
from skillpath.domains.mobility.models import Opportunity, OpportunityInterest
from skillpath.domains.mobility.service import recommendations
from skillpath.domains.people.models import Employee, Location, Opening, Role
from skillpath.migrations import models as all_models

AS_OF = date(2025, 6, 30)
SMALL = 120
FILLED_TABLES = {
    "taxonomy_source", "skill", "skill_alias", "skill_external_id", "skill_relation",
    "proficiency_scale", "scale_level", "location", "org_unit", "role", "role_alias",
    "role_skill", "employee", "strategic_priority", "priority_skill", "priority_role",
    "skill_evidence", "skill_intent", "learning_item", "item_locale", "item_skill",
    "item_prerequisite", "completion", "opening", "move", "departure", "performance_rating",
    "engagement_score", "app_user", "audit_event", "employee_skill", "profile_build",
    "opportunity", "opportunity_skill", "opportunity_interest", "mentoring_program",
    "mentoring_enrolment", "mentoring_round", "mentoring_match", "mentoring_match_member",
    "mentoring_checkin",
}  # fmt: skip
"""Every table of the foundation's data model except login attempts and API tokens."""


def user_of(session: Session, email: str) -> User:
    """The user with this e-mail."""
    return session.scalars(select(User).where(User.email == email)).one()


def _fingerprint(session: Session) -> tuple[dict[str, int], str]:
    """Row counts of every table and a hash of names and evidence levels."""
    counts = {
        table.name: int(session.scalar(select(func.count()).select_from(table)) or 0)
        for table in all_models.Base.metadata.sorted_tables
    }
    digest = hashlib.sha256()
    for first, last in session.execute(
        select(Employee.first_name, Employee.last_name).order_by(Employee.id)
    ):
        digest.update(f"{first} {last};".encode())
    for level, source in session.execute(
        select(SkillEvidence.level, SkillEvidence.source).order_by(SkillEvidence.id)
    ):
        digest.update(f"{level:.3f}{source};".encode())
    return counts, digest.hexdigest()


def test_small_build_fills_the_data_model_and_prints_working_logins(session: Session) -> None:
    summary = build_company(session, employees=SMALL, seed=5, as_of=AS_OF, keep_truth=True)
    counts, _digest = _fingerprint(session)
    empty = {name for name in FILLED_TABLES if counts[name] == 0}
    assert not empty, f"tables left empty: {sorted(empty)}"
    assert summary.counts["employee"] == counts["employee"]
    assert 100 <= summary.active_employees <= 220

    # Logins: the four printed users exist, are linked to their people, and the password works.
    assert [login.role for login in summary.logins] == [
        "hr_admin",
        "executive",
        "manager",
        "employee",
    ]
    for login in summary.logins:
        user = session.scalars(select(User).where(User.email == login.email)).one()
        assert user.role == login.role
        assert password_matches(user.password_hash, DEMO_PASSWORD)
        employee = session.get(Employee, user.employee_id)
        assert employee is not None
        assert employee.external_id == login.employee_external_id
        assert employee.left_on is None
    by_role = {login.role: login for login in summary.logins}
    employee = session.scalars(
        select(Employee).where(Employee.external_id == by_role["employee"].employee_external_id)
    ).one()
    manager = session.scalars(
        select(Employee).where(Employee.external_id == by_role["manager"].employee_external_id)
    ).one()
    assert employee.job_title == "Customer Support Rep"
    assert employee.manager_id == manager.id
    assert employee.profile_text

    # Every current manager has 3–12 current direct reports.
    reports = session.execute(
        select(Employee.manager_id, func.count())
        .where(Employee.left_on.is_(None), Employee.manager_id.is_not(None))
        .group_by(Employee.manager_id)
    ).all()
    assert reports
    assert all(3 <= count <= 12 for _manager, count in reports)

    # Named roles and catalog items, every item kind.
    titles = set(session.scalars(select(Role.title)))
    assert {"Customer Support Rep", "Salesforce Administrator", "Data Analyst"} <= titles
    kinds = set(session.scalars(select(LearningItem.kind).distinct()))
    assert kinds == set(ITEM_KINDS)
    assert counts["learning_item"] >= 300
    item_titles = set(session.scalars(select(LearningItem.title)))
    assert {"CRM Basics", "Building Custom Reports", "Handling Common Objections"} <= item_titles

    # The marketplace: the story manager owns an open opening with applicants made through the
    # applications service, and the story employee's best match is explained and well scored.
    owned = session.scalars(
        select(Opportunity).where(
            Opportunity.owner_id == manager.id,
            Opportunity.status == "open",
            Opportunity.opening_id.is_not(None),
        )
    ).all()
    assert owned
    applied = session.scalars(
        select(OpportunityInterest.employee_id).where(
            OpportunityInterest.opportunity_id == owned[0].id,
            OpportunityInterest.applied_at.is_not(None),
        )
    ).all()
    assert applied
    assert employee.id not in applied
    best = recommendations(
        session, viewer=viewer_for(user_of(session, by_role["employee"].email)),
        employee_id=employee.id, limit=1, today=AS_OF,
    )  # fmt: skip
    assert best
    assert best[0].score >= 0.5

    # Mentoring: the story employee is a mentee of a proposed or running relationship.
    assert session.scalar(
        select(func.count())
        .select_from(MatchMember)
        .join(Match, Match.id == MatchMember.match_id)
        .where(MatchMember.employee_id == employee.id, Match.status.in_(("proposed", "active")))
    )

    # Openings filled both ways; outside fills are slower and cost more.
    filled = session.execute(
        select(Opening.fill_source, Opening.opened_on, Opening.filled_on, Opening.cost).where(
            Opening.status == "filled"
        )
    ).all()
    sources = {row.fill_source for row in filled}
    assert sources == {"internal", "external"}

    def mean(values: list[float]) -> float:
        return sum(values) / len(values)

    inside = [row for row in filled if row.fill_source == "internal"]
    outside = [row for row in filled if row.fill_source == "external"]
    assert mean([(r.filled_on - r.opened_on).days for r in outside]) > mean(
        [(r.filled_on - r.opened_on).days for r in inside]
    )
    assert mean([r.cost for r in outside]) > mean([r.cost for r in inside])

    # Ids were given explicitly; new rows made by the product afterwards still get fresh ones.
    added = Location(external_id="after-demo", name="Pop-up", country="GB")
    session.add(added)
    session.flush()
    assert added.id == counts["location"] + 1

    # The truth is returned for tests but never stored, and the build is in the audit log.
    assert summary.truth
    assert summary.roles_of
    assert session.scalars(select(AuditEvent).where(AuditEvent.action == "demo.build")).one()


def test_same_seed_builds_the_same_company(session: Session) -> None:
    build_company(session, employees=SMALL, seed=9, as_of=AS_OF, create_logins=False)
    first = _fingerprint(session)
    build_company(session, employees=SMALL, seed=9, as_of=AS_OF, create_logins=False)
    assert _fingerprint(session) == first
    build_company(session, employees=SMALL, seed=10, as_of=AS_OF, create_logins=False)
    assert _fingerprint(session)[1] != first[1]


@pytest.mark.parametrize("scenario", ["aec", "tech"])
def test_other_scenarios_build(session: Session, scenario: str) -> None:
    summary = build_company(
        session, scenario=scenario, employees=SMALL, seed=1, as_of=AS_OF, create_logins=False
    )
    assert summary.counts["employee"] >= SMALL
    assert summary.counts["skill_evidence"] > 10 * SMALL


def test_bad_options_are_refused_before_anything_changes(session: Session) -> None:
    with pytest.raises(InvalidInputError) as caught:
        build_company(session, scenario="bank", employees=5, as_of=AS_OF, taxonomy="onet")
    described = caught.value.describe()
    assert "scenario" in described
    assert "employees" in described
    assert "taxonomy" in described
    with pytest.raises(InvalidInputError):
        build_company(session, taxonomy="esco", as_of=AS_OF)
