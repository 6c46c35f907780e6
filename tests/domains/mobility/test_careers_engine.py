"""The career-path engine: similarity against a per-pair reference loop and its properties, the
no-history graph, moves raising edges, the level rule, typical months, reach and readiness."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skillpath.domains.mobility.engine.careers import (
    SIMILARITY_LEVELS,
    GraphSettings,
    MoveHistory,
    RoleGraph,
    RoleProfiles,
    build_role_graph,
    months_in_role,
    profile_similarity,
    reachable,
    readiness_for,
)


def profiles_of(
    roles: list[dict[int, tuple[float, float]]], levels: list[int] | None = None
) -> RoleProfiles:
    """Profiles from one {skill: (target, importance)} per role."""
    rows = [(r, s, t, w) for r, lines in enumerate(roles) for s, (t, w) in lines.items()]
    skills = 1 + max((s for _, s, _, _ in rows), default=-1)
    return RoleProfiles(
        role=np.array([r[0] for r in rows], dtype=np.int64),
        skill=np.array([r[1] for r in rows], dtype=np.int64),
        target=np.array([r[2] for r in rows], dtype=np.float64),
        importance=np.array([r[3] for r in rows], dtype=np.float64),
        role_count=len(roles),
        skill_count=skills,
        level=None if levels is None else np.array(levels, dtype=np.int64),
    )


def reference_similarity(roles: list[dict[int, tuple[float, float]]], a: int, b: int) -> float:
    """sim(A, B) by its definition, one pair at a time."""
    required = {s: tw for s, tw in roles[b].items() if tw[0] > 0}
    total = sum(w for _, w in required.values())
    if a == b or total == 0:
        return 0.0
    covered = sum(
        w * (min(roles[a].get(s, (0.0, 0.0))[0], t) / t) for s, (t, w) in required.items()
    )
    return covered / total


def moves(*pairs: tuple[int, int, float]) -> MoveHistory:
    """A history of (source, target, months) moves."""
    return MoveHistory(
        np.array([p[0] for p in pairs], dtype=np.int64),
        np.array([p[1] for p in pairs], dtype=np.int64),
        np.array([p[2] for p in pairs], dtype=np.float64),
    )


# Support (A), Senior support (B), Sales (C), Data analyst (D): skills 0 listening,
# 1 product, 2 negotiation, 3 SQL, 4 coaching.
ROLES = [
    {0: (0.6, 1.0), 1: (0.4, 0.6)},
    {0: (0.8, 1.0), 1: (0.6, 0.6), 4: (0.4, 0.3)},
    {0: (0.6, 0.6), 2: (0.8, 1.0), 1: (0.4, 0.6)},
    {3: (0.8, 1.0)},
]


def test_similarity_matches_the_definition_on_known_roles() -> None:
    similarity = profile_similarity(profiles_of(ROLES)).toarray()
    # Support → Senior support: listening 0.6/0.8, product 0.4/0.6, coaching 0 of 0.4.
    expected = (1.0 * 0.6 / 0.8 + 0.6 * 0.4 / 0.6 + 0.3 * 0) / (1.0 + 0.6 + 0.3)
    assert similarity[0, 1] == pytest.approx(expected)
    # Senior support covers every skill of Support at or above its level.
    assert similarity[1, 0] == pytest.approx(1.0)
    # Directional: the senior role asks for more than the junior one provides.
    assert similarity[0, 1] < similarity[1, 0]
    # No shared skill, no similarity; never an edge to oneself.
    assert similarity[0, 3] == 0
    assert similarity[3, 0] == 0
    assert np.all(np.diag(similarity) == 0)


UNIT = st.one_of(st.just(0.0), st.floats(1e-6, 1.0))
"""Levels and weights: 0, or far enough from 0 that the reference loop does not underflow."""


@st.composite
def catalogs(draw: st.DrawFn) -> list[dict[int, tuple[float, float]]]:
    """Random role catalogs with few skills (so that roles overlap) and a few distinct targets."""
    role_count = draw(st.integers(1, 7))
    skills = draw(st.integers(1, 6))
    # At most SIMILARITY_LEVELS distinct targets (above that they are rounded; own test).
    pool = draw(st.lists(UNIT, min_size=1, max_size=12))
    value = st.sampled_from(pool)
    return [
        draw(
            st.dictionaries(
                st.integers(0, skills - 1),
                st.tuples(value, UNIT),
                max_size=skills,
            )
        )
        for _ in range(role_count)
    ]


@settings(max_examples=80, deadline=None)
@given(catalogs())
def test_similarity_equals_the_reference_loop_and_stays_in_range(
    roles: list[dict[int, tuple[float, float]]],
) -> None:
    similarity = profile_similarity(profiles_of(roles)).toarray()
    assert np.all((similarity >= 0) & (similarity <= 1))
    for a in range(len(roles)):
        for b in range(len(roles)):
            assert similarity[a, b] == pytest.approx(reference_similarity(roles, a, b), abs=1e-9)


def test_many_distinct_targets_are_rounded_to_the_published_grid() -> None:
    """With more distinct targets than SIMILARITY_LEVELS the similarity reads rounded targets,
    so it equals the reference on the rounded catalog."""
    rng = np.random.default_rng(3)
    roles = [
        {int(s): (float(rng.uniform(0.01, 1)), float(rng.uniform(0.1, 1))) for s in range(6)}
        for _ in range(8)
    ]
    assert len({t for r in roles for t, _ in r.values()}) > SIMILARITY_LEVELS
    rounded = [
        {
            s: (max(round(t * SIMILARITY_LEVELS), 1) / SIMILARITY_LEVELS, w)
            for s, (t, w) in r.items()
        }
        for r in roles
    ]
    similarity = profile_similarity(profiles_of(roles)).toarray()
    for a in range(8):
        for b in range(8):
            assert similarity[a, b] == pytest.approx(reference_similarity(rounded, a, b))


def test_zero_targets_and_weightless_roles_give_no_similarity() -> None:
    roles = [{0: (0.6, 1.0)}, {0: (0.0, 1.0)}, {0: (0.6, 0.0)}]
    similarity = profile_similarity(profiles_of(roles)).toarray()
    assert similarity[0, 1] == 0  # a zero target asks for nothing
    assert similarity[0, 2] == 0  # no weight to cover
    assert profile_similarity(profiles_of([{}, {}])).nnz == 0


def test_without_history_the_edge_score_is_the_similarity() -> None:
    profiles = profiles_of(ROLES)
    graph = build_role_graph(profiles, MoveHistory.empty(), GraphSettings(min_score=0.0))
    similarity = profile_similarity(profiles).toarray()
    assert graph.source.shape[0] == np.count_nonzero(similarity)
    for s, t, score, sim in zip(
        graph.source, graph.target, graph.score, graph.similarity, strict=True
    ):
        assert score == pytest.approx(similarity[s, t])
        assert sim == score
    assert np.all(graph.moves == 0)
    assert not graph.months_observed.any()
    # Without history the base is the default; the estimate grows with the missing share.
    assert graph.base_months == 12.0
    assert np.allclose(graph.months, 12.0 * (2 - graph.similarity))


def test_observed_moves_raise_an_edge_and_can_create_one() -> None:
    profiles = profiles_of(ROLES)
    quiet = build_role_graph(profiles, MoveHistory.empty())
    busy = build_role_graph(profiles, moves(*[(0, 2, 20.0)] * 3, *[(0, 3, 14.0)] * 6))

    def score(graph: RoleGraph, a: int, b: int) -> float | None:
        hit = np.flatnonzero((graph.source == a) & (graph.target == b))
        return float(graph.score[hit[0]]) if hit.shape[0] else None

    before, after = score(quiet, 0, 2), score(busy, 0, 2)
    assert before is not None
    assert after is not None
    assert after > before
    sim = profile_similarity(profiles).toarray()[0, 2]
    assert after == pytest.approx((4 * sim + 3) / (4 + 3))
    # Support → Data analyst shares no skill: only the history makes it an edge.
    assert score(quiet, 0, 3) is None
    assert score(busy, 0, 3) == pytest.approx(6 / 10)
    # Each additional move raises the score further.
    more = build_role_graph(profiles, moves(*[(0, 2, 20.0)] * 5))
    assert score(more, 0, 2) > after  # type: ignore[operator]


def test_typical_months_use_the_median_from_three_observed_moves() -> None:
    profiles = profiles_of(ROLES)
    two = build_role_graph(profiles, moves((0, 1, 10.0), (0, 1, 30.0)))
    edge = np.flatnonzero((two.source == 0) & (two.target == 1))[0]
    assert not two.months_observed[edge]
    assert two.base_months == 12.0  # fewer than three known times anywhere
    three = build_role_graph(
        profiles, moves((0, 1, 10.0), (0, 1, 30.0), (0, 1, 14.0), (0, 1, float("nan")))
    )
    edge = np.flatnonzero((three.source == 0) & (three.target == 1))[0]
    assert three.months_observed[edge]
    assert three.months[edge] == 14.0
    four = build_role_graph(profiles, moves((0, 1, 10.0), (0, 1, 30.0), (0, 1, 14.0), (0, 1, 20)))
    edge = np.flatnonzero((four.source == 0) & (four.target == 1))[0]
    assert four.months[edge] == 17.0  # even count: mean of the middle two
    # Edges without enough observations scale the history's median time in role.
    other = np.flatnonzero((four.source == 1) & (four.target == 0))[0]
    assert four.base_months == 17.0
    assert four.months[other] == pytest.approx(17.0 * (2 - four.similarity[other]))


def test_level_rule_keeps_lateral_and_small_steps_up_unless_someone_moved() -> None:
    # Same profile everywhere, so every pair is fully similar; levels 3, 2, 3, 4, 6.
    roles = [{0: (0.6, 1.0)}] * 5
    graph = build_role_graph(profiles_of(roles, levels=[3, 2, 3, 4, 6]), MoveHistory.empty())
    from_first = set(graph.target[graph.edges_of(0)].tolist())
    assert from_first == {2, 3}  # lateral (3) and one up (4); not down (2), not +3 (6)
    moved = build_role_graph(
        profiles_of(roles, levels=[3, 2, 3, 4, 6]), moves((0, 1, 12.0), (0, 4, 12.0))
    )
    assert set(moved.target[moved.edges_of(0)].tolist()) == {1, 2, 3, 4}


def test_threshold_and_top_k_per_role() -> None:
    roles = [{0: (0.6, 1.0), 1: (0.6, 1.0)}, {0: (0.6, 1.0)}, {0: (0.6, 1.0), 2: (0.6, 1.0)}]
    graph = build_role_graph(profiles_of(roles), MoveHistory.empty(), GraphSettings(min_score=0.6))
    # 0 → 2 and 1 → 0 and 1 → 2 are 0.5: below the threshold.
    pairs = set(zip(graph.source.tolist(), graph.target.tolist(), strict=True))
    assert pairs == {(0, 1), (2, 1)}
    top = build_role_graph(profiles_of(ROLES), MoveHistory.empty(), GraphSettings(top_k=1))
    assert np.all(np.bincount(top.source) <= 1)
    assert np.all(np.diff(top.indptr) <= 1)


def test_two_step_reach_multiplies_scores_through_the_best_intermediate() -> None:
    # Observed moves make every edge (the roles have no profiles): 0 → 1 → 3 and 0 → 2 → 3
    # and a weak direct 0 → 3; 0 → 1 direct beats 0 → 2 → 1.
    roles: list[dict[int, tuple[float, float]]] = [{}, {}, {}, {}, {}]
    history = moves(
        *[(0, 1, 12.0)] * 6,
        *[(1, 3, 12.0)] * 2,
        *[(0, 2, 12.0)] * 2,
        *[(2, 3, 12.0)] * 20,
        *[(2, 1, 12.0)] * 20,
        (0, 3, 12.0),
        (1, 0, 12.0),
        (3, 4, 12.0),
    )
    graph = build_role_graph(profiles_of(roles), history, GraphSettings(min_score=0.1))

    def edge(a: int, b: int) -> float:
        return float(graph.score[np.flatnonzero((graph.source == a) & (graph.target == b))[0]])

    one = reachable(graph, 0, steps=1)
    assert one.target.tolist() == [1, 2, 3]
    assert np.all(one.via == -1)
    assert np.all(one.steps == 1)
    two = reachable(graph, 0, steps=2)
    found = dict(zip(two.target.tolist(), range(two.target.shape[0]), strict=True))
    assert 0 not in found  # never back to the start
    # 4 only through the weak direct 0 → 3 (0 → 2 → 3 → 4 would score more, but is three steps).
    assert two.via[found[4]] == 3
    assert two.score[found[4]] == pytest.approx(edge(0, 3) * edge(3, 4))
    assert two.score[found[4]] < edge(0, 2) * edge(2, 3) * edge(3, 4)
    at = found[3]
    best = max(edge(0, 1) * edge(1, 3), edge(0, 2) * edge(2, 3))
    assert two.score[at] == pytest.approx(best)
    assert two.via[at] == 2
    assert two.steps[at] == 2
    assert best > edge(0, 3)
    # 0 → 2: two moves, so estimated (12 · (2 − 0)); 2 → 3: the median of twenty moves.
    assert two.months[at] == pytest.approx(24.0 + 12.0)
    assert graph.target[two.second[at]] == 3
    assert graph.source[two.second[at]] == 2
    assert np.all(np.diff(two.score) <= 0)  # best first
    # A direct edge is kept when it is at least as good as any two-step path.
    assert two.steps[found[1]] == 1
    assert two.score[found[1]] == pytest.approx(edge(0, 1))
    with pytest.raises(ValueError, match="steps"):
        reachable(graph, 0, steps=3)
    with pytest.raises(ValueError, match="out of range"):
        reachable(graph, 9)
    with pytest.raises(ValueError, match="out of range"):
        graph.incoming(-1)
    assert graph.incoming(3).tolist() == sorted(
        graph.incoming(3).tolist(), key=lambda p: -graph.score[p]
    )


def test_reach_from_a_role_without_edges_is_empty() -> None:
    graph = build_role_graph(profiles_of([{0: (0.5, 1.0)}, {1: (0.5, 1.0)}]), MoveHistory.empty())
    assert reachable(graph, 0).target.shape[0] == 0


def test_months_in_role_since_the_previous_move_or_hire() -> None:
    day = date.toordinal
    hired = day(date(2020, 1, 1))
    months = months_in_role(
        employee=np.array([7, 7, 8, 7], dtype=np.int64),
        moved_day=np.array(
            [
                day(date(2021, 1, 1)),
                day(date(2022, 7, 1)),
                day(date(2023, 1, 1)),
                day(date(2023, 1, 1)),
            ],
            dtype=np.int64,
        ),
        from_role=np.array([1, 2, 1, 5], dtype=np.int64),
        to_role=np.array([2, 3, 2, 6], dtype=np.int64),
        hired_day=np.array([hired, hired, day(date(2023, 2, 1)), hired], dtype=np.int64),
    )
    assert months[0] == pytest.approx(12.0, abs=0.1)  # since hire
    assert months[1] == pytest.approx(18.0, abs=0.1)  # since the move into role 2
    assert np.isnan(months[2])  # moved before the hire date: unknown
    assert np.isnan(months[3])  # the previous move led elsewhere (3, not 5): unknown
    assert months_in_role(*(np.zeros(0, dtype=np.int64),) * 5).shape == (0,)


def test_readiness_and_missing_skills() -> None:
    profiles = profiles_of(ROLES)
    levels = np.array([0.8, 0.2, 0.0, 0.0, 0.0])
    result = readiness_for(profiles, np.array([1, 3, 0], dtype=np.int64), levels)
    # Senior support: listening 0.8 met, product 0.2 of 0.6, coaching 0 of 0.4.
    wanted = 0.8 * 1.0 + 0.6 * 0.6 + 0.4 * 0.3
    assert result.readiness[0] == pytest.approx((0.8 + 0.2 * 0.6) / wanted)
    assert result.shortfall[0] == pytest.approx(0.4 * 0.6 + 0.4 * 0.3)
    assert result.readiness[1] == 0.0
    assert result.readiness[2] == pytest.approx((0.6 + 0.2 * 0.6) / (0.6 + 0.4 * 0.6))
    first = result.line_role == 0
    # Biggest weighted shortfall first: product (0.24) before coaching (0.12), then met lines.
    assert result.line_skill[first].tolist() == [1, 4, 0]
    assert result.line_shortfall[first].tolist() == pytest.approx([0.4, 0.4, 0.0])
    empty = readiness_for(profiles_of([{}, {0: (0.5, 1.0)}]), np.array([0]), np.zeros(1))
    assert np.isnan(empty.readiness[0])
    assert empty.shortfall[0] == 0


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (
            lambda: RoleProfiles(
                *(np.zeros(1, dtype=np.int64),) * 2, np.array([1.5]), np.ones(1), 1, 1
            ),
            "targets",
        ),
        (
            lambda: RoleProfiles(
                *(np.zeros(1, dtype=np.int64),) * 2, np.ones(1), np.array([-1.0]), 1, 1
            ),
            "importances",
        ),
        (
            lambda: RoleProfiles(
                np.array([2]), np.zeros(1, dtype=np.int64), np.ones(1), np.ones(1), 1, 1
            ),
            "role index",
        ),
        (
            lambda: RoleProfiles(
                np.zeros(1, dtype=np.int64), np.array([3]), np.ones(1), np.ones(1), 1, 1
            ),
            "skill index",
        ),
        (
            lambda: RoleProfiles(*(np.zeros(2, dtype=np.int64),) * 2, np.ones(2), np.ones(2), 1, 1),
            "twice",
        ),
        (
            lambda: RoleProfiles(*(np.zeros(1, dtype=np.int64),) * 2, np.ones(2), np.ones(1), 1, 1),
            "shape",
        ),
        (
            lambda: RoleProfiles(
                *(np.zeros(0, dtype=np.int64),) * 2, np.ones(0), np.ones(0), -1, 1
            ),
            "counts",
        ),
        (
            lambda: RoleProfiles(
                *(np.zeros(0, dtype=np.int64),) * 2,
                np.ones(0),
                np.ones(0),
                2,
                1,
                np.ones(1, dtype=np.int64),
            ),
            "levels",
        ),
        (lambda: moves((0, 1, -2.0)), "months"),
        (lambda: GraphSettings(prior_strength=0), "prior_strength"),
        (lambda: GraphSettings(min_score=2), "min_score"),
        (lambda: GraphSettings(top_k=0), "top_k"),
        (lambda: GraphSettings(max_level_step=-1), "max_level_step"),
        (lambda: GraphSettings(min_moves_for_median=0), "min_moves_for_median"),
        (lambda: GraphSettings(default_base_months=0), "default_base_months"),
        (lambda: build_role_graph(profiles_of(ROLES), moves((0, 9, 1.0))), "move role index"),
        (lambda: readiness_for(profiles_of(ROLES), np.array([0]), np.zeros(2)), "levels must have"),
        (
            lambda: readiness_for(profiles_of(ROLES), np.array([0]), np.full(5, 2.0)),
            r"levels must be in",
        ),
        (lambda: readiness_for(profiles_of(ROLES), np.array([9]), np.zeros(5)), "role index"),
    ],
)
def test_bad_input_is_refused(build: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        build()  # type: ignore[operator]
