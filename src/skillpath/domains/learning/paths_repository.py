"""SQL of learning paths: the catalog as planner arrays, and path, step and event rows."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from skillpath.domains.evidence.models import EmployeeSkill, SkillIntent
from skillpath.domains.identity.models import User
from skillpath.domains.identity.visibility import reporting_line
from skillpath.domains.learning.engine.model import Catalog
from skillpath.domains.learning.models import (
    Completion,
    ItemLocale,
    ItemPrerequisite,
    ItemSkill,
    LearningItem,
    LearningPath,
    PathCohort,
    PathEvent,
    PathStep,
    PathTemplate,
)
from skillpath.domains.people.models import Employee, OrgUnit, Role, RoleSkill
from skillpath.domains.people.repository import active_on
from skillpath.domains.taxonomy.models import Skill


@dataclass(frozen=True)
class CatalogArrays:
    """The active catalog as the planner sees it, with the database ids of its items.

    Skills are indexed by their database id (the planner only range-checks them, so
    `skill_count` is the largest skill id plus one)."""

    catalog: Catalog
    item_ids: np.ndarray
    """Database id of planner item k."""
    titles: tuple[str, ...]
    currency: str
    fingerprint: tuple[object, ...]

    def position_of(self) -> dict[int, int]:
        """Planner item of each database id."""
        return {int(item_id): k for k, item_id in enumerate(self.item_ids.tolist())}


_CACHE: dict[tuple[str, tuple[object, ...]], CatalogArrays] = {}


def catalog_fingerprint(session: Session) -> tuple[object, ...]:
    """What the catalog arrays depend on, cheaply: counts, id sums and latest changes."""
    items = session.execute(
        select(
            func.count(),
            func.coalesce(func.sum(LearningItem.id), 0),
            func.max(LearningItem.updated_at),
            func.coalesce(func.sum(LearningItem.minutes), 0),
        ).where(LearningItem.active.is_(True))
    ).one()
    skills = session.execute(
        select(
            func.count(),
            func.coalesce(func.sum(ItemSkill.id), 0),
            func.coalesce(func.sum(ItemSkill.level_gained), 0.0),
        )
    ).one()
    prerequisites = session.execute(
        select(func.count(), func.coalesce(func.sum(ItemPrerequisite.id), 0))
    ).one()
    locales = session.execute(select(func.count(), func.coalesce(func.sum(ItemLocale.id), 0))).one()
    top_skill = session.scalar(select(func.coalesce(func.max(Skill.id), 0)))
    return (
        *tuple(items),
        *tuple(skills),
        *tuple(prerequisites),
        *tuple(locales),
        top_skill,
    )


def load_catalog(session: Session) -> CatalogArrays:
    """The active catalog as planner arrays, cached per database and catalog state."""
    fingerprint = catalog_fingerprint(session)
    key = (str(session.get_bind().engine.url), fingerprint)
    cached = _CACHE.get(key)
    if cached is not None:
        return cached
    rows = session.execute(
        select(
            LearningItem.id,
            LearningItem.title,
            LearningItem.kind,
            LearningItem.minutes,
            LearningItem.cost,
            LearningItem.offline,
            LearningItem.currency,
        )
        .where(LearningItem.active.is_(True))
        .order_by(LearningItem.id)
    ).all()
    item_ids = np.array([row.id for row in rows], dtype=np.int64)
    position = {int(item_id): k for k, item_id in enumerate(item_ids.tolist())}
    locales: list[list[str]] = [[] for _ in rows]
    for item_id, locale in session.execute(
        select(ItemLocale.item_id, ItemLocale.locale).order_by(ItemLocale.id)
    ):
        k = position.get(item_id)
        if k is not None:
            locales[k].append(locale)
    teach_item: list[int] = []
    teach_skill: list[int] = []
    teach_level: list[float] = []
    for item_id, skill_id, level in session.execute(
        select(ItemSkill.item_id, ItemSkill.skill_id, ItemSkill.level_gained).order_by(ItemSkill.id)
    ):
        k = position.get(item_id)
        if k is not None:
            teach_item.append(k)
            teach_skill.append(skill_id)
            teach_level.append(level)
    prerequisite_item: list[int] = []
    prerequisite_required: list[int] = []
    skill_item: list[int] = []
    skill_skill: list[int] = []
    skill_level: list[float] = []
    inactive_required: set[int] = set()
    for item_id, required_item, required_skill, required_level in session.execute(
        select(
            ItemPrerequisite.item_id,
            ItemPrerequisite.required_item_id,
            ItemPrerequisite.required_skill_id,
            ItemPrerequisite.required_level,
        ).order_by(ItemPrerequisite.id)
    ):
        k = position.get(item_id)
        if k is None:
            continue
        if required_item is not None:
            required = position.get(required_item)
            if required is None:
                inactive_required.add(k)
                continue
            prerequisite_item.append(k)
            prerequisite_required.append(required)
        elif required_skill is not None and required_level is not None:
            skill_item.append(k)
            skill_skill.append(required_skill)
            skill_level.append(required_level)
    currencies = {row.currency for row in rows}
    top_skill = int(fingerprint[-1])  # type: ignore[call-overload]
    catalog = Catalog(
        minutes=np.array([row.minutes for row in rows], dtype=np.int64),
        cost=np.array([row.cost for row in rows], dtype=np.float64),
        kind=tuple(row.kind for row in rows),
        offline=np.array([row.offline for row in rows], dtype=np.bool_),
        locales=tuple(tuple(found) for found in locales),
        teach_item=np.array(teach_item, dtype=np.int64),
        teach_skill=np.array(teach_skill, dtype=np.int64),
        teach_level=np.array(teach_level, dtype=np.float64),
        skill_count=top_skill + 1,
        prerequisite_item=np.array(prerequisite_item, dtype=np.int64),
        prerequisite_required_item=np.array(prerequisite_required, dtype=np.int64),
        skill_prerequisite_item=np.array(skill_item, dtype=np.int64),
        skill_prerequisite_skill=np.array(skill_skill, dtype=np.int64),
        skill_prerequisite_level=np.array(skill_level, dtype=np.float64),
    )
    if inactive_required:
        # An item whose required item was withdrawn cannot be taken: it teaches nothing to the
        # planner, so no plan uses it.
        catalog = _without(catalog, inactive_required)
    arrays = CatalogArrays(
        catalog=catalog,
        item_ids=item_ids,
        titles=tuple(row.title for row in rows),
        currency=sorted(currencies)[0] if len(currencies) == 1 else "EUR",
        fingerprint=fingerprint,
    )
    if len(_CACHE) > 8:
        _CACHE.clear()
    _CACHE[key] = arrays
    return arrays


def _without(catalog: Catalog, blocked: set[int]) -> Catalog:
    """The catalog where the blocked items teach nothing (so no plan uses them)."""
    keep = ~np.isin(catalog.teach_item, np.array(sorted(blocked), dtype=np.int64))
    return Catalog(
        minutes=catalog.minutes,
        cost=catalog.cost,
        kind=catalog.kind,
        offline=catalog.offline,
        locales=catalog.locales,
        teach_item=catalog.teach_item[keep],
        teach_skill=catalog.teach_skill[keep],
        teach_level=catalog.teach_level[keep],
        skill_count=catalog.skill_count,
        prerequisite_item=catalog.prerequisite_item,
        prerequisite_required_item=catalog.prerequisite_required_item,
        skill_prerequisite_item=catalog.skill_prerequisite_item,
        skill_prerequisite_skill=catalog.skill_prerequisite_skill,
        skill_prerequisite_level=catalog.skill_prerequisite_level,
    )


def completed_items(session: Session, employee_id: int) -> set[int]:
    """Database ids of the items the person has completed."""
    return set(
        session.scalars(
            select(Completion.item_id).where(Completion.employee_id == employee_id).distinct()
        )
    )


def role_title(session: Session, role_id: int) -> str | None:
    """A role's title, or None when there is no such role."""
    return session.scalar(select(Role.title).where(Role.id == role_id))


