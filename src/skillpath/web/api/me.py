"""Who am I: the caller's user and employee ids."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from skillpath.web.deps import ApiViewer

router = APIRouter(tags=["identity"])


class MeRead(BaseModel):
    """The caller as the API sees them."""

    user_id: int
    email: str
    role: str
    employee_id: int | None


@router.get("/me", response_model=MeRead)
def read_me(viewer: ApiViewer) -> MeRead:
    """The user behind the token, with their role and employee record."""
    return MeRead(
        user_id=viewer.user_id, email=viewer.email, role=viewer.role, employee_id=viewer.employee_id
    )
