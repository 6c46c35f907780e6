"""SQL of the learning domain: catalog items, their skills, prerequisites and locales, and
completions."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Row, func, select
from sqlalchemy.orm import Session, aliased

from skillpath.db import bulk
from skillpath.db.base import Base
from skillpath.domains.learning.models import (
    Completion,
    ItemLocale,
    ItemPrerequisite,
    ItemSkill,
    LearningItem,
)
from skillpath.domains.people.models import Employee
from skillpath.domains.taxonomy.models import Skill

# Reads for pages and the API


def _item_conditions(
    *,
    q: str | None,
    kind: str | None,
    locale: str | None,
    offline: bool | None,
    max_minutes: int | None,
    skill_id: int | None,
    skill_query: str | None,
    provider: str | None,
) -> list[ColumnElement[bool]]:
    """Filters shared by the catalog list and its count (active items only)."""
    conditions: list[ColumnElement[bool]] = [LearningItem.active.is_(True)]
    needle = (q or "").strip().lower()
    if needle:
        conditions.append(LearningItem.title_lower.contains(needle, autoescape=True))
    if kind:
        conditions.append(LearningItem.kind == kind)
    if locale:
        conditions.append(
            LearningItem.id.in_(select(ItemLocale.item_id).where(ItemLocale.locale == locale))
        )
    if offline is not None:
        conditions.append(LearningItem.offline.is_(offline))
    if max_minutes is not None:
        conditions.append(LearningItem.minutes <= max_minutes)
    if skill_id is not None:
        conditions.append(
            LearningItem.id.in_(select(ItemSkill.item_id).where(ItemSkill.skill_id == skill_id))
        )
    skill_needle = (skill_query or "").strip().lower()
    if skill_needle:
        conditions.append(
            LearningItem.id.in_(
                select(ItemSkill.item_id)
                .join(Skill, Skill.id == ItemSkill.skill_id)
                .where(Skill.name_lower.contains(skill_needle, autoescape=True))
            )
        )
    if provider:
        conditions.append(LearningItem.provider == provider)
    return conditions


def search_items(
    session: Session,
    *,
    q: str | None = None,
    kind: str | None = None,
    locale: str | None = None,
    offline: bool | None = None,
    max_minutes: int | None = None,
    skill_id: int | None = None,
    skill_query: str | None = None,
    provider: str | None = None,
    limit: int,
    offset: int,
) -> tuple[Sequence[LearningItem], int]:
    """Active catalog items matching the filters, A to Z, and how many match."""
    conditions = _item_conditions(
        q=q,
        kind=kind,
        locale=locale,
        offline=offline,
        max_minutes=max_minutes,
        skill_id=skill_id,
        skill_query=skill_query,
        provider=provider,
    )
    items = session.scalars(
        select(LearningItem)
        .where(*conditions)
        .order_by(LearningItem.title_lower, LearningItem.id)
        .limit(limit)
        .offset(offset)
    ).all()
    total = session.scalar(select(func.count()).select_from(LearningItem).where(*conditions))
    return items, int(total or 0)


def locales_of(session: Session, item_ids: Sequence[int]) -> dict[int, list[str]]:
    """The locales each item is available in, by item id."""
    found: dict[int, list[str]] = {}
    if not item_ids:
        return found
    rows = session.execute(
        select(ItemLocale.item_id, ItemLocale.locale)
        .where(ItemLocale.item_id.in_(item_ids))
        .order_by(ItemLocale.locale)
    ).all()
    for item_id, locale in rows:
        found.setdefault(item_id, []).append(locale)
    return found


def item_by_id(session: Session, item_id: int) -> LearningItem | None:
    """The catalog item with this id, if any."""
    return session.get(LearningItem, item_id)


def skills_of_item(session: Session, item_id: int) -> Sequence[Row[ItemSkill, str]]:
    """The skills an item teaches, with names, highest level first."""
    return session.execute(
        select(ItemSkill, Skill.name)
        .join(Skill, Skill.id == ItemSkill.skill_id)
        .where(ItemSkill.item_id == item_id)
        .order_by(ItemSkill.level_gained.desc(), Skill.name_lower)
    ).all()


def prerequisites_of_item(
    session: Session, item_id: int
) -> Sequence[Row[ItemPrerequisite, str, str]]:
    """What an item requires, with the required item's title or the required skill's name
    (one of them is None: outer joins)."""
    required_item = aliased(LearningItem)
    return session.execute(
        select(ItemPrerequisite, required_item.title, Skill.name)
        .outerjoin(required_item, required_item.id == ItemPrerequisite.required_item_id)
        .outerjoin(Skill, Skill.id == ItemPrerequisite.required_skill_id)
        .where(ItemPrerequisite.item_id == item_id)
        .order_by(ItemPrerequisite.id)
    ).all()


def items_teaching_skill(
    session: Session, skill_id: int, *, limit: int
) -> tuple[Sequence[Row[LearningItem, float]], int]:
    """Active items that teach a skill (highest level first) and how many there are."""
    condition = (ItemSkill.skill_id == skill_id) & LearningItem.active.is_(True)
    rows = session.execute(
        select(LearningItem, ItemSkill.level_gained)
        .join(ItemSkill, ItemSkill.item_id == LearningItem.id)
        .where(condition)
        .order_by(ItemSkill.level_gained.desc(), LearningItem.minutes, LearningItem.title_lower)
        .limit(limit)
    ).all()
    total = session.scalar(
        select(func.count())
        .select_from(LearningItem)
        .join(ItemSkill, ItemSkill.item_id == LearningItem.id)
        .where(condition)
    )
    return rows, int(total or 0)


def catalog_locales(session: Session) -> list[str]:
    """Every locale some item is available in, A to Z."""
    return list(session.scalars(select(ItemLocale.locale).distinct().order_by(ItemLocale.locale)))


def catalog_providers(session: Session) -> list[str]:
    """Every provider named by an active item, A to Z."""
    return list(
        session.scalars(
            select(LearningItem.provider)
            .where(LearningItem.provider != "", LearningItem.active.is_(True))
            .distinct()
            .order_by(LearningItem.provider)
        )
    )


# Writes of the catalog CSV import: in-memory snapshots and bulk writes (db/bulk.py)

ItemState = tuple[str, str, str, int, float, str, bool, str, str, bool]
"""(title, description, kind, minutes, cost, currency, offline, provider, url, active) of an
item, as imports compare it."""
PrerequisiteKey = tuple[int, int | None, int | None]
"""(item_id, required_item_id, required_skill_id) of a prerequisite."""


def item_states(session: Session) -> dict[str, tuple[int, ItemState]]:
    """Every learning item: external id → (id, compared values)."""
    rows = session.execute(
        select(
            LearningItem.external_id,
            LearningItem.id,
            LearningItem.title,
            LearningItem.description,
            LearningItem.kind,
            LearningItem.minutes,
            LearningItem.cost,
            LearningItem.currency,
            LearningItem.offline,
            LearningItem.provider,
            LearningItem.url,
            LearningItem.active,
        )
    )
    return {row[0]: (row[1], (*row[2:],)) for row in rows}


def insert_items(session: Session, rows: Sequence[dict[str, Any]]) -> dict[str, int]:
    """Bulk-insert learning items; returns external id → new id."""
    table = bulk.table_of(LearningItem)
    bulk.insert_rows(session, table, rows)
    # Read back rather than RETURNING: see people.repository._insert_returning_ids.
    wanted = [row["external_id"] for row in rows]
    ids: dict[str, int] = {}
    for start in range(0, len(wanted), 1000):
        found = session.execute(
            select(LearningItem.external_id, LearningItem.id).where(
                LearningItem.external_id.in_(wanted[start : start + 1000])
            )
        )
        ids.update({row[0]: row[1] for row in found})
    return ids


def update_items(session: Session, rows: Sequence[dict[str, Any]]) -> int:
    """Bulk-update learning items by id."""
    return bulk.update_rows(session, bulk.table_of(LearningItem), rows)


def item_locale_states(
    session: Session, item_ids: Collection[int]
) -> dict[tuple[int, str], tuple[int, None]]:
    """Locales of some items: (item id, locale) → (row id, None)."""
    found: dict[tuple[int, str], tuple[int, None]] = {}
    for chunk in _chunks(item_ids):
        rows = session.execute(
            select(ItemLocale.item_id, ItemLocale.locale, ItemLocale.id).where(
                ItemLocale.item_id.in_(chunk)
            )
        )
        found.update({(row[0], row[1]): (row[2], None) for row in rows})
    return found


def item_skill_states(
    session: Session, item_ids: Collection[int]
) -> dict[tuple[int, int], tuple[int, float]]:
    """Skills taught by some items: (item id, skill id) → (row id, level gained)."""
    found: dict[tuple[int, int], tuple[int, float]] = {}
    for chunk in _chunks(item_ids):
        rows = session.execute(
            select(
                ItemSkill.item_id, ItemSkill.skill_id, ItemSkill.id, ItemSkill.level_gained
            ).where(ItemSkill.item_id.in_(chunk))
        )
        found.update({(row[0], row[1]): (row[2], row[3]) for row in rows})
    return found


def prerequisite_states(
    session: Session, item_ids: Collection[int] | None = None
) -> dict[PrerequisiteKey, tuple[int, float | None]]:
    """Prerequisites of some items (or all): key → (row id, required level)."""
    query = select(
        ItemPrerequisite.item_id,
        ItemPrerequisite.required_item_id,
        ItemPrerequisite.required_skill_id,
        ItemPrerequisite.id,
        ItemPrerequisite.required_level,
    )
    if item_ids is None:
        return {(r[0], r[1], r[2]): (r[3], r[4]) for r in session.execute(query)}
    found: dict[PrerequisiteKey, tuple[int, float | None]] = {}
    for chunk in _chunks(item_ids):
        rows = session.execute(query.where(ItemPrerequisite.item_id.in_(chunk)))
        found.update({(r[0], r[1], r[2]): (r[3], r[4]) for r in rows})
    return found


def insert_item_locales(session: Session, rows: Iterable[dict[str, Any]]) -> int:
    """Bulk-insert item locales."""
    return bulk.insert_rows(session, bulk.table_of(ItemLocale), rows)


def delete_item_locales(session: Session, ids: Iterable[int]) -> int:
    """Delete item locales by id."""
    return bulk.delete_rows(session, bulk.table_of(ItemLocale), ids)


def insert_item_skills(session: Session, rows: Iterable[dict[str, Any]]) -> int:
    """Bulk-insert item skills."""
    return bulk.insert_rows(session, bulk.table_of(ItemSkill), rows)


def update_item_skills(session: Session, rows: Sequence[dict[str, Any]]) -> int:
    """Bulk-update item skills by id."""
    return bulk.update_rows(session, bulk.table_of(ItemSkill), rows)


def delete_item_skills(session: Session, ids: Iterable[int]) -> int:
    """Delete item skills by id."""
    return bulk.delete_rows(session, bulk.table_of(ItemSkill), ids)


def insert_prerequisites(session: Session, rows: Iterable[dict[str, Any]]) -> int:
    """Bulk-insert item prerequisites."""
    return bulk.insert_rows(session, bulk.table_of(ItemPrerequisite), rows)


def update_prerequisites(session: Session, rows: Sequence[dict[str, Any]]) -> int:
    """Bulk-update item prerequisites by id."""
    return bulk.update_rows(session, bulk.table_of(ItemPrerequisite), rows)


def delete_prerequisites(session: Session, ids: Iterable[int]) -> int:
    """Delete item prerequisites by id."""
    return bulk.delete_rows(session, bulk.table_of(ItemPrerequisite), ids)


def _chunks(ids: Collection[int], size: int = 5000) -> list[list[int]]:
    """Ids in lists short enough for an IN clause."""
    ordered = sorted(ids)
    return [ordered[start : start + size] for start in range(0, len(ordered), size)]


# Completions (docs/consolidation.md "Learning completions")

CompletionKey = tuple[int, int, datetime]
"""(employee id, item id, completed at): a completion's natural key."""


