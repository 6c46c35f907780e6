"""What the impact analytics API returns: every metric with its value, interval, formula, inputs
and the assumptions it uses."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field


class Metric(BaseModel):
    """One number and everything needed to trust it."""

    key: str
    label: str
    value: float | None
    unit: str
    low: float | None = Field(default=None, description="Lower end of the 95 % interval")
    high: float | None = Field(default=None, description="Upper end of the 95 % interval")
    formula: str
    inputs: dict[str, float | int | None] = Field(default_factory=dict)
    assumptions: list[str] = Field(
        default_factory=list, description="Names of the assumptions this number depends on"
    )
    previous: float | None = Field(
        default=None, description="The same metric over the previous period of the same length"
    )
    change: float | None = Field(default=None, description="value − previous")


class CurvePoint(BaseModel):
    """A point of a survival curve."""

    month: float
    survival: float
    low: float
    high: float


class RetentionGroup(BaseModel):
    """One group of a retention comparison."""

    label: str
    people: int
    left: int
    curve: list[CurvePoint]


class RetentionComparison(BaseModel):
    """Participants against a comparison group."""

    against: str = Field(description="matched (same stratum) or everyone else")
    participants: RetentionGroup
    others: RetentionGroup
    horizon_months: float
    retained_participants: float
    retained_others: float
    difference: float
    difference_low: float
    difference_high: float
    log_rank_statistic: float
    p_value: float
    unmatched_participants: int


class Roi(BaseModel):
    """Every ROI metric of a period (and unit), with the assumptions in force."""

    start: date
    end: date
    unit_id: int | None
    previous_start: date | None = Field(
        default=None, description="First day of the previous period of the same length"
    )
    previous_end: date | None = None
    metrics: list[Metric]
    retention: list[RetentionComparison]
    assumptions: dict[str, float]
    notes: list[str]


class AssumptionRead(BaseModel):
    """One ROI assumption: its value in force, its default and who last set it."""

    key: str
    value: float
    default: float
    unit: str = Field(description="currency, share (of a yearly salary) or months")
    updated_at: datetime | None = None
    updated_by: str | None = Field(default=None, description="E-mail of who last set it")


class FillRead(BaseModel):
    """An opening filled in the period (no personal data)."""

    opening: str
    role: str
    family: str
    critical: bool
    unit: str | None
    opened_on: date
    filled_on: date
    days: int
    source: str
    cost: float


class FillSpread(BaseModel):
    """Days to fill of one source: count, minimum, quartiles and maximum."""

    source: str
    count: int
    min: float | None = None
    q1: float | None = None
    median: float | None = None
    q3: float | None = None
    max: float | None = None


class FlowRead(BaseModel):
    """Moves from one role family to another in the period."""

    source: str
    target: str
    moves: int


class ParticipantRead(BaseModel):
    """A program participant of the period and the non-participant they are compared with."""

    employee_id: int
    name: str
    family: str
    joined_on: date
    left_on: date | None
    control_id: int | None
    control_name: str | None
    control_left_on: date | None


class Dashboard(BaseModel):
    """The ROI report and the records behind its figures."""

    roi: Roi
    fills: list[FillRead]
    fill_spread: list[FillSpread]
    flows: list[FlowRead]
    participants: list[ParticipantRead]
