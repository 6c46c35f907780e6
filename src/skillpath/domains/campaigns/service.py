"""Use cases of assessment campaigns and the skills pulse (rules in docs/campaigns.md).

HR defines a campaign (a draft), launches it (the population is resolved to the people employed
that day and one task is created per participant and rater), follows its completion and closes
it, which turns the levels of submitted tasks into dated evidence and refreshes the
participants' profiles, all in the caller's transaction. Raters answer their own tasks only.
Reminders are in-app notifications, one per campaign, rater and step of the schedule.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np
from sqlalchemy.orm import Session

from skillpath.core.clock import utcnow
from skillpath.core.errors import (
    ConflictError,
    ForbiddenError,
    InvalidInputError,
    NotFoundError,
    Problem,
)
from skillpath.core.levels import DEFAULT_SCALE, SCALES, DisplayScale
from skillpath.domains.campaigns import repository
from skillpath.domains.campaigns.engine.peers import choose_peers
from skillpath.domains.campaigns.engine.reminders import (
    BEFORE_PREFIX,
    DueReminder,
    OpenTask,
    ReminderSchedule,
)
from skillpath.domains.campaigns.engine.reminders import due_reminders as due_reminders_of
from skillpath.domains.campaigns.models import Campaign, CampaignAnswer, SkillPulse
from skillpath.domains.campaigns.repository import TaskRow
from skillpath.domains.campaigns.schemas import (
    AnswerIn,
    CampaignCreate,
    CampaignRead,
    CampaignSummary,
    CloseSummary,
    Completion,
    CompletionRow,
    FormChoices,
    LaunchSummary,
    NotificationRead,
    OverdueRater,
    PopulationPreview,
    PulseMonth,
    PulseOption,
    PulseRead,
    PulseSummary,
    ScaleLevelRead,
    ScaleRead,
    SkillUse,
    TaskCampaign,
    TaskDetail,
    TaskItem,
    TaskSummary,
    UnitChoice,
)
from skillpath.domains.evidence import service as evidence_service
from skillpath.domains.evidence.capture import CAPTURED_CONFIDENCE
from skillpath.domains.evidence.engine.fingerprint import (
    NO_EXPIRY,
    evidence_fingerprints,
    micros_since_epoch,
    note_hash,
    text_hash,
)
from skillpath.domains.identity import service as identity
from skillpath.domains.identity.visibility import Viewer
from skillpath.domains.people import service as people_service
from skillpath.domains.people.schemas import PersonRef, RoleRef, UnitRef
from skillpath.domains.taxonomy.schemas import SkillRef

CAMPAIGN_CONFIDENCE = CAPTURED_CONFIDENCE
"""The confidence of a level given in a campaign: like any rating given in Skillpath, a
deliberate statement; the source's reliability decides how much it counts."""
MAX_DEADLINE_DAYS = 366
KIND_ORDER = ("self", "manager", "peer")
OVERDUE_RATERS_SHOWN = 20
MY_TASKS_LIMIT = 500
NOTIFICATIONS_SHOWN = 20
PULSE_HISTORY_MONTHS = 6
TOP_PULSE_SKILLS = 15
NOT_VALID = "Some of the values sent are not valid."

# Reasons of refused input (pages translate them where they show them).
EMPTY_NAME = "must not be empty"
DEADLINE_NOT_AFTER_TODAY = "must be after today"
DEADLINE_TOO_FAR = "must be within a year from today"
NO_POPULATION = "choose at least one org unit or role"
UNKNOWN_UNIT = "no org unit has this id"
UNKNOWN_ROLE = "no role has this id"
UNKNOWN_SKILL = "no skill has this id"
NO_RATERS = "choose at least one kind of rater: self, manager or peers"
BAD_REMINDER_DAYS = "must be different whole numbers of days between 1 and 90"
BAD_SCALE = "is not a known display scale"
NOBODY_TO_RATE = "no active employee in these units and roles has a skill to rate"
NOT_A_TASK_SKILL = "is not one of the skills of this task"
LEVEL_OUT_OF_SCALE = "is not a level of the display scale"
LEVEL_AND_CANT_JUDGE = 'give a level or "can\'t judge", not both'
REPEATED_SKILL = "is answered twice"
NO_ANSWER = "has no answer yet"
NOT_OFFERED = "is not one of the skills offered in your pulse"


def _require_hr(viewer: Viewer) -> None:
    """Only HR administrators manage campaigns."""
    if not viewer.can_administer:
        raise ForbiddenError("Only HR administrators can manage campaigns.")


def _scale(code: str) -> DisplayScale:
    return SCALES.get(code, DEFAULT_SCALE)


def scale_read(scale: DisplayScale) -> ScaleRead:
    """A display scale with its levels, labels and descriptors."""
    return ScaleRead(
        code=scale.code,
        name=scale.name,
        levels=[
            ScaleLevelRead(value=scale.minimum + i, label=label, descriptor=descriptor)
            for i, (label, descriptor) in enumerate(
                zip(scale.labels, scale.descriptors, strict=True)
            )
        ],
    )


def _today(now: datetime) -> date:
    return now.astimezone(UTC).date()


# Definition


