"""SQL of the mentoring domain: programs, enrolments, rounds, matches, members and check-ins."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from skillpath.domains.evidence.models import EmployeeSkill
from skillpath.domains.mentoring.models import (
    CheckIn,
    Enrolment,
    Match,
    MatchMember,
    MatchRound,
    MentoringProgram,
)
from skillpath.domains.people.models import Employee, Location, OrgUnit, Role
from skillpath.domains.people.repository import unit_subtree
from skillpath.domains.taxonomy.models import Skill

LIVE_MATCH = ("proposed", "accepted", "active")
"""Match statuses that hold a mentor's place and a mentee's enrolment."""


# Programs


def program_by_id(session: Session, program_id: int) -> MentoringProgram | None:
    """The program with this id, if any."""
    return session.get(MentoringProgram, program_id)


def program_by_name(session: Session, name: str) -> MentoringProgram | None:
    """The program with this name, if any."""
    return session.scalars(select(MentoringProgram).where(MentoringProgram.name == name)).first()


def programs(session: Session, statuses: Collection[str] | None = None) -> list[MentoringProgram]:
    """Programs (optionally in some statuses), newest first."""
    query = select(MentoringProgram).order_by(MentoringProgram.id.desc())
    if statuses is not None:
        query = query.where(MentoringProgram.status.in_(list(statuses)))
    return list(session.scalars(query))


def add(session: Session, row: object) -> None:
    """Add a row and give it its id."""
    session.add(row)
    session.flush()


def units_under(session: Session, unit_ids: Collection[int]) -> set[int]:
    """The units and every unit below them."""
    found: set[int] = set()
    for unit_id in unit_ids:
        tree = unit_subtree(unit_id)
        found.update(int(i) for i in session.scalars(select(tree.c.id)))
    return found


def existing_ids(
    session: Session,
    model: type[Employee | Skill | OrgUnit | Role | Location],
    ids: Collection[int],
) -> set[int]:
    """Which of the ids exist in a table."""
    if not ids:
        return set()
    return set(session.scalars(select(model.id).where(model.id.in_(list(ids)))))


def role_level(session: Session, role_id: int | None) -> int | None:
    """The level of a role."""
    if role_id is None:
        return None
    return session.scalar(select(Role.level).where(Role.id == role_id))


def person(session: Session, employee_id: int) -> Employee | None:
    """The employee with this id."""
    return session.get(Employee, employee_id)


def people(session: Session, ids: Collection[int]) -> dict[int, Employee]:
    """Employees by id."""
    if not ids:
        return {}
    rows = session.scalars(select(Employee).where(Employee.id.in_(list(ids))))
    return {row.id: row for row in rows}


def timezones(session: Session, ids: Collection[int]) -> dict[int, str]:
    """The time zone of each person's work location (people without one are left out)."""
    if not ids:
        return {}
    rows = session.execute(
        select(Employee.id, Location.timezone)
        .join(Location, Location.id == Employee.location_id)
        .where(Employee.id.in_(list(ids)))
    )
    return {int(i): str(zone) for i, zone in rows}


def levels(
    session: Session, employee_ids: Collection[int], skill_ids: Collection[int]
) -> dict[tuple[int, int], float]:
    """Consolidated levels of (employee, skill)."""
    if not employee_ids or not skill_ids:
        return {}
    rows = session.execute(
        select(EmployeeSkill.employee_id, EmployeeSkill.skill_id, EmployeeSkill.level).where(
            EmployeeSkill.employee_id.in_(list(employee_ids)),
            EmployeeSkill.skill_id.in_(list(skill_ids)),
        )
    )
    return {(int(e), int(s)): float(level) for e, s, level in rows}


# Enrolments


def enrolments(
    session: Session,
    program_id: int,
    *,
    role: str | None = None,
    statuses: Collection[str] | None = None,
) -> list[Enrolment]:
    """A program's enrolments, oldest first."""
    query = select(Enrolment).where(Enrolment.program_id == program_id)
    if role is not None:
        query = query.where(Enrolment.role == role)
    if statuses is not None:
        query = query.where(Enrolment.status.in_(list(statuses)))
    return list(session.scalars(query.order_by(Enrolment.id)))


