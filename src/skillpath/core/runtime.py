"""Process-level settings for bulk jobs (imports of hundreds of thousands of rows)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Switch Python's cyclic garbage collector off while a bulk job runs (back on after it,
    also on error; nested uses are fine).

    A bulk import builds hundreds of thousands of long-lived objects (rows, dicts, tuples),
    and the collector re-scans all of them every time enough new ones accumulate: a third of
    the time of an employees import. Reference counting still frees everything that is not in
    a reference cycle, and the few cycles left are collected once the collector is back on.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
