"""Peer coaching circles: a partition of peers into circles of 4–6 (docs/mentoring.md, "Peer
coaching circles").

**Pair value** in [0, 1], a published weighted sum:

    value(i, j) = 0.5 · shared(i, j) + 0.5 · complementary(i, j)

- shared = Σₛ min(wᵢₛ, wⱼₛ): the overlap of their wanted-skill weights (each person's weights sum
  to 1, so 1 means the same goals in the same proportions);
- complementary = ½ (Σₛ wᵢₛ · hⱼₛ + Σₛ wⱼₛ · hᵢₛ), where hⱼₛ = 1 when j holds s at Advanced
  (latent 0.8) or above and above i's own level: what one holds as a strength that the other wants.

**Objective**: the sum of pair values over every pair inside a circle. Every peer is in a circle
when N can be written as a sum of 4s, 5s and 6s (N = 4, 5, 6 and every N ≥ 8); N ≤ 3 peers all
wait, and N = 7 forms one circle of 6 and one peer waits (the one whose absence costs least). Pairs
the caller excludes (the same reporting line, opt-outs) count −(1 + bound), so a partition with
fewer excluded pairs together always wins; the value reported leaves them out.

The problem is NP-hard in general. `exact_circles` solves it by dynamic programming over subsets
(N ≤ 12, the test oracle). `heuristic_circles` starts from circles of people sharing their first
goal and improves by moving a peer to another circle or swapping two peers until no move helps
(deterministic for a seed). `upper_bound` is the dual of the relaxation "each peer has at most d
partners" (d = the largest circle possible − 1), improved by coordinate descent; every plan reports
its gap = (bound − value) / bound.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

SHARED_WEIGHT = 0.5
COMPLEMENT_WEIGHT = 0.5
"""The published weights of the pair value (they add up to 1)."""
STRENGTH_LEVEL = 0.8
"""A strength is a skill held at Advanced (4/5) or above."""
MIN_SIZE = 4
MAX_SIZE = 6
EXACT_LIMIT = 12
"""The exact solver's largest problem (dynamic programming over subsets)."""
EPSILON = 1e-9
BOUND_PASSES = 12


def priority_weights(count: int) -> FloatArray:
    """Weights of `count` wanted skills listed most important first, as one-to-one matching
    weighs them: 1/(k + 1) normalised, so three skills weigh 6/11, 3/11, 2/11."""
    if count <= 0:
        return np.zeros(0)
    raw = 1.0 / np.arange(1, count + 1, dtype=np.float64)
    weights: FloatArray = raw / raw.sum()
    return weights


def representable(n: int) -> bool:
    """Whether n people can all sit in circles of 4–6 (n = 0, 4, 5, 6 or n ≥ 8)."""
    return n == 0 or (n >= MIN_SIZE and n != 7)


def waitlist_size(n: int) -> int:
    """How many of n peers must wait: all when n ≤ 3, one when n = 7, none otherwise."""
    if n < 0:
        raise ValueError("the number of peers must not be negative")
    if n < MIN_SIZE:
        return n
    return 1 if n == 7 else 0


def largest_circle(n: int) -> int:
    """The largest circle any full partition of n (representable) peers can hold."""
    return max((s for s in range(MIN_SIZE, MAX_SIZE + 1) if representable(n - s)), default=0)


@dataclass(frozen=True, eq=False)
class Peers:
    """Peers as rows: `wanted` (rows × skills) the wanted-skill weights (each row summing to 1,
    or empty), `levels` (rows × skills) their consolidated levels in [0, 1]."""

    ids: IntArray
    wanted: sp.csr_matrix
    levels: sp.csr_matrix

    def __post_init__(self) -> None:
        """Check shapes and ranges."""
        n = self.ids.shape[0]
        if self.wanted.shape[0] != n or self.levels.shape[0] != n:
            raise ValueError(f"wanted and levels must have one row per peer ({n})")
        if self.wanted.shape[1] != self.levels.shape[1]:
            raise ValueError("wanted and levels must have the same skill columns")
        if self.wanted.nnz and self.wanted.data.min() < 0:
            raise ValueError("wanted-skill weights must not be negative")
        sums = np.asarray(self.wanted.sum(axis=1)).ravel()
        if np.any(sums > 1 + 1e-9):
            raise ValueError("each peer's wanted-skill weights must sum to at most 1")
        if self.levels.nnz and (self.levels.data.min() < 0 or self.levels.data.max() > 1):
            raise ValueError("levels must lie in [0, 1]")

    @property
    def size(self) -> int:
        """Number of peers."""
        return int(self.ids.shape[0])


