"""Pydantic shapes of gaps: a person's gaps, roll-ups (team, unit, org), critical gaps,
heatmaps, trends, snapshots and the manager brief."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from skillpath.domains.people.schemas import PersonRef, RoleRef, UnitRef
from skillpath.domains.taxonomy.schemas import SkillRef

Basis = Literal["snapshot", "live"]


class LensRead(BaseModel):
    """Which strategic priorities weight the gaps: one by name, or every active one combined."""

    priority: str | None = Field(description="The priority asked for; null: every active one")
    priorities: list[str] = Field(description="The priorities whose weights apply")


class PersonGapLine(BaseModel):
    """One requirement of a role against a person's consolidated level."""

    skill: SkillRef
    current_level: float = Field(description="Consolidated level in [0, 1]; 0 without evidence")
    current_display_level: int
    current_display_label: str
    confidence: float | None = Field(description="Confidence of the level; null: no evidence")
    target_level: float
    target_display_level: int
    target_display_label: str
    importance: float
    importance_label: str
    priority_weight: float = Field(description="skill weight × role weight of the priorities")
    shortfall: float = Field(description="max(0, target − current)")
    weighted_gap: float = Field(description="shortfall × importance × priority weight")
    met: bool
    blocks: list[SkillRef] = Field(description="Skills that list this one as a prerequisite")


class PersonGaps(BaseModel):
    """A person against a role: their current role, or a target role."""

    employee: PersonRef
    current_role: RoleRef | None
    role: RoleRef | None = Field(description="The role compared against")
    against: Literal["current_role", "target_role"]
    lens: LensRead
    readiness: float | None = Field(
        description="Σ min(current, target) × importance / Σ target × importance"
    )
    total_weighted_gap: float
    skills_required: int
    skills_met: int
    skills: list[PersonGapLine] = Field(description="Largest weighted gap first")


class RollupLineRead(BaseModel):
    """Roll-up figures of one skill over a population."""

    rank: int
    skill: SkillRef
    demand: int = Field(description="People whose role requires the skill")
    met: int = Field(description="Of them, people at or above their role's target")
    supply: int = Field(
        description="People of the population at or above the reference level (bench strength)"
    )
    coverage: float = Field(description="met / demand")
    impact: float = Field(description="Σ shortfall × importance × priority weight")
    shortfall_sum: float
    reference_level: float = Field(description="The highest target any role here sets")
    reference_display_level: int
    single_point_of_failure: bool = Field(description="In demand, held at level by ≤ 1 person")
    priority_weight: float = Field(description="The skill's weight under the priorities")


class LocationRef(BaseModel):
    """A location named by its id and name."""

    id: int
    name: str


class CriticalGaps(BaseModel):
    """Skills in demand over a population, highest business impact first."""

    as_of: date
    basis: Basis = Field(description="Read from an up-to-date snapshot, or computed live")
    snapshot_taken_at: datetime | None
    lens: LensRead
    unit: UnitRef | None
    location: LocationRef | None
    people: int = Field(description="People counted (employed, in the population)")
    total: int = Field(description="Skills in demand")
    items: list[RollupLineRead]


class HeatmapCell(BaseModel):
    """Roll-up figures of one (unit, skill)."""

    demand: int
    met: int
    supply: int
    coverage: float
    impact: float
    single_point_of_failure: bool


class HeatmapRow(BaseModel):
    """One unit of the heatmap; `cells` align with the heatmap's skills (null: not in demand)."""

    unit: UnitRef
    cells: list[HeatmapCell | None]
    impact: float


class Heatmap(BaseModel):
    """Units (the sub-units of a unit, or the top of the organisation) × the skills with the
    highest impact over that whole population."""

    as_of: date
    basis: Basis
    lens: LensRead
    parent: UnitRef | None
    location: LocationRef | None
    skills: list[SkillRef]
    units: list[HeatmapRow]


