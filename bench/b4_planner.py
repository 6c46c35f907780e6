"""B4: plan learning paths, proven minimal in hours, on a 5,000-item catalog over 13,891 skills.

Builds a seeded catalog the way real ones look: most items teach 1–4 related skills (a primary
skill and neighbours in its cluster) at a few levels set by their kind (microlearning 0.2, videos
and readings 0.4, e-learning 0.4–0.8, project-based courses and workshops 0.6–0.8, mentorships
and capstones 0.8–1.0), popular skills taught by many items and the long tail by few or none,
some items requiring a lower-level item of their skill or the skill at 0.4; several locales,
offline variants, 40 % free items. Then seeded requests of realistic size: 5–30 gap skills drawn
like role profiles (a few clusters, 10 % from the long tail), targets 0.4–0.8, some levels held
already, a few completed items, and constraints as people set them (hours a week, locales, some
budgets, deadlines, offline only, kinds to avoid or require).

Figures: p95 and median latency of one optimal plan (each of the latency requests planned
SKILLPATH_B4_REPEATS times, the median per request), the time of all plans in bulk, and the
greedy reference planner's time for the same bulk; hours saved against greedy (mean, largest,
smallest — never negative) and the count of each plan status. The exact plan must be no worse
than greedy's on every request (lexicographically: gaps closed, then hours, then cost).

Sizes for a quick look: SKILLPATH_B4_PLANS (10,000), SKILLPATH_B4_LATENCY (300 requests),
SKILLPATH_B4_REPEATS (3).
"""

from __future__ import annotations

import os
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from bench.harness import Report, Row, median, percentile
from skillpath.domains.learning.engine.greedy import greedy_select, plan_key
from skillpath.domains.learning.engine.model import (
    OPTIMAL,
    STATUSES,
    Catalog,
    Constraints,
    Gaps,
    Learner,
    Plan,
)
from skillpath.domains.learning.engine.planner import plan_path
from skillpath.domains.learning.engine.problem import prepare

SEED = 4
ITEMS = 5_000
SKILLS = 13_891
TAUGHT_SKILLS = 3_000
CLUSTER = 12
PLANS = int(os.environ.get("SKILLPATH_B4_PLANS", "10000"))
LATENCY_REQUESTS = int(os.environ.get("SKILLPATH_B4_LATENCY", "300"))
REPEATS = int(os.environ.get("SKILLPATH_B4_REPEATS", "3"))
P95_TARGET_MS = 200.0
BULK_TARGET_S = 300.0
START = date(2025, 1, 6)

KINDS = (
    ("e-learning", 0.36),
    ("microlearning", 0.14),
    ("video", 0.10),
    ("reading", 0.06),
    ("project-based course", 0.14),
    ("workshop", 0.08),
    ("mentorship", 0.07),
    ("capstone", 0.05),
)
MINUTES = {
    "e-learning": (60, 600),
    "microlearning": (2, 5),
    "video": (10, 60),
    "reading": (20, 90),
    "project-based course": (480, 1200),
    "workshop": (180, 480),
    "mentorship": (360, 720),
    "capstone": (480, 1440),
}
PRICE = {
    "e-learning": (19, 249),
    "microlearning": (0, 0),
    "video": (0, 29),
    "reading": (0, 39),
    "project-based course": (150, 900),
    "workshop": (150, 900),
    "mentorship": (0, 0),
    "capstone": (0, 0),
}
LOCALES = (("es", 0.3), ("fr", 0.25), ("de", 0.25), ("pt-BR", 0.2), ("pl", 0.1))


def _level(rng: np.random.Generator, kind: str) -> float:
    """The level an item of a kind teaches in its primary skill."""
    if kind == "microlearning":
        return 0.2 if rng.random() < 0.7 else 0.4
    if kind in ("video", "reading"):
        return 0.4
    if kind == "e-learning":
        return float(rng.choice([0.4, 0.6, 0.8], p=[0.55, 0.3, 0.15]))
    if kind in ("project-based course", "workshop"):
        return 0.6 if rng.random() < 0.75 else 0.8
    return 0.8 if rng.random() < 0.8 else 1.0


