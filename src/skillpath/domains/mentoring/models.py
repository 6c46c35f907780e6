"""Tables of mentoring programs: the program, who enrolled (mentors' offers, mentees' requests),
matching rounds, the matches (a pair, a group or a circle) and their check-ins."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from skillpath.core.clock import utcnow
from skillpath.db.base import Base, one_of

PROGRAM_KINDS = ("one_to_one", "reverse", "group", "micro", "circle")
"""One-to-one; reverse (the junior mentors the senior, e.g. on emerging technologies); group (one
mentor, several mentees with a shared goal); micro-mentoring (one-off short sessions on a
specific need); peer coaching circles (4–6 peers of similar level)."""
PROGRAM_STATUSES = ("draft", "enrolling", "matching", "running", "closed")
ENROLMENT_ROLES = ("mentor", "mentee", "peer")
ENROLMENT_STATUSES = ("enrolled", "matched", "waitlisted", "withdrawn", "opted_out")
MATCH_STATUSES = ("proposed", "accepted", "declined", "active", "completed", "ended")
"""proposed → accepted by everyone (→ active) or declined by either side (the person re-enters the
next round) → completed at the end of the cycle, or ended early (someone left the company)."""
ROUND_STATUSES = ("draft", "published")


class MentoringProgram(Base):
    """A mentoring program: its kind, objectives, cycle, eligibility and capacity rules."""

    __tablename__ = "mentoring_program"
    __table_args__ = (
        CheckConstraint(one_of("kind", PROGRAM_KINDS), name="kind"),
        CheckConstraint(one_of("status", PROGRAM_STATUSES), name="status"),
        CheckConstraint("default_capacity >= 1", name="capacity"),
        CheckConstraint("min_group >= 1 AND max_group >= min_group", name="group_size"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(12))
    status: Mapped[str] = mapped_column(String(10), default="draft", index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    objectives: Mapped[list[str]] = mapped_column(JSON, default=list)
    skill_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    """The skills the program is about (empty: any)."""
    enrol_from: Mapped[date | None] = mapped_column(Date)
    enrol_until: Mapped[date | None] = mapped_column(Date)
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    unit_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    role_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    location_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    min_role_level: Mapped[int | None] = mapped_column(Integer)
    max_role_level: Mapped[int | None] = mapped_column(Integer)
    default_capacity: Mapped[int] = mapped_column(Integer, default=2)
    """Mentees a mentor takes unless they say otherwise (group: the group size)."""
    min_group: Mapped[int] = mapped_column(Integer, default=1)
    max_group: Mapped[int] = mapped_column(Integer, default=1)
    """Group and circle sizes (circles: 4–6)."""
    checkin_every_days: Mapped[int] = mapped_column(Integer, default=30)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Enrolment(Base):
    """Someone in a program: as mentor (skills offered, capacity, hours a month), as mentee
    (goals and the skills wanted, a named mentor), or as a peer in a circle."""

    __tablename__ = "mentoring_enrolment"
    __table_args__ = (
        UniqueConstraint("program_id", "employee_id", "role"),
        CheckConstraint(one_of("role", ENROLMENT_ROLES), name="role"),
        CheckConstraint(one_of("status", ENROLMENT_STATUSES), name="status"),
        CheckConstraint("capacity >= 0", name="capacity"),
        Index("ix_mentoring_enrolment_program_id_role_status", "program_id", "role", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("mentoring_program.id", ondelete="CASCADE"))
    employee_id: Mapped[int] = mapped_column(
        ForeignKey("employee.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(10), default="enrolled")
    skill_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    """Mentors: skills offered. Mentees and peers: skills wanted, most important first."""
    goals: Mapped[str] = mapped_column(Text, default="")
    capacity: Mapped[int] = mapped_column(Integer, default=1)
    hours_per_month: Mapped[float] = mapped_column(Float, default=2.0)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    preferred_mentor_id: Mapped[int | None] = mapped_column(
        ForeignKey("employee.id", ondelete="SET NULL")
    )
    opt_out_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    """People this person asked not to be matched with."""
    enrolled_at: Mapped[datetime] = mapped_column(default=utcnow)


class MatchRound(Base):
    """One run of the matching for a program: draft proposals HR reviews, then published."""

    __tablename__ = "mentoring_round"
    __table_args__ = (CheckConstraint(one_of("status", ROUND_STATUSES), name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(
        ForeignKey("mentoring_program.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10), default="draft")
    ran_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column()
    total_score: Mapped[float] = mapped_column(Float, default=0.0)
    greedy_score: Mapped[float | None] = mapped_column(Float)
    optimal: Mapped[bool] = mapped_column(default=True)
    gap: Mapped[float | None] = mapped_column(Float)
    """For circles: the measured gap to an upper bound of the optimum (0 when proven optimal)."""
    matched: Mapped[int] = mapped_column(Integer, default=0)
    waitlisted: Mapped[int] = mapped_column(Integer, default=0)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Match(Base):
    """A mentor with one mentee (one-to-one, reverse, micro), several (group), or a circle of
    peers (no mentor), with the score and the reasons it was proposed."""

    __tablename__ = "mentoring_match"
    __table_args__ = (CheckConstraint(one_of("status", MATCH_STATUSES), name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(
        ForeignKey("mentoring_program.id", ondelete="CASCADE"), index=True
    )
    round_id: Mapped[int | None] = mapped_column(
        ForeignKey("mentoring_round.id", ondelete="SET NULL"), index=True
    )
    mentor_id: Mapped[int | None] = mapped_column(
        ForeignKey("employee.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(10), default="proposed")
    score: Mapped[float] = mapped_column(Float, default=0.0)
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    parts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    skill_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    started_on: Mapped[date | None] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    end_reason: Mapped[str] = mapped_column(String(40), default="")
    outcome: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class MatchMember(Base):
    """A mentee of a match (or a peer of a circle) and their answer to the proposal."""

    __tablename__ = "mentoring_match_member"
    __table_args__ = (
        UniqueConstraint("match_id", "employee_id"),
        CheckConstraint(one_of("answer", ("pending", "accepted", "declined")), name="answer"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    match_id: Mapped[int] = mapped_column(ForeignKey("mentoring_match.id", ondelete="CASCADE"))
    employee_id: Mapped[int] = mapped_column(
        ForeignKey("employee.id", ondelete="CASCADE"), index=True
    )
    answer: Mapped[str] = mapped_column(String(10), default="pending")
    mentor_answer: Mapped[str] = mapped_column(String(10), default="pending")
    """The mentor's answer about this mentee (no mentor in circles: stays pending)."""
    score: Mapped[float] = mapped_column(Float, default=0.0)
    objectives_met: Mapped[int] = mapped_column(Integer, default=0)
    rating: Mapped[int | None] = mapped_column(Integer)


class CheckIn(Base):
    """A meeting of a match: when, notes, progress on objectives, a rating (1–5)."""

    __tablename__ = "mentoring_checkin"
    __table_args__ = (
        CheckConstraint("rating IS NULL OR (rating >= 1 AND rating <= 5)", name="rating"),
        CheckConstraint("progress >= 0 AND progress <= 1", name="progress"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    match_id: Mapped[int] = mapped_column(
        ForeignKey("mentoring_match.id", ondelete="CASCADE"), index=True
    )
    held_on: Mapped[date] = mapped_column(Date)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id", ondelete="SET NULL"))
    notes: Mapped[str] = mapped_column(Text, default="")
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    rating: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
