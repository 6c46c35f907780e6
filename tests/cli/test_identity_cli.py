"""`skillpath db upgrade`, `users create` and `tokens create` as a user runs them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def run_cli(args: list[str], database: Path) -> subprocess.CompletedProcess[str]:
    """Run the real command in a subprocess against a scratch SQLite database."""
    env = {**os.environ, "SKILLPATH_DATABASE_URL": f"sqlite:///{database}"}
    return subprocess.run(
        [sys.executable, "-m", "skillpath.cli.main", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=120,
    )


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated scratch database shared by the tests of this module."""
    path = tmp_path_factory.mktemp("cli") / "cli.db"
    result = run_cli(["db", "upgrade"], path)
    assert result.returncode == 0, result.stderr
    return path


def test_users_and_tokens(database: Path) -> None:
    """A created user gets a token printed alone on the last line."""
    created = run_cli(
        ["users", "create", "hr@example.com", "--role", "hr_admin", "--password", "longenough"],
        database,
    )
    assert created.returncode == 0, created.stderr
    issued = run_cli(["tokens", "create", "hr@example.com"], database)
    assert issued.returncode == 0, issued.stderr
    last_line = issued.stdout.strip().splitlines()[-1]
    assert last_line.startswith("skp_")
    assert " " not in last_line


def test_bad_user_input_is_a_clear_error_without_traceback(database: Path) -> None:
    """Invalid input exits 2 and names each problem; no stack trace."""
    result = run_cli(["users", "create", "not-an-email", "--role", "king"], database)
    assert result.returncode == 2
    assert "email" in result.stderr
    assert "role" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_unknown_user_token_is_refused(database: Path) -> None:
    """Asking a token for a user that does not exist fails with exit 1 and a message."""
    result = run_cli(["tokens", "create", "ghost@example.com"], database)
    assert result.returncode == 1
    assert "no user has e-mail ghost@example.com" in result.stderr
    assert "Traceback" not in result.stderr
