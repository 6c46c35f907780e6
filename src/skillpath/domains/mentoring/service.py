"""Mentoring programs: set-up, enrolment, matching rounds, the relationship lifecycle,
check-ins and the link to evidence (rules in docs/mentoring.md).

Who may do what: HR administrators (`viewer.can_administer`) create, edit, open and close
programs, run and publish rounds and see every enrolment and match; everyone else sees the
programs they are eligible for or enrolled in, enrols themselves, and sees only their own
enrolments and the matches they are the mentor or a member of, once the round is published.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

import numpy as np
import scipy.sparse as sp
from babel import Locale, UnknownLocaleError
from sqlalchemy.orm import Session

from skillpath.core.clock import today as utc_today
from skillpath.core.clock import utcnow
from skillpath.core.errors import (
    ConflictError,
    ForbiddenError,
    InvalidInputError,
    NotFoundError,
    Problem,
)
from skillpath.core.levels import DEFAULT_SCALE
from skillpath.core.places import utc_offset
from skillpath.domains.evidence import capture_repository as evidence_repository
from skillpath.domains.evidence import service as evidence_service
from skillpath.domains.evidence.engine.fingerprint import evidence_fingerprint
from skillpath.domains.evidence.models import SkillEvidence
from skillpath.domains.gaps import service as gaps_service
from skillpath.domains.identity import service as identity
from skillpath.domains.identity.visibility import Viewer
from skillpath.domains.learning import paths as paths_service
from skillpath.domains.mentoring import circles_service, repository
from skillpath.domains.mentoring.engine import matching
from skillpath.domains.mentoring.models import (
    CheckIn,
    Enrolment,
    Match,
    MatchMember,
    MatchRound,
    MentoringProgram,
)
from skillpath.domains.mentoring.schemas import (
    CheckInRead,
    CompleteIn,
    EnrolIn,
    EnrolmentRead,
    MatchRead,
    MemberRead,
    OverdueRead,
    ProgramIn,
    ProgramRead,
    ProgramUpdate,
    RoundRead,
    SkillLevel,
    SkillSuggestion,
)
from skillpath.domains.people import repository as people_repository
from skillpath.domains.people.models import Employee, Location, OrgUnit, Role
from skillpath.domains.people.schemas import PersonRef
from skillpath.domains.taxonomy import repository as taxonomy_repository
from skillpath.domains.taxonomy.models import Skill
from skillpath.domains.taxonomy.schemas import SkillRef

VISIBLE_STATUSES = ("enrolling", "matching", "running")
"""Program statuses in which eligible people see a program."""
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "draft": ("enrolling", "closed"),
    "enrolling": ("matching", "running", "closed"),
    "matching": ("enrolling", "running", "closed"),
    "running": ("enrolling", "closed"),
    "closed": (),
}
"""Where HR may move a program from each status."""
ROUND_STATUSES = ("enrolling", "matching", "running")
"""Program statuses in which HR may run a matching round."""
POOL = ("enrolled", "waitlisted")
"""Enrolment statuses that enter a round."""
MENTOR_ASSESSMENT_CONFIDENCE = 0.6
"""The confidence of a mentor's assessment at completion: the source `assessment` is the most
reliable in the consolidation policy (1.0), so a mentor's word is tempered to about a
manager's rating (0.7 × 0.8)."""
CIRCLE_SIZE = (4, 6)
"""The sizes of peer coaching circles (the circles engine forms circles of 4–6)."""
MAX_LANGUAGES = 62
"""Languages become bits of a 64-bit mask."""
SUGGESTIONS = 8


def _refused(reason: str, column: str, value: object = None) -> InvalidInputError:
    shown = None if value is None else str(value)
    return InvalidInputError(
        "Some of the values sent are not valid.", [Problem(reason, column=column, value=shown)]
    )


def _name(person: Employee) -> str:
    return f"{person.first_name} {person.last_name}"


def _ref(person: Employee) -> PersonRef:
    return PersonRef(id=person.id, name=_name(person))


def _audit(
    session: Session,
    viewer: Viewer,
    *,
    action: str,
    entity_type: str,
    entity_id: int,
    summary: str,
    details: dict[str, Any] | None = None,
) -> None:
    identity.record_audit(
        session,
        actor=viewer.email,
        actor_user_id=viewer.user_id if viewer.user_id > 0 else None,
        action=f"mentoring.{action}",
        entity_type=entity_type,
        entity_id=str(entity_id),
        summary=summary,
        details=details or {},
    )


def _require_hr(viewer: Viewer) -> None:
    if not viewer.can_administer:
        raise ForbiddenError("Only HR administrators manage mentoring programs and rounds.")


def _program(session: Session, program_id: int) -> MentoringProgram:
    program = repository.program_by_id(session, program_id)
    if program is None:
        raise NotFoundError(f"No mentoring program with id {program_id}.")
    return program


# Programs


def _check_ids(
    session: Session,
    model: type[Employee | Skill | OrgUnit | Role | Location],
    ids: Sequence[int],
    column: str,
) -> list[int]:
    unique = list(dict.fromkeys(int(i) for i in ids))
    missing = set(unique) - repository.existing_ids(session, model, unique)
    if missing:
        raise _refused("names ids that do not exist", column, sorted(missing))
    return unique


def _check_rules(program: MentoringProgram) -> None:
    if program.min_group > program.max_group:
        raise _refused("must not be above max_group", "min_group", program.min_group)
    if (
        program.min_role_level is not None
        and program.max_role_level is not None
        and program.min_role_level > program.max_role_level
    ):
        raise _refused("must not be above max_role_level", "min_role_level")
    for start, end, column in (
        (program.enrol_from, program.enrol_until, "enrol_until"),
        (program.starts_on, program.ends_on, "ends_on"),
    ):
        if start is not None and end is not None and end < start:
            raise _refused("must not be before the start", column, end)
    if program.kind == "reverse" and not program.skill_ids:
        raise _refused("a reverse program names the skills it is about", "skill_ids")
    if program.kind == "group" and program.max_group < 2:
        raise _refused("a group program takes at least 2 mentees a mentor", "max_group")
    if program.kind == "circle" and not 2 <= program.min_group <= program.max_group:
        raise _refused("a circle has at least 2 peers", "min_group")


_PROGRAM_FIELDS = (
    "description",
    "objectives",
    "enrol_from",
    "enrol_until",
    "starts_on",
    "ends_on",
    "min_role_level",
    "max_role_level",
    "default_capacity",
    "min_group",
    "max_group",
    "checkin_every_days",
)


def _set_ids(session: Session, program: MentoringProgram, values: dict[str, Any]) -> None:
    models: dict[str, type[Skill | OrgUnit | Role | Location]] = {
        "skill_ids": Skill,
        "unit_ids": OrgUnit,
        "role_ids": Role,
        "location_ids": Location,
    }
    for column, model in models.items():
        if column in values and values[column] is not None:
            setattr(program, column, _check_ids(session, model, values[column], column))


