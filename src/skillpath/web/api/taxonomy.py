"""Skills of the taxonomy: search and read."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from skillpath.domains.taxonomy import service
from skillpath.domains.taxonomy.schemas import SkillDetail, SkillKind, SkillSummary
from skillpath.web.api.common import Limit, Offset, Page
from skillpath.web.deps import ApiViewer, DbSession

router = APIRouter(tags=["skills"])


@router.get("/skills", response_model=Page[SkillSummary], summary="Search skills")
def list_skills(
    session: DbSession,
    viewer: ApiViewer,
    q: Annotated[
        str | None,
        Query(max_length=200, description="Text found in the skill's name or any alias"),
    ] = None,
    source: Annotated[
        str | None, Query(max_length=40, description="Taxonomy source key: esco, onet, demo …")
    ] = None,
    kind: Annotated[SkillKind | None, Query(description="Kind of skill")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[SkillSummary]:
    """Skills whose name or alias contains `q` (exact and prefix matches first), with their
    identifiers in every known system (`external_ids`, e.g. the ESCO URI)."""
    items, total = service.search_skills(
        session, q=q, source=source, kind=kind, limit=limit, offset=offset
    )
    return Page[SkillSummary](items=items, total=total, limit=limit, offset=offset)


@router.get(
    "/skills/{skill_id}",
    response_model=SkillDetail,
    summary="Read a skill",
    responses={404: {"description": "No such skill"}},
)
def read_skill(session: DbSession, viewer: ApiViewer, skill_id: int) -> SkillDetail:
    """One skill with its aliases, hierarchy (breadcrumb and children), relations, the roles
    that need it and the catalog items that teach it."""
    return service.skill_detail(session, skill_id=skill_id)
