"""Catalog builders, random requests and an independent brute-force oracle for planner tests.

The oracle re-implements the planning model from its definition (docs/planner.md), without any
of the engine's preparation: it enumerates every subset of a tiny catalog, keeps the valid ones
(some order meets every prerequisite) within the constraints, and ranks them by (gaps closed +
required kinds met, fewest minutes, lowest cost in cents).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import combinations

import numpy as np
from hypothesis import strategies as st

from skillpath.domains.learning.engine.model import (
    PEDAGOGY_STAGE,
    Catalog,
    Constraints,
    Gaps,
    Learner,
    Plan,
)

EPS = 1e-9
KINDS = tuple(PEDAGOGY_STAGE)
LEVELS = (0.2, 0.4, 0.6, 0.8, 1.0)
START = date(2025, 1, 6)


@dataclass(frozen=True)
class Item:
    """One catalog item, written by hand."""

    kind: str = "e-learning"
    minutes: int = 60
    cost: float = 0.0
    teaches: Mapping[int, float] = field(default_factory=dict)
    requires: tuple[int, ...] = ()
    requires_skills: Mapping[int, float] = field(default_factory=dict)
    locales: tuple[str, ...] = ("en",)
    offline: bool = False


def make_catalog(items: list[Item], skills: int) -> Catalog:
    """A catalog of the given items over `skills` skills."""
    teach = [(i, s, lv) for i, item in enumerate(items) for s, lv in sorted(item.teaches.items())]
    prereq = [(i, j) for i, item in enumerate(items) for j in item.requires]
    skill_prereq = [
        (i, s, lv) for i, item in enumerate(items) for s, lv in sorted(item.requires_skills.items())
    ]
    return Catalog(
        minutes=np.array([item.minutes for item in items], dtype=np.int64),
        cost=np.array([item.cost for item in items], dtype=np.float64),
        kind=tuple(item.kind for item in items),
        offline=np.array([item.offline for item in items], dtype=np.bool_),
        locales=tuple(item.locales for item in items),
        teach_item=np.array([t[0] for t in teach], dtype=np.int64),
        teach_skill=np.array([t[1] for t in teach], dtype=np.int64),
        teach_level=np.array([t[2] for t in teach], dtype=np.float64),
        skill_count=skills,
        prerequisite_item=np.array([p[0] for p in prereq], dtype=np.int64),
        prerequisite_required_item=np.array([p[1] for p in prereq], dtype=np.int64),
        skill_prerequisite_item=np.array([p[0] for p in skill_prereq], dtype=np.int64),
        skill_prerequisite_skill=np.array([p[1] for p in skill_prereq], dtype=np.int64),
        skill_prerequisite_level=np.array([p[2] for p in skill_prereq], dtype=np.float64),
    )


def make_gaps(rows: Mapping[int, tuple[float, float]]) -> Gaps:
    """Gaps from {skill: (target, current)} in the mapping's order."""
    return Gaps(
        skill=np.array(list(rows), dtype=np.int64),
        target=np.array([t for t, _ in rows.values()], dtype=np.float64),
        current=np.array([c for _, c in rows.values()], dtype=np.float64),
    )


def make_learner(
    levels: Mapping[int, float] | None = None, completed: Iterable[int] = ()
) -> Learner:
    """A learner with known levels and completed items."""
    levels = levels or {}
    return Learner(
        skill=np.array(list(levels), dtype=np.int64),
        level=np.array(list(levels.values()), dtype=np.float64),
        completed=np.array(sorted(completed), dtype=np.int64),
    )


@dataclass(frozen=True)
class Request:
    """A whole planning request, as written by a test."""

    items: list[Item]
    skills: int
    gaps: dict[int, tuple[float, float]]
    levels: dict[int, float]
    completed: frozenset[int]
    constraints: Constraints

    @property
    def catalog(self) -> Catalog:
        """The catalog."""
        return make_catalog(self.items, self.skills)

    @property
    def gap_arrays(self) -> Gaps:
        """The gaps."""
        return make_gaps(self.gaps)

    @property
    def learner(self) -> Learner:
        """The learner."""
        return make_learner(self.levels, self.completed)


