"""Train the text → skills artefact `src/skillpath/domains/ai/artefacts/skill_ranker.npz`.

What it learns, only from the files the project may train on (`shared/data`):

1. **Examples**: every SkillSkape *train* sentence, embedded with the packaged MiniLM, with its
   ESCO skills — the memory of the `examples` signal (k-nearest-neighbour vote).
2. **Fusion weights** of the signals (phrase, TF-IDF over labels, TF-IDF over descriptions, dense
   label similarity, examples, role-profile prior), for the embeddings path and for the lexical
   path, by coordinate ascent on the mean RP@5 over three tuning sets: 600 SkillSkape train
   sentences held out of the example memory, TECH validation and HOUSE validation. A
   leave-one-set-out run is printed too (tune without a set, score on it), so the docs can say
   how much the in-sample figures flatter.
3. **Calibration**: a logistic fit of "the suggestion is right" on the fused score of the top-10
   candidates of the tuning sentences, so a confidence of 0.7 means about 70 % right.

Everything is seeded; the same data and model give the same file. It needs the `ai` extra and
takes 5–15 minutes on two cores (label embeddings are cached in `.skillpath-cache/`).

    .venv/bin/python scripts/train_skill_ranker.py [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt
from eval_skills import DEFAULT_CACHE, DEFAULT_DATA, ROOT, esco_database

from skillpath.db.session import make_engine, make_session_factory
from skillpath.domains.ai import benchmarks, indexing, service
from skillpath.domains.ai.embeddings import MODEL_NAME, load_embedder
from skillpath.domains.ai.engine.build import example_memory
from skillpath.domains.ai.engine.ranker import (
    SIGNALS,
    RankingModel,
    SkillIndex,
    signal_matrices,
    top_skills,
)
from skillpath.domains.ai.engine.titles import DEFAULT_TITLE_WEIGHTS, TITLE_SIGNALS

OUTPUT = ROOT / "src" / "skillpath" / "domains" / "ai" / "artefacts" / "skill_ranker.npz"
SEED = 20241126
TUNING_SENTENCES = 600
NEIGHBOURS = 10
POWER = 4.0
FACTORS = (0.0, 0.25, 0.5, 0.75, 1.5, 2.0, 3.0)
ROUNDS = 3
CANDIDATES = 100
DENSE_START = {
    "phrase": 0.1,
    "lexical_labels": 0.35,
    "lexical_documents": 0.15,
    "dense": 0.5,
    "examples": 0.3,
    "prior": 0.1,
}
LEXICAL_START = {"phrase": 0.2, "lexical_labels": 0.6, "lexical_documents": 0.3, "prior": 0.1}

FloatMatrix = npt.NDArray[np.float32]


class TuningSet:
    """Candidate skills of a set of sentences, their signals and which of them are gold.

    Each sentence keeps only its candidates (the best CANDIDATES of every signal, and its gold
    skills), so tuning weighs a few hundred columns instead of every skill; a skill outside every
    signal's candidates cannot reach the top 10 of a positive blend in practice.
    """

    def __init__(
        self, name: str, signals: dict[str, FloatMatrix], prior: FloatMatrix, gold: list[set[int]]
    ) -> None:
        """Gather the candidate columns of each row."""
        self.name = name
        self.gold_count = np.asarray([len(g) for g in gold])
        rows = []
        for row, wanted in enumerate(gold):
            found = set(wanted)
            for matrix in signals.values():
                found.update(np.argpartition(-matrix[row], CANDIDATES)[:CANDIDATES].tolist())
            rows.append(sorted(found))
        width = max(len(r) for r in rows)
        self.columns = np.full((len(rows), width), -1, dtype=np.int64)
        for row, found in enumerate(rows):
            self.columns[row, : len(found)] = found
        valid = self.columns >= 0
        safe = np.where(valid, self.columns, 0)
        self.signals = {
            name: np.where(valid, np.take_along_axis(matrix, safe, axis=1), 0.0).astype(np.float32)
            for name, matrix in signals.items()
        }
        self.signals["prior"] = np.where(valid, prior[0][safe], 0.0).astype(np.float32)
        self.padding = np.where(valid, 0.0, -1e9).astype(np.float32)
        self.is_gold = np.zeros(self.columns.shape, dtype=bool)
        for row, wanted in enumerate(gold):
            self.is_gold[row] = np.isin(self.columns[row], list(wanted))

    def fused(self, weights: dict[str, float]) -> FloatMatrix:
        """The weighted sum of the signals over each row's candidates."""
        total = self.padding.copy()
        for name, weight in weights.items():
            if weight:
                total += np.float32(weight) * self.signals[name]
        return total

    def rp5(self, weights: dict[str, float]) -> float:
        """RP@5 (percent) of the blend, over the rows with gold skills."""
        best = top_skills(self.fused(weights), 5)
        hits = np.take_along_axis(self.is_gold, best, axis=1).sum(axis=1)
        keep = self.gold_count > 0
        return float(100.0 * np.mean(hits[keep] / np.minimum(5, self.gold_count[keep])))


