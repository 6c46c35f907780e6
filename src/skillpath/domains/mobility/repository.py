"""SQL of the marketplace: the workforce and the opportunities as match-engine columns (cached per
database state), and opportunity rows."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import scipy.sparse as sp
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from skillpath.core.places import language_of, utc_offset
from skillpath.domains.evidence.models import EmployeeSkill, ProfileBuild, SkillIntent
from skillpath.domains.learning.models import LearningPath
from skillpath.domains.mobility.engine.matching import Opportunities, People
from skillpath.domains.mobility.models import (
    Opportunity,
    OpportunityInterest,
    OpportunityNotification,
    OpportunitySkill,
)
from skillpath.domains.people.models import Employee, Location, OrgUnit, Role, RoleSkill
from skillpath.domains.people.repository import active_on
from skillpath.domains.taxonomy.models import Skill

OPEN_PATH_STATUSES = ("draft", "proposed", "approved", "active")


@dataclass(frozen=True)
class Codes:
    """How database values map onto the engine's codes."""

    languages: dict[str, int]
    """Language → bit (bits 0–61; rarer languages share bit 62)."""
    countries: dict[str, int]

    def language_mask(self, tags: Sequence[str]) -> int:
        mask = 0
        for tag in tags:
            language = language_of(tag)
            if language:
                mask |= 1 << self.languages.get(language, 62)
        return mask


@dataclass(frozen=True)
class Workforce:
    """Everyone employed on a day, as the match engine's `People`, with lookups."""

    people: People
    row_of: dict[int, int]
    role: np.ndarray
    codes: Codes
    fingerprint: tuple[object, ...]


def _fingerprint(session: Session, day: date) -> tuple[object, ...]:
    build = session.execute(select(func.max(ProfileBuild.id))).scalar()
    people = session.execute(select(func.count(), func.max(Employee.updated_at))).one()
    intents = session.execute(select(func.count(), func.max(SkillIntent.updated_at))).one()
    paths = session.execute(select(func.count(), func.max(LearningPath.updated_at))).one()
    locations = session.execute(select(func.count(), func.max(Location.id))).one()
    return (day, build, *people, *intents, *paths, *locations)


_WORKFORCE: dict[tuple[str, tuple[object, ...]], Workforce] = {}
_OPPORTUNITIES: dict[tuple[str, tuple[object, ...]], tuple[Opportunities, dict[int, int]]] = {}


def _key(session: Session) -> str:
    return str(session.get_bind().engine.url)


def codes(session: Session) -> Codes:
    """Language bits by how many people speak each (most first), countries in name order."""
    counts: dict[str, int] = {}
    for (languages,) in session.execute(select(Employee.languages)):
        for tag in languages or []:
            language = language_of(str(tag))
            if language:
                counts[language] = counts.get(language, 0) + 1
    for (locale,) in session.execute(select(Location.locale)):
        language = language_of(locale or "")
        if language:
            counts.setdefault(language, 0)
    ordered = sorted(counts, key=lambda lang: (-counts[lang], lang))[:62]
    countries = sorted({c for (c,) in session.execute(select(Location.country)) if c})
    return Codes(
        languages={lang: bit for bit, lang in enumerate(ordered)},
        countries={country: k for k, country in enumerate(countries)},
    )


