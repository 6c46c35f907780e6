"""The whole company plan before anything is written: roles, org, catalog, history, story people.

`plan_company` is pure and deterministic: the same scenario, size, seed and as-of date give the
same plan. Each part draws from its own random stream (derived from the seed), so changing one
part of the model does not reshuffle the others.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np

from skillpath.demo.catalog import DemoItem, build_catalog
from skillpath.demo.history import MONTHS, NOT_LEFT, Calendar, History, RoleBook, simulate
from skillpath.demo.org import OrgPlan, build_org
from skillpath.demo.roles import RESKILL_PATHS, ROLES, ROLES_BY_KEY, DemoRole
from skillpath.demo.scenarios import Scenario
from skillpath.demo.taxonomy import SKILLS

STREAM_ORG = 1
STREAM_GROWTH = 2
STREAM_CATALOG = 3
STREAM_HISTORY = 4
STREAM_PEOPLE = 5


def stream(seed: int, purpose: int, *extra: int) -> np.random.Generator:
    """An independent random stream for one purpose (and block) of the generator."""
    return np.random.default_rng(np.random.SeedSequence([seed, purpose, *extra]))


@dataclass(frozen=True)
class StoryPeople:
    """Person indices of the people the printed logins and the product stories use."""

    executive: int
    hr_admin: int
    manager: int
    employee: int
    second_employee: int


@dataclass
class CompanyPlan:
    """Everything generated before people are streamed into the database."""

    scenario: Scenario
    seed: int
    calendar: Calendar
    roles: tuple[DemoRole, ...]
    book: RoleBook
    org: OrgPlan
    catalog: list[DemoItem]
    history: History
    story: StoryPeople
    skill_index: dict[str, int] = field(default_factory=dict)
    headcount_needed: dict[str, int] = field(default_factory=dict)

    @property
    def academy(self) -> str:
        """The company's own learning provider."""
        return f"{self.scenario.company} Academy"


def scenario_roles(scenario: Scenario) -> tuple[DemoRole, ...]:
    """The roles a scenario's organisation uses, plus the roles its people reskill into."""
    used: set[str] = {scenario.ceo, scenario.country_head, scenario.country_filler}
    if scenario.coo:
        used.add(scenario.coo)
    for function in scenario.functions:
        used |= {function.head, function.group_role, function.filler}
        for team in function.teams:
            used.add(team.lead)
            used |= {role for role, _minimum, _weight in team.members}
    for site in scenario.sites:
        used |= {site.head, site.group_role}
        used |= {role for role, _count in site.direct}
        for team in site.teams:
            used.add(team.lead)
            used |= {role for role, _minimum, _weight in team.members}
    used |= {end for start, end in RESKILL_PATHS if start in used}
    used |= {scenario.story_target_role, scenario.story_second_target}
    return tuple(role for role in ROLES if role.key in used)


def _growth_seats(
    plan: OrgPlan, scenario: Scenario, roles: tuple[DemoRole, ...], seed: int
) -> None:
    """Mark the seats the priority adds during the window (they open as new openings)."""
    rng = stream(seed, STREAM_GROWTH)
    index = {role.key: i for i, role in enumerate(roles)}
    for key, growth in sorted(scenario.growth_roles.items()):
        if key not in index:
            continue
        seats = np.flatnonzero((plan.seat_role == index[key]) & ~plan.seat_is_head)
        count = round(seats.size * growth / (1 + growth))
        if count == 0:
            continue
        chosen = rng.choice(seats, size=count, replace=False)
        plan.seat_opens_month[chosen] = rng.integers(1, MONTHS - 2, size=count)


