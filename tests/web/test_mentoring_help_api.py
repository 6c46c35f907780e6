"""GET /api/v1/mentoring/help, the micro-mentoring finder (own database: it adds a program).

The known company (tests/web/world.py): Cara (executive) ← Max (manager) ← Rui (a login); Cara ←
Oli (a login). Oli and Cara hold SQL at 5/5 and offer it in a running micro-mentoring program;
Cara is above Rui, so Rui is offered Oli only.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from skillpath.db.session import make_engine
from skillpath.domains.evidence import service as evidence_service
from skillpath.domains.mentoring.models import Enrolment, MentoringProgram
from skillpath.domains.people.models import Employee
from skillpath.domains.taxonomy.models import Skill
from tests.factories import make_evidence
from tests.web.conftest import bearer, migrated_database, seed_world
from tests.web.world import World

HELP = "/api/v1/mentoring/help"


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def web_database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, World]]:
    """The known company with Oli and Cara offering SQL (5/5) as micro-mentors."""
    for url in migrated_database(request.param, tmp_path_factory):
        world = seed_world(url)
        engine = make_engine(url)
        with Session(engine) as session:
            moment = datetime.now(UTC) - timedelta(days=1)
            program = MentoringProgram(name="Ask an expert", kind="micro", status="running")
            session.add(program)
            session.flush()
            for name in ("peer", "ceo"):
                person = session.get(Employee, world.ids[name])
                skill = session.get(Skill, world.ids["sql"])
                assert person is not None
                assert skill is not None
                make_evidence(
                    session, person, skill, level=1.0, source="assessment", observed_at=moment
                )
                session.add(
                    Enrolment(
                        program_id=program.id,
                        employee_id=person.id,
                        role="mentor",
                        skill_ids=[skill.id],
                        hours_per_month=8.0,
                        languages=["en"],
                    )
                )
            evidence_service.refresh_profiles(
                session, employee_ids=[world.ids[n] for n in ("peer", "ceo")]
            )
            session.commit()
        engine.dispose()
        yield url, world


def test_the_finder_over_http(client: TestClient, world: World) -> None:
    sql = world.ids["sql"]
    response = client.get(HELP, params={"skill_id": sql}, headers=bearer(world.tokens["employee"]))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["skill"] == {"id": sql, "name": body["skill"]["name"]}
    assert [h["person"]["id"] for h in body["helpers"]] == [world.ids["peer"]]
    helper = body["helpers"][0]
    assert helper["level"] == 5
    assert sum(helper["parts"].values()) == pytest.approx(helper["score"], abs=1e-5)
    assert helper["reasons"][0].startswith("Holds ")
    assert body["offered"] == 2

    hr = bearer(world.tokens["hr"])  # no employee record
    assert client.get(HELP, params={"skill_id": sql}, headers=hr).status_code == 403
    mine = bearer(world.tokens["employee"])
    assert client.get(HELP, params={"skill_id": sql, "limit": 0}, headers=mine).status_code == 422
    assert client.get(HELP, params={"skill_id": 999_999}, headers=mine).status_code == 404
    assert client.get(HELP, params={"skill_id": sql}).status_code == 401


def test_asking_a_helper_for_a_session_over_http(client: TestClient, world: World) -> None:
    sql = world.ids["sql"]
    mine = bearer(world.tokens["employee"])
    past = client.post(
        f"{HELP}/sessions",
        json={"helper_id": world.ids["peer"], "skill_id": sql, "on": "2000-01-01"},
        headers=mine,
    )
    assert past.status_code == 422
    not_offered = client.post(
        f"{HELP}/sessions", json={"helper_id": world.ids["ceo"], "skill_id": sql}, headers=mine
    )
    assert not_offered.status_code == 409  # the finder does not offer Cara to this person
    booked = client.post(
        f"{HELP}/sessions",
        json={"helper_id": world.ids["peer"], "skill_id": sql, "note": "Joins"},
        headers=mine,
    )
    assert booked.status_code == 201, booked.text
    match = booked.json()
    assert match["status"] == "proposed"
    assert match["mentor"]["id"] == world.ids["peer"]
    accepted = client.post(
        f"/api/v1/mentoring/matches/{match['id']}/answer",
        json={"accept": True},
        headers=bearer(world.tokens["peer"]),
    )
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["status"] == "active"
