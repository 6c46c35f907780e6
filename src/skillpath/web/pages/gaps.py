"""Gap pages: my gaps (vs my role and a chosen target role), a manager's team skills matrix,
the organisation's critical gaps and heatmap with trends, the manager brief (page and PDF), and
CSV/XLSX exports of every table."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from skillpath.core.clock import utcnow
from skillpath.core.errors import ForbiddenError, NotFoundError
from skillpath.core.levels import DEFAULT_SCALE
from skillpath.domains.gaps import service
from skillpath.domains.gaps.schemas import (
    CriticalGaps,
    GapTrend,
    Heatmap,
    ManagerBrief,
    PersonGaps,
    TeamGaps,
)
from skillpath.domains.identity.models import User
from skillpath.domains.identity.visibility import Viewer
from skillpath.domains.people import service as people_service
from skillpath.web import i18n
from skillpath.web.deps import CsrfChecked, DbSession, PageUser
from skillpath.web.exports import ExportTable, download
from skillpath.web.i18n import gettext
from skillpath.web.pages.common import optional_int, text, viewer_of
from skillpath.web.templating import render, templates

router = APIRouter()
OptionalText = Annotated[str | None, Query(max_length=300)]
STATIC = Path(__file__).resolve().parents[1] / "static"
CRITICAL_SHOWN = 15
CRITICAL_LISTED = 25
HEATMAP_SKILLS = 15
TEAM_MATRIX_SKILLS = 15


def _priority(value: str | None) -> str | None:
    return text(value)


def _level_names() -> list[str]:
    return [gettext(label) for label in DEFAULT_SCALE.labels]


# My gaps (and a person's gaps, for their manager, HR and executives)


def _blocked_readiness(report: PersonGaps) -> float | None:
    """Readiness if the largest gap were closed."""
    wanted = sum(line.target_level * line.importance for line in report.skills)
    if wanted <= 0 or not report.skills or report.readiness is None:
        return None
    first = report.skills[0]
    return report.readiness + first.shortfall * first.importance / wanted


def _gap_chart(report: PersonGaps) -> dict[str, Any]:
    shown = report.skills[:20]
    return {
        "labels": [line.skill.name for line in reversed(shown)],
        "current": [
            0 if line.confidence is None else line.current_display_level for line in reversed(shown)
        ],
        "target": [line.target_display_level for line in reversed(shown)],
        "max": 5,
        "current_name": gettext("Current level"),
        "target_name": gettext("Target level"),
        "level_names": _level_names(),
    }


def _person_page(
    request: Request,
    session: DbSession,
    user: User,
    employee_id: int,
    target_role_id: str | None,
    priority: str | None,
) -> Response:
    viewer = viewer_of(user)
    target = optional_int(target_role_id, "target_role_id")
    lens = _priority(priority)
    current = service.person_gaps(session, viewer=viewer, employee_id=employee_id, priority=lens)
    aimed = (
        service.person_gaps(
            session,
            viewer=viewer,
            employee_id=employee_id,
            target_role_id=target,
            priority=lens,
        )
        if target is not None
        else None
    )
    context = {
        "report": current,
        "target_report": aimed,
        "is_self": viewer.employee_id == employee_id,
        "closed_readiness": _blocked_readiness(current),
        "target_closed_readiness": _blocked_readiness(aimed) if aimed else None,
        "chart": _gap_chart(current),
        "target_chart": _gap_chart(aimed) if aimed else None,
        "roles": service.target_role_choices(session),
        "priorities": service.priority_names(session),
        "filters": {"target_role_id": target, "priority": lens},
        "base_path": "/gaps/me"
        if viewer.employee_id == employee_id
        else f"/gaps/person/{employee_id}",
    }
    return render(request, "gaps/person.html", context, user=user)


@router.get("/gaps/me")
def my_gaps(
    request: Request,
    session: DbSession,
    user: PageUser,
    target_role_id: OptionalText = None,
    priority: OptionalText = None,
) -> Response:
    """The logged-in person against their role and, on request, a target role."""
    if user.employee_id is None:
        return render(request, "gaps/no_person.html", {}, user=user)
    return _person_page(request, session, user, user.employee_id, target_role_id, priority)


@router.get("/gaps/person/{employee_id}")
def person_gaps_page(
    request: Request,
    session: DbSession,
    user: PageUser,
    employee_id: int,
    target_role_id: OptionalText = None,
    priority: OptionalText = None,
) -> Response:
    """Someone's gaps (people outside the viewer's visibility are "not found")."""
    return _person_page(request, session, user, employee_id, target_role_id, priority)


def _person_table(report: PersonGaps, name: str) -> ExportTable:
    _ = gettext
    return ExportTable(
        name=name,
        title=_("Gaps"),
        headers=[
            _("Skill"),
            _("Current level (0–1)"),
            _("Current level (1–5)"),
            _("Confidence"),
            _("Target level (0–1)"),
            _("Target level (1–5)"),
            _("Importance"),
            _("Priority weight"),
            _("Shortfall"),
            _("Weighted gap"),
            _("Met"),
        ],
        rows=[
            [
                line.skill.name,
                line.current_level,
                line.current_display_level,
                line.confidence,
                line.target_level,
                line.target_display_level,
                line.importance,
                line.priority_weight,
                line.shortfall,
                line.weighted_gap,
                line.met,
            ]
            for line in report.skills
        ],
    )


@router.get("/gaps/person/{employee_id}/export.{fmt}")
def person_gaps_export(
    session: DbSession,
    user: PageUser,
    employee_id: int,
    fmt: str,
    target_role_id: OptionalText = None,
    priority: OptionalText = None,
) -> Response:
    """A person's gap table as CSV or XLSX."""
    viewer = viewer_of(user)
    target = optional_int(target_role_id, "target_role_id")
    report = service.person_gaps(
        session,
        viewer=viewer,
        employee_id=employee_id,
        target_role_id=target,
        priority=_priority(priority),
    )
    suffix = f"role-{report.role.id}" if report.role else "no-role"
    return download(_person_table(report, f"gaps-{employee_id}-{suffix}"), fmt)