def campaign_read(session: Session, campaign: Campaign) -> CampaignRead:
    """The read shape of a campaign, with the names of its units, roles and skills."""
    units = repository.unit_names(session, campaign.unit_ids)
    roles = repository.role_titles(session, campaign.role_ids)
    skills = repository.skill_names(session, campaign.skill_ids)
    return CampaignRead(
        id=campaign.id,
        name=campaign.name,
        description=campaign.description,
        status=campaign.status,
        units=[UnitRef(id=i, name=units[i]) for i in campaign.unit_ids if i in units],
        roles=[RoleRef(id=i, title=roles[i]) for i in campaign.role_ids if i in roles],
        skills=[SkillRef(id=i, name=skills[i]) for i in campaign.skill_ids if i in skills],
        include_self=campaign.include_self,
        include_manager=campaign.include_manager,
        peer_count=campaign.peer_count,
        deadline=campaign.deadline,
        reminder_days=list(campaign.reminder_days),
        overdue_every_days=campaign.overdue_every_days,
        scale=campaign.scale_code,
        created_at=campaign.created_at,
        launched_at=campaign.launched_at,
        closed_at=campaign.closed_at,
        cancelled_at=campaign.cancelled_at,
        evidence_written=campaign.evidence_written,
    )


def _checked_definition(
    session: Session, data: CampaignCreate, *, today: date, scale_code: str
) -> CampaignCreate:
    """The definition with its name trimmed and its lists deduplicated, or every problem."""
    problems: list[Problem] = []
    name = data.name.strip()
    if not name:
        problems.append(Problem(EMPTY_NAME, column="name"))
    if data.deadline <= today:
        problems.append(
            Problem(DEADLINE_NOT_AFTER_TODAY, column="deadline", value=str(data.deadline))
        )
    elif data.deadline > today + timedelta(days=MAX_DEADLINE_DAYS):
        problems.append(Problem(DEADLINE_TOO_FAR, column="deadline", value=str(data.deadline)))
    unit_ids = list(dict.fromkeys(data.unit_ids))
    role_ids = list(dict.fromkeys(data.role_ids))
    skill_ids = list(dict.fromkeys(data.skill_ids))
    if not unit_ids and not role_ids:
        problems.append(Problem(NO_POPULATION, column="population"))
    known_units = repository.unit_names(session, unit_ids)
    problems.extend(
        Problem(UNKNOWN_UNIT, column="unit_ids", value=str(i))
        for i in unit_ids
        if i not in known_units
    )
    known_roles = repository.role_titles(session, role_ids)
    problems.extend(
        Problem(UNKNOWN_ROLE, column="role_ids", value=str(i))
        for i in role_ids
        if i not in known_roles
    )
    known_skills = repository.skill_names(session, skill_ids)
    problems.extend(
        Problem(UNKNOWN_SKILL, column="skill_ids", value=str(i))
        for i in skill_ids
        if i not in known_skills
    )
    if not data.include_self and not data.include_manager and data.peer_count == 0:
        problems.append(Problem(NO_RATERS, column="raters"))
    try:
        ReminderSchedule(tuple(data.reminder_days), data.overdue_every_days)
    except ValueError:
        problems.append(
            Problem(
                BAD_REMINDER_DAYS,
                column="reminder_days",
                value=", ".join(str(d) for d in data.reminder_days),
            )
        )
    if scale_code not in SCALES:
        problems.append(Problem(BAD_SCALE, column="scale", value=scale_code))
    if problems:
        raise InvalidInputError(NOT_VALID, problems)
    return data.model_copy(
        update={
            "name": name,
            "unit_ids": unit_ids,
            "role_ids": role_ids,
            "skill_ids": skill_ids,
            "reminder_days": sorted(set(data.reminder_days), reverse=True),
        }
    )


def _apply(campaign: Campaign, data: CampaignCreate, scale_code: str) -> None:
    campaign.name = data.name
    campaign.description = data.description.strip()
    campaign.unit_ids = list(data.unit_ids)
    campaign.role_ids = list(data.role_ids)
    campaign.skill_ids = list(data.skill_ids)
    campaign.include_self = data.include_self
    campaign.include_manager = data.include_manager
    campaign.peer_count = data.peer_count
    campaign.deadline = data.deadline
    campaign.reminder_days = list(data.reminder_days)
    campaign.overdue_every_days = data.overdue_every_days
    campaign.scale_code = scale_code


def create_campaign(
    session: Session,
    *,
    viewer: Viewer,
    data: CampaignCreate,
    scale_code: str = DEFAULT_SCALE.code,
    now: datetime | None = None,
) -> CampaignRead:
    """Save a new campaign as a draft, after checking every field."""
    _require_hr(viewer)
    moment = now or utcnow()
    checked = _checked_definition(session, data, today=_today(moment), scale_code=scale_code)
    campaign = Campaign(created_by_user_id=viewer.user_id, created_at=moment, status="draft")
    _apply(campaign, checked, scale_code)
    repository.add(session, campaign)
    _audit(session, viewer, campaign, "campaign.create", f"created campaign {campaign.name!r}")
    return campaign_read(session, campaign)


