"""Helpers for import tests: write CSV files, snapshot the database, read refused problems."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from skillpath.core.errors import InvalidInputError, Problem
from skillpath.core.reports import ImportReport
from skillpath.migrations.models import Base


def write_csv(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    """Write `text` (leading blank lines and indentation removed) as a file in `folder`."""
    lines = [line.strip() for line in text.strip().splitlines()]
    path = folder / name
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def snapshot(session: Session) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, so a test can prove that a refused import wrote nothing."""
    session.flush()
    return {
        table.name: sorted((tuple(row) for row in session.execute(select(table)).all()), key=repr)
        for table in Base.metadata.sorted_tables
    }


Importer = Callable[..., ImportReport]


def refused(session: Session, importer: Importer, path: Path) -> list[Problem]:
    """Run an import that must be refused; check nothing changed; return its problems."""
    before = snapshot(session)
    with pytest.raises(InvalidInputError) as caught:
        importer(session, path=path)
    assert snapshot(session) == before, "a refused import changed the database"
    assert caught.value.problems, "a refused import must say why"
    return caught.value.problems


def find(problems: list[Problem], *, column: str | None = None, row: int | None = None) -> Problem:
    """The one problem at a column (and row); fails with the whole list when absent."""
    matches = [
        p
        for p in problems
        if (column is None or p.column == column) and (row is None or p.row == row)
    ]
    assert matches, f"no problem at column={column} row={row} in {problems}"
    return matches[0]


def totals(report: ImportReport, kind: str) -> tuple[int, int, int]:
    """(created, updated, unchanged) of one kind of record."""
    return (
        report.created.get(kind, 0),
        report.updated.get(kind, 0),
        report.unchanged.get(kind, 0),
    )
