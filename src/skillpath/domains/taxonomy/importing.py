"""Write a parsed taxonomy release (`TaxonomyBundle`) to the database, idempotently and fast.

Each kind of row is compared in memory with what the source already holds (one query per
kind), then only the differences are written with bulk statements. Importing the same release
again therefore writes nothing and reports every row as unchanged; a changed label or
description updates just that row; links that vanished from the release are removed.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from skillpath.core.clock import utcnow
from skillpath.core.reports import ImportReport, ProgressCallback, no_progress
from skillpath.core.sync import close_enough, plan_sync
from skillpath.domains.people import repository as people_repository
from skillpath.domains.people.repository import RoleSkillState, RoleState
from skillpath.domains.taxonomy import repository
from skillpath.domains.taxonomy.models import TaxonomySource
from skillpath.domains.taxonomy.repository import SkillState
from skillpath.domains.taxonomy.schemas import SkillRecord, TaxonomyBundle

SOURCES = "taxonomy sources"
SKILLS = "skills"
GROUPS = "skill groups"
ALIASES = "skill aliases"
RELATIONS = "skill relations"
ROLES = "role templates"
ROLE_ALIASES = "role aliases"
ROLE_SKILLS = "role skills"
MAX_LABEL = 300
MAX_ROLE_ALIAS = 400


def skill_bucket(kind: str) -> str:
    """The report line a skill of this kind is counted under."""
    return GROUPS if kind == "group" else SKILLS


def ensure_source(
    session: Session,
    *,
    key: str,
    title: str,
    version: str = "",
    attribution: str = "",
    language: str = "en",
    report: ImportReport,
) -> TaxonomySource:
    """The taxonomy source with this key, created or brought up to date."""
    source = repository.source_by_key(session, key)
    if source is None:
        source = TaxonomySource(
            key=key, title=title, version=version, attribution=attribution, language=language
        )
        repository.add_source(session, source)
        report.count("created", SOURCES)
        return source
    # A release whose version cannot be told (an extracted folder) keeps the stored one.
    wanted = (title, version or source.version, attribution, language)
    if (source.title, source.version, source.attribution, source.language) == wanted:
        report.count("unchanged", SOURCES)
        return source
    source.title, source.version, source.attribution, source.language = wanted
    report.count("updated", SOURCES)
    return source


def _write_skills(
    session: Session,
    bundle: TaxonomyBundle,
    source_id: int,
    report: ImportReport,
    progress: ProgressCallback,
) -> dict[str, int]:
    """Upsert the skills and groups of the bundle; return external id → id."""
    stage = f"{bundle.label}: skills"
    total = len(bundle.skills)
    progress(stage, 0, total)
    existing = repository.skill_states(session, source_id)
    known = {record.external_id for record in bundle.skills} | set(existing)
    # The first broader concept that exists is the parent; the rest are relations only.
    parent_of = {
        record.external_id: next((b for b in record.broader if b in known), None)
        for record in bundle.skills
    }
    ids = {external_id: skill_id for external_id, (skill_id, _) in existing.items()}
    inserted_parent: dict[str, int | None] = {}
    now = utcnow()
    new_records = [record for record in bundle.skills if record.external_id not in existing]
    # New skills go in parents first, so each row carries its parent id and no second pass
    # over the table is needed (an UPDATE per row costs more than the INSERT on PostgreSQL).
    for level in _parents_first(new_records, parent_of):
        rows = []
        for record in level:
            parent_external = parent_of[record.external_id]
            parent_id = ids.get(parent_external) if parent_external is not None else None
            inserted_parent[record.external_id] = parent_id
            rows.append(
                {
                    "source_id": source_id,
                    "external_id": record.external_id,
                    "name": record.name,
                    "name_lower": record.name.lower(),
                    "description": record.description,
                    "kind": record.kind,
                    "status": record.status,
                    "reuse_level": record.reuse_level,
                    "parent_id": parent_id,
                    "updated_at": now,
                }
            )
        repository.insert_skills(session, rows)
        ids = repository.skill_ids(session, source_id)
    progress(stage, total // 2, total)
    updates = []
    for record in bundle.skills:
        parent_external = parent_of[record.external_id]
        parent = ids[parent_external] if parent_external is not None else None
        wanted: SkillState = (
            record.name,
            record.description,
            record.kind,
            record.status,
            record.reuse_level,
            parent,
        )
        found = existing.get(record.external_id)
        bucket = skill_bucket(record.kind)
        if found is None:
            report.count("created", bucket)
            if inserted_parent[record.external_id] == parent:
                continue
        elif found[1] == wanted:
            report.count("unchanged", bucket)
            continue
        else:
            report.count("updated", bucket)
        updates.append(_skill_update(ids[record.external_id], wanted))
    in_bundle = {record.external_id for record in bundle.skills}
    retired = 0
    for external_id, (skill_id, state) in existing.items():
        # Skills that left the release stay (evidence and profiles may point at them).
        if external_id not in in_bundle and state[3] != "deprecated":
            updates.append(_skill_update(skill_id, (*state[:3], "deprecated", *state[4:])))
            report.count("updated", skill_bucket(state[2]))
            retired += 1
    if retired:
        report.notes.append(f"{retired} skill(s) no longer in this release marked deprecated")
    repository.update_skills(session, updates)
    progress(stage, total, total)
    return ids


def _parents_first(
    records: list[SkillRecord], parent_of: dict[str, str | None]
) -> list[list[SkillRecord]]:
    """New records in levels: each record's parent is stored already or in an earlier level.

    A loop of parents (never in official releases) is cut where it is found; the update pass
    then sets the remaining parent.
    """
    new = {record.external_id for record in records}
    depth: dict[str, int] = {}
    for record in records:
        chain: list[str] = []
        node: str | None = record.external_id
        while node is not None and node in new and node not in depth and node not in chain:
            chain.append(node)
            node = parent_of[node]
        base = depth[node] if node is not None and node in depth else -1
        for offset, member in enumerate(reversed(chain), start=1):
            depth[member] = base + offset
    levels: list[list[SkillRecord]] = [[] for _ in range(max(depth.values(), default=-1) + 1)]
    for record in records:
        levels[depth[record.external_id]].append(record)
    return levels


def _skill_update(skill_id: int, state: SkillState) -> dict[str, object]:
    name, description, kind, status, reuse_level, parent_id = state
    return {
        "id": skill_id,
        "name": name,
        "name_lower": name.lower(),
        "description": description,
        "kind": kind,
        "status": status,
        "reuse_level": reuse_level,
        "parent_id": parent_id,
    }


def _write_aliases(
    session: Session,
    bundle: TaxonomyBundle,
    source_id: int,
    ids: dict[str, int],
    report: ImportReport,
) -> None:
    """Make the source's aliases exactly the bundle's alt and hidden labels."""
    wanted: dict[tuple[int, str], str] = {}
    for record in bundle.skills:
        skill_id = ids[record.external_id]
        name = record.name.lower()
        for kind, labels in (("alt", record.alt_labels), ("hidden", record.hidden_labels)):
            for label in labels:
                label = label[:MAX_LABEL]
                # A label equal to the name adds nothing; alt wins over hidden when both.
                if label.lower() != name:
                    wanted.setdefault((skill_id, label), kind)
    plan = plan_sync(repository.alias_states(session, source_id), wanted)
    repository.insert_aliases(
        session,
        (
            {"skill_id": skill_id, "label": label, "label_lower": label.lower(), "kind": kind}
            for (skill_id, label), kind in plan.to_insert
        ),
    )
    repository.update_aliases(
        session, [{"id": alias_id, "kind": kind} for alias_id, _, kind in plan.to_update]
    )
    repository.delete_aliases(session, plan.to_delete)
    _count(report, ALIASES, len(plan.to_insert), len(plan.to_update), plan.unchanged)
    _count_removed(report, ALIASES, len(plan.to_delete))


def _write_relations(
    session: Session,
    bundle: TaxonomyBundle,
    source_id: int,
    ids: dict[str, int],
    report: ImportReport,
) -> None:
    """Make the relations starting at the source's skills exactly the bundle's links."""
    wanted: dict[tuple[int, int, str], None] = {}
    for record in bundle.skills:
        start = ids[record.external_id]
        for broader in record.broader:
            end = ids.get(broader)
            if end is not None and end != start:
                wanted[(start, end, "broader")] = None
    for link in bundle.links:
        link_start, link_end = ids.get(link.from_external_id), ids.get(link.to_external_id)
        if link_start is not None and link_end is not None and link_start != link_end:
            wanted[(link_start, link_end, link.kind)] = None
    plan = plan_sync(repository.relation_states(session, source_id), wanted)
    repository.insert_relations(
        session,
        (
            {"from_skill_id": start, "to_skill_id": end, "kind": kind}
            for (start, end, kind), _ in plan.to_insert
        ),
    )
    repository.delete_relations(session, plan.to_delete)
    _count(report, RELATIONS, len(plan.to_insert), 0, plan.unchanged)
    _count_removed(report, RELATIONS, len(plan.to_delete))


def _write_roles(session: Session, bundle: TaxonomyBundle, report: ImportReport) -> dict[str, int]:
    """Upsert the bundle's occupations as role templates; return external id → id."""
    existing = people_repository.role_states(session, bundle.source_key)
    now = utcnow()
    people_repository.insert_roles(
        session,
        (
            {
                "source": bundle.source_key,
                "external_id": record.external_id,
                "title": record.title,
                "title_lower": record.title.lower(),
                "family": record.family,
                "level": record.level,
                "description": record.description,
                "code": record.code,
                "is_template": True,
                "is_critical": False,
                "updated_at": now,
            }
            for record in bundle.roles
            if record.external_id not in existing
        ),
    )
    updates = []
    for record in bundle.roles:
        found = existing.get(record.external_id)
        if found is None:
            report.count("created", ROLES)
            continue
        role_id, state = found
        wanted: RoleState = (
            record.title,
            record.description,
            record.code,
            record.family,
            record.level,
            True,
            state[6],
        )
        if state == wanted:
            report.count("unchanged", ROLES)
            continue
        report.count("updated", ROLES)
        updates.append(
            {
                "id": role_id,
                "title": record.title,
                "title_lower": record.title.lower(),
                "description": record.description,
                "code": record.code,
                "family": record.family,
                "level": record.level,
                "is_template": True,
            }
        )
    people_repository.update_roles(session, updates)
    in_bundle = {record.external_id for record in bundle.roles}
    kept = sum(1 for external_id in existing if external_id not in in_bundle)
    if kept:
        report.notes.append(f"{kept} role template(s) no longer in this release were kept")
    return people_repository.role_ids(session, bundle.source_key)


