"""B7: text → skills against the full ESCO v1.1.0 (13,891 skills).

Imports ESCO from ../shared/data into a scratch SQLite database, then measures:

- model load time of the packaged all-MiniLM-L6-v2 in a fresh process (imports included);
- index build time for full ESCO: the lexical part, the label embeddings computed from scratch,
  and the same index read back from its on-disk cache;
- sentences per second after load, on the lexical path and on the embeddings path, through the
  service the CLI and API use (spans and calibrated confidences included), on SkillSkape dev
  sentences;
- peak memory of the process.

The reference is the plain way: a per-sentence Python loop computing the TF-IDF cosine of the
sentence with every skill's labels from dictionaries. It is also the oracle: its scores must
equal the engine's `lexical_labels` signal on the same sentences.

Sizes can be lowered for a quick look: SKILLPATH_B7_SENTENCES (lexical; the embeddings path uses
a quarter of it), SKILLPATH_B7_RUNS.
"""

from __future__ import annotations

import math
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from bench.harness import Report, Row, median
from skillpath.db.session import make_engine, make_session_factory, transaction
from skillpath.domains.ai import benchmarks, embeddings, indexing, service
from skillpath.domains.ai.engine.lexical import LexicalIndex, ngrams
from skillpath.domains.ai.engine.ranker import RankingModel, signal_matrices
from skillpath.domains.ai.engine.text import words
from skillpath.domains.taxonomy import service as taxonomy_service
from skillpath.migrations import upgrade_to_head

SHARED_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
SENTENCES = int(os.environ.get("SKILLPATH_B7_SENTENCES", "2000"))
RUNS = int(os.environ.get("SKILLPATH_B7_RUNS", "3"))
REFERENCE_SENTENCES = 20
EMBEDDING_TARGET = 50.0
LEXICAL_TARGET = 1000.0
LOAD_TARGET = 5.0


def _sentences(count: int) -> list[str]:
    """SkillSkape dev sentences, repeated to `count` (their order is fixed)."""
    items = benchmarks.read_skill_set(SHARED_DATA / "skill-extraction", "SkillSkape")
    texts = [item.text for item in items]
    return [texts[n % len(texts)] for n in range(count)]


def _load_seconds() -> float:
    """Seconds to import the libraries and load the packaged model in a fresh process."""
    code = (
        "import time; started = time.perf_counter();"
        "from skillpath.domains.ai.embeddings import load_embedder;"
        "assert load_embedder() is not None;"
        "print(time.perf_counter() - started)"
    )
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    return float(result.stdout.strip().splitlines()[-1])


def _reference_scores(index: LexicalIndex, sentence: str) -> list[float]:
    """The plain way: TF-IDF cosine of one sentence with every skill document, from dicts."""
    idf = {term: float(index.idf[column]) for term, column in index.vocabulary.items()}
    query: dict[str, float] = {}
    for gram in ngrams(words(sentence), index.longest_ngram):
        if gram in idf:
            query[gram] = query.get(gram, 0.0) + 1.0
    weighted = {term: count * idf[term] for term, count in query.items()}
    norm = math.sqrt(sum(v * v for v in weighted.values())) or 1.0
    terms = list(index.vocabulary)
    scores = []
    matrix = index.matrix
    for row in range(matrix.shape[0]):
        start, end = matrix.indptr[row], matrix.indptr[row + 1]
        total = 0.0
        for column, value in zip(
            matrix.indices[start:end].tolist(), matrix.data[start:end].tolist(), strict=True
        ):
            total += weighted.get(terms[column], 0.0) * value
        scores.append(total / norm)
    return scores


def _throughput(engine: service.Ranker, sentences: list[str]) -> float:
    """Median sentences per second of ranking (top 10, spans and confidences included)."""
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        service._rank(engine, sentences, 10)
        times.append(time.perf_counter() - started)
    return len(sentences) / median(times)


