"""Campaign pages: HR's list, form, detail with completion and the launch/close buttons; every
employee's "My tasks" with the rating form, their notifications and the monthly skills pulse."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from starlette.datastructures import FormData

from skillpath.core.clock import utcnow
from skillpath.core.errors import InvalidInputError, Problem
from skillpath.domains.campaigns import service
from skillpath.domains.campaigns.schemas import AnswerIn, CampaignCreate, CampaignRead
from skillpath.domains.identity.models import User
from skillpath.web.deps import CsrfChecked, DbSession, PageUser
from skillpath.web.errors import describe_problem
from skillpath.web.i18n import N_, gettext
from skillpath.web.pages.common import require_hr, viewer_of
from skillpath.web.scales import OrgScale
from skillpath.web.templating import render

router = APIRouter()
CHART_UNITS = 20
CANT_JUDGE = "cant"
NOT_VALID = N_("Some of the values sent are not valid.")
# The reasons the campaigns domain gives for refused input, so that `make messages` extracts
# them; error pages and forms show them translated (`describe_problem`).
PROBLEM_REASONS = (
    N_("must not be empty"),
    N_("must be after today"),
    N_("must be within a year from today"),
    N_("choose at least one org unit or role"),
    N_("no org unit has this id"),
    N_("no role has this id"),
    N_("no skill has this id"),
    N_("choose at least one kind of rater: self, manager or peers"),
    N_("must be different whole numbers of days between 1 and 90"),
    N_("is not a known display scale"),
    N_("no active employee in these units and roles has a skill to rate"),
    N_("is not one of the skills of this task"),
    N_("is not a level of the display scale"),
    N_('give a level or "can\'t judge", not both'),
    N_("is answered twice"),
    N_("has no answer yet"),
    N_("is not one of the skills offered in your pulse"),
    N_("must be a whole number"),
    N_("must be a date (YYYY-MM-DD)"),
    N_("is too long"),
    N_("must be between 0 and 5"),
    N_("must be between 0 and 90"),
)
DONE_MESSAGES = {
    "created": N_("The campaign is saved as a draft. Check who it reaches, then launch it."),
    "updated": N_("The draft is updated."),
    "launched": N_("The campaign is open: every rater has their tasks under My tasks."),
    "closed": N_("The campaign is closed: the submitted answers are now skill evidence."),
    "cancelled": N_("The campaign is cancelled: its tasks are gone and nothing became evidence."),
}


async def form_data(request: Request) -> FormData:
    """The posted form (read once; the CSRF check has usually read it already)."""
    return await request.form()


PostedForm = Annotated[FormData, Depends(form_data)]


def _problems(error: InvalidInputError) -> list[str]:
    return [describe_problem(problem) for problem in error.problems]


# The HR side


@router.get("/campaigns")
def campaigns_list(request: Request, session: DbSession, user: PageUser) -> Response:
    """Every campaign with its progress, newest first, and this month's skills pulse."""
    viewer = require_hr(user)
    campaigns, total = service.list_campaigns(session, viewer=viewer, limit=200)
    pulse = service.pulse_summary(session, viewer=viewer)
    context = {"campaigns": campaigns, "total": total, "pulse": pulse}
    return render(request, "campaigns/index.html", context, user=user)


def _form_values(campaign: CampaignRead | None = None) -> dict[str, Any]:
    """The campaign form's values: a campaign's, or the defaults of a new one."""
    if campaign is None:
        return {
            "name": "",
            "description": "",
            "unit_ids": [],
            "role_ids": [],
            "skill_ids": [],
            "include_self": True,
            "include_manager": True,
            "peer_count": 0,
            "deadline": "",
            "reminder_days": "7, 2",
            "overdue_every_days": 7,
        }
    return {
        "name": campaign.name,
        "description": campaign.description,
        "unit_ids": [u.id for u in campaign.units],
        "role_ids": [r.id for r in campaign.roles],
        "skill_ids": [s.id for s in campaign.skills],
        "include_self": campaign.include_self,
        "include_manager": campaign.include_manager,
        "peer_count": campaign.peer_count,
        "deadline": campaign.deadline.isoformat(),
        "reminder_days": ", ".join(str(d) for d in campaign.reminder_days),
        "overdue_every_days": campaign.overdue_every_days,
    }


def _ids(form: FormData, field: str, problems: list[Problem]) -> list[int]:
    ids = []
    for value in form.getlist(field):
        if not isinstance(value, str) or not value.strip().isdigit():
            problems.append(Problem(N_("must be a whole number"), column=field, value=str(value)))
            continue
        ids.append(int(value))
    return ids


def _whole(value: str, field: str, problems: list[Problem]) -> int:
    try:
        return int(value.strip() or "0")
    except ValueError:
        problems.append(Problem(N_("must be a whole number"), column=field, value=value))
        return 0


