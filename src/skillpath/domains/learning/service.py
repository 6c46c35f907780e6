"""Use cases of the learning domain: browsing the catalog, importing it and completions."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from skillpath.core.errors import NotFoundError
from skillpath.core.levels import DEFAULT_SCALE
from skillpath.core.reports import ImportReport, ProgressCallback, no_progress
from skillpath.domains.learning import catalog_csv, completions_csv, paths, repository
from skillpath.domains.learning.models import LearningItem
from skillpath.domains.learning.schemas import (
    ItemDetail,
    ItemRef,
    ItemSkillRead,
    ItemSummary,
    PrerequisiteRead,
)
from skillpath.domains.taxonomy.schemas import SkillRef

# Reads for pages and the API


def _item_summary(item: LearningItem, locales: list[str]) -> ItemSummary:
    return ItemSummary(
        id=item.id,
        external_id=item.external_id,
        title=item.title,
        kind=item.kind,
        minutes=item.minutes,
        cost=item.cost,
        currency=item.currency,
        offline=item.offline,
        provider=item.provider,
        url=item.url,
        locales=locales,
    )


def search_catalog(
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
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[ItemSummary], int]:
    """Active catalog items matching the filters, A to Z, with their locales, and the total."""
    items, total = repository.search_items(
        session,
        q=q,
        kind=kind,
        locale=locale,
        offline=offline,
        max_minutes=max_minutes,
        skill_id=skill_id,
        skill_query=skill_query,
        provider=provider,
        limit=limit,
        offset=offset,
    )
    locales = repository.locales_of(session, [item.id for item in items])
    return [_item_summary(item, locales.get(item.id, [])) for item in items], total


def catalog_item(session: Session, *, item_id: int) -> ItemDetail:
    """One catalog item with the skills it teaches and what it requires first."""
    item = repository.item_by_id(session, item_id)
    if item is None:
        raise NotFoundError("No such catalog item.")
    locales = repository.locales_of(session, [item.id]).get(item.id, [])
    skills = [
        ItemSkillRead(
            skill=SkillRef(id=line.skill_id, name=name),
            level_gained=line.level_gained,
            display_level=DEFAULT_SCALE.from_latent(line.level_gained),
            display_label=DEFAULT_SCALE.label(line.level_gained),
        )
        for line, name in repository.skills_of_item(session, item.id)
    ]
    prerequisites: list[PrerequisiteRead] = []
    for requirement, item_title, skill_name in repository.prerequisites_of_item(session, item.id):
        title: str | None = item_title
        name: str | None = skill_name
        level = requirement.required_level
        prerequisites.append(
            PrerequisiteRead(
                item=ItemRef(id=requirement.required_item_id, title=title)
                if requirement.required_item_id is not None and title is not None
                else None,
                skill=SkillRef(id=requirement.required_skill_id, name=name)
                if requirement.required_skill_id is not None and name is not None
                else None,
                required_level=level,
                display_level=DEFAULT_SCALE.from_latent(level) if level is not None else None,
            )
        )
    return ItemDetail(
        **_item_summary(item, locales).model_dump(),
        description=item.description,
        skills=skills,
        prerequisites=prerequisites,
    )


def catalog_filters(session: Session) -> tuple[list[str], list[str]]:
    """The locales and providers to offer as catalog filters."""
    return repository.catalog_locales(session), repository.catalog_providers(session)


# CSV import (format in docs/import-formats.md; checks in catalog_csv.py)


def import_catalog_csv(
    session: Session, *, path: Path, progress: ProgressCallback = no_progress
) -> ImportReport:
    """Import a catalog CSV: all or nothing, upsert learning items by external id."""
    return catalog_csv.import_catalog(session, path=path, progress=progress)


def import_completions_csv(
    session: Session, *, path: Path, progress: ProgressCallback = no_progress
) -> ImportReport:
    """Import a completions CSV: all or nothing, idempotent by (employee, item, completed_at);
    new completions become learning evidence and refresh the profiles of those concerned."""
    report = completions_csv.import_completions(session, path=path, progress=progress)
    steps = paths.sync_completions(session)
    if steps:
        report.notes.append(f"{steps:,} learning-path steps marked done")
    return report
