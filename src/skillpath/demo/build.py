"""Write a generated company into the database: wipe, taxonomy, org, catalog, people, history,
logins and an audit event. `build_company` is what `skillpath demo` and the benchmarks call.

Rows carry explicit ids (index + 1, or after the current maximum for tables an ESCO import has
already filled), so nothing is read back while streaming; PostgreSQL sequences are moved past
them at the end. Big tables go through the domains' bulk writers block by block, so memory stays
bounded by the block size plus a few arrays per person.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from queue import Full, Queue
from typing import Any

import numpy as np
from sqlalchemy.orm import Session

from skillpath.core.clock import utcnow
from skillpath.core.errors import InvalidInputError, Problem
from skillpath.core.levels import SCALES
from skillpath.core.reports import ProgressCallback, no_progress
from skillpath.db.base import Base
from skillpath.db.bulk import table_of
from skillpath.db.maintenance import delete_all_rows, max_id, sync_id_sequences
from skillpath.demo import mentoring as demo_mentoring
from skillpath.demo import opportunities as demo_opportunities
from skillpath.demo import paths as demo_paths
from skillpath.demo.company import CompanyPlan, plan_company
from skillpath.demo.history import NOT_LEFT, SOURCE_INTERNAL, STATUS_CLOSED, STATUS_FILLED
from skillpath.demo.people import IdMaps, PeopleBlock, PeopleStream
from skillpath.demo.scenarios import SCENARIOS
from skillpath.demo.taxonomy import GROUPS, PREREQUISITES, RELATED, SKILLS
from skillpath.domains.evidence import repository as evidence_repository
from skillpath.domains.evidence import service as evidence_service
from skillpath.domains.evidence.models import SkillEvidence, SkillIntent
from skillpath.domains.gaps import service as gaps_service
from skillpath.domains.identity import service as identity
from skillpath.domains.learning import repository as learning_repository
from skillpath.domains.learning.models import (
    Completion,
    ItemLocale,
    ItemPrerequisite,
    ItemSkill,
    LearningItem,
)
from skillpath.domains.people import repository as people_repository
from skillpath.domains.people.models import (
    Departure,
    Employee,
    EngagementScore,
    Location,
    Move,
    Opening,
    OrgUnit,
    PerformanceRating,
    PriorityRole,
    PrioritySkill,
    Role,
    RoleAlias,
    RoleSkill,
    StrategicPriority,
)
from skillpath.domains.taxonomy import repository as taxonomy_repository
from skillpath.domains.taxonomy import service as taxonomy_service
from skillpath.domains.taxonomy.models import (
    ProficiencyScale,
    ScaleLevel,
    Skill,
    SkillAlias,
    SkillExternalId,
    SkillRelation,
    TaxonomySource,
)
from skillpath.migrations import models as all_models

DEMO_PASSWORD = "skillpath-demo"  # noqa: S105 - printed on purpose: it is the demo's login
DEMO_SOURCE_KEY = "demo"
ESCO_SOURCE_KEY = "esco"
DEFAULT_SEED = 42
MAX_EMPLOYEES = 1_000_000
LOGIN_ROLES = ("hr_admin", "executive", "manager", "employee")
DEMO_SNAPSHOT_MONTHS = 6
"""Monthly gap snapshots before today's, each derived from the evidence known at its date."""


@dataclass(frozen=True)
class DemoLogin:
    """A user the demo creates, with the password to print."""

    role: str
    email: str
    password: str
    name: str
    job_title: str
    employee_external_id: str


@dataclass
class DemoSummary:
    """What a build produced: counts per table, logins, and (on request) the latent truth."""

    scenario: str
    company: str
    seed: int
    as_of: date
    taxonomy: str
    active_employees: int
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)
    logins: list[DemoLogin] = field(default_factory=list)
    story: dict[str, str] = field(default_factory=dict)
    esco_matches: int = 0
    truth: dict[str, dict[str, float]] | None = None
    roles_of: dict[str, str] | None = None
    participants: list[str] = field(default_factory=list)