def _posted_definition(
    form: FormData,
) -> tuple[dict[str, Any], CampaignCreate | None, list[Problem]]:
    """The values of a posted campaign form (to show again), and the definition they make or
    the problems of every field that cannot be read."""

    def field(name: str) -> str:
        value = form.get(name)
        return value if isinstance(value, str) else ""

    problems: list[Problem] = []
    values: dict[str, Any] = {
        "name": field("name")[:300],
        "description": field("description")[:3000],
        "unit_ids": _ids(form, "unit_id", problems),
        "role_ids": _ids(form, "role_id", problems),
        "skill_ids": _ids(form, "skill_id", problems),
        "include_self": field("include_self") == "on",
        "include_manager": field("include_manager") == "on",
        "peer_count": field("peer_count")[:10],
        "deadline": field("deadline")[:20],
        "reminder_days": field("reminder_days")[:100],
        "overdue_every_days": field("overdue_every_days")[:10],
    }
    deadline: date | None = None
    try:
        deadline = date.fromisoformat(values["deadline"].strip())
    except ValueError:
        problems.append(
            Problem(N_("must be a date (YYYY-MM-DD)"), column="deadline", value=values["deadline"])
        )
    days = [
        _whole(part, "reminder_days", problems)
        for part in values["reminder_days"].replace(";", ",").split(",")
        if part.strip()
    ]
    peers = _whole(values["peer_count"], "peer_count", problems)
    every = _whole(values["overdue_every_days"], "overdue_every_days", problems)
    if not 0 <= peers <= 5:
        problems.append(
            Problem(N_("must be between 0 and 5"), column="peer_count", value=str(peers))
        )
    if not 0 <= every <= 90:
        problems.append(
            Problem(N_("must be between 0 and 90"), column="overdue_every_days", value=str(every))
        )
    if len(values["name"]) > 200:
        problems.append(Problem(N_("is too long"), column="name"))
    if len(values["description"]) > 2000:
        problems.append(Problem(N_("is too long"), column="description"))
    if problems or deadline is None:
        return values, None, problems
    try:
        definition = CampaignCreate(
            name=values["name"],
            description=values["description"],
            unit_ids=values["unit_ids"],
            role_ids=values["role_ids"],
            skill_ids=values["skill_ids"],
            include_self=values["include_self"],
            include_manager=values["include_manager"],
            peer_count=peers,
            deadline=deadline,
            reminder_days=days,
            overdue_every_days=every,
        )
    except ValidationError as error:
        return (
            values,
            None,
            [
                Problem(N_("must not be empty"), column=str(e["loc"][0]))
                if e["type"] == "string_too_short"
                else Problem(N_("is too long"), column=str(e["loc"][0]))
                for e in error.errors()
            ],
        )
    return values, definition, []


def _form_page(
    request: Request,
    session: DbSession,
    user: User,
    *,
    values: dict[str, Any],
    campaign_id: int | None = None,
    problems: list[str] | None = None,
    status_code: int = 200,
) -> Response:
    viewer = require_hr(user)
    choices = service.form_choices(session, viewer=viewer)
    context = {
        "values": values,
        "choices": choices,
        "campaign_id": campaign_id,
        "problems": problems or [],
        "today": utcnow().date(),
    }
    return render(request, "campaigns/form.html", context, user=user, status_code=status_code)


@router.get("/campaigns/new")
def new_campaign(request: Request, session: DbSession, user: PageUser) -> Response:
    """The form of a new campaign: population, raters, deadline and reminders."""
    return _form_page(request, session, user, values=_form_values())


@router.post("/campaigns/new", dependencies=[CsrfChecked])
def create_campaign(
    request: Request, session: DbSession, user: PageUser, scale: OrgScale, form: PostedForm
) -> Response:
    """Save the draft and go to its page; on bad input show the form again with every problem."""
    viewer = require_hr(user)
    values, definition, problems = _posted_definition(form)
    try:
        if definition is None:
            raise InvalidInputError(NOT_VALID, problems)
        created = service.create_campaign(
            session, viewer=viewer, data=definition, scale_code=scale.code
        )
    except InvalidInputError as error:
        return _form_page(
            request, session, user, values=values, problems=_problems(error), status_code=422
        )
    return RedirectResponse(f"/campaigns/{created.id}?done=created", status_code=303)


@router.get("/campaigns/{campaign_id}/edit")
def edit_campaign(
    request: Request, session: DbSession, user: PageUser, campaign_id: int
) -> Response:
    """The form of a draft campaign."""
    viewer = require_hr(user)
    campaign = service.campaign_detail(session, viewer=viewer, campaign_id=campaign_id)
    if campaign.status != "draft":
        return RedirectResponse(f"/campaigns/{campaign_id}", status_code=303)
    return _form_page(
        request, session, user, values=_form_values(campaign), campaign_id=campaign_id
    )


