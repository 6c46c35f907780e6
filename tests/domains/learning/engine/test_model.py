"""Validation of the planner's inputs: malformed data is a ValueError naming the problem."""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pytest

from skillpath.domains.learning.engine.model import Catalog, Constraints, Gaps, Learner


def catalog_arguments() -> dict[str, Any]:
    """A valid two-item catalog: item 1 requires item 0 and skill 0 at 0.4."""
    return {
        "minutes": np.array([60, 120]),
        "cost": np.array([0.0, 10.0]),
        "kind": ("e-learning", "workshop"),
        "offline": np.array([True, False]),
        "locales": (("en",), ("en", "es")),
        "teach_item": np.array([0, 1]),
        "teach_skill": np.array([0, 1]),
        "teach_level": np.array([0.4, 0.6]),
        "skill_count": 2,
        "prerequisite_item": np.array([1]),
        "prerequisite_required_item": np.array([0]),
        "skill_prerequisite_item": np.array([1]),
        "skill_prerequisite_skill": np.array([0]),
        "skill_prerequisite_level": np.array([0.4]),
    }


def test_valid_catalog_and_its_index() -> None:
    """A valid catalog builds its per-item and per-skill lookups."""
    catalog = Catalog(**catalog_arguments())
    assert catalog.size == 2
    index = catalog.index
    assert index.stage == (0, 1)
    assert index.cents == (0, 1000)
    assert index.teachers[1] == ((0.6, 1),)
    assert index.requires_items == ((), (0,))
    assert index.requires_skills == ((), ((0, 0.4),))
    assert catalog.index is index


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"minutes": np.array([[60, 120]])}, "one-dimensional"),
        ({"minutes": np.array([60.0, 120.0])}, "integers"),
        ({"cost": np.array([[0.0, 1.0]])}, "one-dimensional"),
        ({"cost": np.array([0.0, np.nan])}, "finite"),
        ({"skill_count": -1}, "skill_count"),
        ({"cost": np.array([0.0])}, "one value per item"),
        ({"kind": ("e-learning",)}, "one entry per item"),
        ({"minutes": np.array([0, 120])}, "positive number of minutes"),
        ({"cost": np.array([-1.0, 0.0])}, "negative"),
        ({"kind": ("e-learning", "podcast")}, "unknown item kind"),
        ({"locales": (("en",), (" ",))}, "locale must not be empty"),
        ({"teach_level": np.array([0.4])}, "same length"),
        ({"teach_item": np.array([0, 2])}, "teach_item out of range"),
        ({"teach_skill": np.array([0, 5])}, "teach_skill out of range"),
        ({"teach_level": np.array([0.0, 0.6])}, r"\(0, 1\]"),
        ({"teach_level": np.array([0.4, 1.5])}, r"\(0, 1\]"),
        (
            {
                "teach_item": np.array([0, 0]),
                "teach_skill": np.array([1, 1]),
                "teach_level": np.array([0.4, 0.6]),
            },
            "teaches a skill twice",
        ),
        ({"prerequisite_required_item": np.array([0, 1])}, "differ in length"),
        ({"prerequisite_required_item": np.array([1])}, "cannot require itself"),
        (
            {"prerequisite_item": np.array([1, 1]), "prerequisite_required_item": np.array([0, 0])},
            "same item twice",
        ),
        ({"skill_prerequisite_level": np.array([0.4, 0.5])}, "same length"),
        ({"skill_prerequisite_skill": np.array([2])}, "skill_prerequisite_skill out of range"),
        (
            {
                "skill_prerequisite_item": np.array([1, 1]),
                "skill_prerequisite_skill": np.array([0, 0]),
                "skill_prerequisite_level": np.array([0.4, 0.6]),
            },
            "same skill twice",
        ),
    ],
)
def test_malformed_catalogs(changes: dict[str, Any], message: str) -> None:
    """Each malformation is rejected with a message naming it."""
    with pytest.raises(ValueError, match=message):
        Catalog(**{**catalog_arguments(), **changes})


def test_empty_catalog_and_defaults() -> None:
    """A catalog without items or prerequisites is valid."""
    catalog = Catalog(
        minutes=np.zeros(0, dtype=np.int64),
        cost=np.zeros(0),
        kind=(),
        offline=np.zeros(0, dtype=np.bool_),
        locales=(),
        teach_item=np.zeros(0, dtype=np.int64),
        teach_skill=np.zeros(0, dtype=np.int64),
        teach_level=np.zeros(0),
        skill_count=0,
    )
    assert catalog.size == 0
    assert catalog.available_in(frozenset({"en"})).shape == (0,)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"skill": [0, 1], "target": [0.6], "current": [0.0]}, "same length"),
        ({"skill": [0], "target": [0.0], "current": [0.0]}, r"\(0, 1\]"),
        ({"skill": [0], "target": [0.6], "current": [-0.1]}, r"\[0, 1\]"),
        ({"skill": [0, 0], "target": [0.6, 0.8], "current": [0.0, 0.0]}, "appears twice"),
    ],
)
def test_malformed_gaps(arguments: dict[str, list[float]], message: str) -> None:
    """Gaps need one target and current level per skill, each skill once."""
    with pytest.raises(ValueError, match=message):
        Gaps(**{key: np.array(value) for key, value in arguments.items()})


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"skill": np.array([0]), "level": np.array([0.2, 0.4])}, "same length"),
        ({"skill": np.array([0]), "level": np.array([1.2])}, r"\[0, 1\]"),
        ({"skill": np.array([1, 1]), "level": np.array([0.2, 0.4])}, "appears twice"),
        ({"completed": np.array([0.5])}, "integers"),
    ],
)
def test_malformed_learner(arguments: dict[str, Any], message: str) -> None:
    """Learner levels need one level per skill, each skill once; completed items are indexes."""
    with pytest.raises(ValueError, match=message):
        Learner(**arguments)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"hours_per_week": float("nan")}, "finite"),
        ({"hours_per_week": "2"}, "finite"),
        ({"hours_per_week": -1.0}, "between 0 and 168"),
        ({"hours_per_week": 169.0}, "between 0 and 168"),
        ({"budget": -5.0}, "budget"),
        ({"budget": float("inf")}, "budget"),
        ({"locales": frozenset()}, "at least one locale"),
        ({"locales": frozenset({""})}, "must not be empty"),
        ({"avoid_kinds": frozenset({"podcast"})}, "unknown item kind"),
        ({"require_kinds": frozenset({"course"})}, "unknown item kind"),
    ],
)
def test_malformed_constraints(arguments: dict[str, Any], message: str) -> None:
    """Malformed constraints are ValueErrors; impossible but well-formed ones are not."""
    values: dict[str, Any] = {"hours_per_week": 2.0, "start": date(2025, 1, 6), **arguments}
    with pytest.raises(ValueError, match=message):
        Constraints(**values)


def test_minutes_per_week_rounds() -> None:
    """Weekly time is whole minutes; 0 hours is allowed here and explained by the planner."""
    assert Constraints(1.26, date(2025, 1, 6)).minutes_per_week == 76
    assert Constraints(0, date(2025, 1, 6)).minutes_per_week == 0
