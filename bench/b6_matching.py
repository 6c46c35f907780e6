"""B6: rank internal candidates for an opening among 100,000 employees, and opportunities for a
person among 5,000, with explained match scores (docs/mobility.md).

A seeded workforce the way real ones look: 13,891 skills, people in role families holding 15–35
skills each at levels 0.2–1.0 (most of them in their family's cluster), a few "develop" intents
and target roles, 60 locations in 12 countries and a handful of languages; 5,000 opportunities
(roles, gigs, projects) asking for 6–20 skills of a family at 0.4–0.8 with importances, 25 %
remote. The engine (`domains/mobility/engine/matching.py`) ranks with numpy and sparse matrices;
the reference is the per-pair loop in plain Python with the same formula. Rankings must be
identical (same rows in the same order) on every request the reference runs.

Figures: p95 and median of the top 20 candidates for an opening (SKILLPATH_B6_OPENINGS openings,
default 200) and of the top 20 opportunities for a person (SKILLPATH_B6_PEOPLE people, default
200); the reference on SKILLPATH_B6_REFERENCE requests (default 5 openings, 20 people).
"""

from __future__ import annotations

import os
import time

import numpy as np
import scipy.sparse as sp

from bench.harness import Report, Row, median, percentile
from skillpath.domains.mobility.engine.matching import (
    Opportunities,
    People,
    rank_opportunities,
    rank_people,
    reference_rank_opportunities,
    reference_rank_people,
)

SEED = 6
EMPLOYEES = int(os.environ.get("SKILLPATH_B6_EMPLOYEES", "100000"))
OPPORTUNITIES = 5_000
SKILLS = 13_891
ROLES = 600
FAMILIES = 40
FAMILY_SKILLS = 60
OPENINGS = int(os.environ.get("SKILLPATH_B6_OPENINGS", "200"))
PEOPLE_REQUESTS = int(os.environ.get("SKILLPATH_B6_PEOPLE", "200"))
REFERENCE_OPENINGS = int(os.environ.get("SKILLPATH_B6_REFERENCE", "5"))
REFERENCE_PEOPLE = 4 * REFERENCE_OPENINGS
LIMIT = 20
CANDIDATES_TARGET_MS = 100.0
OPPORTUNITIES_TARGET_MS = 50.0


def _family_skills(rng: np.random.Generator) -> list[np.ndarray]:
    return [rng.choice(SKILLS, size=FAMILY_SKILLS, replace=False) for _ in range(FAMILIES)]


def build_people(rng: np.random.Generator, families: list[np.ndarray]) -> People:
    """The seeded workforce."""
    counts = rng.integers(15, 36, size=EMPLOYEES)
    family = rng.integers(0, FAMILIES, size=EMPLOYEES)
    rows = np.repeat(np.arange(EMPLOYEES), counts)
    total = int(counts.sum())
    in_family = rng.random(total) < 0.8
    family_of_row = family[rows]
    pick = rng.integers(0, FAMILY_SKILLS, size=total)
    family_table = np.stack(families)
    cols = np.where(in_family, family_table[family_of_row, pick], rng.integers(0, SKILLS, total))
    levels = rng.choice([0.2, 0.4, 0.6, 0.8, 1.0], p=[0.15, 0.3, 0.3, 0.18, 0.07], size=total)
    matrix = sp.csr_matrix((levels, (rows, cols)), shape=(EMPLOYEES, SKILLS))
    matrix.sum_duplicates()
    matrix.data = np.minimum(matrix.data, 1.0)
    develop = sp.random(EMPLOYEES, SKILLS, density=3 / SKILLS, random_state=rng, format="csc")
    develop.data[:] = 1.0
    targets = sp.random(EMPLOYEES, ROLES, density=1 / ROLES, random_state=rng, format="csc")
    targets.data[:] = 1.0
    location = rng.integers(0, 60, size=EMPLOYEES)
    return People(
        ids=np.arange(1, EMPLOYEES + 1, dtype=np.int64),
        levels=matrix.tocsc(),
        develop=develop,
        targets=targets,
        location=location,
        country=location % 12,
        utc_offset=((location % 12) - 4).astype(np.float64),
        languages=(1 << (location % 5)) | 1,
    )


