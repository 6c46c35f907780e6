"""Career paths page: the roles a person could reach next (one or two steps) with readiness,
typical time, observed moves and missing skills, a small graph of them, and a role explorer."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from skillpath.domains.mobility import careers
from skillpath.domains.mobility.career_schemas import CareerPaths, RoleNeighbours
from skillpath.web.deps import DbSession, PageUser
from skillpath.web.i18n import gettext, ngettext, number
from skillpath.web.pages.common import optional_int, viewer_of
from skillpath.web.templating import render

router = APIRouter()
OptionalText = Annotated[str | None, Query(max_length=40)]
SUGGESTIONS = 8
NEIGHBOURS = 10


def typical_time(months: float) -> str:
    """Months as people say them: "about 8 months", "about 2.5 years"."""
    if months < 23.5:
        count = max(1, round(months))
        return ngettext("about %(n)s month", "about %(n)s months", count) % {"n": count}
    years = round(months / 6) / 2
    shown = number(years, 0 if years.is_integer() else 1)
    return ngettext("about %(n)s year", "about %(n)s years", 2 if years != 1 else 1) % {"n": shown}


def _graph_chart(paths: CareerPaths) -> dict[str, Any]:
    """Nodes and links of the chart: the current role, then one-step and two-step roles."""
    if paths.current_role is None or not paths.items:
        return {}
    columns: dict[int, int] = {paths.current_role.id: 0}
    titles = {paths.current_role.id: paths.current_role.title}
    readiness: dict[int, float | None] = {}
    links: set[tuple[int, int]] = set()
    for item in paths.items:
        readiness[item.role.id] = item.readiness
        for step, role in enumerate(item.path):
            columns[role.id] = min(columns.get(role.id, step), step)
            titles[role.id] = role.title
        for edge in item.edges:
            links.add((edge.from_role.id, edge.to_role.id))
    # Column by column, each role under its predecessors (fewer crossing arrows), then A to Z.
    position: dict[int, int] = {}
    counts: dict[int, int] = {}
    nodes = []
    for column in sorted(set(columns.values())):
        members = [r for r, c in columns.items() if c == column]
        members.sort(
            key=lambda r: (
                min((position.get(a, 0) for a, b in links if b == r and a in position), default=0),
                titles[r],
            )
        )
        for row, role_id in enumerate(members):
            position[role_id] = row
            ready = readiness.get(role_id)
            nodes.append(
                {
                    "id": str(role_id),
                    "name": titles[role_id],
                    "column": column,
                    "row": row,
                    "current": role_id == paths.current_role.id,
                    "readiness": None if ready is None else round(ready * 100),
                }
            )
        counts[column] = len(members)
    return {
        "nodes": nodes,
        "rows": max(counts.values()),
        "links": [{"source": str(a), "target": str(b)} for a, b in sorted(links)],
        "ready_name": gettext("Ready"),
        "current_name": gettext("Current role"),
    }


@router.get("/careers")
def careers_page(
    request: Request,
    session: DbSession,
    user: PageUser,
    employee: OptionalText = None,
    role: OptionalText = None,
    steps: OptionalText = None,
) -> Response:
    """The person's next roles (their own by default) and the role explorer."""
    viewer = viewer_of(user)
    chosen = optional_int(employee, "employee")
    employee_id = chosen if chosen is not None else user.employee_id
    how_far = optional_int(steps, "steps") or 2
    paths: CareerPaths | None = None
    if employee_id is not None:
        paths = careers.next_roles(
            session,
            viewer=viewer,
            employee_id=employee_id,
            limit=SUGGESTIONS,
            steps=how_far,
        )
    explored_id = optional_int(role, "role")
    if explored_id is None and paths is not None and paths.current_role is not None:
        explored_id = paths.current_role.id
    explored: RoleNeighbours | None = (
        careers.role_neighbours(session, role_id=explored_id, limit=NEIGHBOURS)
        if explored_id is not None
        else None
    )
    closest = None
    if paths is not None:
        ranked = [i for i in paths.items if i.readiness is not None]
        closest = max(ranked, key=lambda i: (i.readiness, i.score), default=None)
    context = {
        "paths": paths,
        "is_self": employee_id is not None and employee_id == user.employee_id,
        "chosen_employee": chosen,
        "steps": how_far,
        "closest": closest,
        "chart": _graph_chart(paths) if paths is not None else {},
        "explored": explored,
        "roles": careers.explorer_roles(session),
        "typical_time": typical_time,
    }
    return render(request, "careers/index.html", context, user=user)
