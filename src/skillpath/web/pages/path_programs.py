"""Learning-path programs for managers and HR (docs/paths.md): the approval queue of proposed
paths, HR's path templates, assigning a template to a cohort, and cohort progress."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from starlette.datastructures import FormData, QueryParams

from skillpath.core.clock import today as utc_today
from skillpath.core.errors import (
    ConflictError,
    ForbiddenError,
    InvalidInputError,
    NotFoundError,
    Problem,
)
from skillpath.core.levels import DEFAULT_SCALE
from skillpath.domains.campaigns import service as campaigns_service
from skillpath.domains.identity.models import User
from skillpath.domains.identity.visibility import Viewer
from skillpath.domains.learning import paths
from skillpath.domains.learning.engine.model import PEDAGOGY_STAGE
from skillpath.domains.learning.path_schemas import (
    CohortIn,
    CohortMember,
    CohortRead,
    GoalIn,
    TemplateIn,
    TemplateRead,
)
from skillpath.domains.people import service as people_service
from skillpath.domains.people.schemas import EmployeeSummary
from skillpath.web.deps import CsrfChecked, DbSession, PageUser
from skillpath.web.errors import problem_text
from skillpath.web.i18n import N_, gettext
from skillpath.web.pages.common import NOT_VALID, choice, require_hr, text, viewer_of
from skillpath.web.templating import render

router = APIRouter()
FormText = Annotated[str, Form(max_length=4000)]
OptionalText = Annotated[str | None, Query(max_length=300)]
FLASH_KEY = "programs_flash"
DECISIONS = ("approve", "changes")
TEMPLATE_MODES = ("reskill", "upskill", "assigned")
KINDS = tuple(PEDAGOGY_STAGE)
GOAL_ROWS = 6
"""Skill-and-level rows the template form offers for assigned goals."""
PICKED_MAX = 500
"""People a cohort form can name one by one (units and roles take any number)."""
MATCHES_SHOWN = 12
REFUSED_KEPT = 25
"""Refusals kept for the cohort page after an assignment (the session cookie is small)."""
SORTS = ("behind", "percent", "skipped", "hours", "name", "status")
# The reasons the paths service and these forms give for refused input, spelled out so that
# `make messages` extracts them; forms show them translated next to the field.
PROBLEM_REASONS = (
    N_("must not be empty"),
    N_("is too long"),
    N_("a target role is needed to reskill"),
    N_("name at least one skill and level to reach"),
    N_("templates are for upskilling, reskilling or assigned goals"),
    N_("no role has this id"),
    N_("no skill has this id"),
    N_("a skill is named twice"),
    N_("name people, units or a role with at least one person"),
    N_("say what should change"),
    N_("must be a number"),
    N_("must be a whole number"),
    N_("must be more than 0 and at most 168 hours a week"),
    N_("must not be negative"),
    N_("must be a date (YYYY-MM-DD)"),
    N_("is not one of the choices offered"),
    N_("choose a level for this skill"),
    N_("choose a decision"),
    N_("A template with this name exists already."),
    N_("this person has no current role to upskill in"),
    N_("goals are assigned by a manager or HR"),
    N_("No such person."),
)


async def form_data(request: Request) -> FormData:
    """The posted form (read once; the CSRF check has usually read it already)."""
    return await request.form()


PostedForm = Annotated[FormData, Depends(form_data)]


def _flash(request: Request) -> dict[str, Any] | None:
    """The notice a write left for the next page (shown once)."""
    value = request.session.pop(FLASH_KEY, None)
    return value if isinstance(value, dict) else None


def _field_errors(problems: list[Problem]) -> dict[str, list[str]]:
    """Each refused value's reason, translated, by the form field it belongs to
    (`goals.skill_id` and `goals.level` belong to the goals rows)."""
    found: dict[str, list[str]] = {}
    for problem in problems:
        field = (problem.column or "form").split(".")[0]
        found.setdefault(field, []).append(problem_text(problem))
    return found


def _decider(user: User) -> Viewer:
    """The viewer, if they are a manager, an executive or HR (who decide on paths)."""
    viewer = viewer_of(user)
    if not (viewer.can_administer or viewer.role in ("manager", "executive")):
        raise ForbiddenError("Only managers and HR decide on learning paths.")
    return viewer


# The approval queue


def _approvals_page(
    request: Request,
    session: DbSession,
    user: User,
    *,
    errors: dict[int, list[str]] | None = None,
    notes: dict[int, str] | None = None,
    alert: str | None = None,
    status_code: int = 200,
) -> Response:
    viewer = _decider(user)
    queue = paths.approval_queue(session, viewer=viewer)
    context = {
        "queue": queue,
        "flash": _flash(request),
        "errors": errors or {},
        "notes": notes or {},
        "alert": alert,
        "is_hr": viewer.can_administer,
        "has_record": viewer.employee_id is not None,
    }
    return render(
        request, "path_programs/approvals.html", context, user=user, status_code=status_code
    )


@router.get("/paths/approvals")
def approvals(request: Request, session: DbSession, user: PageUser) -> Response:
    """Proposed paths of the viewer's reporting line (HR: everyone's), oldest first, each
    with Approve and Request changes."""
    return _approvals_page(request, session, user)


@router.post("/paths/approvals/{path_id}", dependencies=[CsrfChecked])
def decide(
    request: Request,
    session: DbSession,
    user: PageUser,
    path_id: int,
    decision: FormText = "",
    note: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Approve a proposed path, or send it back to draft with a note (the note is required);
    a refusal shows the queue again with the reason next to the path."""
    viewer = _decider(user)
    try:
        chosen = choice(decision, DECISIONS, "decision")
        if chosen is None:
            raise InvalidInputError(
                NOT_VALID, [Problem(N_("choose a decision"), column="decision")]
            )
        read = paths.decide_path(
            session, viewer=viewer, path_id=path_id, approve=chosen == "approve", note=note
        )
    except InvalidInputError as error:
        messages = [m for ms in _field_errors(error.problems).values() for m in ms]
        return _approvals_page(
            request,
            session,
            user,
            errors={path_id: messages or [gettext(error.message)]},
            notes={path_id: note},
            status_code=422,
        )
    except ConflictError as error:
        return _approvals_page(
            request, session, user, alert=gettext(error.message), status_code=409
        )
    request.session[FLASH_KEY] = {
        "decision": chosen,
        "name": read.employee.name,
        "title": read.title,
        "path_id": read.id,
    }
    return RedirectResponse("/paths/approvals", status_code=303)


