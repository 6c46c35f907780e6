"""Inputs and outputs of the learning-path planner: frozen dataclasses over numpy arrays.

Items and skills are dense indexes (items 0..n−1, skills 0..skill_count−1) that the caller maps
from database ids. Levels are latent values in [0, 1]; two levels are compared with a tolerance
of `EPSILON` so that 3/5 and 0.6 are the same level. Money is compared in whole cents and time in
whole minutes, so every tie is exact.

The inputs map one to one onto the learning tables: `Catalog` holds `LearningItem` (kind,
minutes, cost, offline), `ItemLocale`, `ItemSkill` (level gained) and `ItemPrerequisite` (an item,
or a skill at a level); `Gaps` holds the gap engine's rows for one person (skill, target level,
current level); `Learner` holds the person's consolidated levels and completed items; and
`Constraints` holds what the person asked for.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from types import MappingProxyType

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

EPSILON = 1e-9
"""Two levels closer than this are equal."""

PEDAGOGY_STAGE: Mapping[str, int] = MappingProxyType(
    {
        "e-learning": 0,
        "microlearning": 0,
        "video": 0,
        "reading": 0,
        "assessment": 0,
        "project-based course": 1,
        "workshop": 1,
        "mentorship": 2,
        "capstone": 3,
    }
)
"""Pedagogy stage of each catalog kind: foundations, then practice, mentorship and a capstone."""

STAGE_NAMES = ("foundations", "practice", "mentorship", "capstone")
"""Name of each pedagogy stage, by stage number."""

OPTIMAL = "optimal"
"""The plan is proven optimal (lexicographically: gaps closed, then hours, then cost)."""
TIME_LIMIT = "time_limit"
"""The solver stopped at its time limit: the plan is valid, not proven optimal, never worse than
the greedy plan."""
NO_GAPS = "no_gaps"
"""There is nothing to learn: every target is already met."""
IMPOSSIBLE = "impossible"
"""No plan can be made: the explanations say why."""
GREEDY = "greedy"
"""A plan made by the greedy reference planner."""
STATUSES = (OPTIMAL, TIME_LIMIT, NO_GAPS, IMPOSSIBLE, GREEDY)

CONSTRAINT_NAMES = (
    "completed",
    "locale",
    "offline_only",
    "avoid_kinds",
    "budget",
    "deadline",
)
"""Per-item exclusions, in the order they are reported (bit k of an exclusion mask)."""


def _normal_locale(tag: str) -> str:
    return tag.strip().replace("_", "-").lower()


def _language(tag: str) -> str:
    return tag.split("-", 1)[0]


def _as_int(values: npt.ArrayLike, name: str) -> IntArray:
    array = np.asarray(values)
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional")
    if array.size and not np.issubdtype(array.dtype, np.integer):
        raise ValueError(f"{name} must hold integers")
    return array.astype(np.int64)


def _as_float(values: npt.ArrayLike, name: str) -> FloatArray:
    array = np.asarray(values, dtype=np.float64)
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must be finite numbers")
    return array


def _check_index(values: IntArray, size: int, name: str) -> None:
    if values.size and (values.min() < 0 or values.max() >= size):
        raise ValueError(f"{name} out of range (0..{size - 1})")


def _check_level(values: FloatArray, name: str, *, allow_zero: bool) -> None:
    low_ok = values >= 0 if allow_zero else values > 0
    if not np.all(low_ok & (values <= 1)):
        interval = "[0, 1]" if allow_zero else "(0, 1]"
        raise ValueError(f"{name} must be in {interval}")


def _unique_pairs(first: IntArray, second: IntArray, width: int, message: str) -> None:
    keys = first * width + second
    if np.unique(keys).size != keys.size:
        raise ValueError(message)


@dataclass(frozen=True)
class CatalogIndex:
    """Per-item and per-skill views of a catalog as plain Python tuples (built once)."""

    stage: tuple[int, ...]
    cents: tuple[int, ...]
    minutes: tuple[int, ...]
    teaches: tuple[tuple[tuple[int, float], ...], ...]
    """Per item: (skill, level gained)."""
    requires_items: tuple[tuple[int, ...], ...]
    """Per item: the items it requires."""
    requires_skills: tuple[tuple[tuple[int, float], ...], ...]
    """Per item: (skill, level) it requires."""
    teachers: Mapping[int, tuple[tuple[float, int], ...]]
    """Per taught skill: (level, item), highest level first, then lowest item."""
    kind_code: IntArray
    exact_locale: Mapping[str, BoolArray]
    bare_language: Mapping[str, BoolArray]
    any_of_language: Mapping[str, BoolArray]
    no_locale: BoolArray


@dataclass(frozen=True, eq=False)
class Catalog:
    """The learning catalog as parallel arrays (one row per item, per skill taught, per
    prerequisite). `cost` is in the catalog currency; `locales[i]` lists the locales item i is
    available in (none listed: available in every locale)."""

    minutes: IntArray
    cost: FloatArray
    kind: tuple[str, ...]
    offline: BoolArray
    locales: tuple[tuple[str, ...], ...]
    teach_item: IntArray
    teach_skill: IntArray
    teach_level: FloatArray
    skill_count: int
    prerequisite_item: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    prerequisite_required_item: IntArray = field(
        default_factory=lambda: np.zeros(0, dtype=np.int64)
    )
    skill_prerequisite_item: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    skill_prerequisite_skill: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    skill_prerequisite_level: FloatArray = field(default_factory=lambda: np.zeros(0))

    def __post_init__(self) -> None:
        """Validate shapes, ranges, kinds and uniqueness; reject malformed catalogs."""
        set_ = object.__setattr__
        set_(self, "minutes", _as_int(self.minutes, "minutes"))
        set_(self, "cost", _as_float(self.cost, "cost"))
        set_(self, "offline", np.asarray(self.offline, dtype=np.bool_))
        for name in (
            "teach_item",
            "teach_skill",
            "prerequisite_item",
            "prerequisite_required_item",
        ):
            set_(self, name, _as_int(getattr(self, name), name))
        set_(self, "skill_prerequisite_item", _as_int(self.skill_prerequisite_item, "skill_prereq"))
        set_(
            self,
            "skill_prerequisite_skill",
            _as_int(self.skill_prerequisite_skill, "skill_prerequisite_skill"),
        )
        set_(self, "teach_level", _as_float(self.teach_level, "teach_level"))
        set_(
            self,
            "skill_prerequisite_level",
            _as_float(self.skill_prerequisite_level, "skill_prerequisite_level"),
        )
        n = self.minutes.size
        if self.skill_count < 0:
            raise ValueError("skill_count must not be negative")
        if self.cost.shape != (n,) or self.offline.shape != (n,):
            raise ValueError(f"cost and offline must have one value per item ({n})")
        if len(self.kind) != n or len(self.locales) != n:
            raise ValueError(f"kind and locales must have one entry per item ({n})")
        if np.any(self.minutes <= 0):
            raise ValueError("every item must take a positive number of minutes")
        if np.any(self.cost < 0):
            raise ValueError("costs must not be negative")
        unknown = sorted(set(self.kind) - set(PEDAGOGY_STAGE))
        if unknown:
            raise ValueError(f"unknown item kind(s): {', '.join(unknown)}")
        for tags in self.locales:
            if any(not tag.strip() for tag in tags):
                raise ValueError("a locale must not be empty")
        teach = self.teach_item.size
        if self.teach_skill.shape != (teach,) or self.teach_level.shape != (teach,):
            raise ValueError("teach_item, teach_skill and teach_level must have the same length")
        _check_index(self.teach_item, n, "teach_item")
        _check_index(self.teach_skill, self.skill_count, "teach_skill")
        _check_level(self.teach_level, "teach_level", allow_zero=False)
        _unique_pairs(
            self.teach_item,
            self.teach_skill,
            max(self.skill_count, 1),
            "an item teaches a skill twice",
        )
        prereq = self.prerequisite_item.size
        if self.prerequisite_required_item.shape != (prereq,):
            raise ValueError("prerequisite_item and prerequisite_required_item differ in length")
        _check_index(self.prerequisite_item, n, "prerequisite_item")
        _check_index(self.prerequisite_required_item, n, "prerequisite_required_item")
        if np.any(self.prerequisite_item == self.prerequisite_required_item):
            raise ValueError("an item cannot require itself")
        _unique_pairs(
            self.prerequisite_item,
            self.prerequisite_required_item,
            max(n, 1),
            "an item requires the same item twice",
        )
        skill_prereq = self.skill_prerequisite_item.size
        if self.skill_prerequisite_skill.shape != (skill_prereq,) or (
            self.skill_prerequisite_level.shape != (skill_prereq,)
        ):
            raise ValueError("skill prerequisite arrays must have the same length")
        _check_index(self.skill_prerequisite_item, n, "skill_prerequisite_item")
        _check_index(self.skill_prerequisite_skill, self.skill_count, "skill_prerequisite_skill")
        _check_level(self.skill_prerequisite_level, "skill_prerequisite_level", allow_zero=False)
        _unique_pairs(
            self.skill_prerequisite_item,
            self.skill_prerequisite_skill,
            max(self.skill_count, 1),
            "an item requires the same skill twice",
        )

    @property
    def size(self) -> int:
        """Number of items."""
        return int(self.minutes.size)

    @cached_property
    def index(self) -> CatalogIndex:
        """Per-item and per-skill lookups, built on first use and kept with the catalog."""
        n = self.size
        teaches: list[list[tuple[int, float]]] = [[] for _ in range(n)]
        teachers: dict[int, list[tuple[float, int]]] = {}
        for item, skill, level in zip(
            self.teach_item.tolist(),
            self.teach_skill.tolist(),
            self.teach_level.tolist(),
            strict=True,
        ):
            teaches[item].append((skill, level))
            teachers.setdefault(skill, []).append((level, item))
        requires_items: list[list[int]] = [[] for _ in range(n)]
        for item, required in zip(
            self.prerequisite_item.tolist(), self.prerequisite_required_item.tolist(), strict=True
        ):
            requires_items[item].append(required)
        requires_skills: list[list[tuple[int, float]]] = [[] for _ in range(n)]
        for item, skill, level in zip(
            self.skill_prerequisite_item.tolist(),
            self.skill_prerequisite_skill.tolist(),
            self.skill_prerequisite_level.tolist(),
            strict=True,
        ):
            requires_skills[item].append((skill, level))
        exact: dict[str, BoolArray] = {}
        bare: dict[str, BoolArray] = {}
        anyof: dict[str, BoolArray] = {}
        no_locale = np.zeros(n, dtype=np.bool_)
        for item, tags in enumerate(self.locales):
            if not tags:
                no_locale[item] = True
            for tag in tags:
                normal = _normal_locale(tag)
                language = _language(normal)
                exact.setdefault(normal, np.zeros(n, dtype=np.bool_))[item] = True
                anyof.setdefault(language, np.zeros(n, dtype=np.bool_))[item] = True
                if normal == language:
                    bare.setdefault(language, np.zeros(n, dtype=np.bool_))[item] = True
        kinds = tuple(PEDAGOGY_STAGE)
        return CatalogIndex(
            stage=tuple(PEDAGOGY_STAGE[kind] for kind in self.kind),
            cents=tuple(round(cost * 100) for cost in self.cost.tolist()),
            minutes=tuple(self.minutes.tolist()),
            teaches=tuple(tuple(sorted(row)) for row in teaches),
            requires_items=tuple(tuple(sorted(row)) for row in requires_items),
            requires_skills=tuple(tuple(sorted(row)) for row in requires_skills),
            teachers=MappingProxyType(
                {
                    skill: tuple(sorted(rows, key=lambda pair: (-pair[0], pair[1])))
                    for skill, rows in teachers.items()
                }
            ),
            kind_code=np.array([kinds.index(kind) for kind in self.kind], dtype=np.int64),
            exact_locale=MappingProxyType(exact),
            bare_language=MappingProxyType(bare),
            any_of_language=MappingProxyType(anyof),
            no_locale=no_locale,
        )

    def available_in(self, wanted: frozenset[str]) -> BoolArray:
        """Items available in at least one wanted locale.

        A wanted locale matches an item locale when they are equal (case and `_`/`-` ignored) or
        when one is the bare language of the other: "en-GB" matches items in "en" or "en-GB";
        "en" matches items in any English variant; "pt-BR" does not match "pt-PT". Items that list
        no locale match every locale.
        """
        index = self.index
        mask = index.no_locale.copy()
        for tag in wanted:
            normal = _normal_locale(tag)
            language = _language(normal)
            if normal == language:
                found = index.any_of_language.get(language)
                if found is not None:
                    mask |= found
                continue
            for table, key in ((index.exact_locale, normal), (index.bare_language, language)):
                found = table.get(key)
                if found is not None:
                    mask |= found
        return mask


@dataclass(frozen=True, eq=False)
class Gaps:
    """One person's gaps: the skills to raise, the level to reach and the level held now.

    Rows whose current level already meets the target are accepted and ignored (the gap engine
    returns them with a zero shortfall). The order of rows is the caller's priority order: it
    breaks ties in the schedule.
    """

    skill: IntArray
    target: FloatArray
    current: FloatArray

    def __post_init__(self) -> None:
        """Validate shapes, levels and that each skill appears once."""
        object.__setattr__(self, "skill", _as_int(self.skill, "gap skill"))
        object.__setattr__(self, "target", _as_float(self.target, "gap target"))
        object.__setattr__(self, "current", _as_float(self.current, "gap current"))
        n = self.skill.size
        if self.target.shape != (n,) or self.current.shape != (n,):
            raise ValueError("gap skill, target and current must have the same length")
        _check_level(self.target, "gap targets", allow_zero=False)
        _check_level(self.current, "gap current levels", allow_zero=True)
        if np.unique(self.skill).size != n:
            raise ValueError("a skill appears twice in the gaps")


@dataclass(frozen=True, eq=False)
class Learner:
    """What the person knows (consolidated levels) and which items they have completed.

    The level of a skill is the highest of its level here and its current level in the gaps;
    skills not listed are at 0. Completed items satisfy item prerequisites and are never planned
    again.
    """

    skill: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    level: FloatArray = field(default_factory=lambda: np.zeros(0))
    completed: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))

    def __post_init__(self) -> None:
        """Validate shapes and levels."""
        object.__setattr__(self, "skill", _as_int(self.skill, "learner skill"))
        object.__setattr__(self, "level", _as_float(self.level, "learner level"))
        object.__setattr__(self, "completed", _as_int(self.completed, "completed items"))
        if self.level.shape != self.skill.shape:
            raise ValueError("learner skill and level must have the same length")
        _check_level(self.level, "learner levels", allow_zero=True)
        if np.unique(self.skill).size != self.skill.size:
            raise ValueError("a skill appears twice in the learner's levels")


@dataclass(frozen=True)
class Constraints:
    """What the person asked for.

    `hours_per_week` (0–168) is rounded to whole minutes; `budget` is in the catalog currency
    (None: no limit); `locales` are the languages the person learns in (None: any); `deadline`
    turns into a maximum of `hours_per_week × days until the deadline / 7` hours.
    """

    hours_per_week: float
    start: date
    budget: float | None = None
    locales: frozenset[str] | None = None
    offline_only: bool = False
    avoid_kinds: frozenset[str] = frozenset()
    require_kinds: frozenset[str] = frozenset()
    deadline: date | None = None

    def __post_init__(self) -> None:
        """Reject malformed values; impossible but well-formed ones are explained by the plan."""
        hours = self.hours_per_week
        if not isinstance(hours, int | float) or not math.isfinite(hours):
            raise ValueError("hours_per_week must be a finite number")
        if hours < 0 or hours > 168:
            raise ValueError("hours_per_week must be between 0 and 168")
        if self.budget is not None and (not math.isfinite(self.budget) or self.budget < 0):
            raise ValueError("budget must be a non-negative number, or None for no limit")
        if self.locales is not None:
            if not self.locales:
                raise ValueError("locales must name at least one locale, or be None for any")
            if any(not tag.strip() for tag in self.locales):
                raise ValueError("a locale must not be empty")
        unknown = sorted((self.avoid_kinds | self.require_kinds) - set(PEDAGOGY_STAGE))
        if unknown:
            raise ValueError(f"unknown item kind(s): {', '.join(unknown)}")

    @property
    def minutes_per_week(self) -> int:
        """Weekly learning time in whole minutes."""
        return round(self.hours_per_week * 60)


@dataclass(frozen=True)
class Explanation:
    """Why a plan is impossible, incomplete or late: a code for pages to translate, the
    constraint concerned, and the amounts (hours or money) needed and available."""

    code: str
    message: str
    constraint: str | None = None
    needed: float | None = None
    available: float | None = None


@dataclass(frozen=True)
class Alternative:
    """An item that comes closest to an unreachable target.

    `excluded_by` names the constraints that keep it out of the plan (empty: it is usable but
    teaches less than the target).
    """

    item: int
    level: float
    excluded_by: tuple[str, ...]


@dataclass(frozen=True)
class Unreachable:
    """A gap the plan does not close, why, and the closest alternatives.

    Reasons: `not_taught` (no item in the catalog reaches the target), `excluded` (items reach it
    but every one is excluded by a constraint or an unavailable prerequisite), `over_budget_or_time`
    (usable items reach it, but not together with the rest within the budget or deadline).
    `best_level` is the highest level the usable items reach (at least the current level).
    """

    skill: int
    target: float
    current: float
    reason: str
    best_level: float
    alternatives: tuple[Alternative, ...]


@dataclass(frozen=True)
class GapClosure:
    """What a step does for one gap: raises `skill` from one level to another."""

    skill: int
    from_level: float
    to_level: float
    target: float
    reaches_target: bool


@dataclass(frozen=True)
class Step:
    """One item of the plan, where it falls in the calendar, and why it is there."""

    position: int
    item: int
    kind: str
    stage: int
    minutes: int
    cost: float
    start_week: int
    end_week: int
    start_date: date
    end_date: date
    month: int
    end_month: int
    closes: tuple[GapClosure, ...]
    prerequisite_for: tuple[int, ...]

    @property
    def hours(self) -> float:
        """The step's learning time in hours."""
        return self.minutes / 60