def create_program(session: Session, *, viewer: Viewer, data: ProgramIn) -> ProgramRead:
    """A new program in draft (HR)."""
    _require_hr(viewer)
    name = data.name.strip()
    if repository.program_by_name(session, name) is not None:
        raise ConflictError(f"A mentoring program named {name!r} already exists.")
    program = MentoringProgram(
        name=name,
        kind=data.kind,
        status="draft",
        owner_id=viewer.user_id if viewer.user_id > 0 else None,
        **{column: getattr(data, column) for column in _PROGRAM_FIELDS},
    )
    _set_ids(session, program, data.model_dump())
    if data.kind == "circle" and not {"min_group", "max_group"} & data.model_fields_set:
        program.min_group, program.max_group = CIRCLE_SIZE
    if data.kind == "group" and "default_capacity" not in data.model_fields_set:
        program.default_capacity = program.max_group
    _check_rules(program)
    repository.add(session, program)
    _audit(
        session,
        viewer,
        action="program.create",
        entity_type="mentoring_program",
        entity_id=program.id,
        summary=f"created {program.kind} program {program.name}",
    )
    return program_read(session, viewer, program)


def update_program(
    session: Session, *, viewer: Viewer, program_id: int, data: ProgramUpdate
) -> ProgramRead:
    """Change a program's rules (HR; not once closed)."""
    _require_hr(viewer)
    program = _program(session, program_id)
    if program.status == "closed":
        raise ConflictError("A closed program cannot be changed.")
    values = data.model_dump(exclude_unset=True)
    if "name" in values and values["name"] is not None:
        name = values["name"].strip()
        other = repository.program_by_name(session, name)
        if other is not None and other.id != program.id:
            raise ConflictError(f"A mentoring program named {name!r} already exists.")
        program.name = name
    for column in _PROGRAM_FIELDS:
        if column in values:
            setattr(program, column, values[column])
    _set_ids(session, program, values)
    _check_rules(program)
    session.flush()
    _audit(
        session,
        viewer,
        action="program.update",
        entity_type="mentoring_program",
        entity_id=program.id,
        summary=f"changed {sorted(values)}",
    )
    return program_read(session, viewer, program)


def set_program_status(
    session: Session, *, viewer: Viewer, program_id: int, status: str, today: date | None = None
) -> ProgramRead:
    """Open enrolment, close it (matching), run, or close the program (HR). Closing ends every
    relationship still proposed, accepted or active (reason `program_closed`)."""
    _require_hr(viewer)
    day = today or utc_today()
    program = _program(session, program_id)
    if status not in TRANSITIONS.get(program.status, ()):
        raise ConflictError(f"A program cannot go from {program.status} to {status}.")
    program.status = status
    if status == "closed":
        for match in repository.matches(session, program.id, statuses=repository.LIVE_MATCH):
            match.status = "ended"
            match.ended_on = day
            match.end_reason = "program_closed"
        for round_ in repository.rounds(session, program.id):
            if round_.status == "draft":
                repository.delete_round(session, round_)
    session.flush()
    _audit(
        session,
        viewer,
        action="program.status",
        entity_type="mentoring_program",
        entity_id=program.id,
        summary=f"program {program.name} is now {status}",
    )
    return program_read(session, viewer, program)


def _eligible(session: Session, program: MentoringProgram, person: Employee) -> bool:
    """The program's eligibility: units (with sub-units), roles, locations, role levels."""
    if program.unit_ids and (
        person.org_unit_id is None
        or person.org_unit_id not in repository.units_under(session, program.unit_ids)
    ):
        return False
    if program.role_ids and person.role_id not in program.role_ids:
        return False
    if program.location_ids and person.location_id not in program.location_ids:
        return False
    if program.min_role_level is not None or program.max_role_level is not None:
        level = repository.role_level(session, person.role_id)
        if level is None:
            return False
        if program.min_role_level is not None and level < program.min_role_level:
            return False
        if program.max_role_level is not None and level > program.max_role_level:
            return False
    return True


def program_read(session: Session, viewer: Viewer, program: MentoringProgram) -> ProgramRead:
    """A program as the viewer sees it."""
    return _program_reads(session, viewer, [program])[0]


def _program_reads(
    session: Session, viewer: Viewer, programs: Sequence[MentoringProgram]
) -> list[ProgramRead]:
    counts = repository.enrolment_counts(session, [p.id for p in programs])
    names = taxonomy_repository.skill_names(session, {s for p in programs for s in p.skill_ids})
    me = repository.person(session, viewer.employee_id) if viewer.employee_id else None
    reads = []
    for program in programs:
        mine: list[Any] = []
        if me is not None:
            mine = [
                e.role
                for e in repository.enrolments_of(session, program.id, me.id)
                if e.status not in ("withdrawn", "opted_out")
            ]
        reads.append(
            ProgramRead(
                id=program.id,
                name=program.name,
                kind=program.kind,
                status=program.status,
                description=program.description,
                objectives=list(program.objectives),
                skills=[SkillRef(id=s, name=names.get(s, str(s))) for s in program.skill_ids],
                enrol_from=program.enrol_from,
                enrol_until=program.enrol_until,
                starts_on=program.starts_on,
                ends_on=program.ends_on,
                unit_ids=list(program.unit_ids),
                role_ids=list(program.role_ids),
                location_ids=list(program.location_ids),
                min_role_level=program.min_role_level,
                max_role_level=program.max_role_level,
                default_capacity=program.default_capacity,
                min_group=program.min_group,
                max_group=program.max_group,
                checkin_every_days=program.checkin_every_days,
                mentors=counts.get((program.id, "mentor"), 0),
                mentees=counts.get((program.id, "mentee"), 0),
                peers=counts.get((program.id, "peer"), 0),
                eligible=me is not None
                and program.status == "enrolling"
                and _eligible(session, program, me),
                my_roles=mine,
            )
        )
    return reads


def list_programs(session: Session, *, viewer: Viewer) -> list[ProgramRead]:
    """HR: every program. Others: programs open to them (enrolling, matching or running and
    eligible) and the programs they are enrolled in."""
    if viewer.can_administer:
        return _program_reads(session, viewer, repository.programs(session))
    if viewer.employee_id is None:
        return []
    me = repository.person(session, viewer.employee_id)
    if me is None:
        return []
    enrolled = repository.enrolled_program_ids(session, me.id)
    shown = [
        p
        for p in repository.programs(session, VISIBLE_STATUSES)
        if p.id in enrolled or _eligible(session, p, me)
    ]
    return _program_reads(session, viewer, shown)


def get_program(session: Session, *, viewer: Viewer, program_id: int) -> ProgramRead:
    """One program (NotFound when the viewer may not see it)."""
    program = _program(session, program_id)
    if not viewer.can_administer:
        visible = {p.id for p in list_programs(session, viewer=viewer)}
        if program.id not in visible:
            raise NotFoundError(f"No mentoring program with id {program_id}.")
    return program_read(session, viewer, program)


# Enrolment


