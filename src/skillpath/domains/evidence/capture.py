"""Use cases of evidence capture: self-ratings, manager ratings, peer endorsements, HR evidence,
intents and the managers' validation queue (rules in docs/capture.md).

Who may write what about a person (the source follows from who writes, never from input alone):

- the person themselves → `self` evidence, and a validation request for their manager;
- anyone whose reporting line includes the person → `manager` evidence (rater = them);
- a teammate — a current colleague in the same org unit or with the same manager, not their
  own manager — who asks to endorse (source `peer`) → `peer` evidence (rater = them);
  endorsing does not open the colleague's profile, and a plain rating of a teammate is refused
  (403), so that it cannot pass for a manager's rating;
- an HR administrator → `assessment`, `certification`, `learning` or `project` evidence, naming
  the source;
- anyone else: a person they cannot see is "not found" (404), one they can see is "forbidden".

Every write is checked completely before anything is written, appended as dated evidence,
audited, and followed by a refresh of the person's consolidated profile, all in the caller's
transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from skillpath.core.clock import as_utc, utcnow
from skillpath.core.errors import (
    ConflictError,
    ForbiddenError,
    InvalidInputError,
    NotFoundError,
    Problem,
)
from skillpath.core.levels import DEFAULT_SCALE, DisplayScale
from skillpath.domains.evidence import capture_repository as repository
from skillpath.domains.evidence import service
from skillpath.domains.evidence.capture_repository import ValidationRow
from skillpath.domains.evidence.engine.fingerprint import evidence_fingerprint
from skillpath.domains.evidence.models import (
    EVIDENCE_SOURCES,
    INTENTS,
    SkillEvidence,
    SkillIntent,
    ValidationRequest,
)
from skillpath.domains.evidence.profile_schemas import (
    MAX_NOTE,
    IntentRead,
    PersonName,
    Relation,
    Teammate,
    ValidationRead,
)
from skillpath.domains.evidence.schemas import EvidenceRead, RaterRef
from skillpath.domains.identity import service as identity
from skillpath.domains.identity.visibility import Viewer
from skillpath.domains.people.models import Employee
from skillpath.domains.taxonomy.models import Skill
from skillpath.domains.taxonomy.schemas import SkillRef

CAPTURED_CONFIDENCE = 0.8
"""The confidence of a rating given in Skillpath: a deliberate statement; how much it counts
against other evidence is the source's reliability in the consolidation policy."""
HR_SOURCES = ("assessment", "certification", "learning", "project")
SOURCE_OF_RELATION: dict[str, str] = {"self": "self", "manager": "manager", "peer": "peer"}
DECISION_STATUS = {"approve": "approved", "adjust": "adjusted", "decline": "declined"}
QUEUE_STATES = {
    "pending": ("pending",),
    "worked": ("approved", "adjusted", "declined"),
    "all": ("pending", "approved", "adjusted", "declined"),
}
NOT_VALID = "Some of the values sent are not valid."
# Reasons of refused values, literal so that the pages can list them for translation
# (web/pages/evidence.py PROBLEM_REASONS); the refused value travels with each problem.
GROUP_OF_SKILLS = "is a group of skills: rate one of the skills in it"
LEVEL_MISSING = "give a level (0–1) or a display level"
LEVEL_TWICE = "give either a level (0–1) or a display level, not both"
OUTSIDE_UNIT_INTERVAL = "must be between 0 and 1"
OUTSIDE_DISPLAY_SCALE = "is not a level of the display scale"
NOTE_TOO_LONG = "is longer than 2,000 characters"
ITEM_MISSING = "a learning completion names the item completed"
ITEM_DOES_NOT_TEACH = "this learning item does not teach this skill"
ITEM_NOT_LEARNING = "only learning completions name a learning item"
BAD_CONFIDENCE = "must be above 0 and at most 1"
NOT_BACKDATABLE = "only HR evidence can be dated in the past"
IN_THE_FUTURE = "must not be in the future"
ONLY_CERTIFICATIONS_EXPIRE = "only certifications expire"
EXPIRES_TOO_EARLY = "must be after the day it was observed"
COMMENT_NEEDED = "say why in a comment"
APPROVAL_KEEPS_LEVEL = "an approval keeps the self-rated level: adjust to change it"
NOTHING_CHOSEN = "choose at least one self-rating"
BAD_DECISION = "must be approve, adjust or decline"
BAD_SOURCE = "is not a source of evidence"
BAD_INTENT = "must be have, develop or not_now"
BAD_QUEUE_STATUS = "must be pending, worked or all"


