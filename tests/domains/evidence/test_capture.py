"""Evidence capture and the validation queue: who may rate whom, what becomes evidence, and that
refused input changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from skillpath.core.errors import (
    ConflictError,
    ForbiddenError,
    InvalidInputError,
    NotFoundError,
    SkillpathError,
)
from skillpath.domains.evidence import capture, profile_reads
from skillpath.domains.evidence.models import (
    EmployeeSkill,
    SkillEvidence,
    SkillIntent,
    ValidationRequest,
)
from skillpath.domains.identity.models import AuditEvent
from skillpath.domains.taxonomy.models import Skill
from tests.domains.evidence.capture_world import NOW, Org, build_org


@pytest.fixture
def org(session: Session) -> Org:
    """A small company with one user per person, plus an HR administrator without a record."""
    return build_org(session)


def _state(session: Session) -> tuple[Any, ...]:
    """Everything capture may change, to prove that a refusal changed nothing."""
    session.flush()
    return (
        session.scalar(select(func.count()).select_from(SkillEvidence)),
        tuple(session.execute(select(ValidationRequest.id, ValidationRequest.status)).all()),
        session.scalar(select(func.count()).select_from(AuditEvent)),
        tuple(
            session.execute(
                select(EmployeeSkill.employee_id, EmployeeSkill.skill_id, EmployeeSkill.level)
            ).all()
        ),
        tuple(session.execute(select(SkillIntent.skill_id, SkillIntent.intent)).all()),
    )


def _refused(
    session: Session, error: type[SkillpathError], action: Callable[[], object]
) -> SkillpathError:
    """Run an action that must be refused with `error` and check that it wrote nothing, not
    even a flushed row that a rollback would hide."""
    before = _state(session)
    with pytest.raises(error) as caught:
        action()
    assert _state(session) == before
    return caught.value


def _rate(session: Session, org: Org, who: str, whom: str, **kwargs: Any) -> capture.Captured:
    values: dict[str, Any] = {"skill_id": org.sql.id, "display_level": 3, "now": NOW}
    values.update(kwargs)
    return capture.record_evidence(
        session, viewer=org.viewers[who], employee_id=org.people[whom].id, **values
    )


def _level(session: Session, org: Org, whom: str, skill: Skill | None = None) -> EmployeeSkill:
    row = session.get(EmployeeSkill, (org.people[whom].id, (skill or org.sql).id))
    assert row is not None
    return row


def test_self_rating_is_self_evidence_and_opens_a_request_for_the_manager(
    session: Session, org: Org
) -> None:
    """Ann rates herself 4/5: self evidence with Ann as rater, a pending request in Max's queue,
    an audit event, and a consolidated level of 0.8."""
    captured = _rate(session, org, "ann", "ann", display_level=4, note="I write SQL daily")
    evidence = session.get(SkillEvidence, captured.evidence.id)
    assert evidence is not None
    assert (evidence.source, evidence.rater_id, evidence.level) == (
        "self",
        org.people["ann"].id,
        0.8,
    )
    assert evidence.observed_at == NOW
    assert captured.evidence.display_level == 4
    request = session.get(ValidationRequest, captured.validation_request_id)
    assert request is not None
    assert (request.status, request.level, request.evidence_id) == ("pending", 0.8, evidence.id)
    queue, total = capture.validation_queue(session, viewer=org.viewers["max"], today=NOW.date())
    assert total == 1
    assert queue[0].employee.name == "Ann Analyst"
    assert queue[0].note == "I write SQL daily"
    assert queue[0].current_level == pytest.approx(0.8)
    assert capture.pending_count(session, viewer=org.viewers["max"], today=NOW.date()) == 1
    assert capture.pending_count(session, viewer=org.viewers["boss"], today=NOW.date()) == 0
    assert _level(session, org, "ann").level == pytest.approx(0.8)
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "evidence.self")).one()
    assert event.entity_id == str(org.people["ann"].id)
    assert event.details["validation_request_id"] == request.id


def test_a_newer_self_rating_supersedes_the_pending_request(session: Session, org: Org) -> None:
    """Only the newest self-rating of a skill waits in the queue."""
    first = _rate(session, org, "ann", "ann", display_level=2)
    second = _rate(session, org, "ann", "ann", display_level=4, now=NOW + timedelta(hours=1))
    assert session.get(ValidationRequest, first.validation_request_id).status == "superseded"  # type: ignore[union-attr]
    queue, total = capture.validation_queue(session, viewer=org.viewers["max"], today=NOW.date())
    assert total == 1
    assert queue[0].id == second.validation_request_id


def test_nobody_to_validate_for_a_person_without_a_manager(session: Session, org: Org) -> None:
    """The boss's self-rating is evidence, but opens no request."""
    captured = _rate(session, org, "boss", "boss")
    assert captured.validation_request_id is None
    assert captured.evidence.source == "self"


