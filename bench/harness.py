"""Timing helpers and the result table every benchmark prints."""

from __future__ import annotations

import json
import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url


def scratch_database(prefix: str) -> tuple[str, Callable[[], None]]:
    """A fresh database URL and a function that removes it: a SQLite file in a temporary
    folder, or a new database on the server SKILLPATH_BENCH_DATABASE_URL names."""
    server = os.environ.get("SKILLPATH_BENCH_DATABASE_URL")
    if not server:
        folder = Path(tempfile.mkdtemp(prefix=f"skillpath-{prefix}-db-"))
        path = folder / "bench.db"

        def remove_file() -> None:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            folder.rmdir()

        return f"sqlite:///{path}", remove_file
    name = f"skillpath_{prefix}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(server).set(database=name).render_as_string(hide_password=False)

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url, drop


def time_runs(function: Callable[[], Any], repeats: int) -> list[float]:
    """Wall-clock seconds of `repeats` calls."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return times


def median(values: Sequence[float]) -> float:
    """The median of a non-empty sequence."""
    return float(statistics.median(values))


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0–100) by linear interpolation."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("no values")
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass
class Row:
    """One line of a benchmark table."""

    figure: str
    measured: float
    unit: str
    target: str = ""
    reference: float | None = None
    meets: bool | None = None


@dataclass
class Report:
    """A benchmark's table and its machine-readable RESULT line."""

    benchmark: str
    title: str
    rows: list[Row] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    def add(self, row: Row) -> None:
        """Append a row."""
        self.rows.append(row)

    @property
    def meets_targets(self) -> bool:
        """True when every row with a target meets it."""
        return all(row.meets is not False for row in self.rows)

    def print(self) -> None:
        """Print the table and the RESULT line."""
        print(f"\n{self.benchmark}: {self.title}")
        header = (
            f"{'figure':<48} {'measured':>12} {'unit':<6} {'target':<14} "
            f"{'reference':>12} {'ratio':>8} ok"
        )
        print(header)
        print("-" * len(header))
        for row in self.rows:
            ref = f"{row.reference:12.3f}" if row.reference is not None else " " * 12
            ratio = (
                f"{row.reference / row.measured:8.1f}"
                if row.reference is not None and row.measured > 0
                else " " * 8
            )
            ok = "" if row.meets is None else ("yes" if row.meets else "NO")
            print(
                f"{row.figure:<48} {row.measured:12.3f} {row.unit:<6} {row.target:<14} "
                f"{ref} {ratio} {ok}"
            )
        result = {
            "benchmark": self.benchmark,
            "figures": {
                row.figure: {
                    "measured": row.measured,
                    "unit": row.unit,
                    "target": row.target,
                    "reference": row.reference,
                    "ratio_to_reference": (
                        row.reference / row.measured
                        if row.reference is not None and row.measured > 0
                        else None
                    ),
                    "meets": row.meets,
                }
                for row in self.rows
            },
            **self.extra,
            "meets_targets": self.meets_targets,
        }
        print("RESULT " + json.dumps(result, sort_keys=True))