def _refused(reason: str, column: str, value: object = None) -> InvalidInputError:
    """One refused value (the reason is translated where it is shown)."""
    shown = None if value is None else str(value)
    return InvalidInputError(NOT_VALID, [Problem(reason, column=column, value=shown)])


# Who the viewer is to a person


def relation_to(
    session: Session, *, viewer: Viewer, employee: Employee, today: date
) -> Relation | None:
    """How the viewer relates to a person: self, manager (the person is in their reporting
    line), peer (a current teammate), viewer (sees everyone: HR, executives), or None."""
    me = viewer.employee_id
    if me is not None:
        if me == employee.id:
            return "self"
        if repository.in_reporting_line(session, manager_id=me, employee_id=employee.id):
            return "manager"
        if repository.are_teammates(session, employee_id=me, other_id=employee.id, today=today):
            return "peer"
    if viewer.sees_everyone:
        return "viewer"
    return None


def _person(session: Session, employee_id: int) -> Employee:
    employee = repository.employee_by_id(session, employee_id)
    if employee is None:
        raise NotFoundError("No such person.")
    return employee


def _ratable_skill(session: Session, skill_id: int) -> Skill:
    skill = repository.skill_by_id(session, skill_id)
    if skill is None:
        raise NotFoundError("No such skill.")
    if skill.kind == "group":
        raise _refused(GROUP_OF_SKILLS, "skill_id", skill_id)
    return skill


def level_from(*, level: float | None, display_level: float | None, scale: DisplayScale) -> float:
    """The latent level of an input given either as `level` (0–1) or as `display_level` on the
    display scale; InvalidInputError when neither, both, or out of range."""
    if level is None and display_level is None:
        raise _refused(LEVEL_MISSING, "level")
    if level is not None and display_level is not None:
        raise _refused(LEVEL_TWICE, "level")
    if level is not None:
        if not 0.0 <= level <= 1.0:
            raise _refused(OUTSIDE_UNIT_INTERVAL, "level", level)
        return float(level)
    assert display_level is not None
    try:
        return scale.to_latent(display_level)
    except ValueError:
        raise _refused(OUTSIDE_DISPLAY_SCALE, "display_level", display_level) from None


def _note(text: str, column: str = "note") -> str:
    note = text.strip()
    if len(note) > MAX_NOTE:
        raise _refused(NOTE_TOO_LONG, column)
    return note


def _active(employee: Employee, today: date) -> None:
    if employee.left_on is not None and employee.left_on <= today:
        raise ConflictError("This person has left; their skills profile is closed.")


# Evidence


@dataclass(frozen=True)
class Captured:
    """A piece of evidence just written, and the validation request it opened (if any)."""

    evidence: EvidenceRead
    validation_request_id: int | None


