"""Mentoring programs, enrolment, rounds, the lifecycle and check-ins (on SQLite and PostgreSQL).

The company: a unit "Tech" with a sub-unit "Data", a manager Max over Ann; mentors Sam and Tia
(SQL at 5/5 and 3/5); mentees Ann and Bob (SQL at 0 and 2.5/5), so the best single pairs
(Ann–Sam) differ from the best total (Ann–Tia + Bob–Sam).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from skillpath.core.errors import ConflictError, ForbiddenError, InvalidInputError, NotFoundError
from skillpath.domains.evidence.models import EmployeeSkill, SkillEvidence
from skillpath.domains.identity.visibility import Viewer
from skillpath.domains.mentoring import service
from skillpath.domains.mentoring.engine.matching import brute_force_assign
from skillpath.domains.mentoring.models import Enrolment, Match, MatchMember
from skillpath.domains.mentoring.schemas import (
    Assessment,
    CompleteIn,
    EnrolIn,
    ProgramIn,
    ProgramUpdate,
)
from skillpath.domains.people.models import Employee, OrgUnit
from skillpath.domains.taxonomy.models import Skill
from tests.factories import make_employee, make_location, make_role, make_skill, make_unit

DAY = date(2026, 3, 2)
HR = Viewer(user_id=-1, email="hr@x.io", role="hr_admin", employee_id=None)


def level(session: Session, person: Employee, skill: Skill, value: float) -> None:
    """A consolidated level (the profile row the service reads)."""
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


def as_person(person: Employee) -> Viewer:
    """The viewer a person is."""
    return Viewer(
        user_id=-person.id, email=f"{person.id}@x.io", role="employee", employee_id=person.id
    )


@dataclass
class Company:
    tech: OrgUnit
    data: OrgUnit
    other: OrgUnit
    sql: Skill
    python: Skill
    max: Employee
    ann: Employee
    bob: Employee
    sam: Employee
    tia: Employee
    zed: Employee


@pytest.fixture
def company(session: Session) -> Company:
    tech = make_unit(session, "Tech")
    data = make_unit(session, "Data", parent=tech)
    other = make_unit(session, "Sales")
    london = make_location(session)
    role = make_role(session, "Engineer", level=2)
    sql = make_skill(session, "SQL")
    python = make_skill(session, "Python")
    boss = make_employee(session, "Max", "Boss", unit=tech, role=role, location=london)
    ann = make_employee(session, "Ann", "Lee", manager=boss, unit=data, role=role, location=london)
    bob = make_employee(session, "Bob", "Kay", unit=data, role=role, location=london)
    sam = make_employee(session, "Sam", "Old", unit=tech, role=role, location=london)
    tia = make_employee(session, "Tia", "Mid", unit=tech, role=role, location=london)
    zed = make_employee(session, "Zed", "Far", unit=other, role=role, location=london)
    for person, skill, value in (
        (sam, sql, 1.0),
        (tia, sql, 0.6),
        (bob, sql, 0.5),
        (boss, sql, 1.0),
        (sam, python, 0.8),
        (ann, python, 0.9),
    ):
        level(session, person, skill, value)
    return Company(tech, data, other, sql, python, boss, ann, bob, sam, tia, zed)


def program(session: Session, c: Company, kind: str = "one_to_one", **fields: object) -> int:
    data = ProgramIn(name=f"P {kind} {fields}", kind=kind, unit_ids=[c.tech.id], **fields)
    created = service.create_program(session, viewer=HR, data=data)
    service.set_program_status(session, viewer=HR, program_id=created.id, status="enrolling")
    return created.id


def mentor(session: Session, pid: int, person: Employee, skills: list[Skill], **kw: object) -> None:
    service.enrol(
        session,
        viewer=as_person(person),
        program_id=pid,
        data=EnrolIn(role="mentor", skill_ids=[s.id for s in skills], **kw),
        today=DAY,
    )


def mentee(session: Session, pid: int, person: Employee, skills: list[Skill], **kw: object) -> None:
    service.enrol(
        session,
        viewer=as_person(person),
        program_id=pid,
        data=EnrolIn(role="mentee", skill_ids=[s.id for s in skills], **kw),
        today=DAY,
    )


def pairs(session: Session, pid: int) -> set[tuple[int, int]]:
    """(mentor, mentee) of the program's proposals and live matches."""
    return {
        (m.mentor.id, x.employee.id)
        for m in service.list_matches(session, viewer=HR, program_id=pid)
        if m.mentor is not None and m.status in ("proposed", "accepted", "active")
        for x in m.mentees
        if x.answer != "declined" and x.mentor_answer != "declined"
    }


