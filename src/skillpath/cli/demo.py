"""`skillpath demo`: build a seeded demo company, print how to log in, and serve it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer
from rich.table import Table

from skillpath.cli.common import console, progress_callback, unit_of_work
from skillpath.cli.serve import run_server
from skillpath.config import get_settings
from skillpath.core.clock import today
from skillpath.core.errors import InvalidInputError, Problem
from skillpath.demo.build import DEFAULT_SEED, DemoSummary, build_company
from skillpath.migrations import upgrade_to_head

LOGIN_LABELS = {
    "hr_admin": "HR admin",
    "executive": "Executive",
    "manager": "Manager",
    "employee": "Employee",
}


def demo(
    scenario: str = typer.Option(
        "retail", "--scenario", help="Which company: retail (default), aec or tech."
    ),
    employees: int | None = typer.Option(
        None, "--employees", help="Headcount (default: 1,500 retail, 800 aec, 600 tech)."
    ),
    seed: int = typer.Option(DEFAULT_SEED, "--seed", help="Same seed, same company."),
    no_serve: bool = typer.Option(False, "--no-serve", help="Build only; do not start the server."),
    port: int = typer.Option(8000, "--port", help="Port to serve on."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to serve on."),
    taxonomy: str = typer.Option(
        "demo", "--taxonomy", help="demo (built-in skills) or esco (needs --esco)."
    ),
    esco: list[Path] = typer.Option(
        [], "--esco", help="The ESCO CSV zips or extracted folder (repeatable)."
    ),
    as_of: str | None = typer.Option(
        None, "--as-of", help="Last day of the three-year history, YYYY-MM-DD (default: today)."
    ),
) -> None:
    """Wipe the database and build a demo company, then serve it unless --no-serve."""
    end = _parse_day(as_of) if as_of else today()
    url = get_settings().database_url
    upgrade_to_head(url)
    with unit_of_work(url) as session, progress_callback() as progress:
        summary = build_company(
            session,
            scenario=scenario,
            employees=employees,
            seed=seed,
            as_of=end,
            progress=progress,
            taxonomy=taxonomy,
            esco_paths=esco,
        )
    _print_summary(summary, f"http://{_display_host(host)}:{port}")
    if not no_serve:
        run_server(host=host, port=port)


def _parse_day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInputError(
            "cannot build the demo company",
            [Problem("is not a date (YYYY-MM-DD)", column="as-of", value=text)],
        ) from None


def _display_host(host: str) -> str:
    """What to type in a browser for the address the server listens on."""
    return "localhost" if host in ("0.0.0.0", "::") else host  # noqa: S104 - only displayed


def _print_summary(summary: DemoSummary, url: str) -> None:
    counts = summary.counts
    console.print(
        f"Built [bold]{summary.company}[/] ({summary.scenario}, seed {summary.seed}, history to "
        f"{summary.as_of.isoformat()}) in [bold]{summary.seconds:.1f} s[/]: "
        f"{summary.active_employees:,} employees ({counts.get('employee', 0):,} with leavers), "
        f"{counts.get('skill_evidence', 0):,} evidence rows, "
        f"{counts.get('learning_item', 0):,} catalog items, "
        f"{counts.get('opening', 0):,} openings, {counts.get('move', 0):,} moves."
    )
    if summary.taxonomy == "esco":
        console.print(f"Taxonomy: ESCO, with {summary.esco_matches} demo skills mapped by label.")
    table = Table(title="Rows per table", show_header=True, header_style="bold")
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name, count in counts.items():
        table.add_row(name, f"{count:,}")
    console.print(table)
    password = summary.logins[0].password if summary.logins else ""
    console.print(f"\nOpen {url} and log in with password {password} as:")
    for login in summary.logins:
        console.print(
            f"  {LOGIN_LABELS[login.role]:<10} {login.email:<40} "
            f"{login.name}, {login.job_title} ({login.employee_external_id})",
            soft_wrap=True,
        )
