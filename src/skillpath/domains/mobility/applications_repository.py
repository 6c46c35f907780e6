"""SQL of the application lifecycle: interests and applications, applicants of an opportunity,
gig approvals and time shares, and filling a role internally (docs/mobility.md)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date

from sqlalchemy import Row, func, select
from sqlalchemy.orm import Session

from skillpath.domains.identity.visibility import reporting_line
from skillpath.domains.mobility.models import Opportunity, OpportunityInterest
from skillpath.domains.people.models import Employee, Move, Opening, Role

NON_ROLE_KINDS = ("gig", "project", "stretch", "mentoring")


def opportunity_by_id(session: Session, opportunity_id: int) -> Opportunity | None:
    """The opportunity with this id, if any."""
    return session.get(Opportunity, opportunity_id)


def employee_by_id(session: Session, employee_id: int) -> Employee | None:
    """The employee with this id, if any."""
    return session.get(Employee, employee_id)


def role_by_id(session: Session, role_id: int) -> Role | None:
    """The role with this id, if any."""
    return session.get(Role, role_id)


def opening_by_id(session: Session, opening_id: int) -> Opening | None:
    """The opening with this id, if any."""
    return session.get(Opening, opening_id)


def interest_by_id(session: Session, interest_id: int) -> OpportunityInterest | None:
    """The interest (or application) with this id, if any."""
    return session.get(OpportunityInterest, interest_id)


def interest_of(
    session: Session, *, opportunity_id: int, employee_id: int
) -> OpportunityInterest | None:
    """A person's interest in an opportunity, if they have one."""
    return session.scalars(
        select(OpportunityInterest).where(
            OpportunityInterest.opportunity_id == opportunity_id,
            OpportunityInterest.employee_id == employee_id,
        )
    ).first()


def add(session: Session, row: OpportunityInterest | Move) -> None:
    """Add a row and flush (so that it has its id)."""
    session.add(row)
    session.flush()


def is_above(session: Session, *, manager_id: int, employee_id: int) -> bool:
    """Whether `employee_id` reports, directly or not, to `manager_id`."""
    line = reporting_line(manager_id)
    found = session.scalar(select(line.c.id).where(line.c.id == employee_id).limit(1))
    return found is not None


def interests_of_employee(
    session: Session, *, employee_id: int, statuses: Collection[str] | None = None
) -> Sequence[Row[OpportunityInterest, Opportunity]]:
    """A person's interests with their opportunities, most recently changed first."""
    statement = (
        select(OpportunityInterest, Opportunity)
        .join(Opportunity, Opportunity.id == OpportunityInterest.opportunity_id)
        .where(OpportunityInterest.employee_id == employee_id)
        .order_by(OpportunityInterest.updated_at.desc(), OpportunityInterest.id.desc())
    )
    if statuses is not None:
        statement = statement.where(OpportunityInterest.status.in_(sorted(statuses)))
    return session.execute(statement).all()


def applicants_of(
    session: Session, *, opportunity_id: int, statuses: Collection[str]
) -> Sequence[Row[OpportunityInterest, Employee]]:
    """The people with one of these statuses for an opportunity, with their records, the
    earliest application first (then by id)."""
    return session.execute(
        select(OpportunityInterest, Employee)
        .join(Employee, Employee.id == OpportunityInterest.employee_id)
        .where(
            OpportunityInterest.opportunity_id == opportunity_id,
            OpportunityInterest.status.in_(sorted(statuses)),
        )
        .order_by(
            OpportunityInterest.applied_at.is_(None),
            OpportunityInterest.applied_at,
            OpportunityInterest.created_at,
            OpportunityInterest.id,
        )
    ).all()


