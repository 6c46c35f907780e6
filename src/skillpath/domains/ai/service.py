"""Use cases of text → skills: rank sentences, read documents, match job titles, and turn role
descriptions, course descriptions and texts about people into suggestions a person reviews.

Everything runs in this process: the embedding model (the optional `ai` extra) and the indexes
are local, and no text leaves the machine. Without the extra the lexical path answers and every
result says so (`mode`, `note`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sqlalchemy.orm import Session

from skillpath.core.clock import utcnow
from skillpath.core.errors import ForbiddenError, InvalidInputError, NotFoundError, Problem
from skillpath.domains.ai import indexing, repository, schemas
from skillpath.domains.ai.embeddings import (
    NO_EXTRA_MESSAGE,
    Encoder,
    extra_installed,
    load_embedder,
)
from skillpath.domains.ai.engine.cues import (
    ESSENTIAL_IMPORTANCE,
    importance_for,
    level_for,
    section_importances,
)
from skillpath.domains.ai.engine.ranker import (
    DocumentMatch,
    RankingModel,
    SkillMatch,
    aggregate_document,
    rank_sentences,
    sentence_offsets,
)
from skillpath.domains.ai.engine.text import split_clauses
from skillpath.domains.ai.engine.titles import rank_titles
from skillpath.domains.ai.models import MAX_CONTEXT_CHARS, SkillSuggestion
from skillpath.domains.ai.schemas import (
    DecisionCounts,
    DocumentExtraction,
    DocumentSkill,
    RankingMode,
    RankingRun,
    RoleSuggestion,
    SuggestionCounts,
    SuggestionRead,
    TextRanking,
    TitleMatches,
)
from skillpath.domains.evidence.engine.fingerprint import evidence_fingerprint
from skillpath.domains.evidence.models import SkillEvidence
from skillpath.domains.identity.visibility import Viewer

MAX_DOCUMENT_BYTES = 1_000_000
"""A document (job ad, course description, CV) is at most 1 MB of text."""
MAX_SENTENCE_CHARS = 20_000
"""One input of `rank`: a sentence or a short paragraph."""
MAX_BATCH = 10_000
"""How many texts one call may rank."""
BATCH = 256
"""Sentences ranked together (one matrix product per signal)."""
PER_SENTENCE = 10
"""How many skills each sentence of a document proposes before aggregation."""
MIN_DOCUMENT_CONFIDENCE = 0.35
"""Document skills below this confidence are not suggested (unless named in the text)."""
LABEL_RANKS = 3
MIN_LABEL = 0.2
"""A skill named in a sentence is suggested from its best LABEL_RANKS down to this confidence."""
SUGGESTIONS_PER_TARGET = 15
DEFAULT_ROLE_LEVEL = 0.6
DEFAULT_ITEM_LEVEL = 0.4
DEFAULT_EVIDENCE_LEVEL = 0.6
INFERRED_CONFIDENCE = 0.3
"""Evidence inferred from text is weak: at most this confidence (times the suggestion score)."""
TEXT_KINDS = ("cv", "profile", "project", "review")
LEXICAL_CHOSEN = "Embeddings were switched off: skills are ranked on the lexical path only."

Progress = Callable[[str, int, int | None], None]


# Input checks


def decode_text(data: bytes, *, name: str = "input", limit: int = MAX_DOCUMENT_BYTES) -> str:
    """Bytes read from a file or a request as text: UTF-8, not binary, not empty, not huge."""
    if len(data) > limit:
        raise InvalidInputError(
            f"{name} is too large to read for skills",
            [
                Problem(
                    f"{len(data):,} bytes; at most {limit:,} are read — split it into smaller "
                    "documents",
                    file=name,
                )
            ],
        )
    if b"\x00" in data[:65536]:
        raise InvalidInputError(
            f"{name} is not text",
            [
                Problem(
                    "it holds NUL bytes: a binary file (PDF, Word, image) is not read; "
                    "save it as plain text (UTF-8) first",
                    file=name,
                )
            ],
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InvalidInputError(
            f"{name} is not UTF-8 text",
            [
                Problem(
                    f"byte {error.start} (line {line}) is not UTF-8; save the file as UTF-8",
                    file=name,
                    row=line,
                )
            ],
        ) from None
    return check_text(text, name=name, limit=limit)


def check_text(text: str, *, name: str = "text", limit: int = MAX_DOCUMENT_BYTES) -> str:
    """A text worth reading: not empty, within the size limit, without control characters."""
    if not text.strip():
        raise InvalidInputError(
            f"{name} is empty", [Problem("there is no text to read", file=name)]
        )
    if len(text) > limit:
        raise InvalidInputError(
            f"{name} is too long to read for skills",
            [Problem(f"{len(text):,} characters; at most {limit:,} are read", file=name)],
        )
    controls = sum(1 for char in text[:65536] if ord(char) < 32 and char not in "\t\n\r\f\v")
    if "\x00" in text or controls > max(8, len(text[:65536]) // 100):
        raise InvalidInputError(
            f"{name} is not text",
            [Problem("it holds control characters: binary content is not read", file=name)],
        )
    return text


# The ranker of a process


@dataclass(frozen=True)
class Ranker:
    """A loaded skill index with the encoder and the fusion model that go with it."""

    loaded: indexing.LoadedSkills
    encoder: Encoder | None
    model: RankingModel
    source: str | None

    @property
    def mode(self) -> RankingMode:
        """'embeddings' when sentence embeddings take part, else 'lexical'."""
        return "embeddings" if self.encoder is not None else "lexical"

    @property
    def note(self) -> str:
        """What a reader of the results should know about how they were made."""
        if self.encoder is not None:
            return ""
        return NO_EXTRA_MESSAGE if not extra_installed() else LEXICAL_CHOSEN


def _check_source(session: Session, source: str | None) -> str | None:
    """The taxonomy source key (None: every source); an unknown key is refused."""
    if source is None or not source.strip():
        return None
    key = source.strip()
    if not repository.source_exists(session, key):
        known = ", ".join(repository.source_keys(session)) or "none imported yet"
        raise InvalidInputError(
            f"unknown taxonomy source {key!r}",
            [Problem(f"must be one of: {known}", column="source", value=key)],
        )
    return key


def ranker(
    session: Session, *, source: str | None, cache_dir: Path, use_embeddings: bool = True
) -> Ranker:
    """The ranker of a taxonomy source (or of every source): embeddings when the `ai` extra is
    installed and wanted, else lexical. Refuses when there is no skill to rank."""
    key = _check_source(session, source)
    encoder = load_embedder() if use_embeddings else None
    loaded = indexing.skill_index(session, source=key, cache_dir=cache_dir, encoder=encoder)
    if loaded.index.size == 0:
        raise InvalidInputError(
            "there are no skills to rank",
            [Problem("import a taxonomy first (skillpath import esco …)", value=key)],
        )
    artefacts = indexing.load_artefacts()
    dense = encoder is not None and loaded.index.embeddings is not None
    return Ranker(
        loaded=loaded,
        encoder=encoder if dense else None,
        model=artefacts.dense if dense else artefacts.lexical,
        source=key,
    )


def _rank(
    engine: Ranker, sentences: Sequence[str], top: int, *, clauses_by_meaning: bool = False
) -> list[list[SkillMatch]]:
    """Rank sentences in batches. With `clauses_by_meaning` the clauses of each sentence are
    embedded too, so a skill found by meaning alone points at its clause rather than the whole
    sentence (documents and suggestions; it triples the embedding work, so batch ranking does
    without)."""
    results: list[list[SkillMatch]] = []
    for start in range(0, len(sentences), BATCH):
        batch = list(sentences[start : start + BATCH])
        queries = None
        clauses = None
        if engine.encoder is not None:
            queries = engine.encoder.encode(batch)
        if engine.encoder is not None and clauses_by_meaning:
            pieces = [[s[a:b] for a, b in split_clauses(s)] for s in batch]
            flat = [piece for group in pieces for piece in group]
            encoded = engine.encoder.encode(flat)
            clauses = []
            position = 0
            for group in pieces:
                clauses.append(encoded[position : position + len(group)])
                position += len(group)
        results.extend(
            rank_sentences(
                engine.loaded.index,
                batch,
                model=engine.model,
                query_embeddings=queries,
                clause_embeddings=clauses,
                top=top,
            )
        )
    return results


def _suggested(
    engine: Ranker, match: SkillMatch | DocumentMatch, text: str
) -> schemas.SkillSuggestion:
    """The public form of a match of a skill in a text."""
    index = engine.loaded.index
    return schemas.SkillSuggestion(
        skill_id=engine.loaded.skill_ids[match.skill],
        uri=index.external_ids[match.skill],
        label=index.labels[match.skill],
        score=round(min(max(match.confidence, 0.0), 1.0), 4),
        span=text[match.start : match.end],
        start=match.start,
        end=match.end,
        found_by=match.source,
    )


def rank_texts(
    session: Session,
    *,
    texts: Sequence[str],
    source: str | None,
    top: int,
    cache_dir: Path,
    use_embeddings: bool = True,
) -> RankingRun:
    """The `top` skills of each text (a sentence or a short paragraph), in input order."""
    if top < 1 or top > 200:
        raise InvalidInputError(
            "top must be between 1 and 200", [Problem("out of range", column="top", value=str(top))]
        )
    if len(texts) > MAX_BATCH:
        raise InvalidInputError(
            "too many texts in one call",
            [Problem(f"{len(texts):,} texts; at most {MAX_BATCH:,}")],
        )
    problems = []
    for number, text in enumerate(texts, start=1):
        if not text.strip():
            problems.append(Problem("the text is empty", row=number, column="text"))
        elif len(text) > MAX_SENTENCE_CHARS:
            problems.append(
                Problem(
                    f"{len(text):,} characters; at most {MAX_SENTENCE_CHARS:,} "
                    "(use skills extract for documents)",
                    row=number,
                    column="text",
                )
            )
    if problems:
        raise InvalidInputError("some texts cannot be ranked", problems)
    engine = ranker(session, source=source, cache_dir=cache_dir, use_embeddings=use_embeddings)
    ranked = _rank(engine, texts, top)
    return RankingRun(
        mode=engine.mode,
        embeddings=engine.encoder is not None,
        source=engine.source,
        skill_count=engine.loaded.index.size,
        results=[
            TextRanking(skills=[_suggested(engine, match, text) for match in matches])
            for text, matches in zip(texts, ranked, strict=True)
        ],
        note=engine.note,
    )


@dataclass(frozen=True)
class _Read:
    """A document read for skills: its sentences and the aggregated matches."""

    offsets: list[tuple[int, int]]
    matches: list[DocumentMatch]


def _worth_suggesting(matches: Sequence[SkillMatch]) -> list[SkillMatch]:
    """The matches of a sentence worth suggesting: confident ones, and among the sentence's
    best few those whose name or synonym is written in it (a reviewer checks those at a
    glance, and a short list of names often scores low on every single signal)."""
    return [
        match
        for rank, match in enumerate(matches)
        if match.confidence >= MIN_DOCUMENT_CONFIDENCE
        or (match.source == "label" and rank < LABEL_RANKS and match.confidence >= MIN_LABEL)
    ]


def _read_documents(engine: Ranker, documents: Sequence[str], top: int) -> list[_Read]:
    """Split documents into sentences, rank them all together, aggregate per document."""
    offsets = [sentence_offsets(document) for document in documents]
    sentences = [d[a:b] for d, spans in zip(documents, offsets, strict=True) for a, b in spans]
    ranked = _rank(engine, sentences, PER_SENTENCE, clauses_by_meaning=True)
    results = []
    position = 0
    for spans in offsets:
        mine = [_worth_suggesting(matches) for matches in ranked[position : position + len(spans)]]
        position += len(spans)
        results.append(_Read(spans, aggregate_document(mine, spans, top=top)))
    return results


def _sentence_of(read: _Read, match: DocumentMatch) -> tuple[int, int]:
    """The (start, end) of the sentence holding a match's span."""
    for start, end in read.offsets:
        if start <= match.start and match.end <= end:
            return start, end
    return match.start, match.end


