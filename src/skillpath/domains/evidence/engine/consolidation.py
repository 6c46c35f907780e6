"""Consolidate skill evidence into one level and confidence per (employee, skill).

Definition (exactly what `consolidate` and the reference loop compute):

1. Expired evidence (a certification past its expiry) does not count.
2. A rater's newest rating of a skill from one source supersedes that rater's older ratings of
   it (ties: the higher level, then the higher confidence is kept). Evidence without a rater
   (assessments, completions …) never supersedes.
3. Raw weight: `reliability[source] × confidence × 0.5 ** (age_days / half_life_days)`.
4. Weight: the raw weight, capped by the smallest weight of strictly newer counted evidence of the
   same (employee, skill, source) — so older evidence never weighs more than newer evidence of the
   same source.
5. Level: the weighted mean of the counted levels, raised to the highest level taught by a counted
   learning completion when the policy says completions set a floor.
6. Confidence: `amount × (1 − a + a × agreement)` with `amount = 1 − exp(−Σweight / saturation)`,
   `agreement = 1 − 2 × weighted standard deviation of the levels` and `a` the agreement share.
7. Each counted piece's share of the level is `weight / Σweight` (the breakdown).

Groups whose evidence has all expired are left out.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from skillpath.domains.evidence.engine.policy import LEARNING, SOURCES, ConsolidationPolicy

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

COUNTED = 0
SUPERSEDED = 1
EXPIRED = 2


@dataclass(frozen=True)
class EvidenceBatch:
    """Evidence rows as parallel arrays (one element per row).

    Ages are whole days before the as-of date; the half-life of a row follows from its skill's
    kind, so it is the same for every row of one skill.
    """

    employee: IntArray
    skill: IntArray
    source: IntArray
    rater: IntArray
    level: FloatArray
    confidence: FloatArray
    age_days: IntArray
    half_life_days: FloatArray
    expired: BoolArray

    def __post_init__(self) -> None:
        """Validate shapes and ranges so the engine can trust its input."""
        n = self.employee.shape[0]
        for name in (
            "skill",
            "source",
            "rater",
            "level",
            "confidence",
            "age_days",
            "half_life_days",
            "expired",
        ):
            if getattr(self, name).shape != (n,):
                raise ValueError(f"{name} must have shape ({n},)")
        for name in ("employee", "skill", "source", "rater", "age_days"):
            if not np.issubdtype(getattr(self, name).dtype, np.integer):
                raise ValueError(f"{name} must be an integer array (ages in whole days)")
        if n == 0:
            return
        if self.source.min() < 0 or self.source.max() >= len(SOURCES):
            raise ValueError("source codes out of range")
        if not (np.all(self.level >= 0.0) and np.all(self.level <= 1.0)):
            raise ValueError("levels must be in [0, 1]")
        if not (np.all(self.confidence > 0.0) and np.all(self.confidence <= 1.0)):
            raise ValueError("confidences must be in (0, 1]")
        if not np.all(self.age_days >= 0):
            raise ValueError("ages must be non-negative (evidence from the future?)")
        if not np.all(self.half_life_days > 0.0):
            raise ValueError("half-lives must be positive")

    @property
    def size(self) -> int:
        """Number of rows."""
        return int(self.employee.shape[0])


@dataclass(frozen=True)
class Consolidated:
    """One row per (employee, skill) with counted evidence, sorted by employee then skill;
    plus, per input row, its status, weight and share of its group's level."""

    employee: IntArray
    skill: IntArray
    level: FloatArray
    confidence: FloatArray
    total_weight: FloatArray
    evidence_count: IntArray
    floor: FloatArray
    row_group: IntArray
    row_status: IntArray
    row_weight: FloatArray
    row_share: FloatArray


def _starts(*keys: npt.NDArray[np.generic]) -> BoolArray:
    """True where any key differs from the previous element (first element True)."""
    n = keys[0].shape[0]
    start = np.zeros(n, dtype=bool)
    if n:
        start[0] = True
        for key in keys:
            start[1:] |= key[1:] != key[:-1]
    return start


