"""The greedy reference planner on hand-made cases where its choices are known."""

from __future__ import annotations

from datetime import timedelta

from skillpath.domains.learning.engine.greedy import greedy_plan
from skillpath.domains.learning.engine.model import GREEDY, IMPOSSIBLE, Constraints, Plan
from skillpath.domains.learning.engine.planner import plan_path
from tests.domains.learning.engine.builders import START, Item, Request, brute_force, plan_key


def greedy(request: Request) -> Plan:
    """The greedy plan of a request."""
    return greedy_plan(request.catalog, request.gap_arrays, request.learner, request.constraints)


def exact(request: Request) -> Plan:
    """The exact plan of a request."""
    return plan_path(request.catalog, request.gap_arrays, request.learner, request.constraints)


def test_greedy_is_fooled_by_a_good_first_ratio() -> None:
    """Greedy first takes the item with the best minutes per gap (150 minutes for three gaps)
    and then needs a fourth gap's item; two 110-minute items close all four: 30 minutes saved."""
    items = [
        Item(minutes=150, teaches={0: 0.6, 1: 0.6, 2: 0.6}),
        Item(minutes=110, teaches={0: 0.6, 1: 0.6}),
        Item(minutes=110, teaches={2: 0.6, 3: 0.6}),
        Item(minutes=100, teaches={3: 0.6}),
    ]
    gaps = {0: (0.6, 0.0), 1: (0.6, 0.0), 2: (0.6, 0.0), 3: (0.6, 0.0)}
    request = Request(items, 4, gaps, {}, frozenset(), Constraints(2, START))
    reference = greedy(request)
    assert reference.status == GREEDY
    assert reference.solver == "greedy"
    assert set(reference.items) == {0, 3}
    assert reference.total_minutes == 250
    plan = exact(request)
    assert set(plan.items) == {1, 2}
    assert plan.total_minutes == 220
    assert plan_key(request, plan) == brute_force(request)


def test_greedy_respects_the_deadline() -> None:
    """An item that would run past the deadline is skipped; its gap is left open, explained."""
    items = [Item(minutes=60, teaches={0: 0.6}), Item(minutes=60, teaches={1: 0.6})]
    request = Request(
        items,
        2,
        {0: (0.6, 0.0), 1: (0.6, 0.0)},
        {},
        frozenset(),
        Constraints(0.5, START, deadline=START + timedelta(days=21)),
    )
    reference = greedy(request)
    assert reference.items == (0,)
    assert [gap.reason for gap in reference.unreachable] == ["over_budget_or_time"]


def test_greedy_closes_prerequisites_and_required_kinds() -> None:
    """A required capstone brings the mentorship it requires, so the mentorship requirement is
    already met; a required skill level comes from the shortest earlier item teaching it."""
    items = [
        Item("mentorship", 300, teaches={0: 0.6}),
        Item("capstone", 400, teaches={0: 0.8, 1: 0.6}, requires=(0,)),
        Item("e-learning", 500, teaches={2: 0.4}),
        Item("video", 30, teaches={2: 0.4}),
        Item("workshop", 120, teaches={1: 0.8}, requires_skills={2: 0.4}),
    ]
    request = Request(
        items,
        3,
        {0: (0.6, 0.0), 1: (0.8, 0.0)},
        {},
        frozenset(),
        Constraints(2, START, require_kinds=frozenset({"capstone", "mentorship"})),
    )
    reference = greedy(request)
    assert reference.items == (3, 4, 0, 1)
    assert reference.unmet_kinds == ()
    plan = exact(request)
    assert plan_key(request, plan) == brute_force(request) == plan_key(request, reference)


def test_greedy_impossible_request() -> None:
    """Impossible requests are explained by greedy too."""
    request = Request(
        [Item(teaches={0: 0.6})], 1, {0: (0.6, 0.0)}, {}, frozenset(), Constraints(0, START)
    )
    reference = greedy(request)
    assert reference.status == IMPOSSIBLE
    assert reference.items == ()


def test_greedy_reuses_levels_already_reached_and_keeps_the_budget() -> None:
    """Item 0 closes gap 0 and teaches the level item 1 needs, so item 1 is added alone; the
    budget then leaves gap 2's paid item out."""
    items = [
        Item(minutes=50, teaches={0: 0.6, 3: 0.4}),
        Item(minutes=60, teaches={1: 0.6}, requires_skills={3: 0.4}),
        Item(minutes=90, teaches={3: 0.4}),
        Item(minutes=30, cost=60.0, teaches={2: 0.6}),
        Item(minutes=30, cost=60.0, teaches={4: 0.6}),
    ]
    request = Request(
        items,
        5,
        {0: (0.6, 0.0), 1: (0.6, 0.0), 2: (0.6, 0.0), 4: (0.6, 0.0)},
        {},
        frozenset(),
        Constraints(2, START, budget=100.0),
    )
    reference = greedy(request)
    assert set(reference.items) == {0, 1, 3}
    assert [gap.skill for gap in reference.unreachable] == [4]
    assert plan_key(request, exact(request)) == brute_force(request)
