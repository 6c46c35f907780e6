"""Login, CSRF, throttling and logout through the pages (own database: attempts are counted)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import csrf_from, log_in, migrated_database, seed_world
from tests.web.world import PASSWORD, World


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def web_database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, World]]:
    """A database of this module's own: failed logins here must not throttle other tests."""
    for url in migrated_database(request.param, tmp_path_factory):
        yield url, seed_world(url)


def _post_login(client: TestClient, email: str, password: str, token: str | None) -> int:
    data = {"email": email, "password": password, "next": "/people"}
    if token is not None:
        data["csrf_token"] = token
    return client.post("/login", data=data, follow_redirects=False).status_code


def test_login_flow_with_csrf(client: TestClient, world: World) -> None:
    """The form carries a CSRF token; the right password starts a session and goes to `next`."""
    page = client.get("/login")
    assert page.status_code == 200
    assert 'autocomplete="current-password"' in page.text
    token = csrf_from(page.text)
    response = client.post(
        "/login",
        data={
            "email": world.emails["manager"],
            "password": PASSWORD,
            "csrf_token": token,
            "next": "/people",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/people"
    cookie = response.headers["set-cookie"].lower()
    assert "skillpath_session=" in cookie
    assert "httponly" in cookie
    assert "samesite=lax" in cookie
    home = client.get("/")
    assert home.status_code == 200
    assert home.headers["cache-control"] == "no-store"
    assert world.emails["manager"] in home.text


def test_login_without_csrf_token_is_refused(client: TestClient, world: World) -> None:
    """A login post without the session's token (or with another one) is a 403."""
    client.get("/login")
    assert _post_login(client, world.emails["hr"], PASSWORD, None) == 403
    assert _post_login(client, world.emails["hr"], PASSWORD, "forged") == 403
    assert client.get("/", follow_redirects=False).status_code == 303


def test_wrong_password_is_explained(client: TestClient, world: World) -> None:
    """A wrong password re-shows the form with a message, keeping the e-mail."""
    token = csrf_from(client.get("/login").text)
    response = client.post(
        "/login",
        data={
            "email": world.emails["executive"],
            "password": "wrong-password",
            "csrf_token": token,
        },
    )
    assert response.status_code == 401
    assert "not right" in response.text
    assert world.emails["executive"] in response.text


def test_sixth_bad_password_is_throttled(client: TestClient, world: World) -> None:
    """Five failures are allowed in the window; the sixth attempt answers 429."""
    token = csrf_from(client.get("/login").text)
    email = world.emails["peer"]
    statuses = [_post_login(client, email, f"guess-{n}", token) for n in range(6)]
    assert statuses == [401, 401, 401, 401, 401, 429]
    throttled = client.post(
        "/login", data={"email": email, "password": PASSWORD, "csrf_token": token}
    )
    assert throttled.status_code == 429
    assert "Too many failed logins" in throttled.text


def test_logout_needs_csrf_and_ends_the_session(client: TestClient, world: World) -> None:
    """Logging out is a CSRF-checked POST; afterwards pages redirect to the login."""
    log_in(client, world.emails["employee"])
    home = client.get("/")
    assert client.post("/logout", follow_redirects=False).status_code == 403
    response = client.post(
        "/logout", data={"csrf_token": csrf_from(home.text)}, follow_redirects=False
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/login"
    assert client.get("/", follow_redirects=False).status_code == 303