def pair_values(peers: Peers) -> FloatArray:
    """The dense symmetric matrix of pair values (zero diagonal), computed skill by skill."""
    n = peers.size
    values = np.zeros((n, n))
    wanted = peers.wanted.tocsc()
    levels = peers.levels.tocsc()
    for skill in range(wanted.shape[1]):
        start, end = wanted.indptr[skill], wanted.indptr[skill + 1]
        if start == end:
            continue
        who = wanted.indices[start:end]
        weight = wanted.data[start:end]
        if who.size > 1:
            values[np.ix_(who, who)] += SHARED_WEIGHT * np.minimum.outer(weight, weight)
        column = np.asarray(levels[:, skill].toarray()).ravel()
        holders = np.flatnonzero(column >= STRENGTH_LEVEL - EPSILON)
        if holders.size == 0:
            continue
        helps = (column[holders][None, :] > column[who][:, None] + EPSILON) * weight[:, None]
        half = 0.5 * COMPLEMENT_WEIGHT * helps
        values[np.ix_(who, holders)] += half
        values[np.ix_(holders, who)] += half.T
    np.fill_diagonal(values, 0.0)
    return values


def banned_mask(n: int, excluded: Sequence[tuple[int, int]]) -> BoolArray:
    """The symmetric mask of excluded pairs (rows)."""
    mask = np.zeros((n, n), dtype=bool)
    for i, j in excluded:
        if not (0 <= i < n and 0 <= j < n):
            raise ValueError(f"excluded pair ({i}, {j}) names a row outside the peers")
        if i != j:
            mask[i, j] = mask[j, i] = True
    return mask


def upper_bound(values: FloatArray, *, passes: int = BOUND_PASSES) -> float:
    """An upper bound on the total value of any partition (`values` non-negative, excluded pairs
    zeroed): the dual of "each peer has at most d partners", d = largest_circle(n) − 1,
    d·Σuᵢ + Σᵢ<ⱼ max(0, vᵢⱼ − uᵢ − uⱼ) for any u ≥ 0, with u improved by exact coordinate
    descent from uᵢ = ½ (i's d-th largest value)."""
    n = values.shape[0]
    degree = largest_circle(n - waitlist_size(n)) - 1
    if degree <= 0:
        return 0.0
    # degree ≤ n − 1 always: the largest circle holds at most everyone
    u = 0.5 * np.partition(values, n - degree, axis=1)[:, n - degree]

    def dual(u: FloatArray) -> float:
        excess = np.maximum(values - u[:, None] - u[None, :], 0.0)
        np.fill_diagonal(excess, 0.0)
        return float(degree * u.sum() + 0.5 * excess.sum())

    best = dual(u)
    for _ in range(passes):
        for i in range(n):
            reduced = values[i] - u
            reduced[i] = -np.inf
            u[i] = max(0.0, float(np.partition(reduced, n - degree)[n - degree]))
        current = dual(u)
        if current > best - 1e-9 * max(1.0, best):
            best = min(best, current)
            break
        best = current
    return best


@dataclass(frozen=True)
class Strength:
    """A complementary strength inside a circle: `holder` holds skill `skill` (a column) at
    Advanced or above, above the level of the `learners`, who want it."""

    skill: int
    holder: int
    learners: tuple[int, ...]


@dataclass(frozen=True)
class Circle:
    """One circle (peer rows) with its value, the value's two parts (they add up to it) and why."""

    members: tuple[int, ...]
    value: float
    shared: float
    complementary: float
    shared_goals: tuple[tuple[int, tuple[int, ...]], ...]
    """(skill column, the members wanting it) for skills two or more members want."""
    strengths: tuple[Strength, ...]


@dataclass(frozen=True)
class CirclePlan:
    """The partition: circles, who waits, the value, an upper bound on the optimum and the gap."""

    circles: tuple[Circle, ...]
    waitlisted: tuple[int, ...]
    value: float
    bound: float
    gap: float
    optimal: bool
    """Proven optimal (exact solver)."""
    method: str
    start_value: float
    """The heuristic's constructive start (equal to `value` for the exact solver)."""
    conflicts: tuple[tuple[int, int], ...]
    """Excluded pairs that had to share a circle (empty unless unavoidable)."""
    passes: int


