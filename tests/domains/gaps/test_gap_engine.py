"""The gap engine against its reference loop on random organisations."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skillpath.domains.gaps.engine.gaps import (
    LevelLookup,
    Profiles,
    Requirements,
    Workforce,
    ancestor_membership,
    person_gaps,
    rollup,
)
from skillpath.domains.gaps.engine.reference import reference_person_gaps, reference_rollup

SKILLS = 6
ROLES = 4
UNITS = 5
UNIT_PARENT = np.array([-1, 0, 0, 1, 3], dtype=np.int64)


@st.composite
def organisations(draw: st.DrawFn) -> dict[str, object]:
    """A random small organisation: roles with profiles, people, levels, priority weights."""
    people = draw(st.integers(0, 25))
    requirements = {}
    for role in range(ROLES):
        skills = draw(st.lists(st.integers(0, SKILLS - 1), unique=True, max_size=4))
        requirements[role] = [
            (s, draw(st.floats(0.1, 1.0)), draw(st.sampled_from([0.25, 0.5, 1.0]))) for s in skills
        ]
    roles = [draw(st.integers(-1, ROLES - 1)) for _ in range(people)]
    units = [draw(st.integers(-1, UNITS - 1)) for _ in range(people)]
    levels = {}
    for employee in range(people):
        for skill in draw(st.lists(st.integers(0, SKILLS - 1), unique=True, max_size=4)):
            levels[(employee, skill)] = draw(st.sampled_from([0.0, 0.2, 0.4, 0.6, 0.8, 1.0]))
    skill_weight = [draw(st.sampled_from([1.0, 2.0])) for _ in range(SKILLS)]
    role_weight = [draw(st.sampled_from([1.0, 1.5])) for _ in range(ROLES)]
    return {
        "roles": roles,
        "units": units,
        "requirements": requirements,
        "levels": levels,
        "skill_weight": skill_weight,
        "role_weight": role_weight,
    }


def arrays(org: dict[str, object]) -> tuple[Workforce, Requirements, Profiles]:
    """The organisation as engine inputs."""
    reqs = org["requirements"]
    assert isinstance(reqs, dict)
    rows = [(r, s, t, i) for r, items in reqs.items() for s, t, i in items]
    requirements = Requirements(
        role=np.array([r[0] for r in rows], dtype=np.int64),
        skill=np.array([r[1] for r in rows], dtype=np.int64),
        target=np.array([r[2] for r in rows], dtype=np.float64),
        importance=np.array([r[3] for r in rows], dtype=np.float64),
        role_count=ROLES,
        skill_count=SKILLS,
    )
    levels = org["levels"]
    assert isinstance(levels, dict)
    profiles = Profiles(
        employee=np.array([k[0] for k in levels], dtype=np.int64),
        skill=np.array([k[1] for k in levels], dtype=np.int64),
        level=np.array(list(levels.values()), dtype=np.float64),
    )
    workforce = Workforce(
        role=np.array(org["roles"], dtype=np.int64), unit=np.array(org["units"], dtype=np.int64)
    )
    return workforce, requirements, profiles


@settings(max_examples=200, deadline=None)
@given(organisations())
def test_person_gaps_match_reference(org: dict[str, object]) -> None:
    """Shortfalls and weighted gaps equal the loop's, row for row."""
    workforce, requirements, profiles = arrays(org)
    lookup = LevelLookup(profiles, SKILLS)
    result = person_gaps(
        workforce,
        requirements,
        lookup,
        skill_weight=np.array(org["skill_weight"]),
        role_weight=np.array(org["role_weight"]),
    )
    expected = reference_person_gaps(
        org["roles"],
        org["requirements"],
        org["levels"],
        org["skill_weight"],
        org["role_weight"],  # type: ignore[arg-type]
    )
    got = sorted(
        zip(
            result.employee.tolist(),
            result.skill.tolist(),
            result.shortfall.tolist(),
            result.weighted.tolist(),
            strict=True,
        )
    )
    assert len(got) == len(expected)
    for a, b in zip(got, sorted(expected), strict=True):
        assert a[:2] == b[:2]
        assert a[2] == pytest.approx(b[2])
        assert a[3] == pytest.approx(b[3])


@settings(max_examples=200, deadline=None)
@given(organisations())
def test_unit_rollups_match_reference(org: dict[str, object]) -> None:
    """Demand, met, supply, reference level, shortfall and impact per unit subtree and skill."""
    workforce, requirements, profiles = arrays(org)
    lookup = LevelLookup(profiles, SKILLS)
    gaps = person_gaps(
        workforce,
        requirements,
        lookup,
        skill_weight=np.array(org["skill_weight"]),
        role_weight=np.array(org["role_weight"]),
    )
    person, unit = ancestor_membership(workforce.unit, UNIT_PARENT)
    result = rollup(
        gaps,
        lookup,
        profiles,
        membership_person=person,
        membership_group=unit,
        group_count=UNITS,
        skill_count=SKILLS,
    )
    populations: dict[int, list[int]] = {u: [] for u in range(UNITS)}
    for p, u in zip(person.tolist(), unit.tolist(), strict=True):
        populations[u].append(p)
    expected = reference_rollup(
        org["roles"],  # type: ignore[arg-type]
        org["requirements"],  # type: ignore[arg-type]
        org["levels"],  # type: ignore[arg-type]
        org["skill_weight"],  # type: ignore[arg-type]
        org["role_weight"],  # type: ignore[arg-type]
        populations,
    )
    got = {
        (int(g), int(s)): i for i, (g, s) in enumerate(zip(result.group, result.skill, strict=True))
    }
    assert set(got) == set(expected)
    for key, line in expected.items():
        i = got[key]
        assert result.demand[i] == line.demand
        assert result.met[i] == line.met
        assert result.supply[i] == line.supply
        assert result.reference_level[i] == pytest.approx(line.reference_level)
        assert result.shortfall_sum[i] == pytest.approx(line.shortfall_sum)
        assert result.impact[i] == pytest.approx(line.impact)
        assert 0.0 <= result.coverage[i] <= 1.0


def test_ancestor_membership_and_cycle() -> None:
    """People belong to every ancestor unit; a cyclic tree is refused."""
    person, unit = ancestor_membership(np.array([4, -1, 2]), UNIT_PARENT)
    pairs = sorted(zip(person.tolist(), unit.tolist(), strict=True))
    assert pairs == [(0, 0), (0, 1), (0, 3), (0, 4), (2, 0), (2, 2)]
    with pytest.raises(ValueError, match="cycle"):
        ancestor_membership(np.array([0]), np.array([1, 0]))


def test_requirements_validation() -> None:
    """Duplicate (role, skill) and out-of-range targets are refused."""
    with pytest.raises(ValueError, match="twice"):
        Requirements(
            role=np.array([0, 0]),
            skill=np.array([1, 1]),
            target=np.array([0.5, 0.5]),
            importance=np.array([1.0, 1.0]),
            role_count=1,
            skill_count=2,
        )
    with pytest.raises(ValueError, match="targets"):
        Requirements(
            role=np.array([0]),
            skill=np.array([1]),
            target=np.array([1.5]),
            importance=np.array([1.0]),
            role_count=1,
            skill_count=2,
        )