class _Writer:
    """Counts rows per table while sending them to the domains' bulk writers."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.counts: dict[str, int] = {}
        self.written: list[type[Base]] = []

    def write(self, model: type[Base], rows: Iterable[dict[str, Any]]) -> None:
        """Send rows to the bulk writer of the model's domain and count them."""
        rows = list(rows)
        if not rows:
            return
        module = model.__module__
        writer = {
            "skillpath.domains.taxonomy.models": taxonomy_repository.write_generated_rows,
            "skillpath.domains.people.models": people_repository.write_generated_rows,
            "skillpath.domains.evidence.models": evidence_repository.write_generated_rows,
            "skillpath.domains.learning.models": learning_repository.write_generated_rows,
        }[module]
        writer(self.session, model, rows)
        name = table_of(model).name
        self.counts[name] = self.counts.get(name, 0) + len(rows)
        if model not in self.written:
            self.written.append(model)


def _moment(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=UTC)


def _profiles_moment(as_of: date) -> datetime:
    """The moment the demo's profiles are consolidated at: now, or the end of the history's
    last day when that lies in the past (so no evidence of that day is left out)."""
    end_of_day = _moment(as_of + timedelta(days=1)) - timedelta(microseconds=1)
    return min(utcnow(), end_of_day)


def validate_options(scenario: str, employees: int | None, taxonomy: str) -> None:
    """Reject impossible options with a clear message (the CLI shows it, no traceback)."""
    problems = []
    if scenario not in SCENARIOS:
        problems.append(
            Problem(f"must be one of {', '.join(SCENARIOS)}", column="scenario", value=scenario)
        )
    if employees is not None and not 50 <= employees <= MAX_EMPLOYEES:
        problems.append(
            Problem(
                f"must be between 50 and {MAX_EMPLOYEES:,}",
                column="employees",
                value=str(employees),
            )
        )
    if taxonomy not in ("demo", "esco"):
        problems.append(Problem("must be demo or esco", column="taxonomy", value=taxonomy))
    if problems:
        raise InvalidInputError("cannot build the demo company", problems)


