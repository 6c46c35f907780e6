"""What an import did, in numbers a user can check."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

ProgressCallback = Callable[[str, int, int | None], None]
"""`(stage, done, total)`: imports report progress through this; the CLI draws bars."""


def no_progress(_stage: str, _done: int, _total: int | None) -> None:
    """A progress callback that ignores progress."""


@dataclass
class ImportReport:
    """Counts per kind of record: created, updated, removed, unchanged (re-import → unchanged)."""

    source: str
    rows_read: int = 0
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    removed: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def count(self, bucket: str, kind: str, n: int = 1) -> None:
        """Add `n` to the `created`/`updated`/`removed`/`unchanged` count of a kind of record."""
        target = {
            "created": self.created,
            "updated": self.updated,
            "removed": self.removed,
            "unchanged": self.unchanged,
        }[bucket]
        target[kind] = target.get(kind, 0) + n

    @property
    def changed_anything(self) -> bool:
        """True when something was created, updated or removed."""
        return (
            any(self.created.values()) or any(self.updated.values()) or any(self.removed.values())
        )

    def lines(self) -> list[str]:
        """One line per kind of record, for the CLI."""
        kinds = sorted(
            set(self.created) | set(self.updated) | set(self.removed) | set(self.unchanged)
        )
        out = [f"{self.source}: {self.rows_read:,} rows read in {self.seconds:.1f} s"]
        for kind in kinds:
            out.append(
                f"  {kind}: {self.created.get(kind, 0):,} created, "
                f"{self.updated.get(kind, 0):,} updated, {self.unchanged.get(kind, 0):,} unchanged"
                + (f", {self.removed[kind]:,} removed" if self.removed.get(kind) else "")
            )
        out.extend(f"  note: {note}" for note in self.notes)
        return out