def extract_skills(
    session: Session,
    *,
    text: str,
    source: str | None,
    top: int,
    cache_dir: Path,
    use_embeddings: bool = True,
) -> DocumentExtraction:
    """The skills a document (job ad, course description, CV) speaks of, best first, each with
    the span and the sentence that support it."""
    check_text(text)
    if top < 1 or top > 200:
        raise InvalidInputError(
            "top must be between 1 and 200", [Problem("out of range", column="top", value=str(top))]
        )
    engine = ranker(session, source=source, cache_dir=cache_dir, use_embeddings=use_embeddings)
    read = _read_documents(engine, [text], top)[0]
    skills = []
    for match in read.matches:
        start, end = _sentence_of(read, match)
        base = _suggested(engine, match, text)
        skills.append(
            DocumentSkill(**base.model_dump(), mentions=match.mentions, sentence=text[start:end])
        )
    return DocumentExtraction(
        mode=engine.mode,
        embeddings=engine.encoder is not None,
        source=engine.source,
        sentences=len(read.offsets),
        skills=skills,
        note=engine.note,
    )


# Job titles


def match_titles(
    session: Session,
    *,
    titles: Sequence[str],
    top: int,
    cache_dir: Path,
    use_embeddings: bool = True,
) -> list[TitleMatches]:
    """For each job title, the best internal roles and the best ESCO/O*NET occupations."""
    if top < 1 or top > 50:
        raise InvalidInputError(
            "top must be between 1 and 50", [Problem("out of range", column="top", value=str(top))]
        )
    problems = [
        Problem("the title is empty or longer than 300 characters", row=n, column="title")
        for n, title in enumerate(titles, start=1)
        if not title.strip() or len(title) > 300
    ]
    if problems:
        raise InvalidInputError("some titles cannot be matched", problems)
    if len(titles) > MAX_BATCH:
        raise InvalidInputError("too many titles in one call", [Problem(f"at most {MAX_BATCH:,}")])
    encoder = load_embedder() if use_embeddings else None
    loaded = indexing.title_index(session, cache_dir=cache_dir, encoder=encoder)
    if loaded.index.size == 0:
        return [TitleMatches(roles=[], occupations=[]) for _ in titles]
    queries = (
        encoder.encode(list(titles))
        if encoder is not None and loaded.index.embeddings is not None
        else None
    )
    weights = indexing.load_artefacts().title_weights or None
    templates = np.asarray(loaded.is_template, dtype=bool)
    results: list[TitleMatches] = []
    for allowed, field in ((~templates, "roles"), (templates, "occupations")):
        ranked = rank_titles(
            loaded.index,
            titles,
            query_embeddings=queries,
            weights=weights,
            top=top,
            allowed=allowed,
        )
        for row, matches in enumerate(ranked):
            if len(results) <= row:
                results.append(TitleMatches(roles=[], occupations=[]))
            getattr(results[row], field).extend(
                RoleSuggestion(
                    role_id=loaded.role_ids[m.role],
                    source=loaded.sources[m.role],
                    external_id=loaded.external_ids[m.role],
                    title=loaded.titles[m.role],
                    is_template=loaded.is_template[m.role],
                    score=round(m.score, 4),
                    matched=loaded.index.entries[m.entry],
                )
                for m in matches
            )
    return results


