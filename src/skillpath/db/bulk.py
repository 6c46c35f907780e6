"""Fast bulk writes shared by imports and the demo generator (no per-row ORM objects)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

BATCH_SIZE = 5000


def batched(
    rows: Iterable[dict[str, Any]], size: int = BATCH_SIZE
) -> Iterator[list[dict[str, Any]]]:
    """Successive lists of at most `size` rows."""
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


def insert_rows(
    session: Session, table: Table, rows: Iterable[dict[str, Any]], *, batch: int = BATCH_SIZE
) -> int:
    """Insert rows in batches with executemany; returns how many were sent."""
    count = 0
    for chunk in batched(rows, batch):
        session.execute(insert(table), chunk)
        count += len(chunk)
    return count


def insert_ignoring_conflicts(
    session: Session,
    table: Table,
    rows: Iterable[dict[str, Any]],
    *,
    conflict_columns: Sequence[str],
    batch: int = BATCH_SIZE,
) -> int:
    """Insert rows, silently skipping those that clash with a unique key (idempotent imports).

    Returns how many rows were sent (not how many were new).
    """
    dialect = session.get_bind().dialect.name
    count = 0
    for chunk in batched(rows, batch):
        if dialect == "postgresql":
            statement: Any = postgresql.insert(table).on_conflict_do_nothing(
                index_elements=list(conflict_columns)
            )
        elif dialect == "sqlite":
            statement = sqlite.insert(table).on_conflict_do_nothing(
                index_elements=list(conflict_columns)
            )
        else:  # pragma: no cover - only SQLite and PostgreSQL are supported
            raise RuntimeError(f"unsupported database {dialect}")
        session.execute(statement, chunk)
        count += len(chunk)
    return count
