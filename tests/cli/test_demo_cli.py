"""`skillpath demo --no-serve` as a user runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def run_demo(args: list[str], database: Path) -> subprocess.CompletedProcess[str]:
    """Run the real command in a subprocess against a scratch SQLite database."""
    env = {**os.environ, "SKILLPATH_DATABASE_URL": f"sqlite:///{database}", "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "skillpath.cli.main", "demo", "--no-serve", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=300,
    )


def test_demo_builds_and_prints_the_logins(tmp_path: Path) -> None:
    database = tmp_path / "demo.db"
    result = run_demo(
        ["--scenario", "tech", "--employees", "80", "--seed", "3", "--as-of", "2025-06-30"],
        database,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Built Lumen Software" in out
    assert "http://127.0.0.1:8000" in out
    assert "password skillpath-demo" in out
    for email in (
        "hr.admin@lumen-software.example",
        "executive@lumen-software.example",
        "manager@lumen-software.example",
        "employee@lumen-software.example",
    ):
        assert email in out
    # Building again over the same database replaces the company.
    again = run_demo(
        ["--scenario", "tech", "--employees", "80", "--seed", "3", "--as-of", "2025-06-30"],
        database,
    )
    assert again.returncode == 0, again.stderr


def test_bad_options_exit_2_without_traceback(tmp_path: Path) -> None:
    result = run_demo(["--scenario", "bank", "--as-of", "yesterday"], tmp_path / "bad.db")
    assert result.returncode == 2
    assert "as-of" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