@router.post("/campaigns/{campaign_id}/edit", dependencies=[CsrfChecked])
def update_campaign(
    request: Request,
    session: DbSession,
    user: PageUser,
    scale: OrgScale,
    form: PostedForm,
    campaign_id: int,
) -> Response:
    """Save a changed draft."""
    viewer = require_hr(user)
    service.campaign_detail(session, viewer=viewer, campaign_id=campaign_id)
    values, definition, problems = _posted_definition(form)
    try:
        if definition is None:
            raise InvalidInputError(NOT_VALID, problems)
        service.update_campaign(
            session,
            viewer=viewer,
            campaign_id=campaign_id,
            data=definition,
            scale_code=scale.code,
        )
    except InvalidInputError as error:
        return _form_page(
            request,
            session,
            user,
            values=values,
            campaign_id=campaign_id,
            problems=_problems(error),
            status_code=422,
        )
    return RedirectResponse(f"/campaigns/{campaign_id}?done=updated", status_code=303)


def _completion_chart(rows: list[Any]) -> dict[str, Any]:
    """The stacked bars of completion by unit (least complete first, at most CHART_UNITS)."""
    shown = list(reversed(rows[:CHART_UNITS]))
    return {
        "labels": [row.label or gettext("No unit") for row in shown],
        "series": [
            {"name": gettext("Submitted"), "values": [row.submitted for row in shown]},
            {"name": gettext("In progress"), "values": [row.in_progress for row in shown]},
            {"name": gettext("Not started"), "values": [row.pending for row in shown]},
        ],
        "tasks_word": gettext("tasks"),
    }


@router.get("/campaigns/{campaign_id}")
def campaign_page(
    request: Request,
    session: DbSession,
    user: PageUser,
    campaign_id: int,
    done: str | None = None,
) -> Response:
    """A campaign: who it reaches (draft) or how far it has come (open, closed)."""
    viewer = require_hr(user)
    campaign = service.campaign_detail(session, viewer=viewer, campaign_id=campaign_id)
    context: dict[str, Any] = {
        "campaign": campaign,
        "message": gettext(DONE_MESSAGES[done]) if done in DONE_MESSAGES else None,
        "today": utcnow().date(),
    }
    if campaign.status == "draft":
        context["preview"] = service.preview_population(
            session, viewer=viewer, campaign_id=campaign_id
        )
    else:
        progress = service.completion(session, viewer=viewer, campaign_id=campaign_id)
        context["completion"] = progress
        context["chart"] = _completion_chart(progress.by_unit)
    return render(request, "campaigns/detail.html", context, user=user)


def _state_change(
    request: Request,
    session: DbSession,
    user: User,
    campaign_id: int,
    action: str,
) -> Response:
    """Launch, close or cancel; a refusal shows the campaign page with the reason."""
    viewer = require_hr(user)
    if action == "launch":
        service.launch_campaign(session, viewer=viewer, campaign_id=campaign_id)
        done = "launched"
    elif action == "close":
        service.close_campaign(session, viewer=viewer, campaign_id=campaign_id)
        done = "closed"
    else:
        service.cancel_campaign(session, viewer=viewer, campaign_id=campaign_id)
        done = "cancelled"
    return RedirectResponse(f"/campaigns/{campaign_id}?done={done}", status_code=303)


@router.post("/campaigns/{campaign_id}/launch", dependencies=[CsrfChecked])
def launch_campaign(
    request: Request, session: DbSession, user: PageUser, campaign_id: int
) -> Response:
    """Open the campaign: tasks for every participant and rater, notices to the raters."""
    return _state_change(request, session, user, campaign_id, "launch")


@router.post("/campaigns/{campaign_id}/close", dependencies=[CsrfChecked])
def close_campaign(
    request: Request, session: DbSession, user: PageUser, campaign_id: int
) -> Response:
    """Close the campaign: submitted answers become evidence, profiles are refreshed."""
    return _state_change(request, session, user, campaign_id, "close")


@router.post("/campaigns/{campaign_id}/cancel", dependencies=[CsrfChecked])
def cancel_campaign(
    request: Request, session: DbSession, user: PageUser, campaign_id: int
) -> Response:
    """Cancel the campaign."""
    return _state_change(request, session, user, campaign_id, "cancel")


# Everyone: my tasks, the rating form, notifications, the pulse


