"""Use cases of the taxonomy: browsing and searching skills (imports live in their modules)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy.orm import Session

from skillpath.core.errors import NotFoundError
from skillpath.core.levels import DEFAULT_SCALE
from skillpath.core.reports import ImportReport, ProgressCallback, no_progress
from skillpath.domains.learning import repository as learning_repository
from skillpath.domains.people import repository as people_repository
from skillpath.domains.taxonomy import esco, importing, onet, repository, skills_csv
from skillpath.domains.taxonomy.models import Skill
from skillpath.domains.taxonomy.schemas import (
    ItemTeachingSkill,
    RoleNeedingSkill,
    SkillDetail,
    SkillGroupRead,
    SkillRef,
    SkillRelationRead,
    SkillSummary,
    TaxonomySourceRead,
)

# Reads for pages and the API

RELATED_SHOWN = 100


def _external_ids(skill: Skill, source_key: str, others: dict[str, str]) -> dict[str, str]:
    """A skill's identifiers by system, starting with its own source's id."""
    return {source_key: skill.external_id, **{k: v for k, v in others.items() if k != source_key}}


def _summary(skill: Skill, source_key: str, others: dict[str, str]) -> SkillSummary:
    return SkillSummary(
        id=skill.id,
        name=skill.name,
        kind=skill.kind,
        status=skill.status,
        source=source_key,
        external_id=skill.external_id,
        external_ids=_external_ids(skill, source_key, others),
        description=skill.description,
    )


def search_skills(
    session: Session,
    *,
    q: str | None = None,
    source: str | None = None,
    kind: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[SkillSummary], int]:
    """Skills whose name or any alias contains the query (best matches first), and the total."""
    rows, total = repository.search_skills(
        session, q=q, source_key=source, kind=kind, limit=limit, offset=offset
    )
    others = repository.external_ids_of(session, [skill.id for skill, _key in rows])
    return [_summary(skill, key, others.get(skill.id, {})) for skill, key in rows], total


def skill_detail(session: Session, *, skill_id: int) -> SkillDetail:
    """One skill with its labels, hierarchy, relations, the roles needing it and the items
    teaching it."""
    found = repository.skill_with_source(session, skill_id)
    if found is None:
        raise NotFoundError("No such skill.")
    skill, source = found
    others = repository.external_ids_of(session, [skill.id]).get(skill.id, {})
    children, children_total = repository.children_of(session, skill.id, limit=RELATED_SHOWN)
    roles, roles_total = people_repository.roles_requiring_skill(
        session, skill.id, limit=RELATED_SHOWN
    )
    items, items_total = learning_repository.items_teaching_skill(
        session, skill.id, limit=RELATED_SHOWN
    )
    return SkillDetail(
        **_summary(skill, source.key, others).model_dump(),
        source_title=source.title,
        source_version=source.version,
        attribution=source.attribution,
        aliases=repository.visible_aliases_of(session, skill.id),
        breadcrumb=[SkillRef(id=i, name=n) for i, n in repository.ancestors_of(session, skill.id)],
        children=[
            SkillGroupRead(id=c.id, name=c.name, kind=c.kind, source=key, child_count=int(n))
            for c, key, n in children
        ],
        children_total=children_total,
        relations=[
            SkillRelationRead(kind=kind, direction=direction, skill=SkillRef(id=oid, name=name))
            for kind, direction, oid, name in repository.relations_of(
                session, skill.id, limit=RELATED_SHOWN
            )
        ],
        roles=[
            RoleNeedingSkill(
                id=role.id,
                title=role.title,
                source=role.source,
                is_template=role.is_template,
                target_level=line.target_level,
                display_level=DEFAULT_SCALE.from_latent(line.target_level),
                importance=line.importance,
                essential=line.essential,
            )
            for role, line in roles
        ],
        roles_total=roles_total,
        items=[
            ItemTeachingSkill(
                id=item.id,
                title=item.title,
                kind=item.kind,
                minutes=item.minutes,
                level_gained=level,
                display_level=DEFAULT_SCALE.from_latent(level),
            )
            for item, level in items
        ],
        items_total=items_total,
    )


def root_groups(session: Session, *, source: str | None = None) -> list[SkillGroupRead]:
    """The tops of each skill hierarchy, to start browsing from."""
    return [
        SkillGroupRead(id=s.id, name=s.name, kind=s.kind, source=key, child_count=int(n))
        for s, key, n in repository.root_groups(session, source_key=source)
    ]


def list_sources(session: Session) -> list[TaxonomySourceRead]:
    """Every taxonomy source with its number of skills."""
    return [
        TaxonomySourceRead(
            id=source.id,
            key=source.key,
            title=source.title,
            version=source.version,
            language=source.language,
            attribution=source.attribution,
            skill_count=int(n),
        )
        for source, n in repository.sources_with_counts(session)
    ]


# Imports: parsing in esco.py / onet.py / skills_csv.py, writing in importing.py


def import_esco(
    session: Session, *, paths: Sequence[Path], progress: ProgressCallback = no_progress
) -> ImportReport:
    """Import the official ESCO CSV export (the two zips or extracted folders); idempotent."""
    started = time.perf_counter()
    bundle = esco.read_esco(paths, progress=progress)
    report = importing.write_bundle(session, bundle, progress=progress)
    report.seconds = time.perf_counter() - started
    return report


def import_onet(
    session: Session, *, path: Path, progress: ProgressCallback = no_progress
) -> ImportReport:
    """Import the O*NET text database (zip or extracted folder); idempotent."""
    started = time.perf_counter()
    bundle = onet.read_onet(path, progress=progress)
    report = importing.write_bundle(session, bundle, progress=progress)
    report.seconds = time.perf_counter() - started
    return report


def import_skills_csv(
    session: Session, *, path: Path, progress: ProgressCallback = no_progress
) -> ImportReport:
    """Import a skills CSV (docs/import-formats.md): all or nothing, upsert by external id."""
    started = time.perf_counter()
    report = skills_csv.import_skills_file(session, path=path, progress=progress)
    report.seconds = time.perf_counter() - started
    return report
