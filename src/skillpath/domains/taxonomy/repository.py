"""SQL of the taxonomy domain: sources, skills, aliases, relations, external ids, scales."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Row, case, func, literal, or_, select
from sqlalchemy.orm import Session, aliased

from skillpath.db import bulk
from skillpath.db.base import Base
from skillpath.db.bulk import delete_rows, table_of, update_rows
from skillpath.domains.taxonomy.models import (
    Skill,
    SkillAlias,
    SkillExternalId,
    SkillRelation,
    TaxonomySource,
)

# Reads for pages and the API

MAX_HIERARCHY_DEPTH = 50


def _skill_conditions(
    q: str | None, source_key: str | None, kind: str | None
) -> list[ColumnElement[bool]]:
    """Filters shared by the skill list and its count."""
    conditions: list[ColumnElement[bool]] = []
    needle = (q or "").strip().lower()
    if needle:
        by_alias = select(SkillAlias.skill_id).where(
            SkillAlias.label_lower.contains(needle, autoescape=True)
        )
        conditions.append(
            or_(Skill.name_lower.contains(needle, autoescape=True), Skill.id.in_(by_alias))
        )
    if source_key:
        conditions.append(
            Skill.source_id.in_(select(TaxonomySource.id).where(TaxonomySource.key == source_key))
        )
    if kind:
        conditions.append(Skill.kind == kind)
    return conditions


def search_skills(
    session: Session,
    *,
    q: str | None,
    source_key: str | None,
    kind: str | None,
    limit: int,
    offset: int,
) -> tuple[Sequence[Row[Skill, str]], int]:
    """Skills matching a name/alias query and filters, with their source key, and the total.

    Exact name matches come first, then names starting with the query, then the rest.
    """
    conditions = _skill_conditions(q, source_key, kind)
    needle = (q or "").strip().lower()
    ordering: list[ColumnElement[object]] = []
    if needle:
        ordering.append(
            case(
                (Skill.name_lower == needle, 0),
                (Skill.name_lower.startswith(needle, autoescape=True), 1),
                (Skill.name_lower.contains(needle, autoescape=True), 2),
                else_=3,
            )
        )
    rows = session.execute(
        select(Skill, TaxonomySource.key)
        .join(TaxonomySource, TaxonomySource.id == Skill.source_id)
        .where(*conditions)
        .order_by(*ordering, Skill.name_lower, Skill.id)
        .limit(limit)
        .offset(offset)
    ).all()
    total = session.scalar(select(func.count()).select_from(Skill).where(*conditions)) or 0
    return rows, int(total)


def external_ids_of(session: Session, skill_ids: Sequence[int]) -> dict[int, dict[str, str]]:
    """The identifiers of each skill in other systems, by skill id."""
    found: dict[int, dict[str, str]] = {}
    if not skill_ids:
        return found
    rows = session.execute(
        select(SkillExternalId.skill_id, SkillExternalId.system, SkillExternalId.value)
        .where(SkillExternalId.skill_id.in_(skill_ids))
        .order_by(SkillExternalId.system)
    ).all()
    for skill_id, system, value in rows:
        found.setdefault(skill_id, {})[system] = value
    return found


def skill_with_source(session: Session, skill_id: int) -> Row[Skill, TaxonomySource] | None:
    """A skill and the source it belongs to, if the skill exists."""
    return session.execute(
        select(Skill, TaxonomySource)
        .join(TaxonomySource, TaxonomySource.id == Skill.source_id)
        .where(Skill.id == skill_id)
    ).first()


def visible_aliases_of(session: Session, skill_id: int) -> list[str]:
    """The alternative labels of a skill (hidden search-only labels left out), A to Z."""
    return list(
        session.scalars(
            select(SkillAlias.label)
            .where(SkillAlias.skill_id == skill_id, SkillAlias.kind == "alt")
            .order_by(SkillAlias.label_lower)
        )
    )


def ancestors_of(session: Session, skill_id: int) -> list[tuple[int, str]]:
    """(id, name) of the parent chain of a skill, from the root down to its direct parent."""
    start = select(Skill.parent_id.label("id"), literal(1).label("depth")).where(
        Skill.id == skill_id, Skill.parent_id.is_not(None)
    )
    chain = start.cte("skill_ancestors", recursive=True)
    parent = aliased(Skill)
    chain = chain.union_all(
        select(parent.parent_id, chain.c.depth + 1).where(
            parent.id == chain.c.id,
            parent.parent_id.is_not(None),
            chain.c.depth < MAX_HIERARCHY_DEPTH,
        )
    )
    rows = session.execute(
        select(Skill.id, Skill.name, chain.c.depth)
        .join(chain, chain.c.id == Skill.id)
        .order_by(chain.c.depth.desc())
    ).all()
    seen: set[int] = set()
    ordered: list[tuple[int, str]] = []
    for row_id, name, _depth in rows:
        if row_id not in seen and row_id != skill_id:
            seen.add(row_id)
            ordered.append((row_id, name))
    return ordered


def _child_count_column() -> ColumnElement[int]:
    """How many skills have the outer skill as their parent (a correlated count)."""
    child = aliased(Skill)
    return (
        select(func.count())
        .select_from(child)
        .where(child.parent_id == Skill.id)
        .correlate(Skill)
        .scalar_subquery()
    )


def children_of(
    session: Session, skill_id: int, *, limit: int
) -> tuple[Sequence[Row[Skill, str, int]], int]:
    """The skills directly under a skill (groups first, then A to Z), and how many there are."""
    rows = session.execute(
        select(Skill, TaxonomySource.key, _child_count_column())
        .join(TaxonomySource, TaxonomySource.id == Skill.source_id)
        .where(Skill.parent_id == skill_id)
        .order_by(case((Skill.kind == "group", 0), else_=1), Skill.name_lower)
        .limit(limit)
    ).all()
    total = session.scalar(
        select(func.count()).select_from(Skill).where(Skill.parent_id == skill_id)
    )
    return rows, int(total or 0)


def relations_of(session: Session, skill_id: int, *, limit: int) -> list[tuple[str, str, int, str]]:
    """(kind, direction, other skill id, other skill name) of the links to and from a skill."""
    other = aliased(Skill)
    outgoing = session.execute(
        select(SkillRelation.kind, other.id, other.name)
        .join(other, other.id == SkillRelation.to_skill_id)
        .where(SkillRelation.from_skill_id == skill_id)
        .order_by(SkillRelation.kind, other.name_lower)
        .limit(limit)
    ).all()
    incoming = session.execute(
        select(SkillRelation.kind, other.id, other.name)
        .join(other, other.id == SkillRelation.from_skill_id)
        .where(SkillRelation.to_skill_id == skill_id)
        .order_by(SkillRelation.kind, other.name_lower)
        .limit(limit)
    ).all()
    return [(kind, "outgoing", oid, name) for kind, oid, name in outgoing] + [
        (kind, "incoming", oid, name) for kind, oid, name in incoming
    ]


def root_groups(
    session: Session, *, source_key: str | None = None
) -> Sequence[Row[Skill, str, int]]:
    """Skills without a parent that have skills under them: the tops of each hierarchy."""
    child = aliased(Skill)
    has_children = select(child.id).where(child.parent_id == Skill.id).exists()
    query = (
        select(Skill, TaxonomySource.key, _child_count_column())
        .join(TaxonomySource, TaxonomySource.id == Skill.source_id)
        .where(Skill.parent_id.is_(None), has_children)
        .order_by(TaxonomySource.key, Skill.name_lower)
    )
    if source_key:
        query = query.where(TaxonomySource.key == source_key)
    return session.execute(query).all()


def sources_with_counts(session: Session) -> Sequence[Row[TaxonomySource, int]]:
    """Every taxonomy source with the number of skills it holds."""
    counts = select(Skill.source_id, func.count().label("n")).group_by(Skill.source_id).subquery()
    return session.execute(
        select(TaxonomySource, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.source_id == TaxonomySource.id)
        .order_by(TaxonomySource.key)
    ).all()


def skill_names(session: Session, skill_ids: Iterable[int]) -> dict[int, str]:
    """Names of the skills among the ids that exist (any number of ids: asked in chunks)."""
    ids = sorted({int(i) for i in skill_ids})
    names: dict[int, str] = {}
    for start in range(0, len(ids), 5000):
        names.update(
            (int(i), str(n))
            for i, n in session.execute(
                select(Skill.id, Skill.name).where(Skill.id.in_(ids[start : start + 5000]))
            )
        )
    return names


def count_skills(session: Session) -> int:
    """How many skills (groups left out) the taxonomy holds, across all sources."""
    return int(
        session.scalar(select(func.count()).select_from(Skill).where(Skill.kind != "group")) or 0
    )


# Writes of taxonomy imports: in-memory snapshots of a source and bulk writes (db/bulk.py)

SkillState = tuple[str, str, str, str, str, int | None]
"""(name, description, kind, status, reuse_level, parent_id) of a skill, as imports compare it."""


def source_by_key(session: Session, key: str) -> TaxonomySource | None:
    """The taxonomy source with this key, if any."""
    return session.scalars(select(TaxonomySource).where(TaxonomySource.key == key)).first()


def sources_by_keys(session: Session, keys: Collection[str]) -> dict[str, TaxonomySource]:
    """The taxonomy sources with these keys, by key."""
    found = session.scalars(select(TaxonomySource).where(TaxonomySource.key.in_(list(keys))))
    return {source.key: source for source in found}


def add_source(session: Session, source: TaxonomySource) -> None:
    """Stage a new taxonomy source and flush so it gets its id."""
    session.add(source)
    session.flush()


def skill_states(session: Session, source_id: int) -> dict[str, tuple[int, SkillState]]:
    """Every skill of a source: external id → (id, compared values)."""
    rows = session.execute(
        select(
            Skill.external_id,
            Skill.id,
            Skill.name,
            Skill.description,
            Skill.kind,
            Skill.status,
            Skill.reuse_level,
            Skill.parent_id,
        ).where(Skill.source_id == source_id)
    )
    return {
        external_id: (skill_id, (name, description, kind, status, reuse, parent))
        for external_id, skill_id, name, description, kind, status, reuse, parent in rows
    }


def skill_ids(session: Session, source_id: int) -> dict[str, int]:
    """External id → id of every skill of a source."""
    rows = session.execute(select(Skill.external_id, Skill.id).where(Skill.source_id == source_id))
    return {row[0]: row[1] for row in rows}


def skills_by_external_ids(
    session: Session, external_ids: Collection[str]
) -> list[tuple[int, str, str, str]]:
    """(id, source key, external id, kind) of every skill with one of these external ids."""
    found: list[tuple[int, str, str, str]] = []
    wanted = sorted(set(external_ids))
    for start in range(0, len(wanted), 5000):
        rows = session.execute(
            select(Skill.id, TaxonomySource.key, Skill.external_id, Skill.kind)
            .join(TaxonomySource, TaxonomySource.id == Skill.source_id)
            .where(Skill.external_id.in_(wanted[start : start + 5000]))
        )
        found.extend((row[0], row[1], row[2], row[3]) for row in rows)
    return found


def insert_skills(session: Session, rows: Iterable[dict[str, Any]]) -> int:
    """Bulk-insert skill rows."""
    return bulk.copy_rows(session, table_of(Skill), rows)


def update_skills(session: Session, rows: Sequence[dict[str, Any]]) -> int:
    """Bulk-update skill rows by id."""
    return update_rows(session, table_of(Skill), rows)


def alias_states(session: Session, source_id: int) -> dict[tuple[int, str], tuple[int, str]]:
    """Every alias of a source's skills: (skill id, label) → (alias id, kind)."""
    rows = session.execute(
        select(SkillAlias.skill_id, SkillAlias.label, SkillAlias.id, SkillAlias.kind)
        .join(Skill, Skill.id == SkillAlias.skill_id)
        .where(Skill.source_id == source_id)
    )
    return {(skill_id, label): (alias_id, kind) for skill_id, label, alias_id, kind in rows}


