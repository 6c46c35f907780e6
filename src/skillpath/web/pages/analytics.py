"""The executive ROI dashboard: KPI tiles against the previous period with their formulas,
retention curves, days to fill, the mobility flow between role families, the records behind
the figures, the assumptions (editable by HR) and the year-in-review report (PDF, CSV)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from skillpath.core.errors import ForbiddenError, InvalidInputError, Problem
from skillpath.domains.analytics import assumptions, impact
from skillpath.domains.analytics.impact_schemas import Dashboard, FillRead
from skillpath.domains.identity.models import User
from skillpath.domains.identity.visibility import Viewer
from skillpath.domains.people import service as people_service
from skillpath.web import i18n
from skillpath.web.analytics_report import ASSUMPTION_LABELS, metrics_table, report_pdf
from skillpath.web.deps import CsrfChecked, DbSession, PageUser
from skillpath.web.exports import ExportTable, download
from skillpath.web.i18n import gettext
from skillpath.web.pages.common import choice, optional_bool, optional_int, viewer_of
from skillpath.web.templating import render

router = APIRouter()
OptionalText = Annotated[str | None, Query(max_length=300)]
N_ = i18n.N_
METRIC_LABELS = (
    N_("Roles filled internally"),
    N_("Critical roles filled internally"),
    N_("Time to fill, internal"),
    N_("Time to fill, external"),
    N_("Time to fill, all fills"),
    N_("Internal fill rate"),
    N_("Internal mobility rate"),
    N_("Retention of participants vs matched non-participants"),
    N_("Time to productivity (estimate)"),
    N_("Departures avoided among participants"),
    N_("Recruiting cost avoided"),
    N_("Program cost"),
    N_("ROI"),
)
"""The service's metric labels, spelled out so that `make messages` extracts them."""


def _day(value: str | None, field: str) -> date | None:
    if value is None or not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInputError(
            "The analytics request is not valid.",
            [Problem("must be a date (YYYY-MM-DD)", column=field, value=value)],
        ) from None


def _filters(start: str | None, end: str | None, unit_id: str | None) -> dict[str, Any]:
    return {
        "start": _day(start, "from"),
        "end": _day(end, "to"),
        "unit_id": optional_int(unit_id, "unit_id"),
    }


def _require(viewer: Viewer) -> None:
    if not viewer.sees_everyone:
        raise ForbiddenError("Only HR administrators and executives see ROI analytics.")


def _board(
    session: DbSession, user: User, start: str | None, end: str | None, unit_id: str | None
) -> Dashboard:
    """The dashboard for the query's period and unit (refused before the query is read when
    the user may not see ROI analytics)."""
    viewer = viewer_of(user)
    _require(viewer)
    return _dashboard(session, viewer, _filters(start, end, unit_id))


def _dashboard(session: DbSession, viewer: Viewer, filters: dict[str, Any]) -> Dashboard:
    return impact.dashboard(
        session,
        viewer=viewer,
        start=filters["start"],
        end=filters["end"],
        unit_id=filters["unit_id"],
    )


def _query(board: Dashboard) -> str:
    report = board.roi
    query = f"from={report.start.isoformat()}&to={report.end.isoformat()}"
    return query + (f"&unit_id={report.unit_id}" if report.unit_id is not None else "")


def _curves(board: Dashboard) -> list[dict[str, Any]]:
    charts = []
    for comparison in board.roi.retention:
        charts.append(
            {
                "title": gettext("Participants vs matched non-participants")
                if comparison.against == "matched"
                else gettext("Participants vs everyone else"),
                "month_name": gettext("Months since joining"),
                "survival_name": gettext("Still employed"),
                "band_name": gettext("95 % band"),
                "groups": [
                    {
                        "name": gettext("Participants")
                        if group is comparison.participants
                        else (
                            gettext("Matched non-participants")
                            if comparison.against == "matched"
                            else gettext("Everyone else")
                        ),
                        "points": [[p.month, round(p.survival * 100, 1)] for p in group.curve],
                        "low": [[p.month, round(p.low * 100, 1)] for p in group.curve],
                        "high": [[p.month, round(p.high * 100, 1)] for p in group.curve],
                    }
                    for group in (comparison.participants, comparison.others)
                ],
            }
        )
    return charts


def _boxes(board: Dashboard) -> dict[str, Any]:
    names = {"internal": gettext("Internal"), "external": gettext("External")}
    shown = [s for s in board.fill_spread if s.count]
    return {
        "labels": [names.get(s.source, s.source) for s in shown],
        "boxes": [[s.min, s.q1, s.median, s.q3, s.max] for s in shown],
        "counts": [s.count for s in shown],
        "days_name": gettext("Days to fill"),
        "count_name": gettext("fills"),
    }


