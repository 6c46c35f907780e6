"""The internal marketplace pages (docs/mobility.md): the person's explained matches, all open
opportunities and their own applications; one opportunity with the viewer's own match; ranked
internal candidates and applicants for its owner's side, filling a role internally; posting;
gig approvals; and the published formula in plain words."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from skillpath.config import Settings
from skillpath.core.clock import today as utc_today
from skillpath.core.errors import (
    ConflictError,
    ForbiddenError,
    InvalidInputError,
    NotFoundError,
    Problem,
    SkillpathError,
)
from skillpath.core.levels import DEFAULT_SCALE
from skillpath.domains.gaps import service as gaps_service
from skillpath.domains.identity.models import User
from skillpath.domains.identity.visibility import Viewer
from skillpath.domains.mobility import applications, notifications, openings, service
from skillpath.domains.mobility.models import OPPORTUNITY_KINDS
from skillpath.domains.mobility.schemas import MatchRead, OpportunityIn, OpportunityRead, SkillAsk
from skillpath.domains.people import service as people_service
from skillpath.domains.taxonomy import service as taxonomy
from skillpath.web import i18n
from skillpath.web.deps import CsrfChecked, DbSession, PageUser, get_settings
from skillpath.web.errors import describe_problem, problem_text
from skillpath.web.i18n import N_
from skillpath.web.pages.common import (
    NOT_VALID,
    PAGE_SIZE,
    choice,
    offset_of,
    pager,
    text,
    viewer_of,
)
from skillpath.web.templating import render

router = APIRouter()
AppSettings = Annotated[Settings, Depends(get_settings)]
FormText = Annotated[str, Form(max_length=8000)]
FormList = Annotated[list[str], Form()]
FLASH_KEY = "opportunity_flash"
TABS = ("matches", "all", "mine")
MATCHES_SHOWN = 10
CANDIDATES_SHOWN = 20
SKILL_ROWS = 6
SKILL_CHOICES = 2000
FIT_WELL = ("very_high", "high")
STATUSES = ("open", "draft", "filled", "closed", "all")
PERSON_ACTIONS = {
    "saved": applications.save,
    "dismissed": applications.dismiss,
}
IMPORTANCES = (("1.0", N_("Essential")), ("0.6", N_("Important")), ("0.3", N_("Nice to have")))
# The services' reasons for refused values, spelled out so that `make messages` extracts them;
# the posting form shows each next to its field.
PROBLEM_REASONS = (
    N_("no open opening has this id"),
    N_("this opening is posted already"),
    N_("differs from the opening's role"),
    N_("a role (or an opening) is needed for a role opportunity"),
    N_("must be you or someone in your reporting line"),
    N_("no role has this id"),
    N_("must not be empty"),
    N_("must be more than 0 and at most 1 (the whole week)"),
    N_("must not be in the past"),
    N_("name the skills it asks for (or a role with a profile)"),
    N_("no skill has this id"),
    N_("a skill is named twice"),
    N_("must not be in the future: record the move on the day it happens"),
    N_("must not be before the role was opened"),
    N_("say why in a note"),
    N_("is longer than 2,000 characters"),
)
FIELD_OF_COLUMN = {
    "kind": "kind",
    "opening_id": "opening_id",
    "role_id": "role_id",
    "title": "title",
    "description": "description",
    "time_share": "time_share",
    "duration_weeks": "duration_weeks",
    "starts_on": "starts_on",
    "closes_on": "closes_on",
    "location_id": "location_id",
    "language": "language",
    "skills": "skills",
    "skills.skill_id": "skills",
    "skills.level": "skills",
    "skills.importance": "skills",
    "owner_id": "opening_id",
}


# Small readers of form values


def _refused(reason: str, column: str, value: str | None = None) -> InvalidInputError:
    return InvalidInputError(NOT_VALID, [Problem(reason, column=column, value=value or None)])


def _whole(value: str, column: str, low: int, high: int) -> int | None:
    raw = value.strip()
    if not raw:
        return None
    try:
        number = int(raw)
    except ValueError:
        raise _refused(N_("must be a whole number"), column, value) from None
    if not low <= number <= high:
        raise _refused(
            i18n.gettext("must be between %(low)s and %(high)s") % {"low": low, "high": high},
            column,
            value,
        )
    return number


def _day(value: str, column: str) -> date | None:
    raw = value.strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise _refused(N_("must be a date (YYYY-MM-DD)"), column, value) from None


def _message(error: SkillpathError) -> list[str]:
    if isinstance(error, InvalidInputError) and error.problems:
        return [describe_problem(problem) for problem in error.problems]
    return [i18n.gettext(error.message)]


# Flash notices


def _flash(request: Request) -> dict[str, Any] | None:
    value = request.session.pop(FLASH_KEY, None)
    if not isinstance(value, dict):
        return None
    if isinstance(value.get("on"), str):
        value["on"] = date.fromisoformat(value["on"])
    return value


def _leave(request: Request, notice: dict[str, Any], target: str) -> Response:
    request.session[FLASH_KEY] = notice
    return RedirectResponse(target, status_code=303)


def _back(value: str, fallback: str) -> str:
    """A same-site path to return to (anything else goes to the fallback)."""
    if value.startswith("/opportunities") and "//" not in value and "\\" not in value:
        return value
    return fallback


# Explanations computed once per match


def formula_line(match: MatchRead) -> str:
    """The score as the sum of its weighted sub-scores ("0.70 × 0.95 + … = 0.82")."""
    weights = match.weights
    parts = [
        f"{i18n.number(weights[name], 2)} × {i18n.number(value, 2)}"
        for name, value in (
            ("skills", match.subscores.skills),
            ("aspiration", match.subscores.aspiration),
            ("logistics", match.subscores.logistics),
        )
    ]
    return " + ".join(parts) + f" = {i18n.number(match.score, 2)}"


def _segments(match: MatchRead) -> list[tuple[str, float]]:
    """Each sub-score's contribution to the score (weight × sub-score), for the stacked bar."""
    return [
        (name, match.weights[name] * getattr(match.subscores, name))
        for name in ("skills", "aspiration", "logistics")
    ]


