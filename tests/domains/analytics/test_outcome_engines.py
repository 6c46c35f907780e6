"""ROI and impact engines: hand-computed examples, reference loops, and known effects."""

from __future__ import annotations

import numpy as np
import pytest

from skillpath.domains.analytics.engine.measures import (
    Assumptions,
    distribution,
    mobility_rate,
    paired_change,
    rate,
    roi,
)
from skillpath.domains.analytics.engine.survival import (
    compare,
    greenwood_variance,
    match_controls,
    reference_survival,
    strata,
    survival_curve,
)


def test_survival_matches_the_product_limit_by_hand() -> None:
    time = np.array([1, 2, 2, 3, 4, 5, 6, 6, 8], dtype=float)
    left = np.array([1, 1, 0, 1, 0, 1, 1, 0, 0], dtype=bool)
    months = np.array([0.0, 1.0, 2.0, 3.0, 5.5, 6.0, 9.0])
    curve = survival_curve(time, left, months)
    expected = [reference_survival(time.tolist(), left.tolist(), m) for m in months]
    assert curve.survival.tolist() == pytest.approx(expected)
    # By hand at month 3: (8/9) · (7/8) · (5/6) = 0.6481…
    assert curve.survival[3] == pytest.approx(8 / 9 * 7 / 8 * 5 / 6)
    assert np.all(curve.low <= curve.survival + 1e-12)
    assert np.all(curve.high >= curve.survival - 1e-12)
    assert (curve.people, curve.events) == (9, 5)


def test_greenwood_variance_by_hand() -> None:
    time = np.array([1, 2, 3, 4], dtype=float)
    left = np.array([1, 1, 0, 1], dtype=bool)
    s = 3 / 4 * 2 / 3
    assert greenwood_variance(time, left, 2.5) == pytest.approx(s * s * (1 / (4 * 3) + 1 / (3 * 2)))


def test_nobody_left_keeps_survival_at_one() -> None:
    curve = survival_curve(np.array([3.0, 5.0]), np.array([False, False]), np.array([1.0, 4.0]))
    assert curve.survival.tolist() == [1.0, 1.0]


def simulate(
    rng: np.random.Generator, n: int, hazard: float, months: float = 24.0
) -> tuple[np.ndarray, np.ndarray]:
    leave = rng.exponential(1 / hazard, size=n)
    observed = rng.uniform(months / 2, months, size=n)  # staggered entry: censoring varies
    return np.minimum(leave, observed), leave <= observed


def test_a_known_effect_is_recovered_within_its_interval() -> None:
    rng = np.random.default_rng(7)
    truth = np.exp(-0.012 * 12) - np.exp(-0.02 * 12)
    covered = detected = 0
    runs = 60
    for _ in range(runs):
        t1, e1 = simulate(rng, 1200, 0.012)
        t0, e0 = simulate(rng, 1200, 0.02)
        result = compare(t1, e1, t0, e0, horizon=12.0, months=np.array([6.0, 12.0]))
        covered += result.difference_low <= truth <= result.difference_high
        detected += result.p_value < 0.05
    assert covered / runs >= 0.85  # nominal 95 %
    assert detected / runs >= 0.9


def test_no_effect_is_not_claimed_more_often_than_the_significance_level() -> None:
    rng = np.random.default_rng(11)
    runs = 300
    false_alarms = 0
    for _ in range(runs):
        t1, e1 = simulate(rng, 150, 0.02)
        t0, e0 = simulate(rng, 150, 0.02)
        false_alarms += (
            compare(t1, e1, t0, e0, horizon=12.0, months=np.array([12.0])).p_value < 0.05
        )
    # 5 % expected; three standard errors of slack for 300 runs.
    assert false_alarms / runs <= 0.05 + 3 * np.sqrt(0.05 * 0.95 / runs)


def test_controls_are_matched_within_strata_without_replacement() -> None:
    codes = strata(
        ["sales", "sales", "it", "sales", "sales", "it", "hr"],
        ["0-2", "0-2", "2-5", "0-2", "0-2", "2-5", "0-2"],
    )
    participants, others = codes[:3], codes[3:]
    matched = match_controls(
        participants,
        np.array([10.0, 20.0, 5.0]),
        others,
        np.array([19.0, 11.0, 100.0, 3.0]),
    )
    # Rows 0 and 1 are "sales 0-2": row 0 (hired 10) takes the one hired 11, row 1 the other.
    assert matched.control.tolist() == [1, 0, 2]
    assert matched.unmatched == 0
    # Only people employed on the participant's entry day qualify.
    timed = match_controls(
        participants[:1],
        np.array([10.0]),
        others,
        np.array([19.0, 11.0, 100.0, 3.0]),
        participant_entry=np.array([15.0]),
        other_left=np.array([40.0, 12.0, 200.0, 50.0]),
    )
    assert timed.control.tolist() == [-1]  # 19 was hired after day 15; 11 left on day 12
    lonely = match_controls(np.array([5]), np.array([1.0]), np.array([4]), np.array([1.0]))
    assert lonely.control.tolist() == [-1]
    assert lonely.unmatched == 1


def test_fill_time_distribution() -> None:
    found = distribution(np.array([10, 20, 30, 40, 50, 60, 70, 80, 90, 100], dtype=float))
    assert found.median == 55.0
    assert (found.q1, found.q3) == (32.5, 77.5)
    assert found.median_low is not None
    assert found.median_high is not None
    assert found.median_low <= 55.0 <= found.median_high
    assert distribution(np.array([])).median is None
    with pytest.raises(ValueError, match="negative"):
        distribution(np.array([-1.0]))


def test_rates_have_wilson_intervals() -> None:
    found = rate(8, 20)
    assert found.value == pytest.approx(0.4)
    assert found.low == pytest.approx(0.2188, abs=1e-3)
    assert found.high == pytest.approx(0.6134, abs=1e-3)
    assert rate(0, 0).value is None
    assert mobility_rate(30, np.array([290.0, 310.0])).value == pytest.approx(0.1)


def test_paired_change_t_interval() -> None:
    before = np.array([0.2, 0.4, 0.4, 0.6])
    after = np.array([0.4, 0.6, 0.4, 0.8])
    found = paired_change(before, after)
    assert found.mean_change == pytest.approx(0.15)
    half = 3.182446305284263 * 0.1 / 2  # t(0.975, 3) × sd 0.1 / √4
    assert found.low == pytest.approx(0.15 - half)
    assert found.high == pytest.approx(0.15 + half)


def test_roi_by_hand() -> None:
    a = Assumptions(
        cost_per_external_hire=10_000,
        internal_transition_cost=2_000,
        loaded_hourly_rate=50,
        replacement_cost_share=0.5,
        average_salary=60_000,
        productivity_ramp_months_external=6,
        productivity_ramp_months_internal=2,
    )
    found = roi(
        internal_fills=3,
        departures_avoided=1.5,
        item_costs=4_000,
        learning_hours=200,
        assumptions=a,
    )
    assert found.recruiting_cost_avoided == 24_000
    assert found.retention_benefit == 45_000
    assert found.productivity_benefit == 3 * 4 * 5_000 * 0.5
    assert found.cost == 4_000 + 10_000
    assert found.roi_percent == pytest.approx(100 * (24_000 + 45_000 + 30_000 - 14_000) / 14_000)
    with pytest.raises(ValueError, match="non-negative"):
        Assumptions(loaded_hourly_rate=-1)
