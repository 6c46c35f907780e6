"""CSV import of the learning catalog (docs/import-formats.md): upsert by external id.

All or nothing: every row is checked (kind, minutes, cost and currency, locales, skills taught,
prerequisites, and loops among prerequisites across the file and the database) before anything
is written. A column left out of the file keeps the stored values; a `locales`, `skills` or
`prerequisites` column replaces that list for every item of the file.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from skillpath.core.clock import utcnow
from skillpath.core.errors import Problem
from skillpath.core.graphs import graph_cycles
from skillpath.core.levels import SCALES
from skillpath.core.reports import ImportReport, ProgressCallback, no_progress
from skillpath.core.sync import close_enough, plan_sync
from skillpath.core.tabular import (
    CellError,
    RowContext,
    bounded,
    one_of,
    open_table,
    parse_bool,
    parse_currency,
    parse_float,
    parse_identifier,
    parse_int,
    parse_list,
    parse_locale,
    parse_nonnegative,
)
from skillpath.domains.identity import service as identity_service
from skillpath.domains.learning import repository
from skillpath.domains.learning.models import ITEM_KINDS
from skillpath.domains.learning.repository import ItemState, PrerequisiteKey
from skillpath.domains.taxonomy import repository as taxonomy_repository
from skillpath.domains.taxonomy.references import SkillIndex

REQUIRED = ("external_id", "title", "kind", "minutes")
OPTIONAL = (
    "description",
    "cost",
    "currency",
    "locales",
    "offline",
    "provider",
    "url",
    "skills",
    "prerequisites",
    "scale",
    "skill_source",
    "active",
)
ITEMS = "learning items"
LOCALES = "item locales"
SKILLS = "item skills"
PREREQUISITES = "item prerequisites"
DEFAULT_CURRENCY = "EUR"
LATENT = "latent"


@dataclass
class _ItemRow:
    row: int
    title: str
    description: str | None
    kind: str
    minutes: int
    cost: float | None
    currency: str | None
    offline: bool | None
    provider: str | None
    url: str | None
    active: bool | None
    locales: list[str] | None
    skills: dict[int, float] | None
    required_items: list[str] | None
    required_skills: dict[int, float] | None


def _minutes(text: str) -> int:
    value = parse_int(text)
    if value <= 0:
        raise CellError("must be a whole number of minutes above 0")
    return value


def _level_parser(row: RowContext) -> Callable[[str], float] | None:
    """How this row's levels read: latent (0, 1], or display levels of the row's scale."""
    scale_text = row.raw("scale")
    if not scale_text or scale_text.lower() == LATENT:
        parse: Callable[[str], float] = parse_float
    else:
        scale = SCALES.get(scale_text.lower())
        if scale is None:
            choices = f"{LATENT} (0–1, the default), {', '.join(SCALES)}"
            row.problem("scale", f"must be one of: {choices}", scale_text)
            return None

        def parse(text: str) -> float:
            try:
                return scale.to_latent(parse_float(text))
            except ValueError as error:
                raise CellError(str(error)) from None

    def checked(text: str) -> float:
        value = parse(text)
        if not 0 < value <= 1:
            raise CellError("must be above 0 and at most 1 (or name a scale)")
        return value

    return checked


def _split_level(entry: str) -> tuple[str, str] | None:
    """'skill:level' → (skill, level) when the part after the last ':' is a number."""
    skill, colon, level = entry.rpartition(":")
    if not colon or not skill:
        return None
    try:
        float(level)
    except ValueError:
        return None
    return skill.strip(), level.strip()


def _parse_skills(
    row: RowContext,
    column: str,
    text: str,
    index: SkillIndex,
    level_of: Callable[[str], float] | None,
) -> dict[int, float] | None:
    """A `skill:level;…` list as skill id → latent level (None when empty)."""
    if not text:
        return None
    found: dict[int, float] = {}
    source_key = row.raw("skill_source")
    for entry in parse_list(text):
        pair = _split_level(entry)
        if pair is None:
            row.problem(column, "each entry must be skill:level (like S12:0.6)", entry)
            continue
        skill_text, level_text = pair
        skill = index.resolve(skill_text, source_key)
        if isinstance(skill, str):
            row.problem(column, f"skill {skill_text!r}: {skill}", entry)
            continue
        if level_of is None:
            continue
        try:
            level = level_of(level_text)
        except CellError as error:
            row.problem(column, f"level of {skill_text!r} {error}", entry)
            continue
        if skill in found:
            row.problem(column, f"names skill {skill_text!r} twice", entry)
        found[skill] = level
    return found


def import_catalog(
    session: Session, *, path: Path, progress: ProgressCallback = no_progress
) -> ImportReport:
    """Upsert learning items by external id with their locales, skills and prerequisites."""
    started = time.perf_counter()
    table = open_table(path, required=REQUIRED, optional=OPTIONAL)
    report = ImportReport(source=f"{table.file} ({ITEMS})")
    present = set(table.columns)
    existing = repository.item_states(session)
    index = SkillIndex(taxonomy_repository.skill_keys(session))
    records: dict[str, _ItemRow] = {}
    seen: dict[str, int] = {}
    stage = f"{table.file}: checking"
    progress(stage, 0, None)
    for row in table.rows:
        report.rows_read += 1
        external_id = row.required("external_id", parse_identifier)
        title = row.required("title", bounded(300))
        kind = row.required("kind", one_of(ITEM_KINDS))
        minutes = row.required("minutes", _minutes)
        level_of = _level_parser(row)
        record = _ItemRow(
            row=row.row,
            title=title or "",
            description=row.cell("description", str),
            kind=kind or "",
            minutes=minutes or 0,
            cost=row.cell("cost", parse_nonnegative),
            currency=row.cell("currency", parse_currency),
            offline=row.cell("offline", parse_bool),
            provider=row.cell("provider", bounded(200)),
            url=row.cell("url", bounded(1000)),
            active=row.cell("active", parse_bool),
            locales=row.cell("locales", lambda text: [parse_locale(x) for x in parse_list(text)]),
            skills=_parse_skills(row, "skills", row.raw("skills"), index, level_of),
            required_items=None,
            required_skills=None,
        )
        prerequisites = parse_list(row.raw("prerequisites"))
        record.required_items = [e for e in prerequisites if _split_level(e) is None]
        skill_entries = ";".join(e for e in prerequisites if _split_level(e) is not None)
        record.required_skills = _parse_skills(row, "prerequisites", skill_entries, index, level_of)
        if external_id is None or not first_row(row, external_id, seen):
            continue
        if title is not None and kind is not None and minutes is not None:
            records[external_id] = record
    for external_id, record in records.items():
        for required in record.required_items or []:
            if required == external_id:
                table.log.add(
                    _problem(table.file, record, "an item cannot require itself", required)
                )
            elif required not in records and required not in existing:
                table.log.add(
                    _problem(table.file, record, "no learning item has this id", required)
                )
    _check_prerequisite_cycles(session, table.file, records, existing, present, table.log.add)
    table.log.raise_if_any(f"cannot import {table.file}")
    progress(stage, report.rows_read, report.rows_read)
    _write(session, records, existing, present, report)
    report.seconds = time.perf_counter() - started
    identity_service.record_import(session, kind="catalog", file=table.file, report=report)
    return report


def first_row(row: RowContext, external_id: str, seen: dict[str, int]) -> bool:
    """The first row of an external id; a second one is a problem naming the first."""
    first = seen.get(external_id)
    if first is not None:
        row.problem(
            "external_id", f"is used twice in this file (first on row {first})", external_id
        )
        return False
    seen[external_id] = row.row
    return True


def _problem(file: str, record: _ItemRow, reason: str, value: str) -> Problem:
    return Problem(reason, file=file, row=record.row, column="prerequisites", value=value)


def _check_prerequisite_cycles(
    session: Session,
    file: str,
    records: dict[str, _ItemRow],
    existing: dict[str, tuple[int, ItemState]],
    present: set[str],
    add: Callable[[Problem], None],
) -> None:
    """Items must not require each other in a loop (across the file and the database)."""
    ext_of = {item_id: ext for ext, (item_id, _state) in existing.items()}
    edges: dict[str, list[str]] = {ext: [] for ext in [*existing, *records]}
    for (item_id, required_item, _skill), _value in repository.prerequisite_states(session).items():
        if required_item is not None and item_id in ext_of and required_item in ext_of:
            edges[ext_of[item_id]].append(ext_of[required_item])
    if "prerequisites" in present:
        for external_id, record in records.items():
            edges[external_id] = list(record.required_items or [])
    for loop in graph_cycles(edges):
        in_file = [ext for ext in loop if ext in records]
        if in_file:
            add(
                _problem(
                    file,
                    records[in_file[0]],
                    f"items require each other in a loop: {', '.join(loop)}",
                    in_file[0],
                )
            )


def _write(
    session: Session,
    records: dict[str, _ItemRow],
    existing: dict[str, tuple[int, ItemState]],
    present: set[str],
    report: ImportReport,
) -> None:
    """Upsert the items, then make their locales, skills and prerequisites the file's."""
    now = utcnow()

    def values_of(record: _ItemRow, stored: ItemState | None) -> dict[str, Any]:
        def pick(column: str, given: Any, position: int, default: Any) -> Any:
            if column in present:
                return default if given is None else given
            return stored[position] if stored is not None else default

        return {
            "title": record.title,
            "title_lower": record.title.lower(),
            "description": pick("description", record.description, 1, ""),
            "kind": record.kind,
            "minutes": record.minutes,
            "cost": pick("cost", record.cost, 4, 0.0),
            "currency": pick("currency", record.currency, 5, DEFAULT_CURRENCY),
            "offline": pick("offline", record.offline, 6, False),
            "provider": pick("provider", record.provider, 7, ""),
            "url": pick("url", record.url, 8, ""),
            "active": pick("active", record.active, 9, True),
            "updated_at": now,
        }

    new = [
        {"external_id": ext, **values_of(record, None)}
        for ext, record in records.items()
        if ext not in existing
    ]
    ids = {ext: item_id for ext, (item_id, _state) in existing.items()}
    ids.update(repository.insert_items(session, new))
    updates: list[dict[str, Any]] = []
    unchanged = 0
    for external_id, record in records.items():
        found = existing.get(external_id)
        if found is None:
            continue
        values = values_of(record, found[1])
        wanted = tuple(
            values[name]
            for name in (
                "title",
                "description",
                "kind",
                "minutes",
                "cost",
                "currency",
                "offline",
                "provider",
                "url",
                "active",
            )
        )
        if wanted == found[1]:
            unchanged += 1
        else:
            updates.append({"id": found[0], **values})
    repository.update_items(session, updates)
    report.count("created", ITEMS, len(new))
    report.count("updated", ITEMS, len(updates))
    report.count("unchanged", ITEMS, unchanged)
    item_ids = [ids[ext] for ext in records]
    if "locales" in present:
        _sync_locales(session, records, ids, item_ids, report)
    if "skills" in present:
        _sync_skills(session, records, ids, item_ids, report)
    if "prerequisites" in present:
        _sync_prerequisites(session, records, ids, item_ids, report)


