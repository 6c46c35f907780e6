"""Tables of assessment campaigns (definition, participants, rating tasks, answers, in-app
notifications) and of the monthly skills pulse."""

from __future__ import annotations

from datetime import date, datetime

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

CAMPAIGN_STATUSES = ("draft", "open", "closed", "cancelled")
RATER_KINDS = ("self", "manager", "peer")
TASK_STATUSES = ("pending", "in_progress", "submitted")
NOTIFICATION_KINDS = ("assigned", "reminder", "overdue")
MAX_PEERS = 5


class Campaign(Base):
    """An assessment campaign: who is rated (population), over which skills, by whom, by when.

    The population is a definition (units with their subtrees, and/or roles) resolved to the
    active employees when the campaign is launched; `skill_ids` restricts the skills of their
    role profiles (empty: every skill of the profile). States: draft → open → closed, or
    cancelled from draft or open.
    """

    __tablename__ = "campaign"
    __table_args__ = (
        CheckConstraint(one_of("status", CAMPAIGN_STATUSES), name="status"),
        CheckConstraint(f"peer_count >= 0 AND peer_count <= {MAX_PEERS}", name="peer_count"),
        CheckConstraint("overdue_every_days >= 0", name="overdue_every_days"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default="draft", index=True)
    unit_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    role_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    skill_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    include_self: Mapped[bool] = mapped_column(default=True)
    include_manager: Mapped[bool] = mapped_column(default=True)
    peer_count: Mapped[int] = mapped_column(Integer, default=0)
    deadline: Mapped[date] = mapped_column(Date)
    """The last day to answer; tasks not submitted by the end of it (UTC) are overdue."""
    reminder_days: Mapped[list[int]] = mapped_column(JSON, default=list)
    """Days before the deadline on which raters with unfinished tasks are reminded."""
    overdue_every_days: Mapped[int] = mapped_column(Integer, default=7)
    """After the deadline: remind every this many days (0: once, the day after the deadline)."""
    scale_code: Mapped[str] = mapped_column(String(20), default="five_point")
    created_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("app_user.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    launched_at: Mapped[datetime | None] = mapped_column()
    closed_at: Mapped[datetime | None] = mapped_column()
    cancelled_at: Mapped[datetime | None] = mapped_column()
    evidence_written: Mapped[int] = mapped_column(Integer, default=0)
    """How many evidence rows closing the campaign added."""


class CampaignParticipant(Base):
    """A person rated in a campaign, with their unit and role and the skills to rate, as they
    were at launch."""

    __tablename__ = "campaign_participant"
    __table_args__ = (UniqueConstraint("campaign_id", "employee_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE"))
    employee_id: Mapped[int] = mapped_column(
        ForeignKey("employee.id", ondelete="CASCADE"), index=True
    )
    org_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id", ondelete="SET NULL"))
    role_id: Mapped[int | None] = mapped_column(ForeignKey("role.id", ondelete="SET NULL"))
    skill_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    """The skills to rate, most important first."""


class CampaignTask(Base):
    """One rater's task: rate one participant (the subject) on the participant's skills."""

    __tablename__ = "campaign_task"
    __table_args__ = (
        CheckConstraint(one_of("rater_kind", RATER_KINDS), name="rater_kind"),
        CheckConstraint(one_of("status", TASK_STATUSES), name="status"),
        UniqueConstraint("campaign_id", "subject_id", "rater_id"),
        Index("ix_campaign_task_rater_id_status", "rater_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE"))
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("campaign_participant.id", ondelete="CASCADE"), index=True
    )
    subject_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="CASCADE"))
    rater_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="CASCADE"))
    rater_kind: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(12), default="pending")
    saved_at: Mapped[datetime | None] = mapped_column()
    submitted_at: Mapped[datetime | None] = mapped_column()


class CampaignAnswer(Base):
    """A rater's answer for one skill of a task: a latent level, or "can't judge"."""

    __tablename__ = "campaign_answer"
    __table_args__ = (
        UniqueConstraint("task_id", "skill_id"),
        CheckConstraint("level IS NULL OR (level >= 0 AND level <= 1)", name="level_range"),
        CheckConstraint(
            "(cant_judge AND level IS NULL) OR (NOT cant_judge AND level IS NOT NULL)",
            name="level_or_cant_judge",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("campaign_task.id", ondelete="CASCADE"))
    skill_id: Mapped[int] = mapped_column(ForeignKey("skill.id", ondelete="CASCADE"))
    level: Mapped[float | None] = mapped_column(Float)
    cant_judge: Mapped[bool] = mapped_column(default=False)
    answered_at: Mapped[datetime] = mapped_column(default=utcnow)


class CampaignNotification(Base):
    """An in-app notification to a rater (no e-mail is sent): tasks assigned, a reminder before
    the deadline, or an overdue notice. One per (campaign, recipient, step), so a step is never
    sent twice."""

    __tablename__ = "campaign_notification"
    __table_args__ = (
        CheckConstraint(one_of("kind", NOTIFICATION_KINDS), name="kind"),
        UniqueConstraint("campaign_id", "recipient_id", "step"),
        Index("ix_campaign_notification_recipient_id_sent_at", "recipient_id", "sent_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE"))
    recipient_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))
    step: Mapped[str] = mapped_column(String(20))
    """"assigned", "before-7" (7 days before the deadline), "overdue-1" (first overdue notice)."""
    open_tasks: Mapped[int] = mapped_column(Integer)
    """How many of the recipient's tasks were unfinished when it was sent."""
    sent_at: Mapped[datetime] = mapped_column()
    read_at: Mapped[datetime | None] = mapped_column()


class SkillPulse(Base):
    """A person's answer to the monthly pulse "which skills did you use this month?"."""

    __tablename__ = "skill_pulse"
    __table_args__ = (UniqueConstraint("employee_id", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="CASCADE"))
    month: Mapped[date] = mapped_column(Date, index=True)
    """The first day of the month answered for."""
    answered_at: Mapped[datetime] = mapped_column()


class SkillPulseSkill(Base):
    """A skill a person said they used in the month of a pulse (a usage signal, not a level)."""

    __tablename__ = "skill_pulse_skill"

    pulse_id: Mapped[int] = mapped_column(
        ForeignKey("skill_pulse.id", ondelete="CASCADE"), primary_key=True
    )
    skill_id: Mapped[int] = mapped_column(
        ForeignKey("skill.id", ondelete="CASCADE"), primary_key=True, index=True
    )