# Templates


def _template_defaults() -> dict[str, Any]:
    return {
        "name": "",
        "description": "",
        "mode": "reskill",
        "from_role_id": "",
        "target_role_id": "",
        "hours_per_week": "2",
        "budget": "",
        "require_kinds": [],
        "avoid_kinds": [],
        "goals": [{"skill_id": "", "level": ""} for _ in range(GOAL_ROWS)],
    }


def _posted_role(value: str, field: str, problems: list[Problem]) -> int | None:
    if value.strip() == "":
        return None
    if not value.strip().isdigit():
        problems.append(Problem(N_("is not one of the choices offered"), column=field, value=value))
        return None
    return int(value.strip())


def _posted_number(value: str, field: str, problems: list[Problem]) -> float | None:
    if value.strip() == "":
        return None
    try:
        number = float(value.strip().replace(",", "."))
    except ValueError:
        problems.append(Problem(N_("must be a number"), column=field, value=value))
        return None
    if number != number or number in (float("inf"), float("-inf")):
        problems.append(Problem(N_("must be a number"), column=field, value=value))
        return None
    return number


def _posted_template(form: FormData) -> tuple[dict[str, Any], TemplateIn | None, list[Problem]]:
    """The values of a posted template form (to show again), and the template they make or the
    problem of every field that cannot be read."""

    def field(name: str, limit: int = 300) -> str:
        value = form.get(name)
        return value[:limit] if isinstance(value, str) else ""

    def many(name: str) -> list[str]:
        return [value for value in form.getlist(name) if isinstance(value, str)]

    problems: list[Problem] = []
    skills = many("goal_skill_id")
    levels = many("goal_level")
    rows = max(GOAL_ROWS, len(skills))
    values: dict[str, Any] = {
        "name": field("name"),
        "description": field("description", 5000),
        "mode": field("mode", 20),
        "from_role_id": field("from_role_id", 20),
        "target_role_id": field("target_role_id", 20),
        "hours_per_week": field("hours_per_week", 20),
        "budget": field("budget", 30),
        "require_kinds": many("require_kinds"),
        "avoid_kinds": many("avoid_kinds"),
        "goals": [
            {
                "skill_id": skills[k] if k < len(skills) else "",
                "level": levels[k] if k < len(levels) else "",
            }
            for k in range(min(rows, 50))
        ],
    }
    mode = choice(values["mode"], TEMPLATE_MODES, "mode")
    if mode is None:
        problems.append(Problem(N_("is not one of the choices offered"), column="mode"))
    from_role = _posted_role(values["from_role_id"], "from_role_id", problems)
    target_role = _posted_role(values["target_role_id"], "target_role_id", problems)
    if mode == "reskill" and target_role is None and not values["target_role_id"].strip():
        # The service says the same; said here too so that every problem shows at once.
        problems.append(Problem(N_("a target role is needed to reskill"), column="target_role_id"))
    hours = _posted_number(values["hours_per_week"], "hours_per_week", problems)
    if hours is not None and not 0 < hours <= 168:
        problems.append(
            Problem(
                N_("must be more than 0 and at most 168 hours a week"),
                column="hours_per_week",
                value=values["hours_per_week"],
            )
        )
    budget = _posted_number(values["budget"], "budget", problems)
    if budget is not None and budget < 0:
        problems.append(
            Problem(N_("must not be negative"), column="budget", value=values["budget"])
        )
    for name in ("require_kinds", "avoid_kinds"):
        for kind in values[name]:
            if kind not in KINDS:
                problems.append(
                    Problem(N_("is not one of the choices offered"), column=name, value=kind)
                )
    goals: list[GoalIn] = []
    if mode == "assigned":
        for row in values["goals"]:
            if row["skill_id"].strip() == "":
                continue
            skill = _posted_role(row["skill_id"], "goals.skill_id", problems)
            level = row["level"].strip()
            if not level.isdigit() or not 1 <= int(level) <= DEFAULT_SCALE.maximum:
                problems.append(Problem(N_("choose a level for this skill"), column="goals.level"))
                continue
            if skill is not None:
                goals.append(GoalIn(skill_id=skill, level=int(level) / DEFAULT_SCALE.maximum))
    if not values["name"].strip():
        problems.append(Problem(N_("must not be empty"), column="name"))
    if len(values["name"]) > 200:
        problems.append(Problem(N_("is too long"), column="name"))
    if len(values["description"]) > 4000:
        problems.append(Problem(N_("is too long"), column="description"))
    if problems or mode is None:
        return values, None, problems
    try:
        data = TemplateIn(
            name=values["name"].strip(),
            description=values["description"],
            mode=mode,
            from_role_id=from_role,
            target_role_id=target_role if mode == "reskill" else None,
            goals=goals,
            hours_per_week=hours if hours is not None else paths.DEFAULT_HOURS_PER_WEEK,
            budget=budget,
            require_kinds=values["require_kinds"],
            avoid_kinds=values["avoid_kinds"],
        )
    except ValidationError as error:
        return (
            values,
            None,
            [
                Problem(N_("is not one of the choices offered"), column=str(e["loc"][0]))
                for e in error.errors()
            ],
        )
    return values, data, []


