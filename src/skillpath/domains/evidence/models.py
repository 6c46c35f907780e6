"""Tables of skill evidence (append-only) and skill intents."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from skillpath.core.clock import utcnow
from skillpath.db.base import Base

EVIDENCE_SOURCES = (
    "self",
    "manager",
    "peer",
    "assessment",
    "certification",
    "learning",
    "project",
    "inferred",
)
INTENTS = ("have", "develop", "not_now")


class SkillEvidence(Base):
    """One dated observation of an employee's level in a skill, from one source and rater.

    Rows are never updated or deleted by the product (append-only history); `fingerprint`
    makes re-importing the same observation a no-op.
    """

    __tablename__ = "skill_evidence"
    __table_args__ = (
        CheckConstraint(f"source IN {EVIDENCE_SOURCES!r}", name="source"),
        CheckConstraint("level >= 0 AND level <= 1", name="level_range"),
        CheckConstraint("confidence > 0 AND confidence <= 1", name="confidence_range"),
        Index("ix_skill_evidence_employee_skill", "employee_id", "skill_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(40), unique=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="CASCADE"))
    skill_id: Mapped[int] = mapped_column(ForeignKey("skill.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(String(20))
    rater_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id", ondelete="SET NULL"))
    level: Mapped[float] = mapped_column(Float)
    confidence: Mapped[float] = mapped_column(Float, default=0.5)
    observed_at: Mapped[datetime] = mapped_column()
    expires_on: Mapped[date | None] = mapped_column(Date)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("learning_item.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class SkillIntent(Base):
    """What a person wants to do with a skill: have it, develop it, or not now."""

    __tablename__ = "skill_intent"
    __table_args__ = (
        UniqueConstraint("employee_id", "skill_id"),
        CheckConstraint(f"intent IN {INTENTS!r}", name="intent"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="CASCADE"))
    skill_id: Mapped[int] = mapped_column(ForeignKey("skill.id", ondelete="CASCADE"))
    intent: Mapped[str] = mapped_column(String(10))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
