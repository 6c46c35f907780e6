"""The schedule of a set of chosen items: a prerequisite-respecting, pedagogy-ordered sequence,
packed into weeks by the weekly learning time and grouped into months from the start date.

Order. An item is *ready* when every item it requires is completed or already scheduled and every
skill level it requires is held now or taught by an already scheduled item. The order is the
lexicographically smallest ready-first sequence by the key (pedagogy stage, generation, priority,
item): at each position the ready item with the smallest key comes next. Stage: foundations
(e-learning, microlearning, video, reading, assessment) 0, practice (project-based course,
workshop) 1, mentorship 2, capstone 3. Generation: the round in which the item becomes ready when
every ready item is taken at once (so basics come before what builds on them inside a stage).
Priority: the position of the first gap the item raises (the caller lists gaps most important
first). A ready item always exists while some item is left when the set is valid (the first
unscheduled item of any valid order is ready), so the sequence never gets stuck on a valid set;
an invalid set (a prerequisite missing or circular) is a ValueError.

Weeks. The items run back to back at `minutes_per_week` a week (an item may span weeks); week k
covers the days start + 7k … start + 7k + 6. Months: month n runs from the start date plus n − 1
calendar months (the day clamped to the month's length) to the day before month n + 1. A week
belongs to the month of its first day (its minutes count there); a step starts in the month of
its first week and ends in the month of its last week (its end date is that week's last day).
"""

from __future__ import annotations

import calendar
from collections.abc import Collection, Mapping, Sequence
from datetime import date, timedelta

from skillpath.domains.learning.engine.model import (
    EPSILON,
    Catalog,
    Explanation,
    GapClosure,
    Month,
    Plan,
    Step,
)
from skillpath.domains.learning.engine.problem import Problem, resource_unreachable

_LAST = 1 << 30


def add_months(day: date, months: int) -> date:
    """The same day `months` calendar months later, clamped to the end of a shorter month."""
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def month_number(start: date, day: date) -> int:
    """The month (1 = the month beginning on `start`) a day on or after `start` falls in."""
    if day < start:
        raise ValueError("the day is before the start of the plan")
    months = (day.year - start.year) * 12 + day.month - start.month
    if add_months(start, months) > day:
        months -= 1
    return months + 1


def _ready(
    catalog: Catalog,
    item: int,
    done: Collection[int],
    completed: Collection[int],
    reached: Mapping[int, float],
    current: Mapping[int, float],
) -> bool:
    index = catalog.index
    return all(j in done or j in completed for j in index.requires_items[item]) and all(
        max(current.get(skill, 0.0), reached.get(skill, 0.0)) >= level - EPSILON
        for skill, level in index.requires_skills[item]
    )


def _raise(catalog: Catalog, reached: dict[int, float], item: int) -> None:
    for skill, level in catalog.index.teaches[item]:
        if level > reached.get(skill, 0.0):
            reached[skill] = level


def order_items(
    catalog: Catalog,
    items: Collection[int],
    *,
    current: Mapping[int, float],
    completed: Collection[int] = frozenset(),
    priority: Mapping[int, int] | None = None,
) -> tuple[int, ...]:
    """The items in schedule order (see the module docstring); ValueError when no order exists."""
    priority = priority or {}
    remaining = sorted(set(items))
    generation: dict[int, int] = {}
    reached: dict[int, float] = {}
    round_number = 0
    pending = list(remaining)
    while pending:
        ready = [i for i in pending if _ready(catalog, i, generation, completed, reached, current)]
        if not ready:
            raise ValueError(
                "the items cannot be ordered: a prerequisite is missing or circular "
                f"(items {', '.join(map(str, pending))})"
            )
        for item in ready:
            generation[item] = round_number
        for item in ready:
            _raise(catalog, reached, item)
        pending = [i for i in pending if i not in generation]
        round_number += 1
    stage = catalog.index.stage

    def key(item: int) -> tuple[int, int, int, int]:
        return (stage[item], generation[item], priority.get(item, _LAST), item)

    order: list[int] = []
    done: set[int] = set()
    reached = {}
    while remaining:
        best = min(
            (i for i in remaining if _ready(catalog, i, done, completed, reached, current)),
            key=key,
        )
        order.append(best)
        done.add(best)
        _raise(catalog, reached, best)
        remaining.remove(best)
    return tuple(order)