# Suggestions


@dataclass(frozen=True)
class _Proposal:
    """A skill proposed for a target, with its level, importance and supporting text."""

    target_id: int
    skill_id: int
    score: float
    level: float
    importance: float | None
    context: str
    span_start: int
    span_end: int
    found_by: str


def _proposals(
    engine: Ranker,
    targets: Sequence[repository.TargetText],
    *,
    kind: str,
    default_level: float,
) -> list[_Proposal]:
    """Read every target's text and turn its best skills into proposals with level cues (and,
    for roles, importance cues: in the sentence, else from the heading above it)."""
    reads = _read_documents(engine, [t.text for t in targets], SUGGESTIONS_PER_TARGET)
    proposals = []
    for target, read in zip(targets, reads, strict=True):
        sentences = [target.text[a:b] for a, b in read.offsets]
        inherited = section_importances(sentences)
        for match in read.matches:
            start, end = _sentence_of(read, match)
            sentence = target.text[start:end]
            local = (match.start - start, match.end - start)
            level, _cue = level_for(sentence, *local, default=default_level)
            importance = None
            if kind == "role":
                position = read.offsets.index((start, end)) if (start, end) in read.offsets else 0
                fallback = inherited[position] if inherited else ESSENTIAL_IMPORTANCE
                importance, _cue = importance_for(sentence, *local, default=fallback)
            context, span_start, span_end = _context(sentence, *local)
            proposals.append(
                _Proposal(
                    target_id=target.id,
                    skill_id=engine.loaded.skill_ids[match.skill],
                    score=float(min(max(match.confidence, 0.0), 1.0)),
                    level=level,
                    importance=importance,
                    context=context,
                    span_start=span_start,
                    span_end=span_end,
                    found_by=match.source,
                )
            )
    return proposals