def build_company(
    session: Session,
    *,
    scenario: str = "retail",
    employees: int | None = None,
    seed: int = DEFAULT_SEED,
    as_of: date,
    progress: ProgressCallback = no_progress,
    taxonomy: str = "demo",
    esco_paths: Sequence[Path] = (),
    keep_truth: bool = False,
    create_logins: bool = True,
) -> DemoSummary:
    """Wipe the database and build a demo company in the caller's transaction (never commits).

    The same scenario, size, seed and as-of date always give the same company. `keep_truth`
    returns each active employee's latent levels (for tests; it costs memory at scale).
    """
    validate_options(scenario, employees, taxonomy)
    if taxonomy == "esco" and not esco_paths:
        raise InvalidInputError(
            "cannot build the demo company",
            [Problem("--taxonomy esco needs the ESCO files (--esco PATH)", column="esco")],
        )
    started = time.perf_counter()
    spec = SCENARIOS[scenario]
    size = employees or spec.default_employees
    progress("Planning the company", 0, 1)
    plan = plan_company(spec, employees=size, seed=seed, as_of=as_of)
    progress("Planning the company", 1, 1)
    progress("Clearing the database", 0, 1)
    delete_all_rows(session, all_models.Base.metadata)
    progress("Clearing the database", 1, 1)
    writer = _Writer(session)
    summary = DemoSummary(
        scenario=scenario,
        company=spec.company,
        seed=seed,
        as_of=as_of,
        taxonomy=taxonomy,
        active_employees=int((plan.history.people["left_day"] == NOT_LEFT).sum()),
    )
    skill_ids = _write_taxonomy(session, writer, plan, taxonomy, esco_paths, progress, summary)
    ids = _write_organisation(session, writer, plan, skill_ids, progress)
    _write_catalog(session, writer, plan, ids, progress)
    _write_people(writer, plan, ids, progress, summary, keep_truth)
    _write_history(writer, plan, ids, progress)
    sync_id_sequences(session, [table_of(model) for model in writer.written])
    # Consolidated profiles are derived from the evidence just written (same transaction).
    evidence_service.rebuild_profiles(
        session, now=_profiles_moment(plan.calendar.as_of), progress=progress
    )
    # Gap snapshots: the previous month-ends derived from the evidence known then, and today's.
    progress("Gap snapshots", 0, DEMO_SNAPSHOT_MONTHS + 1)
    gaps_service.take_history_snapshots(
        session, now=_profiles_moment(plan.calendar.as_of), months=DEMO_SNAPSHOT_MONTHS
    )
    gaps_service.take_gap_snapshot(session, _profiles_moment(plan.calendar.as_of))
    progress("Gap snapshots", DEMO_SNAPSHOT_MONTHS + 1, DEMO_SNAPSHOT_MONTHS + 1)
    if create_logins:
        summary.logins = _create_logins(session, plan)
    progress("Learning paths", 0, 1)
    seeded = demo_paths.seed_paths(
        session,
        as_of=plan.calendar.as_of,
        hr_email=next((x.email for x in summary.logins if x.role == "hr_admin"), None),
        employee_id=_employee_id(session, plan.story.employee),
        manager_id=_employee_id(session, plan.story.manager),
    )
    progress("Learning paths", 1, 1)
    progress("Opportunities", 0, 1)
    marketplace = demo_opportunities.seed_opportunities(
        session,
        as_of=plan.calendar.as_of,
        skill_ids={skill.key: skill_ids[index] for index, skill in enumerate(SKILLS)},
        employee_id=_employee_id(session, plan.story.employee),
        manager_id=_employee_id(session, plan.story.manager),
    )
    progress("Opportunities", 1, 1)
    progress("Mentoring", 0, 1)
    first_priority = plan.scenario.priorities[0] if plan.scenario.priorities else None
    mentoring = demo_mentoring.seed_mentoring(
        session,
        scenario=scenario,
        seed=seed,
        as_of=plan.calendar.as_of,
        hr_email=next((x.email for x in summary.logins if x.role == "hr_admin"), None),
        skill_ids={skill.key: skill_ids[index] for index, skill in enumerate(SKILLS)},
        priority=(first_priority.name, [key for key, _w in first_priority.skills])
        if first_priority is not None
        else None,
        employee_id=_employee_id(session, plan.story.employee),
        manager_id=_employee_id(session, plan.story.manager),
    )
    progress("Mentoring", 1, 1)
    summary.story = {
        name: f"E{getattr(plan.story, name) + 1:07d}"
        for name in ("executive", "hr_admin", "manager", "employee", "second_employee")
    }
    summary.counts = dict(writer.counts)
    summary.counts["learning_path"] = seeded.paths
    summary.counts["path_template"] = seeded.templates
    summary.counts["opportunity"] = marketplace.opportunities
    summary.counts["opportunity_interest"] = marketplace.interests
    summary.counts["mentoring_program"] = mentoring.programs
    summary.counts["mentoring_enrolment"] = mentoring.enrolments
    summary.counts["mentoring_match"] = mentoring.matches
    summary.counts["mentoring_checkin"] = mentoring.checkins
    summary.seconds = time.perf_counter() - started
    identity.record_audit(
        session,
        actor="skillpath demo",
        action="demo.build",
        entity_type="organisation",
        entity_id=spec.company,
        summary=(
            f"built the {scenario} demo company ({summary.active_employees:,} employees, "
            f"seed {seed}, as of {as_of.isoformat()})"
        ),
        details={
            "scenario": scenario,
            "seed": seed,
            "as_of": as_of.isoformat(),
            "taxonomy": taxonomy,
            "counts": summary.counts,
        },
    )
    session.flush()
    return summary


# Taxonomy


