"""The application lifecycle of the internal marketplace (rules in docs/mobility.md).

The person's side — only ever on their own record (`viewer` is the person): save, "not
interested" (dismiss), express interest, apply (with a note, optionally shared with their
manager), withdraw. Only open opportunities take saves, interest and applications; applying
twice changes nothing; a dismissed opportunity is kept as a `dismissed` row, which the
recommendations leave out.

Who sees an interest or application (saved and dismissed rows are the person's alone):

- the person;
- the opportunity's owner (the hiring manager or gig owner) and everyone above the owner in the
  reporting line, as a recruiter would;
- HR administrators;
- the person's current (direct) manager only when the person shared it
  (`shared_with_manager`), and for a gig selection waiting for their approval. Being above the
  person gives no access by itself: a manager who is also in the owner's reporting line sees the
  application *as the owner's line* (`seen_as="owner_line"`), whether shared or not, exactly as
  any other manager above the owner would.
- Executives see aggregate counts only (`pipeline_summary`), no names — unless they are also in
  the owner's reporting line, where they see applicants like any manager above the owner.

Everyone else is told the application does not exist (NotFoundError); someone who may see the
opportunity but not act on it is told so (ForbiddenError).

The owner's side (owner, owner's line, HR): the applicants, then shortlist, contact, decline
(with a note to the person) and select. Selecting someone for a gig, project, stretch assignment
or mentoring offer opens an approval for the person's current manager (`decide_gig`, or HR),
under a cap on the share of time in gigs (`GIG_TIME_CAP`). Filling a role internally
(`fill_internally`) records the move in the person's history, fills the opening and declines
the other open applicants. No switch lets a manager hide a person from the marketplace.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta

from sqlalchemy.orm import Session

from skillpath.core.clock import today as utc_today
from skillpath.core.clock import utcnow
from skillpath.core.errors import (
    ConflictError,
    ForbiddenError,
    InvalidInputError,
    NotFoundError,
    Problem,
)
from skillpath.domains.identity import service as identity
from skillpath.domains.identity.visibility import Viewer
from skillpath.domains.mobility import applications_repository as repository
from skillpath.domains.mobility import service as matching
from skillpath.domains.mobility.application_schemas import (
    MAX_NOTE,
    ApplicantRead,
    FillResult,
    GigApprovalRead,
    MyApplication,
    OpportunityRef,
    PipelineCount,
    SeenAs,
    SharedApplication,
)
from skillpath.domains.mobility.models import INTEREST_STATUSES, Opportunity, OpportunityInterest
from skillpath.domains.people.models import Employee, Move, Role
from skillpath.domains.people.schemas import PersonRef

GIG_TIME_CAP = 0.2
"""The largest share of a working week a person may spend in approved, unfinished gigs,
projects, stretch assignments and mentoring offers together (the web layer passes the
`SKILLPATH_GIG_TIME_CAP` setting instead)."""
PERSON_STATUSES = ("saved", "dismissed", "interested", "applied", "withdrawn")
OWNER_STATUSES = ("shortlisted", "contacted", "declined", "selected")
BEFORE_APPLYING = ("saved", "dismissed", "interested", "withdrawn")
"""Statuses from which the person may save, dismiss, express interest or apply."""
APPLIED = ("applied", "shortlisted", "contacted", "selected")
"""An application under way (applying again changes nothing)."""
ACTIVE = ("interested", *APPLIED)
"""Interest or an application still open: withdrawable, and declined when the role is filled."""
SEEN_BY_OWNER = (*ACTIVE, "declined", "withdrawn")
"""What the owner's side lists: never a private save or dismissal."""
OWNER_FROM: dict[str, tuple[str, ...]] = {
    "shortlisted": ("interested", "applied", "shortlisted", "contacted"),
    "contacted": ("interested", "applied", "shortlisted", "contacted"),
    "selected": ("applied", "shortlisted", "contacted", "selected"),
    "declined": (*ACTIVE, "declined"),
}
"""From which statuses the owner may move an applicant to each status."""
FILLED_NOTE = "The role has been filled."
"""The note other open applicants get when a role is filled internally."""
EPSILON = 1e-9

NOT_VALID = "Some of the values sent are not valid."
NOTE_TOO_LONG = "is longer than 2,000 characters"
BAD_PERSON_STATUS = "must be saved, dismissed, interested, applied or withdrawn"
BAD_OWNER_STATUS = "must be shortlisted, contacted, declined or selected"
NOT_SHARED = "only interest and applications can be shared with the manager"
IN_THE_FUTURE = "must not be in the future: record the move on the day it happens"
BEFORE_OPENING = "must not be before the role was opened"
REFUSAL_NEEDS_NOTE = "say why in a note"
BAD_CAP = "must be above 0 and at most 1"


