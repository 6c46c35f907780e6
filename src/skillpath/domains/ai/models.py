"""Tables of the ai domain: skill suggestions made from text, waiting for a person's decision.

A suggestion proposes one skill for one target: a role (a line of its skill profile), a learning
item (a skill it teaches) or an employee (evidence of source "inferred"). It keeps the sentence
it was read from and the span that supports it, so a reviewer sees why. It stays `suggested`
until a person accepts it (the profile line, item skill or evidence row is then written) or
rejects it; a rejected suggestion is kept so the same skill is never suggested again for that
target. Exactly one of `role_id`, `item_id`, `employee_id` is set, as `target_kind` says; the
foreign keys cascade, so erasing a person erases what was read from their texts.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from skillpath.core.clock import utcnow
from skillpath.db.base import Base, one_of

TARGET_KINDS = ("role", "item", "employee")
SUGGESTION_STATUSES = ("suggested", "accepted", "rejected")
FOUND_BY = ("label", "words", "meaning", "sentence")
MAX_CONTEXT_CHARS = 2000
"""The sentence kept with a suggestion is cut to this many characters."""


class SkillSuggestion(Base):
    """A skill suggested for a role, a learning item or an employee, and its review state."""

    __tablename__ = "ai_suggestion"
    __table_args__ = (
        CheckConstraint(one_of("target_kind", TARGET_KINDS), name="target_kind"),
        CheckConstraint(one_of("status", SUGGESTION_STATUSES), name="status"),
        CheckConstraint(one_of("found_by", FOUND_BY), name="found_by"),
        CheckConstraint(
            "(target_kind = 'role' AND role_id IS NOT NULL AND item_id IS NULL"
            " AND employee_id IS NULL)"
            " OR (target_kind = 'item' AND item_id IS NOT NULL AND role_id IS NULL"
            " AND employee_id IS NULL)"
            " OR (target_kind = 'employee' AND employee_id IS NOT NULL AND role_id IS NULL"
            " AND item_id IS NULL)",
            name="one_target",
        ),
        CheckConstraint("score >= 0 AND score <= 1", name="score_range"),
        CheckConstraint("level IS NULL OR (level > 0 AND level <= 1)", name="level_range"),
        CheckConstraint(
            "importance IS NULL OR (importance >= 0 AND importance <= 1)", name="importance_range"
        ),
        CheckConstraint("span_start >= 0 AND span_end >= span_start", name="span_order"),
        # NULLs are distinct in unique indexes on SQLite and PostgreSQL alike, so each index
        # only constrains the rows of its own kind of target.
        Index("ux_ai_suggestion_role_skill", "role_id", "skill_id", unique=True),
        Index("ux_ai_suggestion_item_skill", "item_id", "skill_id", unique=True),
        Index("ux_ai_suggestion_employee_skill", "employee_id", "skill_id", unique=True),
        Index("ix_ai_suggestion_status_kind", "status", "target_kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    target_kind: Mapped[str] = mapped_column(String(10))
    role_id: Mapped[int | None] = mapped_column(ForeignKey("role.id", ondelete="CASCADE"))
    item_id: Mapped[int | None] = mapped_column(ForeignKey("learning_item.id", ondelete="CASCADE"))
    employee_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id", ondelete="CASCADE"))
    skill_id: Mapped[int] = mapped_column(ForeignKey("skill.id", ondelete="CASCADE"), index=True)
    level: Mapped[float | None] = mapped_column(Float)
    """Target level (role), level gained (item) or observed level (employee), in (0, 1]."""
    importance: Mapped[float | None] = mapped_column(Float)
    """Roles only: 1.0 essential, 0.5 nice to have."""
    score: Mapped[float] = mapped_column(Float)
    """Calibrated confidence that the skill is meant."""
    text_kind: Mapped[str] = mapped_column(String(40), default="description")
    """What was read: a role or item description, a CV, a project or review text."""
    context: Mapped[str] = mapped_column(Text, default="")
    """The sentence holding the span (at most MAX_CONTEXT_CHARS characters)."""
    span_start: Mapped[int] = mapped_column(Integer, default=0)
    span_end: Mapped[int] = mapped_column(Integer, default=0)
    found_by: Mapped[str] = mapped_column(String(10), default="sentence")
    method: Mapped[str] = mapped_column(String(40), default="")
    """Which ranker made it: 'embeddings' or 'lexical'."""
    status: Mapped[str] = mapped_column(String(10), default="suggested")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("app_user.id", ondelete="SET NULL")
    )
    decided_at: Mapped[datetime | None] = mapped_column()
