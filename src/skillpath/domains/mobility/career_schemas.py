"""API shapes of career paths: the roles a person could reach next and a role's neighbours."""

from __future__ import annotations

from pydantic import BaseModel, Field

from skillpath.domains.people.schemas import PersonRef, RoleRef
from skillpath.domains.taxonomy.schemas import SkillRef


class CareerEdge(BaseModel):
    """One edge of the role graph: how close the roles are and what the history shows."""

    from_role: RoleRef
    to_role: RoleRef
    score: float = Field(description="(κ·similarity + moves) / (κ + moves), κ = prior strength")
    similarity: float = Field(description="Share of the target's weighted profile covered")
    observed_moves: int = Field(description="People who moved along this edge in the history")
    typical_months: float
    months_observed: bool = Field(
        description="True: median months in role before the observed moves; false: estimate"
    )


class MissingSkill(BaseModel):
    """A skill of the target role the person is short of (latent levels and 5-point levels)."""

    skill: SkillRef
    current_level: float
    current_display_level: int
    target_level: float
    target_display_level: int
    importance: float
    shortfall: float


class CareerSuggestion(BaseModel):
    """A role reachable from the current one, with the path, its evidence and the person's gap."""

    role: RoleRef
    family: str
    level: int
    path: list[RoleRef] = Field(description="From the current role to this one")
    steps: int
    score: float = Field(description="Edge score, or the product of both edges' scores")
    similarity: float = Field(description="Similarity of the current role to this one")
    observed_moves: int = Field(description="People who moved from the current role to this one")
    typical_months: float = Field(description="Sum of the path's edges' typical months")
    months_observed: bool = Field(description="True when every edge's months are observed")
    edges: list[CareerEdge]
    readiness: float | None = Field(
        description="Σ min(level, target)·importance / Σ target·importance (None: no profile)"
    )
    weighted_shortfall: float = Field(description="Σ max(0, target − level)·importance")
    skills_required: int
    skills_met: int
    missing_skills: list[MissingSkill]
    why: str


class CareerPaths(BaseModel):
    """A person's next roles, best first."""

    employee: PersonRef
    current_role: RoleRef | None
    steps: int
    items: list[CareerSuggestion]
    moves_in_history: int = Field(description="Observed role-to-role moves the graph learned from")


class RoleNeighbour(BaseModel):
    """A role one edge away, with that edge."""

    role: RoleRef
    family: str
    level: int
    edge: CareerEdge


class RoleNeighbours(BaseModel):
    """A role's next roles (outgoing edges) and the roles that lead to it (incoming edges)."""

    role: RoleRef
    family: str
    level: int
    next_roles: list[RoleNeighbour]
    previous_roles: list[RoleNeighbour]