@dataclass(frozen=True)
class Month:
    """A month of the plan (month 1 starts on the start date), the steps that start in it and
    the items still in progress from earlier months."""

    month: int
    start: date
    end: date
    steps: tuple[Step, ...]
    continuing: tuple[int, ...]
    minutes: int


@dataclass(frozen=True)
class Plan:
    """A learning path: the items in schedule order, their calendar, what stays out, and why."""

    status: str
    solver: str
    steps: tuple[Step, ...]
    months: tuple[Month, ...]
    total_minutes: int
    total_cents: int
    covered: tuple[int, ...]
    unreachable: tuple[Unreachable, ...]
    explanations: tuple[Explanation, ...]
    unmet_kinds: tuple[str, ...]
    mip_gap: float | None
    minutes_per_week: int
    weeks: int

    @property
    def items(self) -> tuple[int, ...]:
        """The chosen items in schedule order."""
        return tuple(step.item for step in self.steps)

    @property
    def total_hours(self) -> float:
        """Total learning time in hours."""
        return self.total_minutes / 60

    @property
    def total_cost(self) -> float:
        """Total cost in the catalog currency."""
        return self.total_cents / 100

    @property
    def optimal(self) -> bool:
        """True when the plan is proven optimal."""
        return self.status == OPTIMAL

    @property
    def complete(self) -> bool:
        """True when every open gap is closed and every required kind is in the plan."""
        return not self.unreachable and not self.unmet_kinds and self.status != IMPOSSIBLE