def insert_aliases(session: Session, rows: Iterable[dict[str, Any]]) -> int:
    """Bulk-insert skill aliases."""
    return bulk.copy_rows(session, table_of(SkillAlias), rows)


def update_aliases(session: Session, rows: Sequence[dict[str, Any]]) -> int:
    """Bulk-update skill aliases by id."""
    return update_rows(session, table_of(SkillAlias), rows)


def delete_aliases(session: Session, ids: Iterable[int]) -> int:
    """Delete skill aliases by id."""
    return delete_rows(session, table_of(SkillAlias), ids)


def relation_states(
    session: Session, source_id: int
) -> dict[tuple[int, int, str], tuple[int, None]]:
    """Every relation starting at a source's skills: (from, to, kind) → (relation id, None)."""
    rows = session.execute(
        select(
            SkillRelation.from_skill_id,
            SkillRelation.to_skill_id,
            SkillRelation.kind,
            SkillRelation.id,
        )
        .join(Skill, Skill.id == SkillRelation.from_skill_id)
        .where(Skill.source_id == source_id)
    )
    return {(start, end, kind): (relation_id, None) for start, end, kind, relation_id in rows}


def insert_relations(session: Session, rows: Iterable[dict[str, Any]]) -> int:
    """Bulk-insert skill relations."""
    return bulk.copy_rows(session, table_of(SkillRelation), rows)


