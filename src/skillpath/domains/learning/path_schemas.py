"""What the path pages and API read and send: requests, plans, steps, approvals, templates."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from skillpath.domains.people.schemas import PersonRef, RoleRef
from skillpath.domains.taxonomy.schemas import SkillRef

Mode = Literal["upskill", "reskill", "wanted", "assigned"]


class GoalIn(BaseModel):
    """A skill and the level to reach (latent 0–1), for `wanted` and `assigned` paths."""

    skill_id: int
    level: float = Field(gt=0, le=1)


class PathRequest(BaseModel):
    """What a person (or their manager, or HR) asks the planner for. Everything but the mode
    has a default: the current role for upskilling, the organisation's weekly learning time
    (two hours: Development Fridays), today, no budget limit, the person's languages."""

    mode: Mode
    target_role_id: int | None = Field(default=None, description="Required for reskilling")
    goals: list[GoalIn] = Field(
        default_factory=list,
        description="For `assigned` (required) and `wanted` (default: skills marked to develop)",
    )
    hours_per_week: float | None = Field(default=None, description="0–168; default 2")
    start: date | None = None
    budget: float | None = Field(
        default=None, description="In the catalog currency; none: no limit"
    )
    locales: list[str] | None = Field(
        default=None,
        description="Languages to learn in (default: the work location's language and English)",
    )
    offline_only: bool = False
    avoid_kinds: list[str] = Field(default_factory=list)
    require_kinds: list[str] = Field(default_factory=list)
    deadline: date | None = None
    title: str | None = Field(default=None, max_length=300)


class ItemRef(BaseModel):
    """A catalog item inside a step."""

    id: int | None
    title: str
    kind: str


class ClosureRead(BaseModel):
    """What a step does for one gap."""

    skill: SkillRef
    from_level: float
    to_level: float
    target_level: float
    from_display: int
    to_display: int
    target_display: int
    reaches_target: bool


class MentorRead(BaseModel):
    """The colleague proposed for a mentorship step, and why."""

    id: int
    name: str
    reasons: list[str]


class StepRead(BaseModel):
    """One step of a path."""

    id: int | None = None
    position: int
    item: ItemRef
    stage: str = Field(description="foundations, practice, mentorship or capstone")
    hours: float
    cost: float
    month: int
    end_month: int
    start: date
    end: date
    closes: list[str] = Field(description="Names of the skills the step raises")
    closures: list[ClosureRead]
    prerequisite_for: list[str] = Field(description="Titles of later steps that need this one")
    status: Literal["planned", "done", "skipped"] = "planned"
    completed_at: datetime | None = None
    overdue: bool = False
    mentor: MentorRead | None = None
    why: str = Field(description="The step's reason in one sentence")


class MonthRead(BaseModel):
    """A month of the plan: the steps starting in it and the hours planned."""

    month: int
    start: date
    end: date
    hours: float
    steps: list[StepRead]
    continuing: list[str] = Field(description="Titles of steps still running from earlier months")


class AlternativeRead(BaseModel):
    """An item that comes closest to an unreachable target, and what keeps it out."""

    item: ItemRef
    level: float
    display_level: int
    excluded_by: list[str]


class UnreachableRead(BaseModel):
    """A gap the plan does not close, why, and the closest alternatives."""

    skill: SkillRef
    current_level: float
    target_level: float
    reason: str
    best_level: float
    alternatives: list[AlternativeRead]
    explanation: str


class ExplanationRead(BaseModel):
    """Why a plan is impossible, incomplete or late."""

    code: str
    message: str
    constraint: str | None = None
    needed: float | None = None
    available: float | None = None


class GapPlanned(BaseModel):
    """A gap the path plans for (most important first)."""

    skill: SkillRef
    current_level: float
    target_level: float
    current_display: int
    target_display: int


class Progress(BaseModel):
    """How far the path has come."""

    steps_done: int
    steps_total: int
    hours_done: float
    hours_total: float
    percent: float
    behind_weeks: int = Field(description="Weeks the earliest unfinished step is past its end")


class EventRead(BaseModel):
    """Something that happened to a path."""

    kind: str
    at: datetime
    actor: str | None
    note: str
    details: dict[str, object]


class ReplanReason(BaseModel):
    """Why re-planning is suggested now."""

    code: Literal["behind", "learned_elsewhere", "catalog_changed"]
    message: str
    steps: list[str] = Field(
        default_factory=list, description="Titles of the steps concerned (none when behind)"
    )


