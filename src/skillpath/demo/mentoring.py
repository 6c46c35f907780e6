"""Mentoring in the demo company, set up and run through the mentoring service like a customer
would: HR creates programs, people enrol, HR runs and publishes matching rounds, people accept
or decline, pairs meet and record check-ins (docs/demo.md, "Mentoring").

Every scenario gets a one-to-one program on its skills (retail and aec: the first strategic
priority's skills; tech: story 6's "Senior developers mentor juniors" on core engineering
skills, and "Reverse mentoring on emerging technologies"), peer coaching circles for people
leaders and a micro-mentoring program. Who enrols follows from the consolidated profiles:
mentors offer the program skills they hold at the mentor threshold or above, mentees want the
program skills they are below it in (their "develop" intents first, then their role's gaps,
largest weighted gap first). Every proposal, score and reason is the matching engine's.

Dates: enrolment and the first round about ten weeks before the demo's date, answers a few days
later (so relationships have run for two months), check-ins since, and a second round a few
days ago in which the mentee who declined re-enters.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import partial

import numpy as np
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from skillpath.core.errors import SkillpathError
from skillpath.demo.scenarios import SCENARIOS
from skillpath.domains.evidence.models import EmployeeSkill, SkillIntent
from skillpath.domains.identity.models import User
from skillpath.domains.identity.service import viewer_for
from skillpath.domains.identity.visibility import Viewer
from skillpath.domains.learning import paths
from skillpath.domains.mentoring import repository as mentoring_repository
from skillpath.domains.mentoring import service
from skillpath.domains.mentoring.models import Match
from skillpath.domains.mentoring.schemas import EnrolIn, Kind, ProgramIn
from skillpath.domains.people import repository as people_repository
from skillpath.domains.people.models import Employee, Role, RoleSkill

DEMO_ACTOR = "skillpath demo"
STREAM_MENTORING = 7_001
"""The random stream of the mentoring seeding (numpy SeedSequence([seed, this]))."""
ENROLLED_DAYS_AGO = 80
ROUND_DAYS_AGO = 75
ANSWERED_DAYS_AGO = 70
SECOND_ROUND_DAYS_AGO = 5
CHECKIN_EVERY_DAYS = 30
CIRCLE_PEERS = 18
"""People leaders in the circle program (three or four circles)."""
NO_CHECKIN_SHARE = 0.15
"""Active relationships that never met since they started (they show as overdue)."""

CORE_ENGINEERING = (
    "system_design",
    "api_design",
    "python_engineering",
    "software_testing",
    "code_review",
    "secure_coding",
    "ci_cd",
    "cloud_computing",
    "observability",
    "performance_engineering",
)
"""The skills seniors pass on to juniors in the tech scenario (story 6)."""
LEADERSHIP = (
    "people_management",
    "coaching",
    "performance_management",
    "decision_making",
    "emotional_intelligence",
    "hybrid_team_management",
    "change_management",
    "stakeholder_management",
)
"""What people leaders work on in peer coaching circles."""
NOTES = (
    "Agreed the objectives and how often we meet.",
    "Went through a real piece of work together and picked two things to practise.",
    "Reviewed progress on the objectives; next step agreed.",
    "Shadowed a session and debriefed afterwards.",
    "Shared reading and a small exercise for next time.",
)


@dataclass(frozen=True)
class PairsSpec:
    """A one-to-one or reverse program of the demo and who may take each side.

    Mentors hold an offered skill at `threshold` or above; mentees want skills they are below
    it in, so every mentor of a pair is above the mentee in the pair's skills. Role levels
    bound each side (the program itself is open to the roles of `families`)."""

    name: str
    kind: Kind
    description: str
    objectives: tuple[str, ...]
    skills: tuple[str, ...]
    threshold: float
    families: tuple[str, ...] = ()
    mentor_levels: tuple[int, int] = (1, 99)
    mentee_levels: tuple[int, int] = (1, 99)
    beyond_role: bool = False
    """Mentees may want program skills outside their role's profile (their lowest first)."""
    mentors: int = 10
    mentees: int = 24
    story_employee: bool = False
    story_manager: bool = False


