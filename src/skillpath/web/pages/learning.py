"""The catalog browser: filter items by kind, locale, offline use, duration and skill."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from skillpath.domains.learning import service
from skillpath.domains.learning.models import ITEM_KINDS
from skillpath.web.deps import DbSession, PageUser
from skillpath.web.pages.common import (
    PAGE_SIZE,
    choice,
    offset_of,
    optional_bool,
    optional_int,
    pager,
    text,
    wants_fragment,
)
from skillpath.web.templating import render

router = APIRouter()
OptionalText = Annotated[str | None, Query(max_length=300)]
DURATION_CHOICES = (5, 15, 60, 240, 480, 2400)


@dataclass(frozen=True)
class CatalogFilters:
    """The filters of the catalog page as chosen (None: any)."""

    q: str | None
    kind: str | None
    locale: str | None
    offline: bool | None
    max_minutes: int | None
    skill: str | None
    skill_id: int | None
    provider: str | None


@router.get("/catalog")
def catalog_index(
    request: Request,
    session: DbSession,
    user: PageUser,
    q: OptionalText = None,
    kind: OptionalText = None,
    locale: OptionalText = None,
    offline: OptionalText = None,
    max_minutes: OptionalText = None,
    skill: OptionalText = None,
    skill_id: OptionalText = None,
    provider: OptionalText = None,
    offset: OptionalText = None,
) -> Response:
    """Catalog items matching every filter chosen."""
    locales, providers = service.catalog_filters(session)
    start = offset_of(offset)
    filters = CatalogFilters(
        q=text(q),
        kind=choice(kind, ITEM_KINDS, "kind"),
        locale=choice(locale, locales, "locale"),
        offline=optional_bool(offline, "offline"),
        max_minutes=optional_int(max_minutes, "max_minutes"),
        skill=text(skill),
        skill_id=optional_int(skill_id, "skill_id"),
        provider=choice(provider, providers, "provider"),
    )
    items, total = service.search_catalog(
        session,
        q=filters.q,
        kind=filters.kind,
        locale=filters.locale,
        offline=filters.offline,
        max_minutes=filters.max_minutes,
        skill_query=filters.skill,
        skill_id=filters.skill_id,
        provider=filters.provider,
        limit=PAGE_SIZE,
        offset=start,
    )
    context = {
        "items": items,
        "pager": pager(request, total=total, limit=PAGE_SIZE, offset=start),
        "filters": filters,
        "kinds": ITEM_KINDS,
        "locales": locales,
        "providers": providers,
        "durations": DURATION_CHOICES,
    }
    if wants_fragment(request, "catalog-results"):
        return render(request, "catalog/_results.html", context, user=user)
    return render(request, "catalog/index.html", context, user=user)


@router.get("/catalog/{item_id}")
def catalog_item(request: Request, session: DbSession, user: PageUser, item_id: int) -> Response:
    """One catalog item: what it teaches, what it needs first, where and how to take it."""
    item = service.catalog_item(session, item_id=item_id)
    return render(request, "catalog/detail.html", {"item": item}, user=user)
