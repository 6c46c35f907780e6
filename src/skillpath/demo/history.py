"""Three years of workforce history, simulated month by month over the seats of the org plan.

Every month: growth seats open; people enrol in learning programs (more often when engaged — the
selection bias); people leave with a hazard that rises with low engagement and with no growth for
two years and falls with program participation (a modest, real effect); openings are filled
internally (promotions, laterals, reskilling — program graduates aiming at the role come first)
or externally (new hires), external fills taking longer and costing more. Internal movers leave a
vacancy behind, so chains of openings form. Everything is vectorised over people so a million
seats simulate in seconds; memory is a handful of arrays per person plus the event logs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from skillpath.demo.roles import RESKILL_PATHS, DemoRole

MONTHS = 36
NOT_LEFT = np.iinfo(np.int32).max
NONE = -1

PROGRAM_HAZARD_RATIO = 0.72
"""Participants' leaving hazard relative to otherwise identical non-participants."""
ENGAGEMENT_HAZARD_SLOPE = 2.5
"""Log-hazard change per unit of engagement below 0.6 (low engagement → more leavers)."""
NO_GROWTH_HAZARD_RATIO = 1.35
"""Hazard multiplier after two years without a move."""
NO_GROWTH_DAYS = 730

SALARY_BY_LEVEL = {1: 28_000, 2: 45_000, 3: 60_000, 4: 80_000, 5: 100_000, 6: 140_000, 7: 250_000}
INTERNAL_SHARE_BY_LEVEL = {1: 0.12, 2: 0.3, 3: 0.42, 4: 0.55, 5: 0.6, 6: 0.55, 7: 0.5}

SOURCE_INTERNAL = 0
SOURCE_EXTERNAL = 1
STATUS_PENDING = 0
STATUS_FILLED = 1
STATUS_CLOSED = 2

MOVE_KIND_CODES = ("promotion", "lateral", "reskill", "transfer")
REASONS = ("voluntary", "involuntary", "retirement")


def months_before(day: date, months: int) -> date:
    """The same day of the month `months` earlier (clamped to the month's length)."""
    year = day.year + (day.month - 1 - months) // 12
    month = (day.month - 1 - months) % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(f"cannot step back {months} months from {day}")  # pragma: no cover


@dataclass(frozen=True)
class Calendar:
    """Day numbers of the simulated window: day 0 is the start, `days` is the as-of date."""

    start: date
    as_of: date
    month_starts: tuple[int, ...]

    @property
    def days(self) -> int:
        """Length of the window in days (the as-of date's day number)."""
        return (self.as_of - self.start).days

    def to_date(self, day: int) -> date:
        """The date of a day number (may be before the window for earlier hires)."""
        return self.start + timedelta(days=int(day))

    @staticmethod
    def ending(as_of: date, months: int = MONTHS) -> Calendar:
        """A window of `months` months ending on `as_of`."""
        start = months_before(as_of, months)
        starts = tuple((months_before(as_of, months - m) - start).days for m in range(months + 1))
        return Calendar(start, as_of, starts)


