"""Tables of skill evidence (append-only) and skill intents."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from skillpath.core.clock import utcnow
from skillpath.db.base import Base, one_of

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

    Rows are never updated or deleted by the product (append-only history). `fingerprint` is a
    63-bit hash of the observation, unique per employee, so re-importing the same observation is
    a no-op; the (employee, fingerprint) key is also the index that finds a person's evidence.
    There is deliberately no index by skill: it would double the cost of loading millions of
    rows, and reads by skill go to the consolidated profiles instead.
    """

    __tablename__ = "skill_evidence"
    __table_args__ = (
        CheckConstraint(one_of("source", EVIDENCE_SOURCES), name="source"),
        CheckConstraint("level >= 0 AND level <= 1", name="level_range"),
        CheckConstraint("confidence > 0 AND confidence <= 1", name="confidence_range"),
        UniqueConstraint("employee_id", "fingerprint"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    fingerprint: Mapped[int] = mapped_column(BigInteger)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="CASCADE"))
    skill_id: Mapped[int] = mapped_column(ForeignKey("skill.id", ondelete="CASCADE"))
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
        CheckConstraint(one_of("intent", INTENTS), name="intent"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="CASCADE"))
    skill_id: Mapped[int] = mapped_column(ForeignKey("skill.id", ondelete="CASCADE"))
    intent: Mapped[str] = mapped_column(String(10))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
