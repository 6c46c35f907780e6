"""The application lifecycle: the person's steps, who sees an application, the owner's
decisions, filling a role internally (the move in the history) and gig approvals under the cap.

The company: Cara (CEO, executive) ← Max (manager) ← Rui (Data Analyst, level 1), Ida, and Nia
(who owns a gig); Cara ← Owen (hiring manager in Sales) ← Sam. HR (no employee record) and Eve
(an executive with no employee record).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from skillpath.core.clock import today as utc_today
from skillpath.core.errors import ConflictError, ForbiddenError, InvalidInputError, NotFoundError
from skillpath.domains.identity import service as identity
from skillpath.domains.identity.models import AuditEvent
from skillpath.domains.identity.visibility import Viewer
from skillpath.domains.mobility import applications
from skillpath.domains.mobility import service as matching
from skillpath.domains.mobility.models import Opportunity, OpportunityInterest, OpportunitySkill
from skillpath.domains.people import service as people_service
from skillpath.domains.people.models import Employee, Move, Opening, Role
from tests.factories import (
    make_employee,
    make_evidence,
    make_location,
    make_role,
    make_skill,
    make_unit,
    make_user,
)

TODAY = utc_today()


@dataclass
class Company:
    """Rows and viewers of the small company, by short name."""

    people: dict[str, Employee]
    roles: dict[str, Role]
    viewers: dict[str, Viewer]
    units: dict[str, int]
    locations: dict[str, int]
    skill_id: int


def _viewer(session: Session, role: str, employee: Employee | None) -> Viewer:
    return identity.viewer_for(make_user(session, role=role, employee=employee, password=None))


@pytest.fixture
def company(session: Session) -> Company:
    """The company above, flushed in the test's rolled-back transaction."""
    london = make_location(session)
    paris = make_location(session, country="FR", locale="fr", timezone="Europe/Paris")
    acme = make_unit(session, "Acme")
    data = make_unit(session, "Data", parent=acme)
    sales = make_unit(session, "Sales", parent=acme)
    sql = make_skill(session, "SQL")
    roles = {
        "analyst": make_role(session, "Data Analyst", family="Data", level=1),
        "senior": make_role(session, "Senior Data Analyst", family="Data", level=2),
        "scientist": make_role(session, "Data Scientist", family="Data", level=1),
        "sales": make_role(session, "Sales Rep", family="Sales", level=1),
        "manager": make_role(session, "Manager", family="Data", level=3),
    }
    cara = make_employee(session, "Cara", "Ceo", unit=acme, location=london)
    max_ = make_employee(
        session, "Max", "Manager", manager=cara, unit=data, role=roles["manager"], location=london
    )
    owen = make_employee(
        session, "Owen", "Owner", manager=cara, unit=sales, role=roles["manager"], location=london
    )
    people = {
        "cara": cara,
        "max": max_,
        "owen": owen,
        "rui": make_employee(
            session,
            "Rui",
            "Analyst",
            manager=max_,
            unit=data,
            role=roles["analyst"],
            location=london,
        ),
        "ida": make_employee(
            session,
            "Ida",
            "Junior",
            manager=max_,
            unit=data,
            role=roles["analyst"],
            location=london,
        ),
        "nia": make_employee(
            session, "Nia", "Lead", manager=max_, unit=data, role=roles["analyst"], location=london
        ),
        "sam": make_employee(
            session,
            "Sam",
            "Seller",
            manager=owen,
            unit=sales,
            role=roles["sales"],
            location=london,
        ),
    }
    make_evidence(session, people["rui"], sql, level=0.7)
    viewers = {
        "cara": _viewer(session, "executive", cara),
        "max": _viewer(session, "manager", max_),
        "owen": _viewer(session, "manager", owen),
        "rui": _viewer(session, "employee", people["rui"]),
        "ida": _viewer(session, "employee", people["ida"]),
        "nia": _viewer(session, "employee", people["nia"]),
        "sam": _viewer(session, "employee", people["sam"]),
        "hr": _viewer(session, "hr_admin", None),
        "eve": _viewer(session, "executive", None),
    }
    return Company(
        people=people,
        roles=roles,
        viewers=viewers,
        units={"data": data.id, "sales": sales.id},
        locations={"london": london.id, "paris": paris.id},
        skill_id=sql.id,
    )


