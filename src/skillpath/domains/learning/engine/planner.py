"""The exact learning-path planner: a multi-cover integer program with prerequisite closure,
solved by HiGHS through `scipy.optimize.milp`, then scheduled by `schedule.build_plan`.

Model
-----
Levels do not add up: completing an item that gains level g in skill s brings the person to at
least g in s, so the level after a set S of items is `max(current, max of g over S)`. A gap
(skill s, target t) is closed by S when some item of S gains at least t in s (levels compared
with a 1e-9 tolerance). An item may require other items (all of them) and skill levels (all of
them); a required item is met when completed before or scheduled earlier, a required level when
held now or gained by an item scheduled earlier. A set S is *valid* when some order of S meets
every requirement of every item before it.

Constraints: per item (completed items, locales, offline only, avoided kinds, an item alone over
the budget or longer than the deadline allows are excluded; see `problem.py`); per plan: total
cost ≤ budget, total minutes ≤ hours per week × days until the deadline / 7, and at least one
item of each required kind that raises an open gap skill.

Objective, lexicographic: (1) close as many reachable gaps and required kinds as the budget and
deadline allow (all of them whenever possible), (2) the fewest minutes, (3) the lowest cost in
cents. Minutes and cents are integers, so each stage's optimum is exact.

Formulation
-----------
V: the usable items a plan may need (`Problem.needed`), less dominated ones (`_undominated`:
an item that is no item's prerequisite, replaced by a prerequisite-free item doing at least as
much for no more minutes or cents, never changes the optimum); G: reachable gaps; K: required
kinds with a usable relevant item. For every item i ∈ V, C(i) is its strongly connected component
in the dependency graph (i → j when j is an item i requires or an item that teaches a skill level
i requires).

    x_i ∈ {0,1} (i ∈ V)   y_g, y_k ∈ {0,1}   z_ij ∈ {0,1} (j supports i, C(j) = C(i))
    p_i ∈ [0, |C(i)| − 1] (i in a component of more than one item)

    (C1) Σ_{i closes g} x_i ≥ y_g                              g ∈ G
    (C2) Σ_{i of kind k raising a gap skill} x_i ≥ y_k         k ∈ K
    (C3) x_i ≤ x_j                                             j an item i requires
    (C4) x_i ≤ Σ_{j supports r, C(j) ≠ C(i)} x_j + Σ_{C(j) = C(i)} z_ij   each level r i requires
    (C5) z_ij ≤ x_j
    (C6) p_i ≥ p_j + 1 − |C|(1 − z_ij);  p_i ≥ p_j + 1 − |C|(1 − x_i) for C3 edges inside C
    (C7) Σ cents_i x_i ≤ budget,  Σ minutes_i x_i ≤ deadline minutes

Stage A minimises Σ minutes_i x_i with every y fixed to 1. When that is infeasible (only the
budget or the deadline can make it so: without C7 the union of the prerequisite closures of one
closing item per gap and one item per kind is valid), stage 0 first maximises Σ y and later
stages keep Σ y ≥ its optimum. Stage B minimises Σ cents_i x_i subject to Σ minutes_i x_i ≤ the
stage-A optimum (skipped when that plan costs nothing). HiGHS runs with `mip_rel_gap = 0`; each
objective has integer coefficients, so a proven gap below 1 is a proven optimum.

Proofs
------
1. *Reduction.* Every item of a valid set is usable (by induction along its order, each item is
   ready in some round of the least fixpoint). Among optimal plans there is one inside V: drop
   items that close no gap, meet no kind and are required or used by no other item (fewer
   minutes), and swap each dominated item for an undominated dominator (`_undominated`). So
   restricting the program to V keeps the optimum.
2. *Feasible x ⇔ valid set.* (⇐) Take a valid set S ⊆ V and an order of it. For each required
   level not held now, the earliest item of the order teaching it is a supporter in C4: it is
   not the requiring item, and it is never left out of support lists, since an item whose own
   prerequisites bring the level (`problem._reached_before`) needs an even earlier one. Set
   z_ij = 1 for it when it is in C(i), and let p_i be the rank of i among the items of C(i) in
   the order. Then C3–C6 hold. (⇒) Draw an edge i → j for every item requirement and every
   chosen support (x_j = 1 outside C(i), or z_ij = 1). An edge between components follows the
   acyclic condensation of the dependency graph; an edge inside a component raises p by at least
   1 (C6). So the edges have no cycle, and a topological order of S meets every requirement.
3. *Lexicographic exactness.* Stage B's feasible set is exactly the set of stage-A optima (the
   extra row `Σ minutes_i x_i ≤ optimum`), so its optimum is the cheapest among the shortest;
   likewise stage A under `Σ y ≥ optimum` of stage 0.
4. *Never worse than greedy.* The greedy plan (`greedy.py`) is a valid set within the same
   constraints; by 1 a plan inside V at least as good exists, and by 2 it is feasible here, so
   the optimum is lexicographically no worse.

When a stage stops at the time limit the best valid plan found is kept, compared with the greedy
plan, and the better one is returned with status `time_limit`.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix, csc_array, csr_matrix
from scipy.sparse.csgraph import connected_components

from skillpath.domains.learning.engine.greedy import greedy_select, plan_key
from skillpath.domains.learning.engine.model import (
    GREEDY,
    IMPOSSIBLE,
    NO_GAPS,
    OPTIMAL,
    TIME_LIMIT,
    Catalog,
    Constraints,
    Explanation,
    FloatArray,
    Gaps,
    Learner,
    Plan,
)
from skillpath.domains.learning.engine.problem import Problem, prepare
from skillpath.domains.learning.engine.schedule import build_plan

DEFAULT_TIME_LIMIT = 5.0
"""Seconds each solver stage may take."""

_SOLVED = "optimal"
_STOPPED = "stopped"
_INFEASIBLE = "infeasible"


@dataclass(frozen=True)
class _Result:
    status: str
    chosen: tuple[int, ...] | None
    gap: float | None

    @property
    def optimal(self) -> bool:
        return self.status == _SOLVED


class _Formulation:
    """The integer program of one problem: variables, rows, and solves of its stages."""

    def __init__(self, problem: Problem, time_limit: float) -> None:
        self.problem = problem
        self.time_limit = time_limit
        index = problem.catalog.index
        kept = _undominated(problem)
        covers = {g: [i for i in problem.covers[g] if i in kept] for g in problem.reachable}
        kinds = [kind for kind in sorted(problem.kind_items) if problem.kind_items[kind]]
        kind_items = {kind: [i for i in problem.kind_items[kind] if i in kept] for kind in kinds}
        supports = {
            item: [[j for j in need.supporters if j in kept] for need in problem.supports[item]]
            for item in kept
        }
        self.items = _closure(problem, covers, kind_items, supports)
        self.supports = supports
        col = {item: k for k, item in enumerate(self.items)}
        component = self._components(col)
        width = len(self.items)
        z_col: dict[tuple[int, int, int], int] = {}
        for item in self.items:
            for number, supporters in enumerate(supports[item]):
                for j in supporters:
                    if item in component and component[item] == component.get(j):
                        z_col[(item, number, j)] = width
                        width += 1
        p_col: dict[int, int] = {}
        for item in sorted(component):
            p_col[item] = width
            width += 1
        gaps = problem.reachable
        self.y_cols = list(range(width, width + len(gaps) + len(kinds)))
        width += len(gaps) + len(kinds)
        self.width = width
        rows: list[int] = []
        cols: list[int] = []
        values: list[float] = []
        lower: list[float] = []
        upper: list[float] = []

        def add(coefficients: Sequence[tuple[int, float]], low: float, high: float) -> None:
            row = len(lower)
            for column, value in coefficients:
                rows.append(row)
                cols.append(column)
                values.append(value)
            lower.append(low)
            upper.append(high)

        y = iter(self.y_cols)
        # (C1) every reachable gap, (C2) every required kind with a usable item.
        for g in gaps:
            add([*((col[i], 1.0) for i in covers[g]), (next(y), -1.0)], 0, math.inf)
        for kind in kinds:
            add([*((col[i], 1.0) for i in kind_items[kind]), (next(y), -1.0)], 0, math.inf)
        sizes = Counter(component.values())
        for item in self.items:
            for j in problem.requires[item]:
                add([(col[item], 1.0), (col[j], -1.0)], -math.inf, 0)  # (C3)
                if item in component and component[item] == component.get(j):  # (C6)
                    size = sizes[component[item]]
                    add(
                        [(p_col[j], 1.0), (p_col[item], -1.0), (col[item], size)],
                        -math.inf,
                        size - 1,
                    )
            for number, supporters in enumerate(supports[item]):
                coefficients = [(col[item], 1.0)]
                for j in supporters:
                    z = z_col.get((item, number, j))
                    if z is None:
                        coefficients.append((col[j], -1.0))
                        continue
                    coefficients.append((z, -1.0))
                    size = sizes[component[item]]
                    add([(z, 1.0), (col[j], -1.0)], -math.inf, 0)  # (C5)
                    add([(p_col[j], 1.0), (p_col[item], -1.0), (z, size)], -math.inf, size - 1)
                add(coefficients, -math.inf, 0)  # (C4)
        self.minutes = np.zeros(width)
        self.minutes[: len(self.items)] = [index.minutes[i] for i in self.items]
        self.cents = np.zeros(width)
        self.cents[: len(self.items)] = [index.cents[i] for i in self.items]
        self.coverage = np.zeros(width)
        self.coverage[self.y_cols] = 1.0
        # Three last rows, bounded per stage: total cents, total minutes, gaps and kinds closed.
        for row in (self.cents, self.minutes, self.coverage):
            add([(int(k), float(row[k])) for k in np.flatnonzero(row)], -math.inf, math.inf)
        self.matrix = csc_array(
            coo_matrix((values, (rows, cols)), shape=(len(lower), width)), dtype=np.float64
        )
        self.lower = np.array(lower, dtype=np.float64)
        self.upper = np.array(upper, dtype=np.float64)
        self.integrality = np.ones(width)
        self.high = np.ones(width)
        for item, column in p_col.items():
            self.integrality[column] = 0
            self.high[column] = sizes[component[item]] - 1

    def _components(self, col: dict[int, int]) -> dict[int, int]:
        """Strongly connected component of each item on a dependency cycle (none: acyclic)."""
        problem = self.problem
        generation = problem.generation
        sources: list[int] = []
        targets: list[int] = []
        cyclic = False
        for item in self.items:
            for j in problem.requires[item]:
                sources.append(col[item])
                targets.append(col[j])
            for supporters in self.supports[item]:
                for j in supporters:
                    sources.append(col[item])
                    targets.append(col[j])
                    # Edges always lower the generation unless a support goes sideways or up:
                    # only then can the dependency graph have a cycle.
                    cyclic = cyclic or generation[j] >= generation[item]
        if not cyclic:
            return {}
        n = len(self.items)
        graph = csr_matrix(
            (np.ones(len(sources)), (np.array(sources), np.array(targets))), shape=(n, n)
        )
        _, labels = connected_components(graph, directed=True, connection="strong")
        sizes = np.bincount(labels)
        return {self.items[k]: int(labels[k]) for k in range(n) if sizes[labels[k]] > 1}

    def count(self, chosen: Sequence[int]) -> int:
        """Reachable gaps closed and required kinds met by a set of items."""
        return -plan_key(self.problem, chosen)[0]

    def solve(
        self,
        objective: FloatArray,
        *,
        fixed_y: bool,
        resources: bool,
        min_coverage: float = -math.inf,
        max_minutes: float = math.inf,
    ) -> _Result:
        """Solve one stage (with the budget and deadline when `resources`, and the bounds of
        earlier stages); the chosen items when a solution was found."""
        problem = self.problem
        upper = self.upper.copy()
        lower = self.lower.copy()
        if resources and problem.max_cents is not None:
            upper[-3] = problem.max_cents
        if resources and problem.max_minutes is not None:
            max_minutes = min(max_minutes, problem.max_minutes)
        upper[-2] = max_minutes
        lower[-1] = min_coverage
        constraints = LinearConstraint(self.matrix, lower, upper)
        low = np.zeros(self.width)
        if fixed_y:
            low[self.y_cols] = 1.0
        result = milp(
            objective,
            integrality=self.integrality,
            bounds=Bounds(low, self.high),
            constraints=constraints,
            options={"mip_rel_gap": 0.0, "time_limit": self.time_limit, "presolve": True},
        )
        gap = getattr(result, "mip_gap", None)
        gap = None if gap is None or not math.isfinite(gap) else float(gap)
        if result.status == 2:
            return _Result(_INFEASIBLE, None, gap)
        chosen = None
        if result.x is not None:
            x = np.asarray(result.x)[: len(self.items)]
            chosen = tuple(item for item, value in zip(self.items, x, strict=True) if value > 0.5)
        return _Result(_SOLVED if result.status == 0 else _STOPPED, chosen, gap)

    def resource_explanations(self) -> list[Explanation]:
        """Why not every reachable gap fits: the budget, the deadline, or both together."""
        problem = self.problem
        index = problem.catalog.index
        found: list[Explanation] = []
        if problem.max_cents is not None:
            cheapest = self.solve(self.cents, fixed_y=True, resources=False).chosen
            if cheapest is not None:
                needed = sum(index.cents[i] for i in cheapest)
                if needed > problem.max_cents:
                    found.append(
                        Explanation(
                            "budget_too_small",
                            f"Closing every reachable gap costs at least {needed / 100:.2f}; "
                            f"the budget is {problem.max_cents / 100:.2f}.",
                            constraint="budget",
                            needed=needed / 100,
                            available=problem.max_cents / 100,
                        )
                    )
        if problem.max_minutes is not None:
            shortest = self.solve(self.minutes, fixed_y=True, resources=False).chosen
            if shortest is not None:
                needed = sum(index.minutes[i] for i in shortest)
                if needed > problem.max_minutes:
                    weeks = -(-needed // problem.capacity)
                    finish = problem.constraints.start + timedelta(days=7 * weeks - 1)
                    found.append(
                        Explanation(
                            "deadline_too_short",
                            f"Closing every reachable gap takes at least {needed / 60:.1f} hours; "
                            f"the deadline leaves {problem.max_minutes / 60:.1f}. At this pace "
                            f"the plan would end on {finish.isoformat()}.",
                            constraint="deadline",
                            needed=needed / 60,
                            available=problem.max_minutes / 60,
                        )
                    )
        if not found:
            found.append(
                Explanation(
                    "budget_and_deadline_too_tight",
                    "The budget and the deadline together do not leave room for every "
                    "reachable gap.",
                    constraint="budget",
                )
            )
        return found


def _undominated(problem: Problem) -> set[int]:
    """The needed items left after removing dominated ones (exact: see below).

    Item j dominates item i when j has no prerequisite (no required item, no required level it
    lacks), i is no item's required item, j closes every gap, meets every required kind and
    supports every required level that i does, and (minutes, cents, item) of j is smaller with
    minutes and cents each no larger. Replacing i by j (placed first) in any plan keeps it
    valid and closes at least as much for no more minutes or cents, so the optimum is unchanged.
    Dominance is a strict partial order, so every dominated item keeps an undominated dominator.
    """
    index = problem.catalog.index
    tokens: dict[int, set[int]] = {item: set() for item in problem.needed}
    for g in problem.reachable:
        for item in problem.covers[g]:
            tokens[item].add(g)
    token = len(problem.gaps)
    for kind in sorted(problem.kind_items):
        for item in problem.kind_items[kind]:
            tokens[item].add(token)
        token += 1
    required: set[int] = set()
    for item in problem.needed:
        required.update(problem.requires[item])
        for need in problem.supports[item]:
            for j in need.supporters:
                tokens[j].add(token)
            token += 1
    free = [i for i in problem.needed if not problem.requires[i] and not problem.supports[i]]
    holders: dict[int, list[int]] = {}
    for item in free:
        for held in tokens[item]:
            holders.setdefault(held, []).append(item)
    kept = set(problem.needed)
    for item in problem.needed:
        if item in required:
            continue
        # Every needed item closes a gap, meets a kind, supports a level or is required.
        mine = tokens[item]
        cost = (index.minutes[item], index.cents[item], item)
        for other in holders.get(min(mine), ()):
            if (
                index.minutes[other] <= cost[0]
                and index.cents[other] <= cost[1]
                and (index.minutes[other], index.cents[other], other) < cost
                and mine <= tokens[other]
            ):
                kept.discard(item)
                break
    return kept


def _closure(
    problem: Problem,
    covers: dict[int, list[int]],
    kind_items: dict[str, list[int]],
    supports: dict[int, list[list[int]]],
) -> tuple[int, ...]:
    """Items the program needs: those closing a gap or meeting a kind, and transitively their
    required items and supporters."""
    seen: set[int] = set()
    stack = [i for items in covers.values() for i in items]
    stack += [i for items in kind_items.values() for i in items]
    while stack:
        item = stack.pop()
        if item in seen:
            continue
        seen.add(item)
        stack.extend(problem.requires[item])
        for supporters in supports[item]:
            stack.extend(supporters)
    return tuple(sorted(seen))


def _either(
    found: tuple[int, ...] | None, fallback: tuple[int, ...] | None
) -> tuple[int, ...] | None:
    return fallback if found is None else found


def _lexicographic(
    formulation: _Formulation,
) -> tuple[tuple[int, ...] | None, bool, float | None, list[Explanation]]:
    """Stages 0, A and B: the best set found, whether it is proven optimal, the last MIP gap
    and the explanations of a binding budget or deadline."""
    problem = formulation.problem
    index = problem.catalog.index
    explanations: list[Explanation] = []
    coverage = -math.inf
    fixed_y = True
    first = formulation.solve(formulation.minutes, fixed_y=True, resources=True)
    best: tuple[int, ...] | None = None
    if first.status == _INFEASIBLE:
        cover = formulation.solve(-formulation.coverage, fixed_y=False, resources=True)
        if cover.chosen is None:
            return None, False, cover.gap, explanations
        best = cover.chosen
        explanations = formulation.resource_explanations()
        coverage = float(formulation.count(cover.chosen))
        fixed_y = False
        first = formulation.solve(
            formulation.minutes, fixed_y=False, resources=True, min_coverage=coverage
        )
        if not cover.optimal:
            return _either(first.chosen, best), False, cover.gap, explanations
    if first.chosen is None or not first.optimal:
        return _either(first.chosen, best), False, first.gap, explanations
    best = first.chosen
    if sum(index.cents[i] for i in best) == 0:
        return best, True, first.gap, explanations
    shortest = float(sum(index.minutes[i] for i in best))
    second = formulation.solve(
        formulation.cents,
        fixed_y=fixed_y,
        resources=True,
        min_coverage=coverage,
        max_minutes=shortest,
    )
    if second.chosen is None:
        return best, False, second.gap, explanations
    cheaper = min(best, second.chosen, key=lambda s: sum(index.cents[i] for i in s))
    return cheaper, second.optimal, second.gap, explanations


def plan_path(
    catalog: Catalog,
    gaps: Gaps,
    learner: Learner,
    constraints: Constraints,
    *,
    time_limit: float = DEFAULT_TIME_LIMIT,
) -> Plan:
    """The optimal learning path for one person (see the module docstring), scheduled."""
    if not time_limit > 0:
        raise ValueError("time_limit must be positive")
    problem = prepare(catalog, gaps, learner, constraints)
    if not problem.gaps:
        return build_plan(problem, (), status=NO_GAPS, solver="none")
    if problem.impossible:
        return build_plan(problem, (), status=IMPOSSIBLE, solver="none")
    formulation = _Formulation(problem, time_limit)
    chosen, proven, gap, explanations = _lexicographic(formulation)
    if proven and chosen is not None:
        return build_plan(
            problem, chosen, status=OPTIMAL, solver="milp", mip_gap=gap, explanations=explanations
        )
    greedy = greedy_select(problem)
    solver = "milp"
    if chosen is None or plan_key(problem, greedy) < plan_key(problem, chosen):
        chosen, solver = tuple(greedy), GREEDY
    return build_plan(
        problem, chosen, status=TIME_LIMIT, solver=solver, mip_gap=gap, explanations=explanations
    )
