"""The learning-path service on a small known company: optimal plans (against a brute-force
enumeration of the catalog), the four modes, impossible requests explained, the lifecycle with
its permissions, completions moving profiles and gaps, re-planning, visibility, templates and
cohorts, and mentors outside the reporting line (docs/planner.md)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from skillpath.core.clock import today as utc_today
from skillpath.core.errors import ConflictError, ForbiddenError, InvalidInputError, NotFoundError
from skillpath.domains.evidence import service as evidence_service
from skillpath.domains.evidence.models import EmployeeSkill, SkillEvidence, SkillIntent
from skillpath.domains.gaps import service as gaps_service
from skillpath.domains.identity import service as identity
from skillpath.domains.identity.visibility import Viewer
from skillpath.domains.learning import paths
from skillpath.domains.learning.models import (
    Completion,
    ItemPrerequisite,
    LearningItem,
    PathStep,
)
from skillpath.domains.learning.path_schemas import (
    CohortIn,
    GoalIn,
    PathRead,
    PathRequest,
    StepRead,
    TemplateIn,
)
from skillpath.domains.mentoring.models import Match, MatchMember, MentoringProgram
from skillpath.domains.people.models import Employee, Role
from skillpath.domains.taxonomy.models import Skill
from tests.factories import (
    make_employee,
    make_evidence,
    make_item,
    make_location,
    make_role,
    make_skill,
    make_unit,
    make_user,
)

NOW = datetime.now(UTC)


@dataclass(frozen=True)
class ItemSpec:
    """A catalog item of the world, as the brute force sees it."""

    key: str
    title: str
    kind: str
    minutes: int
    cost: float
    teaches: tuple[tuple[str, float], ...]
    requires: tuple[str, ...] = ()


CATALOG = (
    ItemSpec(
        "all",
        "All-in-one Analyst Course",
        "e-learning",
        600,
        0.0,
        (("a", 0.6), ("b", 0.6), ("c", 0.4)),
    ),
    ItemSpec("a", "A Essentials", "e-learning", 120, 0.0, (("a", 0.6),)),
    ItemSpec("b_intro", "B Intro", "video", 60, 0.0, (("b", 0.2),)),
    ItemSpec("b", "B Practice", "project-based course", 150, 0.0, (("b", 0.6),), ("b_intro",)),
    ItemSpec("c", "C in Five Minutes", "microlearning", 30, 0.0, (("c", 0.4),)),
    ItemSpec("ac", "A and C Combined", "e-learning", 200, 0.0, (("a", 0.6), ("c", 0.4))),
    ItemSpec("d_basics", "D Basics", "e-learning", 240, 0.0, (("d", 0.4),)),
    ItemSpec("d_mentor", "D Mentorship", "mentorship", 180, 0.0, (("d", 0.8),), ("d_basics",)),
    ItemSpec("e", "E Paid Course", "e-learning", 120, 300.0, (("e", 0.6),)),
    ItemSpec("e_workshop", "E Workshop", "workshop", 240, 900.0, (("e", 0.6),)),
)
"""Upskilling an analyst (a 0.6, b 0.6, c 0.4) from nothing: the fewest hours take A Essentials,
B Intro, B Practice and C in Five Minutes (6 h), not the combined courses (6.8 h, 10 h)."""


@dataclass
class World:
    """The company: people, users (as viewers), skills, roles and items by short names."""

    people: dict[str, Employee] = field(default_factory=dict)
    viewers: dict[str, Viewer] = field(default_factory=dict)
    skills: dict[str, int] = field(default_factory=dict)
    roles: dict[str, Role] = field(default_factory=dict)
    items: dict[str, LearningItem] = field(default_factory=dict)

    def id(self, name: str) -> int:
        """A person's employee id."""
        return self.people[name].id


def set_level(session: Session, employee: Employee, skill_id: int, level: float) -> None:
    """A consolidated profile row written directly (for people whose profile is not rebuilt)."""
    session.add(
        EmployeeSkill(
            employee_id=employee.id,
            skill_id=skill_id,
            level=level,
            confidence=0.8,
            floor=0.0,
            evidence_count=1,
            total_weight=0.5,
            computed_at=NOW,
        )
    )
    session.flush()