def build_plan(
    problem: Problem,
    chosen: Collection[int],
    *,
    status: str,
    solver: str,
    mip_gap: float | None = None,
    explanations: Sequence[Explanation] = (),
) -> Plan:
    """Order and pack the chosen items and say what each step closes and what stays open."""
    catalog = problem.catalog
    index = catalog.index
    constraints = problem.constraints
    gap_of = {gap.skill: gap for gap in problem.gaps}
    priority: dict[int, int] = {}
    for item in chosen:
        ranks = [gap_of[s].position for s, _ in index.teaches[item] if s in gap_of]
        if ranks:
            priority[item] = min(ranks)
    order = order_items(
        catalog,
        chosen,
        current=problem.levels,
        completed=problem.completed,
        priority=priority,
    )
    position = {item: k for k, item in enumerate(order)}
    capacity = max(problem.capacity, 1)
    start = constraints.start
    levels = {gap.skill: gap.current for gap in problem.gaps}
    steps: list[Step] = []
    cursor = 0
    for k, item in enumerate(order):
        minutes = index.minutes[item]
        start_week = cursor // capacity
        end_week = (cursor + minutes - 1) // capacity
        cursor += minutes
        closes = []
        for skill, level in index.teaches[item]:
            gap = gap_of.get(skill)
            if gap is None or level <= levels[skill] + EPSILON:
                continue
            closes.append(
                GapClosure(skill, levels[skill], level, gap.target, level >= gap.target - EPSILON)
            )
            levels[skill] = level
        start_date = start + timedelta(days=7 * start_week)
        end_date = start + timedelta(days=7 * end_week + 6)
        steps.append(
            Step(
                position=k,
                item=item,
                kind=catalog.kind[item],
                stage=index.stage[item],
                minutes=minutes,
                cost=index.cents[item] / 100,
                start_week=start_week,
                end_week=end_week,
                start_date=start_date,
                end_date=end_date,
                month=month_number(start, start_date),
                end_month=month_number(start, start + timedelta(days=7 * end_week)),
                closes=tuple(closes),
                prerequisite_for=_prerequisite_for(problem, item, order, position),
            )
        )
    weeks = (cursor + capacity - 1) // capacity
    covered = tuple(gap.skill for gap in problem.gaps if levels[gap.skill] >= gap.target - EPSILON)
    left_open = [
        resource_unreachable(problem, gap, problem.covers[g])
        for g, gap in enumerate(problem.gaps)
        if problem.covers and problem.covers[g] and gap.skill not in covered
    ]
    kinds_in_plan = {
        catalog.kind[item]
        for item in order
        if any(s in gap_of and lv > gap_of[s].current + EPSILON for s, lv in index.teaches[item])
    }
    unmet = sorted(
        set(problem.unmet_kinds)
        | {kind for kind in problem.kind_items if kind not in kinds_in_plan}
    )
    return Plan(
        status=status,
        solver=solver,
        steps=tuple(steps),
        months=_months(start, steps, cursor, capacity),
        total_minutes=cursor,
        total_cents=sum(index.cents[item] for item in order),
        covered=covered,
        unreachable=(*problem.unreachable, *left_open),
        explanations=(*problem.explanations, *explanations),
        unmet_kinds=tuple(unmet),
        mip_gap=mip_gap,
        minutes_per_week=problem.capacity,
        weeks=weeks,
    )


def _prerequisite_for(
    problem: Problem, item: int, order: Sequence[int], position: Mapping[int, int]
) -> tuple[int, ...]:
    """Later chosen items that require this item, or a skill level (not held now) it teaches."""
    index = problem.catalog.index
    taught = dict(index.teaches[item])
    later = []
    for other in order[position[item] + 1 :]:
        if item in index.requires_items[other] or any(
            problem.level(skill) < level - EPSILON and taught.get(skill, 0.0) >= level - EPSILON
            for skill, level in index.requires_skills[other]
        ):
            later.append(other)
    return tuple(later)


def _months(start: date, steps: Sequence[Step], total: int, capacity: int) -> tuple[Month, ...]:
    """Months 1 … last month with a step in progress, each with its steps and minutes."""
    if not steps:
        return ()
    last = max(step.end_month for step in steps)
    minutes = [0] * (last + 1)
    week = 0
    left = total
    while left > 0:
        minutes[month_number(start, start + timedelta(days=7 * week))] += min(capacity, left)
        left -= capacity
        week += 1
    months = []
    for number in range(1, last + 1):
        months.append(
            Month(
                month=number,
                start=add_months(start, number - 1),
                end=add_months(start, number) - timedelta(days=1),
                steps=tuple(step for step in steps if step.month == number),
                continuing=tuple(
                    step.item for step in steps if step.month < number <= step.end_month
                ),
                minutes=minutes[number],
            )
        )
    return tuple(months)
