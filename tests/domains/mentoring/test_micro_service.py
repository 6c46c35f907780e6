"""The micro-mentoring finder on the database (SQLite and PostgreSQL): who is offered, who is
left out and why, the order, and the refusals."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy.orm import Session

from skillpath.core.errors import ConflictError, ForbiddenError, InvalidInputError, NotFoundError
from skillpath.core.places import utc_offset
from skillpath.domains.evidence.models import EmployeeSkill
from skillpath.domains.identity.service import viewer_for
from skillpath.domains.identity.visibility import Viewer
from skillpath.domains.mentoring.micro_service import book_session, find_helpers
from skillpath.domains.mentoring.models import Enrolment, Match, MentoringProgram
from skillpath.domains.mentoring.service import answer_match
from skillpath.domains.people.models import Employee
from skillpath.domains.taxonomy.models import Skill
from tests.factories import make_employee, make_location, make_skill, make_user

DAY = date(2026, 3, 4)  # a Wednesday: the week runs from Monday 2 March


def micro(session: Session, name: str, status: str = "running") -> MentoringProgram:
    row = MentoringProgram(name=name, kind="micro", status=status)
    session.add(row)
    session.flush()
    return row


def offer(
    session: Session,
    prog: MentoringProgram,
    person: Employee,
    skills: list[Skill],
    *,
    hours: float = 8.0,
    languages: list[str] | None = None,
) -> None:
    session.add(
        Enrolment(
            program_id=prog.id,
            employee_id=person.id,
            role="mentor",
            skill_ids=[s.id for s in skills],
            hours_per_month=hours,
            languages=languages or [],
        )
    )
    session.flush()


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


def booked(session: Session, prog: MentoringProgram, mentor: Employee, day: date) -> None:
    session.add(Match(program_id=prog.id, mentor_id=mentor.id, status="accepted", started_on=day))
    session.flush()


def viewer(person: Employee) -> Viewer:
    return Viewer(
        user_id=person.id, email=f"{person.id}@x.io", role="employee", employee_id=person.id
    )


def test_the_finder_ranks_offered_helpers_and_leaves_out_the_rest(session: Session) -> None:
    sql, ux = make_skill(session, "SQL"), make_skill(session, "UX")
    london = make_location(session, timezone="Europe/London")
    new_york = make_location(session, country="US", timezone="America/New_York")
    prog, closed = micro(session, "Ask me"), micro(session, "Old", status="closed")
    boss = make_employee(session, "Max", location=london)
    ann = make_employee(session, "Ann", manager=boss, location=london)
    rob = make_employee(session, "Rob", manager=ann, location=london)
    sam = make_employee(session, "Sam", location=london)
    tia = make_employee(session, "Tia", location=new_york)
    uma = make_employee(session, "Uma", location=london)
    val = make_employee(session, "Val", location=london)
    wes = make_employee(session, "Wes", location=london)
    xan = make_employee(session, "Xan", location=london, left_on=date(2026, 2, 1))
    yan = make_employee(session, "Yan", location=london)
    level(session, ann, sql, 0.2)
    for person, value in [(boss, 1.0), (rob, 1.0), (sam, 1.0), (tia, 0.6), (uma, 1.0)]:
        level(session, person, sql, value)
    for person, value in [(val, 0.2), (wes, 1.0), (xan, 1.0), (yan, 1.0)]:
        level(session, person, sql, value)
    for person in (boss, rob, sam, tia, uma, val, xan):
        offer(
            session,
            prog,
            person,
            [sql],
            hours=13.0 if person is sam else 8.0,
            languages=["en"] if person is not tia else ["es"],
        )
    offer(session, prog, wes, [ux])  # offers another skill
    offer(session, closed, yan, [sql])  # in a closed program
    booked(session, prog, uma, date(2026, 3, 3))  # two sessions this week: the week's share gone
    booked(session, prog, uma, date(2026, 3, 6))
    booked(session, prog, sam, date(2026, 2, 25))  # last week and last month: does not count

    found = find_helpers(session, viewer=viewer(ann), skill_id=sql.id, today=DAY)

    assert found.skill.name == "SQL"
    assert (found.your_level, found.your_label) == (1, "Awareness")
    assert found.offered == 6  # Max, Rob, Sam, Tia, Uma, Val (not Wes, Xan, Yan)
    assert [h.person.name for h in found.helpers] == [
        sam.first_name + " " + sam.last_name,
        tia.first_name + " " + tia.last_name,
    ]
    first, second = found.helpers
    for helper in found.helpers:
        parts = helper.parts
        total = parts.level + parts.availability + parts.language + parts.timezone
        assert helper.score == pytest.approx(total, abs=1e-5)
    assert first.free_hours == pytest.approx(3.0, abs=0.01)  # 13 h a month is 3 h a week
    assert second.free_hours == pytest.approx(8 / (52 / 12), abs=0.01)
    assert first.hours_apart == 0
    assert first.languages == ["en"]
    assert first.parts.language == pytest.approx(0.10)
    assert first.reasons[0] == "Holds SQL at Expert (5/5), you are at 1/5"
    assert "Same time zone" in first.reasons
    assert second.parts.language == 0
    assert second.hours_apart == pytest.approx(-5.0)
    assert "5 hours apart" in second.reasons
    assert second.score < first.score

    # sessions booked this week lower Sam's free time (the limit keeps the best); with the
    # week's three hours booked Sam drops out
    booked(session, prog, sam, date(2026, 3, 2))
    again = find_helpers(session, viewer=viewer(ann), skill_id=sql.id, limit=1, today=DAY)
    assert len(again.helpers) == 1
    assert again.helpers[0].person == first.person
    assert again.helpers[0].free_hours == pytest.approx(2.0, abs=0.01)
    assert again.helpers[0].parts.availability == pytest.approx(0.25)  # two hours: still full
    booked(session, prog, sam, date(2026, 3, 5))
    one_hour = find_helpers(session, viewer=viewer(ann), skill_id=sql.id, today=DAY).helpers
    assert one_hour[0].free_hours == pytest.approx(1.0, abs=0.01)
    assert one_hour[0].parts.availability == pytest.approx(0.125, abs=1e-3)
    booked(session, prog, sam, date(2026, 3, 6))
    last = find_helpers(session, viewer=viewer(ann), skill_id=sql.id, today=DAY)
    assert [h.person for h in last.helpers] == [second.person]


def test_refusals(session: Session) -> None:
    sql = make_skill(session, "SQL")
    ann = make_employee(session, "Ann")
    nobody = Viewer(user_id=1, email="hr@x.io", role="hr_admin", employee_id=None)
    with pytest.raises(ForbiddenError):
        find_helpers(session, viewer=nobody, skill_id=sql.id)
    with pytest.raises(NotFoundError):
        find_helpers(session, viewer=viewer(ann), skill_id=sql.id + 1000)
    with pytest.raises(InvalidInputError):
        find_helpers(session, viewer=viewer(ann), skill_id=sql.id, limit=0)
    empty = find_helpers(session, viewer=viewer(ann), skill_id=sql.id, today=DAY)
    assert empty.helpers == []
    assert empty.offered == 0


def test_utc_offsets() -> None:
    assert utc_offset("America/New_York", DAY) == -5.0
    assert utc_offset("America/New_York", date(2026, 7, 1)) == -4.0
    assert utc_offset("Asia/Kolkata", DAY) == 5.5
    assert utc_offset("Not/AZone", DAY) == 0.0
    assert utc_offset(None, DAY) == 0.0


def test_booking_a_session_with_a_helper_the_finder_shows(session: Session) -> None:
    sql = make_skill(session, "SQL")
    site = make_location(session, timezone="Europe/London")
    prog = micro(session, "Ask me")
    boss = make_employee(session, "Max", location=site)
    ann = make_employee(session, "Ann", manager=boss, location=site)
    sam = make_employee(session, "Sam", location=site)
    level(session, ann, sql, 0.2)
    level(session, sam, sql, 1.0)
    level(session, boss, sql, 1.0)
    offer(session, prog, sam, [sql], hours=8.0, languages=["en"])
    offer(session, prog, boss, [sql], hours=8.0, languages=["en"])
    asker = viewer_for(make_user(session, employee=ann))
    helper = viewer_for(make_user(session, employee=sam))
    match = book_session(
        session,
        viewer=asker,
        helper_id=sam.id,
        skill_id=sql.id,
        note="Window functions",
        today=DAY,
    )
    assert match.status == "proposed"
    assert match.mentor is not None
    assert match.mentor.id == sam.id
    assert [m.employee.id for m in match.mentees] == [ann.id]
    assert "Asked: Window functions" in match.reasons
    # The booked hour counts against Sam's time this week: less than an hour is left, so the
    # finder stops offering him until next week.
    again = find_helpers(session, viewer=asker, skill_id=sql.id, today=DAY)
    assert sam.id not in [h.person.id for h in again.helpers]
    # Sam accepts: the session is active on its day.
    active = answer_match(session, viewer=helper, match_id=match.id, accept=True, today=DAY)
    assert active.status == "active"
    # Her own manager is not offered by the finder, so he cannot be booked; nor a date in the past.
    with pytest.raises(ConflictError):
        book_session(session, viewer=asker, helper_id=boss.id, skill_id=sql.id, today=DAY)
    with pytest.raises(InvalidInputError):
        book_session(
            session,
            viewer=asker,
            helper_id=sam.id,
            skill_id=sql.id,
            on=date(2026, 3, 1),
            today=DAY,
        )