def _enrolment_reads(session: Session, rows: Sequence[Enrolment]) -> list[EnrolmentRead]:
    ids = {r.employee_id for r in rows} | {
        r.preferred_mentor_id for r in rows if r.preferred_mentor_id is not None
    }
    persons = repository.people(session, ids)
    zones = repository.timezones(session, [r.employee_id for r in rows])
    skills = {s for r in rows for s in r.skill_ids}
    names = taxonomy_repository.skill_names(session, skills)
    held = repository.levels(session, [r.employee_id for r in rows], skills)
    reads = []
    for row in rows:
        preferred = persons.get(row.preferred_mentor_id) if row.preferred_mentor_id else None
        reads.append(
            EnrolmentRead(
                id=row.id,
                program_id=row.program_id,
                employee=_ref(persons[row.employee_id]),
                role=row.role,
                status=row.status,
                skills=[
                    SkillLevel(
                        skill=SkillRef(id=s, name=names.get(s, str(s))),
                        level=held.get((row.employee_id, s), 0.0),
                        display_level=DEFAULT_SCALE.from_latent(
                            held.get((row.employee_id, s), 0.0)
                        ),
                    )
                    for s in row.skill_ids
                ],
                goals=row.goals,
                capacity=row.capacity,
                hours_per_month=row.hours_per_month,
                languages=list(row.languages),
                timezone=zones.get(row.employee_id),
                preferred_mentor=_ref(preferred) if preferred is not None else None,
                opt_out_ids=list(row.opt_out_ids),
                enrolled_at=row.enrolled_at,
            )
        )
    return reads


def enrol(
    session: Session,
    *,
    viewer: Viewer,
    program_id: int,
    data: EnrolIn,
    today: date | None = None,
) -> EnrolmentRead:
    """Enrol the caller (HR: anyone named) as mentor, mentee or peer, or change their
    enrolment. Rules: the program is enrolling and the person eligible and employed; one role
    a program; circles take peers, other kinds mentors and mentees; mentors offer skills they
    hold (a consolidated level above 0) among the program's skills; mentees and peers want at
    least one skill, among the program's skills when it names any."""
    day = today or utc_today()
    program = _program(session, program_id)
    employee_id = data.employee_id if data.employee_id is not None else viewer.employee_id
    if employee_id is None:
        raise ForbiddenError("Only people with an employee record can enrol.")
    if employee_id != viewer.employee_id and not viewer.can_administer:
        raise ForbiddenError("You can enrol only yourself.")
    person = repository.person(session, employee_id)
    if person is None:
        raise NotFoundError(f"No person with id {employee_id}.")
    if person.left_on is not None and person.left_on <= day:
        raise ConflictError("The person has left the company.")
    if program.status != "enrolling":
        raise ConflictError("The program is not open for enrolment.")
    if program.enrol_until is not None and day > program.enrol_until:
        raise ConflictError("The enrolment window has closed.")
    if program.enrol_from is not None and day < program.enrol_from:
        raise ConflictError("The enrolment window has not opened yet.")
    if not _eligible(session, program, person):
        raise ForbiddenError("The person is not eligible for this program.")
    if (program.kind == "circle") != (data.role == "peer"):
        raise _refused(
            "circles take peers; other programs take mentors and mentees", "role", data.role
        )
    existing = repository.enrolments_of(session, program.id, person.id)
    for other in existing:
        if other.role != data.role and other.status not in ("withdrawn", "opted_out"):
            raise ConflictError(f"The person is already enrolled as {other.role}.")
    skill_ids = _check_ids(session, Skill, data.skill_ids, "skill_ids")
    if not skill_ids:
        raise _refused("name at least one skill", "skill_ids")
    if program.skill_ids:
        outside = [s for s in skill_ids if s not in program.skill_ids]
        if outside:
            raise _refused("are not skills of this program", "skill_ids", outside)
    if data.role == "mentor":
        held = repository.levels(session, [person.id], skill_ids)
        unheld = [s for s in skill_ids if held.get((person.id, s), 0.0) <= 0.0]
        if unheld:
            raise _refused(
                "has no consolidated level in these skills to offer", "skill_ids", unheld
            )
    opt_outs = _check_ids(session, Employee, data.opt_out_ids, "opt_out_ids")
    if person.id in opt_outs:
        raise _refused("must not name the person themselves", "opt_out_ids", person.id)
    preferred = data.preferred_mentor_id
    if preferred is not None:
        if data.role != "mentee":
            raise _refused("only mentees name a mentor", "preferred_mentor_id", preferred)
        if preferred == person.id or repository.person(session, preferred) is None:
            raise _refused("must name another existing person", "preferred_mentor_id", preferred)
    languages = [code.strip() for code in (data.languages or person.languages or []) if code]
    capacity = data.capacity
    if data.role == "mentor":
        default = program.max_group if program.kind == "group" else program.default_capacity
        capacity = capacity if capacity is not None else default
    else:
        capacity = 1
    row = next((e for e in existing if e.role == data.role), None)
    if row is None:
        row = Enrolment(program_id=program.id, employee_id=person.id, role=data.role)
        session.add(row)
    elif data.role == "mentee" and person.id in repository.live_load(session, program.id)[1]:
        raise ConflictError("The person is in a match of this program: end it first.")
    row.status = "enrolled"
    row.skill_ids = skill_ids
    row.goals = data.goals.strip()
    row.capacity = capacity
    row.hours_per_month = data.hours_per_month
    row.languages = languages
    row.preferred_mentor_id = preferred
    row.opt_out_ids = opt_outs
    session.flush()
    _audit(
        session,
        viewer,
        action="enrol",
        entity_type="employee",
        entity_id=person.id,
        summary=f"enrolled as {data.role} in program {program.name}",
        details={"program_id": program.id, "enrolment_id": row.id},
    )
    return _enrolment_reads(session, [row])[0]


def withdraw(session: Session, *, viewer: Viewer, enrolment_id: int) -> EnrolmentRead:
    """Withdraw an enrolment (the person or HR); a person in a live match ends it first."""
    row = repository.enrolment_by_id(session, enrolment_id)
    if row is None or (row.employee_id != viewer.employee_id and not viewer.can_administer):
        raise NotFoundError(f"No enrolment with id {enrolment_id}.")
    _, taken = repository.live_load(session, row.program_id)
    mentors_live = {
        m.mentor_id
        for m in repository.matches(session, row.program_id, statuses=repository.LIVE_MATCH)
    }
    if row.employee_id in taken or row.employee_id in mentors_live:
        raise ConflictError("The person is in a match of this program: end it first.")
    row.status = "withdrawn"
    session.flush()
    _audit(
        session,
        viewer,
        action="withdraw",
        entity_type="employee",
        entity_id=row.employee_id,
        summary=f"withdrew from program {row.program_id}",
        details={"enrolment_id": row.id},
    )
    return _enrolment_reads(session, [row])[0]


def list_enrolments(session: Session, *, viewer: Viewer, program_id: int) -> list[EnrolmentRead]:
    """HR: every enrolment of a program; others: their own."""
    program = _program(session, program_id)
    rows = repository.enrolments(session, program.id)
    if not viewer.can_administer:
        rows = [r for r in rows if r.employee_id == viewer.employee_id]
    return _enrolment_reads(session, rows)