def delete_relations(session: Session, ids: Iterable[int]) -> int:
    """Delete skill relations by id."""
    return delete_rows(session, table_of(SkillRelation), ids)


def refresh_statistics(session: Session) -> None:
    """Let the database re-plan queries over the taxonomy tables after a bulk import."""
    bulk.analyze(session, [table_of(model) for model in (Skill, SkillAlias, SkillRelation)])


def skill_keys(session: Session) -> list[tuple[int, str, str]]:
    """(id, taxonomy source key, external id) of every skill, to resolve references in imports."""
    rows = session.execute(
        select(Skill.id, TaxonomySource.key, Skill.external_id).join(
            TaxonomySource, TaxonomySource.id == Skill.source_id
        )
    )
    return [(row[0], row[1], row[2]) for row in rows]


def group_skill_ids(session: Session) -> set[int]:
    """Ids of every skill group (of any source): profiles and evidence name skills, not groups."""
    return set(session.scalars(select(Skill.id).where(Skill.kind == "group")))


# Bulk writes of generated data (the demo company)


def write_generated_rows(
    session: Session, model: type[Base], rows: Iterable[dict[str, Any]]
) -> int:
    """Write new rows, ids included, into one of this domain's tables as fast as the database
    allows (COPY on PostgreSQL, prepared executemany on SQLite); returns how many were written."""
    if model.__module__ != "skillpath.domains.taxonomy.models":
        raise ValueError(f"{model.__name__} is not a table of this domain")
    return bulk.insert_new_rows(session, bulk.table_of(model), rows)