# Team skills


def _manager_id(viewer: Viewer, value: str | None) -> int:
    chosen = optional_int(value, "manager_id")
    if chosen is not None:
        return chosen
    if viewer.employee_id is None:
        raise NotFoundError("Choose a manager: your login is not linked to an employee.")
    return viewer.employee_id


def _team(
    session: DbSession, viewer: Viewer, manager_id: str | None, priority: str | None
) -> TeamGaps:
    """The gaps of the chosen manager's team (the viewer's own by default), as the page and its
    exports show them."""
    return service.team_gaps(
        session,
        viewer=viewer,
        manager_id=_manager_id(viewer, manager_id),
        priority=priority,
        matrix_skills=TEAM_MATRIX_SKILLS,
    )


def _matrix_chart(team: TeamGaps) -> dict[str, Any]:
    people = [m.person.name for m in team.members]
    cells = []
    markers = []
    for y, member in enumerate(team.members):
        for x, cell in enumerate(member.cells):
            if cell is None:
                continue
            cells.append([x, y, cell.current_display_level])
            if cell.target_display_level is not None:
                markers.append([x, y, cell.target_display_level, 1 if cell.shortfall > 0 else 0])
    return {
        "x": [s.name for s in team.matrix_skills],
        "y": people,
        "cells": cells,
        "markers": markers,
        "min": 0,
        "max": 5,
        "value_name": gettext("Current level"),
        "target_name": gettext("Target level"),
        "below_name": gettext("below target"),
        "met_name": gettext("at or above target"),
        "level_names": _level_names(),
    }


@router.get("/gaps/team")
def team_page(
    request: Request,
    session: DbSession,
    user: PageUser,
    manager_id: OptionalText = None,
    priority: OptionalText = None,
) -> Response:
    """A manager's team: skills matrix (people × skills) and the roll-up per skill."""
    viewer = viewer_of(user)
    chosen = optional_int(manager_id, "manager_id")
    if chosen is None and viewer.employee_id is None:
        choices = service.manager_choices(session, viewer=viewer)
        return render(
            request,
            "gaps/choose_manager.html",
            {"managers": choices, "target": "/gaps/team"},
            user=user,
        )
    lens = _priority(priority)
    team = _team(session, viewer, manager_id, lens)
    context = {
        "team": team,
        "chart": _matrix_chart(team),
        "priorities": service.priority_names(session),
        "managers": service.manager_choices(session, viewer=viewer) if viewer.sees_everyone else [],
        "filters": {"manager_id": team.manager.id, "priority": lens},
        "is_self": viewer.employee_id == team.manager.id,
    }
    return render(request, "gaps/team.html", context, user=user)


def _rollup_table(name: str, title: str, lines: list[Any]) -> ExportTable:
    _ = gettext
    return ExportTable(
        name=name,
        title=title,
        headers=[
            _("Rank"),
            _("Skill"),
            _("Impact"),
            _("Demand"),
            _("Met"),
            _("Coverage"),
            _("Supply (bench strength)"),
            _("Reference level (0–1)"),
            _("Single point of failure"),
            _("Priority weight"),
        ],
        rows=[
            [
                line.rank,
                line.skill.name,
                line.impact,
                line.demand,
                line.met,
                line.coverage,
                line.supply,
                line.reference_level,
                line.single_point_of_failure,
                line.priority_weight,
            ]
            for line in lines
        ],
    )


