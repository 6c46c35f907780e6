"""SQL of the campaigns domain: campaigns, participants, tasks, answers, notifications, pulses."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Row,
    and_,
    case,
    delete,
    func,
    insert,
    literal,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, aliased

from skillpath.db.bulk import batched
from skillpath.domains.campaigns.models import (
    Campaign,
    CampaignAnswer,
    CampaignNotification,
    CampaignParticipant,
    CampaignTask,
    SkillPulse,
    SkillPulseSkill,
)
from skillpath.domains.evidence import repository as evidence_repository
from skillpath.domains.evidence.models import EmployeeSkill, SkillEvidence
from skillpath.domains.people.models import Employee, OrgUnit, Role, RoleSkill
from skillpath.domains.taxonomy.models import Skill

MAX_TREE_DEPTH = 50
UNFINISHED = ("pending", "in_progress")

# Campaigns


def add(session: Session, row: Campaign | CampaignAnswer | SkillPulse | SkillPulseSkill) -> None:
    """Add a new row to the session and flush it (so it has its id)."""
    session.add(row)
    session.flush()


def campaign_by_id(
    session: Session, campaign_id: int, *, for_update: bool = False
) -> Campaign | None:
    """A campaign; `for_update` locks its row (PostgreSQL) so two launches or closes of the
    same campaign cannot interleave."""
    statement = select(Campaign).where(Campaign.id == campaign_id)
    if for_update:
        statement = statement.with_for_update().execution_options(populate_existing=True)
    return session.scalars(statement).first()


def list_campaigns(
    session: Session, *, status: str | None, limit: int, offset: int
) -> tuple[Sequence[Campaign], int]:
    """Campaigns, newest first, optionally in one state, and how many there are."""
    conditions = [Campaign.status == status] if status else []
    rows = session.scalars(
        select(Campaign)
        .where(*conditions)
        .order_by(Campaign.created_at.desc(), Campaign.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    total = session.scalar(select(func.count()).select_from(Campaign).where(*conditions)) or 0
    return rows, int(total)


def unit_names(session: Session, ids: Iterable[int]) -> dict[int, str]:
    """Names of the org units among `ids` that exist."""
    wanted = list(set(ids))
    if not wanted:
        return {}
    rows = session.execute(select(OrgUnit.id, OrgUnit.name).where(OrgUnit.id.in_(wanted))).all()
    return {int(unit_id): str(name) for unit_id, name in rows}


def role_titles(session: Session, ids: Iterable[int]) -> dict[int, str]:
    """Titles of the roles among `ids` that exist."""
    wanted = list(set(ids))
    if not wanted:
        return {}
    rows = session.execute(select(Role.id, Role.title).where(Role.id.in_(wanted))).all()
    return {int(role_id): str(title) for role_id, title in rows}


def skill_names(session: Session, ids: Iterable[int]) -> dict[int, str]:
    """Names of the skills among `ids` that exist."""
    wanted = list(set(ids))
    if not wanted:
        return {}
    rows = session.execute(select(Skill.id, Skill.name).where(Skill.id.in_(wanted))).all()
    return {int(skill_id): str(name) for skill_id, name in rows}


def skill_descriptions(session: Session, ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    """(name, description) of the skills among `ids`."""
    wanted = list(set(ids))
    if not wanted:
        return {}
    rows = session.execute(
        select(Skill.id, Skill.name, Skill.description).where(Skill.id.in_(wanted))
    ).all()
    return {skill_id: (name, description or "") for skill_id, name, description in rows}


def employee_names(session: Session, ids: Iterable[int]) -> dict[int, str]:
    """ "First Last" of the employees among `ids`."""
    wanted = list(set(ids))
    if not wanted:
        return {}
    rows = session.execute(
        select(Employee.id, Employee.first_name, Employee.last_name).where(Employee.id.in_(wanted))
    ).all()
    return {person: f"{first} {last}" for person, first, last in rows}


# Population


def _active(today: date) -> ColumnElement[bool]:
    """Employed on `today`: hired on or before it, and not left on or before it."""
    return and_(
        Employee.hired_on <= today, (Employee.left_on.is_(None)) | (Employee.left_on > today)
    )


PopulationRow = Row[int, int | None, int | None, int | None]


def population(
    session: Session, *, unit_ids: Sequence[int], role_ids: Sequence[int], today: date
) -> Sequence[PopulationRow]:
    """(id, unit, role, manager) of the people employed on `today` who are in one of the units
    or a unit below it (when units are given) and hold one of the roles (when roles are given)."""
    conditions: list[ColumnElement[bool]] = [_active(today)]
    if unit_ids:
        seeds = select(OrgUnit.id.label("id"), literal(0).label("depth")).where(
            OrgUnit.id.in_(list(unit_ids))
        )
        nodes = seeds.cte("campaign_units", recursive=True)
        child = aliased(OrgUnit)
        tree = nodes.union(
            select(child.id, nodes.c.depth + 1).where(
                child.parent_id == nodes.c.id, nodes.c.depth < MAX_TREE_DEPTH
            )
        )
        conditions.append(Employee.org_unit_id.in_(select(tree.c.id)))
    if role_ids:
        conditions.append(Employee.role_id.in_(list(role_ids)))
    return session.execute(
        select(Employee.id, Employee.org_unit_id, Employee.role_id, Employee.manager_id)
        .where(*conditions)
        .order_by(Employee.id)
    ).all()


def role_profiles(
    session: Session, role_ids: Iterable[int], *, only_skills: Sequence[int]
) -> dict[int, list[int]]:
    """The skills of each role's profile, most important first (then A to Z), optionally only
    those among `only_skills`."""
    wanted = list(set(role_ids))
    if not wanted:
        return {}
    conditions = [RoleSkill.role_id.in_(wanted)]
    if only_skills:
        conditions.append(RoleSkill.skill_id.in_(list(only_skills)))
    rows = session.execute(
        select(RoleSkill.role_id, RoleSkill.skill_id)
        .join(Skill, Skill.id == RoleSkill.skill_id)
        .where(*conditions)
        .order_by(RoleSkill.role_id, RoleSkill.importance.desc(), Skill.name, Skill.id)
    ).all()
    profiles: dict[int, list[int]] = {}
    for role_id, skill_id in rows:
        profiles.setdefault(role_id, []).append(skill_id)
    return profiles


def active_among(session: Session, ids: Iterable[int], today: date) -> set[int]:
    """The people among `ids` employed on `today`."""
    wanted = list(set(ids))
    if not wanted:
        return set()
    found: set[int] = set()
    for start in range(0, len(wanted), 5000):
        chunk = wanted[start : start + 5000]
        found.update(
            session.scalars(select(Employee.id).where(Employee.id.in_(chunk), _active(today)))
        )
    return found


def colleagues(
    session: Session, *, manager_ids: Iterable[int], unit_ids: Iterable[int], today: date
) -> Sequence[Row[int, int | None, int | None]]:
    """(id, manager, unit) of the people employed on `today` who report to one of the managers
    or work in one of the units: the teammates peers are chosen from."""
    managers, units = list(set(manager_ids)), list(set(unit_ids))
    alternatives: list[ColumnElement[bool]] = []
    if managers:
        alternatives.append(Employee.manager_id.in_(managers))
    if units:
        alternatives.append(Employee.org_unit_id.in_(units))
    if not alternatives:
        return []
    condition = alternatives[0] if len(alternatives) == 1 else alternatives[0] | alternatives[1]
    return session.execute(
        select(Employee.id, Employee.manager_id, Employee.org_unit_id).where(
            condition, _active(today)
        )
    ).all()


# Launch


def insert_participants(session: Session, rows: Sequence[dict[str, Any]]) -> list[int]:
    """Insert participants; returns their ids in the order of `rows`."""
    statement = insert(CampaignParticipant).returning(
        CampaignParticipant.id, sort_by_parameter_order=True
    )
    ids: list[int] = []
    for chunk in batched(rows, 2000):
        ids.extend(session.scalars(statement, chunk))
    return ids


def insert_tasks(session: Session, rows: Sequence[dict[str, Any]]) -> int:
    """Insert tasks in batches; returns how many."""
    for chunk in batched(rows, 5000):
        session.execute(insert(CampaignTask), chunk)
    return len(rows)


def insert_notifications(session: Session, rows: Sequence[dict[str, Any]]) -> int:
    """Insert notifications, skipping any (campaign, recipient, step) already sent; returns
    how many were new."""
    dialect = session.get_bind().dialect.name
    inserted = 0
    for chunk in batched(rows, 2000):
        base = (
            postgresql.insert(CampaignNotification)
            if dialect == "postgresql"
            else sqlite.insert(CampaignNotification)
        )
        statement = base.on_conflict_do_nothing(
            index_elements=["campaign_id", "recipient_id", "step"]
        ).returning(CampaignNotification.id)
        inserted += len(session.scalars(statement.values(chunk)).all())
    return inserted


# Tasks


def task_counts(
    session: Session, campaign_ids: Sequence[int], today: date
) -> dict[int, tuple[int, int, int, int]]:
    """(participants, tasks, submitted, overdue) per campaign; overdue counts unfinished tasks of
    open campaigns whose deadline is before `today`."""
    if not campaign_ids:
        return {}
    submitted = func.sum(case((CampaignTask.status == "submitted", 1), else_=0))
    overdue = func.sum(
        case(
            (
                and_(
                    CampaignTask.status != "submitted",
                    Campaign.status == "open",
                    Campaign.deadline < today,
                ),
                1,
            ),
            else_=0,
        )
    )
    rows = session.execute(
        select(
            CampaignTask.campaign_id,
            func.count(func.distinct(CampaignTask.subject_id)),
            func.count(),
            submitted,
            overdue,
        )
        .join(Campaign, Campaign.id == CampaignTask.campaign_id)
        .where(CampaignTask.campaign_id.in_(list(campaign_ids)))
        .group_by(CampaignTask.campaign_id)
    ).all()
    return {
        campaign_id: (int(people), int(tasks), int(done or 0), int(late or 0))
        for campaign_id, people, tasks, done, late in rows
    }


def status_counts_by_kind(session: Session, campaign_id: int) -> Sequence[Row[str, str, int]]:
    """(rater kind, status, tasks) of a campaign."""
    return session.execute(
        select(CampaignTask.rater_kind, CampaignTask.status, func.count())
        .where(CampaignTask.campaign_id == campaign_id)
        .group_by(CampaignTask.rater_kind, CampaignTask.status)
    ).all()


def status_counts_by_unit(
    session: Session, campaign_id: int
) -> Sequence[Row[int | None, str | None, str, int]]:
    """(unit id, unit name, status, tasks) of a campaign, by the participant's unit at launch."""
    return session.execute(
        select(CampaignParticipant.org_unit_id, OrgUnit.name, CampaignTask.status, func.count())
        .join(CampaignParticipant, CampaignParticipant.id == CampaignTask.participant_id)
        .outerjoin(OrgUnit, OrgUnit.id == CampaignParticipant.org_unit_id)
        .where(CampaignTask.campaign_id == campaign_id)
        .group_by(CampaignParticipant.org_unit_id, OrgUnit.name, CampaignTask.status)
    ).all()