def status_of(session: Session, pid: int, person: Employee) -> str:
    row = session.scalars(
        select(Enrolment).where(Enrolment.program_id == pid, Enrolment.employee_id == person.id)
    ).one()
    return row.status


def test_only_hr_manages_programs_and_eligibility_follows_sub_units(
    session: Session, company: Company
) -> None:
    c = company
    with pytest.raises(ForbiddenError):
        service.create_program(
            session, viewer=as_person(c.ann), data=ProgramIn(name="x", kind="one_to_one")
        )
    pid = program(session, c)
    listed_ann = service.list_programs(session, viewer=as_person(c.ann))
    assert [(p.id, p.kind, p.eligible) for p in listed_ann] == [(pid, "one_to_one", True)]
    assert service.list_programs(session, viewer=as_person(c.zed)) == []
    with pytest.raises(ForbiddenError):
        mentee(session, pid, c.zed, [c.sql])
    with pytest.raises(NotFoundError):
        service.get_program(session, viewer=as_person(c.zed), program_id=pid)
    service.update_program(session, viewer=HR, program_id=pid, data=ProgramUpdate(min_role_level=3))
    assert service.list_programs(session, viewer=as_person(c.ann)) == []
    with pytest.raises(InvalidInputError):
        service.update_program(
            session, viewer=HR, program_id=pid, data=ProgramUpdate(min_group=4, max_group=2)
        )
    with pytest.raises(ConflictError):
        service.set_program_status(session, viewer=HR, program_id=pid, status="draft")


def test_enrolment_uses_consolidated_levels_and_refuses_unheld_offers(
    session: Session, company: Company
) -> None:
    c = company
    pid = program(session, c)
    with pytest.raises(InvalidInputError) as refused:
        mentor(session, pid, c.tia, [c.python])
    assert refused.value.problems[0].column == "skill_ids"
    mentor(session, pid, c.sam, [c.sql, c.python])
    read = service.list_enrolments(session, viewer=as_person(c.sam), program_id=pid)[0]
    assert read.capacity == 2  # the program's default
    assert read.languages == ["en"]  # the person's languages
    assert read.timezone == "Europe/London"
    assert [(s.skill.name, s.display_level) for s in read.skills] == [("SQL", 5), ("Python", 4)]
    with pytest.raises(ConflictError):
        mentee(session, pid, c.sam, [c.sql])  # one role a program
    assert service.list_enrolments(session, viewer=as_person(c.ann), program_id=pid) == []


def test_round_is_optimal_beats_greedy_and_respects_capacity(
    session: Session, company: Company
) -> None:
    c = company
    pid = program(session, c)
    mentor(session, pid, c.sam, [c.sql], capacity=1)
    mentor(session, pid, c.tia, [c.sql], capacity=1)
    mentee(session, pid, c.ann, [c.sql])
    mentee(session, pid, c.bob, [c.sql])
    inputs = service.round_inputs(session, service._program(session, pid), DAY)
    oracle = brute_force_assign(
        inputs.scores, inputs.mentee_side.capacity, inputs.mentor_side.capacity
    )
    round_ = service.run_round(session, viewer=HR, program_id=pid, today=DAY)
    assert round_.total_score == pytest.approx(oracle.total, abs=1e-6)
    assert round_.greedy_score is not None
    assert round_.total_score > round_.greedy_score + 0.1
    # Ann (SQL 0) with Tia (3/5), Bob (2.5/5) with Sam (5/5): not the greedy Ann–Sam first
    assert pairs(session, pid) == {(c.tia.id, c.ann.id), (c.sam.id, c.bob.id)}
    ann = next(
        m
        for m in service.list_matches(session, viewer=HR, program_id=pid)
        if m.mentees[0].employee.id == c.ann.id
    )
    assert "Holds SQL at 3/5, you are at 1/5" in ann.reasons
    assert "Shares English" in ann.reasons
    assert "Same time zone" in ann.reasons
    assert set(ann.parts) >= {"complementarity", "goal", "language", "timezone", "preference"}


