"""B1: consolidate every profile and recompute every gap roll-up, from the database.

Builds a seeded company straight into a fresh, migrated database (SQLite by default;
PostgreSQL when SKILLPATH_BENCH_DATABASE_URL names a server, on which a scratch database is
created and dropped): 100,000 employees under a manager tree, 2,025 org units (company,
countries, sites, teams), 2,000 roles with skill profiles, 13,891 skills of every kind,
3,000,000 evidence rows and five strategic priorities. Then it times, as the product runs it:

1. the full profile rebuild (`evidence.service.rebuild_profiles_with_levels`: read the
   evidence, consolidate, replace every `employee_skill` row, in one transaction), split into
   read / engine / write;
2. the gap roll-ups over the fresh profiles (the levels the rebuild returns, equal to what it
   stored): loading the workforce, role profiles and priorities, then person gaps and team
   (manager), unit-subtree and org roll-ups, for the baseline and for each strategic priority;
3. peak memory (`ru_maxrss`).

The reference is the plain way: a per-employee Python loop over ORM rows (a query for each
person's evidence, `evidence/engine/reference.py`, then `gaps/engine/reference.py` over the
same people), timed on a subset of employees and extrapolated linearly. The fast results are
checked equal to the reference on that subset (profiles and roll-ups).

Sizes can be lowered for a quick look: SKILLPATH_B1_EMPLOYEES, SKILLPATH_B1_EVIDENCE,
SKILLPATH_B1_REFERENCE_EMPLOYEES; SKILLPATH_B1_REPEATS rebuilds more than once (median).
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl
from sqlalchemy import select, text
from sqlalchemy.orm import Session, sessionmaker

from bench.harness import Report, Row, median, scratch_database
from skillpath.db import bulk
from skillpath.db.session import make_engine, make_session_factory, transaction
from skillpath.domains.evidence import profiles_repository
from skillpath.domains.evidence import service as evidence_service
from skillpath.domains.evidence.engine.policy import SOURCE_CODE, ConsolidationPolicy
from skillpath.domains.evidence.engine.reference import EvidenceRow, reference_consolidate
from skillpath.domains.evidence.models import SkillEvidence
from skillpath.domains.gaps.engine import gaps
from skillpath.domains.gaps.engine.reference import (
    RollupLine,
    reference_person_gaps,
    reference_rollup,
)
from skillpath.domains.people.models import (
    Employee,
    Location,
    OrgUnit,
    PriorityRole,
    PrioritySkill,
    Role,
    RoleSkill,
    StrategicPriority,
)
from skillpath.domains.taxonomy.models import Skill, TaxonomySource
from skillpath.migrations import upgrade_to_head

SEED = 1
EMPLOYEES = int(os.environ.get("SKILLPATH_B1_EMPLOYEES", "100000"))
EVIDENCE = int(os.environ.get("SKILLPATH_B1_EVIDENCE", "3000000"))
REFERENCE_EMPLOYEES = int(os.environ.get("SKILLPATH_B1_REFERENCE_EMPLOYEES", "1000"))
REPEATS = int(os.environ.get("SKILLPATH_B1_REPEATS", "1"))
SKILLS = 13_891
ROLES = 2_000
COUNTRIES = 8
SITES_PER_COUNTRY = 12
TEAMS_PER_SITE = 20
REPORTS_PER_MANAGER = 8
PRIORITIES = 5
AS_OF = datetime(2026, 1, 15, 9, 0, tzinfo=UTC)
KINDS = ("skill", "knowledge", "tool", "competence", "language")
KIND_SHARES = (0.6, 0.25, 0.1, 0.04, 0.01)
SOURCES = (
    "self",
    "manager",
    "peer",
    "assessment",
    "certification",
    "learning",
    "project",
    "inferred",
)
SOURCE_SHARES = (0.3, 0.2, 0.12, 0.08, 0.05, 0.1, 0.1, 0.05)
TOTAL_TARGET_SECONDS = 10.0
ENGINE_TARGET_SECONDS = 1.5
MEMORY_TARGET_MB = 2048.0
RATIO_TARGET = 50.0

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


# The company


@dataclass(frozen=True)
class Company:
    """What the generator wrote, as arrays (ids are index + 1 in every table)."""

    employee_role: IntArray  # role index per employee
    employee_unit: IntArray  # team unit index per employee
    employee_manager: IntArray  # manager index per employee (−1 for the top)
    unit_parent: IntArray  # parent unit index (−1 for the root)
    evidence_rows: int


def generate(session: Session) -> Company:
    """Write a seeded company into the (empty, migrated) database of `session`."""
    rng = np.random.default_rng(SEED)
    moment = AS_OF - timedelta(days=1)
    write = bulk.insert_new_rows
    write(
        session,
        bulk.table_of(TaxonomySource),
        [
            {
                "id": 1,
                "key": "b1",
                "title": "B1 taxonomy",
                "version": "1",
                "language": "en",
                "attribution": "",
                "imported_at": moment,
            }
        ],
    )
    kinds = rng.choice(len(KINDS), size=SKILLS, p=KIND_SHARES)
    write(
        session,
        bulk.table_of(Skill),
        (
            {
                "id": n + 1,
                "source_id": 1,
                "external_id": f"S{n:05d}",
                "name": f"Skill {n}",
                "name_lower": f"skill {n}",
                "description": "",
                "kind": KINDS[int(kinds[n])],
                "status": "active",
                "reuse_level": "",
                "parent_id": None,
                "updated_at": moment,
            }
            for n in range(SKILLS)
        ),
    )
    sites = COUNTRIES * SITES_PER_COUNTRY
    write(
        session,
        bulk.table_of(Location),
        (
            {
                "id": n + 1,
                "external_id": f"L{n:03d}",
                "name": f"Site {n}",
                "country": "GB",
                "locale": "en-GB",
                "timezone": "Europe/London",
            }
            for n in range(sites)
        ),
    )
    # Units: the company (0), countries, sites, teams; parents before children.
    parent = [-1]
    location: list[int | None] = [None]
    kind = ["company"]
    for country in range(COUNTRIES):
        parent.append(0)
        location.append(None)
        kind.append("country")
        country_index = len(parent) - 1
        for site in range(SITES_PER_COUNTRY):
            parent.append(country_index)
            location.append(country * SITES_PER_COUNTRY + site)
            kind.append("site")
            site_index = len(parent) - 1
            for _team in range(TEAMS_PER_SITE):
                parent.append(site_index)
                location.append(country * SITES_PER_COUNTRY + site)
                kind.append("team")
    unit_parent = np.array(parent, dtype=np.int64)
    teams = np.flatnonzero(np.array(kind) == "team")
    write(
        session,
        bulk.table_of(OrgUnit),
        (
            {
                "id": n + 1,
                "external_id": f"U{n:05d}",
                "name": f"{kind[n].title()} {n}",
                "kind": kind[n],
                "parent_id": parent[n] + 1 if parent[n] >= 0 else None,
                "location_id": location[n] + 1 if location[n] is not None else None,
            }
            for n in range(len(parent))
        ),
    )
    # Roles in 40 families; each family draws its skills from its own pool of 300.
    families = 40
    pools = [rng.choice(SKILLS, size=300, replace=False) for _ in range(families)]
    write(
        session,
        bulk.table_of(Role),
        (
            {
                "id": n + 1,
                "source": "org",
                "external_id": f"R{n:04d}",
                "title": f"Role {n}",
                "title_lower": f"role {n}",
                "family": f"Family {n % families}",
                "level": 1 + n % 5,
                "description": "",
                "code": "",
                "is_template": False,
                "is_critical": False,
                "updated_at": moment,
            }
            for n in range(ROLES)
        ),
    )
    role_skills: list[dict[str, Any]] = []
    requirements_of: list[IntArray] = []
    for role in range(ROLES):
        count = int(rng.integers(8, 21))
        chosen = rng.choice(pools[role % families], size=count, replace=False)
        requirements_of.append(chosen.astype(np.int64))
        for skill in chosen:
            role_skills.append(
                {
                    "id": len(role_skills) + 1,
                    "role_id": role + 1,
                    "skill_id": int(skill) + 1,
                    "target_level": float(rng.choice([0.4, 0.6, 0.8, 1.0])),
                    "importance": float(rng.choice([0.5, 0.75, 1.0])),
                    "essential": True,
                }
            )
    write(session, bulk.table_of(RoleSkill), role_skills)
    # Employees: a manager tree of eight reports each, teams filled in order.
    index = np.arange(EMPLOYEES, dtype=np.int64)
    manager = np.where(index > 0, (index - 1) // REPORTS_PER_MANAGER, -1)
    unit = teams[(index // REPORTS_PER_MANAGER) % teams.shape[0]]
    role_of = rng.integers(0, ROLES, size=EMPLOYEES)
    hired = date(2012, 1, 1)
    write(
        session,
        bulk.table_of(Employee),
        (
            {
                "id": n + 1,
                "external_id": f"E{n:06d}",
                "first_name": f"First{n}",
                "last_name": f"Last{n}",
                "name_lower": f"first{n} last{n}",
                "email": f"person{n}@example.com",
                "job_title": "Associate",
                "manager_id": int(manager[n]) + 1 if manager[n] >= 0 else None,
                "org_unit_id": int(unit[n]) + 1,
                "role_id": int(role_of[n]) + 1,
                "location_id": int(location[int(unit[n])] or 0) + 1,
                "hired_on": hired + timedelta(days=n % 4000),
                "left_on": None,
                "languages": ["en"],
                "profile_text": "",
                "updated_at": moment,
            }
            for n in range(EMPLOYEES)
        ),
    )
    # Evidence: mostly about the skills of the person's role, the rest anywhere.
    per_person = np.full(EMPLOYEES, EVIDENCE // EMPLOYEES, dtype=np.int64)
    per_person[: EVIDENCE % EMPLOYEES] += 1
    person = np.repeat(index, per_person)
    n = person.shape[0]
    requirement_count = np.array([r.shape[0] for r in requirements_of], dtype=np.int64)
    requirement_start = np.concatenate(([0], np.cumsum(requirement_count)[:-1]))
    requirement_flat = np.concatenate(requirements_of)
    role_of_row = role_of[person]
    pick = (rng.random(n) * requirement_count[role_of_row]).astype(np.int64)
    skill = np.where(
        rng.random(n) < 0.7,
        requirement_flat[requirement_start[role_of_row] + pick],
        rng.integers(0, SKILLS, size=n),
    )
    source = rng.choice(len(SOURCES), size=n, p=SOURCE_SHARES)
    colleague = np.clip(person + rng.integers(-8, 9, size=n), 0, EMPLOYEES - 1)
    rater = np.where(
        source == SOURCE_CODE["manager"],
        manager[person],
        np.where(source == SOURCE_CODE["peer"], colleague, -1),
    )
    rater = np.where(rater == person, -1, rater)
    level = np.round(rng.beta(2.5, 2.5, size=n), 2)
    confidence = np.round(0.3 + 0.7 * rng.random(n), 2)
    age_seconds = rng.integers(0, 1500 * 86_400, size=n)
    observed = np.datetime64(AS_OF.replace(tzinfo=None), "us") - age_seconds.astype(
        "timedelta64[s]"
    )
    certified = source == SOURCE_CODE["certification"]
    has_expiry = certified & (rng.random(n) < 0.6)
    expires = observed.astype("datetime64[D]") + rng.integers(365, 1100, size=n)
    frame = pl.DataFrame(
        {
            "fingerprint": np.arange(n, dtype=np.int64),
            "employee_id": person + 1,
            "skill_id": skill + 1,
            "source": np.array(SOURCES)[source],
            "rater_id": rater + 1,
            "level": level,
            "confidence": confidence,
            "observed_at": observed,
            "expires_on": expires,
            "has_expiry": has_expiry,
        }
    ).select(
        "fingerprint",
        "employee_id",
        "skill_id",
        "source",
        pl.when(pl.col("rater_id") > 0).then(pl.col("rater_id")).alias("rater_id"),
        "level",
        "confidence",
        pl.col("observed_at").dt.replace_time_zone("UTC"),
        pl.when(pl.col("has_expiry")).then(pl.col("expires_on")).alias("expires_on"),
        pl.lit("").alias("note"),
        pl.lit(AS_OF, dtype=pl.Datetime("us", "UTC")).alias("recorded_at"),
    )
    bulk.insert_frame_ignoring_conflicts(
        session,
        bulk.table_of(SkillEvidence),
        frame,
        conflict_columns=("employee_id", "fingerprint"),
    )
    del frame
    # Strategic priorities: each weights 60 skills and 25 roles.
    write(
        session,
        bulk.table_of(StrategicPriority),
        (
            {
                "id": p + 1,
                "name": f"Priority {p}",
                "description": "",
                "target_date": None,
                "active": True,
                "created_at": moment,
            }
            for p in range(PRIORITIES)
        ),
    )
    priority_skills = []
    priority_roles = []
    for p in range(PRIORITIES):
        for s in rng.choice(SKILLS, size=60, replace=False):
            priority_skills.append(
                {
                    "id": len(priority_skills) + 1,
                    "priority_id": p + 1,
                    "skill_id": int(s) + 1,
                    "weight": float(rng.choice([1.5, 2.0, 3.0])),
                }
            )
        for r in rng.choice(ROLES, size=25, replace=False):
            priority_roles.append(
                {
                    "id": len(priority_roles) + 1,
                    "priority_id": p + 1,
                    "role_id": int(r) + 1,
                    "weight": 1.5,
                    "headcount_needed": 0,
                }
            )
    write(session, bulk.table_of(PrioritySkill), priority_skills)
    write(session, bulk.table_of(PriorityRole), priority_roles)
    bulk.analyze(
        session,
        [
            bulk.table_of(model)
            for model in (SkillEvidence, Employee, Skill, RoleSkill, OrgUnit, Role)
        ],
    )
    return Company(
        employee_role=role_of.astype(np.int64),
        employee_unit=unit.astype(np.int64),
        employee_manager=manager,
        unit_parent=unit_parent,
        evidence_rows=n,
    )


def generate_into(url: str) -> Company:
    """`generate` in its own committed transaction on a database URL."""
    engine = make_engine(url)
    try:
        with transaction(make_session_factory(engine)) as session:
            return generate(session)
    finally:
        engine.dispose()


# Gap inputs, read from the database


@dataclass(frozen=True)
class GapInputs:
    """Everything the roll-ups need, as dense indexes (employee, role, unit, skill)."""

    employee_ids: IntArray
    skill_ids: IntArray
    workforce: gaps.Workforce
    manager: IntArray
    unit_parent: IntArray
    requirements: gaps.Requirements
    priority_skill_weight: FloatArray  # (priorities, skills)
    priority_role_weight: FloatArray  # (priorities, roles)


def _dense(ids: IntArray, values: IntArray) -> IntArray:
    """Positions of `values` in the sorted `ids` (−1 for none: values < 0)."""
    position = np.searchsorted(ids, np.maximum(values, 0))
    return np.where(values >= 0, position, -1).astype(np.int64)


def load_gap_inputs(session: Session) -> GapInputs:
    """Workforce, unit tree, role profiles and priority weights (small tables: plain rows)."""

    def rows(sql: str) -> npt.NDArray[Any]:
        # Plain tuples: numpy probing SQLAlchemy rows for array interfaces costs an exception
        # per row.
        result = [tuple(row) for row in session.execute(text(sql))]
        return np.array(result, dtype=np.float64).reshape(len(result), -1)

    people = rows(
        "SELECT id, coalesce(role_id, -1), coalesce(org_unit_id, -1), coalesce(manager_id, -1) "
        "FROM employee WHERE left_on IS NULL ORDER BY id"
    ).astype(np.int64)
    units = rows("SELECT id, coalesce(parent_id, -1) FROM org_unit ORDER BY id").astype(np.int64)
    roles = rows("SELECT id FROM role ORDER BY id").astype(np.int64)[:, 0]
    skills = rows("SELECT id FROM skill ORDER BY id").astype(np.int64)[:, 0]
    profile = rows("SELECT role_id, skill_id, target_level, importance FROM role_skill")
    priorities = rows("SELECT id FROM strategic_priority WHERE active ORDER BY id")[:, 0]
    weights_s = rows("SELECT priority_id, skill_id, weight FROM priority_skill")
    weights_r = rows("SELECT priority_id, role_id, weight FROM priority_role")
    employee_ids = people[:, 0]
    unit_ids = units[:, 0]
    skill_weight = np.ones((priorities.shape[0], skills.shape[0]))
    role_weight = np.ones((priorities.shape[0], roles.shape[0]))
    p_of = np.searchsorted(priorities, weights_s[:, 0])
    skill_weight[p_of, np.searchsorted(skills, weights_s[:, 1].astype(np.int64))] = weights_s[:, 2]
    p_of = np.searchsorted(priorities, weights_r[:, 0])
    role_weight[p_of, np.searchsorted(roles, weights_r[:, 1].astype(np.int64))] = weights_r[:, 2]
    manager = _dense(employee_ids, people[:, 3])
    manager = np.where(
        (manager >= 0) & (employee_ids[np.minimum(manager, len(employee_ids) - 1)] == people[:, 3]),
        manager,
        -1,
    )
    return GapInputs(
        employee_ids=employee_ids,
        skill_ids=skills,
        workforce=gaps.Workforce(
            role=_dense(roles, people[:, 1]), unit=_dense(unit_ids, people[:, 2])
        ),
        manager=manager,
        unit_parent=_dense(unit_ids, units[:, 1]),
        requirements=gaps.Requirements(
            role=np.searchsorted(roles, profile[:, 0].astype(np.int64)).astype(np.int64),
            skill=np.searchsorted(skills, profile[:, 1].astype(np.int64)).astype(np.int64),
            target=profile[:, 2].copy(),
            importance=profile[:, 3].copy(),
            role_count=roles.shape[0],
            skill_count=skills.shape[0],
        ),
        priority_skill_weight=skill_weight,
        priority_role_weight=role_weight,
    )


def dense_profiles(inputs: GapInputs, levels: profiles_repository.ProfileLevels) -> gaps.Profiles:
    """Stored profiles of current employees, with dense employee and skill indexes."""
    position = np.searchsorted(inputs.employee_ids, levels.employee)
    position = np.minimum(position, inputs.employee_ids.shape[0] - 1)
    current = inputs.employee_ids[position] == levels.employee
    return gaps.Profiles(
        employee=position[current].astype(np.int64),
        skill=np.searchsorted(inputs.skill_ids, levels.skill[current]).astype(np.int64),
        level=levels.level[current],
    )


# The roll-ups (the engine part after consolidation)


@dataclass(frozen=True)
class Rollups:
    """Every roll-up B1 computes: by name, (group, skill) figures."""

    by_name: dict[str, gaps.SkillRollup]
    person_rows: int


def memberships(
    inputs: GapInputs, people: IntArray, *, with_units: bool = True
) -> dict[str, tuple[IntArray, IntArray, int]]:
    """Populations of `people`: teams (a manager's direct reports), unit subtrees (each person
    in every ancestor unit; left out unless `with_units`), the org."""
    managed = people[inputs.manager[people] >= 0]
    result = {
        "team": (managed, inputs.manager[managed], inputs.workforce.size),
        "org": (people, np.zeros(people.shape[0], dtype=np.int64), 1),
    }
    if with_units:
        in_scope = np.zeros(inputs.workforce.size, dtype=bool)
        in_scope[people] = True
        unit_person, unit_group = gaps.ancestor_membership(
            inputs.workforce.unit, inputs.unit_parent
        )
        keep = in_scope[unit_person]
        result["unit"] = (unit_person[keep], unit_group[keep], inputs.unit_parent.shape[0])
    return result


def compute_rollups(
    inputs: GapInputs, profiles: gaps.Profiles, people: IntArray | None = None
) -> Rollups:
    """Person gaps, and team, unit-subtree and org roll-ups of the baseline; then unit-subtree
    and org roll-ups under each strategic priority's weights (all lenses of a population in
    one pass: only the impact differs between them)."""
    if people is None:
        people = np.arange(inputs.workforce.size, dtype=np.int64)
    requirements = inputs.requirements
    lookup = gaps.LevelLookup(profiles, requirements.skill_count)
    populations = memberships(inputs, people, with_units=False)
    person = gaps.person_gaps(
        inputs.workforce,
        requirements,
        lookup,
        skill_weight=np.ones(requirements.skill_count),
        role_weight=np.ones(requirements.role_count),
        people=people,
    )
    lenses = {"baseline": person.weighted}
    for p in range(inputs.priority_skill_weight.shape[0]):
        lenses[f"priority {p + 1}"] = (
            person.shortfall
            * person.importance
            * inputs.priority_skill_weight[p][person.skill]
            * inputs.priority_role_weight[p][person.role]
        )
    result: dict[str, gaps.SkillRollup] = {}
    for population in ("team", "unit", "org"):
        names = ["baseline"] if population == "team" else list(lenses)
        if population == "unit":
            # Unit subtrees: rolled up the unit tree level by level.
            in_scope = np.zeros(inputs.workforce.size, dtype=bool)
            in_scope[people] = True
            rolled = gaps.subtree_rollup_lenses(
                person,
                [lenses[name] for name in names],
                lookup,
                profiles,
                unit_of_person=np.where(in_scope, inputs.workforce.unit, -1),
                unit_parent=inputs.unit_parent,
                skill_count=requirements.skill_count,
            )
        else:
            members, groups, count = populations[population]
            rolled = gaps.rollup_lenses(
                person,
                [lenses[name] for name in names],
                lookup,
                profiles,
                membership_person=members,
                membership_group=groups,
                group_count=count,
                skill_count=requirements.skill_count,
            )
        for name, figures in zip(names, rolled, strict=True):
            result[f"{name}/{population}"] = figures
    return Rollups(by_name=result, person_rows=person.employee.shape[0] * len(lenses))


# The reference: a per-employee loop over ORM rows


@dataclass(frozen=True)
class ReferenceResult:
    """What the plain loop computed on the subset, and how long it took."""

    fixed_seconds: float
    per_subset_seconds: float
    profiles: dict[tuple[int, int], tuple[float, float]]  # (employee id, skill id) → figures
    rollups: dict[str, dict[tuple[int, int], RollupLine]]


def reference_run(session: Session, inputs: GapInputs, subset: IntArray) -> ReferenceResult:
    """Consolidate each employee of the subset from their ORM evidence rows, then compute the
    same gaps and roll-ups with the reference loops."""
    policy = ConsolidationPolicy()
    started = time.perf_counter()
    kind_of = {skill.id: skill.kind for skill in session.scalars(select(Skill))}
    requirements: dict[int, list[tuple[int, float, float]]] = {}
    role_index = {
        role.id: n for n, role in enumerate(session.scalars(select(Role).order_by(Role.id)))
    }
    skill_index = {int(skill_id): n for n, skill_id in enumerate(inputs.skill_ids)}
    for line in session.scalars(select(RoleSkill)):
        requirements.setdefault(role_index[line.role_id], []).append(
            (skill_index[line.skill_id], line.target_level, line.importance)
        )
    fixed = time.perf_counter() - started
    started = time.perf_counter()
    profiles: dict[tuple[int, int], tuple[float, float]] = {}
    levels: dict[tuple[int, int], float] = {}
    for person in subset.tolist():
        employee_id = int(inputs.employee_ids[person])
        rows = []
        for evidence in session.scalars(
            select(SkillEvidence).where(SkillEvidence.employee_id == employee_id)
        ):
            if evidence.observed_at > AS_OF:
                continue
            rows.append(
                EvidenceRow(
                    employee=employee_id,
                    skill=evidence.skill_id,
                    source=SOURCE_CODE[evidence.source],
                    rater=evidence.rater_id if evidence.rater_id is not None else -1,
                    level=evidence.level,
                    confidence=evidence.confidence,
                    age_days=(AS_OF.date() - evidence.observed_at.date()).days,
                    half_life_days=policy.half_life_for(kind_of[evidence.skill_id]),
                    expired=evidence.expires_on is not None and evidence.expires_on < AS_OF.date(),
                )
            )
        for (_, skill_id), line in reference_consolidate(rows, policy).items():
            profiles[(employee_id, skill_id)] = (line.level, line.confidence)
            levels[(person, skill_index[skill_id])] = line.level
    roles = inputs.workforce.role.tolist()
    rollups: dict[str, dict[tuple[int, int], RollupLine]] = {}
    populations = {}
    for name, (members, groups, _count) in memberships(inputs, subset).items():
        grouped: dict[int, list[int]] = {}
        for member, group in zip(members.tolist(), groups.tolist(), strict=True):
            grouped.setdefault(group, []).append(member)
        populations[name] = grouped
    chosen = set(subset.tolist())
    subset_roles = [roles[p] if p in chosen else -1 for p in range(len(roles))]
    weightings = [
        ("baseline", [1.0] * len(inputs.skill_ids), [1.0] * inputs.requirements.role_count)
    ]
    for p in range(inputs.priority_skill_weight.shape[0]):
        weightings.append(
            (
                f"priority {p + 1}",
                inputs.priority_skill_weight[p].tolist(),
                inputs.priority_role_weight[p].tolist(),
            )
        )
    for name, skill_weight, role_weight in weightings:
        reference_person_gaps(
            subset_roles[: int(subset.max()) + 1], requirements, levels, skill_weight, role_weight
        )
        for population in ("team", "unit", "org") if name == "baseline" else ("unit", "org"):
            rollups[f"{name}/{population}"] = reference_rollup(
                roles, requirements, levels, skill_weight, role_weight, populations[population]
            )
    return ReferenceResult(
        fixed_seconds=fixed,
        per_subset_seconds=time.perf_counter() - started,
        profiles=profiles,
        rollups=rollups,
    )


def check_equal(
    reference: ReferenceResult,
    levels: profiles_repository.ProfileLevels,
    inputs: GapInputs,
    profiles: gaps.Profiles,
    subset: IntArray,
) -> int:
    """Assert the fast results equal the reference on the subset; returns pairs compared."""
    wanted = set(inputs.employee_ids[subset].tolist())
    fast = {
        (int(e), int(s)): (float(lv), float(c))
        for e, s, lv, c in zip(
            levels.employee, levels.skill, levels.level, levels.confidence, strict=True
        )
        if int(e) in wanted
    }
    assert set(fast) == set(reference.profiles), "profiles differ from the reference"
    for pair, (level, confidence) in reference.profiles.items():
        assert abs(fast[pair][0] - level) <= 1e-9, (pair, fast[pair], level)
        assert abs(fast[pair][1] - confidence) <= 1e-9, (pair, fast[pair], confidence)
    compared = len(fast)
    rollups = compute_rollups(inputs, profiles, people=subset)
    for name, expected in reference.rollups.items():
        got = rollups.by_name[name]
        figures = {
            (int(g), int(s)): (int(d), int(m), int(u), float(r), float(f), float(i))
            for g, s, d, m, u, r, f, i in zip(
                got.group,
                got.skill,
                got.demand,
                got.met,
                got.supply,
                got.reference_level,
                got.shortfall_sum,
                got.impact,
                strict=True,
            )
        }
        assert set(figures) == set(expected), f"{name}: populations or skills differ"
        for key, line in expected.items():
            d, m, u, r, f, i = figures[key]
            assert (d, m, u) == (line.demand, line.met, line.supply), (name, key)
            assert abs(r - line.reference_level) <= 1e-12, (name, key)
            assert abs(f - line.shortfall_sum) <= 1e-9, (name, key)
            assert abs(i - line.impact) <= 1e-9, (name, key)
        compared += len(expected)
    return compared


# The run


@dataclass
class Timing:
    """One measured pass: seconds per step."""

    read: float = 0.0
    consolidate: float = 0.0
    write: float = 0.0
    rebuild: float = 0.0
    load_gap_inputs: float = 0.0
    rollups: float = 0.0
    commit: float = 0.0
    cpu: float = 0.0

    @property
    def total(self) -> float:
        """Everything from the database back to the database."""
        return self.rebuild + self.load_gap_inputs + self.rollups + self.commit

    @property
    def engine(self) -> float:
        """Consolidation and every roll-up."""
        return self.consolidate + self.rollups


def measured_pass(
    factory: sessionmaker[Session],
) -> tuple[Timing, profiles_repository.ProfileLevels, GapInputs, gaps.Profiles, Rollups, int]:
    """One full rebuild and roll-up from the database, committed, with its step times."""
    timing = Timing()
    marks: dict[str, list[float]] = {}

    def progress(stage: str, _done: int, _total: int | None) -> None:
        marks.setdefault(stage, []).append(time.perf_counter())

    cpu = time.process_time()
    session = factory()
    try:
        started = time.perf_counter()
        rebuilt = evidence_service.rebuild_profiles_with_levels(
            session, now=AS_OF, progress=progress
        )
        timing.rebuild = time.perf_counter() - started
        timing.read = marks["Reading evidence"][-1] - marks["Reading evidence"][0]
        timing.consolidate = marks["Consolidating"][-1] - marks["Consolidating"][0]
        timing.write = marks["Writing profiles"][-1] - marks["Writing profiles"][0]
        started = time.perf_counter()
        inputs = load_gap_inputs(session)
        # The levels the rebuild just stored (equal to reading `employee_skill` back).
        levels = rebuilt.levels
        profiles = dense_profiles(inputs, levels)
        timing.load_gap_inputs = time.perf_counter() - started
        started = time.perf_counter()
        rollups = compute_rollups(inputs, profiles)
        timing.rollups = time.perf_counter() - started
        started = time.perf_counter()
        session.commit()
        timing.commit = time.perf_counter() - started
    finally:
        session.close()
    timing.cpu = time.process_time() - cpu
    return timing, levels, inputs, profiles, rollups, rebuilt.build.rows


def run() -> None:
    """Generate, rebuild and roll up (REPEATS times), compare with the reference, print."""
    report = Report("B1", "consolidate every profile and recompute every gap roll-up")
    url, remove = scratch_database("b1")
    engine = make_engine(url)
    try:
        upgrade_to_head(url)
        factory = make_session_factory(engine)
        started = time.perf_counter()
        # Generated in a child process, so the peak memory below is the rebuild's, not the
        # generator's.
        with multiprocessing.get_context("spawn").Pool(1) as pool:
            company = pool.apply(generate_into, (url,))
        print(
            f"B1: generated {EMPLOYEES:,} employees, {company.evidence_rows:,} evidence rows, "
            f"{ROLES:,} roles, {SKILLS:,} skills in {time.perf_counter() - started:.1f} s "
            f"on {engine.dialect.name}"
        )
        timings = []
        for repeat in range(max(REPEATS, 1)):
            timing, levels, inputs, profiles, rollups, rows = measured_pass(factory)
            timings.append(timing)
            print(
                f"  pass {repeat + 1}: total {timing.total:.2f} s (read {timing.read:.2f}, "
                f"consolidate {timing.consolidate:.2f}, write {timing.write:.2f}, gap inputs "
                f"{timing.load_gap_inputs:.2f}, roll-ups {timing.rollups:.2f}, commit "
                f"{timing.commit:.2f}; process CPU {timing.cpu:.2f})"
            )
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        subset = np.arange(min(REFERENCE_EMPLOYEES, inputs.workforce.size), dtype=np.int64)
        with factory() as session:
            reference = reference_run(session, inputs, subset)
        compared = check_equal(reference, levels, inputs, profiles, subset)
        scale = inputs.workforce.size / subset.shape[0]
        reference_total = reference.fixed_seconds + reference.per_subset_seconds * scale

        def med(attribute: str) -> float:
            return median([getattr(timing, attribute) for timing in timings])

        total = med("total")
        engine_seconds = med("engine")
        report.add(Row("read evidence from the database", med("read"), "s"))
        report.add(Row("consolidate (engine)", med("consolidate"), "s"))
        report.add(Row(f"write {rows:,} profile rows", med("write"), "s"))
        report.add(Row("read workforce, roles, priorities for gaps", med("load_gap_inputs"), "s"))
        report.add(
            Row(
                f"gap roll-ups ({len(rollups.by_name)} sets, {rollups.person_rows:,} person rows)",
                med("rollups"),
                "s",
            )
        )
        report.add(
            Row(
                "engine: consolidation + roll-ups",
                engine_seconds,
                "s",
                target=f"<= {ENGINE_TARGET_SECONDS} s",
                meets=engine_seconds <= ENGINE_TARGET_SECONDS,
            )
        )
        report.add(
            Row(
                "total from the database (committed)",
                total,
                "s",
                target=f"<= {TOTAL_TARGET_SECONDS:.0f} s",
                reference=reference_total,
                meets=total <= TOTAL_TARGET_SECONDS,
            )
        )
        report.add(
            Row(
                "speed-up over the per-employee loop",
                reference_total / total,
                "x",
                target=f">= {RATIO_TARGET:.0f}x",
                meets=reference_total / total >= RATIO_TARGET,
            )
        )
        report.add(
            Row(
                "peak memory",
                peak_mb,
                "MB",
                target=f"<= {MEMORY_TARGET_MB:.0f} MB",
                meets=peak_mb <= MEMORY_TARGET_MB,
            )
        )
        report.extra.update(
            {
                "database": engine.dialect.name,
                "employees": EMPLOYEES,
                "evidence_rows": company.evidence_rows,
                "profile_rows": rows,
                "passes": len(timings),
                "process_cpu_seconds_median": med("cpu"),
                "reference": (
                    f"per-employee loop over ORM rows on {subset.shape[0]:,} employees "
                    f"({reference.per_subset_seconds:.1f} s + {reference.fixed_seconds:.1f} s "
                    "fixed), extrapolated linearly (conservative: its supply loop grows faster)"
                ),
                "reference_equal": True,
                "pairs_compared": compared,
                "peak_memory_mb": round(peak_mb),
            }
        )
    finally:
        engine.dispose()
        remove()
    report.print()
