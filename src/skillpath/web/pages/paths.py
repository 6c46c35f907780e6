"""Learning-path pages (docs/paths.md): My path, a path's page for the person, their managers and
HR, the builder with a live preview and the weekly-time trade-off, and the path's actions
(propose, start, complete a step, re-plan, abandon)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from skillpath.core.clock import today as utc_today
from skillpath.core.errors import (
    ConflictError,
    ForbiddenError,
    InvalidInputError,
    NotFoundError,
    Problem,
)
from skillpath.core.levels import DEFAULT_SCALE
from skillpath.domains.gaps import service as gaps_service
from skillpath.domains.identity.models import User
from skillpath.domains.identity.visibility import Viewer
from skillpath.domains.learning import paths
from skillpath.domains.learning.engine.model import PEDAGOGY_STAGE
from skillpath.domains.learning.path_schemas import (
    ExplanationRead,
    GoalIn,
    PathRead,
    PathRequest,
    PathSummary,
    PlanPreview,
    ReplanReason,
)
from skillpath.domains.people import service as people_service
from skillpath.domains.people.schemas import EmployeeSummary
from skillpath.domains.taxonomy import service as taxonomy
from skillpath.web import i18n
from skillpath.web.deps import CsrfChecked, DbSession, PageUser
from skillpath.web.errors import describe_problem, problem_text
from skillpath.web.i18n import N_
from skillpath.web.pages.common import NOT_VALID, viewer_of
from skillpath.web.templating import render

router = APIRouter()
FormText = Annotated[str, Form(max_length=2000)]
FormList = Annotated[list[str], Form()]
FLASH_KEY = "path_flash"
MODES = ("upskill", "reskill", "wanted", "assigned")
KINDS = tuple(PEDAGOGY_STAGE)
GOAL_ROWS = 3
GOAL_SKILL_CHOICES = 2000
BACK_TO_MINE = "me"
# The path service's reasons for refused values (domains/learning/paths.py), spelled out so that
# `make messages` extracts them; the page shows each next to its field (a test keeps the lists
# equal).
PROBLEM_REASONS = (
    N_("must be between 0 and 168 hours a week"),
    N_("must be a number, not negative"),
    N_("a target role is needed to reskill"),
    N_("this person has no current role to upskill in"),
    N_("no role has this id"),
    N_("name at least one language, or leave it empty for the default"),
    N_("goals are assigned by a manager or HR"),
    N_("mark skills you want to develop on My skills, or name them here"),
    N_("name at least one skill and level to reach"),
    N_("no skill has this id"),
    N_("a skill is named twice"),
    N_("must be in (0, 1]"),
    N_("say what should change"),
    N_("must not be in the future"),
    N_("is long before the path started"),
    N_("must not be empty"),
    N_("templates are for upskilling, reskilling or assigned goals"),
    N_("name people, units or a role with at least one person"),
)
# Form fields the builder shows errors next to; problems about other columns go above the form.
FIELD_OF_COLUMN = {
    "mode": "mode",
    "target_role_id": "target_role_id",
    "hours_per_week": "hours_per_week",
    "start": "start",
    "deadline": "deadline",
    "budget": "budget",
    "locales": "locales",
    "avoid_kinds": "avoid_kinds",
    "require_kinds": "require_kinds",
    "goals": "goals",
    "goals.skill_id": "goals",
    "goals.level": "goals",
}


# Reading the builder form


@dataclass
class BuilderForm:
    """The builder's values as typed (shown again when something is refused)."""

    mode: str = "upskill"
    target_role_id: str = ""
    hours_per_week: str = "2"
    start: str = ""
    deadline: str = ""
    budget: str = ""
    locales: str = ""
    offline_only: bool = False
    avoid_kinds: list[str] = field(default_factory=list)
    require_kinds: list[str] = field(default_factory=list)
    goal_skill: list[str] = field(default_factory=list)
    goal_level: list[str] = field(default_factory=list)

    def goal_rows(self) -> list[tuple[str, str]]:
        """The goal rows to show: those typed, then empty ones up to GOAL_ROWS."""
        rows = [
            (skill, self.goal_level[k] if k < len(self.goal_level) else "")
            for k, skill in enumerate(self.goal_skill)
            if skill.strip()
        ]
        return rows + [("", "")] * max(0, GOAL_ROWS - len(rows))


