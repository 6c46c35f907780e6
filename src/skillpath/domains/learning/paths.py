"""Learning paths: from a person's gaps to an optimal month-by-month plan, its approval, progress
and re-planning (see docs/paths.md).

The planner engine (`engine/`) chooses and schedules items; this module gathers its inputs from
the database (the active catalog, the person's gaps for the mode asked, what they know and have
completed, their constraints), stores the plan as a path with steps, and runs the lifecycle:
draft → proposed → approved (by a manager or HR; or back to draft with a note) → active →
completed or abandoned. Completing a step records a completion, which becomes learning evidence,
so the person's profile and gaps move; re-planning keeps completed steps and says what changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, overload

import numpy as np
from sqlalchemy.orm import Session

from skillpath.core.clock import today as utc_today
from skillpath.core.clock import utcnow
from skillpath.core.errors import ConflictError, ForbiddenError, InvalidInputError, NotFoundError
from skillpath.core.errors import Problem as InputProblem
from skillpath.core.levels import DEFAULT_SCALE
from skillpath.domains.evidence import capture
from skillpath.domains.gaps import service as gaps_service
from skillpath.domains.identity import service as identity
from skillpath.domains.identity.visibility import Viewer
from skillpath.domains.learning import completions, mentors
from skillpath.domains.learning import paths_repository as repository
from skillpath.domains.learning.engine.greedy import greedy_plan
from skillpath.domains.learning.engine.model import (
    EPSILON,
    PEDAGOGY_STAGE,
    STAGE_NAMES,
    Constraints,
    Gaps,
    Learner,
    Plan,
)
from skillpath.domains.learning.engine.planner import plan_path
from skillpath.domains.learning.engine.schedule import add_months, month_number
from skillpath.domains.learning.models import (
    LearningPath,
    PathCohort,
    PathEvent,
    PathStep,
    PathTemplate,
)
from skillpath.domains.learning.path_schemas import (
    AlternativeRead,
    ClosureRead,
    CohortIn,
    CohortMember,
    CohortRead,
    EventRead,
    ExplanationRead,
    GapPlanned,
    GoalIn,
    ItemRef,
    MentorRead,
    MonthRead,
    PathRead,
    PathRequest,
    PathSummary,
    PlanPreview,
    Progress,
    ReplanReason,
    StepCompleted,
    StepRead,
    TemplateIn,
    TemplateRead,
    TradeOff,
    UnreachableRead,
)
from skillpath.domains.mentoring import repository as mentoring_repository
from skillpath.domains.people import repository as people_repository
from skillpath.domains.people import service as people_service
from skillpath.domains.people.schemas import EmployeeSummary, PersonRef, RoleRef
from skillpath.domains.taxonomy import repository as taxonomy_repository
from skillpath.domains.taxonomy.schemas import SkillRef

DEFAULT_HOURS_PER_WEEK = 2.0
"""The organisation's weekly learning time when a request names none ("Development Fridays")."""
TRADE_OFF_HOURS = (1.0, 2.0, 4.0, 8.0)
"""Weekly times the builder compares a request against."""
DEFAULT_WANTED_LEVEL = 0.6
"""Level a skill marked "develop" is planned to when no level is given (Intermediate, 3/5)."""
SYSTEM = Viewer(user_id=0, email="system", role="hr_admin", employee_id=None)
"""Who the nightly re-plan acts as (recorded with no user in events and the audit log)."""
OPEN_STATUSES = ("draft", "proposed", "approved", "active")
FINAL_STATUSES = ("completed", "abandoned")
MATCHED_KINDS = ("one_to_one", "reverse")
"""Mentoring programs whose active match names the mentor of a path's mentorship steps."""
REASON_TEXT = {
    "not_taught": "Nothing in the catalog teaches it to this level.",
    "excluded": "Items teach it, but your constraints exclude every one of them.",
    "over_budget_or_time": "Items teach it, but not together with the rest within the budget or "
    "deadline.",
}
MODE_TITLE = {
    "upskill": "Grow in {role}",
    "reskill": "Become {role}",
    "wanted": "Skills I want to develop",
    "assigned": "Goals set for {name}",
}


def _user_id(viewer: Viewer) -> int | None:
    """The user to record as the actor (None for the system's own actions)."""
    return viewer.user_id if viewer.user_id > 0 else None


def _display(level: float) -> int:
    return 0 if level <= EPSILON else DEFAULT_SCALE.from_latent(min(max(level, 0.0), 1.0))


def _refused(reason: str, field: str, value: object = None) -> InvalidInputError:
    shown = None if value is None else str(value)
    return InvalidInputError(
        "The learning path request is not valid.", [InputProblem(reason, column=field, value=shown)]
    )


# Who may do what


@dataclass(frozen=True)
class _Subject:
    """The person a path is for, and how the viewer relates to them."""

    summary: EmployeeSummary
    relation: str | None

    @property
    def ref(self) -> PersonRef:
        return PersonRef(
            id=self.summary.id, name=f"{self.summary.first_name} {self.summary.last_name}"
        )


def _subject(session: Session, viewer: Viewer, employee_id: int, day: date) -> _Subject:
    """The person, when the viewer may see their development data (themselves, their manager
    line, HR, executives); anyone else gets NotFoundError, as if the person were absent."""
    summary = people_service.visible_employee_summary(
        session, viewer=viewer, employee_id=employee_id, today=day
    )
    employee = repository.employee_row(session, employee_id)
    if employee is None:
        raise NotFoundError("No such person.")
    relation = capture.relation_to(session, viewer=viewer, employee=employee, today=day)
    if relation not in ("self", "manager") and viewer.sees_everyone:
        relation = "viewer"  # HR or an executive who is also the person's teammate
    if relation not in ("self", "manager", "viewer"):
        raise NotFoundError("No such person.")
    return _Subject(summary=summary, relation=relation)


def _may_edit(viewer: Viewer, subject: _Subject) -> bool:
    return subject.relation in ("self", "manager") or viewer.can_administer


def _may_decide(viewer: Viewer, subject: _Subject) -> bool:
    if viewer.employee_id is not None and viewer.employee_id == subject.summary.id:
        return False
    return subject.relation == "manager" or viewer.can_administer


def _require_edit(viewer: Viewer, subject: _Subject) -> None:
    if not _may_edit(viewer, subject):
        raise ForbiddenError("Only the person, their manager or HR can change this path.")


# Inputs of the planner


@dataclass(frozen=True)
class _Request:
    """A validated request with every default filled in."""

    mode: str
    target_role_id: int | None
    target_title: str | None
    goals: tuple[tuple[int, float], ...]
    hours_per_week: float
    start: date
    budget: float | None
    locales: tuple[str, ...]
    offline_only: bool
    avoid_kinds: tuple[str, ...]
    require_kinds: tuple[str, ...]
    deadline: date | None
    title: str

    def constraints(self, start: date | None = None) -> Constraints:
        return Constraints(
            hours_per_week=self.hours_per_week,
            start=start or self.start,
            budget=self.budget,
            locales=frozenset(self.locales) if self.locales else None,
            offline_only=self.offline_only,
            avoid_kinds=frozenset(self.avoid_kinds),
            require_kinds=frozenset(self.require_kinds),
            deadline=self.deadline,
        )


def default_locales(summary: EmployeeSummary) -> list[str]:
    """The languages a person learns in unless they say otherwise: their work location's
    locale, and English (most catalogs' language)."""
    found: list[str] = []
    if summary.location is not None and summary.location.locale:
        found.append(summary.location.locale.replace("_", "-"))
    if not any(tag.lower().split("-")[0] == "en" for tag in found):
        found.append("en")
    return found


def _kinds(values: Sequence[str], field: str) -> tuple[str, ...]:
    cleaned = tuple(sorted({value.strip() for value in values if value.strip()}))
    for kind in cleaned:
        if kind not in PEDAGOGY_STAGE:
            raise _refused(f"must be one of: {', '.join(PEDAGOGY_STAGE)}", field, kind)
    return cleaned


