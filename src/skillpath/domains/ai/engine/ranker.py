"""Rank the skills of a taxonomy for sentences and documents: fuse the signals, calibrate, explain.

Signals, each a (sentences × skills) matrix:

- `phrase`: a label or alias of the skill occurs in the sentence (`matching`);
- `lexical_labels`: TF-IDF cosine over word uni- and bigrams of the labels and aliases;
- `lexical_documents`: TF-IDF cosine over words of labels, aliases and description;
- `dense`: cosine of sentence and skill-label embeddings (MiniLM);
- `examples`: the skills of the nearest labelled example sentences (a k-nearest-neighbour vote
  over the embeddings of the training sentences shipped as an artefact);
- `prior`: how many role profiles ask for the skill (log-scaled to [0, 1], per skill).

The fused score is their weighted sum; its confidence is a logistic function of the fused score
fitted on training sentences (`RankingModel.calibration`), so that of the suggestions given 0.7,
about 70 % are right. Each suggestion carries the span of the sentence that supports
it: the label or alias found, else the clause sharing the most informative words with the skill,
else (embeddings on) the clause whose embedding is closest, else the whole sentence.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, TypeAlias

import numpy as np
import numpy.typing as npt
from scipy import sparse

from skillpath.domains.ai.engine.lexical import LexicalIndex, lexical_scores_sparse
from skillpath.domains.ai.engine.matching import PhraseMatcher, phrase_hits
from skillpath.domains.ai.engine.text import STOPWORDS, split_clauses, split_sentences, words

FloatMatrix = npt.NDArray[np.float32]
FloatVector = npt.NDArray[np.float32]
SIGNALS = ("phrase", "lexical_labels", "lexical_documents", "dense", "examples", "prior")


@dataclass(frozen=True)
class ExampleMemory:
    """Labelled example sentences: unit-length embeddings and, per example, its skills.

    `labels` is a sparse (examples × skills) 0/1 matrix in the skill index's column order.
    """

    embeddings: FloatMatrix
    labels: sparse.csr_matrix
    neighbours: int = 10
    power: float = 4.0

    def __post_init__(self) -> None:
        """Check shapes and parameters."""
        if self.embeddings.ndim != 2 or self.labels.shape[0] != self.embeddings.shape[0]:
            raise ValueError("one label row per example embedding is needed")
        if self.neighbours < 1 or self.power <= 0:
            raise ValueError("neighbours must be at least 1 and the power positive")


def example_scores(memory: ExampleMemory, queries: FloatMatrix) -> FloatMatrix:
    """For each query, the similarity-weighted vote of its nearest examples for each skill,
    scaled so the best skill of a row scores its best neighbour's weight (rows in [0, 1])."""
    rows = queries.shape[0]
    skills = memory.labels.shape[1]
    count = memory.embeddings.shape[0]
    if rows == 0 or count == 0:
        return np.zeros((rows, skills), dtype=np.float32)
    k = min(memory.neighbours, count)
    similarity = queries @ memory.embeddings.T
    nearest = np.argpartition(-similarity, k - 1, axis=1)[:, :k]
    weights = np.clip(np.take_along_axis(similarity, nearest, axis=1), 0.0, 1.0) ** memory.power
    vote = sparse.csr_matrix(
        (weights.ravel().astype(np.float32), nearest.ravel(), np.arange(0, rows * k + 1, k)),
        shape=(rows, count),
    )
    scores = np.asarray((vote @ memory.labels).toarray(), dtype=np.float32)
    top = scores.max(axis=1, keepdims=True)
    best = weights.max(axis=1, keepdims=True).astype(np.float32)
    scale = np.divide(best, top, out=np.zeros_like(top), where=top > 0)
    return np.asarray(scores * scale, dtype=np.float32)


@dataclass(frozen=True)
class SkillIndex:
    """Everything the ranker knows about the skills of one taxonomy source, as arrays."""

    external_ids: tuple[str, ...]
    labels: tuple[str, ...]
    lexical_labels: LexicalIndex
    lexical_documents: LexicalIndex
    phrases: PhraseMatcher
    label_words: tuple[frozenset[str], ...]
    """Normalised informative words of each skill's labels and aliases (to find spans)."""
    embeddings: FloatMatrix | None = None
    """Unit-length skill embeddings, or None on the lexical path."""
    prior: FloatVector | None = None
    """Per-skill prior in [0, 1] (0 = asked for by no role profile), or None."""
    examples: ExampleMemory | None = None
    """Labelled example sentences (embeddings path only), or None."""

    def __post_init__(self) -> None:
        """Check that every array describes the same skills."""
        n = len(self.external_ids)
        if len(self.labels) != n or len(self.label_words) != n:
            raise ValueError("labels and label words must have one entry per skill")
        if self.lexical_labels.size != n or self.lexical_documents.size != n:
            raise ValueError("lexical indexes must have one row per skill")
        if self.phrases.skill_count != n:
            raise ValueError("the phrase matcher must know every skill")
        if self.embeddings is not None and self.embeddings.shape[0] != n:
            raise ValueError("embeddings must have one row per skill")
        if self.prior is not None and self.prior.shape != (n,):
            raise ValueError("the prior must have one value per skill")
        if self.examples is not None and self.examples.labels.shape[1] != n:
            raise ValueError("example labels must have one column per skill")

    @property
    def size(self) -> int:
        """How many skills the index ranks."""
        return len(self.external_ids)

    @cached_property
    def word_idf(self) -> dict[str, float]:
        """Inverse document frequency of every single word of the description index."""
        return word_weights(self.lexical_documents)


