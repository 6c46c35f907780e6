"""Mentoring pages (docs/mentoring.md): HR's program admin (set up, move on, run and publish a
round, live matches, waitlist, overdue check-ins, metrics), the person's view (programs open to
them with an enrol form, their enrolments and matches with answers, check-ins and completion)
and the micro-mentoring finder."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from starlette.datastructures import FormData

from skillpath.core.clock import today as utc_today
from skillpath.core.errors import (
    ConflictError,
    ForbiddenError,
    InvalidInputError,
    NotFoundError,
    Problem,
)
from skillpath.domains.campaigns import service as campaigns_service
from skillpath.domains.identity.models import User
from skillpath.domains.identity.visibility import Viewer
from skillpath.domains.mentoring import choices, metrics, micro_service, service
from skillpath.domains.mentoring.schemas import (
    CompleteIn,
    EnrolIn,
    EnrolmentRead,
    MatchRead,
    ProgramIn,
    ProgramRead,
)
from skillpath.domains.people import service as people_service
from skillpath.web.deps import CsrfChecked, DbSession, PageUser
from skillpath.web.errors import problem_text
from skillpath.web.i18n import N_, gettext
from skillpath.web.pages.common import NOT_VALID, require_hr, viewer_of
from skillpath.web.templating import render

router = APIRouter()
FLASH_KEY = "mentoring_flash"
KINDS = ("one_to_one", "reverse", "group", "micro", "circle")
LIVE = ("proposed", "accepted", "active")
# Reasons these forms give for refused input, spelled out so that `make messages` extracts
# them; the service's own reasons are shown as they come.
PROBLEM_REASONS = (
    N_("must not be empty"),
    N_("is too long"),
    N_("must be a whole number"),
    N_("must be a number"),
    N_("must be a date (YYYY-MM-DD)"),
    N_("is not one of the choices offered"),
    N_("must be between %(low)s and %(high)s"),
    N_("choose a role"),
    N_("choose an answer"),
    N_("A program with this name exists already."),
)


async def form_data(request: Request) -> FormData:
    """The posted form (read once; the CSRF check has usually read it already)."""
    return await request.form()


PostedForm = Annotated[FormData, Depends(form_data)]


def _flash(request: Request) -> dict[str, Any] | None:
    value = request.session.pop(FLASH_KEY, None)
    return value if isinstance(value, dict) else None


def _field(form: FormData, name: str, limit: int = 300) -> str:
    value = form.get(name)
    return value[:limit] if isinstance(value, str) else ""


def _many(form: FormData, name: str) -> list[str]:
    return [v for v in form.getlist(name) if isinstance(v, str)]


def _problem_messages(problems: list[Problem]) -> dict[str, list[str]]:
    """Each refused value's reason, translated, by the form field it belongs to."""
    found: dict[str, list[str]] = {}
    for problem in problems:
        field = (problem.column or "form").split(".")[0]
        found.setdefault(field, []).append(problem_text(problem))
    return found


def _int(value: str, field: str, problems: list[Problem], low: int, high: int) -> int | None:
    text = value.strip()
    if text == "":
        return None
    if not text.lstrip("-").isdigit():
        problems.append(Problem(N_("must be a whole number"), column=field, value=value))
        return None
    number = int(text)
    if not low <= number <= high:
        problems.append(
            Problem(
                gettext("must be between %(low)s and %(high)s") % {"low": low, "high": high},
                column=field,
                value=value,
            )
        )
        return None
    return number


def _float(value: str, field: str, problems: list[Problem]) -> float | None:
    text = value.strip().replace(",", ".")
    if text == "":
        return None
    try:
        number = float(text)
    except ValueError:
        problems.append(Problem(N_("must be a number"), column=field, value=value))
        return None
    if number != number or number in (float("inf"), float("-inf")):
        problems.append(Problem(N_("must be a number"), column=field, value=value))
        return None
    return number


def _day(value: str, field: str, problems: list[Problem]) -> date | None:
    if value.strip() == "":
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        problems.append(Problem(N_("must be a date (YYYY-MM-DD)"), column=field, value=value))
        return None