def _audit(
    session: Session,
    viewer: Viewer,
    campaign: Campaign,
    action: str,
    summary: str,
    details: dict[str, Any] | None = None,
) -> None:
    """Record what the viewer did to a campaign in the audit log."""
    identity.record_audit(
        session,
        actor=viewer.email,
        actor_user_id=viewer.user_id,
        action=action,
        entity_type="campaign",
        entity_id=str(campaign.id),
        summary=summary,
        details=details,
    )


def _campaign(session: Session, campaign_id: int, *, for_update: bool = False) -> Campaign:
    campaign = repository.campaign_by_id(session, campaign_id, for_update=for_update)
    if campaign is None:
        raise NotFoundError("No such campaign.")
    return campaign


def update_campaign(
    session: Session,
    *,
    viewer: Viewer,
    campaign_id: int,
    data: CampaignCreate,
    scale_code: str = DEFAULT_SCALE.code,
    now: datetime | None = None,
) -> CampaignRead:
    """Change a draft campaign's definition (a launched one cannot change)."""
    _require_hr(viewer)
    campaign = _campaign(session, campaign_id, for_update=True)
    if campaign.status != "draft":
        raise ConflictError("Only a draft campaign can be changed.")
    checked = _checked_definition(
        session, data, today=_today(now or utcnow()), scale_code=scale_code
    )
    _apply(campaign, checked, scale_code)
    session.flush()
    _audit(
        session, viewer, campaign, "campaign.update", f"changed draft campaign {campaign.name!r}"
    )
    return campaign_read(session, campaign)


def campaign_detail(session: Session, *, viewer: Viewer, campaign_id: int) -> CampaignRead:
    """One campaign's definition and state."""
    _require_hr(viewer)
    return campaign_read(session, _campaign(session, campaign_id))


def list_campaigns(
    session: Session,
    *,
    viewer: Viewer,
    status: str | None = None,
    limit: int = 50,
    offset: int = 0,
    today: date | None = None,
) -> tuple[list[CampaignSummary], int]:
    """Campaigns, newest first, with their progress, and how many there are."""
    _require_hr(viewer)
    day = today or _today(utcnow())
    campaigns, total = repository.list_campaigns(session, status=status, limit=limit, offset=offset)
    counts = repository.task_counts(session, [c.id for c in campaigns], day)
    summaries = []
    for campaign in campaigns:
        people, tasks, submitted, overdue = counts.get(campaign.id, (0, 0, 0, 0))
        summaries.append(
            CampaignSummary(
                id=campaign.id,
                name=campaign.name,
                status=campaign.status,
                deadline=campaign.deadline,
                participants=people,
                tasks=tasks,
                submitted=submitted,
                completion=submitted / tasks if tasks else None,
                overdue=overdue,
            )
        )
    return summaries, total


def form_choices(session: Session, *, viewer: Viewer, today: date | None = None) -> FormChoices:
    """The units (in tree order, with headcounts), roles and profile skills a campaign can
    name."""
    _require_hr(viewer)
    units = people_service.org_tree(session, today=today)
    return FormChoices(
        units=[
            UnitChoice(id=u.id, name=u.name, depth=u.depth, headcount=u.total_headcount)
            for u in units
        ],
        roles=[RoleRef(id=i, title=t) for i, t in repository.organisation_roles(session)],
        skills=[SkillRef(id=i, name=n) for i, n in repository.profile_skills(session)],
    )


# Launch


@dataclass
class PlannedParticipant:
    """A person to rate, what on, and by whom."""

    employee_id: int
    unit_id: int | None
    role_id: int | None
    skill_ids: list[int]
    raters: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class LaunchPlan:
    """The participants and tasks a launch would create."""

    participants: list[PlannedParticipant]
    skipped_without_skills: int

    @property
    def tasks_by_kind(self) -> dict[str, int]:
        """How many tasks of each rater kind."""
        counts = Counter(kind for p in self.participants for _rater, kind in p.raters)
        return {kind: counts.get(kind, 0) for kind in KIND_ORDER}


def plan_launch(session: Session, campaign: Campaign, *, today: date) -> LaunchPlan:
    """Resolve a campaign's population on `today` and choose the raters of each participant."""
    rows = repository.population(
        session, unit_ids=campaign.unit_ids, role_ids=campaign.role_ids, today=today
    )
    profiles = repository.role_profiles(
        session, {row[2] for row in rows if row[2] is not None}, only_skills=campaign.skill_ids
    )
    planned: list[PlannedParticipant] = []
    managers: dict[int, int | None] = {}
    skipped = 0
    for employee_id, unit_id, role_id, manager_id in rows:
        skills = profiles.get(role_id, []) if role_id is not None else []
        if not skills:
            skipped += 1
            continue
        planned.append(PlannedParticipant(employee_id, unit_id, role_id, list(skills)))
        managers[employee_id] = manager_id
    active_managers = repository.active_among(
        session, {m for m in managers.values() if m is not None}, today
    )
    peers: dict[int, tuple[int, ...]] = {}
    if campaign.peer_count > 0 and planned:
        peers = _choose_peers(session, campaign, planned, managers, today)
    for participant in planned:
        person = participant.employee_id
        manager = managers.get(person)
        if campaign.include_self:
            participant.raters.append((person, "self"))
        if campaign.include_manager and manager is not None and manager in active_managers:
            participant.raters.append((manager, "manager"))
        participant.raters.extend((peer, "peer") for peer in peers.get(person, ()))
    return LaunchPlan([p for p in planned if p.raters], skipped)


