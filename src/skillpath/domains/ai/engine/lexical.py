"""TF-IDF over word n-grams: a lexical model of the skills, and the plain reference ranking.

Documents are the texts that describe each skill (its labels, and optionally its description);
a query is scored against every skill at once by one sparse product. The weighting is the usual
smoothed inverse document frequency, `idf = ln((1 + n) / (1 + df)) + 1`, rows L2-normalised,
so a score is the cosine of the query and the skill document.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import sparse

from skillpath.domains.ai.engine.text import STOP_TOKENS, words

FloatMatrix = npt.NDArray[np.float32]


def char_ngrams(tokens: Sequence[str], shortest: int = 3, longest: int = 5) -> list[str]:
    """Character n-grams of each word padded with spaces (typos and word variants still meet:
    "recovery" and "revovery" share most of theirs)."""
    grams: list[str] = []
    for token in tokens:
        padded = f" {token} "
        for n in range(shortest, longest + 1):
            if len(padded) < n:
                break
            grams.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
    return grams


def _terms(tokens: Sequence[str], longest: int, characters: bool) -> list[str]:
    """The terms a tokenised text contributes: word n-grams, or character n-grams."""
    return char_ngrams(tokens) if characters else ngrams(tokens, longest)


def ngrams(tokens: Sequence[str], longest: int) -> list[str]:
    """Every n-gram of 1..longest consecutive tokens, joined by a space; single stopwords are
    left out (they match half the taxonomy and say nothing), phrases keep them."""
    grams = [token for token in tokens if token not in STOP_TOKENS]
    for n in range(2, longest + 1):
        grams.extend(" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
    return grams


@dataclass(frozen=True)
class LexicalIndex:
    """A fitted TF-IDF model: vocabulary, idf weights and the skill × term matrix."""

    vocabulary: dict[str, int]
    idf: npt.NDArray[np.float32]
    matrix: sparse.csr_matrix
    longest_ngram: int
    sublinear: bool
    characters: bool = False
    by_term: sparse.csr_matrix | None = None
    """The transposed matrix (term × skill), kept in CSR so a query product needs no copy."""

    @property
    def size(self) -> int:
        """How many skill documents the index holds."""
        return int(self.matrix.shape[0])


def _weighted_rows(
    token_lists: Sequence[Sequence[str]],
    vocabulary: dict[str, int],
    idf: npt.NDArray[np.float32],
    longest: int,
    sublinear: bool,
    characters: bool,
) -> sparse.csr_matrix:
    """Rows of L2-normalised tf-idf weights for tokenised texts (unknown terms dropped)."""
    indptr = [0]
    indices: list[int] = []
    data: list[float] = []
    for tokens in token_lists:
        counts: dict[int, int] = {}
        for gram in _terms(tokens, longest, characters):
            column = vocabulary.get(gram)
            if column is not None:
                counts[column] = counts.get(column, 0) + 1
        indices.extend(counts)
        data.extend(counts.values())
        indptr.append(len(indices))
    matrix = sparse.csr_matrix(
        (np.asarray(data, dtype=np.float32), np.asarray(indices, dtype=np.int32), indptr),
        shape=(len(token_lists), len(vocabulary)),
        dtype=np.float32,
    )
    if sublinear and matrix.nnz:
        matrix.data = 1.0 + np.log(matrix.data)
    matrix = matrix.multiply(idf[np.newaxis, :]).tocsr()
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    result: sparse.csr_matrix = sparse.diags(1.0 / norms).astype(np.float32) @ matrix
    return result.tocsr()


def build_lexical_index(
    documents: Sequence[str],
    *,
    longest_ngram: int = 2,
    sublinear: bool = False,
    characters: bool = False,
) -> LexicalIndex:
    """Fit TF-IDF on one document per skill (word n-grams, or character 3–5-grams)."""
    token_lists = [words(document) for document in documents]
    document_frequency: dict[str, int] = {}
    for tokens in token_lists:
        for gram in set(_terms(tokens, longest_ngram, characters)):
            document_frequency[gram] = document_frequency.get(gram, 0) + 1
    vocabulary = {gram: column for column, gram in enumerate(sorted(document_frequency))}
    frequencies = np.fromiter(
        (document_frequency[gram] for gram in sorted(document_frequency)),
        dtype=np.float64,
        count=len(vocabulary),
    )
    n = len(documents)
    idf = (np.log((1.0 + n) / (1.0 + frequencies)) + 1.0).astype(np.float32)
    matrix = _weighted_rows(token_lists, vocabulary, idf, longest_ngram, sublinear, characters)
    by_term = sparse.csr_matrix(matrix.T)
    return LexicalIndex(vocabulary, idf, matrix, longest_ngram, sublinear, characters, by_term)


def vectorize(index: LexicalIndex, texts: Sequence[str]) -> sparse.csr_matrix:
    """The tf-idf rows of query texts in the index's vocabulary."""
    return _weighted_rows(
        [words(text) for text in texts],
        index.vocabulary,
        index.idf,
        index.longest_ngram,
        index.sublinear,
        index.characters,
    )


def lexical_scores_sparse(index: LexicalIndex, texts: Sequence[str]) -> sparse.csr_matrix:
    """Cosine of each text with each skill document, as a sparse (texts × skills) matrix (only
    skills sharing a term with the text are stored)."""
    by_term = index.by_term if index.by_term is not None else sparse.csr_matrix(index.matrix.T)
    product: sparse.csr_matrix = (vectorize(index, texts) @ by_term).tocsr()
    return product


def lexical_scores(index: LexicalIndex, texts: Sequence[str]) -> FloatMatrix:
    """Cosine of each text with each skill document: a (texts × skills) matrix in [0, 1]."""
    return np.asarray(lexical_scores_sparse(index, texts).toarray(), dtype=np.float32)
