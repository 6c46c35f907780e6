"""Retention of program participants against non-participants: Kaplan–Meier curves with
confidence intervals, the log-rank test, and matched comparison groups (docs/analytics.md).

Each person contributes a time at risk (months from entering the comparison — the day they
joined a program, or the matched participant's day for a comparison person — to leaving, or to
the end of observation) and whether they left (an event) or are still here (censored). Curves
come from `scipy.stats.ecdf` on censored data with log-log confidence intervals; the test is
`scipy.stats.logrank`. `reference_survival` is a plain product-limit loop, the test oracle.

**Matching.** Participants differ from everyone else (they may be the engaged ones), so each is
compared with a non-participant of the same stratum — role family, tenure band, location and
performance band — chosen without replacement, nearest in hire date (ties: the lower row). A
participant without a match is left out of the matched comparison and counted.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import stats

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

CONFIDENCE = 0.95


@dataclass(frozen=True)
class Curve:
    """A survival curve at the given months, with its confidence band."""

    months: FloatArray
    survival: FloatArray
    low: FloatArray
    high: FloatArray
    people: int
    events: int


@dataclass(frozen=True)
class Comparison:
    """Participants against a comparison group: both curves, retention at a horizon with
    intervals, the difference, and the log-rank test."""

    participants: Curve
    others: Curve
    horizon: float
    retained_participants: float
    retained_others: float
    difference: float
    """Retention of participants minus the others' at the horizon."""
    difference_low: float
    difference_high: float
    statistic: float
    p_value: float
    unmatched: int = 0


def _check(time: FloatArray, left: BoolArray) -> tuple[FloatArray, BoolArray]:
    time = np.asarray(time, dtype=np.float64)
    left = np.asarray(left, dtype=np.bool_)
    if time.ndim != 1 or left.shape != time.shape:
        raise ValueError("times and events must be one-dimensional and of the same length")
    if time.size and (not np.all(np.isfinite(time)) or time.min() < 0):
        raise ValueError("times must be finite and not negative")
    return time, left


def _censored(time: FloatArray, left: BoolArray) -> stats.CensoredData:
    return stats.CensoredData(uncensored=time[left], right=time[~left])


def survival_curve(time: FloatArray, left: BoolArray, months: FloatArray) -> Curve:
    """The Kaplan–Meier estimate S(t) at `months`, with log-log intervals (1 before any
    departure; the band is the estimate itself where it cannot be computed)."""
    time, left = _check(time, left)
    grid = np.asarray(months, dtype=np.float64)
    if time.size == 0:
        ones = np.ones(grid.size)
        return Curve(grid, ones, ones, ones, 0, 0)
    if not left.any():
        ones = np.ones(grid.size)
        return Curve(grid, ones, ones, ones, int(time.size), 0)
    result = stats.ecdf(_censored(time, left))
    survival = result.sf.evaluate(grid)
    with warnings.catch_warnings():
        # Where S(t) is 0 or 1 the log-log band is undefined; it is replaced by the estimate.
        warnings.simplefilter("ignore", RuntimeWarning)
        band = result.sf.confidence_interval(CONFIDENCE, method="log-log")
    low = np.nan_to_num(band.low.evaluate(grid), nan=np.nan)
    high = np.nan_to_num(band.high.evaluate(grid), nan=np.nan)
    low = np.where(np.isfinite(low), low, survival)
    high = np.where(np.isfinite(high), high, survival)
    return Curve(grid, survival, low, high, int(time.size), int(left.sum()))


def greenwood_variance(time: FloatArray, left: BoolArray, at: float) -> float:
    """Greenwood's variance of S(at) (0 before any departure)."""
    time, left = _check(time, left)
    s = 1.0
    total = 0.0
    for moment in np.unique(time[left]):
        if moment > at:
            break
        at_risk = int(np.sum(time >= moment))
        died = int(np.sum((time == moment) & left))
        if at_risk > died:
            total += died / (at_risk * (at_risk - died))
        s *= 1 - died / at_risk
    return s * s * total