def _validated(
    session: Session, subject: _Subject, request: PathRequest, day: date, *, stored: bool = False
) -> _Request:
    hours = DEFAULT_HOURS_PER_WEEK if request.hours_per_week is None else request.hours_per_week
    if not 0 <= hours <= 168:
        raise _refused("must be between 0 and 168 hours a week", "hours_per_week", hours)
    if request.budget is not None and not 0 <= request.budget < float("inf"):
        raise _refused("must be a number, not negative", "budget", request.budget)
    target_role_id = request.target_role_id
    target_title: str | None = None
    if request.mode == "reskill":
        if target_role_id is None:
            raise _refused("a target role is needed to reskill", "target_role_id")
    elif request.mode == "upskill":
        if subject.summary.role is None:
            raise _refused("this person has no current role to upskill in", "mode", "upskill")
        target_role_id = None
    else:
        target_role_id = None
    if target_role_id is not None:
        target_title = repository.role_title(session, target_role_id)
        if target_title is None:
            raise _refused("no role has this id", "target_role_id", target_role_id)
    goals = _goals(session, subject, request.mode, request.goals, stored=stored)
    locales = request.locales if request.locales is not None else default_locales(subject.summary)
    locales = [tag.strip() for tag in locales if tag.strip()]
    if request.locales is not None and not locales:
        raise _refused("name at least one language, or leave it empty for the default", "locales")
    name = subject.ref.name
    role_title = target_title or (subject.summary.role.title if subject.summary.role else "")
    title = (request.title or "").strip() or MODE_TITLE[request.mode].format(
        role=role_title, name=name
    )
    return _Request(
        mode=request.mode,
        target_role_id=target_role_id,
        target_title=target_title,
        goals=goals,
        hours_per_week=float(hours),
        start=request.start or day,
        budget=request.budget,
        locales=tuple(dict.fromkeys(locales)),
        offline_only=request.offline_only,
        avoid_kinds=_kinds(request.avoid_kinds, "avoid_kinds"),
        require_kinds=_kinds(request.require_kinds, "require_kinds"),
        deadline=request.deadline,
        title=title[:300],
    )


def _goals(
    session: Session,
    subject: _Subject,
    mode: str,
    goals: Sequence[GoalIn],
    *,
    stored: bool = False,
) -> tuple[tuple[int, float], ...]:
    if mode not in ("wanted", "assigned"):
        return ()
    # Re-planning a stored path keeps the goals a manager or HR set; only new ones are refused.
    if mode == "assigned" and subject.relation == "self" and not stored:
        raise _refused("goals are assigned by a manager or HR", "mode", mode)
    chosen = [(goal.skill_id, goal.level) for goal in goals]
    if not chosen and mode == "wanted":
        levels = repository.levels_of_employee(session, subject.summary.id)
        for skill_id in repository.develop_intents(session, subject.summary.id):
            current = levels.get(skill_id, 0.0)
            chosen.append((skill_id, min(1.0, max(DEFAULT_WANTED_LEVEL, _next_level(current)))))
        if not chosen:
            raise _refused(
                "mark skills you want to develop on My skills, or name them here",
                "goals",
            )
    if not chosen:
        raise _refused("name at least one skill and level to reach", "goals")
    seen: set[int] = set()
    names = taxonomy_repository.skill_names(session, [skill for skill, _ in chosen])
    for skill_id, level in chosen:
        if skill_id not in names:
            raise _refused("no skill has this id", "goals.skill_id", skill_id)
        if skill_id in seen:
            raise _refused("a skill is named twice", "goals.skill_id", skill_id)
        if not 0 < level <= 1:
            raise _refused("must be in (0, 1]", "goals.level", level)
        seen.add(skill_id)
    return tuple(chosen)


def _next_level(current: float) -> float:
    """The next level of the 5-point scale above a latent level."""
    display = _display(current)
    return min(1.0, (display + 1) / DEFAULT_SCALE.maximum)


@dataclass(frozen=True)
class _Inputs:
    catalog: repository.CatalogArrays
    gaps: Gaps
    learner: Learner
    gap_rows: list[GapPlanned]


def _inputs(
    session: Session, viewer: Viewer, subject: _Subject, request: _Request, day: date
) -> _Inputs:
    """The planner's inputs: the catalog, the person's gaps (most important first), their
    levels and completed items."""
    catalog = repository.load_catalog(session)
    levels = repository.levels_of_employee(session, subject.summary.id)
    rows: list[tuple[int, float, float]] = []
    if request.mode in ("upskill", "reskill"):
        person = gaps_service.person_gaps(
            session,
            viewer=viewer,
            employee_id=subject.summary.id,
            target_role_id=request.target_role_id,
            today=day,
        )
        rows = [
            (line.skill.id, line.target_level, line.current_level)
            for line in person.skills
            if not line.met and line.target_level > 0
        ]
    else:
        rows = [(skill, level, levels.get(skill, 0.0)) for skill, level in request.goals]
    names = taxonomy_repository.skill_names(session, [skill for skill, _, _ in rows])
    gap_rows = [
        GapPlanned(
            skill=SkillRef(id=skill, name=names.get(skill, str(skill))),
            current_level=current,
            target_level=target,
            current_display=_display(current),
            target_display=_display(target),
        )
        for skill, target, current in rows
    ]
    position = catalog.position_of()
    completed = sorted(
        position[item]
        for item in repository.completed_items(session, subject.summary.id)
        if item in position
    )
    skills = sorted(levels)
    return _Inputs(
        catalog=catalog,
        gaps=Gaps(
            skill=np.array([skill for skill, _, _ in rows], dtype=np.int64),
            target=np.array([min(target, 1.0) for _, target, _ in rows], dtype=np.float64),
            current=np.array([min(max(c, 0.0), 1.0) for _, _, c in rows], dtype=np.float64),
        ),
        learner=Learner(
            skill=np.array(skills, dtype=np.int64),
            level=np.array([min(max(levels[s], 0.0), 1.0) for s in skills], dtype=np.float64),
            completed=np.array(completed, dtype=np.int64),
        ),
        gap_rows=gap_rows,
    )


# From a plan to steps and reads


def _closure_read(
    skill: int, names: dict[int, str], start: float, end: float, target: float
) -> ClosureRead:
    return ClosureRead(
        skill=SkillRef(id=skill, name=names.get(skill, str(skill))),
        from_level=start,
        to_level=end,
        target_level=target,
        from_display=_display(start),
        to_display=_display(end),
        target_display=_display(target),
        reaches_target=end >= target - EPSILON,
    )


def _step_rows(
    plan: Plan, arrays: repository.CatalogArrays, names: dict[int, str], path_start: date
) -> list[dict[str, Any]]:
    """The plan's steps as path-step values (months counted from the path's start)."""
    titles = {k: arrays.titles[k] for k in plan.items}
    rows = []
    for step in plan.steps:
        rows.append(
            {
                "item_id": int(arrays.item_ids[step.item]),
                "title": titles[step.item],
                "kind": step.kind,
                "stage": step.stage,
                "minutes": step.minutes,
                "cost": step.cost,
                "month": month_number(path_start, step.start_date),
                "end_month": month_number(path_start, step.end_date - timedelta(days=6)),
                "start_on": step.start_date,
                "end_on": step.end_date,
                "closes": [
                    {
                        "skill_id": closure.skill,
                        "skill": names.get(closure.skill, str(closure.skill)),
                        "from": closure.from_level,
                        "to": closure.to_level,
                        "target": closure.target,
                    }
                    for closure in step.closes
                ],
                "prerequisite_for": [
                    int(arrays.item_ids[other]) for other in step.prerequisite_for
                ],
            }
        )
    return rows


def _unreachable_rows(
    plan: Plan, arrays: repository.CatalogArrays, names: dict[int, str]
) -> list[dict[str, object]]:
    return [
        {
            "skill_id": gap.skill,
            "skill": names.get(gap.skill, str(gap.skill)),
            "current": gap.current,
            "target": gap.target,
            "reason": gap.reason,
            "best_level": gap.best_level,
            "alternatives": [
                {
                    "item_id": int(arrays.item_ids[alt.item]),
                    "title": arrays.titles[alt.item],
                    "kind": arrays.catalog.kind[alt.item],
                    "level": alt.level,
                    "excluded_by": list(alt.excluded_by),
                }
                for alt in gap.alternatives
            ],
        }
        for gap in plan.unreachable
    ]


def _explanation_rows(plan: Plan) -> list[dict[str, object]]:
    return [
        {
            "code": found.code,
            "message": found.message,
            "constraint": found.constraint,
            "needed": found.needed,
            "available": found.available,
        }
        for found in plan.explanations
    ]


