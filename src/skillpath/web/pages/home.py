"""The home page of each role."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from skillpath.web.deps import PageUser
from skillpath.web.templating import render

router = APIRouter()


@router.get("/")
def home(request: Request, user: PageUser) -> Response:
    """The answer each role came for, then the detail."""
    return render(request, "home/index.html", {}, user=user)
