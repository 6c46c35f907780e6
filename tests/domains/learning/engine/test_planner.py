"""The exact planner: brute-force optimum on tiny catalogs, never worse than greedy, valid plans,
explanations of impossible requests, and the solver's stop paths."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

from skillpath.domains.learning.engine import planner
from skillpath.domains.learning.engine.greedy import greedy_plan
from skillpath.domains.learning.engine.model import (
    GREEDY,
    IMPOSSIBLE,
    NO_GAPS,
    OPTIMAL,
    TIME_LIMIT,
    Constraints,
    Plan,
)
from skillpath.domains.learning.engine.planner import plan_path
from tests.domains.learning.engine.builders import (
    EPS,
    START,
    Item,
    Request,
    brute_force,
    eligible,
    make_catalog,
    make_gaps,
    make_learner,
    max_minutes,
    open_gaps,
    plan_key,
    reachable_skills,
    requests,
    valid_order,
)


def solve(request: Request, **options: Any) -> Plan:
    """The exact plan of a request."""
    return plan_path(
        request.catalog, request.gap_arrays, request.learner, request.constraints, **options
    )


def greedy(request: Request) -> Plan:
    """The greedy plan of a request."""
    return greedy_plan(request.catalog, request.gap_arrays, request.learner, request.constraints)


def check_valid(request: Request, plan: Plan) -> None:
    """Eligible items, prerequisites met in schedule order, totals within the limits."""
    assert all(eligible(request, i) for i in plan.items)
    assert valid_order(request, plan.items, order=list(plan.items))
    assert len(set(plan.items)) == len(plan.items)
    c = request.constraints
    if c.budget is not None:
        assert plan.total_cents <= round(c.budget * 100)
    limit = max_minutes(c)
    if limit is not None:
        assert plan.total_minutes <= limit
    assert plan.total_minutes == sum(request.items[i].minutes for i in plan.items)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(requests())
def test_optimum_equals_brute_force_on_tiny_catalogs(request: Request) -> None:
    """Gaps closed + kinds met, then minutes, then cents: equal to the best of every subset."""
    plan = solve(request)
    if not open_gaps(request):
        assert plan.status == NO_GAPS
        assert plan.items == ()
        return
    reachable = reachable_skills(request)
    if not reachable:
        assert plan.status == IMPOSSIBLE
        assert plan.items == ()
        assert {gap.skill for gap in plan.unreachable} == set(open_gaps(request))
        assert any(e.code == "nothing_reachable" for e in plan.explanations)
        return
    assert plan.status == OPTIMAL
    check_valid(request, plan)
    assert plan_key(request, plan) == brute_force(request)
    assert (plan.total_minutes, plan.total_cents) == plan_key(request, plan)[1:]
    reported = {gap.skill: gap.reason for gap in plan.unreachable}
    assert set(plan.covered) | set(reported) == set(open_gaps(request))
    assert not set(plan.covered) & set(reported)
    for skill, reason in reported.items():
        assert (reason == "over_budget_or_time") == (skill in reachable)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(requests(max_items=40, skills=12))
def test_never_worse_than_greedy_and_both_valid(request: Request) -> None:
    """Both plans are valid within the constraints; the exact one is lexicographically no worse."""
    plan = solve(request)
    reference = greedy(request)
    assert plan.status in (OPTIMAL, NO_GAPS, IMPOSSIBLE)
    assert reference.status in (GREEDY, NO_GAPS, IMPOSSIBLE)
    check_valid(request, plan)
    check_valid(request, reference)
    assert plan_key(request, plan) <= plan_key(request, reference)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(requests(max_items=40, skills=12, resources=False, kinds=False))
def test_every_reachable_target_is_covered(request: Request) -> None:
    """Without a budget or deadline every open gap is closed or reported as not reachable at
    all, and the exact plan takes no more hours than greedy."""
    plan = solve(request)
    reference = greedy(request)
    if plan.status != OPTIMAL:
        return
    levels = {}
    for step in plan.steps:
        for skill, level in request.items[step.item].teaches.items():
            levels[skill] = max(levels.get(skill, 0.0), level)
    for skill, (target, _) in open_gaps(request).items():
        if skill in plan.covered:
            assert levels[skill] >= target - EPS
        else:
            assert next(g for g in plan.unreachable if g.skill == skill).reason in (
                "not_taught",
                "excluded",
            )
    assert set(plan.covered) == set(reference.covered)
    assert plan.total_minutes <= reference.total_minutes
    assert plan.unmet_kinds == reference.unmet_kinds == ()


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(requests(max_items=20, skills=8))
def test_deterministic(request: Request) -> None:
    """The same request gives the same plan."""
    assert solve(request) == solve(request)


# A small catalog in the shape of story 2 (Customer Support Rep → Salesforce Administrator).
CRM, ADMIN, REPORTS, QUALITY, ACCESS, REQUIREMENTS, AUTOMATION, STAKEHOLDERS = range(8)
STORY = [
    Item("e-learning", 300, teaches={CRM: 0.6, ADMIN: 0.4, QUALITY: 0.4}, locales=("en", "es")),
    Item("project-based course", 420, teaches={REPORTS: 0.8}, requires=(0,)),
    Item(
        "mentorship",
        360,
        teaches={ADMIN: 0.8, CRM: 0.8, ACCESS: 0.6, REQUIREMENTS: 0.6},
        requires=(0,),
    ),
    Item(
        "capstone",
        480,
        teaches={ADMIN: 0.8, AUTOMATION: 0.6, QUALITY: 0.6, ACCESS: 0.6, STAKEHOLDERS: 0.6},
        requires=(1,),
    ),
    Item("e-learning", 600, 149.0, teaches={ADMIN: 1.0, AUTOMATION: 0.8}, requires=(3,)),
    Item("video", 30, 20.0, teaches={CRM: 0.4}),
]
STORY_GAPS = {
    ADMIN: (0.8, 0.2),
    CRM: (0.8, 0.4),
    REPORTS: (0.6, 0.0),
    ACCESS: (0.6, 0.0),
    REQUIREMENTS: (0.6, 0.0),
    AUTOMATION: (0.6, 0.0),
    STAKEHOLDERS: (0.6, 0.0),
}


def story(**constraints: Any) -> Request:
    """The story catalog with the given constraints."""
    values: dict[str, Any] = {"hours_per_week": 2.0, "start": START, **constraints}
    return Request(STORY, 8, dict(STORY_GAPS), {}, frozenset(), Constraints(**values))


def test_story_plan_moves_from_foundations_to_capstone() -> None:
    """CRM basics, then the project-based course, the mentorship and the capstone, in months."""
    plan = solve(story())
    assert plan.status == OPTIMAL
    assert plan.optimal
    assert plan.complete
    assert plan.solver == "milp"
    assert plan.items == (0, 1, 2, 3)
    assert [step.kind for step in plan.steps] == [
        "e-learning",
        "project-based course",
        "mentorship",
        "capstone",
    ]
    assert plan.total_hours == pytest.approx(26.0)
    assert plan.weeks == 13
    assert plan.mip_gap == 0.0
    first = plan.steps[0]
    assert [(c.skill, c.from_level, c.to_level, c.reaches_target) for c in first.closes] == [
        (CRM, 0.4, 0.6, False),
        (ADMIN, 0.2, 0.4, False),
    ]
    assert first.prerequisite_for == (1, 2)
    assert first.hours == 5.0
    assert plan.steps[1].prerequisite_for == (3,)
    assert [month.month for month in plan.months] == [1, 2, 3]
    assert sum(month.minutes for month in plan.months) == plan.total_minutes


def test_time_limit_statuses_and_greedy_fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    """A stopped solver keeps the best valid plan found, or greedy's when it found none."""
    real = planner.milp

    def stopped_with_solution(*args: Any, **kwargs: Any) -> Any:
        result = real(*args, **kwargs)
        return SimpleNamespace(status=1, x=result.x, mip_gap=0.25)

    monkeypatch.setattr(planner, "milp", stopped_with_solution)
    plan = solve(story())
    assert plan.status == TIME_LIMIT
    assert plan.solver == "milp"
    assert plan.mip_gap == 0.25
    assert not plan.optimal

    def stopped_without_solution(*args: Any, **kwargs: Any) -> Any:
        return SimpleNamespace(status=1, x=None, mip_gap=float("inf"))

    monkeypatch.setattr(planner, "milp", stopped_without_solution)
    plan = solve(story())
    assert plan.status == TIME_LIMIT
    assert plan.solver == GREEDY
    assert plan.mip_gap is None
    assert plan.items == greedy(story()).items


