"""Text → skills over HTTP: extract skills from a document, rank sentences, match job titles,
and review suggestions. Everything runs on this server; no text leaves it."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from skillpath.config import Settings
from skillpath.domains.ai import service
from skillpath.domains.ai.schemas import (
    DecisionCounts,
    DocumentExtraction,
    EmployeeTextRequest,
    ExtractRequest,
    RankingRun,
    SuggestionCounts,
    SuggestionRead,
    TitleMatches,
)
from skillpath.web.api.common import Limit, Offset, Page
from skillpath.web.deps import ApiViewer, DbSession, get_settings

router = APIRouter(tags=["ai"])
AppSettings = Annotated[Settings, Depends(get_settings)]


class RankRequest(BaseModel):
    """Sentences (or short paragraphs) to rank skills for, each on its own."""

    texts: list[str] = Field(min_length=1, max_length=service.MAX_BATCH)
    source: str | None = Field(default=None, max_length=40)
    top: int = Field(default=10, ge=1, le=200)


class TitlesRequest(BaseModel):
    """Job titles to match with internal roles and ESCO/O*NET occupations."""

    titles: list[str] = Field(min_length=1, max_length=service.MAX_BATCH)
    top: int = Field(default=5, ge=1, le=50)


class DecisionRequest(BaseModel):
    """Suggestions to accept or reject at once."""

    ids: list[int] = Field(min_length=1, max_length=5000)
    decision: Literal["accept", "reject"]


@router.post(
    "/skills/extract",
    response_model=DocumentExtraction,
    summary="Extract skills from a document",
    responses={422: {"description": "Empty, too long or binary text; unknown source"}},
)
def extract_skills(
    session: DbSession, viewer: ApiViewer, settings: AppSettings, body: ExtractRequest
) -> DocumentExtraction:
    """The skills a document speaks of (a job ad, a course description, a CV), best first, each
    with a calibrated confidence, the words that support it and the sentence holding them."""
    return service.extract_skills(
        session,
        text=body.text,
        source=body.source,
        top=body.top,
        cache_dir=settings.cache_dir,
        use_embeddings=settings.ai_embeddings,
    )


@router.post("/skills/rank", response_model=RankingRun, summary="Rank skills for sentences")
def rank_skills(
    session: DbSession, viewer: ApiViewer, settings: AppSettings, body: RankRequest
) -> RankingRun:
    """The best skills of each sentence, in input order."""
    return service.rank_texts(
        session,
        texts=body.texts,
        source=body.source,
        top=body.top,
        cache_dir=settings.cache_dir,
        use_embeddings=settings.ai_embeddings,
    )


@router.post("/titles/match", response_model=list[TitleMatches], summary="Match job titles")
def match_titles(
    session: DbSession, viewer: ApiViewer, settings: AppSettings, body: TitlesRequest
) -> list[TitleMatches]:
    """For each title, the best internal roles and ESCO/O*NET occupations."""
    return service.match_titles(
        session,
        titles=body.titles,
        top=body.top,
        cache_dir=settings.cache_dir,
        use_embeddings=settings.ai_embeddings,
    )


@router.get("/suggestions", response_model=Page[SuggestionRead], summary="Skill suggestions")
def list_suggestions(
    session: DbSession,
    viewer: ApiViewer,
    status: Annotated[
        Literal["suggested", "accepted", "rejected"] | None, Query(description="Review state")
    ] = "suggested",
    kind: Annotated[
        Literal["role", "item", "employee"] | None, Query(description="What they are for")
    ] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[SuggestionRead]:
    """Suggestions the caller may review, surest first (HR admins: all; others: those about
    the people they may see)."""
    items, total = service.review_queue(
        session, viewer=viewer, status=status, kind=kind, limit=limit, offset=offset
    )
    return Page[SuggestionRead](items=items, total=total, limit=limit, offset=offset)


@router.post("/suggestions/decide", response_model=DecisionCounts, summary="Accept or reject")
def decide(session: DbSession, viewer: ApiViewer, body: DecisionRequest) -> DecisionCounts:
    """Accept (writes the profile line, item skill or inferred evidence) or reject (never
    suggested again) suggestions the caller may decide."""
    return service.decide(
        session, viewer=viewer, suggestion_ids=body.ids, accept=body.decision == "accept"
    )


@router.post(
    "/people/{employee_id}/skill-suggestions",
    response_model=SuggestionCounts,
    summary="Suggest skills from a text about a person",
)
def suggest_for_person(
    session: DbSession,
    viewer: ApiViewer,
    settings: AppSettings,
    employee_id: int,
    body: EmployeeTextRequest,
) -> SuggestionCounts:
    """Read a CV, profile, project or review text and store skill suggestions (inferred
    evidence, low confidence once accepted) for the person."""
    return service.suggest_for_employee(
        session,
        viewer=viewer,
        employee_id=employee_id,
        text=body.text,
        text_kind=body.text_kind,
        source=body.source,
        cache_dir=settings.cache_dir,
        use_embeddings=settings.ai_embeddings,
    )
