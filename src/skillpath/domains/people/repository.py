"""SQL of the people domain: org units, locations, roles and profiles, employees, history."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from skillpath.domains.people.models import Employee


def employee_by_external_id(session: Session, external_id: str) -> Employee | None:
    """The employee with this external id, if any."""
    return session.scalars(select(Employee).where(Employee.external_id == external_id)).first()


def employee_by_id(session: Session, employee_id: int) -> Employee | None:
    """The employee with this id, if any."""
    return session.get(Employee, employee_id)
