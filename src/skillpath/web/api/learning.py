"""The learning catalog: search and read items."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from skillpath.domains.learning import service
from skillpath.domains.learning.schemas import ItemDetail, ItemKind, ItemSummary
from skillpath.web.api.common import Limit, Offset, Page
from skillpath.web.deps import ApiViewer, DbSession

router = APIRouter(tags=["catalog"])


@router.get("/catalog/items", response_model=Page[ItemSummary], summary="Search the catalog")
def list_items(
    session: DbSession,
    viewer: ApiViewer,
    q: Annotated[str | None, Query(max_length=200, description="Text found in the title")] = None,
    kind: Annotated[ItemKind | None, Query(description="Kind of item")] = None,
    locale: Annotated[
        str | None,
        Query(
            max_length=12,
            pattern=r"^[A-Za-z]{2,3}([_-][A-Za-z0-9]{2,8})*$",
            description="Only items available in this locale (e.g. en, de, pt_BR)",
        ),
    ] = None,
    offline: Annotated[
        bool | None, Query(description="true: only items usable offline; false: only online")
    ] = None,
    max_minutes: Annotated[
        int | None, Query(ge=1, description="Only items taking at most this many minutes")
    ] = None,
    skill_id: Annotated[int | None, Query(description="Only items teaching this skill")] = None,
    provider: Annotated[str | None, Query(max_length=200, description="Provider")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[ItemSummary]:
    """Active catalog items matching every filter given, A to Z, with their locales."""
    items, total = service.search_catalog(
        session,
        q=q,
        kind=kind,
        locale=locale,
        offline=offline,
        max_minutes=max_minutes,
        skill_id=skill_id,
        provider=provider,
        limit=limit,
        offset=offset,
    )
    return Page[ItemSummary](items=items, total=total, limit=limit, offset=offset)


@router.get(
    "/catalog/items/{item_id}",
    response_model=ItemDetail,
    summary="Read a catalog item",
    responses={404: {"description": "No such item"}},
)
def read_item(session: DbSession, viewer: ApiViewer, item_id: int) -> ItemDetail:
    """One item with its description, locales, the skills it teaches (and to which level) and
    its prerequisites."""
    return service.catalog_item(session, item_id=item_id)