def _templates_page(
    request: Request,
    session: DbSession,
    user: User,
    *,
    values: dict[str, Any],
    problems: list[Problem] | None = None,
    status_code: int = 200,
) -> Response:
    viewer = require_hr(user)
    templates = paths.list_templates(session, viewer=viewer)
    choices = campaigns_service.form_choices(session, viewer=viewer)
    errors = _field_errors(problems or [])
    context = {
        "templates": templates,
        "roles": choices.roles,
        "skills": choices.skills,
        "kinds": KINDS,
        "values": values,
        "errors": errors,
        "levels": _levels(),
        "open_form": bool(errors) or not templates,
        "waiting": paths.approval_count(session, viewer=viewer),
    }
    return render(
        request, "path_programs/templates.html", context, user=user, status_code=status_code
    )


def _levels() -> list[tuple[int, str]]:
    """The display scale's levels (value, label) for the goal rows."""
    return [
        (k, DEFAULT_SCALE.labels[k - DEFAULT_SCALE.minimum])
        for k in range(DEFAULT_SCALE.minimum, DEFAULT_SCALE.maximum + 1)
    ]


@router.get("/paths/templates")
def templates_list(request: Request, session: DbSession, user: PageUser) -> Response:
    """HR's path templates (transitions, academies, assigned goals) and the form of a new one."""
    return _templates_page(request, session, user, values=_template_defaults())


@router.post("/paths/templates", dependencies=[CsrfChecked])
def create_template(
    request: Request, session: DbSession, user: PageUser, form: PostedForm
) -> Response:
    """Save a template and go to its page; bad input shows the form again with the reason next
    to each field."""
    viewer = require_hr(user)
    values, data, problems = _posted_template(form)
    try:
        if data is None:
            raise InvalidInputError(NOT_VALID, problems)
        created = paths.create_template(session, viewer=viewer, data=data)
    except InvalidInputError as error:
        return _templates_page(
            request, session, user, values=values, problems=error.problems, status_code=422
        )
    except ConflictError:
        return _templates_page(
            request,
            session,
            user,
            values=values,
            problems=[Problem(N_("A template with this name exists already."), column="name")],
            status_code=409,
        )
    request.session[FLASH_KEY] = {"created": created.name}
    return RedirectResponse(f"/paths/templates/{created.id}", status_code=303)