def _ids(values: list[str], field: str, problems: list[Problem]) -> list[int]:
    found = []
    for value in values:
        if value.strip() == "":
            continue
        if not value.strip().isdigit():
            problems.append(Problem(N_("is not one of the choices offered"), column=field))
            continue
        found.append(int(value.strip()))
    return list(dict.fromkeys(found))


def _validation_problems(error: ValidationError) -> list[Problem]:
    return [
        Problem(str(e["msg"]), column=str(e["loc"][0]) if e["loc"] else "form")
        for e in error.errors()
    ]


# HR: programs


PROGRAM_TEXT = ("name", "kind", "description", "objectives")
PROGRAM_DATES = ("enrol_from", "enrol_until", "starts_on", "ends_on")
PROGRAM_NUMBERS = {
    "min_role_level": (0, 100),
    "max_role_level": (0, 100),
    "default_capacity": (1, 50),
    "min_group": (1, 50),
    "max_group": (1, 50),
    "checkin_every_days": (1, 365),
}
PROGRAM_LISTS = ("skill_ids", "unit_ids", "role_ids", "location_ids")


def _program_defaults() -> dict[str, Any]:
    values: dict[str, Any] = dict.fromkeys((*PROGRAM_TEXT, *PROGRAM_DATES), "")
    values.update(dict.fromkeys(PROGRAM_NUMBERS, ""))
    values.update({name: [] for name in PROGRAM_LISTS})
    values.update(kind="one_to_one", default_capacity="2", checkin_every_days="30")
    return values


def _posted_program(form: FormData) -> tuple[dict[str, Any], ProgramIn | None, list[Problem]]:
    """The values of a posted program form (to show again) and the program they make, or the
    problem of each field that cannot be read."""
    values: dict[str, Any] = {
        "name": _field(form, "name", 300),
        "kind": _field(form, "kind", 20),
        "description": _field(form, "description", 5000),
        "objectives": _field(form, "objectives", 5000),
    }
    values.update({name: _field(form, name, 20) for name in (*PROGRAM_DATES, *PROGRAM_NUMBERS)})
    values.update({name: _many(form, name) for name in PROGRAM_LISTS})
    problems: list[Problem] = []
    name = values["name"].strip()
    if not name:
        problems.append(Problem(N_("must not be empty"), column="name"))
    elif len(name) > 200:
        problems.append(Problem(N_("is too long"), column="name"))
    if values["kind"] not in KINDS:
        problems.append(Problem(N_("is not one of the choices offered"), column="kind"))
    fields: dict[str, Any] = {}
    for column in PROGRAM_DATES:
        fields[column] = _day(values[column], column, problems)
    for column, (low, high) in PROGRAM_NUMBERS.items():
        number = _int(values[column], column, problems, low, high)
        if number is not None:
            fields[column] = number
    for column in PROGRAM_LISTS:
        fields[column] = _ids(values[column], column, problems)
    objectives = [line.strip() for line in values["objectives"].splitlines() if line.strip()]
    if problems:
        return values, None, problems
    try:
        data = ProgramIn(
            name=name,
            kind=values["kind"],
            description=values["description"].strip(),
            objectives=objectives,
            **fields,
        )
    except ValidationError as error:
        return values, None, _validation_problems(error)
    return values, data, []


def _programs_page(
    request: Request,
    session: DbSession,
    user: User,
    *,
    values: dict[str, Any],
    problems: list[Problem] | None = None,
    status_code: int = 200,
) -> Response:
    viewer = require_hr(user)
    programs = service.list_programs(session, viewer=viewer)
    form_choices = campaigns_service.form_choices(session, viewer=viewer)
    errors = _problem_messages(problems or [])
    context = {
        "programs": programs,
        "units": form_choices.units,
        "roles": form_choices.roles,
        "skills": form_choices.skills,
        "locations": people_service.list_locations(session),
        "kinds": KINDS,
        "values": values,
        "errors": errors,
        "open_form": bool(errors) or not programs,
        "overdue": len(service.overdue_list(session, viewer=viewer)),
    }
    return render(request, "mentoring/programs.html", context, user=user, status_code=status_code)


@router.get("/mentoring/programs")
def programs_list(request: Request, session: DbSession, user: PageUser) -> Response:
    """Every mentoring program with its status and enrolments, and the form of a new one (HR)."""
    return _programs_page(request, session, user, values=_program_defaults())