def _matrix_table(team: TeamGaps) -> ExportTable:
    _ = gettext
    headers = [_("Person"), _("Role"), _("Total weighted gap"), _("Readiness")]
    for skill in team.matrix_skills:
        headers += [
            _("%(skill)s: current (1–5)") % {"skill": skill.name},
            _("%(skill)s: target (1–5)") % {"skill": skill.name},
        ]
    rows = []
    for member in team.members:
        row: list[Any] = [
            member.person.name,
            member.role.title if member.role else "",
            member.total_weighted_gap,
            member.readiness,
        ]
        for cell in member.cells:
            row += [
                cell.current_display_level if cell else None,
                cell.target_display_level if cell else None,
            ]
        rows.append(row)
    return ExportTable(
        name=f"team-{team.manager.id}-matrix", title=_("Skills matrix"), headers=headers, rows=rows
    )


@router.get("/gaps/team/export.{fmt}")
def team_export(
    session: DbSession,
    user: PageUser,
    fmt: str,
    table: OptionalText = None,
    manager_id: OptionalText = None,
    priority: OptionalText = None,
) -> Response:
    """The team's skills table (`table=skills`) or matrix (`table=matrix`) as CSV or XLSX."""
    viewer = viewer_of(user)
    team = _team(session, viewer, manager_id, _priority(priority))
    if table == "matrix":
        return download(_matrix_table(team), fmt)
    if table not in (None, "", "skills"):
        raise NotFoundError(f"No team table {table!r} (use skills or matrix).")
    return download(
        _rollup_table(f"team-{team.manager.id}-gaps", gettext("Team gaps"), team.skills), fmt
    )


# Organisation


def _require_org(viewer: Viewer) -> None:
    if not viewer.sees_everyone:
        raise ForbiddenError("Only HR administrators and executives can see this page.")


def _bars(critical: CriticalGaps) -> dict[str, Any]:
    shown = critical.items[:CRITICAL_SHOWN]
    return {
        "labels": [line.skill.name for line in reversed(shown)],
        "values": [round(line.impact, 2) for line in reversed(shown)],
        "coverage": [round(line.coverage * 100) for line in reversed(shown)],
        "series_name": gettext("Impact"),
        "coverage_name": gettext("Coverage"),
    }


def _heatmap_chart(heatmap: Heatmap) -> dict[str, Any]:
    cells = []
    for y, row in enumerate(heatmap.units):
        for x, cell in enumerate(row.cells):
            if cell is not None:
                cells.append([x, y, round(cell.coverage * 100), cell.demand, cell.met, cell.supply])
    return {
        "x": [s.name for s in heatmap.skills],
        "y": [row.unit.name for row in heatmap.units],
        "cells": cells,
        "min": 0,
        "max": 100,
        "value_name": gettext("Coverage"),
        "demand_name": gettext("Demand"),
        "met_name": gettext("Met"),
        "supply_name": gettext("Supply"),
    }


def _trend_chart(trend: GapTrend) -> dict[str, Any]:
    return {
        "x": [i18n.day(point.as_of, "short") for point in trend.points],
        "impact": [round(point.impact, 2) for point in trend.points],
        "coverage": [
            None if point.coverage is None else round(point.coverage * 100, 1)
            for point in trend.points
        ],
        "impact_name": gettext("Total impact"),
        "coverage_name": gettext("Coverage"),
    }


def _org_filters(
    unit_id: str | None, location_id: str | None, priority: str | None
) -> dict[str, Any]:
    return {
        "unit_id": optional_int(unit_id, "unit_id"),
        "location_id": optional_int(location_id, "location_id"),
        "priority": _priority(priority),
    }


def _heatmap(session: DbSession, viewer: Viewer, filters: dict[str, Any]) -> Heatmap:
    """The units × skills heatmap under the organisation page's filters."""
    return service.org_heatmap(
        session,
        viewer=viewer,
        unit_id=filters["unit_id"],
        location_id=filters["location_id"],
        priority=filters["priority"],
        skills=HEATMAP_SKILLS,
    )


def _trend(session: DbSession, viewer: Viewer, filters: dict[str, Any]) -> GapTrend:
    """The monthly trend under the organisation page's filters."""
    return service.gap_trend(
        session, viewer=viewer, priority=filters["priority"], unit_id=filters["unit_id"]
    )


