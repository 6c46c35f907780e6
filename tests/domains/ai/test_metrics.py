"""Benchmark metrics: RP@k, MRR, top-k accuracy."""

from __future__ import annotations

import pytest

from skillpath.domains.ai.engine.metrics import (
    r_precision_at,
    ranking_metrics,
    reciprocal_rank,
    top_k_accuracy,
)


def test_r_precision_divides_by_the_smaller_of_k_and_gold() -> None:
    """R precision divides by the smaller of k and gold."""
    ranked = ["a", "b", "c", "d", "e", "f"]
    assert r_precision_at(ranked, {"a"}, 5) == 1.0
    assert r_precision_at(ranked, {"a", "z"}, 5) == 0.5
    assert r_precision_at(ranked, {"a", "b", "c", "d", "e", "f", "g"}, 5) == 1.0
    assert r_precision_at(ranked, {"f"}, 5) == 0.0
    with pytest.raises(ValueError, match="gold"):
        r_precision_at(ranked, set(), 5)


def test_reciprocal_rank_and_means_skip_inputs_without_gold() -> None:
    """Reciprocal rank and means skip inputs without gold."""
    assert reciprocal_rank(["x", "a"], {"a"}) == 0.5
    assert reciprocal_rank(["x"], {"a"}) == 0.0
    result = ranking_metrics([["a", "b"], ["x", "y"], ["q"]], [{"a"}, {"y"}, set()])
    assert result.count == 2
    assert result.rp5 == pytest.approx(100.0)
    assert result.mrr == pytest.approx(75.0)
    assert ranking_metrics([], []).count == 0


def test_top_k_accuracy() -> None:
    """Top k accuracy."""
    ranked = [["a", "b"], ["c", "d"], ["e"]]
    assert top_k_accuracy(ranked, ["a", "d", "z"], 1) == pytest.approx(100 / 3)
    assert top_k_accuracy(ranked, ["a", "d", "z"], 2) == pytest.approx(200 / 3)
    with pytest.raises(ValueError, match="one ranking"):
        top_k_accuracy(ranked, ["a"], 1)