def participant_completion(session: Session, campaign_id: int) -> tuple[int, int]:
    """(participants, participants whose every task is submitted) of a campaign."""
    per_subject = (
        select(
            CampaignTask.subject_id.label("subject_id"),
            func.min(case((CampaignTask.status == "submitted", 1), else_=0)).label("done"),
        )
        .where(CampaignTask.campaign_id == campaign_id)
        .group_by(CampaignTask.subject_id)
        .subquery()
    )
    row = session.execute(
        select(func.count(), func.coalesce(func.sum(per_subject.c.done), 0))
    ).one()
    return int(row[0]), int(row[1])


def unfinished_by_rater(
    session: Session, campaign_id: int, *, limit: int
) -> Sequence[Row[int, str, str, int]]:
    """(rater id, first name, last name, unfinished tasks) of a campaign, most first."""
    count = func.count().label("open_tasks")
    return session.execute(
        select(CampaignTask.rater_id, Employee.first_name, Employee.last_name, count)
        .join(Employee, Employee.id == CampaignTask.rater_id)
        .where(CampaignTask.campaign_id == campaign_id, CampaignTask.status.in_(UNFINISHED))
        .group_by(CampaignTask.rater_id, Employee.first_name, Employee.last_name)
        .order_by(count.desc(), Employee.last_name, Employee.first_name, CampaignTask.rater_id)
        .limit(limit)
    ).all()