def _context(sentence: str, start: int, end: int) -> tuple[str, int, int]:
    """The sentence cut to MAX_CONTEXT_CHARS around the span, and the span's offsets in it."""
    if len(sentence) <= MAX_CONTEXT_CHARS:
        return sentence, start, end
    half = max(0, (MAX_CONTEXT_CHARS - (end - start)) // 2)
    first = max(0, min(start - half, len(sentence) - MAX_CONTEXT_CHARS))
    cut = sentence[first : first + MAX_CONTEXT_CHARS]
    return cut, start - first, min(end - first, len(cut))


def _store(
    session: Session,
    *,
    kind: str,
    targets: Sequence[repository.TargetText],
    proposals: Sequence[_Proposal],
    method: str,
    text_kind: str,
) -> tuple[int, int, int, int]:
    """Store proposals as suggestions: new ones added, `suggested` ones refreshed, rejected or
    accepted ones and skills already known left alone. Returns (created, updated, skipped
    rejected, skipped known)."""
    ids = [t.id for t in targets]
    existing = repository.suggestion_states(session, kind, ids)
    known = repository.known_skills(session, kind, ids)
    created = updated = rejected = already = 0
    new: list[SkillSuggestion] = []
    for p in proposals:
        key = (p.target_id, p.skill_id)
        found = existing.get(key)
        if found is not None and found.status == "rejected":
            rejected += 1
            continue
        if key in known or (found is not None and found.status == "accepted"):
            already += 1
            continue
        values = {
            "level": p.level,
            "importance": p.importance,
            "score": round(p.score, 6),
            "text_kind": text_kind,
            "context": p.context,
            "span_start": p.span_start,
            "span_end": p.span_end,
            "found_by": p.found_by,
            "method": method,
        }
        if found is not None:
            for name, value in values.items():
                setattr(found, name, value)
            updated += 1
            continue
        suggestion = SkillSuggestion(
            target_kind=kind, skill_id=p.skill_id, status="suggested", **values
        )
        setattr(suggestion, repository.target_column(kind).key, p.target_id)
        new.append(suggestion)
        existing[key] = suggestion
        created += 1
    repository.add_suggestions(session, new)
    session.flush()
    return created, updated, rejected, already


def _run(
    session: Session,
    *,
    kind: str,
    targets: Sequence[repository.TargetText],
    source: str | None,
    cache_dir: Path,
    use_embeddings: bool,
    default_level: float,
    text_kind: str,
    progress: Progress | None,
) -> SuggestionCounts:
    """Suggest skills for targets in chunks (so a progress bar can move) and store them."""
    engine = ranker(session, source=source, cache_dir=cache_dir, use_embeddings=use_embeddings)
    totals = [0, 0, 0, 0]
    chunk = 50
    for start in range(0, len(targets), chunk):
        part = targets[start : start + chunk]
        proposals = _proposals(engine, part, kind=kind, default_level=default_level)
        counts = _store(
            session,
            kind=kind,
            targets=part,
            proposals=proposals,
            method=engine.mode,
            text_kind=text_kind,
        )
        totals = [a + b for a, b in zip(totals, counts, strict=True)]
        if progress is not None:
            progress(f"Reading {kind} texts", min(start + chunk, len(targets)), len(targets))
    return SuggestionCounts(
        targets=len(targets),
        created=totals[0],
        updated=totals[1],
        skipped_rejected=totals[2],
        skipped_known=totals[3],
        mode=engine.mode,
        note=engine.note,
    )


def _administrator(viewer: Viewer) -> None:
    """Only HR admins tag roles and the catalog."""
    if not viewer.can_administer:
        raise ForbiddenError("only HR administrators tag roles and the catalog")


def suggest_for_roles(
    session: Session,
    *,
    viewer: Viewer,
    role_ids: Sequence[int] | None,
    source: str | None,
    cache_dir: Path,
    use_embeddings: bool = True,
    progress: Progress | None = None,
) -> SuggestionCounts:
    """Read the descriptions of organisation roles (these, or all) and suggest profile lines
    with target levels and importance."""
    _administrator(viewer)
    targets = repository.roles_to_read(session, role_ids)
    if role_ids is not None and len(role_ids) == 1 and not targets:
        found = repository.role_title(session, role_ids[0])
        if found is None:
            raise NotFoundError("no such role")
        raise InvalidInputError(
            "this role has no description to read",
            [Problem("role templates are not tagged; organisation roles need a description")],
        )
    return _run(
        session,
        kind="role",
        targets=targets,
        source=source,
        cache_dir=cache_dir,
        use_embeddings=use_embeddings,
        default_level=DEFAULT_ROLE_LEVEL,
        text_kind="role description",
        progress=progress,
    )


def suggest_for_items(
    session: Session,
    *,
    viewer: Viewer,
    item_ids: Sequence[int] | None,
    source: str | None,
    cache_dir: Path,
    use_embeddings: bool = True,
    progress: Progress | None = None,
) -> SuggestionCounts:
    """Read catalog item descriptions (these, or the whole active catalog) and suggest the
    skills they teach and the level a learner reaches."""
    _administrator(viewer)
    targets = repository.items_to_read(session, item_ids)
    if item_ids is not None and len(item_ids) == 1 and not targets:
        if repository.item_title(session, item_ids[0]) is None:
            raise NotFoundError("no such catalog item")
        raise InvalidInputError(
            "this item has no description to read", [Problem("add a description first")]
        )
    return _run(
        session,
        kind="item",
        targets=targets,
        source=source,
        cache_dir=cache_dir,
        use_embeddings=use_embeddings,
        default_level=DEFAULT_ITEM_LEVEL,
        text_kind="item description",
        progress=progress,
    )


def suggest_for_employee(
    session: Session,
    *,
    viewer: Viewer,
    employee_id: int,
    text: str,
    text_kind: str,
    source: str | None,
    cache_dir: Path,
    use_embeddings: bool = True,
) -> SuggestionCounts:
    """Read a text about a person (CV, profile, project write-up, review) and suggest skills
    as inferred evidence; the person or someone who may see them reviews them."""
    check_text(text)
    if text_kind not in TEXT_KINDS:
        raise InvalidInputError(
            "unknown kind of text",
            [
                Problem(
                    f"must be one of: {', '.join(TEXT_KINDS)}", column="text_kind", value=text_kind
                )
            ],
        )
    if repository.visible_employee_name(session, viewer=viewer, employee_id=employee_id) is None:
        raise NotFoundError("no such person")
    target = repository.TargetText(employee_id, "", text)
    return _run(
        session,
        kind="employee",
        targets=[target],
        source=source,
        cache_dir=cache_dir,
        use_embeddings=use_embeddings,
        default_level=DEFAULT_EVIDENCE_LEVEL,
        text_kind=text_kind,
        progress=None,
    )


def _read(row: repository.ReviewRow) -> SuggestionRead:
    """The public form of a stored suggestion."""
    suggestion, skill_name, role_title, item_title, person, reviewer = row
    target_id = suggestion.role_id or suggestion.item_id or suggestion.employee_id or 0
    title = role_title or item_title or person or ""
    return SuggestionRead(
        id=suggestion.id,
        target_kind=suggestion.target_kind,
        target_id=target_id,
        target_title=title,
        skill_id=suggestion.skill_id,
        skill_name=skill_name,
        level=suggestion.level,
        importance=suggestion.importance,
        score=suggestion.score,
        text_kind=suggestion.text_kind,
        context=suggestion.context,
        span_start=suggestion.span_start,
        span_end=suggestion.span_end,
        found_by=suggestion.found_by,
        method=suggestion.method,
        status=suggestion.status,
        created_at=suggestion.created_at,
        decided_by=reviewer,
        decided_at=suggestion.decided_at,
    )


def review_queue(
    session: Session,
    *,
    viewer: Viewer,
    status: str | None = "suggested",
    kind: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[SuggestionRead], int]:
    """A page of the suggestions the viewer may review, surest first, and their total."""
    rows, total = repository.review_page(
        session, viewer=viewer, status=status, kind=kind, limit=limit, offset=offset
    )
    return [_read(row) for row in rows], total


def suggestions_for(
    session: Session, *, viewer: Viewer, kind: str, target_id: int, status: str | None = "suggested"
) -> list[SuggestionRead]:
    """The suggestions of one role, item or person the viewer may see (none for others)."""
    rows = repository.suggestions_of_target(
        session, viewer=viewer, kind=kind, target_id=target_id, status=status
    )
    return [_read(row) for row in rows]


def decide(
    session: Session, *, viewer: Viewer, suggestion_ids: Sequence[int], accept: bool
) -> DecisionCounts:
    """Accept or reject suggestions. Accepting writes the role profile line, the item skill or
    the evidence row (source "inferred", low confidence); rejecting keeps the suggestion so the
    skill is never suggested again for that target. Suggestions already decided, or not the
    viewer's to decide, are left unchanged."""
    wanted = sorted(set(suggestion_ids))
    chosen = repository.reviewable(session, viewer=viewer, suggestion_ids=wanted)
    now = utcnow()
    written = 0
    for suggestion in chosen:
        suggestion.status = "accepted" if accept else "rejected"
        suggestion.decided_by_id = viewer.user_id
        suggestion.decided_at = now
        if accept:
            written += _write_accepted(session, suggestion, now)
    session.flush()
    return DecisionCounts(
        accepted=len(chosen) if accept else 0,
        rejected=0 if accept else len(chosen),
        written=written,
        unchanged=len(wanted) - len(chosen),
    )


def _write_accepted(session: Session, suggestion: SkillSuggestion, now: object) -> int:
    """Write what an accepted suggestion stands for; 1 if a row was written."""
    level = suggestion.level if suggestion.level is not None else DEFAULT_ROLE_LEVEL
    if suggestion.role_id is not None:
        importance = (
            suggestion.importance if suggestion.importance is not None else ESSENTIAL_IMPORTANCE
        )
        return int(
            repository.add_role_skill(
                session,
                role_id=suggestion.role_id,
                skill_id=suggestion.skill_id,
                level=level,
                importance=importance,
            )
        )
    if suggestion.item_id is not None:
        return int(
            repository.add_item_skill(
                session, item_id=suggestion.item_id, skill_id=suggestion.skill_id, level=level
            )
        )
    if suggestion.employee_id is None:
        return 0
    observed = utcnow()
    confidence = round(max(0.05, INFERRED_CONFIDENCE * suggestion.score), 6)
    span = suggestion.context[suggestion.span_start : suggestion.span_end]
    note = f"Inferred from a {suggestion.text_kind}: “{span}”"[:1000]
    evidence = SkillEvidence(
        employee_id=suggestion.employee_id,
        skill_id=suggestion.skill_id,
        source="inferred",
        rater_id=None,
        level=level,
        confidence=confidence,
        observed_at=observed,
        expires_on=None,
        item_id=None,
        note=note,
        fingerprint=evidence_fingerprint(
            employee_id=suggestion.employee_id,
            skill_id=suggestion.skill_id,
            source="inferred",
            rater_id=None,
            level=level,
            confidence=confidence,
            observed_at=observed,
            expires_on=None,
            note=note,
        ),
    )
    return int(repository.add_evidence(session, evidence))
