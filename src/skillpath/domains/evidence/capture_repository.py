"""SQL of evidence capture and profile reads: who may rate whom, evidence written one at a time,
intents, the validation queue and the consolidated rows of one person (docs/capture.md)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from skillpath.domains.evidence.models import (
    EmployeeSkill,
    SkillEvidence,
    SkillIntent,
    ValidationRequest,
)
from skillpath.domains.identity.visibility import Viewer, reporting_line, visible_to
from skillpath.domains.learning.models import ItemSkill
from skillpath.domains.people.models import Employee, Role
from skillpath.domains.taxonomy.models import Skill

# People: who may see, rate and endorse whom


def employee_by_id(session: Session, employee_id: int) -> Employee | None:
    """The employee with this id, if any."""
    return session.get(Employee, employee_id)


def can_see(session: Session, *, viewer: Viewer, employee_id: int) -> bool:
    """Whether the viewer may see this person's personal data (the one visibility rule)."""
    found = session.scalar(
        select(Employee.id).where(Employee.id == employee_id, visible_to(viewer))
    )
    return found is not None


def in_reporting_line(session: Session, *, manager_id: int, employee_id: int) -> bool:
    """Whether the person reports, directly or not, to the manager."""
    line = reporting_line(manager_id)
    found = session.scalar(select(line.c.id).where(line.c.id == employee_id).limit(1))
    return found is not None


def _active(day: date) -> ColumnElement[bool]:
    return or_(Employee.left_on.is_(None), Employee.left_on > day)


def _teammate_of(session: Session, employee_id: int) -> ColumnElement[bool] | None:
    """Who counts as a teammate of a person: same org unit or same direct manager, but not the
    person nor their own manager (None when the person has neither, or does not exist)."""
    found = session.execute(
        select(Employee.org_unit_id, Employee.manager_id).where(Employee.id == employee_id)
    ).first()
    if found is None:
        return None
    unit_id, manager_id = found
    alternatives: list[ColumnElement[bool]] = []
    if unit_id is not None:
        alternatives.append(Employee.org_unit_id == unit_id)
    if manager_id is not None:
        alternatives.append(Employee.manager_id == manager_id)
    if not alternatives:
        return None
    conditions = [Employee.id != employee_id, or_(*alternatives)]
    if manager_id is not None:
        conditions.append(Employee.id != manager_id)
    return and_(*conditions)


def teammates(
    session: Session, *, employee_id: int, today: date
) -> Sequence[Row[int, str, str, str]]:
    """Current colleagues sharing the person's org unit or direct manager (not the person), with
    names and role titles (None when no role), A to Z."""
    teammate = _teammate_of(session, employee_id)
    if teammate is None:
        return []
    return session.execute(
        select(Employee.id, Employee.first_name, Employee.last_name, Role.title)
        .outerjoin(Role, Role.id == Employee.role_id)
        .where(teammate, _active(today))
        .order_by(Employee.last_name, Employee.first_name, Employee.id)
    ).all()


def are_teammates(session: Session, *, employee_id: int, other_id: int, today: date) -> bool:
    """Whether `other_id` is a current teammate (same unit or same manager) of `employee_id`."""
    teammate = _teammate_of(session, employee_id)
    if teammate is None:
        return False
    found = session.scalar(
        select(Employee.id).where(Employee.id == other_id, teammate, _active(today))
    )
    return found is not None


def names_of(session: Session, employee_ids: Sequence[int]) -> dict[int, str]:
    """Full names by employee id."""
    if not employee_ids:
        return {}
    rows = session.execute(
        select(Employee.id, Employee.first_name, Employee.last_name).where(
            Employee.id.in_(set(employee_ids))
        )
    ).all()
    return {person_id: f"{first} {last}" for person_id, first, last in rows}


# Skills and learning items


def skill_by_id(session: Session, skill_id: int) -> Skill | None:
    """The skill with this id, if any."""
    return session.get(Skill, skill_id)


def skill_kinds(session: Session, skill_ids: Sequence[int]) -> dict[int, str]:
    """The kind of each of these skills (the kind decides the half-life of its evidence);
    ids that name no skill are left out."""
    if not skill_ids:
        return {}
    rows = session.execute(
        select(Skill.id, Skill.kind).where(Skill.id.in_(sorted(set(skill_ids))))
    ).all()
    return {int(skill_id): kind for skill_id, kind in rows}


def level_taught(session: Session, *, item_id: int, skill_id: int) -> float | None:
    """The level a learning item teaches in a skill, or None when it does not teach it."""
    return session.scalar(
        select(ItemSkill.level_gained).where(
            ItemSkill.item_id == item_id, ItemSkill.skill_id == skill_id
        )
    )


# Evidence written one at a time (pages and the API)


def add_evidence(session: Session, evidence: SkillEvidence) -> SkillEvidence:
    """Append one piece of evidence and give it its id."""
    session.add(evidence)
    session.flush()
    return evidence


