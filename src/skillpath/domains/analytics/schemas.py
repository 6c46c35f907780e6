"""Pydantic shapes of the figures shown on each role's home page."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel

from skillpath.domains.evidence.schemas import EvidenceRead
from skillpath.domains.people.schemas import EmployeeSummary, PersonRef, UnitRef


class CountryHeadcount(BaseModel):
    """How many people work in a country today ("" when their location is unknown)."""

    country: str
    headcount: int


class UnitHeadcount(BaseModel):
    """An org unit and how many people work in it or any unit below it today."""

    unit: UnitRef
    headcount: int


class OrgFigures(BaseModel):
    """The organisation at a glance, for HR and executives; every count is from the database."""

    as_of: date
    active_headcount: int
    countries: int
    headcount_by_country: list[CountryHeadcount]
    largest_units: list[UnitHeadcount]
    units: int
    roles: int
    role_templates: int
    skills: int
    taxonomy_sources: int
    catalog_items: int
    evidence_window_days: int
    evidence_recent: int
    evidence_people_recent: int
    history_window_days: int
    openings_open: int
    openings_opened: int
    openings_filled: int
    openings_filled_internal: int
    internal_share: float | None
    median_days_to_fill: float | None
    median_days_to_fill_internal: float | None
    median_days_to_fill_external: float | None
    leavers: int


class TeamMember(BaseModel):
    """A direct report with how much evidence they have and how fresh it is."""

    person: EmployeeSummary
    evidence_count: int
    latest_evidence_at: datetime | None


class TeamFigures(BaseModel):
    """A manager's reporting line at a glance."""

    as_of: date
    manager: EmployeeSummary
    direct_count: int
    total_count: int
    direct_reports: list[TeamMember]
    freshness_window_days: int
    people_with_fresh_evidence: int
    fresh_share: float | None
    evidence_window_days: int
    evidence_recent: int
    latest_evidence_at: datetime | None


class EmployeeFigures(BaseModel):
    """A person's own situation: role, manager, unit and skill evidence."""

    as_of: date
    person: EmployeeSummary
    manager: PersonRef | None
    skills_with_evidence: int
    evidence_total: int
    role_skill_count: int
    role_skills_with_evidence: int
    latest_evidence: list[EvidenceRead]