def _view(match: MatchRead) -> dict[str, Any]:
    return {"m": match, "formula": formula_line(match), "segments": _segments(match)}


# The marketplace


@router.get("/opportunities")
def marketplace(
    request: Request,
    session: DbSession,
    user: PageUser,
    tab: str | None = None,
    kind: str | None = None,
    q: str | None = None,
    status: str | None = None,
    offset: str | None = None,
) -> Response:
    """Answer first: how many opportunities fit the person well and the best one; then the
    explained matches, all open opportunities, or the person's own applications."""
    viewer = viewer_of(user)
    has_person = viewer.employee_id is not None
    chosen_tab = choice(tab, TABS, "tab") or ("matches" if has_person else "all")
    if not has_person and chosen_tab != "all":
        chosen_tab = "all"
    chosen_kind = choice(kind, OPPORTUNITY_KINDS, "kind")
    chosen_status = choice(status, STATUSES, "status") or "open"
    if not viewer.sees_everyone:
        chosen_status = "open"
    context: dict[str, Any] = {
        "tab": chosen_tab,
        "kind": chosen_kind or "",
        "q": text(q) or "",
        "status": chosen_status,
        "kinds": OPPORTUNITY_KINDS,
        "statuses": STATUSES,
        "flash": _flash(request),
        "has_person": has_person,
        "may_post": viewer.can_administer or viewer.role == "manager",
        "notices": notifications.unread_notices(session, viewer=viewer, mark_read=True)
        if has_person
        else [],
        "approvals": len(applications.gig_approvals(session, viewer=viewer))
        if viewer.role in ("manager", "hr_admin")
        else 0,
    }
    if chosen_tab == "matches" and viewer.employee_id is not None:
        try:
            matches = service.recommendations(
                session,
                viewer=viewer,
                employee_id=viewer.employee_id,
                limit=MATCHES_SHOWN,
                kind=chosen_kind,
            )
        except NotFoundError:
            matches = []
        context["matches"] = [_view(match) for match in matches]
        context["fit_well"] = sum(1 for match in matches if match.band in FIT_WELL)
    elif chosen_tab == "all":
        start = offset_of(offset)
        found, total = service.list_opportunities(
            session,
            viewer=viewer,
            status=chosen_status,
            kind=chosen_kind,
            q=text(q),
            limit=PAGE_SIZE,
            offset=start,
        )
        context["opportunities"] = found
        context["total"] = total
        context["pager"] = pager(request, total=total, limit=PAGE_SIZE, offset=start)
    else:
        context["applications"] = applications.my_applications(session, viewer=viewer)
        if context["may_post"]:
            managed, _total = service.list_opportunities(
                session, viewer=viewer, status="all", mine=True, limit=100
            )
            context["managed"] = managed
    return render(request, "opportunities/index.html", context, user=user)


