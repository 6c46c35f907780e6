"""Roll-ups under several lenses at once equal one roll-up per lens, dense or sorted."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skillpath.domains.gaps.engine import gaps as engine
from skillpath.domains.gaps.engine.gaps import (
    LevelLookup,
    Requirements,
    SkillRollup,
    ancestor_membership,
    person_gaps,
    rollup,
    rollup_lenses,
    subtree_rollup_lenses,
    unit_depths,
)
from tests.domains.gaps.test_gap_engine import SKILLS, UNIT_PARENT, UNITS, arrays, organisations


def _as_dict(result: SkillRollup) -> dict[tuple[int, int], tuple[float, ...]]:
    return {
        (int(g), int(s)): (int(d), int(m), int(u), float(r), float(f), float(i))
        for g, s, d, m, u, r, f, i in zip(
            result.group,
            result.skill,
            result.demand,
            result.met,
            result.supply,
            result.reference_level,
            result.shortfall_sum,
            result.impact,
            strict=True,
        )
    }


@pytest.mark.parametrize("dense_cells", [engine.DENSE_CELLS, 0])
@settings(max_examples=100, deadline=None)
@given(org=organisations())
def test_lenses_equal_one_rollup_per_lens(org: dict[str, object], dense_cells: int) -> None:
    workforce, requirements, profiles = arrays(org)
    lookup = LevelLookup(profiles, SKILLS)
    lenses = [
        (np.ones(SKILLS), np.ones(requirements.role_count)),
        (np.array(org["skill_weight"]), np.array(org["role_weight"])),
    ]
    people, units = ancestor_membership(workforce.unit, UNIT_PARENT)
    membership = {
        "membership_person": people,
        "membership_group": units,
        "group_count": UNITS,
        "skill_count": SKILLS,
    }
    per_lens = [
        person_gaps(workforce, requirements, lookup, skill_weight=sw, role_weight=rw)
        for sw, rw in lenses
    ]
    together = rollup_lenses(
        per_lens[0],
        [g.weighted for g in per_lens],
        lookup,
        profiles,
        dense_cells=dense_cells,
        **membership,
    )
    for gaps, result in zip(per_lens, together, strict=True):
        assert _as_dict(result) == _as_dict(rollup(gaps, lookup, profiles, **membership))


def test_group_max_with_few_and_many_distinct_values() -> None:
    rng = np.random.default_rng(3)
    slot = rng.integers(0, 50, size=2_000)
    for values in (rng.choice([0.2, 0.4, 0.8], size=2_000), rng.random(2_000)):
        expected = np.zeros(50)
        np.maximum.at(expected, slot, values)
        assert np.array_equal(engine._group_max(values, slot, 50), expected)


def _assert_close(
    got: dict[tuple[int, int], tuple[float, ...]],
    expected: dict[tuple[int, int], tuple[float, ...]],
) -> None:
    """Same keys; demand, met, supply and reference level exactly, sums up to rounding."""
    assert set(got) == set(expected)
    for key, figures in expected.items():
        assert got[key][:4] == figures[:4], key
        assert got[key][4:] == pytest.approx(figures[4:], rel=1e-12, abs=1e-12), key


@pytest.mark.parametrize("max_targets", [None, 0])
@pytest.mark.parametrize("snap", [False, True])
@settings(max_examples=100, deadline=None)
@given(org=organisations(), scope=st.lists(st.booleans(), min_size=25, max_size=25))
def test_subtree_rollup_equals_rollup_over_ancestor_memberships(
    org: dict[str, object], scope: list[bool], max_targets: int | None, snap: bool
) -> None:
    """Rolling unit subtrees up the tree gives what expanding people to ancestors gives, for
    people in scope only; `snap` puts targets on the levels' scale (ties at the target)."""
    workforce, requirements, profiles = arrays(org)
    if snap:
        requirements = Requirements(
            role=requirements.role,
            skill=requirements.skill,
            target=np.maximum(np.round(requirements.target * 5) / 5, 0.2),
            importance=requirements.importance,
            role_count=requirements.role_count,
            skill_count=requirements.skill_count,
        )
    lookup = LevelLookup(profiles, SKILLS)
    in_scope = np.array(scope[: workforce.size], dtype=bool)
    people = np.flatnonzero(in_scope).astype(np.int64)
    gaps = person_gaps(
        workforce,
        requirements,
        lookup,
        skill_weight=np.ones(SKILLS),
        role_weight=np.ones(requirements.role_count),
        people=people,
    )
    lenses = [gaps.weighted, gaps.weighted * np.array(org["skill_weight"])[gaps.skill]]
    person, unit = ancestor_membership(workforce.unit, UNIT_PARENT)
    keep = in_scope[person]
    expected = rollup_lenses(
        gaps,
        lenses,
        lookup,
        profiles,
        membership_person=person[keep],
        membership_group=unit[keep],
        group_count=UNITS,
        skill_count=SKILLS,
    )
    got = subtree_rollup_lenses(
        gaps,
        lenses,
        lookup,
        profiles,
        unit_of_person=np.where(in_scope, workforce.unit, -1),
        unit_parent=UNIT_PARENT,
        skill_count=SKILLS,
        max_targets=max_targets,
    )
    for mine, theirs in zip(got, expected, strict=True):
        _assert_close(_as_dict(mine), _as_dict(theirs))


def test_unit_depths_and_cycle() -> None:
    assert unit_depths(UNIT_PARENT).tolist() == [0, 1, 1, 2, 3]
    with pytest.raises(ValueError, match="cycle"):
        unit_depths(np.array([1, 0]))