def others_with_status(
    session: Session, *, opportunity_id: int, employee_id: int, statuses: Collection[str]
) -> Sequence[OpportunityInterest]:
    """The interests in an opportunity of everyone but one person, with one of these statuses."""
    return session.scalars(
        select(OpportunityInterest).where(
            OpportunityInterest.opportunity_id == opportunity_id,
            OpportunityInterest.employee_id != employee_id,
            OpportunityInterest.status.in_(sorted(statuses)),
        )
    ).all()


def approved_commitments(
    session: Session, *, employee_id: int, exclude_interest_id: int | None = None
) -> Sequence[Row[int, float, date | None, int | None]]:
    """(interest id, time share, starts on, duration in weeks) of the non-role opportunities a
    person was selected for with the approval given, whose opportunity is not closed (the
    caller drops the ones already over)."""
    statement = (
        select(
            OpportunityInterest.id,
            Opportunity.time_share,
            Opportunity.starts_on,
            Opportunity.duration_weeks,
        )
        .join(Opportunity, Opportunity.id == OpportunityInterest.opportunity_id)
        .where(
            OpportunityInterest.employee_id == employee_id,
            OpportunityInterest.status == "selected",
            OpportunityInterest.approval == "approved",
            Opportunity.kind.in_(NON_ROLE_KINDS),
            Opportunity.status != "closed",
        )
        .order_by(OpportunityInterest.id)
    )
    if exclude_interest_id is not None:
        statement = statement.where(OpportunityInterest.id != exclude_interest_id)
    return session.execute(statement).all()


def pending_approvals(
    session: Session, *, manager_id: int | None
) -> Sequence[Row[OpportunityInterest, Opportunity, Employee]]:
    """Selections for non-role opportunities waiting for approval: of the direct reports of
    `manager_id`, or everyone's (None), oldest first."""
    statement = (
        select(OpportunityInterest, Opportunity, Employee)
        .join(Opportunity, Opportunity.id == OpportunityInterest.opportunity_id)
        .join(Employee, Employee.id == OpportunityInterest.employee_id)
        .where(
            OpportunityInterest.status == "selected",
            OpportunityInterest.approval == "pending",
        )
        .order_by(OpportunityInterest.updated_at, OpportunityInterest.id)
    )
    if manager_id is not None:
        statement = statement.where(Employee.manager_id == manager_id)
    return session.execute(statement).all()


def shared_with_manager(
    session: Session, *, manager_id: int, statuses: Collection[str]
) -> Sequence[Row[OpportunityInterest, Opportunity, Employee]]:
    """The interests that a manager's direct reports chose to share with them."""
    return session.execute(
        select(OpportunityInterest, Opportunity, Employee)
        .join(Opportunity, Opportunity.id == OpportunityInterest.opportunity_id)
        .join(Employee, Employee.id == OpportunityInterest.employee_id)
        .where(
            Employee.manager_id == manager_id,
            OpportunityInterest.shared_with_manager.is_(True),
            OpportunityInterest.status.in_(sorted(statuses)),
        )
        .order_by(OpportunityInterest.updated_at.desc(), OpportunityInterest.id.desc())
    ).all()


def pipeline_counts(session: Session, *, statuses: Collection[str]) -> Sequence[Row[str, str, int]]:
    """(opportunity kind, interest status, count) over every opportunity: no names."""
    return session.execute(
        select(Opportunity.kind, OpportunityInterest.status, func.count())
        .join(Opportunity, Opportunity.id == OpportunityInterest.opportunity_id)
        .where(OpportunityInterest.status.in_(sorted(statuses)))
        .group_by(Opportunity.kind, OpportunityInterest.status)
        .order_by(Opportunity.kind, OpportunityInterest.status)
    ).all()


def move_exists(session: Session, *, employee_id: int, moved_on: date, to_role_id: int) -> bool:
    """Whether the history already has this move (one per person, day and target role)."""
    found = session.scalar(
        select(Move.id).where(
            Move.employee_id == employee_id,
            Move.moved_on == moved_on,
            Move.to_role_id == to_role_id,
        )
    )
    return found is not None