def _popular(
    rng: np.random.Generator, taught: np.ndarray, weights: np.ndarray, size: int
) -> np.ndarray:
    return rng.choice(taught, size=size, p=weights)


def build_catalog(seed: int = SEED) -> Catalog:
    """The seeded 5,000-item catalog (see the module docstring)."""
    rng = np.random.default_rng([seed, 1])
    taught = np.sort(rng.choice(SKILLS, size=TAUGHT_SKILLS, replace=False))
    zipf = 1.0 / np.arange(1, TAUGHT_SKILLS + 1) ** 0.8
    weights = rng.permutation(zipf / zipf.sum())
    names = [name for name, _ in KINDS]
    odds = np.array([p for _, p in KINDS])
    kinds = [str(k) for k in rng.choice(names, size=ITEMS, p=odds / odds.sum())]
    primary = _popular(rng, taught, weights, ITEMS)
    minutes, cost, offline, locales = [], [], [], []
    teach_item, teach_skill, teach_level = [], [], []
    by_skill: dict[int, list[tuple[float, int]]] = {}
    for item, kind in enumerate(kinds):
        low, high = MINUTES[kind]
        minutes.append(int(rng.integers(low, high + 1)))
        price_low, price_high = PRICE[kind]
        free = rng.random() < 0.4 or price_high == 0
        cost.append(0.0 if free else float(round(rng.uniform(price_low, price_high) / 5) * 5))
        offline.append(bool(rng.random() < 0.3))
        tags = ["en"] if rng.random() < 0.9 else []
        tags += [tag for tag, p in LOCALES if rng.random() < p]
        locales.append(tuple(tags or ["es"]))
        level = _level(rng, kind)
        count = int(rng.choice([1, 2, 3, 4], p=[0.4, 0.3, 0.18, 0.12]))
        position = int(np.searchsorted(taught, primary[item]))
        neighbours = taught[max(0, position - CLUSTER) : min(TAUGHT_SKILLS, position + CLUSTER + 1)]
        others = [int(s) for s in rng.permutation(neighbours) if s != primary[item]][: count - 1]
        for k, skill in enumerate([int(primary[item]), *others]):
            gained = level if k == 0 else max(0.2, round(level - 0.2 * int(rng.integers(0, 2)), 1))
            teach_item.append(item)
            teach_skill.append(skill)
            teach_level.append(gained)
            by_skill.setdefault(skill, []).append((gained, item))
    prerequisite_item, prerequisite_required = [], []
    skill_item, skill_skill, skill_level = [], [], []
    for item in range(ITEMS):
        skill = int(primary[item])
        level = teach_level[teach_item.index(item)]
        if level < 0.6:
            continue
        draw = rng.random()
        lower = [j for lv, j in by_skill[skill] if lv < level and j != item]
        if draw < 0.35 and lower:
            prerequisite_item.append(item)
            prerequisite_required.append(int(rng.choice(lower)))
        elif draw < 0.6:
            skill_item.append(item)
            skill_skill.append(skill)
            skill_level.append(0.4)
    return Catalog(
        minutes=np.array(minutes, dtype=np.int64),
        cost=np.array(cost),
        kind=tuple(kinds),
        offline=np.array(offline, dtype=np.bool_),
        locales=tuple(locales),
        teach_item=np.array(teach_item, dtype=np.int64),
        teach_skill=np.array(teach_skill, dtype=np.int64),
        teach_level=np.array(teach_level),
        skill_count=SKILLS,
        prerequisite_item=np.array(prerequisite_item, dtype=np.int64),
        prerequisite_required_item=np.array(prerequisite_required, dtype=np.int64),
        skill_prerequisite_item=np.array(skill_item, dtype=np.int64),
        skill_prerequisite_skill=np.array(skill_skill, dtype=np.int64),
        skill_prerequisite_level=np.array(skill_level),
    )


@dataclass(frozen=True)
class PlanRequest:
    """One person's request."""

    gaps: Gaps
    learner: Learner
    constraints: Constraints