# A template's page: its cohorts and the form to assign it


def _template(session: DbSession, viewer: Viewer, template_id: int) -> TemplateRead:
    found = next(
        (t for t in paths.list_templates(session, viewer=viewer) if t.id == template_id), None
    )
    if found is None:
        raise NotFoundError("No such path template.")
    return found


def _ids(values: list[str], field: str, problems: list[Problem]) -> list[int]:
    ids = []
    for value in values:
        if not value.strip().isdigit():
            problems.append(Problem(N_("must be a whole number"), column=field, value=value))
            continue
        ids.append(int(value.strip()))
    return list(dict.fromkeys(ids))


def _cohort_values(source: FormData | QueryParams, template: TemplateRead) -> dict[str, Any]:
    """The cohort form's values from a posted form or the page's query (the search button
    without JavaScript sends the form to the page), with defaults for a first visit."""

    def field(name: str, limit: int = 300) -> str | None:
        value = source.get(name)
        return value[:limit] if isinstance(value, str) else None

    def many(name: str) -> list[str]:
        return [value for value in source.getlist(name) if isinstance(value, str)]

    name = field("name")
    start = field("start", 20)
    return {
        "name": template.name if name is None else name,
        "start": utc_today().isoformat() if start is None else start,
        "unit_ids": many("unit_id"),
        "role_id": field("role_id", 20) or "",
        "employee_ids": many("employee_id")[:PICKED_MAX],
        "q": text(field("q"), 100) or "",
    }


def _posted_cohort(values: dict[str, Any]) -> tuple[CohortIn | None, list[Problem]]:
    problems: list[Problem] = []
    unit_ids = _ids(values["unit_ids"], "unit_ids", problems)
    employee_ids = _ids(values["employee_ids"], "employee_ids", problems)
    role_id = _posted_role(values["role_id"], "role_id", problems)
    start: date | None = None
    try:
        start = date.fromisoformat(values["start"].strip())
    except ValueError:
        problems.append(
            Problem(N_("must be a date (YYYY-MM-DD)"), column="start", value=values["start"])
        )
    name = values["name"].strip()
    if not name:
        problems.append(Problem(N_("must not be empty"), column="name"))
    elif len(name) > 200:
        problems.append(Problem(N_("is too long"), column="name"))
    if problems:
        return None, problems
    return (
        CohortIn(
            name=name,
            employee_ids=employee_ids,
            unit_ids=unit_ids,
            role_id=role_id,
            start=start,
        ),
        [],
    )


def _picked_people(session: DbSession, viewer: Viewer, ids: list[str]) -> list[EmployeeSummary]:
    """The people a form names one by one (those the viewer may see)."""
    found = []
    for value in ids:
        if not value.strip().isdigit():
            continue
        try:
            found.append(
                people_service.visible_employee_summary(
                    session, viewer=viewer, employee_id=int(value.strip())
                )
            )
        except NotFoundError:
            continue
    return found


def _matches(
    session: DbSession, viewer: Viewer, q: str, picked: list[EmployeeSummary]
) -> list[EmployeeSummary]:
    if len(q) < 2:
        return []
    found, _total = people_service.search_employees(
        session, viewer=viewer, q=q, limit=MATCHES_SHOWN + len(picked)
    )
    chosen = {person.id for person in picked}
    return [person for person in found if person.id not in chosen][:MATCHES_SHOWN]


def _template_page(
    request: Request,
    session: DbSession,
    user: User,
    template_id: int,
    *,
    values: dict[str, Any] | None = None,
    problems: list[Problem] | None = None,
    status_code: int = 200,
) -> Response:
    viewer = require_hr(user)
    template = _template(session, viewer, template_id)
    form = values or _cohort_values(request.query_params, template)
    choices = campaigns_service.form_choices(session, viewer=viewer)
    picked = _picked_people(session, viewer, form["employee_ids"])
    context = {
        "t": template,
        "cohorts": paths.list_cohorts(session, viewer=viewer, template_id=template_id),
        "units": choices.units,
        "roles": choices.roles,
        "values": form,
        "picked": picked,
        "matches": _matches(session, viewer, form["q"], picked),
        "errors": _field_errors(problems or []),
        "flash": _flash(request),
        "waiting": paths.approval_count(session, viewer=viewer),
    }
    return render(
        request, "path_programs/template.html", context, user=user, status_code=status_code
    )