def path_by_id(session: Session, path_id: int) -> LearningPath | None:
    """A path row."""
    return session.get(LearningPath, path_id)


def steps_of(session: Session, path_ids: Collection[int]) -> dict[int, list[PathStep]]:
    """Steps of paths in position order, by path."""
    found: dict[int, list[PathStep]] = {path_id: [] for path_id in path_ids}
    if not path_ids:
        return found
    for step in session.scalars(
        select(PathStep)
        .where(PathStep.path_id.in_(sorted(path_ids)))
        .order_by(PathStep.path_id, PathStep.position)
    ):
        found[step.path_id].append(step)
    return found


def events_of(session: Session, path_id: int) -> Sequence[PathEvent]:
    """A path's events, oldest first."""
    return session.scalars(
        select(PathEvent).where(PathEvent.path_id == path_id).order_by(PathEvent.at, PathEvent.id)
    ).all()


def paths_of_employee(session: Session, employee_id: int) -> Sequence[LearningPath]:
    """A person's paths, newest first."""
    return session.scalars(
        select(LearningPath)
        .where(LearningPath.employee_id == employee_id)
        .order_by(LearningPath.created_at.desc(), LearningPath.id.desc())
    ).all()


def paths_with_status(
    session: Session, *, statuses: Collection[str], employee_ids: Collection[int] | None
) -> Sequence[LearningPath]:
    """Paths in some states, of some people (None: everyone), oldest change first."""
    query = select(LearningPath).where(LearningPath.status.in_(sorted(statuses)))
    if employee_ids is not None:
        if not employee_ids:
            return []
        query = query.where(LearningPath.employee_id.in_(sorted(employee_ids)))
    return session.scalars(query.order_by(LearningPath.updated_at, LearningPath.id)).all()


