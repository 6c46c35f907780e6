"""`skillpath profiles ...`: consolidated skill profiles (derived from evidence, rebuildable)."""

from __future__ import annotations

from datetime import UTC, datetime

import typer

from skillpath.cli.common import console, progress_callback, unit_of_work
from skillpath.core.errors import InvalidInputError, Problem
from skillpath.domains.evidence import service as evidence_service

app = typer.Typer(help="Consolidated skill profiles.", no_args_is_help=True)


def _parse_moment(text: str) -> datetime:
    """An ISO date or date-time; naive values are taken as UTC."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInputError(
            "cannot rebuild the profiles",
            [
                Problem(
                    "is not a date or date-time (YYYY-MM-DD or YYYY-MM-DDTHH:MM)",
                    column="as-of",
                    value=text,
                )
            ],
        ) from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


@app.command("rebuild")
def rebuild(
    as_of: str | None = typer.Option(
        None, "--as-of", help="Consolidate as of this moment (default: now), ISO date or time."
    ),
) -> None:
    """Recompute every consolidated profile from all evidence, in one transaction."""
    now = _parse_moment(as_of) if as_of else None
    with unit_of_work() as session, progress_callback() as progress:
        build = evidence_service.rebuild_profiles(session, now=now, progress=progress)
    console.print(
        f"Rebuilt {build.rows:,} profile rows for {build.employees:,} employees "
        f"in {build.seconds:.1f} s (as of {build.as_of:%Y-%m-%d %H:%M} UTC)."
    )
