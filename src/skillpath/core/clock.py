"""Timezone-aware time helpers; engines receive dates as arguments instead of reading a clock."""

from __future__ import annotations

from datetime import UTC, date, datetime


def utcnow() -> datetime:
    """The current time as an aware UTC datetime."""
    return datetime.now(UTC)


def today() -> date:
    """Today's date in UTC."""
    return utcnow().date()


def as_utc(moment: datetime) -> datetime:
    """Attach UTC to a naive datetime (assumed UTC) or convert an aware one to UTC."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)
