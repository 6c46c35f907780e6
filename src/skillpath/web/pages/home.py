"""The home page of each role: the answer first, then the figures behind it."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from skillpath.domains.analytics import service as analytics
from skillpath.domains.learning import paths
from skillpath.web.deps import DbSession, PageUser
from skillpath.web.pages.common import viewer_of
from skillpath.web.templating import render

router = APIRouter()


@router.get("/")
def home(request: Request, session: DbSession, user: PageUser) -> Response:
    """HR and executives see the organisation, managers their team, employees themselves."""
    viewer = viewer_of(user)
    if viewer.sees_everyone:
        figures = analytics.org_figures(session)
        return render(request, "home/org.html", {"figures": figures}, user=user)
    if viewer.employee_id is None:
        return render(request, "home/unlinked.html", {}, user=user)
    if user.role == "manager" or analytics.has_reports(session, employee_id=viewer.employee_id):
        team = analytics.team_figures(session, viewer=viewer, manager_id=viewer.employee_id)
        mine = analytics.employee_figures(session, viewer=viewer, employee_id=viewer.employee_id)
        path = paths.current_path(session, viewer=viewer, employee_id=viewer.employee_id)
        context = {"team": team, "mine": mine, "path": path}
        return render(request, "home/team.html", context, user=user)
    mine = analytics.employee_figures(session, viewer=viewer, employee_id=viewer.employee_id)
    path = paths.current_path(session, viewer=viewer, employee_id=viewer.employee_id)
    return render(request, "home/employee.html", {"mine": mine, "path": path}, user=user)