def _source_for(
    session: Session, *, viewer: Viewer, relation: Relation | None, source: str | None
) -> str:
    """The source of new evidence from who writes it (and the source HR names)."""
    if source is not None and source not in EVIDENCE_SOURCES:
        raise _refused(BAD_SOURCE, "source", source)
    if source in HR_SOURCES:
        if not viewer.can_administer:
            raise ForbiddenError(
                "Only HR administrators can record assessments, certifications, completions "
                "and project evidence."
            )
        return source
    derived = SOURCE_OF_RELATION.get(relation or "")
    if derived == "peer" and source is None:
        # Endorsing is its own act: a plain rating of someone outside one's reporting line is
        # refused, even of a teammate, so that it cannot pass for a manager's rating.
        raise ForbiddenError(
            "You can rate only yourself and people in your reporting line; to endorse a "
            "teammate, send the source peer."
        )
    if derived is None:
        raise ForbiddenError(
            "You can rate yourself, people in your reporting line and endorse your teammates; "
            "HR administrators record assessments and certifications."
        )
    if source is not None and source != derived:
        raise ForbiddenError("The source of a rating follows from who gives it.")
    return derived


def record_evidence(
    session: Session,
    *,
    viewer: Viewer,
    employee_id: int,
    skill_id: int,
    level: float | None = None,
    display_level: float | None = None,
    scale: DisplayScale = DEFAULT_SCALE,
    source: str | None = None,
    confidence: float | None = None,
    observed_at: datetime | None = None,
    expires_on: date | None = None,
    item_id: int | None = None,
    note: str = "",
    ip: str = "",
    now: datetime | None = None,
) -> Captured:
    """Write one piece of evidence about a person, as the viewer may (see the module docstring),
    refresh their profile and return it; nothing is written when anything is refused."""
    moment = as_utc(now) if now is not None else utcnow()
    today = moment.date()
    employee = _person(session, employee_id)
    relation = relation_to(session, viewer=viewer, employee=employee, today=today)
    if relation is None:
        raise NotFoundError("No such person.")
    chosen = _source_for(session, viewer=viewer, relation=relation, source=source)
    skill = _ratable_skill(session, skill_id)
    if chosen == "learning":
        if item_id is None:
            raise _refused(ITEM_MISSING, "item_id")
        taught = repository.level_taught(session, item_id=item_id, skill_id=skill.id)
        if taught is None:
            raise _refused(ITEM_DOES_NOT_TEACH, "item_id", item_id)
        if level is None and display_level is None:
            level = taught
    elif item_id is not None:
        raise _refused(ITEM_NOT_LEARNING, "item_id", item_id)
    value = level_from(level=level, display_level=display_level, scale=scale)
    if confidence is not None and not 0.0 < confidence <= 1.0:
        raise _refused(BAD_CONFIDENCE, "confidence", confidence)
    observed = moment
    if observed_at is not None:
        if chosen not in HR_SOURCES:
            raise _refused(NOT_BACKDATABLE, "observed_at")
        observed = as_utc(observed_at)
        if observed > moment:
            raise _refused(IN_THE_FUTURE, "observed_at", observed.isoformat())
    if expires_on is not None:
        if chosen != "certification":
            raise _refused(ONLY_CERTIFICATIONS_EXPIRE, "expires_on")
        if expires_on <= observed.date():
            raise _refused(EXPIRES_TOO_EARLY, "expires_on", expires_on)
    text = _note(note)
    _active(employee, today)
    rater_id = viewer.employee_id if chosen in SOURCE_OF_RELATION else None
    evidence = _write_evidence(
        session,
        employee_id=employee.id,
        skill_id=skill.id,
        source=chosen,
        rater_id=rater_id,
        level=value,
        confidence=confidence if confidence is not None else CAPTURED_CONFIDENCE,
        observed_at=observed,
        expires_on=expires_on,
        item_id=item_id,
        note=text,
    )
    request_id = None
    if chosen == "self":
        request_id = _open_validation(session, employee=employee, evidence=evidence, now=moment)
    identity.record_audit(
        session,
        actor=viewer.email,
        actor_user_id=viewer.user_id,
        action=f"evidence.{chosen}",
        entity_type="employee",
        entity_id=str(employee.id),
        summary=f"{chosen} evidence: skill {skill.id} at {value:.2f}",
        details={
            "evidence_id": evidence.id,
            "skill_id": skill.id,
            "source": chosen,
            "level": value,
            "validation_request_id": request_id,
        },
        ip=ip,
    )
    service.refresh_profiles(session, employee_ids=[employee.id], now=moment)
    rater = (
        RaterRef(id=rater_id, name=repository.names_of(session, [rater_id]).get(rater_id, ""))
        if rater_id is not None
        else None
    )
    read = EvidenceRead(
        id=evidence.id,
        skill=SkillRef(id=skill.id, name=skill.name),
        source=chosen,
        rater=rater,
        level=value,
        display_level=scale.from_latent(value),
        display_label=scale.label(value),
        confidence=evidence.confidence,
        observed_at=evidence.observed_at,
        note=evidence.note,
    )
    return Captured(evidence=read, validation_request_id=request_id)