def _prepare(
    peers: Peers, excluded: Sequence[tuple[int, int]]
) -> tuple[FloatArray, FloatArray, BoolArray, float]:
    """Values (excluded zeroed), the objective matrix, the ban mask and the bound."""
    values = pair_values(peers)
    banned = banned_mask(peers.size, excluded)
    values[banned] = 0.0
    bound = upper_bound(values)
    objective = values.copy()
    objective[banned] = -(1.0 + bound)
    return values, objective, banned, bound


def _block_sum(matrix: FloatArray, members: Sequence[int]) -> float:
    rows = np.asarray(members, dtype=np.int64)
    return float(np.triu(matrix[np.ix_(rows, rows)], 1).sum())


def _explain(peers: Peers, members: Sequence[int], banned: BoolArray, value: float) -> Circle:
    """A circle's parts and reasons, recomputed on its members only."""
    rows = np.asarray(sorted(members), dtype=np.int64)
    wanted = peers.wanted[rows].toarray()
    levels = peers.levels[rows].toarray()
    allowed = ~banned[np.ix_(rows, rows)]
    shared = 0.0
    complementary = 0.0
    for a, b in itertools.combinations(range(rows.size), 2):
        if not allowed[a, b]:
            continue
        shared += float(np.minimum(wanted[a], wanted[b]).sum())
        strong_a = (levels[a] >= STRENGTH_LEVEL - EPSILON) & (levels[a] > levels[b] + EPSILON)
        strong_b = (levels[b] >= STRENGTH_LEVEL - EPSILON) & (levels[b] > levels[a] + EPSILON)
        complementary += 0.5 * float((wanted[b] * strong_a).sum() + (wanted[a] * strong_b).sum())
    goals = []
    for skill in np.flatnonzero((wanted > 0).sum(axis=0) >= 2).tolist():
        goals.append((int(skill), tuple(int(rows[k]) for k in np.flatnonzero(wanted[:, skill]))))
    strengths = []
    for skill in np.flatnonzero((wanted > 0).any(axis=0)).tolist():
        for h in np.flatnonzero(levels[:, skill] >= STRENGTH_LEVEL - EPSILON).tolist():
            learners = tuple(
                int(rows[k])
                for k in np.flatnonzero(wanted[:, skill] > 0).tolist()
                if k != h and levels[h, skill] > levels[k, skill] + EPSILON and allowed[h, k]
            )
            if learners:
                strengths.append(Strength(int(skill), int(rows[h]), learners))
    return Circle(
        members=tuple(int(r) for r in rows),
        value=value,
        shared=SHARED_WEIGHT * shared,
        complementary=COMPLEMENT_WEIGHT * complementary,
        shared_goals=tuple(goals),
        strengths=tuple(strengths),
    )


def _plan(
    peers: Peers,
    groups: Sequence[Sequence[int]],
    values: FloatArray,
    banned: BoolArray,
    bound: float,
    *,
    method: str,
    optimal: bool,
    start_value: float | None,
    passes: int,
) -> CirclePlan:
    """The plan of a partition: circles sorted by their first member, values recomputed."""
    ordered = sorted((sorted(g) for g in groups if g), key=lambda g: g[0])
    seated = {i for g in ordered for i in g}
    circles = tuple(_explain(peers, g, banned, _block_sum(values, g)) for g in ordered)
    value = float(sum(c.value for c in circles))
    conflicts = tuple(
        (a, b) for g in ordered for a, b in itertools.combinations(g, 2) if banned[a, b]
    )
    gap = (bound - value) / bound if bound > EPSILON else 0.0
    return CirclePlan(
        circles=circles,
        waitlisted=tuple(i for i in range(peers.size) if i not in seated),
        value=value,
        bound=bound,
        gap=max(0.0, gap),
        optimal=optimal,
        method=method,
        start_value=value if start_value is None else start_value,
        conflicts=conflicts,
        passes=passes,
    )


def _small(objective: FloatArray) -> list[list[int]]:
    """The optimum for n ≤ 7: nobody seated (n ≤ 3), one circle (4–6), or the best six (7; ties:
    the latest row waits)."""
    n = objective.shape[0]
    if n < MIN_SIZE:
        return []
    if n <= MAX_SIZE:
        return [list(range(n))]
    best: tuple[float, list[int]] | None = None
    for left in range(n - 1, -1, -1):
        members = [i for i in range(n) if i != left]
        score = _block_sum(objective, members)
        if best is None or score > best[0] + EPSILON:
            best = (score, members)
    assert best is not None
    return [best[1]]