def test_capacity_waitlist_and_reentry(session: Session, company: Company) -> None:
    c = company
    pid = program(session, c)
    mentor(session, pid, c.sam, [c.sql], capacity=1)
    mentee(session, pid, c.ann, [c.sql])
    mentee(session, pid, c.bob, [c.sql])
    first = service.run_round(session, viewer=HR, program_id=pid, today=DAY)
    assert (first.matched, first.waitlisted) == (1, 1)
    service.publish_round(session, viewer=HR, program_id=pid, round_id=first.id)
    waiting = c.ann if status_of(session, pid, c.bob) == "matched" else c.bob
    assert status_of(session, pid, waiting) == "waitlisted"
    # the waitlisted mentee re-enters the next round when a mentor has room
    mentor(session, pid, c.tia, [c.sql], capacity=3)
    second = service.run_round(session, viewer=HR, program_id=pid, today=DAY)
    assert (second.number, second.matched, second.waitlisted) == (2, 1, 0)
    assert {m for m, _ in pairs(session, pid)} == {c.sam.id, c.tia.id}


def test_exclusions_reporting_line_opt_out_and_repeat(session: Session, company: Company) -> None:
    c = company
    pid = program(session, c)
    mentor(session, pid, c.max, [c.sql], capacity=5)  # Ann's manager
    mentor(session, pid, c.sam, [c.sql], capacity=5)
    mentor(session, pid, c.tia, [c.sql], capacity=5, opt_out_ids=[c.bob.id])
    mentee(session, pid, c.ann, [c.sql], opt_out_ids=[c.sam.id])
    mentee(session, pid, c.bob, [c.sql])
    # Bob and Sam were matched in an earlier program: a repeat
    older = Match(program_id=pid, mentor_id=c.sam.id, status="completed")
    session.add(older)
    session.flush()
    session.add(MatchMember(match_id=older.id, employee_id=c.bob.id))
    session.flush()
    round_ = service.run_round(session, viewer=HR, program_id=pid, today=DAY)
    assert round_.details["excluded"] == {
        "reporting_line": 1,
        "repeat": 1,
        "opt_out": 2,
        "reverse_direction": 0,
    }
    # Ann: not her manager Max, not Sam (opted out) → Tia; Bob: not Sam (repeat), not Tia
    # (she opted out) → Max
    assert pairs(session, pid) == {(c.tia.id, c.ann.id), (c.max.id, c.bob.id)}


def test_group_sizes_and_small_groups_go_to_the_waitlist(
    session: Session, company: Company
) -> None:
    c = company
    pid = program(session, c, "group", min_group=2, max_group=3)
    mentor(session, pid, c.sam, [c.sql])
    for person in (c.ann, c.bob, c.max):
        mentee(session, pid, person, [c.sql])
    # Max holds SQL at 5/5 like Sam: nothing to learn, so only Ann and Bob are admissible
    round_ = service.run_round(session, viewer=HR, program_id=pid, today=DAY)
    matches = service.list_matches(session, viewer=HR, program_id=pid)
    assert len(matches) == 1
    assert {x.employee.id for x in matches[0].mentees} == {c.ann.id, c.bob.id}
    assert matches[0].reasons == ["Holds SQL at 5/5"]
    assert (round_.matched, round_.waitlisted) == (2, 1)
    # with a minimum of 3, the group of two is dissolved to the waitlist
    service.update_program(session, viewer=HR, program_id=pid, data=ProgramUpdate(min_group=3))
    again = service.run_round(session, viewer=HR, program_id=pid, today=DAY)
    assert (again.matched, again.optimal) == (0, False)
    assert set(again.details["dissolved_groups_mentees"]) == {c.ann.id, c.bob.id}
    assert service.list_matches(session, viewer=HR, program_id=pid) == []


