"""The mentoring pages, end to end through the forms (own database: they write).

The known company (tests/web/world.py): Cara (executive) ← Max (manager) ← Rui (employee), Ida;
Cara ← Oli (employee). Oli and Cara hold SQL at 5/5 and offer it; Rui wants it. Cara is above
Rui in the reporting line, so the round proposes Oli.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from httpx2 import Response
from sqlalchemy.orm import Session

from skillpath.db.session import make_engine
from skillpath.domains.evidence import service as evidence_service
from skillpath.domains.people.models import Employee
from skillpath.domains.taxonomy.models import Skill
from tests.factories import make_evidence
from tests.web.conftest import csrf_from, log_in, migrated_database, seed_world
from tests.web.world import World


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
            skill = session.get(Skill, world.ids["sql"])
            assert skill is not None
            for name in ("peer", "ceo"):  # Oli and Cara
                person = session.get(Employee, world.ids[name])
                assert person is not None
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


def _as(client: TestClient, world: World, who: str) -> str:
    """Log in as someone; the CSRF token of their session."""
    client.cookies.clear()
    log_in(client, world.emails[who])
    return csrf_from(client.get("/mentoring/help" if who != "hr" else "/mentoring/programs").text)


def _post(client: TestClient, path: str, data: dict[str, str]) -> Response:
    return client.post(path, data=data, follow_redirects=False)


def test_program_admin_enrolment_round_answer_checkin_and_metrics(
    client: TestClient, world: World
) -> None:
    sql = str(world.ids["sql"])
    # a person cannot open the admin pages
    token = _as(client, world, "employee")
    assert client.get("/mentoring/programs").status_code == 403
    assert (
        _post(client, "/mentoring/programs", {"csrf_token": token, "name": "x"}).status_code == 403
    )

    token = _as(client, world, "hr")
    listing = client.get("/mentoring/programs")
    assert listing.status_code == 200
    assert "Peer coaching circles" in listing.text
    assert "Reverse mentoring" in listing.text
    # bad input: every problem inline, nothing saved
    bad = client.post(
        "/mentoring/programs",
        data={"csrf_token": token, "name": " ", "kind": "weekly", "default_capacity": "lots"},
    )
    assert bad.status_code == 422
    assert "The program was not saved" in bad.text
    assert "must not be empty" in bad.text
    assert "must be a whole number" in bad.text
    assert 'aria-invalid="true"' in bad.text
    assert "lots" in bad.text  # the value is shown again
    created = client.post(
        "/mentoring/programs",
        data={
            "csrf_token": token,
            "name": "Data mentoring",
            "kind": "one_to_one",
            "objectives": "Write window functions\nReview a query plan",
            "skill_ids": sql,
            "checkin_every_days": "14",
        },
        follow_redirects=False,
    )
    assert created.status_code == 303, created.text
    program_url = created.headers["location"]
    pid = int(program_url.rsplit("/", 1)[1])
    page = client.get(program_url).text
    assert "Program created as a draft." in page
    assert "Open enrolment" in page
    assert "Write window functions" in page  # the rules of the program
    again = client.post(
        "/mentoring/programs",
        data={"csrf_token": token, "name": "Data mentoring", "kind": "one_to_one"},
    )
    assert again.status_code == 409
    assert "A program with this name exists already." in again.text
    opened = client.post(
        f"/mentoring/programs/{pid}/status",
        data={"csrf_token": token, "status": "enrolling"},
        follow_redirects=False,
    )
    assert opened.status_code == 303

    # mentors enrol through the page, shown their own level
    for who in ("peer", "executive"):
        token = _as(client, world, who)
        offer = client.get("/mentoring").text
        assert "Data mentoring" in offer
        assert "you: 5/5" in offer
        enrolled = client.post(
            f"/mentoring/programs/{pid}/enrol",
            data={"csrf_token": token, "role": "mentor", "offer_ids": sql, "capacity": "1"},
            follow_redirects=False,
        )
        assert enrolled.status_code == 303, enrolled.text

    token = _as(client, world, "employee")
    refused = client.post(
        f"/mentoring/programs/{pid}/enrol",
        data={"csrf_token": token, "role": "mentee", "offer_ids": sql},  # the wrong side
    )
    assert refused.status_code == 422
    assert "You are not enrolled yet" in refused.text
    assert "name at least one skill" in refused.text
    enrolled = client.post(
        f"/mentoring/programs/{pid}/enrol",
        data={"csrf_token": token, "role": "mentee", "want_ids": sql, "goals": "Window functions"},
        follow_redirects=False,
    )
    assert enrolled.status_code == 303, enrolled.text
    mine = client.get("/mentoring").text
    assert "Waiting for a round" in mine
    # the form shows the enrolment to change it
    assert "Update my enrolment" in mine
    assert f'name="want_ids" value="{sql}" checked' in mine
    assert ">Window functions</textarea>" in mine

    # HR runs the round, reviews the proposal and publishes it
    token = _as(client, world, "hr")
    ran = _post(client, f"/mentoring/programs/{pid}/rounds", {"csrf_token": token})
    assert ran.status_code == 303
    page = client.get(program_url).text
    assert "Round 1 — draft to review" in page
    assert "Holds SQL at 5/5, you are at" in page
    assert "1 in one reporting line" in page  # Cara is above Rui
    publish = re.search(r'action="(/mentoring/programs/\d+/rounds/\d+/publish)"', page)
    assert publish is not None
    assert _post(client, publish.group(1), {"csrf_token": token}).status_code == 303
    assert "Round published" in client.get(program_url).text

    # the mentee and the mentor accept
    token = _as(client, world, "employee")
    mine = client.get("/mentoring").text
    assert "You have 1 proposal to answer." in mine
    assert "Update my enrolment" not in mine  # matched: the enrolment no longer changes
    assert "Oli" in mine
    assert "Why this match" in mine
    match = re.search(r'action="/mentoring/matches/(\d+)/answer"', mine)
    assert match is not None
    mid = match.group(1)
    answered = _post(
        client, f"/mentoring/matches/{mid}/answer", {"csrf_token": token, "decision": "accept"}
    )
    assert answered.status_code == 303
    assert "It becomes active when everyone has accepted" in client.get("/mentoring").text
    token = _as(client, world, "peer")
    _post(client, f"/mentoring/matches/{mid}/answer", {"csrf_token": token, "decision": "accept"})
    assert "the relationship is active" in client.get("/mentoring").text

    # a check-in: bad input inline, then saved and listed
    token = _as(client, world, "employee")
    today = datetime.now(UTC).date().isoformat()
    bad = client.post(
        f"/mentoring/matches/{mid}/checkins",
        data={"csrf_token": token, "held_on": "yesterday", "rating": "9", "progress": "20"},
    )
    assert bad.status_code == 422
    assert "must be a date (YYYY-MM-DD)" in bad.text
    assert "must be between 1 and 5" in bad.text
    saved = client.post(
        f"/mentoring/matches/{mid}/checkins",
        data={
            "csrf_token": token,
            "held_on": today,
            "rating": "4",
            "progress": "20",
            "notes": "Went through OVER()",
        },
        follow_redirects=False,
    )
    assert saved.status_code == 303, saved.text
    mine = client.get("/mentoring").text
    assert "Check-in recorded." in mine
    assert "Went through OVER()" in mine
    assert "rated 4/5" in mine

    # the metrics answer first on the program page
    _as(client, world, "hr")
    page = client.get(program_url).text
    answer = re.search(r'<p class="answer" id="answer">(.*?)</p>', page, re.S)
    assert answer is not None
    sentence = " ".join(answer.group(1).split())
    assert "1 pair active" in sentence
    assert "100% accepted" in sentence
    assert "satisfaction 4.0/5" in sentence
    assert "mentees +0.0 levels on their skills" in sentence

    # only the mentor completes, with the outcome and each mentee's objectives met
    token = _as(client, world, "employee")
    assert f'action="/mentoring/matches/{mid}/complete"' not in client.get("/mentoring").text
    token = _as(client, world, "peer")
    assert f'action="/mentoring/matches/{mid}/complete"' in client.get("/mentoring").text
    rui = world.ids["analyst"]
    bad = client.post(
        f"/mentoring/matches/{mid}/complete",
        data={"csrf_token": token, "outcome": "Fluent", f"met_{rui}": "-1"},
    )
    assert bad.status_code == 422
    assert "must be between 0 and 99" in bad.text
    done = _post(
        client,
        f"/mentoring/matches/{mid}/complete",
        {"csrf_token": token, "outcome": "Writes window functions alone", f"met_{rui}": "2"},
    )
    assert done.status_code == 303
    assert "Outcome: Writes window functions alone" in client.get("/mentoring").text
    _as(client, world, "hr")
    page = client.get(program_url).text
    assert "Past matches" in page
    assert "Objectives met: 2" in page


def test_help_finder_and_no_employee_record(client: TestClient, world: World) -> None:
    _as(client, world, "employee")
    finder = client.get("/mentoring/help")
    assert finder.status_code == 200
    assert "No micro-mentoring program is running yet" in finder.text
    assert client.get("/mentoring/help?skill_id=abc").status_code == 422
    _as(client, world, "hr")  # HR here has no employee record
    assert client.get("/mentoring").status_code == 403