def exact_circles(peers: Peers, *, excluded: Sequence[tuple[int, int]] = ()) -> CirclePlan:
    """The optimal partition (dynamic programming over subsets; N ≤ EXACT_LIMIT)."""
    n = peers.size
    if n > EXACT_LIMIT:
        raise ValueError(f"the exact solver handles at most {EXACT_LIMIT} peers")
    values, objective, banned, bound = _prepare(peers, excluded)
    groups = _small(objective) if n <= 7 else _subset_dp(objective)
    return _plan(
        peers,
        groups,
        values,
        banned,
        bound,
        method="exact",
        optimal=True,
        start_value=None,
        passes=0,
    )


def _subset_dp(objective: FloatArray) -> list[list[int]]:
    """Best partition of all rows into circles of 4–6, the lowest remaining row's circle first."""
    n = objective.shape[0]
    memo: dict[int, tuple[float, tuple[int, ...]]] = {0: (0.0, ())}
    circle_score: dict[int, float] = {}

    def members(mask: int) -> list[int]:
        return [i for i in range(n) if mask >> i & 1]

    def best(mask: int) -> tuple[float, tuple[int, ...]]:
        found = memo.get(mask)
        if found is not None:
            return found
        rows = members(mask)
        low, rest = rows[0], rows[1:]
        answer: tuple[float, tuple[int, ...]] = (-np.inf, ())
        for size in range(MIN_SIZE - 1, MAX_SIZE):
            for others in itertools.combinations(rest, size):
                left = len(rest) - size
                if not representable(left):
                    continue
                circle = 1 << low
                for i in others:
                    circle |= 1 << i
                score = circle_score.get(circle)
                if score is None:
                    score = circle_score[circle] = _block_sum(objective, [low, *others])
                tail = best(mask & ~circle)
                if score + tail[0] > answer[0] + EPSILON:
                    answer = (score + tail[0], (circle, *tail[1]))
        memo[mask] = answer
        return answer

    _, circles = best((1 << n) - 1)
    return [members(c) for c in circles]


def _balanced(order: Sequence[int], k: int) -> list[list[int]]:
    """`order` cut into k consecutive circles whose sizes differ by at most one."""
    n = len(order)
    base, extra = divmod(n, k)
    groups, start = [], 0
    for c in range(k):
        size = base + (1 if c < extra else 0)
        groups.append(list(order[start : start + size]))
        start += size
    return groups


