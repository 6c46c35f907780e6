"""Turn a scenario and a headcount into locations, an org-unit tree and seats.

A *seat* is a position in the organisation: a role in a unit with a manager seat above it. People
come and go through seats (the history fills them), so the structure is fixed first and every
manager seat gets 3–12 direct seats by construction: central functions and countries that grow
past 12 teams or sites get an intermediate layer; heads with fewer than 3 get filler seats.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from skillpath.demo.scenarios import Country, FunctionSpec, Scenario, SiteSpec, TeamSpec

MAX_REPORTS = 12
MIN_REPORTS = 3
GROUP_SIZE = 8
MIN_COUNTRY_HEADCOUNT = 60

SITE_SUFFIXES: dict[str, tuple[str, ...]] = {
    "en": (
        "Central",
        "High Street",
        "Retail Park",
        "Shopping Centre",
        "North",
        "South",
        "East",
        "West",
        "Riverside",
        "Station",
        "Old Town",
        "Harbour",
        "Market Square",
        "Parkway",
    ),
    "de": (
        "Zentrum",
        "Altstadt",
        "Hauptbahnhof",
        "Nord",
        "Süd",
        "Einkaufszentrum",
        "Ost",
        "West",
        "Marktplatz",
        "Hafen",
    ),
    "fr": (
        "Centre",
        "Gare",
        "Nord",
        "Sud",
        "Rive Gauche",
        "Centre Commercial",
        "Est",
        "Ouest",
        "Vieux Port",
        "Place du Marché",
    ),
    "es": (
        "Centro",
        "Norte",
        "Sur",
        "Plaza Mayor",
        "Estación",
        "Centro Comercial",
        "Este",
        "Oeste",
        "Puerto",
        "Avenida",
    ),
    "pt-BR": (
        "Centro",
        "Norte",
        "Sul",
        "Shopping",
        "Estação",
        "Leste",
        "Oeste",
        "Avenida",
        "Praça",
        "Porto",
    ),
    "pl": ("Centrum", "Galeria", "Północ", "Południe", "Dworzec", "Rynek", "Wschód", "Zachód"),
}


@dataclass(frozen=True)
class LocationRow:
    """A work location."""

    name: str
    country: str
    locale: str
    timezone: str
    city: str


@dataclass(frozen=True)
class UnitRow:
    """An org unit (parent is an index into the unit list, -1 for the root)."""

    name: str
    kind: str
    parent: int
    location: int


@dataclass
class OrgPlan:
    """The organisation's structure: locations, units and seats (parallel arrays)."""

    roles: tuple[str, ...]
    countries: tuple[Country, ...]
    locations: list[LocationRow] = field(default_factory=list)
    units: list[UnitRow] = field(default_factory=list)
    seat_role: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))
    seat_unit: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))
    seat_manager: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))
    seat_location: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))
    seat_country: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))
    seat_is_head: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    seat_opens_month: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))

    @property
    def seat_count(self) -> int:
        """How many seats the organisation has at the end of the history."""
        return int(self.seat_role.size)