def _sankey(board: Dashboard) -> dict[str, Any]:
    """Moves between different role families: left the family people left, right (marked with
    an arrow) the one they joined; moves within a family are counted apart."""
    flows = [f for f in board.flows if f.moves > 0 and f.source != f.target]
    sources = sorted({f.source for f in flows})
    targets = sorted({f.target for f in flows})
    return {
        "nodes": [{"name": s} for s in sources] + [{"name": "→ " + t} for t in targets],
        "links": [{"source": f.source, "target": "→ " + f.target, "value": f.moves} for f in flows],
        "moves_name": gettext("moves"),
        "within": sum(f.moves for f in board.flows if f.source == f.target),
        "between": sum(f.moves for f in flows),
    }


def _assumption_rows(
    session: DbSession, viewer: Viewer, entered: dict[str, str] | None = None
) -> list[dict[str, Any]]:
    return [
        {
            "key": a.key,
            "label": gettext(ASSUMPTION_LABELS[a.key]),
            "value": a.value,
            "default": a.default,
            "unit": a.unit,
            "entered": (entered or {}).get(a.key, f"{a.value:g}"),
            "updated_at": a.updated_at,
            "updated_by": a.updated_by,
        }
        for a in assumptions.list_assumptions(session, viewer=viewer)
    ]