def make_opportunity(
    session: Session,
    company: Company,
    *,
    kind: str = "role",
    owner: str = "owen",
    status: str = "open",
    role: str | None = None,
    opening: Opening | None = None,
    time_share: float = 1.0,
    starts_on: date | None = None,
    duration_weeks: int | None = None,
    published: date | None = None,
    unit: str | None = None,
    location: str | None = None,
    title: str | None = None,
) -> Opportunity:
    """An opportunity written with the ORM (asking SQL 0.6)."""
    row = Opportunity(
        kind=kind,
        status=status,
        title=title or f"{kind} of {owner}",
        role_id=company.roles[role].id if role else None,
        opening_id=opening.id if opening else None,
        org_unit_id=company.units[unit] if unit else None,
        location_id=company.locations[location] if location else None,
        time_share=time_share,
        starts_on=starts_on,
        duration_weeks=duration_weeks,
        owner_id=company.people[owner].id,
        published_at=(
            datetime.combine(published, datetime.min.time(), tzinfo=UTC) if published else None
        ),
    )
    session.add(row)
    session.flush()
    session.add(OpportunitySkill(opportunity_id=row.id, skill_id=company.skill_id, level=0.6))
    session.flush()
    return row


def make_opening(session: Session, company: Company, role: str, opened_on: date) -> Opening:
    """An open position for a role, with Owen hiring."""
    opening = Opening(
        external_id=f"OPEN-{role}-{opened_on.isoformat()}",
        role_id=company.roles[role].id,
        opened_on=opened_on,
        hiring_manager_id=company.people["owen"].id,
        status="open",
    )
    session.add(opening)
    session.flush()
    return opening


def _audits(session: Session, action: str) -> list[AuditEvent]:
    return list(session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all())


# The person's side


def test_the_person_saves_applies_and_withdraws_their_own_record(
    session: Session, company: Company
) -> None:
    role = make_opportunity(session, company, role="senior", title="Senior analyst")
    rui = company.viewers["rui"]
    saved = applications.save(session, viewer=rui, opportunity_id=role.id)
    assert saved.status == "saved"
    assert saved.applied_at is None
    interested = applications.express_interest(
        session, viewer=rui, opportunity_id=role.id, note="Curious"
    )
    assert (interested.id, interested.status, interested.note) == (
        saved.id,
        "interested",
        "Curious",
    )
    applied = applications.apply(session, viewer=rui, opportunity_id=role.id, note="I know SQL")
    assert applied.status == "applied"
    assert applied.note == "I know SQL"
    assert applied.shared_with_manager is False
    assert applied.applied_at is not None
    # The score the matching service gives now is kept for the record.
    expected = matching.match_score(session, company.people["rui"].id, role.id)
    assert expected is not None
    assert applied.score == pytest.approx(expected)
    withdrawn = applications.withdraw(session, viewer=rui, opportunity_id=role.id)
    assert withdrawn.status == "withdrawn"
    mine = applications.my_applications(session, viewer=rui)
    assert [
        (a.opportunity.title, a.opportunity.kind, a.opportunity.status, a.status) for a in mine
    ] == [("Senior analyst", "role", "open", "withdrawn")]
    assert len(_audits(session, "opportunity_interest.applied")) == 1


def test_applying_twice_changes_nothing(session: Session, company: Company) -> None:
    role = make_opportunity(session, company, role="senior")
    rui = company.viewers["rui"]
    first = applications.apply(session, viewer=rui, opportunity_id=role.id, note="first")
    again = applications.apply(session, viewer=rui, opportunity_id=role.id, note="second")
    assert (again.id, again.status, again.note, again.applied_at) == (
        first.id,
        "applied",
        "first",
        first.applied_at,
    )
    assert len(_audits(session, "opportunity_interest.applied")) == 1
    rows = session.scalars(
        select(OpportunityInterest).where(OpportunityInterest.opportunity_id == role.id)
    ).all()
    assert len(rows) == 1


