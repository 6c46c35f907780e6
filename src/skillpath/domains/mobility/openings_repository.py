"""SQL of the openings a manager or HR may post as role opportunities."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from skillpath.domains.identity.visibility import reporting_line
from skillpath.domains.mobility.models import Opportunity
from skillpath.domains.people.models import Employee, Location, Opening, OrgUnit, Role

MAX_OPENINGS = 500


def postable_openings(session: Session, *, manager_id: int | None, day: date) -> list[Any]:
    """Open openings (opened by `day`) no opportunity is posted for yet, oldest first, with role
    title, unit, location and hiring manager; only those whose hiring manager is `manager_id` or
    in their reporting line unless `manager_id` is None (everyone's)."""
    hiring = aliased(Employee)
    query = (
        select(
            Opening.id,
            Opening.external_id,
            Opening.opened_on,
            Role.id.label("role_id"),
            Role.title.label("role_title"),
            OrgUnit.name.label("unit"),
            Location.name.label("location"),
            hiring.first_name,
            hiring.last_name,
        )
        .join(Role, Role.id == Opening.role_id)
        .outerjoin(OrgUnit, OrgUnit.id == Opening.org_unit_id)
        .outerjoin(Location, Location.id == Opening.location_id)
        .outerjoin(hiring, hiring.id == Opening.hiring_manager_id)
        .where(
            Opening.status == "open",
            Opening.opened_on <= day,
            ~select(Opportunity.id).where(Opportunity.opening_id == Opening.id).exists(),
        )
        .order_by(Opening.opened_on, Opening.id)
        .limit(MAX_OPENINGS)
    )
    if manager_id is not None:
        line = reporting_line(manager_id)
        query = query.where(
            (Opening.hiring_manager_id == manager_id)
            | Opening.hiring_manager_id.in_(select(line.c.id))
        )
    return list(session.execute(query).all())