def scripted(monkeypatch: pytest.MonkeyPatch, script: list[str]) -> None:
    """Replace the solver: each call follows the script (real, stop, none, infeasible)."""
    real = planner.milp
    calls = iter(script)

    def fake(*args: Any, **kwargs: Any) -> Any:
        step = next(calls, "real")
        if step == "infeasible":
            return SimpleNamespace(status=2, x=None, mip_gap=None)
        if step == "none":
            return SimpleNamespace(status=1, x=None, mip_gap=None)
        result = real(*args, **kwargs)
        if step == "stop":
            return SimpleNamespace(status=1, x=result.x, mip_gap=0.5)
        return result

    monkeypatch.setattr(planner, "milp", fake)


def paid_story() -> Request:
    """Story 2 where the mentorship costs money and a paid, equally long alternative exists."""
    items = [*STORY[:2], Item("mentorship", 360, 300.0, STORY[2].teaches, (0,)), *STORY[3:]]
    items.append(Item("mentorship", 360, 100.0, STORY[2].teaches, (0,)))
    return Request(items, 8, dict(STORY_GAPS), {}, frozenset(), Constraints(2.0, START))


def test_cost_breaks_ties_between_equally_short_plans() -> None:
    """Two mentorships of equal length: the cheaper one is chosen."""
    plan = solve(paid_story())
    assert plan.status == OPTIMAL
    assert 6 in plan.items
    assert 2 not in plan.items
    assert plan.total_cost == pytest.approx(100.0)


