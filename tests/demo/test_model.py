"""The generative model without a database: structure, history, catalog and the built-in truth."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from scipy.optimize import Bounds, LinearConstraint, milp

from skillpath.demo import roles, taxonomy
from skillpath.demo.catalog import build_catalog
from skillpath.demo.company import CompanyPlan, plan_company, scenario_roles
from skillpath.demo.history import NOT_LEFT, PROGRAM_HAZARD_RATIO, SOURCE_INTERNAL, STATUS_FILLED
from skillpath.demo.people import IdMaps, PeopleStream
from skillpath.demo.scenarios import RETAIL, SCENARIOS
from skillpath.domains.learning.models import ITEM_KINDS

AS_OF = date(2025, 6, 30)


def _truth(plan: CompanyPlan) -> dict[int, dict[str, float]]:
    """Latent levels of every active person (ids are irrelevant without a database)."""
    many = list(range(1, 100_000))
    ids = IdMaps(skill=many, role=many, unit=many, location=many, item=many)
    truth: dict[int, dict[str, float]] = {}
    for block in PeopleStream(plan, ids, keep_truth=True).blocks():
        truth.update(block.truth)
    return truth


@pytest.fixture(scope="module")
def retail() -> CompanyPlan:
    """The default retail company (planning only: no database)."""
    return plan_company(RETAIL, employees=1500, seed=42, as_of=AS_OF)


def test_hand_written_data_is_consistent() -> None:
    taxonomy.validate()
    roles.validate()
    assert 200 <= len(taxonomy.SKILLS) <= 400
    names = {skill.name.lower() for skill in taxonomy.SKILLS}
    for wanted in (
        "digital marketing analytics",
        "supply chain logistics",
        "customer relationship management",
        "salesforce administration",
        "sql",
        "microsoft excel",
        "tableau",
        "python",
        "r",
        "handling objections",
        "coaching",
        "e-commerce platforms",
        "web analytics",
        "building information modelling",
        "construction site safety",
    ):
        assert wanted in names


def test_retail_has_the_named_roles_and_about_sixty_or_more_roles() -> None:
    titles = {role.title for role in scenario_roles(RETAIL)}
    for title in (
        "Customer Support Rep",
        "Salesforce Administrator",
        "Marketing Coordinator",
        "Data Analyst",
        "Senior Data Analyst",
        "Analytics Manager",
        "Sales Representative",
        "E-commerce Specialist",
        "Supply Chain Analyst",
        "Store Associate",
        "Store Manager",
        "Software Engineer I",
        "Software Engineer II",
        "Senior Software Engineer",
        "Engineering Manager",
    ):
        assert title in titles
    assert len(titles) >= 55
    for role in scenario_roles(RETAIL):
        assert 6 <= len(role.profile) <= 15


def test_catalog_covers_every_kind_and_names_the_story_items() -> None:
    items = build_catalog(scenario_roles(RETAIL), "Academy", np.random.default_rng(1))
    assert len(items) >= 300
    assert {item.kind for item in items} == set(ITEM_KINDS)
    by_title = {item.title: item for item in items}
    assert by_title["CRM Basics"].kind == "e-learning"
    assert by_title["Building Custom Reports"].kind == "project-based course"
    assert by_title["Salesforce Administrator Capstone"].kind == "capstone"
    assert by_title["Handling Common Objections"].kind == "microlearning"
    assert by_title["Handling Common Objections"].minutes == 2
    for title in (
        "Excel Essentials",
        "SQL Basics",
        "Tableau Fundamentals",
        "Python for Data Analysis",
        "R for Data Analysis",
        "Cross-Department Analytics Project",
    ):
        assert title in by_title
    assert len({locale for item in items for locale in item.locales}) >= 5
    assert any(item.offline for item in items)
    assert any(not item.offline for item in items)


@pytest.mark.parametrize("key", sorted(SCENARIOS))
def test_every_manager_has_three_to_twelve_reports(key: str) -> None:
    plan = plan_company(SCENARIOS[key], employees=400, seed=3, as_of=AS_OF)
    people = plan.history.people
    active = people["left_day"] == NOT_LEFT
    managers = plan.history.manager_of[active]
    counts = np.bincount(managers[managers >= 0])
    counts = counts[counts > 0]
    assert counts.min() >= 3
    assert counts.max() <= 12
    assert active[np.unique(managers[managers >= 0])].all(), "a manager has left"


def test_same_seed_same_plan_and_another_seed_another() -> None:
    first = plan_company(RETAIL, employees=300, seed=11, as_of=AS_OF)
    again = plan_company(RETAIL, employees=300, seed=11, as_of=AS_OF)
    other = plan_company(RETAIL, employees=300, seed=12, as_of=AS_OF)
    for name in ("hired_day", "left_day", "role", "program_start"):
        assert np.array_equal(first.history.people[name], again.history.people[name])
    assert not np.array_equal(first.history.people["left_day"], other.history.people["left_day"])


def test_history_fills_inside_faster_and_cheaper_than_outside(retail: CompanyPlan) -> None:
    openings = retail.history.openings
    filled = openings["status"] == STATUS_FILLED
    inside = filled & (openings["source"] == SOURCE_INTERNAL)
    outside = filled & ~inside
    assert inside.sum() > 50
    assert outside.sum() > 50
    days = openings["filled_day"] - openings["opened_day"]
    assert np.median(days[outside]) > 1.4 * np.median(days[inside])
    assert openings["cost"][outside].mean() > 2 * openings["cost"][inside].mean()
    kinds = set(retail.history.moves["kind"].tolist())
    assert {0, 2} <= kinds, "promotions and reskilling moves happen"


def test_engaged_people_join_programs_more_often(retail: CompanyPlan) -> None:
    """The selection bias the ROI analysis has to see through."""
    people = retail.history.people
    joined = people["program_start"] >= 0
    assert joined.sum() > 100
    assert people["engagement"][joined].mean() > people["engagement"][~joined].mean() + 0.03
    assert 0.5 < PROGRAM_HAZARD_RATIO < 1.0


def test_retail_is_short_of_the_e_commerce_skills_by_construction(retail: CompanyPlan) -> None:
    """Demand-weighted shortfall over the priority's roles: the two skills lead by far."""
    truth = _truth(retail)
    priority = retail.scenario.priorities[0]
    weights = dict(priority.skills)
    priority_roles = {key for key, _weight, _extra in priority.roles}
    role_of = retail.history.people["role"]
    shortfall: dict[str, float] = {}
    for person, levels in truth.items():
        role = retail.roles[int(role_of[person])]
        if role.key not in priority_roles:
            continue
        for line in role.profile:
            gap = max(0.0, line.target - levels.get(line.skill, 0.0))
            shortfall[line.skill] = shortfall.get(line.skill, 0.0) + (
                gap * line.importance * weights.get(line.skill, 1.0)
            )
    ranked = sorted(shortfall, key=lambda key: -shortfall[key])
    assert set(ranked[:2]) == {"digital_marketing_analytics", "supply_chain_logistics"}
    # The store-heavy workforce is strong where it has always been: in-store selling.
    store = [
        levels["in_store_sales"]
        for person, levels in truth.items()
        if retail.roles[int(role_of[person])].key == "store_associate"
    ]
    assert np.mean(store) >= 0.6