def _write_taxonomy(
    session: Session,
    writer: _Writer,
    plan: CompanyPlan,
    taxonomy: str,
    esco_paths: Sequence[Path],
    progress: ProgressCallback,
    summary: DemoSummary,
) -> list[int]:
    """The demo taxonomy (or ESCO plus the demo skills ESCO lacks); returns skill ids."""
    mapped: dict[int, int] = {}
    if taxonomy == "esco":
        mapped = _import_esco(session, esco_paths, progress)
        summary.esco_matches = len(mapped)
    progress("Taxonomy", 0, len(SKILLS))
    as_of = _moment(plan.calendar.as_of)
    source_id = max_id(session, table_of(TaxonomySource)) + 1
    writer.write(
        TaxonomySource,
        [
            {
                "id": source_id,
                "key": DEMO_SOURCE_KEY,
                "title": "Skillpath demo taxonomy",
                "version": "1.0",
                "language": "en",
                "attribution": "Written for the Skillpath demo company.",
                "imported_at": as_of,
            }
        ],
    )
    next_id = max_id(session, table_of(Skill)) + 1
    group_ids = {group.key: next_id + i for i, group in enumerate(GROUPS)}
    next_id += len(GROUPS)
    skill_ids: list[int] = []
    for index, _skill in enumerate(SKILLS):
        if index in mapped:
            skill_ids.append(mapped[index])
        else:
            skill_ids.append(next_id)
            next_id += 1
    own = [index for index in range(len(SKILLS)) if index not in mapped]
    reuse = {
        "g_personal": "transversal",
        "g_languages": "transversal",
        "g_retail_ops": "sector-specific",
        "g_aec": "sector-specific",
        "g_bim": "sector-specific",
        "g_structural_civil": "sector-specific",
        "g_construction": "sector-specific",
    }
    rows: list[dict[str, Any]] = []
    for group in GROUPS:
        rows.append(
            {
                "id": group_ids[group.key],
                "source_id": source_id,
                "external_id": group.key,
                "name": group.name,
                "name_lower": group.name.lower(),
                "description": group.description,
                "kind": "group",
                "status": "active",
                "reuse_level": "",
                "parent_id": group_ids[group.parent] if group.parent else None,
                "updated_at": as_of,
            }
        )
    for index in own:
        skill = SKILLS[index]
        rows.append(
            {
                "id": skill_ids[index],
                "source_id": source_id,
                "external_id": skill.key,
                "name": skill.name,
                "name_lower": skill.name.lower(),
                "description": skill.description,
                "kind": skill.kind,
                "status": "active",
                "reuse_level": reuse.get(skill.group, "cross-sector"),
                "parent_id": group_ids[skill.group],
                "updated_at": as_of,
            }
        )
    writer.write(Skill, rows)
    alias_id = max_id(session, table_of(SkillAlias))
    aliases: list[dict[str, Any]] = []
    for index in own:
        skill = SKILLS[index]
        labels = [(label, "alt") for label in skill.aliases]
        if skill.kind == "tool" and " " in skill.name:
            labels.append((skill.name.replace(" ", ""), "hidden"))
        seen: set[str] = set()
        for label, kind in labels:
            if label.lower() in seen or label.lower() == skill.name.lower():
                continue
            seen.add(label.lower())
            alias_id += 1
            aliases.append(
                {
                    "id": alias_id,
                    "skill_id": skill_ids[index],
                    "label": label,
                    "label_lower": label.lower(),
                    "kind": kind,
                }
            )
    writer.write(SkillAlias, aliases)
    prefix = "".join(word[0] for word in plan.scenario.company.split()).upper()
    external_id = max_id(session, table_of(SkillExternalId))
    externals = []
    for number, index in enumerate(own, start=1):
        external_id += 1
        externals.append(
            {
                "id": external_id,
                "skill_id": skill_ids[index],
                "system": "lms",
                "value": f"{prefix}-SK-{number:04d}",
            }
        )
    writer.write(SkillExternalId, externals)
    _write_relations(session, writer, group_ids, skill_ids, set(mapped))
    _write_scales(session, writer)
    progress("Taxonomy", len(SKILLS), len(SKILLS))
    return skill_ids


def _write_relations(
    session: Session,
    writer: _Writer,
    group_ids: dict[str, int],
    skill_ids: list[int],
    mapped: set[int],
) -> None:
    """Broader links (skill → group, group → parent group), prerequisites and related skills.

    `prerequisite` runs from the skill to the skill it needs first.
    """
    index = {skill.key: i for i, skill in enumerate(SKILLS)}
    wanted: dict[tuple[int, int, str], None] = {}
    for group in GROUPS:
        if group.parent:
            wanted[(group_ids[group.key], group_ids[group.parent], "broader")] = None
    for i, skill in enumerate(SKILLS):
        if i not in mapped:
            wanted[(skill_ids[i], group_ids[skill.group], "broader")] = None
    for kind, links in (("prerequisite", PREREQUISITES), ("related", RELATED)):
        for needing, needed in links:
            first, second = skill_ids[index[needing]], skill_ids[index[needed]]
            if first != second:
                wanted[(first, second, kind)] = None
    if mapped:
        existing = taxonomy_repository.relation_keys_among(
            session, sorted({skill_ids[i] for i in mapped})
        )
        for key in existing:
            wanted.pop(key, None)
    relation_id = max_id(session, table_of(SkillRelation))
    rows = []
    for start, end, kind in wanted:
        relation_id += 1
        rows.append({"id": relation_id, "from_skill_id": start, "to_skill_id": end, "kind": kind})
    writer.write(SkillRelation, rows)