@pytest.mark.parametrize(
    ("script", "solvers"),
    [
        (["infeasible", "none"], {GREEDY}),
        (["infeasible", "stop"], {"milp", GREEDY}),
        (["real", "none"], {"milp", GREEDY}),
    ],
)
def test_stops_in_later_stages(
    monkeypatch: pytest.MonkeyPatch, script: list[str], solvers: set[str]
) -> None:
    """Stops in the coverage or cost stage keep the best plan found so far (or greedy's when it
    is better), never an empty one."""
    scripted(monkeypatch, script)
    request = paid_story()
    plan = solve(request)
    assert plan.status == TIME_LIMIT
    assert plan.solver in solvers
    assert plan.items
    assert plan_key(request, plan) <= plan_key(request, greedy(request))


def test_cost_stage_stopped_with_a_solution(monkeypatch: pytest.MonkeyPatch) -> None:
    """A cost stage stopped early still never returns a dearer plan than the first stage's."""
    scripted(monkeypatch, ["real", "stop"])
    plan = solve(paid_story())
    assert plan.status == TIME_LIMIT
    assert plan.total_cost <= 300.0


def test_invalid_time_limit() -> None:
    """A non-positive time limit is a ValueError."""
    with pytest.raises(ValueError, match="time_limit"):
        solve(story(), time_limit=0)