@dataclass
class MentoringSeeded:
    """What the demo set up."""

    programs: int = 0
    enrolments: int = 0
    matches: int = 0
    checkins: int = 0
    refused: list[str] = field(default_factory=list)


@dataclass
class _Person:
    levels: dict[int, float] = field(default_factory=dict)
    gaps: dict[int, float] = field(default_factory=dict)
    """Role-profile skills below target: importance × (target − level)."""
    develop: set[int] = field(default_factory=set)
    role_level: int = 1


def _specs(scenario: str, priority: str, priority_skills: Sequence[str]) -> list[PairsSpec]:
    if scenario == "tech":
        tech = SCENARIOS["tech"]
        return [
            PairsSpec(
                "Senior developers mentor juniors",
                "one_to_one",
                "Senior and staff engineers pass on design, review, testing and delivery craft "
                "to engineers in their first levels.",
                (
                    "Agree two skills to grow and a piece of real work to practise them on",
                    "Meet every two to four weeks",
                    "Ship that work with the mentor's review",
                ),
                CORE_ENGINEERING,
                0.7,
                families=("Engineering",),
                mentor_levels=(3, 99),
                mentee_levels=(1, 2),
                story_employee=True,
            ),
            PairsSpec(
                "Reverse mentoring on emerging technologies",
                "reverse",
                "Junior engineers, analysts and designers who already work with generative AI, "
                "vector search, MLOps, TypeScript and Kubernetes mentor senior colleagues.",
                (
                    "Try the technology on a task of the senior's own work",
                    "Meet every two to four weeks",
                    "The senior explains what they would now do differently",
                ),
                tech.emerging_skills,
                0.6,
                families=tech.emerging_families,
                mentor_levels=(1, 2),
                mentee_levels=(3, 99),
                beyond_role=True,
                mentors=8,
                mentees=20,
                story_manager=True,
            ),
        ]
    return [
        PairsSpec(
            f"{priority} mentoring",
            "one_to_one",
            f"People strong in the skills of the {priority.lower()} mentor colleagues who need "
            "them in their role.",
            (
                "Agree the skills to grow and a task of your own work to practise them on",
                "Meet every two to four weeks",
                "Close at least one gap to your role's target",
            ),
            tuple(priority_skills),
            0.7,
            story_employee=True,
        )
    ]


def _active(day: date) -> ColumnElement[bool]:
    return (Employee.left_on.is_(None)) | (Employee.left_on > day)


def _hr(session: Session, hr_email: str | None) -> Viewer:
    if hr_email is not None:
        user = session.scalar(select(User).where(User.email == hr_email))
        if user is not None:
            return viewer_for(user)
    return paths.SYSTEM


def _person(employee_id: int) -> Viewer:
    """The viewer of a generated person acting on their own record (no login of their own)."""
    return Viewer(user_id=0, email=DEMO_ACTOR, role="employee", employee_id=employee_id)


def _role_filter(
    families: Sequence[str], levels: tuple[int, int] | None = None
) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if families:
        conditions.append(Role.family.in_(list(families)))
    if levels is not None:
        conditions.append(Role.level.between(levels[0], levels[1]))
    return conditions


def _people(
    session: Session, skills: Sequence[int], families: Sequence[str], day: date
) -> dict[int, _Person]:
    """Active people of the families (all when none) with their levels, role gaps and
    "develop" intents in the skills."""
    where = [_active(day), *_role_filter(families)]
    people: dict[int, _Person] = {}
    for employee_id, role_level in session.execute(
        select(Employee.id, Role.level)
        .join(Role, Role.id == Employee.role_id)
        .where(*where)
        .order_by(Employee.id)
    ):
        people[int(employee_id)] = _Person(role_level=int(role_level))
    for employee_id, skill_id, level in session.execute(
        select(EmployeeSkill.employee_id, EmployeeSkill.skill_id, EmployeeSkill.level)
        .join(Employee, Employee.id == EmployeeSkill.employee_id)
        .join(Role, Role.id == Employee.role_id)
        .where(EmployeeSkill.skill_id.in_(list(skills)), *where)
    ):
        people[int(employee_id)].levels[int(skill_id)] = float(level)
    for employee_id, skill_id, target, importance in session.execute(
        select(Employee.id, RoleSkill.skill_id, RoleSkill.target_level, RoleSkill.importance)
        .join(RoleSkill, RoleSkill.role_id == Employee.role_id)
        .join(Role, Role.id == Employee.role_id)
        .where(RoleSkill.skill_id.in_(list(skills)), *where)
    ):
        person = people[int(employee_id)]
        gap = float(target) - person.levels.get(int(skill_id), 0.0)
        if gap > 0:
            person.gaps[int(skill_id)] = float(importance) * gap
    for employee_id, skill_id in session.execute(
        select(SkillIntent.employee_id, SkillIntent.skill_id)
        .join(Employee, Employee.id == SkillIntent.employee_id)
        .join(Role, Role.id == Employee.role_id)
        .where(SkillIntent.intent == "develop", SkillIntent.skill_id.in_(list(skills)), *where)
    ):
        people[int(employee_id)].develop.add(int(skill_id))
    return people


