"""Exact and fuzzy matching of skill labels and aliases in text, with the matched span.

"Fuzzy" is deliberately narrow so that a match is always explainable: case, accents, plural and
verb endings (`text.stem`), punctuation and hyphenation ("full-stack" = "full stack"), and
labels without their parenthesised qualifier ("Java (computer programming)" → "Java"). A phrase
found in the text gives its skills a score of the phrase's weight, lowered when the phrase is
shared by several skills.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import sparse

from skillpath.domains.ai.engine.text import STOPWORDS, Token, strip_qualifier, tokenize, words

PREFERRED_WEIGHT = 1.0
ALTERNATIVE_WEIGHT = 0.9
HIDDEN_WEIGHT = 0.7
UNQUALIFIED_FACTOR = 0.9
"""A label matched without its qualifier counts a little less (the qualifier disambiguates)."""
MAX_PHRASE_TOKENS = 8
MIN_SINGLE_WORD_LENGTH = 2
"""One-letter single-word labels ("R", "C") match only as written in upper case."""


@dataclass(frozen=True, slots=True)
class PhraseHit:
    """A label or alias of a skill found in a text: the skill, the weight and the characters."""

    skill: int
    weight: float
    start: int
    end: int


@dataclass(frozen=True)
class PhraseMatcher:
    """Normalised token sequences of every label and alias → (skill, weight) pairs."""

    phrases: dict[tuple[str, ...], tuple[tuple[int, float], ...]]
    prefixes: frozenset[tuple[str, ...]]
    case_sensitive: dict[str, tuple[int, ...]]
    longest: int
    skill_count: int


def build_phrase_matcher(
    labels: Sequence[str],
    alias_owner: Sequence[int] | npt.NDArray[np.int64],
    alias_labels: Sequence[str],
    alias_hidden: Sequence[bool] | npt.NDArray[np.bool_],
) -> PhraseMatcher:
    """Index the preferred label of every skill and its aliases (hidden ones weigh less)."""
    entries: list[tuple[str, int, float]] = []
    for skill, label in enumerate(labels):
        entries.append((label, skill, PREFERRED_WEIGHT))
    for owner, label, hidden in zip(alias_owner, alias_labels, alias_hidden, strict=True):
        entries.append((label, int(owner), HIDDEN_WEIGHT if hidden else ALTERNATIVE_WEIGHT))
    best: dict[tuple[str, ...], dict[int, float]] = {}
    case_sensitive: dict[str, set[int]] = {}
    for label, skill, weight in entries:
        for variant, factor in _variants(label):
            tokens = tuple(words(variant))
            if not tokens or len(tokens) > MAX_PHRASE_TOKENS:
                continue
            if len(tokens) == 1 and (
                tokens[0] in STOPWORDS or len(tokens[0]) < MIN_SINGLE_WORD_LENGTH
            ):
                # "R" or "C" as a word of a sentence is nearly always a letter, not a language:
                # only the exact, upper-case form counts.
                if variant.strip().isupper() and variant.strip().isalpha():
                    case_sensitive.setdefault(variant.strip(), set()).add(skill)
                continue
            found = best.setdefault(tokens, {})
            found[skill] = max(found.get(skill, 0.0), weight * factor)
    phrases = {
        tokens: tuple(sorted(by_skill.items(), key=lambda item: (-item[1], item[0])))
        for tokens, by_skill in best.items()
    }
    longest = max((len(tokens) for tokens in phrases), default=1)
    prefixes = frozenset(tokens[:n] for tokens in phrases for n in range(1, len(tokens) + 1))
    return PhraseMatcher(
        phrases=phrases,
        prefixes=prefixes,
        case_sensitive={text: tuple(sorted(skills)) for text, skills in case_sensitive.items()},
        longest=longest,
        skill_count=len(labels),
    )


def _variants(label: str) -> Iterable[tuple[str, float]]:
    """The label itself and, when it has a qualifier, the label without it."""
    yield label, 1.0
    bare = strip_qualifier(label)
    if bare and bare != label.strip():
        yield bare, UNQUALIFIED_FACTOR


def find_phrases(
    matcher: PhraseMatcher, text: str, tokens: Sequence[Token] | None = None
) -> list[PhraseHit]:
    """Every label or alias occurring in the text; a phrase shared by k skills weighs 1/√k."""
    tokens = tokenize(text) if tokens is None else tokens
    texts = [token.text for token in tokens]
    hits: list[PhraseHit] = []
    for first in range(len(texts)):
        # Grow the phrase while it is still the start of some label (a trie walk on a set).
        for length in range(1, min(matcher.longest, len(texts) - first) + 1):
            key = tuple(texts[first : first + length])
            if key not in matcher.prefixes:
                break
            owners = matcher.phrases.get(key)
            if owners is None:
                continue
            share = 1.0 / math.sqrt(len(owners))
            start, end = tokens[first].start, tokens[first + length - 1].end
            if (
                text.count("(", start, end) > text.count(")", start, end)
                and text[end : end + 1] == ")"
            ):
                end += 1  # "Java (computer programming)": the closing bracket belongs to it
            hits.extend(PhraseHit(skill, weight * share, start, end) for skill, weight in owners)
        if matcher.case_sensitive:
            original = text[tokens[first].start : tokens[first].end]
            for skill in matcher.case_sensitive.get(original, ()):
                hits.append(
                    PhraseHit(skill, PREFERRED_WEIGHT, tokens[first].start, tokens[first].end)
                )
    return hits


def phrase_hits(
    matcher: PhraseMatcher, texts: Sequence[str]
) -> tuple[sparse.csr_matrix, list[dict[int, tuple[int, int]]]]:
    """For each text, the best phrase weight of every skill found (a sparse texts × skills
    matrix) and the span (start, end) of the longest phrase found for each matched skill."""
    rows: list[int] = []
    columns: list[int] = []
    values: list[float] = []
    spans: list[dict[int, tuple[int, int]]] = []
    for row, text in enumerate(texts):
        best: dict[int, float] = {}
        found: dict[int, tuple[int, int]] = {}
        for hit in find_phrases(matcher, text):
            if hit.weight > best.get(hit.skill, 0.0):
                best[hit.skill] = hit.weight
            previous = found.get(hit.skill)
            if previous is None or hit.end - hit.start > previous[1] - previous[0]:
                found[hit.skill] = (hit.start, hit.end)
        rows.extend([row] * len(best))
        columns.extend(best)
        values.extend(best.values())
        spans.append(found)
    matrix = sparse.csr_matrix(
        (np.asarray(values, dtype=np.float32), (rows, columns)),
        shape=(len(texts), matcher.skill_count),
    )
    return matrix, spans


def phrase_scores(
    matcher: PhraseMatcher, texts: Sequence[str]
) -> tuple[npt.NDArray[np.float32], list[dict[int, tuple[int, int]]]]:
    """`phrase_hits` as a dense (texts × skills) matrix."""
    matrix, spans = phrase_hits(matcher, texts)
    return np.asarray(matrix.toarray(), dtype=np.float32), spans
