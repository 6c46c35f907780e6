"""Micro-mentoring finder: the published score, its parts, admissibility and the oracle."""

from __future__ import annotations

import numpy as np
import pytest

from skillpath.domains.mentoring.engine.matching import gain
from skillpath.domains.mentoring.engine.micro import (
    FULL_AVAILABILITY_HOURS,
    WEIGHTS,
    Asker,
    Helpers,
    free_hours,
    rank_helpers,
    reference_rank,
)

ASKER = Asker(id=1, level=0.2, languages=0b01, utc_offset=0.0)


def helpers(
    level: list[float],
    *,
    hours: list[float] | None = None,
    week: list[int] | None = None,
    month: list[int] | None = None,
    languages: list[int] | None = None,
    offsets: list[float] | None = None,
    ids: list[int] | None = None,
) -> Helpers:
    n = len(level)
    return Helpers(
        ids=np.array(ids or list(range(10, 10 + n)), dtype=np.int64),
        level=np.array(level, dtype=np.float64),
        hours_per_month=np.array(hours or [8.0] * n, dtype=np.float64),
        sessions_week=np.array(week or [0] * n, dtype=np.int64),
        sessions_month=np.array(month or [0] * n, dtype=np.int64),
        languages=np.array(languages or [1] * n, dtype=np.int64),
        utc_offset=np.array(offsets or [0.0] * n, dtype=np.float64),
    )


def random_helpers(seed: int, n: int) -> tuple[Asker, Helpers]:
    rng = np.random.default_rng(seed)
    asker = Asker(
        id=int(rng.integers(0, n)),
        level=float(rng.choice([0.0, 0.2, 0.4, 0.6])),
        languages=int(rng.integers(1, 4)),
        utc_offset=float(rng.choice([0.0, 1.0, 5.5, -5.0])),
    )
    return asker, Helpers(
        ids=np.arange(n, dtype=np.int64),
        level=rng.choice([0.2, 0.4, 0.6, 0.8, 1.0], size=n),
        hours_per_month=rng.choice([0.0, 2.0, 4.0, 8.0, 12.0], size=n),
        sessions_week=rng.integers(0, 3, size=n),
        sessions_month=rng.integers(0, 8, size=n),
        languages=rng.integers(0, 4, size=n),
        utc_offset=rng.choice([0.0, 1.0, 5.5, -5.0, 9.0], size=n),
    )


def test_weights_add_up_to_one() -> None:
    assert sum(WEIGHTS.values()) == pytest.approx(1.0)


def test_parts_follow_the_formula_and_add_up() -> None:
    h = helpers([0.8], hours=[13.0], week=[1], month=[3], languages=[0b11], offsets=[2.0])
    ranking = rank_helpers(ASKER, h)
    free = 13.0 / (52 / 12) - 1.0  # the weekly share minus one booked session
    assert ranking.free_hours[0] == pytest.approx(free)
    assert ranking.level[0] == pytest.approx(0.5 * float(gain(np.array([0.6]))[0]))
    assert ranking.availability[0] == pytest.approx(0.25 * min(free / FULL_AVAILABILITY_HOURS, 1))
    assert ranking.language[0] == pytest.approx(0.10)
    assert ranking.timezone[0] == pytest.approx(0.15 * (1 - 2 / 8))
    total = ranking.level + ranking.availability + ranking.language + ranking.timezone
    assert ranking.score[0] == pytest.approx(total[0])


def test_diminishing_returns_on_level() -> None:
    ranking = rank_helpers(ASKER, helpers([0.4, 0.6, 1.0]))
    assert ranking.rows.tolist() == [2, 1, 0]
    steps = np.diff(ranking.level[::-1])  # 0.2 → 0.4, 0.4 → 0.8 above the asker
    assert steps[0] > 0
    assert steps[1] > 0
    assert steps[1] / 0.4 < steps[0] / 0.2  # the later steps add less per unit


def test_who_is_not_admissible() -> None:
    h = helpers(
        [0.2, 0.8, 0.8, 0.8, 0.8, 0.8],
        hours=[8, 8, 8, 0, 8, 8],
        week=[0, 0, 0, 0, 2, 0],
        month=[0, 0, 0, 0, 0, 8],
        ids=[10, 1, 12, 13, 14, 15],
    )
    # 10: not above the asker; 1: the asker; 12: excluded (reporting line); 13: offers no hours;
    # 14: the week's share (1.85 h) already booked; 15: the month's hours booked
    ranking = rank_helpers(ASKER, h, excluded_ids=[12])
    assert ranking.size == 0
    assert rank_helpers(ASKER, h).rows.tolist() == [2]
    assert free_hours(h).tolist()[3:] == [0.0, 0.0, 0.0]


def test_ties_go_to_the_higher_level_then_the_lower_id() -> None:
    # a perfect score at level 1.0 vs the same score? No: equal levels, equal everything → by id
    h = helpers([0.8, 0.8, 0.8], ids=[30, 20, 25])
    assert rank_helpers(ASKER, h).rows.tolist() == [1, 2, 0]


@pytest.mark.parametrize("seed", range(8))
def test_the_ranking_equals_the_reference_loop(seed: int) -> None:
    asker, h = random_helpers(seed, 300)
    excluded = list(range(0, 300, 17))
    for limit in (5, 50, 300):
        ranking = rank_helpers(asker, h, excluded_ids=excluded, limit=limit)
        expected = reference_rank(asker, h, excluded_ids=excluded, limit=limit)
        assert ranking.rows.tolist() == [row for row, _ in expected]
        assert ranking.score.tolist() == pytest.approx([score for _, score in expected], abs=1e-12)
    assert ranking.size > 20  # the random case is not trivially empty


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError, match="one value per row"):
        Helpers(
            ids=np.arange(2),
            level=np.zeros(3),
            hours_per_month=np.zeros(2),
            sessions_week=np.zeros(2, dtype=np.int64),
            sessions_month=np.zeros(2, dtype=np.int64),
            languages=np.zeros(2, dtype=np.int64),
            utc_offset=np.zeros(2),
        )
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        helpers([1.2])
    with pytest.raises(ValueError, match="negative"):
        helpers([0.8], hours=[-1.0])
    with pytest.raises(ValueError, match="limit"):
        rank_helpers(ASKER, helpers([0.8]), limit=-1)
    with pytest.raises(ValueError, match="asker"):
        rank_helpers(Asker(1, 1.5, 1, 0.0), helpers([0.8]))
