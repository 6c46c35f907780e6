"""The plain per-employee loop computing the same consolidation: benchmark baseline and oracle."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from skillpath.domains.evidence.engine.policy import LEARNING, ConsolidationPolicy


@dataclass(frozen=True)
class EvidenceRow:
    """One piece of evidence as plain Python values."""

    employee: int
    skill: int
    source: int
    rater: int
    level: float
    confidence: float
    age_days: int
    half_life_days: float
    expired: bool


@dataclass(frozen=True)
class ProfileLine:
    """The consolidated level of one (employee, skill)."""

    level: float
    confidence: float
    total_weight: float
    evidence_count: int
    floor: float | None
    weights: dict[int, float]


def reference_consolidate(
    rows: Sequence[EvidenceRow], policy: ConsolidationPolicy
) -> dict[tuple[int, int], ProfileLine]:
    """Consolidate with dictionaries and loops, row index → weight in `weights`."""
    reliability = policy.reliability_by_code()
    by_pair: dict[tuple[int, int], list[int]] = defaultdict(list)
    for index, row in enumerate(rows):
        if not row.expired:
            by_pair[(row.employee, row.skill)].append(index)
    result: dict[tuple[int, int], ProfileLine] = {}
    for pair, indexes in by_pair.items():
        kept: list[int] = []
        newest_by_rater: dict[tuple[int, int], int] = {}
        for index in indexes:
            row = rows[index]
            if row.rater < 0:
                kept.append(index)
                continue
            key = (row.source, row.rater)
            best = newest_by_rater.get(key)
            if best is None or (row.age_days, -row.level, -row.confidence) < (
                rows[best].age_days,
                -rows[best].level,
                -rows[best].confidence,
            ):
                newest_by_rater[key] = index
        kept.extend(newest_by_rater.values())
        raw = {
            i: reliability[rows[i].source]
            * rows[i].confidence
            * 2.0 ** (-rows[i].age_days / rows[i].half_life_days)
            for i in kept
        }
        weights: dict[int, float] = {}
        for i in kept:
            newer = [
                raw[j]
                for j in kept
                if rows[j].source == rows[i].source and rows[j].age_days < rows[i].age_days
            ]
            weights[i] = min([raw[i], *newer])
        total = sum(weights.values())
        mean = sum(weights[i] * rows[i].level for i in kept) / total
        variance = sum(weights[i] * (rows[i].level - mean) ** 2 for i in kept) / total
        agreement = min(1.0, max(0.0, 1.0 - 2.0 * math.sqrt(max(variance, 0.0))))
        amount = 1.0 - math.exp(-total / policy.saturation_weight)
        share = policy.agreement_share
        confidence = amount * (1.0 - share + share * agreement)
        learned = [rows[i].level for i in kept if rows[i].source == LEARNING]
        floor = max(learned) if learned and policy.learning_sets_floor else None
        level = max(mean, floor) if floor is not None else mean
        result[pair] = ProfileLine(
            level=min(1.0, max(0.0, level)),
            confidence=min(1.0, max(0.0, confidence)),
            total_weight=total,
            evidence_count=len(kept),
            floor=floor,
            weights=weights,
        )
    return result
