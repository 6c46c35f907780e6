"""The /api/v1/mentoring endpoints (own database: they write programs, rounds and matches).

The known company (tests/web/world.py): Cara (executive) ← Max (manager) ← Rui (Data Analyst, a
login), Ida; Cara ← Oli (Sales Rep, a login). Here Oli and Cara hold SQL at 5/5 and offer it;
Rui wants it. Cara is above Rui in the reporting line, so only Oli can mentor Rui.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from skillpath.db.session import make_engine
from skillpath.domains.evidence import service as evidence_service
from skillpath.domains.people.models import Employee
from skillpath.domains.taxonomy.models import Skill
from tests.factories import make_evidence
from tests.web.conftest import bearer, migrated_database, seed_world
from tests.web.world import World

API = "/api/v1/mentoring"


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def web_database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, World]]:
    """The known company with SQL at 5/5 for Oli and Cara, and refreshed profiles."""
    for url in migrated_database(request.param, tmp_path_factory):
        world = seed_world(url)
        engine = make_engine(url)
        with Session(engine) as session:
            moment = datetime.now(UTC) - timedelta(days=1)
            for name in ("peer", "ceo"):  # Oli and Cara
                person = session.get(Employee, world.ids[name])
                skill = session.get(Skill, world.ids["sql"])
                assert person is not None
                assert skill is not None
                make_evidence(
                    session, person, skill, level=1.0, source="assessment", observed_at=moment
                )
            evidence_service.refresh_profiles(
                session,
                employee_ids=[world.ids[n] for n in ("peer", "ceo", "analyst", "junior")],
            )
            session.commit()
        engine.dispose()
        yield url, world


def test_programs_rounds_matches_and_lifecycle(client: TestClient, world: World) -> None:
    def req(who: str, method: str, path: str, json: object = None) -> tuple[int, object]:
        response = client.request(method, API + path, headers=bearer(world.tokens[who]), json=json)
        return response.status_code, response.json()

    sql = world.ids["sql"]
    status, body = req("employee", "POST", "/programs", {"name": "x", "kind": "one_to_one"})
    assert status == 403
    status, body = req("hr", "POST", "/programs", {"name": "Data mentoring", "kind": "one_to_one"})
    assert status == 201, body
    assert isinstance(body, dict)
    pid = body["id"]
    assert req("hr", "POST", f"/programs/{pid}/status", {"status": "enrolling"})[0] == 200
    status, listed = req("employee", "GET", "/programs")
    assert status == 200
    assert isinstance(listed, list)
    assert [(p["id"], p["kind"], p["eligible"]) for p in listed] == [(pid, "one_to_one", True)]

    status, body = req(
        "employee", "POST", f"/programs/{pid}/enrolments", {"role": "mentee", "skill_ids": []}
    )
    assert status == 422
    assert isinstance(body, dict)
    assert "skill_ids" in str(body)
    for who in ("peer", "executive"):
        status, body = req(
            who,
            "POST",
            f"/programs/{pid}/enrolments",
            {"role": "mentor", "skill_ids": [sql], "capacity": 1},
        )
        assert status == 201, body
    status, body = req(
        "employee",
        "POST",
        f"/programs/{pid}/enrolments",
        {"role": "mentee", "skill_ids": [sql], "goals": "Window functions"},
    )
    assert status == 201, body

    assert req("employee", "POST", f"/programs/{pid}/rounds")[0] == 403
    status, round_ = req("hr", "POST", f"/programs/{pid}/rounds")
    assert status == 201, round_
    assert isinstance(round_, dict)
    assert (round_["matched"], round_["waitlisted"]) == (1, 0)
    assert round_["details"]["excluded"]["reporting_line"] == 1  # Cara is above Rui

    assert req("employee", "GET", f"/programs/{pid}/matches") == (200, [])  # a draft
    status, matches = req("hr", "GET", f"/programs/{pid}/matches")
    assert isinstance(matches, list)
    assert len(matches) == 1
    match = matches[0]
    assert match["mentor"]["id"] == world.ids["peer"]
    assert [m["employee"]["id"] for m in match["mentees"]] == [world.ids["analyst"]]
    assert match["score"] > 0
    assert any(reason.startswith("Holds SQL at 5/5") for reason in match["reasons"])

    path = f"/programs/{pid}/rounds/{round_['id']}/publish"
    assert req("employee", "POST", path)[0] == 403
    assert req("hr", "POST", path)[0] == 200
    status, mine = req("employee", "GET", f"/programs/{pid}/matches")
    assert isinstance(mine, list)
    assert [m["id"] for m in mine] == [match["id"]]
    assert req("manager", "GET", f"/programs/{pid}/matches") == (200, [])
    assert req("manager", "GET", f"/matches/{match['id']}")[0] == 404

    status, body = req("employee", "POST", f"/matches/{match['id']}/answer", {"accept": True})
    assert status == 200
    assert isinstance(body, dict)
    assert body["status"] == "proposed"
    status, body = req("peer", "POST", f"/matches/{match['id']}/answer", {"accept": True})
    assert isinstance(body, dict)
    assert body["status"] == "active"

    today = datetime.now(UTC).date().isoformat()
    status, body = req(
        "employee", "POST", f"/matches/{match['id']}/checkins", {"held_on": today, "rating": 9}
    )
    assert status == 422
    status, body = req(
        "employee",
        "POST",
        f"/matches/{match['id']}/checkins",
        {"held_on": today, "notes": "First talk", "progress": 0.2, "rating": 4},
    )
    assert status == 201, body
    status, body = req("peer", "GET", f"/matches/{match['id']}/checkins")
    assert isinstance(body, list)
    assert [(c["notes"], c["rating"]) for c in body] == [("First talk", 4)]
    assert req("hr", "GET", "/checkins/overdue") == (200, [])

    status, body = req("employee", "POST", f"/matches/{match['id']}/end", {"reason": "moved"})
    assert status == 200
    assert isinstance(body, dict)
    assert (body["status"], body["end_reason"]) == ("ended", "moved")
    assert req("employee", "POST", f"/matches/{match['id']}/end", {"reason": "x"})[0] == 409