def _write_evidence(
    session: Session,
    *,
    employee_id: int,
    skill_id: int,
    source: str,
    rater_id: int | None,
    level: float,
    confidence: float,
    observed_at: datetime,
    expires_on: date | None,
    item_id: int | None,
    note: str,
) -> SkillEvidence:
    """Append a piece of evidence with its fingerprint."""
    fingerprint = evidence_fingerprint(
        employee_id=employee_id,
        skill_id=skill_id,
        source=source,
        rater_id=rater_id,
        level=level,
        confidence=confidence,
        observed_at=observed_at,
        expires_on=expires_on,
        note=note,
    )
    return repository.add_evidence(
        session,
        SkillEvidence(
            fingerprint=fingerprint,
            employee_id=employee_id,
            skill_id=skill_id,
            source=source,
            rater_id=rater_id,
            level=level,
            confidence=confidence,
            observed_at=observed_at,
            expires_on=expires_on,
            item_id=item_id,
            note=note,
            recorded_at=utcnow(),
        ),
    )


def _open_validation(
    session: Session, *, employee: Employee, evidence: SkillEvidence, now: datetime
) -> int | None:
    """Supersede the person's pending request for the skill and open a new one for their
    manager (none when nobody manages them)."""
    for older in repository.pending_requests(
        session, employee_id=employee.id, skill_id=evidence.skill_id
    ):
        older.status = "superseded"
        older.decided_at = now
    if employee.manager_id is None:
        session.flush()
        return None
    request = ValidationRequest(
        employee_id=employee.id,
        skill_id=evidence.skill_id,
        evidence_id=evidence.id,
        level=evidence.level,
        status="pending",
        requested_at=now,
        comment="",
    )
    repository.add(session, request)
    return request.id


def evidence_list(
    session: Session,
    *,
    viewer: Viewer,
    employee_id: int,
    skill_id: int | None = None,
    source: str | None = None,
    limit: int = 50,
    offset: int = 0,
    scale: DisplayScale = DEFAULT_SCALE,
) -> tuple[list[EvidenceRead], int]:
    """A person's evidence (the viewer must see them: 404 otherwise), newest first."""
    if not repository.can_see(session, viewer=viewer, employee_id=employee_id):
        raise NotFoundError("No such person.")
    if source is not None and source not in EVIDENCE_SOURCES:
        raise _refused(BAD_SOURCE, "source", source)
    rows, total = repository.evidence_page(
        session,
        viewer=viewer,
        employee_id=employee_id,
        skill_id=skill_id,
        source=source,
        limit=limit,
        offset=offset,
    )
    reads = []
    for row in rows:
        read = service.evidence_read(row)
        reads.append(
            read.model_copy(
                update={
                    "display_level": scale.from_latent(read.level),
                    "display_label": scale.label(read.level),
                }
            )
        )
    return reads, total


# Intents


def intent_read(intent: SkillIntent, skill_name: str) -> IntentRead:
    """The read shape of an intent."""
    return IntentRead(
        skill=SkillRef(id=intent.skill_id, name=skill_name),
        intent=intent.intent,
        updated_at=intent.updated_at,
    )


