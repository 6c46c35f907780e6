"""Career paths over arrays: a role graph from skill-profile similarity and observed moves, the
roles reachable from a role in one or two steps, and a person's readiness for them.

Definitions (docs/mobility.md, "Career paths", publishes the same formulas):

- A role profile line is (role, skill, target t in [0, 1], importance w in [0, 1]). Lines with
  t = 0 ask for nothing and are left out.
- Similarity A → B (directional: how much of what B requires A already provides)
  `sim(A, B) = Σ_s w_Bs · min(t_As, t_Bs) / t_Bs / Σ_s w_Bs` over B's lines (t_As = 0 where A
  does not list s). It is in [0, 1], 1 when A requires every skill of B at B's level or above,
  0 when they share no skill; sim(A, A) is not an edge. A role whose lines all weigh 0 has no
  incoming similarity.
- All pairs at once and exactly: with the distinct targets x_1 < … < x_K (x_0 = 0) and
  Δ_j = x_j − x_{j−1}, min(a, b) = Σ_j Δ_j [a ≥ x_j][b ≥ x_j]; so with the sparse matrices
  P[A, (s, j)] = Δ_j [t_As ≥ x_j] and Q[B, (s, j)] = w_Bs / t_Bs [t_Bs ≥ x_j], the numerators of
  every pair are the one sparse product P Qᵀ. Its cost grows with K, so a catalog with more than
  20 distinct targets (O*NET's continuous levels) has its targets rounded to the nearest 1/20
  (at least 1/20) for the similarity only; readiness always uses the exact targets.
- Edge score (Beta–Bernoulli): the similarity is a prior worth κ observations and each observed
  move A → B one success: `score = (κ · sim + n_AB) / (κ + n_AB)`. With no history the score is
  the similarity; every observed move raises it towards 1.
- Level rule: an edge that no one has taken must go to a role of the same level (lateral) or at
  most `max_level_step` levels higher; observed moves are edges whatever the levels.
- Kept edges: score ≥ `min_score`, the `top_k` best per source role.
- Typical months of an edge: the median months people spent in the source role before moving
  along it when at least `min_moves_for_median` such moves have a known time; otherwise the
  estimate `base · (2 − sim)` months, where base is the median months in role before any observed
  move (at least `min_moves_for_median` of them) or `default_base_months` without history.
- Reach: one-step roles score their edge; two-step roles A → M → C score the product of both
  edges with the best intermediate M; a role reachable both ways keeps the better score (the
  direct edge on a tie); months add up along the path.
- A person's readiness for a role: `Σ min(level, t) · w / Σ t · w` over its lines, and the
  weighted shortfall `Σ max(0, t − level) · w` (level 0 without evidence).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import sparse

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

DAYS_PER_MONTH = 365.25 / 12
SIMILARITY_LEVELS = 20
"""Above this many distinct targets, similarity reads targets rounded to 1/20 (cost bound)."""


def _check_lengths(name: str, n: int, *arrays: npt.NDArray[np.generic]) -> None:
    for array in arrays:
        if array.shape != (n,):
            raise ValueError(f"{name}: every array must have shape ({n},)")


@dataclass(frozen=True)
class RoleProfiles:
    """Role skill profiles as parallel arrays; roles and skills are dense indexes.

    `level` (optional, one per role) is the role's seniority used by the level rule.
    """

    role: IntArray
    skill: IntArray
    target: FloatArray
    importance: FloatArray
    role_count: int
    skill_count: int
    level: IntArray | None = None

    def __post_init__(self) -> None:
        """Validate shapes, index ranges, value ranges and uniqueness of (role, skill)."""
        n = self.role.shape[0]
        _check_lengths("role profiles", n, self.skill, self.target, self.importance)
        if self.role_count < 0 or self.skill_count < 0:
            raise ValueError("role and skill counts must be ≥ 0")
        if self.level is not None and self.level.shape != (self.role_count,):
            raise ValueError(f"role levels must have shape ({self.role_count},)")
        if n == 0:
            return
        if self.role.min() < 0 or self.role.max() >= self.role_count:
            raise ValueError("profile role index out of range")
        if self.skill.min() < 0 or self.skill.max() >= self.skill_count:
            raise ValueError("profile skill index out of range")
        if np.any(~((self.target >= 0) & (self.target <= 1))):
            raise ValueError("targets must be in [0, 1]")
        if np.any(~((self.importance >= 0) & (self.importance <= 1))):
            raise ValueError("importances must be in [0, 1]")
        keys = self.role * self.skill_count + self.skill
        if np.unique(keys).shape[0] != n:
            raise ValueError("a role lists the same skill twice")


@dataclass(frozen=True)
class MoveHistory:
    """Observed moves: source and target role (dense indexes) and the months spent in the source
    role before the move (NaN when unknown)."""

    source: IntArray
    target: IntArray
    months: FloatArray

    def __post_init__(self) -> None:
        """Validate shapes and months."""
        _check_lengths("moves", self.source.shape[0], self.target, self.months)
        known = self.months[~np.isnan(self.months)]
        if known.shape[0] and known.min() < 0:
            raise ValueError("months in role must be ≥ 0")

    @staticmethod
    def empty() -> MoveHistory:
        """No history."""
        return MoveHistory(
            np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
        )


@dataclass(frozen=True)
class GraphSettings:
    """The published constants of the role graph."""

    prior_strength: float = 4.0
    """κ: how many observed moves the similarity is worth."""
    min_score: float = 0.3
    top_k: int = 12
    max_level_step: int = 2
    min_moves_for_median: int = 3
    default_base_months: float = 12.0

    def __post_init__(self) -> None:
        """Validate ranges."""
        if self.prior_strength <= 0:
            raise ValueError("prior_strength must be > 0")
        if not 0 <= self.min_score <= 1:
            raise ValueError("min_score must be in [0, 1]")
        if self.top_k < 1:
            raise ValueError("top_k must be ≥ 1")
        if self.max_level_step < 0:
            raise ValueError("max_level_step must be ≥ 0")
        if self.min_moves_for_median < 1:
            raise ValueError("min_moves_for_median must be ≥ 1")
        if self.default_base_months <= 0:
            raise ValueError("default_base_months must be > 0")


def profile_similarity(profiles: RoleProfiles) -> sparse.csr_matrix:
    """sim(A, B) for every pair sharing a skill (row A, column B), diagonal left out."""
    n = profiles.role_count
    keep = profiles.target > 0
    role = profiles.role[keep]
    skill = profiles.skill[keep]
    target = profiles.target[keep]
    weight = profiles.importance[keep]
    if role.shape[0] == 0:
        return sparse.csr_matrix((n, n), dtype=np.float64)
    if np.unique(target).shape[0] > SIMILARITY_LEVELS:
        target = np.maximum(np.round(target * SIMILARITY_LEVELS), 1.0) / SIMILARITY_LEVELS
    thresholds, rank = np.unique(target, return_inverse=True)
    rank = rank.reshape(-1).astype(np.int64)
    steps = np.diff(np.concatenate([[0.0], thresholds]))
    width = int(thresholds.shape[0])
    # Line l expands into the thresholds x_0 … x_rank[l] (every x_j ≤ its target).
    repeats = rank + 1
    line = np.repeat(np.arange(role.shape[0]), repeats)
    starts = np.cumsum(repeats) - repeats
    level_index = np.arange(line.shape[0]) - np.repeat(starts, repeats)
    column = skill[line] * width + level_index
    shape = (n, profiles.skill_count * width)
    provides = sparse.csr_matrix((steps[level_index], (role[line], column)), shape=shape)
    requires = sparse.csr_matrix(((weight / target)[line], (role[line], column)), shape=shape)
    numerator = (provides @ requires.T).tocoo()
    total = np.bincount(role, weights=weight, minlength=n)
    a, b, value = numerator.row, numerator.col, numerator.data
    usable = (a != b) & (total[b] > 0)
    a, b, value = a[usable], b[usable], value[usable]
    similarity = np.clip(value / total[b], 0.0, 1.0)
    return sparse.csr_matrix((similarity, (a, b)), shape=(n, n))


def months_in_role(
    employee: IntArray,
    moved_day: IntArray,
    from_role: IntArray,
    to_role: IntArray,
    hired_day: IntArray,
) -> FloatArray:
    """Months each move's employee spent in the source role before it (NaN when unknown).

    The time starts at the employee's previous move when that move led into this move's source
    role, or at the hire date for their first move; days are ordinals (date.toordinal()).
    """
    n = employee.shape[0]
    _check_lengths("moves", n, moved_day, from_role, to_role, hired_day)
    months = np.full(n, np.nan)
    if n == 0:
        return months
    order = np.lexsort((moved_day, employee))
    person = employee[order]
    first = np.ones(n, dtype=bool)
    first[1:] = person[1:] != person[:-1]
    start = np.where(first, hired_day[order], np.roll(moved_day[order], 1)).astype(np.float64)
    consistent = first | (np.roll(to_role[order], 1) == from_role[order])
    elapsed = (moved_day[order] - start) / DAYS_PER_MONTH
    months[order] = np.where(consistent & (elapsed >= 0), elapsed, np.nan)
    return months


@dataclass(frozen=True)
class RoleGraph:
    """Kept edges sorted by source, best score first; `indptr[r]:indptr[r + 1]` are role r's."""

    source: IntArray
    target: IntArray
    score: FloatArray
    similarity: FloatArray
    moves: IntArray
    months: FloatArray
    months_observed: BoolArray
    indptr: IntArray
    role_count: int
    base_months: float

    def edges_of(self, role: int) -> slice:
        """The positions of a role's outgoing edges."""
        if not 0 <= role < self.role_count:
            raise ValueError(f"role index {role} out of range")
        return slice(int(self.indptr[role]), int(self.indptr[role + 1]))

    def incoming(self, role: int) -> IntArray:
        """The positions of the edges into a role, best score first."""
        if not 0 <= role < self.role_count:
            raise ValueError(f"role index {role} out of range")
        found = np.flatnonzero(self.target == role)
        return found[np.lexsort((self.source[found], -self.score[found]))].astype(np.int64)