def suggest_skills(
    session: Session, *, viewer: Viewer, program_id: int, today: date | None = None
) -> list[SkillSuggestion]:
    """Skills the caller could ask a mentor for: their largest gaps against their role, then
    the skills their open learning path still has to raise — within the program's skills when
    it names any."""
    day = today or utc_today()
    program = _program(session, program_id)
    if viewer.employee_id is None:
        return []
    found: dict[int, SkillSuggestion] = {}
    gaps = gaps_service.person_gaps(
        session, viewer=viewer, employee_id=viewer.employee_id, today=day
    )
    for line in gaps.skills:
        if line.met or (program.skill_ids and line.skill.id not in program.skill_ids):
            continue
        found.setdefault(
            line.skill.id,
            SkillSuggestion(
                skill=line.skill,
                level=line.current_level,
                source="gap",
                why=f"Your role asks for {line.target_display_level}/5, "
                f"you are at {line.current_display_level}/5",
            ),
        )
    path = paths_service.current_path(
        session, viewer=viewer, employee_id=viewer.employee_id, today=day
    )
    if path is not None:
        for month in path.months:
            for step in month.steps:
                if step.status != "planned":
                    continue
                for closure in step.closures:
                    skill = closure.skill
                    if program.skill_ids and skill.id not in program.skill_ids:
                        continue
                    found.setdefault(
                        skill.id,
                        SkillSuggestion(
                            skill=skill,
                            level=closure.from_level,
                            source="path",
                            why=f"Your learning path raises it to {closure.to_display}/5",
                        ),
                    )
    return list(found.values())[:SUGGESTIONS]


# Matching rounds


@dataclass(frozen=True)
class _Pool:
    mentees: list[Enrolment]
    mentors: list[Enrolment]
    capacity: np.ndarray
    skills: list[int]


@lru_cache(maxsize=256)
def _language_name(code: str) -> str:
    try:
        return str(Locale.parse(code.replace("-", "_")).english_name)
    except (UnknownLocaleError, ValueError, TypeError):
        return code


def _masks(rows: Sequence[Enrolment], codes: dict[str, int]) -> np.ndarray:
    masks = np.zeros(len(rows), dtype=np.int64)
    for k, row in enumerate(rows):
        for code in row.languages:
            masks[k] |= np.int64(1) << np.int64(codes[code.lower()])
    return masks


def _side(
    rows: Sequence[Enrolment],
    column: dict[int, int],
    held: dict[tuple[int, int], float],
    codes: dict[str, int],
    offsets: dict[int, float],
    capacity: np.ndarray,
    *,
    weighted: bool,
) -> matching.Side:
    r: list[int] = []
    c: list[int] = []
    w: list[float] = []
    lv: list[float] = []
    for k, row in enumerate(rows):
        ranks = [1.0 / (rank + 1) for rank in range(len(row.skill_ids))]
        total = sum(ranks)
        for rank, skill in enumerate(row.skill_ids):
            r.append(k)
            c.append(column[skill])
            w.append(ranks[rank] / total if weighted else 1.0)
            # an explicit 0 is kept: a mentee with no level is at 0, not absent
            lv.append(held.get((row.employee_id, skill), 0.0))
    shape = (len(rows), len(column))
    rows_at = np.array(r, dtype=np.int64)
    columns_at = np.array(c, dtype=np.int64)
    skills = sp.csr_matrix((np.array(w, dtype=np.float64), (rows_at, columns_at)), shape=shape)
    levels = sp.csr_matrix((np.array(lv, dtype=np.float64), (rows_at, columns_at)), shape=shape)
    return matching.Side(
        ids=np.array([row.employee_id for row in rows], dtype=np.int64),
        skills=skills,
        levels=levels,
        languages=_masks(rows, codes),
        utc_offset=np.array([offsets[row.employee_id] for row in rows], dtype=np.float64),
        capacity=capacity.astype(np.int64),
    )


def _exclusions(
    session: Session,
    program: MentoringProgram,
    mentees: Sequence[Enrolment],
    mentors: Sequence[Enrolment],
    held: dict[tuple[int, int], float],
    candidates: Sequence[tuple[int, int]],
) -> tuple[list[tuple[int, int]], dict[str, int]]:
    """Of the candidate (mentee row, mentor row) pairs — those where the mentor can teach
    something — the ones never to match, and how many each rule removed."""
    involved = {mentees[i].employee_id for i, _ in candidates} | {
        mentors[j].employee_id for _, j in candidates
    }
    chains = {
        person: {c[0] for c in people_repository.manager_chain(session, person)}
        for person in involved
    }
    earlier = repository.earlier_pairs(
        session, [m.employee_id for m in mentors], [e.employee_id for e in mentees]
    )
    excluded: list[tuple[int, int]] = []
    counts = {"reporting_line": 0, "repeat": 0, "opt_out": 0, "reverse_direction": 0}
    for i, j in candidates:
        mentee, mentor = mentees[i], mentors[j]
        a, b = mentee.employee_id, mentor.employee_id
        reason = None
        if a == b or b in chains[a] or a in chains[b]:
            reason = "reporting_line"
        elif (b, a) in earlier:
            reason = "repeat"
        elif b in mentee.opt_out_ids or a in mentor.opt_out_ids:
            reason = "opt_out"
        elif program.kind == "reverse" and any(
            held.get((b, s), 0.0) <= held.get((a, s), 0.0)
            for s in set(mentee.skill_ids) & set(mentor.skill_ids)
        ):
            # a reverse mentor must hold every shared program skill above the mentee
            reason = "reverse_direction"
        if reason is not None:
            excluded.append((i, j))
            counts[reason] += 1
    return excluded, counts


def _reasons(
    mentee: Enrolment,
    mentor: Enrolment,
    held: dict[tuple[int, int], float],
    names: dict[int, str],
    scores: matching.PairScores,
    k: int,
    offsets: dict[int, float],
) -> list[str]:
    """Plain sentences from the parts of a pair's score, from the mentee's side."""
    sentences = []
    for skill in mentee.skill_ids:
        if skill not in mentor.skill_ids:
            continue
        theirs = held.get((mentor.employee_id, skill), 0.0)
        mine = held.get((mentee.employee_id, skill), 0.0)
        if theirs > mine:
            sentences.append(
                f"Holds {names.get(skill, str(skill))} at {DEFAULT_SCALE.from_latent(theirs)}/5, "
                f"you are at {DEFAULT_SCALE.from_latent(mine)}/5"
            )
    shared = [c for c in mentee.languages if c.lower() in {x.lower() for x in mentor.languages}]
    if shared:
        sentences.append("Shares " + ", ".join(_language_name(c) for c in shared))
    apart = abs(offsets[mentee.employee_id] - offsets[mentor.employee_id])
    if apart == 0:
        sentences.append("Same time zone")
    elif scores.timezone[k] > 0:
        sentences.append(f"{apart:g} hour{'' if apart == 1 else 's'} apart")
    if scores.preference[k] > 0:
        sentences.append("You asked for them")
    return sentences


def _parts(scores: matching.PairScores, k: int) -> dict[str, float]:
    return {
        "complementarity": round(float(scores.complementarity[k]), 6),
        "goal": round(float(scores.goal[k]), 6),
        "language": round(float(scores.language[k]), 6),
        "timezone": round(float(scores.timezone[k]), 6),
        "preference": round(float(scores.preference[k]), 6),
    }


