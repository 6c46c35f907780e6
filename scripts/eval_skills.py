"""Evaluate text → skills on the public benchmarks (`make eval-skills`).

Imports ESCO v1.1.0 from `<data>/esco/` into a scratch SQLite database when it is not there yet,
then ranks every ESCO skill for each sentence of TECH and HOUSE validation and SkillSkape dev
through the same service the `skillpath skills rank` command uses, and prints RP@5, RP@10 and MRR
(protocol of Decorte et al.: `shared/data/README.md`), and top-1/top-5 accuracy of job titles →
ESCO occupations on the job-title dev set. `--ablation` adds a table of what each signal adds.

    .venv/bin/python scripts/eval_skills.py [--data ../shared/data] [--lexical] [--ablation]
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from sqlalchemy.orm import Session

from skillpath.db.session import make_engine, make_session_factory, transaction
from skillpath.domains.ai import benchmarks, indexing, service
from skillpath.domains.ai.engine.metrics import (
    RankingMetrics,
    ranking_metrics,
    top_k_accuracy,
)
from skillpath.domains.ai.engine.ranker import RankingModel, rank_sentences
from skillpath.domains.taxonomy import service as taxonomy_service
from skillpath.domains.taxonomy.models import TaxonomySource
from skillpath.migrations import upgrade_to_head

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data"
DEFAULT_CACHE = ROOT / ".skillpath-cache"
TOP = 100
"""Every skill past this rank counts as not found (MRR over the first 100)."""


def esco_database(data: Path, cache_dir: Path) -> str:
    """The URL of a scratch SQLite database holding ESCO v1.1.0 (imported on first use)."""
    path = cache_dir / "eval" / "esco.sqlite"
    path.parent.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{path}"
    upgrade_to_head(url)
    engine = make_engine(url)
    try:
        with transaction(make_session_factory(engine)) as session:
            found = session.query(TaxonomySource).filter_by(key="esco").one_or_none()
            if found is None or found.version.lstrip("v") != "1.1.0":
                zips = sorted((data / "esco").glob("ESCO-dataset-v1.1.0-*.zip"))
                if len(zips) != 2:
                    raise SystemExit(f"ESCO v1.1.0 zips not found in {data / 'esco'}")
                print(f"Importing ESCO v1.1.0 into {path} …", file=sys.stderr)
                report = taxonomy_service.import_esco(session, paths=zips)
                print(f"  done in {report.seconds:.1f} s", file=sys.stderr)
    finally:
        engine.dispose()
    return url


def rankings(engine: service.Ranker, texts: Sequence[str], top: int = TOP) -> list[list[str]]:
    """The ranked preferred labels of each text, through the service (as `skills rank` does)."""
    labels = engine.loaded.index.labels
    return [[labels[m.skill] for m in matches] for matches in service._rank(engine, texts, top)]


def evaluate_skills(
    engine: service.Ranker, data: Path, names: Sequence[str] = tuple(benchmarks.SKILL_SETS)
) -> dict[str, RankingMetrics]:
    """RP@5, RP@10 and MRR of a ranker on the named evaluation sets."""
    directory = data / "skill-extraction"
    results = {}
    for name in names:
        items = benchmarks.read_skill_set(directory, name)
        ranked = rankings(engine, [item.text for item in items])
        results[name] = ranking_metrics(ranked, [item.gold for item in items])
    return results


class Ablation:
    """The evaluation sets with their sentence embeddings computed once, ranked by variants of
    the fusion model straight through the engine (spans do not change rankings)."""

    def __init__(self, engine: service.Ranker, data: Path) -> None:
        """Read the sets and embed their sentences once."""
        self.engine = engine
        directory = data / "skill-extraction"
        self.sets = {
            name: benchmarks.read_skill_set(directory, name) for name in benchmarks.SKILL_SETS
        }
        self.queries = {
            name: engine.encoder.encode([i.text for i in items]) if engine.encoder else None
            for name, items in self.sets.items()
        }

    def evaluate(self, model: RankingModel) -> dict[str, RankingMetrics]:
        """RP@5, RP@10 and MRR of a model variant on every set."""
        index = self.engine.loaded.index
        results = {}
        for name, items in self.sets.items():
            ranked = []
            texts = [i.text for i in items]
            queries = self.queries[name]
            for start in range(0, len(texts), 256):
                batch = texts[start : start + 256]
                matches = rank_sentences(
                    index,
                    batch,
                    model=model,
                    query_embeddings=None if queries is None else queries[start : start + 256],
                    top=TOP,
                )
                ranked.extend([[index.labels[m.skill] for m in row] for row in matches])
            results[name] = ranking_metrics(ranked, [i.gold for i in items])
        return results


def evaluate_titles(
    session: Session, data: Path, cache_dir: Path, use_embeddings: bool
) -> tuple[float, float, int]:
    """Top-1 and top-5 accuracy (percent) of job titles → ESCO occupations, and the count."""
    items = benchmarks.read_titles(data / "skill-extraction" / benchmarks.TITLE_SET)
    titles = [item.text[:300] or "?" for item in items]
    matched = service.match_titles(
        session, titles=titles, top=5, cache_dir=cache_dir, use_embeddings=use_embeddings
    )
    ranked = [[o.title for o in m.occupations] for m in matched]
    gold = [next(iter(item.gold)) for item in items]
    return top_k_accuracy(ranked, gold, 1), top_k_accuracy(ranked, gold, 5), len(items)


def without(model: RankingModel, *signals: str) -> RankingModel:
    """The model with some signals switched off."""
    weights = {k: v for k, v in model.weights.items() if k not in signals}
    return dataclasses.replace(model, weights=weights, name=f"{model.name}-{'-'.join(signals)}")


def only(model: RankingModel, *signals: str) -> RankingModel:
    """The model keeping only some signals."""
    weights = {k: v for k, v in model.weights.items() if k in signals}
    return dataclasses.replace(model, weights=weights, name=f"only-{'-'.join(signals)}")


def print_table(rows: list[tuple[str, dict[str, RankingMetrics]]]) -> None:
    """One line per ranker: RP@5 / RP@10 / MRR per set."""
    names = list(rows[0][1])
    header = f"{'ranker':<44}" + "".join(f"{n + ' RP@5/RP@10/MRR':>30}" for n in names)
    print(header)
    print("-" * len(header))
    for label, results in rows:
        cells = "".join(
            f"{f'{m.rp5:5.1f} / {m.rp10:5.1f} / {m.mrr:5.1f}':>30}" for m in results.values()
        )
        print(f"{label:<44}{cells}")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the evaluation and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--lexical", action="store_true", help="Leave embeddings out.")
    parser.add_argument("--ablation", action="store_true", help="Also print what each signal adds.")
    parser.add_argument("--no-titles", action="store_true", help="Skip the job-title set.")
    args = parser.parse_args(argv)
    if not (args.data / "skill-extraction").is_dir():
        print(f"benchmark data not found in {args.data}", file=sys.stderr)
        return 2
    url = esco_database(args.data, args.cache_dir)
    engine = make_engine(url)
    factory = make_session_factory(engine)
    with factory() as session:
        started = time.perf_counter()
        ranker = service.ranker(
            session, source="esco", cache_dir=args.cache_dir, use_embeddings=not args.lexical
        )
        print(
            f"Ranker: {ranker.mode} path, model {ranker.model.name}, "
            f"{ranker.loaded.index.size:,} ESCO skills, ready in "
            f"{time.perf_counter() - started:.1f} s"
        )
        if ranker.note:
            print(ranker.note)
        rows = [(f"Skillpath ({ranker.mode})", evaluate_skills(ranker, args.data))]
        if args.ablation:
            model = ranker.model
            variants: list[tuple[str, RankingModel]] = [
                ("labels only (exact/fuzzy phrase)", only(model, "phrase")),
                (
                    "lexical: phrase + TF-IDF",
                    only(model, "phrase", "lexical_labels", "lexical_documents"),
                ),
            ]
            if ranker.encoder is not None:
                variants += [
                    ("dense MiniLM labels only", only(model, "dense")),
                    ("examples (kNN SkillSkape train) only", only(model, "examples")),
                    ("all but examples", without(model, "examples")),
                    ("all but dense", without(model, "dense")),
                    ("all but prior", without(model, "prior")),
                    (
                        "all but lexical TF-IDF",
                        without(model, "lexical_labels", "lexical_documents"),
                    ),
                    ("all but phrase", without(model, "phrase")),
                ]
            else:
                variants += [("all but prior", without(model, "prior"))]
            if ranker.encoder is not None:
                variants.append(
                    ("lexical path (its own weights)", indexing.load_artefacts().lexical)
                )
            ablation = Ablation(ranker, args.data)
            for label, variant in variants:
                rows.append((label, ablation.evaluate(variant)))
        print()
        print_table(rows)
        if not args.no_titles:
            top1, top5, count = evaluate_titles(
                session, args.data, args.cache_dir, use_embeddings=not args.lexical
            )
            print(
                f"\nJob titles → ESCO occupations ({count:,} dev titles): "
                f"top-1 {top1:.1f} %, top-5 {top5:.1f} %"
            )
    engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
