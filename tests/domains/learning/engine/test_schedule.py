"""The schedule: prerequisite and pedagogy order, weekly packing, months from the start date."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings

from skillpath.domains.learning.engine.model import PEDAGOGY_STAGE, Constraints, Plan
from skillpath.domains.learning.engine.planner import plan_path
from skillpath.domains.learning.engine.schedule import add_months, month_number, order_items
from tests.domains.learning.engine.builders import (
    EPS,
    START,
    Item,
    Request,
    current_levels,
    make_catalog,
    requests,
)


def solve(request: Request) -> Plan:
    """The exact plan of a request."""
    return plan_path(request.catalog, request.gap_arrays, request.learner, request.constraints)


def ready_after(request: Request, item: int, before: list[int]) -> bool:
    """Whether `item` can start once the items `before` are done."""
    levels = current_levels(request)
    for done in before:
        for skill, level in request.items[done].teaches.items():
            levels[skill] = max(levels.get(skill, 0.0), level)
    spec = request.items[item]
    return all(j in before or j in request.completed for j in spec.requires) and all(
        levels.get(skill, 0.0) >= level - EPS for skill, level in spec.requires_skills.items()
    )


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(requests(max_items=12, skills=5))
def test_order_packing_and_months(request: Request) -> None:
    """Prerequisites first; a later-stage item goes before an earlier-stage one only when that
    one was not ready yet; weeks never exceed the weekly time; months partition the steps."""
    plan = solve(request)
    items = list(plan.items)
    for position, item in enumerate(items):
        assert ready_after(request, item, items[:position])
    for a_position, a in enumerate(items):
        for b in items[a_position + 1 :]:
            if PEDAGOGY_STAGE[request.items[a].kind] > PEDAGOGY_STAGE[request.items[b].kind]:
                assert not ready_after(request, b, items[:a_position])
    capacity = plan.minutes_per_week
    cursor = 0
    per_week: dict[int, int] = {}
    for step in plan.steps:
        assert step.start_week == cursor // capacity
        assert step.end_week == (cursor + step.minutes - 1) // capacity
        for minute in range(cursor, cursor + step.minutes):
            per_week[minute // capacity] = per_week.get(minute // capacity, 0) + 1
        cursor += step.minutes
        assert step.start_date == START + timedelta(days=7 * step.start_week)
        assert step.end_date == START + timedelta(days=7 * step.end_week + 6)
        assert step.month == month_number(START, step.start_date)
        assert step.stage == PEDAGOGY_STAGE[step.kind]
    assert all(minutes <= capacity for minutes in per_week.values())
    assert sorted(per_week) == list(range(plan.weeks))
    assert [month.month for month in plan.months] == list(range(1, len(plan.months) + 1))
    assert [s for month in plan.months for s in month.steps] == list(plan.steps)
    assert sum(month.minutes for month in plan.months) == plan.total_minutes
    for month in plan.months:
        assert month.start == add_months(START, month.month - 1)
        assert month.end == add_months(START, month.month) - timedelta(days=1)
        assert month.continuing == tuple(
            s.item for s in plan.steps if s.month < month.month <= s.end_month
        )


def test_story_three_order_basics_then_tools_then_projects() -> None:
    """Excel and SQL basics, then Tableau, Python and R, then the cross-department project and
    the mentorship that builds on it."""
    excel, sql, tableau, python, r, analysis, storytelling = range(7)
    items = [
        Item("e-learning", 240, 49.0, {excel: 0.6}),
        Item("e-learning", 360, 59.0, {sql: 0.6, analysis: 0.4}),
        Item("e-learning", 360, 79.0, {tableau: 0.6}, requires=(0,)),
        Item("e-learning", 480, 89.0, {python: 0.6}, requires=(1,)),
        Item("e-learning", 420, 79.0, {r: 0.6}, requires=(1,)),
        Item("project-based course", 900, 0.0, {analysis: 0.6, storytelling: 0.6}, requires=(1, 2)),
        Item("mentorship", 360, 0.0, {analysis: 0.8, storytelling: 0.6}, requires=(5,)),
    ]
    gaps = {
        analysis: (0.8, 0.2),
        sql: (0.6, 0.0),
        excel: (0.6, 0.2),
        python: (0.6, 0.0),
        tableau: (0.6, 0.0),
        r: (0.6, 0.0),
        storytelling: (0.6, 0.0),
    }
    request = Request(items, 7, gaps, {}, frozenset(), Constraints(2.0, date(2025, 3, 3)))
    plan = solve(request)
    assert plan.items == (1, 0, 3, 2, 4, 5, 6)
    assert [step.stage for step in plan.steps] == [0, 0, 0, 0, 0, 1, 2]
    assert plan.steps[0].prerequisite_for == (3, 4, 5)
    assert len(plan.months) == 6


def test_order_of_an_invalid_set_is_an_error() -> None:
    """A chosen item whose prerequisite is missing cannot be ordered."""
    catalog = make_catalog([Item(), Item(requires=(0,))], 1)
    with pytest.raises(ValueError, match="cannot be ordered"):
        order_items(catalog, [1], current={})
    assert order_items(catalog, [1], current={}, completed={0}) == (1,)
    assert order_items(catalog, [1, 0], current={}) == (0, 1)


def test_stage_wins_over_item_number_and_ties_go_to_priority() -> None:
    """A capstone listed first still comes after the e-learning; equal stages follow the gaps'
    priority, then the item number."""
    catalog = make_catalog(
        [Item("capstone"), Item("e-learning"), Item("video"), Item("workshop")], 1
    )
    assert order_items(catalog, [0, 1, 2, 3], current={}) == (1, 2, 3, 0)
    assert order_items(catalog, [0, 1, 2, 3], current={}, priority={2: 0, 1: 1}) == (2, 1, 3, 0)


def test_months_from_the_start_date() -> None:
    """Month n starts n − 1 calendar months after the start, clamped to shorter months."""
    start = date(2024, 1, 31)
    assert add_months(start, 1) == date(2024, 2, 29)
    assert add_months(start, 13) == date(2025, 2, 28)
    assert add_months(date(2025, 11, 15), 2) == date(2026, 1, 15)
    assert month_number(start, start) == 1
    assert month_number(start, date(2024, 2, 28)) == 1
    assert month_number(start, date(2024, 2, 29)) == 2
    assert month_number(start, date(2024, 3, 30)) == 2
    assert month_number(start, date(2024, 3, 31)) == 3
    with pytest.raises(ValueError, match="before the start"):
        month_number(start, date(2024, 1, 30))


def test_an_item_spans_weeks_and_months() -> None:
    """1.5 hours a week: a 600-minute item starting in week 1 ends in week 7, in the second
    month, which lists it as still in progress."""
    items = [
        Item(minutes=60, teaches={0: 0.6}),
        Item(minutes=60, teaches={1: 0.6}),
        Item("project-based course", 600, teaches={2: 0.6}),
    ]
    request = Request(
        items,
        3,
        {0: (0.6, 0.0), 1: (0.6, 0.0), 2: (0.6, 0.0)},
        {},
        frozenset(),
        Constraints(1.5, date(2025, 1, 1)),
    )
    plan = solve(request)
    assert [(s.item, s.start_week, s.end_week) for s in plan.steps] == [
        (0, 0, 0),
        (1, 0, 1),
        (2, 1, 7),
    ]
    assert plan.weeks == 8
    assert plan.steps[2].end_date == date(2025, 2, 25)
    assert [(m.month, [s.item for s in m.steps], m.continuing) for m in plan.months] == [
        (1, [0, 1, 2], ()),
        (2, [], (2,)),
    ]
    assert [m.minutes for m in plan.months] == [450, 270]
