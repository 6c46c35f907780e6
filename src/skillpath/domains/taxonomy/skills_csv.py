"""Import a custom skills CSV (format in docs/import-formats.md): upsert by source + external id.

All or nothing: every row is checked (missing columns, bad values, duplicate ids, unknown
parents, cycles in the parent hierarchy) before anything is written. Columns left out of the
file keep their stored values; an `aliases` column replaces the skill's alternative labels.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from skillpath.core.clock import utcnow
from skillpath.core.errors import Problem
from skillpath.core.reports import ImportReport, ProgressCallback, no_progress
from skillpath.core.sync import plan_sync
from skillpath.core.tabular import (
    CellError,
    ProblemLog,
    bounded,
    one_of,
    open_text,
    parse_list,
    read_table,
)
from skillpath.domains.taxonomy import repository
from skillpath.domains.taxonomy.importing import (
    ALIASES,
    MAX_LABEL,
    RELATIONS,
    ensure_source,
    skill_bucket,
)
from skillpath.domains.taxonomy.models import SKILL_KINDS, SKILL_STATUSES
from skillpath.domains.taxonomy.repository import SkillState

REQUIRED_COLUMNS = ("external_id", "name")
OPTIONAL_COLUMNS = ("description", "kind", "parent", "aliases", "source", "status")
DEFAULT_SOURCE = "custom"
SOURCE_KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,39}$")
MAX_EXTERNAL_ID = 300


def parse_source_key(text: str) -> str:
    """A taxonomy source key: lower-case letters, digits, '.', '_' or '-', at most 40."""
    if not SOURCE_KEY_PATTERN.match(text):
        raise CellError("must be lower-case letters, digits, '.', '_' or '-' (at most 40)")
    return text


@dataclass
class _SkillRow:
    """One checked row of the file."""

    row: int
    source: str
    external_id: str
    name: str
    description: str | None
    kind: str | None
    status: str | None
    parent: str | None
    aliases: list[str] | None


def _read_rows(path: Path, log: ProblemLog) -> tuple[list[_SkillRow], set[str], str]:
    """Parse and check every row on its own; returns the rows, the columns and the file label."""
    table = read_table(
        open_text(path), file=path.name, required=REQUIRED_COLUMNS, optional=OPTIONAL_COLUMNS
    )
    columns = set(table.columns)
    rows: list[_SkillRow] = []
    first_row: dict[tuple[str, str], int] = {}
    for row in table.rows:
        source = row.cell("source", parse_source_key, default=DEFAULT_SOURCE)
        external_id = row.required("external_id", bounded(MAX_EXTERNAL_ID))
        name = row.required("name", bounded(MAX_LABEL))
        kind = row.cell("kind", one_of(SKILL_KINDS), default="skill") if "kind" in columns else None
        status = (
            row.cell("status", one_of(SKILL_STATUSES), default="active")
            if "status" in columns
            else None
        )
        aliases = None
        if "aliases" in columns:
            aliases = parse_list(row.raw("aliases"))
            for alias in aliases:
                if len(alias) > MAX_LABEL:
                    row.problem("aliases", f"an alias is longer than {MAX_LABEL} characters", alias)
        if source is None or external_id is None or name is None:
            continue
        key = (source, external_id)
        if key in first_row:
            row.problem(
                "external_id",
                f"appears twice in the file (first in row {first_row[key]})",
                external_id,
            )
            continue
        first_row[key] = row.row
        rows.append(
            _SkillRow(
                row=row.row,
                source=source,
                external_id=external_id,
                name=name,
                description=row.raw("description") if "description" in columns else None,
                kind=kind,
                status=status,
                parent=(row.raw("parent") or None) if "parent" in columns else None,
                aliases=aliases,
            )
        )
    for problem in table.log.problems:
        log.add(problem)
    return rows, columns, table.file


def _check_hierarchy(
    rows: list[_SkillRow],
    columns: set[str],
    stored: dict[str, dict[str, tuple[int, SkillState]]],
    file: str,
    log: ProblemLog,
) -> None:
    """Every parent must exist (in the file or the database) and no chain may loop."""
    in_file = {(r.source, r.external_id): r for r in rows}
    parent_of: dict[tuple[str, str], tuple[str, str] | None] = {}
    for source, states in stored.items():
        external_by_id = {skill_id: external for external, (skill_id, _) in states.items()}
        for external_id, (_, state) in states.items():
            parent_id = state[5]
            parent_external = external_by_id.get(parent_id) if parent_id is not None else None
            parent_of[(source, external_id)] = (
                (source, parent_external) if parent_external is not None else None
            )
    for r in rows:
        key = (r.source, r.external_id)
        if "parent" not in columns:
            parent_of.setdefault(key, None)
            continue
        if r.parent is None:
            parent_of[key] = None
            continue
        parent_key = (r.source, r.parent)
        if parent_key not in in_file and r.parent not in stored.get(r.source, {}):
            log.add(
                _problem(
                    file,
                    r.row,
                    "parent",
                    f"no skill with this external id in source {r.source!r} "
                    "(neither in this file nor in the database)",
                    r.parent,
                )
            )
            parent_of[key] = None
            continue
        parent_of[key] = parent_key
    reported: set[tuple[str, str]] = set()
    for r in rows:
        start = (r.source, r.external_id)
        chain = [start]
        seen = {start}
        current = parent_of.get(start)
        while current is not None and current not in seen:
            chain.append(current)
            seen.add(current)
            current = parent_of.get(current)
        if current is None or current != start or start in reported:
            continue
        reported.update(chain)
        names = " → ".join(key[1] for key in [*chain, start])
        log.add(
            _problem(file, r.row, "parent", f"the parent hierarchy has a cycle: {names}", r.parent)
        )


def _problem(file: str, row: int, column: str, reason: str, value: str | None) -> Problem:
    return Problem(reason, file=file, row=row, column=column, value=value)


def import_skills_file(
    session: Session, *, path: Path, progress: ProgressCallback = no_progress
) -> ImportReport:
    """Check the whole file, then upsert its skills, aliases and parent links."""
    log = ProblemLog()
    progress("Checking skills", 0, None)
    rows, columns, file = _read_rows(path, log)
    sources = sorted({r.source for r in rows})
    known_sources = repository.sources_by_keys(session, sources)
    stored = {
        key: repository.skill_states(session, known_sources[key].id)
        for key in sources
        if key in known_sources
    }
    _check_hierarchy(rows, columns, stored, file, log)
    log.raise_if_any(f"{file} was not imported")

    report = ImportReport(source=f"skills from {file}", rows_read=len(rows))
    for done, key in enumerate(sources):
        progress("Writing skills", done, len(sources))
        # An existing source (ESCO, the demo taxonomy …) keeps its title and version.
        source = known_sources.get(key) or ensure_source(session, key=key, title=key, report=report)
        _write_source_rows(
            session, [r for r in rows if r.source == key], columns, source.id, report
        )
    progress("Writing skills", len(sources), len(sources))
    if report.changed_anything:
        repository.refresh_statistics(session)
    session.flush()
    return report


def _write_source_rows(
    session: Session,
    rows: list[_SkillRow],
    columns: set[str],
    source_id: int,
    report: ImportReport,
) -> None:
    """Upsert the file's rows of one source (parents, aliases and broader links included)."""
    existing = repository.skill_states(session, source_id)
    now = utcnow()
    repository.insert_skills(
        session,
        (
            {
                "source_id": source_id,
                "external_id": r.external_id,
                "name": r.name,
                "name_lower": r.name.lower(),
                "description": r.description or "",
                "kind": r.kind or "skill",
                "status": r.status or "active",
                "reuse_level": "",
                "parent_id": None,
                "updated_at": now,
            }
            for r in rows
            if r.external_id not in existing
        ),
    )
    ids = repository.skill_ids(session, source_id)
    updates = []
    for r in rows:
        found = existing.get(r.external_id)
        old: SkillState = found[1] if found else ("", "", "skill", "active", "", None)
        parent = ids[r.parent] if r.parent is not None else None
        wanted: SkillState = (
            r.name,
            old[1] if r.description is None else r.description,
            old[2] if r.kind is None else r.kind,
            old[3] if r.status is None else r.status,
            old[4],
            parent if "parent" in columns else old[5],
        )
        bucket = skill_bucket(wanted[2])
        if found is None:
            report.count("created", bucket)
            if wanted[5] is None:
                continue
        elif found[1] == wanted:
            report.count("unchanged", bucket)
            continue
        else:
            report.count("updated", bucket)
        updates.append(
            {
                "id": ids[r.external_id],
                "name": wanted[0],
                "name_lower": wanted[0].lower(),
                "description": wanted[1],
                "kind": wanted[2],
                "status": wanted[3],
                "reuse_level": wanted[4],
                "parent_id": wanted[5],
            }
        )
    repository.update_skills(session, updates)
    file_ids = {ids[r.external_id] for r in rows}
    if "aliases" in columns:
        _write_aliases(session, rows, source_id, ids, file_ids, report)
    if "parent" in columns:
        _write_broader_links(session, rows, source_id, ids, file_ids, report)