@dataclass
class _Planned:
    """A computed plan with everything a path stores."""

    request: _Request
    plan: Plan
    greedy_minutes: int | None
    steps: list[dict[str, Any]]
    unreachable: list[dict[str, object]]
    explanations: list[dict[str, object]]
    gap_rows: list[GapPlanned]
    currency: str


def _compute(
    session: Session,
    viewer: Viewer,
    subject: _Subject,
    request: _Request,
    day: date,
    *,
    schedule_from: date | None = None,
    path_start: date | None = None,
) -> _Planned:
    inputs = _inputs(session, viewer, subject, request, day)
    constraints = request.constraints(schedule_from)
    plan = plan_path(inputs.catalog.catalog, inputs.gaps, inputs.learner, constraints)
    greedy_minutes: int | None = None
    if plan.steps:
        greedy_minutes = greedy_plan(
            inputs.catalog.catalog, inputs.gaps, inputs.learner, constraints
        ).total_minutes
    skills = {row.skill.id for row in inputs.gap_rows}
    for step in plan.steps:
        skills.update(closure.skill for closure in step.closes)
    names = taxonomy_repository.skill_names(session, skills)
    rows = _step_rows(plan, inputs.catalog, names, path_start or request.start)
    _propose_mentors(
        session, subject.summary.id, rows, day, [row.skill.id for row in inputs.gap_rows]
    )
    return _Planned(
        request=request,
        plan=plan,
        greedy_minutes=greedy_minutes,
        steps=rows,
        unreachable=_unreachable_rows(plan, inputs.catalog, names),
        explanations=_explanation_rows(plan),
        gap_rows=inputs.gap_rows,
        currency=inputs.catalog.currency,
    )


def _why(kind: str, closures: Sequence[ClosureRead], needed_by: Sequence[str]) -> str:
    parts = []
    for closure in closures:
        reach = (
            "reaching the target"
            if closure.reaches_target
            else f"on the way to {closure.target_display}/5"
        )
        parts.append(
            f"{closure.skill.name} {closure.from_display}/5 → {closure.to_display}/5 ({reach})"
        )
    text = "Raises " + "; ".join(parts) if parts else "Needed by a later step"
    if needed_by:
        text += ". Needed before " + ", ".join(needed_by)
    if kind == "mentorship":
        text += ". Learn from a colleague who holds these skills"
    return text + "."


def _step_read(
    row: dict[str, Any] | PathStep,
    *,
    position: int,
    titles: dict[int, str],
    today: date,
    mentors: dict[int, str],
    tracking: bool,
) -> StepRead:
    if isinstance(row, PathStep):
        values: dict[str, Any] = {
            "id": row.id,
            "item_id": row.item_id,
            "title": row.title,
            "kind": row.kind,
            "stage": row.stage,
            "minutes": row.minutes,
            "cost": row.cost,
            "month": row.month,
            "end_month": row.end_month,
            "start_on": row.start_on,
            "end_on": row.end_on,
            "closes": row.closes,
            "prerequisite_for": row.prerequisite_for,
            "status": row.status,
            "completed_at": row.completed_at,
            "mentor_id": row.mentor_id,
            "mentor_reason": row.mentor_reason,
        }
    else:
        values = dict(row)
    closures = [
        ClosureRead(
            skill=SkillRef(id=int(c["skill_id"]), name=str(c["skill"])),
            from_level=float(c["from"]),
            to_level=float(c["to"]),
            target_level=float(c["target"]),
            from_display=_display(float(c["from"])),
            to_display=_display(float(c["to"])),
            target_display=_display(float(c["target"])),
            reaches_target=float(c["to"]) >= float(c["target"]) - EPSILON,
        )
        for c in values["closes"]
    ]
    needed_by = [titles.get(int(item), str(item)) for item in values["prerequisite_for"]]
    status = values.get("status", "planned")
    mentor = None
    mentor_id = values.get("mentor_id")
    if mentor_id is not None:
        mentor = MentorRead(
            id=int(mentor_id),
            name=mentors.get(int(mentor_id), str(mentor_id)),
            reasons=[line for line in str(values.get("mentor_reason", "")).split("\n") if line],
        )
    return StepRead(
        id=values.get("id"),
        position=position,
        item=ItemRef(id=values["item_id"], title=values["title"], kind=values["kind"]),
        stage=STAGE_NAMES[int(values["stage"])],
        hours=values["minutes"] / 60,
        cost=float(values["cost"]),
        month=int(values["month"]),
        end_month=int(values["end_month"]),
        start=values["start_on"],
        end=values["end_on"],
        closes=[closure.skill.name for closure in closures],
        closures=closures,
        prerequisite_for=needed_by,
        status=status,
        completed_at=values.get("completed_at"),
        overdue=tracking and status == "planned" and values["end_on"] < today,
        mentor=mentor,
        why=_why(values["kind"], closures, needed_by),
    )


def _months_read(path_start: date, steps: Sequence[StepRead]) -> list[MonthRead]:
    if not steps:
        return []
    last = max(step.end_month for step in steps)
    months = []
    for number in range(1, last + 1):
        starting = [step for step in steps if step.month == number]
        months.append(
            MonthRead(
                month=number,
                start=add_months(path_start, number - 1),
                end=add_months(path_start, number) - timedelta(days=1),
                hours=_hours_in_month(path_start, number, steps),
                steps=starting,
                continuing=[
                    step.item.title for step in steps if step.month < number <= step.end_month
                ],
            )
        )
    return months