def test_a_dismissed_opportunity_is_stored_for_the_recommendations(
    session: Session, company: Company
) -> None:
    role = make_opportunity(session, company, role="senior")
    gig = make_opportunity(session, company, kind="gig", time_share=0.1)
    rui = company.viewers["rui"]
    applications.dismiss(session, viewer=rui, opportunity_id=role.id)
    stored = session.scalars(
        select(OpportunityInterest).where(OpportunityInterest.opportunity_id == role.id)
    ).one()
    assert (stored.employee_id, stored.status) == (company.people["rui"].id, "dismissed")
    shown = {
        m.opportunity.id
        for m in matching.recommendations(
            session, viewer=rui, employee_id=company.people["rui"].id, limit=10
        )
    }
    assert role.id not in shown
    assert gig.id in shown


def test_only_open_opportunities_take_saves_interest_and_applications(
    session: Session, company: Company
) -> None:
    rui = company.viewers["rui"]
    draft = make_opportunity(session, company, status="draft", role="senior")
    with pytest.raises(NotFoundError):
        applications.apply(session, viewer=rui, opportunity_id=draft.id)
    with pytest.raises(NotFoundError):
        applications.save(session, viewer=rui, opportunity_id=987654)
    role = make_opportunity(session, company, role="senior")
    applications.save(session, viewer=rui, opportunity_id=role.id)
    role.status = "closed"
    session.flush()
    for step in (applications.apply, applications.express_interest, applications.save):
        with pytest.raises(ConflictError, match="closed"):
            step(session, viewer=rui, opportunity_id=role.id)
    # Saying "not interested" in a closed one is still the person's own business.
    assert applications.dismiss(session, viewer=rui, opportunity_id=role.id).status == "dismissed"
    late = make_opportunity(session, company, role="scientist")
    late.closes_on = TODAY - timedelta(days=1)
    session.flush()
    with pytest.raises(ConflictError, match="Applications closed"):
        applications.apply(session, viewer=rui, opportunity_id=late.id)


def test_wrong_steps_are_conflicts_with_reasons(session: Session, company: Company) -> None:
    role = make_opportunity(session, company, role="senior")
    rui, owen = company.viewers["rui"], company.viewers["owen"]
    with pytest.raises(ConflictError, match="no interest or application"):
        applications.withdraw(session, viewer=rui, opportunity_id=role.id)
    applications.apply(session, viewer=rui, opportunity_id=role.id)
    with pytest.raises(ConflictError, match="withdraw the application"):
        applications.dismiss(session, viewer=rui, opportunity_id=role.id)
    applications.decline(
        session,
        viewer=owen,
        opportunity_id=role.id,
        employee_id=company.people["rui"].id,
        note="We need more SQL",
    )
    with pytest.raises(ConflictError, match="declined"):
        applications.apply(session, viewer=rui, opportunity_id=role.id)
    (mine,) = applications.my_applications(session, viewer=rui)
    assert (mine.status, mine.owner_note) == ("declined", "We need more SQL")
    with pytest.raises(ForbiddenError):
        applications.apply(session, viewer=owen, opportunity_id=role.id)
    with pytest.raises(InvalidInputError) as refused:
        applications.set_interest(session, viewer=rui, opportunity_id=role.id, status="selected")
    assert refused.value.problems[0].column == "status"
    with pytest.raises(InvalidInputError) as long_note:
        applications.apply(
            session, viewer=company.viewers["ida"], opportunity_id=role.id, note="x" * 2001
        )
    assert long_note.value.problems[0].column == "note"
    with pytest.raises(ForbiddenError):
        applications.apply(session, viewer=company.viewers["hr"], opportunity_id=role.id)


# Who sees an application


