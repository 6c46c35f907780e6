"""The taxonomy browser: search across names and aliases, browse the hierarchy, read a skill."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from skillpath.domains.taxonomy import service
from skillpath.domains.taxonomy.models import SKILL_KINDS
from skillpath.web.deps import DbSession, PageUser
from skillpath.web.pages.common import PAGE_SIZE, choice, offset_of, pager, text, wants_fragment
from skillpath.web.templating import render

router = APIRouter()
OptionalText = Annotated[str | None, Query(max_length=300)]


@router.get("/skills")
def skills_index(
    request: Request,
    session: DbSession,
    user: PageUser,
    q: OptionalText = None,
    source: OptionalText = None,
    kind: OptionalText = None,
    offset: OptionalText = None,
) -> Response:
    """Sources, the tops of the hierarchy, and a searchable list of every skill."""
    sources = service.list_sources(session)
    start = offset_of(offset)
    search = text(q)
    chosen_source = choice(source, [s.key for s in sources], "source")
    chosen_kind = choice(kind, SKILL_KINDS, "kind")
    skills, total = service.search_skills(
        session, q=search, source=chosen_source, kind=chosen_kind, limit=PAGE_SIZE, offset=start
    )
    context = {
        "skills": skills,
        "pager": pager(request, total=total, limit=PAGE_SIZE, offset=start),
        "filters": {"q": search, "source": chosen_source, "kind": chosen_kind},
        "sources": sources,
        "kinds": SKILL_KINDS,
    }
    if wants_fragment(request, "skill-results"):
        return render(request, "skills/_results.html", context, user=user)
    context["groups"] = service.root_groups(session, source=chosen_source)
    return render(request, "skills/index.html", context, user=user)


@router.get("/skills/{skill_id}")
def skill_page(request: Request, session: DbSession, user: PageUser, skill_id: int) -> Response:
    """One skill: where it sits, what it is called, what it links to, who needs it, what
    teaches it."""
    skill = service.skill_detail(session, skill_id=skill_id)
    relations: dict[str, list[object]] = {}
    for relation in skill.relations:
        relations.setdefault(f"{relation.kind}:{relation.direction}", []).append(relation.skill)
    return render(
        request, "skills/detail.html", {"skill": skill, "relations": relations}, user=user
    )