def _count(
    report: ImportReport, kind: str, created: int, updated: int, kept: int, gone: int
) -> None:
    report.count("created", kind, created)
    report.count("updated", kind, updated)
    report.count("unchanged", kind, kept)
    if gone:
        report.count("removed", kind, gone)


def _sync_locales(
    session: Session,
    records: dict[str, _ItemRow],
    ids: dict[str, int],
    item_ids: list[int],
    report: ImportReport,
) -> None:
    wanted = {
        (ids[ext], locale): None
        for ext, record in records.items()
        for locale in record.locales or []
    }
    plan = plan_sync(repository.item_locale_states(session, item_ids), wanted)
    repository.delete_item_locales(session, plan.to_delete)
    repository.insert_item_locales(
        session, [{"item_id": item_id, "locale": locale} for (item_id, locale), _ in plan.to_insert]
    )
    _count(report, LOCALES, len(plan.to_insert), 0, plan.unchanged, len(plan.to_delete))


def _sync_skills(
    session: Session,
    records: dict[str, _ItemRow],
    ids: dict[str, int],
    item_ids: list[int],
    report: ImportReport,
) -> None:
    wanted = {
        (ids[ext], skill_id): level
        for ext, record in records.items()
        for skill_id, level in (record.skills or {}).items()
    }
    plan = plan_sync(repository.item_skill_states(session, item_ids), wanted, same=close_enough)
    repository.delete_item_skills(session, plan.to_delete)
    repository.update_item_skills(
        session, [{"id": row_id, "level_gained": level} for row_id, _key, level in plan.to_update]
    )
    repository.insert_item_skills(
        session,
        [
            {"item_id": item_id, "skill_id": skill_id, "level_gained": level}
            for (item_id, skill_id), level in plan.to_insert
        ],
    )
    _count(
        report,
        SKILLS,
        len(plan.to_insert),
        len(plan.to_update),
        plan.unchanged,
        len(plan.to_delete),
    )


