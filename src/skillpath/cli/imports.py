"""`skillpath import ...`: taxonomies (ESCO, O*NET) and CSV files, with progress and a report."""

from __future__ import annotations

import typer

from skillpath.cli.common import console
from skillpath.core.reports import ImportReport

app = typer.Typer(help="Import taxonomies and HR data.", no_args_is_help=True)


def print_report(report: ImportReport) -> None:
    """Print what an import did."""
    for line in report.lines():
        console.print(line)