def _wanted(person: _Person, skills: Sequence[int], threshold: float, beyond: bool) -> list[int]:
    """A mentee's wanted skills, most important first: "develop" intents, then the role's gaps
    (largest weighted gap first), then (beyond the role) the lowest levels; only skills below the
    mentor threshold."""
    below = [s for s in skills if person.levels.get(s, 0.0) < threshold]
    ranked = [s for s in below if s in person.develop]
    ranked += sorted(
        (s for s in below if s in person.gaps and s not in ranked), key=lambda s: -person.gaps[s]
    )
    if beyond:
        ranked += sorted(
            (s for s in below if s not in ranked), key=lambda s: person.levels.get(s, 0.0)
        )
    return ranked


def _offered(person: _Person, skills: Sequence[int], threshold: float) -> list[int]:
    return [s for s in skills if person.levels.get(s, 0.0) >= threshold]


class _Seeder:
    def __init__(
        self,
        session: Session,
        hr: Viewer,
        as_of: date,
        rng: np.random.Generator,
        seeded: MentoringSeeded,
    ) -> None:
        self.session = session
        self.hr = hr
        self.as_of = as_of
        self.rng = rng
        self.seeded = seeded

    def day(self, days_ago: int) -> date:
        return self.as_of - timedelta(days=days_ago)

    def program(
        self,
        name: str,
        kind: Kind,
        description: str,
        objectives: Sequence[str],
        skills: Sequence[int],
        role_ids: Sequence[int] = (),
    ) -> int:
        """Create a program and open its enrolment."""
        program = service.create_program(
            self.session,
            viewer=self.hr,
            data=ProgramIn(
                name=name,
                kind=kind,
                description=description,
                objectives=list(objectives),
                skill_ids=list(skills),
                role_ids=list(role_ids),
                enrol_from=self.day(ENROLLED_DAYS_AGO + 14),
                enrol_until=self.as_of + timedelta(days=60),
                starts_on=self.day(ANSWERED_DAYS_AGO),
                ends_on=self.day(ANSWERED_DAYS_AGO) + timedelta(days=182),
                default_capacity=2,
                checkin_every_days=CHECKIN_EVERY_DAYS,
            ),
        )
        service.set_program_status(
            self.session,
            viewer=self.hr,
            program_id=program.id,
            status="enrolling",
            today=self.day(ENROLLED_DAYS_AGO + 14),
        )
        self.seeded.programs += 1
        return program.id

    def enrol(self, program_id: int, employee_id: int, data: EnrolIn, days_ago: int) -> bool:
        try:
            with self.session.begin_nested():
                service.enrol(
                    self.session,
                    viewer=_person(employee_id),
                    program_id=program_id,
                    data=data,
                    today=self.day(days_ago),
                )
        except SkillpathError as error:
            self.seeded.refused.append(f"enrol {employee_id}: {error.message}")
            return False
        self.seeded.enrolments += 1
        return True

    def round(self, program_id: int, days_ago: int) -> list[Match]:
        """Run and publish a round; its proposals."""
        ran = service.run_round(
            self.session, viewer=self.hr, program_id=program_id, today=self.day(days_ago)
        )
        service.publish_round(self.session, viewer=self.hr, program_id=program_id, round_id=ran.id)
        found = mentoring_repository.matches(self.session, program_id, round_id=ran.id)
        self.seeded.matches += len(found)
        return list(found)

    def answer(self, match: Match, person: int, accept: bool, days_ago: int) -> None:
        service.answer_match(
            self.session,
            viewer=_person(person),
            match_id=match.id,
            accept=accept,
            today=self.day(days_ago),
        )

    def checkins(self, match: Match, people: Sequence[int]) -> None:
        """A few check-ins since the start, every two to five weeks, rated 3–5 mostly."""
        if match.started_on is None or self.rng.random() < NO_CHECKIN_SHARE:
            return
        held = match.started_on
        progress = 0.0
        for number in range(3):
            held = held + timedelta(days=int(self.rng.integers(14, 36)))
            if held > self.as_of:
                break
            progress = min(1.0, progress + float(self.rng.uniform(0.1, 0.3)))
            rating = int(self.rng.choice([3, 4, 4, 5, 5]))
            author = people[number % len(people)]
            service.add_checkin(
                self.session,
                viewer=_person(author),
                match_id=match.id,
                held_on=held,
                notes=NOTES[number if number == 0 else int(self.rng.integers(1, len(NOTES)))],
                progress=round(progress, 2),
                rating=rating,
                today=self.as_of,
            )
            self.seeded.checkins += 1