def _pick_story(
    plan: OrgPlan, history: History, roles: tuple[DemoRole, ...], scenario: Scenario
) -> StoryPeople:
    """Choose the login people and give the story employees their aspirations."""
    people = history.people
    index = {role.key: i for i, role in enumerate(roles)}
    active = people["left_day"] == NOT_LEFT
    manager_of = history.manager_of
    report_counts = np.bincount(
        manager_of[active & (manager_of >= 0)], minlength=history.person_count
    )

    def holder(role_key: str) -> int:
        found = np.flatnonzero(active & (people["role"] == index[role_key]))
        if found.size == 0:
            raise RuntimeError(f"nobody holds {role_key} in the generated company")
        return int(found[0])

    def storyteller(role_key: str, target_key: str, avoid: int = -1) -> int:
        role = index[role_key]
        candidates = np.flatnonzero(
            active
            & (people["role"] == role)
            & (people["hired_day"] < history.calendar.days - 365)
            & (manager_of >= 0)
        )
        candidates = candidates[candidates != avoid]
        if candidates.size == 0:
            candidates = np.flatnonzero(active & (people["role"] == role))
        counts = report_counts[manager_of[candidates]]
        fitting = candidates[(counts >= 3) & (counts <= 12)]
        pool = fitting if fitting.size else candidates
        chosen = int(pool[np.argmax(people["ability"][pool])])
        people["aspiration"][chosen] = index[target_key]
        people["program_start"][chosen] = -1
        people["program_end"][chosen] = -1
        people["program_role"][chosen] = -1
        people["ability"][chosen] = max(float(people["ability"][chosen]), 1.2)
        people["engagement"][chosen] = max(float(people["engagement"][chosen]), 0.8)
        return chosen

    employee = storyteller(scenario.story_employee_role, scenario.story_target_role)
    second = storyteller(scenario.story_second_role, scenario.story_second_target, employee)
    return StoryPeople(
        executive=holder(scenario.ceo),
        hr_admin=holder("hr_director"),
        manager=int(manager_of[employee]),
        employee=employee,
        second_employee=second,
    )


def plan_company(scenario: Scenario, *, employees: int, seed: int, as_of: date) -> CompanyPlan:
    """Generate the organisation, catalog and history of a company of about `employees`."""
    roles = scenario_roles(scenario)
    book = RoleBook.of(roles)
    role_keys = tuple(role.key for role in roles)
    org = build_org(scenario, role_keys, employees, stream(seed, STREAM_ORG))
    _growth_seats(org, scenario, roles, seed)
    calendar = Calendar.ending(as_of)
    turnover = np.array(
        [
            scenario.annual_turnover.get(role.family, scenario.annual_turnover.get("default", 0.1))
            for role in roles
        ]
    )
    growth = np.array([role.key in scenario.growth_roles for role in roles])
    history = simulate(
        seat_role=org.seat_role,
        seat_manager=org.seat_manager,
        seat_country=org.seat_country,
        seat_is_head=org.seat_is_head,
        seat_opens_month=org.seat_opens_month,
        book=book,
        turnover=turnover,
        aspiration_share=scenario.aspiration_share,
        growth_roles=growth,
        calendar=calendar,
        rng=stream(seed, STREAM_HISTORY),
    )
    story = _pick_story(org, history, roles, scenario)
    catalog = build_catalog(roles, f"{scenario.company} Academy", stream(seed, STREAM_CATALOG))
    active = history.people["left_day"] == NOT_LEFT
    holders = np.bincount(history.people["role"][active], minlength=len(roles))
    headcount_needed = {}
    for priority in scenario.priorities:
        for key, _weight, extra in priority.roles:
            if key in ROLES_BY_KEY and key in role_keys:
                headcount_needed[key] = max(1, round(holders[role_keys.index(key)] * extra))
    return CompanyPlan(
        scenario=scenario,
        seed=seed,
        calendar=calendar,
        roles=roles,
        book=book,
        org=org,
        catalog=catalog,
        history=history,
        story=story,
        skill_index={skill.key: i for i, skill in enumerate(SKILLS)},
        headcount_needed=headcount_needed,
    )