def _refused(reason: str, column: str, value: object = None) -> InvalidInputError:
    shown = None if value is None else str(value)
    return InvalidInputError(NOT_VALID, [Problem(reason, column=column, value=shown)])


def _note(text: str, column: str = "note") -> str:
    note = text.strip()
    if len(note) > MAX_NOTE:
        raise _refused(NOTE_TOO_LONG, column)
    return note


def _user_id(viewer: Viewer) -> int | None:
    return viewer.user_id if viewer.user_id > 0 else None


def _name(person: Employee) -> str:
    return f"{person.first_name} {person.last_name}"


def _audit(
    session: Session,
    viewer: Viewer,
    *,
    action: str,
    entity_type: str,
    entity_id: int,
    summary: str,
    details: dict[str, object],
) -> None:
    identity.record_audit(
        session,
        actor=viewer.email,
        actor_user_id=_user_id(viewer),
        action=action,
        entity_type=entity_type,
        entity_id=str(entity_id),
        summary=summary,
        details=details,
    )


def _opportunity_ref(opportunity: Opportunity) -> OpportunityRef:
    return OpportunityRef(
        id=opportunity.id,
        title=opportunity.title,
        kind=opportunity.kind,
        status=opportunity.status,
        time_share=opportunity.time_share,
        starts_on=opportunity.starts_on,
        duration_weeks=opportunity.duration_weeks,
    )


def _my_application(interest: OpportunityInterest, opportunity: Opportunity) -> MyApplication:
    return MyApplication(
        id=interest.id,
        opportunity=_opportunity_ref(opportunity),
        status=interest.status,
        note=interest.note,
        shared_with_manager=interest.shared_with_manager,
        score=interest.score,
        applied_at=interest.applied_at,
        owner_note=interest.owner_note,
        approval=interest.approval,
        approval_note=interest.approval_note,
        updated_at=interest.updated_at,
    )


def _applicant(interest: OpportunityInterest, person: Employee, seen_as: SeenAs) -> ApplicantRead:
    return ApplicantRead(
        interest_id=interest.id,
        opportunity_id=interest.opportunity_id,
        employee=PersonRef(id=person.id, name=_name(person)),
        status=interest.status,
        note=interest.note,
        applied_at=interest.applied_at,
        score=interest.score,
        shared_with_manager=interest.shared_with_manager,
        owner_note=interest.owner_note,
        approval=interest.approval,
        approval_note=interest.approval_note,
        seen_as=seen_as,
    )


# Who the viewer is to an opportunity and an application


def _owner_side(session: Session, viewer: Viewer, opportunity: Opportunity) -> SeenAs | None:
    """How the viewer may act for the opportunity's owner: as the owner, as a manager above
    the owner, as HR — or None."""
    me = viewer.employee_id
    owner = opportunity.owner_id
    if me is not None and owner is not None:
        if me == owner:
            return "owner"
        if repository.is_above(session, manager_id=me, employee_id=owner):
            return "owner_line"
    if viewer.can_administer:
        return "hr"
    return None


def _visible_opportunity(session: Session, viewer: Viewer, opportunity_id: int) -> Opportunity:
    """The opportunity, when the viewer may know it: an open one is public to every employee;
    a draft, filled or closed one only to its owner's side, HR and executives, whoever posted
    it, and the people who have an interest in it."""
    opportunity = repository.opportunity_by_id(session, opportunity_id)
    if opportunity is None:
        raise NotFoundError("No such opportunity.")
    if opportunity.status != "open" and not viewer.sees_everyone:
        posted_by_viewer = viewer.user_id > 0 and opportunity.posted_by_id == viewer.user_id
        involved = (
            viewer.employee_id is not None
            and repository.interest_of(
                session, opportunity_id=opportunity.id, employee_id=viewer.employee_id
            )
            is not None
        )
        if (
            not posted_by_viewer
            and not involved
            and _owner_side(session, viewer, opportunity) is None
        ):
            raise NotFoundError("No such opportunity.")
    return opportunity


def _owner_opportunity(
    session: Session, viewer: Viewer, opportunity_id: int
) -> tuple[Opportunity, SeenAs]:
    opportunity = _visible_opportunity(session, viewer, opportunity_id)
    seen_as = _owner_side(session, viewer, opportunity)
    if seen_as is None:
        raise ForbiddenError(
            "Only the opportunity's owner, the managers above them and HR see its applicants."
        )
    return opportunity, seen_as


