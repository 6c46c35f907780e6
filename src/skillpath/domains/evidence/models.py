"""Tables of skill evidence (append-only) and skill intents."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
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


class EmployeeSkill(Base):
    """A consolidated profile entry (derived, rebuildable): an employee's level in a skill.

    Computed from every piece of that person's evidence by the consolidation engine under the
    policy in force, as of `computed_at`; the breakdown (which evidence contributed how much) is
    recomputed on demand from the evidence as of that same moment, so it always explains the
    stored number exactly. Rows are replaced per employee (incremental update) or all at once
    (full rebuild) inside one transaction, so readers never see a half-written profile.
    """

    __tablename__ = "employee_skill"
    __table_args__ = (
        CheckConstraint("level >= 0 AND level <= 1", name="level_range"),
        CheckConstraint("confidence >= 0 AND confidence <= 1", name="confidence_range"),
        Index("ix_employee_skill_skill_id_level", "skill_id", "level"),
    )

    employee_id: Mapped[int] = mapped_column(
        ForeignKey("employee.id", ondelete="CASCADE"), primary_key=True
    )
    skill_id: Mapped[int] = mapped_column(
        ForeignKey("skill.id", ondelete="CASCADE"), primary_key=True
    )
    level: Mapped[float] = mapped_column(Float)
    confidence: Mapped[float] = mapped_column(Float)
    floor: Mapped[float] = mapped_column(Float, default=0.0)
    """The level a learning completion guarantees (0 when none)."""
    evidence_count: Mapped[int] = mapped_column(Integer)
    total_weight: Mapped[float] = mapped_column(Float)
    computed_at: Mapped[datetime] = mapped_column()


class ProfileBuild(Base):
    """One consolidation run: full (every profile) or incremental (some employees)."""

    __tablename__ = "profile_build"
    __table_args__ = (CheckConstraint(one_of("kind", ("full", "incremental")), name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))
    started_at: Mapped[datetime] = mapped_column()
    finished_at: Mapped[datetime] = mapped_column()
    as_of: Mapped[datetime] = mapped_column()
    employees: Mapped[int] = mapped_column(Integer)
    rows: Mapped[int] = mapped_column(Integer)
    policy: Mapped[str] = mapped_column(Text, default="")
    """The policy in force, as JSON, so an old number can be explained."""


VALIDATION_STATUSES = ("pending", "approved", "adjusted", "declined", "superseded")


class ValidationRequest(Base):
    """A self-rating waiting for (or worked by) the person's manager (docs/capture.md).

    Opened with every self-rating of a person who has a manager; the person's current direct
    manager approves it (manager evidence at the self-rated level), adjusts it with a comment
    (manager evidence at their level) or declines it with a comment (no manager evidence). A
    newer self-rating of the same skill supersedes a pending request. The self-rating itself is
    evidence from the start and stays, whatever the decision.
    """

    __tablename__ = "validation_request"
    __table_args__ = (
        CheckConstraint(one_of("status", VALIDATION_STATUSES), name="status"),
        CheckConstraint("level >= 0 AND level <= 1", name="level_range"),
        CheckConstraint(
            "decided_level IS NULL OR (decided_level >= 0 AND decided_level <= 1)",
            name="decided_level_range",
        ),
        Index("ix_validation_request_status_employee_id", "status", "employee_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="CASCADE"))
    skill_id: Mapped[int] = mapped_column(ForeignKey("skill.id", ondelete="CASCADE"))
    evidence_id: Mapped[int] = mapped_column(
        ForeignKey("skill_evidence.id", ondelete="CASCADE"), index=True
    )
    """The self-rating that opened the request."""
    level: Mapped[float] = mapped_column(Float)
    """The self-rated level (latent, 0–1)."""
    status: Mapped[str] = mapped_column(String(12), default="pending")
    requested_at: Mapped[datetime] = mapped_column()
    decided_at: Mapped[datetime | None] = mapped_column()
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("employee.id", ondelete="SET NULL")
    )
    decided_level: Mapped[float | None] = mapped_column(Float)
    comment: Mapped[str] = mapped_column(Text, default="")
    decision_evidence_id: Mapped[int | None] = mapped_column(
        ForeignKey("skill_evidence.id", ondelete="SET NULL")
    )
    """The manager evidence an approval or adjustment wrote."""
