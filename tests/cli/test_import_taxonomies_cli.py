"""`skillpath import esco|onet` as a user runs them: report, exit codes, nothing half-written."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.cli.test_identity_cli import run_cli
from tests.domains.taxonomy import releases


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated scratch database shared by the tests of this module."""
    path = tmp_path_factory.mktemp("cli") / "cli.db"
    result = run_cli(["db", "upgrade"], path)
    assert result.returncode == 0, result.stderr
    return path


def count(database: Path, table: str) -> int:
    """Rows in a table of the scratch database."""
    with sqlite3.connect(database) as connection:
        return int(connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def test_esco_and_onet_import_print_their_report(database: Path, tmp_path: Path) -> None:
    """Both commands import, print one line per kind of record and exit 0."""
    esco = run_cli(["import", "esco", *map(str, releases.write_esco_zips(tmp_path))], database)
    assert esco.returncode == 0, esco.stderr
    assert "ESCO v1.1.0:" in esco.stdout
    assert "skills: 4 created" in esco.stdout

    onet = run_cli(["import", "onet", str(releases.write_onet_zip(tmp_path))], database)
    assert onet.returncode == 0, onet.stderr
    assert "O*NET 29.3:" in onet.stdout
    assert "role templates: 2 created" in onet.stdout


def test_bad_paths_exit_non_zero_and_write_nothing(database: Path, tmp_path: Path) -> None:
    """A missing path or a half export: a clear error, exit 2, no traceback, no rows."""
    before = count(database, "skill"), count(database, "taxonomy_source")
    classification, _ = releases.write_esco_zips(tmp_path)
    half = run_cli(["import", "esco", str(classification)], database)
    missing = run_cli(["import", "onet", str(tmp_path / "nowhere.zip")], database)

    assert half.returncode == missing.returncode == 2
    assert "occupationSkillRelations.csv" in half.stderr
    assert "file or folder not found" in missing.stderr
    assert "Traceback" not in half.stderr + missing.stderr
    assert (count(database, "skill"), count(database, "taxonomy_source")) == before