def seed_mentoring(
    session: Session,
    *,
    scenario: str,
    seed: int,
    as_of: date,
    hr_email: str | None,
    skill_ids: dict[str, int],
    priority: tuple[str, Sequence[str]] | None,
    employee_id: int | None,
    manager_id: int | None,
) -> MentoringSeeded:
    """Programs, enrolments, published rounds, answers and check-ins (module docstring)."""
    seeded = MentoringSeeded()
    rng = np.random.default_rng([seed, STREAM_MENTORING])
    seeder = _Seeder(session, _hr(session, hr_email), as_of, rng, seeded)
    name, keys = priority if priority is not None else ("Strategic skills", ())
    specs = _specs(scenario, name, keys)
    strategic = [s for key in specs[0].skills if (s := skill_ids.get(key)) is not None]
    steps: list[tuple[str, Callable[[], None]]] = [
        *(
            (spec.name, partial(_pairs_program, seeder, spec, skill_ids, employee_id, manager_id))
            for spec in specs
        ),
        ("circles", partial(_circles, seeder, skill_ids, manager_id)),
        ("micro-mentoring", partial(_micro, seeder, strategic, manager_id)),
    ]
    for label, step in steps:
        # A program the data cannot support (e.g. a tiny company) is left out as a whole.
        try:
            with session.begin_nested():
                step()
        except SkillpathError as error:
            seeded.refused.append(f"{label}: {error.message}")
    return seeded