def test_lifecycle_visibility_decline_accept_checkins_and_leavers(
    session: Session, company: Company
) -> None:
    c = company
    pid = program(session, c, checkin_every_days=14)
    mentor(session, pid, c.sam, [c.sql], capacity=1)
    mentor(session, pid, c.tia, [c.sql], capacity=1)
    mentee(session, pid, c.ann, [c.sql])
    round_ = service.run_round(session, viewer=HR, program_id=pid, today=DAY)
    # a draft is HR's alone
    assert service.list_matches(session, viewer=as_person(c.ann), program_id=pid) == []
    service.publish_round(session, viewer=HR, program_id=pid, round_id=round_.id)
    mine = service.list_matches(session, viewer=as_person(c.ann), program_id=pid)
    assert len(mine) == 1
    first_mentor = mine[0].mentor
    assert first_mentor is not None
    assert first_mentor.id == c.sam.id
    assert service.list_matches(session, viewer=as_person(c.bob), program_id=pid) == []
    with pytest.raises(NotFoundError):
        service.get_match(session, viewer=as_person(c.bob), match_id=mine[0].id)
    # Ann declines: she re-enters and Sam is never proposed again
    declined = service.answer_match(
        session, viewer=as_person(c.ann), match_id=mine[0].id, accept=False, today=DAY
    )
    assert declined.status == "declined"
    assert status_of(session, pid, c.ann) == "waitlisted"
    second = service.run_round(session, viewer=HR, program_id=pid, today=DAY)
    service.publish_round(session, viewer=HR, program_id=pid, round_id=second.id)
    assert pairs(session, pid) == {(c.tia.id, c.ann.id)}
    match_id = next(
        m.id
        for m in service.list_matches(session, viewer=as_person(c.ann), program_id=pid)
        if m.status == "proposed"
    )
    half = service.answer_match(
        session, viewer=as_person(c.ann), match_id=match_id, accept=True, today=DAY
    )
    assert half.status == "proposed"
    active = service.answer_match(
        session, viewer=as_person(c.tia), match_id=match_id, accept=True, today=DAY
    )
    assert (active.status, active.started_on) == ("active", DAY)
    # check-ins: due 14 days after the start, then after the last check-in
    assert service.overdue_checkins(session, DAY + timedelta(days=14)) == []
    late = service.overdue_checkins(session, DAY + timedelta(days=15))
    assert [o.match.id for o in late] == [match_id]
    with pytest.raises(NotFoundError):  # not a member: the match is not visible
        service.add_checkin(
            session, viewer=as_person(c.bob), match_id=match_id, held_on=DAY, today=DAY
        )
    with pytest.raises(InvalidInputError):
        service.add_checkin(
            session,
            viewer=as_person(c.ann),
            match_id=match_id,
            held_on=DAY + timedelta(days=3),
            today=DAY,
        )
    service.add_checkin(
        session,
        viewer=as_person(c.ann),
        match_id=match_id,
        held_on=DAY + timedelta(days=10),
        notes="Joins",
        progress=0.3,
        rating=5,
        today=DAY + timedelta(days=10),
    )
    assert service.overdue_checkins(session, DAY + timedelta(days=15)) == []
    overdue = service.overdue_list(session, viewer=as_person(c.tia), today=DAY + timedelta(days=30))
    assert [(o.match_id, o.days_overdue) for o in overdue] == [(match_id, 6)]
    assert (
        service.overdue_list(session, viewer=as_person(c.bob), today=DAY + timedelta(days=30)) == []
    )
    # the mentor leaves: the match ends and Ann re-enters the next round
    c.tia.left_on = DAY + timedelta(days=20)
    session.flush()
    assert service.end_matches_of_leavers(session, DAY + timedelta(days=19)) == 0
    assert service.end_matches_of_leavers(session, DAY + timedelta(days=20)) == 1
    ended = service.get_match(session, viewer=HR, match_id=match_id)
    assert (ended.status, ended.end_reason) == ("ended", "mentor_left")
    assert status_of(session, pid, c.ann) == "waitlisted"