def test_the_owner_their_line_and_hr_see_an_application_the_persons_manager_does_not(
    session: Session, company: Company
) -> None:
    role = make_opportunity(session, company, role="sales", owner="owen")
    rui = company.people["rui"]
    applications.apply(session, viewer=company.viewers["rui"], opportunity_id=role.id)
    seen = {
        who: [
            (a.employee.id, a.seen_as)
            for a in applications.applicants(
                session, viewer=company.viewers[who], opportunity_id=role.id
            )
        ]
        for who in ("owen", "cara", "hr")
    }
    assert seen == {
        "owen": [(rui.id, "owner")],
        "cara": [(rui.id, "owner_line")],
        "hr": [(rui.id, "hr")],
    }
    interest = session.scalars(
        select(OpportunityInterest).where(OpportunityInterest.employee_id == rui.id)
    ).one()
    # Rui's own manager, a peer, someone below the owner and an executive outside the line.
    for who in ("max", "ida", "sam", "eve"):
        with pytest.raises(ForbiddenError):
            applications.applicants(session, viewer=company.viewers[who], opportunity_id=role.id)
        assert (
            applications.seen_as(
                session, viewer=company.viewers[who], interest=interest, opportunity=role
            )
            is None
        )
    assert applications.shared_with_me(session, viewer=company.viewers["max"]) == []


def test_sharing_with_the_manager_lets_only_the_direct_manager_see_it(
    session: Session, company: Company
) -> None:
    role = make_opportunity(session, company, role="sales", owner="owen")
    applications.apply(
        session, viewer=company.viewers["rui"], opportunity_id=role.id, share_with_manager=True
    )
    interest = session.scalars(
        select(OpportunityInterest).where(OpportunityInterest.opportunity_id == role.id)
    ).one()
    assert (
        applications.seen_as(
            session, viewer=company.viewers["max"], interest=interest, opportunity=role
        )
        == "manager"
    )
    shared = applications.shared_with_me(session, viewer=company.viewers["max"])
    assert [(s.employee.id, s.opportunity.id, s.status) for s in shared] == [
        (company.people["rui"].id, role.id, "applied")
    ]
    # Sharing shows the manager the application, not the opportunity's other applicants.
    with pytest.raises(ForbiddenError):
        applications.applicants(session, viewer=company.viewers["max"], opportunity_id=role.id)
    # Taking it back: applying again with the flag off un-shares (and changes nothing else).
    applications.apply(
        session, viewer=company.viewers["rui"], opportunity_id=role.id, share_with_manager=False
    )
    assert applications.shared_with_me(session, viewer=company.viewers["max"]) == []


def test_a_manager_in_the_owners_line_sees_an_unshared_application_as_the_owners_line(
    session: Session, company: Company
) -> None:
    """Nia (Max's report) owns a gig; Rui (also Max's report) applies without sharing: Max sees
    it because he is above the owner, not because he is Rui's manager."""
    gig = make_opportunity(session, company, kind="gig", owner="nia", time_share=0.1)
    applications.apply(session, viewer=company.viewers["rui"], opportunity_id=gig.id)
    listed = applications.applicants(session, viewer=company.viewers["max"], opportunity_id=gig.id)
    assert [(a.employee.id, a.seen_as, a.shared_with_manager) for a in listed] == [
        (company.people["rui"].id, "owner_line", False)
    ]
    assert applications.shared_with_me(session, viewer=company.viewers["max"]) == []


def test_saves_and_dismissals_stay_private(session: Session, company: Company) -> None:
    role = make_opportunity(session, company, role="sales")
    applications.save(session, viewer=company.viewers["rui"], opportunity_id=role.id)
    applications.dismiss(session, viewer=company.viewers["ida"], opportunity_id=role.id)
    for who in ("owen", "cara", "hr"):
        assert (
            applications.applicants(session, viewer=company.viewers[who], opportunity_id=role.id)
            == []
        )


def test_executives_read_totals_without_names(session: Session, company: Company) -> None:
    role = make_opportunity(session, company, role="sales")
    gig = make_opportunity(session, company, kind="gig", time_share=0.1)
    applications.apply(session, viewer=company.viewers["rui"], opportunity_id=role.id)
    applications.apply(session, viewer=company.viewers["ida"], opportunity_id=role.id)
    applications.save(session, viewer=company.viewers["rui"], opportunity_id=gig.id)
    totals = applications.pipeline_summary(session, viewer=company.viewers["eve"])
    assert {(t.kind, t.status, t.count) for t in totals} == {
        ("role", "applied", 2),
        ("gig", "saved", 1),
    }
    assert "employee" not in totals[0].model_dump()
    with pytest.raises(ForbiddenError):
        applications.pipeline_summary(session, viewer=company.viewers["owen"])