def _write_scales(session: Session, writer: _Writer) -> None:
    """The three display scales of `core.levels` with their levels."""
    scale_id = max_id(session, table_of(ProficiencyScale))
    level_id = max_id(session, table_of(ScaleLevel))
    scales, levels = [], []
    for scale in SCALES.values():
        scale_id += 1
        scales.append({"id": scale_id, "code": scale.code, "name": scale.name})
        for ordinal in range(scale.minimum, scale.maximum + 1):
            level_id += 1
            position = ordinal - scale.minimum
            levels.append(
                {
                    "id": level_id,
                    "scale_id": scale_id,
                    "ordinal": ordinal,
                    "label": scale.labels[position],
                    "descriptor": scale.descriptors[position],
                    "value": scale.to_latent(ordinal),
                }
            )
    writer.write(ProficiencyScale, scales)
    writer.write(ScaleLevel, levels)


def _import_esco(
    session: Session, paths: Sequence[Path], progress: ProgressCallback
) -> dict[int, int]:
    """Import ESCO, then map demo skill index → ESCO skill id by preferred or alternative label.

    Each ESCO skill takes at most one demo skill (the first in taxonomy order), so profiles
    never name the same skill twice.
    """
    taxonomy_service.import_esco(session, paths=list(paths), progress=progress)
    labels = {label.lower() for skill in SKILLS for label in (skill.name, *skill.aliases)}
    preferred, alternative = taxonomy_repository.skill_ids_by_labels(
        session, source_key=ESCO_SOURCE_KEY, labels=labels
    )
    mapped: dict[int, int] = {}
    taken: set[int] = set()
    # A demo skill's own name beats its aliases, and ESCO preferred labels beat alternative ones.
    for index, skill in enumerate(SKILLS):
        candidates = [
            found.get(label.lower())
            for found in (preferred, alternative)
            for label in (skill.name, *skill.aliases)
        ]
        for esco_id in candidates:
            if esco_id is not None and esco_id not in taken:
                mapped[index] = esco_id
                taken.add(esco_id)
                break
    return mapped


# Organisation: locations, units, roles, priorities


def _unit_order(plan: CompanyPlan) -> list[int]:
    """Units ordered so that every parent comes before its children."""
    depth = [0] * len(plan.org.units)
    for index, unit in enumerate(plan.org.units):
        steps, parent = 0, unit.parent
        while parent >= 0:
            steps += 1
            parent = plan.org.units[parent].parent
        depth[index] = steps
    return sorted(range(len(plan.org.units)), key=lambda i: (depth[i], i))