def seen_as(
    session: Session, *, viewer: Viewer, interest: OpportunityInterest, opportunity: Opportunity
) -> SeenAs | None:
    """Why the viewer may see a person's interest or application, or None when they may not.

    The owner's side comes before the person's manager: a manager who is also above the owner
    sees it as the owner's line whether it was shared or not. The person's own manager sees it
    otherwise only when shared, or when a gig selection waits for their approval. Saves and
    dismissals are the person's alone."""
    me = viewer.employee_id
    if me is not None and me == interest.employee_id:
        return "self"
    if interest.status not in SEEN_BY_OWNER:
        return None
    side = _owner_side(session, viewer, opportunity)
    if side is not None:
        return side
    if me is None:
        return None
    person = repository.employee_by_id(session, interest.employee_id)
    if person is None or person.manager_id != me:
        return None
    if interest.shared_with_manager:
        return "manager"
    if interest.approval is not None and interest.status == "selected":
        return "approver"
    return None


# The person's side


def _person_of(session: Session, viewer: Viewer, day: date) -> Employee:
    if viewer.employee_id is None:
        raise ForbiddenError("Only a user linked to an employee record can do this.")
    person = repository.employee_by_id(session, viewer.employee_id)
    if person is None:
        raise ForbiddenError("Only a user linked to an employee record can do this.")
    if person.left_on is not None and person.left_on <= day:
        raise ConflictError("This person has left the organisation.")
    return person


def _require_open(opportunity: Opportunity, day: date, *, applying: bool) -> None:
    if opportunity.status != "open":
        raise ConflictError(
            f"This opportunity is {opportunity.status}: it takes no saves, interest or "
            "applications."
        )
    if applying and opportunity.closes_on is not None and day > opportunity.closes_on:
        raise ConflictError(
            f"Applications closed on {opportunity.closes_on.isoformat()} for this opportunity."
        )


def _match_score(session: Session, employee_id: int, opportunity_id: int) -> float | None:
    """The person's match score for the opportunity when they apply (None when the matching
    service cannot score the pair)."""
    score = matching.match_score(session, employee_id, opportunity_id)
    return None if score is None else float(score)


def _already(status: str, target: str) -> ConflictError:
    if status == "declined":
        return ConflictError("This application was declined; it cannot be changed any more.")
    return ConflictError(
        f"You have applied (status {status}): withdraw the application before marking it {target}."
    )


def set_interest(
    session: Session,
    *,
    viewer: Viewer,
    opportunity_id: int,
    status: str,
    note: str = "",
    share_with_manager: bool | None = None,
    today: date | None = None,
) -> MyApplication:
    """The person's own step on an opportunity — `saved`, `dismissed` (not interested),
    `interested`, `applied` or `withdrawn` — on their own record only.

    Saving, interest and applying need an open opportunity (applying also before `closes_on`);
    dismissing and withdrawing do not. Saving, dismissing and interest are possible before
    applying or after withdrawing; once applied, withdraw first. Applying again while an
    application is under way changes nothing but an explicit `share_with_manager`; a declined
    application is final. `share_with_manager` None keeps the current choice (not shared for a
    new row). The match score is stored when the person applies."""
    day = today or utc_today()
    if status not in PERSON_STATUSES:
        raise _refused(BAD_PERSON_STATUS, "status", status)
    text = _note(note)
    if share_with_manager and status in ("saved", "dismissed"):
        raise _refused(NOT_SHARED, "share_with_manager", share_with_manager)
    person = _person_of(session, viewer, day)
    opportunity = _visible_opportunity(session, viewer, opportunity_id)
    if opportunity.owner_id == person.id and status in ("interested", "applied"):
        raise ForbiddenError("You own this opportunity: you cannot apply to it.")
    interest = repository.interest_of(session, opportunity_id=opportunity.id, employee_id=person.id)
    current = interest.status if interest is not None else None
    if status in ("saved", "interested", "applied"):
        _require_open(opportunity, day, applying=status != "saved")
    if status == "withdrawn":
        if current not in (*ACTIVE, "withdrawn"):
            raise ConflictError("There is no interest or application to withdraw.")
        if opportunity.filled_by_id == person.id:
            raise ConflictError("You were moved into this role: it cannot be withdrawn.")
    elif status == "applied":
        if current == "declined":
            raise _already("declined", status)
    elif current is not None and current not in BEFORE_APPLYING:
        raise _already(current, status)

    changed = current != status and not (status == "applied" and current in APPLIED)
    if interest is None:
        interest = OpportunityInterest(
            opportunity_id=opportunity.id,
            employee_id=person.id,
            status=status,
            note="",
            owner_note="",
            approval_note="",
            shared_with_manager=False,
        )
        repository.add(session, interest)
    if changed:
        interest.status = status
        if status == "applied":
            interest.applied_at = utcnow()
            interest.score = _match_score(session, person.id, opportunity.id)
        elif status != "withdrawn":
            # Back to before applying: the owner may contact them, not select them.
            interest.applied_at = None
            interest.score = None
        if status in ("interested", "applied", "withdrawn") and text:
            interest.note = text
    if share_with_manager is not None and status not in ("saved", "dismissed"):
        changed = changed or interest.shared_with_manager != share_with_manager
        interest.shared_with_manager = share_with_manager
    if changed:
        _audit(
            session,
            viewer,
            action=f"opportunity_interest.{status}",
            entity_type="opportunity_interest",
            entity_id=interest.id,
            summary=f"{status} — {opportunity.title}",
            details={
                "opportunity_id": opportunity.id,
                "employee_id": person.id,
                "from": current,
                "shared_with_manager": interest.shared_with_manager,
            },
        )
    session.flush()
    return _my_application(interest, opportunity)