def intents(session: Session, *, viewer: Viewer, employee_id: int) -> list[IntentRead]:
    """A person's intents (the viewer must see them: 404 otherwise), A to Z by skill."""
    if not repository.can_see(session, viewer=viewer, employee_id=employee_id):
        raise NotFoundError("No such person.")
    return [intent_read(row, name) for row, name in repository.intents_of(session, employee_id)]


def set_intent(
    session: Session,
    *,
    viewer: Viewer,
    employee_id: int,
    skill_id: int,
    intent: str,
    ip: str = "",
    now: datetime | None = None,
) -> IntentRead:
    """Set what a person wants to do with a skill; only the person may."""
    moment = as_utc(now) if now is not None else utcnow()
    if not repository.can_see(session, viewer=viewer, employee_id=employee_id):
        raise NotFoundError("No such person.")
    if viewer.employee_id != employee_id:
        raise ForbiddenError("Only the person can say what they want to do with a skill.")
    if intent not in INTENTS:
        raise _refused(BAD_INTENT, "intent", intent)
    skill = _ratable_skill(session, skill_id)
    row = repository.intent_of(session, employee_id=employee_id, skill_id=skill.id)
    before = row.intent if row is not None else None
    if row is None:
        row = SkillIntent(
            employee_id=employee_id, skill_id=skill.id, intent=intent, updated_at=moment
        )
        repository.add(session, row)
    elif row.intent != intent:
        row.intent = intent
        row.updated_at = moment
        session.flush()
    if before != intent:
        identity.record_audit(
            session,
            actor=viewer.email,
            actor_user_id=viewer.user_id,
            action="intent.set",
            entity_type="employee",
            entity_id=str(employee_id),
            summary=f"intent for skill {skill.id}: {intent}",
            details={"skill_id": skill.id, "intent": intent, "before": before},
            ip=ip,
        )
    return intent_read(row, skill.name)


# The validation queue


def validation_read(
    row: ValidationRow,
    *,
    current: dict[tuple[int, int], float],
    names: dict[int, str],
    scale: DisplayScale,
) -> ValidationRead:
    """The read shape of a validation request."""
    request, first, last, skill_name, note = row
    decided_by = (
        PersonName(id=request.decided_by_id, name=names.get(request.decided_by_id, ""))
        if request.decided_by_id is not None
        else None
    )
    return ValidationRead(
        id=request.id,
        employee=PersonName(id=request.employee_id, name=f"{first} {last}"),
        skill=SkillRef(id=request.skill_id, name=skill_name),
        level=request.level,
        display_level=scale.from_latent(request.level),
        display_label=scale.label(request.level),
        note=note,
        status=request.status,
        requested_at=request.requested_at,
        current_level=current.get((request.employee_id, request.skill_id)),
        decided_at=request.decided_at,
        decided_by=decided_by,
        decided_level=request.decided_level,
        comment=request.comment,
    )


def _reads(
    session: Session, rows: Sequence[ValidationRow], scale: DisplayScale
) -> list[ValidationRead]:
    current = repository.current_levels(
        session, [(row[0].employee_id, row[0].skill_id) for row in rows]
    )
    names = repository.names_of(
        session, [row[0].decided_by_id for row in rows if row[0].decided_by_id is not None]
    )
    return [validation_read(row, current=current, names=names, scale=scale) for row in rows]


def validation_queue(
    session: Session,
    *,
    viewer: Viewer,
    status: str = "pending",
    limit: int = 50,
    offset: int = 0,
    scale: DisplayScale = DEFAULT_SCALE,
    today: date | None = None,
) -> tuple[list[ValidationRead], int]:
    """Self-ratings of the viewer's current direct reports: pending ones oldest first (they stay
    until worked), or the worked ones, or all."""
    states = QUEUE_STATES.get(status)
    if states is None:
        raise _refused(BAD_QUEUE_STATUS, "status", status)
    if viewer.employee_id is None:
        return [], 0
    rows, total = repository.validation_queue(
        session,
        manager_id=viewer.employee_id,
        statuses=states,
        today=today or utcnow().date(),
        limit=limit,
        offset=offset,
    )
    return _reads(session, rows, scale), total