def _pairs_program(
    seeder: _Seeder,
    spec: PairsSpec,
    skill_ids: dict[str, int],
    employee_id: int | None,
    manager_id: int | None,
) -> None:
    session, rng = seeder.session, seeder.rng
    skills = [skill_ids[key] for key in spec.skills if key in skill_ids]
    if not skills:
        return
    day = seeder.day(ENROLLED_DAYS_AGO)
    people = _people(session, skills, spec.families, day)
    low, high = spec.mentor_levels
    mentor_pool = [
        p
        for p, person in people.items()
        if low <= person.role_level <= high and _offered(person, skills, spec.threshold)
    ]
    # The strongest first: most skills on offer, then the highest levels.
    mentor_pool.sort(
        key=lambda p: (
            -len(_offered(people[p], skills, spec.threshold)),
            -sum(people[p].levels.values()),
            p,
        )
    )
    mentors = mentor_pool[: spec.mentors]
    low, high = spec.mentee_levels
    special = [
        p
        for p, wanted in ((employee_id, spec.story_employee), (manager_id, spec.story_manager))
        if wanted and p is not None and p in people
    ]
    mentors = [p for p in mentors if p not in special]
    mentee_pool = [
        p
        for p, person in people.items()
        if low <= person.role_level <= high
        and p not in mentors
        and p not in special
        and _wanted(person, skills, spec.threshold, spec.beyond_role)
    ]
    picked = rng.permutation(len(mentee_pool))[: max(0, spec.mentees - len(special))]
    mentees = special + [mentee_pool[int(i)] for i in sorted(picked.tolist())]
    if not mentors or not mentees:
        return
    roles = (
        list(session.scalars(select(Role.id).where(*_role_filter(spec.families)).order_by(Role.id)))
        if spec.families
        else []
    )
    program_id = seeder.program(
        spec.name, spec.kind, spec.description, spec.objectives, skills, roles
    )
    for mentor in mentors:
        seeder.enrol(
            program_id,
            mentor,
            EnrolIn(
                role="mentor",
                skill_ids=_offered(people[mentor], skills, spec.threshold),
                capacity=int(rng.integers(1, 4)),
                hours_per_month=float(rng.choice([2.0, 2.0, 3.0, 4.0])),
            ),
            ENROLLED_DAYS_AGO,
        )
    for mentee in mentees:
        # Story people enrol even without a gap in the role: they want what they hold least.
        beyond = spec.beyond_role or mentee in special
        wanted = _wanted(people[mentee], skills, spec.threshold, beyond)[: int(rng.integers(2, 4))]
        if not wanted:
            continue
        preferred = (
            _preferred(session, people, mentors, wanted[0], mentee) if mentee in special else None
        )
        seeder.enrol(
            program_id,
            mentee,
            EnrolIn(
                role="mentee",
                skill_ids=wanted,
                goals="Grow in the skills my work needs next, with someone who does it well.",
                preferred_mentor_id=preferred,
            ),
            ENROLLED_DAYS_AGO,
        )
    proposals = seeder.round(program_id, ROUND_DAYS_AGO)
    service.set_program_status(
        session,
        viewer=seeder.hr,
        program_id=program_id,
        status="running",
        today=seeder.day(ANSWERED_DAYS_AGO),
    )
    members = mentoring_repository.members_of(session, [m.id for m in proposals])
    ordinary = [m for m in proposals if members[m.id][0].employee_id not in special]
    declining = ordinary[int(rng.integers(len(ordinary)))].id if len(ordinary) > 2 else None
    for match in proposals:
        mentee = members[match.id][0].employee_id
        assert match.mentor_id is not None
        answered = ANSWERED_DAYS_AGO - int(rng.integers(0, 5))
        if match.id == declining:
            seeder.answer(match, mentee, False, answered)
            continue
        seeder.answer(match, match.mentor_id, True, answered)
        if mentee == employee_id:
            continue  # the story employee has yet to answer: their proposal waits for them
        seeder.answer(match, mentee, True, answered)
        seeder.checkins(match, [match.mentor_id, mentee])
    if declining is not None:
        # The mentee who declined re-enters: a second round proposes someone else.
        seeder.round(program_id, SECOND_ROUND_DAYS_AGO)


def _preferred(
    session: Session, people: dict[int, _Person], mentors: Sequence[int], skill: int, mentee: int
) -> int | None:
    """The mentor a story person names (as SAP SuccessFactors lets mentees do): the strongest
    in their first wanted skill outside their reporting line."""
    above = {c[0] for c in people_repository.manager_chain(session, mentee)}
    options = [
        m
        for m in mentors
        if m not in above
        and mentee not in {c[0] for c in people_repository.manager_chain(session, m)}
        and people[m].levels.get(skill, 0.0) > people[mentee].levels.get(skill, 0.0)
    ]
    return max(options, key=lambda m: (people[m].levels.get(skill, 0.0), -m), default=None)


