"""A person's right of access (export everything held about them) and right to erasure."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from skillpath.domains.people import privacy
from skillpath.web.deps import ApiViewer, DbSession

router = APIRouter(tags=["privacy"])


class Erasure(BaseModel):
    """The confirmation of an erasure: the person's external id, typed again."""

    confirm: str = Field(max_length=100)


@router.get(
    "/employees/{employee_id}/personal-data",
    summary="Everything held about a person (the person themself or HR)",
    responses={404: {"description": "No such person, or one the caller may not export"}},
)
def export_personal_data(session: DbSession, viewer: ApiViewer, employee_id: int) -> JSONResponse:
    """Every row of every table that points at the person (found from the schema), their user
    account without its password, and the audit events about them, as one JSON document."""
    data = privacy.export_person(session, viewer=viewer, employee_id=employee_id)
    return JSONResponse(
        data,
        headers={"Content-Disposition": f'attachment; filename="personal-data-{employee_id}.json"'},
    )


@router.post(
    "/employees/{employee_id}/erase",
    summary="Erase a person who has left (HR)",
    responses={
        403: {"description": "Only HR administrators"},
        404: {"description": "No such person"},
        409: {"description": "The person has not left, or was erased already"},
        422: {"description": "The confirmation does not match"},
    },
)
def erase_personal_data(
    session: DbSession, viewer: ApiViewer, employee_id: int, body: Erasure
) -> dict[str, Any]:
    """Pseudonymise the person's record, delete the rows that describe them, detach them from
    others' rows, close their account (docs/privacy.md); returns the rows deleted, detached and
    kept."""
    return privacy.erase_person(
        session, viewer=viewer, employee_id=employee_id, confirm=body.confirm
    )