def test_approve_writes_manager_evidence_at_the_self_rated_level(
    session: Session, org: Org
) -> None:
    """Approval: manager evidence at 0.8 with Max as rater; the request is closed and leaves
    the pending queue, and shows among the worked ones."""
    request_id = _rate(session, org, "ann", "ann", display_level=4).validation_request_id
    assert request_id is not None
    read = capture.decide_validation(
        session,
        viewer=org.viewers["max"],
        request_id=request_id,
        decision="approve",
        now=NOW + timedelta(hours=2),
    )
    assert (read.status, read.decided_level, read.decided_by.name) == (  # type: ignore[union-attr]
        "approved",
        0.8,
        "Max Manager",
    )
    request = session.get(ValidationRequest, request_id)
    assert request is not None
    manager_evidence = session.get(SkillEvidence, request.decision_evidence_id)
    assert manager_evidence is not None
    assert (manager_evidence.source, manager_evidence.rater_id, manager_evidence.level) == (
        "manager",
        org.people["max"].id,
        0.8,
    )
    assert capture.validation_queue(session, viewer=org.viewers["max"], today=NOW.date())[1] == 0
    worked, total = capture.validation_queue(
        session, viewer=org.viewers["max"], status="worked", today=NOW.date()
    )
    assert total == 1
    assert worked[0].status == "approved"
    assert (
        session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "validation.approved")
        )
        == 1
    )


def test_adjust_needs_a_level_and_a_comment(session: Session, org: Org) -> None:
    """Adjust without a comment or a level is refused and changes nothing; with both it writes
    manager evidence at the adjusted level and the consolidated level moves towards it."""
    request_id = _rate(session, org, "ann", "ann", display_level=5).validation_request_id
    assert request_id is not None
    max_ = org.viewers["max"]
    later = NOW + timedelta(hours=1)
    _refused(
        session,
        InvalidInputError,
        lambda: capture.decide_validation(
            session,
            viewer=max_,
            request_id=request_id,
            decision="adjust",
            display_level=2,
            now=later,
        ),
    )
    _refused(
        session,
        InvalidInputError,
        lambda: capture.decide_validation(
            session, viewer=max_, request_id=request_id, decision="adjust", comment="x", now=later
        ),
    )
    _refused(
        session,
        InvalidInputError,
        lambda: capture.decide_validation(
            session,
            viewer=max_,
            request_id=request_id,
            decision="adjust",
            display_level=7,
            comment="too high",
            now=later,
        ),
    )
    before = _level(session, org, "ann").level
    read = capture.decide_validation(
        session,
        viewer=max_,
        request_id=request_id,
        decision="adjust",
        display_level=2,
        comment="Solid basics; joins are next.",
        now=later,
    )
    assert (read.status, read.comment) == ("adjusted", "Solid basics; joins are next.")
    assert read.decided_level == pytest.approx(0.4)
    after = _level(session, org, "ann").level
    assert 0.4 < after < before == pytest.approx(1.0)