TaskRow = Row[CampaignTask, Campaign, CampaignParticipant, int]


def _answered() -> Any:
    """A correlated count of a task's answers."""
    return (
        select(func.count())
        .select_from(CampaignAnswer)
        .where(CampaignAnswer.task_id == CampaignTask.id)
        .correlate(CampaignTask)
        .scalar_subquery()
    )


def tasks_of_rater(
    session: Session, *, rater_id: int, campaign_statuses: Sequence[str], limit: int
) -> Sequence[TaskRow]:
    """A rater's tasks in campaigns in the given states with the campaign, participant and the
    number of answers saved: unfinished first, then by deadline and subject."""
    return session.execute(
        select(CampaignTask, Campaign, CampaignParticipant, _answered())
        .join(Campaign, Campaign.id == CampaignTask.campaign_id)
        .join(CampaignParticipant, CampaignParticipant.id == CampaignTask.participant_id)
        .join(Employee, Employee.id == CampaignTask.subject_id)
        .where(CampaignTask.rater_id == rater_id, Campaign.status.in_(list(campaign_statuses)))
        .order_by(
            case((CampaignTask.status == "submitted", 1), else_=0),
            Campaign.deadline,
            case((CampaignTask.rater_kind == "self", 0), else_=1),
            Employee.last_name,
            Employee.first_name,
            CampaignTask.id,
        )
        .limit(limit)
    ).all()


