"""A mentoring program's metrics (on SQLite and PostgreSQL), on the company of test_service:
mentors Sam and Tia (SQL), mentees Ann and Bob; the round proposes Ann–Tia and Bob–Sam."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy.orm import Session

from skillpath.core.errors import ForbiddenError, NotFoundError
from skillpath.domains.mentoring import metrics, service
from skillpath.domains.mentoring.schemas import CompleteIn
from tests.domains.mentoring.test_service import (
    DAY,
    HR,
    Company,
    as_person,
    company,  # noqa: F401 (the fixture)
    mentee,
    mentor,
    program,
)
from tests.factories import make_evidence


def test_program_metrics(session: Session, company: Company) -> None:  # noqa: F811
    c = company
    pid = program(session, c, checkin_every_days=14)
    mentor(session, pid, c.sam, [c.sql], capacity=1)
    mentor(session, pid, c.tia, [c.sql], capacity=1)
    mentee(session, pid, c.ann, [c.sql])
    mentee(session, pid, c.bob, [c.sql])
    # Ann's SQL: 1/5 before the match, 4/5 assessed three weeks into it
    make_evidence(
        session,
        c.ann,
        c.sql,
        level=0.2,
        observed_at=datetime.combine(DAY, time(9), UTC) - timedelta(days=30),
    )
    make_evidence(
        session,
        c.ann,
        c.sql,
        level=0.8,
        source="assessment",
        confidence=0.9,
        observed_at=datetime.combine(DAY + timedelta(days=20), time(9), UTC),
    )
    round_ = service.run_round(session, viewer=HR, program_id=pid, today=DAY)
    service.publish_round(session, viewer=HR, program_id=pid, round_id=round_.id)
    by_mentee = {
        m.mentees[0].employee.id: m
        for m in service.list_matches(session, viewer=HR, program_id=pid)
    }
    assert set(by_mentee) == {c.ann.id, c.bob.id}
    ann_match, bob_match = by_mentee[c.ann.id], by_mentee[c.bob.id]
    assert ann_match.mentor is not None
    ann_mentor = c.tia if ann_match.mentor.id == c.tia.id else c.sam
    for who in (c.ann, ann_mentor):
        service.answer_match(
            session, viewer=as_person(who), match_id=ann_match.id, accept=True, today=DAY
        )
    service.answer_match(
        session, viewer=as_person(c.bob), match_id=bob_match.id, accept=False, today=DAY
    )
    for days, rating in ((7, 4), (21, 5)):
        service.add_checkin(
            session,
            viewer=as_person(c.ann),
            match_id=ann_match.id,
            held_on=DAY + timedelta(days=days),
            rating=rating,
            today=DAY + timedelta(days=30),
        )

    got = metrics.program_metrics(session, viewer=HR, program_id=pid, today=DAY + timedelta(30))
    p = got.participation
    assert (p.mentors, p.mentees, p.peers, p.matched, p.waitlisted) == (2, 2, 0, 1, 1)
    assert p.eligible == 5  # Tech and its sub-unit Data: Max, Ann, Bob, Sam, Tia (not Zed)
    a = got.acceptance
    assert (a.proposals, a.accepted, a.declined, a.pending, a.rate) == (2, 1, 1, 0, 0.5)
    r = got.rhythm
    assert (r.active, r.completed, r.checkins, r.overdue, r.overdue_share) == (1, 0, 2, 0, 0.0)
    assert r.weeks_between == pytest.approx(30 / 7 / 2)
    assert r.per_match_month == pytest.approx(2 / (30 / metrics.DAYS_A_MONTH))
    s = got.satisfaction
    assert (s.checkin_mean, s.checkin_ratings, s.completed_rated) == (4.5, 2, 0)
    g = got.gains
    assert (g.matches, g.pairs, g.improved) == (1, 1, 1)
    assert g.mean_latent is not None
    assert g.mean_latent > 0.2
    assert g.mean_levels == pytest.approx(g.mean_latent * 5)

    later = metrics.program_metrics(session, viewer=HR, program_id=pid, today=DAY + timedelta(40))
    assert (later.rhythm.overdue, later.rhythm.overdue_share) == (1, 1.0)  # due on day 35

    # before the match started, the assessment is not known yet: no gain on day 10
    service.complete_match(
        session,
        viewer=as_person(ann_mentor),
        match_id=ann_match.id,
        data=CompleteIn(outcome="Done"),
        today=DAY + timedelta(30),
    )
    early = metrics.program_metrics(session, viewer=HR, program_id=pid, today=DAY + timedelta(10))
    assert early.gains.improved == 0
    assert early.satisfaction.completed_mean == 4.5
    assert early.rhythm.completed == 1


def test_metrics_are_for_hr(session: Session, company: Company) -> None:  # noqa: F811
    pid = program(session, company)
    with pytest.raises(ForbiddenError):
        metrics.program_metrics(session, viewer=as_person(company.ann), program_id=pid)
    with pytest.raises(NotFoundError):
        metrics.program_metrics(session, viewer=HR, program_id=pid + 999)