def run() -> None:
    """Run B7 and print its table."""
    report = Report("B7", "text → skills, full ESCO v1.1.0")
    if not (SHARED_DATA / "esco").is_dir():
        print("B7 skipped: ../shared/data/esco is absent")
        return
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'b7.sqlite'}"
        upgrade_to_head(url)
        engine = make_engine(url)
        factory = make_session_factory(engine)
        with transaction(factory) as session:
            taxonomy_service.import_esco(
                session, paths=sorted((SHARED_DATA / "esco").glob("*.zip"))
            )
        cache = Path(folder) / "cache"
        sentences = _sentences(SENTENCES)
        extra: dict[str, Any] = {"sentences": len(sentences)}
        with factory() as session:
            builds = []
            for _ in range(RUNS):
                indexing.forget_loaded_indexes()
                started = time.perf_counter()
                lexical = service.ranker(
                    session, source="esco", cache_dir=cache, use_embeddings=False
                )
                builds.append(time.perf_counter() - started)
            report.add(Row("index build, lexical (full ESCO)", median(builds), "s"))
            lexical_rate = _throughput(lexical, sentences)
            index = lexical.loaded.index
            sample = sentences[:REFERENCE_SENTENCES]
            started = time.perf_counter()
            reference = [_reference_scores(index.lexical_labels, s) for s in sample]
            reference_ms = 1000 * (time.perf_counter() - started) / len(sample)
            fast, _ = signal_matrices(
                index,
                sample,
                query_embeddings=None,
                model=RankingModel(weights={"lexical_labels": 1.0}),
            )
            if not np.allclose(fast["lexical_labels"], np.asarray(reference), atol=1e-5):
                raise AssertionError("the engine's TF-IDF scores differ from the reference")
            report.add(
                Row(
                    "lexical path: ms per sentence",
                    1000 / lexical_rate,
                    "ms",
                    reference=reference_ms,
                )
            )
            report.add(
                Row(
                    "lexical path: sentences per second",
                    lexical_rate,
                    "1/s",
                    target=f">= {LEXICAL_TARGET:,.0f}",
                    meets=lexical_rate >= LEXICAL_TARGET,
                )
            )
            if embeddings.extra_installed():
                loads = [_load_seconds() for _ in range(RUNS)]
                report.add(
                    Row(
                        "model load, fresh process (imports included)",
                        median(loads),
                        "s",
                        target=f"<= {LOAD_TARGET:.0f} s",
                        meets=median(loads) <= LOAD_TARGET,
                    )
                )
                encoder = embeddings.load_embedder()
                indexing.forget_loaded_indexes()
                started = time.perf_counter()
                dense = service.ranker(session, source="esco", cache_dir=cache)
                report.add(
                    Row(
                        "index build with label embeddings (no cache)",
                        time.perf_counter() - started,
                        "s",
                    )
                )
                cached = []
                for _ in range(RUNS):
                    indexing.forget_loaded_indexes()
                    started = time.perf_counter()
                    dense = service.ranker(session, source="esco", cache_dir=cache)
                    cached.append(time.perf_counter() - started)
                report.add(Row("index load with cached embeddings", median(cached), "s"))
                assert encoder is not None
                assert not dense.loaded.built_embeddings
                dense_rate = _throughput(dense, sentences[: max(50, len(sentences) // 4)])
                report.add(
                    Row(
                        "embeddings path: sentences per second",
                        dense_rate,
                        "1/s",
                        target=f">= {EMBEDDING_TARGET:.0f}",
                        meets=dense_rate >= EMBEDDING_TARGET,
                    )
                )
                extra["embedding_sentences"] = max(50, len(sentences) // 4)
            else:
                print("  note: the ai extra is not installed; embeddings path not measured")
        engine.dispose()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    report.add(Row("peak memory (this process)", peak_mb, "MB"))
    extra["reference"] = (
        f"per-sentence Python loop over every skill's TF-IDF row ({REFERENCE_SENTENCES} "
        "sentences), checked equal to the engine's scores"
    )
    report.extra.update(extra)
    report.print()