def _circles(seeder: _Seeder, skill_ids: dict[str, int], manager_id: int | None) -> None:
    """Peer coaching circles for people leaders (3–4 levels, with 3 or more reports)."""
    session, rng = seeder.session, seeder.rng
    skills = [skill_ids[key] for key in LEADERSHIP if key in skill_ids]
    if not skills:
        return
    day = seeder.day(ENROLLED_DAYS_AGO)
    reports = (
        select(Employee.manager_id)
        .where(_active(day), Employee.manager_id.isnot(None))
        .group_by(Employee.manager_id)
        .having(func.count() >= 3)
    )
    leaders = set(
        session.scalars(
            select(Employee.id)
            .join(Role, Role.id == Employee.role_id)
            .where(_active(day), Role.level.between(3, 4), Employee.id.in_(reports))
        )
    )
    people = {p: v for p, v in _people(session, skills, (), day).items() if p in leaders}
    pool = sorted(p for p in people if p != manager_id)
    picked = sorted(int(i) for i in rng.permutation(len(pool))[: CIRCLE_PEERS - 1].tolist())
    peers = ([manager_id] if manager_id in people else []) + [pool[i] for i in picked]
    if len(peers) < 4:
        return
    program_id = seeder.program(
        "Peer coaching circles for people leaders",
        "circle",
        "Circles of four to six leaders at a similar level meet monthly to work on real "
        "situations: feedback, hybrid teams, hard decisions.",
        ("Bring one real situation to each meeting", "Meet monthly for six months"),
        skills,
    )
    for peer in peers:
        levels = people[peer].levels
        wanted = sorted(skills, key=lambda s: (levels.get(s, 0.0), s))[: int(rng.integers(2, 4))]
        seeder.enrol(
            program_id,
            peer,
            EnrolIn(role="peer", skill_ids=wanted, goals="Lead my team better."),
            ENROLLED_DAYS_AGO,
        )
    circles = seeder.round(program_id, ROUND_DAYS_AGO)
    service.set_program_status(
        session,
        viewer=seeder.hr,
        program_id=program_id,
        status="running",
        today=seeder.day(ANSWERED_DAYS_AGO),
    )
    members = mentoring_repository.members_of(session, [m.id for m in circles])
    for number, circle in enumerate(circles):
        ids = [m.employee_id for m in members[circle.id]]
        # The last circle is still forming: one peer has not answered yet.
        answering = ids[:-1] if number == len(circles) - 1 and len(circles) > 1 else ids
        for peer in answering:
            seeder.answer(circle, peer, True, ANSWERED_DAYS_AGO - int(rng.integers(0, 5)))
        if answering == ids:
            seeder.checkins(circle, ids)


def _micro(seeder: _Seeder, strategic: Sequence[int], manager_id: int | None) -> None:
    """A running micro-mentoring program: the strongest holders of the strategic skills and the
    story manager offer an hour or two a month on what they know best."""
    session = seeder.session
    day = seeder.day(ENROLLED_DAYS_AGO)
    offers: list[tuple[int, list[int]]] = []
    if strategic:
        people = _people(session, strategic, (), day)
        strongest = sorted(
            (p for p in people if p != manager_id and _offered(people[p], strategic, 0.8)),
            key=lambda p: (-len(_offered(people[p], strategic, 0.8)), p),
        )
        offers = [(p, _offered(people[p], strategic, 0.8)) for p in strongest[:6]]
    if manager_id is not None:
        best = session.execute(
            select(EmployeeSkill.skill_id)
            .where(EmployeeSkill.employee_id == manager_id, EmployeeSkill.level >= 0.6)
            .order_by(EmployeeSkill.level.desc(), EmployeeSkill.skill_id)
            .limit(3)
        ).scalars()
        skills = [int(s) for s in best]
        if skills:
            offers.insert(0, (manager_id, skills))
    if not offers:
        return
    program_id = seeder.program(
        "Ask an expert: micro-mentoring",
        "micro",
        "Colleagues offer an hour or two a month for one-off questions: find someone who can "
        "help you with a skill this week.",
        ("Answer a specific question in one short session",),
        (),
    )
    for person, skills in offers:
        seeder.enrol(
            program_id,
            person,
            EnrolIn(
                role="mentor",
                skill_ids=skills,
                capacity=2,
                hours_per_month=float(seeder.rng.choice([1.0, 2.0, 2.0, 4.0])),
            ),
            ENROLLED_DAYS_AGO,
        )
    service.set_program_status(
        session,
        viewer=seeder.hr,
        program_id=program_id,
        status="running",
        today=seeder.day(ANSWERED_DAYS_AGO),
    )
