"""Use cases of gaps: a person against their role or a target role, a manager's team, units and
the whole organisation, critical gaps, heatmaps, snapshots and trends, and the manager brief.

Every figure comes from the pure engine (`engine/gaps.py`) fed with raw columns. Person and team
figures are computed live (a few people). Organisation-wide figures come from the latest gap
snapshot when its inputs fingerprint equals today's (nothing changed since it was taken), and
are computed live otherwise, so they are always those of today's data (docs/adr/0006).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import numpy as np
import numpy.typing as npt
import polars as pl
from sqlalchemy.orm import Session

from skillpath.core.clock import today as utc_today
from skillpath.core.errors import ForbiddenError, InvalidInputError, NotFoundError, Problem
from skillpath.core.levels import DEFAULT_SCALE, importance_label
from skillpath.domains.evidence import service as evidence_service
from skillpath.domains.evidence.engine.consolidation import consolidate
from skillpath.domains.gaps import repository
from skillpath.domains.gaps.engine.gaps import (
    LevelLookup,
    Profiles,
    Requirements,
    SkillRollup,
    Workforce,
    ancestor_membership,
    rollup,
    rollup_lenses,
)
from skillpath.domains.gaps.engine.gaps import (
    PersonGaps as EnginePersonGaps,
)
from skillpath.domains.gaps.engine.gaps import (
    person_gaps as engine_person_gaps,
)
from skillpath.domains.gaps.models import GapSnapshot
from skillpath.domains.gaps.repository import (
    LevelColumns,
    LineRow,
    Population,
    RequirementColumns,
    WorkforceColumns,
)
from skillpath.domains.gaps.schemas import (
    BriefAction,
    BriefMember,
    BriefOpening,
    CriticalGaps,
    GapTrend,
    Heatmap,
    HeatmapCell,
    HeatmapRow,
    ItemRef,
    LensRead,
    LocationRef,
    ManagerBrief,
    MatrixCell,
    PersonGapLine,
    PersonGaps,
    RollupLineRead,
    SkillTrend,
    SkillTrendPoint,
    SnapshotRead,
    TeamGaps,
    TeamMember,
    TrendPoint,
)
from skillpath.domains.identity.visibility import Viewer
from skillpath.domains.people import service as people_service
from skillpath.domains.people.schemas import PersonRef, RoleRef, UnitRef
from skillpath.domains.taxonomy.schemas import SkillRef

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

MAX_LIMIT = 500
MAX_HEATMAP_SKILLS = 100
MATRIX_SKILLS = 20
MATRIX_PEOPLE = 60
BRIEF_GAPS = 10
BRIEF_ACTION_SKILLS = 3
ENGAGEMENT_WINDOW_DAYS = 180
ENGAGEMENT_MARGIN = 0.05
TREND_SKILLS = 5
SNAPSHOT_MIN_PEOPLE = 100
"""Units whose subtree holds fewer people are not stored in snapshots (computed live)."""
SNAPSHOT_LENS_MIN_PEOPLE = 2000
"""Units stored for each priority's lens too (smaller ones only for the combined lens)."""
ORG_ONLY = "Only HR administrators and executives can see organisation-wide gaps."


# Lenses: which priorities weight the gaps


@dataclass(frozen=True)
class Lens:
    """The priorities whose weights apply: one named priority, or every active one combined."""

    priority_id: int | None
    name: str | None
    names: tuple[str, ...]
    skill_weights: dict[int, float]
    role_weights: dict[int, float]

    def read(self) -> LensRead:
        """The API shape."""
        return LensRead(priority=self.name, priorities=list(self.names))


def resolve_lens(session: Session, priority: str | None) -> Lens:
    """The lens of a priority name (None or blank: every active priority combined).

    An unknown name is NotFoundError with the names that exist.
    """
    if priority is None or not priority.strip():
        active = repository.active_priorities(session)
        skills, roles = repository.priority_weights(session, [p.id for p in active])
        return Lens(None, None, tuple(p.name for p in active), skills, roles)
    found = repository.priority_by_name(session, priority)
    if found is None:
        known = ", ".join(p.name for p in repository.active_priorities(session)) or "none"
        raise NotFoundError(f"No strategic priority named {priority.strip()!r} (known: {known}).")
    skills, roles = repository.priority_weights(session, [found.id])
    return Lens(found.id, found.name, (found.name,), skills, roles)


def _all_lenses(session: Session) -> list[Lens]:
    """The combined lens and one lens per active priority (what a snapshot stores)."""
    lenses = [resolve_lens(session, None)]
    for priority in repository.active_priorities(session):
        skills, roles = repository.priority_weights(session, [priority.id])
        lenses.append(Lens(priority.id, priority.name, (priority.name,), skills, roles))
    return lenses


# Engine inputs from raw columns


@dataclass(frozen=True)
class _Model:
    """Engine inputs with the dense index → database id maps."""

    employees: IntArray
    roles: IntArray
    skills: IntArray
    workforce: Workforce
    requirements: Requirements
    profiles: Profiles
    confidence: FloatArray
    lookup: LevelLookup

    def skill_weight(self, lens: Lens) -> FloatArray:
        """Weights per dense skill (1 where the lens does not name the skill)."""
        return _weights(self.skills, lens.skill_weights)

    def role_weight(self, lens: Lens) -> FloatArray:
        """Weights per dense role."""
        return _weights(self.roles, lens.role_weights)

    def gaps(self, lens: Lens, target_role: IntArray | None = None) -> EnginePersonGaps:
        """Person gaps of everyone (against their role, or the dense `target_role` per person)."""
        return engine_person_gaps(
            self.workforce,
            self.requirements,
            self.lookup,
            skill_weight=self.skill_weight(lens),
            role_weight=self.role_weight(lens),
            target_role=target_role,
        )


