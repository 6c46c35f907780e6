"""Web test fixtures: a migrated, seeded database (SQLite, and PostgreSQL when configured) and an
app + TestClient on it.

The shared `session` fixture's rolled-back transaction is invisible to the app's own engine, so
web tests commit a small known company (`tests/web/world.py`) into their own database.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from skillpath.config import Settings
from skillpath.db.session import make_engine
from skillpath.migrations import upgrade_to_head
from skillpath.web.app import create_app
from tests.conftest import (
    POSTGRES_URL_VARIABLE,
    create_postgres_database,
    drop_postgres_database,
    postgres_admin_url,
)
from tests.web.world import PASSWORD, World, build_world

CSRF_PATTERN = re.compile(r'name="csrf_token" value="([^"]+)"')


def migrated_database(kind: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A new migrated database on SQLite or (when configured) PostgreSQL, dropped afterwards."""
    if kind == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('web') / 'skillpath.db'}"
        upgrade_to_head(url)
        yield url
        return
    admin_url = postgres_admin_url()
    if admin_url is None:
        pytest.skip(f"PostgreSQL tests skipped: {POSTGRES_URL_VARIABLE} is not set")
    url = create_postgres_database(admin_url)
    try:
        upgrade_to_head(url)
        yield url
    finally:
        drop_postgres_database(admin_url, url)


@pytest.fixture(scope="session", params=["sqlite", "postgres"])
def shared_web_database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, World]]:
    """One seeded database per backend, shared by the read-only web test modules."""
    for url in migrated_database(request.param, tmp_path_factory):
        yield url, seed_world(url)


@pytest.fixture(scope="module")
def web_database(shared_web_database: tuple[str, World]) -> tuple[str, World]:
    """The seeded database a test module runs against (a module that writes, such as the
    login tests, overrides this with a database of its own)."""
    return shared_web_database


def seed_world(database_url: str) -> World:
    """Build the known company in a database and commit it."""
    engine = make_engine(database_url)
    try:
        with Session(engine, expire_on_commit=False) as session:
            world = build_world(session)
            session.commit()
    finally:
        engine.dispose()
    return world


@pytest.fixture(scope="module")
def world(web_database: tuple[str, World]) -> World:
    """The seeded company of this module's database."""
    return web_database[1]


@pytest.fixture(scope="module")
def app(web_database: tuple[str, World]) -> Iterator[FastAPI]:
    """The app on this module's database."""
    application = create_app(Settings(database_url=web_database[0], secret_key="test"))
    yield application
    application.state.engine.dispose()


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    """A fresh browser-like client (own cookie jar) per test."""
    with TestClient(app) as test_client:
        yield test_client


def csrf_from(html: str) -> str:
    """The CSRF token a page's forms carry."""
    found = CSRF_PATTERN.search(html)
    assert found is not None, "no CSRF token on the page"
    return found.group(1)


def log_in(client: TestClient, email: str, password: str = PASSWORD) -> None:
    """Log a client in through the login form."""
    token = csrf_from(client.get("/login").text)
    response = client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": token, "next": "/"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text


def bearer(token: str) -> dict[str, str]:
    """The Authorization header of an API call."""
    return {"Authorization": f"Bearer {token}"}