def _pool(session: Session, program: MentoringProgram, day: date) -> _Pool:
    load, taken = repository.live_load(session, program.id)
    mentor_rows = repository.enrolments(session, program.id, role="mentor", statuses=POOL)
    mentee_rows = repository.enrolments(session, program.id, role="mentee", statuses=POOL)
    persons = repository.people(session, {e.employee_id for e in [*mentor_rows, *mentee_rows]})

    def employed(e: Enrolment) -> bool:
        left = persons[e.employee_id].left_on
        return left is None or left > day

    mentees = [e for e in mentee_rows if employed(e) and e.employee_id not in taken]
    mentors = []
    capacity = []
    for e in mentor_rows:
        if not employed(e):
            continue
        if program.kind == "group":
            # one group a mentor at a time: a mentor leading a live group waits for it to end
            room = 0 if load.get(e.employee_id, 0) else min(e.capacity, program.max_group)
        else:
            room = e.capacity - load.get(e.employee_id, 0)
        if room > 0:
            mentors.append(e)
            capacity.append(room)
    skills = sorted({s for e in [*mentees, *mentors] for s in e.skill_ids})
    return _Pool(mentees, mentors, np.array(capacity, dtype=np.int64), skills)


@dataclass(frozen=True)
class RoundInputs:
    """What a round matches: the waiting mentees and the mentors with room (rows of the
    engine's sides), the admissible pairs and their scores, levels, UTC offsets and how many
    pairs each exclusion removed."""

    mentees: list[Enrolment]
    mentors: list[Enrolment]
    mentee_side: matching.Side
    mentor_side: matching.Side
    scores: matching.PairScores
    skills: list[int]
    held: dict[tuple[int, int], float]
    offsets: dict[int, float]
    excluded: dict[str, int]


def round_inputs(session: Session, program: MentoringProgram, day: date) -> RoundInputs:
    """Build the engine's inputs of a round from the enrolments (docs/mentoring.md)."""
    pool = _pool(session, program, day)
    mentees, mentors = pool.mentees, pool.mentors
    everyone = [e.employee_id for e in [*mentees, *mentors]]
    held = repository.levels(session, everyone, pool.skills)
    codes: dict[str, int] = {}
    for e in [*mentees, *mentors]:
        for code in e.languages:
            codes.setdefault(code.lower(), len(codes))
    if len(codes) > MAX_LANGUAGES:
        raise ConflictError(f"A round handles at most {MAX_LANGUAGES} languages.")
    zones = repository.timezones(session, everyone)
    offsets = {i: utc_offset(zones.get(i), day) for i in everyone}
    column = {skill: k for k, skill in enumerate(pool.skills)}
    ones = np.ones(len(mentees), dtype=np.int64)
    mentee_side = _side(mentees, column, held, codes, offsets, ones, weighted=True)
    mentor_side = _side(mentors, column, held, codes, offsets, pool.capacity, weighted=False)
    unrestricted = matching.pair_scores(mentee_side, mentor_side)
    candidates = list(zip(unrestricted.mentee.tolist(), unrestricted.mentor.tolist(), strict=True))
    excluded, counts = _exclusions(session, program, mentees, mentors, held, candidates)
    row_of_mentor = {e.employee_id: j for j, e in enumerate(mentors)}
    preferred = [
        (i, row_of_mentor[e.preferred_mentor_id])
        for i, e in enumerate(mentees)
        if e.preferred_mentor_id in row_of_mentor
    ]
    scores = matching.pair_scores(mentee_side, mentor_side, excluded=excluded, preferred=preferred)
    return RoundInputs(
        mentees, mentors, mentee_side, mentor_side, scores, pool.skills, held, offsets, counts
    )


def run_round(
    session: Session, *, viewer: Viewer, program_id: int, today: date | None = None
) -> RoundRead:
    """Run a matching round (HR): a draft of optimal proposals over the mentees waiting
    (enrolled or waitlisted, employed, not in a live match) and the mentors with room. A
    previous draft round of the program is replaced. See docs/mentoring.md, "Rounds"."""
    _require_hr(viewer)
    day = today or utc_today()
    program = _program(session, program_id)
    if program.kind == "micro":
        raise ConflictError("Micro-mentoring has no rounds: people find a mentor when needed.")
    if program.status not in ROUND_STATUSES:
        raise ConflictError(f"A round cannot run while the program is {program.status}.")
    earlier = repository.rounds(session, program.id)
    for old in earlier:
        if old.status == "draft":
            repository.delete_round(session, old)
    number = max((r.number for r in earlier), default=0) + 1
    if program.kind == "circle":
        return _run_circle_round(session, viewer, program, number, day)
    inputs = round_inputs(session, program, day)
    mentees, mentors, scores = inputs.mentees, inputs.mentors, inputs.scores
    held, offsets, excluded_counts = inputs.held, inputs.offsets, inputs.excluded
    mentee_side, mentor_side = inputs.mentee_side, inputs.mentor_side
    optimal = matching.assign(scores, mentee_side.capacity, mentor_side.capacity)
    greedy = matching.greedy_assign(scores, mentee_side.capacity, mentor_side.capacity)
    chosen: dict[int, list[int]] = {}
    for k in optimal.pairs.tolist():
        chosen.setdefault(int(scores.mentor[k]), []).append(int(k))
    dissolved: list[int] = []
    if program.kind == "group":
        for j, ks in list(chosen.items()):
            if len(ks) < program.min_group:
                dissolved.extend(int(scores.mentee[k]) for k in ks)
                del chosen[j]
    names = taxonomy_repository.skill_names(session, inputs.skills)
    round_ = MatchRound(
        program_id=program.id,
        number=number,
        status="draft",
        optimal=not dissolved,
        greedy_score=round(greedy.total, 6),
    )
    repository.add(session, round_)
    total = 0.0
    matched_rows: set[int] = set()
    for j, ks in sorted(chosen.items()):
        mentor = mentors[j]
        pairs = [(mentees[int(scores.mentee[k])], k) for k in ks]
        for _, k in pairs:
            total += float(scores.score[k])
            matched_rows.add(int(scores.mentee[k]))
        groups = [pairs] if program.kind == "group" else [[pair] for pair in pairs]
        for group in groups:
            _propose(session, program, round_, mentor, group, scores, held, names, offsets)
    waiting = [e.employee_id for i, e in enumerate(mentees) if i not in matched_rows]
    round_.total_score = round(total, 6)
    round_.matched = len(matched_rows)
    round_.waitlisted = len(waiting)
    round_.details = {
        "mentees": len(mentees),
        "mentors": len(mentors),
        "admissible_pairs": scores.size,
        "excluded": excluded_counts,
        "waitlisted_ids": waiting,
        "dissolved_groups_mentees": [mentees[i].employee_id for i in dissolved],
    }
    session.flush()
    _audit(
        session,
        viewer,
        action="round.run",
        entity_type="mentoring_program",
        entity_id=program.id,
        summary=f"round {number}: {round_.matched} matched, {round_.waitlisted} waitlisted",
        details={"round_id": round_.id},
    )
    return _round_read(round_)