def _write_organisation(
    session: Session,
    writer: _Writer,
    plan: CompanyPlan,
    skill_ids: list[int],
    progress: ProgressCallback,
) -> IdMaps:
    org = plan.org
    progress("Organisation", 0, 3)
    location_base = max_id(session, table_of(Location))
    writer.write(
        Location,
        (
            {
                "id": location_base + index + 1,
                "external_id": f"LOC{index + 1:06d}",
                "name": location.name,
                "country": location.country,
                "locale": location.locale,
                "timezone": location.timezone,
            }
            for index, location in enumerate(org.locations)
        ),
    )
    unit_base = max_id(session, table_of(OrgUnit))
    writer.write(
        OrgUnit,
        (
            {
                "id": unit_base + index + 1,
                "external_id": f"U{index + 1:06d}",
                "name": org.units[index].name,
                "kind": org.units[index].kind,
                "parent_id": unit_base + org.units[index].parent + 1
                if org.units[index].parent >= 0
                else None,
                "location_id": location_base + org.units[index].location + 1,
            }
            for index in _unit_order(plan)
        ),
    )
    progress("Organisation", 1, 3)
    role_base = max_id(session, table_of(Role))
    as_of = _moment(plan.calendar.as_of)
    roles, aliases, lines = [], [], []
    alias_id = max_id(session, table_of(RoleAlias))
    line_id = max_id(session, table_of(RoleSkill))
    for index, role in enumerate(plan.roles):
        role_id = role_base + index + 1
        roles.append(
            {
                "id": role_id,
                "source": "org",
                "external_id": role.key,
                "title": role.title,
                "title_lower": role.title.lower(),
                "family": role.family,
                "level": role.level,
                "description": role.description,
                "code": f"R{index + 1:03d}",
                "is_template": False,
                "is_critical": role.critical,
                "updated_at": as_of,
            }
        )
        for title in role.aliases:
            alias_id += 1
            aliases.append(
                {"id": alias_id, "role_id": role_id, "title": title, "title_lower": title.lower()}
            )
        for line in role.profile:
            line_id += 1
            lines.append(
                {
                    "id": line_id,
                    "role_id": role_id,
                    "skill_id": skill_ids[plan.skill_index[line.skill]],
                    "target_level": line.target,
                    "importance": line.importance,
                    "essential": line.essential,
                }
            )
    writer.write(Role, roles)
    writer.write(RoleAlias, aliases)
    writer.write(RoleSkill, lines)
    progress("Organisation", 2, 3)
    _write_priorities(session, writer, plan, skill_ids, role_base)
    progress("Organisation", 3, 3)
    return IdMaps(
        skill=skill_ids,
        role=[role_base + i + 1 for i in range(len(plan.roles))],
        unit=[unit_base + i + 1 for i in range(len(org.units))],
        location=[location_base + i + 1 for i in range(len(org.locations))],
        item=[],
    )


def _write_priorities(
    session: Session, writer: _Writer, plan: CompanyPlan, skill_ids: list[int], role_base: int
) -> None:
    role_index = {role.key: i for i, role in enumerate(plan.roles)}
    priority_id = max_id(session, table_of(StrategicPriority))
    skill_line = max_id(session, table_of(PrioritySkill))
    role_line = max_id(session, table_of(PriorityRole))
    priorities, skills, roles = [], [], []
    for priority in plan.scenario.priorities:
        priority_id += 1
        year = (
            plan.calendar.as_of.year + (plan.calendar.as_of.month + priority.months_to_target) // 12
        )
        month = (plan.calendar.as_of.month + priority.months_to_target - 1) % 12 + 1
        priorities.append(
            {
                "id": priority_id,
                "name": priority.name,
                "description": priority.description,
                "target_date": date(year, month, 1),
                "active": True,
                "created_at": _moment(plan.calendar.as_of),
            }
        )
        for key, weight in priority.skills:
            skill_line += 1
            skills.append(
                {
                    "id": skill_line,
                    "priority_id": priority_id,
                    "skill_id": skill_ids[plan.skill_index[key]],
                    "weight": weight,
                }
            )
        for key, weight, _extra in priority.roles:
            if key not in role_index:
                continue
            role_line += 1
            roles.append(
                {
                    "id": role_line,
                    "priority_id": priority_id,
                    "role_id": role_base + role_index[key] + 1,
                    "weight": weight,
                    "headcount_needed": plan.headcount_needed.get(key, 0),
                }
            )
    writer.write(StrategicPriority, priorities)
    writer.write(PrioritySkill, skills)
    writer.write(PriorityRole, roles)


# Catalog


