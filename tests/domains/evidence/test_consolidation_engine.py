"""The consolidation engine against its reference loop, and its promised properties."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skillpath.domains.evidence.engine.consolidation import (
    COUNTED,
    EXPIRED,
    SUPERSEDED,
    Consolidated,
    EvidenceBatch,
    consolidate,
)
from skillpath.domains.evidence.engine.policy import SOURCE_CODE, ConsolidationPolicy
from skillpath.domains.evidence.engine.reference import EvidenceRow, reference_consolidate

POLICY = ConsolidationPolicy()

HALF_LIFE_OF_SKILL = (365.0, 730.0, 1460.0, 730.0)


@st.composite
def evidence_rows(draw: st.DrawFn) -> EvidenceRow:
    """A random evidence row; the half-life follows from the skill (its kind), as in the product."""
    skill = draw(st.integers(0, 3))
    return EvidenceRow(
        employee=draw(st.integers(0, 3)),
        skill=skill,
        source=draw(st.integers(0, 7)),
        rater=draw(st.integers(-1, 2)),
        level=draw(st.floats(0.0, 1.0)),
        confidence=draw(st.floats(0.05, 1.0)),
        age_days=draw(st.integers(0, 1500)),
        half_life_days=HALF_LIFE_OF_SKILL[skill],
        expired=draw(st.sampled_from([False, False, False, True])),
    )


rows_strategy = st.lists(evidence_rows(), min_size=0, max_size=40)


def to_batch(rows: list[EvidenceRow]) -> EvidenceBatch:
    """Rows → parallel arrays."""
    return EvidenceBatch(
        employee=np.array([r.employee for r in rows], dtype=np.int64),
        skill=np.array([r.skill for r in rows], dtype=np.int64),
        source=np.array([r.source for r in rows], dtype=np.int64),
        rater=np.array([r.rater for r in rows], dtype=np.int64),
        level=np.array([r.level for r in rows], dtype=np.float64),
        confidence=np.array([r.confidence for r in rows], dtype=np.float64),
        age_days=np.array([r.age_days for r in rows], dtype=np.int64),
        half_life_days=np.array([r.half_life_days for r in rows], dtype=np.float64),
        expired=np.array([r.expired for r in rows], dtype=bool),
    )


def as_dict(result: Consolidated) -> dict[tuple[int, int], tuple[float, float]]:
    """(employee, skill) → (level, confidence)."""
    return {
        (int(e), int(s)): (float(lv), float(c))
        for e, s, lv, c in zip(
            result.employee, result.skill, result.level, result.confidence, strict=True
        )
    }


@settings(max_examples=300, deadline=None)
@given(rows_strategy)
def test_engine_matches_reference_loop(rows: list[EvidenceRow]) -> None:
    """Identical levels, confidences and per-row weights to the plain loop."""
    result = consolidate(to_batch(rows), POLICY)
    expected = reference_consolidate(rows, POLICY)
    got = as_dict(result)
    assert set(got) == set(expected)
    for pair, line in expected.items():
        level, confidence = got[pair]
        assert level == pytest.approx(line.level, abs=1e-9)
        assert confidence == pytest.approx(line.confidence, abs=1e-9)
        for index, weight in line.weights.items():
            assert result.row_weight[index] == pytest.approx(weight, abs=1e-12)
            assert result.row_status[index] == COUNTED
    for index, row in enumerate(rows):
        if row.expired:
            assert result.row_status[index] == EXPIRED
            assert result.row_group[index] == -1
        elif result.row_status[index] == SUPERSEDED:
            group = result.row_group[index]
            assert (result.employee[group], result.skill[group]) == (row.employee, row.skill)
            assert result.row_weight[index] == 0.0


@settings(max_examples=200, deadline=None)
@given(rows_strategy)
def test_bounded_and_shares_sum_to_one(rows: list[EvidenceRow]) -> None:
    """Levels and confidences stay in [0, 1]; each group's shares add up to 1."""
    result = consolidate(to_batch(rows), POLICY)
    assert np.all((result.level >= 0) & (result.level <= 1))
    assert np.all((result.confidence >= 0) & (result.confidence <= 1))
    for group in range(result.level.shape[0]):
        members = result.row_group == group
        assert result.row_share[members].sum() == pytest.approx(1.0)


@settings(max_examples=200, deadline=None)
@given(rows_strategy, st.randoms(use_true_random=False))
def test_permutation_invariant(rows: list[EvidenceRow], rnd: object) -> None:
    """The order of evidence rows does not change any result."""
    shuffled = list(rows)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    a = as_dict(consolidate(to_batch(rows), POLICY))
    b = as_dict(consolidate(to_batch(shuffled), POLICY))
    assert set(a) == set(b)
    for pair, (level, confidence) in a.items():
        assert b[pair][0] == pytest.approx(level, abs=1e-12)
        assert b[pair][1] == pytest.approx(confidence, abs=1e-12)


@settings(max_examples=200, deadline=None)
@given(rows_strategy, st.integers(0, 39), st.floats(0.0, 1.0))
def test_monotone_in_a_level(rows: list[EvidenceRow], pick: int, bump: float) -> None:
    """Raising one piece of evidence's level never lowers the consolidated level."""
    if not rows:
        return
    index = pick % len(rows)
    target = rows[index]
    raised = list(rows)
    raised[index] = EvidenceRow(**{**vars(target), "level": min(1.0, target.level + bump)})
    before = as_dict(consolidate(to_batch(rows), POLICY))
    after = as_dict(consolidate(to_batch(raised), POLICY))
    pair = (target.employee, target.skill)
    if pair in before:
        assert after[pair][0] >= before[pair][0] - 1e-12


