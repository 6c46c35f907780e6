"""JSON routes under /api/v1, one module per domain."""

from fastapi import APIRouter

from skillpath.web.api import (
    ai,
    applications,
    campaigns,
    careers,
    evidence,
    gaps,
    impact,
    learning,
    me,
    mentoring,
    mentoring_help,
    opportunities,
    paths,
    people,
    privacy,
    taxonomy,
)

router = APIRouter()
router.include_router(me.router)
router.include_router(taxonomy.router)
router.include_router(people.router)
router.include_router(privacy.router)
router.include_router(learning.router)
router.include_router(paths.router)
router.include_router(evidence.router)
router.include_router(gaps.router)
router.include_router(impact.router)
router.include_router(campaigns.router)
router.include_router(ai.router)
router.include_router(careers.router)
router.include_router(applications.router)
router.include_router(opportunities.router)
router.include_router(mentoring.router)
router.include_router(mentoring_help.router)
