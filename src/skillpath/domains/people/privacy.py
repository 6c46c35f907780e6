"""A person's right of access and right to erasure (docs/privacy.md).

**Export**: everything the database holds that names the person — every row of every table with
a column pointing at them (found from the schema, so tables added later are included), their user
account without its password, and the audit events about them — as one JSON document. The person
themself and HR administrators may export it.

**Erasure** (HR administrators, for people who have left): the person's record is pseudonymised
(name, e-mail, job title, free text and languages removed; the external id replaced) so that the
organisation's aggregates (headcount, moves, fills, departures) stay true; rows that describe the
person (evidence about them, profiles, intents, assessments, paths, applications, enrolments,
completions, ratings, engagement answers, notifications) are deleted; where the person acted on
others (a rating they gave, a decision, a mentorship, an opportunity they owned) the reference to
them is removed and the other person's data kept; their user account is closed and its API tokens
deleted. Every column that points at a person has a rule (`ERASURE`), and a test fails when a new
one has none. The erasure itself is written to the audit log, without the erased name.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from sqlalchemy.orm import Session

from skillpath.core.clock import today as utc_today
from skillpath.core.errors import ConflictError, ForbiddenError, InvalidInputError, NotFoundError
from skillpath.core.errors import Problem as InputProblem
from skillpath.domains.identity import service as identity
from skillpath.domains.identity.visibility import Viewer
from skillpath.domains.people import privacy_repository, repository
from skillpath.domains.people.models import Employee
from skillpath.domains.people.privacy_repository import person_columns

Rule = Literal["delete", "detach", "keep"]
"""delete: the row describes the person; detach: the row is someone else's, the reference to the
person is set to NULL; keep: the row is kept as it is (it points at the pseudonymised record)."""

ERASURE: dict[tuple[str, str], Rule] = {
    ("employee", "manager_id"): "detach",
    ("app_user", "employee_id"): "detach",
    ("completion", "employee_id"): "delete",
    ("departure", "employee_id"): "keep",
    ("employee_skill", "employee_id"): "delete",
    ("engagement_score", "employee_id"): "delete",
    ("opening", "hiring_manager_id"): "detach",
    ("opening", "filled_by_id"): "keep",
    ("performance_rating", "employee_id"): "delete",
    ("performance_rating", "rated_by_id"): "detach",
    ("skill_evidence", "employee_id"): "delete",
    ("skill_evidence", "rater_id"): "detach",
    ("skill_intent", "employee_id"): "delete",
    ("skill_pulse", "employee_id"): "delete",
    ("ai_suggestion", "employee_id"): "delete",
    ("move", "employee_id"): "keep",
    ("opportunity", "owner_id"): "detach",
    ("opportunity", "filled_by_id"): "keep",
    ("validation_request", "employee_id"): "delete",
    ("validation_request", "decided_by_id"): "detach",
    ("campaign_notification", "recipient_id"): "delete",
    ("campaign_participant", "employee_id"): "delete",
    ("mentoring_enrolment", "employee_id"): "delete",
    ("mentoring_enrolment", "preferred_mentor_id"): "detach",
    ("opportunity_interest", "employee_id"): "delete",
    ("opportunity_notification", "recipient_id"): "delete",
    ("campaign_task", "subject_id"): "delete",
    ("campaign_task", "rater_id"): "delete",
    ("learning_path", "employee_id"): "delete",
    ("mentoring_match", "mentor_id"): "detach",
    ("mentoring_checkin", "author_id"): "detach",
    ("mentoring_match_member", "employee_id"): "delete",
    ("path_step", "mentor_id"): "detach",
}
"""What erasure does with each column that points at a person (table, column)."""


def _person(session: Session, employee_id: int) -> Employee:
    person = repository.employee_by_id(session, employee_id)
    if person is None:
        raise NotFoundError("No such person.")
    return person


def export_person(session: Session, *, viewer: Viewer, employee_id: int) -> dict[str, Any]:
    """Everything held about a person (themself or HR), as JSON-ready data."""
    if viewer.employee_id != employee_id and not viewer.can_administer:
        raise NotFoundError("No such person.")
    person = _person(session, employee_id)
    employee_table = privacy_repository.table("employee")
    data: dict[str, Any] = {
        "exported_at": datetime.now().astimezone().isoformat(),
        "employee": privacy_repository.rows(
            session, employee_table, employee_table.c.id == person.id
        )[0],
        "records": {},
    }
    for table, column in person_columns():
        found = privacy_repository.rows(session, table, table.c[column] == person.id)
        if found:
            data["records"][f"{table.name}.{column}"] = found
    audit = privacy_repository.table("audit_event")
    users = [user.id for user in privacy_repository.accounts_of(session, person.id)]
    if users:
        data["records"]["audit_event.actor_user_id"] = privacy_repository.rows(
            session, audit, audit.c.actor_user_id.in_(users)
        )
    about = privacy_repository.rows(
        session,
        audit,
        (audit.c.entity_type == "employee") & (audit.c.entity_id == str(person.id)),
    )
    if about:
        data["records"]["audit_event.about"] = about
    identity.record_audit(
        session,
        actor=viewer.email,
        actor_user_id=viewer.user_id,
        action="person.export",
        entity_type="employee",
        entity_id=str(person.id),
        summary="exported the personal data of a person",
    )
    return data


def erase_person(
    session: Session,
    *,
    viewer: Viewer,
    employee_id: int,
    confirm: str,
    today: date | None = None,
) -> dict[str, int]:
    """Erase a person who has left (HR only; `confirm` must be their external id). Returns the
    rows deleted, detached and kept per rule, all in the caller's transaction."""
    if not viewer.can_administer:
        raise ForbiddenError("Only HR administrators erase personal data.")
    day = today or utc_today()
    person = _person(session, employee_id)
    if confirm.strip() != person.external_id:
        raise InvalidInputError(
            "The erasure is not confirmed.",
            [InputProblem("type the person's external id to confirm", column="confirm")],
        )
    if person.left_on is None or person.left_on > day:
        raise ConflictError("Only people who have left are erased; close the record first.")
    if person.first_name == "Erased" and person.external_id.startswith("erased-"):
        raise ConflictError("This person was erased already.")
    counts = {"deleted": 0, "detached": 0, "kept": 0}
    columns = person_columns()
    missing = [f"{t.name}.{c}" for t, c in columns if (t.name, c) not in ERASURE]
    if missing:
        raise RuntimeError(f"no erasure rule for {', '.join(missing)}")
    accounts = privacy_repository.accounts_of(session, person.id)
    for table, column in columns:
        rule = ERASURE[(table.name, column)]
        if rule == "delete":
            counts["deleted"] += privacy_repository.delete_pointing_at(
                session, table, column, person.id
            )
    for table, column in columns:
        rule = ERASURE[(table.name, column)]
        if rule == "detach":
            counts["detached"] += privacy_repository.detach(session, table, column, person.id)
        elif rule == "keep":
            counts["kept"] += privacy_repository.count_pointing_at(
                session, table, column, person.id
            )
    for user in accounts:
        privacy_repository.delete_tokens(session, user.id)
        user.email = f"erased-{person.id}@erased.invalid"
        user.password_hash = None
        user.active = False
    person.first_name = "Erased"
    person.last_name = f"person {person.id}"
    person.name_lower = f"erased person {person.id}"
    person.email = None
    person.job_title = ""
    person.profile_text = ""
    person.languages = []
    person.external_id = f"erased-{person.id}"
    identity.record_audit(
        session,
        actor=viewer.email,
        actor_user_id=viewer.user_id,
        action="person.erase",
        entity_type="employee",
        entity_id=str(person.id),
        summary="erased the personal data of a person who has left",
        details=dict(counts),
    )
    return counts
