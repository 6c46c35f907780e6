"""Shapes of mentoring programs, enrolments, rounds, matches and check-ins (docs/mentoring.md)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from skillpath.domains.people.schemas import PersonRef
from skillpath.domains.taxonomy.schemas import SkillRef

Kind = Literal["one_to_one", "reverse", "group", "micro", "circle"]
ProgramStatus = Literal["draft", "enrolling", "matching", "running", "closed"]
EnrolRole = Literal["mentor", "mentee", "peer"]


class ProgramIn(BaseModel):
    """A new program (HR)."""

    name: str = Field(min_length=1, max_length=200)
    kind: Kind
    description: str = ""
    objectives: list[str] = Field(default_factory=list)
    skill_ids: list[int] = Field(default_factory=list, description="The skills it is about")
    enrol_from: date | None = None
    enrol_until: date | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    unit_ids: list[int] = Field(default_factory=list, description="Eligible units (and below)")
    role_ids: list[int] = Field(default_factory=list)
    location_ids: list[int] = Field(default_factory=list)
    min_role_level: int | None = None
    max_role_level: int | None = None
    default_capacity: int = Field(2, ge=1, le=50)
    min_group: int = Field(1, ge=1, le=50)
    max_group: int = Field(1, ge=1, le=50)
    checkin_every_days: int = Field(30, ge=1, le=365)


class ProgramUpdate(BaseModel):
    """Changes to a program (HR): only the fields sent change."""

    name: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = None
    objectives: list[str] | None = None
    skill_ids: list[int] | None = None
    enrol_from: date | None = None
    enrol_until: date | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    unit_ids: list[int] | None = None
    role_ids: list[int] | None = None
    location_ids: list[int] | None = None
    min_role_level: int | None = None
    max_role_level: int | None = None
    default_capacity: int | None = Field(None, ge=1, le=50)
    min_group: int | None = Field(None, ge=1, le=50)
    max_group: int | None = Field(None, ge=1, le=50)
    checkin_every_days: int | None = Field(None, ge=1, le=365)


class ProgramStatusIn(BaseModel):
    """Move a program on: open enrolment, close enrolment (matching), run, close."""

    status: ProgramStatus


class ProgramRead(BaseModel):
    """A program with its rules and how many enrolled."""

    id: int
    name: str
    kind: Kind
    status: ProgramStatus
    description: str
    objectives: list[str]
    skills: list[SkillRef]
    enrol_from: date | None
    enrol_until: date | None
    starts_on: date | None
    ends_on: date | None
    unit_ids: list[int]
    role_ids: list[int]
    location_ids: list[int]
    min_role_level: int | None
    max_role_level: int | None
    default_capacity: int
    min_group: int
    max_group: int
    checkin_every_days: int
    mentors: int
    mentees: int
    peers: int
    eligible: bool = Field(description="The caller may enrol (eligibility rules)")
    my_roles: list[EnrolRole] = Field(description="The caller's enrolments in it")


class EnrolIn(BaseModel):
    """Enrol in a program (the caller; HR may name `employee_id`)."""

    role: EnrolRole
    employee_id: int | None = None
    skill_ids: list[int] = Field(
        default_factory=list,
        description="Mentors: skills offered. Mentees, peers: skills wanted, most important first",
    )
    goals: str = Field("", max_length=2000)
    capacity: int | None = Field(None, ge=1, le=50, description="Mentors; default the program's")
    hours_per_month: float = Field(2.0, gt=0, le=80)
    languages: list[str] | None = Field(None, description="Default: the person's languages")
    preferred_mentor_id: int | None = None
    opt_out_ids: list[int] = Field(default_factory=list)


class SkillLevel(BaseModel):
    """A skill with the person's consolidated level (0 when they have none)."""

    skill: SkillRef
    level: float
    display_level: int


class EnrolmentRead(BaseModel):
    """Someone in a program."""

    id: int
    program_id: int
    employee: PersonRef
    role: EnrolRole
    status: str
    skills: list[SkillLevel]
    goals: str
    capacity: int
    hours_per_month: float
    languages: list[str]
    timezone: str | None
    preferred_mentor: PersonRef | None
    opt_out_ids: list[int]
    enrolled_at: datetime


class SkillSuggestion(BaseModel):
    """A skill suggested for a mentee's request, and where it comes from."""

    skill: SkillRef
    level: float
    source: Literal["gap", "path"]
    why: str


class RoundRead(BaseModel):
    """A matching round."""

    id: int
    program_id: int
    number: int
    status: Literal["draft", "published"]
    ran_at: datetime
    published_at: datetime | None
    total_score: float
    greedy_score: float | None
    optimal: bool
    matched: int
    waitlisted: int
    details: dict[str, Any]


class MemberRead(BaseModel):
    """A mentee (or peer) of a match and the answers about them."""

    employee: PersonRef
    answer: Literal["pending", "accepted", "declined"]
    mentor_answer: Literal["pending", "accepted", "declined"]
    score: float
    reasons: list[str]
    objectives_met: int


class MatchRead(BaseModel):
    """A pair, a group or a circle, with the score and why."""

    id: int
    program_id: int
    round_id: int | None
    status: str
    mentor: PersonRef | None
    mentees: list[MemberRead]
    score: float
    reasons: list[str]
    parts: dict[str, Any]
    skills: list[SkillRef]
    started_on: date | None
    ended_on: date | None
    end_reason: str
    outcome: str


class AnswerIn(BaseModel):
    """Accept or decline a proposal (a mentor of a group may answer about one mentee)."""

    accept: bool
    mentee_id: int | None = None


class EndIn(BaseModel):
    """End a relationship early."""

    reason: str = Field(min_length=1, max_length=40)


class Assessment(BaseModel):
    """The mentor's assessment of a mentee's level in a skill of the match (display 1–5)."""

    employee_id: int
    skill_id: int
    display_level: int = Field(ge=1, le=5)


class CompleteIn(BaseModel):
    """Complete a relationship with its outcome."""

    outcome: str = Field("", max_length=4000)
    objectives_met: dict[int, int] = Field(
        default_factory=dict, description="Mentee id → how many objectives were met"
    )
    assessments: list[Assessment] = Field(default_factory=list)


class CheckInIn(BaseModel):
    """A meeting of a match."""

    held_on: date
    notes: str = Field("", max_length=4000)
    progress: float = Field(0.0, ge=0.0, le=1.0)
    rating: int | None = Field(None, ge=1, le=5)


class CheckInRead(BaseModel):
    """A recorded check-in."""

    id: int
    match_id: int
    held_on: date
    author: PersonRef | None
    notes: str
    progress: float
    rating: int | None


class OverdueRead(BaseModel):
    """An active match without a check-in in the program's rhythm."""

    match_id: int
    program_id: int
    program: str
    mentor: PersonRef | None
    mentees: list[PersonRef]
    last_on: date = Field(description="The last check-in, or the start")
    due_on: date
    days_overdue: int
