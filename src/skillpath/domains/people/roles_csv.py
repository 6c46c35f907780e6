"""Import the roles and role-skills CSV files (formats in docs/import-formats.md).

Both are all or nothing: every row is checked and every problem reported (file, row, column,
reason) before anything is written. Roles upsert by external id; columns left out of the file
keep their stored values. A role-skills file holds the whole profile of each role it names:
lines of those roles that are not in the file are removed, other roles are left alone.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from skillpath.core.clock import utcnow
from skillpath.core.levels import SCALES
from skillpath.core.reports import ImportReport, ProgressCallback, no_progress
from skillpath.core.sync import close_enough, plan_sync
from skillpath.core.tabular import (
    CellError,
    ProblemLog,
    RowContext,
    bounded,
    one_of,
    open_text,
    parse_bool,
    parse_float,
    parse_int,
    parse_list,
    read_table,
)
from skillpath.domains.people import repository
from skillpath.domains.people.repository import RoleSkillState, RoleState
from skillpath.domains.taxonomy import repository as taxonomy_repository
from skillpath.domains.taxonomy.references import SkillIndex

ROLE_COLUMNS = ("external_id", "title")
ROLE_OPTIONAL_COLUMNS = ("family", "level", "description", "code", "critical", "aliases")
ROLE_SKILL_COLUMNS = ("role", "skill", "level")
ROLE_SKILL_OPTIONAL_COLUMNS = ("skill_source", "role_source", "scale", "importance")
ORG_SOURCE = "org"
LATENT = "latent"
IMPORTANCE_WORDS = {"essential": 1.0, "important": 0.5, "nice": 0.25, "nice to have": 0.25}
DEFAULT_IMPORTANCE = IMPORTANCE_WORDS["important"]
ESSENTIAL_FROM = 0.75
"""Importance from which a line counts as essential (the UI's "Essential" label)."""
MAX_ROLE_LEVEL = 20
LIMITS = {"external_id": 300, "title": 300, "family": 120, "code": 40, "aliases": 400}
ROLES, ROLE_ALIASES, ROLE_SKILLS = "roles", "role aliases", "role skills"


def _role_level(text: str) -> int:
    level = parse_int(text)
    if not 1 <= level <= MAX_ROLE_LEVEL:
        raise CellError(f"must be between 1 and {MAX_ROLE_LEVEL}")
    return level


def parse_importance(text: str) -> float:
    """An importance: a number in [0, 1] or one of essential / important / nice (to have)."""
    word = IMPORTANCE_WORDS.get(text.strip().lower())
    if word is not None:
        return word
    try:
        value = float(text)
    except ValueError:
        raise CellError(
            "is neither a number between 0 and 1 nor one of: essential, important, nice"
        ) from None
    if not 0.0 <= value <= 1.0:
        raise CellError("must be between 0 and 1 (or essential, important, nice)")
    return value


@dataclass
class _RoleRow:
    """One checked row of a roles file; None means the column is not in the file."""

    external_id: str
    title: str
    family: str | None
    level: int | None
    description: str | None
    code: str | None
    critical: bool | None
    aliases: list[str] | None


def _read_roles(path: Path, log: ProblemLog) -> tuple[list[_RoleRow], str]:
    table = read_table(
        open_text(path), file=path.name, required=ROLE_COLUMNS, optional=ROLE_OPTIONAL_COLUMNS
    )
    present = set(table.columns)
    rows: list[_RoleRow] = []
    first_row: dict[str, int] = {}

    def text(row: RowContext, column: str) -> str | None:
        if column not in present:
            return None
        return (
            row.cell(column, bounded(LIMITS[column]), default="")
            if column in LIMITS
            else row.raw(column)
        )

    for row in table.rows:
        external_id = row.required("external_id", bounded(LIMITS["external_id"]))
        title = row.required("title", bounded(LIMITS["title"]))
        family = text(row, "family")
        code = text(row, "code")
        level = row.cell("level", _role_level, default=1) if "level" in present else None
        critical = (
            row.cell("critical", parse_bool, default=False) if "critical" in present else None
        )
        aliases = None
        if "aliases" in present:
            aliases = parse_list(row.raw("aliases"))
            for alias in aliases:
                if len(alias) > LIMITS["aliases"]:
                    row.problem(
                        "aliases", f"an alias is longer than {LIMITS['aliases']} characters", alias
                    )
        if external_id is None or title is None:
            continue
        if external_id in first_row:
            row.problem(
                "external_id",
                f"appears twice in the file (first in row {first_row[external_id]})",
                external_id,
            )
            continue
        first_row[external_id] = row.row
        rows.append(
            _RoleRow(
                external_id=external_id,
                title=title,
                family=family,
                level=level,
                description=row.raw("description") if "description" in present else None,
                code=code,
                critical=critical,
                aliases=aliases,
            )
        )
    for problem in table.log.problems:
        log.add(problem)
    return rows, table.file


def import_roles(
    session: Session, *, path: Path, progress: ProgressCallback = no_progress
) -> ImportReport:
    """Check a roles file, then upsert its roles (source 'org') and their aliases."""
    started = time.perf_counter()
    log = ProblemLog()
    progress("Checking roles", 0, None)
    rows, file = _read_roles(path, log)
    log.raise_if_any(f"{file} was not imported")
    report = ImportReport(source=f"roles from {file}", rows_read=len(rows))
    progress("Writing roles", 0, len(rows))
    existing = repository.role_states(session, ORG_SOURCE)
    now = utcnow()
    repository.insert_roles(
        session,
        (
            {
                "source": ORG_SOURCE,
                "external_id": r.external_id,
                "title": r.title,
                "title_lower": r.title.lower(),
                "family": r.family or "",
                "level": r.level or 1,
                "description": r.description or "",
                "code": r.code or "",
                "is_template": False,
                "is_critical": bool(r.critical),
                "updated_at": now,
            }
            for r in rows
            if r.external_id not in existing
        ),
    )
    updates = []
    for r in rows:
        found = existing.get(r.external_id)
        if found is None:
            report.count("created", ROLES)
            continue
        role_id, old = found
        wanted: RoleState = (
            r.title,
            old[1] if r.description is None else r.description,
            old[2] if r.code is None else r.code,
            old[3] if r.family is None else r.family,
            old[4] if r.level is None else r.level,
            old[5],
            old[6] if r.critical is None else r.critical,
        )
        if wanted == old:
            report.count("unchanged", ROLES)
            continue
        report.count("updated", ROLES)
        title, description, code, family, level, _, critical = wanted
        updates.append(
            {
                "id": role_id,
                "title": title,
                "title_lower": title.lower(),
                "description": description,
                "code": code,
                "family": family,
                "level": level,
                "is_critical": critical,
            }
        )
    repository.update_roles(session, updates)
    if any(r.aliases is not None for r in rows):
        _write_role_aliases(session, rows, report)
    repository.refresh_role_statistics(session)
    session.flush()
    progress("Writing roles", len(rows), len(rows))
    report.seconds = time.perf_counter() - started
    return report


def _write_role_aliases(session: Session, rows: list[_RoleRow], report: ImportReport) -> None:
    """Make each listed role's aliases exactly the file's."""
    ids = repository.role_ids(session, ORG_SOURCE)
    file_ids = {ids[r.external_id] for r in rows}
    existing = {
        key: value
        for key, value in repository.role_alias_states(session, ORG_SOURCE).items()
        if key[0] in file_ids
    }
    wanted: dict[tuple[int, str], None] = {}
    for r in rows:
        for alias in r.aliases or []:
            if alias != r.title:
                wanted[(ids[r.external_id], alias)] = None
    plan = plan_sync(existing, wanted)
    repository.insert_role_aliases(
        session,
        (
            {"role_id": role_id, "title": title, "title_lower": title.lower()}
            for (role_id, title), _ in plan.to_insert
        ),
    )
    repository.delete_role_aliases(session, plan.to_delete)
    report.count("created", ROLE_ALIASES, len(plan.to_insert))
    report.count("unchanged", ROLE_ALIASES, plan.unchanged)
    if plan.to_delete:
        report.count("removed", ROLE_ALIASES, len(plan.to_delete))


def _latent_level(row: RowContext) -> float | None:
    """The target level of a row on the latent scale, from `level` and `scale`."""
    scale = row.cell("scale", one_of((LATENT, *SCALES)), default=LATENT)
    level = row.required("level", parse_float)
    if scale is None or level is None:
        return None
    if scale == LATENT:
        if not 0.0 <= level <= 1.0:
            row.problem("level", "must be between 0 and 1 on the latent scale", row.raw("level"))
            return None
        return level
    try:
        return SCALES[scale].to_latent(level)
    except ValueError as error:
        row.problem("level", str(error), row.raw("level"))
        return None


def import_role_skills(
    session: Session, *, path: Path, progress: ProgressCallback = no_progress
) -> ImportReport:
    """Check a role-skills file, then make each named role's profile exactly the file's lines."""
    started = time.perf_counter()
    progress("Checking role skills", 0, None)
    table = read_table(
        open_text(path),
        file=path.name,
        required=ROLE_SKILL_COLUMNS,
        optional=ROLE_SKILL_OPTIONAL_COLUMNS,
    )
    skills = SkillIndex(taxonomy_repository.skill_keys(session))
    groups = taxonomy_repository.group_skill_ids(session)
    roles_by_source: dict[str, dict[str, int]] = {}
    wanted: dict[str, dict[tuple[int, int], RoleSkillState]] = {}
    first_row: dict[tuple[str, int, int], int] = {}
    rows_read = 0
    for row in table.rows:
        rows_read += 1
        role_source = row.raw("role_source") or ORG_SOURCE
        if role_source not in roles_by_source:
            roles_by_source[role_source] = repository.role_ids(session, role_source)
        role_ref = row.raw("role")
        role_id = roles_by_source[role_source].get(role_ref)
        if not role_ref:
            row.problem("role", "is required but empty")
        elif role_id is None:
            row.problem(
                "role",
                f"no role of source {role_source!r} has this external id "
                "(import the roles file first)",
                role_ref,
            )
        resolved = skills.resolve(row.raw("skill"), row.raw("skill_source"))
        skill_id: int | None = None
        if isinstance(resolved, str):
            row.problem("skill", resolved, row.raw("skill"))
        elif resolved in groups:
            row.problem("skill", "is a skill group; a profile lists skills", row.raw("skill"))
        else:
            skill_id = resolved
        target = _latent_level(row)
        importance = row.cell("importance", parse_importance, default=DEFAULT_IMPORTANCE)
        if role_id is None or skill_id is None or target is None or importance is None:
            continue
        key = (role_source, role_id, skill_id)
        if key in first_row:
            row.problem(
                "skill",
                f"this role already lists this skill (row {first_row[key]})",
                row.raw("skill"),
            )
            continue
        first_row[key] = row.row
        wanted.setdefault(role_source, {})[(role_id, skill_id)] = (
            round(target, 6),
            importance,
            importance >= ESSENTIAL_FROM,
        )
    table.log.raise_if_any(f"{table.file} was not imported")

    report = ImportReport(source=f"role skills from {table.file}", rows_read=rows_read)
    progress("Writing role skills", 0, len(wanted))
    for done, (role_source, lines) in enumerate(sorted(wanted.items())):
        file_roles = {role_id for role_id, _ in lines}
        existing = {
            key: value
            for key, value in repository.role_skill_states(session, role_source=role_source).items()
            if key[0] in file_roles
        }
        plan = plan_sync(existing, lines, same=_same_line)
        repository.insert_role_skills(
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
        repository.update_role_skills(
            session,
            [
                {"id": line_id, "target_level": t, "importance": i, "essential": e}
                for line_id, _, (t, i, e) in plan.to_update
            ],
        )
        repository.delete_role_skills(session, plan.to_delete)
        report.count("created", ROLE_SKILLS, len(plan.to_insert))
        report.count("updated", ROLE_SKILLS, len(plan.to_update))
        report.count("unchanged", ROLE_SKILLS, plan.unchanged)
        if plan.to_delete:
            report.count("removed", ROLE_SKILLS, len(plan.to_delete))
        progress("Writing role skills", done + 1, len(wanted))
    repository.refresh_role_statistics(session)
    session.flush()
    report.seconds = time.perf_counter() - started
    return report


def _same_line(left: RoleSkillState, right: RoleSkillState) -> bool:
    return (
        close_enough(left[0], right[0]) and close_enough(left[1], right[1]) and left[2] == right[2]
    )