def people_names(session: Session, employee_ids: Collection[int]) -> dict[int, str]:
    """Full names by employee id."""
    if not employee_ids:
        return {}
    return {
        row.id: f"{row.first_name} {row.last_name}"
        for row in session.execute(
            select(Employee.id, Employee.first_name, Employee.last_name).where(
                Employee.id.in_(sorted(employee_ids))
            )
        )
    }


def employee_row(session: Session, employee_id: int) -> Employee | None:
    """An employee row."""
    return session.get(Employee, employee_id)


def items_state(session: Session, item_ids: Collection[int]) -> dict[int, Any]:
    """Whether each item is still active, and its minutes now (to notice catalog changes)."""
    if not item_ids:
        return {}
    return {
        row.id: row
        for row in session.execute(
            select(LearningItem.id, LearningItem.active, LearningItem.minutes).where(
                LearningItem.id.in_(sorted(item_ids))
            )
        )
    }


def templates(session: Session, *, include_inactive: bool = False) -> Sequence[PathTemplate]:
    """Path templates by name."""
    query = select(PathTemplate)
    if not include_inactive:
        query = query.where(PathTemplate.active.is_(True))
    return session.scalars(query.order_by(PathTemplate.name)).all()


def template_by_name(session: Session, name: str) -> PathTemplate | None:
    """A template by its exact name."""
    return session.scalar(select(PathTemplate).where(PathTemplate.name == name))


def cohorts(session: Session, template_id: int | None = None) -> Sequence[PathCohort]:
    """Cohorts, newest first."""
    query = select(PathCohort)
    if template_id is not None:
        query = query.where(PathCohort.template_id == template_id)
    return session.scalars(query.order_by(PathCohort.created_at.desc(), PathCohort.id.desc())).all()


def paths_of_cohort(session: Session, cohort_id: int) -> Sequence[LearningPath]:
    """The paths of a cohort's members."""
    return session.scalars(
        select(LearningPath).where(LearningPath.cohort_id == cohort_id).order_by(LearningPath.id)
    ).all()