def _weights(ids: IntArray, weights: dict[int, float]) -> FloatArray:
    """Weights per dense id (sorted `ids`), 1 where `weights` has none."""
    result = np.ones(ids.shape[0])
    if not weights or ids.shape[0] == 0:
        return result
    keys = np.fromiter(weights.keys(), dtype=np.int64, count=len(weights))
    values = np.fromiter(weights.values(), dtype=np.float64, count=len(weights))
    position = _dense(ids, keys)
    found = position >= 0
    result[position[found]] = values[found]
    return result


def _dense(ids: IntArray, values: IntArray) -> IntArray:
    """Positions of `values` in the sorted `ids` (−1 where absent or negative)."""
    if ids.shape[0] == 0:
        return np.full(values.shape[0], -1, dtype=np.int64)
    position = np.minimum(np.searchsorted(ids, values), ids.shape[0] - 1)
    found = (values >= 0) & (ids[position] == values)
    return np.where(found, position, -1).astype(np.int64)


def _model(
    people: WorkforceColumns,
    lines: RequirementColumns,
    levels: LevelColumns,
    extra_roles: Sequence[int] = (),
) -> _Model:
    """Dense engine arrays from database columns (people must be sorted by id)."""
    roles = np.unique(
        np.concatenate(
            [lines.role, people.role[people.role >= 0], np.array(extra_roles, dtype=np.int64)]
        )
    ).astype(np.int64)
    skills = np.unique(np.concatenate([lines.skill, levels.skill])).astype(np.int64)
    person = _dense(people.employee, levels.employee)
    keep = person >= 0
    profiles = Profiles(
        employee=person[keep],
        skill=_dense(skills, levels.skill[keep]),
        level=levels.level[keep],
    )
    requirements = Requirements(
        role=_dense(roles, lines.role),
        skill=_dense(skills, lines.skill),
        target=lines.target,
        importance=lines.importance,
        role_count=int(roles.shape[0]),
        skill_count=int(skills.shape[0]),
    )
    return _Model(
        employees=people.employee,
        roles=roles,
        skills=skills,
        workforce=Workforce(role=_dense(roles, people.role), unit=people.unit),
        requirements=requirements,
        profiles=profiles,
        confidence=levels.confidence[keep],
        lookup=LevelLookup(profiles, int(skills.shape[0])),
    )


def _load(session: Session, population: Population) -> tuple[WorkforceColumns, _Model]:
    """The people of a population, their roles' requirements and their levels."""
    people = repository.workforce(session, population)
    roles = sorted({int(r) for r in people.role.tolist() if r >= 0})
    lines = repository.requirements(session, roles)
    levels = repository.levels_in(session, population)
    return people, _model(people, lines, levels)


def _rollup_rows(result: SkillRollup, skills: IntArray, group: int) -> list[LineRow]:
    """The lines of one group, highest impact first (ties by skill id)."""
    mask = result.group == group
    coverage = result.coverage[mask]
    rows: list[LineRow] = [
        (
            int(skill),
            int(demand),
            int(met),
            int(supply),
            float(cov),
            float(imp),
            float(sf),
            float(ref),
        )
        for skill, demand, met, supply, cov, imp, sf, ref in zip(
            skills[result.skill[mask]],
            result.demand[mask],
            result.met[mask],
            result.supply[mask],
            coverage,
            result.impact[mask],
            result.shortfall_sum[mask],
            result.reference_level[mask],
            strict=True,
        )
    ]
    rows.sort(key=lambda row: (-row[5], row[0]))
    return rows


def _single_rollup(model: _Model, lens: Lens, gaps: EnginePersonGaps | None = None) -> SkillRollup:
    """The roll-up of a whole population as one group (group 0)."""
    people = model.employees.shape[0]
    return rollup(
        gaps if gaps is not None else model.gaps(lens),
        model.lookup,
        model.profiles,
        membership_person=np.arange(people, dtype=np.int64),
        membership_group=np.zeros(people, dtype=np.int64),
        group_count=1,
        skill_count=int(model.skills.shape[0]),
    )


def _line_reads(
    session: Session, rows: Sequence[LineRow], lens: Lens, start_rank: int = 1
) -> list[RollupLineRead]:
    names = repository.skill_names(session, [row[0] for row in rows])
    return [
        RollupLineRead(
            rank=start_rank + n,
            skill=SkillRef(id=skill, name=names.get(skill, str(skill))),
            demand=demand,
            met=met,
            supply=supply,
            coverage=coverage,
            impact=impact,
            shortfall_sum=shortfall,
            reference_level=reference,
            reference_display_level=DEFAULT_SCALE.from_latent(reference),
            single_point_of_failure=demand > 0 and supply <= 1,
            priority_weight=lens.skill_weights.get(skill, 1.0),
        )
        for n, (skill, demand, met, supply, coverage, impact, shortfall, reference) in enumerate(
            rows
        )
    ]


# Visibility


def _require_org_viewer(viewer: Viewer) -> None:
    if not viewer.sees_everyone:
        raise ForbiddenError(ORG_ONLY)


def _check_limit(value: int, name: str, maximum: int) -> None:
    if not 1 <= value <= maximum:
        raise InvalidInputError(
            f"{name} must be between 1 and {maximum}.",
            [Problem(f"must be between 1 and {maximum}", column=name, value=str(value))],
        )


# A person's gaps


def _display(level: float) -> int:
    """A level on the 5-point scale, 0 for no level at all (no evidence)."""
    return 0 if level <= 0 else DEFAULT_SCALE.from_latent(level)


def _readiness(target: FloatArray, current: FloatArray, importance: FloatArray) -> float | None:
    wanted = float((target * importance).sum())
    if wanted <= 0:
        return None
    return float((np.minimum(current, target) * importance).sum()) / wanted


