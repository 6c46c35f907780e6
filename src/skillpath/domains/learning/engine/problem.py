"""What both planners share: from a catalog, one person's gaps and constraints to the items that
can be used, the gaps they can close, and the reasons for everything that stays out.

Steps (see docs/planner.md):

1. Constraints that make any plan impossible (no weekly learning time, a deadline not after the
   start, a kind both avoided and required) end here with an explanation.
2. Per-item exclusions over the whole catalog, as a bit mask: already completed, not in the
   person's locales, not offline when offline-only, an avoided kind, alone more expensive than
   the budget, alone longer than the deadline allows.
3. Relevant items: those that raise an open gap skill above its current level. Candidates: the
   eligible relevant items and, transitively, the eligible items their prerequisites may need
   (required items; items teaching a required skill to the required level).
4. Usable items, the least fixpoint: an eligible candidate is usable when every required item is
   completed or usable, and every required skill level is held now or taught by a usable item of
   an earlier generation. Exactly the items some valid order can reach; their generation is the
   round in which they became usable. Items on a prerequisite cycle are never usable.
5. A gap is reachable when a usable item teaches its skill to the target level; the others are
   reported with a reason and the closest alternatives.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from skillpath.domains.learning.engine.model import (
    CONSTRAINT_NAMES,
    EPSILON,
    Alternative,
    BoolArray,
    Catalog,
    Constraints,
    Explanation,
    Gaps,
    IntArray,
    Learner,
    Unreachable,
)

ALTERNATIVES_PER_GAP = 3
"""How many closest alternatives an unreachable gap lists."""

_COMPLETED = 1


@dataclass(frozen=True)
class OpenGap:
    """A gap still open: its row in the input (the caller's priority), skill, target and the
    level held now (the higher of the gap's current level and the learner's)."""

    position: int
    skill: int
    target: float
    current: float


@dataclass(frozen=True)
class SkillRequirement:
    """A required skill level not held now, and the usable items (other than the requiring
    item) that teach it to that level."""

    skill: int
    level: float
    supporters: tuple[int, ...]


@dataclass
class Problem:
    """Everything a planner needs about one person's request, prepared once.

    `capacity` is the weekly learning time in minutes, `max_minutes` and `max_cents` the
    deadline and budget as totals (None: no limit), `levels` the levels held now. `usable` items
    have a `generation` (the least-fixpoint round); `needed` are the usable items a plan may use
    (closing a reachable gap, meeting a required kind, or transitively supporting those), and only
    they have `requires` (required items not completed) and `supports` (required levels not held
    now, with their supporters). `covers[g]` lists the usable items closing open gap `g`;
    `kind_items[k]` the usable items of required kind `k` that raise an open gap skill.
    """

    catalog: Catalog
    constraints: Constraints
    capacity: int
    max_minutes: int | None
    max_cents: int | None
    levels: dict[int, float]
    completed: frozenset[int]
    gaps: tuple[OpenGap, ...] = ()
    usable: tuple[int, ...] = ()
    needed: tuple[int, ...] = ()
    generation: dict[int, int] = field(default_factory=dict)
    requires: dict[int, tuple[int, ...]] = field(default_factory=dict)
    supports: dict[int, tuple[SkillRequirement, ...]] = field(default_factory=dict)
    covers: tuple[tuple[int, ...], ...] = ()
    kind_items: dict[str, tuple[int, ...]] = field(default_factory=dict)
    unmet_kinds: tuple[str, ...] = ()
    unreachable: tuple[Unreachable, ...] = ()
    explanations: tuple[Explanation, ...] = ()
    impossible: bool = False

    def level(self, skill: int) -> float:
        """The person's level in a skill now (0 when unknown)."""
        return self.levels.get(skill, 0.0)

    @property
    def reachable(self) -> tuple[int, ...]:
        """Indexes (into `gaps`) of the gaps some usable item closes."""
        return tuple(g for g, items in enumerate(self.covers) if items)

    @property
    def resource_names(self) -> tuple[str, ...]:
        """The plan-wide limits in force: budget and/or deadline."""
        names = []
        if self.max_cents is not None:
            names.append("budget")
        if self.max_minutes is not None:
            names.append("deadline")
        return tuple(names)


def _levels(gaps: Gaps, learner: Learner) -> dict[int, float]:
    levels: dict[int, float] = {}
    for skill, level in zip(learner.skill.tolist(), learner.level.tolist(), strict=True):
        levels[skill] = level
    for skill, level in zip(gaps.skill.tolist(), gaps.current.tolist(), strict=True):
        levels[skill] = max(levels.get(skill, 0.0), level)
    return levels


def _exclusions(catalog: Catalog, problem: Problem) -> tuple[IntArray, list[Explanation]]:
    """Per-item exclusion bits and the catalog-wide explanations (a constraint no item meets)."""
    constraints = problem.constraints
    index = catalog.index
    n = catalog.size
    bits = np.zeros(n, dtype=np.int64)
    explanations: list[Explanation] = []
    if problem.completed:
        bits[np.fromiter(problem.completed, dtype=np.int64)] |= _COMPLETED
    masks: list[tuple[str, BoolArray, str]] = []
    if constraints.locales is not None:
        wanted = ", ".join(sorted(constraints.locales))
        masks.append(
            ("locale", ~catalog.available_in(constraints.locales), f"No item is in {wanted}.")
        )
    if constraints.offline_only:
        masks.append(("offline_only", ~catalog.offline, "No item can be taken offline."))
    if constraints.avoid_kinds:
        avoided = np.isin(catalog.kind, sorted(constraints.avoid_kinds))
        masks.append(("avoid_kinds", avoided, "Every kind of item is avoided."))
    if problem.max_cents is not None:
        cents = np.asarray(index.cents, dtype=np.int64)
        budget = f"{problem.max_cents / 100:.2f}"
        masks.append(("budget", cents > problem.max_cents, f"No item costs {budget} or less."))
    if problem.max_minutes is not None:
        hours = f"{problem.max_minutes / 60:.1f}"
        masks.append(
            (
                "deadline",
                catalog.minutes > problem.max_minutes,
                f"No item fits in the {hours} hours before the deadline.",
            )
        )
    codes = {
        "locale": "no_item_in_locale",
        "offline_only": "no_offline_item",
        "avoid_kinds": "every_kind_avoided",
        "budget": "no_item_within_budget",
        "deadline": "no_item_before_deadline",
    }
    for name, mask, message in masks:
        bits[mask] |= 1 << CONSTRAINT_NAMES.index(name)
        if n and mask.all():
            explanations.append(Explanation(codes[name], message, constraint=name))
    return bits, explanations


def _names(bits: int) -> tuple[str, ...]:
    return tuple(name for k, name in enumerate(CONSTRAINT_NAMES) if bits >> k & 1)


def _impossible(problem: Problem, code: str, message: str, constraint: str) -> Problem:
    problem.explanations = (Explanation(code, message, constraint=constraint),)
    problem.impossible = True
    return problem


def prepare(catalog: Catalog, gaps: Gaps, learner: Learner, constraints: Constraints) -> Problem:
    """Validate one request against the catalog and prepare it for the planners."""
    for skills, name in ((gaps.skill, "gap skill"), (learner.skill, "learner skill")):
        if skills.size and (skills.min() < 0 or skills.max() >= catalog.skill_count):
            raise ValueError(f"{name} out of range (0..{catalog.skill_count - 1})")
    completed = learner.completed
    if completed.size and (completed.min() < 0 or completed.max() >= catalog.size):
        raise ValueError(f"completed item out of range (0..{catalog.size - 1})")
    capacity = constraints.minutes_per_week
    max_minutes = None
    if constraints.deadline is not None:
        days = (constraints.deadline - constraints.start).days
        max_minutes = capacity * days // 7
    max_cents = None if constraints.budget is None else round(constraints.budget * 100)
    problem = Problem(
        catalog=catalog,
        constraints=constraints,
        capacity=capacity,
        max_minutes=max_minutes,
        max_cents=max_cents,
        levels=_levels(gaps, learner),
        completed=frozenset(completed.tolist()),
    )
    problem.gaps = tuple(
        OpenGap(position, skill, target, problem.level(skill))
        for position, (skill, target) in enumerate(
            zip(gaps.skill.tolist(), gaps.target.tolist(), strict=True)
        )
        if problem.level(skill) < target - EPSILON
    )
    if capacity == 0:
        return _impossible(
            problem,
            "no_learning_time",
            "There is no learning time: set at least one minute a week.",
            "hours_per_week",
        )
    if constraints.deadline is not None and constraints.deadline <= constraints.start:
        return _impossible(
            problem,
            "deadline_not_after_start",
            "The deadline must be after the start date.",
            "deadline",
        )
    both = constraints.avoid_kinds & constraints.require_kinds
    if both:
        return _impossible(
            problem,
            "conflicting_kinds",
            f"A kind cannot be both avoided and required: {', '.join(sorted(both))}.",
            "require_kinds",
        )
    bits, explanations = _exclusions(catalog, problem)
    _analyse(problem, bits)
    unmet = [kind for kind in sorted(constraints.require_kinds) if not problem.kind_items[kind]]
    problem.unmet_kinds = tuple(unmet)
    explanations += [
        Explanation(
            "required_kind_unavailable",
            f"No usable {kind} item teaches any of the skills to develop.",
            constraint="require_kinds",
        )
        for kind in unmet
    ]
    if problem.gaps and not problem.reachable:
        excluded = sorted(
            {
                name
                for gap in problem.unreachable
                for a in gap.alternatives
                for name in a.excluded_by
            }
        )
        because = f" because of: {', '.join(excluded)}" if excluded else ""
        explanations.append(
            Explanation(
                "nothing_reachable",
                f"No usable item closes any of the gaps{because}.",
                constraint=excluded[0] if len(excluded) == 1 else None,
            )
        )
        problem.impossible = True
    problem.explanations = tuple(explanations)
    return problem


def _analyse(problem: Problem, bits: IntArray) -> None:
    """Relevant and usable items, generations, requirements, coverage and unreachable gaps."""
    catalog = problem.catalog
    index = catalog.index
    eligible = bits == 0
    relevant: dict[int, list[int]] = {}
    covering: list[list[int]] = []
    for gap in problem.gaps:
        items: list[int] = []
        for level, item in index.teachers.get(gap.skill, ()):
            if level <= gap.current + EPSILON:
                break
            relevant.setdefault(item, []).append(gap.skill)
            if level >= gap.target - EPSILON:
                items.append(item)
        covering.append(items)
    candidates = _expand(problem, [i for i in relevant if eligible[i]], eligible)
    generation = _least_fixpoint(problem, candidates)
    problem.generation = generation
    problem.usable = tuple(sorted(generation))
    problem.covers = tuple(tuple(sorted(i for i in items if i in generation)) for items in covering)
    kinds = problem.constraints.require_kinds
    problem.kind_items = {
        kind: tuple(i for i in sorted(relevant) if i in generation and catalog.kind[i] == kind)
        for kind in kinds
    }
    _needed(problem)
    problem.unreachable = tuple(
        _unreachable(problem, gap, covering[g], bits)
        for g, gap in enumerate(problem.gaps)
        if not problem.covers[g]
    )


def _needed(problem: Problem) -> None:
    """Requirements and supporters of the usable items a plan may need, found from the items
    closing a reachable gap or meeting a required kind."""
    index = problem.catalog.index
    generation = problem.generation
    memo: dict[tuple[int, int, float], bool] = {}
    stack = [i for items in problem.covers for i in items]
    stack += [i for items in problem.kind_items.values() for i in items]
    while stack:
        item = stack.pop()
        if item in problem.requires:
            continue
        requires = tuple(j for j in index.requires_items[item] if j not in problem.completed)
        needs = []
        for skill, level in index.requires_skills[item]:
            if problem.level(skill) >= level - EPSILON:
                continue
            supporters = tuple(
                sorted(
                    j
                    for taught, j in index.teachers.get(skill, ())
                    if taught >= level - EPSILON
                    and j in generation
                    and j != item
                    and not _reached_before(problem, j, skill, level, memo)
                )
            )
            needs.append(SkillRequirement(skill, level, supporters))
            stack.extend(supporters)
        problem.requires[item] = requires
        problem.supports[item] = tuple(needs)
        stack.extend(requires)
    problem.needed = tuple(sorted(problem.requires))


def _reached_before(
    problem: Problem, item: int, skill: int, level: float, memo: dict[tuple[int, int, float], bool]
) -> bool:
    """Whether the prerequisites of a usable item already bring `skill` (not held now) to
    `level` before it: it requires the skill at that level or more, or requires an item that
    teaches it or (recursively) does so. Such an item is never the first to teach the level, so
    it is left out of support lists: the first one, always available, suffices."""
    key = (item, skill, level)
    found = memo.get(key)
    if found is not None:
        return found
    index = problem.catalog.index
    found = any(
        required == skill and at >= level - EPSILON for required, at in index.requires_skills[item]
    ) or any(
        j not in problem.completed
        and (
            any(taught == skill and at >= level - EPSILON for taught, at in index.teaches[j])
            or _reached_before(problem, j, skill, level, memo)
        )
        for j in index.requires_items[item]
    )
    memo[key] = found
    return found


def _expand(problem: Problem, seeds: list[int], eligible: BoolArray) -> set[int]:
    """Eligible seeds and, transitively, the eligible items their prerequisites may use."""
    index = problem.catalog.index
    seen: set[int] = set()
    stack = list(seeds)
    while stack:
        item = stack.pop()
        if item in seen:
            continue
        seen.add(item)
        stack.extend(
            j for j in index.requires_items[item] if eligible[j] and j not in problem.completed
        )
        for skill, level in index.requires_skills[item]:
            if problem.level(skill) >= level - EPSILON:
                continue
            for taught, j in index.teachers.get(skill, ()):
                if taught < level - EPSILON:
                    break
                # An item requiring the level itself is never the first to teach it.
                if eligible[j] and not any(
                    s == skill and at >= level - EPSILON for s, at in index.requires_skills[j]
                ):
                    stack.append(j)
    return seen


def _least_fixpoint(problem: Problem, candidates: set[int]) -> dict[int, int]:
    """Generation of every candidate some valid order reaches (round in which it is ready)."""
    index = problem.catalog.index
    generation: dict[int, int] = {}
    reach: dict[int, float] = {}
    pending = sorted(candidates)
    round_number = 0
    while pending:
        ready = [
            item
            for item in pending
            if all(j in problem.completed or j in generation for j in index.requires_items[item])
            and all(
                max(problem.level(skill), reach.get(skill, 0.0)) >= level - EPSILON
                for skill, level in index.requires_skills[item]
            )
        ]
        if not ready:
            break
        for item in ready:
            generation[item] = round_number
        for item in ready:
            for skill, level in index.teaches[item]:
                if level > reach.get(skill, 0.0):
                    reach[skill] = level
        pending = [item for item in pending if item not in generation]
        round_number += 1
    return generation


def item_exclusions(problem: Problem, item: int, bits: IntArray) -> tuple[str, ...]:
    """Why an item is out of the plan: the constraints excluding it, or `prerequisite` (plus the
    constraints excluding its required items) when a prerequisite cannot be met."""
    own = int(bits[item])
    if own:
        return _names(own)
    if item in problem.generation:
        return ()
    reasons = {"prerequisite"}
    for j in problem.catalog.index.requires_items[item]:
        reasons.update(_names(int(bits[j]) & ~_COMPLETED))
    return tuple(name for name in ("prerequisite", *CONSTRAINT_NAMES) if name in reasons)


def _unreachable(
    problem: Problem, gap: OpenGap, covering: list[int], bits: IntArray
) -> Unreachable:
    """A gap no usable item closes: `not_taught` or `excluded`, with the closest alternatives."""
    teachers = problem.catalog.index.teachers.get(gap.skill, ())
    usable_levels = [level for level, item in teachers if item in problem.generation]
    best_level = max([gap.current, *usable_levels])
    minutes = problem.catalog.index.minutes
    if covering:
        ranked = sorted(
            (
                len(item_exclusions(problem, i, bits)),
                minutes[i],
                i,
                item_exclusions(problem, i, bits),
            )
            for i in covering
        )
        levels = {item: level for level, item in teachers}
        alternatives = tuple(
            Alternative(i, levels[i], reasons) for _, _, i, reasons in ranked[:ALTERNATIVES_PER_GAP]
        )
        return Unreachable(gap.skill, gap.target, gap.current, "excluded", best_level, alternatives)
    below = [(level, item) for level, item in teachers if gap.current + EPSILON < level]
    scored = sorted(
        (-level, len(item_exclusions(problem, item, bits)), minutes[item], item, level)
        for level, item in below
    )
    chosen = list(scored[:ALTERNATIVES_PER_GAP])
    if all(row[1] for row in chosen):
        chosen += [row for row in scored[ALTERNATIVES_PER_GAP:] if not row[1]][:1]
    alternatives = tuple(
        Alternative(item, level, item_exclusions(problem, item, bits))
        for _, _, _, item, level in chosen
    )
    return Unreachable(gap.skill, gap.target, gap.current, "not_taught", best_level, alternatives)


def resource_unreachable(problem: Problem, gap: OpenGap, covers: tuple[int, ...]) -> Unreachable:
    """A reachable gap left open because the budget or deadline does not allow it as well."""
    teachers: Mapping[int, float] = {
        item: level for level, item in problem.catalog.index.teachers.get(gap.skill, ())
    }
    minutes = problem.catalog.index.minutes
    ranked = sorted(covers, key=lambda i: (minutes[i], i))[:ALTERNATIVES_PER_GAP]
    best = max([gap.current, *(teachers[i] for i in problem.generation if i in teachers)])
    return Unreachable(
        gap.skill,
        gap.target,
        gap.current,
        "over_budget_or_time",
        best,
        tuple(Alternative(i, teachers[i], problem.resource_names) for i in ranked),
    )