@dataclass(frozen=True)
class RankingModel:
    """Fusion weights, calibration and the query-side adapter, for one path (dense or lexical)."""

    weights: dict[str, float]
    calibration: tuple[float, float] = (8.0, -4.0)
    """(slope, intercept) of confidence = 1 / (1 + exp(-(slope × fused + intercept)))."""
    query_adapter: FloatMatrix | None = None
    """Residual linear map of sentence embeddings: q ↦ normalise(q + q·W)."""
    name: str = "default"
    notes: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        """Refuse unknown signals and non-finite weights."""
        unknown = set(self.weights) - set(SIGNALS)
        if unknown:
            raise ValueError(f"unknown signals: {sorted(unknown)}")
        if not all(math.isfinite(value) for value in self.weights.values()):
            raise ValueError("weights must be finite")
        if not all(math.isfinite(value) for value in self.calibration):
            raise ValueError("calibration must be finite")


@dataclass(frozen=True, slots=True)
class SkillMatch:
    """One suggested skill for a text: index in the skill index, confidence, supporting span."""

    skill: int
    confidence: float
    start: int
    end: int
    source: str
    """What found the span: 'label' (a label or alias), 'words', 'meaning' or 'sentence'."""


def adapt(embeddings: FloatMatrix, adapter: FloatMatrix | None) -> FloatMatrix:
    """Apply a residual linear adapter and return unit-length rows."""
    vectors = np.asarray(embeddings, dtype=np.float32)
    if adapter is not None:
        vectors = vectors + vectors @ adapter
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return np.asarray(vectors / norms, dtype=np.float32)


Signal: TypeAlias = FloatMatrix | sparse.csr_matrix


def _signals(
    index: SkillIndex,
    sentences: Sequence[str],
    *,
    query_embeddings: FloatMatrix | None,
    model: RankingModel,
) -> tuple[dict[str, Signal], list[dict[int, tuple[int, int]]]]:
    """Every signal the model weighs (lexical ones sparse, dense ones dense) and phrase spans."""
    weights = model.weights
    signals: dict[str, Signal] = {}
    phrase, spans = phrase_hits(index.phrases, sentences)
    signals["phrase"] = phrase
    if weights.get("lexical_labels", 0.0):
        signals["lexical_labels"] = lexical_scores_sparse(index.lexical_labels, sentences)
    if weights.get("lexical_documents", 0.0):
        signals["lexical_documents"] = lexical_scores_sparse(index.lexical_documents, sentences)
    wants_dense = bool(weights.get("dense", 0.0))
    wants_examples = bool(weights.get("examples", 0.0)) and index.examples is not None
    if query_embeddings is not None and (wants_dense or wants_examples):
        if index.embeddings is None:
            raise ValueError("query embeddings given but the index has no skill embeddings")
        if query_embeddings.shape[0] != len(sentences):
            raise ValueError("one query embedding per sentence is needed")
        queries = adapt(query_embeddings, model.query_adapter)
        if wants_dense:
            signals["dense"] = queries @ index.embeddings.T
        if wants_examples and index.examples is not None:
            signals["examples"] = example_scores(index.examples, queries)
    return signals, spans


def _dense(matrix: Any) -> FloatMatrix:
    """A signal as a dense float32 matrix."""
    if sparse.issparse(matrix):
        return np.asarray(matrix.toarray(), dtype=np.float32)
    return np.asarray(matrix, dtype=np.float32)


def signal_matrices(
    index: SkillIndex,
    sentences: Sequence[str],
    *,
    query_embeddings: FloatMatrix | None,
    model: RankingModel,
) -> tuple[dict[str, FloatMatrix], list[dict[int, tuple[int, int]]]]:
    """Every signal the model weighs, as dense (sentences × skills) matrices, and phrase spans."""
    signals, spans = _signals(index, sentences, query_embeddings=query_embeddings, model=model)
    return {name: _dense(matrix) for name, matrix in signals.items()}, spans


