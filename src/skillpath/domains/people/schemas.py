"""Pydantic shapes of the organisation, people and roles."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel

from skillpath.domains.evidence.schemas import EvidenceRead
from skillpath.domains.taxonomy.schemas import SkillRef

# Reads for pages and the API


class RoleRef(BaseModel):
    """A role named by its id and title."""

    id: int
    title: str


class UnitRef(BaseModel):
    """An org unit named by its id and name."""

    id: int
    name: str


class PersonRef(BaseModel):
    """A person named by their id and full name."""

    id: int
    name: str


class LocationRead(BaseModel):
    """A work location with the country, locale and time zone it implies."""

    id: int
    external_id: str
    name: str
    country: str
    locale: str
    timezone: str


class EmployeeSummary(BaseModel):
    """A person as directories show them."""

    id: int
    external_id: str
    first_name: str
    last_name: str
    email: str | None
    job_title: str
    role: RoleRef | None
    manager_id: int | None
    unit: UnitRef | None
    location: LocationRead | None
    hired_on: date
    left_on: date | None
    active: bool


class MoveRead(BaseModel):
    """A change of role or unit in a person's history (promotion, lateral, reskill …)."""

    id: int
    moved_on: date
    kind: str
    from_role: RoleRef | None
    to_role: RoleRef | None
    from_unit: UnitRef | None
    to_unit: UnitRef | None
    opening_id: int | None


class EmployeeDetail(EmployeeSummary):
    """One person with their manager, reports, skill evidence (newest first) and moves (newest
    first)."""

    languages: list[str]
    manager: PersonRef | None
    reporting_chain: list[PersonRef]
    direct_reports: list[EmployeeSummary]
    evidence: list[EvidenceRead]
    evidence_total: int
    moves: list[MoveRead] = []


class RoleSummary(BaseModel):
    """A role (or a role template) as lists show it."""

    id: int
    title: str
    family: str
    level: int
    source: str
    external_id: str
    code: str
    is_template: bool
    is_critical: bool
    skill_count: int
    people_count: int


class RoleSkillRead(BaseModel):
    """A line of a role's skill profile: target level (latent and display) and importance."""

    skill: SkillRef
    target_level: float
    display_level: int
    display_label: str
    importance: float
    importance_label: str
    essential: bool


class RoleDetail(RoleSummary):
    """One role with its description, alternate titles and skill profile."""

    description: str
    aliases: list[str]
    skills: list[RoleSkillRead]


class OrgUnitRead(BaseModel):
    """An org unit with its active headcount (own, and including every sub-unit)."""

    id: int
    external_id: str
    name: str
    kind: str
    parent_id: int | None
    depth: int
    headcount: int
    total_headcount: int


class OrgUnitDetail(OrgUnitRead):
    """One org unit with the path from the root and its direct sub-units."""

    breadcrumb: list[UnitRef]
    children: list[OrgUnitRead]
    location: LocationRead | None