class PathRead(BaseModel):
    """A learning path: the request, the optimal plan, progress and history."""

    id: int | None
    employee: PersonRef
    mode: Mode
    title: str
    status: Literal["draft", "proposed", "approved", "active", "completed", "abandoned", "preview"]
    target_role: RoleRef | None
    optimal: bool = Field(description="The plan is proven to use the fewest hours (then cost)")
    solver_status: str
    total_hours: float
    total_cost: float
    currency: str
    greedy_hours: float | None = Field(
        description="Hours a course-by-course greedy choice would take (the baseline)"
    )
    hours_per_week: float
    start: date
    end: date | None
    deadline: date | None
    budget: float | None
    locales: list[str]
    offline_only: bool
    avoid_kinds: list[str]
    require_kinds: list[str]
    months: list[MonthRead]
    gaps: list[GapPlanned]
    unreachable: list[UnreachableRead]
    explanations: list[ExplanationRead]
    unmet_kinds: list[str]
    progress: Progress
    next_step: StepRead | None
    replan_reasons: list[ReplanReason] = Field(default_factory=list)
    revision: int = 1
    created_at: datetime | None = None
    decided_by: str | None = None
    decision_note: str = ""
    template: str | None = None
    cohort_id: int | None = None
    events: list[EventRead] = Field(default_factory=list)
    can_edit: bool = False
    can_decide: bool = False


class PathSummary(BaseModel):
    """A path in a list."""

    id: int
    employee: PersonRef
    mode: Mode
    title: str
    status: str
    target_role: RoleRef | None
    total_hours: float
    months: int
    start: date
    optimal: bool
    percent: float
    behind_weeks: int
    updated_at: datetime


class TradeOff(BaseModel):
    """The same request at another weekly time: how long it would take."""

    hours_per_week: float
    months: int
    weeks: int
    end: date | None
    total_hours: float
    complete: bool


class PlanPreview(BaseModel):
    """A plan before it is saved, with the time trade-off."""

    plan: PathRead
    trade_offs: list[TradeOff]


class Decision(BaseModel):
    """A manager's decision on a proposed path."""

    approve: bool
    note: str = Field(default="", max_length=2000)


class StepCompletion(BaseModel):
    """Completing a step (score optional, 0–1)."""

    completed_on: date | None = None
    score: float | None = Field(default=None, ge=0, le=1)
    note: str = Field(default="", max_length=2000)


class StepCompleted(BaseModel):
    """What completing a step changed."""

    path: PathRead
    changed_skills: list[ClosureRead] = Field(
        description="Consolidated levels before and after, per skill the step teaches"
    )


class TemplateIn(BaseModel):
    """A template HR defines for a transition or academy."""

    name: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=4000)
    mode: Mode = "reskill"
    from_role_id: int | None = None
    target_role_id: int | None = None
    goals: list[GoalIn] = Field(default_factory=list)
    hours_per_week: float = Field(default=2.0, gt=0, le=168)
    budget: float | None = Field(default=None, ge=0)
    require_kinds: list[str] = Field(default_factory=list)
    avoid_kinds: list[str] = Field(default_factory=list)


class TemplateRead(BaseModel):
    """A template with its cohorts' size."""

    id: int
    name: str
    description: str
    mode: Mode
    from_role: RoleRef | None
    target_role: RoleRef | None
    goals: list[GapPlanned]
    hours_per_week: float
    budget: float | None
    require_kinds: list[str]
    avoid_kinds: list[str]
    cohorts: int
    people: int


class CohortIn(BaseModel):
    """Assigning a template to people: named ones, or everyone in units and/or a role."""

    name: str = Field(min_length=1, max_length=200)
    employee_ids: list[int] = Field(default_factory=list)
    unit_ids: list[int] = Field(default_factory=list)
    role_id: int | None = None
    start: date | None = None


class CohortMember(BaseModel):
    """One member's path in a cohort."""

    path: PathSummary
    skipped_hours: float = Field(
        description="Hours of the template's full plan this person skips (already known)"
    )


class CohortRead(BaseModel):
    """A cohort and its progress."""

    id: int
    name: str
    template: str
    template_id: int
    start: date
    members: list[CohortMember]
    by_status: dict[str, int]
    mean_percent: float
    behind: int
    refused: list[str] = Field(default_factory=list, description="People not given a path, and why")