# The owner's side


def test_the_owner_shortlists_contacts_declines_and_selects(
    session: Session, company: Company
) -> None:
    role = make_opportunity(session, company, role="senior")
    owen = company.viewers["owen"]
    rui, ida, nia = (company.people[n] for n in ("rui", "ida", "nia"))
    applications.apply(session, viewer=company.viewers["rui"], opportunity_id=role.id, note="Hi")
    applications.express_interest(session, viewer=company.viewers["ida"], opportunity_id=role.id)
    applications.apply(session, viewer=company.viewers["nia"], opportunity_id=role.id)
    assert (
        applications.shortlist(
            session, viewer=owen, opportunity_id=role.id, employee_id=rui.id
        ).status
        == "shortlisted"
    )
    assert (
        applications.contact(
            session, viewer=owen, opportunity_id=role.id, employee_id=ida.id, note="Please apply"
        ).owner_note
        == "Please apply"
    )
    with pytest.raises(ConflictError, match="has not applied"):
        applications.select(session, viewer=owen, opportunity_id=role.id, employee_id=ida.id)
    selected = applications.select(session, viewer=owen, opportunity_id=role.id, employee_id=rui.id)
    assert (selected.status, selected.approval) == ("selected", None)
    applications.decline(
        session, viewer=owen, opportunity_id=role.id, employee_id=nia.id, note="Not now"
    )
    listed = applications.applicants(session, viewer=owen, opportunity_id=role.id)
    assert {(a.employee.id, a.status) for a in listed} == {
        (rui.id, "selected"),
        (ida.id, "contacted"),
        (nia.id, "declined"),
    }
    first = next(a for a in listed if a.employee.id == rui.id)
    assert first.note == "Hi"
    assert first.applied_at is not None
    with pytest.raises(ConflictError, match="declined"):
        applications.shortlist(session, viewer=owen, opportunity_id=role.id, employee_id=nia.id)
    with pytest.raises(NotFoundError):
        applications.shortlist(
            session, viewer=owen, opportunity_id=role.id, employee_id=company.people["sam"].id
        )
    with pytest.raises(ForbiddenError):
        applications.shortlist(
            session, viewer=company.viewers["max"], opportunity_id=role.id, employee_id=rui.id
        )
    with pytest.raises(InvalidInputError) as refused:
        applications.decide_applicant(
            session, viewer=owen, opportunity_id=role.id, employee_id=rui.id, status="applied"
        )
    assert refused.value.problems[0].column == "status"


# Filling a role internally