@router.get("/paths/templates/{template_id}")
def template_page(
    request: Request, session: DbSession, user: PageUser, template_id: int
) -> Response:
    """A template: what it plans, its cohorts, and the form to assign it to a new cohort."""
    return _template_page(request, session, user, template_id)


@router.get("/paths/templates/{template_id}/people")
def people_options(
    request: Request, session: DbSession, user: PageUser, template_id: int
) -> Response:
    """The people picker of the cohort form (an HTMX fragment): the people picked so far,
    ticked, then the people matching the search."""
    viewer = require_hr(user)
    template = _template(session, viewer, template_id)
    form = _cohort_values(request.query_params, template)
    picked = _picked_people(session, viewer, form["employee_ids"])
    context = {
        "picked": picked,
        "matches": _matches(session, viewer, form["q"], picked),
        "values": form,
    }
    return render(request, "path_programs/_people.html", context, user=user)


@router.post("/paths/templates/{template_id}/cohorts", dependencies=[CsrfChecked])
def assign_template(
    request: Request, session: DbSession, user: PageUser, form: PostedForm, template_id: int
) -> Response:
    """Give each member of a new cohort their own approved plan from the template, then show
    the cohort (with the people who could not get a plan, and why)."""
    viewer = require_hr(user)
    template = _template(session, viewer, template_id)
    values = _cohort_values(form, template)
    data, problems = _posted_cohort(values)
    try:
        if data is None:
            raise InvalidInputError(NOT_VALID, problems)
        cohort = paths.assign_template(session, viewer=viewer, template_id=template_id, data=data)
    except InvalidInputError as error:
        return _template_page(
            request,
            session,
            user,
            template_id,
            values=values,
            problems=error.problems,
            status_code=422,
        )
    request.session[FLASH_KEY] = {
        "assigned": len(cohort.members),
        "refused": cohort.refused[:REFUSED_KEPT],
        "refused_total": len(cohort.refused),
    }
    return RedirectResponse(f"/paths/cohorts/{cohort.id}", status_code=303)


# Cohorts


def _sorted_members(members: list[CohortMember], sort: str) -> list[CohortMember]:
    """Members in the order asked; the default puts who is furthest behind first."""
    if sort == "percent":
        return sorted(members, key=lambda m: (m.path.percent, m.path.employee.name))
    if sort == "skipped":
        return sorted(members, key=lambda m: (-m.skipped_hours, m.path.employee.name))
    if sort == "hours":
        return sorted(members, key=lambda m: (-m.path.total_hours, m.path.employee.name))
    if sort == "name":
        return sorted(members, key=lambda m: m.path.employee.name.casefold())
    if sort == "status":
        order = {status: k for k, status in enumerate(STATUS_ORDER)}
        return sorted(members, key=lambda m: (order.get(m.path.status, 99), m.path.employee.name))
    return sorted(
        members, key=lambda m: (-m.path.behind_weeks, m.path.percent, m.path.employee.name)
    )


STATUS_ORDER = ("draft", "proposed", "approved", "active", "completed", "abandoned")


@router.get("/paths/cohorts")
def cohorts_list(request: Request, session: DbSession, user: PageUser) -> Response:
    """Every cohort with its progress, newest first."""
    viewer = require_hr(user)
    cohorts = paths.list_cohorts(session, viewer=viewer)
    context = {
        "cohorts": cohorts,
        "people": sum(len(c.members) for c in cohorts),
        "behind": sum(c.behind for c in cohorts),
        "waiting": paths.approval_count(session, viewer=viewer),
    }
    return render(request, "path_programs/cohorts.html", context, user=user)


@router.get("/paths/cohorts/{cohort_id}")
def cohort_page(
    request: Request,
    session: DbSession,
    user: PageUser,
    cohort_id: int,
    sort: OptionalText = None,
) -> Response:
    """A cohort: the answer (people, active, mean done, behind), the count by status, then
    every member, furthest behind first (or sorted as asked)."""
    viewer = require_hr(user)
    cohort: CohortRead = paths.cohort_progress(session, viewer=viewer, cohort_id=cohort_id)
    chosen = choice(sort, SORTS, "sort") or "behind"
    context = {
        "c": cohort,
        "members": _sorted_members(cohort.members, chosen),
        "sort": chosen,
        "statuses": [s for s in STATUS_ORDER if cohort.by_status.get(s)],
        "flash": _flash(request),
        "waiting": paths.approval_count(session, viewer=viewer),
    }
    return render(request, "path_programs/cohort.html", context, user=user)
