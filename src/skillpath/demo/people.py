"""People, their latent truth and everything observed about them, streamed in blocks.

For each person the generator draws a *true* level per skill (around their role's targets, shifted
by the scenario's built-in shortfalls, tenure and ability, plus skills from earlier roles and
interests), lets learning completions raise it on the day they happen, and then observes it the
way each evidence source does:

| source | habit |
|---|---|
| self | inflated (+0.12) and coarse (whole 5-point levels); most role skills, once or twice |
| manager | noisy with central tendency; about half of the role skills |
| peer | sparse endorsements of skills the person is good at, by teammates |
| assessment | accurate (±0.04) but rare |
| certification | binary at the certificate's level, with an expiry date |
| learning | one per skill of each completed catalog item, at the level it teaches |
| project | fairly accurate, rare, rated by the manager |
| inferred | from the profile text, regressed to the middle and low-confidence |

The truth itself is never written to the product tables; tests can ask for it.
"""

from __future__ import annotations

import bisect
import itertools
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import numpy as np

from skillpath.demo.catalog import DemoItem
from skillpath.demo.company import STREAM_PEOPLE, CompanyPlan, stream
from skillpath.demo.history import NONE, NOT_LEFT, REASONS
from skillpath.demo.names import FIRST_NAMES, HOBBIES, LAST_NAMES, NAME_LANGUAGE_BY_COUNTRY
from skillpath.demo.taxonomy import CERTIFICATIONS, LANGUAGE_SKILL_BY_TAG, SKILLS

BLOCK_SIZE = 1000
STAGE = {
    "e-learning": 0,
    "microlearning": 0,
    "video": 0,
    "reading": 0,
    "assessment": 1,
    "project-based course": 1,
    "workshop": 1,
    "mentorship": 2,
    "capstone": 3,
}
QUICK_KINDS = ("microlearning", "video", "reading")
CONFIDENCE = {
    "self": 0.35,
    "manager": 0.6,
    "peer": 0.45,
    "assessment": 0.9,
    "certification": 0.85,
    "learning": 0.6,
    "project": 0.65,
}
PULSE_MONTH_DAYS = ((3, 15), (6, 15), (9, 15), (12, 15))
PERFORMANCE_CUTS = (-1.6, -0.9, 0.45, 1.3)
"""Latent performance → rating 1–5 (about 5%, 12%, 50%, 22%, 11%)."""
POTENTIAL_CUTS = (-0.2, 1.0)
"""Latent promise → potential 1–3."""
KIND_CODES = {"skill": 0, "knowledge": 1, "tool": 2, "competence": 3, "language": 4}
KIND_TOOL = KIND_CODES["tool"]
KIND_LANGUAGE = KIND_CODES["language"]
MINUTES = tuple(timedelta(minutes=minute) for minute in range(0, 600, 7))


@dataclass(frozen=True)
class IdMaps:
    """Database ids of what people reference (skills may be ESCO skills, see build.py)."""

    skill: list[int]
    role: list[int]
    unit: list[int]
    location: list[int]
    item: list[int]


@dataclass
class PeopleBlock:
    """The rows of one block of people, table by table."""

    employees: list[dict[str, Any]] = field(default_factory=list)
    evidence: list[dict[str, Any]] = field(default_factory=list)
    intents: list[dict[str, Any]] = field(default_factory=list)
    completions: list[dict[str, Any]] = field(default_factory=list)
    ratings: list[dict[str, Any]] = field(default_factory=list)
    engagement: list[dict[str, Any]] = field(default_factory=list)
    departures: list[dict[str, Any]] = field(default_factory=list)
    truth: dict[int, dict[str, float]] = field(default_factory=dict)
    participants: list[int] = field(default_factory=list)


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return "".join(ch for ch in folded.lower() if ch.isalnum())


def _coarse(level: float) -> float:
    """Snap to a whole 5-point level (0.2 … 1.0), as people rate themselves."""
    return float(min(1.0, max(0.2, round(level * 5) / 5)))


def _clip(level: float) -> float:
    return float(min(1.0, max(0.0, level)))


def _moment(day: date, minute: int) -> datetime:
    return datetime.combine(day, time(8, 0), tzinfo=UTC) + timedelta(minutes=minute)


@dataclass
class _Pairs:
    """(person, skill) pairs of a block with their truth, observed together in `_observe`."""

    person: list[int] = field(default_factory=list)
    skill: list[int] = field(default_factory=list)
    base: list[float] = field(default_factory=list)
    final: list[float] = field(default_factory=list)
    raised: list[int] = field(default_factory=list)
    in_role: list[bool] = field(default_factory=list)
    start: list[int] = field(default_factory=list)
    end: list[int] = field(default_factory=list)
    manager: list[int] = field(default_factory=list)

    def add(
        self,
        person: int,
        truth: dict[int, _SkillTruth],
        role_mask: np.ndarray,
        start: int,
        end: int,
        manager_id: int | None,
    ) -> None:
        """Queue a person's skills for observation."""
        count = len(truth)
        self.person.extend([person] * count)
        self.skill.extend(truth)
        for state in truth.values():
            self.base.append(state.base)
            self.final.append(state.final)
            self.raised.append(state.raised_on)
        self.in_role.extend(bool(role_mask[skill]) for skill in truth)
        self.start.extend([start] * count)
        self.end.extend([end] * count)
        self.manager.extend([manager_id - 1 if manager_id is not None else NONE] * count)


