"""What the impact analytics API returns: every metric with its value, interval, formula, inputs
and the assumptions it uses."""

from __future__ import annotations

from datetime import date

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
    metrics: list[Metric]
    retention: list[RetentionComparison]
    assumptions: dict[str, float]
    notes: list[str]
