"""Tables of the learning catalog and of completions."""

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


PATH_MODES = ("upskill", "reskill", "wanted", "assigned")
"""Upskill: gaps to the current role. Reskill: gaps to a target role. Wanted: skills the person
wants to develop (their intents). Assigned: goals a manager or HR set (skills and levels)."""
PATH_STATUSES = ("draft", "proposed", "approved", "active", "completed", "abandoned")
STEP_STATUSES = ("planned", "done", "skipped")
PATH_EVENT_KINDS = (
    "created",
    "proposed",
    "approved",
    "changes_requested",
    "activated",
    "step_done",
    "replanned",
    "completed",
    "abandoned",
)


class PathTemplate(Base):
    """A transition or academy HR defines once (e.g. Customer Support Rep → Salesforce
    Administrator) and assigns to cohorts; each member's plan is personalised from it."""

    __tablename__ = "path_template"
    __table_args__ = (
        CheckConstraint(one_of("mode", PATH_MODES), name="mode"),
        CheckConstraint("hours_per_week > 0 AND hours_per_week <= 168", name="hours"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    mode: Mapped[str] = mapped_column(String(10), default="reskill")
    from_role_id: Mapped[int | None] = mapped_column(ForeignKey("role.id", ondelete="SET NULL"))
    target_role_id: Mapped[int | None] = mapped_column(ForeignKey("role.id", ondelete="SET NULL"))
    goals: Mapped[list[dict[str, float]]] = mapped_column(JSON, default=list)
    """For `assigned` templates: [{"skill_id", "level"}] the plan must reach."""
    hours_per_week: Mapped[float] = mapped_column(Float, default=2.0)
    budget: Mapped[float | None] = mapped_column(Float)
    require_kinds: Mapped[list[str]] = mapped_column(JSON, default=list)
    avoid_kinds: Mapped[list[str]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(default=True)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("app_user.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PathCohort(Base):
    """A group of people a template was assigned to together (one plan each)."""

    __tablename__ = "path_cohort"

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(
        ForeignKey("path_template.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    start_on: Mapped[date] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("app_user.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class LearningPath(Base):
    """A person's learning path: what was asked (mode, target, constraints), the plan the
    optimiser made (status, totals, what stays unreachable and why) and where it stands.

    States: draft → proposed → approved (by the manager, or sent back to draft with a note) →
    active → completed or abandoned. Steps are replaced when the path is re-planned; completed
    steps are kept.
    """

    __tablename__ = "learning_path"
    __table_args__ = (
        CheckConstraint(one_of("mode", PATH_MODES), name="mode"),
        CheckConstraint(one_of("status", PATH_STATUSES), name="status"),
        CheckConstraint("hours_per_week >= 0 AND hours_per_week <= 168", name="hours"),
        Index("ix_learning_path_employee_status", "employee_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="CASCADE"))
    mode: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(10), default="draft", index=True)
    title: Mapped[str] = mapped_column(String(300), default="")
    target_role_id: Mapped[int | None] = mapped_column(ForeignKey("role.id", ondelete="SET NULL"))
    goals: Mapped[list[dict[str, float]]] = mapped_column(JSON, default=list)
    """The skills and levels asked for in `wanted` and `assigned` modes: [{"skill_id", "level"}]."""
    hours_per_week: Mapped[float] = mapped_column(Float)
    start_on: Mapped[date] = mapped_column(Date)
    budget: Mapped[float | None] = mapped_column(Float)
    locales: Mapped[list[str]] = mapped_column(JSON, default=list)
    """Languages the person learns in (empty: any)."""
    offline_only: Mapped[bool] = mapped_column(default=False)
    avoid_kinds: Mapped[list[str]] = mapped_column(JSON, default=list)
    require_kinds: Mapped[list[str]] = mapped_column(JSON, default=list)
    deadline: Mapped[date | None] = mapped_column(Date)
    solver_status: Mapped[str] = mapped_column(String(12), default="optimal")
    optimal: Mapped[bool] = mapped_column(default=False)
    total_minutes: Mapped[int] = mapped_column(Integer, default=0)
    total_cost: Mapped[float] = mapped_column(Float, default=0.0)
    months: Mapped[int] = mapped_column(Integer, default=0)
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    greedy_minutes: Mapped[int | None] = mapped_column(Integer)
    """Minutes the greedy reference planner needed for the same request (the baseline)."""
    unreachable: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    """Gaps the plan cannot close: skill, levels, reason and the closest alternatives."""
    explanations: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    unmet_kinds: Mapped[list[str]] = mapped_column(JSON, default=list)
    gaps: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    """The gaps planned for, most important first: skill, current and target level."""
    template_id: Mapped[int | None] = mapped_column(
        ForeignKey("path_template.id", ondelete="SET NULL")
    )
    cohort_id: Mapped[int | None] = mapped_column(
        ForeignKey("path_cohort.id", ondelete="SET NULL"), index=True
    )
    revision: Mapped[int] = mapped_column(Integer, default=1)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("app_user.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    planned_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("app_user.id", ondelete="SET NULL")
    )
    decided_at: Mapped[datetime | None] = mapped_column()
    decision_note: Mapped[str] = mapped_column(Text, default="")
    ended_at: Mapped[datetime | None] = mapped_column()


class PathStep(Base):
    """One item of a path in schedule order, its calendar, why it is there and its progress.

    Title, kind, minutes and cost are copied from the item when planned, so the path reads the
    same if the catalog changes later (a re-plan then says what changed).
    """

    __tablename__ = "path_step"
    __table_args__ = (
        CheckConstraint(one_of("status", STEP_STATUSES), name="status"),
        UniqueConstraint("path_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    path_id: Mapped[int] = mapped_column(ForeignKey("learning_path.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    item_id: Mapped[int | None] = mapped_column(
        ForeignKey("learning_item.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(30))
    stage: Mapped[int] = mapped_column(Integer)
    minutes: Mapped[int] = mapped_column(Integer)
    cost: Mapped[float] = mapped_column(Float, default=0.0)
    month: Mapped[int] = mapped_column(Integer)
    end_month: Mapped[int] = mapped_column(Integer)
    start_on: Mapped[date] = mapped_column(Date)
    end_on: Mapped[date] = mapped_column(Date)
    closes: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    """Per gap the step raises: skill id and name, from level, to level, target, reaches target."""
    prerequisite_for: Mapped[list[int]] = mapped_column(JSON, default=list)
    """Item ids of later steps that need this one."""
    status: Mapped[str] = mapped_column(String(10), default="planned")
    completed_at: Mapped[datetime | None] = mapped_column()
    completion_id: Mapped[int | None] = mapped_column(
        ForeignKey("completion.id", ondelete="SET NULL")
    )
    mentor_id: Mapped[int | None] = mapped_column(
        ForeignKey("employee.id", ondelete="SET NULL"), index=True
    )
    mentor_reason: Mapped[str] = mapped_column(Text, default="")


class PathEvent(Base):
    """What happened to a path, by whom, with a note (the path's own audit trail): created,
    proposed, approved, changes requested, activated, steps done, re-planned (with what
    changed), completed, abandoned."""

    __tablename__ = "path_event"
    __table_args__ = (CheckConstraint(one_of("kind", PATH_EVENT_KINDS), name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    path_id: Mapped[int] = mapped_column(
        ForeignKey("learning_path.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