def save(
    session: Session, *, viewer: Viewer, opportunity_id: int, today: date | None = None
) -> MyApplication:
    """Keep an open opportunity for later (visible to the person only)."""
    return set_interest(
        session, viewer=viewer, opportunity_id=opportunity_id, status="saved", today=today
    )


def dismiss(
    session: Session, *, viewer: Viewer, opportunity_id: int, today: date | None = None
) -> MyApplication:
    """ "Not interested": the recommendations leave the opportunity out from now on."""
    return set_interest(
        session, viewer=viewer, opportunity_id=opportunity_id, status="dismissed", today=today
    )


def express_interest(
    session: Session,
    *,
    viewer: Viewer,
    opportunity_id: int,
    note: str = "",
    share_with_manager: bool | None = None,
    today: date | None = None,
) -> MyApplication:
    """Tell the owner one is interested, short of applying."""
    return set_interest(
        session,
        viewer=viewer,
        opportunity_id=opportunity_id,
        status="interested",
        note=note,
        share_with_manager=share_with_manager,
        today=today,
    )


def apply(
    session: Session,
    *,
    viewer: Viewer,
    opportunity_id: int,
    note: str = "",
    share_with_manager: bool | None = None,
    today: date | None = None,
) -> MyApplication:
    """Apply (idempotent while the application is under way); not shared with the current
    manager unless `share_with_manager`."""
    return set_interest(
        session,
        viewer=viewer,
        opportunity_id=opportunity_id,
        status="applied",
        note=note,
        share_with_manager=share_with_manager,
        today=today,
    )


def withdraw(
    session: Session,
    *,
    viewer: Viewer,
    opportunity_id: int,
    note: str = "",
    today: date | None = None,
) -> MyApplication:
    """Withdraw one's interest or application (also after being selected, until moved)."""
    return set_interest(
        session,
        viewer=viewer,
        opportunity_id=opportunity_id,
        status="withdrawn",
        note=note,
        today=today,
    )


def my_applications(
    session: Session, *, viewer: Viewer, statuses: Collection[str] | None = None
) -> list[MyApplication]:
    """The viewer's own interests and applications (all statuses, or some), most recently
    changed first, with the opportunity's title, kind and status."""
    if viewer.employee_id is None:
        return []
    if statuses is not None:
        unknown = sorted(set(statuses) - set(INTEREST_STATUSES))
        if unknown:
            raise _refused("is not a status of an interest", "status", ", ".join(unknown))
    rows = repository.interests_of_employee(
        session, employee_id=viewer.employee_id, statuses=statuses
    )
    return [_my_application(interest, opportunity) for interest, opportunity in rows]


def shared_with_me(session: Session, *, viewer: Viewer) -> list[SharedApplication]:
    """The interest and applications the viewer's direct reports chose to share with them."""
    if viewer.employee_id is None:
        return []
    rows = repository.shared_with_manager(
        session, manager_id=viewer.employee_id, statuses=SEEN_BY_OWNER
    )
    return [
        SharedApplication(
            interest_id=interest.id,
            employee=PersonRef(id=person.id, name=_name(person)),
            opportunity=_opportunity_ref(opportunity),
            status=interest.status,
            note=interest.note,
            applied_at=interest.applied_at,
        )
        for interest, opportunity, person in rows
    ]