def task_row(session: Session, task_id: int) -> TaskRow | None:
    """One task with its campaign, participant and the number of answers saved."""
    return session.execute(
        select(CampaignTask, Campaign, CampaignParticipant, _answered())
        .join(Campaign, Campaign.id == CampaignTask.campaign_id)
        .join(CampaignParticipant, CampaignParticipant.id == CampaignTask.participant_id)
        .where(CampaignTask.id == task_id)
    ).first()


def task_for_update(session: Session, task_id: int) -> CampaignTask | None:
    """A task, its row locked (PostgreSQL) while answers are saved."""
    return session.scalars(
        select(CampaignTask)
        .where(CampaignTask.id == task_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()


def answers_of_task(session: Session, task_id: int) -> dict[int, CampaignAnswer]:
    """A task's saved answers by skill id."""
    rows = session.scalars(select(CampaignAnswer).where(CampaignAnswer.task_id == task_id)).all()
    return {answer.skill_id: answer for answer in rows}


def delete_answer(session: Session, answer: CampaignAnswer) -> None:
    """Remove a saved answer (the rater cleared it)."""
    session.delete(answer)
    session.flush()


def open_task_count(session: Session, rater_id: int) -> int:
    """How many unfinished tasks a person has in open campaigns."""
    return int(
        session.scalar(
            select(func.count())
            .select_from(CampaignTask)
            .join(Campaign, Campaign.id == CampaignTask.campaign_id)
            .where(
                CampaignTask.rater_id == rater_id,
                CampaignTask.status.in_(UNFINISHED),
                Campaign.status == "open",
            )
        )
        or 0
    )


# Reminders


def unfinished_tasks_of_open_campaigns(
    session: Session,
) -> Sequence[Row[int, int, int, date, datetime | None, list[int], int]]:
    """(task, campaign, rater, deadline, launched at, reminder days, overdue interval) of every
    unfinished task in an open campaign."""
    return session.execute(
        select(
            CampaignTask.id,
            CampaignTask.campaign_id,
            CampaignTask.rater_id,
            Campaign.deadline,
            Campaign.launched_at,
            Campaign.reminder_days,
            Campaign.overdue_every_days,
        )
        .join(Campaign, Campaign.id == CampaignTask.campaign_id)
        .where(Campaign.status == "open", CampaignTask.status.in_(UNFINISHED))
        .order_by(CampaignTask.id)
    ).all()


def sent_steps(session: Session, campaign_ids: Iterable[int]) -> set[tuple[int, int, str]]:
    """(campaign, recipient, step) of every notification already sent in these campaigns."""
    wanted = list(set(campaign_ids))
    if not wanted:
        return set()
    rows = session.execute(
        select(
            CampaignNotification.campaign_id,
            CampaignNotification.recipient_id,
            CampaignNotification.step,
        ).where(CampaignNotification.campaign_id.in_(wanted))
    ).all()
    return {(campaign_id, recipient_id, step) for campaign_id, recipient_id, step in rows}


def notifications_of(
    session: Session, recipient_id: int, *, limit: int
) -> Sequence[Row[CampaignNotification, Campaign]]:
    """A person's notifications with their campaign, newest first."""
    return session.execute(
        select(CampaignNotification, Campaign)
        .join(Campaign, Campaign.id == CampaignNotification.campaign_id)
        .where(CampaignNotification.recipient_id == recipient_id)
        .order_by(CampaignNotification.sent_at.desc(), CampaignNotification.id.desc())
        .limit(limit)
    ).all()


def mark_notifications_read(session: Session, recipient_id: int, moment: datetime) -> int:
    """Mark a person's unread notifications as read; returns how many."""
    result = session.execute(
        update(CampaignNotification)
        .where(
            CampaignNotification.recipient_id == recipient_id,
            CampaignNotification.read_at.is_(None),
        )
        .values(read_at=moment)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


# Closing: answers into evidence


def submitted_answers(
    session: Session, campaign_id: int
) -> Sequence[Row[int, int, int, str, float | None, datetime | None]]:
    """(subject, skill, rater, rater kind, level, submitted at) of every level given in a
    submitted task of a campaign."""
    return session.execute(
        select(
            CampaignTask.subject_id,
            CampaignAnswer.skill_id,
            CampaignTask.rater_id,
            CampaignTask.rater_kind,
            CampaignAnswer.level,
            CampaignTask.submitted_at,
        )
        .join(CampaignAnswer, CampaignAnswer.task_id == CampaignTask.id)
        .where(
            CampaignTask.campaign_id == campaign_id,
            CampaignTask.status == "submitted",
            CampaignAnswer.level.is_not(None),
        )
        .order_by(CampaignTask.id, CampaignAnswer.skill_id)
    ).all()


def close_counts(session: Session, campaign_id: int) -> tuple[int, int]:
    """("can't judge" answers in submitted tasks, unsubmitted tasks) of a campaign."""
    cant = session.scalar(
        select(func.count())
        .select_from(CampaignAnswer)
        .join(CampaignTask, CampaignTask.id == CampaignAnswer.task_id)
        .where(
            CampaignTask.campaign_id == campaign_id,
            CampaignTask.status == "submitted",
            CampaignAnswer.cant_judge.is_(True),
        )
    )
    unsubmitted = session.scalar(
        select(func.count())
        .select_from(CampaignTask)
        .where(CampaignTask.campaign_id == campaign_id, CampaignTask.status != "submitted")
    )
    return int(cant or 0), int(unsubmitted or 0)


def append_evidence(session: Session, rows: Sequence[dict[str, Any]]) -> int:
    """Append evidence rows (dicts keyed by `EVIDENCE_IMPORT_COLUMNS`) through the evidence
    domain's bulk writer, skipping fingerprints a person already has (idempotent); returns how
    many were new."""
    columns = evidence_repository.EVIDENCE_IMPORT_COLUMNS
    converters = evidence_repository.evidence_converters(session)
    prepared = [
        tuple(
            convert(row[name]) if convert is not None and row[name] is not None else row[name]
            for name, convert in zip(columns, converters, strict=True)
        )
        for row in rows
    ]
    return evidence_repository.insert_evidence(session, prepared)


# Pulse


def pulse_of(session: Session, employee_id: int, month: date) -> SkillPulse | None:
    """A person's pulse answer for a month, if any."""
    return session.scalars(
        select(SkillPulse).where(SkillPulse.employee_id == employee_id, SkillPulse.month == month)
    ).first()


def pulse_history(
    session: Session, employee_id: int, *, limit: int
) -> list[tuple[SkillPulse, list[tuple[int, str]]]]:
    """A person's latest pulse answers, newest month first, each with its (skill id, name)."""
    pulses = session.scalars(
        select(SkillPulse)
        .where(SkillPulse.employee_id == employee_id)
        .order_by(SkillPulse.month.desc())
        .limit(limit)
    ).all()
    if not pulses:
        return []
    rows = session.execute(
        select(SkillPulseSkill.pulse_id, Skill.id, Skill.name)
        .join(Skill, Skill.id == SkillPulseSkill.skill_id)
        .where(SkillPulseSkill.pulse_id.in_([pulse.id for pulse in pulses]))
        .order_by(Skill.name, Skill.id)
    ).all()
    skills: dict[int, list[tuple[int, str]]] = {}
    for pulse_id, skill_id, name in rows:
        skills.setdefault(pulse_id, []).append((skill_id, name))
    return [(pulse, skills.get(pulse.id, [])) for pulse in pulses]


def pulse_skill_ids(session: Session, pulse_id: int) -> set[int]:
    """The skills of one pulse answer."""
    return set(
        session.scalars(
            select(SkillPulseSkill.skill_id).where(SkillPulseSkill.pulse_id == pulse_id)
        )
    )


def replace_pulse_skills(session: Session, pulse_id: int, skill_ids: Iterable[int]) -> None:
    """Make a pulse answer's skills exactly `skill_ids`."""
    wanted = set(skill_ids)
    current = pulse_skill_ids(session, pulse_id)
    stale = current - wanted
    if stale:
        session.execute(
            delete(SkillPulseSkill).where(
                SkillPulseSkill.pulse_id == pulse_id, SkillPulseSkill.skill_id.in_(list(stale))
            )
        )
    for skill_id in sorted(wanted - current):
        session.add(SkillPulseSkill(pulse_id=pulse_id, skill_id=skill_id))
    session.flush()


def pulse_skill_options(
    session: Session, *, employee_id: int, role_id: int | None
) -> list[tuple[int, str, bool]]:
    """(skill id, name, in the role profile) of the skills a person is offered in the pulse:
    their role profile's skills and the skills of their consolidated profile or evidence."""
    role_skills: set[int] = set()
    if role_id is not None:
        role_skills = set(
            session.scalars(select(RoleSkill.skill_id).where(RoleSkill.role_id == role_id))
        )
    own = set(
        session.scalars(
            select(EmployeeSkill.skill_id).where(EmployeeSkill.employee_id == employee_id)
        )
    )
    own.update(
        session.scalars(
            select(SkillEvidence.skill_id)
            .where(SkillEvidence.employee_id == employee_id)
            .distinct()
        )
    )
    names = skill_names(session, role_skills | own)
    return sorted(
        ((skill_id, name, skill_id in role_skills) for skill_id, name in names.items()),
        key=lambda option: (not option[2], option[1].lower(), option[0]),
    )


def employee_role_id(session: Session, employee_id: int) -> int | None:
    """The role an employee holds (None when none is recorded)."""
    return session.scalar(select(Employee.role_id).where(Employee.id == employee_id))


def pulse_summary(
    session: Session, month: date, *, limit: int
) -> tuple[int, Sequence[Row[int, str, int]]]:
    """(respondents, [(skill id, name, people)]) of a month's pulse, skills used most first."""
    respondents = session.scalar(
        select(func.count()).select_from(SkillPulse).where(SkillPulse.month == month)
    )
    people = func.count().label("people")
    rows = session.execute(
        select(Skill.id, Skill.name, people)
        .select_from(SkillPulseSkill)
        .join(SkillPulse, SkillPulse.id == SkillPulseSkill.pulse_id)
        .join(Skill, Skill.id == SkillPulseSkill.skill_id)
        .where(SkillPulse.month == month)
        .group_by(Skill.id, Skill.name)
        .order_by(people.desc(), Skill.name, Skill.id)
        .limit(limit)
    ).all()
    return int(respondents or 0), rows


# Choices of the campaign form


def organisation_roles(session: Session) -> Sequence[Row[int, str]]:
    """(id, title) of the organisation's roles (not imported templates), A to Z."""
    return session.execute(
        select(Role.id, Role.title)
        .where(Role.is_template.is_(False))
        .order_by(Role.title_lower, Role.id)
    ).all()


def profile_skills(session: Session) -> Sequence[Row[int, str]]:
    """(id, name) of the skills in any organisation role's profile, A to Z."""
    in_profiles = (
        select(RoleSkill.skill_id)
        .join(Role, Role.id == RoleSkill.role_id)
        .where(Role.is_template.is_(False))
    )
    return session.execute(
        select(Skill.id, Skill.name).where(Skill.id.in_(in_profiles)).order_by(Skill.name, Skill.id)
    ).all()
