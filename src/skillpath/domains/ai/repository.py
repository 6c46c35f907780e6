"""SQL of the ai domain: the skills, aliases and roles the rankers index, their fingerprints, and
the suggestions made from text with the rows their acceptance writes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

import numpy as np
import numpy.typing as npt
from sqlalchemy import ColumnElement, Row, Select, and_, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from skillpath.domains.ai.models import SkillSuggestion
from skillpath.domains.evidence.models import SkillEvidence
from skillpath.domains.identity.models import User
from skillpath.domains.identity.visibility import Viewer, visible_to
from skillpath.domains.learning.models import ItemSkill, LearningItem
from skillpath.domains.people.models import Employee, Role, RoleAlias, RoleSkill
from skillpath.domains.taxonomy.models import Skill, SkillAlias, TaxonomySource

ESSENTIAL_FROM = 0.75
"""A profile line is a must-have from this importance on (as O*NET imports decide)."""


@dataclass(frozen=True)
class SkillTexts:
    """The rankable skills of a source (groups and deprecated skills left out), in id order."""

    ids: list[int]
    external_ids: list[str]
    names: list[str]
    descriptions: list[str]
    alias_owner: list[int]
    """Position (in `ids`) of the skill each alias belongs to."""
    alias_labels: list[str]
    alias_hidden: list[bool]


def _rankable(source_key: str | None) -> list[ColumnElement[bool]]:
    """Skills worth suggesting: not groups, not deprecated, of the source when one is named."""
    conditions: list[ColumnElement[bool]] = [Skill.kind != "group", Skill.status == "active"]
    if source_key:
        conditions.append(
            Skill.source_id.in_(select(TaxonomySource.id).where(TaxonomySource.key == source_key))
        )
    return conditions


def source_exists(session: Session, source_key: str) -> bool:
    """True when a taxonomy source with this key exists."""
    return (
        session.scalar(select(TaxonomySource.id).where(TaxonomySource.key == source_key))
        is not None
    )


def source_keys(session: Session) -> list[str]:
    """Keys of every taxonomy source, A to Z."""
    return list(session.scalars(select(TaxonomySource.key).order_by(TaxonomySource.key)))


def skill_fingerprint(session: Session, source_key: str | None) -> tuple[object, ...]:
    """A cheap summary that changes whenever the rankable skills or their labels change: counts,
    id sums and the latest update, of skills and aliases, plus the sources' versions."""
    conditions = _rankable(source_key)
    skills = session.execute(
        select(func.count(Skill.id), func.sum(Skill.id), func.max(Skill.updated_at)).where(
            *conditions
        )
    ).one()
    aliases = session.execute(
        select(func.count(SkillAlias.id), func.sum(SkillAlias.id), func.max(SkillAlias.id))
        .join(Skill, Skill.id == SkillAlias.skill_id)
        .where(*conditions)
    ).one()
    versions = session.execute(
        select(TaxonomySource.key, TaxonomySource.version, TaxonomySource.imported_at)
        .where(TaxonomySource.key == source_key if source_key else TaxonomySource.id.is_not(None))
        .order_by(TaxonomySource.key)
    ).all()
    return (
        int(skills[0] or 0),
        int(skills[1] or 0),
        str(skills[2]),
        int(aliases[0] or 0),
        int(aliases[1] or 0),
        int(aliases[2] or 0),
        tuple((key, version, str(when)) for key, version, when in versions),
    )


def skill_texts(session: Session, source_key: str | None) -> SkillTexts:
    """Labels, descriptions and aliases of the rankable skills of a source (or of all)."""
    conditions = _rankable(source_key)
    rows = session.execute(
        select(Skill.id, Skill.external_id, Skill.name, Skill.description)
        .where(*conditions)
        .order_by(Skill.id)
    ).all()
    position = {row[0]: n for n, row in enumerate(rows)}
    aliases = session.execute(
        select(SkillAlias.skill_id, SkillAlias.label, SkillAlias.kind)
        .join(Skill, Skill.id == SkillAlias.skill_id)
        .where(*conditions)
        .order_by(SkillAlias.skill_id, SkillAlias.id)
    ).all()
    return SkillTexts(
        ids=[row[0] for row in rows],
        external_ids=[row[1] for row in rows],
        names=[row[2] for row in rows],
        descriptions=[row[3] or "" for row in rows],
        alias_owner=[position[skill_id] for skill_id, _label, _kind in aliases],
        alias_labels=[label for _skill_id, label, _kind in aliases],
        alias_hidden=[kind == "hidden" for _skill_id, _label, kind in aliases],
    )