def _write_aliases(
    session: Session,
    rows: list[_SkillRow],
    source_id: int,
    ids: dict[str, int],
    file_ids: set[int],
    report: ImportReport,
) -> None:
    """Make each listed skill's alternative labels exactly the file's (hidden ones are kept)."""
    existing = {
        key: value
        for key, value in repository.alias_states(session, source_id).items()
        if key[0] in file_ids
    }
    wanted: dict[tuple[int, str], str] = {}
    for r in rows:
        for alias in r.aliases or []:
            if alias.lower() != r.name.lower():
                wanted[(ids[r.external_id], alias)] = "alt"
    plan = plan_sync(existing, wanted, delete_missing=False)
    stale = [
        alias_id
        for key, (alias_id, kind) in existing.items()
        if kind == "alt" and key not in wanted
    ]
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
    repository.delete_aliases(session, stale)
    report.count("created", ALIASES, len(plan.to_insert))
    report.count("updated", ALIASES, len(plan.to_update))
    report.count("unchanged", ALIASES, plan.unchanged)
    if stale:
        report.count("removed", ALIASES, len(stale))


def _write_broader_links(
    session: Session,
    rows: list[_SkillRow],
    source_id: int,
    ids: dict[str, int],
    file_ids: set[int],
    report: ImportReport,
) -> None:
    """Keep one 'broader' relation from each listed skill to its parent, as in ESCO."""
    existing = {
        key: value
        for key, value in repository.relation_states(session, source_id).items()
        if key[0] in file_ids and key[2] == "broader"
    }
    wanted = {
        (ids[r.external_id], ids[r.parent], "broader"): None for r in rows if r.parent is not None
    }
    plan = plan_sync(existing, wanted)
    repository.insert_relations(
        session,
        (
            {"from_skill_id": start, "to_skill_id": end, "kind": kind}
            for (start, end, kind), _ in plan.to_insert
        ),
    )
    repository.delete_relations(session, plan.to_delete)
    report.count("created", RELATIONS, len(plan.to_insert))
    report.count("unchanged", RELATIONS, plan.unchanged)
    if plan.to_delete:
        report.count("removed", RELATIONS, len(plan.to_delete))