@st.composite
def requests(
    draw: st.DrawFn,
    *,
    max_items: int = 8,
    skills: int = 4,
    resources: bool = True,
    kinds: bool = True,
) -> Request:
    """A random request on a small random catalog (prerequisite cycles included)."""
    n = draw(st.integers(1, max_items))
    items = []
    for i in range(n):
        others = [j for j in range(n) if j != i]
        items.append(
            Item(
                kind=draw(st.sampled_from(KINDS)),
                minutes=draw(st.sampled_from([30, 60, 90, 120, 240, 300, 420])),
                cost=draw(st.sampled_from([0.0, 0.0, 10.0, 49.99, 120.0])),
                teaches=draw(
                    st.dictionaries(
                        st.integers(0, skills - 1), st.sampled_from(LEVELS), min_size=1, max_size=3
                    )
                ),
                requires=tuple(
                    draw(st.lists(st.sampled_from(others), unique=True, max_size=2))
                    if others and draw(st.integers(0, 3)) == 0
                    else []
                ),
                requires_skills=draw(
                    st.dictionaries(st.integers(0, skills - 1), st.sampled_from(LEVELS), max_size=1)
                )
                if draw(st.integers(0, 2)) == 0
                else {},
                locales=tuple(
                    draw(
                        st.lists(
                            st.sampled_from(["en", "es", "pt-BR", "en-GB"]), unique=True, max_size=2
                        )
                    )
                ),
                offline=draw(st.booleans()),
            )
        )
    gap_skills = draw(
        st.lists(st.integers(0, skills - 1), unique=True, min_size=1, max_size=skills)
    )
    gaps = {}
    for skill in gap_skills:
        target = draw(st.sampled_from(LEVELS))
        gaps[skill] = (target, draw(st.sampled_from([0.0, 0.2, 0.4, target])))
    levels = {
        s: draw(st.sampled_from([0.2, 0.4, 0.6]))
        for s in draw(st.lists(st.integers(0, skills - 1), unique=True, max_size=2))
    }
    completed = frozenset(draw(st.lists(st.integers(0, n - 1), unique=True, max_size=1)))
    avoid = (
        frozenset(draw(st.lists(st.sampled_from(KINDS), unique=True, max_size=1)))
        if kinds
        else frozenset()
    )
    require = (
        frozenset(
            k
            for k in draw(st.lists(st.sampled_from(KINDS), unique=True, max_size=1))
            if k not in avoid
        )
        if kinds
        else frozenset()
    )
    constraints = Constraints(
        hours_per_week=draw(st.sampled_from([0.5, 1.0, 2.0, 5.0])),
        start=START,
        budget=draw(st.sampled_from([None, None, 0.0, 50.0, 150.0])) if resources else None,
        locales=draw(st.sampled_from([None, None, frozenset({"en"}), frozenset({"es", "pt-br"})])),
        offline_only=draw(st.integers(0, 4)) == 0,
        avoid_kinds=avoid,
        require_kinds=require,
        deadline=(START + timedelta(days=draw(st.sampled_from([14, 30, 90]))))
        if resources and draw(st.booleans())
        else None,
    )
    return Request(items, skills, gaps, levels, completed, constraints)


def _locale_ok(item: Item, wanted: frozenset[str] | None) -> bool:
    if wanted is None or not item.locales:
        return True
    for have in item.locales:
        h = have.lower()
        for want in wanted:
            w = want.lower()
            if h == w or h == w.split("-")[0] or w == h.split("-")[0]:
                return True
    return False


def max_minutes(constraints: Constraints) -> int | None:
    """The deadline as minutes of learning."""
    if constraints.deadline is None:
        return None
    days = (constraints.deadline - constraints.start).days
    return round(constraints.hours_per_week * 60) * days // 7


def eligible(request: Request, i: int) -> bool:
    """Whether an item passes every per-item constraint."""
    item = request.items[i]
    c = request.constraints
    limit = max_minutes(c)
    return (
        i not in request.completed
        and _locale_ok(item, c.locales)
        and (item.offline or not c.offline_only)
        and item.kind not in c.avoid_kinds
        and (c.budget is None or round(item.cost * 100) <= round(c.budget * 100))
        and (limit is None or item.minutes <= limit)
    )