# The person's own steps


@router.post("/opportunities/{opportunity_id:int}/interest", dependencies=[CsrfChecked])
def set_interest(
    request: Request,
    session: DbSession,
    user: PageUser,
    opportunity_id: int,
    action: FormText = "",
    note: FormText = "",
    share_with_manager: FormText = "",
    back: FormText = "",
) -> Response:
    """Save, "not interested", interest, apply (privately unless shared) or withdraw."""
    viewer = viewer_of(user)
    target = _back(back, f"/opportunities/{opportunity_id}")
    shared = share_with_manager in ("1", "on", "true")
    try:
        if action in PERSON_ACTIONS:
            done = PERSON_ACTIONS[action](session, viewer=viewer, opportunity_id=opportunity_id)
        elif action == "interested":
            done = applications.express_interest(
                session, viewer=viewer, opportunity_id=opportunity_id, note=note,
                share_with_manager=shared,
            )  # fmt: skip
        elif action == "applied":
            done = applications.apply(
                session, viewer=viewer, opportunity_id=opportunity_id, note=note,
                share_with_manager=shared,
            )  # fmt: skip
        elif action == "withdrawn":
            done = applications.withdraw(
                session, viewer=viewer, opportunity_id=opportunity_id, note=note
            )
        else:
            raise _refused(N_("is not one of the choices offered"), "action", action)
    except (InvalidInputError, ConflictError, ForbiddenError) as error:
        return _leave(request, {"kind": "error", "problems": _message(error)}, target)
    notice = {"kind": action, "title": done.opportunity.title, "shared": done.shared_with_manager}
    return _leave(request, notice, target)


# One opportunity


def _opportunity_page(
    request: Request,
    session: DbSession,
    user: User,
    opportunity: OpportunityRead,
    extra: dict[str, Any] | None = None,
) -> Response:
    viewer = viewer_of(user)
    match = None
    if (
        viewer.employee_id is not None
        and opportunity.status == "open"
        and (opportunity.owner is None or opportunity.owner.id != viewer.employee_id)
    ):
        found = service.match_of(
            session, viewer=viewer, employee_id=viewer.employee_id, opportunity_id=opportunity.id
        )
        match = _view(found) if found is not None else None
    mine = next(
        (
            found
            for found in applications.my_applications(session, viewer=viewer)
            if found.opportunity.id == opportunity.id
        ),
        None,
    )
    manages = _manages(session, viewer, opportunity)
    context: dict[str, Any] = {
        "o": opportunity,
        "match": match,
        "mine": mine,
        "manages": manages,
        "applicants": applications.applicants(session, viewer=viewer, opportunity_id=opportunity.id)
        if manages
        else [],
        "flash": _flash(request),
        "today": utc_today(),
        "is_owner": opportunity.owner is not None and opportunity.owner.id == viewer.employee_id,
    }
    context.update(extra or {})
    return render(request, "opportunities/detail.html", context, user=user)


def _manages(session: DbSession, viewer: Viewer, opportunity: OpportunityRead) -> bool:
    """Whether the viewer is on the owner's side (owner, the owner's line, HR)."""
    if opportunity.can_manage:
        return True
    try:
        applications.applicants(session, viewer=viewer, opportunity_id=opportunity.id)
    except (ForbiddenError, NotFoundError):
        return False
    return True