@pytest.fixture
def world(session: Session) -> World:
    """boss ← manager ← pat (analyst) ← rex; manager ← peer, kim (analyst, knows a), noa (no
    role); boss ← other (a manager) ← oz. Skill d: boss, manager and rex hold it at 1.0 (all in
    Pat's line), oz at 0.85 (outside). Users: pat, peer, manager, other, hr, executive (no
    employee record)."""
    w = World()
    for key in "abcde":
        w.skills[key] = make_skill(session, f"Skill {key.upper()}").id
    skill = {key: session.get_one(Skill, sid) for key, sid in w.skills.items()}
    london = make_location(session)
    unit = make_unit(session, "Co")
    w.roles["analyst"] = make_role(
        session,
        "Analyst",
        skills=[(skill["a"], 0.6, 1.0), (skill["b"], 0.6, 0.8), (skill["c"], 0.4, 0.5)],
    )
    w.roles["lead"] = make_role(
        session, "Data Lead", skills=[(skill["d"], 0.8, 1.0), (skill["a"], 0.6, 0.5)]
    )
    w.roles["boss"] = make_role(session, "Boss")

    def person(key: str, manager: str | None, role: str | None) -> None:
        w.people[key] = make_employee(
            session,
            key.capitalize(),
            "Test",
            manager=w.people[manager] if manager else None,
            unit=unit,
            role=w.roles[role] if role else None,
            location=london,
        )

    person("boss", None, "boss")
    person("manager", "boss", "boss")
    person("pat", "manager", "analyst")
    person("rex", "pat", "analyst")
    person("peer", "manager", "analyst")
    person("kim", "manager", "analyst")
    person("noa", "manager", None)
    person("other", "boss", "boss")
    person("oz", "other", "analyst")
    for key in ("boss", "manager", "rex"):
        set_level(session, w.people[key], w.skills["d"], 1.0)
    set_level(session, w.people["oz"], w.skills["d"], 0.85)
    make_evidence(
        session,
        w.people["kim"],
        skill["a"],
        level=0.6,
        source="assessment",
        confidence=0.9,
        observed_at=NOW - timedelta(days=1),
    )
    evidence_service.refresh_profiles(session, employee_ids=[w.id("kim")])
    for spec in CATALOG:
        w.items[spec.key] = make_item(
            session,
            spec.title,
            kind=spec.kind,
            minutes=spec.minutes,
            cost=spec.cost,
            teaches=[(skill[s], level) for s, level in spec.teaches],
        )
    for spec in CATALOG:
        for required in spec.requires:
            session.add(
                ItemPrerequisite(
                    item_id=w.items[spec.key].id, required_item_id=w.items[required].id
                )
            )
    session.flush()
    for key, role in (
        ("pat", "employee"),
        ("peer", "employee"),
        ("manager", "manager"),
        ("other", "manager"),
    ):
        w.viewers[key] = identity.viewer_for(
            make_user(session, role=role, employee=w.people[key], password=None)
        )
    w.viewers["hr"] = identity.viewer_for(make_user(session, role="hr_admin", password=None))
    w.viewers["executive"] = identity.viewer_for(
        make_user(session, role="executive", password=None)
    )
    return w


def brute_force_minutes(gaps: dict[str, float], known: dict[str, float]) -> int:
    """The fewest minutes any set of catalog items (with its prerequisites) needs to reach every
    target, by enumerating every subset."""
    best: int | None = None
    for size in range(len(CATALOG) + 1):
        for chosen in itertools.combinations(CATALOG, size):
            keys = {spec.key for spec in chosen}
            if any(r not in keys for spec in chosen for r in spec.requires):
                continue
            reached = dict(known)
            for spec in chosen:
                for s, level in spec.teaches:
                    reached[s] = max(reached.get(s, 0.0), level)
            if all(reached.get(s, 0.0) >= target - 1e-9 for s, target in gaps.items()):
                minutes = sum(spec.minutes for spec in chosen)
                best = minutes if best is None else min(best, minutes)
    assert best is not None
    return best


def steps_of(read: PathRead) -> list[StepRead]:
    """Every step of a path, in plan order."""
    return [step for month in read.months for step in month.steps]


def titles(read: PathRead) -> list[str]:
    """The titles of a path's steps, in plan order."""
    return [step.item.title for step in steps_of(read)]


def step_titled(read: PathRead, title: str) -> StepRead:
    """The step of a path with this title."""
    return next(step for step in steps_of(read) if step.item.title == title)


def upskill(session: Session, w: World, who: str = "pat", viewer: str = "pat") -> PathRead:
    """A saved upskilling draft with the defaults."""
    return paths.create_path(
        session,
        viewer=w.viewers[viewer],
        employee_id=w.id(who),
        request=PathRequest(mode="upskill"),
    )


def approved_upskill(session: Session, w: World) -> PathRead:
    """Pat's upskilling path, proposed by Pat and approved by the manager."""
    draft = upskill(session, w)
    assert draft.id is not None
    paths.propose_path(session, viewer=w.viewers["pat"], path_id=draft.id)
    return paths.decide_path(session, viewer=w.viewers["manager"], path_id=draft.id, approve=True)


def field_of(error: pytest.ExceptionInfo[InvalidInputError]) -> str | None:
    """The field the first problem of a refusal names."""
    return error.value.problems[0].column


# Planning


