"""Pydantic shapes of the taxonomy: what pages and the API read and what imports accept."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel

# Reads for pages and the API

SkillKind = Literal["skill", "knowledge", "competence", "tool", "language", "group"]
RelationDirection = Literal["outgoing", "incoming"]


class SkillRef(BaseModel):
    """A skill named by its id and name (inside other records)."""

    id: int
    name: str


class SkillSummary(BaseModel):
    """A skill as lists show it, with its identifiers in every known system."""

    id: int
    name: str
    kind: str
    status: str
    source: str
    external_id: str
    external_ids: dict[str, str]
    description: str


class TaxonomySourceRead(BaseModel):
    """A taxonomy source (ESCO, O*NET, the demo, a custom CSV) and how many skills it holds."""

    id: int
    key: str
    title: str
    version: str
    language: str
    attribution: str
    skill_count: int


class SkillGroupRead(BaseModel):
    """A node of the hierarchy with the number of skills directly under it."""

    id: int
    name: str
    kind: str
    source: str
    child_count: int


class SkillRelationRead(BaseModel):
    """A typed link from (outgoing) or to (incoming) the skill being read."""

    kind: str
    direction: RelationDirection
    skill: SkillRef


class RoleNeedingSkill(BaseModel):
    """A role whose profile asks for the skill, at a target level (latent and 5-point)."""

    id: int
    title: str
    source: str
    is_template: bool
    target_level: float
    display_level: int
    importance: float
    essential: bool


class ItemTeachingSkill(BaseModel):
    """A catalog item that teaches the skill and the level a learner reaches with it."""

    id: int
    title: str
    kind: str
    minutes: int
    level_gained: float
    display_level: int


class SkillDetail(SkillSummary):
    """One skill with its labels, place in the hierarchy, relations, roles and learning."""

    source_title: str
    source_version: str
    attribution: str
    aliases: list[str]
    breadcrumb: list[SkillRef]
    children: list[SkillGroupRead]
    children_total: int
    relations: list[SkillRelationRead]
    roles: list[RoleNeedingSkill]
    roles_total: int
    items: list[ItemTeachingSkill]
    items_total: int


# Records of taxonomy imports (plain dataclasses: hundreds of thousands are built per import)


@dataclass(frozen=True, slots=True)
class SkillRecord:
    """A skill or group as an import file describes it; `broader` lists parent external ids."""

    external_id: str
    name: str
    kind: str
    description: str = ""
    status: str = "active"
    reuse_level: str = ""
    alt_labels: tuple[str, ...] = ()
    hidden_labels: tuple[str, ...] = ()
    broader: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SkillLinkRecord:
    """A typed link between two skills of the same source, by external id."""

    from_external_id: str
    to_external_id: str
    kind: str


@dataclass(frozen=True, slots=True)
class RoleTemplateRecord:
    """An occupation of a taxonomy, imported as a role template."""

    external_id: str
    title: str
    description: str = ""
    code: str = ""
    family: str = ""
    level: int = 1
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RoleSkillRecord:
    """A line of a role template's profile, by external ids; levels on the latent scale."""

    role_external_id: str
    skill_external_id: str
    target_level: float
    importance: float
    essential: bool


@dataclass
class TaxonomyBundle:
    """Everything one taxonomy import writes, parsed and checked, before any write."""

    source_key: str
    label: str
    title: str
    version: str
    attribution: str
    language: str = "en"
    skills: list[SkillRecord] = field(default_factory=list)
    links: list[SkillLinkRecord] = field(default_factory=list)
    roles: list[RoleTemplateRecord] = field(default_factory=list)
    role_skills: list[RoleSkillRecord] = field(default_factory=list)
    rows_read: int = 0
    notes: list[str] = field(default_factory=list)