def two_gap_request(**constraints: Any) -> Request:
    """Two gaps, each closed by a short paid item or a long free one."""
    items = [
        Item(minutes=60, cost=60.0, teaches={0: 0.6}),
        Item(minutes=120, cost=0.0, teaches={0: 0.6}),
        Item(minutes=60, cost=60.0, teaches={1: 0.6}),
        Item(minutes=120, cost=0.0, teaches={1: 0.6}),
    ]
    values: dict[str, Any] = {"hours_per_week": 1.0, "start": START, **constraints}
    return Request(items, 2, {0: (0.6, 0.0), 1: (0.6, 0.0)}, {}, frozenset(), Constraints(**values))


def test_budget_and_deadline_together_too_tight() -> None:
    """Each limit alone allows every gap; together they allow one: explained, most closed."""
    request = two_gap_request(budget=99.0, deadline=START + timedelta(days=17))
    plan = solve(request)
    assert plan.status == OPTIMAL
    assert len(plan.covered) == 1
    assert plan_key(request, plan) == brute_force(request)
    assert [e.code for e in plan.explanations] == ["budget_and_deadline_too_tight"]
    (left,) = plan.unreachable
    assert left.reason == "over_budget_or_time"
    assert all(a.excluded_by == ("budget", "deadline") for a in left.alternatives)
    assert not plan.complete


def test_binding_deadline_or_budget_says_what_is_needed() -> None:
    """Half an hour a week for three weeks: time is the issue, and the explanation says how long
    the full plan takes and when it would end; two paid items over a budget for one: money is."""
    plan = solve(two_gap_request(hours_per_week=0.5, deadline=START + timedelta(days=21)))
    (explanation,) = plan.explanations
    assert explanation.code == "deadline_too_short"
    assert explanation.needed == pytest.approx(2.0)
    assert explanation.available == pytest.approx(1.5)
    assert len(plan.covered) == 1
    assert "2025-02-02" in explanation.message
    paid = two_gap_request(budget=100.0, deadline=START + timedelta(days=70))
    plan = solve(
        Request(
            [
                Item(minutes=60, cost=100.0, teaches={0: 0.6}),
                Item(minutes=60, cost=100.0, teaches={1: 0.6}),
            ],
            2,
            paid.gaps,
            {},
            frozenset(),
            paid.constraints,
        )
    )
    assert [e.code for e in plan.explanations] == ["budget_too_small"]
    assert plan.explanations[0].needed == pytest.approx(200.0)
    assert plan.explanations[0].available == pytest.approx(100.0)
    assert len(plan.covered) == 1


def test_impossible_constraints_are_explained() -> None:
    """0 hours a week, a locale no item has, a budget of 0 with nothing free, a deadline before
    the start, and a kind both avoided and required: an explanation, never an empty success."""
    cases = {
        "no_learning_time": story(hours_per_week=0),
        "no_item_in_locale": story(locales=frozenset({"ja"})),
        "deadline_not_after_start": story(deadline=START),
        "conflicting_kinds": story(
            avoid_kinds=frozenset({"mentorship"}), require_kinds=frozenset({"mentorship"})
        ),
    }
    for code, request in cases.items():
        plan = solve(request)
        assert plan.status == IMPOSSIBLE, code
        assert plan.items == ()
        assert plan.months == ()
        assert code in {e.code for e in plan.explanations}
        assert not plan.complete
    paid = [Item(minutes=60, cost=10.0, teaches={0: 0.6})]
    request = Request(paid, 1, {0: (0.6, 0.0)}, {}, frozenset(), Constraints(2, START, budget=0))
    plan = solve(request)
    assert plan.status == IMPOSSIBLE
    assert {e.code for e in plan.explanations} == {"no_item_within_budget", "nothing_reachable"}
    assert plan.unreachable[0].alternatives[0].excluded_by == ("budget",)