def _top_sparse(
    index: SkillIndex, signals: dict[str, Signal], model: RankingModel, top: int
) -> tuple[npt.NDArray[np.int64], FloatMatrix]:
    """The `top` skills of each row and their fused scores when every signal is sparse: the
    same answer as `top_skills(fuse(...))`, computed over each row's non-zero skills and the
    skills with the highest prior (the only others that can make the top)."""
    rows = next(iter(signals.values())).shape[0]
    total = sparse.csr_matrix((rows, index.size), dtype=np.float32)
    for name, matrix in signals.items():
        weight = model.weights.get(name, 0.0)
        if weight:
            total = total + np.float32(weight) * matrix
    total = sparse.csr_matrix(total)
    prior_weight = model.weights.get("prior", 0.0)
    prior = (
        np.float32(prior_weight) * index.prior
        if prior_weight and index.prior is not None
        else np.zeros(index.size, dtype=np.float32)
    )
    # Skills by their fused score without any signal (the scaled prior), ties by index.
    order = np.lexsort((np.arange(index.size), -prior)) if prior.any() else None
    count = min(top, index.size)
    best = np.zeros((rows, count), dtype=np.int64)
    scores = np.zeros((rows, count), dtype=np.float32)
    taken = np.zeros(index.size, dtype=bool)
    ranked = order if order is not None else np.arange(index.size, dtype=np.int64)
    for row in range(rows):
        start, end = total.indptr[row], total.indptr[row + 1]
        columns = total.indices[start:end].astype(np.int64)
        values = (total.data[start:end] + prior[columns]).astype(np.float32)
        if columns.size > count:
            # Only values reaching the count-th largest can be chosen (ties kept).
            cut = np.partition(values, columns.size - count)[columns.size - count]
            keep = values >= cut
            chosen_columns, chosen_values = columns[keep], values[keep]
        else:
            chosen_columns, chosen_values = columns, values
        taken[columns] = True
        others = ranked[: count + columns.size]
        others = others[~taken[others]][:count]
        taken[columns] = False
        candidates = np.concatenate([chosen_columns, others])
        fused = np.concatenate([chosen_values, prior[others]])
        picked = np.lexsort((candidates, -fused))[:count]
        best[row] = candidates[picked]
        scores[row] = fused[picked]
    return best, scores


def fuse(index: SkillIndex, signals: dict[str, FloatMatrix], model: RankingModel) -> FloatMatrix:
    """The weighted sum of the signals (missing ones count as 0), plus the prior."""
    rows = next(iter(signals.values())).shape[0] if signals else 0
    fused = np.zeros((rows, index.size), dtype=np.float32)
    for name, matrix in signals.items():
        weight = model.weights.get(name, 0.0)
        if weight:
            fused += np.float32(weight) * matrix
    prior_weight = model.weights.get("prior", 0.0)
    if prior_weight and index.prior is not None:
        fused += np.float32(prior_weight) * index.prior[np.newaxis, :]
    return fused


def confidence(model: RankingModel, fused: npt.NDArray[np.floating]) -> FloatMatrix:
    """Calibrated probability that a suggestion is right, from its fused score."""
    slope, intercept = model.calibration
    logits = np.clip(slope * np.asarray(fused, dtype=np.float64) + intercept, -60.0, 60.0)
    return np.asarray(1.0 / (1.0 + np.exp(-logits)), dtype=np.float32)


def top_skills(fused: FloatMatrix, top: int) -> npt.NDArray[np.int64]:
    """Indexes of the `top` best skills of each row, best first; among equal scores the lower
    index wins, both in the order and in which skills make the cut."""
    rows, size = fused.shape
    if top <= 0 or size == 0:
        return np.zeros((rows, 0), dtype=np.int64)
    count = min(top, size)
    kth = np.partition(fused, size - count, axis=1)[:, size - count]
    best = np.zeros((rows, count), dtype=np.int64)
    for row in range(rows):
        values = fused[row]
        above = np.flatnonzero(values > kth[row])
        tied = np.flatnonzero(values == kth[row])[: count - above.size]
        chosen = np.concatenate([above, tied])
        best[row] = chosen[np.lexsort((chosen, -values[chosen]))]
    return best


