"""Tables of analytics: the ROI assumptions HR edits (one row per assumption)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Float, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from skillpath.core.clock import utcnow
from skillpath.db.base import Base


class AnalyticsSetting(Base):
    """One ROI assumption as HR set it (a name of `engine.measures.Assumptions` and its value);
    assumptions without a row take their default."""

    __tablename__ = "analytics_setting"
    __table_args__ = (CheckConstraint("value >= 0", name="value_not_negative"),)

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[float] = mapped_column(Float)
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("app_user.id", ondelete="SET NULL")
    )
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