@router.post("/mentoring/programs", dependencies=[CsrfChecked])
def create_program(
    request: Request, session: DbSession, user: PageUser, form: PostedForm
) -> Response:
    """Create a program in draft and go to its page; bad input shows the form again with the
    reason next to each field."""
    viewer = require_hr(user)
    values, data, problems = _posted_program(form)
    try:
        if data is None:
            raise InvalidInputError(NOT_VALID, problems)
        created = service.create_program(session, viewer=viewer, data=data)
    except InvalidInputError as error:
        return _programs_page(
            request, session, user, values=values, problems=error.problems, status_code=422
        )
    except ConflictError:
        problem = Problem(N_("A program with this name exists already."), column="name")
        return _programs_page(
            request, session, user, values=values, problems=[problem], status_code=409
        )
    request.session[FLASH_KEY] = {"text": gettext("Program created as a draft.")}
    return RedirectResponse(f"/mentoring/programs/{created.id}", status_code=303)


def _program_page(
    request: Request,
    session: DbSession,
    user: User,
    program_id: int,
    *,
    alert: str | None = None,
    status_code: int = 200,
) -> Response:
    viewer = require_hr(user)
    program = service.get_program(session, viewer=viewer, program_id=program_id)
    rounds = service.list_rounds(session, viewer=viewer, program_id=program_id)
    draft = next((r for r in reversed(rounds) if r.status == "draft"), None)
    matches = service.list_matches(session, viewer=viewer, program_id=program_id)
    draft_ids = {r.id for r in rounds if r.status == "draft"}
    proposals = [m for m in matches if m.round_id in draft_ids]
    published = [m for m in matches if m.round_id not in draft_ids]
    enrolments = service.list_enrolments(session, viewer=viewer, program_id=program_id)
    overdue = [
        o for o in service.overdue_list(session, viewer=viewer) if o.program_id == program_id
    ]
    form_choices = campaigns_service.form_choices(session, viewer=viewer)
    units = {u.id: u.name for u in form_choices.units}
    roles = {r.id: r.title for r in form_choices.roles}
    places = {loc.id: loc.name for loc in people_service.list_locations(session)}
    context = {
        "p": program,
        "eligibility": {
            "units": [units.get(i, str(i)) for i in program.unit_ids],
            "roles": [roles.get(i, str(i)) for i in program.role_ids],
            "locations": [places.get(i, str(i)) for i in program.location_ids],
        },
        "rounds": rounds,
        "draft": draft,
        "proposals": sorted(proposals, key=lambda m: -m.score),
        "live": [m for m in published if m.status in LIVE],
        "past": [m for m in published if m.status not in LIVE],
        "enrolments": enrolments,
        "waitlist": [e for e in enrolments if e.status == "waitlisted"],
        "overdue": overdue,
        "metrics": metrics.program_metrics(session, viewer=viewer, program_id=program_id),
        "next_statuses": service.TRANSITIONS.get(program.status, ()),
        "can_run": program.kind != "micro" and program.status in service.ROUND_STATUSES,
        "flash": _flash(request),
        "alert": alert,
    }
    return render(request, "mentoring/program.html", context, user=user, status_code=status_code)


@router.get("/mentoring/programs/{program_id}")
def program_page(request: Request, session: DbSession, user: PageUser, program_id: int) -> Response:
    """A program for HR: the answer (its metrics), status actions, the draft round to review
    and publish, live matches, the waitlist, overdue check-ins and the enrolments."""
    return _program_page(request, session, user, program_id)


def _hr_action(
    request: Request, session: DbSession, user: PageUser, program_id: int, action: Any
) -> Response:
    """Run an HR action; a refusal shows the program again with the reason."""
    try:
        notice = action(require_hr(user))
    except (ConflictError, InvalidInputError) as error:
        return _program_page(
            request, session, user, program_id, alert=gettext(error.message), status_code=409
        )
    request.session[FLASH_KEY] = {"text": notice}
    return RedirectResponse(f"/mentoring/programs/{program_id}", status_code=303)


