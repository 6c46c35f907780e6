"""The greedy reference planner: the plain way to pick a path, kept as the benchmark baseline and
as the oracle the exact planner is never worse than.

It works on the same prepared problem (`problem.py`) and produces a valid set within the same
constraints:

1. For each required kind (alphabetically) not yet in the plan, the relevant usable item of that
   kind whose prerequisite closure adds the fewest minutes (then cents, then lowest item).
2. While a reachable gap is open, the item closing an open gap with the fewest added minutes per
   newly closed gap (its closure's gaps included), ties to the lower added cost and then the
   lower item; an item whose closure would break the budget or the deadline is skipped.

The closure of an item is the item, the items it requires, and for each required skill level not
yet held the supporter of an earlier generation with the fewest minutes, recursively (earlier
generations make the closure valid and finite). Chosen items are never taken back out.
"""

from __future__ import annotations

from collections.abc import Collection
from fractions import Fraction

from skillpath.domains.learning.engine.model import (
    EPSILON,
    GREEDY,
    IMPOSSIBLE,
    NO_GAPS,
    Catalog,
    Constraints,
    Gaps,
    Learner,
    Plan,
)
from skillpath.domains.learning.engine.problem import Problem, prepare
from skillpath.domains.learning.engine.schedule import build_plan


def plan_key(problem: Problem, chosen: Collection[int]) -> tuple[int, int, int]:
    """How good a set is, smaller first: (−(reachable gaps closed + required kinds met),
    minutes, cents) — the exact planner's lexicographic objective."""
    index = problem.catalog.index
    items = set(chosen)
    closed = sum(1 for g in problem.reachable if not items.isdisjoint(problem.covers[g]))
    kinds = sum(1 for found in problem.kind_items.values() if not items.isdisjoint(found))
    return (
        -(closed + kinds),
        sum(index.minutes[i] for i in items),
        sum(index.cents[i] for i in items),
    )


def _closure(problem: Problem, item: int, chosen: set[int], reached: dict[int, float]) -> list[int]:
    """Items to add so that `item` can be taken, prerequisites first."""
    index = problem.catalog.index
    if not problem.requires[item] and not problem.supports[item]:
        return [] if item in chosen else [item]
    generation = problem.generation
    added: list[int] = []
    seen: set[int] = set()
    trial: dict[int, float] = {}

    def level(skill: int) -> float:
        return max(problem.level(skill), reached.get(skill, 0.0), trial.get(skill, 0.0))

    def need(k: int) -> None:
        if k in chosen or k in seen:
            return
        seen.add(k)
        for j in problem.requires[k]:
            need(j)
        for requirement in problem.supports[k]:
            if level(requirement.skill) >= requirement.level - EPSILON:
                continue
            need(
                min(
                    (j for j in requirement.supporters if generation[j] < generation[k]),
                    key=lambda j: (index.minutes[j], index.cents[j], j),
                )
            )
        added.append(k)
        for skill, gained in index.teaches[k]:
            if gained > trial.get(skill, 0.0):
                trial[skill] = gained

    need(item)
    return added


def greedy_select(problem: Problem) -> list[int]:
    """The greedy set of items for a prepared problem (see the module docstring)."""
    index = problem.catalog.index
    chosen: list[int] = []
    chosen_set: set[int] = set()
    reached: dict[int, float] = {}
    used = [0, 0]
    closes: dict[int, list[int]] = {}
    for g in problem.reachable:
        for item in problem.covers[g]:
            closes.setdefault(item, []).append(g)
    open_gaps = set(problem.reachable)

    def cost(added: list[int]) -> tuple[int, int] | None:
        minutes = sum(index.minutes[i] for i in added)
        cents = sum(index.cents[i] for i in added)
        if problem.max_minutes is not None and used[0] + minutes > problem.max_minutes:
            return None
        if problem.max_cents is not None and used[1] + cents > problem.max_cents:
            return None
        return minutes, cents

    def take(added: list[int], minutes: int, cents: int) -> None:
        for item in added:
            chosen.append(item)
            chosen_set.add(item)
            for skill, gained in index.teaches[item]:
                if gained > reached.get(skill, 0.0):
                    reached[skill] = gained
            open_gaps.difference_update(closes.get(item, ()))
        used[0] += minutes
        used[1] += cents

    for kind in sorted(problem.kind_items):
        found = problem.kind_items[kind]
        if chosen_set.intersection(found):
            continue
        options = []
        for item in found:
            added = _closure(problem, item, chosen_set, reached)
            price = cost(added)
            if price is not None:
                options.append((price[0], price[1], item, added))
        if options:
            minutes, cents, _, added = min(options)
            take(added, minutes, cents)
    while open_gaps:
        best: tuple[tuple[Fraction, int, int], list[int], int, int] | None = None
        candidates = sorted({i for g in open_gaps for i in problem.covers[g]} - chosen_set)
        for item in candidates:
            added = _closure(problem, item, chosen_set, reached)
            price = cost(added)
            if price is None:
                continue
            gain = len({g for k in added for g in closes.get(k, ()) if g in open_gaps})
            key = (Fraction(price[0], gain), price[1], item)
            if best is None or key < best[0]:
                best = (key, added, price[0], price[1])
        if best is None:
            break
        take(best[1], best[2], best[3])
    return chosen


def greedy_plan(catalog: Catalog, gaps: Gaps, learner: Learner, constraints: Constraints) -> Plan:
    """The greedy learning path for one person, scheduled like the exact one."""
    problem = prepare(catalog, gaps, learner, constraints)
    if not problem.gaps:
        return build_plan(problem, (), status=NO_GAPS, solver="none")
    if problem.impossible:
        return build_plan(problem, (), status=IMPOSSIBLE, solver="none")
    return build_plan(problem, greedy_select(problem), status=GREEDY, solver="greedy")
