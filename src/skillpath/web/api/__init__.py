"""JSON routes under /api/v1, one module per domain."""

from fastapi import APIRouter

from skillpath.web.api import learning, me, people, taxonomy

router = APIRouter()
router.include_router(me.router)
router.include_router(taxonomy.router)
router.include_router(people.router)
router.include_router(learning.router)