@dataclass(frozen=True)
class RoleBook:
    """Roles of a scenario as arrays the simulation indexes by role number."""

    roles: tuple[DemoRole, ...]
    level: np.ndarray
    family: np.ndarray
    families: tuple[str, ...]
    feeders: tuple[tuple[tuple[int, float], ...], ...]
    reskill_targets: tuple[tuple[int, ...], ...]
    promotion_targets: tuple[tuple[int, ...], ...]

    @staticmethod
    def of(roles: tuple[DemoRole, ...]) -> RoleBook:
        """Index roles and derive who can move into what (promotions, laterals, reskilling)."""
        families = tuple(sorted({role.family for role in roles}))
        family = np.array([families.index(role.family) for role in roles], dtype=np.int32)
        level = np.array([role.level for role in roles], dtype=np.int32)
        index = {role.key: i for i, role in enumerate(roles)}
        feeders: list[tuple[tuple[int, float], ...]] = []
        promotions: list[list[int]] = [[] for _ in roles]
        reskills: list[list[int]] = [[] for _ in roles]
        for target, role in enumerate(roles):
            entries: dict[int, float] = {target: 0.0}
            same_family = [
                i
                for i, other in enumerate(roles)
                if other.family == role.family and role.level - 2 <= other.level < role.level
            ]
            if not same_family and role.level >= 5:
                same_family = [
                    i
                    for i, other in enumerate(roles)
                    if role.level - 2 <= other.level < role.level and other.level >= 4
                ]
            for source in same_family:
                bonus = 0.4 if roles[source].level == role.level - 1 else 0.1
                entries[source] = max(entries.get(source, 0.0), bonus)
                promotions[source].append(target)
            for start, end in RESKILL_PATHS:
                if end == role.key and start in index:
                    entries[index[start]] = max(entries.get(index[start], 0.0), 0.2)
                    reskills[index[start]].append(target)
            feeders.append(tuple(sorted(entries.items())))
        return RoleBook(
            roles=roles,
            level=level,
            family=family,
            families=families,
            feeders=tuple(feeders),
            reskill_targets=tuple(tuple(targets) for targets in reskills),
            promotion_targets=tuple(tuple(targets) for targets in promotions),
        )


class _Buffer:
    """A growable set of parallel numpy columns."""

    def __init__(self, columns: dict[str, tuple[type, int | float]], capacity: int) -> None:
        self.defaults = columns
        self.size = 0
        self.data: dict[str, np.ndarray] = {
            name: np.full(capacity, default, dtype=dtype)
            for name, (dtype, default) in columns.items()
        }

    def append(self, count: int, **values: np.ndarray | int | float) -> np.ndarray:
        """Add `count` rows; returns their indices."""
        needed = self.size + count
        capacity = next(iter(self.data.values())).size
        if needed > capacity:
            grown = max(needed, capacity * 2)
            for name, column in self.data.items():
                dtype, default = self.defaults[name]
                bigger: np.ndarray = np.full(grown, default, dtype=dtype)
                bigger[: self.size] = column[: self.size]
                self.data[name] = bigger
        rows = np.arange(self.size, needed)
        for name, value in values.items():
            self.data[name][rows] = value
        self.size = needed
        return rows

    def column(self, name: str) -> np.ndarray:
        """The filled part of a column (a view)."""
        return self.data[name][: self.size]


@dataclass
class History:
    """The simulated history: people, openings and moves as arrays (indices, day numbers)."""

    calendar: Calendar
    people: dict[str, np.ndarray] = field(default_factory=dict)
    openings: dict[str, np.ndarray] = field(default_factory=dict)
    moves: dict[str, np.ndarray] = field(default_factory=dict)
    manager_of: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))

    @property
    def person_count(self) -> int:
        """How many people ever held a seat in the window."""
        return int(self.people["seat"].size)


_PEOPLE_COLUMNS: dict[str, tuple[type, int | float]] = {
    "seat": (np.int64, NONE),
    "role": (np.int32, NONE),
    "first_role": (np.int32, NONE),
    "hired_day": (np.int32, 0),
    "left_day": (np.int32, NOT_LEFT),
    "reason": (np.int8, NONE),
    "ability": (np.float32, 0.0),
    "engagement": (np.float32, 0.6),
    "aspiration": (np.int32, NONE),
    "program_start": (np.int32, NONE),
    "program_end": (np.int32, NONE),
    "program_role": (np.int32, NONE),
    "last_growth": (np.int32, 0),
    "exit_manager": (np.int64, NONE),
}
_OPENING_COLUMNS: dict[str, tuple[type, int | float]] = {
    "seat": (np.int64, NONE),
    "opened_day": (np.int32, 0),
    "planned_day": (np.int32, 0),
    "planned_source": (np.int8, SOURCE_EXTERNAL),
    "status": (np.int8, STATUS_PENDING),
    "filled_day": (np.int32, NONE),
    "closed_day": (np.int32, NONE),
    "source": (np.int8, NONE),
    "filled_by": (np.int64, NONE),
    "cost": (np.float64, 0.0),
    "hiring_manager": (np.int64, NONE),
}
_MOVE_COLUMNS: dict[str, tuple[type, int | float]] = {
    "person": (np.int64, NONE),
    "day": (np.int32, 0),
    "kind": (np.int8, 0),
    "from_seat": (np.int64, NONE),
    "to_seat": (np.int64, NONE),
    "opening": (np.int64, NONE),
}