def test_budget_of_zero_keeps_free_items() -> None:
    """A budget of 0 plans with free items and names the paid ones it had to leave out."""
    request = replace(paid_story(), constraints=Constraints(2.0, START, budget=0.0))
    plan = solve(request)
    assert plan.status == OPTIMAL
    assert plan.total_cost == 0.0
    assert plan.items == (0, 1, 3)
    assert {gap.skill for gap in plan.unreachable} == {CRM, REQUIREMENTS}
    for gap in plan.unreachable:
        assert gap.reason == "excluded"
        assert {a.excluded_by for a in gap.alternatives} == {("budget",)}
    assert plan_key(request, plan) == brute_force(request)


def test_explanations_for_catalog_wide_exclusions() -> None:
    """Offline only, every kind avoided, nothing short enough for the deadline."""
    online = [Item(minutes=600, teaches={0: 0.6})]
    gaps = {0: (0.6, 0.0)}
    for constraints, code in [
        (Constraints(1, START, offline_only=True), "no_offline_item"),
        (Constraints(1, START, avoid_kinds=frozenset({"e-learning"})), "every_kind_avoided"),
        (Constraints(1, START, deadline=START + timedelta(days=7)), "no_item_before_deadline"),
    ]:
        plan = solve(Request(online, 1, gaps, {}, frozenset(), constraints))
        assert plan.status == IMPOSSIBLE
        assert code in {e.code for e in plan.explanations}


def test_no_gaps() -> None:
    """Targets already met (by the gap's current level or the learner's): nothing to learn."""
    request = Request(
        STORY,
        8,
        {CRM: (0.6, 0.6), ADMIN: (0.4, 0.0)},
        {ADMIN: 0.4},
        frozenset(),
        Constraints(2, START),
    )
    plan = solve(request)
    assert plan.status == NO_GAPS
    assert plan.items == ()
    assert plan.unreachable == ()
    assert greedy(request).status == NO_GAPS


def test_unreachable_gaps_list_closest_alternatives() -> None:
    """Not taught to the target: the items reaching the highest level below it; excluded: the
    items reaching it with the constraints that exclude them."""
    items = [
        Item(minutes=60, teaches={0: 0.4}),
        Item(minutes=30, teaches={0: 0.6}, locales=("fr",)),
        Item(minutes=90, teaches={0: 0.6}, locales=("fr",), requires=(3,)),
        Item(minutes=20, teaches={1: 0.8}, locales=("fr",)),
        Item(minutes=10, teaches={1: 0.2}),
        Item(minutes=10, teaches={2: 0.6}, requires=(3,)),
        Item(minutes=10, teaches={3: 0.8}),
    ]
    request = Request(
        items,
        4,
        {0: (1.0, 0.0), 1: (0.8, 0.0), 2: (0.6, 0.0), 3: (0.8, 0.0)},
        {},
        frozenset(),
        Constraints(1, START, locales=frozenset({"en"})),
    )
    plan = solve(request)
    assert plan.status == OPTIMAL
    assert plan.covered == (3,)
    by_skill = {gap.skill: gap for gap in plan.unreachable}
    not_taught = by_skill[0]
    assert not_taught.reason == "not_taught"
    assert not_taught.best_level == 0.4
    assert [(a.item, a.level, a.excluded_by) for a in not_taught.alternatives] == [
        (1, 0.6, ("locale",)),
        (2, 0.6, ("locale",)),
        (0, 0.4, ()),
    ]
    excluded = by_skill[1]
    assert excluded.reason == "excluded"
    assert excluded.best_level == 0.2
    assert [(a.item, a.excluded_by) for a in excluded.alternatives] == [(3, ("locale",))]
    blocked = by_skill[2]
    assert [(a.item, a.excluded_by) for a in blocked.alternatives] == [
        (5, ("prerequisite", "locale"))
    ]


def test_completed_items_are_not_planned_again_but_meet_prerequisites() -> None:
    """A completed prerequisite lets its follow-up in; a completed item is not repeated."""
    request = Request(
        STORY, 8, {REPORTS: (0.6, 0.0), CRM: (0.6, 0.4)}, {}, frozenset({0}), Constraints(2, START)
    )
    plan = solve(request)
    assert plan.status == OPTIMAL
    assert plan.items == (1, 2)
    assert plan_key(request, plan) == brute_force(request)