@router.get("/opportunities/{opportunity_id:int}")
def opportunity_page(
    request: Request, session: DbSession, user: PageUser, opportunity_id: int
) -> Response:
    """The opportunity, the viewer's own explained match, and for its owner's side the
    applicants and a link to the ranked candidates."""
    viewer = viewer_of(user)
    opportunity = service.get_opportunity(session, viewer=viewer, opportunity_id=opportunity_id)
    return _opportunity_page(request, session, user, opportunity)


@router.post("/opportunities/{opportunity_id:int}/publish", dependencies=[CsrfChecked])
def publish(request: Request, session: DbSession, user: PageUser, opportunity_id: int) -> Response:
    """Open a draft (people it matches very highly are notified)."""
    target = f"/opportunities/{opportunity_id}"
    try:
        service.publish_opportunity(session, viewer=viewer_of(user), opportunity_id=opportunity_id)
    except ConflictError as error:
        return _leave(request, {"kind": "error", "problems": _message(error)}, target)
    return _leave(request, {"kind": "published"}, target)


@router.post("/opportunities/{opportunity_id:int}/close", dependencies=[CsrfChecked])
def close(request: Request, session: DbSession, user: PageUser, opportunity_id: int) -> Response:
    """Close without filling."""
    target = f"/opportunities/{opportunity_id}"
    try:
        service.close_opportunity(session, viewer=viewer_of(user), opportunity_id=opportunity_id)
    except ConflictError as error:
        return _leave(request, {"kind": "error", "problems": _message(error)}, target)
    return _leave(request, {"kind": "closed"}, target)


# The owner's side


@router.get("/opportunities/{opportunity_id:int}/candidates")
def candidates_page(
    request: Request, session: DbSession, user: PageUser, opportunity_id: int
) -> Response:
    """Ranked internal candidates, explained, with their interest and the owner's actions
    (owner, owner's line and HR; 403 for anyone else who may see the opportunity)."""
    viewer = viewer_of(user)
    opportunity = service.get_opportunity(session, viewer=viewer, opportunity_id=opportunity_id)
    found: list[MatchRead] = []
    if opportunity.status == "open":
        found = service.candidates(
            session, viewer=viewer, opportunity_id=opportunity_id, limit=CANDIDATES_SHOWN
        )
    elif not _manages(session, viewer, opportunity):
        raise ForbiddenError(
            "Only the opportunity's owner, the managers above them and HR see its candidates."
        )
    listed = applications.applicants(session, viewer=viewer, opportunity_id=opportunity_id)
    context: dict[str, Any] = {
        "o": opportunity,
        "candidates": [_view(match) for match in found],
        "applicants": listed,
        "applied_ids": {a.employee.id for a in listed if a.status in applications.APPLIED},
        "flash": _flash(request),
        "today": utc_today(),
        "may_fill_directly": viewer.can_administer,
        "owner_from": applications.OWNER_FROM,
        "viewer_id": viewer.employee_id,
    }
    return render(request, "opportunities/candidates.html", context, user=user)


@router.post(
    "/opportunities/{opportunity_id:int}/applicants/{employee_id:int}",
    dependencies=[CsrfChecked],
)
def decide(
    request: Request,
    session: DbSession,
    user: PageUser,
    settings: AppSettings,
    opportunity_id: int,
    employee_id: int,
    status: FormText = "",
    note: FormText = "",
    back: FormText = "",
) -> Response:
    """Shortlist, contact, decline or select an applicant."""
    target = _back(back, f"/opportunities/{opportunity_id}/candidates")
    try:
        found = applications.decide_applicant(
            session,
            viewer=viewer_of(user),
            opportunity_id=opportunity_id,
            employee_id=employee_id,
            status=status,
            note=note,
            gig_time_cap=settings.gig_time_cap,
        )
    except (InvalidInputError, ConflictError, ForbiddenError) as error:
        return _leave(request, {"kind": "error", "problems": _message(error)}, target)
    return _leave(
        request, {"kind": "decided", "status": status, "name": found.employee.name}, target
    )


