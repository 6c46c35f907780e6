"""Tables of the organisation, its people, roles, priorities and employment history."""

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

MOVE_KINDS = ("promotion", "lateral", "reskill", "demotion", "transfer")
DEPARTURE_REASONS = ("voluntary", "involuntary", "retirement", "other")
FILL_SOURCES = ("internal", "external")
OPENING_STATUSES = ("open", "filled", "closed")


class Location(Base):
    """A place people work from, with the country, locale and time zone it implies."""

    __tablename__ = "location"

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(2))
    locale: Mapped[str] = mapped_column(String(12), default="en")
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")


class OrgUnit(Base):
    """A node of the organisation tree (country, site, function, team)."""

    __tablename__ = "org_unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40), default="unit")
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("org_unit.id", ondelete="RESTRICT"), index=True
    )
    location_id: Mapped[int | None] = mapped_column(ForeignKey("location.id", ondelete="SET NULL"))


class Role(Base):
    """A job role of the organisation, or a template from ESCO/O*NET (`source` says which)."""

    __tablename__ = "role"
    __table_args__ = (
        UniqueConstraint("source", "external_id"),
        Index("ix_role_title_lower", "title_lower"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(40), default="org")
    external_id: Mapped[str] = mapped_column(String(300))
    title: Mapped[str] = mapped_column(String(300))
    title_lower: Mapped[str] = mapped_column(String(300))
    family: Mapped[str] = mapped_column(String(120), default="", index=True)
    level: Mapped[int] = mapped_column(Integer, default=1)
    description: Mapped[str] = mapped_column(Text, default="")
    code: Mapped[str] = mapped_column(String(40), default="")
    is_template: Mapped[bool] = mapped_column(default=False)
    is_critical: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class RoleAlias(Base):
    """An alternate title of a role (O*NET alternate titles, ESCO alternative labels)."""

    __tablename__ = "role_alias"
    __table_args__ = (UniqueConstraint("role_id", "title"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    role_id: Mapped[int] = mapped_column(ForeignKey("role.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(400))
    title_lower: Mapped[str] = mapped_column(String(400), index=True)


class RoleSkill(Base):
    """A line of a role's skill profile: the skill, the target level and its importance."""

    __tablename__ = "role_skill"
    __table_args__ = (
        UniqueConstraint("role_id", "skill_id"),
        CheckConstraint("target_level >= 0 AND target_level <= 1", name="target_range"),
        CheckConstraint("importance >= 0 AND importance <= 1", name="importance_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    role_id: Mapped[int] = mapped_column(ForeignKey("role.id", ondelete="CASCADE"))
    skill_id: Mapped[int] = mapped_column(ForeignKey("skill.id", ondelete="CASCADE"), index=True)
    target_level: Mapped[float] = mapped_column(Float)
    importance: Mapped[float] = mapped_column(Float, default=0.5)
    essential: Mapped[bool] = mapped_column(default=True)


class Employee(Base):
    """A person employed by the organisation, now or in the past (`left_on` set)."""

    __tablename__ = "employee"
    __table_args__ = (
        CheckConstraint("manager_id IS NULL OR manager_id <> id", name="not_own_manager"),
        Index("ix_employee_name_lower", "name_lower"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str] = mapped_column(String(100), unique=True)
    first_name: Mapped[str] = mapped_column(String(120))
    last_name: Mapped[str] = mapped_column(String(120))
    name_lower: Mapped[str] = mapped_column(String(250))
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    job_title: Mapped[str] = mapped_column(String(300), default="")
    manager_id: Mapped[int | None] = mapped_column(
        ForeignKey("employee.id", ondelete="SET NULL"), index=True
    )
    org_unit_id: Mapped[int | None] = mapped_column(
        ForeignKey("org_unit.id", ondelete="SET NULL"), index=True
    )
    role_id: Mapped[int | None] = mapped_column(
        ForeignKey("role.id", ondelete="SET NULL"), index=True
    )
    location_id: Mapped[int | None] = mapped_column(
        ForeignKey("location.id", ondelete="SET NULL"), index=True
    )
    hired_on: Mapped[date] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date, index=True)
    languages: Mapped[list[str]] = mapped_column(default=list)
    profile_text: Mapped[str] = mapped_column(Text, default="")
    # Indexed: the gap snapshot's fingerprint reads the latest change (docs/adr/0009).
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow, index=True)


class StrategicPriority(Base):
    """A business goal that weights skills and roles (e.g. "E-commerce shift")."""

    __tablename__ = "strategic_priority"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    target_date: Mapped[date | None] = mapped_column(Date)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PrioritySkill(Base):
    """How much a priority raises the weight of one skill (weight ≥ 1 multiplies gaps)."""

    __tablename__ = "priority_skill"
    __table_args__ = (
        UniqueConstraint("priority_id", "skill_id"),
        CheckConstraint("weight > 0", name="weight_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    priority_id: Mapped[int] = mapped_column(
        ForeignKey("strategic_priority.id", ondelete="CASCADE")
    )
    skill_id: Mapped[int] = mapped_column(ForeignKey("skill.id", ondelete="CASCADE"))
    weight: Mapped[float] = mapped_column(Float, default=2.0)


class PriorityRole(Base):
    """How much a priority weights a role and how many more people it needs in it."""

    __tablename__ = "priority_role"
    __table_args__ = (
        UniqueConstraint("priority_id", "role_id"),
        CheckConstraint("weight > 0", name="weight_positive"),
        CheckConstraint("headcount_needed >= 0", name="headcount_nonnegative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    priority_id: Mapped[int] = mapped_column(
        ForeignKey("strategic_priority.id", ondelete="CASCADE")
    )
    role_id: Mapped[int] = mapped_column(ForeignKey("role.id", ondelete="CASCADE"))
    weight: Mapped[float] = mapped_column(Float, default=1.5)
    headcount_needed: Mapped[int] = mapped_column(Integer, default=0)


class Opening(Base):
    """A position to fill: when it opened, when and by whom it was filled, and what it cost."""

    __tablename__ = "opening"
    __table_args__ = (
        CheckConstraint(one_of("status", OPENING_STATUSES), name="status"),
        CheckConstraint(one_of("fill_source", FILL_SOURCES, nullable=True), name="fill_source"),
        CheckConstraint("filled_on IS NULL OR filled_on >= opened_on", name="filled_after_open"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str] = mapped_column(String(100), unique=True)
    role_id: Mapped[int] = mapped_column(ForeignKey("role.id", ondelete="RESTRICT"), index=True)
    org_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id", ondelete="SET NULL"))
    location_id: Mapped[int | None] = mapped_column(ForeignKey("location.id", ondelete="SET NULL"))
    hiring_manager_id: Mapped[int | None] = mapped_column(
        ForeignKey("employee.id", ondelete="SET NULL")
    )
    opened_on: Mapped[date] = mapped_column(Date, index=True)
    filled_on: Mapped[date | None] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default="open")
    filled_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("employee.id", ondelete="SET NULL"), index=True
    )
    fill_source: Mapped[str | None] = mapped_column(String(10))
    cost: Mapped[float] = mapped_column(Float, default=0.0)
    currency: Mapped[str] = mapped_column(String(3), default="EUR")


class Move(Base):
    """A change of role or unit for an employee (promotion, lateral, reskilling move …)."""

    __tablename__ = "move"
    __table_args__ = (
        CheckConstraint(one_of("kind", MOVE_KINDS), name="kind"),
        UniqueConstraint("employee_id", "moved_on", "to_role_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str | None] = mapped_column(String(100), unique=True)
    employee_id: Mapped[int] = mapped_column(
        ForeignKey("employee.id", ondelete="CASCADE"), index=True
    )
    moved_on: Mapped[date] = mapped_column(Date, index=True)
    kind: Mapped[str] = mapped_column(String(20))
    from_role_id: Mapped[int | None] = mapped_column(ForeignKey("role.id", ondelete="SET NULL"))
    to_role_id: Mapped[int | None] = mapped_column(ForeignKey("role.id", ondelete="SET NULL"))
    from_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id", ondelete="SET NULL"))
    to_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id", ondelete="SET NULL"))
    opening_id: Mapped[int | None] = mapped_column(ForeignKey("opening.id", ondelete="SET NULL"))


class Departure(Base):
    """An employee leaving the organisation."""

    __tablename__ = "departure"
    __table_args__ = (CheckConstraint(one_of("reason", DEPARTURE_REASONS), name="reason"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(
        ForeignKey("employee.id", ondelete="CASCADE"), unique=True
    )
    left_on: Mapped[date] = mapped_column(Date, index=True)
    reason: Mapped[str] = mapped_column(String(20), default="voluntary")
    regretted: Mapped[bool] = mapped_column(default=False)


class PerformanceRating(Base):
    """A review-period rating: performance 1–5 and potential 1–3 (the 9-box axes)."""

    __tablename__ = "performance_rating"
    __table_args__ = (
        UniqueConstraint("employee_id", "period_end"),
        CheckConstraint("performance BETWEEN 1 AND 5", name="performance_range"),
        CheckConstraint("potential BETWEEN 1 AND 3", name="potential_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="CASCADE"))
    period_end: Mapped[date] = mapped_column(Date)
    performance: Mapped[int] = mapped_column(Integer)
    potential: Mapped[int] = mapped_column(Integer)
    rated_by_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id", ondelete="SET NULL"))


class EngagementScore(Base):
    """An engagement pulse answer in [0, 1] on a date."""

    __tablename__ = "engagement_score"
    __table_args__ = (
        UniqueConstraint("employee_id", "observed_on"),
        CheckConstraint("score >= 0 AND score <= 1", name="score_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="CASCADE"))
    observed_on: Mapped[date] = mapped_column(Date)
    score: Mapped[float] = mapped_column(Float)
