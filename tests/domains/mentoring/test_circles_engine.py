"""Peer coaching circles: pair values, the exact partition, the heuristic, the bound and the gap."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import scipy.sparse as sp

from skillpath.domains.mentoring.engine.circles import (
    COMPLEMENT_WEIGHT,
    EXACT_LIMIT,
    MAX_SIZE,
    MIN_SIZE,
    SHARED_WEIGHT,
    CirclePlan,
    Peers,
    banned_mask,
    default_restarts,
    exact_circles,
    form_circles,
    heuristic_circles,
    largest_circle,
    pair_values,
    priority_weights,
    representable,
    upper_bound,
    waitlist_size,
)

SKILLS = 6


def peers(wanted: list[list[int]], levels: list[dict[int, float]] | None = None) -> Peers:
    """Peers wanting skills (most important first) and holding levels."""
    n = len(wanted)
    rows, cols, data = [], [], []
    for i, skills in enumerate(wanted):
        for skill, weight in zip(skills, priority_weights(len(skills)).tolist(), strict=True):
            rows.append(i)
            cols.append(skill)
            data.append(weight)
    lr, lc, lv = [], [], []
    for i, held in enumerate(levels or [{} for _ in range(n)]):
        for skill, level in held.items():
            lr.append(i)
            lc.append(skill)
            lv.append(level)
    return Peers(
        ids=np.arange(100, 100 + n, dtype=np.int64),
        wanted=sp.csr_matrix((data, (rows, cols)), shape=(n, SKILLS)),
        levels=sp.csr_matrix((lv, (lr, lc)), shape=(n, SKILLS)),
    )


def random_peers(seed: int, n: int, skills: int = SKILLS) -> Peers:
    rng = np.random.default_rng(seed)
    wanted = [
        rng.choice(skills, size=int(rng.integers(1, 4)), replace=False).tolist() for _ in range(n)
    ]
    levels = [
        {
            int(s): float(rng.choice([0.2, 0.4, 0.6, 0.8, 1.0]))
            for s in rng.choice(skills, size=int(rng.integers(0, 4)), replace=False).tolist()
        }
        for _ in range(n)
    ]
    rows, cols, data = [], [], []
    for i, chosen in enumerate(wanted):
        for skill, weight in zip(chosen, priority_weights(len(chosen)).tolist(), strict=True):
            rows.append(i)
            cols.append(skill)
            data.append(weight)
    lr = [i for i, held in enumerate(levels) for _ in held]
    lc = [s for held in levels for s in held]
    lv = [v for held in levels for v in held.values()]
    return Peers(
        ids=np.arange(n, dtype=np.int64),
        wanted=sp.csr_matrix((data, (rows, cols)), shape=(n, skills)),
        levels=sp.csr_matrix((lv, (lr, lc)), shape=(n, skills)),
    )


def reference_value(p: Peers, i: int, j: int) -> float:
    """The published pair value, one skill at a time."""
    w = p.wanted.toarray()
    lv = p.levels.toarray()
    shared = sum(min(w[i, s], w[j, s]) for s in range(w.shape[1]))
    one = sum(w[i, s] for s in range(w.shape[1]) if lv[j, s] >= 0.8 and lv[j, s] > lv[i, s])
    other = sum(w[j, s] for s in range(w.shape[1]) if lv[i, s] >= 0.8 and lv[i, s] > lv[j, s])
    return float(SHARED_WEIGHT * shared + COMPLEMENT_WEIGHT * 0.5 * (one + other))


def brute_force(p: Peers, excluded: list[tuple[int, int]] = ()) -> float:  # type: ignore[assignment]
    """The best objective over every set partition into circles of 4–6 (n ≤ 10)."""
    values = pair_values(p)
    banned = banned_mask(p.size, excluded)
    values[banned] = 0.0
    penalty = 1.0 + upper_bound(values)
    objective = np.where(banned, -penalty, values)
    best = -np.inf

    def walk(rest: tuple[int, ...], total: float) -> None:
        nonlocal best
        if not rest:
            best = max(best, total)
            return
        first, others = rest[0], rest[1:]
        for size in range(MIN_SIZE - 1, MAX_SIZE):
            for chosen in itertools.combinations(others, size):
                circle = (first, *chosen)
                score = sum(objective[a, b] for a, b in itertools.combinations(circle, 2))
                walk(tuple(i for i in others if i not in chosen), total + score)

    walk(tuple(range(p.size)), 0.0)
    return float(best)


def objective_of(plan: CirclePlan) -> float:
    return plan.value - len(plan.conflicts) * (1.0 + plan.bound)


def check_plan(plan: CirclePlan, n: int) -> None:
    seated = sorted(i for c in plan.circles for i in c.members)
    assert len(seated) == len(set(seated))
    assert sorted(seated + list(plan.waitlisted)) == list(range(n))
    assert len(plan.waitlisted) == waitlist_size(n)
    assert all(MIN_SIZE <= len(c.members) <= MAX_SIZE for c in plan.circles)
    assert plan.bound >= plan.value - 1e-9
    assert 0.0 <= plan.gap <= 1.0
    if plan.bound > 0:
        assert plan.gap == pytest.approx((plan.bound - plan.value) / plan.bound)
    for c in plan.circles:
        assert c.shared + c.complementary == pytest.approx(c.value, abs=1e-9)
    assert plan.value == pytest.approx(sum(c.value for c in plan.circles))


def test_the_sizes_rule() -> None:
    assert [waitlist_size(n) for n in range(12)] == [0, 1, 2, 3, 0, 0, 0, 1, 0, 0, 0, 0]
    assert [n for n in range(40) if not representable(n)] == [1, 2, 3, 7]
    assert [largest_circle(n) for n in (4, 8, 9, 10, 13, 14)] == [4, 4, 5, 6, 5, 6]
    with pytest.raises(ValueError, match="negative"):
        waitlist_size(-1)
    assert priority_weights(3).tolist() == pytest.approx([6 / 11, 3 / 11, 2 / 11])
    assert priority_weights(0).size == 0
    assert default_restarts(12) == 16
    assert default_restarts(5000) == 0


def test_pair_values_follow_the_published_formula() -> None:
    p = random_peers(3, 9)
    values = pair_values(p)
    assert np.allclose(values, values.T)
    assert np.all(np.diag(values) == 0)
    for i, j in itertools.combinations(range(9), 2):
        assert values[i, j] == pytest.approx(reference_value(p, i, j), abs=1e-12)


def test_a_strength_counts_only_at_advanced_and_above_the_learner() -> None:
    p = peers(
        [[0], [1], [1], [0, 1]],
        [{0: 0.8}, {0: 0.6}, {0: 1.0}, {0: 0.8}],
    )
    values = pair_values(p)
    assert values[0, 1] == 0.0  # 0 holds skill 0 at Advanced, 1 does not want it
    # 3 wants 0 (weight 2/3) and 1 (1/3); 2 holds 0 at Expert above 3's Advanced; 0 does not
    assert values[2, 3] == pytest.approx(SHARED_WEIGHT * 1 / 3 + COMPLEMENT_WEIGHT * 0.5 * 2 / 3)
    assert values[0, 3] == pytest.approx(SHARED_WEIGHT * 2 / 3)


@pytest.mark.parametrize("n", [8, 9, 10])
def test_exact_matches_brute_force(n: int) -> None:
    for seed in range(3):
        p = random_peers(seed, n)
        excluded = [(0, 1), (2, 5)] if seed == 2 else []
        plan = exact_circles(p, excluded=excluded)
        check_plan(plan, n)
        assert plan.optimal
        assert plan.method == "exact"
        assert objective_of(plan) == pytest.approx(brute_force(p, excluded), abs=1e-9)


@pytest.mark.parametrize("n", [8, 9, 10, 11, 12])
def test_the_heuristic_finds_the_optimum_on_small_cases(n: int) -> None:
    for seed in range(4):
        p = random_peers(100 + seed, n)
        exact = exact_circles(p)
        heuristic = heuristic_circles(p, seed=seed)
        check_plan(heuristic, n)
        assert heuristic.value == pytest.approx(exact.value, abs=1e-9)
        assert heuristic.value >= heuristic.start_value - 1e-9
        assert not heuristic.optimal
        assert heuristic.method == "heuristic"


def test_without_restarts_local_search_still_improves_the_start() -> None:
    p = random_peers(7, 60, skills=10)
    plan = heuristic_circles(p, restarts=0)
    check_plan(plan, 60)
    assert plan.value > plan.start_value
    assert plan.passes >= 1


@pytest.mark.parametrize("n", [0, 1, 3, 4, 5, 6, 7])
def test_small_groups(n: int) -> None:
    p = random_peers(5, n)
    for plan in (exact_circles(p), heuristic_circles(p), form_circles(p)):
        check_plan(plan, n)
        assert len(plan.circles) == (1 if n >= MIN_SIZE else 0)


def test_seven_peers_leave_out_the_one_who_fits_least() -> None:
    # six want skill 0; the seventh (row 3) wants something nobody else wants
    p = peers([[0], [0], [0], [5], [0], [0], [0]])
    plan = exact_circles(p)
    assert plan.waitlisted == (3,)
    assert plan.circles[0].members == (0, 1, 2, 4, 5, 6)
    assert plan.circles[0].shared_goals == ((0, (0, 1, 2, 4, 5, 6)),)
    # nobody stands out: the latest row waits
    assert exact_circles(peers([[0]] * 7)).waitlisted == (6,)


def test_exclusions_keep_pairs_apart_when_possible() -> None:
    p = peers([[0]] * 4 + [[1]] * 4)
    together = exact_circles(p)
    assert [c.members for c in together.circles] == [(0, 1, 2, 3), (4, 5, 6, 7)]
    apart = exact_circles(p, excluded=[(0, 1)])
    assert apart.conflicts == ()
    circle_of = {i: k for k, c in enumerate(apart.circles) for i in c.members}
    assert circle_of[0] != circle_of[1]
    assert heuristic_circles(p, excluded=[(0, 1)]).conflicts == ()
    # four peers, one circle: the excluded pair cannot be avoided, and the plan says so
    forced = exact_circles(peers([[0]] * 4), excluded=[(1, 2)])
    assert forced.conflicts == ((1, 2),)
    assert forced.value == pytest.approx(5 * SHARED_WEIGHT)
    with pytest.raises(ValueError, match="outside"):
        exact_circles(p, excluded=[(0, 9)])


def test_reasons_name_shared_goals_and_strengths() -> None:
    p = peers(
        [[0, 1], [0], [1], [0, 2]],
        [{2: 0.8}, {1: 1.0}, {}, {}],
    )
    circle = exact_circles(p).circles[0]
    assert circle.shared_goals == ((0, (0, 1, 3)), (1, (0, 2)))
    strengths = {(s.skill, s.holder): s.learners for s in circle.strengths}
    assert strengths == {(1, 1): (0, 2), (2, 0): (3,)}


def test_two_clusters_of_four_form_their_own_circles() -> None:
    # three goal clusters of four: three circles of 4 beat two circles of 6
    p = peers([[0]] * 4 + [[1]] * 4 + [[2]] * 4)
    exact = exact_circles(p)
    assert sorted(len(c.members) for c in exact.circles) == [4, 4, 4]
    assert exact.value == pytest.approx(18 * SHARED_WEIGHT)
    assert exact.gap == pytest.approx(0.0)  # the bound is tight here
    heuristic = heuristic_circles(p)
    assert heuristic.value == pytest.approx(exact.value)


def test_the_heuristic_is_deterministic_for_a_seed() -> None:
    p = random_peers(11, 90, skills=12)
    first = heuristic_circles(p, seed=4)
    again = heuristic_circles(p, seed=4)
    assert [c.members for c in first.circles] == [c.members for c in again.circles]
    assert first.value == again.value
    check_plan(first, 90)


def test_form_circles_switches_to_the_heuristic_above_the_exact_limit() -> None:
    assert form_circles(random_peers(1, EXACT_LIMIT)).method == "exact"
    plan = form_circles(random_peers(1, EXACT_LIMIT + 1))
    assert plan.method == "heuristic"
    check_plan(plan, EXACT_LIMIT + 1)
    with pytest.raises(ValueError, match="at most"):
        exact_circles(random_peers(1, EXACT_LIMIT + 1))


def test_the_bound_is_valid_and_no_worse_than_the_star_bound() -> None:
    for seed in range(5):
        values = pair_values(random_peers(seed, 40, skills=8))
        star = 0.5 * float(np.sort(values, axis=1)[:, -5:].sum())
        bound = upper_bound(values)
        assert bound <= star + 1e-9
        plan = heuristic_circles(random_peers(seed, 40, skills=8))
        assert bound == pytest.approx(plan.bound)
        assert plan.value <= bound + 1e-9
    assert upper_bound(np.zeros((3, 3))) == 0.0


def test_bad_input_is_refused() -> None:
    empty = sp.csr_matrix((2, 3))
    with pytest.raises(ValueError, match="one row per peer"):
        Peers(np.arange(3), empty, empty)
    with pytest.raises(ValueError, match="same skill columns"):
        Peers(np.arange(2), empty, sp.csr_matrix((2, 4)))
    with pytest.raises(ValueError, match="negative"):
        Peers(np.arange(2), sp.csr_matrix(np.array([[-0.5, 0, 0], [0, 0, 0]])), empty)
    with pytest.raises(ValueError, match="sum to at most 1"):
        Peers(np.arange(2), sp.csr_matrix(np.array([[0.8, 0.8, 0], [0, 0, 0]])), empty)
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        Peers(np.arange(2), empty, sp.csr_matrix(np.array([[1.5, 0, 0], [0, 0, 0]])))