@router.post("/opportunities/{opportunity_id:int}/fill", dependencies=[CsrfChecked])
def fill(
    request: Request,
    session: DbSession,
    user: PageUser,
    opportunity_id: int,
    employee_id: FormText = "",
    on: FormText = "",
    confirm: FormText = "",
) -> Response:
    """Fill a role internally: records the move in the person's history and the time to fill."""
    target = f"/opportunities/{opportunity_id}/candidates"
    try:
        person = _whole(employee_id, "employee_id", 1, 2**62)
        day = _day(on, "on")
        if person is None:
            raise _refused(N_("choose the person"), "employee_id")
        if day is None:
            raise _refused(N_("must be a date (YYYY-MM-DD)"), "on")
        if confirm not in ("1", "on", "true"):
            raise _refused(N_("tick the box to confirm the move"), "confirm")
        done = applications.fill_internally(
            session, viewer=viewer_of(user), opportunity_id=opportunity_id,
            employee_id=person, on=day,
        )  # fmt: skip
    except (InvalidInputError, ConflictError, ForbiddenError, NotFoundError) as error:
        return _leave(request, {"kind": "error", "problems": _message(error)}, target)
    viewer = viewer_of(user)
    listed = applications.applicants(session, viewer=viewer, opportunity_id=opportunity_id)
    name = next((a.employee.name for a in listed if a.employee.id == done.employee_id), "")
    return _leave(
        request,
        {
            "kind": "filled",
            "employee_id": done.employee_id,
            "name": name,
            "visible": _visible_person(session, viewer, done.employee_id),
            "days": done.time_to_fill_days,
            "on": done.filled_on.isoformat(),
            "move_kind": done.move_kind,
            "declined": done.declined,
        },
        f"/opportunities/{opportunity_id}",
    )


def _visible_person(session: DbSession, viewer: Viewer, employee_id: int) -> bool:
    """Whether the viewer may open the person's page (and so see the move in their history)."""
    try:
        people_service.visible_employee_summary(session, viewer=viewer, employee_id=employee_id)
    except NotFoundError:
        return False
    return True


# Gig approvals


@router.get("/opportunities/approvals")
def approvals_page(
    request: Request, session: DbSession, user: PageUser, settings: AppSettings
) -> Response:
    """Gig selections waiting for the viewer's approval, with each person's share of time."""
    viewer = viewer_of(user)
    waiting = applications.gig_approvals(session, viewer=viewer, gig_time_cap=settings.gig_time_cap)
    return render(
        request,
        "opportunities/approvals.html",
        {"waiting": waiting, "flash": _flash(request), "cap": settings.gig_time_cap},
        user=user,
    )


@router.post("/opportunities/approvals/{interest_id:int}", dependencies=[CsrfChecked])
def decide_gig(
    request: Request,
    session: DbSession,
    user: PageUser,
    settings: AppSettings,
    interest_id: int,
    decision: FormText = "",
    note: FormText = "",
) -> Response:
    """Approve or refuse (with a note) a report joining a gig."""
    target = "/opportunities/approvals"
    try:
        if decision not in ("approve", "refuse"):
            raise _refused(N_("is not one of the choices offered"), "decision", decision)
        found = applications.decide_gig(
            session, viewer=viewer_of(user), interest_id=interest_id,
            approve=decision == "approve", note=note, gig_time_cap=settings.gig_time_cap,
        )  # fmt: skip
    except (InvalidInputError, ConflictError, ForbiddenError) as error:
        return _leave(request, {"kind": "error", "problems": _message(error)}, target)
    return _leave(
        request,
        {
            "kind": "gig_" + (found.approval or decision),
            "name": found.employee.name,
            "title": found.opportunity.title,
        },
        target,
    )


# How matching works


@router.get("/opportunities/how-matching-works")
def how_matching_works(request: Request, session: DbSession, user: PageUser) -> Response:
    """The published formula in plain words, with a worked example from the viewer's best match."""
    viewer = viewer_of(user)
    example = None
    if viewer.employee_id is not None:
        try:
            best = service.recommendations(
                session, viewer=viewer, employee_id=viewer.employee_id, limit=1
            )
        except NotFoundError:
            best = []
        example = _view(best[0]) if best else None
    return render(
        request,
        "opportunities/how.html",
        {"formula": service.formula(), "example": example},
        user=user,
    )


# Posting