EvidenceListRow = Row[SkillEvidence, str, str, str]


def evidence_page(
    session: Session,
    *,
    viewer: Viewer,
    employee_id: int,
    skill_id: int | None,
    source: str | None,
    limit: int,
    offset: int,
) -> tuple[Sequence[EvidenceListRow], int]:
    """A person's evidence the viewer may see, newest first, with skill and rater names (None
    when nobody rated), optionally of one skill or source, and the total."""
    rater = aliased(Employee)
    conditions: list[ColumnElement[bool]] = [
        SkillEvidence.employee_id == employee_id,
        visible_to(viewer, SkillEvidence.employee_id.expression),
    ]
    if skill_id is not None:
        conditions.append(SkillEvidence.skill_id == skill_id)
    if source is not None:
        conditions.append(SkillEvidence.source == source)
    rows = session.execute(
        select(SkillEvidence, Skill.name, rater.first_name, rater.last_name)
        .join(Skill, Skill.id == SkillEvidence.skill_id)
        .outerjoin(rater, rater.id == SkillEvidence.rater_id)
        .where(*conditions)
        .order_by(SkillEvidence.observed_at.desc(), SkillEvidence.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    total = session.scalar(select(func.count()).select_from(SkillEvidence).where(*conditions))
    return rows, int(total or 0)


BreakdownRow = Row[int, str, int | None, str, str, str, int | None, datetime]


_RATER = aliased(Employee)
"""The rater of a piece of evidence (one alias for the process: building an alias per call
costs more than the query it serves)."""


def evidence_details(session: Session, evidence_ids: Sequence[int]) -> dict[int, BreakdownRow]:
    """Per evidence id: (id, source, rater id, rater first and last name, note, item id,
    observed at); the rater's names are None when nobody rated."""
    if not evidence_ids:
        return {}
    rater = _RATER
    rows = session.execute(
        select(
            SkillEvidence.id,
            SkillEvidence.source,
            SkillEvidence.rater_id,
            rater.first_name,
            rater.last_name,
            SkillEvidence.note,
            SkillEvidence.item_id,
            SkillEvidence.observed_at,
        )
        .outerjoin(rater, rater.id == SkillEvidence.rater_id)
        .where(SkillEvidence.id.in_(set(evidence_ids)))
    ).all()
    return {row[0]: row for row in rows}


# Consolidated rows of one person


ProfileRow = Row[int, float, float, float, int, float, datetime, str, str]
"""A consolidated row's `skill_id`, `level`, `confidence`, `floor`, `evidence_count`,
`total_weight` and `computed_at`, with the skill's `name` and `kind`."""


def profile_rows(
    session: Session, employee_id: int, *, skill_id: int | None = None
) -> Sequence[ProfileRow]:
    """A person's consolidated skills (or one of them) with skill names and kinds, highest
    level first (plain columns: a profile is read on every visit, ORM objects cost more)."""
    conditions = [EmployeeSkill.employee_id == employee_id]
    if skill_id is not None:
        conditions.append(EmployeeSkill.skill_id == skill_id)
    return session.execute(
        select(
            EmployeeSkill.skill_id,
            EmployeeSkill.level,
            EmployeeSkill.confidence,
            EmployeeSkill.floor,
            EmployeeSkill.evidence_count,
            EmployeeSkill.total_weight,
            EmployeeSkill.computed_at,
            Skill.name,
            Skill.kind,
        )
        .join(Skill, Skill.id == EmployeeSkill.skill_id)
        .where(*conditions)
        .order_by(EmployeeSkill.level.desc(), Skill.name_lower, Skill.id)
    ).all()


def current_levels(
    session: Session, pairs: Sequence[tuple[int, int]]
) -> dict[tuple[int, int], float]:
    """Consolidated levels of (employee, skill) pairs that have one."""
    if not pairs:
        return {}
    employees = {employee for employee, _skill in pairs}
    skills = {skill for _employee, skill in pairs}
    rows = session.execute(
        select(EmployeeSkill.employee_id, EmployeeSkill.skill_id, EmployeeSkill.level).where(
            EmployeeSkill.employee_id.in_(employees), EmployeeSkill.skill_id.in_(skills)
        )
    ).all()
    wanted = set(pairs)
    return {(e, s): level for e, s, level in rows if (e, s) in wanted}


# Intents

IntentRow = Row[SkillIntent, str]


def intents_of(session: Session, employee_id: int) -> Sequence[IntentRow]:
    """A person's intents with skill names, A to Z by skill."""
    return session.execute(
        select(SkillIntent, Skill.name)
        .join(Skill, Skill.id == SkillIntent.skill_id)
        .where(SkillIntent.employee_id == employee_id)
        .order_by(Skill.name_lower, Skill.id)
    ).all()


def intent_of(session: Session, *, employee_id: int, skill_id: int) -> SkillIntent | None:
    """A person's intent for one skill, if set."""
    return session.scalars(
        select(SkillIntent).where(
            SkillIntent.employee_id == employee_id, SkillIntent.skill_id == skill_id
        )
    ).first()


def add(session: Session, row: SkillIntent | ValidationRequest) -> None:
    """Add a new intent or validation request and flush it."""
    session.add(row)
    session.flush()


# Validation requests

ValidationRow = Row[ValidationRequest, str, str, str, str]


def pending_requests(
    session: Session, *, employee_id: int, skill_id: int
) -> Sequence[ValidationRequest]:
    """Pending requests of one person and skill."""
    return session.scalars(
        select(ValidationRequest).where(
            ValidationRequest.employee_id == employee_id,
            ValidationRequest.skill_id == skill_id,
            ValidationRequest.status == "pending",
        )
    ).all()


def _validation_rows() -> Select[ValidationRequest, str, str, str, str]:
    """Validation requests with the person's names, the skill's name and the self-rating's
    note (the shape of `ValidationRow`)."""
    return (
        select(
            ValidationRequest,
            Employee.first_name,
            Employee.last_name,
            Skill.name,
            SkillEvidence.note,
        )
        .join(Employee, Employee.id == ValidationRequest.employee_id)
        .join(Skill, Skill.id == ValidationRequest.skill_id)
        .join(SkillEvidence, SkillEvidence.id == ValidationRequest.evidence_id)
    )


def validation_queue(
    session: Session,
    *,
    manager_id: int,
    statuses: Sequence[str],
    today: date,
    limit: int,
    offset: int,
) -> tuple[Sequence[ValidationRow], int]:
    """Requests of the manager's current direct reports in some states, with the person's
    names, the skill's name and the self-rating's note, and the total: pending ones oldest
    first (the queue), otherwise the latest decisions first."""
    conditions = [
        Employee.manager_id == manager_id,
        _active(today),
        ValidationRequest.status.in_(list(statuses)),
    ]
    ordering: list[Any] = (
        [ValidationRequest.requested_at, ValidationRequest.id]
        if set(statuses) == {"pending"}
        else [
            func.coalesce(ValidationRequest.decided_at, ValidationRequest.requested_at).desc(),
            ValidationRequest.id.desc(),
        ]
    )
    rows = session.execute(
        _validation_rows().where(*conditions).order_by(*ordering).limit(limit).offset(offset)
    ).all()
    total = session.scalar(
        select(func.count())
        .select_from(ValidationRequest)
        .join(Employee, Employee.id == ValidationRequest.employee_id)
        .where(*conditions)
    )
    return rows, int(total or 0)


def requests_of_employee(
    session: Session, *, employee_id: int, statuses: Sequence[str], limit: int
) -> Sequence[ValidationRow]:
    """A person's own requests in some states, newest first, with names and the note."""
    return session.execute(
        _validation_rows()
        .where(
            ValidationRequest.employee_id == employee_id,
            ValidationRequest.status.in_(list(statuses)),
        )
        .order_by(ValidationRequest.requested_at.desc(), ValidationRequest.id.desc())
        .limit(limit)
    ).all()


def count_pending_for_manager(session: Session, *, manager_id: int, today: date) -> int:
    """How many self-ratings of the manager's current direct reports wait for a decision."""
    total = session.scalar(
        select(func.count())
        .select_from(ValidationRequest)
        .join(Employee, Employee.id == ValidationRequest.employee_id)
        .where(
            Employee.manager_id == manager_id,
            _active(today),
            ValidationRequest.status == "pending",
        )
    )
    return int(total or 0)


def count_pending_of_employee(session: Session, employee_id: int) -> int:
    """How many of a person's self-ratings wait for their manager."""
    total = session.scalar(
        select(func.count())
        .select_from(ValidationRequest)
        .where(ValidationRequest.employee_id == employee_id, ValidationRequest.status == "pending")
    )
    return int(total or 0)


def requests_by_ids(
    session: Session, request_ids: Sequence[int]
) -> Sequence[Row[ValidationRequest, int | None, date | None]]:
    """Requests by id, each with the person's current manager id and leaving date."""
    if not request_ids:
        return []
    return session.execute(
        select(ValidationRequest, Employee.manager_id, Employee.left_on)
        .join(Employee, Employee.id == ValidationRequest.employee_id)
        .where(ValidationRequest.id.in_(set(request_ids)))
        .order_by(ValidationRequest.id)
        .with_for_update(of=ValidationRequest)
    ).all()


def validation_rows_by_ids(session: Session, request_ids: Sequence[int]) -> Sequence[ValidationRow]:
    """Requests by id with names and the note (for answers after a decision)."""
    if not request_ids:
        return []
    return session.execute(
        _validation_rows()
        .where(ValidationRequest.id.in_(set(request_ids)))
        .order_by(ValidationRequest.id)
    ).all()
