"""Plan an idempotent upsert: compare what the database holds with what an import wants.

Imports read the current rows of a scope into memory once, build the desired rows, and let
`plan_sync` say which to insert, which to update and which to delete, so a re-import of the
same input issues no writes at all and reports every row as unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


@dataclass
class SyncPlan(Generic[K, V]):
    """What to write: new keys, changed rows (by row id) and stale row ids."""

    to_insert: list[tuple[K, V]] = field(default_factory=list)
    to_update: list[tuple[int, K, V]] = field(default_factory=list)
    to_delete: list[int] = field(default_factory=list)
    unchanged: int = 0


def _equal(left: object, right: object) -> bool:
    return left == right


def plan_sync(
    existing: Mapping[K, tuple[int, V]],
    desired: Mapping[K, V],
    *,
    same: Callable[[V, V], bool] = _equal,
    delete_missing: bool = True,
) -> SyncPlan[K, V]:
    """Compare `existing` (key → (row id, values)) with `desired` (key → values)."""
    plan: SyncPlan[K, V] = SyncPlan()
    for key, values in desired.items():
        found = existing.get(key)
        if found is None:
            plan.to_insert.append((key, values))
        elif same(found[1], values):
            plan.unchanged += 1
        else:
            plan.to_update.append((found[0], key, values))
    if delete_missing:
        plan.to_delete = [row_id for key, (row_id, _) in existing.items() if key not in desired]
    return plan


def close_enough(left: float, right: float) -> bool:
    """Whether two stored floats are the same value (databases may round the last bit)."""
    return abs(left - right) <= 1e-9
