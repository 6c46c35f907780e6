"""The plain per-employee loop computing the same gaps and roll-ups: baseline and oracle."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class RollupLine:
    """Roll-up figures of one (population, skill)."""

    demand: int
    met: int
    supply: int
    reference_level: float
    shortfall_sum: float
    impact: float


def reference_person_gaps(
    roles: Sequence[int],
    requirements: Mapping[int, Sequence[tuple[int, float, float]]],
    levels: Mapping[tuple[int, int], float],
    skill_weight: Sequence[float],
    role_weight: Sequence[float],
) -> list[tuple[int, int, float, float]]:
    """(employee, skill, shortfall, weighted) for each requirement of each person's role."""
    out = []
    for employee, role in enumerate(roles):
        if role < 0:
            continue
        for skill, target, importance in requirements.get(role, ()):
            current = levels.get((employee, skill), 0.0)
            shortfall = max(0.0, target - current)
            weighted = shortfall * importance * skill_weight[skill] * role_weight[role]
            out.append((employee, skill, shortfall, weighted))
    return out


def reference_rollup(
    roles: Sequence[int],
    requirements: Mapping[int, Sequence[tuple[int, float, float]]],
    levels: Mapping[tuple[int, int], float],
    skill_weight: Sequence[float],
    role_weight: Sequence[float],
    populations: Mapping[int, Sequence[int]],
) -> dict[tuple[int, int], RollupLine]:
    """Per (population, skill in demand) the roll-up figures, with loops."""
    result: dict[tuple[int, int], RollupLine] = {}
    for group, members in populations.items():
        demand: dict[int, int] = defaultdict(int)
        met: dict[int, int] = defaultdict(int)
        reference: dict[int, float] = defaultdict(float)
        shortfall_sum: dict[int, float] = defaultdict(float)
        impact: dict[int, float] = defaultdict(float)
        for employee in members:
            role = roles[employee]
            if role < 0:
                continue
            for skill, target, importance in requirements.get(role, ()):
                current = levels.get((employee, skill), 0.0)
                shortfall = max(0.0, target - current)
                demand[skill] += 1
                met[skill] += int(current >= target)
                reference[skill] = max(reference[skill], target)
                shortfall_sum[skill] += shortfall
                impact[skill] += shortfall * importance * skill_weight[skill] * role_weight[role]
        for skill in demand:
            supply = sum(
                1
                for employee in members
                if (employee, skill) in levels and levels[(employee, skill)] >= reference[skill]
            )
            result[(group, skill)] = RollupLine(
                demand=demand[skill],
                met=met[skill],
                supply=supply,
                reference_level=reference[skill],
                shortfall_sum=shortfall_sum[skill],
                impact=impact[skill],
            )
    return result