def _refused(reason: str, column: str, value: str | None = None) -> InvalidInputError:
    return InvalidInputError(NOT_VALID, [Problem(reason, column=column, value=value or None)])


def _number(value: str, column: str) -> float | None:
    text = value.strip().replace(",", ".")
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        raise _refused(N_("must be a number"), column, value) from None
    if number != number or number in (float("inf"), float("-inf")):
        raise _refused(N_("must be a number"), column, value)
    return number


def _day(value: str, column: str) -> date | None:
    text = value.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise _refused(N_("must be a date (YYYY-MM-DD)"), column, value) from None


def _request_of(form: BuilderForm, *, is_self: bool) -> PathRequest:
    """The planner request of a builder form, or InvalidInputError naming the field."""
    allowed = MODES if not is_self else tuple(mode for mode in MODES if mode != "assigned")
    if form.mode not in allowed:
        raise _refused(N_("choose one of the kinds of path offered"), "mode", form.mode)
    target = _number(form.target_role_id, "target_role_id")
    if target is not None and (target < 0 or target != int(target)):
        raise _refused(N_("choose a role from the list"), "target_role_id", form.target_role_id)
    hours = _number(form.hours_per_week, "hours_per_week")
    budget = _number(form.budget, "budget")
    goals: list[GoalIn] = []
    if form.mode in ("wanted", "assigned"):
        for skill, level in form.goal_rows():
            if not skill:
                continue
            skill_id = _number(skill, "goals.skill_id")
            display = _number(level, "goals.level")
            if skill_id is None or skill_id != int(skill_id):
                raise _refused(N_("choose a skill from the list"), "goals.skill_id", skill)
            if display is None or display != int(display) or not 1 <= display <= 5:
                raise _refused(
                    N_("choose a level from 1 to 5 for each skill"), "goals.level", level
                )
            goals.append(
                GoalIn(skill_id=int(skill_id), level=DEFAULT_SCALE.to_latent(int(display)))
            )
    locales = [tag.strip() for tag in form.locales.replace(";", ",").split(",") if tag.strip()]
    return PathRequest(
        mode=form.mode,  # checked against MODES above
        target_role_id=int(target) if target is not None and form.mode == "reskill" else None,
        goals=goals,
        hours_per_week=hours,
        start=_day(form.start, "start"),
        deadline=_day(form.deadline, "deadline"),
        budget=budget,
        locales=locales or None,
        offline_only=form.offline_only,
        avoid_kinds=[kind for kind in form.avoid_kinds if kind],
        require_kinds=[kind for kind in form.require_kinds if kind],
    )


def _problems(error: InvalidInputError) -> tuple[dict[str, str], list[str]]:
    """A refusal as messages by builder field, and those that belong to no field."""
    by_field: dict[str, str] = {}
    general: list[str] = []
    for problem in error.problems:
        name = FIELD_OF_COLUMN.get(problem.column or "")
        if name is None:
            general.append(describe_problem(problem))
            continue
        text = problem_text(problem)
        by_field[name] = f"{by_field[name]}; {text}" if name in by_field else text
    if not error.problems:
        general.append(i18n.gettext(error.message))
    return by_field, general


# Words computed from the plan