@router.post("/mentoring/programs/{program_id}/status", dependencies=[CsrfChecked])
def set_status(
    request: Request, session: DbSession, user: PageUser, form: PostedForm, program_id: int
) -> Response:
    """Open enrolment, close it for matching, run or close the program."""
    status = _field(form, "status", 20)

    def act(viewer: Viewer) -> str:
        service.set_program_status(session, viewer=viewer, program_id=program_id, status=status)
        return gettext("The program's status changed.")

    return _hr_action(request, session, user, program_id, act)


@router.post("/mentoring/programs/{program_id}/rounds", dependencies=[CsrfChecked])
def run_round(request: Request, session: DbSession, user: PageUser, program_id: int) -> Response:
    """Run a matching round: a draft of proposals to review below."""

    def act(viewer: Viewer) -> str:
        read = service.run_round(session, viewer=viewer, program_id=program_id)
        return gettext(
            "Round %(number)s proposes matches for %(matched)s people; %(waiting)s wait."
        ) % {"number": read.number, "matched": read.matched, "waiting": read.waitlisted}

    return _hr_action(request, session, user, program_id, act)


@router.post(
    "/mentoring/programs/{program_id}/rounds/{round_id}/publish", dependencies=[CsrfChecked]
)
def publish_round(
    request: Request, session: DbSession, user: PageUser, program_id: int, round_id: int
) -> Response:
    """Publish a draft round: the people see their proposals and answer them."""

    def act(viewer: Viewer) -> str:
        service.publish_round(session, viewer=viewer, program_id=program_id, round_id=round_id)
        return gettext("Round published: the people now see their proposals.")

    return _hr_action(request, session, user, program_id, act)


# The person's view


def _my_matches(session: DbSession, viewer: Viewer, programs: list[ProgramRead]) -> list[Any]:
    """The viewer's matches in every program they see, live first, with check-ins and flags."""
    rows = []
    overdue = {o.match_id: o for o in service.overdue_list(session, viewer=viewer)}
    for program in programs:
        if not program.my_roles and not viewer.can_administer:
            continue
        for match in service.list_matches(session, viewer=viewer, program_id=program.id):
            involved = viewer.employee_id is not None and (
                (match.mentor is not None and match.mentor.id == viewer.employee_id)
                or any(x.employee.id == viewer.employee_id for x in match.mentees)
            )
            if not involved or match.status == "declined":
                continue
            if (
                viewer.can_administer
                and match.round_id is not None
                and not _published(session, viewer, match)
            ):
                continue
            rows.append(
                {
                    "m": match,
                    "program": program,
                    "is_mentor": match.mentor is not None and match.mentor.id == viewer.employee_id,
                    "me": next(
                        (x for x in match.mentees if x.employee.id == viewer.employee_id), None
                    ),
                    "checkins": service.list_checkins(session, viewer=viewer, match_id=match.id)
                    if match.status in ("active", "completed", "ended")
                    else [],
                    "overdue": overdue.get(match.id),
                }
            )
    order = {"proposed": 0, "active": 1, "accepted": 1, "completed": 2, "ended": 3}
    return sorted(rows, key=lambda r: (order.get(r["m"].status, 9), -r["m"].id))


def _published(session: DbSession, viewer: Viewer, match: MatchRead) -> bool:
    rounds = service.list_rounds(session, viewer=viewer, program_id=match.program_id)
    return any(r.id == match.round_id and r.status == "published" for r in rounds)


def _enrol_context(session: DbSession, viewer: Viewer, program: ProgramRead) -> dict[str, Any]:
    """What a program's enrol form offers the viewer."""
    if program.kind == "circle":
        offer: list[Any] = []
        mentors: list[Any] = []
    else:
        offer = choices.skills_to_offer(session, viewer=viewer, program_id=program.id)
        mentors = choices.program_mentors(session, viewer=viewer, program_id=program.id)
    suggested = service.suggest_skills(session, viewer=viewer, program_id=program.id)
    wanted = {s.skill.id: s.skill for s in suggested}
    for skill in choices.skills_to_want(session, viewer=viewer, program_id=program.id):
        wanted.setdefault(skill.id, skill)
    return {
        "offer": offer,
        "mentors": mentors,
        "suggested": suggested,
        "wanted": list(wanted.values()),
    }