def test_decline_needs_a_comment_and_writes_no_evidence(session: Session, org: Org) -> None:
    """Decline: a comment is required; no manager evidence; the self-rating still counts."""
    request_id = _rate(session, org, "ann", "ann", display_level=5).validation_request_id
    assert request_id is not None
    _refused(
        session,
        InvalidInputError,
        lambda: capture.decide_validation(
            session, viewer=org.viewers["max"], request_id=request_id, decision="decline", now=NOW
        ),
    )
    read = capture.decide_validation(
        session,
        viewer=org.viewers["max"],
        request_id=request_id,
        decision="decline",
        comment="Let's look at it together first.",
        now=NOW,
    )
    assert read.status == "declined"
    assert read.decided_level is None
    sources = session.scalars(
        select(SkillEvidence.source).where(SkillEvidence.employee_id == org.people["ann"].id)
    ).all()
    assert sources == ["self"]
    assert _level(session, org, "ann").level == pytest.approx(1.0)


def test_only_the_current_manager_decides_and_only_once(session: Session, org: Org) -> None:
    """The skip-level boss sees Ann but may not work Max's queue (403); Oli cannot see Ann (404);
    Ann cannot validate herself, nor HR (403); a worked request cannot be worked again (409); an
    unknown decision is 422."""
    request_id = _rate(session, org, "ann", "ann").validation_request_id
    assert request_id is not None

    def decide(who: str, decision: str = "approve") -> Callable[[], object]:
        return lambda: capture.decide_validation(
            session, viewer=org.viewers[who], request_id=request_id, decision=decision, now=NOW
        )

    _refused(session, ForbiddenError, decide("boss"))
    _refused(session, NotFoundError, decide("oli"))
    _refused(session, ForbiddenError, decide("ann"))
    _refused(session, ForbiddenError, decide("hr"))
    _refused(session, InvalidInputError, decide("max", "rubber-stamp"))
    _refused(
        session,
        NotFoundError,
        lambda: capture.decide_validation(
            session, viewer=org.viewers["max"], request_id=10**9, decision="approve", now=NOW
        ),
    )
    decide("max")()
    _refused(session, ConflictError, decide("max"))


def test_bulk_approve_is_all_or_nothing(session: Session, org: Org) -> None:
    """One worked request in the batch refuses the whole batch; then the rest go through."""
    first = _rate(session, org, "ann", "ann").validation_request_id
    second = _rate(session, org, "bob", "bob", skill_id=org.tool.id).validation_request_id
    third = _rate(session, org, "bob", "bob").validation_request_id
    assert first is not None
    assert second is not None
    assert third is not None
    capture.decide_validation(
        session, viewer=org.viewers["max"], request_id=third, decision="approve", now=NOW
    )
    _refused(
        session,
        ConflictError,
        lambda: capture.approve_many(
            session, viewer=org.viewers["max"], request_ids=[first, third, second], now=NOW
        ),
    )
    reads = capture.approve_many(
        session, viewer=org.viewers["max"], request_ids=[first, second], now=NOW
    )
    assert [read.status for read in reads] == ["approved", "approved"]
    assert {read.employee.name for read in reads} == {"Ann Analyst", "Bob Builder"}


def test_managers_rate_their_reporting_line_directly(session: Session, org: Org) -> None:
    """Max rates Ann (manager evidence, no request); the boss rates Oli two levels down."""
    captured = _rate(session, org, "max", "ann", display_level=4)
    assert (captured.evidence.source, captured.evidence.rater.name) == (  # type: ignore[union-attr]
        "manager",
        "Max Manager",
    )
    assert captured.validation_request_id is None
    assert _rate(session, org, "boss", "oli").evidence.source == "manager"


