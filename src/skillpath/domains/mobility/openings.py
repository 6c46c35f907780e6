"""The open openings a manager or HR may post as role opportunities (docs/mobility.md)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel
from sqlalchemy.orm import Session

from skillpath.core.clock import today as utc_today
from skillpath.domains.identity.visibility import Viewer
from skillpath.domains.mobility import openings_repository as repository
from skillpath.domains.people.schemas import RoleRef


class OpeningChoice(BaseModel):
    """An open opening not posted yet, as the posting form offers it."""

    id: int
    external_id: str
    opened_on: date
    role: RoleRef
    unit: str | None
    location: str | None
    hiring_manager: str | None


def postable_openings(
    session: Session, *, viewer: Viewer, today: date | None = None
) -> list[OpeningChoice]:
    """Open openings without an opportunity yet, oldest first: HR sees all of them; a manager
    those whose hiring manager is them or someone in their reporting line; others none."""
    day = today or utc_today()
    if viewer.can_administer:
        manager_id = None
    elif viewer.role == "manager" and viewer.employee_id is not None:
        manager_id = viewer.employee_id
    else:
        return []
    return [
        OpeningChoice(
            id=row.id,
            external_id=row.external_id,
            opened_on=row.opened_on,
            role=RoleRef(id=row.role_id, title=row.role_title),
            unit=row.unit,
            location=row.location,
            hiring_manager=f"{row.first_name} {row.last_name}" if row.first_name else None,
        )
        for row in repository.postable_openings(session, manager_id=manager_id, day=day)
    ]
