"""A mentoring program's metrics for HR: participation, acceptance, check-in rhythm,
satisfaction and the mentees' skill gains (definitions in docs/mentoring.md, "Program metrics")."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time

from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from skillpath.core.clock import today as utc_today
from skillpath.core.errors import ForbiddenError, NotFoundError
from skillpath.core.levels import DEFAULT_SCALE
from skillpath.domains.evidence import service as evidence_service
from skillpath.domains.evidence.engine.consolidation import consolidate
from skillpath.domains.identity.visibility import Viewer
from skillpath.domains.mentoring import metrics_repository, repository, service
from skillpath.domains.mentoring.models import Match

DAYS_A_MONTH = 365.25 / 12
ACCEPTED = ("accepted", "active", "completed")
"""Match statuses of a proposal everyone accepted (an ended match that had started counts too)."""
TAKEN_PART = ("active", "completed", "ended")


class Participation(BaseModel):
    """Who takes part: enrolments not withdrawn by role, people in a match, people waiting."""

    mentors: int
    mentees: int
    peers: int
    matched: int = Field(description="Mentees or peers in a live or completed match")
    waitlisted: int
    withdrawn: int
    eligible: int = Field(description="People employed today who pass the eligibility rules")


class Acceptance(BaseModel):
    """The answers to the published proposals (a pair, a group or a circle is one proposal)."""

    proposals: int
    accepted: int
    declined: int
    pending: int
    lapsed: int = Field(description="Ended before everyone answered (the program closed)")
    rate: float | None = Field(description="accepted / (accepted + declined)")


class Rhythm(BaseModel):
    """How often matches meet: check-ins over the months the matches have run."""

    active: int
    completed: int
    checkins: int
    match_months: float = Field(description="Σ (end or today − start) over matches that started")
    per_match_month: float | None = Field(description="checkins / match_months")
    weeks_between: float | None = Field(description="(match_months in weeks) / checkins")
    overdue: int = Field(description="Active matches past their next check-in")
    overdue_share: float | None = Field(description="overdue / active")
    every_days: int = Field(description="The program's check-in rhythm")


class Satisfaction(BaseModel):
    """Ratings 1–5: of check-ins, and of completed matches (each match's own rating — the
    mentees' ratings when given, else the mean of its check-ins' ratings)."""

    checkin_mean: float | None
    checkin_ratings: int
    completed_mean: float | None
    completed_rated: int


class Gains(BaseModel):
    """The change of the mentees' consolidated levels on their match's skills, from the day
    the match started to today (both consolidated from the evidence observed by then)."""

    matches: int = Field(description="Active or completed matches with skills")
    pairs: int = Field(description="(mentee, skill) pairs measured")
    mean_latent: float | None = Field(description="Mean change on the 0–1 latent scale")
    mean_levels: float | None = Field(description="The same on the 5-point scale (× 5)")
    improved: int = Field(description="Pairs whose level rose")


class ProgramMetrics(BaseModel):
    """A program's metrics on a day."""

    program_id: int
    day: date
    participation: Participation
    acceptance: Acceptance
    rhythm: Rhythm
    satisfaction: Satisfaction
    gains: Gains


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _participation(
    session: Session, program_id: int, matches: list[Match], day: date
) -> Participation:
    counts = metrics_repository.enrolment_counts(session, program_id)

    def enrolled(role: str) -> int:
        return sum(n for (r, s), n in counts.items() if r == role and s not in ("withdrawn",))

    live = [m.id for m in matches if m.status in (*repository.LIVE_MATCH, "completed")]
    members = repository.members_of(session, live)
    matched = {
        x.employee_id
        for found in members.values()
        for x in found
        if x.answer != "declined" and x.mentor_answer != "declined"
    }
    program = repository.program_by_id(session, program_id)
    assert program is not None
    units = repository.units_under(session, program.unit_ids) if program.unit_ids else None
    eligible = metrics_repository.eligible_count(
        session,
        day=day,
        unit_ids=units,
        role_ids=program.role_ids,
        location_ids=program.location_ids,
        min_level=program.min_role_level,
        max_level=program.max_role_level,
    )
    return Participation(
        mentors=enrolled("mentor"),
        mentees=enrolled("mentee"),
        peers=enrolled("peer"),
        matched=len(matched),
        waitlisted=sum(n for (_, s), n in counts.items() if s == "waitlisted"),
        withdrawn=sum(n for (_, s), n in counts.items() if s == "withdrawn"),
        eligible=eligible,
    )


def _acceptance(matches: list[Match]) -> Acceptance:
    accepted = sum(
        1 for m in matches if m.status in ACCEPTED or (m.status == "ended" and m.started_on)
    )
    declined = sum(1 for m in matches if m.status == "declined")
    pending = sum(1 for m in matches if m.status == "proposed")
    lapsed = sum(1 for m in matches if m.status == "ended" and m.started_on is None)
    answered = accepted + declined
    return Acceptance(
        proposals=len(matches),
        accepted=accepted,
        declined=declined,
        pending=pending,
        lapsed=lapsed,
        rate=accepted / answered if answered else None,
    )