@dataclass
class PostingForm:
    """The posting form's values as typed (shown again when something is refused)."""

    kind: str = "role"
    source: str = "opening"
    opening_id: str = ""
    role_id: str = ""
    title: str = ""
    description: str = ""
    location_id: str = ""
    remote: bool = False
    language: str = ""
    time_share: str = ""
    duration_weeks: str = ""
    starts_on: str = ""
    closes_on: str = ""
    skill: list[str] = field(default_factory=list)
    level: list[str] = field(default_factory=list)
    importance: list[str] = field(default_factory=list)

    def skill_rows(self) -> list[tuple[str, str, str]]:
        """The skill rows to show: those typed, then empty ones up to SKILL_ROWS."""
        rows = [
            (
                skill,
                self.level[k] if k < len(self.level) else "",
                self.importance[k] if k < len(self.importance) else "",
            )
            for k, skill in enumerate(self.skill)
            if skill.strip()
        ]
        return rows + [("", "", "")] * max(0, SKILL_ROWS - len(rows))


def _posting_in(form: PostingForm, publish: bool) -> OpportunityIn:
    """The service's input of a posting form, or InvalidInputError naming every refused field
    (the service then checks what needs the database: ids, owners, a posted opening)."""
    problems: list[Problem] = []

    def read(parse: Any, *args: Any) -> Any:
        try:
            return parse(*args)
        except InvalidInputError as error:
            problems.extend(error.problems)
            return None

    if form.kind not in OPPORTUNITY_KINDS:
        problems.append(Problem(N_("is not one of the choices offered"), column="kind"))
    opening_id = role_id = None
    if form.kind == "role" and form.source == "opening":
        opening_id = read(_whole, form.opening_id, "opening_id", 1, 2**62)
        if opening_id is None and not form.opening_id.strip():
            problems.append(Problem(N_("choose an open opening"), column="opening_id"))
    elif form.kind == "role":
        role_id = read(_whole, form.role_id, "role_id", 1, 2**62)
        if role_id is None and not form.role_id.strip():
            problems.append(Problem(N_("choose a role"), column="role_id"))
    share = read(_whole, form.time_share, "time_share", 1, 100)
    weeks = read(_whole, form.duration_weeks, "duration_weeks", 1, 520)
    location = read(_whole, form.location_id, "location_id", 1, 2**62)
    starts = read(_day, form.starts_on, "starts_on")
    closes = read(_day, form.closes_on, "closes_on")
    if closes is not None and closes < utc_today():
        problems.append(
            Problem(N_("must not be in the past"), column="closes_on", value=form.closes_on)
        )
    asks: list[SkillAsk] = []
    for skill, level, importance in form.skill_rows():
        if not skill:
            continue
        skill_id = read(_whole, skill, "skills.skill_id", 1, 2**62)
        low, high = DEFAULT_SCALE.minimum, DEFAULT_SCALE.maximum
        display = read(_whole, level or "3", "skills.level", low, high)
        weight = dict(IMPORTANCES).get(importance or "0.6")
        if skill_id is None or display is None or weight is None:
            problems.append(
                Problem(N_("choose a skill, a level and an importance"), column="skills")
            )
            continue
        asks.append(
            SkillAsk(
                skill_id=skill_id,
                level=DEFAULT_SCALE.to_latent(display),
                importance=float(importance or "0.6"),
            )
        )
    if form.kind in OPPORTUNITY_KINDS and form.kind != "role" and not asks:
        problems.append(
            Problem(N_("name the skills it asks for (or a role with a profile)"), column="skills")
        )
    if problems:
        raise InvalidInputError(NOT_VALID, problems)
    try:
        return OpportunityIn(
            kind=form.kind,  # checked against OPPORTUNITY_KINDS above
            title=form.title.strip(),
            description=form.description.strip(),
            role_id=role_id,
            opening_id=opening_id,
            location_id=location,
            remote=form.remote,
            language=form.language.strip(),
            time_share=None if share is None else share / 100,
            duration_weeks=weeks,
            starts_on=starts,
            closes_on=closes,
            skills=asks,
            publish=publish,
        )
    except ValidationError as error:
        first = error.errors()[0]
        column = ".".join(str(part) for part in first["loc"])
        raise _refused(N_("is not valid"), column, str(first.get("input", ""))) from None