def item_ids_by_external_id(session: Session) -> dict[str, int]:
    """External id → id of every catalog item, active or not."""
    rows = session.execute(select(LearningItem.external_id, LearningItem.id))
    return dict(rows.all())


def existing_employee_ids(session: Session, employee_ids: Collection[int]) -> set[int]:
    """The ids among these that name an employee (current or former)."""
    found: set[int] = set()
    for chunk in _chunks(set(employee_ids)):
        found.update(session.scalars(select(Employee.id).where(Employee.id.in_(chunk))))
    return found


def items_by_ids(session: Session, item_ids: Collection[int]) -> dict[int, LearningItem]:
    """The catalog items with these ids, active or not, by id (unknown ids left out)."""
    found: dict[int, LearningItem] = {}
    for chunk in _chunks(set(item_ids)):
        for item in session.scalars(select(LearningItem).where(LearningItem.id.in_(chunk))):
            found[item.id] = item
    return found


def levels_taught(
    session: Session, item_ids: Collection[int]
) -> dict[int, list[tuple[int, float]]]:
    """Per item id, the (skill id, level gained) pairs it teaches, by skill id."""
    found: dict[int, list[tuple[int, float]]] = {}
    for chunk in _chunks(set(item_ids)):
        rows = session.execute(
            select(ItemSkill.item_id, ItemSkill.skill_id, ItemSkill.level_gained)
            .where(ItemSkill.item_id.in_(chunk))
            .order_by(ItemSkill.item_id, ItemSkill.skill_id)
        )
        for item_id, skill_id, level in rows:
            found.setdefault(item_id, []).append((skill_id, level))
    return found


