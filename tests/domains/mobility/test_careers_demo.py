"""Career paths on the retail demo (300 people, three years of moves): the graph learns exactly
the moves the history holds, moves raise edges, and a person's readiness for each suggested role
equals what the gap service computes for that target role."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from skillpath.db.session import make_engine, make_session_factory, transaction
from skillpath.demo.build import DemoSummary, build_company
from skillpath.domains.gaps import service as gaps_service
from skillpath.domains.identity import service as identity
from skillpath.domains.identity.models import User
from skillpath.domains.mobility import careers
from skillpath.domains.people.models import Move, Role
from tests.web.conftest import migrated_database

AS_OF = date(2025, 6, 30)


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def demo(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, DemoSummary]]:
    """A committed small retail demo; yields its URL and build summary."""
    for url in migrated_database(request.param, tmp_path_factory):
        engine = make_engine(url)
        try:
            with transaction(make_session_factory(engine)) as session:
                summary = build_company(
                    session, scenario="retail", employees=300, seed=42, as_of=AS_OF
                )
        finally:
            engine.dispose()
        yield url, summary


@pytest.fixture
def demo_session(demo: tuple[str, DemoSummary]) -> Iterator[Session]:
    """A session on the demo, rolled back afterwards."""
    engine = make_engine(demo[0])
    try:
        with Session(engine) as session:
            yield session
            session.rollback()
    finally:
        engine.dispose()


def test_the_graph_learns_every_move_of_the_history(demo_session: Session) -> None:
    started = time.perf_counter()
    graph = careers.role_graph(demo_session)
    assert time.perf_counter() - started < 5
    own_roles = set(demo_session.scalars(select(Role.id).where(~Role.is_template)))
    rows = demo_session.execute(
        select(Move.from_role_id, Move.to_role_id).where(  # both set, so the ints below hold
            Move.from_role_id.is_not(None),
            Move.to_role_id.is_not(None),
            Move.from_role_id != Move.to_role_id,
        )
    ).all()
    counted = Counter((int(a or 0), int(b or 0)) for a, b in rows)
    assert graph.moves_in_history == sum(counted.values()) > 20
    learned = {
        (int(graph.role_ids[a]), int(graph.role_ids[b])): n
        for (a, b), n in graph.pair_moves.items()
    }
    assert learned == dict(counted)
    assert own_roles <= set(graph.role_ids.tolist())
    g = graph.graph
    moved = g.moves > 0
    assert moved.any()
    assert (g.score[moved] > g.similarity[moved]).all()
    assert g.months_observed.any()
    assert (g.months > 0).all()


def test_readiness_agrees_with_the_gap_service(
    demo_session: Session, demo: tuple[str, DemoSummary]
) -> None:
    login = next(x for x in demo[1].logins if x.role == "employee")
    user = demo_session.scalars(select(User).where(User.email == login.email)).one()
    viewer = identity.viewer_for(user)
    assert user.employee_id is not None
    paths = careers.next_roles(
        demo_session, viewer=viewer, employee_id=user.employee_id, limit=6, today=AS_OF
    )
    assert paths.items
    scores = [item.score for item in paths.items]
    assert scores == sorted(scores, reverse=True)
    assert any(item.observed_moves > 0 for item in paths.items)
    for item in paths.items:
        gaps = gaps_service.person_gaps(
            demo_session,
            viewer=viewer,
            employee_id=user.employee_id,
            target_role_id=item.role.id,
            today=AS_OF,
        )
        assert item.readiness == pytest.approx(gaps.readiness)
        assert item.skills_required == gaps.skills_required
        assert item.skills_met == gaps.skills_met
        biggest = [line.skill.name for line in gaps.skills if line.shortfall > 0]
        assert {m.skill.name for m in item.missing_skills} <= set(biggest)
