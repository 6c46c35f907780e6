"""Job titles → roles: character and word TF-IDF over every title and alternate title (the best
entry of a role counts), plus the cosine of title embeddings when they are available."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from skillpath.domains.ai.engine.lexical import LexicalIndex, build_lexical_index, lexical_scores
from skillpath.domains.ai.engine.ranker import FloatMatrix, adapt, top_skills

TITLE_SIGNALS = ("characters", "words", "dense")
DEFAULT_TITLE_WEIGHTS = {"characters": 0.5, "words": 0.5, "dense": 1.0}


@dataclass(frozen=True)
class TitleIndex:
    """Titles and alternate titles of roles; `owner[e]` is the role of entry e."""

    titles: tuple[str, ...]
    entries: tuple[str, ...]
    owner: npt.NDArray[np.int64]
    characters: LexicalIndex
    words: LexicalIndex
    embeddings: FloatMatrix | None
    """Unit-length embeddings of each role's main title, or None on the lexical path."""

    @property
    def size(self) -> int:
        """How many roles the index ranks."""
        return len(self.titles)


@dataclass(frozen=True, slots=True)
class TitleMatch:
    """A role for a job title: its position in the index, a score in [0, 1], the entry matched."""

    role: int
    score: float
    entry: int


def build_title_index(
    *,
    titles: Sequence[str],
    alias_owner: Sequence[int],
    alias_titles: Sequence[str],
    embeddings: FloatMatrix | None = None,
) -> TitleIndex:
    """Index role titles and their alternate titles."""
    entries = list(titles) + list(alias_titles)
    owner = np.concatenate(
        [np.arange(len(titles), dtype=np.int64), np.asarray(alias_owner, dtype=np.int64)]
    )
    if owner.size and (owner.min() < 0 or owner.max() >= max(len(titles), 1)):
        raise ValueError("an alternate title belongs to no role")
    return TitleIndex(
        titles=tuple(titles),
        entries=tuple(entries),
        owner=owner,
        characters=build_lexical_index(entries, characters=True),
        words=build_lexical_index(entries, longest_ngram=2),
        embeddings=adapt(embeddings, None) if embeddings is not None else None,
    )


def _best_per_role(
    index: TitleIndex, scores: FloatMatrix
) -> tuple[FloatMatrix, npt.NDArray[np.int64]]:
    """The best entry score of each role, and which entry it was."""
    rows = scores.shape[0]
    best = np.zeros((rows, index.size), dtype=np.float32)
    which = np.broadcast_to(np.arange(index.size, dtype=np.int64), (rows, index.size)).copy()
    if index.size == 0:
        return best, which
    order = np.argsort(index.owner, kind="stable")
    owners = index.owner[order]
    starts = np.r_[0, np.flatnonzero(np.diff(owners)) + 1]
    ordered = scores[:, order]
    best[:, owners[starts]] = np.maximum.reduceat(ordered, starts, axis=1)
    for row in range(rows):
        # First entry (in index order) reaching the role's best score.
        hits = np.flatnonzero(ordered[row] >= best[row, owners])
        seen: set[int] = set()
        for position in hits:
            role = int(owners[position])
            if role not in seen:
                seen.add(role)
                which[row, role] = int(order[position])
    return best, which


def rank_titles(
    index: TitleIndex,
    titles: Sequence[str],
    *,
    query_embeddings: FloatMatrix | None = None,
    weights: dict[str, float] | None = None,
    top: int = 5,
    allowed: npt.NDArray[np.bool_] | None = None,
) -> list[list[TitleMatch]]:
    """The `top` roles of each title (only `allowed` ones when given), best first; a score is
    the weighted mean of the signals, in [0, 1]."""
    if not titles:
        return []
    chosen = {**DEFAULT_TITLE_WEIGHTS, **(weights or {})}
    characters, which = _best_per_role(index, lexical_scores(index.characters, titles))
    by_words, _ = _best_per_role(index, lexical_scores(index.words, titles))
    fused = chosen["characters"] * characters + chosen["words"] * by_words
    total = chosen["characters"] + chosen["words"]
    if query_embeddings is not None and index.embeddings is not None and chosen["dense"]:
        dense = np.clip(adapt(query_embeddings, None) @ index.embeddings.T, 0.0, 1.0)
        fused = fused + chosen["dense"] * dense
        total += chosen["dense"]
    fused = np.asarray(fused / max(total, 1e-9), dtype=np.float32)
    if allowed is not None:
        fused = np.where(allowed[np.newaxis, :], fused, np.float32(-1.0))
    best = top_skills(fused, top)
    results = []
    for row in range(len(titles)):
        matches = [
            TitleMatch(int(role), float(np.clip(fused[row, role], 0.0, 1.0)), int(which[row, role]))
            for role in best[row]
            if fused[row, role] > 0
        ]
        results.append(matches)
    return results
