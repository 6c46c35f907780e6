"""Shapes of the micro-mentoring finder (docs/mentoring.md, "Micro-mentoring finder")."""

from __future__ import annotations

from pydantic import BaseModel, Field

from skillpath.domains.people.schemas import PersonRef
from skillpath.domains.taxonomy.schemas import SkillRef


class HelperParts(BaseModel):
    """The weighted parts of a helper's score (they add up to it)."""

    level: float
    availability: float
    language: float
    timezone: float


class Helper(BaseModel):
    """A colleague who offered to help with the skill, with the score and why."""

    person: PersonRef
    level: int = Field(description="Their level in the skill on the 5-point scale")
    label: str
    score: float = Field(
        description="0.50·level + 0.25·availability + 0.10·language + 0.15·time zone"
    )
    parts: HelperParts
    free_hours: float = Field(description="Free hours this week after the sessions booked")
    hours_apart: float = Field(description="Difference of UTC offsets, in hours")
    languages: list[str] = Field(description="Languages you share")
    reasons: list[str]


class HelpFinder(BaseModel):
    """Who can help the asker with one skill this week, best first."""

    skill: SkillRef
    your_level: int
    your_label: str
    offered: int = Field(description="Micro-mentors offering the skill (before the rules)")
    helpers: list[Helper]
