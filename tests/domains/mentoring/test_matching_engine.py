"""Mentor matching: pair scores and the optimal capacitated assignment."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from skillpath.domains.mentoring.engine.matching import (
    WEIGHTS,
    PairScores,
    Side,
    assign,
    brute_force_assign,
    gain,
    greedy_assign,
    pair_scores,
)

SKILLS = 8


def side(
    skills: list[dict[int, float]],
    levels: list[dict[int, float]],
    *,
    capacity: list[int] | None = None,
    languages: list[int] | None = None,
    offsets: list[float] | None = None,
) -> Side:
    n = len(skills)

    def matrix(rows: list[dict[int, float]]) -> sp.csr_matrix:
        data, r, c = [], [], []
        for i, row in enumerate(rows):
            for skill, value in row.items():
                data.append(value)
                r.append(i)
                c.append(skill)
        return sp.csr_matrix((data, (r, c)), shape=(n, SKILLS))

    return Side(
        ids=np.arange(n, dtype=np.int64),
        skills=matrix(skills),
        levels=matrix(levels),
        languages=np.array(languages or [1] * n, dtype=np.int64),
        utc_offset=np.array(offsets or [0.0] * n, dtype=np.float64),
        capacity=np.array(capacity or [1] * n, dtype=np.int64),
    )


def random_sides(seed: int, mentees: int, mentors: int) -> tuple[Side, Side]:
    rng = np.random.default_rng(seed)
    wanted = []
    mentee_levels = []
    for _ in range(mentees):
        chosen = rng.choice(SKILLS, size=rng.integers(1, 3), replace=False)
        weights = rng.random(chosen.size)
        wanted.append(dict(zip(chosen.tolist(), (weights / weights.sum()).tolist(), strict=True)))
        mentee_levels.append({int(s): float(rng.choice([0.0, 0.2, 0.4])) for s in chosen})
    offered = []
    mentor_levels = []
    for _ in range(mentors):
        chosen = rng.choice(SKILLS, size=rng.integers(1, 4), replace=False)
        offered.append({int(s): 1.0 for s in chosen})
        mentor_levels.append({int(s): float(rng.choice([0.4, 0.6, 0.8, 1.0])) for s in chosen})
    return (
        side(
            wanted,
            mentee_levels,
            languages=rng.integers(1, 4, size=mentees).tolist(),
            offsets=rng.choice([0.0, 1.0, 5.5], size=mentees).tolist(),
        ),
        side(
            offered,
            mentor_levels,
            capacity=rng.integers(1, 3, size=mentors).tolist(),
            languages=rng.integers(1, 4, size=mentors).tolist(),
            offsets=rng.choice([0.0, 1.0, 5.5], size=mentors).tolist(),
        ),
    )


def test_gain_has_diminishing_returns() -> None:
    values = gain(np.array([-0.2, 0.0, 0.2, 0.4, 0.6, 1.0]))
    assert values[0] == 0.0
    assert values[1] == 0.0
    assert values[-1] == pytest.approx(1.0)
    steps = np.diff(values[2:])
    assert np.all(steps > 0)
    assert np.all(np.diff(steps) < 0)  # each step adds less


def test_pair_score_parts_and_admissibility() -> None:
    mentees = side([{0: 0.5, 1: 0.5}], [{0: 0.2, 1: 0.6}], offsets=[0.0])
    mentors = side(
        [{0: 1.0}, {1: 1.0}, {0: 1.0, 1: 1.0}],
        [{0: 0.8}, {1: 0.4}, {0: 0.6, 1: 1.0}],
        languages=[1, 1, 2],
        offsets=[0.0, 0.0, 4.0],
    )
    scores = pair_scores(mentees, mentors, preferred=[(0, 2)])
    found = {int(j): k for k, j in enumerate(scores.mentor.tolist())}
    # Mentor 1 holds skill 1 below the mentee: nothing to teach, not admissible.
    assert set(found) == {0, 2}
    first, third = found[0], found[2]
    assert scores.complementarity[first] == pytest.approx(0.5 * float(gain(np.array([0.6]))[0]))
    assert scores.goal[first] == pytest.approx(0.5)
    assert scores.goal[third] == pytest.approx(1.0)
    assert scores.language[third] == 0.0
    assert scores.timezone[third] == pytest.approx(0.5)
    assert scores.preference[third] == 1.0
    for k in range(scores.size):
        parts = {
            "complementarity": scores.complementarity[k],
            "goal": scores.goal[k],
            "language": scores.language[k],
            "timezone": scores.timezone[k],
            "preference": scores.preference[k],
        }
        assert scores.score[k] == pytest.approx(sum(WEIGHTS[p] * v for p, v in parts.items()))


def test_exclusions_remove_pairs() -> None:
    mentees, mentors = random_sides(3, 6, 4)
    every = pair_scores(mentees, mentors)
    banned = [(int(every.mentee[0]), int(every.mentor[0]))]
    fewer = pair_scores(mentees, mentors, excluded=banned)
    assert fewer.size == every.size - 1
    assert banned[0] not in set(zip(fewer.mentee.tolist(), fewer.mentor.tolist(), strict=True))


def _subset(scores: PairScores, keep: int) -> PairScores:
    index = np.arange(min(keep, scores.size))
    return PairScores(
        scores.mentee[index],
        scores.mentor[index],
        scores.score[index],
        scores.complementarity[index],
        scores.goal[index],
        scores.language[index],
        scores.timezone[index],
        scores.preference[index],
    )


@pytest.mark.parametrize("seed", range(12))
def test_assignment_is_optimal_against_brute_force(seed: int) -> None:
    mentees, mentors = random_sides(seed, 5, 3)
    scores = _subset(pair_scores(mentees, mentors), 12)
    exact = assign(scores, mentees.capacity, mentors.capacity)
    oracle = brute_force_assign(scores, mentees.capacity, mentors.capacity)
    assert exact.total == pytest.approx(oracle.total, abs=1e-5)
    greedy = greedy_assign(scores, mentees.capacity, mentors.capacity)
    assert greedy.total <= exact.total + 1e-5


@pytest.mark.parametrize("seed", range(5))
def test_capacities_are_never_exceeded(seed: int) -> None:
    mentees, mentors = random_sides(100 + seed, 300, 60)
    scores = pair_scores(mentees, mentors)
    result = assign(scores, mentees.capacity, mentors.capacity)
    per_mentee = np.bincount(scores.mentee[result.pairs], minlength=mentees.size)
    per_mentor = np.bincount(scores.mentor[result.pairs], minlength=mentors.size)
    assert per_mentee.max() <= 1
    assert np.all(per_mentor <= mentors.capacity)
    greedy = greedy_assign(scores, mentees.capacity, mentors.capacity)
    assert greedy.total <= result.total + 1e-5
    assert result.total == pytest.approx(float(scores.score[result.pairs].sum()))


def test_greedy_can_be_worse() -> None:
    # Mentor 0 is the best for both; greedy gives it to mentee 0 and leaves mentee 1 alone.
    scores = PairScores(
        mentee=np.array([0, 0, 1]),
        mentor=np.array([0, 1, 0]),
        score=np.array([0.9, 0.8, 0.85]),
        complementarity=np.zeros(3),
        goal=np.zeros(3),
        language=np.zeros(3),
        timezone=np.zeros(3),
        preference=np.zeros(3),
    )
    capacity = np.array([1, 1])
    assert greedy_assign(scores, capacity, capacity).total == pytest.approx(0.9)
    assert assign(scores, capacity, capacity).total == pytest.approx(1.65)
