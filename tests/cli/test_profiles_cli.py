"""`skillpath profiles rebuild` and `skillpath worker` end to end: output and exit codes."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from skillpath.db.session import make_engine, make_session_factory, transaction
from skillpath.migrations import upgrade_to_head
from tests.cli.test_identity_cli import run_cli
from tests.factories import make_employee, make_evidence, make_skill


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated scratch database with three people and some evidence."""
    path = tmp_path_factory.mktemp("profiles-cli") / "cli.db"
    url = f"sqlite:///{path}"
    upgrade_to_head(url)
    engine = make_engine(url)
    with transaction(make_session_factory(engine)) as session:
        skills = [make_skill(session), make_skill(session, kind="tool")]
        for person in (make_employee(session) for _ in range(3)):
            for skill in skills:
                make_evidence(session, person, skill, observed_at=datetime(2025, 6, 1, tzinfo=UTC))
    engine.dispose()
    return path


def _rows(database: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(database) as connection:
        return list(connection.execute(sql).fetchall())


def test_rebuild_prints_rows_and_records_the_build(database: Path) -> None:
    result = run_cli(["profiles", "rebuild", "--as-of", "2026-01-01"], database)
    assert result.returncode == 0, result.stderr
    stored = _rows(database, "SELECT count(*), count(DISTINCT employee_id) FROM employee_skill")
    rows, employees = stored[0]
    assert (rows, employees) == (6, 3)
    assert f"Rebuilt {rows:,} profile rows for {employees:,} employees" in result.stdout
    assert "as of 2026-01-01 00:00 UTC" in result.stdout
    assert _rows(database, "SELECT kind FROM profile_build ORDER BY id DESC LIMIT 1") == [("full",)]


def test_bad_moment_is_refused(database: Path) -> None:
    result = run_cli(["profiles", "rebuild", "--as-of", "yesterday"], database)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "column 'as-of'" in result.stderr


def test_worker_lists_its_schedule_and_runs_a_job(database: Path) -> None:
    listed = run_cli(["worker", "--list"], database)
    assert listed.returncode == 0, listed.stderr
    assert "nightly-profile-rebuild" in listed.stdout
    ran = run_cli(["worker", "--run", "nightly-profile-rebuild"], database)
    assert ran.returncode == 0, ran.stderr
    assert "nightly-profile-rebuild: rebuilt" in ran.stdout
    unknown = run_cli(["worker", "--run", "no-such-job"], database)
    assert unknown.returncode == 2
    assert "must be one of" in unknown.stderr