def _choose_peers(
    session: Session,
    campaign: Campaign,
    planned: Sequence[PlannedParticipant],
    managers: dict[int, int | None],
    today: date,
) -> dict[int, tuple[int, ...]]:
    """Peers from the participant's team: colleagues with the same manager first, then others
    in the same unit; never the participant's manager or their direct reports."""
    units = {p.unit_id for p in planned if p.unit_id is not None}
    rows = repository.colleagues(
        session,
        manager_ids={m for m in managers.values() if m is not None},
        unit_ids=units,
        today=today,
    )
    by_manager: dict[int, list[int]] = {}
    by_unit: dict[int, list[int]] = {}
    manager_of: dict[int, int | None] = {}
    for person, manager_id, unit_id in rows:
        manager_of[person] = manager_id
        if manager_id is not None:
            by_manager.setdefault(manager_id, []).append(person)
        if unit_id is not None:
            by_unit.setdefault(unit_id, []).append(person)
    candidates: dict[int, list[list[int]]] = {}
    for participant in planned:
        person = participant.employee_id
        manager = managers.get(person)

        def eligible(other: int, person: int = person, manager: int | None = manager) -> bool:
            return other not in (person, manager) and manager_of.get(other) != person

        same_manager = [c for c in by_manager.get(manager, []) if eligible(c)] if manager else []
        same_unit = (
            [c for c in by_unit.get(participant.unit_id, []) if eligible(c)]
            if participant.unit_id is not None
            else []
        )
        candidates[person] = [same_manager, same_unit]
    return choose_peers(
        [p.employee_id for p in planned],
        candidates,
        count=campaign.peer_count,
        seed=campaign.id,
    )


def preview_population(
    session: Session, *, viewer: Viewer, campaign_id: int, today: date | None = None
) -> PopulationPreview:
    """Who a campaign reaches: resolved as it would be if launched `today`."""
    _require_hr(viewer)
    campaign = _campaign(session, campaign_id)
    plan = plan_launch(session, campaign, today=today or _today(utcnow()))
    by_kind = plan.tasks_by_kind
    return PopulationPreview(
        participants=len(plan.participants),
        tasks_by_kind=by_kind,
        tasks=sum(by_kind.values()),
        skipped_without_skills=plan.skipped_without_skills,
        skills=len({s for p in plan.participants for s in p.skill_ids}),
    )


def launch_campaign(
    session: Session, *, viewer: Viewer, campaign_id: int, now: datetime | None = None
) -> LaunchSummary:
    """Open a draft campaign: resolve its population now, create one task per participant and
    rater, and notify every rater of their tasks."""
    _require_hr(viewer)
    moment = now or utcnow()
    today = _today(moment)
    campaign = _campaign(session, campaign_id, for_update=True)
    if campaign.status != "draft":
        raise ConflictError("Only a draft campaign can be launched.")
    if campaign.deadline <= today:
        raise InvalidInputError(
            "The deadline has passed: choose a later one before launching.",
            [Problem(DEADLINE_NOT_AFTER_TODAY, column="deadline", value=str(campaign.deadline))],
        )
    plan = plan_launch(session, campaign, today=today)
    if not plan.participants:
        raise InvalidInputError(
            "Nobody can be rated in this campaign.", [Problem(NOBODY_TO_RATE, column="population")]
        )
    participant_ids = repository.insert_participants(
        session,
        [
            {
                "campaign_id": campaign.id,
                "employee_id": p.employee_id,
                "org_unit_id": p.unit_id,
                "role_id": p.role_id,
                "skill_ids": p.skill_ids,
            }
            for p in plan.participants
        ],
    )
    tasks = [
        {
            "campaign_id": campaign.id,
            "participant_id": participant_id,
            "subject_id": p.employee_id,
            "rater_id": rater,
            "rater_kind": kind,
            "status": "pending",
        }
        for participant_id, p in zip(participant_ids, plan.participants, strict=True)
        for rater, kind in p.raters
    ]
    repository.insert_tasks(session, tasks)
    per_rater = Counter(task["rater_id"] for task in tasks)
    notified = repository.insert_notifications(
        session,
        [
            {
                "campaign_id": campaign.id,
                "recipient_id": rater,
                "kind": "assigned",
                "step": "assigned",
                "open_tasks": count,
                "sent_at": moment,
            }
            for rater, count in sorted(per_rater.items())
        ],
    )
    campaign.status = "open"
    campaign.launched_at = moment
    session.flush()
    by_kind = plan.tasks_by_kind
    _audit(
        session,
        viewer,
        campaign,
        "campaign.launch",
        f"launched campaign {campaign.name!r}: {len(participant_ids)} participants, "
        f"{len(tasks)} tasks",
        details={"participants": len(participant_ids), "tasks_by_kind": by_kind},
    )
    return LaunchSummary(
        campaign=campaign_read(session, campaign),
        participants=len(participant_ids),
        tasks_by_kind=by_kind,
        skipped_without_skills=plan.skipped_without_skills,
        notifications=notified,
    )