def completion_ids(session: Session, keys: Collection[CompletionKey]) -> dict[CompletionKey, int]:
    """The stored completions among these natural keys: key → completion id."""
    wanted = set(keys)
    by_employee: dict[int, set[int]] = {}
    for employee_id, item_id, _at in wanted:
        by_employee.setdefault(employee_id, set()).add(item_id)
    found: dict[CompletionKey, int] = {}
    for chunk in _chunks(by_employee, size=1000):
        items = set().union(*(by_employee[employee_id] for employee_id in chunk))
        rows = session.execute(
            select(
                Completion.employee_id, Completion.item_id, Completion.completed_at, Completion.id
            ).where(Completion.employee_id.in_(chunk), Completion.item_id.in_(sorted(items)))
        )
        for employee_id, item_id, completed_at, completion_id in rows:
            key = (employee_id, item_id, completed_at)
            if key in wanted:
                found[key] = completion_id
    return found


def add_completions(session: Session, completions: Sequence[Completion]) -> None:
    """Insert new completions and give them their ids."""
    session.add_all(completions)
    session.flush()


# Bulk writes of generated data (the demo company)


def write_generated_rows(
    session: Session, model: type[Base], rows: Iterable[dict[str, Any]]
) -> int:
    """Write new rows, ids included, into one of this domain's tables as fast as the database
    allows (COPY on PostgreSQL, prepared executemany on SQLite); returns how many were written."""
    if model.__module__ != "skillpath.domains.learning.models":
        raise ValueError(f"{model.__name__} is not a table of this domain")
    return bulk.insert_new_rows(session, bulk.table_of(model), rows)
