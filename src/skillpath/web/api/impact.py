"""ROI and impact analytics: every metric with its value, interval, formula, inputs and the
assumptions in force (HR administrators and executives)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query

from skillpath.domains.analytics import impact
from skillpath.domains.analytics.impact_schemas import Roi
from skillpath.web.deps import ApiViewer, DbSession

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
    program cost and ROI % with the assumptions they use."""
    return impact.roi_report(session, viewer=viewer, start=start, end=end, unit_id=unit_id)