def test_required_kinds() -> None:
    """A required mentorship is added when it raises a gap skill; a required kind no usable
    item offers is reported unmet."""
    request = story(require_kinds=frozenset({"mentorship", "workshop"}))
    plan = solve(request)
    assert 2 in plan.items
    assert plan.unmet_kinds == ("workshop",)
    assert "required_kind_unavailable" in {e.code for e in plan.explanations}
    reference = greedy(request)
    assert reference.unmet_kinds == ("workshop",)
    assert plan_key(request, plan) <= plan_key(request, reference)


def test_mutual_skill_prerequisites_need_an_outside_start() -> None:
    """Two items each requiring a skill the other teaches cannot support each other: the plan
    adds the item that starts the chain."""
    items = [
        Item(minutes=60, teaches={0: 0.6}, requires_skills={1: 0.4}),
        Item(minutes=60, teaches={1: 0.6}, requires_skills={0: 0.4}),
        Item(minutes=300, teaches={1: 0.4}),
        Item(minutes=500, teaches={0: 0.4}),
    ]
    request = Request(
        items, 2, {0: (0.6, 0.0), 1: (0.6, 0.0)}, {}, frozenset(), Constraints(1, START)
    )
    plan = solve(request)
    assert plan.status == OPTIMAL
    assert set(plan.items) == {0, 1, 2}
    assert plan.items == (2, 0, 1)
    assert plan_key(request, plan) == brute_force(request)
    check_valid(request, plan)


def test_supporter_needing_the_level_itself_is_not_used() -> None:
    """An item that requires an item requiring the level cannot be the first to teach it."""
    items = [
        Item(minutes=60, teaches={0: 0.6}, requires=(1,)),
        Item(minutes=60, teaches={1: 0.6}, requires_skills={0: 0.4}),
        Item(minutes=200, teaches={0: 0.4}),
    ]
    request = Request(
        items, 2, {0: (0.6, 0.0), 1: (0.6, 0.0)}, {}, frozenset(), Constraints(1, START)
    )
    plan = solve(request)
    assert plan.items == (2, 1, 0)
    assert plan_key(request, plan) == brute_force(request)


def test_cycle_through_an_item_requirement_and_two_supports() -> None:
    """i requires item j, j needs a level m teaches, m needs a level i teaches: choosing only
    these three would be circular, so the plan adds the cheaper outside start (s0, not t0). A
    second item needing m's level shares its supporters."""
    r, gap, q, extra = range(4)
    items = [
        Item(minutes=60, teaches={r: 0.6}, requires=(1,)),
        Item(minutes=60, teaches={gap: 0.6}, requires_skills={q: 0.4}),
        Item(minutes=60, teaches={q: 0.6}, requires_skills={r: 0.4}),
        Item(minutes=300, teaches={r: 0.4}),
        Item(minutes=500, teaches={q: 0.4}),
        Item(minutes=90, teaches={extra: 0.6}, requires_skills={q: 0.4}),
    ]
    request = Request(
        items,
        4,
        {r: (0.6, 0.0), gap: (0.6, 0.0), q: (0.6, 0.0), extra: (0.6, 0.0)},
        {},
        frozenset(),
        Constraints(1, START),
    )
    plan = solve(request)
    assert plan.status == OPTIMAL
    assert plan.items == (3, 2, 1, 5, 0)
    assert plan_key(request, plan) == brute_force(request)
    check_valid(request, plan)