@router.get("/gaps/org")
def org_page(
    request: Request,
    session: DbSession,
    user: PageUser,
    unit_id: OptionalText = None,
    location_id: OptionalText = None,
    priority: OptionalText = None,
) -> Response:
    """Critical gaps (bars), the units × skills heatmap and the trend, with filters."""
    viewer = viewer_of(user)
    _require_org(viewer)
    filters = _org_filters(unit_id, location_id, priority)
    critical = service.critical_gaps(
        session,
        viewer=viewer,
        priority=filters["priority"],
        unit_id=filters["unit_id"],
        location_id=filters["location_id"],
        limit=CRITICAL_LISTED,
    )
    heatmap = _heatmap(session, viewer, filters)
    trend = _trend(session, viewer, filters)
    snapshots = service.list_snapshots(session, viewer=viewer)
    context = {
        "critical": critical,
        "heatmap": heatmap,
        "trend": trend,
        "snapshots": snapshots,
        "latest_snapshot": snapshots[-1] if snapshots else None,
        "bars": _bars(critical),
        "heatmap_chart": _heatmap_chart(heatmap),
        "trend_chart": _trend_chart(trend),
        "filters": filters,
        "units": people_service.org_tree(session),
        "locations": service.location_choices(session),
        "priorities": service.priority_names(session),
        "can_snapshot": viewer.can_administer,
        "query": request.url.query,
    }
    return render(request, "gaps/org.html", context, user=user)


@router.post("/gaps/org/snapshot", dependencies=[CsrfChecked])
def org_snapshot(session: DbSession, user: PageUser) -> Response:
    """HR: recompute every roll-up now and store it as this month's snapshot."""
    viewer = viewer_of(user)
    if not viewer.can_administer:
        raise ForbiddenError("Only HR administrators can take gap snapshots.")
    service.take_gap_snapshot(session, utcnow())
    return RedirectResponse("/gaps/org?snapshot=taken", status_code=303)


def _heatmap_table(heatmap: Heatmap) -> ExportTable:
    _ = gettext
    rows: list[list[Any]] = []
    for row in heatmap.units:
        for skill, cell in zip(heatmap.skills, row.cells, strict=True):
            if cell is not None:
                rows.append(
                    [
                        row.unit.name,
                        skill.name,
                        cell.impact,
                        cell.demand,
                        cell.met,
                        cell.coverage,
                        cell.supply,
                        cell.single_point_of_failure,
                    ]
                )
    return ExportTable(
        name="org-heatmap",
        title=_("Heatmap"),
        headers=[
            _("Unit"),
            _("Skill"),
            _("Impact"),
            _("Demand"),
            _("Met"),
            _("Coverage"),
            _("Supply (bench strength)"),
            _("Single point of failure"),
        ],
        rows=rows,
    )


def _trend_table(trend: GapTrend) -> ExportTable:
    _ = gettext
    return ExportTable(
        name="org-gap-trend",
        title=_("Trend"),
        headers=[
            _("Snapshot date"),
            _("Skills in demand"),
            _("Demand"),
            _("Met"),
            _("Coverage"),
            _("Total impact"),
        ],
        rows=[
            [p.as_of, p.skills_in_demand, p.demand, p.met, p.coverage, p.impact]
            for p in trend.points
        ],
    )


@router.get("/gaps/org/export.{fmt}")
def org_export(
    session: DbSession,
    user: PageUser,
    fmt: str,
    table: OptionalText = None,
    unit_id: OptionalText = None,
    location_id: OptionalText = None,
    priority: OptionalText = None,
) -> Response:
    """Critical gaps (`table=critical`, every skill in demand), the heatmap (`table=heatmap`) or
    the trend (`table=trend`) as CSV or XLSX, with the page's filters."""
    viewer = viewer_of(user)
    _require_org(viewer)
    filters = _org_filters(unit_id, location_id, priority)
    if table == "heatmap":
        heatmap = _heatmap(session, viewer, filters)
        return download(_heatmap_table(heatmap), fmt)
    if table == "trend":
        trend = _trend(session, viewer, filters)
        return download(_trend_table(trend), fmt)
    if table not in (None, "", "critical"):
        raise NotFoundError(f"No organisation table {table!r} (use critical, heatmap or trend).")
    critical = service.critical_gaps(
        session,
        viewer=viewer,
        priority=filters["priority"],
        unit_id=filters["unit_id"],
        location_id=filters["location_id"],
        limit=500,
    )
    return download(
        _rollup_table("org-critical-gaps", gettext("Critical gaps"), critical.items), fmt
    )


