"""Build a `SkillIndex` from the texts of a taxonomy and (optionally) their embeddings."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from scipy import sparse

from skillpath.domains.ai.engine.lexical import build_lexical_index
from skillpath.domains.ai.engine.matching import build_phrase_matcher
from skillpath.domains.ai.engine.ranker import ExampleMemory, FloatMatrix, SkillIndex, adapt
from skillpath.domains.ai.engine.text import STOPWORDS, words


def label_documents(
    labels: Sequence[str], alias_owner: Sequence[int], alias_labels: Sequence[str]
) -> list[str]:
    """One text per skill: its preferred label and every alias, one per line."""
    documents = [[label] for label in labels]
    for owner, alias in zip(alias_owner, alias_labels, strict=True):
        documents[owner].append(alias)
    return ["\n".join(parts) for parts in documents]


def skill_embedding_texts(labels: Sequence[str], descriptions: Sequence[str]) -> list[str]:
    """The text embedded for each skill: its preferred label (descriptions are read lexically)."""
    del descriptions
    return list(labels)


def build_skill_index(
    *,
    external_ids: Sequence[str],
    labels: Sequence[str],
    descriptions: Sequence[str],
    alias_owner: Sequence[int],
    alias_labels: Sequence[str],
    alias_hidden: Sequence[bool],
    embeddings: FloatMatrix | None = None,
    skill_adapter: FloatMatrix | None = None,
    prior: npt.NDArray[np.float32] | None = None,
    examples: ExampleMemory | None = None,
) -> SkillIndex:
    """Fit the lexical models and the phrase matcher, and adapt the skill embeddings."""
    n = len(labels)
    if len(external_ids) != n or len(descriptions) != n:
        raise ValueError("one external id, label and description per skill is needed")
    if any(owner < 0 or owner >= n for owner in alias_owner):
        raise ValueError("an alias belongs to no skill")
    by_label = label_documents(labels, alias_owner, alias_labels)
    with_descriptions = [
        f"{document}\n{description}"
        for document, description in zip(by_label, descriptions, strict=True)
    ]
    label_words = [set(words(label)) for label in labels]
    for owner, alias in zip(alias_owner, alias_labels, strict=True):
        label_words[owner].update(words(alias))
    adapted = adapt(embeddings, skill_adapter) if embeddings is not None else None
    return SkillIndex(
        external_ids=tuple(external_ids),
        labels=tuple(labels),
        lexical_labels=build_lexical_index(by_label, longest_ngram=2),
        lexical_documents=build_lexical_index(with_descriptions, longest_ngram=1, sublinear=True),
        phrases=build_phrase_matcher(labels, alias_owner, alias_labels, alias_hidden),
        label_words=tuple(
            frozenset(w for w in found if w not in STOPWORDS) for found in label_words
        ),
        embeddings=adapted,
        prior=prior,
        examples=examples if adapted is not None else None,
    )


def example_memory(
    *,
    embeddings: FloatMatrix,
    example_skills: Sequence[Sequence[str]],
    external_ids: Sequence[str],
    neighbours: int,
    power: float,
) -> ExampleMemory:
    """Labelled example sentences in the column order of a skill index: each example's skills
    are given by external id; ids the index does not hold are left out."""
    if len(example_skills) != embeddings.shape[0]:
        raise ValueError("one skill list per example embedding is needed")
    column = {uri: n for n, uri in enumerate(external_ids)}
    rows: list[int] = []
    columns: list[int] = []
    for row, uris in enumerate(example_skills):
        found = sorted({column[uri] for uri in uris if uri in column})
        rows.extend([row] * len(found))
        columns.extend(found)
    labels = sparse.csr_matrix(
        (np.ones(len(rows), dtype=np.float32), (rows, columns)),
        shape=(embeddings.shape[0], len(external_ids)),
    )
    vectors = adapt(np.asarray(embeddings, dtype=np.float32), None)
    return ExampleMemory(vectors, labels, neighbours=neighbours, power=power)


def role_prior(counts: npt.NDArray[np.float64]) -> npt.NDArray[np.float32]:
    """A per-skill prior in [0, 1] from how much role profiles ask for each skill (summed
    importance): log(1 + count) / log(1 + max count); all zeros when no profile asks."""
    values = np.asarray(counts, dtype=np.float64)
    if values.size and (values < 0).any():
        raise ValueError("counts must not be negative")
    top = float(values.max()) if values.size else 0.0
    if top <= 0:
        return np.zeros(values.shape, dtype=np.float32)
    return np.asarray(np.log1p(values) / np.log1p(top), dtype=np.float32)