def person_gaps(
    session: Session,
    *,
    viewer: Viewer,
    employee_id: int,
    target_role_id: int | None = None,
    priority: str | None = None,
    today: date | None = None,
) -> PersonGaps:
    """A person against their current role, or against `target_role_id`.

    People the viewer may not see are NotFoundError (as if absent); an unknown target role is
    NotFoundError too.
    """
    day = today or utc_today()
    person = people_service.visible_employee_summary(
        session, viewer=viewer, employee_id=employee_id, today=day
    )
    lens = resolve_lens(session, priority)
    target_title: str | None = None
    if target_role_id is not None:
        target_title = repository.role_title(session, target_role_id)
        if target_title is None:
            raise NotFoundError(f"No role with id {target_role_id}.")
    role_id = (
        target_role_id
        if target_role_id is not None
        else (person.role.id if person.role is not None else None)
    )
    people = WorkforceColumns(
        employee=np.array([person.id], dtype=np.int64),
        role=np.array([person.role.id if person.role is not None else -1], dtype=np.int64),
        unit=np.array([person.unit.id if person.unit is not None else -1], dtype=np.int64),
        location=np.array([-1], dtype=np.int64),
    )
    lines = repository.requirements(session, [role_id] if role_id is not None else [])
    levels = repository.levels_of(session, [person.id])
    model = _model(people, lines, levels, extra_roles=[role_id] if role_id is not None else [])
    target = np.array([_dense(model.roles, np.array([role_id]))[0] if role_id else -1])
    gaps = model.gaps(lens, target_role=target.astype(np.int64))
    skill_ids = model.skills[gaps.skill]
    blocked = repository.prerequisite_of(session, skill_ids.tolist())
    names = repository.skill_names(
        session, [*skill_ids.tolist(), *(s for found in blocked.values() for s in found)]
    )
    blocked_names = names
    confidence = {
        int(model.skills[s]): float(c)
        for s, c in zip(model.profiles.skill, model.confidence, strict=True)
    }
    weights = model.skill_weight(lens)[gaps.skill] * model.role_weight(lens)[gaps.role]
    items = [
        PersonGapLine(
            skill=SkillRef(id=int(skill), name=names.get(int(skill), str(skill))),
            current_level=float(current),
            current_display_level=DEFAULT_SCALE.from_latent(float(current)),
            current_display_label=DEFAULT_SCALE.label(float(current)),
            confidence=confidence.get(int(skill)),
            target_level=float(goal),
            target_display_level=DEFAULT_SCALE.from_latent(float(goal)),
            target_display_label=DEFAULT_SCALE.label(float(goal)),
            importance=float(importance),
            importance_label=importance_label(float(importance)),
            priority_weight=float(weight),
            shortfall=float(shortfall),
            weighted_gap=float(weighted),
            met=bool(current >= goal),
            blocks=[
                SkillRef(id=b, name=blocked_names.get(b, str(b)))
                for b in sorted(blocked.get(int(skill), []), key=lambda b: blocked_names.get(b, ""))
            ],
        )
        for skill, current, goal, importance, weight, shortfall, weighted in zip(
            skill_ids,
            gaps.current,
            gaps.target,
            gaps.importance,
            weights,
            gaps.shortfall,
            gaps.weighted,
            strict=True,
        )
    ]
    items.sort(key=lambda line: (-line.weighted_gap, -line.shortfall, line.skill.name))
    role_ref = None
    if role_id is not None:
        role_ref = RoleRef(
            id=role_id,
            title=target_title if target_title is not None else person.role.title,  # type: ignore[union-attr]
        )
    return PersonGaps(
        employee=PersonRef(id=person.id, name=f"{person.first_name} {person.last_name}"),
        current_role=person.role,
        role=role_ref,
        against="target_role" if target_role_id is not None else "current_role",
        lens=lens.read(),
        readiness=_readiness(gaps.target, gaps.current, gaps.importance),
        total_weighted_gap=float(gaps.weighted.sum()),
        skills_required=len(items),
        skills_met=sum(1 for line in items if line.met),
        skills=items,
    )


# A manager's team


def _visible_manager(session: Session, viewer: Viewer, manager_id: int, day: date) -> PersonRef:
    manager = people_service.visible_employee_summary(
        session, viewer=viewer, employee_id=manager_id, today=day
    )
    return PersonRef(id=manager.id, name=f"{manager.first_name} {manager.last_name}")


@dataclass(frozen=True)
class _TeamComputation:
    manager: PersonRef
    lens: Lens
    people: WorkforceColumns
    model: _Model
    gaps: EnginePersonGaps
    rows: list[LineRow]


def _team(
    session: Session, viewer: Viewer, manager_id: int, priority: str | None, day: date
) -> _TeamComputation:
    manager = _visible_manager(session, viewer, manager_id, day)
    lens = resolve_lens(session, priority)
    people, model = _load(session, Population(day=day, manager_id=manager_id))
    gaps = model.gaps(lens)
    rows = _rollup_rows(_single_rollup(model, lens, gaps), model.skills, 0)
    return _TeamComputation(manager, lens, people, model, gaps, rows)


def _member_totals(
    team: _TeamComputation,
) -> tuple[FloatArray, IntArray, IntArray, list[float | None]]:
    """Per person (dense): total weighted gap, skills required, skills met, readiness."""
    count = team.model.employees.shape[0]
    gaps = team.gaps
    total = np.bincount(gaps.employee, weights=gaps.weighted, minlength=count).astype(np.float64)
    required = np.bincount(gaps.employee, minlength=count).astype(np.int64)
    met = np.bincount(
        gaps.employee, weights=(gaps.current >= gaps.target).astype(np.float64), minlength=count
    ).astype(np.int64)
    wanted = np.bincount(gaps.employee, weights=gaps.target * gaps.importance, minlength=count)
    reached = np.bincount(
        gaps.employee,
        weights=np.minimum(gaps.current, gaps.target) * gaps.importance,
        minlength=count,
    )
    readiness = [float(reached[i] / wanted[i]) if wanted[i] > 0 else None for i in range(count)]
    return total, required, met, readiness