def role_demand(session: Session, skill_ids: Sequence[int]) -> npt.NDArray[np.float64]:
    """For each skill (in the order given), the summed importance of the role profile lines that
    ask for it: internal roles and ESCO/O*NET templates alike."""
    rows = session.execute(
        select(RoleSkill.skill_id, func.sum(RoleSkill.importance)).group_by(RoleSkill.skill_id)
    )
    totals = {int(skill_id): float(total or 0.0) for skill_id, total in rows}
    return np.asarray([totals.get(skill_id, 0.0) for skill_id in skill_ids])


@dataclass(frozen=True)
class RoleTexts:
    """Roles (internal ones and ESCO/O*NET templates) with their titles and alternate titles."""

    ids: list[int]
    sources: list[str]
    external_ids: list[str]
    titles: list[str]
    is_template: list[bool]
    alias_owner: list[int]
    alias_titles: list[str]


def role_fingerprint(session: Session, sources: Sequence[str]) -> tuple[object, ...]:
    """A cheap summary that changes whenever the roles or their alternate titles change."""
    condition = Role.source.in_(list(sources)) if sources else Role.id.is_not(None)
    roles = session.execute(
        select(func.count(Role.id), func.sum(Role.id), func.max(Role.updated_at)).where(condition)
    ).one()
    aliases = session.execute(
        select(func.count(RoleAlias.id), func.sum(RoleAlias.id))
        .join(Role, Role.id == RoleAlias.role_id)
        .where(condition)
    ).one()
    return (
        int(roles[0] or 0),
        int(roles[1] or 0),
        str(roles[2]),
        int(aliases[0] or 0),
        int(aliases[1] or 0),
    )


def role_texts(session: Session, sources: Sequence[str]) -> RoleTexts:
    """Titles and alternate titles of the roles of some sources (every role when empty)."""
    condition = Role.source.in_(list(sources)) if sources else Role.id.is_not(None)
    rows = session.execute(
        select(Role.id, Role.source, Role.external_id, Role.title, Role.is_template)
        .where(condition)
        .order_by(Role.id)
    ).all()
    position = {row[0]: n for n, row in enumerate(rows)}
    aliases = session.execute(
        select(RoleAlias.role_id, RoleAlias.title)
        .join(Role, Role.id == RoleAlias.role_id)
        .where(condition)
        .order_by(RoleAlias.role_id, RoleAlias.id)
    ).all()
    return RoleTexts(
        ids=[row[0] for row in rows],
        sources=[row[1] for row in rows],
        external_ids=[row[2] for row in rows],
        titles=[row[3] for row in rows],
        is_template=[bool(row[4]) for row in rows],
        alias_owner=[position[role_id] for role_id, _title in aliases],
        alias_titles=[title for _role_id, title in aliases],
    )


def role_sources(session: Session) -> list[str]:
    """Every role source present (org, esco, onet, demo …), A to Z."""
    return list(session.scalars(select(Role.source).distinct().order_by(Role.source)))


# Suggestions


@dataclass(frozen=True)
class TargetText:
    """A role, item or employee whose text is read for skills."""

    id: int
    title: str
    text: str


def roles_to_read(session: Session, role_ids: Sequence[int] | None = None) -> list[TargetText]:
    """Organisation roles (not templates) with a description; only those ids when given."""
    query = select(Role.id, Role.title, Role.description).where(
        Role.is_template.is_(False), Role.description != ""
    )
    if role_ids is not None:
        query = query.where(Role.id.in_(list(role_ids)))
    rows = session.execute(query.order_by(Role.id))
    return [TargetText(role_id, title, text) for role_id, title, text in rows]


def items_to_read(session: Session, item_ids: Sequence[int] | None = None) -> list[TargetText]:
    """Active catalog items with a description; only those ids when given."""
    query = select(LearningItem.id, LearningItem.title, LearningItem.description).where(
        LearningItem.active.is_(True), LearningItem.description != ""
    )
    if item_ids is not None:
        query = query.where(LearningItem.id.in_(list(item_ids)))
    rows = session.execute(query.order_by(LearningItem.id))
    return [TargetText(item_id, title, text) for item_id, title, text in rows]


