"""Shared pieces of the CLI: database access, error reporting, progress bars."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from sqlalchemy.orm import Session

from skillpath.config import get_settings
from skillpath.core.reports import ProgressCallback
from skillpath.db.session import make_engine, make_session_factory, transaction

console = Console(highlight=False)
error_console = Console(stderr=True, highlight=False)


@contextmanager
def unit_of_work(database_url: str | None = None) -> Iterator[Session]:
    """One transaction for a command: committed when the command succeeds, else rolled back."""
    engine = make_engine(database_url or get_settings().database_url)
    try:
        with transaction(make_session_factory(engine)) as session:
            yield session
    finally:
        engine.dispose()


def progress_bar() -> Progress:
    """A progress bar for long imports and builds (drawn on stderr so stdout stays clean)."""
    return Progress(
        SpinnerColumn(),
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=error_console,
        transient=False,
    )


@contextmanager
def progress_callback() -> Iterator[ProgressCallback]:
    """A `(stage, done, total)` callback that draws one bar per stage."""
    with progress_bar() as bar:
        tasks: dict[str, Any] = {}

        def report(stage: str, done: int, total: int | None) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        yield report