def build_requests(catalog: Catalog, count: int, seed: int = SEED) -> list[PlanRequest]:
    """Seeded requests shaped like role-profile gaps (see the module docstring)."""
    rng = np.random.default_rng([seed, 2])
    taught = np.unique(catalog.teach_skill)
    requests = []
    for _ in range(count):
        size = int(rng.integers(5, 31))
        skills: list[int] = []
        while len(skills) < size:
            if rng.random() < 0.1:
                skill = int(rng.integers(0, SKILLS))
            else:
                centre = int(rng.integers(0, taught.size))
                skill = int(taught[min(taught.size - 1, max(0, centre + int(rng.integers(-6, 7))))])
            if skill not in skills:
                skills.append(skill)
        target = rng.choice([0.4, 0.6, 0.8], size=size, p=[0.3, 0.45, 0.25])
        below = rng.integers(0, 4, size=size) * 0.2
        current = np.where(rng.random(size) < 0.5, 0.0, np.maximum(0.0, target - 0.2 - below))
        current = np.round(np.minimum(current, target - 0.2), 1).clip(0.0)
        known = [int(s) for s in rng.choice(taught, size=3, replace=False) if s not in skills]
        completed = rng.choice(catalog.size, size=int(rng.integers(0, 6)), replace=False)
        locale_choice = rng.random()
        locales = (
            None
            if locale_choice < 0.25
            else frozenset({"en"})
            if locale_choice < 0.75
            else frozenset({"es", "en"})
            if locale_choice < 0.9
            else frozenset({"de"})
        )
        constraints = Constraints(
            hours_per_week=float(rng.choice([1, 2, 3, 4, 5, 8])),
            start=START,
            budget=None if rng.random() < 0.6 else float(rng.integers(1, 11) * 500),
            locales=locales,
            offline_only=bool(rng.random() < 0.05),
            avoid_kinds=frozenset({"workshop"}) if rng.random() < 0.1 else frozenset(),
            require_kinds=frozenset({"mentorship"}) if rng.random() < 0.15 else frozenset(),
            deadline=START + timedelta(days=int(rng.integers(3, 13)) * 30)
            if rng.random() < 0.15
            else None,
        )
        requests.append(
            PlanRequest(
                Gaps(
                    skill=np.array(skills, dtype=np.int64),
                    target=target.astype(np.float64),
                    current=current.astype(np.float64),
                ),
                Learner(
                    skill=np.array(known, dtype=np.int64),
                    level=np.full(len(known), 0.4),
                    completed=np.sort(completed).astype(np.int64),
                ),
                constraints,
            )
        )
    return requests


def _plan(catalog: Catalog, request: PlanRequest) -> Plan:
    return plan_path(catalog, request.gaps, request.learner, request.constraints)


def _greedy(catalog: Catalog, request: PlanRequest) -> tuple[tuple[int, int, int], float]:
    """Greedy's key and its time (prepare + select, no schedule)."""
    start = time.perf_counter()
    problem = prepare(catalog, request.gaps, request.learner, request.constraints)
    chosen = greedy_select(problem) if problem.gaps and not problem.impossible else []
    elapsed = time.perf_counter() - start
    return plan_key(problem, chosen), elapsed