def _write_role_aliases(
    session: Session, bundle: TaxonomyBundle, role_ids: dict[str, int], report: ImportReport
) -> None:
    """Make the templates' aliases exactly the bundle's alternative titles."""
    wanted: dict[tuple[int, str], None] = {}
    for record in bundle.roles:
        role_id = role_ids[record.external_id]
        for alias in record.aliases:
            wanted[(role_id, alias[:MAX_ROLE_ALIAS])] = None
    plan = plan_sync(people_repository.role_alias_states(session, bundle.source_key), wanted)
    people_repository.insert_role_aliases(
        session,
        (
            {"role_id": role_id, "title": title, "title_lower": title.lower()}
            for (role_id, title), _ in plan.to_insert
        ),
    )
    people_repository.delete_role_aliases(session, plan.to_delete)
    _count(report, ROLE_ALIASES, len(plan.to_insert), 0, plan.unchanged)
    _count_removed(report, ROLE_ALIASES, len(plan.to_delete))


def same_line(left: RoleSkillState, right: RoleSkillState) -> bool:
    """Whether two profile lines ask for the same level, importance and essentialness."""
    return (
        close_enough(left[0], right[0]) and close_enough(left[1], right[1]) and left[2] == right[2]
    )


def _write_role_skills(
    session: Session,
    bundle: TaxonomyBundle,
    source_id: int,
    role_ids: dict[str, int],
    skill_ids: dict[str, int],
    report: ImportReport,
) -> None:
    """Make the templates' profile lines over this source's skills exactly the bundle's."""
    wanted: dict[tuple[int, int], RoleSkillState] = {}
    for line in bundle.role_skills:
        role_id = role_ids.get(line.role_external_id)
        skill_id = skill_ids.get(line.skill_external_id)
        if role_id is not None and skill_id is not None:
            wanted[(role_id, skill_id)] = (line.target_level, line.importance, line.essential)
    existing = people_repository.role_skill_states(
        session, role_source=bundle.source_key, skill_source_id=source_id
    )
    plan = plan_sync(existing, wanted, same=same_line)
    people_repository.insert_role_skills(
        session,
        (
            {
                "role_id": role_id,
                "skill_id": skill_id,
                "target_level": target,
                "importance": importance,
                "essential": essential,
            }
            for (role_id, skill_id), (target, importance, essential) in plan.to_insert
        ),
    )
    people_repository.update_role_skills(
        session,
        [
            {
                "id": line_id,
                "target_level": target,
                "importance": importance,
                "essential": essential,
            }
            for line_id, _, (target, importance, essential) in plan.to_update
        ],
    )
    people_repository.delete_role_skills(session, plan.to_delete)
    _count(report, ROLE_SKILLS, len(plan.to_insert), len(plan.to_update), plan.unchanged)
    _count_removed(report, ROLE_SKILLS, len(plan.to_delete))


