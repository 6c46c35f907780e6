"""Tables of the taxonomy: sources, skills (and groups), aliases, relations, scales."""

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

SKILL_KINDS = ("skill", "knowledge", "competence", "tool", "language", "group")
SKILL_STATUSES = ("active", "deprecated")
RELATION_KINDS = ("broader", "related", "prerequisite", "essential_for", "optional_for")
ALIAS_KINDS = ("alt", "hidden")


class TaxonomySource(Base):
    """Where a set of skills came from (ESCO, O*NET, the demo taxonomy, a custom CSV)."""

    __tablename__ = "taxonomy_source"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    version: Mapped[str] = mapped_column(String(40), default="")
    language: Mapped[str] = mapped_column(String(12), default="en")
    attribution: Mapped[str] = mapped_column(Text, default="")
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)


class Skill(Base):
    """A skill, knowledge area, competence, tool or a group of them (kind='group')."""

    __tablename__ = "skill"
    __table_args__ = (
        UniqueConstraint("source_id", "external_id"),
        CheckConstraint(one_of("kind", SKILL_KINDS), name="kind"),
        CheckConstraint(one_of("status", SKILL_STATUSES), name="status"),
        Index("ix_skill_name_lower", "name_lower"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("taxonomy_source.id", ondelete="CASCADE"))
    external_id: Mapped[str] = mapped_column(String(300))
    name: Mapped[str] = mapped_column(String(300))
    name_lower: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(20), default="skill")
    status: Mapped[str] = mapped_column(String(20), default="active")
    reuse_level: Mapped[str] = mapped_column(String(40), default="")
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("skill.id", ondelete="SET NULL"), index=True
    )
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class SkillAlias(Base):
    """Another label of a skill: a synonym (alt) or a search-only misspelling (hidden)."""

    __tablename__ = "skill_alias"
    __table_args__ = (
        UniqueConstraint("skill_id", "label"),
        CheckConstraint(one_of("kind", ALIAS_KINDS), name="kind"),
        Index("ix_skill_alias_label_lower", "label_lower"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    skill_id: Mapped[int] = mapped_column(ForeignKey("skill.id", ondelete="CASCADE"))
    label: Mapped[str] = mapped_column(String(300))
    label_lower: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(10), default="alt")


class SkillExternalId(Base):
    """An identifier of a skill in another system (an ESCO URI for a demo skill, an O*NET code)."""

    __tablename__ = "skill_external_id"
    __table_args__ = (UniqueConstraint("skill_id", "system"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    skill_id: Mapped[int] = mapped_column(ForeignKey("skill.id", ondelete="CASCADE"))
    system: Mapped[str] = mapped_column(String(40))
    value: Mapped[str] = mapped_column(String(300), index=True)


class SkillRelation(Base):
    """A typed link between two skills; `broader` links form the (poly)hierarchy."""

    __tablename__ = "skill_relation"
    __table_args__ = (
        UniqueConstraint("from_skill_id", "to_skill_id", "kind"),
        CheckConstraint(one_of("kind", RELATION_KINDS), name="kind"),
        CheckConstraint("from_skill_id <> to_skill_id", name="not_self"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    from_skill_id: Mapped[int] = mapped_column(ForeignKey("skill.id", ondelete="CASCADE"))
    to_skill_id: Mapped[int] = mapped_column(ForeignKey("skill.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))


class ProficiencyScale(Base):
    """A display scale for proficiency (5-point, SFIA 1–7, O*NET 0–7, or the org's own)."""

    __tablename__ = "proficiency_scale"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(100))


class ScaleLevel(Base):
    """One level of a display scale and the latent value in [0, 1] it stands for."""

    __tablename__ = "scale_level"
    __table_args__ = (
        UniqueConstraint("scale_id", "ordinal"),
        CheckConstraint("value >= 0 AND value <= 1", name="value_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    scale_id: Mapped[int] = mapped_column(ForeignKey("proficiency_scale.id", ondelete="CASCADE"))
    ordinal: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(100))
    descriptor: Mapped[str] = mapped_column(Text, default="")
    value: Mapped[float] = mapped_column(Float)
