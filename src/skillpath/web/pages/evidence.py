"""Skills profiles ("My skills", a report's skills), rating and endorsing, intents and the
managers' validation queue (docs/capture.md)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from skillpath.core.errors import InvalidInputError, NotFoundError, Problem
from skillpath.domains.evidence import capture, profile_reads
from skillpath.domains.evidence.profile_schemas import ProfileSkill
from skillpath.domains.identity.models import User
from skillpath.domains.taxonomy import service as taxonomy
from skillpath.domains.taxonomy.schemas import SkillSummary
from skillpath.web.deps import CsrfChecked, DbSession, PageUser, client_ip
from skillpath.web.errors import describe_problem
from skillpath.web.i18n import N_
from skillpath.web.pages.common import (
    NOT_VALID,
    choice,
    offset_of,
    optional_int,
    pager,
    text,
    viewer_of,
)
from skillpath.web.scales import OrgScale
from skillpath.web.templating import render

router = APIRouter()
OptionalText = Annotated[str | None, Query(max_length=300)]
FormText = Annotated[str, Form(max_length=4000)]
SEARCH_SHOWN = 8
QUEUE_PAGE = 50
WORKED_SHOWN = 20
FLASH_KEY = "skills_flash"
DECISIONS = ("approve", "adjust", "decline")
INTENT_CHOICES = ("have", "develop", "not_now")
# The capture service's reasons for refused values (domains/evidence/capture.py), spelled out
# so that `make messages` extracts them; a test keeps the two lists equal.
PROBLEM_REASONS = (
    N_("is a group of skills: rate one of the skills in it"),
    N_("give a level (0–1) or a display level"),
    N_("give either a level (0–1) or a display level, not both"),
    N_("must be between 0 and 1"),
    N_("is not a level of the display scale"),
    N_("is longer than 2,000 characters"),
    N_("a learning completion names the item completed"),
    N_("this learning item does not teach this skill"),
    N_("only learning completions name a learning item"),
    N_("must be above 0 and at most 1"),
    N_("only HR evidence can be dated in the past"),
    N_("must not be in the future"),
    N_("only certifications expire"),
    N_("must be after the day it was observed"),
    N_("say why in a comment"),
    N_("an approval keeps the self-rated level: adjust to change it"),
    N_("choose at least one self-rating"),
    N_("must be approve, adjust or decline"),
    N_("is not a source of evidence"),
    N_("must be have, develop or not_now"),
    N_("must be pending, worked or all"),
)
# The 5-point scale's descriptors, which the rate form shows through `_()`, spelled out so that
# `make messages` extracts them (a test keeps them equal to core/levels.py).
LEVEL_DESCRIPTORS = (
    N_("Knows what it is and when it applies"),
    N_("Applies it with guidance on simple tasks"),
    N_("Applies it independently on routine work"),
    N_("Handles complex cases and guides others"),
    N_("Recognised authority; shapes practice across the organisation"),
)


def _flash(request: Request) -> dict[str, Any] | None:
    """The notice a write left for the next page (shown once)."""
    value = request.session.pop(FLASH_KEY, None)
    return value if isinstance(value, dict) else None


def _summary(skill: ProfileSkill | None) -> dict[str, Any] | None:
    """The figures of a level a notice repeats (kept in the session between two requests)."""
    if skill is None:
        return None
    return {
        "level": skill.level,
        "display_level": skill.display_level,
        "display_label": skill.display_label,
        "confidence": skill.confidence,
        "skill_id": skill.skill.id,
    }


def _search(session: DbSession, q: str | None) -> list[SkillSummary]:
    """Skills (not groups) matching a search, best first; nothing below two letters."""
    needle = text(q, 100)
    if needle is None or len(needle) < 2:
        return []
    found, _total = taxonomy.search_skills(session, q=needle, limit=SEARCH_SHOWN * 2)
    return [skill for skill in found if skill.kind != "group"][:SEARCH_SHOWN]


def _required(value: str, field: str, reason: str) -> int:
    """A whole number a form must carry (its reason is translated where it is shown)."""
    number = optional_int(value, field)
    if number is None:
        raise InvalidInputError(NOT_VALID, [Problem(reason, column=field)])
    return number


def _profile_response(
    request: Request,
    session: DbSession,
    user: User,
    scale: OrgScale,
    *,
    employee_id: int,
    q: str | None,
    form: dict[str, Any] | None = None,
    problems: list[str] | None = None,
    status_code: int = 200,
) -> Response:
    """Render a skills profile page (mine or someone else's) with the rate form."""
    viewer = viewer_of(user)
    page = profile_reads.profile_page(session, viewer=viewer, employee_id=employee_id, scale=scale)
    is_self = page.profile.relation == "self"
    context = {
        "page": page,
        "p": page.profile,
        "scale": scale,
        "is_self": is_self,
        "can_rate": page.profile.relation in ("self", "manager"),
        "base_path": "/my-skills" if is_self else f"/people/{employee_id}/skills",
        "q": text(q, 100) or "",
        "options": _search(session, q),
        "flash": _flash(request),
        "form": form or {},
        "problems": problems or [],
        "intent_choices": INTENT_CHOICES,
        "pending_for_me": capture.pending_count(session, viewer=viewer) if is_self else 0,
    }
    return render(
        request, "skills_profile/profile.html", context, user=user, status_code=status_code
    )


@router.get("/my-skills")
def my_skills(
    request: Request, session: DbSession, user: PageUser, scale: OrgScale, q: OptionalText = None
) -> Response:
    """The logged-in person's skills profile: answer first, then every level and why."""
    viewer = viewer_of(user)
    if viewer.employee_id is None:
        raise NotFoundError(
            "Your account is not linked to an employee record, so it has no skills profile."
        )
    return _profile_response(request, session, user, scale, employee_id=viewer.employee_id, q=q)


@router.get("/people/{employee_id}/skills")
def person_skills(
    request: Request,
    session: DbSession,
    user: PageUser,
    scale: OrgScale,
    employee_id: int,
    q: OptionalText = None,
) -> Response:
    """Someone's skills profile (visibility rule: "not found" outside it); their manager may
    rate from here."""
    if viewer_of(user).employee_id == employee_id:
        return RedirectResponse("/my-skills", status_code=303)
    return _profile_response(request, session, user, scale, employee_id=employee_id, q=q)


@router.get("/people/{employee_id}/skills/{skill_id}/why")
def why(
    request: Request,
    session: DbSession,
    user: PageUser,
    scale: OrgScale,
    employee_id: int,
    skill_id: int,
) -> Response:
    """The breakdown of one level: an HTMX fragment, or a page of its own without JavaScript."""
    skill = profile_reads.profile_skill(
        session, viewer=viewer_of(user), employee_id=employee_id, skill_id=skill_id, scale=scale
    )
    context = {"s": skill, "employee_id": employee_id, "scale": scale}
    if request.headers.get("HX-Request") == "true":
        context["in_fragment"] = True
        return render(request, "skills_profile/_why.html", context, user=user)
    person = profile_reads.profile(
        session, viewer=viewer_of(user), employee_id=employee_id, scale=scale
    )
    context["p"] = person
    return render(request, "skills_profile/why.html", context, user=user)


@router.get("/my-skills/skill-search")
def skill_search(
    request: Request, session: DbSession, user: PageUser, q: OptionalText = None
) -> Response:
    """Skills matching what the person types into the rate form (an HTMX fragment)."""
    return render(
        request,
        "skills_profile/_skill_options.html",
        {"options": _search(session, q), "q": text(q, 100) or "", "form": {}},
        user=user,
    )


@router.post("/my-skills/rate", dependencies=[CsrfChecked])
def rate(
    request: Request,
    session: DbSession,
    user: PageUser,
    scale: OrgScale,
    employee_id: FormText = "",
    skill_id: FormText = "",
    display_level: FormText = "",
    note: FormText = "",
    endorse: FormText = "",
    q: FormText = "",
) -> Response:
    """Rate oneself or a report, or endorse a teammate; the next page shows the level before
    and after. Refused input shows the form again with the reasons."""
    viewer = viewer_of(user)
    own = viewer.employee_id
    target = optional_int(employee_id, "employee_id") or own
    if target is None:
        raise NotFoundError("No such person.")
    endorsing = bool(endorse) and target != own
    try:
        skill = _required(skill_id, "skill_id", N_("choose a skill from the search"))
        level = _required(display_level, "display_level", N_("choose a level"))
        before = profile_reads.level_in(
            session, viewer=viewer, employee_id=target, skill_id=skill, scale=scale
        )
        created = profile_reads.capture_evidence(
            session,
            viewer=viewer,
            employee_id=target,
            skill_id=skill,
            display_level=level,
            scale=scale,
            source="peer" if endorsing else None,
            note=note,
            ip=client_ip(request),
        )
    except InvalidInputError as error:
        form = {
            "employee_id": employee_id,
            "skill_id": skill_id,
            "display_level": display_level,
            "note": note[:2000],
            "endorse": endorse,
        }
        return _profile_response(
            request,
            session,
            user,
            scale,
            employee_id=own if endorsing and own is not None else target,
            q=q or None,
            form=form,
            problems=[describe_problem(problem) for problem in error.problems],
            status_code=422,
        )
    request.session[FLASH_KEY] = {
        "source": created.evidence.source,
        "skill": created.evidence.skill.name,
        "display_level": created.evidence.display_level,
        "display_label": created.evidence.display_label,
        "validation": created.validation_request_id is not None,
        "before": _summary(before),
        "after": _summary(created.skill),
    }
    path = "/my-skills" if target == own or created.skill is None else f"/people/{target}/skills"
    return RedirectResponse(path, status_code=303)


@router.post("/people/{employee_id}/intents", dependencies=[CsrfChecked])
def set_intent(
    request: Request,
    session: DbSession,
    user: PageUser,
    employee_id: int,
    skill_id: FormText = "",
    intent: FormText = "",
) -> Response:
    """Set an intent; HTMX gets the cell back with "saved", a plain form goes back to the page."""
    skill = _required(skill_id, "skill_id", N_("choose a skill"))
    chosen = choice(intent, INTENT_CHOICES, "intent")
    if chosen is None:
        raise InvalidInputError(NOT_VALID, [Problem(N_("choose an intent"), column="intent")])
    read = capture.set_intent(
        session,
        viewer=viewer_of(user),
        employee_id=employee_id,
        skill_id=skill,
        intent=chosen,
        ip=client_ip(request),
    )
    if request.headers.get("HX-Request") == "true":
        context = {
            "skill_id": skill,
            "skill_name": read.skill.name,
            "intent": read.intent,
            "employee_id": employee_id,
            "intent_choices": INTENT_CHOICES,
            "saved": True,
        }
        return render(request, "skills_profile/_intent.html", context, user=user)
    return RedirectResponse("/my-skills#skills", status_code=303)


@router.get("/validation")
def validation_queue(
    request: Request,
    session: DbSession,
    user: PageUser,
    scale: OrgScale,
    offset: OptionalText = None,
) -> Response:
    """Self-ratings of the user's direct reports: pending ones until worked, then the latest
    decisions."""
    viewer = viewer_of(user)
    start = offset_of(offset)
    pending, total = capture.validation_queue(
        session, viewer=viewer, status="pending", limit=QUEUE_PAGE, offset=start, scale=scale
    )
    worked, worked_total = capture.validation_queue(
        session, viewer=viewer, status="worked", limit=WORKED_SHOWN, scale=scale
    )
    context = {
        "pending": pending,
        "total": total,
        "pager": pager(request, total=total, limit=QUEUE_PAGE, offset=start),
        "worked": worked,
        "worked_total": worked_total,
        "scale": scale,
        "flash": _flash(request),
        "has_record": viewer.employee_id is not None,
    }
    return render(request, "skills_profile/validation.html", context, user=user)


@router.post("/validation/{request_id}", dependencies=[CsrfChecked])
def decide(
    request: Request,
    session: DbSession,
    user: PageUser,
    scale: OrgScale,
    request_id: int,
    decision: FormText = "",
    display_level: FormText = "",
    comment: FormText = "",
) -> Response:
    """Approve, adjust (level and comment) or decline (comment) one self-rating."""
    chosen = choice(decision, DECISIONS, "decision")
    if chosen is None:
        raise InvalidInputError(NOT_VALID, [Problem(N_("choose a decision"), column="decision")])
    level = optional_int(display_level, "display_level") if chosen == "adjust" else None
    read = capture.decide_validation(
        session,
        viewer=viewer_of(user),
        request_id=request_id,
        decision=chosen,
        display_level=level,
        comment=comment,
        scale=scale,
        ip=client_ip(request),
    )
    request.session[FLASH_KEY] = {"decided": 1, "status": read.status, "name": read.employee.name}
    return RedirectResponse("/validation", status_code=303)


@router.post("/validation", dependencies=[CsrfChecked])
async def approve_selected(
    request: Request, session: DbSession, user: PageUser, scale: OrgScale
) -> Response:
    """Approve every ticked self-rating at its self-rated level (all or none)."""
    form = await request.form()
    ids = [optional_int(str(value), "ids") for value in form.getlist("ids")]
    chosen = [value for value in ids if value is not None]
    if not chosen:
        raise InvalidInputError(
            NOT_VALID, [Problem(N_("tick at least one self-rating"), column="ids")]
        )
    reads = capture.approve_many(
        session, viewer=viewer_of(user), request_ids=chosen, scale=scale, ip=client_ip(request)
    )
    request.session[FLASH_KEY] = {"decided": len(reads), "status": "approved", "name": ""}
    return RedirectResponse("/validation", status_code=303)