def _page(
    request: Request,
    session: DbSession,
    user: User,
    filters: dict[str, Any],
    *,
    errors: dict[str, str] | None = None,
    entered: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    viewer = viewer_of(user)
    _require(viewer)
    board = _dashboard(session, viewer, filters)
    context = {
        "board": board,
        "report": board.roi,
        "metrics": {m.key: m for m in board.roi.metrics},
        "curves": _curves(board),
        "boxes": _boxes(board),
        "sankey": _sankey(board),
        "units": people_service.org_tree(session),
        "assumption_rows": _assumption_rows(session, viewer, entered),
        "assumption_labels": {k: gettext(v) for k, v in ASSUMPTION_LABELS.items()},
        "can_edit": viewer.can_administer,
        "errors": errors or {},
        "query": _query(board),
        "saved": request.query_params.get("saved") == "1",
    }
    return render(request, "analytics/dashboard.html", context, user=user, status_code=status_code)


@router.get("/analytics")
def dashboard_page(
    request: Request,
    session: DbSession,
    user: PageUser,
    start: Annotated[str | None, Query(alias="from", max_length=20)] = None,
    end: Annotated[str | None, Query(alias="to", max_length=20)] = None,
    unit_id: OptionalText = None,
) -> Response:
    """The ROI of a period for HR and executives, against the previous period."""
    return _page(request, session, user, _filters(start, end, unit_id))


@router.post("/analytics/assumptions", dependencies=[CsrfChecked])
async def save_assumptions(request: Request, session: DbSession, user: PageUser) -> Response:
    """HR: change the ROI assumptions; refused values are shown next to their field."""
    viewer = viewer_of(user)
    if not viewer.can_administer:
        raise ForbiddenError("Only HR administrators change ROI assumptions.")
    form = await request.form()
    entered = {
        name: str(form.get(name, "")).strip()[:40]
        for name in ASSUMPTION_LABELS
        if form.get(name) is not None
    }
    back = {key: str(form.get(key, "")) for key in ("from", "to", "unit_id")}
    filters = _filters(back["from"] or None, back["to"] or None, back["unit_id"] or None)
    errors: dict[str, str] = {}
    values: dict[str, float] = {}
    for name, raw in entered.items():
        try:
            values[name] = float(raw.replace(",", "."))
        except ValueError:
            errors[name] = gettext("must be a number")
    if not errors:
        try:
            assumptions.update_assumptions(session, viewer=viewer, values=values)
        except InvalidInputError as error:
            for problem in error.problems:
                errors[problem.column or ""] = gettext(problem.reason)
    if errors:
        session.rollback()
        return _page(
            request, session, user, filters, errors=errors, entered=entered, status_code=422
        )
    query = "&".join(f"{k}={v}" for k, v in back.items() if v)
    return RedirectResponse(
        f"/analytics?{query}{'&' if query else ''}saved=1#assumptions", status_code=303
    )


FILL_SOURCES = ("internal", "external")


def _fill_rows(board: Dashboard, source: str | None, critical: bool | None) -> list[FillRead]:
    return [
        f
        for f in board.fills
        if (source is None or f.source == source) and (not critical or f.critical)
    ]


@router.get("/analytics/fills")
def fills_page(
    request: Request,
    session: DbSession,
    user: PageUser,
    start: Annotated[str | None, Query(alias="from", max_length=20)] = None,
    end: Annotated[str | None, Query(alias="to", max_length=20)] = None,
    unit_id: OptionalText = None,
    source: OptionalText = None,
    critical: OptionalText = None,
) -> Response:
    """The openings filled in the period (of one source, of critical roles): opened, filled,
    days, source and cost."""
    board = _board(session, user, start, end, unit_id)
    chosen = choice(source, FILL_SOURCES, "source")
    only_critical = optional_bool(critical, "critical")
    return render(
        request,
        "analytics/fills.html",
        {
            "board": board,
            "report": board.roi,
            "query": _query(board),
            "rows": _fill_rows(board, chosen, only_critical),
            "source": chosen,
            "critical": bool(only_critical),
        },
        user=user,
    )


@router.get("/analytics/fills/export.{fmt}")
def fills_export(
    session: DbSession,
    user: PageUser,
    fmt: str,
    start: Annotated[str | None, Query(alias="from", max_length=20)] = None,
    end: Annotated[str | None, Query(alias="to", max_length=20)] = None,
    unit_id: OptionalText = None,
    source: OptionalText = None,
    critical: OptionalText = None,
) -> Response:
    """The fills of the period as CSV or XLSX."""
    board = _board(session, user, start, end, unit_id)
    rows = _fill_rows(
        board, choice(source, FILL_SOURCES, "source"), optional_bool(critical, "critical")
    )
    _ = gettext
    return download(
        ExportTable(
            name=f"fills-{board.roi.start.isoformat()}-{board.roi.end.isoformat()}",
            title=_("Fills"),
            headers=[
                _("Opening"),
                _("Role"),
                _("Family"),
                _("Critical role"),
                _("Unit"),
                _("Opened on"),
                _("Filled on"),
                _("Days"),
                _("Source"),
                _("Cost"),
            ],
            rows=[
                [
                    f.opening,
                    f.role,
                    f.family,
                    f.critical,
                    f.unit,
                    f.opened_on,
                    f.filled_on,
                    f.days,
                    f.source,
                    f.cost,
                ]
                for f in rows
            ],
        ),
        fmt,
    )


@router.get("/analytics/retention")
def retention_page(
    request: Request,
    session: DbSession,
    user: PageUser,
    start: Annotated[str | None, Query(alias="from", max_length=20)] = None,
    end: Annotated[str | None, Query(alias="to", max_length=20)] = None,
    unit_id: OptionalText = None,
) -> Response:
    """The participants of the period and the non-participant each is compared with."""
    board = _board(session, user, start, end, unit_id)
    return render(
        request,
        "analytics/retention.html",
        {"board": board, "report": board.roi, "query": _query(board)},
        user=user,
    )


@router.get("/analytics/retention/export.{fmt}")
def retention_export(
    session: DbSession,
    user: PageUser,
    fmt: str,
    start: Annotated[str | None, Query(alias="from", max_length=20)] = None,
    end: Annotated[str | None, Query(alias="to", max_length=20)] = None,
    unit_id: OptionalText = None,
) -> Response:
    """The participants and their matched non-participants as CSV or XLSX."""
    board = _board(session, user, start, end, unit_id)
    _ = gettext
    return download(
        ExportTable(
            name=f"participants-{board.roi.start.isoformat()}-{board.roi.end.isoformat()}",
            title=_("Participants"),
            headers=[
                _("Participant"),
                _("Family"),
                _("Joined on"),
                _("Left on"),
                _("Matched non-participant"),
                _("Matched non-participant left on"),
            ],
            rows=[
                [p.name, p.family, p.joined_on, p.left_on, p.control_name, p.control_left_on]
                for p in board.participants
            ],
        ),
        fmt,
    )


def unit_name(session: DbSession, unit_id: int | None) -> str | None:
    """The name of the filtered unit (None: the whole organisation)."""
    if unit_id is None:
        return None
    return next((u.name for u in people_service.org_tree(session) if u.id == unit_id), None)


@router.get("/analytics/report.{fmt}")
def report_download(
    session: DbSession,
    user: PageUser,
    fmt: str,
    start: Annotated[str | None, Query(alias="from", max_length=20)] = None,
    end: Annotated[str | None, Query(alias="to", max_length=20)] = None,
    unit_id: OptionalText = None,
) -> Response:
    """The year in review as a PDF, or every metric as CSV/XLSX, with the page's filters."""
    board = _board(session, user, start, end, unit_id)
    if fmt == "pdf":
        filename = f"year-in-review-{board.roi.start.isoformat()}-{board.roi.end.isoformat()}.pdf"
        return Response(
            report_pdf(board, unit_name=unit_name(session, board.roi.unit_id)),
            media_type="application/pdf",
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )
    return download(metrics_table(board), fmt)