def team_gaps(
    session: Session,
    *,
    viewer: Viewer,
    manager_id: int,
    priority: str | None = None,
    matrix_skills: int = MATRIX_SKILLS,
    today: date | None = None,
) -> TeamGaps:
    """A manager's reporting line: per-skill roll-up and the people × skills matrix.

    The viewer must see the manager (themselves, someone in their line, or anyone for HR and
    executives); otherwise NotFoundError.
    """
    _check_limit(matrix_skills, "skills", MAX_HEATMAP_SKILLS)
    day = today or utc_today()
    team = _team(session, viewer, manager_id, priority, day)
    lines = _line_reads(session, team.rows, team.lens)
    shown = [line.skill for line in lines[:matrix_skills]]
    column = {ref.id: n for n, ref in enumerate(shown)}
    model, gaps = team.model, team.gaps
    total, required, met, readiness = _member_totals(team)
    cells: list[list[MatrixCell | None]] = [
        [None] * len(shown) for _ in range(model.employees.shape[0])
    ]
    for person, skill, current, goal, shortfall, weighted in zip(
        gaps.employee,
        model.skills[gaps.skill],
        gaps.current,
        gaps.target,
        gaps.shortfall,
        gaps.weighted,
        strict=True,
    ):
        position = column.get(int(skill))
        if position is not None:
            cells[int(person)][position] = MatrixCell(
                current_level=float(current),
                current_display_level=_display(float(current)),
                target_level=float(goal),
                target_display_level=DEFAULT_SCALE.from_latent(float(goal)),
                shortfall=float(shortfall),
                weighted_gap=float(weighted),
            )
    for person, skill, level in zip(
        model.profiles.employee,
        model.skills[model.profiles.skill],
        model.profiles.level,
        strict=True,
    ):
        position = column.get(int(skill))
        if position is not None and cells[int(person)][position] is None:
            cells[int(person)][position] = MatrixCell(
                current_level=float(level),
                current_display_level=_display(float(level)),
                target_level=None,
                target_display_level=None,
                shortfall=0.0,
                weighted_gap=0.0,
            )
    names = repository.people_named(session, model.employees.tolist())
    members = [
        TeamMember(
            person=PersonRef(id=int(employee), name=names[int(employee)][0]),
            role=RoleRef(id=int(team.people.role[i]), title=names[int(employee)][1])
            if team.people.role[i] >= 0
            else None,
            total_weighted_gap=float(total[i]),
            readiness=readiness[i],
            skills_required=int(required[i]),
            skills_met=int(met[i]),
            cells=cells[i],
        )
        for i, employee in enumerate(model.employees)
    ]
    members.sort(key=lambda m: (-m.total_weighted_gap, m.person.name, m.person.id))
    return TeamGaps(
        manager=team.manager,
        as_of=day,
        lens=team.lens.read(),
        people=len(members),
        skills=lines,
        matrix_skills=shown,
        members=members,
    )


# Organisation: critical gaps and heatmaps, from an up-to-date snapshot or live


def current_snapshot(session: Session, day: date) -> GapSnapshot | None:
    """The latest snapshot when nothing it depends on changed since (it answers for `day`)."""
    latest = repository.latest_snapshot(session)
    if latest is None or latest.as_of != day or latest.basis != "profiles":
        return None
    if latest.inputs != repository.inputs_fingerprint(session, day):
        return None
    return latest


def _unit_ref(session: Session, unit_id: int | None) -> UnitRef | None:
    if unit_id is None:
        return None
    found = repository.units_named(session, [unit_id])
    if unit_id not in found:
        raise NotFoundError(f"No org unit with id {unit_id}.")
    return UnitRef(id=unit_id, name=found[unit_id][0])


def _location_ref(session: Session, location_id: int | None) -> LocationRef | None:
    if location_id is None:
        return None
    name = repository.location_name(session, location_id)
    if name is None:
        raise NotFoundError(f"No location with id {location_id}.")
    return LocationRef(id=location_id, name=name)


def critical_gaps(
    session: Session,
    *,
    viewer: Viewer,
    priority: str | None = None,
    unit_id: int | None = None,
    location_id: int | None = None,
    limit: int = 20,
    today: date | None = None,
) -> CriticalGaps:
    """Skills in demand over the organisation (or a unit's subtree, or a location), ranked by
    impact under a priority (or every active priority combined). HR and executives only."""
    _require_org_viewer(viewer)
    _check_limit(limit, "limit", MAX_LIMIT)
    day = today or utc_today()
    lens = resolve_lens(session, priority)
    unit = _unit_ref(session, unit_id)
    location = _location_ref(session, location_id)
    population = Population(day=day, unit_id=unit_id, location_id=location_id)
    snapshot = current_snapshot(session, day) if location_id is None else None
    stored = (
        {}
        if snapshot is None or unit_id is None
        else repository.stored_units(
            session, snapshot.id, [unit_id], every_lens=lens.priority_id is not None
        )
    )
    if snapshot is not None and unit_id is not None and unit_id not in stored:
        snapshot = None  # a small unit: not stored, and cheap to compute
    if snapshot is not None:
        rows, total = repository.snapshot_lines(
            session,
            snapshot_id=snapshot.id,
            priority_id=lens.priority_id,
            unit_id=unit_id,
            limit=limit,
        )
        people = snapshot.employees if unit_id is None else stored[unit_id]
    else:
        workforce, model = _load(session, population)
        all_rows = _rollup_rows(_single_rollup(model, lens), model.skills, 0)
        rows, total, people = all_rows[:limit], len(all_rows), int(workforce.employee.shape[0])
    return CriticalGaps(
        as_of=day,
        basis="snapshot" if snapshot is not None else "live",
        snapshot_taken_at=snapshot.taken_at if snapshot is not None else None,
        lens=lens.read(),
        unit=unit,
        location=location,
        people=people,
        total=total,
        items=_line_reads(session, rows, lens),
    )