def skill_ids_by_labels(
    session: Session, *, source_key: str, labels: Collection[str]
) -> tuple[dict[str, int], dict[str, int]]:
    """Lower-cased label → id of a source's skill with that preferred label, and likewise for
    alternative labels (the smallest id when several skills share a label)."""
    wanted = sorted({label.lower() for label in labels})
    preferred: dict[str, int] = {}
    alternative: dict[str, int] = {}
    source = select(TaxonomySource.id).where(TaxonomySource.key == source_key)
    for start in range(0, len(wanted), 1000):
        chunk = wanted[start : start + 1000]
        rows = session.execute(
            select(Skill.name_lower, func.min(Skill.id))
            .where(Skill.source_id.in_(source), Skill.name_lower.in_(chunk))
            .group_by(Skill.name_lower)
        )
        preferred.update((label, int(skill_id)) for label, skill_id in rows)
        rows = session.execute(
            select(SkillAlias.label_lower, func.min(Skill.id))
            .join(Skill, Skill.id == SkillAlias.skill_id)
            .where(
                Skill.source_id.in_(source),
                SkillAlias.kind == "alt",
                SkillAlias.label_lower.in_(chunk),
            )
            .group_by(SkillAlias.label_lower)
        )
        alternative.update((label, int(skill_id)) for label, skill_id in rows)
    return preferred, alternative


def relation_keys_among(session: Session, skill_ids: Collection[int]) -> set[tuple[int, int, str]]:
    """(from, to, kind) of every relation that starts at one of these skills."""
    wanted = sorted(set(skill_ids))
    found: set[tuple[int, int, str]] = set()
    for start in range(0, len(wanted), 1000):
        rows = session.execute(
            select(
                SkillRelation.from_skill_id, SkillRelation.to_skill_id, SkillRelation.kind
            ).where(SkillRelation.from_skill_id.in_(wanted[start : start + 1000]))
        )
        found.update((int(a), int(b), str(kind)) for a, b, kind in rows)
    return found
