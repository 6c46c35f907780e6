"""`skillpath import csv KIND FILE` end to end: reports, exit codes, nothing written on error."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.cli.test_identity_cli import run_cli

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated scratch database for this module."""
    path = tmp_path_factory.mktemp("csv-cli") / "cli.db"
    result = run_cli(["db", "upgrade"], path)
    assert result.returncode == 0, result.stderr
    return path


def _count(database: Path, table: str) -> int:
    with sqlite3.connect(database) as connection:
        return int(connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def test_good_file_twice(database: Path) -> None:
    """A good file imports with a report; the second run reports everything unchanged."""
    first = run_cli(["import", "csv", "locations", str(EXAMPLES / "locations.csv")], database)
    assert first.returncode == 0, first.stderr
    assert "locations: 4 created, 0 updated, 0 unchanged" in first.stdout
    again = run_cli(["import", "csv", "locations", str(EXAMPLES / "locations.csv")], database)
    assert again.returncode == 0, again.stderr
    assert "locations: 0 created, 0 updated, 4 unchanged" in again.stdout


def test_bad_file_is_refused_whole(database: Path, tmp_path: Path) -> None:
    """Every problem is printed with file, row and column; exit 2; nothing is written."""
    bad = tmp_path / "units.csv"
    bad.write_text(
        "external_id,name,parent,location\nA,Alpha,B,\nB,Beta,A,\nC,Gamma,,ATLANTIS\nD,Delta,,\n",
        encoding="utf-8",
    )
    before = _count(database, "org_unit")
    result = run_cli(["import", "csv", "org-units", str(bad)], database)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "units.csv, row 4, column 'location'" in result.stderr
    assert "A → B → A" in result.stderr
    assert "nothing was written" in result.stderr
    assert _count(database, "org_unit") == before


def test_latin1_file_is_refused(database: Path, tmp_path: Path) -> None:
    """A file saved in Latin-1 is refused with the line to fix."""
    bad = tmp_path / "latin.csv"
    bad.write_bytes("external_id,name,country\nZRH,Zürich,CH\n".encode("latin-1"))
    result = run_cli(["import", "csv", "locations", str(bad)], database)
    assert result.returncode == 2
    assert "row 2" in result.stderr
    assert "UTF-8" in result.stderr


def test_unknown_kind_lists_the_kinds(database: Path) -> None:
    """An unknown kind exits 2 and says which kinds exist."""
    result = run_cli(["import", "csv", "people", "x.csv"], database)
    assert result.returncode == 2
    assert "employees" in result.stderr
    assert "leavers" in result.stderr