def pending_count(session: Session, *, viewer: Viewer, today: date | None = None) -> int:
    """How many self-ratings wait for the viewer's decision."""
    if viewer.employee_id is None:
        return 0
    return repository.count_pending_for_manager(
        session, manager_id=viewer.employee_id, today=today or utcnow().date()
    )


def pending_count_of_manager(
    session: Session, *, manager_id: int | None, today: date | None = None
) -> int:
    """How many self-ratings wait for a manager's decision (0 without an employee record)."""
    if manager_id is None:
        return 0
    return repository.count_pending_for_manager(
        session, manager_id=manager_id, today=today or utcnow().date()
    )


def my_requests(
    session: Session, *, viewer: Viewer, limit: int = 20, scale: DisplayScale = DEFAULT_SCALE
) -> list[ValidationRead]:
    """The viewer's own recent self-ratings sent for validation, newest first."""
    if viewer.employee_id is None:
        return []
    rows = repository.requests_of_employee(
        session, employee_id=viewer.employee_id, statuses=QUEUE_STATES["all"], limit=limit
    )
    return _reads(session, rows, scale)


@dataclass(frozen=True)
class _Checked:
    request: ValidationRequest
    status: str
    level: float | None


def _check_decision(
    session: Session,
    *,
    viewer: Viewer,
    request: ValidationRequest,
    manager_id: int | None,
    left_on: date | None,
    decision: str,
    level: float | None,
    display_level: float | None,
    comment: str,
    scale: DisplayScale,
    today: date,
) -> _Checked:
    """Refuse a decision the viewer may not take or that is incomplete; nothing is written."""
    if viewer.employee_id is None or manager_id != viewer.employee_id:
        if repository.can_see(session, viewer=viewer, employee_id=request.employee_id):
            raise ForbiddenError("Only the person's manager can work this self-rating.")
        raise NotFoundError("No such validation request.")
    if request.status != "pending":
        raise ConflictError("This self-rating has already been worked.")
    if left_on is not None and left_on <= today:
        raise ConflictError("This person has left; their skills profile is closed.")
    status = DECISION_STATUS.get(decision)
    if status is None:
        raise _refused(BAD_DECISION, "decision", decision)
    if decision in ("adjust", "decline") and not comment:
        raise _refused(COMMENT_NEEDED, "comment")
    if decision == "approve":
        if level is not None or display_level is not None:
            raise _refused(APPROVAL_KEEPS_LEVEL, "level")
        return _Checked(request, status, request.level)
    if decision == "adjust":
        return _Checked(
            request, status, level_from(level=level, display_level=display_level, scale=scale)
        )
    return _Checked(request, status, None)


def _apply_decision(
    session: Session, *, viewer: Viewer, checked: _Checked, comment: str, ip: str, now: datetime
) -> None:
    """Write the manager evidence (approve, adjust) and close the request, audited."""
    request = checked.request
    evidence_id = None
    if checked.level is not None:
        assert viewer.employee_id is not None
        evidence = _write_evidence(
            session,
            employee_id=request.employee_id,
            skill_id=request.skill_id,
            source="manager",
            rater_id=viewer.employee_id,
            level=checked.level,
            confidence=CAPTURED_CONFIDENCE,
            observed_at=now,
            expires_on=None,
            item_id=None,
            note=comment,
        )
        evidence_id = evidence.id
    request.status = checked.status
    request.decided_at = now
    request.decided_by_id = viewer.employee_id
    request.decided_level = checked.level
    request.comment = comment
    request.decision_evidence_id = evidence_id
    session.flush()
    identity.record_audit(
        session,
        actor=viewer.email,
        actor_user_id=viewer.user_id,
        action=f"validation.{checked.status}",
        entity_type="employee",
        entity_id=str(request.employee_id),
        summary=f"self-rating of skill {request.skill_id} {checked.status}",
        details={
            "validation_request_id": request.id,
            "skill_id": request.skill_id,
            "self_level": request.level,
            "decided_level": checked.level,
            "evidence_id": evidence_id,
            "comment": comment,
        },
        ip=ip,
    )