def run() -> None:
    """Build the data, time the planner and greedy, print the table and RESULT line."""
    started = time.perf_counter()
    catalog = build_catalog()
    index_start = time.perf_counter()
    _ = catalog.index
    index_seconds = time.perf_counter() - index_start
    requests = build_requests(catalog, max(PLANS, LATENCY_REQUESTS))
    generated = time.perf_counter() - started
    print(
        f"B4: catalog of {catalog.size:,} items ({catalog.teach_item.size:,} skills taught, "
        f"{catalog.prerequisite_item.size:,} item and {catalog.skill_prerequisite_item.size:,} "
        f"skill prerequisites) and {len(requests):,} requests built in {generated:.1f} s"
    )

    latencies = []
    for request in requests[:LATENCY_REQUESTS]:
        times = []
        for _ in range(REPEATS):
            start = time.perf_counter()
            _plan(catalog, request)
            times.append(time.perf_counter() - start)
        latencies.append(median(times) * 1000)
    p95 = percentile(latencies, 95)

    statuses: Counter[str] = Counter()
    keys: list[tuple[int, int, int]] = []
    per_plan: list[float] = []
    bulk_start = time.perf_counter()
    bulk_cpu = time.process_time()
    for request in requests[:PLANS]:
        start = time.perf_counter()
        plan = _plan(catalog, request)
        per_plan.append(time.perf_counter() - start)
        statuses[plan.status] += 1
        covered = len(plan.covered) + len(request.constraints.require_kinds) - len(plan.unmet_kinds)
        keys.append((-covered, plan.total_minutes, plan.total_cents))
    bulk_seconds = time.perf_counter() - bulk_start
    bulk_cpu = time.process_time() - bulk_cpu

    greedy_seconds = 0.0
    worse = 0
    more_covered = 0
    savings: list[float] = []
    greedy_hours: list[float] = []
    for request, key in zip(requests[:PLANS], keys, strict=True):
        greedy_key, elapsed = _greedy(catalog, request)
        greedy_seconds += elapsed
        if key > greedy_key:
            worse += 1
        if key[0] < greedy_key[0]:
            more_covered += 1
        elif key[0] == greedy_key[0]:
            savings.append((greedy_key[1] - key[1]) / 60)
            greedy_hours.append(greedy_key[1] / 60)
    strictly = sum(1 for s in savings if s > 1e-9)

    report = Report("B4", "learning paths, proven minimal hours (5,000 items, 13,891 skills)")
    report.add(
        Row(
            "one optimal plan p95",
            p95,
            "ms",
            f"<= {P95_TARGET_MS:.0f} ms",
            meets=p95 <= P95_TARGET_MS,
        )
    )
    report.add(Row("one optimal plan median", median(latencies), "ms"))
    report.add(
        Row(
            f"{PLANS:,} plans in bulk (exact)",
            bulk_seconds,
            "s",
            f"<= {BULK_TARGET_S * PLANS / 10_000:.0f} s",
            reference=greedy_seconds,
            meets=bulk_seconds <= BULK_TARGET_S * PLANS / 10_000,
        )
    )
    report.add(Row(f"{PLANS:,} plans in bulk, process CPU time", bulk_cpu, "s"))
    report.add(Row("bulk p95 per plan", percentile(per_plan, 95) * 1000, "ms"))
    report.add(Row("bulk max per plan", max(per_plan) * 1000, "ms"))
    report.add(Row(f"{PLANS:,} plans in bulk (greedy reference)", greedy_seconds, "s"))
    report.add(Row("catalog index build", index_seconds * 1000, "ms"))
    report.add(
        Row(
            "plans worse than greedy",
            float(worse),
            "plans",
            "0",
            meets=worse == 0,
        )
    )
    report.add(Row("hours saved vs greedy, mean", float(np.mean(savings)) if savings else 0.0, "h"))
    report.add(Row("hours saved vs greedy, largest", max(savings, default=0.0), "h"))
    report.add(
        Row(
            "hours saved vs greedy, smallest",
            min(savings, default=0.0),
            "h",
            ">= 0",
            meets=min(savings, default=0.0) >= -1e-9,
        )
    )
    report.add(Row("plans shorter than greedy's", float(strictly), "plans"))
    report.add(Row("plans closing more gaps than greedy", float(more_covered), "plans"))
    report.add(
        Row(
            "plans proven optimal",
            float(statuses[OPTIMAL]),
            "plans",
            "all solved",
            meets=statuses[OPTIMAL] + statuses["no_gaps"] + statuses["impossible"] == PLANS,
        )
    )
    saved = float(np.sum(savings)) if savings else 0.0
    report.extra = {
        "statuses": {status: statuses[status] for status in STATUSES},
        "plans": PLANS,
        "latency_requests": LATENCY_REQUESTS,
        "repeats": REPEATS,
        "mean_exact_plan_hours": float(np.mean([k[1] for k in keys])) / 60 if keys else 0.0,
        "comparable_plans": len(savings),
        "saving_percent_of_greedy_hours": (
            100 * saved / float(np.sum(greedy_hours)) if greedy_hours and saved else 0.0
        ),
    }
    report.print()
