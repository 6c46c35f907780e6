"""Pydantic shapes of skill evidence as pages and the API read it."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from skillpath.domains.taxonomy.schemas import SkillRef

# Reads for pages and the API


class RaterRef(BaseModel):
    """The person who gave a rating."""

    id: int
    name: str


class EvidenceRead(BaseModel):
    """One dated observation of a person's level in a skill."""

    id: int
    skill: SkillRef
    source: str
    rater: RaterRef | None
    level: float
    display_level: int
    display_label: str
    confidence: float
    observed_at: datetime
    note: str
