"""The directory, employee pages, roles and their skill profiles."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response

from skillpath.core.levels import DEFAULT_SCALE
from skillpath.domains.people import privacy, service
from skillpath.web.deps import DbSession, PageUser
from skillpath.web.i18n import gettext
from skillpath.web.pages.common import (
    PAGE_SIZE,
    choice,
    offset_of,
    optional_bool,
    optional_int,
    pager,
    text,
    viewer_of,
    wants_fragment,
)
from skillpath.web.templating import render

router = APIRouter()
OptionalText = Annotated[str | None, Query(max_length=300)]
PROFILE_CHART_SKILLS = 25


@router.get("/people")
def people_directory(
    request: Request,
    session: DbSession,
    user: PageUser,
    q: OptionalText = None,
    unit_id: OptionalText = None,
    role_id: OptionalText = None,
    former: OptionalText = None,
    offset: OptionalText = None,
) -> Response:
    """Search the people the user may see; HTMX swaps only the results while typing."""
    viewer = viewer_of(user)
    start = offset_of(offset)
    search = text(q)
    unit = optional_int(unit_id, "unit_id")
    role = optional_int(role_id, "role_id")
    include_former = bool(optional_bool(former, "former"))
    filters = {"q": search, "unit_id": unit, "role_id": role, "former": include_former}
    people, total = service.search_employees(
        session,
        viewer=viewer,
        q=search,
        unit_id=unit,
        role_id=role,
        include_former=include_former,
        limit=PAGE_SIZE,
        offset=start,
    )
    context = {
        "people": people,
        "pager": pager(request, total=total, limit=PAGE_SIZE, offset=start),
        "filters": filters,
        "sees_everyone": viewer.sees_everyone,
    }
    if wants_fragment(request, "people-results"):
        return render(request, "people/_results.html", context, user=user)
    roles, _ = service.search_roles(session, limit=500)
    context.update(units=service.org_tree(session), roles=roles)
    return render(request, "people/index.html", context, user=user)


@router.get("/people/{employee_id}")
def employee_page(
    request: Request, session: DbSession, user: PageUser, employee_id: int
) -> Response:
    """One person's record; people outside the user's visibility are "not found"."""
    viewer = viewer_of(user)
    person = service.employee_detail(session, viewer=viewer, employee_id=employee_id)
    chain_ids = {link.id for link in person.reporting_chain}
    context = {
        "person": person,
        "is_self": viewer.employee_id == person.id,
        # The manager is visible exactly when the viewer sees everyone or manages this person.
        "manager_visible": viewer.sees_everyone or viewer.employee_id in chain_ids,
        "can_export": viewer.employee_id == person.id or viewer.can_administer,
    }
    return render(request, "people/detail.html", context, user=user)


@router.get("/people/{employee_id}/personal-data.json")
def personal_data(session: DbSession, user: PageUser, employee_id: int) -> Response:
    """Download everything held about a person (themself or HR) as JSON (docs/privacy.md)."""
    data = privacy.export_person(session, viewer=viewer_of(user), employee_id=employee_id)
    return JSONResponse(
        data,
        headers={"Content-Disposition": f'attachment; filename="personal-data-{employee_id}.json"'},
    )


@router.get("/roles")
def roles_list(
    request: Request,
    session: DbSession,
    user: PageUser,
    q: OptionalText = None,
    family: OptionalText = None,
    source: OptionalText = None,
    templates: OptionalText = None,
    offset: OptionalText = None,
) -> Response:
    """The organisation's roles (and on request the imported templates)."""
    families, sources = service.role_filters(session)
    start = offset_of(offset)
    search = text(q)
    chosen_family = choice(family, families, "family")
    chosen_source = choice(source, sources, "source")
    with_templates = optional_bool(templates, "templates")
    filters = {
        "q": search,
        "family": chosen_family,
        "source": chosen_source,
        "templates": with_templates,
    }
    roles, total = service.search_roles(
        session,
        q=search,
        family=chosen_family,
        source=chosen_source,
        include_templates=with_templates,
        limit=PAGE_SIZE,
        offset=start,
    )
    context = {
        "roles": roles,
        "pager": pager(request, total=total, limit=PAGE_SIZE, offset=start),
        "filters": filters,
        "families": families,
        "sources": sources,
    }
    if wants_fragment(request, "role-results"):
        return render(request, "roles/_results.html", context, user=user)
    return render(request, "roles/index.html", context, user=user)


@router.get("/roles/{role_id}")
def role_page(request: Request, session: DbSession, user: PageUser, role_id: int) -> Response:
    """A role's skill profile: target levels, importance and how many hold it."""
    role = service.role_detail(session, role_id=role_id)
    shown = role.skills[:PROFILE_CHART_SKILLS]
    chart = {
        "labels": [line.skill.name for line in reversed(shown)],
        "values": [line.display_level for line in reversed(shown)],
        "max": 5,
        "level_names": [gettext(label) for label in DEFAULT_SCALE.labels],
        "series_name": gettext("Target level"),
    }
    return render(request, "roles/detail.html", {"role": role, "chart": chart}, user=user)