def _run_circle_round(
    session: Session, viewer: Viewer, program: MentoringProgram, number: int, day: date
) -> RoundRead:
    """A circle program's round: the partition of circles_service.propose_circles, stored as
    one match a circle (no mentor), with its value as the score and its reasons."""
    proposal = circles_service.propose_circles(
        session, viewer=viewer, program_id=program.id, today=day
    )
    round_ = MatchRound(
        program_id=program.id,
        number=number,
        status="draft",
        optimal=proposal.optimal,
        gap=proposal.gap,
        greedy_score=proposal.start_value,
        total_score=proposal.value,
    )
    repository.add(session, round_)
    for circle in proposal.circles:
        match = Match(
            program_id=program.id,
            round_id=round_.id,
            mentor_id=None,
            status="proposed",
            score=circle.value,
            reasons=list(circle.reasons),
            parts={
                "value": circle.value,
                "shared": circle.shared,
                "complementary": circle.complementary,
            },
            skill_ids=sorted({g.skill.id for g in circle.shared_goals}),
        )
        repository.add(session, match)
        for member in circle.members:
            session.add(MatchMember(match_id=match.id, employee_id=member.id))
    round_.matched = sum(len(c.members) for c in proposal.circles)
    round_.waitlisted = len(proposal.waitlisted)
    round_.details = {
        "peers": proposal.peers,
        "method": proposal.method,
        "bound": proposal.bound,
        "waitlisted_ids": [p.id for p in proposal.waitlisted],
        "waitlist_reason": proposal.waitlist_reason,
        "conflicts": [[p.id for p in pair] for pair in proposal.conflicts],
    }
    session.flush()
    _audit(
        session,
        viewer,
        action="round.run",
        entity_type="mentoring_program",
        entity_id=program.id,
        summary=f"round {number}: {len(proposal.circles)} circles, {round_.waitlisted} waiting",
        details={"round_id": round_.id},
    )
    return _round_read(round_)


def _propose(
    session: Session,
    program: MentoringProgram,
    round_: MatchRound,
    mentor: Enrolment,
    group: Sequence[tuple[Enrolment, int]],
    scores: matching.PairScores,
    held: dict[tuple[int, int], float],
    names: dict[int, str],
    offsets: dict[int, float],
) -> Match:
    member_parts = {
        str(mentee.employee_id): {
            **_parts(scores, k),
            "score": round(float(scores.score[k]), 6),
            "reasons": _reasons(mentee, mentor, held, names, scores, k, offsets),
        }
        for mentee, k in group
    }
    skills = sorted({s for mentee, _ in group for s in mentee.skill_ids if s in mentor.skill_ids})
    mean = sum(float(scores.score[k]) for _, k in group) / len(group)
    reasons: list[str]
    if len(group) == 1 and program.kind != "group":
        mentee, k = group[0]
        reasons = _reasons(mentee, mentor, held, names, scores, k, offsets)
        parts: dict[str, Any] = _parts(scores, k)
    else:
        reasons = [
            f"Holds {names.get(s, str(s))} at "
            f"{DEFAULT_SCALE.from_latent(held.get((mentor.employee_id, s), 0.0))}/5"
            for s in skills
        ]
        parts = {"members": member_parts}
    match = Match(
        program_id=program.id,
        round_id=round_.id,
        mentor_id=mentor.employee_id,
        status="proposed",
        score=round(mean, 6),
        reasons=reasons,
        parts=parts if program.kind == "group" else {**parts, "members": member_parts},
        skill_ids=skills,
    )
    repository.add(session, match)
    for mentee, k in group:
        session.add(
            MatchMember(
                match_id=match.id,
                employee_id=mentee.employee_id,
                score=round(float(scores.score[k]), 6),
            )
        )
    session.flush()
    return match


def _round_read(row: MatchRound) -> RoundRead:
    return RoundRead(
        id=row.id,
        program_id=row.program_id,
        number=row.number,
        status=row.status,
        ran_at=row.ran_at,
        published_at=row.published_at,
        total_score=row.total_score,
        greedy_score=row.greedy_score,
        optimal=row.optimal,
        matched=row.matched,
        waitlisted=row.waitlisted,
        details=dict(row.details),
    )


def list_rounds(session: Session, *, viewer: Viewer, program_id: int) -> list[RoundRead]:
    """A program's rounds (HR)."""
    _require_hr(viewer)
    program = _program(session, program_id)
    return [_round_read(r) for r in repository.rounds(session, program.id)]


def publish_round(session: Session, *, viewer: Viewer, program_id: int, round_id: int) -> RoundRead:
    """Make a draft round's proposals visible to the people (HR): the matched mentees become
    `matched`, the others `waitlisted` (they enter the next round)."""
    _require_hr(viewer)
    program = _program(session, program_id)
    row = repository.round_by_id(session, round_id)
    if row is None or row.program_id != program.id:
        raise NotFoundError(f"No round with id {round_id} in this program.")
    if row.status != "draft":
        raise ConflictError("The round is already published.")
    if program.status not in ROUND_STATUSES:
        raise ConflictError(f"The program is {program.status}.")
    proposals = repository.matches(session, program.id, round_id=row.id)
    members = repository.members_of(session, [m.id for m in proposals])
    matched = {m.employee_id for found in members.values() for m in found}
    waiting = set(row.details.get("waitlisted_ids", []))
    waiting |= set(row.details.get("dissolved_groups_mentees", []))
    for enrolment in repository.enrolments(session, program.id, statuses=POOL):
        if enrolment.role == "mentor":
            continue
        if enrolment.employee_id in matched:
            enrolment.status = "matched"
        elif enrolment.employee_id in waiting:
            enrolment.status = "waitlisted"
    row.status = "published"
    row.published_at = utcnow()
    session.flush()
    _audit(
        session,
        viewer,
        action="round.publish",
        entity_type="mentoring_program",
        entity_id=program.id,
        summary=f"published round {row.number}",
        details={"round_id": row.id},
    )
    return _round_read(row)


# Matches


def _match_reads(session: Session, viewer: Viewer, rows: Sequence[Match]) -> list[MatchRead]:
    members = repository.members_of(session, [m.id for m in rows])
    ids = {m.mentor_id for m in rows if m.mentor_id is not None} | {
        x.employee_id for found in members.values() for x in found
    }
    persons = repository.people(session, ids)
    names = taxonomy_repository.skill_names(session, {s for m in rows for s in m.skill_ids})
    reads = []
    for match in rows:
        member_parts = match.parts.get("members", {})
        sees_all = viewer.can_administer or viewer.employee_id == match.mentor_id
        mentees = [
            MemberRead(
                employee=_ref(persons[x.employee_id]),
                answer=x.answer,
                mentor_answer=x.mentor_answer,
                score=x.score,
                reasons=list(member_parts.get(str(x.employee_id), {}).get("reasons", []))
                if sees_all or viewer.employee_id == x.employee_id
                else [],
                objectives_met=x.objectives_met,
            )
            for x in members[match.id]
        ]
        parts = dict(match.parts)
        if not sees_all:
            own = str(viewer.employee_id)
            parts["members"] = {k: v for k, v in member_parts.items() if k == own}
        mentor = persons.get(match.mentor_id) if match.mentor_id is not None else None
        reads.append(
            MatchRead(
                id=match.id,
                program_id=match.program_id,
                round_id=match.round_id,
                status=match.status,
                mentor=_ref(mentor) if mentor is not None else None,
                mentees=mentees,
                score=match.score,
                reasons=list(match.reasons),
                parts=parts,
                skills=[SkillRef(id=s, name=names.get(s, str(s))) for s in match.skill_ids],
                started_on=match.started_on,
                ended_on=match.ended_on,
                end_reason=match.end_reason,
                outcome=match.outcome,
            )
        )
    return reads