class MatrixCell(BaseModel):
    """One person × skill of a team matrix."""

    current_level: float
    current_display_level: int = Field(description="On the 5-point scale; 0: no level at all")
    target_level: float | None = Field(description="The person's role target; null: not required")
    target_display_level: int | None
    shortfall: float
    weighted_gap: float


class TeamMember(BaseModel):
    """A person of a team with their gaps against their own role."""

    person: PersonRef
    role: RoleRef | None
    total_weighted_gap: float
    readiness: float | None
    skills_required: int
    skills_met: int
    cells: list[MatrixCell | None] = Field(description="Aligned with the matrix skills")


class TeamGaps(BaseModel):
    """A manager's reporting line: the roll-up per skill and the people × skills matrix."""

    manager: PersonRef
    as_of: date
    lens: LensRead
    people: int
    skills: list[RollupLineRead]
    matrix_skills: list[SkillRef]
    members: list[TeamMember] = Field(description="Largest total weighted gap first")


class TrendPoint(BaseModel):
    """Totals of one snapshot."""

    as_of: date
    skills_in_demand: int
    demand: int
    met: int
    coverage: float | None
    impact: float


class SkillTrendPoint(BaseModel):
    """One skill in one snapshot."""

    as_of: date
    coverage: float
    impact: float


class SkillTrend(BaseModel):
    """The history of one skill."""

    skill: SkillRef
    points: list[SkillTrendPoint]


class GapTrend(BaseModel):
    """Totals and the top skills over the snapshots, oldest first."""

    lens: LensRead
    unit: UnitRef | None
    points: list[TrendPoint]
    skills: list[SkillTrend]


class SnapshotRead(BaseModel):
    """A stored snapshot."""

    id: int
    as_of: date
    taken_at: datetime
    basis: str
    employees: int
    lines: int
    current: bool = Field(description="Its inputs equal today's: it answers for now")


class ItemRef(BaseModel):
    """A catalog item suggested to close a gap."""

    id: int
    title: str
    kind: str
    minutes: int
    level_gained: float


class BriefAction(BaseModel):
    """A suggested action and the data it follows from (pages word it per `kind`).

    Kinds: `coach` (people at level coach the others), `learn` (an item teaching the skill to the
    people short of it), `cross_train` (one holder only), `no_holder` (nobody holds it at level),
    `screen` (an open position's role needs a top gap), `engagement` (the team's engagement is
    below the organisation's)."""

    kind: Literal["coach", "learn", "cross_train", "no_holder", "screen", "engagement"]
    skill: SkillRef | None = None
    rank: int | None = None
    people: list[PersonRef] = Field(default_factory=list)
    learners: int = 0
    item: ItemRef | None = None
    role: RoleRef | None = None
    value: float | None = None
    org_value: float | None = None


class BriefOpening(BaseModel):
    """An open position in the team and the team's gaps its role needs."""

    id: int
    external_id: str
    role: RoleRef
    unit: str
    opened_on: date
    days_open: int
    gap_skills: list[SkillRef]


class BriefMember(BaseModel):
    """One person of the team: gaps, latest rating, recent engagement."""

    person: PersonRef
    role: RoleRef | None
    direct: bool
    total_weighted_gap: float
    readiness: float | None
    skills_met: int
    skills_required: int
    performance: int | None
    potential: int | None
    engagement: float | None


class ManagerBrief(BaseModel):
    """One team's brief: critical gaps, how they line up with performance, engagement and
    hiring, and suggested actions."""

    manager: PersonRef
    as_of: date
    lens: LensRead
    people: int
    direct: int
    gaps: list[RollupLineRead]
    members: list[BriefMember]
    performance_mean: float | None
    performance_rated: int
    high_performers: int
    org_performance_mean: float | None
    engagement_mean: float | None
    engagement_answered: int
    org_engagement_mean: float | None
    engagement_window_days: int
    performance_of_larger_gaps: float | None = Field(
        description="Mean rating of the half of the team with the larger gaps"
    )
    performance_of_smaller_gaps: float | None
    openings: list[BriefOpening]
    actions: list[BriefAction]
