"""Pydantic shapes of consolidated profiles, their breakdown, intents, captured evidence and the
validation queue (docs/capture.md)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from skillpath.domains.evidence.schemas import EvidenceRead, RaterRef
from skillpath.domains.taxonomy.schemas import SkillRef

Intent = Literal["have", "develop", "not_now"]
ConfidenceBand = Literal["low", "medium", "high"]
RowStatus = Literal["counted", "superseded", "expired"]
Relation = Literal["self", "manager", "peer", "viewer"]
Decision = Literal["approve", "adjust", "decline"]
MAX_NOTE = 2000


class PersonName(BaseModel):
    """A person named by id and full name."""

    id: int
    name: str


class ScaleRead(BaseModel):
    """The display scale levels are shown on: level k of `maximum` stands for k / maximum."""

    code: str
    name: str
    minimum: int
    maximum: int
    labels: list[str]


class BreakdownLine(BaseModel):
    """One piece of evidence behind a consolidated level and what it contributed."""

    evidence_id: int
    source: str
    rater: RaterRef | None
    observed_at: datetime
    level: float = Field(description="The level this evidence claims, latent 0–1")
    display_level: int
    confidence: float = Field(description="The rater's own confidence in the claim")
    weight: float = Field(
        description="reliability of the source × confidence × recency decay, capped by newer "
        "evidence of the same source (0 when superseded or expired)"
    )
    share: float = Field(description="weight / total weight: its share of the level (0–1)")
    status: RowStatus = Field(
        description="counted; superseded by the same rater's newer rating; or expired"
    )
    note: str
    item_id: int | None = Field(description="The learning item of a completion, if any")


class ProfileSkill(BaseModel):
    """A person's consolidated level in one skill, with what it rests on."""

    skill: SkillRef
    kind: str
    level: float = Field(description="Consolidated level on the latent scale, 0–1")
    display_level: int = Field(description="The level on the organisation's display scale")
    display_label: str
    confidence: float = Field(description="0–1: amount of evidence × agreement between sources")
    confidence_band: ConfidenceBand
    weighted_mean: float = Field(
        description="Σ share × level over the breakdown; the level is the larger of this and the "
        "floor"
    )
    floor: float | None = Field(description="The level a learning completion guarantees")
    evidence_count: int = Field(description="Pieces of evidence counted")
    total_weight: float
    computed_at: datetime
    intent: Intent | None
    breakdown: list[BreakdownLine] = Field(
        description="Every piece of evidence as of `computed_at`, largest share first"
    )
    up_to_date: bool = Field(
        description="False when evidence recorded since `computed_at` changes the result (the "
        "next refresh or nightly rebuild brings the stored level up to date)"
    )


class IntentRead(BaseModel):
    """What a person wants to do with a skill."""

    skill: SkillRef
    intent: Intent
    updated_at: datetime


class IntentUpdate(BaseModel):
    """Set an intent: have it, develop it, or not now."""

    intent: Intent


class EmployeeProfile(BaseModel):
    """A person's consolidated skills profile with intents and open validations."""

    employee: PersonName
    relation: Relation = Field(
        description="How the caller relates to the person: self, manager (the person is in "
        "their reporting line), peer (a teammate) or viewer (HR, executives)"
    )
    scale: ScaleRead
    computed_at: datetime | None = Field(description="When the profile was last consolidated")
    skills: list[ProfileSkill] = Field(description="Highest level first")
    intents: list[IntentRead]
    pending_validations: int = Field(description="Self-ratings waiting for the manager")


class EvidenceCreate(BaseModel):
    """A new piece of evidence about a person. Give the level either latent (`level`, 0–1) or on
    the organisation's display scale (`display_level`).

    The source follows from who calls: the person themselves → `self` (and a validation request
    for their manager); someone whose reporting line includes the person → `manager`; a teammate
    (same org unit or same manager) → `peer`. HR administrators may post `assessment`,
    `certification`, `learning` (with `item_id`) and `project` evidence about anyone, naming the
    source.
    """

    skill_id: int
    level: float | None = Field(default=None, ge=0.0, le=1.0)
    display_level: float | None = Field(default=None)
    source: str | None = Field(default=None, max_length=20)
    confidence: float | None = Field(default=None, gt=0.0, le=1.0)
    observed_at: datetime | None = Field(
        default=None, description="HR sources only; default now; never in the future"
    )
    expires_on: date | None = Field(default=None, description="Certifications only")
    item_id: int | None = Field(default=None, description="Learning completions only")
    note: str = Field(default="", max_length=MAX_NOTE)


class ValidationRead(BaseModel):
    """A self-rating and its manager's decision (when worked)."""

    id: int
    employee: PersonName
    skill: SkillRef
    level: float
    display_level: int
    display_label: str
    note: str = Field(description="The person's note on their self-rating")
    status: str
    requested_at: datetime
    current_level: float | None = Field(description="The person's consolidated level today")
    decided_at: datetime | None
    decided_by: PersonName | None
    decided_level: float | None
    comment: str


class ValidationDecision(BaseModel):
    """A manager's decision: approve, adjust (give a level and a comment) or decline (with a
    comment)."""

    decision: Decision
    level: float | None = Field(default=None, ge=0.0, le=1.0)
    display_level: float | None = None
    comment: str = Field(default="", max_length=MAX_NOTE)


class BulkApprove(BaseModel):
    """Approve several pending self-ratings at their self-rated levels, all or none."""

    ids: list[int] = Field(min_length=1, max_length=500)
    comment: str = Field(default="", max_length=MAX_NOTE)


class Teammate(BaseModel):
    """A colleague one may endorse (name and role only: endorsing does not open their profile)."""

    id: int
    name: str
    role: str | None


class EvidenceCreated(BaseModel):
    """Evidence just written, the validation request it opened, and the refreshed level."""

    evidence: EvidenceRead
    validation_request_id: int | None = Field(
        description="The request a self-rating opened for the manager (None otherwise)"
    )
    skill: ProfileSkill | None = Field(
        description="The person's refreshed level in the skill, when the caller may see their "
        "profile (a peer's endorsement does not open the colleague's profile)"
    )
