"""Mentor–mentee pair scores and the optimal capacitated matching (docs/mentoring.md).

**Pair score** in [0, 1], a published weighted sum:

    score = 0.55 · complementarity + 0.15 · goal + 0.10 · language + 0.10 · time zone
            + 0.10 · preference

- complementarity = Σₛ wₛ · g(mentor level − mentee level) over the skills the mentee wants
  (weights wₛ summing to 1), g(d) = (1 − e^(−4d)) / (1 − e^(−4)) for d > 0 and 0 otherwise —
  diminishing returns: the first steps above the mentee count most;
- goal = Σₛ wₛ over the wanted skills the mentor offers (at any level above the mentee's);
- language = 1 when they share a language; time zone = max(0, 1 − |Δ hours| / 8);
- preference = 1 when the mentee named this mentor.

A pair is **admissible** when the mentor can teach something (complementarity > 0) and the pair
is not excluded (same reporting line, a repeat pair, an opt-out — the caller lists exclusions).

**Matching**: every mentee gets at most one mentor, every mentor at most their capacity, and the
total score is maximal. It is a maximum-weight b-matching, solved exactly as a min-cost flow
(source → mentee, capacity 1; mentee → mentor, cost −score; mentor → sink, capacity c; a free
source → sink arc lets mentees stay unmatched) with OR-Tools' network simplex on integer costs
(scores × 10⁶, so the optimum is exact for scores rounded to 6 decimals). `greedy_assign` is the
reference (best pair first) and `brute_force_assign` the test oracle on small cases.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from ortools.graph.python import min_cost_flow

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

WEIGHTS = {
    "complementarity": 0.55,
    "goal": 0.15,
    "language": 0.10,
    "timezone": 0.10,
    "preference": 0.10,
}
"""The published weights of the pair score (they add up to 1)."""
STEEPNESS = 4.0
TIMEZONE_SPAN = 8.0
COST_SCALE = 1_000_000
"""Scores become integer costs at this scale for the min-cost flow."""


def gain(difference: FloatArray) -> FloatArray:
    """Diminishing returns of a level difference: 0 at or below 0, 1 at a difference of 1."""
    d = np.clip(difference, 0.0, 1.0)
    return np.where(
        difference > 1e-9, (1.0 - np.exp(-STEEPNESS * d)) / (1.0 - np.exp(-STEEPNESS)), 0.0
    )


@dataclass(frozen=True, eq=False)
class Side:
    """Mentees or mentors as rows: `skills` (rows × skills) holds wanted-skill weights for
    mentees (each row summing to 1, or empty) and offered skills for mentors (1s); `levels`
    (rows × skills) the consolidated levels; languages as bit masks; UTC offsets in hours;
    capacities (mentors: 1–n; mentees: 1)."""

    ids: IntArray
    skills: sp.csr_matrix
    levels: sp.csr_matrix
    languages: IntArray
    utc_offset: FloatArray
    capacity: IntArray

    def __post_init__(self) -> None:
        """Check that every column has one value per row."""
        n = self.ids.shape[0]
        for name in ("languages", "utc_offset", "capacity"):
            if getattr(self, name).shape != (n,):
                raise ValueError(f"{name} must have one value per row ({n})")
        if self.skills.shape[0] != n or self.levels.shape[0] != n:
            raise ValueError("skills and levels must have one row per person")
        if self.skills.shape[1] != self.levels.shape[1]:
            raise ValueError("skills and levels must have the same columns")
        if np.any(self.capacity < 0):
            raise ValueError("capacities must not be negative")

    @property
    def size(self) -> int:
        """Number of rows."""
        return int(self.ids.shape[0])


@dataclass(frozen=True)
class PairScores:
    """Admissible pairs (mentee row, mentor row) with the score and its parts."""

    mentee: IntArray
    mentor: IntArray
    score: FloatArray
    complementarity: FloatArray
    goal: FloatArray
    language: FloatArray
    timezone: FloatArray
    preference: FloatArray

    @property
    def size(self) -> int:
        """Number of admissible pairs."""
        return int(self.mentee.shape[0])


def _pairs(codes: IntArray, width: int) -> tuple[IntArray, IntArray]:
    return codes // width, codes % width


def pair_scores(
    mentees: Side,
    mentors: Side,
    *,
    excluded: Sequence[tuple[int, int]] = (),
    preferred: Sequence[tuple[int, int]] = (),
) -> PairScores:
    """Every admissible pair and its score (rows of `mentees` × rows of `mentors`).

    Computed skill by skill: the mentees wanting a skill against the mentors offering it, so
    the work grows with the pairs that share a skill, not with mentees × mentors."""
    wanted = mentees.skills.tocsc()
    mentee_levels = mentees.levels.tocsc()
    offered = mentors.skills.tocsc()
    mentor_levels = mentors.levels.tocsc()
    m = mentors.size
    keys: list[IntArray] = []
    comp: list[FloatArray] = []
    goal: list[FloatArray] = []
    for skill in range(wanted.shape[1]):
        w_start, w_end = wanted.indptr[skill], wanted.indptr[skill + 1]
        o_start, o_end = offered.indptr[skill], offered.indptr[skill + 1]
        if w_start == w_end or o_start == o_end:
            continue
        who = wanted.indices[w_start:w_end]
        weight = wanted.data[w_start:w_end]
        their = np.asarray(mentee_levels[who, skill].toarray()).ravel()
        by = offered.indices[o_start:o_end]
        held = np.asarray(mentor_levels[by, skill].toarray()).ravel()
        difference = held[None, :] - their[:, None]
        useful = difference > 1e-9
        if not useful.any():
            continue
        rows, cols = np.nonzero(useful)
        keys.append(who[rows].astype(np.int64) * m + by[cols].astype(np.int64))
        comp.append(weight[rows] * gain(difference[rows, cols]))
        goal.append(weight[rows])
    if not keys:
        return _empty()
    all_keys = np.concatenate(keys)
    unique, inverse = np.unique(all_keys, return_inverse=True)
    complementarity: FloatArray = np.bincount(
        inverse, weights=np.concatenate(comp), minlength=unique.size
    ).astype(np.float64)
    goal_share: FloatArray = np.bincount(
        inverse, weights=np.concatenate(goal), minlength=unique.size
    ).astype(np.float64)
    mentee, mentor = _pairs(unique, m)
    if excluded:
        banned = np.array([i * m + j for i, j in excluded], dtype=np.int64)
        keep = ~np.isin(unique, banned)
        unique, mentee, mentor = unique[keep], mentee[keep], mentor[keep]
        complementarity, goal_share = complementarity[keep], goal_share[keep]
    language = ((mentees.languages[mentee] & mentors.languages[mentor]) != 0).astype(np.float64)
    zone = np.clip(
        1.0 - np.abs(mentees.utc_offset[mentee] - mentors.utc_offset[mentor]) / TIMEZONE_SPAN,
        0.0,
        1.0,
    )
    preference = np.zeros(unique.size)
    if preferred:
        named = np.array([i * m + j for i, j in preferred], dtype=np.int64)
        preference = np.isin(unique, named).astype(np.float64)
    complementarity = np.minimum(complementarity, 1.0)
    goal_share = np.minimum(goal_share, 1.0)
    score = (
        WEIGHTS["complementarity"] * complementarity
        + WEIGHTS["goal"] * goal_share
        + WEIGHTS["language"] * language
        + WEIGHTS["timezone"] * zone
        + WEIGHTS["preference"] * preference
    )
    return PairScores(
        mentee=mentee.astype(np.int64),
        mentor=mentor.astype(np.int64),
        score=score,
        complementarity=complementarity,
        goal=goal_share,
        language=language,
        timezone=zone,
        preference=preference,
    )


def _empty() -> PairScores:
    nothing = np.zeros(0)
    none = np.zeros(0, dtype=np.int64)
    return PairScores(none, none, nothing, nothing, nothing, nothing, nothing, nothing)


@dataclass(frozen=True)
class Assignment:
    """Chosen pairs (indexes into the PairScores) and the total score."""

    pairs: IntArray
    total: float
    optimal: bool


def _check(scores: PairScores, mentee_capacity: IntArray, mentor_capacity: IntArray) -> None:
    if scores.size and (
        scores.mentee.max() >= mentee_capacity.shape[0]
        or scores.mentor.max() >= mentor_capacity.shape[0]
    ):
        raise ValueError("a pair names a row outside the capacities")


def assign(scores: PairScores, mentee_capacity: IntArray, mentor_capacity: IntArray) -> Assignment:
    """The maximum total score under the capacities (exact: a min-cost flow)."""
    _check(scores, mentee_capacity, mentor_capacity)
    n, m = mentee_capacity.shape[0], mentor_capacity.shape[0]
    positive = np.flatnonzero(scores.score > 0)
    if positive.size == 0:
        return Assignment(np.zeros(0, dtype=np.int64), 0.0, True)
    source, sink = n + m, n + m + 1
    supply = int(mentee_capacity.sum())
    flow = min_cost_flow.SimpleMinCostFlow()
    tails = np.concatenate(
        [np.full(n, source), scores.mentee[positive], n + np.arange(m), [source]]
    ).astype(np.int32)
    heads = np.concatenate(
        [np.arange(n), n + scores.mentor[positive], np.full(m, sink), [sink]]
    ).astype(np.int32)
    capacities = np.concatenate(
        [mentee_capacity, np.ones(positive.size, dtype=np.int64), mentor_capacity, [supply]]
    ).astype(np.int64)
    costs = np.concatenate(
        [
            np.zeros(n, dtype=np.int64),
            -np.round(scores.score[positive] * COST_SCALE).astype(np.int64),
            np.zeros(m, dtype=np.int64),
            [0],
        ]
    ).astype(np.int64)
    flow.add_arcs_with_capacity_and_unit_cost(tails, heads, capacities, costs)
    first_pair_arc = n  # arcs are numbered in the order they were added
    supplies = np.zeros(n + m + 2, dtype=np.int64)
    supplies[source] = supply
    supplies[sink] = -supply
    flow.set_nodes_supplies(np.arange(n + m + 2, dtype=np.int32), supplies)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"the min-cost flow ended with status {status}")
    used = flow.flows(np.arange(first_pair_arc, first_pair_arc + positive.size, dtype=np.int32))
    chosen = positive[used > 0]
    return Assignment(chosen.astype(np.int64), float(scores.score[chosen].sum()), True)


def greedy_assign(
    scores: PairScores, mentee_capacity: IntArray, mentor_capacity: IntArray
) -> Assignment:
    """The reference: take pairs best first (ties: mentee, then mentor) while both have room."""
    _check(scores, mentee_capacity, mentor_capacity)
    order = np.lexsort((scores.mentor, scores.mentee, -scores.score))
    left_mentee = mentee_capacity.astype(np.int64).copy()
    left_mentor = mentor_capacity.astype(np.int64).copy()
    chosen = []
    for k in order.tolist():
        if scores.score[k] <= 0:
            break
        i, j = int(scores.mentee[k]), int(scores.mentor[k])
        if left_mentee[i] > 0 and left_mentor[j] > 0:
            left_mentee[i] -= 1
            left_mentor[j] -= 1
            chosen.append(k)
    picked = np.array(chosen, dtype=np.int64)
    return Assignment(picked, float(scores.score[picked].sum()) if chosen else 0.0, False)


def brute_force_assign(
    scores: PairScores, mentee_capacity: IntArray, mentor_capacity: IntArray
) -> Assignment:
    """Every subset of pairs (test oracle; a dozen pairs at most)."""
    if scores.size > 14:
        raise ValueError("brute force is for a dozen pairs at most")
    best: tuple[float, tuple[int, ...]] = (0.0, ())
    for size in range(1, scores.size + 1):
        for subset in itertools.combinations(range(scores.size), size):
            used_mentee = np.bincount(scores.mentee[list(subset)], minlength=mentee_capacity.size)
            used_mentor = np.bincount(scores.mentor[list(subset)], minlength=mentor_capacity.size)
            if np.any(used_mentee > mentee_capacity) or np.any(used_mentor > mentor_capacity):
                continue
            total = float(scores.score[list(subset)].sum())
            if total > best[0] + 1e-12:
                best = (total, subset)
    return Assignment(np.array(best[1], dtype=np.int64), best[0], True)