def role_title(session: Session, role_id: int) -> tuple[str, bool] | None:
    """The title of a role and whether it is a template, or None when there is no such role."""
    row = session.execute(select(Role.title, Role.is_template).where(Role.id == role_id)).first()
    return None if row is None else (row[0], bool(row[1]))


def item_title(session: Session, item_id: int) -> str | None:
    """The title of a catalog item, or None."""
    return session.scalar(select(LearningItem.title).where(LearningItem.id == item_id))


def visible_employee_name(session: Session, *, viewer: Viewer, employee_id: int) -> str | None:
    """The name of an employee the viewer may see, or None (absent or not visible)."""
    row = session.execute(
        select(Employee.first_name, Employee.last_name).where(
            Employee.id == employee_id, visible_to(viewer)
        )
    ).first()
    return None if row is None else f"{row[0]} {row[1]}"


_TARGET_COLUMN = {
    "role": SkillSuggestion.role_id,
    "item": SkillSuggestion.item_id,
    "employee": SkillSuggestion.employee_id,
}


def target_column(kind: str) -> InstrumentedAttribute[int | None]:
    """The suggestion column holding the target id of a kind of target."""
    return _TARGET_COLUMN[kind]


def suggestion_states(
    session: Session, kind: str, target_ids: Sequence[int]
) -> dict[tuple[int, int], SkillSuggestion]:
    """Every stored suggestion of these targets, by (target id, skill id)."""
    column = target_column(kind)
    found: dict[tuple[int, int], SkillSuggestion] = {}
    for chunk in _chunks(target_ids):
        for suggestion in session.scalars(select(SkillSuggestion).where(column.in_(chunk))):
            target = getattr(suggestion, column.key)
            found[(int(target), suggestion.skill_id)] = suggestion
    return found


def known_skills(session: Session, kind: str, target_ids: Sequence[int]) -> set[tuple[int, int]]:
    """(target id, skill id) pairs already in a role profile, an item's skills, or a person's
    evidence: suggesting them again would say nothing new."""
    owner: InstrumentedAttribute[int]
    skill: InstrumentedAttribute[int]
    if kind == "role":
        owner, skill = RoleSkill.role_id, RoleSkill.skill_id
    elif kind == "item":
        owner, skill = ItemSkill.item_id, ItemSkill.skill_id
    else:
        owner, skill = SkillEvidence.employee_id, SkillEvidence.skill_id
    pairs: set[tuple[int, int]] = set()
    for chunk in _chunks(target_ids):
        rows = session.execute(select(owner, skill).where(owner.in_(chunk)))
        pairs.update((int(a), int(b)) for a, b in rows)
    return pairs


def _chunks(ids: Sequence[int], size: int = 900) -> list[list[int]]:
    """Ids in chunks small enough for an IN list on every database."""
    values = list(ids)
    return [values[start : start + size] for start in range(0, len(values), size)]


def add_suggestions(session: Session, suggestions: Sequence[SkillSuggestion]) -> None:
    """Store new suggestions."""
    session.add_all(suggestions)


def skill_names(session: Session, skill_ids: Sequence[int]) -> dict[int, str]:
    """Names of skills by id."""
    names: dict[int, str] = {}
    for chunk in _chunks(skill_ids):
        rows = session.execute(select(Skill.id, Skill.name).where(Skill.id.in_(chunk)))
        names.update(rows)
    return names


def _review_conditions(
    viewer: Viewer, status: str | None, kind: str | None
) -> list[ColumnElement[bool]]:
    """What a reviewer may see: HR admins every suggestion; anyone the employee suggestions of
    the people they may see."""
    conditions: list[ColumnElement[bool]] = []
    if status:
        conditions.append(SkillSuggestion.status == status)
    if kind:
        conditions.append(SkillSuggestion.target_kind == kind)
    people = and_(
        SkillSuggestion.target_kind == "employee",
        visible_to(viewer, cast(ColumnElement[int], SkillSuggestion.employee_id)),
    )
    conditions.append(or_(SkillSuggestion.target_kind != "employee", people))
    if not viewer.can_administer:
        conditions.append(SkillSuggestion.target_kind == "employee")
    return conditions


