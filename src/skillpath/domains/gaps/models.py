"""Tables of gap snapshots: the roll-ups of one moment, kept so trends can be shown.

A snapshot holds, per lens (a strategic priority, or NULL for every active priority combined),
per population (an org unit and everything below it, or NULL for the whole organisation) and per
skill in demand there: demand, met, supply, coverage and impact, exactly as the gap engine
computed them (`engine/gaps.py`). Units are stored when their subtree holds enough people
(`GapSnapshotUnit`); smaller ones are computed live. At most one snapshot is kept per calendar
month: taking another in the same month replaces it, so the month's point is its latest state.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from skillpath.db.base import Base, one_of

SNAPSHOT_BASES = ("profiles", "evidence")
"""Where the levels came from: the stored consolidated profiles, or evidence consolidated as of
the snapshot's date (snapshots of past months)."""


class GapSnapshot(Base):
    """One computation of every gap roll-up, as of a date."""

    __tablename__ = "gap_snapshot"
    __table_args__ = (CheckConstraint(one_of("basis", SNAPSHOT_BASES), name="basis"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    as_of: Mapped[date] = mapped_column(Date, unique=True)
    month: Mapped[str] = mapped_column(String(7), unique=True)
    """`YYYY-MM` of `as_of`: one snapshot per month."""
    taken_at: Mapped[datetime] = mapped_column()
    basis: Mapped[str] = mapped_column(String(10), default="profiles")
    employees: Mapped[int] = mapped_column(Integer)
    """People counted (employed on `as_of`, with a role)."""
    lines: Mapped[int] = mapped_column(Integer)
    inputs: Mapped[str] = mapped_column(String(200), default="")
    """A fingerprint of the inputs (profiles build, workforce, role profiles, priorities); when it
    equals the current one the snapshot is up to date and answers for "now"."""


class GapSnapshotUnit(Base):
    """A population a snapshot stores lines for: an org unit whose subtree held at least the
    threshold of people that day (smaller units are computed live: they are cheap)."""

    __tablename__ = "gap_snapshot_unit"

    snapshot_id: Mapped[int] = mapped_column(
        ForeignKey("gap_snapshot.id", ondelete="CASCADE"), primary_key=True
    )
    unit_id: Mapped[int] = mapped_column(
        ForeignKey("org_unit.id", ondelete="CASCADE"), primary_key=True
    )
    people: Mapped[int] = mapped_column(Integer)
    every_lens: Mapped[bool] = mapped_column(default=False)
    """Lines are stored for each priority's lens too (large units), not only the combined one."""


class GapSnapshotLine(Base):
    """The roll-up figures of one (lens, population, skill) in a snapshot."""

    __tablename__ = "gap_snapshot_line"
    __table_args__ = (
        # Lines of one (snapshot, lens, population) and, within it, of given skills (heatmap
        # cells, trends); ranking by impact sorts one population's lines (a few thousand).
        Index("ix_gap_snapshot_line_lookup", "snapshot_id", "priority_id", "unit_id", "skill_id"),
        CheckConstraint("coverage >= 0 AND coverage <= 1", name="coverage_range"),
        CheckConstraint("met <= demand", name="met_within_demand"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    snapshot_id: Mapped[int] = mapped_column(ForeignKey("gap_snapshot.id", ondelete="CASCADE"))
    priority_id: Mapped[int | None] = mapped_column(
        ForeignKey("strategic_priority.id", ondelete="CASCADE")
    )
    """NULL: every active priority combined (the highest weight any of them gives)."""
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id", ondelete="CASCADE"))
    """NULL: the whole organisation; otherwise the unit and every unit below it."""
    skill_id: Mapped[int] = mapped_column(ForeignKey("skill.id", ondelete="CASCADE"))
    demand: Mapped[int] = mapped_column(Integer)
    met: Mapped[int] = mapped_column(Integer)
    supply: Mapped[int] = mapped_column(Integer)
    coverage: Mapped[float] = mapped_column(Float)
    impact: Mapped[float] = mapped_column(Float)
    shortfall_sum: Mapped[float] = mapped_column(Float)
    reference_level: Mapped[float] = mapped_column(Float)