def test_upskill_closes_the_role_gaps_with_the_fewest_hours(session: Session, world: World) -> None:
    """Against a brute-force enumeration of every item subset, and the greedy baseline."""
    read = upskill(session, world)
    assert read.status == "draft"
    assert read.optimal is True
    assert read.unreachable == []
    assert read.explanations == []
    expected = brute_force_minutes({"a": 0.6, "b": 0.6, "c": 0.4}, {})
    assert read.total_hours == pytest.approx(expected / 60)
    assert sorted(titles(read)) == sorted(
        ["A Essentials", "B Intro", "B Practice", "C in Five Minutes"]
    )
    assert read.greedy_hours is not None
    assert read.greedy_hours >= read.total_hours
    # B Intro comes before the practice that requires it, and says so.
    order = titles(read)
    assert order.index("B Intro") < order.index("B Practice")
    assert step_titled(read, "B Intro").prerequisite_for == ["B Practice"]
    assert {g.skill.id for g in read.gaps} == {world.skills[k] for k in "abc"}
    closed = {name for step in steps_of(read) for name in step.closes}
    assert closed == {"Skill A", "Skill B", "Skill C"}
    # At the default two hours a week, 6 hours take three weeks: one month.
    assert read.hours_per_week == 2.0
    assert len(read.months) == 1


def test_upskill_skips_what_the_person_already_knows(session: Session, world: World) -> None:
    """Kim holds a at 0.6: her plan leaves A out and is exactly the brute force without it."""
    read = upskill(session, world, who="kim", viewer="hr")
    assert "A Essentials" not in titles(read)
    assert {g.skill.id for g in read.gaps} == {world.skills["b"], world.skills["c"]}
    expected = brute_force_minutes({"b": 0.6, "c": 0.4}, {"a": 0.6})
    assert read.total_hours == pytest.approx(expected / 60)


def test_reskill_needs_a_target_role_and_plans_to_it(session: Session, world: World) -> None:
    with pytest.raises(InvalidInputError) as refused:
        paths.create_path(
            session,
            viewer=world.viewers["pat"],
            employee_id=world.id("pat"),
            request=PathRequest(mode="reskill"),
        )
    assert field_of(refused) == "target_role_id"
    with pytest.raises(InvalidInputError) as unknown:
        paths.create_path(
            session,
            viewer=world.viewers["pat"],
            employee_id=world.id("pat"),
            request=PathRequest(mode="reskill", target_role_id=999_999),
        )
    assert field_of(unknown) == "target_role_id"
    read = paths.create_path(
        session,
        viewer=world.viewers["pat"],
        employee_id=world.id("pat"),
        request=PathRequest(mode="reskill", target_role_id=world.roles["lead"].id),
    )
    assert read.target_role is not None
    assert read.target_role.title == "Data Lead"
    assert read.title == "Become Data Lead"
    assert read.total_hours == pytest.approx(brute_force_minutes({"d": 0.8, "a": 0.6}, {}) / 60)
    assert titles(read) == ["A Essentials", "D Basics", "D Mentorship"] or titles(read) == [
        "D Basics",
        "A Essentials",
        "D Mentorship",
    ]


def test_mentorship_step_gets_a_mentor_outside_the_reporting_line(
    session: Session, world: World
) -> None:
    """Boss, manager (above Pat) and Rex (Pat's report) hold d at 1.0; Oz (0.85) is proposed."""
    read = paths.create_path(
        session,
        viewer=world.viewers["pat"],
        employee_id=world.id("pat"),
        request=PathRequest(mode="reskill", target_role_id=world.roles["lead"].id),
    )
    step = step_titled(read, "D Mentorship")
    assert step.item.kind == "mentorship"
    assert step.stage == "mentorship"
    assert step.mentor is not None
    assert step.mentor.id == world.id("oz")
    assert step.mentor.name == "Oz Test"
    assert step.mentor.reasons
    assert step.mentor.id not in {world.id(k) for k in ("boss", "manager", "rex", "pat")}
    stored = session.get_one(PathStep, step.id)
    assert stored.mentor_id == world.id("oz")


def test_mentorship_step_prefers_the_matched_mentor(session: Session, world: World) -> None:
    """Ada (d at 1.0, outside Pat's line) outranks Oz (0.85); once Oz mentors Pat in an active
    one-to-one mentoring match, Oz is named (docs/mentoring.md, "Integration")."""
    ada = make_employee(session, "Ada", "Test", manager=world.people["other"])
    set_level(session, ada, world.skills["d"], 1.0)
    request = PathRequest(mode="reskill", target_role_id=world.roles["lead"].id)
    before = paths.preview_path(
        session, viewer=world.viewers["pat"], employee_id=world.id("pat"), request=request
    )
    first = step_titled(before.plan, "D Mentorship").mentor
    assert first is not None
    assert first.id == ada.id
    program = MentoringProgram(name="Data mentoring", kind="one_to_one", status="running")
    session.add(program)
    session.flush()
    match = Match(program_id=program.id, mentor_id=world.id("oz"), status="active")
    session.add(match)
    session.flush()
    session.add(MatchMember(match_id=match.id, employee_id=world.id("pat")))
    session.flush()
    after = paths.preview_path(
        session, viewer=world.viewers["pat"], employee_id=world.id("pat"), request=request
    )
    mentor = step_titled(after.plan, "D Mentorship").mentor
    assert mentor is not None
    assert mentor.id == world.id("oz")
    assert mentor.reasons[0] == "Your mentor in a mentoring program"


