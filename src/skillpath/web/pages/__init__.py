"""HTML routes, one module per domain."""

from fastapi import APIRouter

from skillpath.web.pages import (
    ai,
    analytics,
    audit,
    auth,
    campaigns,
    careers,
    evidence,
    gaps,
    home,
    learning,
    mentoring,
    opportunities,
    path_programs,
    paths,
    people,
    taxonomy,
)

router = APIRouter(include_in_schema=False)
router.include_router(auth.router)
router.include_router(home.router)
# Before any `/paths/{path_id}` route, so that /paths/approvals, /paths/templates and
# /paths/cohorts are not read as a path id.
router.include_router(path_programs.router)
router.include_router(people.router)
router.include_router(taxonomy.router)
router.include_router(learning.router)
router.include_router(audit.router)
router.include_router(gaps.router)
router.include_router(analytics.router)
router.include_router(campaigns.router)
router.include_router(evidence.router)
router.include_router(ai.router)
router.include_router(careers.router)
router.include_router(paths.router)
router.include_router(opportunities.router)
router.include_router(mentoring.router)
