"""Whole-database chores: emptying every table and keeping id sequences past explicit ids."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import MetaData, Table, func, select, text, update
from sqlalchemy.orm import Session


def delete_all_rows(session: Session, metadata: MetaData) -> None:
    """Delete every row of every table in `metadata` (the schema and its version stay).

    PostgreSQL truncates all tables in one statement (fast, and ids restart at 1). SQLite
    deletes table by table, children before parents, after clearing self-references (a tree
    such as the org or the manager chain cannot be deleted in one statement row by row).
    """
    tables = list(metadata.sorted_tables)
    if not tables:
        return
    if session.get_bind().dialect.name == "postgresql":
        names = ", ".join(f'"{table.name}"' for table in tables)
        session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        return
    for table in reversed(tables):
        for column in _self_references(table):
            session.execute(update(table).values({column: None}))
        session.execute(table.delete())


def _self_references(table: Table) -> list[str]:
    """Nullable columns of a table that point at the same table."""
    return [
        fk.parent.name
        for fk in table.foreign_keys
        if fk.column.table is table and fk.parent.nullable
    ]


def max_id(session: Session, table: Table) -> int:
    """The largest id in a table (0 when empty), to continue explicit ids after it."""
    return int(session.scalar(select(func.max(table.c.id))) or 0)


def sync_id_sequences(session: Session, tables: Iterable[Table]) -> None:
    """Move PostgreSQL id sequences past ids that were inserted explicitly (no-op on SQLite,
    whose next rowid is always max + 1)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for table in tables:
        if "id" not in table.c:
            continue
        session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "  # noqa: S608
                f'COALESCE((SELECT MAX(id) FROM "{table.name}"), 0) + 1, false)'
            )
        )