def _heatmap_rows(
    session: Session, parent_id: int | None
) -> tuple[int | None, list[tuple[int, str]]]:
    """The units a heatmap shows: the parent's sub-units; at the top, the roots' sub-units when
    there is a single root (one row would say nothing)."""
    children = repository.child_units(session, parent_id)
    if parent_id is None and len(children) == 1:
        return children[0][0], repository.child_units(session, children[0][0])
    return parent_id, children


def org_heatmap(
    session: Session,
    *,
    viewer: Viewer,
    unit_id: int | None = None,
    location_id: int | None = None,
    priority: str | None = None,
    skills: int = 20,
    today: date | None = None,
) -> Heatmap:
    """Units (the sub-units of `unit_id`, or the top of the organisation) × the `skills` skills
    with the highest impact over the whole population. HR and executives only."""
    _require_org_viewer(viewer)
    _check_limit(skills, "skills", MAX_HEATMAP_SKILLS)
    day = today or utc_today()
    lens = resolve_lens(session, priority)
    parent = _unit_ref(session, unit_id)
    location = _location_ref(session, location_id)
    _root, units = _heatmap_rows(session, unit_id)
    unit_ids = [u for u, _name in units]
    snapshot = current_snapshot(session, day) if location_id is None else None
    if snapshot is not None:
        wanted = [*unit_ids, *([unit_id] if unit_id is not None else [])]
        found = repository.stored_units(
            session, snapshot.id, wanted, every_lens=lens.priority_id is not None
        )
        if len(found) < len(wanted):
            snapshot = None  # some of these units are small: computed live
    cells: dict[tuple[int, int], LineRow] = {}
    if snapshot is not None:
        top, _total = repository.snapshot_lines(
            session,
            snapshot_id=snapshot.id,
            priority_id=lens.priority_id,
            unit_id=unit_id,
            limit=skills,
        )
        top_ids = [row[0] for row in top]
        for unit, line in repository.snapshot_cells(
            session,
            snapshot_id=snapshot.id,
            priority_id=lens.priority_id,
            unit_ids=unit_ids,
            skill_ids=top_ids,
        ):
            cells[(unit, line[0])] = line
    else:
        top_ids, by_unit = _live_heatmap(session, day, unit_id, location_id, unit_ids, lens, skills)
        cells = by_unit
    names = repository.skill_names(session, top_ids)
    rows = []
    for unit, name in units:
        row_cells: list[HeatmapCell | None] = []
        for skill in top_ids:
            cell = cells.get((unit, skill))
            row_cells.append(
                None
                if cell is None
                else HeatmapCell(
                    demand=cell[1],
                    met=cell[2],
                    supply=cell[3],
                    coverage=cell[4],
                    impact=cell[5],
                    single_point_of_failure=cell[1] > 0 and cell[3] <= 1,
                )
            )
        rows.append(
            HeatmapRow(
                unit=UnitRef(id=unit, name=name),
                cells=row_cells,
                impact=sum(c.impact for c in row_cells if c is not None),
            )
        )
    return Heatmap(
        as_of=day,
        basis="snapshot" if snapshot is not None else "live",
        lens=lens.read(),
        parent=parent,
        location=location,
        skills=[SkillRef(id=s, name=names.get(s, str(s))) for s in top_ids],
        units=rows,
    )


def _live_heatmap(
    session: Session,
    day: date,
    unit_id: int | None,
    location_id: int | None,
    unit_ids: list[int],
    lens: Lens,
    skills: int,
) -> tuple[list[int], dict[tuple[int, int], LineRow]]:
    """Top skills of the population and the lines of each shown unit, computed now."""
    people, model = _load(session, Population(day=day, unit_id=unit_id, location_id=location_id))
    all_units, parents = repository.unit_parents(session)
    unit_of_person = _dense(all_units, people.unit)
    parent_dense = _dense(all_units, parents)
    person, unit = ancestor_membership(unit_of_person, parent_dense)
    shown = _dense(all_units, np.array(unit_ids, dtype=np.int64))
    group_of_unit = np.full(all_units.shape[0] + 1, -1, dtype=np.int64)
    group_of_unit[shown[shown >= 0]] = np.arange(int((shown >= 0).sum()))
    keep = group_of_unit[unit] >= 0
    whole = len(unit_ids)
    count = model.employees.shape[0]
    result = rollup(
        model.gaps(lens),
        model.lookup,
        model.profiles,
        membership_person=np.concatenate([np.arange(count, dtype=np.int64), person[keep]]),
        membership_group=np.concatenate(
            [np.full(count, whole, dtype=np.int64), group_of_unit[unit[keep]]]
        ),
        group_count=whole + 1,
        skill_count=int(model.skills.shape[0]),
    )
    top_ids = [row[0] for row in _rollup_rows(result, model.skills, whole)[:skills]]
    wanted = set(top_ids)
    shown_ids = [u for u, position in zip(unit_ids, shown.tolist(), strict=True) if position >= 0]
    cells: dict[tuple[int, int], LineRow] = {}
    for group, unit_db_id in enumerate(shown_ids):
        for line in _rollup_rows(result, model.skills, group):
            if line[0] in wanted:
                cells[(unit_db_id, line[0])] = line
    return top_ids, cells


# Snapshots and trends


def _snapshot_read(snapshot: GapSnapshot, current: bool) -> SnapshotRead:
    return SnapshotRead(
        id=snapshot.id,
        as_of=snapshot.as_of,
        taken_at=snapshot.taken_at,
        basis=snapshot.basis,
        employees=snapshot.employees,
        lines=snapshot.lines,
        current=current,
    )


