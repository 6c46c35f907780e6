"""Pydantic shapes of skill evidence as pages and the API read it."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

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


# Consolidated profile builds


class ProfileBuildRead(BaseModel):
    """One consolidation run: what it covered, how many profile rows it wrote, under which
    policy (as JSON), and how long it took."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: str
    started_at: datetime
    finished_at: datetime
    as_of: datetime
    employees: int
    rows: int
    policy: str

    @property
    def seconds(self) -> float:
        """Wall-clock duration of the run."""
        return (self.finished_at - self.started_at).total_seconds()
