"""Tables of the learning catalog and of completions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
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

ITEM_KINDS = (
    "e-learning",
    "microlearning",
    "video",
    "project-based course",
    "workshop",
    "mentorship",
    "capstone",
    "reading",
    "assessment",
)


class LearningItem(Base):
    """Something a person can learn from: a course, a microlearning, a project, a mentorship."""

    __tablename__ = "learning_item"
    __table_args__ = (
        CheckConstraint(one_of("kind", ITEM_KINDS), name="kind"),
        CheckConstraint("minutes > 0", name="minutes_positive"),
        CheckConstraint("cost >= 0", name="cost_nonnegative"),
        Index("ix_learning_item_title_lower", "title_lower"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    title_lower: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(30), index=True)
    minutes: Mapped[int] = mapped_column(Integer)
    cost: Mapped[float] = mapped_column(Float, default=0.0)
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    offline: Mapped[bool] = mapped_column(default=False)
    provider: Mapped[str] = mapped_column(String(200), default="")
    url: Mapped[str] = mapped_column(String(1000), default="")
    active: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ItemLocale(Base):
    """A language/locale an item is available in (an item may have several)."""

    __tablename__ = "item_locale"
    __table_args__ = (UniqueConstraint("item_id", "locale"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("learning_item.id", ondelete="CASCADE"))
    locale: Mapped[str] = mapped_column(String(12), index=True)


class ItemSkill(Base):
    """A skill an item teaches and the level a learner reaches by completing it."""

    __tablename__ = "item_skill"
    __table_args__ = (
        UniqueConstraint("item_id", "skill_id"),
        CheckConstraint("level_gained > 0 AND level_gained <= 1", name="level_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("learning_item.id", ondelete="CASCADE"))
    skill_id: Mapped[int] = mapped_column(ForeignKey("skill.id", ondelete="CASCADE"), index=True)
    level_gained: Mapped[float] = mapped_column(Float)


class ItemPrerequisite(Base):
    """What an item requires first: another item, or a skill at a level."""

    __tablename__ = "item_prerequisite"
    __table_args__ = (
        CheckConstraint(
            "(required_item_id IS NOT NULL AND required_skill_id IS NULL)"
            " OR (required_item_id IS NULL AND required_skill_id IS NOT NULL"
            " AND required_level IS NOT NULL)",
            name="one_requirement",
        ),
        CheckConstraint(
            "required_level IS NULL OR (required_level > 0 AND required_level <= 1)",
            name="level_range",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(
        ForeignKey("learning_item.id", ondelete="CASCADE"), index=True
    )
    required_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("learning_item.id", ondelete="CASCADE")
    )
    required_skill_id: Mapped[int | None] = mapped_column(
        ForeignKey("skill.id", ondelete="CASCADE")
    )
    required_level: Mapped[float | None] = mapped_column(Float)


class Completion(Base):
    """An employee finished a learning item on a date (from the LMS, an import or the UI)."""

    __tablename__ = "completion"
    __table_args__ = (
        UniqueConstraint("employee_id", "item_id", "completed_at"),
        CheckConstraint("score IS NULL OR (score >= 0 AND score <= 1)", name="score_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(
        ForeignKey("employee.id", ondelete="CASCADE"), index=True
    )
    item_id: Mapped[int] = mapped_column(
        ForeignKey("learning_item.id", ondelete="CASCADE"), index=True
    )
    completed_at: Mapped[datetime] = mapped_column()
    score: Mapped[float | None] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(40), default="import")
    notes: Mapped[str] = mapped_column(Text, default="")