def _count(report: ImportReport, kind: str, created: int, updated: int, unchanged: int) -> None:
    report.count("created", kind, created)
    report.count("updated", kind, updated)
    report.count("unchanged", kind, unchanged)


def _count_removed(report: ImportReport, kind: str, removed: int) -> None:
    if removed:
        report.count("removed", kind, removed)


def write_bundle(
    session: Session, bundle: TaxonomyBundle, *, progress: ProgressCallback = no_progress
) -> ImportReport:
    """Write a parsed release: skills, aliases, relations, role templates and their profiles."""
    label = f"{bundle.label} {bundle.version}".strip()
    report = ImportReport(source=label, rows_read=bundle.rows_read, notes=list(bundle.notes))
    source = ensure_source(
        session,
        key=bundle.source_key,
        title=bundle.title,
        version=bundle.version,
        attribution=bundle.attribution,
        language=bundle.language,
        report=report,
    )
    # Statistics first so the snapshot queries are planned for the tables' real sizes.
    _refresh_statistics(session)
    skill_ids = _write_skills(session, bundle, source.id, report, progress)
    stage = f"{bundle.label}: links and role templates"
    progress(stage, 0, 5)
    _write_aliases(session, bundle, source.id, skill_ids, report)
    progress(stage, 1, 5)
    _write_relations(session, bundle, source.id, skill_ids, report)
    progress(stage, 2, 5)
    role_ids = _write_roles(session, bundle, report)
    if report.created.get(SKILLS) or report.created.get(ROLES):
        # The profile snapshot joins roles and skills: plan it for the rows just added, or
        # PostgreSQL takes the new source for empty and loops over it for seconds.
        _refresh_statistics(session)
    progress(stage, 3, 5)
    _write_role_aliases(session, bundle, role_ids, report)
    progress(stage, 4, 5)
    _write_role_skills(session, bundle, source.id, role_ids, skill_ids, report)
    progress(stage, 5, 5)
    if report.changed_anything:
        source.imported_at = utcnow()
        _refresh_statistics(session)
    session.flush()
    return report


def _refresh_statistics(session: Session) -> None:
    repository.refresh_statistics(session)
    people_repository.refresh_role_statistics(session)
