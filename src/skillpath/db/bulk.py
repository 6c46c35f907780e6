"""Fast bulk writes shared by imports and the demo generator (no per-row ORM objects)."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import chain, islice
from queue import Full, Queue
from typing import Any

import polars as pl
from psycopg.types.json import Jsonb
from sqlalchemy import JSON, Table, bindparam, delete, insert, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from skillpath.db.base import Base

BATCH_SIZE = 5000
FRAME_BATCH_SIZE = 50_000
LOAD_CACHE_KIB = 512 * 1024


def table_of(model: type[Base]) -> Table:
    """The Core table of a mapped class (bulk writes work on tables, not ORM objects)."""
    table = model.__table__
    assert isinstance(table, Table)
    return table


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


def update_rows(
    session: Session, table: Table, rows: Sequence[dict[str, Any]], *, batch: int = BATCH_SIZE
) -> int:
    """Update rows by their `id` with executemany; every dict must carry the same keys."""
    if not rows:
        return 0
    columns = [name for name in rows[0] if name != "id"]
    # Bound names must differ from column names, which SQLAlchemy reserves for the SET clause.
    statement = (
        update(table)
        .where(table.c.id == bindparam("row_id"))
        .values({name: bindparam(f"new_{name}") for name in columns})
    )
    count = 0
    for chunk in batched(rows, batch):
        session.execute(
            statement,
            [{"row_id": row["id"], **{f"new_{n}": row[n] for n in columns}} for row in chunk],
        )
        count += len(chunk)
    return count


def delete_rows(
    session: Session, table: Table, ids: Iterable[int], *, batch: int = BATCH_SIZE
) -> int:
    """Delete rows by their `id` in batches; returns how many ids were sent."""
    count = 0
    iterator = iter(ids)
    while chunk := list(islice(iterator, batch)):
        session.execute(delete(table).where(table.c.id.in_(chunk)))
        count += len(chunk)
    return count


def driver_converters(
    session: Session, table: Table, columns: Sequence[str]
) -> list[Callable[[Any], Any] | None]:
    """Per column, the function SQLAlchemy applies to a value before the driver sees it (None
    when the value passes unchanged); callers of `insert_prepared_ignoring_conflicts` use it,
    ideally once per distinct value, to put rows in driver form."""
    dialect = session.get_bind().dialect
    return [table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in columns]


def insert_prepared_ignoring_conflicts(
    session: Session,
    table: Table,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    conflict_columns: Sequence[str],
    batch: int = BATCH_SIZE,
) -> int:
    """Insert tuples already in driver form (see `driver_converters`), in `columns` order,
    skipping rows that clash with a unique key; returns how many rows were new.

    For millions of rows (evidence imports) this skips SQLAlchemy's per-row parameter handling,
    which costs as much as the database itself: SQLite gets one executemany per batch, and
    PostgreSQL a COPY into a temporary table followed by one INSERT … SELECT … ON CONFLICT.
    `rows` is consumed in a helper thread (see `_chunks_from_thread`), so it must not use the
    session.
    """
    connection = session.connection()
    dialect = connection.dialect
    quote = dialect.identifier_preparer.quote
    names = ", ".join(quote(name) for name in columns)
    conflict = ", ".join(quote(name) for name in conflict_columns)
    target = quote(table.name)
    if dialect.name == "sqlite":
        # One statement per batch reads the rows from a JSON array in C: the driver then holds
        # the GIL only to encode the batch, and the thread producing rows runs meanwhile.
        values = ", ".join(f"json_extract(value, '$[{n}]')" for n in range(len(columns)))
        sql = (
            f"INSERT INTO {target} ({names}) SELECT {values} "  # noqa: S608 - names are quoted
            f"FROM json_each(?) WHERE true ON CONFLICT ({conflict}) DO NOTHING"
        )
        inserted = 0
        cache_pages = connection.exec_driver_sql("PRAGMA cache_size").scalar()
        # A bigger page cache while the load runs keeps the unique index in memory.
        connection.exec_driver_sql(f"PRAGMA cache_size=-{LOAD_CACHE_KIB}")
        try:
            for chunk in _chunks_from_thread(rows, batch):
                inserted += connection.exec_driver_sql(sql, (json.dumps(chunk),)).rowcount
        finally:
            connection.exec_driver_sql(f"PRAGMA cache_size={int(cache_pages or -2000)}")
        return inserted
    if dialect.name != "postgresql":  # pragma: no cover - only SQLite and PostgreSQL are supported
        raise RuntimeError(f"unsupported database {dialect.name}")
    staging = quote(f"staging_{table.name}")
    connection.exec_driver_sql(
        f"CREATE TEMPORARY TABLE {staging} AS SELECT {names} FROM {target} WITH NO DATA"  # noqa: S608
    )
    driver = connection.connection.driver_connection
    assert driver is not None
    with driver.cursor() as cursor, cursor.copy(f"COPY {staging} ({names}) FROM STDIN") as copy:
        for chunk in _chunks_from_thread(rows, batch):
            for row in chunk:
                copy.write_row(row)
    result = connection.exec_driver_sql(
        f"INSERT INTO {target} ({names}) SELECT {names} FROM {staging} "  # noqa: S608
        f"ON CONFLICT ({conflict}) DO NOTHING"
    )
    connection.exec_driver_sql(f"DROP TABLE {staging}")
    return int(result.rowcount)


def insert_frame_ignoring_conflicts(
    session: Session,
    table: Table,
    frame: pl.DataFrame,
    *,
    conflict_columns: Sequence[str],
    progress: Callable[[int], None] | None = None,
    batch: int = FRAME_BATCH_SIZE,
) -> int:
    """Insert the rows of a frame (columns named as the table's), skipping rows that clash with
    a unique key; returns how many rows were new. `progress` gets the rows sent so far.

    For millions of rows (evidence imports), with no per-row work in Python but the driver's:
    SQLite gets an executemany on the driver's cursor per batch, fed from the frame's columns
    (dates and times first put in the text form SQLAlchemy writes, by the column types' own
    bind processors, once per distinct value); PostgreSQL gets the frame as CSV through COPY
    into a temporary table, then one INSERT … SELECT … ON CONFLICT DO NOTHING.
    """
    connection = session.connection()
    dialect = connection.dialect
    quote = dialect.identifier_preparer.quote
    names = ", ".join(quote(name) for name in frame.columns)
    conflict = ", ".join(quote(name) for name in conflict_columns)
    target = quote(table.name)
    driver = connection.connection.driver_connection
    assert driver is not None
    done = 0
    if dialect.name == "sqlite":
        frame = _temporal_in_driver_form(session, table, frame)
        marks = ", ".join("?" for _ in frame.columns)
        sql = (
            f"INSERT INTO {target} ({names}) VALUES ({marks}) "  # noqa: S608 - names are quoted
            f"ON CONFLICT ({conflict}) DO NOTHING"
        )
        inserted = 0
        cache_pages = connection.exec_driver_sql("PRAGMA cache_size").scalar()
        # A bigger page cache while the load runs keeps the unique index in memory.
        connection.exec_driver_sql(f"PRAGMA cache_size=-{LOAD_CACHE_KIB}")
        cursor = driver.cursor()
        try:
            for chunk in frame.iter_slices(batch):
                rows = zip(*(column.to_list() for column in chunk.get_columns()), strict=True)
                cursor.executemany(sql, rows)
                inserted += cursor.rowcount
                done += chunk.height
                if progress is not None:
                    progress(done)
        finally:
            cursor.close()
            connection.exec_driver_sql(f"PRAGMA cache_size={int(cache_pages or -2000)}")
        return inserted
    if dialect.name != "postgresql":  # pragma: no cover - only SQLite and PostgreSQL are supported
        raise RuntimeError(f"unsupported database {dialect.name}")
    staging = quote(f"staging_{table.name}")
    connection.exec_driver_sql(
        f"CREATE TEMPORARY TABLE {staging} AS SELECT {names} FROM {target} WITH NO DATA"  # noqa: S608
    )
    # Quoted text and an unquoted \N for NULL keep empty texts (and a text "\N") apart from NULL.
    copy_sql = f"COPY {staging} ({names}) FROM STDIN (FORMAT csv, NULL '\\N')"
    with driver.cursor() as cursor, cursor.copy(copy_sql) as copy:
        for chunk in frame.iter_slices(batch):
            copy.write(
                chunk.write_csv(include_header=False, null_value="\\N", quote_style="non_numeric")
            )
            done += chunk.height
            if progress is not None:
                progress(done)
    result = connection.exec_driver_sql(
        f"INSERT INTO {target} ({names}) SELECT {names} FROM {staging} "  # noqa: S608
        f"ON CONFLICT ({conflict}) DO NOTHING"
    )
    connection.exec_driver_sql(f"DROP TABLE {staging}")
    return int(result.rowcount)


def _temporal_in_driver_form(session: Session, table: Table, frame: pl.DataFrame) -> pl.DataFrame:
    """A frame whose date and time columns hold what the column types' bind processors make of
    them (SQLite stores text), each distinct value converted once."""
    converters = driver_converters(session, table, frame.columns)
    columns = []
    for column, convert in zip(frame.get_columns(), converters, strict=True):
        if convert is not None and column.dtype.is_temporal():
            distinct = column.drop_nulls().unique()
            converted = [convert(value) for value in distinct.to_list()]
            column = column.replace_strict(distinct, converted, default=None)
        columns.append(column)
    return pl.DataFrame(columns)


def analyze(session: Session, tables: Sequence[Table]) -> None:
    """Refresh the planner's statistics after bulk writes (PostgreSQL).

    Without them (autovacuum may be off or late) PostgreSQL plans joins over freshly loaded
    tables as if they were empty and picks nested loops that take minutes instead of seconds.
    """
    if session.get_bind().dialect.name != "postgresql":
        return
    for table in tables:
        session.execute(text(f'ANALYZE "{table.name}"'))


def copy_rows(session: Session, table: Table, rows: Iterable[dict[str, Any]]) -> int:
    """Insert many rows as fast as the database allows; returns how many were written.

    On PostgreSQL this streams the rows with COPY (about three times faster than executemany);
    elsewhere it is `insert_rows`. Every dict must carry the same keys, including every column
    that has a Python-side default (COPY applies only server defaults, such as the id sequence).
    """
    if session.get_bind().dialect.name != "postgresql":
        return insert_rows(session, table, rows)
    iterator = iter(rows)
    first = next(iterator, None)
    if first is None:
        return 0
    names = list(first)
    json_columns = {column.name for column in table.columns if isinstance(column.type, JSON)}
    quoted = ", ".join(f'"{name}"' for name in names)
    driver = session.connection().connection.driver_connection
    assert driver is not None
    count = 0
    with (
        driver.cursor() as cursor,
        cursor.copy(f'COPY "{table.name}" ({quoted}) FROM STDIN') as copy,
    ):
        for row in chain([first], iterator):
            values = [row[name] for name in names]
            if json_columns:
                values = [
                    Jsonb(value) if name in json_columns and value is not None else value
                    for name, value in zip(names, values, strict=True)
                ]
            copy.write_row(values)
            count += 1
    return count


def _chunks_from_thread(rows: Iterable[Sequence[Any]], batch: int) -> Iterator[list[Sequence[Any]]]:
    """Lists of up to `batch` rows, produced by a helper thread while the caller writes the
    previous list: database drivers release the GIL while the database works, so producing
    rows (parsing a file) and writing them overlap on two cores."""
    queue: Queue[list[Sequence[Any]] | BaseException | None] = Queue(maxsize=4)
    stop = threading.Event()

    def put(item: list[Sequence[Any]] | BaseException | None) -> None:
        while not stop.is_set():
            try:
                queue.put(item, timeout=0.1)
                return
            except Full:
                continue

    def produce() -> None:
        try:
            iterator = iter(rows)
            while not stop.is_set() and (chunk := list(islice(iterator, batch))):
                put(chunk)
            put(None)
        except BaseException as error:  # handed to the consuming thread, which raises it
            put(error)

    thread = threading.Thread(target=produce, name="bulk-rows", daemon=True)
    thread.start()
    try:
        while (item := queue.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        thread.join()


def insert_new_rows(
    session: Session, table: Table, rows: Iterable[dict[str, Any]], *, batch: int = BATCH_SIZE
) -> int:
    """Insert rows known to be new (generated data with explicit ids) as fast as the database
    allows; returns how many were written. Every dict carries the same keys in the same order.

    PostgreSQL streams them with COPY (`copy_rows`). SQLite gets one executemany of tuples per
    batch, converted to driver form once per column that needs it (`driver_converters`), which
    skips SQLAlchemy's per-row parameter handling (about two thirds of the time otherwise).
    """
    if session.get_bind().dialect.name != "sqlite":
        return copy_rows(session, table, rows)
    iterator = iter(rows)
    first = next(iterator, None)
    if first is None:
        return 0
    names = list(first)
    converters = [
        (position, convert)
        for position, convert in enumerate(driver_converters(session, table, names))
        if convert is not None
    ]
    quoted = ", ".join(f'"{name}"' for name in names)
    marks = ", ".join("?" for _ in names)
    sql = f'INSERT INTO "{table.name}" ({quoted}) VALUES ({marks})'  # noqa: S608 - quoted names
    connection = session.connection()
    # Generated data repeats values (dates, timestamps, flags): convert each distinct one once.
    caches: list[dict[Any, Any]] = [{} for _ in converters]
    count = 0
    for chunk in batched(chain([first], iterator), batch):
        prepared: list[tuple[Any, ...]] = []
        for row in chunk:
            values = list(row.values())
            for (position, convert), cache in zip(converters, caches, strict=True):
                value = values[position]
                if value is not None:
                    try:
                        values[position] = cache[value]
                    except (KeyError, TypeError):
                        converted = convert(value)
                        if not isinstance(value, list | dict):
                            cache[value] = converted
                        values[position] = converted
            prepared.append(tuple(values))
        connection.exec_driver_sql(sql, prepared)
        count += len(prepared)
    return count
