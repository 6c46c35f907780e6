"""HTML routes, one module per domain."""

from fastapi import APIRouter

from skillpath.web.pages import auth, home

router = APIRouter(include_in_schema=False)
router.include_router(auth.router)
router.include_router(home.router)