def enrolment_by_id(session: Session, enrolment_id: int) -> Enrolment | None:
    """The enrolment with this id."""
    return session.get(Enrolment, enrolment_id)


def enrolments_of(session: Session, program_id: int, employee_id: int) -> list[Enrolment]:
    """A person's enrolments in a program."""
    return list(
        session.scalars(
            select(Enrolment).where(
                Enrolment.program_id == program_id, Enrolment.employee_id == employee_id
            )
        )
    )


def enrolled_program_ids(session: Session, employee_id: int) -> set[int]:
    """Programs a person is (or was) enrolled in."""
    return set(
        session.scalars(select(Enrolment.program_id).where(Enrolment.employee_id == employee_id))
    )


def enrolment_counts(session: Session, program_ids: Collection[int]) -> dict[tuple[int, str], int]:
    """(program, role) → enrolments not withdrawn."""
    if not program_ids:
        return {}
    rows = session.execute(
        select(Enrolment.program_id, Enrolment.role, func.count())
        .where(
            Enrolment.program_id.in_(list(program_ids)),
            Enrolment.status.not_in(("withdrawn", "opted_out")),
        )
        .group_by(Enrolment.program_id, Enrolment.role)
    )
    return {(int(p), str(r)): int(n) for p, r, n in rows}


# Rounds and matches


def rounds(session: Session, program_id: int) -> list[MatchRound]:
    """A program's rounds, oldest first."""
    return list(
        session.scalars(
            select(MatchRound).where(MatchRound.program_id == program_id).order_by(MatchRound.id)
        )
    )


def round_by_id(session: Session, round_id: int) -> MatchRound | None:
    """The round with this id."""
    return session.get(MatchRound, round_id)


def delete_round(session: Session, row: MatchRound) -> None:
    """Delete a draft round and its proposals."""
    session.execute(delete(Match).where(Match.round_id == row.id))
    session.delete(row)
    session.flush()


def match_by_id(session: Session, match_id: int) -> Match | None:
    """The match with this id."""
    return session.get(Match, match_id)


def members_of(session: Session, match_ids: Collection[int]) -> dict[int, list[MatchMember]]:
    """Members of each match, in the order they were added."""
    found: dict[int, list[MatchMember]] = {i: [] for i in match_ids}
    if not match_ids:
        return found
    rows = session.scalars(
        select(MatchMember)
        .where(MatchMember.match_id.in_(list(match_ids)))
        .order_by(MatchMember.id)
    )
    for row in rows:
        found[row.match_id].append(row)
    return found


def matches(
    session: Session,
    program_id: int,
    *,
    round_id: int | None = None,
    statuses: Collection[str] | None = None,
    published_only: bool = False,
    of_employee: int | None = None,
) -> list[Match]:
    """A program's matches, optionally of one round, in some statuses, only from published
    rounds, or only those a person is the mentor or a member of."""
    query = select(Match).where(Match.program_id == program_id)
    if round_id is not None:
        query = query.where(Match.round_id == round_id)
    if statuses is not None:
        query = query.where(Match.status.in_(list(statuses)))
    if published_only:
        published = select(MatchRound.id).where(MatchRound.status == "published")
        query = query.where(or_(Match.round_id.is_(None), Match.round_id.in_(published)))
    if of_employee is not None:
        member = select(MatchMember.match_id).where(MatchMember.employee_id == of_employee)
        query = query.where(or_(Match.mentor_id == of_employee, Match.id.in_(member)))
    return list(session.scalars(query.order_by(Match.id)))