def pipeline_summary(session: Session, *, viewer: Viewer) -> list[PipelineCount]:
    """How many interests of each status exist per kind of opportunity — the executives' (and
    HR's) read-only view, with no names."""
    if not viewer.sees_everyone:
        raise ForbiddenError("Only HR administrators and executives see the marketplace totals.")
    rows = repository.pipeline_counts(session, statuses=INTEREST_STATUSES)
    return [PipelineCount(kind=kind, status=status, count=int(n)) for kind, status, n in rows]


# The owner's side


def applicants(session: Session, *, viewer: Viewer, opportunity_id: int) -> list[ApplicantRead]:
    """The people interested in or applying to an opportunity (and those declined or
    withdrawn), earliest application first, with status, note, applied date and match score.

    For the owner, the managers above the owner and HR; never saves or dismissals."""
    opportunity, side = _owner_opportunity(session, viewer, opportunity_id)
    rows = repository.applicants_of(session, opportunity_id=opportunity.id, statuses=SEEN_BY_OWNER)
    return [
        _applicant(interest, person, "self" if person.id == viewer.employee_id else side)
        for interest, person in rows
    ]


def _has_applied(interest: OpportunityInterest) -> bool:
    """Whether the person applied and has not withdrawn (someone only interested may be
    shortlisted or contacted, but not selected)."""
    return interest.applied_at is not None and interest.status in APPLIED


def _cap(value: float) -> float:
    if not 0.0 < value <= 1.0:
        raise _refused(BAD_CAP, "gig_time_cap", value)
    return value


def _unfinished(starts_on: date | None, duration_weeks: int | None, day: date) -> bool:
    """Whether a gig still takes time on a day: no start or duration known counts as ongoing;
    it ends `duration_weeks` after it starts."""
    if starts_on is None or duration_weeks is None:
        return True
    return starts_on + timedelta(weeks=duration_weeks) > day


def gig_time_share(
    session: Session, *, employee_id: int, today: date | None = None, exclude: int | None = None
) -> float:
    """The share of a working week a person spends in approved, unfinished gigs, projects,
    stretch assignments and mentoring offers (selected, approval given, opportunity not closed
    and not over), leaving out the interest `exclude`."""
    day = today or utc_today()
    rows = repository.approved_commitments(
        session, employee_id=employee_id, exclude_interest_id=exclude
    )
    return float(
        sum(share for _, share, starts_on, weeks in rows if _unfinished(starts_on, weeks, day))
    )


def _check_cap(
    session: Session,
    *,
    person: Employee,
    opportunity: Opportunity,
    interest_id: int,
    cap: float,
    day: date,
) -> float:
    """The person's current share of time in gigs; ConflictError naming the cap and that
    share when the opportunity would take them above the cap."""
    current = gig_time_share(session, employee_id=person.id, today=day, exclude=interest_id)
    total = current + opportunity.time_share
    if total > cap + EPSILON:
        raise ConflictError(
            f"Joining “{opportunity.title}” ({opportunity.time_share:.0%} of the week) would "
            f"bring {_name(person)} to {total:.0%} of their time in gigs and projects, above the "
            f"cap of {cap:.0%}: they are at {current:.0%} now."
        )
    return current


def decide_applicant(
    session: Session,
    *,
    viewer: Viewer,
    opportunity_id: int,
    employee_id: int,
    status: str,
    note: str = "",
    gig_time_cap: float = GIG_TIME_CAP,
    today: date | None = None,
) -> ApplicantRead:
    """The owner's step on an applicant: `shortlisted`, `contacted` (also for someone only
    interested), `selected` (an application is needed) or `declined` (with a note the person
    sees).

    Selecting someone for a gig, project, stretch assignment or mentoring offer opens an
    approval for their current manager, and is refused when it would take them above the cap
    on the share of time in gigs. The opportunity must be open (a decline also when closed)."""
    day = today or utc_today()
    if status not in OWNER_STATUSES:
        raise _refused(BAD_OWNER_STATUS, "status", status)
    text = _note(note)
    cap = _cap(gig_time_cap)
    opportunity, side = _owner_opportunity(session, viewer, opportunity_id)
    if viewer.employee_id is not None and viewer.employee_id == employee_id:
        raise ForbiddenError("You cannot decide on your own application.")
    interest = repository.interest_of(
        session, opportunity_id=opportunity.id, employee_id=employee_id
    )
    person = repository.employee_by_id(session, employee_id)
    if interest is None or person is None or interest.status not in SEEN_BY_OWNER:
        raise NotFoundError("No such applicant.")
    allowed_states = ("open", "closed") if status == "declined" else ("open",)
    if opportunity.status not in allowed_states:
        raise ConflictError(f"This opportunity is {opportunity.status}: its applicants are final.")
    current = interest.status
    if status == "selected" and not _has_applied(interest):
        raise ConflictError(f"{_name(person)} has not applied: only applicants are selected.")
    if current not in OWNER_FROM[status]:
        raise ConflictError(f"This applicant is {current}: they cannot be {status} now.")
    if current == status:
        return _applicant(interest, person, side)
    if status == "selected" and opportunity.kind != "role":
        _check_cap(
            session,
            person=person,
            opportunity=opportunity,
            interest_id=interest.id,
            cap=cap,
            day=day,
        )
        interest.approval = "pending"
        interest.approved_by_id = None
        interest.approval_note = ""
    interest.status = status
    if text or status == "declined":
        interest.owner_note = text
    _audit(
        session,
        viewer,
        action=f"opportunity_interest.{status}",
        entity_type="opportunity_interest",
        entity_id=interest.id,
        summary=f"{status} {_name(person)} — {opportunity.title}",
        details={
            "opportunity_id": opportunity.id,
            "employee_id": person.id,
            "from": current,
            "as": side,
        },
    )
    session.flush()
    return _applicant(interest, person, side)


