"""Roll-ups under several lenses at once equal one roll-up per lens, dense or sorted."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings

from skillpath.domains.gaps.engine import gaps as engine
from skillpath.domains.gaps.engine.gaps import (
    LevelLookup,
    SkillRollup,
    ancestor_membership,
    person_gaps,
    rollup,
    rollup_lenses,
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