def list_matches(
    session: Session,
    *,
    viewer: Viewer,
    program_id: int,
    round_id: int | None = None,
) -> list[MatchRead]:
    """HR: every match of the program (drafts included; `round_id` picks a round). Others:
    the matches they are the mentor or a member of, from published rounds."""
    program = _program(session, program_id)
    if viewer.can_administer:
        rows = repository.matches(session, program.id, round_id=round_id)
    elif viewer.employee_id is None:
        rows = []
    else:
        rows = repository.matches(
            session,
            program.id,
            round_id=round_id,
            published_only=True,
            of_employee=viewer.employee_id,
        )
    return _match_reads(session, viewer, rows)


def _visible_match(
    session: Session, viewer: Viewer, match_id: int
) -> tuple[Match, list[MatchMember]]:
    match = repository.match_by_id(session, match_id)
    if match is None:
        raise NotFoundError(f"No match with id {match_id}.")
    members = repository.members_of(session, [match.id])[match.id]
    if viewer.can_administer:
        return match, members
    me = viewer.employee_id
    involved = me is not None and (
        me == match.mentor_id or any(m.employee_id == me for m in members)
    )
    if involved and match.round_id is not None:
        round_ = repository.round_by_id(session, match.round_id)
        involved = round_ is not None and round_.status == "published"
    if not involved:
        raise NotFoundError(f"No match with id {match_id}.")
    return match, members


def get_match(session: Session, *, viewer: Viewer, match_id: int) -> MatchRead:
    """One match the viewer may see."""
    match, _ = _visible_match(session, viewer, match_id)
    return _match_reads(session, viewer, [match])[0]


def _requeue(session: Session, program_id: int, employee_ids: Collection[int]) -> None:
    """Put mentees (or peers) back on the waitlist: they enter the next round."""
    if not employee_ids:
        return
    for row in repository.enrolments(session, program_id):
        if (
            row.role != "mentor"
            and row.employee_id in employee_ids
            and row.status
            in (
                "matched",
                "enrolled",
            )
        ):
            row.status = "waitlisted"


def answer_match(
    session: Session,
    *,
    viewer: Viewer,
    match_id: int,
    accept: bool,
    mentee_id: int | None = None,
    today: date | None = None,
) -> MatchRead:
    """A mentee answers for themselves; the mentor answers for every mentee (or `mentee_id`).
    When every remaining member and the mentor have accepted, the match is active from today;
    a decline frees both sides and the mentee re-enters the next round (the pair is then a
    repeat, never proposed again)."""
    day = today or utc_today()
    match, members = _visible_match(session, viewer, match_id)
    if match.status != "proposed":
        raise ConflictError(f"The match is {match.status}: it is no longer a proposal.")
    if match.round_id is not None:
        round_ = repository.round_by_id(session, match.round_id)
        if round_ is None or round_.status != "published":
            raise ConflictError("The round is not published yet.")
    me = viewer.employee_id
    declined: set[int] = set()
    if me is not None and me == match.mentor_id:
        targets = [m for m in members if mentee_id is None or m.employee_id == mentee_id]
        if not targets:
            raise _refused("is not a mentee of this match", "mentee_id", mentee_id)
        for member in targets:
            if member.answer == "declined" or member.mentor_answer == "declined":
                continue
            member.mentor_answer = "accepted" if accept else "declined"
            if not accept:
                declined.add(member.employee_id)
    else:
        mine = [m for m in members if m.employee_id == me]
        if not mine:
            raise ForbiddenError("Only the mentor and the mentees answer a proposal.")
        member = mine[0]
        if member.answer == "declined" or member.mentor_answer == "declined":
            raise ConflictError("This proposal was already declined.")
        member.answer = "accepted" if accept else "declined"
        if not accept:
            declined.add(member.employee_id)
    _requeue(session, match.program_id, declined)
    remaining = [m for m in members if m.answer != "declined" and m.mentor_answer != "declined"]
    if not remaining:
        match.status = "declined"
    elif all(
        m.answer == "accepted" and (match.mentor_id is None or m.mentor_answer == "accepted")
        for m in remaining
    ):
        match.status = "active"
        match.started_on = day
    session.flush()
    _audit(
        session,
        viewer,
        action="match.answer",
        entity_type="mentoring_match",
        entity_id=match.id,
        summary=("accepted" if accept else "declined") + f" match {match.id}",
        details={"mentee_id": mentee_id, "status": match.status},
    )
    return _match_reads(session, viewer, [match])[0]


def end_match(
    session: Session, *, viewer: Viewer, match_id: int, reason: str, today: date | None = None
) -> MatchRead:
    """End a relationship early (the mentor, a member or HR)."""
    day = today or utc_today()
    match, _ = _visible_match(session, viewer, match_id)
    if match.status not in repository.LIVE_MATCH:
        raise ConflictError(f"The match is {match.status}.")
    match.status = "ended"
    match.ended_on = day
    match.end_reason = reason.strip()[:40]
    session.flush()
    _audit(
        session,
        viewer,
        action="match.end",
        entity_type="mentoring_match",
        entity_id=match.id,
        summary=f"ended match {match.id}: {match.end_reason}",
    )
    return _match_reads(session, viewer, [match])[0]


