"""In-app match notifications: "a new opportunity matches you very highly" (docs/mobility.md).

The service sends them when an opportunity is opened; the person reads them on the marketplace
page, which marks them read once shown. Only the recipient sees their own notifications.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel
from sqlalchemy.orm import Session

from skillpath.core.clock import utcnow
from skillpath.domains.identity.visibility import Viewer
from skillpath.domains.mobility import repository
from skillpath.domains.mobility.engine.matching import band

SHOWN_AT_MOST = 20


class MatchNotice(BaseModel):
    """A notification that an opportunity matched the person when it opened."""

    id: int
    opportunity_id: int
    title: str
    kind: str
    score: float
    band: str
    sent_at: datetime


def unread_notices(
    session: Session, *, viewer: Viewer, mark_read: bool = False
) -> list[MatchNotice]:
    """The viewer's unread notifications about opportunities still open, newest first; with
    `mark_read`, every unread one (also of opportunities no longer open) is marked read."""
    if viewer.employee_id is None:
        return []
    rows = repository.notifications_of(session, viewer.employee_id, 200)
    notices: list[MatchNotice] = []
    now = utcnow()
    for notification, title, kind, status in rows:
        if notification.read_at is not None:
            continue
        if status == "open" and len(notices) < SHOWN_AT_MOST:
            notices.append(
                MatchNotice(
                    id=notification.id,
                    opportunity_id=notification.opportunity_id,
                    title=title,
                    kind=kind,
                    score=notification.score,
                    band=band(notification.score),
                    sent_at=notification.sent_at,
                )
            )
        if mark_read:
            notification.read_at = now
    if mark_read:
        session.flush()
    return notices