def explanation_text(found: ExplanationRead, plan: PathRead) -> str:
    """Why a plan is impossible, incomplete or late, in the reader's language (the service's
    English message when the code is new)."""
    _ = i18n.gettext
    hours = i18n.number
    code = found.code
    if code == "no_learning_time":
        return _(
            "There is no time to learn: at %(hours)s hours a week nothing can be scheduled. "
            "Give at least one hour a week."
        ) % {"hours": hours(plan.hours_per_week, 0 if plan.hours_per_week.is_integer() else 1)}
    if code == "deadline_not_after_start":
        return _("The deadline is on or before the start date: choose a later deadline.")
    if code == "conflicting_kinds":
        return _("A kind of learning is both avoided and required: untick one of the two.")
    if code == "no_item_in_locale":
        return _(
            "No item of the catalog is available in %(languages)s. Add a language, such as English."
        ) % {"languages": ", ".join(plan.locales)}
    if code == "no_offline_item":
        return _("No item of the catalog can be taken offline.")
    if code == "every_kind_avoided":
        return _("Every kind of learning in the catalog is avoided.")
    if code == "no_item_within_budget":
        return _("No item costs %(budget)s or less: raise the budget.") % {
            "budget": i18n.money(plan.budget or 0, plan.currency)
        }
    if code == "no_item_before_deadline":
        return _("No item fits in the time left before the deadline at this weekly time.")
    if code == "nothing_reachable":
        return _(
            "No item that these settings allow closes any of the gaps. The gaps below show the "
            "closest items and what keeps each one out."
        )
    if code == "required_kind_unavailable":
        return _("No allowed item of a required kind (%(kinds)s) teaches a skill to develop.") % {
            "kinds": ", ".join(_kind_word(kind) for kind in plan.unmet_kinds) or "–"
        }
    if code == "budget_too_small" and found.needed is not None and found.available is not None:
        return _(
            "Closing every gap that can be closed costs at least %(needed)s; the budget is "
            "%(available)s. The plan closes what the budget allows."
        ) % {
            "needed": i18n.money(found.needed, plan.currency),
            "available": i18n.money(found.available, plan.currency),
        }
    if code == "deadline_too_short" and found.needed is not None and found.available is not None:
        return _(
            "Closing every gap that can be closed takes at least %(needed)s hours; the deadline "
            "leaves %(available)s. The plan closes what fits; more hours a week or a later "
            "deadline would close the rest."
        ) % {"needed": hours(found.needed, 1), "available": hours(found.available, 1)}
    if code == "budget_and_deadline_too_tight":
        return _("The budget and the deadline together leave no room for every gap.")
    return found.message


def _kind_word(kind: str) -> str:
    return i18n.pgettext("kind", kind[:1].upper() + kind[1:])


def replan_text(reason: ReplanReason, plan: PathRead) -> str:
    """Why re-planning is suggested, in the reader's language."""
    listed = ", ".join(reason.steps)
    if reason.code == "behind":
        weeks = plan.progress.behind_weeks
        return i18n.ngettext(
            "You are %(num)s week behind the schedule.",
            "You are %(num)s weeks behind the schedule.",
            weeks,
        ) % {"num": i18n.number(weeks)}
    if reason.code == "learned_elsewhere" and listed:
        return i18n.gettext(
            "The profile already holds what these steps teach: %(steps)s. Re-planning drops them."
        ) % {"steps": listed}
    if reason.code == "catalog_changed" and listed:
        return i18n.gettext("Changed or withdrawn in the catalog: %(steps)s.") % {"steps": listed}
    return reason.message


def _plan_words(plan: PathRead) -> dict[str, Any]:
    """Explanations and re-plan reasons of a plan, translated; explanations once per code."""
    seen: set[str] = set()
    explanations = []
    for found in plan.explanations:
        if found.code in seen:
            continue
        seen.add(found.code)
        explanations.append(explanation_text(found, plan))
    return {
        "explanations": explanations,
        "replan": [replan_text(reason, plan) for reason in plan.replan_reasons],
        "saved_hours": (
            round(plan.greedy_hours - plan.total_hours, 2)
            if plan.greedy_hours is not None and plan.greedy_hours > plan.total_hours + 0.005
            else None
        ),
    }