def test_filling_a_role_records_the_move_fills_the_opening_and_declines_the_others(
    session: Session, company: Company
) -> None:
    opened = TODAY - timedelta(days=40)
    opening = make_opening(session, company, "senior", opened)
    role = make_opportunity(
        session,
        company,
        role="senior",
        opening=opening,
        unit="sales",
        location="paris",
        published=TODAY - timedelta(days=30),
    )
    rui, ida = company.people["rui"], company.people["ida"]
    applications.apply(session, viewer=company.viewers["rui"], opportunity_id=role.id)
    applications.apply(session, viewer=company.viewers["ida"], opportunity_id=role.id)
    applications.save(session, viewer=company.viewers["nia"], opportunity_id=role.id)
    on = TODAY - timedelta(days=2)
    result = applications.fill_internally(
        session, viewer=company.viewers["owen"], opportunity_id=role.id, employee_id=rui.id, on=on
    )
    assert result.time_to_fill_days == 38
    assert (result.move_kind, result.declined, result.opening_id) == ("promotion", 1, opening.id)
    move = session.get_one(Move, result.move_id)
    assert (move.employee_id, move.moved_on, move.from_role_id, move.to_role_id) == (
        rui.id,
        on,
        company.roles["analyst"].id,
        company.roles["senior"].id,
    )
    assert (move.from_unit_id, move.to_unit_id) == (company.units["data"], company.units["sales"])
    assert (rui.role_id, rui.org_unit_id, rui.location_id, rui.job_title) == (
        company.roles["senior"].id,
        company.units["sales"],
        company.locations["paris"],
        "Senior Data Analyst",
    )
    assert (opening.status, opening.filled_on, opening.filled_by_id, opening.fill_source) == (
        "filled",
        on,
        rui.id,
        "internal",
    )
    assert (role.status, role.filled_on, role.filled_by_id) == ("filled", on, rui.id)
    statuses = {
        i.employee_id: (i.status, i.owner_note)
        for i in session.scalars(
            select(OpportunityInterest).where(OpportunityInterest.opportunity_id == role.id)
        )
    }
    assert statuses == {
        rui.id: ("selected", ""),
        ida.id: ("declined", applications.FILLED_NOTE),
        company.people["nia"].id: ("saved", ""),
    }
    assert len(_audits(session, "opportunity.fill")) == 1
    (moved,) = _audits(session, "employee.move")
    assert moved.entity_id == str(rui.id)
    # The move is in the person's history as the people domain shows it.
    detail = people_service.employee_detail(
        session, viewer=company.viewers["rui"], employee_id=rui.id
    )
    assert [(m.kind, m.moved_on, m.to_role.title if m.to_role else None) for m in detail.moves] == [
        ("promotion", on, "Senior Data Analyst")
    ]
    with pytest.raises(ConflictError, match="filled"):
        applications.fill_internally(
            session,
            viewer=company.viewers["owen"],
            opportunity_id=role.id,
            employee_id=ida.id,
            on=on,
        )
    with pytest.raises(ConflictError, match="moved into this role"):
        applications.withdraw(session, viewer=company.viewers["rui"], opportunity_id=role.id)


def test_time_to_fill_without_an_opening_runs_from_publication(
    session: Session, company: Company
) -> None:
    role = make_opportunity(
        session, company, role="scientist", published=TODAY - timedelta(days=12)
    )
    applications.apply(session, viewer=company.viewers["rui"], opportunity_id=role.id)
    result = applications.fill_internally(
        session,
        viewer=company.viewers["cara"],
        opportunity_id=role.id,
        employee_id=company.people["rui"].id,
        on=TODAY,
    )
    assert (result.time_to_fill_days, result.move_kind, result.opening_id) == (12, "lateral", None)


def test_who_may_be_moved_and_when(session: Session, company: Company) -> None:
    opening = make_opening(session, company, "sales", TODAY - timedelta(days=10))
    role = make_opportunity(session, company, role="sales", opening=opening)
    owen, hr = company.viewers["owen"], company.viewers["hr"]
    rui, ida = company.people["rui"], company.people["ida"]
    # Someone who did not apply: hidden from the owner, a conflict once they showed interest.
    with pytest.raises(NotFoundError):
        applications.fill_internally(
            session, viewer=owen, opportunity_id=role.id, employee_id=rui.id, on=TODAY
        )
    applications.express_interest(session, viewer=company.viewers["rui"], opportunity_id=role.id)
    with pytest.raises(ConflictError, match="only someone who applied"):
        applications.fill_internally(
            session, viewer=owen, opportunity_id=role.id, employee_id=rui.id, on=TODAY
        )
    applications.apply(session, viewer=company.viewers["rui"], opportunity_id=role.id)
    with pytest.raises(ForbiddenError):
        applications.fill_internally(
            session,
            viewer=company.viewers["max"],
            opportunity_id=role.id,
            employee_id=rui.id,
            on=TODAY,
        )
    for day, reason in (
        (TODAY + timedelta(days=1), "future"),
        (TODAY - timedelta(days=11), "before the role was opened"),
    ):
        with pytest.raises(InvalidInputError) as refused:
            applications.fill_internally(
                session, viewer=owen, opportunity_id=role.id, employee_id=rui.id, on=day
            )
        assert refused.value.problems[0].column == "on"
        assert reason in refused.value.problems[0].reason
    # HR may fill directly with someone who never applied: a reskilling move.
    result = applications.fill_internally(
        session, viewer=hr, opportunity_id=role.id, employee_id=ida.id, on=TODAY
    )
    assert result.move_kind == "reskill"
    assert (
        session.scalars(
            select(OpportunityInterest.status).where(
                OpportunityInterest.opportunity_id == role.id,
                OpportunityInterest.employee_id == ida.id,
            )
        ).one()
        == "selected"
    )
    gig = make_opportunity(session, company, kind="gig", time_share=0.1)
    applications.apply(session, viewer=company.viewers["rui"], opportunity_id=gig.id)
    with pytest.raises(ConflictError, match="Only roles"):
        applications.fill_internally(
            session, viewer=owen, opportunity_id=gig.id, employee_id=rui.id, on=TODAY
        )