def _enrolment_values(row: EnrolmentRead) -> dict[str, Any]:
    """The enrol form's values of an existing enrolment (to change it)."""
    skills = [str(s.skill.id) for s in row.skills]
    return {
        "role": row.role,
        "offer_ids": skills if row.role == "mentor" else [],
        "want_ids": skills if row.role != "mentor" else None,
        "goals": row.goals,
        "capacity": str(row.capacity),
        "hours_per_month": f"{row.hours_per_month:g}",
        "preferred_mentor_id": str(row.preferred_mentor.id) if row.preferred_mentor else "",
        "opt_out_ids": [str(i) for i in row.opt_out_ids],
    }


def _home_page(
    request: Request,
    session: DbSession,
    user: User,
    *,
    errors: dict[str, dict[str, list[str]]] | None = None,
    posted: dict[str, dict[str, Any]] | None = None,
    status_code: int = 200,
) -> Response:
    viewer = viewer_of(user)
    if viewer.employee_id is None:
        raise ForbiddenError("Mentoring is for people with an employee record.")
    programs = service.list_programs(session, viewer=viewer)
    if viewer.can_administer:
        # HR sees every program in the admin; here, as for everyone, those open to them
        programs = [p for p in programs if p.eligible or p.my_roles]
    enrolments = []
    for program in programs:
        if program.my_roles:
            for row in service.list_enrolments(session, viewer=viewer, program_id=program.id):
                if row.employee.id == viewer.employee_id and row.status != "withdrawn":
                    enrolments.append((program, row))
    # an enrolment waiting for a round can still change; a matched one cannot
    current = {p.id: e for p, e in enrolments}
    open_ = [
        p
        for p in programs
        if p.status == "enrolling"
        and p.eligible
        and (p.id not in current or current[p.id].status in ("enrolled", "waitlisted"))
    ]
    shown = dict(posted or {})
    for program in open_:
        key = f"program-{program.id}"
        if key not in shown and program.id in current:
            shown[key] = _enrolment_values(current[program.id])
    context = {
        "open_programs": [(p, _enrol_context(session, viewer, p)) for p in open_],
        "enrolments": enrolments,
        "matches": _my_matches(session, viewer, programs),
        "flash": _flash(request),
        "errors": errors or {},
        "posted": shown,
        "today": utc_today().isoformat(),
        "is_hr": viewer.can_administer,
    }
    return render(request, "mentoring/index.html", context, user=user, status_code=status_code)


@router.get("/mentoring")
def home(request: Request, session: DbSession, user: PageUser) -> Response:
    """My mentoring: proposals to answer, active matches with check-ins, my enrolments, and the
    programs open to me with an enrol form."""
    return _home_page(request, session, user)


def _person_action(
    request: Request,
    session: DbSession,
    user: PageUser,
    key: str,
    action: Any,
    posted: dict[str, Any] | None = None,
) -> Response:
    """Run a person's action; a refusal shows the page again with the reasons at `key`."""
    viewer = viewer_of(user)
    try:
        notice = action(viewer)
    except InvalidInputError as error:
        errors = _problem_messages(error.problems) or {"form": [gettext(error.message)]}
        return _home_page(
            request,
            session,
            user,
            errors={key: errors},
            posted={key: posted or {}},
            status_code=422,
        )
    except (ConflictError, ForbiddenError) as error:
        return _home_page(
            request,
            session,
            user,
            errors={key: {"form": [gettext(error.message)]}},
            posted={key: posted or {}},
            status_code=409 if isinstance(error, ConflictError) else 403,
        )
    request.session[FLASH_KEY] = {"text": notice}
    return RedirectResponse(f"/mentoring#{key}", status_code=303)