# Flash notices


def _flash(request: Request) -> dict[str, Any] | None:
    value = request.session.pop(FLASH_KEY, None)
    return value if isinstance(value, dict) else None


def _leave(request: Request, notice: dict[str, Any], path_id: int, back: str) -> Response:
    request.session[FLASH_KEY] = notice
    target = "/paths/me" if back == BACK_TO_MINE else f"/paths/{path_id}"
    return RedirectResponse(target, status_code=303)


def _refusal(error: InvalidInputError | ConflictError) -> dict[str, Any]:
    if isinstance(error, InvalidInputError) and error.problems:
        return {"kind": "error", "problems": [describe_problem(p) for p in error.problems]}
    return {"kind": "error", "problems": [i18n.gettext(error.message)]}


# Pages that show a path


def _manager_name(session: DbSession, viewer: Viewer, employee_id: int) -> str | None:
    """The name of the person's manager (who approves their path)."""
    try:
        person = people_service.employee_detail(
            session, viewer=viewer, employee_id=employee_id, evidence_limit=0
        )
    except NotFoundError:
        return None
    return person.manager.name if person.manager is not None else None


def _path_page(
    request: Request,
    session: DbSession,
    user: User,
    *,
    path: PathRead | None,
    employee: EmployeeSummary,
    mine: bool,
) -> Response:
    viewer = viewer_of(user)
    listed = paths.paths_of(session, viewer=viewer, employee_id=employee.id)
    others: list[PathSummary] = [found for found in listed if path is None or found.id != path.id]
    is_self = viewer.employee_id == employee.id
    context: dict[str, Any] = {
        "path": path,
        "person": employee,
        "is_self": is_self,
        "mine": mine,
        "others": others,
        "flash": _flash(request),
        "words": _plan_words(path) if path is not None else {},
        "manager_name": (
            _manager_name(session, viewer, employee.id)
            if path is not None and path.status in ("draft", "proposed")
            else None
        ),
        "back": BACK_TO_MINE if mine else "",
        "may_plan": is_self or user.role in ("manager", "hr_admin"),
        "builder_url": "/paths/new" if is_self else f"/people/{employee.id}/paths/new",
    }
    return render(request, "paths/path.html", context, user=user)


def _summary_of(session: DbSession, viewer: Viewer, employee_id: int) -> EmployeeSummary:
    return people_service.visible_employee_summary(session, viewer=viewer, employee_id=employee_id)


@router.get("/paths/me")
def my_path(request: Request, session: DbSession, user: PageUser) -> Response:
    """The logged-in person's current path, answer first: the next step, progress, the
    month-by-month plan and why each step is there; or how to build one."""
    viewer = viewer_of(user)
    if viewer.employee_id is None:
        return render(request, "paths/no_person.html", {}, user=user)
    current = paths.current_path(session, viewer=viewer, employee_id=viewer.employee_id)
    employee = _summary_of(session, viewer, viewer.employee_id)
    return _path_page(request, session, user, path=current, employee=employee, mine=True)


@router.get("/paths/{path_id:int}")
def path_page(request: Request, session: DbSession, user: PageUser, path_id: int) -> Response:
    """One path (the person's, their managers' and HR's view; "not found" for anyone else)."""
    viewer = viewer_of(user)
    path = paths.get_path(session, viewer=viewer, path_id=path_id)
    employee = _summary_of(session, viewer, path.employee.id)
    return _path_page(request, session, user, path=path, employee=employee, mine=False)


@router.get("/people/{employee_id}/path")
def person_path(request: Request, session: DbSession, user: PageUser, employee_id: int) -> Response:
    """Someone's current path (or a way to plan one); one's own goes to My path."""
    viewer = viewer_of(user)
    if viewer.employee_id == employee_id:
        return RedirectResponse("/paths/me", status_code=303)
    employee = _summary_of(session, viewer, employee_id)
    current = paths.current_path(session, viewer=viewer, employee_id=employee_id)
    return _path_page(request, session, user, path=current, employee=employee, mine=False)


