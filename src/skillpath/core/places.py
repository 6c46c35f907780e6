"""Facts about places that several domains compare: a time zone's UTC offset on a day, and the
primary language of a locale tag."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def utc_offset(zone: str | None, day: date) -> float:
    """Hours ahead of UTC of a time zone at noon UTC on `day` (0 for an unknown or empty zone)."""
    try:
        info = ZoneInfo(zone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return 0.0
    offset = datetime.combine(day, time(12), tzinfo=UTC).astimezone(info).utcoffset()
    return offset.total_seconds() / 3600 if offset is not None else 0.0


def language_of(tag: str) -> str:
    """The primary language subtag of a locale or language tag ("pt_BR" → "pt")."""
    return tag.strip().replace("_", "-").split("-", 1)[0].lower()