def test_peers_endorse_teammates_without_seeing_their_profile(session: Session, org: Org) -> None:
    """Bob (same unit as Ann) endorses her: peer evidence with Bob as rater; he still cannot
    read her profile. A plain rating of a teammate is refused (it is no manager's rating), and
    Ann may not call her own rating a peer endorsement."""
    teammates = capture.teammates(session, viewer=org.viewers["bob"], today=NOW.date())
    assert [mate.name for mate in teammates] == ["Ann Analyst"]
    created = profile_reads.capture_evidence(
        session,
        viewer=org.viewers["bob"],
        employee_id=org.people["ann"].id,
        skill_id=org.sql.id,
        display_level=3,
        source="peer",
        now=NOW,
    )
    assert created.evidence.source == "peer"
    assert created.evidence.rater is not None
    assert created.evidence.rater.id == org.people["bob"].id
    assert created.skill is None
    with pytest.raises(NotFoundError):
        profile_reads.profile(session, viewer=org.viewers["bob"], employee_id=org.people["ann"].id)
    _refused(session, ForbiddenError, lambda: _rate(session, org, "ann", "ann", source="peer"))
    _refused(session, ForbiddenError, lambda: _rate(session, org, "bob", "ann"))
    _refused(session, ForbiddenError, lambda: _rate(session, org, "max", "ann", source="peer"))
    _refused(session, NotFoundError, lambda: _rate(session, org, "oli", "ann", source="peer"))
    # Max's peers are the boss's other direct reports: Sue.
    assert [m.name for m in capture.teammates(session, viewer=org.viewers["max"])] == ["Sue Sales"]


@pytest.mark.parametrize(
    ("who", "whom", "error"),
    [
        ("oli", "ann", NotFoundError),  # neither line nor team: cannot even see her
        ("max", "oli", NotFoundError),  # another manager's report
        ("ann", "max", NotFoundError),  # one's own manager
        ("hr", "ann", ForbiddenError),  # HR records assessments, it does not rate
        ("boss", "sue", None),  # in the boss's line: allowed (checked below)
    ],
)
def test_rating_outside_the_line_is_refused_and_changes_nothing(
    session: Session, org: Org, who: str, whom: str, error: type[SkillpathError] | None
) -> None:
    """Outside the reporting line and the team: 404 when the person is not visible, 403 when
    visible; nothing is written."""
    if error is None:
        assert _rate(session, org, who, whom).evidence.source == "manager"
        return
    _refused(session, error, lambda: _rate(session, org, who, whom))


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"skill_id": 10**9}, NotFoundError),
        ({"display_level": 6}, InvalidInputError),
        ({"display_level": 0}, InvalidInputError),
        ({"display_level": None, "level": 1.5}, InvalidInputError),
        ({"display_level": None, "level": -0.1}, InvalidInputError),
        ({"display_level": None}, InvalidInputError),
        ({"level": 0.5}, InvalidInputError),
        ({"note": "x" * 2001}, InvalidInputError),
        ({"confidence": 0.0}, InvalidInputError),
        ({"source": "inferred"}, ForbiddenError),
        ({"source": "assessment"}, ForbiddenError),
        ({"source": "nonsense"}, InvalidInputError),
        ({"observed_at": NOW - timedelta(days=3)}, InvalidInputError),
        ({"item_id": 1}, InvalidInputError),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(
    session: Session, org: Org, kwargs: dict[str, Any], error: type[SkillpathError]
) -> None:
    """Unknown skill 404; levels out of range, both or neither level, long notes, bad sources
    and fields other sources may not set 422 (or 403 for HR-only sources)."""
    _refused(session, error, lambda: _rate(session, org, "max", "ann", **kwargs))


def test_groups_and_leavers_cannot_be_rated(session: Session, org: Org) -> None:
    """A group of skills is not a skill (422); a person who left has a closed profile (409)."""
    _refused(
        session, InvalidInputError, lambda: _rate(session, org, "ann", "ann", skill_id=org.group.id)
    )
    _refused(session, ConflictError, lambda: _rate(session, org, "max", "lea"))