def _rhythm_and_satisfaction(
    session: Session, program_id: int, every: int, matches: list[Match], day: date
) -> tuple[Rhythm, Satisfaction]:
    started = [m for m in matches if m.started_on is not None and m.status in TAKEN_PART]
    rows = metrics_repository.checkin_rows(session, [m.id for m in started])
    days = sum(max(0, ((m.ended_on or day) - m.started_on).days) for m in started if m.started_on)
    months = days / DAYS_A_MONTH
    ratings = [float(r) for _, _, r in rows if r is not None]
    by_match: dict[int, list[float]] = defaultdict(list)
    for match_id, _, rating in rows:
        if rating is not None:
            by_match[match_id].append(float(rating))
    completed = [m for m in matches if m.status == "completed"]
    members = repository.members_of(session, [m.id for m in completed])
    per_match = []
    for match in completed:
        given = [float(x.rating) for x in members[match.id] if x.rating is not None]
        own = _mean(given) if given else _mean(by_match.get(match.id, []))
        if own is not None:
            per_match.append(own)
    active = [m for m in matches if m.status == "active"]
    overdue = sum(
        1 for o in service.overdue_checkins(session, day) if o.match.program_id == program_id
    )
    rhythm = Rhythm(
        active=len(active),
        completed=len(completed),
        checkins=len(rows),
        match_months=round(months, 3),
        per_match_month=len(rows) / months if months > 0 else None,
        weeks_between=(days / 7) / len(rows) if rows else None,
        overdue=overdue,
        overdue_share=overdue / len(active) if active else None,
        every_days=every,
    )
    satisfaction = Satisfaction(
        checkin_mean=_mean(ratings),
        checkin_ratings=len(ratings),
        completed_mean=_mean(per_match),
        completed_rated=len(per_match),
    )
    return rhythm, satisfaction


def _levels_at(
    session: Session, moment: datetime, employee_ids: list[int]
) -> dict[tuple[int, int], float]:
    """Consolidated levels of some people from the evidence observed by `moment`."""
    policy = evidence_service.policy_in_force(session)
    inputs = evidence_service.consolidation_inputs(
        session, as_of=moment, policy=policy, employee_ids=employee_ids
    )
    result = consolidate(inputs.batch, policy, with_rows=False)
    return {
        (int(e), int(s)): float(v)
        for e, s, v in zip(result.employee, result.skill, result.level, strict=True)
    }


def _gains(session: Session, matches: list[Match], day: date) -> Gains:
    measured = [
        m
        for m in matches
        if m.started_on is not None and m.status in ("active", "completed") and m.skill_ids
    ]
    members = repository.members_of(session, [m.id for m in measured])
    by_start: dict[date, set[int]] = defaultdict(set)
    for match in measured:
        assert match.started_on is not None
        by_start[match.started_on] |= {
            x.employee_id
            for x in members[match.id]
            if x.answer != "declined" and x.mentor_answer != "declined"
        }
    everyone = sorted({i for ids in by_start.values() for i in ids})
    end = datetime.combine(day, time.max, tzinfo=UTC)
    now = _levels_at(session, end, everyone) if everyone else {}
    before = {
        start: _levels_at(session, datetime.combine(start, time.min, tzinfo=UTC), sorted(ids))
        for start, ids in by_start.items()
    }
    changes = []
    for match in measured:
        assert match.started_on is not None
        then = before[match.started_on]
        for person in by_start[match.started_on] & {x.employee_id for x in members[match.id]}:
            for skill in match.skill_ids:
                changes.append(now.get((person, skill), 0.0) - then.get((person, skill), 0.0))
    mean = _mean(changes)
    return Gains(
        matches=len(measured),
        pairs=len(changes),
        mean_latent=mean,
        mean_levels=mean * DEFAULT_SCALE.maximum if mean is not None else None,
        improved=sum(1 for c in changes if c > 1e-9),
    )


def program_metrics(
    session: Session, *, viewer: Viewer, program_id: int, today: date | None = None
) -> ProgramMetrics:
    """A program's metrics on `today` (HR only); see docs/mentoring.md, "Program metrics"."""
    if not viewer.can_administer:
        raise ForbiddenError("Only HR administrators see a program's metrics.")
    day = today or utc_today()
    program = repository.program_by_id(session, program_id)
    if program is None:
        raise NotFoundError(f"No mentoring program with id {program_id}.")
    matches = metrics_repository.published_matches(session, program.id)
    rhythm, satisfaction = _rhythm_and_satisfaction(
        session, program.id, program.checkin_every_days, matches, day
    )
    return ProgramMetrics(
        program_id=program.id,
        day=day,
        participation=_participation(session, program.id, matches, day),
        acceptance=_acceptance(matches),
        rhythm=rhythm,
        satisfaction=satisfaction,
        gains=_gains(session, matches, day),
    )
