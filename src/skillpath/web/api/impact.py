"""ROI and impact analytics: every metric with its value, interval, formula, inputs and the
assumptions in force (HR administrators and executives)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field

from skillpath.domains.analytics import assumptions, impact
from skillpath.domains.analytics.impact_schemas import AssumptionRead, Roi
from skillpath.domains.people import service as people_service
from skillpath.web.analytics_report import metrics_table, report_pdf
from skillpath.web.deps import ApiViewer, DbSession
from skillpath.web.exports import download

router = APIRouter(tags=["analytics"])
ANSWERS: dict[int | str, dict[str, Any]] = {
    403: {"description": "Only HR administrators and executives"},
    422: {"description": "The period is not valid"},
}


@router.get(
    "/analytics/roi",
    response_model=Roi,
    summary="ROI and impact of a period: fills, mobility, retention, costs and ROI %",
    responses=ANSWERS,
)
def read_roi(
    session: DbSession,
    viewer: ApiViewer,
    start: Annotated[
        date | None, Query(alias="from", description="First day (default: a year before `to`)")
    ] = None,
    end: Annotated[date | None, Query(alias="to", description="Last day (default: today)")] = None,
    unit_id: Annotated[int | None, Query(description="An org unit and everything below it")] = None,
) -> Roi:
    """Time to fill (internal and external, median with its interval and quartiles), internal
    fill rate and mobility rate (Wilson intervals), retention of program participants against
    matched non-participants and against everyone else (Kaplan–Meier curves, the 12-month
    difference with its interval, log-rank test), departures avoided, recruiting cost avoided,
    program cost and ROI % with the assumptions they use; each metric also carries its value
    over the previous period of the same length and the change."""
    return impact.roi_report(session, viewer=viewer, start=start, end=end, unit_id=unit_id)


class AssumptionsUpdate(BaseModel):
    """Assumptions to set, by name (the others keep their value)."""

    values: dict[str, float] = Field(
        description='e.g. {"average_salary": 52000, "productivity_ramp_months_external": 5}'
    )


@router.get(
    "/analytics/assumptions",
    response_model=list[AssumptionRead],
    summary="The ROI assumptions in force, with their defaults",
    responses={403: ANSWERS[403]},
)
def read_assumptions(session: DbSession, viewer: ApiViewer) -> list[AssumptionRead]:
    """Cost per external hire, internal transition cost, loaded hourly rate, replacement cost
    share, average salary and the productivity ramps (months), with who last set them."""
    return assumptions.list_assumptions(session, viewer=viewer)


@router.put(
    "/analytics/assumptions",
    response_model=list[AssumptionRead],
    summary="Change ROI assumptions (HR administrators)",
    responses={
        403: {"description": "Only HR administrators"},
        422: {"description": "Unknown name, negative number or a ramp over 36 months"},
    },
)
def update_assumptions(
    session: DbSession, viewer: ApiViewer, body: AssumptionsUpdate
) -> list[AssumptionRead]:
    """Every value must be a non-negative number, ramps at most 36 months; nothing is saved
    unless all are valid. The change is audited."""
    return assumptions.update_assumptions(session, viewer=viewer, values=body.values)


@router.get(
    "/analytics/report.{fmt}",
    summary="The year in review: PDF, or every metric as CSV",
    responses={
        200: {"content": {"application/pdf": {}, "text/csv": {}}},
        403: ANSWERS[403],
        404: {"description": "Format other than pdf, csv or xlsx"},
        422: ANSWERS[422],
    },
    response_class=Response,
)
def read_report(
    session: DbSession,
    viewer: ApiViewer,
    fmt: str,
    start: Annotated[date | None, Query(alias="from")] = None,
    end: Annotated[date | None, Query(alias="to")] = None,
    unit_id: Annotated[int | None, Query()] = None,
) -> Response:
    """The numbers of `GET /analytics/roi` (and the dashboard): a PDF report (story 7: roles
    filled internally, fees saved, time to fill, internal fill rate, retention, time to
    productivity, each against the previous period) or a CSV with every metric's value,
    interval, previous value, change, formula, inputs and assumptions."""
    board = impact.dashboard(session, viewer=viewer, start=start, end=end, unit_id=unit_id)
    if fmt == "pdf":
        name = next((u.name for u in people_service.org_tree(session) if u.id == unit_id), None)
        filename = f"year-in-review-{board.roi.start.isoformat()}-{board.roi.end.isoformat()}.pdf"
        return Response(
            report_pdf(board, unit_name=name),
            media_type="application/pdf",
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )
    return download(metrics_table(board), fmt)