def embed_cached(texts: list[str], cache_dir: Path, name: str) -> FloatMatrix:
    """Embeddings of texts, cached on disk by their content."""
    encoder = load_embedder()
    if encoder is None:
        raise SystemExit("the ai extra is needed: pip install -e '.[ai]'")
    digest = hashlib.sha256("\n".join(texts).encode()).hexdigest()[:16]
    path = cache_dir / "ai" / f"train-{name}-{digest}.npz"
    keys = [hashlib.sha256(t.encode()).hexdigest()[:12] for t in texts]
    vectors, _ = indexing.cached_embeddings(encoder, texts, keys, path)
    return vectors


def tuning_set(
    name: str,
    index: SkillIndex,
    prior: FloatMatrix,
    items: Sequence[benchmarks.LabelledText],
    embeddings: FloatMatrix | None,
    column: dict[str, int],
) -> TuningSet:
    """Every signal of the sentences (all weights on, to compute them all)."""
    everything = RankingModel(weights=dict.fromkeys(SIGNALS, 1.0))
    signals, _ = signal_matrices(
        index, [i.text for i in items], query_embeddings=embeddings, model=everything
    )
    gold = [{column[label] for label in item.gold if label in column} for item in items]
    return TuningSet(name, signals, prior, gold)


def tune(sets: Sequence[TuningSet], start: dict[str, float]) -> dict[str, float]:
    """Coordinate ascent on the mean RP@5 over the sets (deterministic)."""
    weights = dict(start)

    def score(w: dict[str, float]) -> float:
        return float(np.mean([s.rp5(w) for s in sets]))

    best = score(weights)
    for _ in range(ROUNDS):
        for name in start:
            for factor in FACTORS:
                trial = dict(weights)
                trial[name] = weights[name] * factor if weights[name] else 0.1 * factor
                value = score(trial)
                if value > best + 1e-9:
                    best, weights = value, trial
    total = sum(weights.values()) or 1.0
    return {name: round(value / total, 6) for name, value in weights.items()}


def calibrate(sets: Sequence[TuningSet], weights: dict[str, float]) -> tuple[float, float]:
    """Logistic regression of correctness on the fused score of the top-10 candidates."""
    scores: list[float] = []
    labels: list[float] = []
    for s in sets:
        fused = s.fused(weights)
        best = top_skills(fused, 10)
        keep = s.gold_count > 0
        scores.extend(np.take_along_axis(fused, best, axis=1)[keep].ravel().tolist())
        labels.extend(np.take_along_axis(s.is_gold, best, axis=1)[keep].ravel().astype(float))
    x = np.asarray(scores)
    y = np.asarray(labels)
    slope, intercept = 1.0, 0.0
    for _ in range(50):  # Newton's method on the log-likelihood
        p = 1.0 / (1.0 + np.exp(-(slope * x + intercept)))
        w = p * (1 - p) + 1e-9
        gradient = np.array([np.sum((y - p) * x), np.sum(y - p)])
        hessian = -np.array([[np.sum(w * x * x), np.sum(w * x)], [np.sum(w * x), np.sum(w)]])
        step = np.linalg.solve(hessian, gradient)
        slope, intercept = slope - step[0], intercept - step[1]
        if np.abs(step).max() < 1e-8:
            break
    return round(float(slope), 6), round(float(intercept), 6)