def test_wanted_plans_the_skills_marked_develop(session: Session, world: World) -> None:
    with pytest.raises(InvalidInputError) as nothing:
        paths.create_path(
            session,
            viewer=world.viewers["pat"],
            employee_id=world.id("pat"),
            request=PathRequest(mode="wanted"),
        )
    assert field_of(nothing) == "goals"
    session.add(
        SkillIntent(employee_id=world.id("pat"), skill_id=world.skills["b"], intent="develop")
    )
    session.add(SkillIntent(employee_id=world.id("pat"), skill_id=world.skills["e"], intent="have"))
    session.flush()
    read = paths.create_path(
        session,
        viewer=world.viewers["pat"],
        employee_id=world.id("pat"),
        request=PathRequest(mode="wanted"),
    )
    assert [(g.skill.id, g.target_level) for g in read.gaps] == [(world.skills["b"], 0.6)]
    assert titles(read) == ["B Intro", "B Practice"]


def test_assigned_goals_come_from_a_manager_not_the_person(session: Session, world: World) -> None:
    goals = [GoalIn(skill_id=world.skills["e"], level=0.6)]
    with pytest.raises(InvalidInputError) as refused:
        paths.create_path(
            session,
            viewer=world.viewers["pat"],
            employee_id=world.id("pat"),
            request=PathRequest(mode="assigned", goals=goals),
        )
    assert field_of(refused) == "mode"
    read = paths.create_path(
        session,
        viewer=world.viewers["manager"],
        employee_id=world.id("pat"),
        request=PathRequest(mode="assigned", goals=goals),
    )
    assert titles(read) == ["E Paid Course"]  # cheaper and shorter than the workshop
    assert read.total_cost == 300.0
    with pytest.raises(InvalidInputError) as twice:
        paths.create_path(
            session,
            viewer=world.viewers["manager"],
            employee_id=world.id("pat"),
            request=PathRequest(mode="assigned", goals=[*goals, *goals]),
        )
    assert field_of(twice) == "goals.skill_id"


@pytest.mark.parametrize(
    ("changes", "code", "constraint"),
    [
        ({"hours_per_week": 0}, "no_learning_time", "hours_per_week"),
        ({"locales": ["xx"]}, "no_item_in_locale", "locale"),
        ({"deadline": "yesterday"}, "deadline_not_after_start", "deadline"),
    ],
)
def test_impossible_constraints_are_explained(
    session: Session, world: World, changes: dict[str, object], code: str, constraint: str
) -> None:
    """A stored path with no steps and an explanation naming the constraint, not a crash."""
    values = dict(changes)
    if values.get("deadline") == "yesterday":
        values["deadline"] = utc_today() - timedelta(days=1)
    read = paths.create_path(
        session,
        viewer=world.viewers["pat"],
        employee_id=world.id("pat"),
        request=PathRequest.model_validate({"mode": "upskill", **values}),
    )
    assert read.id is not None
    assert read.solver_status == "impossible"
    assert read.months == []
    assert read.total_hours == 0
    assert len(read.gaps) == 3  # the gaps are still shown
    found = {(e.code, e.constraint) for e in read.explanations}
    assert (code, constraint) in found, found
    assert all(e.message for e in read.explanations)
    again = paths.get_path(session, viewer=world.viewers["pat"], path_id=read.id)
    assert {e.code for e in again.explanations} == {e.code for e in read.explanations}


def test_locale_nobody_teaches_in_names_the_closest_alternatives(
    session: Session, world: World
) -> None:
    read = paths.preview_path(
        session,
        viewer=world.viewers["pat"],
        employee_id=world.id("pat"),
        request=PathRequest(mode="upskill", locales=["xx"]),
    ).plan
    assert read.id is None
    assert read.status == "preview"
    assert {u.skill.id for u in read.unreachable} == {world.skills[k] for k in "abc"}
    for gap in read.unreachable:
        assert gap.reason == "excluded"
        assert gap.alternatives
        assert all("locale" in alt.excluded_by for alt in gap.alternatives)