# The manager brief


def _brief(
    session: DbSession, viewer: Viewer, manager_id: str | None, priority: str | None
) -> ManagerBrief:
    return service.manager_brief(
        session,
        viewer=viewer,
        manager_id=_manager_id(viewer, manager_id),
        priority=_priority(priority),
    )


@router.get("/gaps/brief")
def brief_page(
    request: Request,
    session: DbSession,
    user: PageUser,
    manager_id: OptionalText = None,
    priority: OptionalText = None,
) -> Response:
    """One team's brief: gaps, performance, engagement, open positions and suggested actions."""
    viewer = viewer_of(user)
    if optional_int(manager_id, "manager_id") is None and viewer.employee_id is None:
        choices = service.manager_choices(session, viewer=viewer)
        return render(
            request,
            "gaps/choose_manager.html",
            {"managers": choices, "target": "/gaps/brief"},
            user=user,
        )
    brief = _brief(session, viewer, manager_id, priority)
    context = {
        "brief": brief,
        "priorities": service.priority_names(session),
        "managers": service.manager_choices(session, viewer=viewer) if viewer.sees_everyone else [],
        "filters": {"manager_id": brief.manager.id, "priority": brief.lens.priority},
        "print": False,
    }
    return render(request, "gaps/brief.html", context, user=user)


@router.get("/gaps/brief.pdf")
def brief_pdf(
    request: Request,
    session: DbSession,
    user: PageUser,
    manager_id: OptionalText = None,
    priority: OptionalText = None,
) -> Response:
    """The same brief as a PDF a manager can forward (WeasyPrint, from the same template)."""
    from weasyprint import HTML  # imported on use: it loads pango and cairo

    viewer = viewer_of(user)
    brief = _brief(session, viewer, manager_id, priority)
    css = (STATIC / "css" / "app.css").read_text(encoding="utf-8") + (
        STATIC / "css" / "gaps.css"
    ).read_text(encoding="utf-8")
    html = templates.get_template("gaps/brief_print.html").render(
        {
            "brief": brief,
            "css": css,
            "locale": i18n.current_locale.get(),
            "print": True,
            "generated_at": utcnow(),
        }
    )
    pdf = HTML(string=html, base_url=str(STATIC)).write_pdf()
    filename = f"team-brief-{brief.manager.id}-{brief.as_of.isoformat()}.pdf"
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _brief_tables(brief: ManagerBrief, table: str | None) -> ExportTable:
    _ = gettext
    if table in (None, "", "gaps"):
        return _rollup_table(f"brief-{brief.manager.id}-gaps", _("Team gaps"), brief.gaps)
    if table == "people":
        return ExportTable(
            name=f"brief-{brief.manager.id}-people",
            title=_("People"),
            headers=[
                _("Person"),
                _("Role"),
                _("Direct report"),
                _("Total weighted gap"),
                _("Readiness"),
                _("Skills met"),
                _("Skills required"),
                _("Performance (1–5)"),
                _("Potential (1–3)"),
                _("Engagement (0–1)"),
            ],
            rows=[
                [
                    m.person.name,
                    m.role.title if m.role else "",
                    m.direct,
                    m.total_weighted_gap,
                    m.readiness,
                    m.skills_met,
                    m.skills_required,
                    m.performance,
                    m.potential,
                    m.engagement,
                ]
                for m in brief.members
            ],
        )
    if table == "openings":
        return ExportTable(
            name=f"brief-{brief.manager.id}-openings",
            title=_("Open positions"),
            headers=[
                _("Opening"),
                _("Role"),
                _("Unit"),
                _("Opened on"),
                _("Days open"),
                _("Team gaps the role needs"),
            ],
            rows=[
                [
                    o.external_id,
                    o.role.title,
                    o.unit,
                    o.opened_on,
                    o.days_open,
                    ", ".join(s.name for s in o.gap_skills),
                ]
                for o in brief.openings
            ],
        )
    raise NotFoundError(f"No brief table {table!r} (use gaps, people or openings).")


@router.get("/gaps/brief/export.{fmt}")
def brief_export(
    session: DbSession,
    user: PageUser,
    fmt: str,
    table: OptionalText = None,
    manager_id: OptionalText = None,
    priority: OptionalText = None,
) -> Response:
    """A table of the brief (`gaps`, `people` or `openings`) as CSV or XLSX."""
    viewer = viewer_of(user)
    brief = _brief(session, viewer, manager_id, priority)
    return download(_brief_tables(brief, table), fmt)