def shortlist(
    session: Session, *, viewer: Viewer, opportunity_id: int, employee_id: int, note: str = ""
) -> ApplicantRead:
    """Put an applicant (or an interested person) on the shortlist."""
    return decide_applicant(
        session,
        viewer=viewer,
        opportunity_id=opportunity_id,
        employee_id=employee_id,
        status="shortlisted",
        note=note,
    )


def contact(
    session: Session, *, viewer: Viewer, opportunity_id: int, employee_id: int, note: str = ""
) -> ApplicantRead:
    """Record that the owner got in touch with the person."""
    return decide_applicant(
        session,
        viewer=viewer,
        opportunity_id=opportunity_id,
        employee_id=employee_id,
        status="contacted",
        note=note,
    )


def decline(
    session: Session, *, viewer: Viewer, opportunity_id: int, employee_id: int, note: str = ""
) -> ApplicantRead:
    """Decline an applicant, with a note the person sees."""
    return decide_applicant(
        session,
        viewer=viewer,
        opportunity_id=opportunity_id,
        employee_id=employee_id,
        status="declined",
        note=note,
    )


def select(
    session: Session,
    *,
    viewer: Viewer,
    opportunity_id: int,
    employee_id: int,
    note: str = "",
    gig_time_cap: float = GIG_TIME_CAP,
    today: date | None = None,
) -> ApplicantRead:
    """Select an applicant: for a role, the one to fill it with; for a gig, a participant
    (pending their manager's approval, within the time cap)."""
    return decide_applicant(
        session,
        viewer=viewer,
        opportunity_id=opportunity_id,
        employee_id=employee_id,
        status="selected",
        note=note,
        gig_time_cap=gig_time_cap,
        today=today,
    )


# Filling a role internally


def move_kind(current: Role | None, target: Role) -> str:
    """The kind of a move into `target`: `reskill` when both roles name a family and the
    families differ (whatever the levels), otherwise by `Role.level` — `promotion` when higher,
    `lateral` when equal, `demotion` when lower; `transfer` when the person had no role."""
    if current is None:
        return "transfer"
    here, there = current.family.strip().casefold(), target.family.strip().casefold()
    if here and there and here != there:
        return "reskill"
    if target.level > current.level:
        return "promotion"
    if target.level == current.level:
        return "lateral"
    return "demotion"