def test_a_budget_of_zero_excludes_paid_items_with_a_reason(session: Session, world: World) -> None:
    read = paths.create_path(
        session,
        viewer=world.viewers["manager"],
        employee_id=world.id("pat"),
        request=PathRequest(
            mode="assigned", goals=[GoalIn(skill_id=world.skills["e"], level=0.6)], budget=0
        ),
    )
    assert read.months == []
    assert [u.skill.id for u in read.unreachable] == [world.skills["e"]]
    gap = read.unreachable[0]
    assert gap.reason == "excluded"
    assert {alt.item.title for alt in gap.alternatives} == {"E Paid Course", "E Workshop"}
    assert all(alt.excluded_by == ["budget"] for alt in gap.alternatives)
    assert any(e.constraint == "budget" for e in read.explanations), read.explanations
    with pytest.raises(InvalidInputError) as negative:
        paths.preview_path(
            session,
            viewer=world.viewers["pat"],
            employee_id=world.id("pat"),
            request=PathRequest(mode="upskill", budget=-1),
        )
    assert field_of(negative) == "budget"


def test_bad_requests_name_the_field(session: Session, world: World) -> None:
    for request, name in (
        (PathRequest(mode="upskill", hours_per_week=200), "hours_per_week"),
        (PathRequest(mode="upskill", avoid_kinds=["lecture"]), "avoid_kinds"),
        (PathRequest(mode="upskill", locales=[" "]), "locales"),
    ):
        with pytest.raises(InvalidInputError) as refused:
            paths.preview_path(
                session, viewer=world.viewers["pat"], employee_id=world.id("pat"), request=request
            )
        assert field_of(refused) == name
    with pytest.raises(InvalidInputError) as no_role:
        upskill(session, world, who="noa", viewer="hr")
    assert field_of(no_role) == "mode"


def test_preview_saves_nothing_and_compares_weekly_times(session: Session, world: World) -> None:
    preview = paths.preview_path(
        session,
        viewer=world.viewers["pat"],
        employee_id=world.id("pat"),
        request=PathRequest(mode="upskill", hours_per_week=1),
    )
    assert paths.paths_of(session, viewer=world.viewers["pat"], employee_id=world.id("pat")) == []
    weeks = {t.hours_per_week: t.weeks for t in preview.trade_offs}
    assert set(weeks) == {1.0, 2.0, 4.0, 8.0}
    assert weeks[1.0] > weeks[2.0] > weeks[4.0] >= weeks[8.0]
    assert all(t.total_hours == preview.plan.total_hours for t in preview.trade_offs)


# Lifecycle


