"""Typed `make_*` builders for tests: each creates one row with sensible defaults and flushes."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from skillpath.domains.evidence.models import SkillEvidence
from skillpath.domains.identity import service as identity
from skillpath.domains.identity.models import User
from skillpath.domains.learning.models import ItemLocale, ItemSkill, LearningItem
from skillpath.domains.people.models import Employee, Location, OrgUnit, Role, RoleSkill
from skillpath.domains.taxonomy.models import Skill, TaxonomySource

_sequence = itertools.count(1)


def _next() -> int:
    return next(_sequence)


def make_source(session: Session, key: str = "custom") -> TaxonomySource:
    """The taxonomy source with this key (created on first use)."""
    found = session.scalars(select(TaxonomySource).where(TaxonomySource.key == key)).first()
    if found is not None:
        return found
    source = TaxonomySource(key=key, title=key.upper(), version="test")
    session.add(source)
    session.flush()
    return source


def make_skill(
    session: Session,
    name: str | None = None,
    *,
    source_key: str = "custom",
    kind: str = "skill",
    parent: Skill | None = None,
    description: str = "",
) -> Skill:
    """A skill in a taxonomy source."""
    n = _next()
    name = name or f"Skill {n}"
    skill = Skill(
        source_id=make_source(session, source_key).id,
        external_id=f"skill-{n}",
        name=name,
        name_lower=name.lower(),
        kind=kind,
        description=description,
        parent_id=parent.id if parent else None,
    )
    session.add(skill)
    session.flush()
    return skill


def make_location(
    session: Session, *, country: str = "GB", locale: str = "en", timezone: str = "Europe/London"
) -> Location:
    """A work location."""
    n = _next()
    location = Location(
        external_id=f"loc-{n}", name=f"Site {n}", country=country, locale=locale, timezone=timezone
    )
    session.add(location)
    session.flush()
    return location


def make_unit(
    session: Session, name: str | None = None, *, parent: OrgUnit | None = None
) -> OrgUnit:
    """An org unit."""
    n = _next()
    unit = OrgUnit(
        external_id=f"unit-{n}", name=name or f"Unit {n}", parent_id=parent.id if parent else None
    )
    session.add(unit)
    session.flush()
    return unit


def make_role(
    session: Session,
    title: str | None = None,
    *,
    family: str = "General",
    level: int = 1,
    skills: list[tuple[Skill, float, float]] | None = None,
) -> Role:
    """A role with an optional profile of (skill, target level, importance)."""
    n = _next()
    title = title or f"Role {n}"
    role = Role(
        source="org",
        external_id=f"role-{n}",
        title=title,
        title_lower=title.lower(),
        family=family,
        level=level,
    )
    session.add(role)
    session.flush()
    for skill, target, importance in skills or []:
        session.add(
            RoleSkill(
                role_id=role.id, skill_id=skill.id, target_level=target, importance=importance
            )
        )
    session.flush()
    return role


def make_employee(
    session: Session,
    first_name: str = "Alex",
    last_name: str | None = None,
    *,
    manager: Employee | None = None,
    unit: OrgUnit | None = None,
    role: Role | None = None,
    location: Location | None = None,
    hired_on: date = date(2022, 1, 10),
    left_on: date | None = None,
) -> Employee:
    """An employee."""
    n = _next()
    last_name = last_name or f"Tester{n}"
    employee = Employee(
        external_id=f"E{n:05d}",
        first_name=first_name,
        last_name=last_name,
        name_lower=f"{first_name} {last_name}".lower(),
        email=f"{first_name}.{last_name}.{n}@example.com".lower(),
        manager_id=manager.id if manager else None,
        org_unit_id=unit.id if unit else None,
        role_id=role.id if role else None,
        location_id=location.id if location else None,
        hired_on=hired_on,
        left_on=left_on,
        languages=["en"],
    )
    session.add(employee)
    session.flush()
    return employee


def make_user(
    session: Session,
    *,
    role: str = "employee",
    employee: Employee | None = None,
    email: str | None = None,
    password: str | None = "correct-horse",
) -> User:
    """A user (through the identity service, so passwords are hashed as in production)."""
    n = _next()
    return identity.create_user(
        session,
        email=email or f"user{n}@example.com",
        role=role,
        employee_external_id=employee.external_id if employee else None,
        password=password,
    )


def make_item(
    session: Session,
    title: str | None = None,
    *,
    kind: str = "e-learning",
    minutes: int = 60,
    cost: float = 0.0,
    locales: tuple[str, ...] = ("en",),
    offline: bool = False,
    teaches: list[tuple[Skill, float]] | None = None,
) -> LearningItem:
    """A catalog item teaching (skill, level gained) pairs."""
    n = _next()
    title = title or f"Course {n}"
    item = LearningItem(
        external_id=f"item-{n}",
        title=title,
        title_lower=title.lower(),
        kind=kind,
        minutes=minutes,
        cost=cost,
        offline=offline,
    )
    session.add(item)
    session.flush()
    for locale in locales:
        session.add(ItemLocale(item_id=item.id, locale=locale))
    for skill, level in teaches or []:
        session.add(ItemSkill(item_id=item.id, skill_id=skill.id, level_gained=level))
    session.flush()
    return item


def make_evidence(
    session: Session,
    employee: Employee,
    skill: Skill,
    *,
    level: float = 0.6,
    source: str = "self",
    confidence: float = 0.5,
    observed_at: datetime | None = None,
    rater: Employee | None = None,
) -> SkillEvidence:
    """One piece of skill evidence."""
    n = _next()
    evidence = SkillEvidence(
        fingerprint=n,
        employee_id=employee.id,
        skill_id=skill.id,
        source=source,
        rater_id=rater.id if rater else None,
        level=level,
        confidence=confidence,
        observed_at=observed_at or datetime(2025, 6, 1, tzinfo=UTC),
    )
    session.add(evidence)
    session.flush()
    return evidence