def test_completion_with_objectives_met_becomes_mentor_evidence(
    session: Session, company: Company
) -> None:
    c = company
    pid = program(session, c)
    mentor(session, pid, c.sam, [c.sql], capacity=1)
    mentee(session, pid, c.bob, [c.sql])
    round_ = service.run_round(session, viewer=HR, program_id=pid, today=DAY)
    service.publish_round(session, viewer=HR, program_id=pid, round_id=round_.id)
    match_id = service.list_matches(session, viewer=HR, program_id=pid)[0].id
    for person in (c.bob, c.sam):
        service.answer_match(
            session, viewer=as_person(person), match_id=match_id, accept=True, today=DAY
        )
    with pytest.raises(InvalidInputError):  # no objectives met: no assessment
        service.complete_match(
            session,
            viewer=as_person(c.sam),
            match_id=match_id,
            data=CompleteIn(
                assessments=[Assessment(employee_id=c.bob.id, skill_id=c.sql.id, display_level=4)]
            ),
        )
    with pytest.raises(ForbiddenError):
        service.complete_match(
            session, viewer=as_person(c.bob), match_id=match_id, data=CompleteIn()
        )
    done = service.complete_match(
        session,
        viewer=as_person(c.sam),
        match_id=match_id,
        data=CompleteIn(
            outcome="Writes window functions",
            objectives_met={c.bob.id: 2},
            assessments=[Assessment(employee_id=c.bob.id, skill_id=c.sql.id, display_level=4)],
        ),
        today=DAY,
    )
    assert (done.status, done.mentees[0].objectives_met) == ("completed", 2)
    evidence = session.scalars(
        select(SkillEvidence).where(SkillEvidence.employee_id == c.bob.id)
    ).one()
    assert (evidence.source, evidence.rater_id, evidence.level) == ("assessment", c.sam.id, 0.8)
    assert evidence.note.startswith("Mentor assessment in program")
    profile = session.scalars(
        select(EmployeeSkill).where(
            EmployeeSkill.employee_id == c.bob.id, EmployeeSkill.skill_id == c.sql.id
        )
    ).one()
    assert profile.level == pytest.approx(0.8)  # the refreshed profile, from the evidence


def test_reverse_program_runs_from_the_stronger_side(session: Session, company: Company) -> None:
    c = company
    pid = program(session, c, "reverse", skill_ids=[c.python.id, c.sql.id])
    level(session, c.ann, c.sql, 0.2)
    # Ann (a junior: Python 0.9, SQL 0.2) mentors on the program's skills
    mentor(session, pid, c.ann, [c.python, c.sql], capacity=2)
    mentee(session, pid, c.sam, [c.python])  # Python 0.8: below Ann
    mentee(session, pid, c.bob, [c.python, c.sql])  # SQL 0.5: above Ann on a shared skill
    with pytest.raises(InvalidInputError):
        service.enrol(
            session,
            viewer=as_person(c.tia),
            program_id=pid,
            today=DAY,
            data=EnrolIn(role="mentee", skill_ids=[c.tia.id + 10_000]),
        )
    round_ = service.run_round(session, viewer=HR, program_id=pid, today=DAY)
    assert round_.details["excluded"]["reverse_direction"] == 1
    assert pairs(session, pid) == {(c.ann.id, c.sam.id)}
    # the same pair is admissible in a one-to-one program: the check is the reverse program's
    other = program(session, c, "one_to_one", skill_ids=[c.python.id, c.sql.id])
    mentor(session, other, c.ann, [c.python, c.sql], capacity=2)
    mentee(session, other, c.bob, [c.python, c.sql])
    assert service.run_round(session, viewer=HR, program_id=other, today=DAY).matched == 1