def cancel_campaign(
    session: Session, *, viewer: Viewer, campaign_id: int, now: datetime | None = None
) -> CampaignRead:
    """Cancel a draft or open campaign: its tasks disappear and nothing becomes evidence."""
    _require_hr(viewer)
    campaign = _campaign(session, campaign_id, for_update=True)
    if campaign.status not in ("draft", "open"):
        raise ConflictError("Only a draft or open campaign can be cancelled.")
    campaign.status = "cancelled"
    campaign.cancelled_at = now or utcnow()
    session.flush()
    _audit(session, viewer, campaign, "campaign.cancel", f"cancelled campaign {campaign.name!r}")
    return campaign_read(session, campaign)


# Closing


def evidence_note(campaign: Campaign) -> str:
    """The note every piece of evidence from a campaign carries."""
    return f"Assessment campaign: {campaign.name}"[:2000]


def _evidence_rows(
    campaign: Campaign,
    moment: datetime,
    answers: Sequence[tuple[int, int, int, str, float | None, datetime | None]],
) -> list[dict[str, Any]]:
    """The evidence rows of a campaign's submitted levels, with their fingerprints (computed
    for all rows at once, exactly as `evidence_fingerprint` computes one)."""
    note = evidence_note(campaign)
    given = [
        (subject, skill, rater, kind, level, submitted_at or moment)
        for subject, skill, rater, kind, level, submitted_at in answers
        if level is not None
    ]
    if not given:
        return []
    subjects, skills, raters, kinds, levels, observed = zip(*given, strict=True)
    source_hash = {kind: text_hash(kind) for kind in set(kinds)}
    fingerprints = evidence_fingerprints(
        employee_ids=np.array(subjects, dtype=np.int64),
        skill_ids=np.array(skills, dtype=np.int64),
        source_hashes=np.array([source_hash[kind] for kind in kinds], dtype=np.uint64),
        rater_ids=np.array(raters, dtype=np.int64),
        levels=np.array(levels, dtype=np.float64),
        confidences=np.full(len(given), CAMPAIGN_CONFIDENCE),
        observed_micros=np.array([micros_since_epoch(m) for m in observed], dtype=np.int64),
        expires_days=np.full(len(given), NO_EXPIRY, dtype=np.int64),
        note_hashes=np.full(len(given), note_hash(note), dtype=np.uint64),
    ).tolist()
    return [
        {
            "fingerprint": fingerprint,
            "employee_id": subject,
            "skill_id": skill,
            "source": kind,
            "rater_id": rater,
            "level": level,
            "confidence": CAMPAIGN_CONFIDENCE,
            "observed_at": observed_at,
            "expires_on": None,
            "note": note,
            "recorded_at": moment,
        }
        for fingerprint, (subject, skill, rater, kind, level, observed_at) in zip(
            fingerprints, given, strict=True
        )
    ]


def close_campaign(
    session: Session, *, viewer: Viewer, campaign_id: int, now: datetime | None = None
) -> CloseSummary:
    """Close an open campaign: every level of a submitted task becomes evidence (source: the
    rater's kind, rater: the rater, dated when the task was submitted), then the participants'
    profiles are recomputed. Idempotent by fingerprint: evidence already stored is not added
    again. Unsubmitted tasks and "can't judge" answers add nothing."""
    _require_hr(viewer)
    moment = now or utcnow()
    campaign = _campaign(session, campaign_id, for_update=True)
    if campaign.status != "open":
        raise ConflictError("Only an open campaign can be closed.")
    rows = _evidence_rows(campaign, moment, repository.submitted_answers(session, campaign.id))
    subjects = {int(row["employee_id"]) for row in rows}
    written = repository.append_evidence(session, rows)
    cant_judge, unsubmitted = repository.close_counts(session, campaign.id)
    campaign.status = "closed"
    campaign.closed_at = moment
    campaign.evidence_written = written
    session.flush()
    evidence_service.refresh_profiles(session, employee_ids=sorted(subjects), now=moment)
    _audit(
        session,
        viewer,
        campaign,
        "campaign.close",
        f"closed campaign {campaign.name!r}: {written} evidence rows",
        details={"evidence": written, "cant_judge": cant_judge, "unsubmitted": unsubmitted},
    )
    return CloseSummary(
        campaign=campaign_read(session, campaign),
        evidence_written=written,
        cant_judge=cant_judge,
        unsubmitted_tasks=unsubmitted,
        profiles_refreshed=len(subjects),
    )


# Completion


def _completion_row(key: str, label: str, counts: Counter[str]) -> CompletionRow:
    tasks = sum(counts.values())
    submitted = counts.get("submitted", 0)
    return CompletionRow(
        key=key,
        label=label,
        tasks=tasks,
        submitted=submitted,
        in_progress=counts.get("in_progress", 0),
        pending=counts.get("pending", 0),
        completion=submitted / tasks if tasks else None,
    )


