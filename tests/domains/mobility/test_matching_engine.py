"""The match engine: vectorised rankings equal the per-pair reference, explanations add up."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from skillpath.domains.mobility.engine.matching import (
    W_ASPIRATION,
    W_LOGISTICS,
    W_SKILLS,
    Opportunities,
    People,
    band,
    explain,
    rank_opportunities,
    rank_people,
    reference_rank_opportunities,
    reference_rank_people,
)

SKILLS = 60
ROLES = 12


def random_world(
    seed: int, people: int = 400, opportunities: int = 150
) -> tuple[People, Opportunities]:
    rng = np.random.default_rng(seed)
    density = 0.15
    levels = sp.random(
        people,
        SKILLS,
        density=density,
        random_state=rng,
        format="csc",
        data_rvs=lambda n: rng.choice([0.2, 0.4, 0.6, 0.8, 1.0], size=n),
    )
    develop = sp.random(people, SKILLS, density=0.03, random_state=rng, format="csc")
    develop.data[:] = 1.0
    targets = sp.random(people, ROLES, density=0.08, random_state=rng, format="csc")
    targets.data[:] = 1.0
    target = sp.random(
        opportunities,
        SKILLS,
        density=0.12,
        random_state=rng,
        format="csr",
        data_rvs=lambda n: rng.choice([0.4, 0.6, 0.8], size=n),
    )
    importance = target.copy()
    importance.data = rng.choice([0.3, 0.6, 1.0], size=importance.data.size)
    return (
        People(
            ids=np.arange(100, 100 + people, dtype=np.int64),
            levels=levels,
            develop=develop,
            targets=targets,
            location=rng.integers(-1, 6, size=people),
            country=rng.integers(-1, 3, size=people),
            utc_offset=rng.choice([-5.0, 0.0, 1.0, 5.5], size=people),
            languages=rng.integers(0, 8, size=people),
        ),
        Opportunities(
            ids=np.arange(7, 7 + opportunities, dtype=np.int64),
            target=target,
            importance=importance,
            role=rng.integers(-1, ROLES, size=opportunities),
            location=rng.integers(-1, 6, size=opportunities),
            country=rng.integers(-1, 3, size=opportunities),
            remote=rng.random(opportunities) < 0.3,
            utc_offset=rng.choice([-5.0, 0.0, 1.0, 5.5], size=opportunities),
            language=rng.integers(0, 4, size=opportunities),
        ),
    )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_candidates_ranked_exactly_as_the_reference(seed: int) -> None:
    people, opportunities = random_world(seed)
    for k in range(0, opportunities.size, 7):
        fast = rank_people(people, opportunities, k, limit=20)
        slow = reference_rank_people(people, opportunities, k, limit=20)
        assert fast.index.tolist() == [row for row, _ in slow]
        assert fast.score.tolist() == pytest.approx([score for _, score in slow], abs=1e-12)


@pytest.mark.parametrize("seed", [4, 5])
def test_opportunities_ranked_exactly_as_the_reference(seed: int) -> None:
    people, opportunities = random_world(seed)
    for row in range(0, people.size, 37):
        person = people.row(row)
        fast = rank_opportunities(person, opportunities, limit=20)
        slow = reference_rank_opportunities(person, opportunities, limit=20)
        assert fast.index.tolist() == [k for k, _ in slow]
        assert fast.score.tolist() == pytest.approx([score for _, score in slow], abs=1e-12)


def test_eligibility_masks_rows_out() -> None:
    people, opportunities = random_world(9)
    eligible = np.ones(people.size, dtype=np.bool_)
    best = rank_people(people, opportunities, 0, limit=5)
    eligible[best.index[0]] = False
    again = rank_people(people, opportunities, 0, limit=5, eligible=eligible)
    assert best.index[0] not in again.index.tolist()
    assert again.index.tolist()[:4] == best.index.tolist()[1:5]
    slow = reference_rank_people(people, opportunities, 0, limit=5, eligible=eligible)
    assert again.index.tolist() == [row for row, _ in slow]


def test_explanation_adds_up_to_the_ranked_score() -> None:
    people, opportunities = random_world(11)
    for k in range(0, opportunities.size, 10):
        ranked = rank_people(people, opportunities, k, limit=3)
        for position, row in enumerate(ranked.index.tolist()):
            why = explain(people.row(row), opportunities, k)
            assert why.score == pytest.approx(ranked.score[position], abs=1e-12)
            assert why.skills == pytest.approx(ranked.skills[position], abs=1e-12)
            assert why.aspiration == pytest.approx(ranked.aspiration[position], abs=1e-12)
            assert why.logistics == pytest.approx(ranked.logistics[position], abs=1e-12)
            assert why.score == pytest.approx(
                W_SKILLS * why.skills + W_ASPIRATION * why.aspiration + W_LOGISTICS * why.logistics
            )
            assert why.aspiration == pytest.approx(
                0.5 * float(why.targets_role) + 0.5 * why.develop_share
            )
            assert why.logistics == pytest.approx((why.place + why.timezone + why.language) / 3)
            # Raising every missing skill to its target adds exactly the missing skill fit.
            assert sum(line.gain for line in why.missing) == pytest.approx(
                W_SKILLS * (1 - why.skills) if why.lines else 0.0
            )


def one_opportunity(targets: list[tuple[int, float, float]], **where: object) -> Opportunities:
    skills = [s for s, _, _ in targets]
    target = sp.csr_matrix(
        ([t for _, t, _ in targets], ([0] * len(targets), skills)), shape=(1, SKILLS)
    )
    importance = sp.csr_matrix(
        ([w for _, _, w in targets], ([0] * len(targets), skills)), shape=(1, SKILLS)
    )
    return Opportunities(
        ids=np.array([1]),
        target=target,
        importance=importance,
        role=np.array([where.get("role", -1)]),
        location=np.array([where.get("location", 1)]),
        country=np.array([where.get("country", 1)]),
        remote=np.array([where.get("remote", False)]),
        utc_offset=np.array([where.get("utc_offset", 0.0)], dtype=np.float64),
        language=np.array([where.get("language", 0)]),
    )


def people_with(rows: list[dict[int, float]], **columns: list[object]) -> People:
    n = len(rows)
    data, r, c = [], [], []
    for i, row in enumerate(rows):
        for skill, level in row.items():
            data.append(level)
            r.append(i)
            c.append(skill)
    return People(
        ids=np.arange(n, dtype=np.int64),
        levels=sp.csc_matrix((data, (r, c)), shape=(n, SKILLS)),
        develop=sp.csc_matrix((n, SKILLS)),
        targets=sp.csc_matrix((n, ROLES)),
        location=np.array(columns.get("location", [1] * n)),
        country=np.array(columns.get("country", [1] * n)),
        utc_offset=np.array(columns.get("utc_offset", [0.0] * n), dtype=np.float64),
        languages=np.array(columns.get("languages", [1] * n)),
    )


def test_levels_count_and_overqualification_is_capped() -> None:
    opportunity = one_opportunity([(0, 0.6, 1.0), (1, 0.8, 1.0)])
    people = people_with([{0: 0.6, 1: 0.8}, {0: 1.0, 1: 1.0}, {0: 0.3, 1: 0.8}, {}])
    ranked = rank_people(people, opportunity, 0, limit=4)
    by_id = dict(zip(ranked.index.tolist(), ranked.skills.tolist(), strict=True))
    assert by_id[0] == pytest.approx(1.0)
    assert by_id[1] == pytest.approx(1.0)  # more than the target earns nothing extra
    assert by_id[2] == pytest.approx(0.75)  # half of one skill, all of the other
    assert by_id[3] == 0.0
    # Ties (ids 0 and 1) are settled by id.
    assert ranked.index.tolist()[:2] == [0, 1]


def test_logistics_parts() -> None:
    opportunity = one_opportunity(
        [(0, 0.6, 1.0)], location=3, country=2, utc_offset=0.0, language=2
    )
    people = people_with(
        [{0: 0.6}] * 4,
        location=[3, 4, 5, -1],
        country=[2, 2, 9, -1],
        utc_offset=[0.0, 2.0, 8.0, 0.0],
        languages=[2, 3, 1, 0],
    )
    explained = [explain(people.row(k), opportunity, 0) for k in range(4)]
    assert [e.place for e in explained] == [1.0, 0.5, 0.0, 0.0]
    assert [e.timezone for e in explained] == pytest.approx([1.0, 0.75, 0.0, 1.0])
    assert [e.language for e in explained] == [1.0, 1.0, 0.0, 0.0]
    remote = one_opportunity([(0, 0.6, 1.0)], remote=True, location=3, country=2)
    assert explain(people.row(2), remote, 0).place == 1.0


def test_missing_skills_ranked_by_effect() -> None:
    opportunity = one_opportunity([(0, 0.8, 1.0), (1, 0.8, 0.3), (2, 0.4, 1.0)])
    person = people_with([{0: 0.4, 2: 0.4}]).row(0)
    why = explain(person, opportunity, 0)
    assert [line.skill for line in why.matching] == [2]
    assert [line.skill for line in why.missing] == [0, 1]
    assert why.missing[0].gain == pytest.approx(W_SKILLS * 0.5 * 1.0 / 2.3)


def test_bands() -> None:
    assert [band(x) for x in (0.95, 0.8, 0.7, 0.5, 0.49, 0.0)] == [
        "very_high",
        "very_high",
        "high",
        "medium",
        "low",
        "low",
    ]


def test_malformed_inputs_are_refused() -> None:
    people, opportunities = random_world(1, people=5, opportunities=3)
    with pytest.raises(ValueError, match="one value per person"):
        People(
            ids=people.ids,
            levels=people.levels,
            develop=people.develop,
            targets=people.targets,
            location=people.location[:2],
            country=people.country,
            utc_offset=people.utc_offset,
            languages=people.languages,
        )
    bad = opportunities.target.copy()
    bad.data[:] = 1.5
    with pytest.raises(ValueError, match="targets must be in"):
        Opportunities(
            ids=opportunities.ids,
            target=bad,
            importance=opportunities.importance,
            role=opportunities.role,
            location=opportunities.location,
            country=opportunities.country,
            remote=opportunities.remote,
            utc_offset=opportunities.utc_offset,
            language=opportunities.language,
        )