class _Simulation:
    """State and monthly steps of the simulation."""

    def __init__(
        self,
        *,
        seat_role: np.ndarray,
        seat_manager: np.ndarray,
        seat_country: np.ndarray,
        seat_is_head: np.ndarray,
        seat_opens_month: np.ndarray,
        book: RoleBook,
        turnover: np.ndarray,
        aspiration_share: float,
        growth_roles: np.ndarray,
        calendar: Calendar,
        rng: np.random.Generator,
    ) -> None:
        self.seat_role = seat_role
        self.seat_manager = seat_manager
        self.seat_country = seat_country
        self.seat_is_head = seat_is_head
        self.seat_opens_month = seat_opens_month
        self.book = book
        self.turnover = turnover
        self.aspiration_share = aspiration_share
        self.growth_roles = growth_roles
        self.calendar = calendar
        self.rng = rng
        seats = seat_role.size
        self.occupant = np.full(seats, NONE, dtype=np.int64)
        self.people = _Buffer(_PEOPLE_COLUMNS, int(seats * 1.8) + 16)
        self.openings = _Buffer(_OPENING_COLUMNS, int(seats * 0.9) + 16)
        self.moves = _Buffer(_MOVE_COLUMNS, int(seats * 0.3) + 16)

    # People

    def _new_people(self, seats: np.ndarray, hired_day: np.ndarray) -> np.ndarray:
        rng = self.rng
        count = seats.size
        roles = self.seat_role[seats]
        ability = rng.standard_normal(count).astype(np.float32)
        engagement = np.clip(rng.beta(6.0, 4.0, count), 0.05, 0.98).astype(np.float32)
        aspiration = np.full(count, NONE, dtype=np.int32)
        wants = rng.random(count) < self.aspiration_share * (0.6 + 0.8 * engagement)
        for i in np.flatnonzero(wants):
            options = self.book.promotion_targets[roles[i]] + self.book.reskill_targets[roles[i]]
            if options:
                aspiration[i] = options[int(rng.integers(len(options)))]
        people = self.people.append(
            count,
            seat=seats,
            role=roles,
            first_role=roles,
            hired_day=hired_day,
            ability=ability,
            engagement=engagement,
            aspiration=aspiration,
            last_growth=hired_day,
        )
        self.occupant[seats] = people
        return people

    def seed_population(self) -> None:
        """Fill every seat that exists at the start with someone hired before the window."""
        seats = np.flatnonzero(self.seat_opens_month == 0)
        level = self.book.level[self.seat_role[seats]]
        mean_years = 2.5 + 1.2 * level
        tenure_days = (self.rng.exponential(mean_years) * 365).astype(np.int64) + 30
        tenure_days = np.minimum(tenure_days, 30 * 365)
        people = self._new_people(seats, (-tenure_days).astype(np.int32))
        # Growth (the last move) happened some time before the window, never before the hire.
        last = -(self.rng.uniform(0, 1, people.size) * np.minimum(tenure_days, 4 * 365))
        self.people.data["last_growth"][people] = last.astype(np.int32)

    # Openings

    def _hiring_manager(self, seats: np.ndarray) -> np.ndarray:
        managers = self.seat_manager[seats]
        found = np.full(seats.size, NONE, dtype=np.int64)
        pending = managers >= 0
        current = managers.copy()
        for _ in range(20):
            if not pending.any():
                break
            occupant = np.where(pending, self.occupant[np.maximum(current, 0)], NONE)
            hit = pending & (occupant >= 0)
            found[hit] = occupant[hit]
            pending &= ~hit
            current = np.where(pending, self.seat_manager[np.maximum(current, 0)], NONE)
            pending &= current >= 0
        return found

    def open_seats(self, seats: np.ndarray, day: np.ndarray, month: int) -> None:
        """Post openings for vacated or new seats, deciding source and time to fill up front."""
        if seats.size == 0:
            return
        rng = self.rng
        roles = self.seat_role[seats]
        level = self.book.level[roles]
        share = np.array([INTERNAL_SHARE_BY_LEVEL[int(lv)] for lv in level])
        share = share + 0.18 * month / MONTHS
        internal = rng.random(seats.size) < share
        external_days = np.where(level <= 1, 42.0, 70.0) * np.where(level >= 4, 1.3, 1.0)
        external_days = external_days * np.where(self.growth_roles[roles], 1.25, 1.0)
        median = np.where(internal, 26.0, external_days)
        ttf = np.maximum(10, rng.lognormal(np.log(median), 0.35)).astype(np.int32)
        planned = day + ttf
        heads = self.seat_is_head[seats]
        latest = self.calendar.days - 1
        planned = np.where(heads & (planned > latest), np.maximum(day, latest), planned)
        self.openings.append(
            seats.size,
            seat=seats,
            opened_day=day,
            planned_day=planned,
            planned_source=np.where(internal, SOURCE_INTERNAL, SOURCE_EXTERNAL),
            hiring_manager=self._hiring_manager(seats),
        )

    def _costs(self, seats: np.ndarray, internal: np.ndarray) -> np.ndarray:
        level = self.book.level[self.seat_role[seats]]
        salary = np.array([SALARY_BY_LEVEL[int(lv)] for lv in level], dtype=float)
        rng = self.rng
        external = np.where(
            level <= 1, rng.uniform(900, 2600, seats.size), salary * rng.uniform(0.15, 0.25)
        )
        return np.round(np.where(internal, salary * rng.uniform(0.01, 0.03), external), 2)

    # Monthly steps

    def growth(self, month: int) -> None:
        """Open the seats created this month (the priority's extra headcount)."""
        seats = np.flatnonzero(self.seat_opens_month == month)
        if month == 0 or seats.size == 0:
            return
        start, end = self.calendar.month_starts[month], self.calendar.month_starts[month + 1]
        days = self.rng.integers(start, end, seats.size).astype(np.int32)
        self.open_seats(seats, days, month)

    def enrol(self, month: int) -> None:
        """Engaged people are likelier to join a program (selection bias)."""
        people = self.people
        size = people.size
        start = self.calendar.month_starts[month]
        active = (people.column("left_day") == NOT_LEFT) & (people.column("hired_day") < start)
        candidates = active & (people.column("program_start") == NONE)
        engagement = people.column("engagement")
        ramp = 0.6 + 0.8 * month / MONTHS
        odds = 0.011 * ramp * (0.25 + 1.75 / (1.0 + np.exp(-8.0 * (engagement - 0.62))))
        chosen = np.flatnonzero(candidates & (self.rng.random(size) < odds))
        if chosen.size == 0:
            return
        end = self.calendar.month_starts[month + 1]
        begin = self.rng.integers(start, end, chosen.size).astype(np.int32)
        length = self.rng.integers(90, 240, chosen.size).astype(np.int32)
        people.data["program_start"][chosen] = begin
        people.data["program_end"][chosen] = begin + length
        aspiration = people.data["aspiration"][chosen]
        aiming = (aspiration >= 0) & (self.rng.random(chosen.size) < 0.7)
        people.data["program_role"][chosen] = np.where(aiming, aspiration, NONE)

    def leave(self, month: int) -> None:
        """Draw leavers from the hazard; their seats open."""
        people = self.people
        start, end = self.calendar.month_starts[month], self.calendar.month_starts[month + 1]
        active = np.flatnonzero(
            (people.column("left_day") == NOT_LEFT) & (people.column("hired_day") < start)
        )
        if active.size == 0:
            return
        roles = people.data["role"][active]
        base = self.turnover[roles]
        monthly = 1.0 - (1.0 - base) ** (1.0 / 12.0)
        engagement = people.data["engagement"][active]
        hazard = monthly * np.exp(ENGAGEMENT_HAZARD_SLOPE * (0.6 - engagement))
        stuck = (start - people.data["last_growth"][active]) > NO_GROWTH_DAYS
        hazard *= np.where(stuck, NO_GROWTH_HAZARD_RATIO, 1.0)
        program_start = people.data["program_start"][active]
        participating = (program_start >= 0) & (program_start < start)
        hazard *= np.where(participating, PROGRAM_HAZARD_RATIO, 1.0)
        ability = people.data["ability"][active]
        hazard *= np.where(ability < -1.2, 1.4, 1.0)
        leaving = active[self.rng.random(active.size) < hazard]
        if leaving.size == 0:
            return
        hired = people.data["hired_day"][leaving]
        days = self.rng.integers(start, end, leaving.size).astype(np.int32)
        tenure_years = (days - hired) / 365.0
        draw = self.rng.random(leaving.size)
        weak = people.data["ability"][leaving] < -1.0
        reason = np.where(draw < np.where(weak, 0.35, 0.1), 1, 0)
        reason = np.where((tenure_years > 18) & (draw > 0.7), 2, reason)
        seats = people.data["seat"][leaving]
        people.data["left_day"][leaving] = days
        people.data["reason"][leaving] = reason
        people.data["exit_manager"][leaving] = self._hiring_manager(seats)
        self.occupant[seats] = NONE
        self.open_seats(seats, days, month)

    def fill(self, month: int) -> None:
        """Fill the openings due this month, round after round (internal moves chain)."""
        end = self.calendar.month_starts[month + 1]
        for _ in range(8):
            status = self.openings.column("status")
            due = np.flatnonzero(
                (status == STATUS_PENDING) & (self.openings.column("planned_day") < end)
            )
            if due.size == 0:
                return
            self._close_some(due, month)
            due = due[self.openings.data["status"][due] == STATUS_PENDING]
            internal = due[self.openings.data["planned_source"][due] == SOURCE_INTERNAL]
            leftover = self._fill_internally(internal, month)
            external = np.concatenate(
                [due[self.openings.data["planned_source"][due] == SOURCE_EXTERNAL], leftover]
            )
            self._fill_externally(external, month)

    def _close_some(self, due: np.ndarray, month: int) -> None:
        """A few postings are withdrawn and re-posted (the seat stays)."""
        withdrawn = due[
            (self.rng.random(due.size) < 0.025)
            & ~self.seat_is_head[self.openings.data["seat"][due]]
        ]
        if withdrawn.size == 0:
            return
        opened = self.openings.data["opened_day"][withdrawn]
        planned = self.openings.data["planned_day"][withdrawn]
        closed = np.maximum(opened, planned - 5)
        self.openings.data["status"][withdrawn] = STATUS_CLOSED
        self.openings.data["closed_day"][withdrawn] = closed
        self.open_seats(self.openings.data["seat"][withdrawn], closed, month)

    def _fill_externally(self, openings: np.ndarray, month: int) -> None:
        if openings.size == 0:
            return
        data = self.openings.data
        opened = data["opened_day"][openings]
        planned = data["planned_day"][openings]
        converted = data["planned_source"][openings] == SOURCE_INTERNAL
        # Openings that found no internal candidate go outside, a month later.
        day = np.where(converted, planned + 30, planned).astype(np.int32)
        latest = self.calendar.days - 1
        heads = self.seat_is_head[data["seat"][openings]]
        day = np.where(heads, np.minimum(day, latest), day)
        day = np.maximum(day, opened)
        now = day < self.calendar.month_starts[month + 1]
        later = openings[~now]
        data["planned_day"][later] = day[~now]
        data["planned_source"][later] = SOURCE_EXTERNAL
        openings, day = openings[now], day[now]
        if openings.size == 0:
            return
        seats = data["seat"][openings]
        people = self._new_people(seats, day)
        data["status"][openings] = STATUS_FILLED
        data["filled_day"][openings] = day
        data["source"][openings] = SOURCE_EXTERNAL
        data["filled_by"][openings] = people
        data["cost"][openings] = self._costs(seats, np.zeros(seats.size, dtype=bool))

    def _fill_internally(self, openings: np.ndarray, month: int) -> np.ndarray:
        """Pick internal candidates per (role, country); returns the openings left unfilled."""
        if openings.size == 0:
            return openings
        data = self.openings.data
        people = self.people
        day = data["planned_day"][openings]
        first_day = int(day.min())
        seats = data["seat"][openings]
        roles = self.seat_role[seats]
        countries = self.seat_country[seats]
        eligible = np.flatnonzero(
            (people.column("left_day") == NOT_LEFT)
            & (people.column("hired_day") < first_day - 180)
            & (people.column("last_growth") < first_day - 270)
        )
        person_seat = people.data["seat"][eligible]
        person_country = self.seat_country[person_seat]
        person_role = people.data["role"][eligible]
        countries_total = int(self.seat_country.max()) + 1
        key = person_role.astype(np.int64) * countries_total + person_country
        order = np.argsort(key, kind="stable")
        sorted_key = key[order]
        taken = np.zeros(eligible.size, dtype=bool)
        unfilled: list[int] = []
        picked_openings: list[np.ndarray] = []
        picked_people: list[np.ndarray] = []
        group_key = roles.astype(np.int64) * countries_total + countries
        for group in np.unique(group_key):
            members = openings[group_key == group]
            role = int(group // countries_total)
            country = int(group % countries_total)
            pools: list[np.ndarray] = []
            bonuses: list[np.ndarray] = []
            for feeder, bonus in self.book.feeders[role]:
                wanted = feeder * countries_total + country
                low = np.searchsorted(sorted_key, wanted, "left")
                high = np.searchsorted(sorted_key, wanted, "right")
                if high > low:
                    pools.append(order[low:high])
                    bonuses.append(np.full(high - low, bonus))
            if not pools:
                unfilled.extend(members.tolist())
                continue
            pool = np.concatenate(pools)
            head_start = np.concatenate(bonuses)
            free = ~taken[pool]
            pool, head_start = pool[free], head_start[free]
            if pool.size == 0:
                unfilled.extend(members.tolist())
                continue
            person = eligible[pool]
            score = (
                head_start
                + 0.6 * people.data["ability"][person]
                + 2.0 * (people.data["engagement"][person] - 0.6)
                + 1.0 * (people.data["aspiration"][person] == role)
                + 1.5 * (people.data["program_role"][person] == role)
                + self.rng.gumbel(0.0, 0.5, pool.size)
            )
            # Not everyone is ready: a candidate needs a positive score to be chosen.
            ranked = np.argsort(-score, kind="stable")
            ranked = ranked[score[ranked] > 0.2]
            chosen = ranked[: members.size]
            taken[pool[chosen]] = True
            picked_openings.append(members[: chosen.size])
            picked_people.append(eligible[pool[chosen]])
            unfilled.extend(members[chosen.size :].tolist())
        if picked_openings:
            self._move(np.concatenate(picked_openings), np.concatenate(picked_people), month)
        return np.array(unfilled, dtype=np.int64)

    def _move(self, openings: np.ndarray, persons: np.ndarray, month: int) -> None:
        """Move people into the seats of the openings they won; their old seats open."""
        if openings.size == 0:
            return
        data = self.openings.data
        people = self.people.data
        book = self.book
        day = data["planned_day"][openings]
        new_seat = data["seat"][openings]
        old_seat = people["seat"][persons]
        old_role = people["role"][persons]
        new_role = self.seat_role[new_seat]
        kind = np.where(
            book.family[old_role] != book.family[new_role],
            2,
            np.where(
                book.level[new_role] > book.level[old_role],
                0,
                np.where(old_role == new_role, 3, 1),
            ),
        )
        self.moves.append(
            openings.size,
            person=persons,
            day=day,
            kind=kind,
            from_seat=old_seat,
            to_seat=new_seat,
            opening=openings,
        )
        people["seat"][persons] = new_seat
        people["role"][persons] = new_role
        people["last_growth"][persons] = day
        reached = people["aspiration"][persons] == new_role
        people["aspiration"][persons[reached]] = NONE
        self.occupant[old_seat] = NONE
        self.occupant[new_seat] = persons
        data["status"][openings] = STATUS_FILLED
        data["filled_day"][openings] = day
        data["source"][openings] = SOURCE_INTERNAL
        data["filled_by"][openings] = persons
        data["cost"][openings] = self._costs(new_seat, np.ones(openings.size, dtype=bool))
        self.open_seats(old_seat, day, month)

    def settle(self) -> None:
        """Make sure no manager ends the window with fewer than three reports."""
        people = self.people
        active = people.column("left_day") == NOT_LEFT
        seats = people.column("seat")[active]
        counts = np.bincount(
            self.seat_manager[seats][self.seat_manager[seats] >= 0],
            minlength=self.seat_role.size,
        )
        heads = np.flatnonzero(self.seat_is_head & (self.occupant >= 0))
        short = heads[counts[heads] < 3]
        if short.size == 0:
            return
        status = self.openings.column("status")
        pending = np.flatnonzero(status == STATUS_PENDING)
        pending_seats = self.openings.data["seat"][pending]
        latest = self.calendar.days - 1
        for head in short:
            mine = pending[self.seat_manager[pending_seats] == head]
            need = 3 - int(counts[head])
            chosen = mine[:need]
            if chosen.size == 0:
                continue
            self.openings.data["planned_day"][chosen] = np.maximum(
                self.openings.data["opened_day"][chosen], latest
            )
            self.openings.data["planned_source"][chosen] = SOURCE_EXTERNAL
            self._fill_externally(chosen, MONTHS - 1)

    def result(self) -> History:
        """Freeze the state into a History."""
        people = {name: self.people.column(name).copy() for name in self.people.data}
        openings = {name: self.openings.column(name).copy() for name in self.openings.data}
        moves = {name: self.moves.column(name).copy() for name in self.moves.data}
        current = people["seat"]
        manager_of = np.where(
            people["left_day"] == NOT_LEFT,
            self._hiring_manager(current),
            people["exit_manager"],
        )
        return History(
            calendar=self.calendar,
            people=people,
            openings=openings,
            moves=moves,
            manager_of=manager_of,
        )


def simulate(
    *,
    seat_role: np.ndarray,
    seat_manager: np.ndarray,
    seat_country: np.ndarray,
    seat_is_head: np.ndarray,
    seat_opens_month: np.ndarray,
    book: RoleBook,
    turnover: np.ndarray,
    aspiration_share: float,
    growth_roles: np.ndarray,
    calendar: Calendar,
    rng: np.random.Generator,
) -> History:
    """Run the monthly simulation over the whole window."""
    simulation = _Simulation(
        seat_role=seat_role,
        seat_manager=seat_manager,
        seat_country=seat_country,
        seat_is_head=seat_is_head,
        seat_opens_month=seat_opens_month,
        book=book,
        turnover=turnover,
        aspiration_share=aspiration_share,
        growth_roles=growth_roles,
        calendar=calendar,
        rng=rng,
    )
    simulation.seed_population()
    for month in range(MONTHS):
        simulation.growth(month)
        simulation.enrol(month)
        simulation.leave(month)
        simulation.fill(month)
    simulation.settle()
    return simulation.result()