@router.get("/tasks")
def my_tasks(request: Request, session: DbSession, user: PageUser) -> Response:
    """The user's rating tasks, their notifications and this month's pulse."""
    viewer = viewer_of(user)
    tasks = service.my_tasks(session, viewer=viewer)
    context = {
        "tasks": tasks,
        "open": [t for t in tasks if t.status != "submitted"],
        "notifications": service.notifications(session, viewer=viewer),
        "pulse": service.pulse(session, viewer=viewer) if viewer.employee_id else None,
    }
    return render(request, "campaigns/tasks.html", context, user=user)


@router.post("/notifications/read", dependencies=[CsrfChecked])
def read_notifications(session: DbSession, user: PageUser) -> Response:
    """Mark every notification of the user as read."""
    service.mark_notifications_read(session, viewer=viewer_of(user))
    return RedirectResponse("/tasks#notifications", status_code=303)


def _task_page(
    request: Request,
    session: DbSession,
    user: User,
    task_id: int,
    *,
    error: str | None = None,
    problems: list[str] | None = None,
    missing: set[int] | None = None,
    saved: bool = False,
    status_code: int = 200,
) -> Response:
    detail = service.task_detail(session, viewer=viewer_of(user), task_id=task_id)
    context = {
        "task": detail,
        "error": error,
        "problems": problems or [],
        "missing": missing or set(),
        "saved": saved,
        "is_rater": detail.rater.id == user.employee_id,
    }
    return render(request, "campaigns/task.html", context, user=user, status_code=status_code)


@router.get("/tasks/{task_id}")
def task_page(
    request: Request, session: DbSession, user: PageUser, task_id: int, saved: str | None = None
) -> Response:
    """The rating form of one task: one row per skill, a level of the scale or "can't judge"."""
    return _task_page(request, session, user, task_id, saved=saved == "1")


def _posted_answers(form: FormData, skill_ids: list[int]) -> list[AnswerIn]:
    """The answers of the rating form: field `skill-ID` is a level, "cant" or empty."""
    answers = []
    problems: list[Problem] = []
    for skill_id in skill_ids:
        value = form.get(f"skill-{skill_id}")
        if value is None:
            continue
        text_value = value if isinstance(value, str) else ""
        if text_value == CANT_JUDGE:
            answers.append(AnswerIn(skill_id=skill_id, cant_judge=True))
        elif text_value == "":
            answers.append(AnswerIn(skill_id=skill_id))
        elif text_value.isdigit():
            answers.append(AnswerIn(skill_id=skill_id, display_level=int(text_value)))
        else:
            problems.append(
                Problem(N_("is not a level of the display scale"), column=f"skill-{skill_id}")
            )
    if problems:
        raise InvalidInputError(NOT_VALID, problems)
    return answers


@router.post("/tasks/{task_id}", dependencies=[CsrfChecked])
def answer_task(
    request: Request, session: DbSession, user: PageUser, form: PostedForm, task_id: int
) -> Response:
    """Save the answers; with "Submit", complete the task. A submit with unanswered skills keeps
    what was saved and marks the skills still to answer."""
    viewer = viewer_of(user)
    detail = service.task_detail(session, viewer=viewer, task_id=task_id)
    answers = _posted_answers(form, [item.skill.id for item in detail.items])
    service.save_answers(session, viewer=viewer, task_id=task_id, answers=answers)
    if form.get("action") != "submit":
        return RedirectResponse(f"/tasks/{task_id}?saved=1", status_code=303)
    try:
        service.submit_task(session, viewer=viewer, task_id=task_id)
    except InvalidInputError as error:
        unanswered = {
            item.skill.id
            for item in service.task_detail(session, viewer=viewer, task_id=task_id).items
            if item.display_level is None and not item.cant_judge
        }
        return _task_page(
            request,
            session,
            user,
            task_id,
            error=gettext(error.message),
            missing=unanswered,
            saved=True,
            status_code=422,
        )
    return RedirectResponse("/tasks?submitted=1", status_code=303)


@router.get("/pulse")
def pulse_page(request: Request, session: DbSession, user: PageUser) -> Response:
    """This month's pulse: tick the skills used this month."""
    pulse = service.pulse(session, viewer=viewer_of(user))
    return render(request, "campaigns/pulse.html", {"pulse": pulse}, user=user)


@router.post("/pulse", dependencies=[CsrfChecked])
def answer_pulse(
    request: Request, session: DbSession, user: PageUser, form: PostedForm
) -> Response:
    """Record this month's answer (it can be changed until the month ends)."""
    problems: list[Problem] = []
    skill_ids = _ids(form, "skill_id", problems)
    if problems:
        raise InvalidInputError(NOT_VALID, problems)
    service.answer_pulse(session, viewer=viewer_of(user), skill_ids=skill_ids)
    return RedirectResponse("/pulse?saved=1", status_code=303)