def list_snapshots(
    session: Session, *, viewer: Viewer, today: date | None = None
) -> list[SnapshotRead]:
    """Every stored snapshot, oldest first, saying which one answers for today."""
    _require_org_viewer(viewer)
    current = current_snapshot(session, today or utc_today())
    return [
        _snapshot_read(s, current is not None and s.id == current.id)
        for s in repository.snapshots(session)
    ]


def _snapshot_frame(
    model: _Model,
    unit_ids: IntArray,
    unit_parents: IntArray,
    unit_of_person: IntArray,
    lenses: Sequence[Lens],
) -> tuple[pl.DataFrame, list[tuple[int, int, bool]]]:
    """Every line of a snapshot: the organisation (unit null) for every lens; units holding at
    least `SNAPSHOT_MIN_PEOPLE` people for the combined lens, and those holding at least
    `SNAPSHOT_LENS_MIN_PEOPLE` for each priority's lens too; and the stored units."""
    units = unit_ids.shape[0]
    count = model.employees.shape[0]
    person, unit = ancestor_membership(
        _dense(unit_ids, unit_of_person), _dense(unit_ids, unit_parents)
    )
    headcount = np.bincount(unit, minlength=units)
    kept = headcount >= SNAPSHOT_MIN_PEOPLE
    every = headcount >= max(SNAPSHOT_LENS_MIN_PEOPLE, SNAPSHOT_MIN_PEOPLE)
    # Empty units are "stored" too (they have no line): a heatmap row for them needs nothing.
    stored_mask = kept | (headcount == 0)
    # Person gaps once (the combined lens); each priority's weighting of the same rows, in the
    # engine's order of factors, so each equals what `person_gaps` gives under that lens.
    combined, *priorities = lenses
    gaps = model.gaps(combined)
    results: list[tuple[Lens, SkillRollup]] = []
    for chosen, batch in ((kept, [combined]), (every, priorities)):
        if not batch:
            continue
        members = chosen[unit]
        weighted = [
            gaps.weighted
            if lens is combined
            else gaps.shortfall
            * gaps.importance
            * model.skill_weight(lens)[gaps.skill]
            * model.role_weight(lens)[gaps.role]
            for lens in batch
        ]
        rolled = rollup_lenses(
            gaps,
            weighted,
            model.lookup,
            model.profiles,
            membership_person=np.concatenate([np.arange(count, dtype=np.int64), person[members]]),
            membership_group=np.concatenate([np.full(count, units, dtype=np.int64), unit[members]]),
            group_count=units + 1,
            skill_count=int(model.skills.shape[0]),
        )
        results.extend(zip(batch, rolled, strict=True))
    frames = []
    for lens, result in results:
        org = result.group == units
        unit_column = np.where(org, -1, unit_ids[np.minimum(result.group, max(units - 1, 0))])
        frames.append(
            pl.DataFrame(
                {
                    "priority_id": pl.Series(
                        [lens.priority_id] * result.group.shape[0], dtype=pl.Int64
                    ),
                    "unit_id": pl.Series(unit_column, dtype=pl.Int64),
                    "skill_id": pl.Series(model.skills[result.skill], dtype=pl.Int64),
                    "demand": pl.Series(result.demand, dtype=pl.Int64),
                    "met": pl.Series(result.met, dtype=pl.Int64),
                    "supply": pl.Series(result.supply, dtype=pl.Int64),
                    "coverage": pl.Series(result.coverage, dtype=pl.Float64),
                    "impact": pl.Series(result.impact, dtype=pl.Float64),
                    "shortfall_sum": pl.Series(result.shortfall_sum, dtype=pl.Float64),
                    "reference_level": pl.Series(result.reference_level, dtype=pl.Float64),
                }
            ).with_columns(
                pl.when(pl.col("unit_id") < 0)
                .then(None)
                .otherwise(pl.col("unit_id"))
                .alias("unit_id")
            )
        )
    stored = [
        (int(unit_ids[u]), int(headcount[u]), bool(every[u] or headcount[u] == 0))
        for u in np.flatnonzero(stored_mask).tolist()
    ]
    return (pl.concat(frames, how="vertical") if frames else pl.DataFrame()), stored


def _store_snapshot(
    session: Session,
    *,
    day: date,
    taken_at: datetime,
    basis: str,
    people: WorkforceColumns,
    levels: LevelColumns,
    inputs: str,
) -> GapSnapshot:
    lines = repository.requirements(session)
    model = _model(people, lines, levels)
    unit_ids, parents = repository.unit_parents(session)
    frame, units = _snapshot_frame(model, unit_ids, parents, people.unit, _all_lenses(session))
    repository.delete_snapshot_of_month(session, day.strftime("%Y-%m"), day)
    snapshot = repository.add_snapshot(
        session,
        as_of=day,
        taken_at=taken_at,
        basis=basis,
        employees=int(people.employee.shape[0]),
        inputs=inputs,
    )
    repository.insert_units(session, snapshot, units)
    if frame.height:
        repository.insert_lines(session, snapshot, frame)
    return snapshot


def take_gap_snapshot(session: Session, now: datetime) -> SnapshotRead:
    """Compute every roll-up (organisation and each unit, per lens) from the stored profiles
    and store it as the snapshot of `now`'s month, replacing an earlier one of that month.

    Idempotent: taking it twice on the same data gives the same lines.
    """
    day = now.astimezone(UTC).date()
    inputs = repository.inputs_fingerprint(session, day)
    people = repository.workforce(session, Population(day=day))
    levels = repository.all_levels(session)
    snapshot = _store_snapshot(
        session,
        day=day,
        taken_at=now,
        basis="profiles",
        people=people,
        levels=levels,
        inputs=inputs,
    )
    return _snapshot_read(snapshot, current=True)