# The builder


def _builder(
    request: Request,
    session: DbSession,
    user: User,
    *,
    employee: EmployeeSummary,
    form: BuilderForm,
    preview: PlanPreview | None = None,
    errors: dict[str, str] | None = None,
    problems: list[str] | None = None,
    status_code: int = 200,
) -> Response:
    viewer = viewer_of(user)
    is_self = viewer.employee_id == employee.id
    skills, _total = taxonomy.search_skills(session, limit=GOAL_SKILL_CHOICES)
    listed = paths.paths_of(session, viewer=viewer, employee_id=employee.id)
    context: dict[str, Any] = {
        "person": employee,
        "open_paths": [found for found in listed if found.status in paths.OPEN_STATUSES],
        "is_self": is_self,
        "form": form,
        "modes": MODES if not is_self else tuple(m for m in MODES if m != "assigned"),
        "kinds": KINDS,
        "roles": gaps_service.target_role_choices(session),
        "skills": sorted(
            (skill for skill in skills if skill.kind != "group"), key=lambda s: s.name.lower()
        ),
        "default_locales": paths.default_locales(employee),
        "preview": preview,
        "words": _plan_words(preview.plan) if preview is not None else {},
        "errors": errors or {},
        "problems": problems or [],
        "action": f"/people/{employee.id}/paths",
        "levels": [
            (k, DEFAULT_SCALE.labels[k - DEFAULT_SCALE.minimum])
            for k in range(DEFAULT_SCALE.minimum, DEFAULT_SCALE.maximum + 1)
        ],
    }
    return render(request, "paths/new.html", context, user=user, status_code=status_code)


def _plannable(session: DbSession, user: User, employee_id: int) -> EmployeeSummary:
    """The person a path may be planned for by this user: themselves, or (managers and HR)
    someone they see; "not found" outside the visibility rule."""
    viewer = viewer_of(user)
    employee = _summary_of(session, viewer, employee_id)
    if viewer.employee_id != employee_id and user.role not in ("manager", "hr_admin"):
        raise ForbiddenError("Only the person, their manager or HR can plan a path.")
    return employee


def _fresh_form(employee: EmployeeSummary) -> BuilderForm:
    return BuilderForm(
        mode="upskill" if employee.role is not None else "reskill",
        hours_per_week=i18n.number(paths.DEFAULT_HOURS_PER_WEEK),
        start=utc_today().isoformat(),
        locales=", ".join(paths.default_locales(employee)),
    )


@router.get("/paths/new")
def new_path(request: Request, session: DbSession, user: PageUser) -> Response:
    """The builder for oneself."""
    viewer = viewer_of(user)
    if viewer.employee_id is None:
        return render(request, "paths/no_person.html", {}, user=user)
    employee = _plannable(session, user, viewer.employee_id)
    return _builder(request, session, user, employee=employee, form=_fresh_form(employee))


@router.get("/people/{employee_id}/paths/new")
def new_path_for(
    request: Request, session: DbSession, user: PageUser, employee_id: int
) -> Response:
    """The builder for someone else (their manager or HR)."""
    if viewer_of(user).employee_id == employee_id:
        return RedirectResponse("/paths/new", status_code=303)
    employee = _plannable(session, user, employee_id)
    return _builder(request, session, user, employee=employee, form=_fresh_form(employee))


def _form(
    mode: str,
    target_role_id: str,
    hours_per_week: str,
    start: str,
    deadline: str,
    budget: str,
    locales: str,
    offline_only: str,
    avoid_kinds: list[str],
    require_kinds: list[str],
    goal_skill: list[str],
    goal_level: list[str],
) -> BuilderForm:
    return BuilderForm(
        mode=mode,
        target_role_id=target_role_id,
        hours_per_week=hours_per_week,
        start=start,
        deadline=deadline,
        budget=budget,
        locales=locales,
        offline_only=bool(offline_only),
        avoid_kinds=avoid_kinds[: len(KINDS)],
        require_kinds=require_kinds[: len(KINDS)],
        goal_skill=goal_skill[:GOAL_ROWS],
        goal_level=goal_level[:GOAL_ROWS],
    )