def _segmented_running_min(values: FloatArray, segment_start: BoolArray) -> FloatArray:
    """Inclusive running minimum restarting at each segment start, computed exactly.

    A doubling (Hillis–Steele) scan: after the pass with step d every element holds the minimum
    of the last 2d elements of its segment, so ⌈log2(longest segment)⌉ passes suffice.
    """
    n = values.shape[0]
    if n == 0:
        return values.copy()
    first = np.maximum.accumulate(np.where(segment_start, np.arange(n), 0))
    position_in_segment = np.arange(n) - first
    result = values.copy()
    longest = int(position_in_segment.max()) + 1
    step = 1
    while step < longest:
        earlier = np.empty_like(result)
        earlier[:step] = np.inf
        earlier[step:] = result[:-step]
        reach = position_in_segment >= step
        result = np.where(reach, np.minimum(result, earlier), result)
        step *= 2
    return result


def _dense(values: IntArray) -> tuple[IntArray, int]:
    """Values as small non-negative codes (keeps order), and how many codes there are."""
    low, high = int(values.min()), int(values.max())
    if low >= 0 and high < 1 << 24:
        return values, high + 1
    uniques, codes = np.unique(values, return_inverse=True)
    return codes.astype(np.int64), int(uniques.shape[0])


def consolidate(
    batch: EvidenceBatch, policy: ConsolidationPolicy, *, with_rows: bool = True
) -> Consolidated:
    """Consolidate a batch of evidence by the policy (see the module docstring).

    Without `with_rows` the per-row figures (`row_group`, `row_status`, `row_weight`,
    `row_share`: the breakdown's) are left empty; the groups are the same.
    """
    n = batch.size
    if n == 0:
        empty_f = np.zeros(0)
        empty_i = np.zeros(0, dtype=np.int64)
        return Consolidated(
            employee=empty_i,
            skill=empty_i,
            level=empty_f,
            confidence=empty_f,
            total_weight=empty_f,
            evidence_count=empty_i,
            floor=empty_f,
            row_group=empty_i,
            row_status=empty_i,
            row_weight=empty_f,
            row_share=empty_f,
        )
    status = np.full(n, COUNTED, dtype=np.int64)
    status[batch.expired] = EXPIRED

    # Composite sort keys (single int64 argsorts are an order of magnitude faster than lexsort).
    employee_code, _ = _dense(batch.employee)
    skill_code, skill_width = _dense(batch.skill)
    pair = employee_code * skill_width + skill_code
    pair_source = pair * len(SOURCES) + batch.source

    # 2. Supersession: per (employee, skill, source, rater) keep the newest (then highest) rating.
    rated = np.flatnonzero((status == COUNTED) & (batch.rater >= 0))
    if rated.size:
        rater_code, rater_width = _dense(batch.rater[rated])
        key = pair_source[rated] * rater_width + rater_code
        order = np.argsort(key, kind="stable")
        sorted_key = key[order]
        score = 2.0 * batch.age_days[rated][order] - batch.level[rated][order]
        segment_start = _starts(sorted_key)
        segment_id = np.cumsum(segment_start) - 1
        first_of_segment = np.flatnonzero(segment_start)
        best_score = np.minimum.reduceat(score, first_of_segment)
        newest = score == best_score[segment_id]
        confidence = np.where(newest, batch.confidence[rated][order], -1.0)
        best_confidence = np.maximum.reduceat(confidence, first_of_segment)
        best = newest & (confidence == best_confidence[segment_id])
        position = np.arange(order.shape[0])
        best_position = np.where(best, position, order.shape[0])
        keep_position = np.minimum.reduceat(best_position, first_of_segment)
        superseded_here = position != keep_position[segment_id]
        status[rated[order[superseded_here]]] = SUPERSEDED

    # 3. Raw weights.
    reliability = np.asarray(policy.reliability_by_code(), dtype=np.float64)
    raw = (
        reliability[batch.source]
        * batch.confidence
        * np.exp2(-batch.age_days / batch.half_life_days)
    )

    # 4. Cap by strictly newer evidence of the same (employee, skill, source).
    counted = np.flatnonzero(status == COUNTED)
    age_width = int(batch.age_days.max()) + 1
    order2 = counted[
        np.argsort(pair_source[counted] * age_width + batch.age_days[counted], kind="stable")
    ]
    ps2 = pair_source[order2]
    pair2 = pair[order2]
    age2 = batch.age_days[order2]
    src2 = batch.source[order2]
    raw2 = raw[order2]
    segment = _starts(ps2)
    running = _segmented_running_min(raw2, segment)
    block = _starts(ps2, age2)
    block_first = np.maximum.accumulate(np.where(block, np.arange(order2.shape[0]), 0))
    has_newer = ~segment[block_first]
    cap = np.full(order2.shape[0], np.inf)
    cap[has_newer] = running[block_first[has_newer] - 1]
    weight2 = np.minimum(raw2, cap)
    emp2 = batch.employee[order2]
    skill2 = batch.skill[order2]

    # 5–7. Group statistics over (employee, skill).
    group_start = _starts(pair2)
    group_id = np.cumsum(group_start) - 1
    groups = int(group_start.sum())
    level2 = batch.level[order2]
    total: FloatArray = np.bincount(group_id, weights=weight2, minlength=groups).astype(np.float64)
    mean = np.bincount(group_id, weights=weight2 * level2, minlength=groups) / total
    spread = np.bincount(
        group_id, weights=weight2 * (level2 - mean[group_id]) ** 2, minlength=groups
    )
    sd = np.sqrt(np.maximum(spread / total, 0.0))
    agreement = np.clip(1.0 - 2.0 * sd, 0.0, 1.0)
    amount = 1.0 - np.exp(-total / policy.saturation_weight)
    share = policy.agreement_share
    confidence = amount * (1.0 - share + share * agreement)
    floor = np.full(groups, np.nan)
    if policy.learning_sets_floor:
        is_learning = src2 == LEARNING
        if is_learning.any():
            learned = np.full(groups, -np.inf)
            np.maximum.at(learned, group_id[is_learning], level2[is_learning])
            floor = np.where(np.isfinite(learned), learned, np.nan)
    level = np.where(np.isnan(floor), mean, np.maximum(mean, np.nan_to_num(floor, nan=0.0)))
    count = np.bincount(group_id, minlength=groups).astype(np.int64)
    starts_idx = np.flatnonzero(group_start)
    if not with_rows:
        return Consolidated(
            employee=emp2[starts_idx].astype(np.int64),
            skill=skill2[starts_idx].astype(np.int64),
            level=np.clip(level, 0.0, 1.0),
            confidence=np.clip(confidence, 0.0, 1.0),
            total_weight=total,
            evidence_count=count,
            floor=floor,
            row_group=np.zeros(0, dtype=np.int64),
            row_status=np.zeros(0, dtype=np.int64),
            row_weight=np.zeros(0),
            row_share=np.zeros(0),
        )

    row_group = np.full(n, -1, dtype=np.int64)
    row_weight = np.zeros(n)
    row_share = np.zeros(n)
    row_group[order2] = group_id
    row_weight[order2] = weight2
    row_share[order2] = weight2 / total[group_id]
    # Superseded rows still belong to their group (the breakdown shows them), with no weight;
    # their newer rating from the same rater is counted, so the group always exists.
    superseded = np.flatnonzero(status == SUPERSEDED)
    if superseded.size:
        row_group[superseded] = np.searchsorted(pair2[starts_idx], pair[superseded])
    return Consolidated(
        employee=emp2[starts_idx].astype(np.int64),
        skill=skill2[starts_idx].astype(np.int64),
        level=np.clip(level, 0.0, 1.0),
        confidence=np.clip(confidence, 0.0, 1.0),
        total_weight=total,
        evidence_count=count,
        floor=floor,
        row_group=row_group,
        row_status=status,
        row_weight=row_weight,
        row_share=row_share,
    )
