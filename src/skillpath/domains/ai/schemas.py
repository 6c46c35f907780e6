"""Pydantic shapes of the ai domain: suggested skills and roles, with their supporting spans."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

RankingMode = Literal["embeddings", "lexical"]
SpanSource = Literal["label", "words", "meaning", "sentence"]


class SkillSuggestion(BaseModel):
    """A skill suggested for a text: its id in the taxonomy, label, confidence and span."""

    skill_id: int
    uri: str = Field(description="The skill's external id in its source (an ESCO concept URI)")
    label: str
    score: float = Field(ge=0.0, le=1.0, description="Calibrated confidence that it is right")
    span: str = Field(description="The words of the text that support the suggestion")
    start: int = Field(ge=0, description="Offset of the span in the text (characters)")
    end: int = Field(ge=0)
    found_by: SpanSource = Field(
        description="label: a label or alias occurs; words: shared words; meaning: closest "
        "clause by embedding; sentence: the whole sentence"
    )


class TextRanking(BaseModel):
    """The ranked skills of one input text, best first."""

    skills: list[SkillSuggestion]


class RankingRun(BaseModel):
    """Rankings of several texts and how they were made."""

    mode: RankingMode
    embeddings: bool
    source: str | None
    skill_count: int
    results: list[TextRanking]
    note: str = ""


class DocumentSkill(SkillSuggestion):
    """A skill suggested for a whole document; `mentions` counts the sentences suggesting it."""

    mentions: int = Field(ge=1)
    sentence: str = Field(description="The sentence holding the span")


class DocumentExtraction(BaseModel):
    """The skills found in a document, best first, and how the document was read."""

    mode: RankingMode
    embeddings: bool
    source: str | None
    sentences: int
    skills: list[DocumentSkill]
    note: str = ""


class ExtractRequest(BaseModel):
    """A document to read for skills."""

    text: str = Field(description="Plain text: a job ad, a course description, a CV …")
    source: str | None = Field(
        default=None, max_length=40, description="Only skills of this taxonomy source (esco …)"
    )
    top: int = Field(default=20, ge=1, le=200, description="How many skills to return")


class RoleSuggestion(BaseModel):
    """A role (internal) or an occupation (an ESCO/O*NET role template) matching a job title."""

    role_id: int
    source: str
    external_id: str
    title: str
    is_template: bool
    score: float = Field(ge=0.0, le=1.0)
    matched: str = Field(description="The title or alternate title that matched best")


class TitleMatches(BaseModel):
    """Best roles for one job title: internal roles and taxonomy occupations, best first."""

    roles: list[RoleSuggestion]
    occupations: list[RoleSuggestion]


class IndexInfo(BaseModel):
    """What a built (or loaded) ranking index covers and how long it took."""

    source: str | None
    skills: int
    aliases: int
    embeddings: bool
    cache_file: str | None
    built: bool = Field(description="True when built now, False when read from the cache")
    seconds: float


TargetKind = Literal["role", "item", "employee"]
SuggestionStatus = Literal["suggested", "accepted", "rejected"]


class SuggestionRead(BaseModel):
    """A suggestion with what it is about, why it was made and where it stands."""

    id: int
    target_kind: TargetKind
    target_id: int
    target_title: str = Field(description="The role title, item title or employee name")
    skill_id: int
    skill_name: str
    level: float | None = Field(description="Target level, level gained or observed level")
    importance: float | None = Field(description="Roles: 1.0 essential, 0.5 nice to have")
    score: float = Field(ge=0.0, le=1.0)
    text_kind: str
    context: str = Field(description="The sentence the skill was read from")
    span_start: int = Field(ge=0)
    span_end: int = Field(ge=0)
    found_by: SpanSource
    method: str
    status: SuggestionStatus
    created_at: datetime
    decided_by: str | None = None
    decided_at: datetime | None = None

    @property
    def before(self) -> str:
        """The context before the span."""
        return self.context[: self.span_start]

    @property
    def span(self) -> str:
        """The words that support the suggestion."""
        return self.context[self.span_start : self.span_end]

    @property
    def after(self) -> str:
        """The context after the span."""
        return self.context[self.span_end :]


class SuggestionCounts(BaseModel):
    """What a suggestion run did: new suggestions, refreshed ones, and skills left out."""

    targets: int = Field(description="How many roles, items or people were read")
    created: int
    updated: int
    skipped_rejected: int = Field(description="Left out: rejected before, never suggested again")
    skipped_known: int = Field(description="Left out: already in the profile or accepted")
    mode: RankingMode
    note: str = ""


class DecisionCounts(BaseModel):
    """What a review decision did."""

    accepted: int
    rejected: int
    written: int = Field(description="Profile lines, item skills or evidence rows written")
    unchanged: int = Field(description="Already decided, or not visible to the reviewer")


class EmployeeTextRequest(BaseModel):
    """A text about a person (CV, profile, project write-up, review) to read for skills."""

    text: str
    text_kind: Literal["cv", "profile", "project", "review"] = "cv"
    source: str | None = Field(default=None, max_length=40)
