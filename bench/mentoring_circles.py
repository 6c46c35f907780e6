"""Peer coaching circles at scale: the heuristic's time and its gap to the upper bound
(docs/mentoring.md, "Peer coaching circles"). Run with `python -m bench.mentoring_circles`.

A seeded program the way real ones look: 60 skills in 6 families of 10; each peer belongs to a
family, wants 1–3 skills (most from their family, popular skills more often) and holds 2–5
skills, a third of them at Advanced or Expert; 1 % of peers opted out of one other peer. For each
size the figures are the time (pair values, bound, heuristic), the value of the goal-sorted start
and of the final partition, the upper bound and the gap; on 12 peers the exact optimum's own gap
to the bound shows how loose the bound is.
"""

from __future__ import annotations

import os
import time

import numpy as np
import scipy.sparse as sp

from bench.harness import Report, Row
from skillpath.domains.mentoring.engine.circles import (
    Peers,
    exact_circles,
    heuristic_circles,
    priority_weights,
)

SEED = 16
SKILLS = 60
FAMILIES = 6
SIZES = [int(s) for s in os.environ.get("SKILLPATH_CIRCLES_SIZES", "1000,5000").split(",")]


def program(seed: int, n: int) -> tuple[Peers, list[tuple[int, int]]]:
    """`n` peers of one program and their opt-outs."""
    rng = np.random.default_rng(seed)
    family = rng.integers(0, FAMILIES, size=n)
    popularity = 1.0 / np.arange(1, SKILLS // FAMILIES + 1)
    popularity /= popularity.sum()
    rows: list[int] = []
    cols: list[int] = []
    weights: list[float] = []
    lr: list[int] = []
    lc: list[int] = []
    lv: list[float] = []
    for person in range(n):
        count = int(rng.integers(1, 4))
        home = family[person] * (SKILLS // FAMILIES)
        chosen: list[int] = []
        while len(chosen) < count:
            base = home if rng.random() < 0.8 else int(rng.integers(0, FAMILIES)) * 10
            skill = base + int(rng.choice(SKILLS // FAMILIES, p=popularity))
            if skill not in chosen:
                chosen.append(skill)
        rows.extend([person] * count)
        cols.extend(chosen)
        weights.extend(priority_weights(count).tolist())
        held = rng.choice(SKILLS, size=int(rng.integers(2, 6)), replace=False)
        for skill in held.tolist():
            lr.append(person)
            lc.append(skill)
            lv.append(float(rng.choice([0.4, 0.6, 0.8, 1.0], p=[0.3, 0.37, 0.23, 0.1])))
    peers = Peers(
        ids=np.arange(n, dtype=np.int64),
        wanted=sp.csr_matrix((weights, (rows, cols)), shape=(n, SKILLS)),
        levels=sp.csr_matrix((lv, (lr, lc)), shape=(n, SKILLS)),
    )
    who = rng.choice(n, size=max(1, n // 100), replace=False)
    excluded = [(int(i), int(rng.integers(0, n))) for i in who]
    return peers, [(i, j) for i, j in excluded if i != j]


def run() -> None:
    """Measure the heuristic on each size and the exact optimum's gap on 12 peers."""
    report = Report("circles", "peer coaching circles (4–6), heuristic vs upper bound")
    extra: dict[str, object] = {}
    for n in SIZES:
        peers, excluded = program(SEED, n)
        started = time.perf_counter()
        plan = heuristic_circles(peers, excluded=excluded, seed=SEED)
        seconds = time.perf_counter() - started
        report.add(Row(f"{n:,} peers: time", seconds, "s"))
        report.add(Row(f"{n:,} peers: gap to the bound", 100 * plan.gap, "%"))
        extra[str(n)] = {
            "seconds": round(seconds, 2),
            "start_value": round(plan.start_value, 3),
            "value": round(plan.value, 3),
            "bound": round(plan.bound, 3),
            "gap_percent": round(100 * plan.gap, 2),
            "circles": len(plan.circles),
            "conflicts": len(plan.conflicts),
            "passes": plan.passes,
        }
    exact_gaps = []
    for seed in range(20):
        peers, excluded = program(seed, 12)
        exact_gaps.append(exact_circles(peers, excluded=excluded).gap)
    mean_gap = 100 * float(np.mean(exact_gaps))
    report.add(Row("12 peers: exact optimum's gap to the bound (mean)", mean_gap, "%"))
    extra["exact_12_gap_percent"] = {
        "mean": round(mean_gap, 2),
        "max": round(100 * float(np.max(exact_gaps)), 2),
    }
    report.extra = extra
    report.print()


if __name__ == "__main__":
    run()