ReviewRow = Row[SkillSuggestion, str, str | None, str | None, str | None, str | None]


def _review_query(
    viewer: Viewer, conditions: list[ColumnElement[bool]]
) -> Select[SkillSuggestion, str, str, str, str, str]:
    """Suggestions with their skill name, target title and the reviewer's email."""
    return (
        select(
            SkillSuggestion,
            Skill.name,
            Role.title,
            LearningItem.title,
            Employee.first_name + " " + Employee.last_name,
            User.email,
        )
        .join(Skill, Skill.id == SkillSuggestion.skill_id)
        .outerjoin(Role, Role.id == SkillSuggestion.role_id)
        .outerjoin(LearningItem, LearningItem.id == SkillSuggestion.item_id)
        .outerjoin(Employee, Employee.id == SkillSuggestion.employee_id)
        .outerjoin(User, User.id == SkillSuggestion.decided_by_id)
        .where(*conditions)
    )


def review_page(
    session: Session,
    *,
    viewer: Viewer,
    status: str | None,
    kind: str | None,
    limit: int,
    offset: int,
) -> tuple[Sequence[ReviewRow], int]:
    """A page of suggestions the viewer may review, surest first, and how many there are."""
    conditions = _review_conditions(viewer, status, kind)
    total = session.scalar(select(func.count(SkillSuggestion.id)).where(*conditions))
    rows = session.execute(
        _review_query(viewer, conditions)
        .order_by(SkillSuggestion.score.desc(), SkillSuggestion.id)
        .limit(limit)
        .offset(offset)
    ).all()
    return cast(Sequence[ReviewRow], rows), int(total or 0)


def suggestions_of_target(
    session: Session, *, viewer: Viewer, kind: str, target_id: int, status: str | None
) -> Sequence[ReviewRow]:
    """The suggestions of one role, item or employee the viewer may see, surest first."""
    conditions = [target_column(kind) == target_id, *_review_conditions(viewer, status, None)]
    rows = session.execute(
        _review_query(viewer, conditions).order_by(SkillSuggestion.score.desc(), SkillSuggestion.id)
    ).all()
    return cast(Sequence[ReviewRow], rows)


def reviewable(
    session: Session, *, viewer: Viewer, suggestion_ids: Sequence[int]
) -> list[SkillSuggestion]:
    """The suggestions among these ids that the viewer may decide, still `suggested`."""
    found: list[SkillSuggestion] = []
    for chunk in _chunks(suggestion_ids):
        found.extend(
            session.scalars(
                select(SkillSuggestion)
                .where(
                    SkillSuggestion.id.in_(chunk),
                    *_review_conditions(viewer, "suggested", None),
                )
                .order_by(SkillSuggestion.id)
            )
        )
    return found


def add_role_skill(
    session: Session, *, role_id: int, skill_id: int, level: float, importance: float
) -> bool:
    """Add a line to a role's profile unless the skill is already there; True if added."""
    exists = session.scalar(
        select(RoleSkill.id).where(RoleSkill.role_id == role_id, RoleSkill.skill_id == skill_id)
    )
    if exists is not None:
        return False
    session.add(
        RoleSkill(
            role_id=role_id,
            skill_id=skill_id,
            target_level=level,
            importance=importance,
            essential=importance >= ESSENTIAL_FROM,
        )
    )
    return True


def add_item_skill(session: Session, *, item_id: int, skill_id: int, level: float) -> bool:
    """Record that an item teaches a skill unless it already says so; True if added."""
    exists = session.scalar(
        select(ItemSkill.id).where(ItemSkill.item_id == item_id, ItemSkill.skill_id == skill_id)
    )
    if exists is not None:
        return False
    session.add(ItemSkill(item_id=item_id, skill_id=skill_id, level_gained=level))
    return True


def add_evidence(session: Session, evidence: SkillEvidence) -> bool:
    """Append an evidence row unless the same observation (fingerprint) is stored; True if
    added."""
    exists = session.scalar(
        select(SkillEvidence.id).where(
            SkillEvidence.employee_id == evidence.employee_id,
            SkillEvidence.fingerprint == evidence.fingerprint,
        )
    )
    if exists is not None:
        return False
    session.add(evidence)
    return True