def _problems(error: InvalidInputError | ConflictError) -> tuple[dict[str, str], list[str]]:
    """A refusal as messages by form field, and those that belong to no field."""
    by_field: dict[str, str] = {}
    general: list[str] = []
    problems = error.problems if isinstance(error, InvalidInputError) else []
    for problem in problems:
        name = FIELD_OF_COLUMN.get(problem.column or "")
        if name is None:
            general.append(describe_problem(problem))
            continue
        message = problem_text(problem)
        by_field[name] = f"{by_field[name]}; {message}" if name in by_field else message
    if not problems:
        general.append(i18n.gettext(error.message))
    return by_field, general


def _require_poster(user: User) -> Viewer:
    viewer = viewer_of(user)
    if not (viewer.can_administer or viewer.role == "manager"):
        raise ForbiddenError("Only managers and HR post opportunities.")
    return viewer


def _posting_page(
    request: Request,
    session: DbSession,
    user: User,
    form: PostingForm,
    errors: dict[str, str] | None = None,
    problems: list[str] | None = None,
    status_code: int = 200,
) -> Response:
    viewer = _require_poster(user)
    skills, _total = taxonomy.search_skills(session, limit=SKILL_CHOICES)
    context: dict[str, Any] = {
        "form": form,
        "kinds": OPPORTUNITY_KINDS,
        "openings": openings.postable_openings(session, viewer=viewer),
        "roles": gaps_service.target_role_choices(session),
        "locations": people_service.list_locations(session),
        "skills": sorted(
            (skill for skill in skills if skill.kind != "group"), key=lambda s: s.name.lower()
        ),
        "levels": [
            (k, DEFAULT_SCALE.labels[k - DEFAULT_SCALE.minimum])
            for k in range(DEFAULT_SCALE.minimum, DEFAULT_SCALE.maximum + 1)
        ],
        "importances": IMPORTANCES,
        "errors": errors or {},
        "problems": problems or [],
    }
    return render(request, "opportunities/new.html", context, user=user, status_code=status_code)


@router.get("/opportunities/new")
def new_posting(
    request: Request, session: DbSession, user: PageUser, kind: str | None = None
) -> Response:
    """The posting form: a role from an open opening or a role, or a gig, project, stretch
    assignment or mentoring offer with the skills it asks for."""
    chosen = choice(kind, OPPORTUNITY_KINDS, "kind") or "role"
    return _posting_page(request, session, user, PostingForm(kind=chosen))


@router.post("/opportunities/new", dependencies=[CsrfChecked])
def create_posting(
    request: Request,
    session: DbSession,
    user: PageUser,
    kind: FormText = "role",
    source: FormText = "opening",
    opening_id: FormText = "",
    role_id: FormText = "",
    title: FormText = "",
    description: FormText = "",
    location_id: FormText = "",
    remote: FormText = "",
    language: FormText = "",
    time_share: FormText = "",
    duration_weeks: FormText = "",
    starts_on: FormText = "",
    closes_on: FormText = "",
    publish: FormText = "",
    skill: FormList = [],  # noqa: B006 - FastAPI copies form defaults
    level: FormList = [],  # noqa: B006
    importance: FormList = [],  # noqa: B006
) -> Response:
    """Save a draft or publish; refused values come back next to their fields (422)."""
    viewer = _require_poster(user)
    form = PostingForm(
        kind=kind, source=source, opening_id=opening_id, role_id=role_id, title=title,
        description=description, location_id=location_id, remote=bool(remote),
        language=language, time_share=time_share, duration_weeks=duration_weeks,
        starts_on=starts_on, closes_on=closes_on, skill=skill[:SKILL_ROWS],
        level=level[:SKILL_ROWS], importance=importance[:SKILL_ROWS],
    )  # fmt: skip
    try:
        data = _posting_in(form, publish == "1")
        created = service.create_opportunity(session, viewer=viewer, data=data)
    except (InvalidInputError, ConflictError) as error:
        errors, problems = _problems(error)
        return _posting_page(
            request, session, user, form, errors=errors, problems=problems, status_code=422
        )
    return _leave(
        request, {"kind": "published" if created.status == "open" else "drafted"},
        f"/opportunities/{created.id}",
    )  # fmt: skip
