"""Shared fixtures: databases on SQLite (always) and PostgreSQL (when configured).

Each database is created once per test session, migrated base → head with Alembic, and every
test runs inside a transaction that is rolled back, so tests never see each other's rows.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.orm import Session

from skillpath.db.session import make_engine
from skillpath.migrations import upgrade_to_head

POSTGRES_URL_VARIABLE = "SKILLPATH_TEST_POSTGRES_URL"
SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def pytest_report_header() -> list[str]:
    """Say up front which databases the database tests run on."""
    if os.environ.get(POSTGRES_URL_VARIABLE):
        return ["database tests: SQLite and PostgreSQL"]
    return [
        f"database tests: SQLite only — PostgreSQL tests are SKIPPED ({POSTGRES_URL_VARIABLE} "
        "is not set)"
    ]


def postgres_admin_url() -> str | None:
    """The PostgreSQL server URL tests may create databases on, if any."""
    return os.environ.get(POSTGRES_URL_VARIABLE) or None


def create_postgres_database(admin_url: str) -> str:
    """Create an empty, uniquely named database and return its URL."""
    name = f"skillpath_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def drop_postgres_database(admin_url: str, database_url: str) -> None:
    """Drop a database created by `create_postgres_database`."""
    name = make_url(database_url).database
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


BACKENDS = ["sqlite", "postgres"] if os.environ.get(POSTGRES_URL_VARIABLE) else ["sqlite"]


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Repeat at the end when the PostgreSQL half of the database tests did not run."""
    if "postgres" not in BACKENDS:
        terminalreporter.write_line(
            f"NOTE: PostgreSQL tests were SKIPPED: set {POSTGRES_URL_VARIABLE} "
            "(e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test) to run them.",
            yellow=True,
            bold=True,
        )


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A migrated database URL, once per backend for the whole test session."""
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("db") / "skillpath.db"
        url = f"sqlite:///{path}"
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


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    """One engine per migrated database."""
    eng = make_engine(database_url)
    yield eng
    eng.dispose()


@pytest.fixture
def connection(engine: Engine) -> Iterator[Connection]:
    """A connection inside an outer transaction that is rolled back after the test."""
    with engine.connect() as conn:
        outer = conn.begin()
        try:
            yield conn
        finally:
            outer.rollback()


@pytest.fixture
def session(connection: Connection) -> Iterator[Session]:
    """A session whose commits become savepoints of the rolled-back outer transaction."""
    db = Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    try:
        yield db
    finally:
        db.close()


@pytest.fixture
def shared_data() -> Path:
    """The shared real-data folder, or a skip with a message when it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"shared data folder {SHARED_DATA} is absent")
    return SHARED_DATA