def test_story_people_have_their_aspirations(retail: CompanyPlan) -> None:
    people = retail.history.people
    employee = retail.story.employee
    assert retail.roles[int(people["role"][employee])].key == "customer_support_rep"
    assert retail.roles[int(people["aspiration"][employee])].key == "salesforce_administrator"
    assert people["left_day"][employee] == NOT_LEFT
    assert retail.history.manager_of[employee] == retail.story.manager
    second = retail.story.second_employee
    assert retail.roles[int(people["role"][second])].key == "marketing_coordinator"
    assert retail.roles[int(people["aspiration"][second])].key == "data_analyst"


def test_tech_juniors_know_emerging_tech_and_seniors_know_design() -> None:
    """The raw material of mentoring both ways (story 6)."""
    plan = plan_company(SCENARIOS["tech"], employees=400, seed=42, as_of=AS_OF)
    truth = _truth(plan)
    role_of = plan.history.people["role"]
    levels: dict[tuple[bool, str], list[float]] = {}
    for person, known in truth.items():
        role = plan.roles[int(role_of[person])]
        if role.family != "Engineering":
            continue
        for skill in ("generative_ai", "system_design"):
            levels.setdefault((role.level <= 2, skill), []).append(known.get(skill, 0.0))
    junior_ai = np.mean(levels[(True, "generative_ai")])
    senior_ai = np.mean(levels[(False, "generative_ai")])
    assert junior_ai > senior_ai + 0.15
    assert np.mean(levels[(False, "system_design")]) > np.mean(levels[(True, "system_design")])


def _cheapest_plan(plan: CompanyPlan, levels: dict[str, float], target: str) -> list[str]:
    """Titles of the fewest-minutes item set reaching a role's targets (with prerequisites)."""
    items = [item for item in plan.catalog if item.kind != "assessment"]
    position = {item.key: index for index, item in enumerate(items)}
    rows, lower = [], []
    for line in roles.ROLES_BY_KEY[target].profile:
        if levels.get(line.skill, 0.0) >= line.target:
            continue
        rows.append(
            [
                1.0 if any(s == line.skill and v >= line.target for s, v in item.teaches) else 0.0
                for item in items
            ]
        )
        lower.append(1.0)
    for index, item in enumerate(items):
        for required in item.requires_items:
            row = [0.0] * len(items)
            row[position[required]], row[index] = 1.0, -1.0
            rows.append(row)
            lower.append(0.0)
    result = milp(
        np.array([item.minutes for item in items], dtype=float),
        constraints=LinearConstraint(np.array(rows), lower, np.inf),
        integrality=np.ones(len(items)),
        bounds=Bounds(0, 1),
    )
    assert result.status == 0
    return sorted(items[index].title for index in np.flatnonzero(result.x > 0.5))


def test_the_story_plans_are_the_cheapest_on_the_truth(retail: CompanyPlan) -> None:
    """Stories 2 and 3: the catalog makes the stories' item sets the optimal plans."""
    truth = _truth(retail)
    assert _cheapest_plan(retail, truth[retail.story.employee], "salesforce_administrator") == [
        "Building Custom Reports",
        "CRM Basics",
        "Salesforce Administration Mentorship",
        "Salesforce Administrator Capstone",
    ]
    assert _cheapest_plan(retail, truth[retail.story.second_employee], "data_analyst") == [
        "Analytics Mentorship with a Senior Analyst",
        "Cross-Department Analytics Project",
        "Excel Essentials",
        "Python for Data Analysis",
        "R for Data Analysis",
        "SQL Basics",
        "Tableau Fundamentals",
    ]