def current_levels(request: Request) -> dict[int, float]:
    """Levels now: the learner's and the gaps' current levels, the higher."""
    levels = dict(request.levels)
    for skill, (_, current) in request.gaps.items():
        levels[skill] = max(levels.get(skill, 0.0), current)
    return levels


def valid_order(request: Request, chosen: Collection[int], order: list[int] | None = None) -> bool:
    """Whether the items can be done in some order (or in the given one) meeting prerequisites."""
    levels = current_levels(request)
    done: set[int] = set()

    def ready(i: int) -> bool:
        item = request.items[i]
        return all(j in done or j in request.completed for j in item.requires) and all(
            levels.get(s, 0.0) >= lv - EPS for s, lv in item.requires_skills.items()
        )

    def complete(i: int) -> None:
        done.add(i)
        for s, lv in request.items[i].teaches.items():
            levels[s] = max(levels.get(s, 0.0), lv)

    if order is not None:
        for i in order:
            if not ready(i):
                return False
            complete(i)
        return True
    left = set(chosen)
    while left:
        found = sorted(i for i in left if ready(i))
        if not found:
            return False
        for i in found:
            complete(i)
        left -= set(found)
    return True


def open_gaps(request: Request) -> dict[int, tuple[float, float]]:
    """Gaps whose target is above the level held now."""
    levels = current_levels(request)
    return {s: (t, levels[s]) for s, (t, _) in request.gaps.items() if levels[s] < t - EPS}


def key_of(request: Request, chosen: Collection[int]) -> tuple[int, int, int]:
    """(−(gaps closed + required kinds met), minutes, cents) of a set."""
    gaps = open_gaps(request)
    closed = sum(
        1
        for s, (t, _) in gaps.items()
        if any(request.items[i].teaches.get(s, 0.0) >= t - EPS for i in chosen)
    )
    kinds = sum(
        1
        for kind in request.constraints.require_kinds
        if any(
            request.items[i].kind == kind
            and any(
                request.items[i].teaches.get(s, 0.0) > cur + EPS for s, (_, cur) in gaps.items()
            )
            for i in chosen
        )
    )
    return (
        -(closed + kinds),
        sum(request.items[i].minutes for i in chosen),
        sum(round(request.items[i].cost * 100) for i in chosen),
    )


def within_limits(request: Request, chosen: Collection[int]) -> bool:
    """Whether a set keeps the budget and the deadline."""
    c = request.constraints
    limit = max_minutes(c)
    cents = sum(round(request.items[i].cost * 100) for i in chosen)
    minutes = sum(request.items[i].minutes for i in chosen)
    return (c.budget is None or cents <= round(c.budget * 100)) and (
        limit is None or minutes <= limit
    )


def valid_sets(request: Request, *, limits: bool = True) -> Iterable[tuple[int, ...]]:
    """Every valid set of eligible items (within the budget and deadline when `limits`)."""
    pool = [i for i in range(len(request.items)) if eligible(request, i)]
    for size in range(len(pool) + 1):
        for chosen in combinations(pool, size):
            if (not limits or within_limits(request, chosen)) and valid_order(request, chosen):
                yield chosen


def brute_force(request: Request) -> tuple[int, int, int]:
    """The best key over every valid set within the constraints."""
    return min(key_of(request, chosen) for chosen in valid_sets(request))


def reachable_skills(request: Request) -> set[int]:
    """Open gap skills some valid set closes, ignoring the budget and deadline totals."""
    gaps = open_gaps(request)
    found: set[int] = set()
    for chosen in valid_sets(request, limits=False):
        for s, (t, _) in gaps.items():
            if any(request.items[i].teaches.get(s, 0.0) >= t - EPS for i in chosen):
                found.add(s)
    return found


def plan_key(request: Request, plan: Plan) -> tuple[int, int, int]:
    """The key of a plan's items."""
    return key_of(request, plan.items)
