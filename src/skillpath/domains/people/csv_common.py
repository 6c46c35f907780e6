"""Pieces shared by the HR CSV imports: duplicate ids, references, cycles, dependency order.

Every import follows one shape: read and check every row (collecting every problem with file,
row, column and value), refuse the whole file when anything is wrong, and only then compare
with the database and write the differences in bulk.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from skillpath.core.errors import Problem
from skillpath.core.graphs import parent_cycles
from skillpath.core.reports import ImportReport, ProgressCallback
from skillpath.core.tabular import ProblemLog, RowContext

K = TypeVar("K", bound=Hashable)
T = TypeVar("T")
PROGRESS_EVERY = 2000


def first_use(row: RowContext, column: str, key: str, seen: dict[str, int]) -> bool:
    """Remember where a key is first used; a second use is a problem naming the first row."""
    first = seen.get(key)
    if first is not None:
        row.problem(column, f"is used twice in this file (first on row {first})", key)
        return False
    seen[key] = row.row
    return True


def reference(
    row: RowContext,
    column: str,
    known: Mapping[str, Any] | set[str],
    what: str,
    *,
    also: Mapping[str, Any] | set[str] | None = None,
    hint: str = "",
) -> str | None:
    """The external id in a reference cell, or None when empty; unknown ids are problems."""
    text = row.raw(column)
    if not text:
        return None
    if text in known or (also is not None and text in also):
        return text
    row.problem(column, f"no {what} has this id{hint}", text)
    return None


def chosen(present: set[str], column: str, given: T | None, stored: T, default: T) -> T:
    """The value to write: a column in the file sets it (empty → default); a column left out of
    the file keeps the stored value (or the default for a new record)."""
    if column in present:
        return default if given is None else given
    return stored


@dataclass(frozen=True)
class Located:
    """Where a record came from in the file, for problems found after reading every row."""

    file: str
    row: int


def report_cycles(
    log: ProblemLog,
    parent_of: Mapping[str, str | None],
    where: Mapping[str, Located],
    *,
    column: str,
    what: str,
) -> None:
    """Add one problem per loop of `parent_of` that goes through a record of the file."""
    for loop in parent_cycles(parent_of):
        in_file = [key for key in loop if key in where]
        if not in_file:
            continue
        place = where[in_file[0]]
        chain = " → ".join([*loop, loop[0]])
        log.add(
            Problem(
                f"{what} form a cycle: {chain}",
                file=place.file,
                row=place.row,
                column=column,
                value=parent_of[in_file[0]] or "",
            )
        )


def dependency_levels(keys: Iterable[K], parent_of: Callable[[K], K | None]) -> list[list[K]]:
    """Group new records so that each one's parent (if new too) is in an earlier group.

    `parent_of` gives the parent among the same new keys, or None; the input has no cycles.
    """
    level: dict[K, int] = {}
    for key in keys:
        chain: list[K] = []
        node: K | None = key
        while node is not None and node not in level:
            chain.append(node)
            node = parent_of(node)
        base = -1 if node is None else level[node]
        for offset, member in enumerate(reversed(chain), start=1):
            level[member] = base + offset
    groups: list[list[K]] = [[] for _ in range(max(level.values(), default=-1) + 1)]
    for key, depth in level.items():
        groups[depth].append(key)
    return groups


def count(report: ImportReport, kind: str, created: int, updated: int, unchanged: int) -> None:
    """Add the three counts of one kind of record to a report."""
    report.count("created", kind, created)
    report.count("updated", kind, updated)
    report.count("unchanged", kind, unchanged)


def rows_with_progress(
    rows: Iterable[RowContext], progress: ProgressCallback, stage: str
) -> Iterable[RowContext]:
    """Pass rows through, telling `progress` every few thousand rows."""
    done = 0
    progress(stage, 0, None)
    for row in rows:
        yield row
        done += 1
        if done % PROGRESS_EVERY == 0:
            progress(stage, done, None)
    progress(stage, done, done)