def fill_internally(
    session: Session,
    *,
    viewer: Viewer,
    opportunity_id: int,
    employee_id: int,
    on: date,
    today: date | None = None,
) -> FillResult:
    """Fill an open role with an internal applicant, on the day they move.

    The owner's side may fill it with someone who applied (applied, shortlisted, contacted or
    selected); HR may also fill it directly with someone who did not apply (a redeployment
    agreed elsewhere). Records a `Move` (kind from `move_kind`) in the person's history, gives
    them the role (and the opportunity's org unit and location, else the opening's), fills the
    linked opening (internal) and the opportunity, marks the person selected, declines the other
    open applicants, audits, and returns the time-to-fill in days: from the opening's
    `opened_on` (else the day the opportunity was published, else created) to `on`. `on` may not
    be in the future (the person's record changes now) nor before that start."""
    day = today or utc_today()
    opportunity, side = _owner_opportunity(session, viewer, opportunity_id)
    if opportunity.kind != "role":
        raise ConflictError(
            "Only roles are filled internally: people join gigs and projects by selection."
        )
    if opportunity.status != "open":
        raise ConflictError(
            f"This opportunity is {opportunity.status}: only open roles are filled."
        )
    if viewer.employee_id is not None and viewer.employee_id == employee_id:
        raise ForbiddenError("You cannot fill a role with yourself.")
    interest = repository.interest_of(
        session, opportunity_id=opportunity.id, employee_id=employee_id
    )
    applied = interest is not None and _has_applied(interest)
    person = repository.employee_by_id(session, employee_id)
    if person is None or (not applied and not viewer.can_administer):
        if interest is not None and interest.status in SEEN_BY_OWNER and person is not None:
            raise ConflictError(
                f"{_name(person)} is {interest.status}: only someone who applied can be moved "
                "into the role (HR can fill it directly)."
            )
        raise NotFoundError("No such applicant.")
    if person.left_on is not None and person.left_on <= on:
        raise ConflictError(f"{_name(person)} has left the organisation.")
    opening = (
        repository.opening_by_id(session, opportunity.opening_id)
        if opportunity.opening_id is not None
        else None
    )
    if opening is not None and opening.status != "open":
        raise ConflictError(f"The opening is {opening.status} already.")
    role_id = opportunity.role_id or (opening.role_id if opening is not None else None)
    role = repository.role_by_id(session, role_id) if role_id is not None else None
    if role is None:
        raise ConflictError("This opportunity names no role to move into.")
    if opening is not None:
        start = opening.opened_on
    elif opportunity.published_at is not None:
        start = opportunity.published_at.date()
    else:
        start = opportunity.created_at.date()
    if on > day:
        raise _refused(IN_THE_FUTURE, "on", on.isoformat())
    if on < start:
        raise _refused(f"{BEFORE_OPENING} ({start.isoformat()})", "on", on.isoformat())
    if person.role_id == role.id:
        raise ConflictError(f"{_name(person)} already holds the role {role.title}.")
    if repository.move_exists(session, employee_id=person.id, moved_on=on, to_role_id=role.id):
        raise ConflictError(f"{_name(person)}'s history already has this move on {on.isoformat()}.")

    current_role = (
        repository.role_by_id(session, person.role_id) if person.role_id is not None else None
    )
    kind = move_kind(current_role, role)
    unit_id = opportunity.org_unit_id or (opening.org_unit_id if opening is not None else None)
    location_id = opportunity.location_id or (opening.location_id if opening is not None else None)
    move = Move(
        employee_id=person.id,
        moved_on=on,
        kind=kind,
        from_role_id=person.role_id,
        to_role_id=role.id,
        from_unit_id=person.org_unit_id,
        to_unit_id=unit_id if unit_id is not None else person.org_unit_id,
        opening_id=opening.id if opening is not None else None,
    )
    repository.add(session, move)
    before = {
        "role_id": person.role_id,
        "org_unit_id": person.org_unit_id,
        "location_id": person.location_id,
        "manager_id": person.manager_id,
    }
    person.role_id = role.id
    person.job_title = role.title
    # The hiring manager (the opportunity's owner, else the opening's) becomes the manager.
    new_manager = opportunity.owner_id or (
        opening.hiring_manager_id if opening is not None else None
    )
    if new_manager is not None and new_manager != person.id:
        person.manager_id = new_manager
    if unit_id is not None:
        person.org_unit_id = unit_id
    if location_id is not None:
        person.location_id = location_id
    if opening is not None:
        opening.status = "filled"
        opening.filled_on = on
        opening.filled_by_id = person.id
        opening.fill_source = "internal"
    opportunity.status = "filled"
    opportunity.filled_on = on
    opportunity.filled_by_id = person.id
    if interest is None:
        interest = OpportunityInterest(
            opportunity_id=opportunity.id,
            employee_id=person.id,
            status="selected",
            note="",
            owner_note="",
            approval_note="",
            shared_with_manager=False,
        )
        repository.add(session, interest)
    else:
        interest.status = "selected"
    others = repository.others_with_status(
        session, opportunity_id=opportunity.id, employee_id=person.id, statuses=ACTIVE
    )
    for other in others:
        other.status = "declined"
        other.owner_note = FILLED_NOTE
    time_to_fill = (on - start).days
    _audit(
        session,
        viewer,
        action="opportunity.fill",
        entity_type="opportunity",
        entity_id=opportunity.id,
        summary=f"filled {opportunity.title} internally with {_name(person)}",
        details={
            "employee_id": person.id,
            "opening_id": opening.id if opening is not None else None,
            "filled_on": on.isoformat(),
            "time_to_fill_days": time_to_fill,
            "direct": not applied,
            "declined": [other.employee_id for other in others],
            "as": side,
        },
    )
    _audit(
        session,
        viewer,
        action="employee.move",
        entity_type="employee",
        entity_id=person.id,
        summary=f"{kind} to {role.title} on {on.isoformat()}",
        details={
            "move_id": move.id,
            "kind": kind,
            "before": before,
            "after": {
                "role_id": person.role_id,
                "org_unit_id": person.org_unit_id,
                "location_id": person.location_id,
            },
            "opportunity_id": opportunity.id,
        },
    )
    session.flush()
    return FillResult(
        opportunity_id=opportunity.id,
        employee_id=person.id,
        move_id=move.id,
        move_kind=kind,
        from_role_id=move.from_role_id,
        to_role_id=role.id,
        opening_id=move.opening_id,
        filled_on=on,
        time_to_fill_days=time_to_fill,
        declined=len(others),
    )


