"""Cross-domain read-only SQL for the figures of the home pages (counts, windows, medians)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from skillpath.domains.evidence.models import SkillEvidence
from skillpath.domains.identity.visibility import reporting_line
from skillpath.domains.learning.models import LearningItem
from skillpath.domains.people.models import Employee, Location, Opening, OrgUnit, Role
from skillpath.domains.people.repository import active_on
from skillpath.domains.taxonomy.models import Skill, TaxonomySource


def active_headcount(session: Session, today: date) -> int:
    """How many people are employed today."""
    return int(
        session.scalar(select(func.count()).select_from(Employee).where(active_on(today))) or 0
    )


def headcount_by_country(session: Session, today: date) -> list[tuple[str, int]]:
    """(country, people employed today), largest first; "" for people without a location."""
    country = func.coalesce(Location.country, "")
    rows = session.execute(
        select(country, func.count())
        .select_from(Employee)
        .outerjoin(Location, Location.id == Employee.location_id)
        .where(active_on(today))
        .group_by(country)
        .order_by(func.count().desc(), country)
    ).all()
    return [(str(code), int(n)) for code, n in rows]


def count_org_units(session: Session) -> int:
    """How many org units exist."""
    return int(session.scalar(select(func.count()).select_from(OrgUnit)) or 0)


def count_roles(session: Session, *, templates: bool) -> int:
    """How many of the organisation's roles (or of the imported role templates) exist."""
    return int(
        session.scalar(
            select(func.count()).select_from(Role).where(Role.is_template.is_(templates))
        )
        or 0
    )


def count_skills(session: Session) -> int:
    """How many skills (groups left out) the taxonomy holds, across all sources."""
    return int(
        session.scalar(select(func.count()).select_from(Skill).where(Skill.kind != "group")) or 0
    )


def count_taxonomy_sources(session: Session) -> int:
    """How many taxonomy sources were imported."""
    return int(session.scalar(select(func.count()).select_from(TaxonomySource)) or 0)


def count_catalog_items(session: Session) -> int:
    """How many active items the catalog holds."""
    return int(
        session.scalar(
            select(func.count()).select_from(LearningItem).where(LearningItem.active.is_(True))
        )
        or 0
    )


def evidence_since(session: Session, since: datetime) -> tuple[int, int]:
    """(evidence rows, distinct people) observed since a moment."""
    rows, people = session.execute(
        select(func.count(), func.count(distinct(SkillEvidence.employee_id))).where(
            SkillEvidence.observed_at >= since
        )
    ).one()
    return int(rows), int(people)


def filled_openings(session: Session, start: date, end: date) -> list[tuple[date, date, str]]:
    """(opened on, filled on, internal/external) of openings filled in [start, end]."""
    rows = session.execute(
        select(Opening.opened_on, Opening.filled_on, func.coalesce(Opening.fill_source, "")).where(
            Opening.filled_on.is_not(None), Opening.filled_on >= start, Opening.filled_on <= end
        )
    ).all()
    return [(opened, filled, str(source)) for opened, filled, source in rows if filled is not None]


def count_open_openings(session: Session) -> int:
    """How many openings are open now."""
    return int(
        session.scalar(select(func.count()).select_from(Opening).where(Opening.status == "open"))
        or 0
    )


def count_openings_opened(session: Session, start: date, end: date) -> int:
    """How many openings were opened in [start, end]."""
    return int(
        session.scalar(
            select(func.count())
            .select_from(Opening)
            .where(Opening.opened_on >= start, Opening.opened_on <= end)
        )
        or 0
    )


def count_leavers(session: Session, start: date, end: date) -> int:
    """How many people left in [start, end] (their leaving date falls in the window)."""
    return int(
        session.scalar(
            select(func.count())
            .select_from(Employee)
            .where(
                Employee.left_on.is_not(None), Employee.left_on >= start, Employee.left_on <= end
            )
        )
        or 0
    )


def reporting_line_headcount(session: Session, manager_id: int, today: date) -> int:
    """How many people employed today report to a manager, directly or not."""
    line = reporting_line(manager_id)
    return int(
        session.scalar(
            select(func.count())
            .select_from(Employee)
            .where(Employee.id.in_(select(line.c.id)), active_on(today))
        )
        or 0
    )


def reporting_line_evidence(
    session: Session, manager_id: int, today: date, *, fresh_since: datetime, recent_since: datetime
) -> tuple[int, int, datetime | None]:
    """For the current reporting line of a manager: people with evidence since `fresh_since`,
    evidence rows since `recent_since`, and the newest observation."""
    line = reporting_line(manager_id)
    in_line = select(Employee.id).where(Employee.id.in_(select(line.c.id)), active_on(today))
    fresh_people = session.scalar(
        select(func.count(distinct(SkillEvidence.employee_id))).where(
            SkillEvidence.employee_id.in_(in_line), SkillEvidence.observed_at >= fresh_since
        )
    )
    recent_rows = session.scalar(
        select(func.count())
        .select_from(SkillEvidence)
        .where(SkillEvidence.employee_id.in_(in_line), SkillEvidence.observed_at >= recent_since)
    )
    newest = session.scalar(
        select(func.max(SkillEvidence.observed_at)).where(SkillEvidence.employee_id.in_(in_line))
    )
    return int(fresh_people or 0), int(recent_rows or 0), newest