def decide_validation(
    session: Session,
    *,
    viewer: Viewer,
    request_id: int,
    decision: str,
    level: float | None = None,
    display_level: float | None = None,
    comment: str = "",
    scale: DisplayScale = DEFAULT_SCALE,
    ip: str = "",
    now: datetime | None = None,
) -> ValidationRead:
    """Approve (manager evidence at the self-rated level), adjust (manager evidence at the given
    level, with a comment) or decline (a comment, no evidence) one self-rating; only the
    person's current manager may, once."""
    moment = as_utc(now) if now is not None else utcnow()
    found = repository.requests_by_ids(session, [request_id])
    if not found:
        raise NotFoundError("No such validation request.")
    request, manager_id, left_on = found[0]
    text = _note(comment, "comment")
    checked = _check_decision(
        session,
        viewer=viewer,
        request=request,
        manager_id=manager_id,
        left_on=left_on,
        decision=decision,
        level=level,
        display_level=display_level,
        comment=text,
        scale=scale,
        today=moment.date(),
    )
    _apply_decision(session, viewer=viewer, checked=checked, comment=text, ip=ip, now=moment)
    service.refresh_profiles(session, employee_ids=[request.employee_id], now=moment)
    return _reads(session, repository.validation_rows_by_ids(session, [request.id]), scale)[0]


def approve_many(
    session: Session,
    *,
    viewer: Viewer,
    request_ids: Sequence[int],
    comment: str = "",
    scale: DisplayScale = DEFAULT_SCALE,
    ip: str = "",
    now: datetime | None = None,
) -> list[ValidationRead]:
    """Approve several pending self-ratings at their self-rated levels: all of them, or none
    when any one is refused."""
    moment = as_utc(now) if now is not None else utcnow()
    wanted = list(dict.fromkeys(request_ids))
    if not wanted:
        raise _refused(NOTHING_CHOSEN, "ids")
    text = _note(comment, "comment")
    found = {row[0].id: row for row in repository.requests_by_ids(session, wanted)}
    checked = []
    for request_id in wanted:
        if request_id not in found:
            raise NotFoundError("No such validation request.")
        request, manager_id, left_on = found[request_id]
        checked.append(
            _check_decision(
                session,
                viewer=viewer,
                request=request,
                manager_id=manager_id,
                left_on=left_on,
                decision="approve",
                level=None,
                display_level=None,
                comment=text,
                scale=scale,
                today=moment.date(),
            )
        )
    for item in checked:
        _apply_decision(session, viewer=viewer, checked=item, comment=text, ip=ip, now=moment)
    employees = sorted({item.request.employee_id for item in checked})
    service.refresh_profiles(session, employee_ids=employees, now=moment)
    return _reads(session, repository.validation_rows_by_ids(session, wanted), scale)


# Endorsing


def teammates(session: Session, *, viewer: Viewer, today: date | None = None) -> list[Teammate]:
    """The colleagues the viewer may endorse: same org unit or same manager, still here."""
    if viewer.employee_id is None:
        return []
    rows = repository.teammates(
        session, employee_id=viewer.employee_id, today=today or utcnow().date()
    )
    return [
        Teammate(id=person_id, name=f"{first} {last}", role=title)
        for person_id, first, last, title in rows
    ]
