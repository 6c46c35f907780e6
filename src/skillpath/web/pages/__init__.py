"""HTML routes, one module per domain."""

from fastapi import APIRouter

from skillpath.web.pages import (
    ai,
    audit,
    auth,
    campaigns,
    evidence,
    gaps,
    home,
    learning,
    people,
    taxonomy,
)

router = APIRouter(include_in_schema=False)
router.include_router(auth.router)
router.include_router(home.router)
router.include_router(people.router)
router.include_router(taxonomy.router)
router.include_router(learning.router)
router.include_router(audit.router)
router.include_router(gaps.router)
router.include_router(campaigns.router)
router.include_router(evidence.router)
router.include_router(ai.router)