def test_lifecycle_from_draft_to_completed(session: Session, world: World) -> None:
    pat, manager = world.viewers["pat"], world.viewers["manager"]
    draft = upskill(session, world)
    assert draft.id is not None
    path_id = draft.id
    assert draft.can_edit
    assert not draft.can_decide
    with pytest.raises(ForbiddenError):
        paths.decide_path(session, viewer=pat, path_id=path_id, approve=True)
    with pytest.raises(NotFoundError):
        paths.decide_path(session, viewer=world.viewers["other"], path_id=path_id, approve=True)
    with pytest.raises(ConflictError):
        paths.complete_step(
            session, viewer=pat, path_id=path_id, step_id=steps_of(draft)[0].id or 0
        )
    proposed = paths.propose_path(session, viewer=pat, path_id=path_id, note="Ready")
    assert proposed.status == "proposed"
    with pytest.raises(ConflictError):
        paths.propose_path(session, viewer=pat, path_id=path_id)
    assert [s.id for s in paths.approval_queue(session, viewer=manager)] == [path_id]
    assert paths.approval_queue(session, viewer=world.viewers["other"]) == []
    with pytest.raises(InvalidInputError) as no_note:
        paths.decide_path(session, viewer=manager, path_id=path_id, approve=False, note=" ")
    assert field_of(no_note) == "note"
    back = paths.decide_path(
        session, viewer=manager, path_id=path_id, approve=False, note="Add the C course later"
    )
    assert back.status == "draft"
    assert back.decision_note == "Add the C course later"
    paths.propose_path(session, viewer=pat, path_id=path_id)
    approved = paths.decide_path(session, viewer=manager, path_id=path_id, approve=True)
    assert approved.status == "approved"
    assert approved.decided_by == manager.email
    with pytest.raises(ConflictError):
        paths.decide_path(session, viewer=manager, path_id=path_id, approve=True)
    kinds = [e.kind for e in approved.events]
    assert kinds == ["created", "proposed", "changes_requested", "proposed", "approved"]

    hr = world.viewers["hr"]
    skill_a = world.skills["a"]
    gaps_before = gaps_service.person_gaps(session, viewer=hr, employee_id=world.id("pat"))
    a_before = next(line for line in gaps_before.skills if line.skill.id == skill_a)
    first = step_titled(approved, "A Essentials")
    assert first.id is not None
    done = paths.complete_step(session, viewer=pat, path_id=path_id, step_id=first.id, score=0.9)
    assert done.path.status == "active"
    changed = {c.skill.id: c for c in done.changed_skills}
    assert changed[skill_a].to_level > changed[skill_a].from_level
    completion = session.scalars(
        select(Completion).where(
            Completion.employee_id == world.id("pat"),
            Completion.item_id == world.items["a"].id,
        )
    ).one()
    assert completion.source == "path"
    assert completion.score == 0.9
    evidence = session.scalars(
        select(SkillEvidence).where(
            SkillEvidence.employee_id == world.id("pat"), SkillEvidence.source == "learning"
        )
    ).all()
    assert [(e.skill_id, e.item_id) for e in evidence] == [(skill_a, world.items["a"].id)]
    profile = session.scalars(
        select(EmployeeSkill).where(
            EmployeeSkill.employee_id == world.id("pat"), EmployeeSkill.skill_id == skill_a
        )
    ).one()
    assert profile.level > a_before.current_level
    gaps_after = gaps_service.person_gaps(session, viewer=hr, employee_id=world.id("pat"))
    a_after = next(line for line in gaps_after.skills if line.skill.id == skill_a)
    assert a_after.shortfall < a_before.shortfall
    assert gaps_after.total_weighted_gap < gaps_before.total_weighted_gap
    stored = session.get_one(PathStep, first.id)
    assert stored.status == "done"
    assert stored.completion_id == completion.id
    assert done.path.progress.steps_done == 1
    with pytest.raises(ConflictError):
        paths.complete_step(session, viewer=pat, path_id=path_id, step_id=first.id)
    with pytest.raises(NotFoundError):
        paths.complete_step(session, viewer=pat, path_id=path_id, step_id=999_999)

    last = done.path
    for step in steps_of(done.path):
        if step.status == "planned":
            assert step.id is not None
            last = paths.complete_step(
                session, viewer=manager, path_id=path_id, step_id=step.id
            ).path
    assert last.status == "completed"
    assert last.progress.percent == 100.0
    assert [e.kind for e in last.events][-1] == "completed"
    with pytest.raises(ConflictError):
        paths.abandon_path(session, viewer=pat, path_id=path_id)
    with pytest.raises(ConflictError):
        paths.replan_path(session, viewer=pat, path_id=path_id)
    gaps_end = gaps_service.person_gaps(session, viewer=hr, employee_id=world.id("pat"))
    assert gaps_end.skills_met == gaps_end.skills_required == 3


def test_abandon_and_start(session: Session, world: World) -> None:
    pat = world.viewers["pat"]
    draft = upskill(session, world)
    assert draft.id is not None
    with pytest.raises(ConflictError):
        paths.start_path(session, viewer=pat, path_id=draft.id)
    gone = paths.abandon_path(session, viewer=pat, path_id=draft.id, note="Not now")
    assert gone.status == "abandoned"
    assert not gone.can_edit
    assert not gone.can_decide
    with pytest.raises(ConflictError):
        paths.abandon_path(session, viewer=pat, path_id=draft.id)
    approved = approved_upskill(session, world)
    assert approved.id is not None
    # HR may approve directly from draft too; the person starts an approved path.
    started = paths.start_path(session, viewer=pat, path_id=approved.id)
    assert started.status == "active"
    current = paths.current_path(session, viewer=pat, employee_id=world.id("pat"))
    assert current is not None
    assert current.id == approved.id
    listed = paths.paths_of(session, viewer=world.viewers["manager"], employee_id=world.id("pat"))
    assert {(p.id, p.status) for p in listed} == {(draft.id, "abandoned"), (approved.id, "active")}


def test_hr_approves_but_not_their_own_path(session: Session, world: World) -> None:
    draft = upskill(session, world, who="kim", viewer="hr")
    assert draft.id is not None
    assert draft.can_decide
    read = paths.decide_path(session, viewer=world.viewers["hr"], path_id=draft.id, approve=True)
    assert read.status == "approved"


# Re-planning


