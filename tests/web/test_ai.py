"""Text → skills over HTTP: the API (extract, rank, titles, suggestions) and the review pages."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from skillpath.config import Settings
from skillpath.db.session import make_engine
from skillpath.domains.ai import indexing
from skillpath.domains.learning.models import LearningItem
from skillpath.domains.people.models import Role, RoleSkill
from skillpath.web.app import create_app
from tests.web.conftest import bearer, csrf_from, log_in, migrated_database, seed_world
from tests.web.world import World


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def web_database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, World]]:
    """A database of this module's own (suggestions are written), with descriptions to read."""
    indexing.forget_loaded_indexes()
    for url in migrated_database(request.param, tmp_path_factory):
        world = seed_world(url)
        engine = make_engine(url)
        with Session(engine) as session:
            role = session.get(Role, world.ids["manager_role"])
            item = session.get(LearningItem, world.ids["basics"])
            assert role is not None
            assert item is not None
            role.description = "You must be an expert in SQL. Python is nice to have."
            item.description = "An introduction to SQL for beginners."
            session.commit()
        engine.dispose()
        yield url, world
    indexing.forget_loaded_indexes()


@pytest.fixture(scope="module")
def app(
    web_database: tuple[str, World], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[FastAPI]:
    """The app on this module's database, on the lexical path (fast; no model load)."""
    settings = Settings(
        database_url=web_database[0],
        secret_key="test",
        ai_embeddings=False,
        cache_dir=tmp_path_factory.mktemp("cache"),
    )
    application = create_app(settings)
    yield application
    application.state.engine.dispose()


def test_extract_finds_skills_with_spans(client: TestClient, world: World) -> None:
    """Extract finds skills with spans."""
    text = "We need strong SQL and some Python (computer programming)."
    response = client.post(
        "/api/v1/skills/extract", json={"text": text}, headers=bearer(world.tokens["employee"])
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["mode"] == "lexical"
    assert body["note"]
    found = {s["label"]: s for s in body["skills"]}
    assert found["SQL"]["span"] == "SQL"
    assert text[found["SQL"]["start"] : found["SQL"]["end"]] == "SQL"


@pytest.mark.parametrize(
    "payload",
    [
        {"text": ""},
        {"text": "   "},
        {"text": "binary \u0000\u0001\u0002 data"},
        {"text": "x" * 1_000_001},
        {"text": "SQL", "source": "nope"},
        {"text": "SQL", "top": 0},
    ],
)
def test_extract_refuses_bad_input_clearly(
    client: TestClient, world: World, payload: dict[str, object]
) -> None:
    """Extract refuses bad input clearly."""
    response = client.post(
        "/api/v1/skills/extract", json=payload, headers=bearer(world.tokens["employee"])
    )
    assert response.status_code == 422
    assert "Traceback" not in response.text


def test_extract_needs_a_token(client: TestClient) -> None:
    """Extract needs a token."""
    assert client.post("/api/v1/skills/extract", json={"text": "SQL"}).status_code == 401


def test_rank_and_titles(client: TestClient, world: World) -> None:
    """Rank and titles."""
    headers = bearer(world.tokens["hr"])
    ranked = client.post(
        "/api/v1/skills/rank", json={"texts": ["SQL queries", "active listening"]}, headers=headers
    )
    assert ranked.status_code == 200, ranked.text
    first, second = ranked.json()["results"]
    assert first["skills"][0]["label"] == "SQL"
    assert second["skills"][0]["label"] == "Active Listening"
    titles = client.post("/api/v1/titles/match", json={"titles": ["data analyst"]}, headers=headers)
    assert titles.status_code == 200, titles.text
    assert titles.json()[0]["roles"][0]["title"] == "Data Analyst"


def test_hr_tags_reviews_and_accepts_in_the_pages(
    client: TestClient, world: World, web_database: tuple[str, World]
) -> None:
    """Hr tags reviews and accepts in the pages."""
    log_in(client, world.emails["hr"])
    page = client.get("/suggestions")
    assert page.status_code == 200
    token = csrf_from(page.text)
    tagged = client.post(
        "/suggestions/tag",
        data={"csrf_token": token, "what": "roles", "next": "/suggestions"},
        follow_redirects=False,
    )
    assert tagged.status_code == 303
    queue = client.get("/suggestions?kind=role")
    assert "<mark>SQL</mark>" in queue.text
    role_id = world.ids["manager_role"]
    inline = client.get(f"/suggestions/inline/role/{role_id}")
    assert inline.status_code == 200
    assert "<mark>SQL</mark>" in inline.text

    api = client.get("/api/v1/suggestions?kind=role", headers=bearer(world.tokens["hr"]))
    sql = next(s for s in api.json()["items"] if s["skill_name"] == "SQL")
    assert (sql["level"], sql["importance"]) == (1.0, 1.0)
    decided = client.post(
        "/suggestions/decide",
        data={
            "csrf_token": token,
            "decision": "accept",
            "ids": [str(sql["id"])],
            "next": f"/roles/{role_id}",
        },
        follow_redirects=False,
    )
    assert decided.status_code == 303
    assert decided.headers["location"].startswith(f"/roles/{role_id}?done=accepted")
    engine = make_engine(web_database[0])
    with Session(engine) as session:
        lines = session.scalars(select(RoleSkill).where(RoleSkill.role_id == role_id)).all()
        assert [(line.skill_id, line.target_level) for line in lines] == [(world.ids["sql"], 1.0)]
    engine.dispose()


def test_forms_need_csrf_and_bad_values_are_refused(client: TestClient, world: World) -> None:
    """Forms need csrf and bad values are refused."""
    log_in(client, world.emails["hr"])
    refused = client.post("/suggestions/decide", data={"decision": "accept", "ids": ["1"]})
    assert refused.status_code == 403
    token = csrf_from(client.get("/suggestions").text)
    bad = client.post(
        "/suggestions/decide", data={"csrf_token": token, "decision": "maybe", "ids": ["1"]}
    )
    assert bad.status_code == 422
    none = client.post("/suggestions/decide", data={"csrf_token": token, "decision": "accept"})
    assert none.status_code == 422


def test_employee_reads_own_cv_and_cannot_tag_roles(client: TestClient, world: World) -> None:
    """Employee reads own cv and cannot tag roles."""
    log_in(client, world.emails["employee"])
    me = world.ids["analyst"]
    profile = client.get(f"/people/{me}")
    token = csrf_from(profile.text)
    posted = client.post(
        f"/people/{me}/skill-suggestions",
        data={
            "csrf_token": token,
            "text": "Active listening with every client.",
            "text_kind": "cv",
        },
        follow_redirects=False,
    )
    assert posted.status_code == 303
    inline = client.get(f"/suggestions/inline/employee/{me}")
    assert "<mark>Active listening</mark>" in inline.text
    empty = client.post(
        f"/people/{me}/skill-suggestions",
        data={"csrf_token": token, "text": "   ", "text_kind": "cv"},
    )
    assert empty.status_code == 422
    peer = client.post(
        f"/people/{world.ids['peer']}/skill-suggestions",
        data={"csrf_token": token, "text": "SQL", "text_kind": "cv"},
    )
    assert peer.status_code == 404
    forbidden = client.post("/suggestions/tag", data={"csrf_token": token, "what": "catalog"})
    assert forbidden.status_code == 403