def workforce(session: Session, day: date) -> Workforce:
    """The workforce on a day as engine columns, cached per database state."""
    fingerprint = _fingerprint(session, day)
    key = (_key(session), fingerprint)
    cached = _WORKFORCE.get(key)
    if cached is not None:
        return cached
    table_codes = codes(session)
    locations = {
        row.id: (
            table_codes.countries.get(row.country, -1),
            utc_offset(row.timezone, day),
            row.locale,
        )
        for row in session.execute(
            select(Location.id, Location.country, Location.timezone, Location.locale)
        )
    }
    people = session.execute(
        select(Employee.id, Employee.role_id, Employee.location_id, Employee.languages)
        .where(Employee.hired_on <= day, active_on(day))
        .order_by(Employee.id)
    ).all()
    ids = np.array([row.id for row in people], dtype=np.int64)
    row_of = {int(employee): k for k, employee in enumerate(ids.tolist())}
    n = ids.size
    top_skill = int(session.scalar(select(func.coalesce(func.max(Skill.id), 0))) or 0) + 1
    top_role = int(session.scalar(select(func.coalesce(func.max(Role.id), 0))) or 0) + 1
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    for employee, skill, level in session.execute(
        select(EmployeeSkill.employee_id, EmployeeSkill.skill_id, EmployeeSkill.level).where(
            EmployeeSkill.level > 0
        )
    ):
        k = row_of.get(employee)
        if k is not None:
            rows.append(k)
            cols.append(skill)
            vals.append(min(max(level, 0.0), 1.0))
    levels = sp.csc_matrix((vals, (rows, cols)), shape=(n, top_skill))
    develop_rows: list[int] = []
    develop_cols: list[int] = []
    for employee, skill in session.execute(
        select(SkillIntent.employee_id, SkillIntent.skill_id).where(SkillIntent.intent == "develop")
    ):
        k = row_of.get(employee)
        if k is not None:
            develop_rows.append(k)
            develop_cols.append(skill)
    develop = sp.csc_matrix(
        (np.ones(len(develop_rows)), (develop_rows, develop_cols)), shape=(n, top_skill)
    )
    target_rows: list[int] = []
    target_cols: list[int] = []
    for employee, role in session.execute(
        select(LearningPath.employee_id, LearningPath.target_role_id)
        .where(
            LearningPath.mode == "reskill",
            LearningPath.status.in_(OPEN_PATH_STATUSES),
            LearningPath.target_role_id.is_not(None),
        )
        .distinct()
    ):
        k = row_of.get(employee)
        if k is not None and role is not None:
            target_rows.append(k)
            target_cols.append(role)
    targets = sp.csc_matrix(
        (np.ones(len(target_rows)), (target_rows, target_cols)), shape=(n, top_role)
    )
    targets.data[:] = 1.0
    develop.data[:] = 1.0
    location = np.array([row.location_id or -1 for row in people], dtype=np.int64)
    country = np.array(
        [locations.get(row.location_id, (-1, 0.0, ""))[0] for row in people], dtype=np.int64
    )
    offset = np.array(
        [locations.get(row.location_id, (-1, 0.0, ""))[1] for row in people], dtype=np.float64
    )
    languages = np.array(
        [
            table_codes.language_mask(
                [*(row.languages or []), str(locations.get(row.location_id, (-1, 0.0, ""))[2])]
            )
            for row in people
        ],
        dtype=np.int64,
    )
    built = Workforce(
        people=People(
            ids=ids,
            levels=levels,
            develop=develop,
            targets=targets,
            location=location,
            country=country,
            utc_offset=offset,
            languages=languages,
        ),
        row_of=row_of,
        role=np.array([row.role_id or -1 for row in people], dtype=np.int64),
        codes=table_codes,
        fingerprint=fingerprint,
    )
    if len(_WORKFORCE) > 4:
        _WORKFORCE.clear()
    _WORKFORCE[key] = built
    return built


def _opportunity_fingerprint(session: Session) -> tuple[object, ...]:
    rows = session.execute(
        select(func.count(), func.max(Opportunity.updated_at), func.max(Opportunity.id))
    ).one()
    skills = session.execute(
        select(
            func.count(),
            func.coalesce(func.sum(OpportunitySkill.id), 0),
            func.coalesce(func.sum(OpportunitySkill.level), 0.0),
            func.coalesce(func.sum(OpportunitySkill.importance), 0.0),
        )
    ).one()
    return (*rows, *skills)


