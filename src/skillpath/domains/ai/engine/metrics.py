"""Ranking metrics of the skill-extraction benchmarks (Decorte et al. protocol).

RP@k = |gold ∩ top-k| / min(k, |gold|), averaged over the sentences that have gold labels; MRR
is the mean reciprocal rank of the first gold label (0 when none is ranked). Top-k accuracy (job
titles) is the share of inputs whose one gold label is among the first k.
"""

from __future__ import annotations

from collections.abc import Sequence, Set
from dataclasses import dataclass


@dataclass(frozen=True)
class RankingMetrics:
    """RP@5, RP@10 and MRR in percent, over `count` inputs with gold labels."""

    rp5: float
    rp10: float
    mrr: float
    count: int


def r_precision_at(ranked: Sequence[str], gold: Set[str], k: int) -> float:
    """|gold ∩ top-k| / min(k, |gold|) for one input (gold must not be empty)."""
    if not gold:
        raise ValueError("gold labels are needed")
    if k <= 0:
        raise ValueError("k must be positive")
    return len(gold & set(ranked[:k])) / min(k, len(gold))


def reciprocal_rank(ranked: Sequence[str], gold: Set[str]) -> float:
    """1 / rank of the first gold label in the ranking (0 when none is there)."""
    for position, label in enumerate(ranked, start=1):
        if label in gold:
            return 1.0 / position
    return 0.0


def ranking_metrics(ranked: Sequence[Sequence[str]], gold: Sequence[Set[str]]) -> RankingMetrics:
    """The benchmark metrics of rankings against gold label sets (inputs without gold skipped)."""
    if len(ranked) != len(gold):
        raise ValueError("one ranking per gold set is needed")
    pairs = [(r, g) for r, g in zip(ranked, gold, strict=True) if g]
    if not pairs:
        return RankingMetrics(0.0, 0.0, 0.0, 0)
    n = len(pairs)
    return RankingMetrics(
        rp5=100.0 * sum(r_precision_at(r, g, 5) for r, g in pairs) / n,
        rp10=100.0 * sum(r_precision_at(r, g, 10) for r, g in pairs) / n,
        mrr=100.0 * sum(reciprocal_rank(r, g) for r, g in pairs) / n,
        count=n,
    )


def top_k_accuracy(ranked: Sequence[Sequence[str]], gold: Sequence[str], k: int) -> float:
    """Percent of inputs whose gold label is among the first k of their ranking."""
    if len(ranked) != len(gold):
        raise ValueError("one ranking per gold label is needed")
    if not gold:
        return 0.0
    hits = sum(1 for r, g in zip(ranked, gold, strict=True) if g in r[:k])
    return 100.0 * hits / len(gold)