def main(argv: Sequence[str] | None = None) -> int:
    """Train and write the artefact."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--out", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    directory = args.data / "skill-extraction"
    url = esco_database(args.data, args.cache_dir)
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        # An index without trained artefacts: the signals are what is being weighed.
        indexing.load_artefacts.cache_clear()
        ranker = service.ranker(session, source="esco", cache_dir=args.cache_dir)
    engine.dispose()
    if ranker.encoder is None:
        print("the ai extra is needed: pip install -e '.[ai]'", file=sys.stderr)
        return 2
    index = ranker.loaded.index
    column = {label: n for n, label in enumerate(index.labels)}
    uri_of = dict(zip(index.labels, index.external_ids, strict=True))

    train = benchmarks.read_skillskape(directory / benchmarks.TRAINING_SET)
    train_vectors = embed_cached([t.text for t in train], args.cache_dir, "skillskape")
    rng = np.random.default_rng(SEED)
    labelled = [n for n, t in enumerate(train) if t.gold]
    held = set(rng.choice(labelled, size=TUNING_SENTENCES, replace=False).tolist())
    memory_rows = [n for n in range(len(train)) if n not in held]
    held_rows = sorted(held)

    def skills_of(rows: Sequence[int]) -> list[list[str]]:
        return [sorted(uri_of[label] for label in train[n].gold if label in uri_of) for n in rows]

    tuning_index = dataclasses.replace(
        index,
        examples=example_memory(
            embeddings=train_vectors[memory_rows],
            example_skills=skills_of(memory_rows),
            external_ids=index.external_ids,
            neighbours=NEIGHBOURS,
            power=POWER,
        ),
    )
    prior = (
        index.prior[np.newaxis, :]
        if index.prior is not None
        else np.zeros((1, index.size), np.float32)
    )
    sets = [
        tuning_set(
            "SkillSkape train (held out)",
            tuning_index,
            prior,
            [train[n] for n in held_rows],
            train_vectors[held_rows],
            column,
        )
    ]
    for name in ("TECH", "HOUSE"):
        items = benchmarks.read_skill_set(directory, name)
        vectors = embed_cached([i.text for i in items], args.cache_dir, name)
        sets.append(tuning_set(name, tuning_index, prior, items, vectors, column))

    dense = tune(sets, DENSE_START)
    lexical = tune(sets, LEXICAL_START)
    print("embeddings path weights:", dense)
    print("lexical path weights:   ", lexical)
    for s in sets:
        print(f"  {s.name:<30} RP@5 embeddings {s.rp5(dense):5.1f}  lexical {s.rp5(lexical):5.1f}")
    print("leave one set out (tuned on the others, scored on it):")
    held_out: dict[str, dict[str, float]] = {}
    for n, s in enumerate(sets):
        others = [o for m, o in enumerate(sets) if m != n]
        w_dense, w_lexical = tune(others, DENSE_START), tune(others, LEXICAL_START)
        held_out[s.name] = {"embeddings": s.rp5(w_dense), "lexical": s.rp5(w_lexical)}
        print(
            f"  {s.name:<30} RP@5 embeddings {held_out[s.name]['embeddings']:5.1f}  "
            f"lexical {held_out[s.name]['lexical']:5.1f}"
        )
    dense_calibration = calibrate(sets, dense)
    lexical_calibration = calibrate(sets, lexical)

    all_skills = skills_of(range(len(train)))
    uris = sorted({uri for skills in all_skills for uri in skills})
    position = {uri: n for n, uri in enumerate(uris)}
    offsets = np.cumsum([0] + [len(s) for s in all_skills]).astype(np.int32)
    flat = np.asarray([position[uri] for s in all_skills for uri in s], dtype=np.int32)
    meta = {
        "model": MODEL_NAME,
        "seed": SEED,
        "trained_on": [
            "skillskape_train.csv",
            "tech_validation_annotations.csv",
            "house_validation_annotations.csv",
            "ESCO v1.1.0",
        ],
        "examples": len(train),
        "tuning_sentences": TUNING_SENTENCES,
        "held_out_rp5": held_out,
        "script": "scripts/train_skill_ranker.py",
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        args.out,
        signals=np.asarray(SIGNALS),
        dense_weights=np.asarray([dense.get(s, 0.0) for s in SIGNALS], dtype=np.float64),
        dense_calibration=np.asarray(dense_calibration, dtype=np.float64),
        lexical_weights=np.asarray([lexical.get(s, 0.0) for s in SIGNALS], dtype=np.float64),
        lexical_calibration=np.asarray(lexical_calibration, dtype=np.float64),
        example_embeddings=train_vectors.astype(np.float16),
        example_offsets=offsets,
        example_uris=np.asarray(uris),
        example_uri_index=flat,
        example_neighbours=np.int64(NEIGHBOURS),
        example_power=np.float64(POWER),
        title_signals=np.asarray(TITLE_SIGNALS),
        title_weights=np.asarray([DEFAULT_TITLE_WEIGHTS[s] for s in TITLE_SIGNALS]),
        meta_json=np.asarray(json.dumps(meta, sort_keys=True)),
    )
    size = args.out.stat().st_size
    print(f"wrote {args.out} ({size / 1e6:.1f} MB) in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
