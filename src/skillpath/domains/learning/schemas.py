"""Pydantic shapes of the learning catalog."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from skillpath.domains.taxonomy.schemas import SkillRef

# Reads for pages and the API

ItemKind = Literal[
    "e-learning",
    "microlearning",
    "video",
    "project-based course",
    "workshop",
    "mentorship",
    "capstone",
    "reading",
    "assessment",
]


class ItemRef(BaseModel):
    """A catalog item named by its id and title."""

    id: int
    title: str


class ItemSummary(BaseModel):
    """A catalog item as lists show it."""

    id: int
    external_id: str
    title: str
    kind: str
    minutes: int
    cost: float
    currency: str
    offline: bool
    provider: str
    url: str
    locales: list[str]


class ItemSkillRead(BaseModel):
    """A skill an item teaches and the level it brings a learner to."""

    skill: SkillRef
    level_gained: float
    display_level: int
    display_label: str


class PrerequisiteRead(BaseModel):
    """What an item needs first: another item, or a skill at a level."""

    item: ItemRef | None
    skill: SkillRef | None
    required_level: float | None
    display_level: int | None


class ItemDetail(ItemSummary):
    """One catalog item with its description, skills taught and prerequisites."""

    description: str
    skills: list[ItemSkillRead]
    prerequisites: list[PrerequisiteRead]
