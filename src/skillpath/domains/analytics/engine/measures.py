"""Time to fill, internal mobility, proficiency change and ROI (docs/analytics.md).

Every function takes plain arrays and returns the figure with what it was computed from, so a
page can show the number, its formula and its inputs side by side.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import stats

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

CONFIDENCE = 0.95


@dataclass(frozen=True)
class Distribution:
    """Days to fill: how many, median and quartiles, mean, and a bootstrap-free interval of
    the median (the order-statistic interval)."""

    count: int
    median: float | None
    q1: float | None
    q3: float | None
    mean: float | None
    median_low: float | None
    median_high: float | None


def distribution(days: FloatArray) -> Distribution:
    """Median, quartiles and the distribution-free confidence interval of the median (the
    order statistics whose binomial ranks cover 95 %)."""
    values = np.sort(np.asarray(days, dtype=np.float64))
    if values.ndim != 1 or (values.size and not np.all(np.isfinite(values))):
        raise ValueError("days must be finite numbers")
    if values.size and values.min() < 0:
        raise ValueError("days to fill cannot be negative")
    n = int(values.size)
    if n == 0:
        return Distribution(0, None, None, None, None, None, None)
    q1, median, q3 = np.percentile(values, [25, 50, 75])
    low_rank = int(stats.binom.ppf((1 - CONFIDENCE) / 2, n, 0.5))
    high_rank = int(stats.binom.isf((1 - CONFIDENCE) / 2, n, 0.5))
    low = values[max(low_rank - 1, 0)] if n >= 6 else None
    high = values[min(high_rank, n - 1)] if n >= 6 else None
    return Distribution(
        count=n,
        median=float(median),
        q1=float(q1),
        q3=float(q3),
        mean=float(values.mean()),
        median_low=None if low is None else float(low),
        median_high=None if high is None else float(high),
    )


@dataclass(frozen=True)
class Rate:
    """A proportion with its Wilson score interval."""

    numerator: int
    denominator: int
    value: float | None
    low: float | None
    high: float | None


def rate(numerator: int, denominator: int) -> Rate:
    """numerator / denominator with the Wilson 95 % interval (None when nothing is counted)."""
    if numerator < 0 or denominator < 0 or numerator > denominator:
        raise ValueError("a rate needs 0 ≤ numerator ≤ denominator")
    if denominator == 0:
        return Rate(numerator, 0, None, None, None)
    z = float(stats.norm.ppf(0.5 + CONFIDENCE / 2))
    p = numerator / denominator
    centre = (p + z * z / (2 * denominator)) / (1 + z * z / denominator)
    half = (
        z
        * np.sqrt(p * (1 - p) / denominator + z * z / (4 * denominator * denominator))
        / (1 + z * z / denominator)
    )
    return Rate(numerator, denominator, p, max(0.0, centre - half), min(1.0, centre + half))


def mobility_rate(moves: int, headcount: FloatArray) -> Rate:
    """Moves per average headcount over a period (headcount sampled over the period)."""
    average = float(np.mean(headcount)) if np.asarray(headcount).size else 0.0
    people = round(average)
    if moves > people:
        # More moves than people (several moves each): report the ratio without an interval.
        return Rate(moves, people, moves / people if people else None, None, None)
    return rate(moves, people)


@dataclass(frozen=True)
class Change:
    """Paired before/after change: mean, its t interval, and how many pairs."""

    pairs: int
    mean_before: float | None
    mean_after: float | None
    mean_change: float | None
    low: float | None
    high: float | None


def paired_change(before: FloatArray, after: FloatArray) -> Change:
    """Mean of after − before with the 95 % t interval (pairs: the same person and skill)."""
    first = np.asarray(before, dtype=np.float64)
    second = np.asarray(after, dtype=np.float64)
    if first.shape != second.shape or first.ndim != 1:
        raise ValueError("before and after must be paired one-dimensional arrays")
    n = int(first.size)
    if n == 0:
        return Change(0, None, None, None, None, None)
    diff = second - first
    mean = float(diff.mean())
    if n == 1:
        return Change(1, float(first.mean()), float(second.mean()), mean, None, None)
    spread = float(diff.std(ddof=1)) / np.sqrt(n)
    t = float(stats.t.ppf(0.5 + CONFIDENCE / 2, n - 1))
    return Change(
        n, float(first.mean()), float(second.mean()), mean, mean - t * spread, mean + t * spread
    )


@dataclass(frozen=True)
class Assumptions:
    """What HR sets, shown next to every number it drives."""

    cost_per_external_hire: float = 12_000.0
    internal_transition_cost: float = 2_500.0
    loaded_hourly_rate: float = 45.0
    replacement_cost_share: float = 0.5
    """Cost of replacing a leaver, as a share of a yearly salary."""
    average_salary: float = 48_000.0
    productivity_ramp_months_external: float = 6.0
    productivity_ramp_months_internal: float = 3.0

    def __post_init__(self) -> None:
        """Reject negative money, rates and ramps."""
        for name, value in self.__dict__.items():
            if not np.isfinite(value) or value < 0:
                raise ValueError(f"{name} must be a non-negative number")


@dataclass(frozen=True)
class Roi:
    """ROI % = (benefit − cost) / cost, with every term."""

    internal_fills: int
    recruiting_cost_avoided: float
    retention_benefit: float
    productivity_benefit: float
    benefit: float
    item_costs: float
    learning_hours: float
    time_cost: float
    cost: float
    roi_percent: float | None


def roi(
    *,
    internal_fills: int,
    departures_avoided: float,
    item_costs: float,
    learning_hours: float,
    assumptions: Assumptions,
) -> Roi:
    """Benefit = recruiting cost avoided (internal fills × (cost per external hire − internal
    transition cost)) + retention (departures avoided × replacement cost) + productivity (internal
    fills × months of ramp saved × monthly salary × ½, the ramp being linear); cost = item costs +
    learning hours × loaded hourly rate."""
    if internal_fills < 0 or learning_hours < 0 or item_costs < 0:
        raise ValueError("fills, hours and costs cannot be negative")
    a = assumptions
    avoided = internal_fills * (a.cost_per_external_hire - a.internal_transition_cost)
    retention = departures_avoided * a.replacement_cost_share * a.average_salary
    ramp_saved = max(0.0, a.productivity_ramp_months_external - a.productivity_ramp_months_internal)
    productivity = internal_fills * ramp_saved * (a.average_salary / 12) * 0.5
    time_cost = learning_hours * a.loaded_hourly_rate
    cost = item_costs + time_cost
    benefit = avoided + retention + productivity
    return Roi(
        internal_fills=internal_fills,
        recruiting_cost_avoided=avoided,
        retention_benefit=retention,
        productivity_benefit=productivity,
        benefit=benefit,
        item_costs=item_costs,
        learning_hours=learning_hours,
        time_cost=time_cost,
        cost=cost,
        roi_percent=100 * (benefit - cost) / cost if cost > 0 else None,
    )