def test_micro_has_no_rounds_and_circles_are_stored_as_matches_without_mentor(
    session: Session, company: Company
) -> None:
    c = company
    micro = program(session, c, "micro")
    with pytest.raises(ConflictError):
        service.run_round(session, viewer=HR, program_id=micro, today=DAY)
    pid = program(session, c, "circle")
    read = service.get_program(session, viewer=HR, program_id=pid)
    assert (read.min_group, read.max_group) == (4, 6)
    peers = (c.ann, c.bob, c.sam, c.tia)
    for person in peers:
        service.enrol(
            session,
            viewer=as_person(person),
            program_id=pid,
            data=EnrolIn(role="peer", skill_ids=[c.sql.id, c.python.id]),
            today=DAY,
        )
    with pytest.raises(InvalidInputError):
        mentor(session, pid, c.max, [c.sql])  # circles take peers
    round_ = service.run_round(session, viewer=HR, program_id=pid, today=DAY)
    assert (round_.matched, round_.waitlisted) == (4, 0)
    circles = service.list_matches(session, viewer=HR, program_id=pid)
    assert len(circles) == 1
    assert circles[0].mentor is None
    assert {m.employee.id for m in circles[0].mentees} == {p.id for p in peers}
    assert circles[0].score == pytest.approx(round_.total_score)
    service.publish_round(session, viewer=HR, program_id=pid, round_id=round_.id)
    assert status_of(session, pid, c.ann) == "matched"
    for person in peers:
        answered = service.answer_match(
            session, viewer=as_person(person), match_id=circles[0].id, accept=True, today=DAY
        )
    assert answered.status == "active"


def test_suggestions_come_from_gaps_within_the_program_skills(
    session: Session, company: Company
) -> None:
    c = company
    analyst = make_role(session, "Analyst", skills=[(c.sql, 0.8, 1.0), (c.python, 0.6, 0.5)])
    c.bob.role_id = analyst.id
    session.flush()
    pid = program(session, c)
    found = service.suggest_skills(session, viewer=as_person(c.bob), program_id=pid, today=DAY)
    # SQL 0.5 of 0.8 (the larger weighted gap) first, then Python 0 of 0.6
    assert [(s.skill.id, s.source) for s in found] == [(c.sql.id, "gap"), (c.python.id, "gap")]
    assert found[0].why == "Your role asks for 4/5, you are at 2/5"
    only_python = program(session, c, skill_ids=[c.python.id])
    found = service.suggest_skills(
        session, viewer=as_person(c.bob), program_id=only_python, today=DAY
    )
    assert [s.skill.id for s in found] == [c.python.id]


def test_a_mentee_re_enrols_only_after_the_match_ends(session: Session, company: Company) -> None:
    c = company
    pid = program(session, c)
    mentor(session, pid, c.sam, [c.sql], capacity=2)
    mentee(session, pid, c.bob, [c.sql])
    round_ = service.run_round(session, viewer=HR, program_id=pid, today=DAY)
    service.publish_round(session, viewer=HR, program_id=pid, round_id=round_.id)
    with pytest.raises(ConflictError):
        mentee(session, pid, c.bob, [c.sql])
    with pytest.raises(ConflictError):
        service.withdraw(
            session,
            viewer=as_person(c.bob),
            enrolment_id=service.list_enrolments(session, viewer=as_person(c.bob), program_id=pid)[
                0
            ].id,
        )
    match_id = service.list_matches(session, viewer=HR, program_id=pid)[0].id
    service.end_match(session, viewer=as_person(c.bob), match_id=match_id, reason="changed team")
    mentee(session, pid, c.bob, [c.sql])
    assert status_of(session, pid, c.bob) == "enrolled"
