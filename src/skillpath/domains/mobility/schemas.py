"""What the marketplace pages and API read and send: opportunities and explained matches."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from skillpath.domains.people.schemas import PersonRef, RoleRef
from skillpath.domains.taxonomy.schemas import SkillRef

Kind = Literal["role", "gig", "project", "stretch", "mentoring"]
Band = Literal["very_high", "high", "medium", "low"]


class SkillAsk(BaseModel):
    """A skill an opportunity asks for (latent level 0–1, importance 0–1)."""

    skill_id: int
    level: float = Field(gt=0, le=1)
    importance: float = Field(default=0.5, gt=0, le=1)


class OpportunityIn(BaseModel):
    """A new opportunity. Roles take their skills from the role's profile unless `skills` are
    given; other kinds need `skills`."""

    kind: Kind
    title: str = Field(default="", max_length=300)
    description: str = Field(default="", max_length=8000)
    role_id: int | None = None
    opening_id: int | None = Field(default=None, description="An open opening (kind role)")
    org_unit_id: int | None = None
    location_id: int | None = None
    remote: bool = False
    language: str = Field(default="", max_length=12)
    time_share: float | None = Field(
        default=None, description="Share of the week, 0–1 (roles: 1; gigs: e.g. 0.2)"
    )
    duration_weeks: int | None = Field(default=None, gt=0, le=520)
    starts_on: date | None = None
    closes_on: date | None = None
    owner_id: int | None = Field(
        default=None, description="Default: the poster (or the hiring manager)"
    )
    skills: list[SkillAsk] = Field(default_factory=list)
    publish: bool = Field(default=False, description="Open it now (else a draft)")


class SkillNeed(BaseModel):
    """A skill an opportunity asks for, with names and display levels."""

    skill: SkillRef
    level: float
    display_level: int
    importance: float


class OpportunityRead(BaseModel):
    """An opportunity as lists and pages show it."""

    id: int
    kind: Kind
    status: Literal["draft", "open", "filled", "closed"]
    title: str
    description: str
    role: RoleRef | None
    opening_id: int | None
    unit: str | None
    location: str | None
    remote: bool
    language: str
    time_share: float
    duration_weeks: int | None
    starts_on: date | None
    closes_on: date | None
    owner: PersonRef | None
    published_at: datetime | None
    filled_on: date | None
    skills: list[SkillNeed]
    can_manage: bool = False


class SubScores(BaseModel):
    """The three sub-scores; `score` = Σ weight × sub-score."""

    skills: float
    aspiration: float
    logistics: float


class Parts(BaseModel):
    """What the aspiration and logistics sub-scores are made of."""

    targets_role: bool | None = Field(
        description="The person targets this role (shown to the person and HR only)"
    )
    develop_share: float | None = Field(
        description="Importance share of skills the person wants to develop (person and HR only)"
    )
    place: float
    timezone: float
    language: float


class SkillMatch(BaseModel):
    """A required skill: the person's level against the target."""

    skill: SkillRef
    level: float
    target: float
    display_level: int
    target_display_level: int
    importance: float
    shortfall: float = Field(description="max(0, target − level)")
    gain: float = Field(description="What reaching the target would add to the score")


class Raise(BaseModel):
    """One of the few skills that would raise the score most, and items that teach it."""

    skill: SkillRef
    gain: float
    items: list[str]


class MatchRead(BaseModel):
    """A person and an opportunity: the score, why, and how far from ready."""

    opportunity: OpportunityRead
    person: PersonRef
    score: float
    band: Band
    weights: dict[str, float]
    subscores: SubScores
    parts: Parts
    matching_skills: list[SkillMatch]
    missing_skills: list[SkillMatch]
    raise_score: list[Raise]
    months_to_ready: int | None = Field(
        description="Months of the optimal learning path to the missing levels at 2 h/week "
        "(0: ready now; null: the catalog cannot close every gap)"
    )
    hours_to_ready: float | None
    not_teachable: list[SkillRef] = Field(
        default_factory=list,
        description="Missing skills no catalog item brings to the target "
        "(why months_to_ready is null)",
    )
    interest: str | None = Field(description="The person's interest status, when visible")
    person_role: RoleRef | None = None
    person_unit: str | None = None
    person_location: str | None = None


class Formula(BaseModel):
    """The published match formula."""

    weights: dict[str, float]
    bands: dict[str, float]
    timezone_span_hours: float
    description: list[str]
