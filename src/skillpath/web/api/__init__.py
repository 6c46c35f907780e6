"""JSON routes under /api/v1, one module per domain."""

from fastapi import APIRouter

from skillpath.web.api import me

router = APIRouter()
router.include_router(me.router)
