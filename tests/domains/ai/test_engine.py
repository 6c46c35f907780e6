"""The pure ranking engine on a small taxonomy: phrases, spans, fusion, calibration, documents."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skillpath.domains.ai.engine.matching import find_phrases
from skillpath.domains.ai.engine.ranker import (
    RankingModel,
    SkillMatch,
    aggregate_document,
    confidence,
    example_scores,
    fuse,
    rank_sentences,
    sentence_offsets,
    signal_matrices,
    top_skills,
)
from skillpath.domains.ai.engine.text import split_clauses, split_sentences, stem, tokenize
from tests.domains.ai.small_taxonomy import SKILLS, HashEncoder, small_index

LEXICAL = RankingModel(weights={"phrase": 0.3, "lexical_labels": 0.5, "lexical_documents": 0.2})
DENSE = RankingModel(
    weights={"phrase": 0.2, "lexical_labels": 0.3, "lexical_documents": 0.1, "dense": 0.4}
)


def labels_of(matches: list[SkillMatch]) -> list[str]:
    """The preferred labels of ranked matches."""
    return [SKILLS[m.skill][1] for m in matches]


def test_stemmer_merges_endings_but_not_distinct_words() -> None:
    """Stemmer merges endings but not distinct words."""
    assert stem("developing") == stem("develops") == "develop"
    assert stem("libraries") == "library"
    assert stem("running") == "run"
    assert stem("analysis") == "analysis"
    assert stem("sql") == "sql"


def test_tokens_keep_offsets_into_the_original_text() -> None:
    """Tokens keep offsets into the original text."""
    text = "Café  C++ and node.js"
    tokens = tokenize(text)
    assert [t.text for t in tokens] == ["cafe", "c++", "and", "node", "js"]
    assert [text[t.start : t.end] for t in tokens] == ["Café", "C++", "and", "node", "js"]


def test_lexical_path_finds_a_label_and_its_span() -> None:
    """Lexical path finds a label and its span."""
    index = small_index()
    sentence = "You will write Java services and tune SQL queries."
    (matches,) = rank_sentences(index, [sentence], model=LEXICAL, top=3)
    assert set(labels_of(matches)[:2]) == {"Java (computer programming)", "SQL"}
    spans = {SKILLS[m.skill][1]: sentence[m.start : m.end] for m in matches}
    assert spans["SQL"] == "SQL"
    assert spans["Java (computer programming)"] == "Java"
    assert all(m.source == "label" for m in matches[:2])


def test_aliases_and_hidden_misspellings_match() -> None:
    """Aliases and hidden misspellings match."""
    index = small_index()
    (matches,) = rank_sentences(index, ["Experience with exel and swine handling"], model=LEXICAL)
    assert set(labels_of(matches)[:2]) == {"use spreadsheets software", "handle pigs"}


def test_one_letter_labels_match_only_in_upper_case() -> None:
    """One letter labels match only in upper case."""
    index = small_index()
    assert any(SKILLS[h.skill][1] == "R" for h in find_phrases(index.phrases, "We use R daily"))
    assert not any(SKILLS[h.skill][1] == "R" for h in find_phrases(index.phrases, "r and b"))


def test_dense_signal_needs_skill_embeddings() -> None:
    """Dense signal needs skill embeddings."""
    index = small_index()
    queries = HashEncoder().encode(["java"])
    with pytest.raises(ValueError, match="no skill embeddings"):
        signal_matrices(index, ["java"], query_embeddings=queries, model=DENSE)


def test_dense_path_ranks_by_meaning_and_points_at_a_clause() -> None:
    """Dense path ranks by meaning and points at a clause."""
    index = small_index(dense=True)
    encoder = HashEncoder()
    sentence = "Friendly with every customer, and careful with pigs"
    clauses = [sentence[a:b] for a, b in split_clauses(sentence)]
    (matches,) = rank_sentences(
        index,
        [sentence],
        model=DENSE,
        query_embeddings=encoder.encode([sentence]),
        clause_embeddings=[encoder.encode(clauses)],
        top=2,
    )
    assert set(labels_of(matches)) == {"customer service", "handle pigs"}
    for match in matches:
        assert 0 <= match.start < match.end <= len(sentence)
        assert match.source in {"label", "words", "meaning"}


def test_examples_vote_for_the_skills_of_the_nearest_sentence() -> None:
    """Examples vote for the skills of the nearest sentence."""
    index = small_index(examples=True)
    assert index.examples is not None
    scores = example_scores(index.examples, HashEncoder().encode(["swine farm work"]))
    assert int(np.argmax(scores[0])) == 3
    assert 0.0 < scores[0].max() <= 1.0
    assert scores[0, 2] == 0.0  # the other example is not among the neighbours
    model = RankingModel(weights={"examples": 1.0})
    (matches,) = rank_sentences(
        index,
        ["swine farm work"],
        model=model,
        query_embeddings=HashEncoder().encode(["swine farm work"]),
        top=1,
    )
    assert labels_of(matches) == ["handle pigs"]


def test_prior_breaks_ties_towards_skills_roles_ask_for() -> None:
    """Prior breaks ties towards skills roles ask for."""
    index = small_index()
    model = RankingModel(weights={"prior": 1.0})
    (matches,) = rank_sentences(index, ["nothing relevant here"], model=model, top=2)
    assert labels_of(matches) == ["SQL", "use spreadsheets software"]


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(-50, 50, allow_nan=False), min_size=1, max_size=20))
def test_confidence_is_bounded_and_monotone(values: list[float]) -> None:
    """Confidence is bounded and monotone."""
    model = RankingModel(weights={"phrase": 1.0}, calibration=(6.0, -3.0))
    fused = np.asarray(sorted(values), dtype=np.float32)[np.newaxis, :]
    sure = confidence(model, fused)[0]
    assert np.all((sure >= 0.0) & (sure <= 1.0))
    assert np.all(np.diff(sure) >= 0)


@settings(max_examples=30, deadline=None)
@given(st.text(max_size=200))
def test_any_text_ranks_with_spans_inside_it(text: str) -> None:
    """Any text ranks with spans inside it."""
    index = small_index()
    results = rank_sentences(index, [text], model=LEXICAL, top=3)
    assert len(results) == 1
    for match in results[0]:
        assert 0 <= match.start <= match.end <= len(text)
        assert 0.0 <= match.confidence <= 1.0


def test_top_skills_orders_best_first_with_stable_ties() -> None:
    """Top skills orders best first with stable ties."""
    fused = np.asarray([[0.1, 0.9, 0.5, 0.9]], dtype=np.float32)
    assert top_skills(fused, 3).tolist() == [[1, 3, 2]]
    assert top_skills(fused, 0).shape == (1, 0)


def test_model_refuses_unknown_signals_and_bad_numbers() -> None:
    """Model refuses unknown signals and bad numbers."""
    with pytest.raises(ValueError, match="unknown signals"):
        RankingModel(weights={"magic": 1.0})
    with pytest.raises(ValueError, match="finite"):
        RankingModel(weights={"phrase": float("nan")})


def test_documents_split_into_sentences_and_aggregate() -> None:
    """Documents split into sentences and aggregate."""
    document = "Requirements:\n• Java and SQL\n• Strong customer service. Nice to have: Python."
    offsets = sentence_offsets(document)
    sentences = [document[a:b] for a, b in offsets]
    assert sentences == [
        "Requirements:",
        "Java and SQL",
        "Strong customer service.",
        "Nice to have: Python.",
    ]
    index = small_index()
    per = rank_sentences(index, sentences, model=LEXICAL, top=3)
    found = aggregate_document(per, offsets, top=10)
    names = {SKILLS[m.skill][1] for m in found}
    assert {"Java (computer programming)", "SQL", "customer service"} <= names
    for match in found:
        assert document[match.start : match.end].strip()
    with pytest.raises(ValueError, match="one list"):
        aggregate_document(per, offsets[:1], top=3)


def test_long_lines_are_cut_into_windows() -> None:
    """Long lines are cut into windows."""
    line = " ".join(f"word{n}" for n in range(130))
    windows = split_sentences(line)
    assert len(windows) == 3
    assert windows[0][0] == 0
    assert windows[-1][1] == len(line)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.sampled_from(["java", "SQL", "pigs", "customer", "exel", "R", "swine", "query", "the"]),
        max_size=8,
    ),
    st.integers(1, 7),
    st.floats(0.0, 1.0),
)
def test_sparse_top_equals_the_dense_reference(words_: list[str], top: int, prior: float) -> None:
    """The fast lexical path picks exactly what fusing every skill densely picks."""
    index = small_index()
    model = RankingModel(
        weights={"phrase": 0.3, "lexical_labels": 0.4, "lexical_documents": 0.2, "prior": prior}
    )
    sentences = [" ".join(words_), "nothing at all"]
    signals, _ = signal_matrices(index, sentences, query_embeddings=None, model=model)
    reference = top_skills(fuse(index, signals, model), top)
    fast = [
        [m.skill for m in row] for row in rank_sentences(index, sentences, model=model, top=top)
    ]
    fused = fuse(index, signals, model)
    for row, expected in enumerate(reference.tolist()):
        got = fast[row]
        assert np.allclose(fused[row, got], fused[row, expected])
        assert got == expected
