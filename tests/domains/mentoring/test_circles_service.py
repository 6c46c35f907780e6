"""Peer coaching circles from the database (SQLite and PostgreSQL): who waits for a circle, the
exclusions, the proposal's names and reasons, and the refusals."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime

import pytest
from sqlalchemy.orm import Session

from skillpath.core.errors import ConflictError, ForbiddenError, NotFoundError
from skillpath.domains.evidence.models import EmployeeSkill
from skillpath.domains.identity.visibility import Viewer
from skillpath.domains.mentoring.circles_service import circle_inputs, propose_circles
from skillpath.domains.mentoring.engine.circles import exact_circles, pair_values
from skillpath.domains.mentoring.models import Enrolment, Match, MatchMember, MentoringProgram
from skillpath.domains.people.models import Employee
from skillpath.domains.taxonomy.models import Skill
from tests.factories import make_employee, make_skill

DAY = date(2026, 3, 2)
HR = Viewer(user_id=-1, email="hr@x.io", role="hr_admin", employee_id=None)


def program(session: Session, name: str, kind: str = "circle") -> MentoringProgram:
    row = MentoringProgram(name=name, kind=kind, status="matching", min_group=4, max_group=6)
    session.add(row)
    session.flush()
    return row


def enrol(
    session: Session,
    prog: MentoringProgram,
    person: Employee,
    skills: list[Skill],
    *,
    status: str = "enrolled",
    opt_out: list[Employee] | None = None,
) -> Enrolment:
    row = Enrolment(
        program_id=prog.id,
        employee_id=person.id,
        role="peer",
        status=status,
        skill_ids=[s.id for s in skills],
        opt_out_ids=[p.id for p in opt_out or []],
    )
    session.add(row)
    session.flush()
    return row


def level(session: Session, person: Employee, skill: Skill, value: float) -> None:
    session.add(
        EmployeeSkill(
            employee_id=person.id,
            skill_id=skill.id,
            level=value,
            confidence=0.8,
            evidence_count=1,
            total_weight=1.0,
            computed_at=datetime(2026, 1, 1, tzinfo=UTC),
        )
    )
    session.flush()


def test_nine_peers_form_two_circles_apart_from_their_reporting_line(session: Session) -> None:
    sql, ml, ux = make_skill(session, "SQL"), make_skill(session, "ML"), make_skill(session, "UX")
    prog = program(session, "Circles 1")
    dan = make_employee(session, "Dan")
    a_team = [make_employee(session, n) for n in ("Ann", "Ben", "Cat")]
    eve = make_employee(session, "Eve", manager=dan)
    b_team = [make_employee(session, n) for n in ("Fay", "Gus", "Hal", "Ivy")]
    for person in [*a_team, dan, eve]:
        enrol(session, prog, person, [sql, ux])
    for person in b_team:
        enrol(session, prog, person, [ml], opt_out=[a_team[0]] if person is b_team[0] else None)
    level(session, b_team[1], sql, 0.8)  # Gus is Advanced in SQL, which five of them want
    # not waiting: withdrawn, left the company, already in a live circle
    enrol(session, prog, make_employee(session, "Wes"), [sql], status="withdrawn")
    enrol(session, prog, make_employee(session, "Lou", left_on=date(2026, 1, 1)), [sql])
    busy = make_employee(session, "Bea")
    enrol(session, prog, busy, [sql])
    match = Match(program_id=prog.id, status="active")
    session.add(match)
    session.flush()
    session.add(MatchMember(match_id=match.id, employee_id=busy.id))
    session.flush()

    proposal = propose_circles(session, viewer=HR, program_id=prog.id, today=DAY)

    assert proposal.peers == 9
    assert proposal.method == "exact"
    assert proposal.optimal
    assert sorted(len(c.members) for c in proposal.circles) == [4, 5]
    assert proposal.waitlisted == []
    assert proposal.waitlist_reason == ""
    assert proposal.conflicts == []
    circle_of = {p.id: k for k, c in enumerate(proposal.circles) for p in c.members}
    assert set(circle_of) == {p.id for p in [*a_team, dan, eve, *b_team]}
    assert circle_of[dan.id] != circle_of[eve.id]  # one reporting line
    assert circle_of[b_team[0].id] != circle_of[a_team[0].id]  # Fay opted out of Ann
    assert proposal.bound >= proposal.value > 0
    for circle in proposal.circles:
        assert circle.shared + circle.complementary == pytest.approx(circle.value, abs=1e-5)
    everything = [reason for c in proposal.circles for reason in c.reasons]
    assert any(r.endswith("want SQL") for r in everything)
    gus_circle = proposal.circles[circle_of[b_team[1].id]]
    # Dan and Eve sit apart, so both circles hold someone who wants SQL: Gus helps them
    strengths = [s for s in gus_circle.strengths if s.holder.id == b_team[1].id]
    assert [(s.skill.name, s.label, s.level) for s in strengths] == [("SQL", "Advanced", 4)]
    assert strengths[0].learners
    assert any(
        r.startswith(f"{b_team[1].first_name} {b_team[1].last_name} holds SQL")
        for r in gus_circle.reasons
    )

    # the proposal is the optimum of the engine's inputs, checked over every split into 4 + 5
    inputs = circle_inputs(session, prog.id, DAY)
    assert len(inputs.enrolments) == 9
    assert len(inputs.excluded) == 2
    plan = exact_circles(inputs.peers, excluded=inputs.excluded)
    assert proposal.value == pytest.approx(plan.value, abs=1e-5)
    banned = {frozenset(p) for p in inputs.excluded}
    values = pair_values(inputs.peers)
    best = max(
        sum(values[a, b] for g in (four, rest) for a, b in itertools.combinations(g, 2))
        for four in itertools.combinations(range(9), 4)
        if (rest := tuple(i for i in range(9) if i not in four))
        and not any(
            frozenset(p) in banned for g in (four, rest) for p in itertools.combinations(g, 2)
        )
    )
    assert proposal.value == pytest.approx(best, abs=1e-5)


def test_too_few_peers_wait_and_seven_leave_one_out(session: Session) -> None:
    sql = make_skill(session, "SQL")
    prog = program(session, "Circles 2")
    people = [make_employee(session, f"P{k}") for k in range(7)]
    for person in people[:3]:
        enrol(session, prog, person, [sql])
    few = propose_circles(session, viewer=HR, program_id=prog.id, today=DAY)
    assert few.circles == []
    assert [p.id for p in few.waitlisted] == [p.id for p in people[:3]]
    assert "too few" in few.waitlist_reason
    for person in people[3:]:
        enrol(session, prog, person, [sql], status="waitlisted")
    seven = propose_circles(session, viewer=HR, program_id=prog.id, today=DAY)
    assert [len(c.members) for c in seven.circles] == [6]
    assert len(seven.waitlisted) == 1
    assert "one waits" in seven.waitlist_reason
    assert seven.circles[0].reasons == ["All want SQL"]


def test_refusals(session: Session) -> None:
    prog = program(session, "One to one", kind="one_to_one")
    with pytest.raises(ForbiddenError):
        propose_circles(
            session,
            viewer=Viewer(user_id=5, email="e@x.io", role="employee", employee_id=None),
            program_id=prog.id,
        )
    with pytest.raises(ConflictError):
        propose_circles(session, viewer=HR, program_id=prog.id)
    with pytest.raises(NotFoundError):
        propose_circles(session, viewer=HR, program_id=prog.id + 1000)