def open_opportunities(
    session: Session, workforce_codes: Codes, day: date
) -> tuple[Opportunities, dict[int, int]]:
    """Open opportunities as engine rows (and each id's row), cached per database state."""
    fingerprint = (
        *_opportunity_fingerprint(session),
        day,
        tuple(sorted(workforce_codes.languages.items())),
    )
    key = (_key(session), fingerprint)
    cached = _OPPORTUNITIES.get(key)
    if cached is not None:
        return cached
    rows = session.execute(
        select(
            Opportunity.id,
            Opportunity.role_id,
            Opportunity.location_id,
            Opportunity.remote,
            Opportunity.language,
            Location.country,
            Location.timezone,
        )
        .outerjoin(Location, Location.id == Opportunity.location_id)
        .where(Opportunity.status == "open")
        .order_by(Opportunity.id)
    ).all()
    row_of = {row.id: k for k, row in enumerate(rows)}
    top_skill = int(session.scalar(select(func.coalesce(func.max(Skill.id), 0))) or 0) + 1
    r: list[int] = []
    c: list[int] = []
    level: list[float] = []
    weight: list[float] = []
    if rows:
        for opportunity, skill, target, importance in session.execute(
            select(
                OpportunitySkill.opportunity_id,
                OpportunitySkill.skill_id,
                OpportunitySkill.level,
                OpportunitySkill.importance,
            ).order_by(OpportunitySkill.opportunity_id, OpportunitySkill.skill_id)
        ):
            k = row_of.get(opportunity)
            if k is not None:
                r.append(k)
                c.append(skill)
                level.append(target)
                weight.append(importance)
    shape = (len(rows), top_skill)
    target_matrix = sp.csr_matrix((level, (r, c)), shape=shape)
    importance_matrix = sp.csr_matrix((weight, (r, c)), shape=shape)
    target_matrix.sort_indices()
    importance_matrix.sort_indices()
    built = (
        Opportunities(
            ids=np.array([row.id for row in rows], dtype=np.int64),
            target=target_matrix,
            importance=importance_matrix,
            role=np.array([row.role_id or -1 for row in rows], dtype=np.int64),
            location=np.array([row.location_id or -1 for row in rows], dtype=np.int64),
            country=np.array(
                [workforce_codes.countries.get(row.country or "", -1) for row in rows],
                dtype=np.int64,
            ),
            remote=np.array([bool(row.remote) for row in rows], dtype=np.bool_),
            utc_offset=np.array(
                [utc_offset(row.timezone or "UTC", day) for row in rows], dtype=np.float64
            ),
            language=np.array(
                [
                    workforce_codes.language_mask([row.language]) if row.language else 0
                    for row in rows
                ],
                dtype=np.int64,
            ),
        ),
        row_of,
    )
    if len(_OPPORTUNITIES) > 8:
        _OPPORTUNITIES.clear()
    _OPPORTUNITIES[key] = built
    return built


# Rows


def opportunity(session: Session, opportunity_id: int) -> Opportunity | None:
    """One opportunity."""
    return session.get(Opportunity, opportunity_id)


def opportunity_of_opening(session: Session, opening_id: int) -> int | None:
    """The id of the opportunity already posted for an opening, if any."""
    return session.scalar(
        select(Opportunity.id).where(Opportunity.opening_id == opening_id).limit(1)
    )


def owners_and_kinds(
    session: Session, opportunity_ids: Collection[int]
) -> dict[int, tuple[int | None, str]]:
    """(owner, kind) of each opportunity, in one query."""
    if not opportunity_ids:
        return {}
    return {
        row.id: (row.owner_id, row.kind)
        for row in session.execute(
            select(Opportunity.id, Opportunity.owner_id, Opportunity.kind).where(
                Opportunity.id.in_(sorted(opportunity_ids))
            )
        )
    }


def opportunity_skills(
    session: Session, opportunity_ids: Collection[int]
) -> dict[int, list[tuple[int, str, float, float]]]:
    """(skill id, name, level, importance) per opportunity, most important first."""
    found: dict[int, list[tuple[int, str, float, float]]] = {k: [] for k in opportunity_ids}
    if not opportunity_ids:
        return found
    for row in session.execute(
        select(
            OpportunitySkill.opportunity_id,
            OpportunitySkill.skill_id,
            Skill.name,
            OpportunitySkill.level,
            OpportunitySkill.importance,
        )
        .join(Skill, Skill.id == OpportunitySkill.skill_id)
        .where(OpportunitySkill.opportunity_id.in_(sorted(opportunity_ids)))
        .order_by(OpportunitySkill.importance.desc(), Skill.name)
    ):
        found[row.opportunity_id].append((row.skill_id, row.name, row.level, row.importance))
    return found