def test_the_kind_of_a_move_follows_family_then_level() -> None:
    def role(family: str, level: int) -> Role:
        return Role(title="r", title_lower="r", external_id="r", family=family, level=level)

    assert applications.move_kind(role("Data", 1), role("Data", 2)) == "promotion"
    assert applications.move_kind(role("Data", 2), role("Data", 2)) == "lateral"
    assert applications.move_kind(role("Data", 3), role("Data", 2)) == "demotion"
    assert applications.move_kind(role("Support", 1), role("Data", 3)) == "reskill"
    assert applications.move_kind(role("", 1), role("Data", 2)) == "promotion"
    assert applications.move_kind(None, role("Data", 2)) == "transfer"


# Gigs: the manager's approval and the cap on time


def test_a_gig_selection_waits_for_the_current_managers_approval(
    session: Session, company: Company
) -> None:
    gig = make_opportunity(session, company, kind="gig", time_share=0.1)
    rui = company.people["rui"]
    applications.apply(session, viewer=company.viewers["rui"], opportunity_id=gig.id)
    selected = applications.select(
        session, viewer=company.viewers["owen"], opportunity_id=gig.id, employee_id=rui.id
    )
    assert (selected.status, selected.approval) == ("selected", "pending")
    queue = applications.gig_approvals(session, viewer=company.viewers["max"])
    assert [(q.employee.id, q.opportunity.id, q.current_share, q.cap) for q in queue] == [
        (rui.id, gig.id, 0.0, applications.GIG_TIME_CAP)
    ]
    assert applications.gig_approvals(session, viewer=company.viewers["owen"]) == []
    assert len(applications.gig_approvals(session, viewer=company.viewers["hr"])) == 1
    interest_id = selected.interest_id
    with pytest.raises(ForbiddenError):
        applications.decide_gig(
            session, viewer=company.viewers["rui"], interest_id=interest_id, approve=True
        )
    with pytest.raises(ForbiddenError):  # the owner sees it but does not approve it
        applications.decide_gig(
            session, viewer=company.viewers["owen"], interest_id=interest_id, approve=True
        )
    with pytest.raises(NotFoundError):
        applications.decide_gig(
            session, viewer=company.viewers["ida"], interest_id=interest_id, approve=True
        )
    with pytest.raises(InvalidInputError) as refused:
        applications.decide_gig(
            session, viewer=company.viewers["max"], interest_id=interest_id, approve=False
        )
    assert refused.value.problems[0].column == "note"
    decided = applications.decide_gig(
        session, viewer=company.viewers["max"], interest_id=interest_id, approve=True, note="Go"
    )
    assert (decided.approval, decided.approval_note) == ("approved", "Go")
    assert applications.gig_time_share(session, employee_id=rui.id) == pytest.approx(0.1)
    with pytest.raises(ConflictError, match="approved"):
        applications.decide_gig(
            session,
            viewer=company.viewers["max"],
            interest_id=interest_id,
            approve=False,
            note="Changed my mind",
        )
    (mine,) = applications.my_applications(session, viewer=company.viewers["rui"])
    assert (mine.approval, mine.approval_note) == ("approved", "Go")
    assert len(_audits(session, "opportunity_interest.approved")) == 1