@settings(max_examples=200, deadline=None)
@given(rows_strategy)
def test_older_never_weighs_more_than_newer_of_same_source(rows: list[EvidenceRow]) -> None:
    """Within one (employee, skill, source), weight is non-increasing with age."""
    result = consolidate(to_batch(rows), POLICY)
    counted = [i for i in range(len(rows)) if result.row_status[i] == COUNTED]
    for i in counted:
        for j in counted:
            same = (rows[i].employee, rows[i].skill, rows[i].source) == (
                rows[j].employee,
                rows[j].skill,
                rows[j].source,
            )
            if same and rows[i].age_days > rows[j].age_days:
                assert result.row_weight[i] <= result.row_weight[j] + 1e-15


def test_worked_example() -> None:
    """A self-rating, a manager rating and a completion, computed by hand."""
    self_code, manager_code, learning_code = (
        SOURCE_CODE["self"],
        SOURCE_CODE["manager"],
        SOURCE_CODE["learning"],
    )
    rows = [
        EvidenceRow(7, 1, self_code, 7, 0.8, 1.0, 0, 730.0, False),
        EvidenceRow(7, 1, manager_code, 3, 0.4, 1.0, 730, 730.0, False),
        EvidenceRow(7, 1, learning_code, -1, 0.6, 1.0, 0, 730.0, False),
    ]
    result = consolidate(to_batch(rows), POLICY)
    w = [0.35, 0.7 * 0.5, 0.55]
    mean = (w[0] * 0.8 + w[1] * 0.4 + w[2] * 0.6) / sum(w)
    assert result.level[0] == pytest.approx(max(mean, 0.6))
    sd = math.sqrt(
        sum(wi * (x - mean) ** 2 for wi, x in zip(w, [0.8, 0.4, 0.6], strict=True)) / sum(w)
    )
    expected_conf = (1 - math.exp(-sum(w))) * (0.5 + 0.5 * (1 - 2 * sd))
    assert result.confidence[0] == pytest.approx(expected_conf)


def test_completion_floor_lifts_a_low_estimate() -> None:
    """A completed course teaching 0.6 lifts a 0.2 self-rating to at least 0.6."""
    rows = [
        EvidenceRow(1, 1, SOURCE_CODE["self"], 1, 0.2, 1.0, 0, 730.0, False),
        EvidenceRow(1, 1, SOURCE_CODE["learning"], -1, 0.6, 1.0, 400, 730.0, False),
    ]
    assert consolidate(to_batch(rows), POLICY).level[0] == pytest.approx(0.6)
    no_floor = ConsolidationPolicy(learning_sets_floor=False)
    assert consolidate(to_batch(rows), no_floor).level[0] < 0.6


def test_newer_rating_from_same_rater_supersedes() -> None:
    """A manager who changes their rating is not averaged with their old self."""
    rows = [
        EvidenceRow(1, 1, SOURCE_CODE["manager"], 9, 0.2, 1.0, 500, 730.0, False),
        EvidenceRow(1, 1, SOURCE_CODE["manager"], 9, 0.8, 1.0, 10, 730.0, False),
    ]
    result = consolidate(to_batch(rows), POLICY)
    assert result.level[0] == pytest.approx(0.8)
    assert list(result.row_status) == [SUPERSEDED, COUNTED]


def test_invalid_batches_are_refused() -> None:
    """Out-of-range inputs raise instead of producing nonsense."""
    good = [EvidenceRow(1, 1, 0, -1, 0.5, 0.5, 1, 730.0, False)]
    batch = to_batch(good)
    with pytest.raises(ValueError, match="levels"):
        EvidenceBatch(**{**vars(batch), "level": np.array([1.5])})
    with pytest.raises(ValueError, match="ages"):
        EvidenceBatch(**{**vars(batch), "age_days": np.array([-1])})
    with pytest.raises(ValueError, match="shape"):
        EvidenceBatch(**{**vars(batch), "skill": np.array([1, 2])})
    with pytest.raises(ValueError, match="reliability"):
        ConsolidationPolicy(reliability={"self": 0.5})


def test_empty_batch() -> None:
    """No evidence, no profile lines."""
    result = consolidate(to_batch([]), POLICY)
    assert result.level.shape == (0,)


@settings(max_examples=100, deadline=None)
@given(rows_strategy)
def test_without_rows_the_groups_are_the_same(rows: list[EvidenceRow]) -> None:
    """Leaving out the per-row figures (a rebuild's case) changes no group figure."""
    full = consolidate(to_batch(rows), POLICY)
    lean = consolidate(to_batch(rows), POLICY, with_rows=False)
    for name in ("employee", "skill", "level", "confidence", "total_weight", "evidence_count"):
        assert np.array_equal(getattr(full, name), getattr(lean, name)), name
    assert np.array_equal(full.floor, lean.floor, equal_nan=True)
    assert lean.row_group.shape == lean.row_share.shape == (0,)
