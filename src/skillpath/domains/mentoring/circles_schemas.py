"""Shapes of a peer coaching circles proposal (docs/mentoring.md, "Peer coaching circles")."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from skillpath.domains.people.schemas import PersonRef
from skillpath.domains.taxonomy.schemas import SkillRef


class CircleGoal(BaseModel):
    """A skill two or more members of a circle want."""

    skill: SkillRef
    members: list[PersonRef]


class CircleStrength(BaseModel):
    """A member holding a skill at Advanced or above that other members want."""

    skill: SkillRef
    holder: PersonRef
    level: int = Field(description="The holder's level on the 5-point scale")
    label: str
    learners: list[PersonRef]


class ProposedCircle(BaseModel):
    """One circle: its members, its value and the value's two parts, and why."""

    members: list[PersonRef]
    value: float = Field(description="Σ over pairs of 0.5·shared + 0.5·complementary")
    shared: float = Field(description="The shared-goals part of the value")
    complementary: float = Field(description="The complementary-strengths part of the value")
    shared_goals: list[CircleGoal]
    strengths: list[CircleStrength]
    reasons: list[str]


class CirclesProposal(BaseModel):
    """A partition of a program's waiting peers into circles of 4–6, with who waits and the
    measured gap to an upper bound of the optimum."""

    program_id: int
    peers: int = Field(description="Peers waiting for a circle (enrolled or waitlisted)")
    method: Literal["exact", "heuristic"]
    optimal: bool = Field(description="Proven optimal (the exact solver, up to 12 peers)")
    value: float
    bound: float = Field(description="An upper bound on the best possible value")
    gap: float = Field(description="(bound − value) / bound")
    start_value: float = Field(description="The heuristic's goal-sorted start")
    circles: list[ProposedCircle]
    waitlisted: list[PersonRef]
    waitlist_reason: str
    conflicts: list[list[PersonRef]] = Field(
        description="Excluded pairs (reporting line, opt-out) that had to share a circle"
    )