def completion(
    session: Session, *, viewer: Viewer, campaign_id: int, today: date | None = None
) -> Completion:
    """How far a campaign has come: overall, by rater kind, by the participants' unit (least
    complete first) and the raters with the most unfinished tasks once the deadline passed."""
    _require_hr(viewer)
    day = today or _today(utcnow())
    campaign = _campaign(session, campaign_id)
    overall: Counter[str] = Counter()
    kinds: dict[str, Counter[str]] = {kind: Counter() for kind in KIND_ORDER}
    for kind, status, count in repository.status_counts_by_kind(session, campaign.id):
        kinds.setdefault(kind, Counter())[status] += count
        overall[status] += count
    units: dict[int | None, tuple[str, Counter[str]]] = {}
    for unit_id, unit_name, status, count in repository.status_counts_by_unit(session, campaign.id):
        units.setdefault(unit_id, (unit_name or "", Counter()))[1][status] += count
    by_unit = [
        _completion_row(str(unit_id) if unit_id is not None else "", name, counts)
        for unit_id, (name, counts) in units.items()
    ]
    by_unit.sort(key=lambda row: (row.completion or 0.0, -row.tasks, row.label))
    is_late = campaign.status == "open" and day > campaign.deadline
    unfinished = overall.get("pending", 0) + overall.get("in_progress", 0)
    late_raters = (
        repository.unfinished_by_rater(session, campaign.id, limit=OVERDUE_RATERS_SHOWN)
        if is_late
        else []
    )
    participants, complete = repository.participant_completion(session, campaign.id)
    return Completion(
        campaign_id=campaign.id,
        as_of=day,
        overall=_completion_row("all", "", overall),
        participants=participants,
        participants_complete=complete,
        overdue_tasks=unfinished if is_late else 0,
        by_kind=[
            _completion_row(kind, kind, counts)
            for kind, counts in kinds.items()
            if kind in KIND_ORDER or counts
        ],
        by_unit=by_unit,
        overdue_raters=[
            OverdueRater(rater=PersonRef(id=rater, name=f"{first} {last}"), open_tasks=count)
            for rater, first, last, count in late_raters
        ],
    )


# Tasks


def _task_summary(row: TaskRow, names: dict[int, str], today: date) -> TaskSummary:
    task, campaign, participant, answered = row
    return TaskSummary(
        id=task.id,
        campaign=TaskCampaign(
            id=campaign.id, name=campaign.name, status=campaign.status, deadline=campaign.deadline
        ),
        subject=PersonRef(id=task.subject_id, name=names.get(task.subject_id, "")),
        rater=PersonRef(id=task.rater_id, name=names.get(task.rater_id, "")),
        rater_kind=task.rater_kind,
        status=task.status,
        skills=len(participant.skill_ids),
        answered=int(answered or 0),
        saved_at=task.saved_at,
        submitted_at=task.submitted_at,
        overdue=campaign.status == "open"
        and task.status != "submitted"
        and today > campaign.deadline,
    )


def my_tasks(session: Session, *, viewer: Viewer, today: date | None = None) -> list[TaskSummary]:
    """The viewer's tasks in open campaigns: unfinished first, then by deadline."""
    if viewer.employee_id is None:
        return []
    rows = repository.tasks_of_rater(
        session, rater_id=viewer.employee_id, campaign_statuses=("open",), limit=MY_TASKS_LIMIT
    )
    names = repository.employee_names(
        session, {row[0].subject_id for row in rows} | {row[0].rater_id for row in rows}
    )
    day = today or _today(utcnow())
    return [_task_summary(row, names, day) for row in rows]


def open_task_count(session: Session, *, employee_id: int | None) -> int:
    """How many unfinished tasks a person has in open campaigns (0 without an employee)."""
    if employee_id is None:
        return 0
    return repository.open_task_count(session, employee_id)


def _visible_task(session: Session, viewer: Viewer, task_id: int, *, answering: bool) -> TaskRow:
    """A task the viewer may read (their own; any for HR) or answer (only their own)."""
    row = repository.task_row(session, task_id)
    if row is None:
        raise NotFoundError("No such task.")
    task = row[0]
    if task.rater_id == viewer.employee_id and viewer.employee_id is not None:
        return row
    if viewer.can_administer:
        if answering:
            raise ForbiddenError("Only the rater can answer this task.")
        return row
    raise NotFoundError("No such task.")


def _task_detail(session: Session, row: TaskRow, today: date) -> TaskDetail:
    task, campaign, participant, _answered = row
    names = repository.employee_names(session, {task.subject_id, task.rater_id})
    summary = _task_summary(row, names, today)
    scale = _scale(campaign.scale_code)
    answers = repository.answers_of_task(session, task.id)
    skills = repository.skill_descriptions(session, participant.skill_ids)
    items = []
    for skill_id in participant.skill_ids:
        name, description = skills.get(skill_id, ("", ""))
        answer = answers.get(skill_id)
        level = answer.level if answer is not None else None
        items.append(
            TaskItem(
                skill=SkillRef(id=skill_id, name=name),
                description=description,
                display_level=scale.from_latent(level) if level is not None else None,
                level=level,
                cant_judge=bool(answer and answer.cant_judge),
            )
        )
    return TaskDetail(
        **summary.model_dump(),
        scale=scale_read(scale),
        items=items,
        editable=campaign.status == "open" and task.status != "submitted",
    )