def _hours_in_month(path_start: date, number: int, steps: Sequence[StepRead]) -> float:
    """Planned hours falling in a month, each step's hours spread evenly over its weeks."""
    total = 0.0
    for step in steps:
        weeks = max(1, ((step.end - step.start).days + 1) // 7)
        share = step.hours / weeks
        for week in range(weeks):
            day = step.start + timedelta(days=7 * week)
            if month_number(path_start, day) == number:
                total += share
    return round(total, 2)


def _progress(steps: Sequence[StepRead], today: date, tracking: bool) -> Progress:
    done = [step for step in steps if step.status == "done"]
    total_hours = sum(step.hours for step in steps)
    done_hours = sum(step.hours for step in done)
    behind = 0
    if tracking:
        late = [step for step in steps if step.status == "planned" and step.end < today]
        if late:
            behind = max(0, (today - min(step.end for step in late)).days // 7)
    return Progress(
        steps_done=len(done),
        steps_total=len(steps),
        hours_done=round(done_hours, 2),
        hours_total=round(total_hours, 2),
        percent=round(100 * done_hours / total_hours, 1) if total_hours else 0.0,
        behind_weeks=behind,
    )


def _unreachable_read(rows: Sequence[dict[str, Any]]) -> list[UnreachableRead]:
    found = []
    for row in rows:
        alternatives = [
            AlternativeRead(
                item=ItemRef(id=alt["item_id"], title=alt["title"], kind=alt["kind"]),
                level=alt["level"],
                display_level=_display(alt["level"]),
                excluded_by=list(alt["excluded_by"]),
            )
            for alt in row["alternatives"]
        ]
        found.append(
            UnreachableRead(
                skill=SkillRef(id=int(row["skill_id"]), name=str(row["skill"])),
                current_level=float(row["current"]),
                target_level=float(row["target"]),
                reason=str(row["reason"]),
                best_level=float(row["best_level"]),
                alternatives=alternatives,
                explanation=REASON_TEXT.get(str(row["reason"]), str(row["reason"])),
            )
        )
    return found


def _read(
    session: Session,
    *,
    viewer: Viewer,
    subject: _Subject,
    path: LearningPath | None,
    planned: _Planned | None,
    step_rows: Sequence[PathStep | dict[str, Any]],
    today: date,
    with_events: bool = False,
) -> PathRead:
    """A path (stored, or a preview) as pages and the API show it."""
    titles: dict[int, str] = {}
    for row in step_rows:
        item_id = row.item_id if isinstance(row, PathStep) else row["item_id"]
        title = row.title if isinstance(row, PathStep) else row["title"]
        if item_id is not None:
            titles[int(item_id)] = str(title)
    mentor_ids = {
        row.mentor_id
        for row in step_rows
        if isinstance(row, PathStep) and row.mentor_id is not None
    } | {
        int(row["mentor_id"])
        for row in step_rows
        if isinstance(row, dict) and row.get("mentor_id") is not None
    }
    mentors = repository.people_names(session, mentor_ids)
    status = path.status if path is not None else "preview"
    tracking = status in ("approved", "active")
    steps = [
        _step_read(row, position=k, titles=titles, today=today, mentors=mentors, tracking=tracking)
        for k, row in enumerate(step_rows)
    ]
    start = path.start_on if path is not None else planned.request.start  # type: ignore[union-attr]
    progress = _progress(steps, today, tracking)
    next_step = next((step for step in steps if step.status == "planned"), None)
    shown: dict[str, Any] = {
        "employee": subject.ref,
        "end": max((step.end for step in steps), default=None),
        "months": _months_read(start, steps),
        "progress": progress,
        "next_step": next_step,
    }
    if path is not None:
        target_role = (
            RoleRef(
                id=path.target_role_id,
                title=repository.role_title(session, path.target_role_id) or "",
            )
            if path.target_role_id is not None
            else None
        )
        decided_by = None
        if path.decided_by_id is not None:
            decided_by = repository.user_emails(session, [path.decided_by_id]).get(
                path.decided_by_id
            )
        template = None
        if path.template_id is not None:
            found = session.get(PathTemplate, path.template_id)
            template = found.name if found is not None else None
        return PathRead(
            **shown,
            **_request_fields(path, path.start_on),
            id=path.id,
            status=path.status,
            target_role=target_role,
            optimal=path.optimal,
            solver_status=path.solver_status,
            total_hours=_hours(path.total_minutes),
            total_cost=path.total_cost,
            currency=path.currency,
            greedy_hours=_hours(path.greedy_minutes),
            gaps=[GapPlanned.model_validate(row) for row in path.gaps],
            unreachable=_unreachable_read(path.unreachable),
            explanations=[ExplanationRead.model_validate(row) for row in path.explanations],
            unmet_kinds=list(path.unmet_kinds),
            replan_reasons=_replan_reasons(session, path, steps, progress, today),
            revision=path.revision,
            created_at=path.created_at,
            decided_by=decided_by,
            decision_note=path.decision_note,
            template=template,
            cohort_id=path.cohort_id,
            events=_events(session, path) if with_events else [],
            can_edit=_may_edit(viewer, subject) and path.status not in FINAL_STATUSES,
            can_decide=_may_decide(viewer, subject) and path.status in ("draft", "proposed"),
        )
    assert planned is not None
    request = planned.request
    plan = planned.plan
    return PathRead(
        **shown,
        **_request_fields(request, request.start),
        id=None,
        status="preview",
        target_role=(
            RoleRef(id=request.target_role_id, title=request.target_title or "")
            if request.target_role_id is not None
            else None
        ),
        optimal=plan.optimal,
        solver_status=plan.status,
        total_hours=_hours(plan.total_minutes),
        total_cost=plan.total_cost,
        currency=planned.currency,
        greedy_hours=_hours(planned.greedy_minutes),
        gaps=planned.gap_rows,
        unreachable=_unreachable_read(planned.unreachable),
        explanations=[ExplanationRead.model_validate(row) for row in planned.explanations],
        unmet_kinds=list(plan.unmet_kinds),
        can_edit=_may_edit(viewer, subject),
    )


@overload
def _hours(minutes: int) -> float: ...
@overload
def _hours(minutes: None) -> None: ...
def _hours(minutes: int | None) -> float | None:
    """Minutes as hours, to the hundredth."""
    return None if minutes is None else round(minutes / 60, 2)


def _request_fields(source: LearningPath | _Request, start: date) -> dict[str, Any]:
    """What was asked, as a path read shows it (stored paths and previews alike)."""
    return {
        "mode": source.mode,
        "title": source.title,
        "hours_per_week": source.hours_per_week,
        "start": start,
        "deadline": source.deadline,
        "budget": source.budget,
        "locales": list(source.locales),
        "offline_only": source.offline_only,
        "avoid_kinds": list(source.avoid_kinds),
        "require_kinds": list(source.require_kinds),
    }


def _events(session: Session, path: LearningPath) -> list[EventRead]:
    rows = repository.events_of(session, path.id)
    emails = repository.user_emails(
        session, {row.actor_id for row in rows if row.actor_id is not None}
    )
    return [
        EventRead(
            kind=row.kind,
            at=row.at,
            actor=emails.get(row.actor_id) if row.actor_id is not None else None,
            note=row.note,
            details=dict(row.details),
        )
        for row in rows
    ]


def _replan_reasons(
    session: Session,
    path: LearningPath,
    steps: Sequence[StepRead],
    progress: Progress,
    today: date,
) -> list[ReplanReason]:
    """Why re-planning would help now: behind schedule, skills learned elsewhere, or catalog
    items changed or withdrawn."""
    if path.status in FINAL_STATUSES:
        return []
    reasons: list[ReplanReason] = []
    if progress.behind_weeks >= 1:
        reasons.append(
            ReplanReason(
                code="behind",
                message=f"{progress.behind_weeks} week(s) behind the schedule.",
            )
        )
    planned = [step for step in steps if step.status == "planned"]
    levels = repository.levels_of_employee(session, path.employee_id)
    learned = [
        step.item.title
        for step in planned
        if step.closures
        and all(
            levels.get(closure.skill.id, 0.0) >= closure.to_level - EPSILON
            for closure in step.closures
        )
    ]
    if learned:
        reasons.append(
            ReplanReason(
                code="learned_elsewhere",
                message="Already learned what these steps teach: " + ", ".join(learned) + ".",
                steps=learned,
            )
        )
    state = repository.items_state(
        session, [step.item.id for step in planned if step.item.id is not None]
    )
    changed = [
        step.item.title
        for step in planned
        if step.item.id is None
        or step.item.id not in state
        or not state[step.item.id].active
        or state[step.item.id].minutes != round(step.hours * 60)
    ]
    if changed:
        reasons.append(
            ReplanReason(
                code="catalog_changed",
                message="Changed or withdrawn in the catalog: " + ", ".join(changed) + ".",
                steps=changed,
            )
        )
    return reasons


# Planning and saving


def preview_path(
    session: Session,
    *,
    viewer: Viewer,
    employee_id: int,
    request: PathRequest,
    today: date | None = None,
) -> PlanPreview:
    """The plan a request would give, not saved, with how long it takes at other weekly
    times (the builder's trade-off)."""
    day = today or utc_today()
    subject = _subject(session, viewer, employee_id, day)
    _require_edit(viewer, subject)
    validated = _validated(session, subject, request, day)
    planned = _compute(session, viewer, subject, validated, day)
    read = _read(
        session,
        viewer=viewer,
        subject=subject,
        path=None,
        planned=planned,
        step_rows=planned.steps,
        today=day,
    )
    trade_offs = []
    for hours in sorted({*TRADE_OFF_HOURS, validated.hours_per_week} - {0.0}):
        other = _Request(**{**validated.__dict__, "hours_per_week": hours})
        plan = plan_path(*_engine_inputs(session, viewer, subject, other, day), other.constraints())
        trade_offs.append(
            TradeOff(
                hours_per_week=hours,
                months=max((step.end_month for step in plan.steps), default=0),
                weeks=plan.weeks,
                end=max((step.end_date for step in plan.steps), default=None),
                total_hours=round(plan.total_minutes / 60, 2),
                complete=plan.complete,
            )
        )
    return PlanPreview(plan=read, trade_offs=trade_offs)


def _engine_inputs(
    session: Session, viewer: Viewer, subject: _Subject, request: _Request, day: date
) -> tuple[Any, Gaps, Learner]:
    inputs = _inputs(session, viewer, subject, request, day)
    return inputs.catalog.catalog, inputs.gaps, inputs.learner


def _add_event(
    session: Session,
    path: LearningPath,
    viewer: Viewer | None,
    kind: str,
    note: str = "",
    details: dict[str, object] | None = None,
) -> None:
    session.add(
        PathEvent(
            path_id=path.id,
            kind=kind,
            at=utcnow(),
            actor_id=_user_id(viewer) if viewer is not None else None,
            note=note,
            details=details or {},
        )
    )


def _audit(viewer: Viewer, session: Session, path: LearningPath, action: str, summary: str) -> None:
    identity.record_audit(
        session,
        actor=viewer.email,
        actor_user_id=_user_id(viewer),
        action=action,
        entity_type="learning_path",
        entity_id=str(path.id),
        summary=summary,
        details={"employee_id": path.employee_id, "status": path.status},
    )


def _store_plan(path: LearningPath, planned: _Planned) -> None:
    plan = planned.plan
    path.solver_status = plan.status
    path.optimal = plan.optimal
    path.unreachable = planned.unreachable
    path.explanations = planned.explanations
    path.unmet_kinds = list(plan.unmet_kinds)
    path.gaps = [row.model_dump(mode="json") for row in planned.gap_rows]
    path.greedy_minutes = planned.greedy_minutes
    path.currency = planned.currency
    path.planned_at = utcnow()


def _write_steps(
    session: Session,
    path: LearningPath,
    rows: Sequence[dict[str, Any]],
    first_position: int,
) -> list[PathStep]:
    steps = []
    for offset, row in enumerate(rows):
        step = PathStep(path_id=path.id, position=first_position + offset, **row)
        session.add(step)
        steps.append(step)
    session.flush()
    return steps


def _propose_mentors(
    session: Session,
    employee_id: int,
    rows: Sequence[dict[str, Any]],
    day: date,
    gap_order: Sequence[int],
) -> None:
    """Name a colleague for each mentorship step: one who holds its skills at an expert level,
    the person's most important gaps first, outside the person's reporting line, with capacity
    (see learning/mentors.py). The person's mentor of an active one-to-one or reverse mentoring
    match comes first when they qualify and hold every skill of the step (docs/mentoring.md)."""
    priority = {skill: rank for rank, skill in enumerate(gap_order)}
    taken: set[int] = set()
    matched = mentoring_repository.active_mentors_of(session, employee_id, MATCHED_KINDS)
    for row in rows:
        if row["kind"] != "mentorship" or row.get("status", "planned") != "planned":
            continue
        skills = sorted(
            ((int(c["skill_id"]), float(c["to"])) for c in row["closes"]),
            key=lambda pair: priority.get(pair[0], len(priority)),
        )
        if not skills:
            continue
        found = mentors.propose_mentors(
            session,
            mentee_id=employee_id,
            skills=skills,
            day=day,
            limit=mentors.MAX_MENTOR_LIMIT if matched else 1,
            exclude=taken,
            by_priority=True,
            window=(row["start_on"], row["end_on"]),
        )
        if found:
            # the person's matched mentor, when they hold every skill of the step at the level
            ours = [c for c in found if c.employee_id in matched and not c.missing_skill_ids]
            best = min(ours, key=lambda c: matched.index(c.employee_id)) if ours else found[0]
            reasons = (
                ["Your mentor in a mentoring program", *best.reasons] if ours else best.reasons
            )
            row["mentor_id"] = best.employee_id
            row["mentor_reason"] = "\n".join(reasons)
            taken.add(best.employee_id)


def _path_totals(path: LearningPath, steps: Sequence[PathStep]) -> None:
    path.total_minutes = sum(step.minutes for step in steps)
    path.total_cost = round(sum(step.cost for step in steps), 2)
    path.months = max((step.end_month for step in steps), default=0)


def create_path(
    session: Session,
    *,
    viewer: Viewer,
    employee_id: int,
    request: PathRequest,
    today: date | None = None,
    template: PathTemplate | None = None,
    cohort: PathCohort | None = None,
) -> PathRead:
    """Plan and save a path as a draft (in the caller's transaction)."""
    day = today or utc_today()
    subject = _subject(session, viewer, employee_id, day)
    _require_edit(viewer, subject)
    validated = _validated(session, subject, request, day)
    planned = _compute(session, viewer, subject, validated, day)
    path = LearningPath(
        employee_id=employee_id,
        mode=validated.mode,
        status="draft",
        title=validated.title,
        target_role_id=validated.target_role_id,
        goals=[{"skill_id": skill, "level": level} for skill, level in validated.goals],
        hours_per_week=validated.hours_per_week,
        start_on=validated.start,
        budget=validated.budget,
        locales=list(validated.locales),
        offline_only=validated.offline_only,
        avoid_kinds=list(validated.avoid_kinds),
        require_kinds=list(validated.require_kinds),
        deadline=validated.deadline,
        template_id=template.id if template is not None else None,
        cohort_id=cohort.id if cohort is not None else None,
        created_by_id=_user_id(viewer),
    )
    _store_plan(path, planned)
    session.add(path)
    session.flush()
    steps = _write_steps(session, path, planned.steps, 0)
    _path_totals(path, steps)
    _add_event(
        session,
        path,
        viewer,
        "created",
        details={"hours": round(path.total_minutes / 60, 2), "steps": len(steps)},
    )
    _audit(viewer, session, path, "path.create", f"planned {path.title!r}")
    session.flush()
    return get_path(session, viewer=viewer, path_id=path.id, today=day)


def _request_of(path: LearningPath) -> PathRequest:
    return PathRequest(
        mode=path.mode,
        target_role_id=path.target_role_id,
        goals=[GoalIn(skill_id=int(g["skill_id"]), level=float(g["level"])) for g in path.goals],
        hours_per_week=path.hours_per_week,
        start=path.start_on,
        budget=path.budget,
        locales=list(path.locales) or None,
        offline_only=path.offline_only,
        avoid_kinds=list(path.avoid_kinds),
        require_kinds=list(path.require_kinds),
        deadline=path.deadline,
        title=path.title,
    )


def _load(
    session: Session, viewer: Viewer, path_id: int, day: date
) -> tuple[LearningPath, _Subject]:
    path = repository.path_by_id(session, path_id)
    if path is None:
        raise NotFoundError(f"No learning path with id {path_id}.")
    try:
        subject = _subject(session, viewer, path.employee_id, day)
    except NotFoundError:
        raise NotFoundError(f"No learning path with id {path_id}.") from None
    return path, subject


def get_path(
    session: Session, *, viewer: Viewer, path_id: int, today: date | None = None
) -> PathRead:
    """One path with its steps, progress, re-plan suggestions and history."""
    day = today or utc_today()
    path, subject = _load(session, viewer, path_id, day)
    steps = repository.steps_of(session, [path.id])[path.id]
    return _read(
        session,
        viewer=viewer,
        subject=subject,
        path=path,
        planned=None,
        step_rows=steps,
        today=day,
        with_events=True,
    )


def _summary(
    path: LearningPath, steps: Sequence[PathStep], name: str, role: str | None, today: date
) -> PathSummary:
    done = sum(step.minutes for step in steps if step.status == "done")
    total = sum(step.minutes for step in steps)
    behind = 0
    if path.status in ("approved", "active"):
        late = [step.end_on for step in steps if step.status == "planned" and step.end_on < today]
        if late:
            behind = (today - min(late)).days // 7
    return PathSummary(
        id=path.id,
        employee=PersonRef(id=path.employee_id, name=name),
        mode=path.mode,
        title=path.title,
        status=path.status,
        target_role=(
            RoleRef(id=path.target_role_id, title=role or "") if path.target_role_id else None
        ),
        total_hours=round(total / 60, 2),
        months=path.months,
        start=path.start_on,
        optimal=path.optimal,
        percent=round(100 * done / total, 1) if total else 0.0,
        behind_weeks=behind,
        updated_at=path.updated_at,
    )


def _summaries(session: Session, paths: Sequence[LearningPath], today: date) -> list[PathSummary]:
    steps = repository.steps_of(session, [path.id for path in paths])
    names = repository.people_names(session, {path.employee_id for path in paths})
    roles = {
        role_id: repository.role_title(session, role_id)
        for role_id in {path.target_role_id for path in paths if path.target_role_id}
    }
    return [
        _summary(
            path,
            steps[path.id],
            names.get(path.employee_id, ""),
            roles.get(path.target_role_id) if path.target_role_id else None,
            today,
        )
        for path in paths
    ]


def paths_of(
    session: Session, *, viewer: Viewer, employee_id: int, today: date | None = None
) -> list[PathSummary]:
    """A person's paths, newest first."""
    day = today or utc_today()
    _subject(session, viewer, employee_id, day)
    return _summaries(session, repository.paths_of_employee(session, employee_id), day)


def current_path(
    session: Session, *, viewer: Viewer, employee_id: int, today: date | None = None
) -> PathRead | None:
    """The path "My path" shows: the active one, else approved, proposed, draft (newest)."""
    day = today or utc_today()
    _subject(session, viewer, employee_id, day)
    paths = repository.paths_of_employee(session, employee_id)
    for status in OPEN_STATUSES[::-1]:
        for path in paths:
            if path.status == status:
                return get_path(session, viewer=viewer, path_id=path.id, today=day)
    return None


# Lifecycle


def _transition(
    session: Session,
    viewer: Viewer,
    path_id: int,
    *,
    allowed_from: Sequence[str],
    to: str,
    event: str,
    decide: bool,
    note: str,
    day: date,
) -> PathRead:
    path, subject = _load(session, viewer, path_id, day)
    if decide:
        if not _may_decide(viewer, subject):
            raise ForbiddenError("Only the person's manager or HR can decide on this path.")
    else:
        _require_edit(viewer, subject)
    if path.status not in allowed_from:
        raise ConflictError(
            f"This path is {path.status}; it can only be {event.replace('_', ' ')} when "
            f"{' or '.join(allowed_from)}."
        )
    path.status = to
    if decide:
        path.decided_by_id = _user_id(viewer)
        path.decided_at = utcnow()
        path.decision_note = note.strip()
    if to in FINAL_STATUSES:
        path.ended_at = utcnow()
    _add_event(session, path, viewer, event, note=note.strip())
    _audit(viewer, session, path, f"path.{event}", f"{event.replace('_', ' ')} {path.title!r}")
    session.flush()
    return get_path(session, viewer=viewer, path_id=path.id, today=day)


def propose_path(
    session: Session, *, viewer: Viewer, path_id: int, note: str = "", today: date | None = None
) -> PathRead:
    """Send a draft to the manager for approval."""
    return _transition(
        session,
        viewer,
        path_id,
        allowed_from=("draft",),
        to="proposed",
        event="proposed",
        decide=False,
        note=note,
        day=today or utc_today(),
    )


def decide_path(
    session: Session,
    *,
    viewer: Viewer,
    path_id: int,
    approve: bool,
    note: str = "",
    today: date | None = None,
) -> PathRead:
    """The manager (or HR) approves a path, or sends it back to draft with a note."""
    day = today or utc_today()
    if approve:
        return _transition(
            session,
            viewer,
            path_id,
            allowed_from=("draft", "proposed"),
            to="approved",
            event="approved",
            decide=True,
            note=note,
            day=day,
        )
    if not note.strip():
        raise _refused("say what should change", "note")
    return _transition(
        session,
        viewer,
        path_id,
        allowed_from=("proposed",),
        to="draft",
        event="changes_requested",
        decide=True,
        note=note,
        day=day,
    )


def start_path(
    session: Session, *, viewer: Viewer, path_id: int, today: date | None = None
) -> PathRead:
    """Begin an approved path."""
    return _transition(
        session,
        viewer,
        path_id,
        allowed_from=("approved",),
        to="active",
        event="activated",
        decide=False,
        note="",
        day=today or utc_today(),
    )


def abandon_path(
    session: Session, *, viewer: Viewer, path_id: int, note: str = "", today: date | None = None
) -> PathRead:
    """Stop a path (completed steps and their evidence stay)."""
    return _transition(
        session,
        viewer,
        path_id,
        allowed_from=OPEN_STATUSES,
        to="abandoned",
        event="abandoned",
        decide=False,
        note=note,
        day=today or utc_today(),
    )


def approval_queue(
    session: Session, *, viewer: Viewer, today: date | None = None
) -> list[PathSummary]:
    """Paths waiting for the viewer's decision: their reporting line's (managers), everyone's
    (HR), oldest first."""
    day = today or utc_today()
    if viewer.can_administer:
        employees = None
    elif viewer.employee_id is not None:
        employees = people_repository.reporting_line_ids(session, viewer.employee_id)
    else:
        return []
    paths = repository.paths_with_status(session, statuses=("proposed",), employee_ids=employees)
    paths = [path for path in paths if path.employee_id != viewer.employee_id]
    return _summaries(session, paths, day)


def approval_count(session: Session, *, viewer: Viewer) -> int:
    """How many paths wait for the viewer's decision (the number in the menu): the same paths
    as `approval_queue`, counted in one query."""
    if viewer.can_administer:
        return repository.proposed_count(session, manager_id=None, exclude=viewer.employee_id)
    if viewer.employee_id is None:
        return 0
    return repository.proposed_count(
        session, manager_id=viewer.employee_id, exclude=viewer.employee_id
    )


def complete_step(
    session: Session,
    *,
    viewer: Viewer,
    path_id: int,
    step_id: int,
    completed_on: date | None = None,
    score: float | None = None,
    note: str = "",
    today: date | None = None,
) -> StepCompleted:
    """Mark a step done: records the completion, which becomes learning evidence and refreshes
    the person's profile (so their gaps move); an approved path becomes active, and a path whose
    steps are all done is completed."""
    day = today or utc_today()
    path, subject = _load(session, viewer, path_id, day)
    _require_edit(viewer, subject)
    if path.status not in ("approved", "active"):
        raise ConflictError(f"This path is {path.status}; steps are completed once it is approved.")
    steps = repository.steps_of(session, [path.id])[path.id]
    step = next((found for found in steps if found.id == step_id), None)
    if step is None:
        raise NotFoundError(f"No step {step_id} in this path.")
    if step.status == "done":
        raise ConflictError("This step is already done.")
    if step.item_id is None:
        raise ConflictError("This step's item was removed from the catalog; re-plan the path.")
    when_day = completed_on or day
    if when_day > day:
        raise _refused("must not be in the future", "completed_on", when_day)
    if when_day < path.start_on - timedelta(days=365):
        raise _refused("is long before the path started", "completed_on", when_day)
    before = repository.levels_of_employee(session, path.employee_id)
    now = min(utcnow(), datetime.combine(day, time.max, tzinfo=UTC))
    when = min(datetime.combine(when_day, time(12, 0), tzinfo=UTC), now)
    recorded = completions.record_completions(
        session,
        [
            completions.CompletionInput(
                employee_id=path.employee_id,
                item_id=step.item_id,
                completed_at=when,
                score=score,
                source="path",
                notes=note.strip(),
            )
        ],
        now=now,
    )
    after = repository.levels_of_employee(session, path.employee_id)
    step.status = "done"
    step.completed_at = when
    step.completion_id = recorded.completion_ids[0]
    if path.status == "approved":
        path.status = "active"
        _add_event(session, path, viewer, "activated")
    _add_event(session, path, viewer, "step_done", note=note.strip(), details={"step": step.title})
    if all(found.status == "done" for found in steps):
        path.status = "completed"
        path.ended_at = utcnow()
        _add_event(session, path, viewer, "completed")
    _audit(viewer, session, path, "path.step_done", f"completed {step.title!r}")
    session.flush()
    taught = sorted(
        {int(c["skill_id"]) for c in step.closes}
        | set(repository.skills_taught(session, step.item_id))
    )
    names = taxonomy_repository.skill_names(session, taught)
    targets = {int(row["skill"]["id"]): float(row["target_level"]) for row in path.gaps}
    changed = [
        _closure_read(
            skill, names, before.get(skill, 0.0), after.get(skill, 0.0), targets.get(skill, 1.0)
        )
        for skill in taught
    ]
    return StepCompleted(
        path=get_path(session, viewer=viewer, path_id=path.id, today=day),
        changed_skills=changed,
    )


def replan_path(
    session: Session, *, viewer: Viewer, path_id: int, today: date | None = None
) -> PathRead:
    """Plan the rest of a path again from what the person knows and has completed now:
    completed steps stay, the remaining steps are replaced from today, and the event says what
    changed."""
    day = today or utc_today()
    path, subject = _load(session, viewer, path_id, day)
    _require_edit(viewer, subject)
    if path.status in FINAL_STATUSES:
        raise ConflictError(f"This path is {path.status}; it cannot be re-planned.")
    _replan(session, viewer, path, subject, day, reasons=["asked"])
    return get_path(session, viewer=viewer, path_id=path.id, today=day)


def _replan(
    session: Session,
    viewer: Viewer,
    path: LearningPath,
    subject: _Subject,
    day: date,
    *,
    reasons: Sequence[str],
) -> None:
    steps = repository.steps_of(session, [path.id])[path.id]
    done = [step for step in steps if step.status == "done"]
    remaining = [step for step in steps if step.status != "done"]
    validated = _validated(session, subject, _request_of(path), day, stored=True)
    restart = max(day, path.start_on)
    before_items = [step.title for step in remaining]
    before_minutes = sum(step.minutes for step in remaining)
    for step in remaining:
        session.delete(step)
    session.flush()
    for position, step in enumerate(done):
        step.position = position
    session.flush()
    planned = _compute(
        session, viewer, subject, validated, day, schedule_from=restart, path_start=path.start_on
    )
    after_items = [row["title"] for row in planned.steps]
    new_steps = _write_steps(session, path, planned.steps, len(done))
    _store_plan(path, planned)
    _path_totals(path, [*done, *new_steps])
    path.revision += 1
    details: dict[str, object] = {
        "added": [title for title in after_items if title not in before_items],
        "removed": [title for title in before_items if title not in after_items],
        "kept_done": len(done),
        "hours_before": round(before_minutes / 60, 2),
        "hours_after": round(sum(step.minutes for step in new_steps) / 60, 2),
        "reasons": list(reasons),
    }
    _add_event(session, path, viewer, "replanned", details=details)
    _audit(viewer, session, path, "path.replan", f"re-planned {path.title!r}")
    session.flush()


# Templates and cohorts


def _require_hr(viewer: Viewer) -> None:
    if not viewer.can_administer:
        raise ForbiddenError("Only HR can manage path templates and cohorts.")


def _template_read(session: Session, template: PathTemplate) -> TemplateRead:
    cohorts = repository.cohorts(session, template.id)
    people = sum(len(repository.paths_of_cohort(session, cohort.id)) for cohort in cohorts)
    names = taxonomy_repository.skill_names(session, [int(g["skill_id"]) for g in template.goals])

    def role(role_id: int | None) -> RoleRef | None:
        if role_id is None:
            return None
        return RoleRef(id=role_id, title=repository.role_title(session, role_id) or "")

    return TemplateRead(
        id=template.id,
        name=template.name,
        description=template.description,
        mode=template.mode,
        from_role=role(template.from_role_id),
        target_role=role(template.target_role_id),
        goals=[
            GapPlanned(
                skill=SkillRef(id=int(g["skill_id"]), name=names.get(int(g["skill_id"]), "")),
                current_level=0.0,
                target_level=float(g["level"]),
                current_display=0,
                target_display=_display(float(g["level"])),
            )
            for g in template.goals
        ],
        hours_per_week=template.hours_per_week,
        budget=template.budget,
        require_kinds=list(template.require_kinds),
        avoid_kinds=list(template.avoid_kinds),
        cohorts=len(cohorts),
        people=people,
    )


def list_templates(session: Session, *, viewer: Viewer) -> list[TemplateRead]:
    """Active templates (HR and managers may read them)."""
    if not (viewer.can_administer or viewer.sees_everyone or viewer.role == "manager"):
        raise ForbiddenError("Only HR and managers see path templates.")
    return [_template_read(session, template) for template in repository.templates(session)]


def create_template(session: Session, *, viewer: Viewer, data: TemplateIn) -> TemplateRead:
    """HR defines a transition or academy template."""
    _require_hr(viewer)
    name = data.name.strip()
    if not name:
        raise _refused("must not be empty", "name")
    if repository.template_by_name(session, name) is not None:
        raise ConflictError(f"A template named {name!r} exists already.")
    if data.mode == "reskill" and data.target_role_id is None:
        raise _refused("a target role is needed to reskill", "target_role_id")
    if data.mode == "assigned" and not data.goals:
        raise _refused("name at least one skill and level to reach", "goals")
    if data.mode == "wanted":
        raise _refused("templates are for upskilling, reskilling or assigned goals", "mode")
    for field, role_id in (
        ("from_role_id", data.from_role_id),
        ("target_role_id", data.target_role_id),
    ):
        if role_id is not None and repository.role_title(session, role_id) is None:
            raise _refused("no role has this id", field, role_id)
    names = taxonomy_repository.skill_names(session, [goal.skill_id for goal in data.goals])
    seen: set[int] = set()
    for goal in data.goals:
        if goal.skill_id not in names:
            raise _refused("no skill has this id", "goals.skill_id", goal.skill_id)
        if goal.skill_id in seen:
            raise _refused("a skill is named twice", "goals.skill_id", goal.skill_id)
        seen.add(goal.skill_id)
    template = PathTemplate(
        name=name,
        description=data.description.strip(),
        mode=data.mode,
        from_role_id=data.from_role_id,
        target_role_id=data.target_role_id if data.mode == "reskill" else None,
        goals=[{"skill_id": goal.skill_id, "level": goal.level} for goal in data.goals],
        hours_per_week=data.hours_per_week,
        budget=data.budget,
        require_kinds=list(_kinds(data.require_kinds, "require_kinds")),
        avoid_kinds=list(_kinds(data.avoid_kinds, "avoid_kinds")),
        created_by_id=_user_id(viewer),
    )
    session.add(template)
    session.flush()
    identity.record_audit(
        session,
        actor=viewer.email,
        actor_user_id=_user_id(viewer),
        action="path_template.create",
        entity_type="path_template",
        entity_id=str(template.id),
        summary=f"created path template {name!r}",
    )
    return _template_read(session, template)


def assign_template(
    session: Session,
    *,
    viewer: Viewer,
    template_id: int,
    data: CohortIn,
    today: date | None = None,
) -> CohortRead:
    """Give each member of a new cohort their own plan from the template (skipping what each
    already knows); HR's assignment counts as the approval. People who cannot get a plan (no
    current role to upskill in, not visible) are listed with the reason."""
    _require_hr(viewer)
    day = today or utc_today()
    template = session.get(PathTemplate, template_id)
    if template is None or not template.active:
        raise NotFoundError(f"No path template with id {template_id}.")
    members = list(dict.fromkeys(data.employee_ids))
    if data.unit_ids or data.role_id is not None:
        members.extend(
            repository.active_employees(
                session,
                day=day,
                unit_ids=data.unit_ids or None,
                role_id=data.role_id,
            )
        )
    members = list(dict.fromkeys(members))
    if not members:
        raise _refused("name people, units or a role with at least one person", "employee_ids")
    cohort = PathCohort(
        template_id=template.id,
        name=data.name.strip(),
        start_on=data.start or day,
        created_by_id=_user_id(viewer),
    )
    session.add(cohort)
    session.flush()
    request = PathRequest(
        mode=template.mode,
        target_role_id=template.target_role_id,
        goals=[
            GoalIn(skill_id=int(g["skill_id"]), level=float(g["level"])) for g in template.goals
        ],
        hours_per_week=template.hours_per_week,
        start=cohort.start_on,
        budget=template.budget,
        avoid_kinds=list(template.avoid_kinds),
        require_kinds=list(template.require_kinds),
        title=template.name,
    )
    refused: list[str] = []
    for employee_id in members:
        already = [
            path.title
            for path in repository.paths_of_employee(session, employee_id)
            if path.status in OPEN_STATUSES
        ]
        if already:
            name = repository.people_names(session, [employee_id]).get(
                employee_id, str(employee_id)
            )
            refused.append(f"{name}: already on an open path ({already[0]})")
            continue
        try:
            with session.begin_nested():
                read = create_path(
                    session,
                    viewer=viewer,
                    employee_id=employee_id,
                    request=request,
                    today=day,
                    template=template,
                    cohort=cohort,
                )
                path = repository.path_by_id(session, read.id or 0)
                assert path is not None
                path.status = "approved"
                path.decided_by_id = _user_id(viewer)
                path.decided_at = utcnow()
                path.decision_note = f"Assigned with cohort {cohort.name}"
                _add_event(session, path, viewer, "approved", note=path.decision_note)
        except (InvalidInputError, NotFoundError, ForbiddenError) as error:
            name = repository.people_names(session, [employee_id]).get(
                employee_id, str(employee_id)
            )
            refused.append(f"{name}: {_reason(error)}")
    session.flush()
    return cohort_progress(session, viewer=viewer, cohort_id=cohort.id, today=day, refused=refused)


def _reason(error: Exception) -> str:
    if isinstance(error, InvalidInputError) and error.problems:
        return error.problems[0].reason
    return str(error)


def cohort_progress(
    session: Session,
    *,
    viewer: Viewer,
    cohort_id: int,
    today: date | None = None,
    refused: Sequence[str] = (),
) -> CohortRead:
    """A cohort's members, their path status, progress and who is behind."""
    _require_hr(viewer)
    day = today or utc_today()
    cohort = session.get(PathCohort, cohort_id)
    if cohort is None:
        raise NotFoundError(f"No cohort with id {cohort_id}.")
    template = session.get(PathTemplate, cohort.template_id)
    paths = repository.paths_of_cohort(session, cohort.id)
    summaries = _summaries(session, paths, day)
    full = _template_hours(session, template) if template is not None else None
    members = [
        CohortMember(
            path=summary,
            skipped_hours=max(0.0, round(full - summary.total_hours, 2))
            if full is not None
            else 0.0,
        )
        for summary in summaries
    ]
    by_status: dict[str, int] = {}
    for summary in summaries:
        by_status[summary.status] = by_status.get(summary.status, 0) + 1
    return CohortRead(
        id=cohort.id,
        name=cohort.name,
        template=template.name if template is not None else "",
        template_id=cohort.template_id,
        start=cohort.start_on,
        members=members,
        by_status=by_status,
        mean_percent=(
            round(sum(s.percent for s in summaries) / len(summaries), 1) if summaries else 0.0
        ),
        behind=sum(1 for s in summaries if s.behind_weeks > 0),
        refused=list(refused),
    )


def _template_hours(session: Session, template: PathTemplate) -> float | None:
    """Hours of the template's plan for someone who knows none of its skills (what a member
    would take without personalisation); None for upskill templates (no single role)."""
    key = (
        str(session.get_bind().engine.url),
        template.id,
        template.mode,
        template.target_role_id,
        template.hours_per_week,
        template.budget,
        tuple(template.avoid_kinds),
        tuple(template.require_kinds),
        tuple(sorted((int(g["skill_id"]), float(g["level"])) for g in template.goals)),
        tuple(repository.role_requirements(session, template.target_role_id))
        if template.target_role_id is not None
        else (),
        repository.catalog_fingerprint(session),
    )
    if key not in _TEMPLATE_HOURS:
        if len(_TEMPLATE_HOURS) > 256:
            _TEMPLATE_HOURS.clear()
        _TEMPLATE_HOURS[key] = _template_hours_now(session, template)
    return _TEMPLATE_HOURS[key]


_TEMPLATE_HOURS: dict[tuple[object, ...], float | None] = {}


def _template_hours_now(session: Session, template: PathTemplate) -> float | None:
    if template.mode == "reskill" and template.target_role_id is not None:
        lines = repository.role_requirements(session, template.target_role_id)
        rows = [(skill, target) for skill, target in lines if 0 < target <= 1]
    elif template.mode == "assigned":
        rows = [(int(g["skill_id"]), float(g["level"])) for g in template.goals]
    else:
        return None
    catalog = repository.load_catalog(session)
    plan = plan_path(
        catalog.catalog,
        Gaps(
            skill=np.array([s for s, _ in rows], dtype=np.int64),
            target=np.array([t for _, t in rows], dtype=np.float64),
            current=np.zeros(len(rows)),
        ),
        Learner(),
        Constraints(
            hours_per_week=template.hours_per_week,
            start=utc_today(),
            budget=template.budget,
            avoid_kinds=frozenset(template.avoid_kinds),
            require_kinds=frozenset(template.require_kinds),
        ),
    )
    return round(plan.total_minutes / 60, 2)


def list_cohorts(
    session: Session, *, viewer: Viewer, today: date | None = None, template_id: int | None = None
) -> list[CohortRead]:
    """Every cohort (or a template's) with its progress, newest first."""
    _require_hr(viewer)
    return [
        cohort_progress(session, viewer=viewer, cohort_id=cohort.id, today=today)
        for cohort in repository.cohorts(session, template_id)
    ]


# Completions from elsewhere and the nightly re-plan


def sync_completions(session: Session) -> int:
    """Mark done the planned steps of approved or active paths whose item the person completed
    elsewhere (a completions import, the LMS); an approved path becomes active and a path whose
    steps are all done is completed. Returns the steps marked done."""
    found = repository.steps_completed_elsewhere(session)
    touched: dict[int, LearningPath] = {}
    for step, completion_id, completed_at in found:
        step.status = "done"
        step.completion_id = completion_id
        step.completed_at = completed_at
        path = touched.get(step.path_id) or repository.path_by_id(session, step.path_id)
        assert path is not None
        touched[path.id] = path
        _add_event(
            session,
            path,
            None,
            "step_done",
            note="Completion recorded elsewhere",
            details={"step": step.title},
        )
    session.flush()
    for path in touched.values():
        steps = repository.steps_of(session, [path.id])[path.id]
        if path.status == "approved":
            path.status = "active"
            _add_event(session, path, None, "activated")
        if all(step.status == "done" for step in steps):
            path.status = "completed"
            path.ended_at = utcnow()
            _add_event(session, path, None, "completed")
    session.flush()
    return len(found)


AUTO_REPLAN_BEHIND_WEEKS = 2
"""An approved or active path this many weeks behind its schedule is re-planned at night."""


def replan_due_paths(session: Session, *, today: date | None = None) -> int:
    """The nightly re-plan: first mark steps completed elsewhere, then re-plan every approved
    or active path that is `AUTO_REPLAN_BEHIND_WEEKS` behind, whose planned steps teach what the
    person has learned elsewhere, or whose items changed in the catalog. Returns the paths
    re-planned; each gets a "replanned" event with the reasons and what changed."""
    day = today or utc_today()
    sync_completions(session)
    count = 0
    for path in repository.paths_with_status(
        session, statuses=("approved", "active"), employee_ids=None
    ):
        employee = repository.employee_row(session, path.employee_id)
        if employee is None or (employee.left_on is not None and employee.left_on <= day):
            continue
        subject = _subject(session, SYSTEM, path.employee_id, day)
        read = get_path(session, viewer=SYSTEM, path_id=path.id, today=day)
        reasons = [
            reason.code
            for reason in read.replan_reasons
            if reason.code != "behind" or read.progress.behind_weeks >= AUTO_REPLAN_BEHIND_WEEKS
        ]
        if not reasons:
            continue
        try:
            with session.begin_nested():
                _replan(session, SYSTEM, path, subject, day, reasons=reasons)
        except InvalidInputError:
            continue  # e.g. no current role any more to upskill in: left for a person to decide
        count += 1
    return count


# For other domains: how long until someone is ready


@dataclass(frozen=True)
class Readiness:
    """How long the optimal path to some levels takes at the default weekly time."""

    months: int | None
    """0 when every level is held; None when the catalog cannot close every gap."""
    hours: float | None
    unreachable: int
    unreachable_skills: tuple[int, ...] = ()
    """The skills the catalog cannot bring to their target (with the constraints used)."""


def readiness(
    session: Session,
    *,
    employee_id: int,
    gaps: Sequence[tuple[int, float, float]],
    day: date,
    hours_per_week: float = DEFAULT_HOURS_PER_WEEK,
) -> Readiness:
    """The optimal plan for (skill, target, current) gaps, most important first, from what the
    person knows and has completed, at `hours_per_week` from `day` (no saving, no visibility
    check: the caller has done it)."""
    open_gaps = [(s, t, c) for s, t, c in gaps if c < t - EPSILON]
    if not open_gaps:
        return Readiness(months=0, hours=0.0, unreachable=0)
    catalog = repository.load_catalog(session)
    levels = repository.levels_of_employee(session, employee_id)
    position = catalog.position_of()
    completed = sorted(
        position[item]
        for item in repository.completed_items(session, employee_id)
        if item in position
    )
    skills = sorted(levels)
    plan = plan_path(
        catalog.catalog,
        Gaps(
            skill=np.array([s for s, _, _ in open_gaps], dtype=np.int64),
            target=np.array([min(t, 1.0) for _, t, _ in open_gaps], dtype=np.float64),
            current=np.array([min(max(c, 0.0), 1.0) for _, _, c in open_gaps]),
        ),
        Learner(
            skill=np.array(skills, dtype=np.int64),
            level=np.array([min(max(levels[s], 0.0), 1.0) for s in skills]),
            completed=np.array(completed, dtype=np.int64),
        ),
        Constraints(hours_per_week=hours_per_week, start=day),
    )
    if plan.unreachable or not plan.steps:
        return Readiness(
            months=None if plan.unreachable else 0,
            hours=None if plan.unreachable else 0.0,
            unreachable=len(plan.unreachable),
            unreachable_skills=tuple(gap.skill for gap in plan.unreachable),
        )
    return Readiness(
        months=max(step.end_month for step in plan.steps),
        hours=round(plan.total_minutes / 60, 2),
        unreachable=0,
    )