def list_opportunities(
    session: Session,
    *,
    statuses: Collection[str],
    kind: str | None,
    q: str | None,
    owner_ids: Collection[int] | None,
    limit: int,
    offset: int,
) -> tuple[list[Opportunity], int]:
    """Opportunities by newest, with a total."""
    conditions: list[Any] = [Opportunity.status.in_(sorted(statuses))]
    if kind:
        conditions.append(Opportunity.kind == kind)
    needle = (q or "").strip().lower()
    if needle:
        conditions.append(func.lower(Opportunity.title).contains(needle, autoescape=True))
    if owner_ids is not None:
        conditions.append(Opportunity.owner_id.in_(sorted(owner_ids)))
    total = session.scalar(select(func.count()).select_from(Opportunity).where(*conditions)) or 0
    rows = session.scalars(
        select(Opportunity)
        .where(*conditions)
        .order_by(Opportunity.published_at.desc().nulls_last(), Opportunity.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return list(rows), int(total)


def role_profile(session: Session, role_id: int) -> list[tuple[int, float, float]]:
    """(skill, target level, importance) of a role's profile."""
    return [
        (row.skill_id, row.target_level, row.importance)
        for row in session.execute(
            select(RoleSkill.skill_id, RoleSkill.target_level, RoleSkill.importance)
            .where(RoleSkill.role_id == role_id, RoleSkill.target_level > 0)
            .order_by(RoleSkill.skill_id)
        )
    ]


def names(
    session: Session,
    *,
    roles: Collection[int] = (),
    units: Collection[int] = (),
    locations: Collection[int] = (),
    skills: Collection[int] = (),
) -> tuple[dict[int, str], dict[int, str], dict[int, str], dict[int, str]]:
    """Titles and names by id, for reads."""

    def lookup(column_id: Any, column_name: Any, wanted: Collection[int]) -> dict[int, str]:
        if not wanted:
            return {}
        return dict(
            session.execute(
                select(column_id, column_name).where(column_id.in_(sorted(wanted)))
            ).all()
        )

    return (
        lookup(Role.id, Role.title, roles),
        lookup(OrgUnit.id, OrgUnit.name, units),
        lookup(Location.id, Location.name, locations),
        lookup(Skill.id, Skill.name, skills),
    )


def interests_of(
    session: Session, employee_id: int, opportunity_ids: Collection[int] | None = None
) -> dict[int, str]:
    """The person's interest status per opportunity."""
    query = select(OpportunityInterest.opportunity_id, OpportunityInterest.status).where(
        OpportunityInterest.employee_id == employee_id
    )
    if opportunity_ids is not None:
        query = query.where(OpportunityInterest.opportunity_id.in_(sorted(opportunity_ids)))
    return dict(session.execute(query).all())


def interests_in(session: Session, opportunity_id: int) -> dict[int, str]:
    """Each person's interest status in one opportunity."""
    return dict(
        session.execute(
            select(OpportunityInterest.employee_id, OpportunityInterest.status).where(
                OpportunityInterest.opportunity_id == opportunity_id
            )
        ).all()
    )


def notified(session: Session, opportunity_id: int) -> set[int]:
    """People already told about an opportunity."""
    return set(
        session.scalars(
            select(OpportunityNotification.recipient_id).where(
                OpportunityNotification.opportunity_id == opportunity_id
            )
        )
    )


def notifications_of(session: Session, employee_id: int, limit: int) -> Sequence[Any]:
    """A person's match notifications, newest first, with the opportunity title."""
    return session.execute(
        select(OpportunityNotification, Opportunity.title, Opportunity.kind, Opportunity.status)
        .join(Opportunity, Opportunity.id == OpportunityNotification.opportunity_id)
        .where(OpportunityNotification.recipient_id == employee_id)
        .order_by(OpportunityNotification.sent_at.desc(), OpportunityNotification.id.desc())
        .limit(limit)
    ).all()


def employee_rows(session: Session, employee_ids: Collection[int]) -> dict[int, Any]:
    """Name, role, unit and location ids of people."""
    if not employee_ids:
        return {}
    return {
        row.id: row
        for row in session.execute(
            select(
                Employee.id,
                Employee.first_name,
                Employee.last_name,
                Employee.role_id,
                Employee.org_unit_id,
                Employee.location_id,
                Employee.manager_id,
            ).where(Employee.id.in_(sorted(employee_ids)))
        )
    }
