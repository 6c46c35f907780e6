"""Gap computations over arrays: person gaps against role profiles and their roll-ups.

Definitions (what the engine and the reference loop both compute):

- A requirement is (role, skill, target level, importance). A person in a role has, for each of
  its requirements, `current` = their consolidated level (0 without evidence),
  `shortfall = max(0, target − current)` and
  `weighted = shortfall × importance × skill_weight[skill] × role_weight[role]`, where the
  weights come from the strategic priorities (1 when a skill or role is not prioritised).
- Over a population (a team, a unit subtree, the organisation), per skill:
  `demand` = people whose role requires the skill; `met` = those of them at or above target;
  `coverage = met / demand`; `supply` (bench strength) = people in the population, whatever their
  role, at or above the skill's reference level (the highest target any role of the population
  sets for it); `impact` = the sum of the weighted gaps; a single point of failure is a skill in
  demand whose supply is at most one person.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


def _check_lengths(name: str, n: int, *arrays: npt.NDArray[np.generic]) -> None:
    for array in arrays:
        if array.shape != (n,):
            raise ValueError(f"{name}: every array must have shape ({n},)")


@dataclass(frozen=True)
class Requirements:
    """Role skill profiles as parallel arrays; roles and skills are dense indexes."""

    role: IntArray
    skill: IntArray
    target: FloatArray
    importance: FloatArray
    role_count: int
    skill_count: int

    def __post_init__(self) -> None:
        """Validate ranges and uniqueness of (role, skill)."""
        n = self.role.shape[0]
        _check_lengths("requirements", n, self.skill, self.target, self.importance)
        if n == 0:
            return
        if self.role.min() < 0 or self.role.max() >= self.role_count:
            raise ValueError("requirement role index out of range")
        if self.skill.min() < 0 or self.skill.max() >= self.skill_count:
            raise ValueError("requirement skill index out of range")
        if np.any((self.target < 0) | (self.target > 1)):
            raise ValueError("targets must be in [0, 1]")
        if np.any((self.importance < 0) | (self.importance > 1)):
            raise ValueError("importances must be in [0, 1]")
        keys = self.role * self.skill_count + self.skill
        if np.unique(keys).shape[0] != n:
            raise ValueError("a role lists the same skill twice")


@dataclass(frozen=True)
class Profiles:
    """Consolidated levels: one row per (employee, skill) with evidence."""

    employee: IntArray
    skill: IntArray
    level: FloatArray

    def __post_init__(self) -> None:
        """Validate shapes and levels."""
        n = self.employee.shape[0]
        _check_lengths("profiles", n, self.skill, self.level)
        if n and np.any((self.level < 0) | (self.level > 1)):
            raise ValueError("levels must be in [0, 1]")


@dataclass(frozen=True)
class Workforce:
    """Per employee (dense index): their role (−1 none) and org unit (−1 none)."""

    role: IntArray
    unit: IntArray

    @property
    def size(self) -> int:
        """Number of employees."""
        return int(self.role.shape[0])


@dataclass(frozen=True)
class PersonGaps:
    """One row per (employee, requirement of their role), grouped by employee."""

    employee: IntArray
    role: IntArray
    skill: IntArray
    current: FloatArray
    target: FloatArray
    importance: FloatArray
    shortfall: FloatArray
    weighted: FloatArray


class LevelLookup:
    """Fast lookup of consolidated levels by (employee, skill)."""

    def __init__(self, profiles: Profiles, skill_count: int) -> None:
        """Index the profiles once."""
        keys = profiles.employee.astype(np.int64) * skill_count + profiles.skill
        order = np.argsort(keys, kind="stable")
        self._keys = keys[order]
        self._levels = profiles.level[order]
        self._width = skill_count

    def levels(self, employee: IntArray, skill: IntArray) -> FloatArray:
        """Levels of (employee, skill) pairs; 0 where there is no evidence."""
        wanted = employee.astype(np.int64) * self._width + skill
        if self._keys.shape[0] == 0:
            return np.zeros(wanted.shape[0])
        position = np.searchsorted(self._keys, wanted)
        position = np.minimum(position, self._keys.shape[0] - 1)
        found = self._keys[position] == wanted
        return np.where(found, self._levels[position], 0.0)


def expand_requirements(
    roles_of_people: IntArray, people: IntArray, requirements: Requirements
) -> tuple[IntArray, IntArray]:
    """For each person (with role), one entry per requirement of the role.

    Returns (person, requirement row) index arrays.
    """
    order = np.argsort(requirements.role, kind="stable")
    counts = np.bincount(requirements.role, minlength=requirements.role_count)
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    has_role = roles_of_people >= 0
    people = people[has_role]
    roles = roles_of_people[has_role]
    per_person = counts[roles]
    person_rep = np.repeat(people, per_person)
    first = np.repeat(starts[roles], per_person)
    offsets = np.arange(person_rep.shape[0]) - np.repeat(
        np.cumsum(per_person) - per_person, per_person
    )
    return person_rep.astype(np.int64), order[first + offsets].astype(np.int64)


def person_gaps(
    workforce: Workforce,
    requirements: Requirements,
    lookup: LevelLookup,
    *,
    skill_weight: FloatArray,
    role_weight: FloatArray,
    people: IntArray | None = None,
    target_role: IntArray | None = None,
) -> PersonGaps:
    """Gaps of people against their current role (or `target_role` per person when given)."""
    if skill_weight.shape != (requirements.skill_count,):
        raise ValueError("skill_weight must have one weight per skill")
    if role_weight.shape != (requirements.role_count,):
        raise ValueError("role_weight must have one weight per role")
    if people is None:
        people = np.arange(workforce.size, dtype=np.int64)
    roles = workforce.role[people] if target_role is None else target_role
    if roles.shape != people.shape:
        raise ValueError("target_role must give one role per person")
    employee, row = expand_requirements(roles, people, requirements)
    skill = requirements.skill[row]
    role = requirements.role[row]
    target = requirements.target[row]
    importance = requirements.importance[row]
    current = lookup.levels(employee, skill)
    shortfall = np.maximum(0.0, target - current)
    weighted = shortfall * importance * skill_weight[skill] * role_weight[role]
    return PersonGaps(
        employee=employee,
        role=role,
        skill=skill,
        current=current,
        target=target,
        importance=importance,
        shortfall=shortfall,
        weighted=weighted,
    )


@dataclass(frozen=True)
class SkillRollup:
    """Per (group, skill) figures over populations; `group` indexes the populations."""

    group: IntArray
    skill: IntArray
    demand: IntArray
    met: IntArray
    supply: IntArray
    reference_level: FloatArray
    shortfall_sum: FloatArray
    impact: FloatArray

    @property
    def coverage(self) -> FloatArray:
        """Share of demand met (1 where there is no demand)."""
        with np.errstate(invalid="ignore", divide="ignore"):
            result: FloatArray = np.where(self.demand > 0, self.met / self.demand, 1.0)
        return result

    @property
    def single_point_of_failure(self) -> BoolArray:
        """In demand, but held at level by at most one person."""
        result: BoolArray = (self.demand > 0) & (self.supply <= 1)
        return result


DENSE_CELLS = 40_000_000
"""Roll-ups over at most this many (population, skill) cells, and not many more cells than
rows, use dense arrays indexed by `population × skills + skill` (bincounts and direct
lookups); others (every manager's team, or a small population) sort the keys instead."""


def rollup(
    gaps: PersonGaps,
    lookup: LevelLookup,
    profiles: Profiles,
    *,
    membership_person: IntArray,
    membership_group: IntArray,
    group_count: int,
    skill_count: int,
) -> SkillRollup:
    """Roll person gaps up to populations.

    `membership_person[k]` belongs to population `membership_group[k]`; a person may belong to
    several (a unit and all its ancestors, say). Only (group, skill) pairs in demand are returned.
    """
    return rollup_lenses(
        gaps,
        [gaps.weighted],
        lookup,
        profiles,
        membership_person=membership_person,
        membership_group=membership_group,
        group_count=group_count,
        skill_count=skill_count,
    )[0]


def _expand(
    person: IntArray, sorted_person: IntArray, sorted_group: IntArray
) -> tuple[IntArray, IntArray]:
    """For each row of a person, one row per population the person belongs to: (row, group).

    `sorted_person` is sorted; people are non-negative indexes, so where a person's memberships
    start and how many there are is read from a bincount instead of binary searches.
    """
    if person.shape[0] == 0 or sorted_person.shape[0] == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    size = int(max(person.max(), sorted_person.max())) + 1
    per_person = np.bincount(sorted_person, minlength=size)
    first = np.cumsum(per_person) - per_person
    counts = per_person[person]
    rows = np.repeat(np.arange(person.shape[0]), counts)
    offsets = np.arange(rows.shape[0]) - np.repeat(np.cumsum(counts) - counts, counts)
    return rows, sorted_group[np.repeat(first[person], counts) + offsets]


def _group_max(values: FloatArray, slot: IntArray, size: int) -> FloatArray:
    """Per slot the largest value (0 where none): one constant assignment per distinct value,
    in increasing order, when there are few distinct values (targets come from scales);
    `np.maximum.at` otherwise."""
    result = np.zeros(size)
    distinct = np.unique(values)
    if distinct.shape[0] > 64:
        np.maximum.at(result, slot, values)
        return result
    for value in distinct:
        result[slot[values == value]] = value
    return np.maximum(result, 0.0)


def rollup_lenses(
    gaps: PersonGaps,
    weighted: list[FloatArray],
    lookup: LevelLookup,
    profiles: Profiles,
    *,
    membership_person: IntArray,
    membership_group: IntArray,
    group_count: int,
    skill_count: int,
    dense_cells: int | None = None,
) -> list[SkillRollup]:
    """`rollup` under several weightings (lenses) of the same person gaps at once.

    `weighted[k]` gives each gap row's weighted gap under lens k (the shortfall × importance ×
    that lens's skill and role weights). Populations, demand, met, supply, reference levels and
    shortfalls do not depend on the lens and are computed once; only the impact is summed per
    lens. Returns one `SkillRollup` per lens, each equal to `rollup` with that weighting.
    `dense_cells` overrides `DENSE_CELLS` (the results are the same either way).
    """
    _check_lengths("membership", membership_person.shape[0], membership_group)
    for column in weighted:
        _check_lengths("weighted", gaps.employee.shape[0], column)
    del lookup  # the levels of the gap rows are in `gaps.current`
    order = np.argsort(membership_person, kind="stable")
    sorted_person = membership_person[order]
    sorted_group = membership_group[order].astype(np.int64)
    gap_rep, group_rep = _expand(gaps.employee, sorted_person, sorted_group)
    key = group_rep * skill_count + gaps.skill[gap_rep]
    target = gaps.target[gap_rep]
    met_rows = (gaps.current[gap_rep] >= target).astype(np.float64)
    shortfall = gaps.shortfall[gap_rep]
    prof_rep, prof_group = _expand(profiles.employee, sorted_person, sorted_group)
    prof_key = prof_group * skill_count + profiles.skill[prof_rep]
    prof_level = profiles.level[prof_rep]
    cells = group_count * skill_count
    if dense_cells is None:
        # Dense arrays pay for every cell: only worth it when rows outnumber cells enough.
        dense = cells <= DENSE_CELLS and cells <= 8 * (key.shape[0] + prof_key.shape[0])
    else:
        dense = cells <= dense_cells
    if dense:
        demand_all = np.bincount(key, minlength=cells)
        unique_key = np.flatnonzero(demand_all)
        pairs = unique_key.shape[0]
        slot = np.full(cells, -1, dtype=np.int32 if cells < 2**31 else np.int64)
        slot[unique_key] = np.arange(pairs)
        inverse = slot[key]
        demand = demand_all[unique_key].astype(np.int64)
        del demand_all
        position = slot[prof_key]
        in_demand = position >= 0
    else:
        unique_key, inverse = np.unique(key, return_inverse=True)
        pairs = unique_key.shape[0]
        demand = np.bincount(inverse, minlength=pairs).astype(np.int64)
        position = np.searchsorted(unique_key, prof_key)
        position = np.minimum(position, max(pairs - 1, 0))
        in_demand = (unique_key[position] == prof_key) if pairs else np.zeros(0, dtype=bool)
    met = np.bincount(inverse, weights=met_rows, minlength=pairs).astype(np.int64)
    shortfall_sum = np.bincount(inverse, weights=shortfall, minlength=pairs).astype(np.float64)
    reference = _group_max(target, inverse, pairs)
    group = unique_key // skill_count
    skill = unique_key % skill_count
    # Supply: members of the population holding the skill at or above the reference level.
    holds = in_demand.copy()
    holds[in_demand] = prof_level[in_demand] >= reference[position[in_demand]]
    supply = np.bincount(position[holds], minlength=pairs).astype(np.int64)
    return [
        SkillRollup(
            group=group,
            skill=skill,
            demand=demand,
            met=met,
            supply=supply,
            reference_level=reference,
            shortfall_sum=shortfall_sum,
            impact=np.bincount(inverse, weights=column[gap_rep], minlength=pairs).astype(
                np.float64
            ),
        )
        for column in weighted
    ]


def ancestor_membership(
    unit_of_person: IntArray, unit_parent: IntArray
) -> tuple[IntArray, IntArray]:
    """Each person belongs to their unit and every ancestor unit: (person, unit) pairs.

    `unit_parent[u]` is the parent of unit `u` (−1 for a root); the tree must be acyclic.
    """
    units = unit_parent.shape[0]
    chains: list[IntArray] = []
    people: list[IntArray] = []
    current = unit_of_person.copy()
    person = np.arange(unit_of_person.shape[0], dtype=np.int64)
    for _ in range(units + 1):
        alive = current >= 0
        if not alive.any():
            break
        people.append(person[alive])
        chains.append(current[alive])
        current = np.where(alive, unit_parent[np.maximum(current, 0)], -1)
    else:
        raise ValueError("the unit tree has a cycle")
    if not people:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    return np.concatenate(people), np.concatenate(chains)


SUBTREE_MAX_TARGETS = 64
"""`subtree_rollup_lenses` counts supply per distinct target level; with more distinct targets
than this it expands every person to every ancestor unit instead (`rollup_lenses`)."""


def unit_depths(unit_parent: IntArray) -> IntArray:
    """How many ancestors each unit has (0 for a root); refuses a cyclic tree."""
    units = unit_parent.shape[0]
    depth = np.zeros(units, dtype=np.int64)
    current = unit_parent.astype(np.int64)
    for _ in range(units + 1):
        alive = current >= 0
        if not alive.any():
            return depth
        depth += alive
        current = np.where(alive, unit_parent[np.maximum(current, 0)], -1)
    raise ValueError("the unit tree has a cycle")


def _tree_sums(
    key: IntArray,
    sums: list[FloatArray],
    maxes: FloatArray | None,
    *,
    cell_width: int,
    unit_parent: IntArray,
    depth: IntArray,
) -> tuple[IntArray, list[FloatArray], FloatArray]:
    """Totals of rows keyed `unit × cell_width + cell` over every unit's subtree.

    Rows are merged unit level by unit level, deepest first: each level's rows (its own and the
    totals its child units carried up) are summed per key once, and those totals are carried to
    the parent units. Each column of `sums` is added, `maxes` (values in [0, 1]; None for none)
    take the largest. Returns the keys with their totals, sorted by key.
    """
    row_depth = depth[key // cell_width] if key.shape[0] else np.zeros(0, dtype=np.int64)
    columns = len(sums)
    carried_key = np.zeros(0, dtype=np.int64)
    carried_sums = [np.zeros(0) for _ in range(columns)]
    carried_max = np.zeros(0)
    keys: list[IntArray] = []
    totals: list[list[FloatArray]] = []
    largest: list[FloatArray] = []
    for level in range(int(depth.max(initial=0)), -1, -1):
        mask = row_depth == level
        own: IntArray | slice = slice(None) if mask.all() else np.flatnonzero(mask)
        own_key = key[own]
        if own_key.shape[0] + carried_key.shape[0] == 0:
            continue
        # Without carried rows (the deepest level), the own rows are used in place.
        both = carried_key.shape[0] > 0
        level_key = np.concatenate([own_key, carried_key]) if both else own_key
        unique_key, inverse = np.unique(level_key, return_inverse=True)
        count = unique_key.shape[0]
        total: list[FloatArray] = [
            np.bincount(
                inverse,
                weights=np.concatenate([column[own], carried]) if both else column[own],
                minlength=count,
            ).astype(np.float64, copy=False)
            for column, carried in zip(sums, carried_sums, strict=True)
        ]
        if maxes is None:
            top = np.zeros(count)
        else:
            level_max = np.concatenate([maxes[own], carried_max]) if both else maxes[own]
            top = _group_max(level_max, inverse, count)
        keys.append(unique_key)
        totals.append(total)
        largest.append(top)
        parent = unit_parent[unique_key // cell_width]
        up = np.flatnonzero(parent >= 0)
        carried_key = parent[up] * cell_width + unique_key[up] % cell_width
        carried_sums = [column[up] for column in total]
        carried_max = top[up]
    if not keys:
        return np.zeros(0, dtype=np.int64), [np.zeros(0) for _ in range(columns)], np.zeros(0)
    if len(keys) == 1:
        return keys[0], totals[0], largest[0]
    all_keys = np.concatenate(keys)
    order = np.argsort(all_keys, kind="stable")
    return (
        all_keys[order],
        [np.concatenate([level[c] for level in totals])[order] for c in range(columns)],
        np.concatenate(largest)[order],
    )


def subtree_rollup_lenses(
    gaps: PersonGaps,
    weighted: list[FloatArray],
    lookup: LevelLookup,
    profiles: Profiles,
    *,
    unit_of_person: IntArray,
    unit_parent: IntArray,
    skill_count: int,
    max_targets: int | None = None,
) -> list[SkillRollup]:
    """`rollup_lenses` over unit subtrees (each person in their unit and every ancestor), rolled
    up the tree level by level instead of expanding each person to all ancestors.

    Groups are units. People with `unit_of_person` −1 are left out (gap and profile rows alike).
    Demand, met, supply and reference levels equal those of `rollup_lenses` with
    `ancestor_membership(unit_of_person, unit_parent)` exactly; shortfall sums and impacts are
    the same sums added in another order (equal up to rounding in the last bits). Supply is
    counted per unit, skill and distinct target level (the reference level is always one of
    them) and those counts are rolled up; with more than `SUBTREE_MAX_TARGETS` distinct targets
    this (or `max_targets`, when given) falls back to `rollup_lenses`.
    """
    for column in weighted:
        _check_lengths("weighted", gaps.employee.shape[0], column)
    targets = np.unique(gaps.target)
    if targets.shape[0] > (SUBTREE_MAX_TARGETS if max_targets is None else max_targets):
        person, unit = ancestor_membership(unit_of_person, unit_parent)
        return rollup_lenses(
            gaps,
            weighted,
            lookup,
            profiles,
            membership_person=person,
            membership_group=unit,
            group_count=unit_parent.shape[0],
            skill_count=skill_count,
        )
    depth = unit_depths(unit_parent)
    # Demand side: one row per gap row of a person with a unit.
    gap_unit = unit_of_person[gaps.employee] if gaps.employee.shape[0] else gaps.employee
    rows = np.flatnonzero(gap_unit >= 0)
    every = rows.shape[0] == gaps.employee.shape[0]
    chosen: IntArray | slice = slice(None) if every else rows
    sums = [
        np.ones(rows.shape[0]),
        (gaps.current[chosen] >= gaps.target[chosen]).astype(np.float64),
        gaps.shortfall[chosen],
        *(column[chosen] for column in weighted),
    ]
    cell, totals, reference = _tree_sums(
        gap_unit[chosen] * skill_count + gaps.skill[chosen],
        sums,
        gaps.target[chosen],
        cell_width=skill_count,
        unit_parent=unit_parent,
        depth=depth,
    )
    del sums
    pairs = cell.shape[0]
    # Supply: profile rows counted per (unit, skill, how many distinct targets the level
    # reaches), rolled up the same way; a holder of a pair reaches more targets than the index
    # of its reference level.
    bins = targets.shape[0] + 1
    demanded = np.zeros(skill_count, dtype=bool)
    demanded[gaps.skill[chosen]] = True
    profile_unit = (
        unit_of_person[profiles.employee] if profiles.employee.shape[0] else profiles.employee
    )
    reached = np.searchsorted(targets, profiles.level, side="right")
    counted = np.flatnonzero((profile_unit >= 0) & demanded[profiles.skill] & (reached > 0))
    supply_key, supply_count, _ = _tree_sums(
        (profile_unit[counted] * skill_count + profiles.skill[counted]) * bins + reached[counted],
        [np.ones(counted.shape[0])],
        None,
        cell_width=skill_count * bins,
        unit_parent=unit_parent,
        depth=depth,
    )
    supply = np.zeros(pairs, dtype=np.int64)
    if pairs and supply_key.shape[0]:
        supply_cell = supply_key // bins
        position = np.minimum(np.searchsorted(cell, supply_cell), pairs - 1)
        found = cell[position] == supply_cell
        reference_index = np.searchsorted(targets, reference)
        holds = found & (supply_key % bins > reference_index[position])
        supply = np.bincount(
            position[holds], weights=supply_count[0][holds], minlength=pairs
        ).astype(np.int64)
    group = cell // skill_count
    skill = cell % skill_count
    demand = totals[0].astype(np.int64)
    met = totals[1].astype(np.int64)
    shortfall_sum = totals[2]
    return [
        SkillRollup(
            group=group,
            skill=skill,
            demand=demand,
            met=met,
            supply=supply,
            reference_level=reference,
            shortfall_sum=shortfall_sum,
            impact=totals[3 + position],
        )
        for position in range(len(weighted))
    ]