@router.post("/people/{employee_id}/paths/preview", dependencies=[CsrfChecked])
def preview_page(
    request: Request,
    session: DbSession,
    user: PageUser,
    employee_id: int,
    mode: FormText = "",
    target_role_id: FormText = "",
    hours_per_week: FormText = "",
    start: FormText = "",
    deadline: FormText = "",
    budget: FormText = "",
    locales: FormText = "",
    offline_only: FormText = "",
    avoid_kinds: FormList = [],  # noqa: B006 - FastAPI copies form defaults
    require_kinds: FormList = [],  # noqa: B006
    goal_skill: FormList = [],  # noqa: B006
    goal_level: FormList = [],  # noqa: B006
) -> Response:
    """The plan the form would give, not saved, with the trade-off table (HTMX swaps the
    builder; without JavaScript the whole page comes back)."""
    employee = _plannable(session, user, employee_id)
    form = _form(
        mode, target_role_id, hours_per_week, start, deadline, budget, locales,
        offline_only, avoid_kinds, require_kinds, goal_skill, goal_level,
    )  # fmt: skip
    htmx = request.headers.get("HX-Request") == "true"
    try:
        request_in = _request_of(form, is_self=viewer_of(user).employee_id == employee_id)
        found = paths.preview_path(
            session, viewer=viewer_of(user), employee_id=employee_id, request=request_in
        )
    except InvalidInputError as error:
        errors, problems = _problems(error)
        return _builder(
            request, session, user, employee=employee, form=form, errors=errors,
            problems=problems, status_code=200 if htmx else 422,
        )  # fmt: skip
    return _builder(request, session, user, employee=employee, form=form, preview=found)


@router.post("/people/{employee_id}/paths", dependencies=[CsrfChecked])
def create_page(
    request: Request,
    session: DbSession,
    user: PageUser,
    employee_id: int,
    mode: FormText = "",
    target_role_id: FormText = "",
    hours_per_week: FormText = "",
    start: FormText = "",
    deadline: FormText = "",
    budget: FormText = "",
    locales: FormText = "",
    offline_only: FormText = "",
    avoid_kinds: FormList = [],  # noqa: B006 - FastAPI copies form defaults
    require_kinds: FormList = [],  # noqa: B006
    goal_skill: FormList = [],  # noqa: B006
    goal_level: FormList = [],  # noqa: B006
) -> Response:
    """Plan and save the path as a draft, then show it."""
    employee = _plannable(session, user, employee_id)
    form = _form(
        mode, target_role_id, hours_per_week, start, deadline, budget, locales,
        offline_only, avoid_kinds, require_kinds, goal_skill, goal_level,
    )  # fmt: skip
    try:
        request_in = _request_of(form, is_self=viewer_of(user).employee_id == employee_id)
        created = paths.create_path(
            session, viewer=viewer_of(user), employee_id=employee_id, request=request_in
        )
    except InvalidInputError as error:
        errors, problems = _problems(error)
        return _builder(
            request, session, user, employee=employee, form=form, errors=errors,
            problems=problems, status_code=422,
        )  # fmt: skip
    assert created.id is not None
    # The new draft's own page: My path may show another path (an active one comes first).
    return _leave(
        request, {"kind": "created", "steps": created.progress.steps_total}, created.id, ""
    )


# Actions on a path


