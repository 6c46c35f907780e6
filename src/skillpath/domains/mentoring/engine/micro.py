"""Micro-mentoring finder: who can help a person with one skill this week (docs/mentoring.md,
"Micro-mentoring finder").

**Score** in [0, 1], a published weighted sum whose parts add up to it:

    score = 0.50 · level + 0.25 · availability + 0.10 · language + 0.15 · time zone

- level = g(helper level − asker level) with the diminishing returns of the pair score
  (`matching.gain`: the first steps above the asker count most; 1 at a full scale above);
- availability = min(1, free hours this week / 2): free = min(weekly share of the hours a month
  offered − hours booked this week, hours a month − hours booked this month), a session lasting
  SESSION_HOURS; two free hours or more count fully;
- language = 1 when they share a language; time zone = max(0, 1 − |Δ hours| / 8), the share of an
  eight-hour working day they have in common.

A helper is **admissible** when they hold the skill above the asker's level, have at least one
session's worth of free time this week, and are not excluded (the asker, their reporting line:
the caller lists ids). Ties (scores equal at 12 decimals): higher level first, then lower id.
"""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from skillpath.domains.mentoring.engine.matching import STEEPNESS, TIMEZONE_SPAN, gain

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

WEIGHTS = {"level": 0.50, "availability": 0.25, "language": 0.10, "timezone": 0.15}
"""The published weights of the finder's score (they add up to 1)."""
SESSION_HOURS = 1.0
"""A micro-mentoring session lasts an hour."""
FULL_AVAILABILITY_HOURS = 2.0
"""Free hours this week at which availability counts fully."""
WEEKS_PER_MONTH = 52.0 / 12.0
EPSILON = 1e-9
DECIMALS = 12
"""Scores are compared at 12 decimals, so that rounding never decides between equals."""


@dataclass(frozen=True)
class Asker:
    """The person asking: their level in the skill, languages (bit mask), UTC offset in hours."""

    id: int
    level: float
    languages: int
    utc_offset: float


@dataclass(frozen=True, eq=False)
class Helpers:
    """Candidate helpers as rows: their level in the skill, hours a month offered, sessions
    already booked this week and this month, languages (bit masks), UTC offsets in hours."""

    ids: IntArray
    level: FloatArray
    hours_per_month: FloatArray
    sessions_week: IntArray
    sessions_month: IntArray
    languages: IntArray
    utc_offset: FloatArray

    def __post_init__(self) -> None:
        """Check that every column has one value per row and the ranges."""
        n = self.ids.shape[0]
        for name in (
            "level",
            "hours_per_month",
            "sessions_week",
            "sessions_month",
            "languages",
            "utc_offset",
        ):
            if getattr(self, name).shape != (n,):
                raise ValueError(f"{name} must have one value per row ({n})")
        if n and (self.level.min() < 0 or self.level.max() > 1):
            raise ValueError("levels must lie in [0, 1]")
        if n and (
            self.hours_per_month.min() < 0
            or self.sessions_week.min() < 0
            or self.sessions_month.min() < 0
        ):
            raise ValueError("hours and sessions must not be negative")

    @property
    def size(self) -> int:
        """Number of candidate helpers."""
        return int(self.ids.shape[0])


@dataclass(frozen=True)
class Ranking:
    """Admissible helpers best first: rows into `Helpers`, the score and its weighted parts (they
    add up to the score), and the free hours this week."""

    rows: IntArray
    score: FloatArray
    level: FloatArray
    availability: FloatArray
    language: FloatArray
    timezone: FloatArray
    free_hours: FloatArray

    @property
    def size(self) -> int:
        """Number of ranked helpers."""
        return int(self.rows.shape[0])


def free_hours(helpers: Helpers) -> FloatArray:
    """Free hours this week: min(weekly share − booked this week, month − booked this month)."""
    week = helpers.hours_per_month / WEEKS_PER_MONTH - helpers.sessions_week * SESSION_HOURS
    month = helpers.hours_per_month - helpers.sessions_month * SESSION_HOURS
    return np.maximum(np.minimum(week, month), 0.0)


def rank_helpers(
    asker: Asker, helpers: Helpers, *, excluded_ids: Collection[int] = (), limit: int = 10
) -> Ranking:
    """The best `limit` admissible helpers for the asker, best first (vectorised)."""
    if limit < 0:
        raise ValueError("limit must not be negative")
    if not 0.0 <= asker.level <= 1.0:
        raise ValueError("the asker's level must lie in [0, 1]")
    free = free_hours(helpers)
    difference = helpers.level - asker.level
    banned = np.isin(helpers.ids, np.fromiter(excluded_ids, dtype=np.int64)) | (
        helpers.ids == asker.id
    )
    admissible = (difference > EPSILON) & (free >= SESSION_HOURS - EPSILON) & ~banned
    rows = np.flatnonzero(admissible)
    level = WEIGHTS["level"] * gain(difference[rows])
    availability = WEIGHTS["availability"] * np.minimum(free[rows] / FULL_AVAILABILITY_HOURS, 1.0)
    language = WEIGHTS["language"] * ((helpers.languages[rows] & asker.languages) != 0)
    zone = WEIGHTS["timezone"] * np.clip(
        1.0 - np.abs(helpers.utc_offset[rows] - asker.utc_offset) / TIMEZONE_SPAN, 0.0, 1.0
    )
    score = level + availability + language + zone
    order = np.lexsort((helpers.ids[rows], -helpers.level[rows], -np.round(score, DECIMALS)))
    order = order[:limit]
    return Ranking(
        rows=rows[order].astype(np.int64),
        score=score[order],
        level=level[order],
        availability=availability[order],
        language=language[order].astype(np.float64),
        timezone=zone[order],
        free_hours=free[rows][order],
    )


def reference_rank(
    asker: Asker, helpers: Helpers, *, excluded_ids: Collection[int] = (), limit: int = 10
) -> list[tuple[int, float]]:
    """The test oracle: the same rule, one helper at a time → (row, score), best first."""
    scored: list[tuple[float, float, int, int, float]] = []
    banned = set(excluded_ids) | {asker.id}
    for row in range(helpers.size):
        helper_id = int(helpers.ids[row])
        held = float(helpers.level[row])
        hours = float(helpers.hours_per_month[row])
        week = hours / (52.0 / 12.0) - int(helpers.sessions_week[row]) * SESSION_HOURS
        month = hours - int(helpers.sessions_month[row]) * SESSION_HOURS
        free = max(min(week, month), 0.0)
        if helper_id in banned or held - asker.level <= EPSILON or free < SESSION_HOURS - EPSILON:
            continue
        d = min(held - asker.level, 1.0)
        g = (1.0 - math.exp(-STEEPNESS * d)) / (1.0 - math.exp(-STEEPNESS))
        shares = int(helpers.languages[row]) & asker.languages != 0
        overlap = max(0.0, 1.0 - abs(float(helpers.utc_offset[row]) - asker.utc_offset) / 8.0)
        score = (
            0.50 * g
            + 0.25 * min(free / FULL_AVAILABILITY_HOURS, 1.0)
            + 0.10 * (1.0 if shares else 0.0)
            + 0.15 * overlap
        )
        scored.append((-round(score, DECIMALS), -held, helper_id, row, score))
    scored.sort()
    return [(row, score) for _, _, _, row, score in scored[:limit]]