def test_hr_records_assessments_certifications_and_completions(session: Session, org: Org) -> None:
    """HR names the source; the rater is empty; completions take the level the item teaches;
    certifications may expire; nothing may be dated in the future."""
    hr = org.viewers["hr"]
    ann = org.people["ann"].id
    assessed = capture.record_evidence(
        session,
        viewer=hr,
        employee_id=ann,
        skill_id=org.sql.id,
        level=0.7,
        source="assessment",
        observed_at=NOW - timedelta(days=10),
        now=NOW,
    )
    assert (assessed.evidence.source, assessed.evidence.rater) == ("assessment", None)
    assert assessed.evidence.observed_at == NOW - timedelta(days=10)
    completed = capture.record_evidence(
        session,
        viewer=hr,
        employee_id=ann,
        skill_id=org.sql.id,
        source="learning",
        item_id=org.item_id,
        now=NOW,
    )
    assert completed.evidence.level == pytest.approx(0.9)
    certified = capture.record_evidence(
        session,
        viewer=hr,
        employee_id=ann,
        skill_id=org.tool.id,
        display_level=3,
        source="certification",
        expires_on=date(2027, 1, 1),
        now=NOW,
    )
    assert session.get(SkillEvidence, certified.evidence.id).expires_on == date(2027, 1, 1)  # type: ignore[union-attr]

    def post(**kwargs: Any) -> Callable[[], object]:
        values: dict[str, Any] = {"skill_id": org.sql.id, "level": 0.5, "now": NOW}
        values.update(kwargs)
        return lambda: capture.record_evidence(session, viewer=hr, employee_id=ann, **values)

    _refused(session, InvalidInputError, post(source="learning"))
    _refused(session, InvalidInputError, post(source="learning", item_id=org.other_item_id))
    _refused(
        session, InvalidInputError, post(source="assessment", observed_at=NOW + timedelta(hours=1))
    )
    _refused(session, InvalidInputError, post(source="assessment", expires_on=date(2027, 1, 1)))
    _refused(
        session,
        InvalidInputError,
        post(source="certification", observed_at=NOW, expires_on=NOW.date()),
    )
    _refused(session, ForbiddenError, post())


def test_intents_are_set_by_the_person_only(session: Session, org: Org) -> None:
    """Ann sets and changes her intent; her manager reads it but cannot set it; outsiders get
    404; a wrong intent is 422."""
    ann = org.people["ann"].id
    read = capture.set_intent(
        session,
        viewer=org.viewers["ann"],
        employee_id=ann,
        skill_id=org.sql.id,
        intent="develop",
        now=NOW,
    )
    assert (read.skill.name, read.intent) == ("SQL", "develop")
    capture.set_intent(
        session,
        viewer=org.viewers["ann"],
        employee_id=ann,
        skill_id=org.sql.id,
        intent="have",
        now=NOW,
    )
    intents = capture.intents(session, viewer=org.viewers["max"], employee_id=ann)
    assert [(i.skill.name, i.intent) for i in intents] == [("SQL", "have")]

    def put(who: str, intent: str = "develop", skill_id: int | None = None) -> Callable[[], object]:
        return lambda: capture.set_intent(
            session,
            viewer=org.viewers[who],
            employee_id=ann,
            skill_id=skill_id or org.sql.id,
            intent=intent,
            now=NOW,
        )

    _refused(session, ForbiddenError, put("max"))
    _refused(session, NotFoundError, put("oli"))
    _refused(session, InvalidInputError, put("ann", "someday"))
    _refused(session, NotFoundError, put("ann", skill_id=10**9))
    with pytest.raises(NotFoundError):
        capture.intents(session, viewer=org.viewers["bob"], employee_id=ann)
    assert (
        session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "intent.set")
        )
        == 2
    )