def rank_sentences(
    index: SkillIndex,
    sentences: Sequence[str],
    *,
    model: RankingModel,
    query_embeddings: FloatMatrix | None = None,
    clause_embeddings: Sequence[FloatMatrix] | None = None,
    top: int = 10,
    idf: dict[str, float] | None = None,
) -> list[list[SkillMatch]]:
    """The `top` skills of each sentence, best first, with confidence and supporting span.

    `clause_embeddings[i]` (optional) holds the raw embeddings of `split_clauses(sentences[i])`,
    used only to point at the clause that supports a skill found by meaning alone.
    """
    if not sentences:
        return []
    signals, spans = _signals(index, sentences, query_embeddings=query_embeddings, model=model)
    if top > 0 and index.size and all(sparse.issparse(m) for m in signals.values()):
        best, scores = _top_sparse(index, signals, model, top)
    else:
        fused = fuse(index, {name: _dense(m) for name, m in signals.items()}, model)
        best = top_skills(fused, top)
        scores = np.take_along_axis(fused, best, axis=1)
    sure = confidence(model, scores)
    weights_of_words = idf if idf is not None else index.word_idf
    results: list[list[SkillMatch]] = []
    for row, sentence in enumerate(sentences):
        clauses = split_clauses(sentence)
        clause_words = [set(words(sentence[start:end])) for start, end in clauses]
        adapted_clauses = (
            adapt(clause_embeddings[row], model.query_adapter)
            if clause_embeddings is not None and index.embeddings is not None
            else None
        )
        matches = []
        for rank, skill in enumerate(best[row]):
            start, end, source = _span(
                index,
                int(skill),
                sentence,
                spans[row],
                clauses,
                clause_words,
                adapted_clauses,
                weights_of_words,
            )
            matches.append(SkillMatch(int(skill), float(sure[row, rank]), start, end, source))
        results.append(matches)
    return results


def word_weights(lexical: LexicalIndex) -> dict[str, float]:
    """Inverse document frequency of every single word of a lexical index."""
    return {
        term: float(lexical.idf[column])
        for term, column in lexical.vocabulary.items()
        if " " not in term
    }


def _span(
    index: SkillIndex,
    skill: int,
    sentence: str,
    phrase_spans: dict[int, tuple[int, int]],
    clauses: list[tuple[int, int]],
    clause_words: list[set[str]],
    clause_embeddings: FloatMatrix | None,
    idf: dict[str, float],
) -> tuple[int, int, str]:
    """Where in the sentence the evidence for a skill is, and what kind of evidence it is."""
    found = phrase_spans.get(skill)
    if found is not None:
        return found[0], found[1], "label"
    wanted = index.label_words[skill]
    overlaps = [
        sum(idf.get(word, 1.0) for word in present & wanted if word not in STOPWORDS)
        for present in clause_words
    ]
    best = int(np.argmax(overlaps))
    if overlaps[best] > 0:
        return clauses[best][0], clauses[best][1], "words"
    if clause_embeddings is not None and index.embeddings is not None and len(clauses) > 1:
        closest = int(np.argmax(clause_embeddings @ index.embeddings[skill]))
        return clauses[closest][0], clauses[closest][1], "meaning"
    return 0, len(sentence), "sentence"


@dataclass(frozen=True, slots=True)
class DocumentMatch:
    """A skill suggested for a whole document: its best sentence's match and how often it came."""

    skill: int
    confidence: float
    start: int
    end: int
    source: str
    mentions: int


def sentence_offsets(document: str) -> list[tuple[int, int]]:
    """The (start, end) offsets of the sentences the ranker reads in a document."""
    return split_sentences(document)


def aggregate_document(
    per_sentence: Sequence[Sequence[SkillMatch]],
    offsets: Sequence[tuple[int, int]],
    *,
    top: int,
) -> list[DocumentMatch]:
    """Combine sentence suggestions into document suggestions.

    A skill's document confidence is the best of its sentences' (a skill stated once clearly is
    there); further sentences suggesting it only break ties (`mentions`). Spans are shifted to
    document offsets and point at the best sentence.
    """
    if len(per_sentence) != len(offsets):
        raise ValueError("one list of matches per sentence is needed")
    best: dict[int, DocumentMatch] = {}
    for matches, (base, _end) in zip(per_sentence, offsets, strict=True):
        for match in matches:
            previous = best.get(match.skill)
            mentions = 1 if previous is None else previous.mentions + 1
            if previous is None or match.confidence > previous.confidence:
                best[match.skill] = DocumentMatch(
                    match.skill,
                    match.confidence,
                    base + match.start,
                    base + match.end,
                    match.source,
                    mentions,
                )
            else:
                best[match.skill] = DocumentMatch(
                    previous.skill,
                    previous.confidence,
                    previous.start,
                    previous.end,
                    previous.source,
                    mentions,
                )
    ordered = sorted(best.values(), key=lambda m: (-m.confidence, -m.mentions, m.skill))
    return ordered[:top]