def test_replan_drops_steps_learned_elsewhere_and_keeps_done_steps(
    session: Session, world: World
) -> None:
    pat = world.viewers["pat"]
    approved = approved_upskill(session, world)
    assert approved.id is not None
    assert approved.replan_reasons == []
    first = step_titled(approved, "A Essentials")
    assert first.id is not None
    paths.complete_step(session, viewer=pat, path_id=approved.id, step_id=first.id)
    # An assessment shows Pat already holds c: the C step is no longer needed.
    make_evidence(
        session,
        world.people["pat"],
        session.get_one(Skill, world.skills["c"]),
        level=0.8,
        source="assessment",
        confidence=0.9,
        observed_at=NOW - timedelta(hours=1),
    )
    evidence_service.refresh_profiles(session, employee_ids=[world.id("pat")])
    level_c = session.scalars(
        select(EmployeeSkill.level).where(
            EmployeeSkill.employee_id == world.id("pat"),
            EmployeeSkill.skill_id == world.skills["c"],
        )
    ).one()
    assert level_c >= 0.4
    read = paths.get_path(session, viewer=pat, path_id=approved.id)
    reasons = {r.code: r.message for r in read.replan_reasons}
    assert set(reasons) == {"learned_elsewhere"}
    assert "C in Five Minutes" in reasons["learned_elsewhere"]
    replanned = paths.replan_path(session, viewer=pat, path_id=approved.id)
    assert "C in Five Minutes" not in titles(replanned)
    assert step_titled(replanned, "A Essentials").status == "done"
    assert sorted(titles(replanned)) == ["A Essentials", "B Intro", "B Practice"]
    assert replanned.revision == 2
    assert replanned.replan_reasons == []
    event = replanned.events[-1]
    assert event.kind == "replanned"
    assert event.details["removed"] == ["C in Five Minutes"]
    assert event.details["added"] == []
    assert event.details["kept_done"] == 1
    assert replanned.total_hours == pytest.approx((120 + 60 + 150) / 60)


def test_replan_after_a_catalog_change(session: Session, world: World) -> None:
    pat = world.viewers["pat"]
    approved = approved_upskill(session, world)
    assert approved.id is not None
    world.items["a"].active = False
    session.flush()
    read = paths.get_path(session, viewer=pat, path_id=approved.id)
    reasons = {r.code: r.message for r in read.replan_reasons}
    assert "catalog_changed" in reasons
    assert "A Essentials" in reasons["catalog_changed"]
    replanned = paths.replan_path(session, viewer=pat, path_id=approved.id)
    assert "A Essentials" not in titles(replanned)
    # The next fewest hours: A and C Combined replaces both A Essentials and C in Five Minutes.
    assert sorted(titles(replanned)) == ["A and C Combined", "B Intro", "B Practice"]
    assert replanned.optimal
    assert replanned.events[-1].details["removed"] == ["A Essentials", "C in Five Minutes"]
    assert replanned.events[-1].details["added"] == ["A and C Combined"]
    assert not any(r.code == "catalog_changed" for r in replanned.replan_reasons)


# Visibility


def test_peers_and_unrelated_people_cannot_read_a_path(session: Session, world: World) -> None:
    read = upskill(session, world)
    assert read.id is not None
    for who in ("peer", "other"):
        with pytest.raises(NotFoundError):
            paths.get_path(session, viewer=world.viewers[who], path_id=read.id)
        with pytest.raises(NotFoundError):
            paths.paths_of(session, viewer=world.viewers[who], employee_id=world.id("pat"))
        with pytest.raises(NotFoundError):
            upskill(session, world, viewer=who)
    with pytest.raises(NotFoundError):
        paths.get_path(session, viewer=world.viewers["pat"], path_id=999_999)
    assert paths.get_path(session, viewer=world.viewers["manager"], path_id=read.id).can_decide


def test_executives_read_but_do_not_change(session: Session, world: World) -> None:
    read = upskill(session, world)
    assert read.id is not None
    executive = world.viewers["executive"]
    seen = paths.get_path(session, viewer=executive, path_id=read.id)
    assert seen.id == read.id
    assert not seen.can_edit
    assert not seen.can_decide
    step_id = steps_of(read)[0].id or 0
    for change in (
        lambda: paths.propose_path(session, viewer=executive, path_id=read.id or 0),
        lambda: paths.decide_path(session, viewer=executive, path_id=read.id or 0, approve=True),
        lambda: paths.replan_path(session, viewer=executive, path_id=read.id or 0),
        lambda: paths.abandon_path(session, viewer=executive, path_id=read.id or 0),
        lambda: paths.complete_step(
            session, viewer=executive, path_id=read.id or 0, step_id=step_id
        ),
        lambda: upskill(session, world, viewer="executive"),
    ):
        with pytest.raises(ForbiddenError):
            change()
    assert paths.get_path(session, viewer=world.viewers["pat"], path_id=read.id).status == "draft"


# Templates and cohorts


def test_templates_and_cohorts_are_for_hr(session: Session, world: World) -> None:
    manager = world.viewers["manager"]
    data = TemplateIn(name="Lead track", target_role_id=world.roles["lead"].id)
    with pytest.raises(ForbiddenError):
        paths.create_template(session, viewer=manager, data=data)
    template = paths.create_template(session, viewer=world.viewers["hr"], data=data)
    with pytest.raises(ForbiddenError):
        paths.assign_template(
            session,
            viewer=manager,
            template_id=template.id,
            data=CohortIn(name="Q1", employee_ids=[world.id("pat")]),
        )
    with pytest.raises(ConflictError):
        paths.create_template(session, viewer=world.viewers["hr"], data=data)
    with pytest.raises(InvalidInputError) as no_target:
        paths.create_template(
            session, viewer=world.viewers["hr"], data=TemplateIn(name="No target")
        )
    assert field_of(no_target) == "target_role_id"
    assert [t.name for t in paths.list_templates(session, viewer=manager)] == ["Lead track"]
    with pytest.raises(ForbiddenError):
        paths.list_templates(session, viewer=world.viewers["pat"])