def _goal_start(peers: Peers, rows: Sequence[int]) -> list[list[int]]:
    """Peers sorted by their wanted skills (most weighted first), each first-goal group cut into
    circles of 4–6; the rest pooled in the same order and cut likewise; when that is impossible,
    the whole sorted list is cut into ⌈n/6⌉ balanced circles."""
    wanted = peers.wanted.tocsr()

    def key(i: int) -> tuple[int, ...]:
        start, end = wanted.indptr[i], wanted.indptr[i + 1]
        cols, weights = wanted.indices[start:end], wanted.data[start:end]
        ranked = sorted(zip((-weights).tolist(), cols.tolist(), strict=True))
        return tuple(int(c) for _, c in ranked) or (-1,)

    order = sorted(rows, key=lambda i: (key(i), i))
    groups: list[list[int]] = []
    pool: list[int] = []
    for _, members in itertools.groupby(order, key=lambda i: key(i)[0]):
        chunk = list(members)
        take = len(chunk) if representable(len(chunk)) else (6 if len(chunk) == 7 else 0)
        if take:
            groups.extend(_balanced(chunk[:take], -(-take // MAX_SIZE)))
        pool.extend(chunk[take:])
    if representable(len(pool)):
        if pool:
            groups.extend(_balanced(pool, -(-len(pool) // MAX_SIZE)))
        return groups
    return _balanced(order, -(-len(order) // MAX_SIZE))


def _local_search(
    objective: FloatArray, groups: Sequence[Sequence[int]], rows: IntArray, max_passes: int
) -> tuple[list[list[int]], int]:
    """Moves (a peer to a circle with room) and swaps (two peers of different circles), the best
    of each peer's moves taken while it gains, peer by peer, until a pass finds nothing."""
    sub = objective[np.ix_(rows, rows)]
    n = rows.size
    position = {int(r): k for k, r in enumerate(rows.tolist())}
    k_circles = len(groups)
    labels = np.empty(n, dtype=np.int64)
    for c, members in enumerate(groups):
        labels[[position[m] for m in members]] = c
    everyone = np.arange(n)
    passes = 0
    while passes < max_passes:
        passes += 1
        membership = sp.csr_matrix(
            (np.ones(n), (everyone, labels)), shape=(n, k_circles), dtype=np.float64
        )
        sums = np.asarray(membership.T @ sub).T  # sums[i, c] = Σ_{j in c} objective[i, j]
        sizes = np.bincount(labels, minlength=k_circles)
        improved = False
        for i in range(n):
            a = int(labels[i])
            row = sums[i]
            base = row[a]
            best_gain, move, partner = EPSILON, -1, -1
            if sizes[a] > MIN_SIZE:
                gains = np.where(sizes < MAX_SIZE, row - base, -np.inf)
                gains[a] = -np.inf
                b = int(np.argmax(gains))
                if gains[b] > best_gain:
                    best_gain, move = float(gains[b]), b
            own = sums[everyone, labels]
            swap = row[labels] - base + sums[:, a] - own - 2.0 * sub[i]
            swap[labels == a] = -np.inf
            j = int(np.argmax(swap))
            if swap[j] > best_gain:
                best_gain, move, partner = float(swap[j]), int(labels[j]), j
            if move < 0:
                continue
            improved = True
            b = move
            sums[:, a] -= sub[:, i]
            sums[:, b] += sub[:, i]
            labels[i] = b
            if partner >= 0:
                sums[:, b] -= sub[:, partner]
                sums[:, a] += sub[:, partner]
                labels[partner] = a
            else:
                sizes[a] -= 1
                sizes[b] += 1
        if not improved:
            break
    result: list[list[int]] = [[] for _ in range(k_circles)]
    for k, c in enumerate(labels.tolist()):
        result[c].append(int(rows[k]))
    return result, passes


def _score(objective: FloatArray, groups: Sequence[Sequence[int]]) -> float:
    return float(sum(_block_sum(objective, g) for g in groups))


def default_restarts(n: int) -> int:
    """Random restarts after the constructive start: min(16, ⌊2000 / n⌋)."""
    return min(16, 2000 // max(n, 1))


def heuristic_circles(
    peers: Peers,
    *,
    excluded: Sequence[tuple[int, int]] = (),
    seed: int = 0,
    restarts: int | None = None,
    max_passes: int = 50,
) -> CirclePlan:
    """A good partition for any N: the goal-sorted start and `restarts` random starts (sizes as
    even as possible; for N ≤ 48 every feasible number of circles in turn), each improved by local
    search; the best wins (deterministic for a seed)."""
    n = peers.size
    values, objective, banned, bound = _prepare(peers, excluded)
    if n <= 7:
        groups = _small(objective)
        return _plan(
            peers, groups, values, banned, bound, method="heuristic", optimal=False,
            start_value=None, passes=0,
        )  # fmt: skip
    rows = np.arange(n, dtype=np.int64)
    start = _goal_start(peers, rows.tolist())
    start_value = _score(values, start)
    best_groups, passes = _local_search(objective, start, rows, max_passes)
    best_score = _score(objective, best_groups)
    total_passes = passes
    rng = np.random.default_rng(seed)
    counts = list(range(-(-n // MAX_SIZE), n // MIN_SIZE + 1)) if n <= 48 else [len(start)]
    for r in range(default_restarts(n) if restarts is None else restarts):
        order = rng.permutation(n).tolist()
        groups, passes = _local_search(
            objective, _balanced(order, counts[r % len(counts)]), rows, max_passes
        )
        total_passes += passes
        score = _score(objective, groups)
        if score > best_score + EPSILON:
            best_groups, best_score = groups, score
    return _plan(
        peers,
        best_groups,
        values,
        banned,
        bound,
        method="heuristic",
        optimal=False,
        start_value=start_value,
        passes=total_passes,
    )


def form_circles(
    peers: Peers, *, excluded: Sequence[tuple[int, int]] = (), seed: int = 0
) -> CirclePlan:
    """The exact partition up to EXACT_LIMIT peers, the heuristic above it."""
    if peers.size <= EXACT_LIMIT:
        return exact_circles(peers, excluded=excluded)
    return heuristic_circles(peers, excluded=excluded, seed=seed)
