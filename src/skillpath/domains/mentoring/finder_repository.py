"""SQL of the micro-mentoring finder and the circles' reporting lines: micro-mentors on offer,
their booked sessions, and who reports to whom."""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, date, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from skillpath.domains.mentoring.models import Enrolment, Match, MentoringProgram

OFFERING = ("enrolled", "matched")
"""Enrolment statuses of a micro-mentor who is on offer."""
RUNNING = ("running",)
"""Program statuses in which micro-mentors take sessions."""
ID_CHUNK = 5_000


def micro_mentor_enrolments(session: Session) -> list[Enrolment]:
    """Mentor enrolments on offer in running micro-mentoring programs, oldest first."""
    return list(
        session.scalars(
            select(Enrolment)
            .join(MentoringProgram, MentoringProgram.id == Enrolment.program_id)
            .where(
                MentoringProgram.kind == "micro",
                MentoringProgram.status.in_(RUNNING),
                Enrolment.role == "mentor",
                Enrolment.status.in_(OFFERING),
            )
            .order_by(Enrolment.id)
        )
    )


def micro_session_days(
    session: Session, mentor_ids: Collection[int], since: date
) -> list[tuple[int, date]]:
    """(mentor id, day) of each micro-mentoring session of these mentors from `since` on, in any
    program and any status but declined; the day is the session's start, or the day it was
    proposed when it has no start yet."""
    ids = sorted(set(mentor_ids))
    moment = datetime.combine(since, time(0), tzinfo=UTC)
    found: list[tuple[int, date]] = []
    for start in range(0, len(ids), ID_CHUNK):
        rows = session.execute(
            select(Match.mentor_id, Match.started_on, Match.created_at)
            .join(MentoringProgram, MentoringProgram.id == Match.program_id)
            .where(
                MentoringProgram.kind == "micro",
                Match.mentor_id.in_(ids[start : start + ID_CHUNK]),
                Match.status != "declined",
                (Match.started_on >= since) | (Match.created_at >= moment),
            )
        )
        for mentor_id, started_on, created_at in rows:
            day = started_on if started_on is not None else created_at.date()
            if mentor_id is not None and day >= since:
                found.append((int(mentor_id), day))
    return found