def active_employees(
    session: Session, *, day: date, unit_ids: Collection[int] | None, role_id: int | None
) -> list[int]:
    """Ids of people employed on a day, optionally in some units (each with every unit below
    it, as campaigns and the directory count them) or a role."""
    query = select(Employee.id).where(Employee.hired_on <= day, active_on(day))
    if unit_ids is not None:
        tree = (
            select(OrgUnit.id.label("id"))
            .where(OrgUnit.id.in_(sorted(unit_ids)))
            .cte("cohort_units", recursive=True)
        )
        below = aliased(OrgUnit)
        tree = tree.union(select(below.id).where(below.parent_id == tree.c.id))
        query = query.where(Employee.org_unit_id.in_(select(tree.c.id)))
    if role_id is not None:
        query = query.where(Employee.role_id == role_id)
    return list(session.scalars(query.order_by(Employee.id)))


def levels_of_employee(session: Session, employee_id: int) -> dict[int, float]:
    """A person's consolidated levels by skill id."""
    return dict(
        session.execute(
            select(EmployeeSkill.skill_id, EmployeeSkill.level).where(
                EmployeeSkill.employee_id == employee_id
            )
        ).all()
    )


def develop_intents(session: Session, employee_id: int) -> list[int]:
    """Skills the person marked "develop", oldest first."""
    return list(
        session.scalars(
            select(SkillIntent.skill_id)
            .where(SkillIntent.employee_id == employee_id, SkillIntent.intent == "develop")
            .order_by(SkillIntent.updated_at, SkillIntent.skill_id)
        )
    )


def proposed_count(session: Session, *, manager_id: int | None, exclude: int | None) -> int:
    """How many proposed paths there are in a manager's reporting line (None: everyone's),
    leaving out the paths of `exclude` (the viewer's own)."""
    query = select(func.count()).select_from(LearningPath).where(LearningPath.status == "proposed")
    if manager_id is not None:
        line = reporting_line(manager_id)
        query = query.where(LearningPath.employee_id.in_(select(line.c.id)))
    if exclude is not None:
        query = query.where(LearningPath.employee_id != exclude)
    return int(session.scalar(query) or 0)


def user_emails(session: Session, user_ids: Collection[int]) -> dict[int, str]:
    """E-mail of users by id (inactive users included: they still signed what they did)."""
    if not user_ids:
        return {}
    return dict(
        session.execute(select(User.id, User.email).where(User.id.in_(sorted(user_ids)))).all()
    )


def role_requirements(session: Session, role_id: int) -> list[tuple[int, float]]:
    """(skill, target level) of a role's profile, most important first."""
    return [
        (row.skill_id, row.target_level)
        for row in session.execute(
            select(RoleSkill.skill_id, RoleSkill.target_level)
            .where(RoleSkill.role_id == role_id)
            .order_by(RoleSkill.importance.desc(), RoleSkill.skill_id)
        )
    ]


def skills_taught(session: Session, item_id: int) -> list[int]:
    """Skills an item teaches."""
    return list(session.scalars(select(ItemSkill.skill_id).where(ItemSkill.item_id == item_id)))


def steps_completed_elsewhere(session: Session) -> list[tuple[PathStep, int, datetime]]:
    """Planned steps of approved or active paths whose item the person has completed (from an
    import or the LMS): (step, completion id, completed at), the earliest completion each."""
    first = (
        select(
            Completion.employee_id,
            Completion.item_id,
            func.min(Completion.id).label("completion_id"),
        )
        .group_by(Completion.employee_id, Completion.item_id)
        .subquery()
    )
    rows = session.execute(
        select(PathStep, first.c.completion_id)
        .join(LearningPath, LearningPath.id == PathStep.path_id)
        .join(
            first,
            (first.c.employee_id == LearningPath.employee_id)
            & (first.c.item_id == PathStep.item_id),
        )
        .where(
            PathStep.status == "planned",
            LearningPath.status.in_(("approved", "active")),
        )
        .order_by(PathStep.path_id, PathStep.position)
    ).all()
    when = (
        dict(
            session.execute(
                select(Completion.id, Completion.completed_at).where(
                    Completion.id.in_(sorted({row[1] for row in rows}))
                )
            ).all()
        )
        if rows
        else {}
    )
    return [(row[0], row[1], when[row[1]]) for row in rows]