def test_skill_prerequisite_met_now_or_by_an_earlier_step() -> None:
    """An advanced item requiring the basics: the basics come first unless already held."""
    items = [
        Item(minutes=120, teaches={0: 0.4}),
        Item("e-learning", 240, teaches={0: 0.8}, requires_skills={0: 0.4}),
    ]
    gaps = {0: (0.8, 0.0)}
    plan = solve(Request(items, 1, gaps, {}, frozenset(), Constraints(1, START)))
    assert plan.items == (0, 1)
    assert plan.steps[0].prerequisite_for == (1,)
    plan = solve(Request(items, 1, gaps, {0: 0.4}, frozenset(), Constraints(1, START)))
    assert plan.items == (1,)
    (closure,) = plan.steps[0].closes
    assert (closure.from_level, closure.to_level, closure.reaches_target) == (0.4, 0.8, True)


def test_gap_and_learner_validation_against_catalog() -> None:
    """Indexes outside the catalog are ValueErrors."""
    catalog = make_catalog(STORY, 8)
    constraints = Constraints(1, START)
    with pytest.raises(ValueError, match="gap skill"):
        plan_path(catalog, make_gaps({9: (0.6, 0.0)}), make_learner(), constraints)
    with pytest.raises(ValueError, match="learner skill"):
        plan_path(catalog, make_gaps({0: (0.6, 0.0)}), make_learner({8: 0.2}), constraints)
    with pytest.raises(ValueError, match="completed item"):
        plan_path(catalog, make_gaps({0: (0.6, 0.0)}), make_learner(completed=[6]), constraints)


def test_locale_matching() -> None:
    """en-GB matches items in en; en matches items in any English; pt-BR does not match pt-PT;
    items without a locale match every locale."""
    items = [
        Item(teaches={0: 0.6}, locales=("en",)),
        Item(teaches={0: 0.6}, locales=("en-US",)),
        Item(teaches={0: 0.6}, locales=("pt-PT",)),
        Item(teaches={0: 0.6}, locales=()),
        Item(teaches={0: 0.6}, locales=("PT_br",)),
    ]
    catalog = make_catalog(items, 1)
    assert catalog.available_in(frozenset({"en-GB"})).tolist() == [True, False, False, True, False]
    assert catalog.available_in(frozenset({"en"})).tolist() == [True, True, False, True, False]
    assert catalog.available_in(frozenset({"pt-BR"})).tolist() == [False, False, False, True, True]
    assert catalog.available_in(frozenset({"de"})).tolist() == [False, False, False, True, False]
    assert catalog.available_in(frozenset({"de-AT"})).tolist() == [False, False, False, True, False]


def test_story_dates() -> None:
    """Two hours a week from a Monday: 13 weeks, ending on a Sunday."""
    plan = solve(story())
    assert plan.steps[0].start_date == START
    assert plan.steps[-1].end_date == START + timedelta(days=7 * 13 - 1)
    assert plan.steps[-1].end_date == date(2025, 4, 6)
    assert np.isclose(sum(step.hours for step in plan.steps), plan.total_hours)


def test_not_taught_lists_the_best_usable_item_after_excluded_ones() -> None:
    """When the items coming closest are all excluded, the best usable one is listed too; a
    supporter below the required level is not a candidate."""
    items = [Item(minutes=m, teaches={0: 0.8}, locales=("fr",)) for m in (10, 20, 30, 40)]
    items.append(Item(minutes=60, teaches={0: 0.4}))
    items.append(Item(minutes=60, teaches={1: 0.6}, requires_skills={2: 0.6}))
    items.append(Item(minutes=30, teaches={2: 0.6}))
    items.append(Item(minutes=10, teaches={2: 0.4}))
    request = Request(
        items,
        3,
        {0: (1.0, 0.0), 1: (0.6, 0.0)},
        {},
        frozenset(),
        Constraints(1, START, locales=frozenset({"en"})),
    )
    plan = solve(request)
    (gap,) = plan.unreachable
    assert [(a.item, a.excluded_by) for a in gap.alternatives] == [
        (0, ("locale",)),
        (1, ("locale",)),
        (2, ("locale",)),
        (4, ()),
    ]
    assert plan.items == (6, 5)