def _write_catalog(
    session: Session, writer: _Writer, plan: CompanyPlan, ids: IdMaps, progress: ProgressCallback
) -> None:
    catalog = plan.catalog
    progress("Catalog", 0, len(catalog))
    base = max_id(session, table_of(LearningItem))
    item_ids = [base + i + 1 for i in range(len(catalog))]
    ids.item.extend(item_ids)
    by_key = {item.key: item_ids[i] for i, item in enumerate(catalog)}
    as_of = _moment(plan.calendar.as_of)
    items: list[dict[str, Any]] = []
    locales: list[dict[str, Any]] = []
    teaches: list[dict[str, Any]] = []
    requires: list[dict[str, Any]] = []
    locale_id = max_id(session, table_of(ItemLocale))
    teach_id = max_id(session, table_of(ItemSkill))
    require_id = max_id(session, table_of(ItemPrerequisite))
    for index, item in enumerate(catalog):
        items.append(
            {
                "id": item_ids[index],
                "external_id": f"demo-{item.key}",
                "title": item.title,
                "title_lower": item.title.lower(),
                "description": item.description,
                "kind": item.kind,
                "minutes": item.minutes,
                "cost": item.cost,
                "currency": "EUR",
                "offline": item.offline,
                "provider": item.provider,
                "url": item.url,
                "active": True,
                "updated_at": as_of,
            }
        )
        for locale in item.locales:
            locale_id += 1
            locales.append({"id": locale_id, "item_id": item_ids[index], "locale": locale})
        for skill, level in item.teaches:
            teach_id += 1
            teaches.append(
                {
                    "id": teach_id,
                    "item_id": item_ids[index],
                    "skill_id": ids.skill[plan.skill_index[skill]],
                    "level_gained": level,
                }
            )
        for required in item.requires_items:
            require_id += 1
            requires.append(
                {
                    "id": require_id,
                    "item_id": item_ids[index],
                    "required_item_id": by_key[required],
                    "required_skill_id": None,
                    "required_level": None,
                }
            )
        for skill, level in item.requires_skills:
            require_id += 1
            requires.append(
                {
                    "id": require_id,
                    "item_id": item_ids[index],
                    "required_item_id": None,
                    "required_skill_id": ids.skill[plan.skill_index[skill]],
                    "required_level": level,
                }
            )
    writer.write(LearningItem, items)
    writer.write(ItemLocale, locales)
    writer.write(ItemSkill, teaches)
    writer.write(ItemPrerequisite, requires)
    progress("Catalog", len(catalog), len(catalog))


# People


def _write_people(
    writer: _Writer,
    plan: CompanyPlan,
    ids: IdMaps,
    progress: ProgressCallback,
    summary: DemoSummary,
    keep_truth: bool,
) -> None:
    people_stream = PeopleStream(plan, ids, keep_truth=keep_truth)
    total = plan.history.person_count
    done = 0
    truth: dict[str, dict[str, float]] = {}
    progress("People and evidence", 0, total)
    for block in _prefetched(people_stream.blocks()):
        writer.write(Employee, block.employees)
        writer.write(SkillEvidence, block.evidence)
        writer.write(SkillIntent, block.intents)
        writer.write(Completion, block.completions)
        writer.write(PerformanceRating, block.ratings)
        writer.write(EngagementScore, block.engagement)
        writer.write(Departure, block.departures)
        summary.participants.extend(f"E{person + 1:07d}" for person in block.participants)
        for person, levels in block.truth.items():
            truth[f"E{person + 1:07d}"] = levels
        done += len(block.employees)
        progress("People and evidence", done, total)
    if keep_truth:
        roles = plan.history.people["role"]
        summary.truth = truth
        summary.roles_of = {
            external: plan.roles[int(roles[int(external[1:]) - 1])].key for external in truth
        }