def levels_as_of(session: Session, moment: datetime) -> LevelColumns:
    """Everyone's consolidated levels as of a past moment: their evidence observed by then,
    consolidated under the policy in force with ages counted to that moment."""
    policy = evidence_service.policy_in_force(session)
    inputs = evidence_service.consolidation_inputs(session, as_of=moment, policy=policy)
    result = consolidate(inputs.batch, policy)
    return LevelColumns(
        employee=result.employee.astype(np.int64),
        skill=result.skill.astype(np.int64),
        level=result.level.astype(np.float64),
        confidence=result.confidence.astype(np.float64),
    )


def month_ends(day: date, months: int) -> list[date]:
    """The last day of each of the `months` months before `day`'s month, oldest first."""
    ends = []
    first = day.replace(day=1)
    for _ in range(months):
        end = first - timedelta(days=1)
        ends.append(end)
        first = end.replace(day=1)
    return sorted(ends)


def take_history_snapshots(session: Session, *, now: datetime, months: int) -> list[SnapshotRead]:
    """Snapshots of the last day of each of the `months` months before `now`'s month, derived
    from what was known then: the people employed that day in the role and unit they held
    (from the moves) and their evidence observed by then, consolidated as of that day.

    Role profiles and priorities are today's (their history is not recorded).
    """
    taken = []
    for day in month_ends(now.astimezone(UTC).date(), months):
        moment = datetime.combine(day, datetime.max.time(), tzinfo=UTC).replace(microsecond=0)
        people = repository.workforce_on(session, day)
        snapshot = _store_snapshot(
            session,
            day=day,
            taken_at=now,
            basis="evidence",
            people=people,
            levels=levels_as_of(session, moment),
            inputs="",
        )
        taken.append(_snapshot_read(snapshot, current=False))
    return taken


def gap_trend(
    session: Session,
    *,
    viewer: Viewer,
    priority: str | None = None,
    unit_id: int | None = None,
    skills: int = TREND_SKILLS,
) -> GapTrend:
    """Totals per snapshot and the history of the skills with the highest impact in the latest
    snapshot, for a lens and a population. HR and executives only."""
    _require_org_viewer(viewer)
    _check_limit(skills, "skills", 50)
    lens = resolve_lens(session, priority)
    unit = _unit_ref(session, unit_id)
    totals = repository.trend_totals(session, priority_id=lens.priority_id, unit_id=unit_id)
    points = [
        TrendPoint(
            as_of=day,
            skills_in_demand=lines,
            demand=demand,
            met=met,
            coverage=met / demand if demand else None,
            impact=impact,
        )
        for day, lines, demand, met, impact in totals
    ]
    latest = repository.latest_snapshot(session)
    top: list[int] = []
    if latest is not None:
        rows, _total = repository.snapshot_lines(
            session,
            snapshot_id=latest.id,
            priority_id=lens.priority_id,
            unit_id=unit_id,
            limit=skills,
        )
        top = [row[0] for row in rows]
    history = repository.trend_of_skills(
        session, priority_id=lens.priority_id, unit_id=unit_id, skill_ids=top
    )
    names = repository.skill_names(session, top)
    by_skill: dict[int, list[SkillTrendPoint]] = {s: [] for s in top}
    for day, skill, coverage, impact in history:
        by_skill[skill].append(SkillTrendPoint(as_of=day, coverage=coverage, impact=impact))
    return GapTrend(
        lens=lens.read(),
        unit=unit,
        points=points,
        skills=[
            SkillTrend(skill=SkillRef(id=s, name=names.get(s, str(s))), points=by_skill[s])
            for s in top
        ],
    )


# The manager brief


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def manager_brief(
    session: Session,
    *,
    viewer: Viewer,
    manager_id: int,
    priority: str | None = None,
    today: date | None = None,
) -> ManagerBrief:
    """One team's brief: its critical gaps next to its performance, engagement and open
    positions, and actions that follow from those figures."""
    day = today or utc_today()
    team = _team(session, viewer, manager_id, priority, day)
    population = Population(day=day, manager_id=manager_id)
    gaps = _line_reads(session, team.rows[:BRIEF_GAPS], team.lens)
    since = day - timedelta(days=ENGAGEMENT_WINDOW_DAYS)
    ratings = repository.latest_performance(session, population)
    engagement = repository.recent_engagement(session, population, since)
    org_performance, _rated = repository.org_performance_mean(session, day)
    org_engagement, _answered = repository.org_engagement_mean(session, day, since)
    total, required, met, readiness = _member_totals(team)
    model = team.model
    names = repository.people_named(session, model.employees.tolist())
    direct_ids = set(repository.direct_report_ids(session, manager_id, day))
    members = []
    for i, employee in enumerate(model.employees.tolist()):
        rating = ratings.get(employee)
        members.append(
            BriefMember(
                person=PersonRef(id=employee, name=names[employee][0]),
                role=RoleRef(id=int(team.people.role[i]), title=names[employee][1])
                if team.people.role[i] >= 0
                else None,
                direct=employee in direct_ids,
                total_weighted_gap=float(total[i]),
                readiness=readiness[i],
                skills_met=int(met[i]),
                skills_required=int(required[i]),
                performance=rating[0] if rating else None,
                potential=rating[1] if rating else None,
                engagement=engagement.get(employee),
            )
        )
    members.sort(key=lambda m: (-m.total_weighted_gap, m.person.name, m.person.id))
    rated = [m for m in members if m.performance is not None]
    half = len(rated) // 2
    larger = [float(m.performance) for m in rated[:half] if m.performance is not None]
    smaller = [
        float(m.performance) for m in rated[len(rated) - half :] if m.performance is not None
    ]
    openings = _brief_openings(session, manager_id, day, team.rows[:BRIEF_GAPS], gaps)
    engagement_values = list(engagement.values())
    engagement_mean = _mean(engagement_values)
    return ManagerBrief(
        manager=team.manager,
        as_of=day,
        lens=team.lens.read(),
        people=len(members),
        direct=sum(1 for m in members if m.direct),
        gaps=gaps,
        members=members,
        performance_mean=_mean([float(m.performance) for m in rated if m.performance]),
        performance_rated=len(rated),
        high_performers=sum(1 for m in rated if (m.performance or 0) >= 4),
        org_performance_mean=org_performance,
        engagement_mean=engagement_mean,
        engagement_answered=len(engagement_values),
        org_engagement_mean=org_engagement,
        engagement_window_days=ENGAGEMENT_WINDOW_DAYS,
        performance_of_larger_gaps=_mean(larger) if half else None,
        performance_of_smaller_gaps=_mean(smaller) if half else None,
        openings=openings,
        actions=_brief_actions(session, team, gaps, openings, engagement_mean, org_engagement),
    )