def task_detail(
    session: Session, *, viewer: Viewer, task_id: int, today: date | None = None
) -> TaskDetail:
    """A task with its skills and saved answers (the rater's own, or any task for HR)."""
    row = _visible_task(session, viewer, task_id, answering=False)
    return _task_detail(session, row, today or _today(utcnow()))


def _check_answerable(campaign: Campaign, status: str) -> None:
    if campaign.status == "closed":
        raise ConflictError("The campaign is closed: its tasks can no longer be answered.")
    if campaign.status == "cancelled":
        raise ConflictError("The campaign was cancelled: its tasks can no longer be answered.")
    if status == "submitted":
        raise ConflictError("This task is already submitted.")


def save_answers(
    session: Session,
    *,
    viewer: Viewer,
    task_id: int,
    answers: Sequence[AnswerIn],
    submit: bool = False,
    now: datetime | None = None,
) -> TaskDetail:
    """Save some answers of the viewer's own task (a level on the campaign's scale, "can't
    judge", or neither to clear one) and, with `submit`, complete it — which needs an answer for
    every skill. Everything is checked before anything is written."""
    moment = now or utcnow()
    row = _visible_task(session, viewer, task_id, answering=True)
    task = repository.task_for_update(session, task_id)
    assert task is not None
    _task, campaign, participant, _answered = row
    _check_answerable(campaign, task.status)
    scale = _scale(campaign.scale_code)
    allowed = set(participant.skill_ids)
    problems: list[Problem] = []
    seen: set[int] = set()
    for answer in answers:
        column = f"skill {answer.skill_id}"
        if answer.skill_id not in allowed:
            problems.append(
                Problem(NOT_A_TASK_SKILL, column="skill_id", value=str(answer.skill_id))
            )
            continue
        if answer.skill_id in seen:
            problems.append(Problem(REPEATED_SKILL, column="skill_id", value=str(answer.skill_id)))
        seen.add(answer.skill_id)
        if answer.display_level is not None and answer.cant_judge:
            problems.append(Problem(LEVEL_AND_CANT_JUDGE, column=column))
        elif answer.display_level is not None and not (
            scale.minimum <= answer.display_level <= scale.maximum
        ):
            problems.append(
                Problem(LEVEL_OUT_OF_SCALE, column=column, value=str(answer.display_level))
            )
    if problems:
        raise InvalidInputError(NOT_VALID, problems)
    saved = repository.answers_of_task(session, task.id)
    for answer in answers:
        current = saved.get(answer.skill_id)
        if answer.display_level is None and not answer.cant_judge:
            if current is not None:
                repository.delete_answer(session, current)
                del saved[answer.skill_id]
            continue
        level = scale.to_latent(answer.display_level) if answer.display_level is not None else None
        if current is None:
            current = CampaignAnswer(
                task_id=task.id,
                skill_id=answer.skill_id,
                level=level,
                cant_judge=answer.cant_judge,
                answered_at=moment,
            )
            repository.add(session, current)
            saved[answer.skill_id] = current
            continue
        current.level = level
        current.cant_judge = answer.cant_judge
        current.answered_at = moment
    if submit:
        missing = [skill for skill in participant.skill_ids if skill not in saved]
        if missing:
            names = repository.skill_names(session, missing)
            raise InvalidInputError(
                'Answer every skill (a level or "can\'t judge") before submitting.',
                [Problem(NO_ANSWER, column=names.get(skill, str(skill))) for skill in missing],
            )
        task.status = "submitted"
        task.submitted_at = moment
    else:
        task.status = "in_progress" if saved else "pending"
    task.saved_at = moment
    session.flush()
    fresh = repository.task_row(session, task.id)
    assert fresh is not None
    return _task_detail(session, fresh, _today(moment))


def submit_task(
    session: Session, *, viewer: Viewer, task_id: int, now: datetime | None = None
) -> TaskDetail:
    """Complete the viewer's own task as saved so far (every skill needs an answer)."""
    return save_answers(session, viewer=viewer, task_id=task_id, answers=(), submit=True, now=now)


# Reminders and notifications


def due_reminders(session: Session, now: datetime) -> list[DueReminder]:
    """The reminders due at `now`: one per campaign, rater and step of the schedule, for raters
    with unfinished tasks in open campaigns, leaving out steps already sent."""
    rows = repository.unfinished_tasks_of_open_campaigns(session)
    tasks = [
        OpenTask(
            task_id=task_id,
            campaign_id=campaign_id,
            rater_id=rater_id,
            deadline=deadline,
            launched_on=_today(launched_at) if launched_at is not None else deadline,
            schedule=ReminderSchedule(tuple(reminder_days), every),
        )
        for task_id, campaign_id, rater_id, deadline, launched_at, reminder_days, every in rows
    ]
    sent = repository.sent_steps(session, {task.campaign_id for task in tasks})
    return due_reminders_of(tasks, today=_today(now), sent=sent)