@router.post("/paths/{path_id:int}/propose", dependencies=[CsrfChecked])
def propose_page(
    request: Request,
    session: DbSession,
    user: PageUser,
    path_id: int,
    note: FormText = "",
    back: FormText = "",
) -> Response:
    """Send a draft to the manager."""
    try:
        paths.propose_path(session, viewer=viewer_of(user), path_id=path_id, note=note)
    except (InvalidInputError, ConflictError) as error:
        return _leave(request, _refusal(error), path_id, back)
    return _leave(request, {"kind": "proposed"}, path_id, back)


@router.post("/paths/{path_id:int}/start", dependencies=[CsrfChecked])
def begin(
    request: Request, session: DbSession, user: PageUser, path_id: int, back: FormText = ""
) -> Response:
    """Begin an approved path."""
    try:
        paths.start_path(session, viewer=viewer_of(user), path_id=path_id)
    except ConflictError as error:
        return _leave(request, _refusal(error), path_id, back)
    return _leave(request, {"kind": "started"}, path_id, back)


@router.post("/paths/{path_id:int}/replan", dependencies=[CsrfChecked])
def replan_page(
    request: Request, session: DbSession, user: PageUser, path_id: int, back: FormText = ""
) -> Response:
    """Plan the rest again from what the person knows now; the notice says what changed."""
    try:
        read = paths.replan_path(session, viewer=viewer_of(user), path_id=path_id)
    except (InvalidInputError, ConflictError) as error:
        return _leave(request, _refusal(error), path_id, back)
    details = next(
        (dict(event.details) for event in reversed(read.events) if event.kind == "replanned"), {}
    )
    return _leave(
        request,
        {
            "kind": "replanned",
            "added": [str(title) for title in _as_list(details.get("added"))],
            "removed": [str(title) for title in _as_list(details.get("removed"))],
            "hours_before": _as_float(details.get("hours_before")),
            "hours_after": _as_float(details.get("hours_after")),
        },
        path_id,
        back,
    )


def _as_list(value: object) -> list[object]:
    return list(value) if isinstance(value, list) else []


def _as_float(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) else None


@router.post("/paths/{path_id:int}/abandon", dependencies=[CsrfChecked])
def abandon_page(
    request: Request,
    session: DbSession,
    user: PageUser,
    path_id: int,
    note: FormText = "",
    back: FormText = "",
) -> Response:
    """Stop a path; completed steps and their evidence stay."""
    try:
        paths.abandon_path(session, viewer=viewer_of(user), path_id=path_id, note=note)
    except ConflictError as error:
        return _leave(request, _refusal(error), path_id, back)
    return _leave(request, {"kind": "abandoned"}, path_id, back)


@router.post("/paths/{path_id:int}/steps/{step_id:int}/complete", dependencies=[CsrfChecked])
def complete_page(
    request: Request,
    session: DbSession,
    user: PageUser,
    path_id: int,
    step_id: int,
    score: FormText = "",
    back: FormText = "",
) -> Response:
    """Mark a step done (optional score in percent); the notice shows how the levels moved."""
    try:
        percent = _number(score, "score")
        if percent is not None and not 0 <= percent <= 100:
            raise _refused(N_("must be between 0 and 100"), "score", score)
        done = paths.complete_step(
            session,
            viewer=viewer_of(user),
            path_id=path_id,
            step_id=step_id,
            score=None if percent is None else percent / 100,
        )
    except (InvalidInputError, ConflictError) as error:
        return _leave(request, _refusal(error), path_id, back)
    step = next((s for month in done.path.months for s in month.steps if s.id == step_id), None)
    planned_for = {gap.skill.id for gap in done.path.gaps}
    return _leave(
        request,
        {
            "kind": "step_done",
            "step": step.item.title if step is not None else "",
            "status": done.path.status,
            "changed": [
                {
                    "skill": closure.skill.name,
                    "skill_id": closure.skill.id,
                    "from": closure.from_display,
                    "to": closure.to_display,
                    "target": closure.target_display,
                    "reaches": closure.reaches_target,
                    "goal": closure.skill.id in planned_for,
                }
                for closure in done.changed_skills
            ],
        },
        path_id,
        back,
    )