def compare(
    participant_time: FloatArray,
    participant_left: BoolArray,
    other_time: FloatArray,
    other_left: BoolArray,
    *,
    horizon: float,
    months: FloatArray,
    unmatched: int = 0,
) -> Comparison:
    """Both curves, retention at `horizon` with the difference's normal interval (Greenwood
    variances added), and the two-sided log-rank test."""
    mine = survival_curve(participant_time, participant_left, months)
    theirs = survival_curve(other_time, other_left, months)
    at = np.array([horizon])
    s1 = float(survival_curve(participant_time, participant_left, at).survival[0])
    s0 = float(survival_curve(other_time, other_left, at).survival[0])
    spread = float(
        np.sqrt(
            greenwood_variance(participant_time, participant_left, horizon)
            + greenwood_variance(other_time, other_left, horizon)
        )
    )
    z = float(stats.norm.ppf(0.5 + CONFIDENCE / 2))
    statistic, p_value = 0.0, 1.0
    if (
        np.asarray(participant_time).size
        and np.asarray(other_time).size
        and (np.any(participant_left) or np.any(other_left))
    ):
        test = stats.logrank(
            _censored(*_check(participant_time, participant_left)),
            _censored(*_check(other_time, other_left)),
        )
        statistic, p_value = float(test.statistic), float(test.pvalue)
    return Comparison(
        participants=mine,
        others=theirs,
        horizon=horizon,
        retained_participants=s1,
        retained_others=s0,
        difference=s1 - s0,
        difference_low=s1 - s0 - z * spread,
        difference_high=s1 - s0 + z * spread,
        statistic=statistic,
        p_value=p_value,
        unmatched=unmatched,
    )


def reference_survival(time: Sequence[float], left: Sequence[bool], at: float) -> float:
    """The product-limit estimate by hand (the test oracle)."""
    pairs = sorted(zip(time, left, strict=True))
    s = 1.0
    moments = sorted({t for t, gone in pairs if gone and t <= at})
    for moment in moments:
        at_risk = sum(1 for t, _ in pairs if t >= moment)
        died = sum(1 for t, gone in pairs if gone and t == moment)
        s *= 1 - died / at_risk
    return s


@dataclass(frozen=True)
class Matched:
    """For each participant row, the matched non-participant row (−1: none)."""

    control: IntArray

    @property
    def unmatched(self) -> int:
        """Participants without a comparison person."""
        return int(np.sum(self.control < 0))


def match_controls(
    participant_strata: IntArray,
    participant_hired: FloatArray,
    other_strata: IntArray,
    other_hired: FloatArray,
    *,
    participant_entry: FloatArray | None = None,
    other_left: FloatArray | None = None,
) -> Matched:
    """One non-participant per participant, same stratum, without replacement, nearest hire
    date first (participants in row order; ties: the lower non-participant row). With
    `participant_entry` and `other_left` (days), a non-participant is eligible only when employed
    on the participant's entry day (hired on or before it, left after it)."""
    participant_strata = np.asarray(participant_strata, dtype=np.int64)
    other_strata = np.asarray(other_strata, dtype=np.int64)
    taken = np.zeros(other_strata.size, dtype=np.bool_)
    control = np.full(participant_strata.size, -1, dtype=np.int64)
    by_stratum: dict[int, IntArray] = {}
    for stratum in np.unique(other_strata).tolist():
        by_stratum[stratum] = np.flatnonzero(other_strata == stratum)
    for row in range(participant_strata.size):
        pool = by_stratum.get(int(participant_strata[row]))
        if pool is None:
            continue
        free = pool[~taken[pool]]
        if participant_entry is not None and other_left is not None:
            entry = participant_entry[row]
            free = free[
                (np.asarray(other_hired)[free] <= entry) & (np.asarray(other_left)[free] > entry)
            ]
        if free.size == 0:
            continue
        distance = np.abs(np.asarray(other_hired)[free] - participant_hired[row])
        best = free[np.lexsort((free, distance))[0]]
        taken[best] = True
        control[row] = best
    return Matched(control)


def strata(*columns: Sequence[object]) -> IntArray:
    """One stratum code per row from several columns (equal rows, equal codes)."""
    keys = list(zip(*columns, strict=True))
    codes: dict[tuple[object, ...], int] = {}
    return np.array([codes.setdefault(key, len(codes)) for key in keys], dtype=np.int64)