class _Builder:
    """Accumulates units, locations and seats while walking the scenario's recipes."""

    def __init__(self, scenario: Scenario, roles: tuple[str, ...], rng: np.random.Generator):
        self.scenario = scenario
        self.rng = rng
        self.role_index = {key: i for i, key in enumerate(roles)}
        self.locations: list[LocationRow] = []
        self.units: list[UnitRow] = []
        self.seat_role: list[int] = []
        self.seat_unit: list[int] = []
        self.seat_manager: list[int] = []
        self.seat_location: list[int] = []
        self.seat_country: list[int] = []
        self.seat_is_head: list[bool] = []
        self.reports: list[int] = []
        self.country_offices: dict[int, int] = {}
        self.unit_names: dict[str, int] = {}

    def location(self, name: str, country: Country, city_index: int) -> int:
        """Add a location in one of the country's cities; returns its index."""
        city = country.cities[city_index % len(country.cities)]
        self.locations.append(
            LocationRow(name, country.code, country.locale, city.timezone, city.name)
        )
        return len(self.locations) - 1

    def office(self, country_index: int) -> int:
        """The country's main office (created on first use)."""
        if country_index not in self.country_offices:
            country = self.scenario.countries[country_index]
            main = country_index == 0
            label = "Head Office" if main else "Office"
            self.country_offices[country_index] = self.location(
                f"{country.cities[0].name} {label}", country, 0
            )
        return self.country_offices[country_index]

    def unit(self, name: str, kind: str, parent: int, location: int) -> int:
        """Add an org unit (names made unique with a number); returns its index."""
        seen = self.unit_names.get(name, 0)
        self.unit_names[name] = seen + 1
        unique = name if seen == 0 else f"{name} {seen + 1}"
        self.units.append(UnitRow(unique, kind, parent, location))
        return len(self.units) - 1

    def seat(self, role: str, unit: int, manager: int, country: int, *, head: bool) -> int:
        """Add a seat under a manager seat; returns its index."""
        self.seat_role.append(self.role_index[role])
        self.seat_unit.append(unit)
        self.seat_manager.append(manager)
        self.seat_location.append(self.units[unit].location)
        self.seat_country.append(country)
        self.seat_is_head.append(head)
        self.reports.append(0)
        if manager >= 0:
            self.reports[manager] += 1
        return len(self.seat_role) - 1

    def reassign(self, seat: int, manager: int) -> None:
        """Move a seat under another manager seat."""
        self.reports[self.seat_manager[seat]] -= 1
        self.seat_manager[seat] = manager
        self.reports[manager] += 1

    def team(
        self,
        spec: TeamSpec,
        name: str,
        parent: int,
        manager: int,
        country: int,
        location: int | None = None,
    ) -> int:
        """A team unit with its lead and members; returns the lead's seat."""
        location = self.units[parent].location if location is None else location
        unit = self.unit(name, "team", parent, location)
        lead = self.seat(spec.lead, unit, manager, country, head=True)
        low, high = spec.size
        size = int(self.rng.integers(low, high + 1))
        members: list[str] = []
        for role, minimum, _weight in spec.members:
            members.extend([role] * minimum)
        weights = np.array([weight for _r, _m, weight in spec.members], dtype=float)
        extra = max(0, size - len(members))
        if extra:
            picks = self.rng.choice(len(spec.members), size=extra, p=weights / weights.sum())
            members.extend(spec.members[int(i)][0] for i in picks)
        for role in members[:MAX_REPORTS]:
            self.seat(role, unit, lead, country, head=False)
        return lead

    def layer(
        self,
        heads: list[tuple[int, int]],
        parent_unit: int,
        parent_seat: int,
        group_role: str,
        group_name: str,
        country: int,
    ) -> list[tuple[int, int]]:
        """Group (unit, head seat) pairs under intermediate units while there are too many."""
        while len(heads) > MAX_REPORTS:
            groups = int(np.ceil(len(heads) / GROUP_SIZE))
            bounds = np.linspace(0, len(heads), groups + 1).round().astype(int)
            grouped: list[tuple[int, int]] = []
            for g in range(groups):
                members = heads[bounds[g] : bounds[g + 1]]
                location = self.units[members[0][0]].location
                city = self.locations[location].city
                unit = self.unit(f"{group_name} {city}", "group", parent_unit, location)
                seat = self.seat(group_role, unit, parent_seat, country, head=True)
                for member_unit, member_seat in members:
                    self.reassign(member_seat, seat)
                    old = self.units[member_unit]
                    self.units[member_unit] = UnitRow(old.name, old.kind, unit, old.location)
                grouped.append((unit, seat))
            heads = grouped
        return heads

    def fill(self, seat: int, unit: int, role: str, country: int) -> None:
        """Give a head at least MIN_REPORTS direct seats."""
        for _ in range(MIN_REPORTS - self.reports[seat]):
            self.seat(role, unit, seat, country, head=False)