def _brief_openings(
    session: Session,
    manager_id: int,
    day: date,
    rows: Sequence[LineRow],
    gaps: Sequence[RollupLineRead],
) -> list[BriefOpening]:
    found = repository.open_positions(session, manager_id=manager_id, day=day)
    if not found:
        return []
    lines = repository.requirements(session, [role for _i, _x, role, _t, _o, _u in found])
    gap_ids = {row[0] for row in rows}
    needs: dict[int, set[int]] = {}
    for role, skill in zip(lines.role.tolist(), lines.skill.tolist(), strict=True):
        if skill in gap_ids:
            needs.setdefault(role, set()).add(skill)
    order = {line.skill.id: line for line in gaps}
    return [
        BriefOpening(
            id=opening_id,
            external_id=external,
            role=RoleRef(id=role, title=title),
            unit=unit,
            opened_on=opened,
            days_open=(day - opened).days,
            gap_skills=[
                order[s].skill for s in sorted(needs.get(role, set()), key=lambda s: order[s].rank)
            ],
        )
        for opening_id, external, role, title, opened, unit in found
    ]


def _brief_actions(
    session: Session,
    team: _TeamComputation,
    gaps: Sequence[RollupLineRead],
    openings: Sequence[BriefOpening],
    engagement_mean: float | None,
    org_engagement: float | None,
) -> list[BriefAction]:
    """Actions that follow from the figures, most important gap first."""
    actions: list[BriefAction] = []
    model, person_gaps_ = team.model, team.gaps
    names = repository.people_named(session, model.employees.tolist())
    top = [line for line in gaps if line.impact > 0][:BRIEF_ACTION_SKILLS]
    teaching = repository.items_teaching(session, [line.skill.id for line in top])
    for line in top:
        dense = int(np.searchsorted(model.skills, line.skill.id))
        holders_mask = (model.profiles.skill == dense) & (
            model.profiles.level >= line.reference_level
        )
        holders = sorted(
            {int(model.employees[p]) for p in model.profiles.employee[holders_mask].tolist()},
            key=lambda e: names[e][0],
        )
        short = person_gaps_.skill == dense
        short &= person_gaps_.current < person_gaps_.target
        learners = {int(model.employees[p]) for p in person_gaps_.employee[short].tolist()}
        needed = float(person_gaps_.target[short].max()) if short.any() else line.reference_level
        people = [PersonRef(id=e, name=names[e][0]) for e in holders]
        if not holders:
            actions.append(BriefAction(kind="no_holder", skill=line.skill, rank=line.rank))
        elif len(holders) == 1:
            actions.append(
                BriefAction(
                    kind="cross_train",
                    skill=line.skill,
                    rank=line.rank,
                    people=people,
                    learners=len(learners),
                )
            )
        elif learners:
            actions.append(
                BriefAction(
                    kind="coach",
                    skill=line.skill,
                    rank=line.rank,
                    people=people[:3],
                    learners=len(learners),
                )
            )
        if learners:
            fitting = [t for t in teaching if t[0] == line.skill.id and t[5] >= needed]
            candidates = fitting or [t for t in teaching if t[0] == line.skill.id]
            if candidates:
                _skill, item_id, title, kind, minutes, gained = min(
                    candidates, key=lambda t: (-min(t[5], needed), t[4], t[1])
                )
                actions.append(
                    BriefAction(
                        kind="learn",
                        skill=line.skill,
                        rank=line.rank,
                        learners=len(learners),
                        item=ItemRef(
                            id=item_id,
                            title=title,
                            kind=kind,
                            minutes=minutes,
                            level_gained=gained,
                        ),
                    )
                )
    for opening in openings:
        if opening.gap_skills:
            first = opening.gap_skills[0]
            rank = next((line.rank for line in gaps if line.skill.id == first.id), None)
            actions.append(BriefAction(kind="screen", skill=first, rank=rank, role=opening.role))
    if (
        engagement_mean is not None
        and org_engagement is not None
        and engagement_mean < org_engagement - ENGAGEMENT_MARGIN
    ):
        actions.append(
            BriefAction(kind="engagement", value=engagement_mean, org_value=org_engagement)
        )
    return actions


# Choices for pages


def priority_names(session: Session) -> list[str]:
    """The active priorities' names, A to Z."""
    return [p.name for p in repository.active_priorities(session)]


def location_choices(session: Session) -> list[LocationRef]:
    """Every location, A to Z."""
    return [LocationRef(id=i, name=n) for i, n in repository.locations(session)]


def target_role_choices(session: Session) -> list[RoleRef]:
    """The organisation's roles with a skill profile, A to Z."""
    return [RoleRef(id=i, title=t) for i, t in repository.roles_with_profiles(session)]


def manager_choices(
    session: Session, *, viewer: Viewer, today: date | None = None
) -> list[PersonRef]:
    """People with reports whose brief the viewer may open (HR and executives: every manager)."""
    day = today or utc_today()
    if viewer.sees_everyone:
        return [PersonRef(id=i, name=n) for i, n in repository.managers_with_reports(session, day)]
    if viewer.employee_id is None:
        return []
    return [_visible_manager(session, viewer, viewer.employee_id, day)]