def test_the_cap_on_time_in_gigs_names_the_cap_and_the_current_share(
    session: Session, company: Company
) -> None:
    rui = company.people["rui"]
    owen, max_ = company.viewers["owen"], company.viewers["max"]
    first = make_opportunity(session, company, kind="project", time_share=0.1, title="Pricing")
    second = make_opportunity(session, company, kind="gig", time_share=0.15, title="Survey")
    for gig in (first, second):
        applications.apply(session, viewer=company.viewers["rui"], opportunity_id=gig.id)
    chosen = applications.select(session, viewer=owen, opportunity_id=first.id, employee_id=rui.id)
    applications.decide_gig(session, viewer=max_, interest_id=chosen.interest_id, approve=True)
    with pytest.raises(ConflictError) as over:
        applications.select(session, viewer=owen, opportunity_id=second.id, employee_id=rui.id)
    assert "cap of 20%" in over.value.message
    assert "at 10% now" in over.value.message
    assert "25%" in over.value.message
    # A higher cap (the SKILLPATH_GIG_TIME_CAP setting) lets it through.
    waiting = applications.select(
        session, viewer=owen, opportunity_id=second.id, employee_id=rui.id, gig_time_cap=0.3
    )
    assert waiting.approval == "pending"
    # The approval checks the cap again, with the cap in force.
    with pytest.raises(ConflictError, match="cap of 20%"):
        applications.decide_gig(session, viewer=max_, interest_id=waiting.interest_id, approve=True)
    refused = applications.decide_gig(
        session, viewer=max_, interest_id=waiting.interest_id, approve=False, note="Busy quarter"
    )
    assert refused.approval == "refused"
    with pytest.raises(InvalidInputError) as bad_cap:
        applications.select(
            session, viewer=owen, opportunity_id=second.id, employee_id=rui.id, gig_time_cap=0
        )
    assert bad_cap.value.problems[0].column == "gig_time_cap"


def test_finished_and_closed_gigs_no_longer_count(session: Session, company: Company) -> None:
    rui = company.people["rui"]
    past = make_opportunity(
        session,
        company,
        kind="gig",
        time_share=0.2,
        starts_on=TODAY - timedelta(weeks=10),
        duration_weeks=4,
    )
    later = make_opportunity(
        session,
        company,
        kind="stretch",
        time_share=0.2,
        starts_on=TODAY + timedelta(weeks=1),
        duration_weeks=4,
    )
    for gig in (past, later):
        session.add(
            OpportunityInterest(
                opportunity_id=gig.id, employee_id=rui.id, status="selected", approval="approved"
            )
        )
    session.flush()
    assert applications.gig_time_share(session, employee_id=rui.id) == pytest.approx(0.2)
    later.status = "closed"
    session.flush()
    assert applications.gig_time_share(session, employee_id=rui.id) == pytest.approx(0.0)
    assert applications.gig_time_share(
        session, employee_id=rui.id, today=TODAY - timedelta(weeks=8)
    ) == pytest.approx(0.2)


def test_a_manager_has_no_way_to_hide_a_report_from_the_marketplace(
    session: Session, company: Company
) -> None:
    """Every step of the person's side acts on the caller's own record, and a refused gig
    changes nothing elsewhere: Rui still applies and still ranks among the candidates."""
    gig = make_opportunity(session, company, kind="gig", time_share=0.1)
    role = make_opportunity(session, company, role="senior")
    rui = company.people["rui"]
    max_ = company.viewers["max"]
    applications.apply(session, viewer=company.viewers["rui"], opportunity_id=gig.id)
    chosen = applications.select(
        session, viewer=company.viewers["owen"], opportunity_id=gig.id, employee_id=rui.id
    )
    applications.decide_gig(
        session, viewer=max_, interest_id=chosen.interest_id, approve=False, note="No"
    )
    applications.dismiss(session, viewer=max_, opportunity_id=role.id)
    mine = applications.my_applications(session, viewer=max_)
    assert [(a.opportunity.id, a.status) for a in mine] == [(role.id, "dismissed")]
    assert applications.my_applications(session, viewer=company.viewers["rui"])[0].status == (
        "selected"
    )
    candidates = matching.candidates(
        session, viewer=company.viewers["owen"], opportunity_id=role.id, limit=50
    )
    assert rui.id in {c.person.id for c in candidates}
    applied = applications.apply(session, viewer=company.viewers["rui"], opportunity_id=role.id)
    assert applied.status == "applied"