def _split(total: int, weights: list[float]) -> list[int]:
    """Split a total into integer parts proportional to weights, each at least 1."""
    count = len(weights)
    total = max(total, count)
    raw = np.array(weights) / sum(weights) * (total - count)
    parts = np.floor(raw).astype(int)
    remainder = raw - parts
    for index in np.argsort(-remainder, kind="stable")[: (total - count) - int(parts.sum())]:
        parts[index] += 1
    return [int(p) + 1 for p in parts]


def _team_headcount(spec: TeamSpec) -> float:
    return (spec.size[0] + spec.size[1]) / 2 + 1


def _included_countries(scenario: Scenario, employees: int) -> list[int]:
    return [
        index
        for index, country in enumerate(scenario.countries)
        if index == 0 or employees * country.weight >= MIN_COUNTRY_HEADCOUNT
    ]


def _hub_for_teams(
    function: FunctionSpec, scenario: Scenario, included: list[int], teams: int
) -> list[int]:
    """Country index of each team of a function, spread over its hubs by weight."""
    codes = {scenario.countries[i].code: i for i in included}
    hubs = [(codes[code], weight) for code, weight in function.hubs if code in codes]
    if not hubs:
        hubs = [(included[0], 1.0)]
    parts = _split(teams, [weight for _c, weight in hubs]) if teams >= len(hubs) else [1] * teams
    countries: list[int] = []
    for (country, _weight), count in zip(hubs, parts, strict=False):
        countries.extend([country] * count)
    return countries[:teams]


def _build_function(
    builder: _Builder,
    function: FunctionSpec,
    root: int,
    ceo_seat: int,
    included: list[int],
    employees: int,
) -> None:
    scenario = builder.scenario
    unit = builder.unit(function.name, "function", root, builder.office(included[0]))
    head = builder.seat(function.head, unit, ceo_seat, included[0], head=True)
    average = np.mean([_team_headcount(team) for team in function.teams])
    total_teams = max(len(function.teams), round(employees * function.share / average))
    counts = _split(total_teams, [team.weight for team in function.teams])
    heads: list[tuple[int, int]] = []
    for spec, count in zip(function.teams, counts, strict=True):
        countries = _hub_for_teams(function, scenario, included, count)
        for country in countries:
            city = scenario.countries[country].cities[0].name
            lead = builder.team(
                spec, f"{spec.name} {city}", unit, head, country, builder.office(country)
            )
            team_unit = builder.seat_unit[lead]
            heads.append((team_unit, lead))
    builder.layer(heads, unit, head, function.group_role, function.name, included[0])
    builder.fill(head, unit, function.filler, included[0])


def _site_name(country: Country, city: str, kind: SiteSpec, index: int) -> str:
    if kind.kind == "store":
        suffixes = SITE_SUFFIXES.get(country.language, SITE_SUFFIXES["en"])
        return f"{city} {suffixes[index % len(suffixes)]}"
    return f"{city} {kind.name}"