def test_cohort_plans_are_personal_and_approved(session: Session, world: World) -> None:
    """Three people on the Data Lead transition; Kim already holds a, so her plan skips A."""
    hr = world.viewers["hr"]
    template = paths.create_template(
        session,
        viewer=hr,
        data=TemplateIn(name="Lead track", target_role_id=world.roles["lead"].id),
    )
    members = [world.id("pat"), world.id("peer"), world.id("kim")]
    cohort = paths.assign_template(
        session,
        viewer=hr,
        template_id=template.id,
        data=CohortIn(name="First cohort", employee_ids=members),
    )
    assert cohort.refused == []
    assert sorted(m.path.employee.id for m in cohort.members) == sorted(members)
    assert cohort.by_status == {"approved": 3}
    by_person = {m.path.employee.id: m for m in cohort.members}
    full = by_person[world.id("pat")].path.total_hours
    assert full == pytest.approx(brute_force_minutes({"d": 0.8, "a": 0.6}, {}) / 60)
    assert by_person[world.id("pat")].skipped_hours == 0
    kim = by_person[world.id("kim")]
    assert kim.path.total_hours < full
    assert kim.skipped_hours == pytest.approx(full - kim.path.total_hours)
    assert kim.skipped_hours > 0
    read = paths.get_path(session, viewer=hr, path_id=kim.path.id)
    assert "A Essentials" not in titles(read)
    assert read.template == "Lead track"
    assert read.cohort_id == cohort.id
    assert paths.list_templates(session, viewer=hr)[0].people == 3
    with pytest.raises(ForbiddenError):
        paths.cohort_progress(session, viewer=world.viewers["manager"], cohort_id=cohort.id)


def test_upskill_cohort_refuses_people_without_a_role(session: Session, world: World) -> None:
    """Noa has no role to upskill in; Kim is already on an open path (a draft)."""
    hr = world.viewers["hr"]
    upskill(session, world, who="kim", viewer="hr")
    template = paths.create_template(
        session, viewer=hr, data=TemplateIn(name="Analyst academy", mode="upskill")
    )
    cohort = paths.assign_template(
        session,
        viewer=hr,
        template_id=template.id,
        data=CohortIn(
            name="Academy", employee_ids=[world.id("pat"), world.id("noa"), world.id("kim")]
        ),
    )
    assert [m.path.employee.id for m in cohort.members] == [world.id("pat")]
    refused = sorted(cohort.refused)
    assert len(refused) == 2
    assert refused[0].startswith("Kim Test: already on an open path")
    assert refused[1].startswith("Noa Test:")
    assert "no current role" in refused[1]
    assert paths.paths_of(session, viewer=hr, employee_id=world.id("noa")) == []


def test_the_person_can_replan_a_path_their_manager_assigned(
    session: Session, world: World
) -> None:
    """Re-planning keeps the goals the manager set; it is not the person assigning goals."""
    read = paths.create_path(
        session,
        viewer=world.viewers["manager"],
        employee_id=world.id("pat"),
        request=PathRequest(mode="assigned", goals=[GoalIn(skill_id=world.skills["e"], level=0.6)]),
    )
    assert read.id is not None
    assert read.can_edit is True
    replanned = paths.replan_path(session, viewer=world.viewers["pat"], path_id=read.id)
    assert replanned.revision == 2
    assert [(g.skill.id, g.target_level) for g in replanned.gaps] == [(world.skills["e"], 0.6)]
    assert titles(replanned) == ["E Paid Course"]


def test_hr_with_an_employee_record_sees_a_teammates_path(session: Session, world: World) -> None:
    """An HR admin who is also an employee in Pat's unit (a teammate) still sees everyone's
    paths and may decide on them, as HR."""
    hr_person = make_employee(session, "Hana", "Hr", manager=world.people["boss"])
    hr_person.org_unit_id = world.people["pat"].org_unit_id
    session.flush()
    hr = identity.viewer_for(make_user(session, role="hr_admin", employee=hr_person, password=None))
    read = upskill(session, world)
    assert read.id is not None
    seen = paths.get_path(session, viewer=hr, path_id=read.id)
    assert seen.can_decide is True
    approved = paths.decide_path(session, viewer=hr, path_id=read.id, approve=True)
    assert approved.status == "approved"