def build_opportunities(rng: np.random.Generator, families: list[np.ndarray]) -> Opportunities:
    """The seeded opportunities."""
    counts = rng.integers(6, 21, size=OPPORTUNITIES)
    family = rng.integers(0, FAMILIES, size=OPPORTUNITIES)
    rows_list = []
    cols_list = []
    for k in range(OPPORTUNITIES):
        chosen = rng.choice(families[family[k]], size=int(counts[k]), replace=False)
        rows_list.append(np.full(chosen.size, k))
        cols_list.append(chosen)
    rows = np.concatenate(rows_list)
    cols = np.concatenate(cols_list)
    targets = rng.choice([0.4, 0.6, 0.8], p=[0.3, 0.5, 0.2], size=rows.size)
    weights = rng.choice([0.3, 0.6, 1.0], size=rows.size)
    target = sp.csr_matrix((targets, (rows, cols)), shape=(OPPORTUNITIES, SKILLS))
    importance = sp.csr_matrix((weights, (rows, cols)), shape=(OPPORTUNITIES, SKILLS))
    location = rng.integers(0, 60, size=OPPORTUNITIES)
    return Opportunities(
        ids=np.arange(1, OPPORTUNITIES + 1, dtype=np.int64),
        target=target,
        importance=importance,
        role=rng.integers(-1, ROLES, size=OPPORTUNITIES),
        location=location,
        country=location % 12,
        remote=rng.random(OPPORTUNITIES) < 0.25,
        utc_offset=((location % 12) - 4).astype(np.float64),
        language=np.where(rng.random(OPPORTUNITIES) < 0.5, 0, 1 << (location % 5)),
    )


def run() -> None:
    """Run B6 and print its table and RESULT line."""
    rng = np.random.default_rng(SEED)
    families = _family_skills(rng)
    started = time.perf_counter()
    people = build_people(rng, families)
    opportunities = build_opportunities(rng, families)
    build_seconds = time.perf_counter() - started

    openings = rng.choice(OPPORTUNITIES, size=OPENINGS, replace=OPENINGS > OPPORTUNITIES)
    candidate_ms = []
    for k in openings.tolist():
        start = time.perf_counter()
        rank_people(people, opportunities, k, limit=LIMIT)
        candidate_ms.append((time.perf_counter() - start) * 1000)

    persons = rng.choice(EMPLOYEES, size=PEOPLE_REQUESTS, replace=False)
    opportunity_ms = []
    rows = [people.row(int(k)) for k in persons.tolist()]
    for person in rows:
        start = time.perf_counter()
        rank_opportunities(person, opportunities, limit=LIMIT)
        opportunity_ms.append((time.perf_counter() - start) * 1000)

    reference_candidates_ms = []
    identical = 0
    compared = 0
    for k in openings[:REFERENCE_OPENINGS].tolist():
        start = time.perf_counter()
        slow = reference_rank_people(people, opportunities, k, limit=LIMIT)
        reference_candidates_ms.append((time.perf_counter() - start) * 1000)
        fast = rank_people(people, opportunities, k, limit=LIMIT)
        compared += 1
        identical += int(fast.index.tolist() == [row for row, _ in slow])
    reference_opportunities_ms = []
    for person in rows[:REFERENCE_PEOPLE]:
        start = time.perf_counter()
        slow = reference_rank_opportunities(person, opportunities, limit=LIMIT)
        reference_opportunities_ms.append((time.perf_counter() - start) * 1000)
        fast = rank_opportunities(person, opportunities, limit=LIMIT)
        compared += 1
        identical += int(fast.index.tolist() == [k for k, _ in slow])

    report = Report(
        "B6",
        f"match ranking ({EMPLOYEES:,} employees, {OPPORTUNITIES:,} opportunities, "
        f"{SKILLS:,} skills)",
    )
    candidates_p95 = percentile(candidate_ms, 95)
    report.add(
        Row(
            f"top {LIMIT} candidates among {EMPLOYEES:,}, p95",
            candidates_p95,
            "ms",
            f"<= {CANDIDATES_TARGET_MS:.0f} ms",
            reference=median(reference_candidates_ms),
            meets=candidates_p95 <= CANDIDATES_TARGET_MS,
        )
    )
    report.add(Row(f"top {LIMIT} candidates, median", median(candidate_ms), "ms"))
    opportunities_p95 = percentile(opportunity_ms, 95)
    report.add(
        Row(
            f"top {LIMIT} opportunities among {OPPORTUNITIES:,}, p95",
            opportunities_p95,
            "ms",
            f"<= {OPPORTUNITIES_TARGET_MS:.0f} ms",
            reference=median(reference_opportunities_ms),
            meets=opportunities_p95 <= OPPORTUNITIES_TARGET_MS,
        )
    )
    report.add(Row(f"top {LIMIT} opportunities, median", median(opportunity_ms), "ms"))
    report.add(
        Row(
            "rankings identical to the per-pair reference",
            float(identical),
            "of",
            f"{compared}",
            meets=identical == compared,
        )
    )
    report.add(Row("seeded data build", build_seconds, "s"))
    report.extra = {
        "employees": EMPLOYEES,
        "opportunities": OPPORTUNITIES,
        "skills": SKILLS,
        "level_entries": int(people.levels.nnz),
        "requirement_entries": int(opportunities.target.nnz),
        "reference_candidates_median_ms": median(reference_candidates_ms),
        "reference_opportunities_median_ms": median(reference_opportunities_ms),
    }
    report.print()