@dataclass
class _SkillTruth:
    base: float
    final: float
    raised_on: int = NOT_LEFT

    def at(self, day: int) -> float:
        """The true level on a day (raised from the first completion that raised it)."""
        return self.final if day >= self.raised_on else self.base


class PeopleStream:
    """Generates people block by block in an order where managers come before their reports."""

    def __init__(self, plan: CompanyPlan, ids: IdMaps, *, keep_truth: bool = False) -> None:
        self.plan = plan
        self.ids = ids
        self.keep_truth = keep_truth
        history = plan.history
        self.people = history.people
        self.manager_of = history.manager_of
        self.calendar = plan.calendar
        self.order = self._insertion_order()
        self.position = np.empty(self.order.size, dtype=np.int64)
        self.position[self.order] = np.arange(self.order.size)
        self._index_teams()
        self._index_moves()
        self._index_catalog(plan.catalog)
        self.skill_key = [skill.key for skill in SKILLS]
        self.skill_kind = [skill.kind for skill in SKILLS]
        self.skill_name = [skill.name for skill in SKILLS]
        self.profiles = [
            [(plan.skill_index[line.skill], line.target, line.importance) for line in role.profile]
            for role in plan.roles
        ]
        self.shift = {
            plan.skill_index[key]: value for key, value in plan.scenario.skill_shift.items()
        }
        self.emerging = {plan.skill_index[key] for key in plan.scenario.emerging_skills}
        self.emerging_order = [plan.skill_index[key] for key in plan.scenario.emerging_skills]
        self.email_counts: dict[str, int] = {}
        self.evidence_id = 0
        self.completion_id = 0
        self.intent_id = 0
        self.rating_id = 0
        self.engagement_id = 0
        self.departure_id = 0
        self.hobby_skills = [plan.skill_index[key] for _text, key in HOBBIES]
        self.kind_codes = np.array([KIND_CODES[skill.kind] for skill in SKILLS], dtype=np.int8)
        self.certifiable = np.array([skill.key in CERTIFICATIONS for skill in SKILLS])
        self.role_masks = []
        for profile in self.profiles:
            mask = np.zeros(len(SKILLS), dtype=bool)
            mask[[skill for skill, _t, _i in profile]] = True
            self.role_masks.append(mask)
        self.day_moments: dict[int, datetime] = {}
        calendar = plan.calendar
        self.pulse_days = [
            ((when - calendar.start).days, when)
            for year in range(calendar.start.year, calendar.as_of.year + 1)
            for month, day_of_month in PULSE_MONTH_DAYS
            for when in (date(year, month, day_of_month),)
        ]
        self.name_mix: list[tuple[list[str], list[float]]] = []
        for country in plan.scenario.countries:
            options = NAME_LANGUAGE_BY_COUNTRY.get(country.code, (("en", 1.0),))
            self.name_mix.append(
                ([tag for tag, _w in options], list(itertools.accumulate(w for _t, w in options)))
            )

    # Indexes built once

    def _insertion_order(self) -> np.ndarray:
        """People sorted by depth in the reporting tree, then by manager, then by id."""
        manager = self.manager_of
        depth = np.zeros(manager.size, dtype=np.int32)
        current = manager.copy()
        for _ in range(64):
            has = current >= 0
            if not has.any():
                break
            depth += has
            current = np.where(has, manager[np.maximum(current, 0)], NONE)
        return np.lexsort((np.arange(manager.size), manager, depth))

    def _index_teams(self) -> None:
        manager = self.manager_of
        members = np.flatnonzero(manager >= 0)
        order = np.lexsort((self.position[members], manager[members]))
        self.team_members = members[order]
        self.team_manager = manager[self.team_members]

    def _teammates(self, person: int, limit_position: int) -> np.ndarray:
        manager = int(self.manager_of[person])
        if manager < 0:
            return np.zeros(0, dtype=np.int64)
        low = np.searchsorted(self.team_manager, manager, "left")
        high = np.searchsorted(self.team_manager, manager, "right")
        team: np.ndarray = self.team_members[low:high]
        keep: np.ndarray = (self.position[team] < limit_position) & (team != person)
        chosen: np.ndarray = team[keep]
        return chosen

    def _index_moves(self) -> None:
        moves = self.plan.history.moves
        order = np.lexsort((moves["day"], moves["person"]))
        self.move_person = moves["person"][order]
        self.move_day = moves["day"][order]
        self.move_kind = moves["kind"][order]
        self.move_from = moves["from_seat"][order]
        self.move_to = moves["to_seat"][order]

    def _moves_of(self, person: int) -> range:
        low = int(np.searchsorted(self.move_person, person, "left"))
        high = int(np.searchsorted(self.move_person, person, "right"))
        return range(low, high)

    def _index_catalog(self, catalog: list[DemoItem]) -> None:
        plan = self.plan
        keys = {item.key: i for i, item in enumerate(catalog)}
        self.items = catalog
        self.item_requires = [[keys[key] for key in item.requires_items] for item in catalog]
        self.item_teaches = [
            [(plan.skill_index[skill], level) for skill, level in item.teaches] for item in catalog
        ]
        self.teaching: dict[int, list[tuple[float, int, int]]] = {}
        self.quick: dict[int, list[int]] = {}
        for index, item in enumerate(catalog):
            if item.mandatory_for:
                continue
            for skill, level in self.item_teaches[index]:
                if item.kind != "assessment":
                    self.teaching.setdefault(skill, []).append((level, item.minutes, index))
                if item.kind in QUICK_KINDS:
                    self.quick.setdefault(skill, []).append(index)
        for options in self.teaching.values():
            options.sort()
        self.mandatory: list[tuple[int, tuple[str, ...]]] = [
            (index, item.mandatory_for) for index, item in enumerate(catalog) if item.mandatory_for
        ]
        self.assessments = {
            plan.skill_index[item.teaches[0][0]]: index
            for index, item in enumerate(catalog)
            if item.kind == "assessment"
        }

    # The stream

    def blocks(self) -> Iterator[PeopleBlock]:
        """Blocks of people in insertion order (managers before reports)."""
        for number, start in enumerate(range(0, self.order.size, BLOCK_SIZE)):
            members = self.order[start : start + BLOCK_SIZE]
            rng = stream(self.plan.seed, STREAM_PEOPLE, number)
            block = PeopleBlock()
            limit = start + members.size
            pairs = _Pairs()
            for person in members:
                self._person(int(person), rng, block, limit, pairs)
            self._observe(pairs, rng, block, limit)
            yield block

    # One person

    def _roles_held(self, person: int) -> list[tuple[int, int, int]]:
        """(role, from day, kind of the move into it; -1 for the first) in order."""
        people = self.people
        seat_role = self.plan.org.seat_role
        held = [(int(people["first_role"][person]), int(people["hired_day"][person]), -1)]
        for index in self._moves_of(person):
            held.append(
                (
                    int(seat_role[self.move_to[index]]),
                    int(self.move_day[index]),
                    int(self.move_kind[index]),
                )
            )
        return held

    def _truth(
        self, person: int, held: list[tuple[int, int, int]], rng: np.random.Generator
    ) -> tuple[dict[int, _SkillTruth], list[int]]:
        plan = self.plan
        people = self.people
        ability = float(people["ability"][person])
        end_day = min(int(people["left_day"][person]), self.calendar.days)
        truth: dict[int, _SkillTruth] = {}
        current_role, since, arrival = held[-1]
        years_in_role = (end_day - since) / 365.0
        tenure = -0.12 if years_in_role < 1 else (-0.05 if years_in_role < 2 else 0.0)
        tenure += 0.03 if years_in_role > 5 else 0.0
        level = int(plan.book.level[current_role])
        earlier = {skill for role, _d, _k in held[:-1] for skill, _t, _i in self.profiles[role]}
        for role, _day, _kind in held[:-1]:
            for skill, target, _importance in self.profiles[role]:
                value = target + self.shift.get(skill, 0.0) + rng.normal(-0.05, 0.1)
                truth[skill] = _SkillTruth(_clip(value), _clip(value))
        noise = rng.normal(0.0, 0.1, len(self.profiles[current_role]))
        for (skill, target, _importance), jitter in zip(
            self.profiles[current_role], noise, strict=True
        ):
            if arrival == 2 and skill not in earlier:
                value = 0.25 + 0.3 * jitter
            else:
                value = target + self.shift.get(skill, 0.0) + 0.05 * ability + tenure + jitter
            if skill in self.emerging:
                value += 0.15 if level <= 2 else -0.1
            value = _clip(max(value, truth[skill].base if skill in truth else 0.0))
            truth[skill] = _SkillTruth(value, value)
        for skill in rng.choice(len(SKILLS), size=int(rng.integers(1, 4)), replace=False):
            skill = int(skill)
            if skill not in truth and self.skill_kind[skill] != "language":
                value = float(rng.uniform(0.15, 0.65))
                truth[skill] = _SkillTruth(value, value)
        # Emerging technology is picked up outside the role, mostly by juniors (reverse mentoring).
        family = plan.roles[current_role].family
        for skill in self.emerging_order if family in plan.scenario.emerging_families else ():
            if skill in truth:
                continue
            if level <= 2 and rng.random() < 0.45:
                value = float(rng.uniform(0.45, 0.85))
            elif level > 2 and rng.random() < 0.15:
                value = float(rng.uniform(0.1, 0.4))
            else:
                continue
            truth[skill] = _SkillTruth(value, value)
        hobbies: list[int] = []
        if rng.random() < 0.45:
            hobby = int(rng.integers(len(HOBBIES)))
            hobbies.append(hobby)
            skill = self.hobby_skills[hobby]
            value = float(rng.uniform(0.35, 0.7))
            if skill not in truth or truth[skill].base < value:
                truth[skill] = _SkillTruth(value, value)
        return truth, hobbies

    def _languages(self, country: int, role: int, rng: np.random.Generator) -> list[str]:
        spec = self.plan.scenario.countries[country]
        languages = [spec.language]
        hq = self.plan.book.level[role] >= 2
        for tag, odds in spec.second_languages:
            if tag not in languages and rng.random() < odds * (1.3 if hq else 0.8):
                languages.append(tag)
        return languages

    def _name(self, country: int, rng: np.random.Generator) -> tuple[str, str]:
        tags, cumulative = self.name_mix[country]
        draws = rng.random(3)
        tag = tags[bisect.bisect_right(cumulative, draws[0] * cumulative[-1])]
        firsts, lasts = FIRST_NAMES[tag], LAST_NAMES[tag]
        return firsts[int(draws[1] * len(firsts))], lasts[int(draws[2] * len(lasts))]

    def _email(self, first: str, last: str) -> str:
        base = f"{_ascii(first)}.{_ascii(last)}"
        seen = self.email_counts.get(base, 0)
        self.email_counts[base] = seen + 1
        suffix = "" if seen == 0 else str(seen + 1)
        return f"{base}{suffix}@{self.plan.scenario.email_domain}"

    def _path_items(
        self, role: int, truth: dict[int, _SkillTruth], rng: np.random.Generator
    ) -> list[int]:
        """Items closing the biggest gaps to a role, with their prerequisites, in order."""
        gaps = []
        for skill, target, importance in self.profiles[role]:
            current = truth[skill].final if skill in truth else 0.0
            if current < target - 0.05 and skill in self.teaching:
                gaps.append((-(target - current) * importance, skill, target))
        gaps.sort()
        chosen: list[int] = []
        for _gap, skill, target in gaps[: int(rng.integers(2, 5))]:
            options = self.teaching[skill]
            reaching = [option for option in options if option[0] >= target - 1e-9]
            pick = min(reaching, key=lambda o: (o[1], o[2])) if reaching else options[-1]
            stack = [pick[2]]
            while stack:
                item = stack.pop()
                if item not in chosen:
                    chosen.append(item)
                    stack.extend(self.item_requires[item])
        chosen.sort(key=lambda item: (STAGE[self.items[item].kind], self._depth(item), item))
        return chosen

    def _depth(self, item: int) -> int:
        depth = 0
        frontier = self.item_requires[item]
        while frontier and depth < 10:
            depth += 1
            frontier = [req for parent in frontier for req in self.item_requires[parent]]
        return depth

    def _completions(
        self,
        person: int,
        held: list[tuple[int, int, int]],
        truth: dict[int, _SkillTruth],
        rng: np.random.Generator,
    ) -> list[tuple[int, int, str]]:
        """(item, day, source) of everything the person completed in the window."""
        people = self.people
        plan = self.plan
        days = self.calendar.days
        hired = max(int(people["hired_day"][person]), 0)
        end = min(int(people["left_day"][person]), days)
        done: list[tuple[int, int, str]] = []
        family = plan.roles[held[-1][0]].family
        for year in range(3):
            day = self.calendar.month_starts[12 * year] + int(rng.integers(0, 330))
            if hired <= day < end:
                for item, families in self.mandatory:
                    if "*" in families or family in families:
                        done.append((item, day, "lms"))
        aspiration = int(people["aspiration"][person])
        years = max(0.0, (end - hired) / 365.0)
        for _ in range(int(rng.poisson(0.7 * years))):
            role = aspiration if aspiration >= 0 and rng.random() < 0.3 else held[-1][0]
            skill = self.profiles[role][int(rng.integers(len(self.profiles[role])))][0]
            options = self.quick.get(skill)
            if options:
                day = int(rng.integers(hired, end)) if end > hired else hired
                done.append((options[int(rng.integers(len(options)))], day, "lms"))
        start = int(people["program_start"][person])
        if start >= 0:
            target = int(people["program_role"][person])
            if target < 0:
                target = held[0][0]
                for role, since, _kind in held:
                    if since <= start:
                        target = role
            items = self._path_items(target, truth, rng)
            finish = int(people["program_end"][person])
            total = sum(self.items[item].minutes for item in items) or 1
            elapsed = 0
            for item in items:
                elapsed += self.items[item].minutes
                day = start + int((finish - start) * elapsed / total)
                if day < end:
                    done.append((item, day, "program"))
        done.sort(key=lambda entry: entry[1])
        unique: dict[tuple[int, int], tuple[int, int, str]] = {}
        for item, day, source in done:
            unique.setdefault((item, day), (item, day, source))
        return list(unique.values())

    def _raise(
        self,
        truth: dict[int, _SkillTruth],
        done: list[tuple[int, int, str]],
        rng: np.random.Generator,
    ) -> None:
        for item, day, _source in done:
            if self.items[item].kind == "assessment":
                continue
            for skill, level in self.item_teaches[item]:
                reached = _clip(level - abs(rng.normal(0.0, 0.05)))
                state = truth.get(skill)
                if state is None:
                    truth[skill] = _SkillTruth(0.1, max(0.1, reached), day)
                elif reached > state.final:
                    state.final = reached
                    state.raised_on = min(state.raised_on, day)

    def _person(
        self,
        person: int,
        rng: np.random.Generator,
        block: PeopleBlock,
        limit: int,
        pairs: _Pairs,
    ) -> None:
        plan = self.plan
        people = self.people
        org = plan.org
        calendar = self.calendar
        seat = int(people["seat"][person])
        role = int(people["role"][person])
        country = int(org.seat_country[seat])
        unit = int(org.seat_unit[seat])
        hired_day = int(people["hired_day"][person])
        left_day = int(people["left_day"][person])
        end = min(left_day, calendar.days)
        start = max(hired_day, 0)
        manager = int(self.manager_of[person])
        employee_id = person + 1
        manager_id = manager + 1 if manager >= 0 else None
        first, last = self._name(country, rng)
        languages = self._languages(country, role, rng)
        held = self._roles_held(person)
        truth, hobbies = self._truth(person, held, rng)
        for rank, tag in enumerate(languages):
            skill_key = LANGUAGE_SKILL_BY_TAG.get(tag)
            if skill_key is not None:
                value = 1.0 if rank == 0 else float(rng.uniform(0.4, 0.85))
                truth[plan.skill_index[skill_key]] = _SkillTruth(value, value)
        done = self._completions(person, held, truth, rng)
        self._raise(truth, done, rng)
        is_story = person in (plan.story.employee, plan.story.second_employee)
        role_spec = plan.roles[role]
        location = plan.scenario.countries[country]
        city = org.locations[int(org.seat_location[seat])].city
        mentioned = sorted(
            (skill for skill, _t, _i in self.profiles[role] if skill in truth),
            key=lambda skill: -truth[skill].base,
        )[:3]
        previous = [plan.roles[r].title for r, _d, _k in held[:-1] if r != role]
        text = (
            f"{first} {last} works as {role_spec.title} in {org.units[unit].name} ({city}, "
            f"{location.name}) and joined {plan.scenario.company} in "
            f"{calendar.to_date(hired_day).year}. Day to day: "
            + ", ".join(self.skill_name[skill].lower() for skill in mentioned)
            + "."
        )
        if previous:
            text += f" Previously {previous[-1]}."
        for hobby in hobbies:
            text += f" Outside work, {first} {HOBBIES[hobby][0]}."
            mentioned.append(self.hobby_skills[hobby])
        block.employees.append(
            {
                "id": employee_id,
                "external_id": f"E{employee_id:07d}",
                "first_name": first,
                "last_name": last,
                "name_lower": f"{first} {last}".lower(),
                "email": self._email(first, last),
                "job_title": role_spec.title,
                "manager_id": manager_id,
                "org_unit_id": self.ids.unit[unit],
                "role_id": self.ids.role[role],
                "location_id": self.ids.location[int(org.seat_location[seat])],
                "hired_on": calendar.to_date(hired_day),
                "left_on": calendar.to_date(left_day) if left_day != NOT_LEFT else None,
                "languages": languages,
                "profile_text": text,
                "updated_at": _moment(calendar.to_date(end if end > start else start), 0),
            }
        )
        if end <= start:
            return
        self._completion_rows(employee_id, done, rng, block)
        pairs.add(person, truth, self.role_masks[role], start, end, manager_id)
        self._other_evidence(person, truth, done, mentioned, rng, block, start, end)
        self._intent_rows(person, role, truth, rng, block, is_story)
        self._rating_rows(person, rng, block, start, end, is_story)
        self._pulse_rows(person, held, rng, block, start, end)
        if left_day != NOT_LEFT:
            reason = REASONS[int(people["reason"][person])]
            self.departure_id += 1
            block.departures.append(
                {
                    "id": self.departure_id,
                    "employee_id": employee_id,
                    "left_on": calendar.to_date(left_day),
                    "reason": reason,
                    "regretted": reason == "voluntary" and float(people["ability"][person]) > 0.4,
                }
            )
        if int(people["program_start"][person]) >= 0:
            block.participants.append(person)
        if self.keep_truth and left_day == NOT_LEFT:
            block.truth[person] = {
                self.skill_key[skill]: state.final for skill, state in truth.items()
            }

    def _completion_rows(
        self,
        employee_id: int,
        done: list[tuple[int, int, str]],
        rng: np.random.Generator,
        block: PeopleBlock,
    ) -> None:
        scores = np.round(rng.uniform(0.6, 1.0, len(done)), 2).tolist()
        for (item, day, source), score in zip(done, scores, strict=True):
            self.completion_id += 1
            scored = self.items[item].kind in ("assessment", "e-learning")
            block.completions.append(
                {
                    "id": self.completion_id,
                    "employee_id": employee_id,
                    "item_id": self.ids.item[item],
                    "completed_at": self._moment(day, self.completion_id * 3),
                    "score": score if scored else None,
                    "source": source,
                    "notes": "",
                }
            )

    def _observe(
        self, pairs: _Pairs, rng: np.random.Generator, block: PeopleBlock, limit: int
    ) -> None:
        """Self, manager, project, peer and assessment evidence of a whole block at once."""
        if not pairs.skill:
            return
        person = np.array(pairs.person, dtype=np.int64)
        skills = np.array(pairs.skill, dtype=np.int64)
        base = np.array(pairs.base)
        final = np.array(pairs.final)
        raised = np.array(pairs.raised, dtype=np.int64)
        in_role = np.array(pairs.in_role, dtype=bool)
        start = np.array(pairs.start, dtype=np.int64)
        end = np.array(pairs.end, dtype=np.int64)
        manager = np.array(pairs.manager, dtype=np.int64)
        kind = self.kind_codes[skills]
        count = skills.size
        draws = rng.random((count, 6))

        def observe(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            span = end[rows] - start[rows]
            days = start[rows] + (rng.random(rows.size) * span).astype(np.int64)
            return days, np.where(days >= raised[rows], final[rows], base[rows])

        def coarse(levels: np.ndarray) -> np.ndarray:
            return np.clip(np.round(levels * 5) / 5, 0.2, 1.0)

        has_manager = manager >= 0
        wants_self = draws[:, 0] < np.where(in_role, 0.8, 0.35)
        repeats = wants_self.astype(np.int64) * (1 + (draws[:, 1] < 0.35))
        rows = np.repeat(np.arange(count), repeats)
        days, levels = observe(rows)
        levels = coarse(levels + 0.12 + rng.normal(0.0, 0.1, rows.size))
        self._emit(block, "self", person[rows] + 1, skills[rows], levels, days, person[rows] + 1)
        rows = np.flatnonzero(in_role & has_manager & (draws[:, 2] < 0.55))
        days, levels = observe(rows)
        levels = coarse(0.75 * levels + 0.15 + rng.normal(0.0, 0.12, rows.size))
        self._emit(
            block, "manager", person[rows] + 1, skills[rows], levels, days, manager[rows] + 1
        )
        rows = np.flatnonzero(in_role & has_manager & (draws[:, 3] < 0.03))
        days, levels = observe(rows)
        levels = np.clip(levels + rng.normal(0.0, 0.08, rows.size), 0.01, 1.0)
        self._emit(
            block,
            "project",
            person[rows] + 1,
            skills[rows],
            levels,
            days,
            manager[rows] + 1,
            note="Rated at the end of a project",
        )
        rows = np.flatnonzero((final >= 0.5) & (kind != KIND_LANGUAGE) & (draws[:, 4] < 0.1))
        peers = np.full(rows.size, NONE, dtype=np.int64)
        for position, row in enumerate(rows.tolist()):
            teammates = self._teammates(int(person[row]), limit)
            if teammates.size:
                peers[position] = teammates[int(draws[row, 5] * 997) % teammates.size]
        rows, peers = rows[peers >= 0], peers[peers >= 0]
        days, levels = observe(rows)
        levels = coarse(levels + 0.05 + rng.normal(0.0, 0.12, rows.size))
        self._emit(block, "peer", person[rows] + 1, skills[rows], levels, days, peers + 1)
        rows = np.flatnonzero((kind <= KIND_TOOL) & (draws[:, 5] < 0.05))
        days, levels = observe(rows)
        levels = np.clip(levels + rng.normal(0.0, 0.04, rows.size), 0.01, 1.0)
        items = [
            self.ids.item[self.assessments[skill]] if skill in self.assessments else None
            for skill in skills[rows].tolist()
        ]
        self._emit(
            block, "assessment", person[rows] + 1, skills[rows], levels, days, None, items=items
        )

    def _emit(
        self,
        block: PeopleBlock,
        source: str,
        employees: np.ndarray,
        skills: np.ndarray,
        levels: np.ndarray,
        days: np.ndarray,
        raters: np.ndarray | None,
        *,
        items: list[int | None] | None = None,
        note: str = "",
    ) -> None:
        """Append evidence rows from parallel arrays."""
        confidence = CONFIDENCE[source]
        skill_ids = self.ids.skill
        rater_list = raters.tolist() if raters is not None else [None] * employees.size
        item_list = items if items is not None else [None] * employees.size
        rows = block.evidence
        for employee, skill, level, day, rater, item in zip(
            employees.tolist(),
            skills.tolist(),
            np.round(levels, 3).tolist(),
            days.tolist(),
            rater_list,
            item_list,
            strict=True,
        ):
            self.evidence_id += 1
            moment = self._moment(day, self.evidence_id)
            rows.append(
                {
                    "id": self.evidence_id,
                    "fingerprint": self.evidence_id,
                    "employee_id": employee,
                    "skill_id": skill_ids[skill],
                    "source": source,
                    "rater_id": rater,
                    "level": level,
                    "confidence": confidence,
                    "observed_at": moment,
                    "expires_on": None,
                    "item_id": item,
                    "note": note,
                    "recorded_at": moment,
                }
            )

    def _other_evidence(
        self,
        person: int,
        truth: dict[int, _SkillTruth],
        done: list[tuple[int, int, str]],
        mentioned: list[int],
        rng: np.random.Generator,
        block: PeopleBlock,
        start: int,
        end: int,
    ) -> None:
        """Certifications, learning completions and skills inferred from the profile text."""
        employee_id = person + 1
        certifiable = [skill for skill in truth if self.certifiable[skill]]
        if certifiable:
            self._certifications(
                person,
                np.array(certifiable, dtype=np.int64),
                np.array([truth[skill].final for skill in certifiable]),
                rng,
                block,
                start,
                end,
            )
        for item, day, _source in done:
            if self.items[item].kind == "assessment":
                continue
            note = f"Completed {self.items[item].title}"
            for skill, level in self.item_teaches[item]:
                self._add_evidence(
                    block,
                    employee_id,
                    skill,
                    "learning",
                    level,
                    day,
                    rng,
                    confidence=CONFIDENCE["learning"],
                    item=self.ids.item[item],
                    note=note,
                )
        for skill in dict.fromkeys(mentioned):
            if skill in truth:
                level = _clip(0.3 + 0.4 * truth[skill].base + rng.normal(0.0, 0.1))
                self._add_evidence(
                    block,
                    employee_id,
                    skill,
                    "inferred",
                    max(level, 0.05),
                    start,
                    rng,
                    confidence=round(float(rng.uniform(0.15, 0.35)), 2),
                    note="Inferred from the profile text",
                )

    def _certifications(
        self,
        person: int,
        skills: np.ndarray,
        final: np.ndarray,
        rng: np.random.Generator,
        block: PeopleBlock,
        start: int,
        end: int,
    ) -> None:
        """Certificates for certifiable skills held at their level, renewed or left to expire."""
        calendar = self.calendar
        country = self.plan.scenario.countries[
            int(self.plan.org.seat_country[int(self.people["seat"][person])])
        ].code
        for row in np.flatnonzero(self.certifiable[skills]).tolist():
            skill = int(skills[row])
            certificate = CERTIFICATIONS[self.skill_key[skill]]
            if final[row] < certificate.level - 0.05:
                continue
            if certificate.countries and country not in certificate.countries:
                continue
            if rng.random() >= 0.6:
                continue
            day = max(int(rng.integers(start - 365 * 2, end)), start - 365 * 3)
            while True:
                issued = calendar.to_date(day)
                expires = issued + timedelta(days=365 * certificate.valid_years)
                self._add_evidence(
                    block,
                    person + 1,
                    skill,
                    "certification",
                    certificate.level,
                    max(day, start),
                    rng,
                    confidence=CONFIDENCE["certification"],
                    expires=expires,
                    note=certificate.name,
                )
                renewal = (expires - calendar.start).days
                if renewal >= end or rng.random() < 0.4:
                    break
                day = renewal

    def _add_evidence(
        self,
        block: PeopleBlock,
        employee_id: int,
        skill: int,
        source: str,
        level: float,
        day: int,
        rng: np.random.Generator,
        *,
        confidence: float,
        rater: int | None = None,
        expires: date | None = None,
        item: int | None = None,
        note: str = "",
    ) -> None:
        self.evidence_id += 1
        moment = self._moment(day, self.evidence_id)
        block.evidence.append(
            {
                "id": self.evidence_id,
                "fingerprint": self.evidence_id,
                "employee_id": employee_id,
                "skill_id": self.ids.skill[skill],
                "source": source,
                "rater_id": rater,
                "level": round(level, 3),
                "confidence": confidence,
                "observed_at": moment,
                "expires_on": expires,
                "item_id": item,
                "note": note,
                "recorded_at": moment,
            }
        )

    def _moment(self, day: int, salt: int) -> datetime:
        """A working-hours timestamp on a day of the window (cached per day)."""
        base = self.day_moments.get(day)
        if base is None:
            base = _moment(self.calendar.to_date(day), 0)
            self.day_moments[day] = base
        return base + MINUTES[salt * 7919 % len(MINUTES)]

    def _intent_rows(
        self,
        person: int,
        role: int,
        truth: dict[int, _SkillTruth],
        rng: np.random.Generator,
        block: PeopleBlock,
        is_story: bool,
    ) -> None:
        people = self.people
        if int(people["left_day"][person]) != NOT_LEFT:
            return
        intents: dict[int, str] = {}
        aspiration = int(people["aspiration"][person])
        if aspiration >= 0:
            gaps = sorted(
                (
                    (
                        -(target - (truth[skill].final if skill in truth else 0.0)) * importance,
                        skill,
                    )
                    for skill, target, importance in self.profiles[aspiration]
                    if (truth[skill].final if skill in truth else 0.0) < target
                ),
            )
            count = 4 if is_story else int(rng.integers(2, 6))
            for _gap, skill in gaps[:count]:
                intents[skill] = "develop"
        if rng.random() < 0.25:
            strongest = sorted(truth, key=lambda skill: -truth[skill].final)[:2]
            for skill in strongest:
                intents.setdefault(skill, "have")
        if rng.random() < 0.05:
            options = [skill for skill, _t, _i in self.profiles[role] if skill not in intents]
            if options:
                intents[options[int(rng.integers(len(options)))]] = "not_now"
        moment = _moment(self.calendar.as_of, 0) - timedelta(days=int(rng.integers(1, 200)))
        for skill, intent in intents.items():
            self.intent_id += 1
            block.intents.append(
                {
                    "id": self.intent_id,
                    "employee_id": person + 1,
                    "skill_id": self.ids.skill[skill],
                    "intent": intent,
                    "updated_at": moment,
                }
            )

    def _rating_rows(
        self,
        person: int,
        rng: np.random.Generator,
        block: PeopleBlock,
        start: int,
        end: int,
        is_story: bool,
    ) -> None:
        people = self.people
        calendar = self.calendar
        ability = float(people["ability"][person])
        engagement = float(people["engagement"][person])
        level = int(self.plan.book.level[int(people["role"][person])])
        manager = int(self.manager_of[person])
        for year in range(calendar.start.year, calendar.as_of.year + 1):
            period_end = date(year, 12, 31)
            day = (period_end - calendar.start).days
            if not (start + 90 <= day < end):
                continue
            noise = rng.normal(0.0, 1.0, 2)
            latent = 0.6 * ability + 2.5 * (engagement - 0.6) + 0.6 * float(noise[0])
            performance = bisect.bisect_right(PERFORMANCE_CUTS, latent) + 1
            promise = ability + (0.3 if level <= 3 else 0.0) + 0.7 * float(noise[1])
            potential = bisect.bisect_right(POTENTIAL_CUTS, promise) + 1
            if is_story:
                performance, potential = max(performance, 4), max(potential, 2)
            self.rating_id += 1
            block.ratings.append(
                {
                    "id": self.rating_id,
                    "employee_id": person + 1,
                    "period_end": period_end,
                    "performance": performance,
                    "potential": potential,
                    "rated_by_id": manager + 1 if manager >= 0 else None,
                }
            )

    def _pulse_rows(
        self,
        person: int,
        held: list[tuple[int, int, int]],
        rng: np.random.Generator,
        block: PeopleBlock,
        start: int,
        end: int,
    ) -> None:
        people = self.people
        engagement = float(people["engagement"][person])
        program_start = int(people["program_start"][person])
        voluntary_exit = (
            int(people["left_day"][person]) != NOT_LEFT and int(people["reason"][person]) == 0
        )
        move_days = [since for _role, since, kind in held if kind >= 0]
        last_growth = max([int(people["hired_day"][person]), *move_days])
        pulses = [(day, when) for day, when in self.pulse_days if start <= day < end]
        noise = rng.normal(0.0, 0.07, len(pulses)).tolist()
        for (day, when), jitter in zip(pulses, noise, strict=True):
            score = engagement + jitter
            if any(0 <= day - moved < 365 for moved in move_days):
                score += 0.05
            if 0 <= program_start <= day:
                score += 0.03
            if day - last_growth > 730:
                score -= 0.05
            if voluntary_exit and end - day < 180:
                score -= 0.1
            self.engagement_id += 1
            block.engagement.append(
                {
                    "id": self.engagement_id,
                    "employee_id": person + 1,
                    "observed_on": when,
                    "score": round(_clip(score), 3),
                }
            )
