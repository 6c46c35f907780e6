"""SQL of personal-data export and erasure: the columns of the schema that point at a person,
and reads, deletes and detaches over them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, CursorResult, Table, delete, select, update
from sqlalchemy.orm import Session

from skillpath.db.base import Base
from skillpath.domains.identity.models import ApiToken, User

SECRET_COLUMNS = {("app_user", "password_hash")}
"""Never exported."""


def person_columns() -> list[tuple[Table, str]]:
    """Every (table, column) of the schema with a foreign key to `employee.id`."""
    from skillpath.migrations import models as all_models  # every domain's tables

    found = []
    for table in all_models.Base.metadata.sorted_tables:
        for column in table.columns:
            if any(fk.column.table.name == "employee" for fk in column.foreign_keys):
                found.append((table, column.name))
    return found


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def rows(session: Session, table: Table, where: ColumnElement[bool]) -> list[dict[str, Any]]:
    """Rows of a table as JSON-ready dicts, secrets left out."""
    return [
        {
            key: _plain(value)
            for key, value in row._mapping.items()
            if (table.name, key) not in SECRET_COLUMNS
        }
        for row in session.execute(select(table).where(where))
    ]


def table(name: str) -> Table:
    """A table of the schema by name."""
    return Base.metadata.tables[name]


def _changed(result: Any) -> int:
    return int(cast(CursorResult[Any], result).rowcount)


def delete_pointing_at(session: Session, table: Table, column: str, person_id: int) -> int:
    """Delete the rows whose column points at the person; how many."""
    return _changed(session.execute(delete(table).where(table.c[column] == person_id)))


def detach(session: Session, table: Table, column: str, person_id: int) -> int:
    """Set the column to NULL where it points at the person; how many rows."""
    return _changed(
        session.execute(update(table).where(table.c[column] == person_id).values({column: None}))
    )


def count_pointing_at(session: Session, table: Table, column: str, person_id: int) -> int:
    """Rows whose column points at the person."""
    return len(session.execute(select(table.c[column]).where(table.c[column] == person_id)).all())


def accounts_of(session: Session, person_id: int) -> list[User]:
    """The user accounts linked to a person."""
    return list(session.scalars(select(User).where(User.employee_id == person_id)))


def delete_tokens(session: Session, user_id: int) -> None:
    """Delete every API token of a user."""
    session.execute(delete(ApiToken).where(ApiToken.user_id == user_id))
