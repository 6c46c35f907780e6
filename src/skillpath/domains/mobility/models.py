"""Tables of the internal marketplace: opportunities, the skills they ask for, people's interest
and applications, and match notifications."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
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

OPPORTUNITY_KINDS = ("role", "gig", "project", "stretch", "mentoring")
"""An open role (linked to an opening), a gig or project (a share of time for some weeks), a
stretch assignment, or a mentoring offer."""
OPPORTUNITY_STATUSES = ("draft", "open", "filled", "closed")
INTEREST_STATUSES = (
    "saved",
    "dismissed",
    "interested",
    "applied",
    "shortlisted",
    "contacted",
    "selected",
    "declined",
    "withdrawn",
)
"""The person's side (saved, dismissed — "not interested" —, interested, applied, withdrawn) and
the owner's (shortlisted, contacted, selected, declined)."""
APPROVAL_STATUSES = ("pending", "approved", "refused")
"""The current manager's approval to join a gig or project (time away from the day job)."""


class Opportunity(Base):
    """Something a person could move to or take part in, posted by a manager or HR."""

    __tablename__ = "opportunity"
    __table_args__ = (
        CheckConstraint(one_of("kind", OPPORTUNITY_KINDS), name="kind"),
        CheckConstraint(one_of("status", OPPORTUNITY_STATUSES), name="status"),
        CheckConstraint("time_share > 0 AND time_share <= 1", name="time_share"),
        CheckConstraint("duration_weeks IS NULL OR duration_weeks > 0", name="duration"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), index=True)
    status: Mapped[str] = mapped_column(String(10), default="draft", index=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    role_id: Mapped[int | None] = mapped_column(ForeignKey("role.id", ondelete="SET NULL"))
    opening_id: Mapped[int | None] = mapped_column(
        ForeignKey("opening.id", ondelete="SET NULL"), unique=True
    )
    org_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id", ondelete="SET NULL"))
    location_id: Mapped[int | None] = mapped_column(ForeignKey("location.id", ondelete="SET NULL"))
    remote: Mapped[bool] = mapped_column(default=False)
    language: Mapped[str] = mapped_column(String(12), default="")
    """The language the work is done in (empty: any)."""
    time_share: Mapped[float] = mapped_column(Float, default=1.0)
    """Share of a working week (1 for a role; e.g. 0.2 for a gig one day a week)."""
    duration_weeks: Mapped[int | None] = mapped_column(Integer)
    starts_on: Mapped[date | None] = mapped_column(Date)
    closes_on: Mapped[date | None] = mapped_column(Date)
    """The last day to apply."""
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("employee.id", ondelete="SET NULL"), index=True
    )
    """The hiring manager or gig owner, who sees applicants and candidates."""
    posted_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    published_at: Mapped[datetime | None] = mapped_column()
    filled_on: Mapped[date | None] = mapped_column(Date)
    filled_by_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id", ondelete="SET NULL"))


class OpportunitySkill(Base):
    """A skill an opportunity asks for: the level needed and how much it matters."""

    __tablename__ = "opportunity_skill"
    __table_args__ = (
        UniqueConstraint("opportunity_id", "skill_id"),
        CheckConstraint("level > 0 AND level <= 1", name="level_range"),
        CheckConstraint("importance > 0 AND importance <= 1", name="importance_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    opportunity_id: Mapped[int] = mapped_column(
        ForeignKey("opportunity.id", ondelete="CASCADE"), index=True
    )
    skill_id: Mapped[int] = mapped_column(ForeignKey("skill.id", ondelete="CASCADE"))
    level: Mapped[float] = mapped_column(Float)
    importance: Mapped[float] = mapped_column(Float, default=0.5)


class OpportunityInterest(Base):
    """A person and an opportunity: saved, not interested, interested, applied … selected.

    Private by default: the person's current manager does not see it unless `shared_with_manager`
    (the opportunity's owner and HR see applications, as a recruiter would)."""

    __tablename__ = "opportunity_interest"
    __table_args__ = (
        UniqueConstraint("opportunity_id", "employee_id"),
        CheckConstraint(one_of("status", INTEREST_STATUSES), name="status"),
        CheckConstraint(one_of("approval", APPROVAL_STATUSES, nullable=True), name="approval"),
        Index("ix_opportunity_interest_employee_id_status", "employee_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    opportunity_id: Mapped[int] = mapped_column(ForeignKey("opportunity.id", ondelete="CASCADE"))
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(12))
    shared_with_manager: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str] = mapped_column(Text, default="")
    score: Mapped[float | None] = mapped_column(Float)
    """The match score when the person applied (kept for the record)."""
    applied_at: Mapped[datetime | None] = mapped_column()
    """When the person (last) applied."""
    owner_note: Mapped[str] = mapped_column(Text, default="")
    """The owner's latest note to the person (why declined, how to get in touch …)."""
    approval_note: Mapped[str] = mapped_column(Text, default="")
    """The approving manager's (or HR's) note on their decision about a gig."""
    approval: Mapped[str | None] = mapped_column(String(10))
    approved_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("app_user.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class OpportunityNotification(Base):
    """An in-app notice that a newly opened opportunity matches a person highly."""

    __tablename__ = "opportunity_notification"
    __table_args__ = (
        UniqueConstraint("opportunity_id", "recipient_id"),
        Index("ix_opportunity_notification_recipient_id_sent_at", "recipient_id", "sent_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    opportunity_id: Mapped[int] = mapped_column(ForeignKey("opportunity.id", ondelete="CASCADE"))
    recipient_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="CASCADE"))
    score: Mapped[float] = mapped_column(Float)
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column()