def _build_country(
    builder: _Builder,
    country_index: int,
    parent_unit: int,
    parent_seat: int,
    share_of_sites: float,
    employees: int,
) -> None:
    scenario = builder.scenario
    country = scenario.countries[country_index]
    unit = builder.unit(country.name, "country", parent_unit, builder.office(country_index))
    head = builder.seat(scenario.country_head, unit, parent_seat, country_index, head=True)
    heads: list[tuple[int, int]] = []
    for site in scenario.sites:
        if country_index != 0 and country.weight < site.min_country_weight:
            continue
        site_size = (
            sum(_team_headcount(team) for team in site.teams)
            + 1
            + sum(count for _role, count in site.direct)
        )
        count = max(1, round(employees * site.share * share_of_sites / site_size))
        site_heads: list[tuple[int, int]] = []
        for index in range(count):
            city_index = index % len(country.cities)
            city = country.cities[city_index].name
            name = _site_name(country, city, site, index // len(country.cities))
            location = builder.location(name, country, city_index)
            site_unit = builder.unit(name, site.kind, unit, location)
            site_head = builder.seat(site.head, site_unit, head, country_index, head=True)
            for role, direct in site.direct:
                for _ in range(direct):
                    builder.seat(role, site_unit, site_head, country_index, head=False)
            for spec in site.teams:
                builder.team(spec, spec.name, site_unit, site_head, country_index)
            builder.fill(site_head, site_unit, site.direct[0][0], country_index)
            site_heads.append((site_unit, site_head))
        if len(site_heads) > GROUP_SIZE:
            groups = int(np.ceil(len(site_heads) / GROUP_SIZE))
            bounds = np.linspace(0, len(site_heads), groups + 1).round().astype(int)
            for g in range(groups):
                members = site_heads[bounds[g] : bounds[g + 1]]
                location = builder.units[members[0][0]].location
                city = builder.locations[location].city
                area = builder.unit(f"{site.group_name} {city}", "area", unit, location)
                area_head = builder.seat(site.group_role, area, head, country_index, head=True)
                for member_unit, member_seat in members:
                    builder.reassign(member_seat, area_head)
                    old = builder.units[member_unit]
                    builder.units[member_unit] = UnitRow(old.name, old.kind, area, old.location)
                heads.append((area, area_head))
        else:
            heads.extend(site_heads)
    builder.layer(heads, unit, head, scenario.country_head, country.name, country_index)
    builder.fill(head, unit, scenario.country_filler, country_index)


def build_org(
    scenario: Scenario, roles: tuple[str, ...], employees: int, rng: np.random.Generator
) -> OrgPlan:
    """Build the organisation of a scenario for about `employees` people."""
    builder = _Builder(scenario, roles, rng)
    included = _included_countries(scenario, employees)
    root = builder.unit(scenario.company, "company", -1, builder.office(0))
    ceo = builder.seat(scenario.ceo, root, -1, 0, head=True)
    for function in scenario.functions:
        _build_function(builder, function, root, ceo, included, employees)
    central = len(builder.seat_role)
    if scenario.sites:
        site_employees = max(employees - central, 20)
        parent_unit, parent_seat = root, ceo
        if scenario.coo:
            parent_unit = builder.unit("Operations", "division", root, builder.office(0))
            parent_seat = builder.seat(scenario.coo, parent_unit, ceo, 0, head=True)
        weights = np.array([scenario.countries[i].weight for i in included])
        shares = weights / weights.sum()
        total_share = sum(site.share for site in scenario.sites)
        for country_index, share in zip(included, shares, strict=True):
            _build_country(
                builder,
                country_index,
                parent_unit,
                parent_seat,
                float(share) / total_share,
                site_employees,
            )
        if scenario.coo:
            builder.fill(parent_seat, parent_unit, scenario.country_filler, 0)
    builder.fill(ceo, root, scenario.country_filler, 0)
    plan = OrgPlan(roles=roles, countries=scenario.countries)
    plan.locations = builder.locations
    plan.units = builder.units
    plan.seat_role = np.array(builder.seat_role, dtype=np.int32)
    plan.seat_unit = np.array(builder.seat_unit, dtype=np.int32)
    plan.seat_manager = np.array(builder.seat_manager, dtype=np.int32)
    plan.seat_location = np.array(builder.seat_location, dtype=np.int32)
    plan.seat_country = np.array(builder.seat_country, dtype=np.int32)
    plan.seat_is_head = np.array(builder.seat_is_head, dtype=bool)
    plan.seat_opens_month = np.zeros(plan.seat_count, dtype=np.int32)
    return plan
