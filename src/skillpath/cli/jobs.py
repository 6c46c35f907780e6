"""`skillpath worker`: run the background job consumer, list the schedule, or run one job now."""

from __future__ import annotations

import logging

import typer
from rich.table import Table

from skillpath import worker
from skillpath.cli.common import console
from skillpath.core.errors import InvalidInputError, Problem


def run_worker(
    list_jobs: bool = typer.Option(False, "--list", help="Print the schedule and exit."),
    run: str | None = typer.Option(
        None, "--run", metavar="JOB", help="Run one scheduled job now, once, and exit."
    ),
    workers: int = typer.Option(1, "--workers", min=1, max=16, help="Worker threads."),
) -> None:
    """Run the background jobs (nightly profile rebuild …) on their schedule, until stopped."""
    if list_jobs:
        table = Table("job", "when (cron, UTC)", "what")
        for job in worker.SCHEDULE:
            table.add_row(job.name, job.when.describe(), job.description)
        console.print(table)
        return
    if run is not None:
        try:
            job = worker.job_named(run)
        except KeyError:
            names = ", ".join(job.name for job in worker.SCHEDULE)
            raise InvalidInputError(
                "cannot run the job", [Problem(f"must be one of: {names}", column="run", value=run)]
            ) from None
        console.print(f"{job.name}: {worker.run_job(job)}")
        return
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    queue = worker.make_queue()
    worker.register(queue)
    console.print(f"Worker started: {len(worker.SCHEDULE)} scheduled job(s); Ctrl+C stops it.")
    queue.create_consumer(workers=workers, periodic=True).run()