# Gig approvals


def _approval_read(
    session: Session,
    interest: OpportunityInterest,
    opportunity: Opportunity,
    person: Employee,
    cap: float,
    day: date,
) -> GigApprovalRead:
    return GigApprovalRead(
        interest_id=interest.id,
        employee=PersonRef(id=person.id, name=_name(person)),
        opportunity=_opportunity_ref(opportunity),
        approval=interest.approval,
        approval_note=interest.approval_note,
        current_share=gig_time_share(
            session, employee_id=person.id, today=day, exclude=interest.id
        ),
        cap=cap,
    )


def gig_approvals(
    session: Session,
    *,
    viewer: Viewer,
    gig_time_cap: float = GIG_TIME_CAP,
    today: date | None = None,
) -> list[GigApprovalRead]:
    """Gig selections waiting for the viewer's approval: their direct reports' (HR:
    everyone's), oldest first, with each person's current share of time in gigs."""
    day = today or utc_today()
    cap = _cap(gig_time_cap)
    if viewer.can_administer:
        manager_id = None
    elif viewer.employee_id is not None:
        manager_id = viewer.employee_id
    else:
        return []
    rows = repository.pending_approvals(session, manager_id=manager_id)
    return [
        _approval_read(session, interest, opportunity, person, cap, day)
        for interest, opportunity, person in rows
        if person.id != viewer.employee_id
    ]


def decide_gig(
    session: Session,
    *,
    viewer: Viewer,
    interest_id: int,
    approve: bool,
    note: str = "",
    gig_time_cap: float = GIG_TIME_CAP,
    today: date | None = None,
) -> GigApprovalRead:
    """The current manager's (or HR's) decision on a person joining a gig they were selected
    for: approve (checked again against the cap) or refuse (with a note). A refusal keeps the
    person selected but not joined; it does not hide them from anything else."""
    day = today or utc_today()
    text = _note(note)
    cap = _cap(gig_time_cap)
    interest = repository.interest_by_id(session, interest_id)
    if interest is None:
        raise NotFoundError("No such gig approval.")
    opportunity = repository.opportunity_by_id(session, interest.opportunity_id)
    person = repository.employee_by_id(session, interest.employee_id)
    if opportunity is None or person is None:
        raise NotFoundError("No such gig approval.")
    is_manager = viewer.employee_id is not None and person.manager_id == viewer.employee_id
    if not (is_manager or viewer.can_administer) or viewer.employee_id == person.id:
        if seen_as(session, viewer=viewer, interest=interest, opportunity=opportunity) is None:
            raise NotFoundError("No such gig approval.")
        raise ForbiddenError("Only the person's current manager or HR decide on joining a gig.")
    if interest.status != "selected" or interest.approval != "pending":
        state = interest.approval or interest.status
        raise ConflictError(f"There is no approval waiting here (it is {state}).")
    if not approve and not text:
        raise _refused(REFUSAL_NEEDS_NOTE, "note")
    if approve:
        _check_cap(
            session,
            person=person,
            opportunity=opportunity,
            interest_id=interest.id,
            cap=cap,
            day=day,
        )
    interest.approval = "approved" if approve else "refused"
    interest.approved_by_id = _user_id(viewer)
    interest.approval_note = text
    _audit(
        session,
        viewer,
        action=f"opportunity_interest.{interest.approval}",
        entity_type="opportunity_interest",
        entity_id=interest.id,
        summary=f"{interest.approval} {_name(person)} joining {opportunity.title}",
        details={"opportunity_id": opportunity.id, "employee_id": person.id},
    )
    session.flush()
    return _approval_read(session, interest, opportunity, person, cap, day)