def _prefetched(blocks: Iterator[PeopleBlock], depth: int = 2) -> Iterator[PeopleBlock]:
    """The same blocks, generated by a helper thread while the caller writes the previous one.

    The database drivers release the GIL while the database works, so generating (Python) and
    writing (SQLite or PostgreSQL) overlap on two cores. At most `depth` blocks wait in the
    queue, so memory stays bounded; the order, and so the company, is unchanged.
    """
    queue: Queue[PeopleBlock | BaseException | None] = Queue(maxsize=depth)
    stop = threading.Event()

    def put(item: PeopleBlock | BaseException | None) -> None:
        while not stop.is_set():
            try:
                queue.put(item, timeout=0.1)
                return
            except Full:
                continue

    def produce() -> None:
        try:
            for block in blocks:
                if stop.is_set():
                    return
                put(block)
            put(None)
        except BaseException as error:  # handed to the writing thread, which raises it
            put(error)

    thread = threading.Thread(target=produce, name="demo-people", daemon=True)
    thread.start()
    try:
        while (item := queue.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        thread.join()


# History: openings and moves


def _write_history(
    writer: _Writer, plan: CompanyPlan, ids: IdMaps, progress: ProgressCallback
) -> None:
    history = plan.history
    openings = history.openings
    org = plan.org
    calendar = plan.calendar
    total = int(openings["seat"].size)
    progress("Openings and moves", 0, total)
    seat_role = org.seat_role
    rows = []
    for index in range(total):
        seat = int(openings["seat"][index])
        status = int(openings["status"][index])
        filled = status == STATUS_FILLED
        source = int(openings["source"][index])
        manager = int(openings["hiring_manager"][index])
        filled_by = int(openings["filled_by"][index])
        rows.append(
            {
                "id": index + 1,
                "external_id": f"REQ{index + 1:07d}",
                "role_id": ids.role[int(seat_role[seat])],
                "org_unit_id": ids.unit[int(org.seat_unit[seat])],
                "location_id": ids.location[int(org.seat_location[seat])],
                "hiring_manager_id": manager + 1 if manager >= 0 else None,
                "opened_on": calendar.to_date(int(openings["opened_day"][index])),
                "filled_on": calendar.to_date(int(openings["filled_day"][index]))
                if filled
                else None,
                "closed_on": calendar.to_date(int(openings["closed_day"][index]))
                if status == STATUS_CLOSED
                else None,
                "status": ("open", "filled", "closed")[status],
                "filled_by_id": filled_by + 1 if filled else None,
                "fill_source": ("internal" if source == SOURCE_INTERNAL else "external")
                if filled
                else None,
                "cost": float(openings["cost"][index]) if filled else 0.0,
                "currency": "EUR",
            }
        )
        if len(rows) == 20_000:
            writer.write(Opening, rows)
            rows = []
            progress("Openings and moves", index + 1, total)
    writer.write(Opening, rows)
    moves = history.moves
    kinds = ("promotion", "lateral", "reskill", "transfer")
    move_rows = []
    order = np.lexsort((np.arange(moves["day"].size), moves["day"]))
    for number, index in enumerate(order, start=1):
        from_seat, to_seat = int(moves["from_seat"][index]), int(moves["to_seat"][index])
        move_rows.append(
            {
                "id": number,
                "external_id": f"MOV{number:07d}",
                "employee_id": int(moves["person"][index]) + 1,
                "moved_on": calendar.to_date(int(moves["day"][index])),
                "kind": kinds[int(moves["kind"][index])],
                "from_role_id": ids.role[int(seat_role[from_seat])],
                "to_role_id": ids.role[int(seat_role[to_seat])],
                "from_unit_id": ids.unit[int(org.seat_unit[from_seat])],
                "to_unit_id": ids.unit[int(org.seat_unit[to_seat])],
                "opening_id": int(moves["opening"][index]) + 1,
            }
        )
        if len(move_rows) == 20_000:
            writer.write(Move, move_rows)
            move_rows = []
    writer.write(Move, move_rows)
    progress("Openings and moves", total, total)


# Logins


def _employee_id(session: Session, person: int) -> int | None:
    """Database id of a generated person (by their external id)."""
    employee = people_repository.employee_by_external_id(session, f"E{person + 1:07d}")
    return employee.id if employee is not None else None


def _create_logins(session: Session, plan: CompanyPlan) -> list[DemoLogin]:
    """The four printed logins, created through the identity service (argon2 hashes)."""
    domain = plan.scenario.email_domain
    people = {
        "hr_admin": plan.story.hr_admin,
        "executive": plan.story.executive,
        "manager": plan.story.manager,
        "employee": plan.story.employee,
    }
    emails = {
        "hr_admin": f"hr.admin@{domain}",
        "executive": f"executive@{domain}",
        "manager": f"manager@{domain}",
        "employee": f"employee@{domain}",
    }
    logins = []
    for role in LOGIN_ROLES:
        person = people[role]
        external = f"E{person + 1:07d}"
        employee = people_repository.employee_by_external_id(session, external)
        if employee is None:  # pragma: no cover - the generator always writes these people
            raise RuntimeError(f"demo login person {external} was not written")
        identity.create_user(
            session,
            email=emails[role],
            role=role,
            employee_external_id=external,
            password=DEMO_PASSWORD,
            actor="skillpath demo",
        )
        logins.append(
            DemoLogin(
                role=role,
                email=emails[role],
                password=DEMO_PASSWORD,
                name=f"{employee.first_name} {employee.last_name}",
                job_title=employee.job_title,
                employee_external_id=external,
            )
        )
    return logins
