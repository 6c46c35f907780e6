"""Learning paths in the demo company, made through the path service like a customer would:
two transition templates (the stories' Customer Support Rep → Salesforce Administrator and
Marketing Coordinator → Data Analyst), a cohort that started six weeks ago with members at
different points (some ahead, one behind), and plans waiting in the story manager's approval
queue. Everything is computed by the planner from the generated people and catalog.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from skillpath.core.errors import SkillpathError
from skillpath.domains.identity.models import User
from skillpath.domains.identity.service import viewer_for
from skillpath.domains.identity.visibility import Viewer
from skillpath.domains.learning import paths
from skillpath.domains.learning.path_schemas import CohortIn, PathRequest, TemplateIn
from skillpath.domains.people.models import Employee, Role

TRANSITIONS = (
    (
        "Customer Support Rep → Salesforce Administrator",
        "Customer Support Rep",
        "Salesforce Administrator",
        "From the support desk to running our CRM: CRM basics, a project-based reports course, "
        "a mentorship with a senior administrator and a capstone on our own org.",
    ),
    (
        "Marketing Coordinator → Data Analyst",
        "Marketing Coordinator",
        "Data Analyst",
        "Excel and SQL basics, then Tableau, Python and R, then cross-department projects "
        "mentored by a senior analyst.",
    ),
)
COHORT_SIZE = 8
COHORT_WEEKS_AGO = 6
"""The first cohort started this many weeks before the demo's date."""


@dataclass
class PathsSeeded:
    """What the demo planned."""

    templates: int = 0
    cohorts: int = 0
    paths: int = 0
    steps_done: int = 0
    refused: list[str] = field(default_factory=list)


def _role_id(session: Session, title: str) -> int | None:
    return session.scalar(select(Role.id).where(Role.title == title).order_by(Role.id).limit(1))


def _people_in_role(
    session: Session, role_id: int, day: date, first: int | None, limit: int
) -> list[int]:
    query = (
        select(Employee.id)
        .where(
            Employee.role_id == role_id,
            Employee.hired_on <= day - timedelta(weeks=COHORT_WEEKS_AGO),
            (Employee.left_on.is_(None)) | (Employee.left_on > day),
        )
        .order_by(Employee.id)
    )
    found = list(session.scalars(query))
    ordered = ([first] if first in found else []) + [p for p in found if p != first]
    return ordered[:limit]


def _viewer(session: Session, email: str | None) -> Viewer:
    if email is not None:
        user = session.scalar(select(User).where(User.email == email))
        if user is not None:
            return viewer_for(user)
    return paths.SYSTEM


def seed_paths(
    session: Session,
    *,
    as_of: date,
    hr_email: str | None,
    employee_id: int | None,
    manager_id: int | None,
) -> PathsSeeded:
    """Templates, a cohort with progress, and proposed plans for the manager to decide."""
    seeded = PathsSeeded()
    hr = _viewer(session, hr_email)
    started = as_of - timedelta(weeks=COHORT_WEEKS_AGO)
    templates = []
    for name, source, target, description in TRANSITIONS:
        source_id, target_id = _role_id(session, source), _role_id(session, target)
        if source_id is None or target_id is None:
            continue
        template = paths.create_template(
            session,
            viewer=hr,
            data=TemplateIn(
                name=name,
                description=description,
                mode="reskill",
                from_role_id=source_id,
                target_role_id=target_id,
                hours_per_week=paths.DEFAULT_HOURS_PER_WEEK,
            ),
        )
        templates.append((template, source_id))
        seeded.templates += 1
    if templates:
        template, source_id = templates[0]
        members = _people_in_role(session, source_id, as_of, employee_id, COHORT_SIZE)
        if members:
            cohort = paths.assign_template(
                session,
                viewer=hr,
                template_id=template.id,
                data=CohortIn(
                    name=f"{template.name} — {started:%B %Y}",
                    employee_ids=members,
                    start=started,
                ),
                today=as_of,
            )
            seeded.cohorts += 1
            seeded.paths += len(cohort.members)
            seeded.refused.extend(cohort.refused)
            for rank, member in enumerate(cohort.members):
                seeded.steps_done += _progress(session, hr, member.path.id, rank, as_of)
    if manager_id is not None:
        seeded.paths += _proposals(session, hr, manager_id, employee_id, as_of)
    return seeded


def _progress(session: Session, viewer: Viewer, path_id: int, rank: int, as_of: date) -> int:
    """Complete the steps due by now, on their planned end day, except: every third member is
    one step behind, and one member has done nothing (behind schedule)."""
    if rank == 1:
        return 0
    path = paths.get_path(session, viewer=viewer, path_id=path_id, today=as_of)
    due = [
        step
        for month in path.months
        for step in month.steps
        if step.end <= as_of and step.id is not None
    ]
    if rank % 3 == 2 and due:
        due = due[:-1]
    done = 0
    for step in due:
        assert step.id is not None
        paths.complete_step(
            session,
            viewer=viewer,
            path_id=path_id,
            step_id=step.id,
            completed_on=step.end,
            today=as_of,
        )
        done += 1
    return done


def _proposals(
    session: Session, viewer: Viewer, manager_id: int, employee_id: int | None, as_of: date
) -> int:
    """Two of the manager's direct reports propose plans (upskilling, and a move to the
    second story's target role when it exists)."""
    reports = list(
        session.scalars(
            select(Employee.id)
            .where(
                Employee.manager_id == manager_id,
                Employee.id != (employee_id or -1),
                (Employee.left_on.is_(None)) | (Employee.left_on > as_of),
            )
            .order_by(Employee.id)
            .limit(2)
        )
    )
    target = _role_id(session, "Salesforce Administrator")
    requests = [PathRequest(mode="upskill")]
    if target is not None:
        requests.append(PathRequest(mode="reskill", target_role_id=target))
    made = 0
    for person, request in zip(reports, requests, strict=False):
        try:
            with session.begin_nested():
                path = paths.create_path(
                    session, viewer=viewer, employee_id=person, request=request, today=as_of
                )
                assert path.id is not None
                paths.propose_path(session, viewer=viewer, path_id=path.id, today=as_of)
                made += 1
        except SkillpathError:
            continue
    return made