@router.post("/mentoring/programs/{program_id}/enrol", dependencies=[CsrfChecked])
def enrol(
    request: Request, session: DbSession, user: PageUser, form: PostedForm, program_id: int
) -> Response:
    """Enrol as mentor, mentee or peer (again: change the enrolment)."""
    posted: dict[str, Any] = {
        "role": _field(form, "role", 10),
        "offer_ids": _many(form, "offer_ids"),
        "want_ids": _many(form, "want_ids"),
        "goals": _field(form, "goals", 2000),
        "capacity": _field(form, "capacity", 10),
        "hours_per_month": _field(form, "hours_per_month", 10),
        "preferred_mentor_id": _field(form, "preferred_mentor_id", 20),
        "opt_out_ids": _many(form, "opt_out_ids"),
    }

    def act(viewer: Viewer) -> str:
        problems: list[Problem] = []
        role = posted["role"]
        if role not in ("mentor", "mentee", "peer"):
            problems.append(Problem(N_("choose a role"), column="role"))
        side = posted["offer_ids"] if role == "mentor" else posted["want_ids"]
        skill_ids = _ids(side, "skill_ids", problems)
        capacity = _int(posted["capacity"], "capacity", problems, 1, 50)
        hours = _float(posted["hours_per_month"], "hours_per_month", problems)
        preferred = _ids([posted["preferred_mentor_id"]], "preferred_mentor_id", problems)
        opt_outs = _ids(posted["opt_out_ids"], "opt_out_ids", problems)
        if problems:
            raise InvalidInputError(NOT_VALID, problems)
        try:
            data = EnrolIn(
                role=role,
                skill_ids=skill_ids,
                goals=posted["goals"],
                capacity=capacity if role == "mentor" else None,
                hours_per_month=hours if hours is not None else 2.0,
                preferred_mentor_id=preferred[0] if preferred and role == "mentee" else None,
                opt_out_ids=opt_outs,
            )
        except ValidationError as error:
            raise InvalidInputError(NOT_VALID, _validation_problems(error)) from None
        service.enrol(session, viewer=viewer, program_id=program_id, data=data)
        return gettext("You are enrolled. You will see a proposal after the next matching round.")

    return _person_action(request, session, user, f"program-{program_id}", act, posted)


@router.post("/mentoring/enrolments/{enrolment_id}/withdraw", dependencies=[CsrfChecked])
def withdraw(request: Request, session: DbSession, user: PageUser, enrolment_id: int) -> Response:
    """Withdraw an enrolment."""

    def act(viewer: Viewer) -> str:
        service.withdraw(session, viewer=viewer, enrolment_id=enrolment_id)
        return gettext("You withdrew from the program.")

    return _person_action(request, session, user, f"enrolment-{enrolment_id}", act)


@router.post("/mentoring/matches/{match_id}/answer", dependencies=[CsrfChecked])
def answer(
    request: Request, session: DbSession, user: PageUser, form: PostedForm, match_id: int
) -> Response:
    """Accept or decline a proposal."""
    decision = _field(form, "decision", 10)

    def act(viewer: Viewer) -> str:
        if decision not in ("accept", "decline"):
            raise InvalidInputError(NOT_VALID, [Problem(N_("choose an answer"), column="form")])
        read = service.answer_match(
            session, viewer=viewer, match_id=match_id, accept=decision == "accept"
        )
        if decision == "decline":
            return gettext("You declined. You will be considered again in the next round.")
        if read.status == "active":
            return gettext("Accepted: the relationship is active. Plan your first meeting.")
        return gettext("Accepted. It becomes active when everyone has accepted.")

    return _person_action(request, session, user, f"match-{match_id}", act)


@router.post("/mentoring/matches/{match_id}/checkins", dependencies=[CsrfChecked])
def add_checkin(
    request: Request, session: DbSession, user: PageUser, form: PostedForm, match_id: int
) -> Response:
    """Record a check-in: date, notes, progress on the objectives (%), rating 1–5."""
    posted = {
        "held_on": _field(form, "held_on", 20),
        "notes": _field(form, "notes", 4000),
        "progress": _field(form, "progress", 10),
        "rating": _field(form, "rating", 10),
    }

    def act(viewer: Viewer) -> str:
        problems: list[Problem] = []
        held_on = _day(posted["held_on"], "held_on", problems)
        if held_on is None and not problems:
            problems.append(Problem(N_("must be a date (YYYY-MM-DD)"), column="held_on"))
        progress = _int(posted["progress"], "progress", problems, 0, 100)
        rating = _int(posted["rating"], "rating", problems, 1, 5)
        if problems or held_on is None:
            raise InvalidInputError(NOT_VALID, problems)
        service.add_checkin(
            session,
            viewer=viewer,
            match_id=match_id,
            held_on=held_on,
            notes=posted["notes"],
            progress=(progress or 0) / 100,
            rating=rating,
        )
        return gettext("Check-in recorded.")

    return _person_action(request, session, user, f"match-{match_id}", act, posted)


