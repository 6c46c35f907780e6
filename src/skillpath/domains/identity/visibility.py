"""The one visibility rule for personal data: `visible_to(viewer)`.

An employee sees their own record; a manager sees their whole reporting line (direct and
indirect reports); HR admins and executives see everyone. Every repository query that returns
personal data filters with this predicate.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, false, literal, select, true
from sqlalchemy.orm import aliased
from sqlalchemy.sql.selectable import CTE

from skillpath.domains.people.models import Employee

ORG_WIDE_ROLES = frozenset({"hr_admin", "executive"})


@dataclass(frozen=True)
class Viewer:
    """Who is looking: the user, their application role and the employee record they are."""

    user_id: int
    email: str
    role: str
    employee_id: int | None

    @property
    def sees_everyone(self) -> bool:
        """HR admins and executives see every person's data."""
        return self.role in ORG_WIDE_ROLES

    @property
    def can_administer(self) -> bool:
        """Only HR admins change organisation-wide data (imports, taxonomy, catalog)."""
        return self.role == "hr_admin"


_CHILD = aliased(Employee)
"""The recursive step's employee (one alias for the process: building an alias per call costs
more than the query it serves)."""


def reporting_line(manager_id: int) -> CTE:
    """A recursive CTE of the ids of everyone who reports, directly or not, to `manager_id`."""
    base = select(Employee.id.label("id")).where(Employee.manager_id == manager_id)
    tree = base.cte("reporting_line", recursive=True)
    child = _CHILD
    return tree.union(select(child.id).where(child.manager_id == tree.c.id))


def visible_to(
    viewer: Viewer, employee_id_column: ColumnElement[int] | None = None
) -> ColumnElement[bool]:
    """A SQL predicate true for rows whose employee the viewer may see.

    `employee_id_column` is the column holding the employee id of the row (default: `Employee.id`).
    """
    column = employee_id_column if employee_id_column is not None else Employee.id
    if viewer.sees_everyone:
        return true()
    if viewer.employee_id is None:
        return false()
    line = reporting_line(viewer.employee_id)
    return (column == literal(viewer.employee_id)) | column.in_(select(line.c.id))