def send_reminders(session: Session, *, now: datetime | None = None) -> int:
    """Record the reminders due now as in-app notifications (no e-mail); returns how many were
    sent. Safe to run any number of times: a step is recorded once per campaign and rater."""
    moment = now or utcnow()
    due = due_reminders(session, moment)
    return repository.insert_notifications(
        session,
        [
            {
                "campaign_id": reminder.campaign_id,
                "recipient_id": reminder.rater_id,
                "kind": "overdue" if reminder.step.overdue else "reminder",
                "step": reminder.step.key,
                "open_tasks": len(reminder.task_ids),
                "sent_at": moment,
            }
            for reminder in due
        ],
    )


def notifications(session: Session, *, viewer: Viewer) -> list[NotificationRead]:
    """The viewer's latest campaign notifications, newest first."""
    if viewer.employee_id is None:
        return []
    rows = repository.notifications_of(session, viewer.employee_id, limit=NOTIFICATIONS_SHOWN)
    return [
        NotificationRead(
            id=note.id,
            campaign=TaskCampaign(
                id=campaign.id,
                name=campaign.name,
                status=campaign.status,
                deadline=campaign.deadline,
            ),
            kind=note.kind,
            step=note.step,
            days_before=int(note.step.removeprefix(BEFORE_PREFIX))
            if note.step.startswith(BEFORE_PREFIX)
            else None,
            open_tasks=note.open_tasks,
            sent_at=note.sent_at,
            read_at=note.read_at,
        )
        for note, campaign in rows
    ]


def mark_notifications_read(
    session: Session, *, viewer: Viewer, now: datetime | None = None
) -> int:
    """Mark the viewer's unread notifications as read; returns how many."""
    if viewer.employee_id is None:
        return 0
    return repository.mark_notifications_read(session, viewer.employee_id, now or utcnow())


# Pulse


def month_of(day: date) -> date:
    """The first day of a day's month (the key of a pulse)."""
    return day.replace(day=1)


def _pulse_employee(viewer: Viewer) -> int:
    if viewer.employee_id is None:
        raise ForbiddenError("Only employees answer the skills pulse.")
    return viewer.employee_id


def pulse(session: Session, *, viewer: Viewer, now: datetime | None = None) -> PulseRead:
    """This month's pulse for the viewer: the skills offered (role profile first), the answer
    so far, and the last months' answers."""
    employee_id = _pulse_employee(viewer)
    month = month_of(_today(now or utcnow()))
    current = repository.pulse_of(session, employee_id, month)
    used = repository.pulse_skill_ids(session, current.id) if current is not None else set()
    options = repository.pulse_skill_options(
        session, employee_id=employee_id, role_id=repository.employee_role_id(session, employee_id)
    )
    history = repository.pulse_history(session, employee_id, limit=PULSE_HISTORY_MONTHS + 1)
    return PulseRead(
        month=month,
        answered_at=current.answered_at if current is not None else None,
        options=[
            PulseOption(
                skill=SkillRef(id=skill_id, name=name), in_role=in_role, used=skill_id in used
            )
            for skill_id, name, in_role in options
        ],
        history=[
            PulseMonth(
                month=past.month,
                skills=[SkillRef(id=i, name=n) for i, n in skills],
                answered_at=past.answered_at,
            )
            for past, skills in history
            if past.month != month
        ][:PULSE_HISTORY_MONTHS],
    )


def answer_pulse(
    session: Session,
    *,
    viewer: Viewer,
    skill_ids: Sequence[int],
    now: datetime | None = None,
) -> PulseRead:
    """Record (or replace) this month's answer: the skills the viewer used, among those
    offered. A usage signal only: it adds no evidence and moves no level (ADR 0007)."""
    employee_id = _pulse_employee(viewer)
    moment = now or utcnow()
    month = month_of(_today(moment))
    offered = {
        skill_id
        for skill_id, _name, _in_role in repository.pulse_skill_options(
            session,
            employee_id=employee_id,
            role_id=repository.employee_role_id(session, employee_id),
        )
    }
    wanted = list(dict.fromkeys(skill_ids))
    problems = [
        Problem(NOT_OFFERED, column="skill_ids", value=str(skill_id))
        for skill_id in wanted
        if skill_id not in offered
    ]
    if problems:
        raise InvalidInputError(NOT_VALID, problems)
    current = repository.pulse_of(session, employee_id, month)
    if current is None:
        current = SkillPulse(employee_id=employee_id, month=month, answered_at=moment)
        repository.add(session, current)
    current.answered_at = moment
    repository.replace_pulse_skills(session, current.id, wanted)
    return pulse(session, viewer=viewer, now=moment)


def pulse_summary(
    session: Session, *, viewer: Viewer, month: date | None = None, now: datetime | None = None
) -> PulseSummary:
    """The organisation's pulse for a month (default: this one): respondents and the skills
    used most. HR administrators and executives only."""
    if not viewer.sees_everyone:
        raise ForbiddenError("Only HR administrators and executives see the pulse results.")
    chosen = month_of(month) if month is not None else month_of(_today(now or utcnow()))
    respondents, rows = repository.pulse_summary(session, chosen, limit=TOP_PULSE_SKILLS)
    return PulseSummary(
        month=chosen,
        respondents=respondents,
        top_skills=[
            SkillUse(skill=SkillRef(id=skill_id, name=name), people=int(people))
            for skill_id, name, people in rows
        ],
    )