@router.post("/mentoring/matches/{match_id}/complete", dependencies=[CsrfChecked])
def complete(
    request: Request, session: DbSession, user: PageUser, form: PostedForm, match_id: int
) -> Response:
    """The mentor completes a relationship with its outcome and each mentee's objectives met."""
    posted = {"outcome": _field(form, "outcome", 4000)}
    met_fields = {k: v for k, v in form.multi_items() if k.startswith("met_")}

    def act(viewer: Viewer) -> str:
        problems: list[Problem] = []
        met: dict[int, int] = {}
        for key, value in met_fields.items():
            mentee = key.removeprefix("met_")
            number = _int(
                value if isinstance(value, str) else "", "objectives_met", problems, 0, 99
            )
            if mentee.isdigit() and number is not None:
                met[int(mentee)] = number
        if problems:
            raise InvalidInputError(NOT_VALID, problems)
        service.complete_match(
            session,
            viewer=viewer,
            match_id=match_id,
            data=CompleteIn(outcome=posted["outcome"], objectives_met=met),
        )
        return gettext("The relationship is completed. Thank you for mentoring.")

    return _person_action(request, session, user, f"match-{match_id}", act, posted)


# The micro-mentoring finder


@router.get("/mentoring/help")
def find_help(
    request: Request,
    session: DbSession,
    user: PageUser,
    skill_id: Annotated[str | None, Query(max_length=20)] = None,
) -> Response:
    """Who can help me with a skill this week: pick a skill, see ranked helpers with the parts
    of their score and the reasons."""
    viewer = viewer_of(user)
    if viewer.employee_id is None:
        raise ForbiddenError("Mentoring is for people with an employee record.")
    skills = choices.micro_skills(session, viewer=viewer)
    error = None
    found = None
    chosen = (skill_id or "").strip()
    if chosen:
        if not chosen.isdigit():
            error = gettext("is not one of the choices offered")
        else:
            try:
                found = micro_service.find_helpers(session, viewer=viewer, skill_id=int(chosen))
            except NotFoundError as missing:
                error = gettext(missing.message)
    context = {
        "skills": skills,
        "chosen": chosen,
        "found": found,
        "error": error,
        "today": utc_today(),
        "flash": _flash(request),
    }
    return render(
        request,
        "mentoring/help.html",
        context,
        user=user,
        status_code=422 if error else 200,
    )


@router.post("/mentoring/help/sessions", dependencies=[CsrfChecked])
def book_session(
    request: Request, session: DbSession, user: PageUser, form: PostedForm
) -> Response:
    """Ask a helper for a short session: a proposal the helper accepts from their mentoring
    page; the asker goes to their own mentoring page with a notice (or back to the finder with
    the reason)."""
    viewer = viewer_of(user)
    helper = _field(form, "helper_id", 20)
    skill = _field(form, "skill_id", 20)
    day = _field(form, "on", 20)
    back = f"/mentoring/help?skill_id={skill}" if skill.isdigit() else "/mentoring/help"
    try:
        on = date.fromisoformat(day) if day else None
    except ValueError:
        on = None
        request.session[FLASH_KEY] = {"text": gettext("The day must be a date."), "error": True}
        return RedirectResponse(back, status_code=303)
    if not (helper.isdigit() and skill.isdigit()):
        request.session[FLASH_KEY] = {
            "text": gettext("Choose a helper from the list."),
            "error": True,
        }
        return RedirectResponse("/mentoring/help", status_code=303)
    try:
        micro_service.book_session(
            session,
            viewer=viewer,
            helper_id=int(helper),
            skill_id=int(skill),
            on=on,
            note=_field(form, "note", 300),
        )
    except (InvalidInputError, ConflictError, NotFoundError, ForbiddenError) as refused:
        reason = (
            refused.problems[0].reason
            if isinstance(refused, InvalidInputError) and refused.problems
            else refused.message
        )
        request.session[FLASH_KEY] = {"text": gettext(reason), "error": True}
        return RedirectResponse(back, status_code=303)
    request.session[FLASH_KEY] = {
        "text": gettext("Your request is sent: the session starts once your helper accepts.")
    }
    return RedirectResponse("/mentoring", status_code=303)