def live_load(session: Session, program_id: int) -> tuple[dict[int, int], set[int]]:
    """In a program's live matches: mentees per mentor, and everyone taken (members and
    mentors of a live match)."""
    rows = session.execute(
        select(
            Match.mentor_id, MatchMember.employee_id, MatchMember.answer, MatchMember.mentor_answer
        )
        .join(MatchMember, MatchMember.match_id == Match.id)
        .where(Match.program_id == program_id, Match.status.in_(LIVE_MATCH))
    )
    load: dict[int, int] = {}
    taken: set[int] = set()
    for mentor_id, member_id, answer, mentor_answer in rows:
        if answer == "declined" or mentor_answer == "declined":
            continue
        taken.add(int(member_id))
        if mentor_id is not None:
            load[int(mentor_id)] = load.get(int(mentor_id), 0) + 1
    return load, taken


def earlier_pairs(
    session: Session, mentor_ids: Collection[int], mentee_ids: Collection[int]
) -> set[tuple[int, int]]:
    """(mentor, mentee) pairs that were ever matched, in any program and status."""
    if not mentor_ids or not mentee_ids:
        return set()
    rows = session.execute(
        select(Match.mentor_id, MatchMember.employee_id)
        .join(MatchMember, MatchMember.match_id == Match.id)
        .where(Match.mentor_id.in_(list(mentor_ids)), MatchMember.employee_id.in_(list(mentee_ids)))
    )
    return {(int(a), int(b)) for a, b in rows if a is not None}


def live_matches_of_leavers(session: Session, day: date) -> list[Match]:
    """Live matches whose mentor or a member has left the company on or before `day`."""
    gone = select(Employee.id).where(Employee.left_on.is_not(None), Employee.left_on <= day)
    member = select(MatchMember.match_id).where(MatchMember.employee_id.in_(gone))
    return list(
        session.scalars(
            select(Match)
            .where(
                Match.status.in_(LIVE_MATCH),
                or_(Match.mentor_id.in_(gone), Match.id.in_(member)),
            )
            .order_by(Match.id)
        )
    )


def active_matches(session: Session, *, employee_id: int | None = None) -> list[Match]:
    """Active matches (optionally those a person is the mentor or a member of)."""
    query = select(Match).where(Match.status == "active")
    if employee_id is not None:
        member = select(MatchMember.match_id).where(MatchMember.employee_id == employee_id)
        query = query.where(or_(Match.mentor_id == employee_id, Match.id.in_(member)))
    return list(session.scalars(query.order_by(Match.id)))


def last_checkins(session: Session, match_ids: Collection[int]) -> dict[int, date]:
    """The date of each match's latest check-in."""
    if not match_ids:
        return {}
    rows = session.execute(
        select(CheckIn.match_id, func.max(CheckIn.held_on))
        .where(CheckIn.match_id.in_(list(match_ids)))
        .group_by(CheckIn.match_id)
    )
    return {int(m): d for m, d in rows}


def checkins(session: Session, match_id: int) -> list[CheckIn]:
    """A match's check-ins, latest first."""
    return list(
        session.scalars(
            select(CheckIn)
            .where(CheckIn.match_id == match_id)
            .order_by(CheckIn.held_on.desc(), CheckIn.id.desc())
        )
    )


def programs_by_ids(session: Session, ids: Collection[int]) -> dict[int, MentoringProgram]:
    """Programs by id."""
    if not ids:
        return {}
    rows = session.scalars(select(MentoringProgram).where(MentoringProgram.id.in_(list(ids))))
    return {row.id: row for row in rows}


def active_mentors_of(session: Session, employee_id: int, kinds: Sequence[str]) -> list[int]:
    """Mentors of a person's active matches in programs of some kinds, newest match first."""
    kind_programs = select(MentoringProgram.id).where(MentoringProgram.kind.in_(list(kinds)))
    rows = session.scalars(
        select(Match.mentor_id)
        .join(MatchMember, MatchMember.match_id == Match.id)
        .where(
            Match.status == "active",
            Match.program_id.in_(kind_programs),
            MatchMember.employee_id == employee_id,
            Match.mentor_id.is_not(None),
        )
        .order_by(Match.id.desc())
    )
    return [int(i) for i in rows if i is not None]