def _same_level(left: float | None, right: float | None) -> bool:
    if left is None or right is None:
        return left is right
    return close_enough(left, right)


def _sync_prerequisites(
    session: Session,
    records: dict[str, _ItemRow],
    ids: dict[str, int],
    item_ids: list[int],
    report: ImportReport,
) -> None:
    wanted: dict[PrerequisiteKey, float | None] = {}
    for ext, record in records.items():
        for required in record.required_items or []:
            wanted[(ids[ext], ids[required], None)] = None
        for skill_id, level in (record.required_skills or {}).items():
            wanted[(ids[ext], None, skill_id)] = level
    plan = plan_sync(repository.prerequisite_states(session, item_ids), wanted, same=_same_level)
    repository.delete_prerequisites(session, plan.to_delete)
    repository.update_prerequisites(
        session, [{"id": row_id, "required_level": level} for row_id, _key, level in plan.to_update]
    )
    repository.insert_prerequisites(
        session,
        [
            {
                "item_id": item_id,
                "required_item_id": required_item,
                "required_skill_id": required_skill,
                "required_level": level,
            }
            for (item_id, required_item, required_skill), level in plan.to_insert
        ],
    )
    _count(
        report,
        PREREQUISITES,
        len(plan.to_insert),
        len(plan.to_update),
        plan.unchanged,
        len(plan.to_delete),
    )
