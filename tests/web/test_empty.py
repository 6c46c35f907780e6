"""On an empty database every page still renders and says what to do to fill it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from skillpath.core.clock import today
from skillpath.db.session import make_engine
from skillpath.domains.identity import service as identity
from tests.web.conftest import bearer, log_in, migrated_database
from tests.web.world import PASSWORD, World


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def web_database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, World]]:
    """A migrated database holding nothing but an HR login and an unlinked employee login."""
    for url in migrated_database(request.param, tmp_path_factory):
        world = World(today=today())
        engine = make_engine(url)
        with Session(engine) as session:
            for name, role in (("hr", "hr_admin"), ("employee", "employee")):
                email = f"{name}@empty.example"
                identity.create_user(session, email=email, role=role, password=PASSWORD)
                world.emails[name] = email
                world.tokens[name] = identity.create_token(session, email=email)
            session.commit()
        engine.dispose()
        yield url, world


@pytest.mark.parametrize(
    ("path", "hint"),
    [
        ("/", "skillpath import csv employees"),
        ("/people", "skillpath import csv employees"),
        ("/roles", "skillpath import csv roles"),
        ("/skills", "skillpath import esco"),
        ("/catalog", "skillpath import csv catalog"),
        ("/analytics", "No opening was filled in this period"),
    ],
)
def test_empty_pages_say_what_to_do(client: TestClient, world: World, path: str, hint: str) -> None:
    """Empty states name the command that fills them."""
    log_in(client, world.emails["hr"])
    response = client.get(path)
    assert response.status_code == 200
    assert hint in response.text


def test_unlinked_login_gets_an_explanation(client: TestClient, world: World) -> None:
    """A login without an employee record is told why there is nothing personal to show."""
    log_in(client, world.emails["employee"])
    assert "not linked to an employee record" in client.get("/").text
    assert "not linked to an employee record" in client.get("/people").text


def test_empty_api_lists(client: TestClient, world: World) -> None:
    """Lists are empty envelopes, not errors."""
    for path in ("/api/v1/skills", "/api/v1/roles", "/api/v1/employees", "/api/v1/org-units"):
        page = client.get(path, headers=bearer(world.tokens["hr"])).json()
        assert (page["items"], page["total"]) == ([], 0)
