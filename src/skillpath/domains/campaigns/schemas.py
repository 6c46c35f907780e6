"""Pydantic shapes of campaigns, rating tasks, notifications and the skills pulse."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from skillpath.domains.campaigns.models import MAX_PEERS
from skillpath.domains.people.schemas import PersonRef, RoleRef, UnitRef
from skillpath.domains.taxonomy.schemas import SkillRef

MAX_SELECTION = 500
"""How many units, roles or skills a campaign definition may name."""

# Writes


class CampaignCreate(BaseModel):
    """A new campaign (a draft until it is launched)."""

    name: str = Field(min_length=1, max_length=200, description="What people see the tasks as")
    description: str = Field(default="", max_length=2000)
    unit_ids: list[int] = Field(
        default_factory=list,
        max_length=MAX_SELECTION,
        description="Org units whose people (with every unit below) are rated",
    )
    role_ids: list[int] = Field(
        default_factory=list,
        max_length=MAX_SELECTION,
        description="Roles whose holders are rated (with units: people in both)",
    )
    skill_ids: list[int] = Field(
        default_factory=list,
        max_length=MAX_SELECTION,
        description="Only these skills of the role profiles (empty: every skill)",
    )
    include_self: bool = Field(default=True, description="Participants rate themselves")
    include_manager: bool = Field(default=True, description="Their manager rates them")
    peer_count: int = Field(
        default=0, ge=0, le=MAX_PEERS, description="How many colleagues from the team rate them"
    )
    deadline: date = Field(description="The last day to answer (after today)")
    reminder_days: list[int] = Field(
        default_factory=lambda: [7, 2],
        max_length=10,
        description="Days before the deadline on which unfinished raters are reminded",
    )
    overdue_every_days: int = Field(
        default=7,
        ge=0,
        le=90,
        description="After the deadline, remind every this many days (0: once)",
    )


class AnswerIn(BaseModel):
    """One answer of a task: a level on the campaign's display scale, or "can't judge".

    With neither, a saved answer is cleared.
    """

    skill_id: int
    display_level: int | None = Field(default=None, description="A level of the display scale")
    cant_judge: bool = False


class AnswersIn(BaseModel):
    """Answers to save in a task (the others stay as they are)."""

    answers: list[AnswerIn] = Field(default_factory=list, max_length=MAX_SELECTION)


class PulseIn(BaseModel):
    """The skills used this month (an empty list is an answer too: none of them)."""

    skill_ids: list[int] = Field(default_factory=list, max_length=MAX_SELECTION)


# Reads


class ScaleLevelRead(BaseModel):
    """One level of a display scale."""

    value: int
    label: str
    descriptor: str


class ScaleRead(BaseModel):
    """The display scale answers are given on."""

    code: str
    name: str
    levels: list[ScaleLevelRead]


class CampaignRead(BaseModel):
    """A campaign's definition and state."""

    id: int
    name: str
    description: str
    status: str
    units: list[UnitRef]
    roles: list[RoleRef]
    skills: list[SkillRef]
    include_self: bool
    include_manager: bool
    peer_count: int
    deadline: date
    reminder_days: list[int]
    overdue_every_days: int
    scale: str
    created_at: datetime
    launched_at: datetime | None
    closed_at: datetime | None
    cancelled_at: datetime | None
    evidence_written: int


class CampaignSummary(BaseModel):
    """A campaign in a list, with its progress."""

    id: int
    name: str
    status: str
    deadline: date
    participants: int
    tasks: int
    submitted: int
    completion: float | None = Field(description="Share of tasks submitted (None: no tasks)")
    overdue: int = Field(description="Unfinished tasks past the deadline")


class PopulationPreview(BaseModel):
    """Who a campaign would reach if it were launched now."""

    participants: int
    tasks_by_kind: dict[str, int]
    tasks: int
    skipped_without_skills: int = Field(
        description="People in the population whose role profile has none of the skills"
    )
    skills: int = Field(description="Distinct skills to rate")


class LaunchSummary(BaseModel):
    """What launching created."""

    campaign: CampaignRead
    participants: int
    tasks_by_kind: dict[str, int]
    skipped_without_skills: int
    notifications: int


class CloseSummary(BaseModel):
    """What closing turned into evidence."""

    campaign: CampaignRead
    evidence_written: int = Field(description="New evidence rows (levels given by raters)")
    cant_judge: int = Field(description='Answers of submitted tasks that were "can\'t judge"')
    unsubmitted_tasks: int = Field(description="Tasks not submitted: their answers are dropped")
    profiles_refreshed: int = Field(description="Participants whose profiles were recomputed")


class CompletionRow(BaseModel):
    """Progress of a group of tasks."""

    key: str
    label: str
    tasks: int
    submitted: int
    in_progress: int
    pending: int
    completion: float | None


class OverdueRater(BaseModel):
    """A rater with unfinished tasks after the deadline."""

    rater: PersonRef
    open_tasks: int


class Completion(BaseModel):
    """How far a campaign has come: overall, by rater kind, by unit, and who is overdue."""

    campaign_id: int
    as_of: date
    overall: CompletionRow
    participants: int
    participants_complete: int = Field(description="Participants whose every task is submitted")
    overdue_tasks: int
    by_kind: list[CompletionRow]
    by_unit: list[CompletionRow] = Field(description="By the participant's unit, least done first")
    overdue_raters: list[OverdueRater]


class TaskCampaign(BaseModel):
    """The campaign a task belongs to."""

    id: int
    name: str
    status: str
    deadline: date


class TaskSummary(BaseModel):
    """A rating task in a list."""

    id: int
    campaign: TaskCampaign
    subject: PersonRef
    rater: PersonRef
    rater_kind: str
    status: str
    skills: int
    answered: int
    saved_at: datetime | None
    submitted_at: datetime | None
    overdue: bool


class TaskItem(BaseModel):
    """One skill to rate in a task, with the answer saved so far."""

    skill: SkillRef
    description: str
    display_level: int | None
    level: float | None
    cant_judge: bool


class TaskDetail(TaskSummary):
    """A task with its skills, the scale and whether it can still be answered."""

    scale: ScaleRead
    items: list[TaskItem]
    editable: bool


class NotificationRead(BaseModel):
    """An in-app notification: tasks assigned, a reminder, or an overdue notice."""

    id: int
    campaign: TaskCampaign
    kind: str
    step: str
    days_before: int | None
    open_tasks: int
    sent_at: datetime
    read_at: datetime | None


class PulseOption(BaseModel):
    """A skill offered in the pulse: from the person's role profile or their own profile."""

    skill: SkillRef
    in_role: bool
    used: bool


class PulseMonth(BaseModel):
    """A past answer to the pulse."""

    month: date
    skills: list[SkillRef]
    answered_at: datetime


class PulseRead(BaseModel):
    """This month's pulse: the skills offered, the answer so far and the past months."""

    month: date
    answered_at: datetime | None
    options: list[PulseOption]
    history: list[PulseMonth]


class SkillUse(BaseModel):
    """How many people said they used a skill in a month."""

    skill: SkillRef
    people: int


class PulseSummary(BaseModel):
    """The organisation's pulse for a month: who answered and the skills used most."""

    month: date
    respondents: int
    top_skills: list[SkillUse]


class UnitChoice(BaseModel):
    """An org unit offered in the population picker, with its depth in the tree."""

    id: int
    name: str
    depth: int
    headcount: int = Field(description="Active people in the unit and every unit below it")


class FormChoices(BaseModel):
    """What the campaign form offers: units (tree order), roles and profile skills."""

    units: list[UnitChoice]
    roles: list[RoleRef]
    skills: list[SkillRef]