def _group_medians(key: IntArray, value: FloatArray) -> tuple[IntArray, FloatArray, IntArray]:
    """Per distinct key: the median of its values and how many there are."""
    if key.shape[0] == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0), np.zeros(0, dtype=np.int64)
    order = np.lexsort((value, key))
    key, value = key[order], value[order]
    keys, starts, counts = np.unique(key, return_index=True, return_counts=True)
    low = value[starts + (counts - 1) // 2]
    high = value[starts + counts // 2]
    return keys.astype(np.int64), (low + high) / 2, counts.astype(np.int64)


def build_role_graph(
    profiles: RoleProfiles,
    moves: MoveHistory,
    settings: GraphSettings | None = None,
    *,
    similarity: sparse.csr_matrix | None = None,
) -> RoleGraph:
    """The role graph: similarity edges and observed moves blended, filtered and ranked.

    `similarity` is `profile_similarity(profiles)` when the caller already has it.
    """
    config = settings or GraphSettings()
    n = profiles.role_count
    if moves.source.shape[0] and (
        min(moves.source.min(), moves.target.min()) < 0
        or max(moves.source.max(), moves.target.max()) >= n
    ):
        raise ValueError("move role index out of range")
    pairs_similar = (similarity if similarity is not None else profile_similarity(profiles)).tocoo()
    real = moves.source != moves.target
    move_source, move_target, move_months = (
        moves.source[real],
        moves.target[real],
        moves.months[real],
    )
    keys = np.concatenate(
        [pairs_similar.row.astype(np.int64) * n + pairs_similar.col, move_source * n + move_target]
    )
    pairs, inverse = np.unique(keys, return_inverse=True)
    inverse = inverse.reshape(-1)
    sim_count = pairs_similar.data.shape[0]
    sim = np.zeros(pairs.shape[0])
    sim[inverse[:sim_count]] = pairs_similar.data
    observed = np.bincount(inverse[sim_count:], minlength=pairs.shape[0]).astype(np.int64)
    source, target = pairs // n, pairs % n
    score = (config.prior_strength * sim + observed) / (config.prior_strength + observed)
    allowed = np.ones(pairs.shape[0], dtype=bool)
    if profiles.level is not None:
        step = profiles.level[target] - profiles.level[source]
        allowed = (observed > 0) | ((step >= 0) & (step <= config.max_level_step))
    keep = allowed & (score >= config.min_score)
    source, target, score, sim, observed = (
        source[keep],
        target[keep],
        score[keep],
        sim[keep],
        observed[keep],
    )
    order = np.lexsort((target, -score, source))
    source, target, score, sim, observed = (
        source[order],
        target[order],
        score[order],
        sim[order],
        observed[order],
    )
    counts = np.bincount(source, minlength=n)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    rank = np.arange(source.shape[0]) - starts[source]
    top = rank < config.top_k
    source, target, score, sim, observed = (
        source[top],
        target[top],
        score[top],
        sim[top],
        observed[top],
    )
    known = ~np.isnan(move_months)
    base = (
        float(np.median(move_months[known]))
        if int(known.sum()) >= config.min_moves_for_median
        else config.default_base_months
    )
    months = base * (2.0 - sim)
    observed_months = np.zeros(source.shape[0], dtype=bool)
    median_keys, medians, median_counts = _group_medians(
        move_source[known] * n + move_target[known], move_months[known]
    )
    enough = median_counts >= config.min_moves_for_median
    median_keys, medians = median_keys[enough], medians[enough]
    if median_keys.shape[0]:
        edge_keys = source * n + target
        position = np.minimum(np.searchsorted(median_keys, edge_keys), median_keys.shape[0] - 1)
        hit = median_keys[position] == edge_keys
        months = np.where(hit, medians[position], months)
        observed_months = hit
    indptr = np.concatenate([[0], np.cumsum(np.bincount(source, minlength=n))]).astype(np.int64)
    return RoleGraph(
        source=source.astype(np.int64),
        target=target.astype(np.int64),
        score=score,
        similarity=sim,
        moves=observed,
        months=months,
        months_observed=observed_months,
        indptr=indptr,
        role_count=n,
        base_months=base,
    )


@dataclass(frozen=True)
class Reach:
    """Roles reachable from one role, best score first: via is the intermediate role (−1 for a
    direct edge); first/second are edge positions in the graph (second −1 for a direct edge)."""

    target: IntArray
    score: FloatArray
    via: IntArray
    steps: IntArray
    months: FloatArray
    first: IntArray
    second: IntArray


def reachable(graph: RoleGraph, role: int, *, steps: int = 2) -> Reach:
    """The roles reachable from `role` in at most `steps` (1 or 2) edges."""
    if steps not in (1, 2):
        raise ValueError("steps must be 1 or 2")
    direct = np.arange(graph.edges_of(role).start, graph.edges_of(role).stop, dtype=np.int64)
    first = [direct]
    second = [np.full(direct.shape[0], -1, dtype=np.int64)]
    if steps == 2 and direct.shape[0]:
        lengths = graph.indptr[graph.target[direct] + 1] - graph.indptr[graph.target[direct]]
        via_edge = np.repeat(direct, lengths)
        offsets = np.arange(via_edge.shape[0]) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        next_edge = graph.indptr[graph.target[via_edge]] + offsets
        back = graph.target[next_edge] == role
        first.append(via_edge[~back])
        second.append(next_edge[~back].astype(np.int64))
    e1 = np.concatenate(first)
    e2 = np.concatenate(second)
    two = e2 >= 0
    last = np.where(two, e2, e1)
    target = graph.target[last]
    score = graph.score[e1] * np.where(two, graph.score[np.maximum(e2, 0)], 1.0)
    months = graph.months[e1] + np.where(two, graph.months[np.maximum(e2, 0)], 0.0)
    hops = np.where(two, 2, 1).astype(np.int64)
    order = np.lexsort((hops, -score, target))
    target, score, months, hops, e1, e2 = (
        target[order],
        score[order],
        months[order],
        hops[order],
        e1[order],
        e2[order],
    )
    best = np.ones(target.shape[0], dtype=bool)
    best[1:] = target[1:] != target[:-1]
    target, score, months, hops, e1, e2 = (
        target[best],
        score[best],
        months[best],
        hops[best],
        e1[best],
        e2[best],
    )
    order = np.lexsort((target, hops, -score))
    e1, e2, hops = e1[order], e2[order], hops[order]
    return Reach(
        target=target[order],
        score=score[order],
        via=np.where(hops == 2, graph.target[e1], -1).astype(np.int64),
        steps=hops,
        months=months[order],
        first=e1,
        second=e2,
    )


@dataclass(frozen=True)
class Readiness:
    """A person against some roles: per role (in the order asked) the readiness (NaN for a role
    without a weighted profile) and the weighted shortfall; per line of those roles (grouped by
    role, biggest weighted shortfall first) the current and target level."""

    readiness: FloatArray
    shortfall: FloatArray
    line_role: IntArray
    line_skill: IntArray
    line_current: FloatArray
    line_target: FloatArray
    line_importance: FloatArray
    line_shortfall: FloatArray


def readiness_for(profiles: RoleProfiles, roles: IntArray, levels: FloatArray) -> Readiness:
    """A person's readiness for each of `roles` (positions in the result follow `roles`).

    `levels` holds the person's consolidated level per dense skill (0 without evidence).
    """
    if levels.shape != (profiles.skill_count,):
        raise ValueError(f"levels must have shape ({profiles.skill_count},)")
    if levels.shape[0] and np.any(~((levels >= 0) & (levels <= 1))):
        raise ValueError("levels must be in [0, 1]")
    if roles.shape[0] and (roles.min() < 0 or roles.max() >= profiles.role_count):
        raise ValueError("role index out of range")
    position = np.full(profiles.role_count, -1, dtype=np.int64)
    position[roles] = np.arange(roles.shape[0])
    chosen = position[profiles.role] >= 0
    slot = position[profiles.role[chosen]]
    skill = profiles.skill[chosen]
    target = profiles.target[chosen]
    weight = profiles.importance[chosen]
    current = levels[skill]
    covered = np.bincount(slot, weights=np.minimum(current, target) * weight, minlength=len(roles))
    wanted = np.bincount(slot, weights=target * weight, minlength=len(roles))
    gap = np.maximum(0.0, target - current)
    ready = np.full(roles.shape[0], np.nan)
    np.divide(covered, wanted, out=ready, where=wanted > 0)
    order = np.lexsort((skill, -gap * weight, slot))
    return Readiness(
        readiness=ready,
        shortfall=np.bincount(slot, weights=gap * weight, minlength=len(roles)).astype(np.float64),
        line_role=slot[order],
        line_skill=skill[order],
        line_current=current[order],
        line_target=target[order],
        line_importance=weight[order],
        line_shortfall=gap[order],
    )
