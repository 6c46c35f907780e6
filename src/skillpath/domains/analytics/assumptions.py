"""The ROI assumptions HR edits: read them (with their defaults) and change them (HR only,
validated, audited). ROI figures use the stored values when no others are given."""

from __future__ import annotations

import math
from dataclasses import fields

from sqlalchemy.orm import Session

from skillpath.core.errors import ForbiddenError, InvalidInputError
from skillpath.core.errors import Problem as InputProblem
from skillpath.domains.analytics import impact_repository as repository
from skillpath.domains.analytics.engine.measures import Assumptions
from skillpath.domains.analytics.impact_schemas import AssumptionRead
from skillpath.domains.identity import service as identity
from skillpath.domains.identity.visibility import Viewer

MAX_RAMP_MONTHS = 36.0
MAX_SHARE = 10.0
"""A leaver's replacement cost beyond ten yearly salaries is a typing error, not an estimate."""
UNITS = {
    "cost_per_external_hire": "currency",
    "internal_transition_cost": "currency",
    "loaded_hourly_rate": "currency",
    "replacement_cost_share": "share",
    "average_salary": "currency",
    "productivity_ramp_months_external": "months",
    "productivity_ramp_months_internal": "months",
}
NAMES = tuple(field.name for field in fields(Assumptions))
DEFAULTS = Assumptions()


def current(session: Session) -> Assumptions:
    """The assumptions in force: the stored values, the defaults for the rest."""
    stored = {row.key: row.value for row in repository.stored_assumptions(session)}
    return Assumptions(**{name: stored[name] for name in NAMES if name in stored})


def list_assumptions(session: Session, *, viewer: Viewer) -> list[AssumptionRead]:
    """Every assumption with its value, default, unit and who last changed it (HR and
    executives)."""
    if not viewer.sees_everyone:
        raise ForbiddenError("Only HR administrators and executives see ROI assumptions.")
    rows = {row.key: row for row in repository.stored_assumptions(session)}
    emails = repository.user_emails(
        session, [row.updated_by_id for row in rows.values() if row.updated_by_id is not None]
    )
    found = []
    for name in NAMES:
        row = rows.get(name)
        default = float(getattr(DEFAULTS, name))
        found.append(
            AssumptionRead(
                key=name,
                value=row.value if row else default,
                default=default,
                unit=UNITS[name],
                updated_at=row.updated_at if row else None,
                updated_by=(emails.get(row.updated_by_id) if row and row.updated_by_id else None),
            )
        )
    return found


def _problems(values: dict[str, float]) -> list[InputProblem]:
    problems = []
    for name, value in values.items():
        if name not in UNITS:
            problems.append(InputProblem("is not an assumption", column=name))
            continue
        if not isinstance(value, int | float) or isinstance(value, bool):
            problems.append(InputProblem("must be a number", column=name, value=str(value)))
        elif not math.isfinite(value) or value < 0:
            problems.append(
                InputProblem("must be a non-negative number", column=name, value=str(value))
            )
        elif UNITS[name] == "months" and value > MAX_RAMP_MONTHS:
            problems.append(
                InputProblem(
                    f"must be at most {MAX_RAMP_MONTHS:g} months", column=name, value=str(value)
                )
            )
        elif UNITS[name] == "share" and value > MAX_SHARE:
            problems.append(
                InputProblem(
                    f"must be at most {MAX_SHARE:g} (yearly salaries)",
                    column=name,
                    value=str(value),
                )
            )
    return problems


def update_assumptions(
    session: Session, *, viewer: Viewer, values: dict[str, float]
) -> list[AssumptionRead]:
    """Set some assumptions (HR administrators only; every problem reported at once; nothing
    is saved unless every value is valid); audited with the old and new values."""
    if not viewer.can_administer:
        raise ForbiddenError("Only HR administrators change ROI assumptions.")
    if not values:
        raise InvalidInputError(
            "The assumptions are not valid.", [InputProblem("give at least one assumption")]
        )
    problems = _problems(values)
    if problems:
        raise InvalidInputError("The assumptions are not valid.", problems)
    before = current(session)
    changes: dict[str, list[float]] = {}
    user_id = viewer.user_id if viewer.user_id > 0 else None
    for name, value in values.items():
        old = float(getattr(before, name))
        repository.save_assumption(session, name, float(value), user_id)
        if old != float(value):
            changes[name] = [old, float(value)]
    if changes:
        identity.record_audit(
            session,
            actor=viewer.email,
            actor_user_id=user_id,
            action="analytics.assumptions.update",
            entity_type="analytics_setting",
            entity_id=",".join(sorted(changes)),
            summary="changed ROI assumptions: " + ", ".join(sorted(changes)),
            details={"changes": changes},
        )
    return list_assumptions(session, viewer=viewer)