def complete_match(
    session: Session,
    *,
    viewer: Viewer,
    match_id: int,
    data: CompleteIn,
    today: date | None = None,
) -> MatchRead:
    """Complete an active relationship with its outcome (the mentor or HR). The mentor's
    assessments of mentees who met objectives become evidence: source `assessment`, rater the
    mentor, note "Mentor assessment in program X"; their profiles are refreshed."""
    day = today or utc_today()
    match, members = _visible_match(session, viewer, match_id)
    if not (viewer.can_administer or viewer.employee_id == match.mentor_id):
        raise ForbiddenError("Only the mentor or HR completes a relationship.")
    if match.status != "active":
        raise ConflictError(f"The match is {match.status}: only active matches complete.")
    by_id = {m.employee_id: m for m in members}
    for employee_id, met in data.objectives_met.items():
        if employee_id not in by_id:
            raise _refused("is not a mentee of this match", "objectives_met", employee_id)
        if met < 0:
            raise _refused("must not be negative", "objectives_met", met)
    if data.assessments and viewer.employee_id != match.mentor_id:
        raise ForbiddenError("Only the mentor assesses the mentees.")
    for assessment in data.assessments:
        if assessment.employee_id not in by_id:
            raise _refused("is not a mentee of this match", "assessments", assessment.employee_id)
        if assessment.skill_id not in match.skill_ids:
            raise _refused("is not a skill of this match", "assessments", assessment.skill_id)
        if data.objectives_met.get(assessment.employee_id, 0) <= 0:
            raise _refused(
                "only mentees who met objectives are assessed",
                "assessments",
                assessment.employee_id,
            )
    for employee_id, met in data.objectives_met.items():
        by_id[employee_id].objectives_met = met
    match.status = "completed"
    match.ended_on = day
    match.outcome = data.outcome.strip()
    program = _program(session, match.program_id)
    now = utcnow()
    written = []
    for assessment in data.assessments:
        level = DEFAULT_SCALE.to_latent(assessment.display_level)
        note = f"Mentor assessment in program {program.name}"
        evidence = SkillEvidence(
            fingerprint=evidence_fingerprint(
                employee_id=assessment.employee_id,
                skill_id=assessment.skill_id,
                source="assessment",
                rater_id=match.mentor_id,
                level=level,
                confidence=MENTOR_ASSESSMENT_CONFIDENCE,
                observed_at=now,
                expires_on=None,
                note=note,
            ),
            employee_id=assessment.employee_id,
            skill_id=assessment.skill_id,
            source="assessment",
            rater_id=match.mentor_id,
            level=level,
            confidence=MENTOR_ASSESSMENT_CONFIDENCE,
            observed_at=now,
            note=note,
            recorded_at=now,
        )
        evidence_repository.add_evidence(session, evidence)
        written.append(evidence.id)
    if written:
        evidence_service.refresh_profiles(
            session, employee_ids=[a.employee_id for a in data.assessments], now=now
        )
    session.flush()
    _audit(
        session,
        viewer,
        action="match.complete",
        entity_type="mentoring_match",
        entity_id=match.id,
        summary=f"completed match {match.id}",
        details={"evidence_ids": written},
    )
    return _match_reads(session, viewer, [match])[0]


def end_matches_of_leavers(session: Session, day: date) -> int:
    """End live relationships whose mentor or a mentee has left the company by `day` (nightly).
    When the mentor left, the remaining mentees re-enter the next round; a group goes on while
    one of its mentees is still employed. Returns how many matches ended."""
    ended = 0
    for match in repository.live_matches_of_leavers(session, day):
        members = repository.members_of(session, [match.id])[match.id]
        ids = {m.employee_id for m in members} | (
            {match.mentor_id} if match.mentor_id is not None else set()
        )
        left = {i: p.left_on for i, p in repository.people(session, ids).items()}
        gone = {i for i, on in left.items() if on is not None and on <= day}
        staying = [m.employee_id for m in members if m.employee_id not in gone]
        if match.mentor_id is not None and match.mentor_id in gone:
            reason = "mentor_left"
            _requeue(session, match.program_id, staying)
        elif not staying:
            reason = "mentee_left"
        else:
            continue
        match.status = "ended"
        match.ended_on = day
        match.end_reason = reason
        ended += 1
    session.flush()
    return ended


# Check-ins


def _checkin_read(row: CheckIn, persons: dict[int, Employee]) -> CheckInRead:
    author = persons.get(row.author_id) if row.author_id is not None else None
    return CheckInRead(
        id=row.id,
        match_id=row.match_id,
        held_on=row.held_on,
        author=_ref(author) if author is not None else None,
        notes=row.notes,
        progress=row.progress,
        rating=row.rating,
    )


def add_checkin(
    session: Session,
    *,
    viewer: Viewer,
    match_id: int,
    held_on: date,
    notes: str = "",
    progress: float = 0.0,
    rating: int | None = None,
    today: date | None = None,
) -> CheckInRead:
    """Record a check-in of an active match (its mentor or a member): not in the future, not
    before the start; progress in [0, 1]; rating 1–5."""
    day = today or utc_today()
    match, members = _visible_match(session, viewer, match_id)
    me = viewer.employee_id
    if me is None or (me != match.mentor_id and all(m.employee_id != me for m in members)):
        raise ForbiddenError("Only the mentor and the mentees record check-ins.")
    if match.status != "active":
        raise ConflictError(f"The match is {match.status}: check-ins need an active match.")
    if held_on > day:
        raise _refused("must not be in the future", "held_on", held_on)
    if match.started_on is not None and held_on < match.started_on:
        raise _refused("must not be before the match started", "held_on", held_on)
    if not 0.0 <= progress <= 1.0:
        raise _refused("must be between 0 and 1", "progress", progress)
    if rating is not None and not 1 <= rating <= 5:
        raise _refused("must be between 1 and 5", "rating", rating)
    row = CheckIn(
        match_id=match.id,
        held_on=held_on,
        author_id=me,
        notes=notes.strip(),
        progress=progress,
        rating=rating,
    )
    repository.add(session, row)
    _audit(
        session,
        viewer,
        action="checkin",
        entity_type="mentoring_match",
        entity_id=match.id,
        summary=f"check-in on {held_on.isoformat()}",
        details={"checkin_id": row.id},
    )
    return _checkin_read(row, repository.people(session, [me]))


def list_checkins(session: Session, *, viewer: Viewer, match_id: int) -> list[CheckInRead]:
    """A match's check-ins, latest first (its members and HR)."""
    match, _ = _visible_match(session, viewer, match_id)
    rows = repository.checkins(session, match.id)
    persons = repository.people(session, {r.author_id for r in rows if r.author_id is not None})
    return [_checkin_read(r, persons) for r in rows]


@dataclass(frozen=True)
class Overdue:
    """An active match whose next check-in is past due."""

    match: Match
    program: MentoringProgram
    last_on: date
    due_on: date


def overdue_checkins(
    session: Session, day: date, *, employee_id: int | None = None
) -> list[Overdue]:
    """Active matches with no check-in within the program's `checkin_every_days` of the last
    one (or of the start): due on last + every days, overdue when `day` is after it."""
    rows = repository.active_matches(session, employee_id=employee_id)
    last = repository.last_checkins(session, [m.id for m in rows])
    programs = repository.programs_by_ids(session, {m.program_id for m in rows})
    found = []
    for match in rows:
        program = programs[match.program_id]
        since = last.get(match.id) or match.started_on
        if since is None:
            continue
        due = since + timedelta(days=program.checkin_every_days)
        if day > due:
            found.append(Overdue(match, program, since, due))
    return found


def overdue_list(
    session: Session, *, viewer: Viewer, today: date | None = None
) -> list[OverdueRead]:
    """Overdue check-ins: HR sees all, others those of their own matches."""
    day = today or utc_today()
    if viewer.can_administer:
        found = overdue_checkins(session, day)
    elif viewer.employee_id is None:
        return []
    else:
        found = overdue_checkins(session, day, employee_id=viewer.employee_id)
    members = repository.members_of(session, [o.match.id for o in found])
    ids = {o.match.mentor_id for o in found if o.match.mentor_id is not None} | {
        m.employee_id for found_members in members.values() for m in found_members
    }
    persons = repository.people(session, ids)
    return [
        OverdueRead(
            match_id=o.match.id,
            program_id=o.program.id,
            program=o.program.name,
            mentor=_ref(persons[o.match.mentor_id]) if o.match.mentor_id is not None else None,
            mentees=[_ref(persons[m.employee_id]) for m in members[o.match.id]],
            last_on=o.last_on,
            due_on=o.due_on,
            days_overdue=(day - o.due_on).days,
        )
        for o in found
    ]
