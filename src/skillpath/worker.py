"""Background jobs: one schedule table, run by a huey consumer (`skillpath worker`).

Every job is an idempotent function that opens one transaction, calls one service and commits
(jobs are edges, like HTTP requests and CLI commands: no SQL and no business rule here).

Adding a job is one line in `SCHEDULE`: its name, when it runs (cron fields, UTC), what it
does, and a function `(session) -> str` that calls one service and returns a line for the log,
for example::

    Job("campaign-reminders", Cron(minute="0", hour="8"), send_campaign_reminders, "..."),

The queue is huey's: a SQLite file by default (no extra service on a laptop) or Redis at scale
(`SKILLPATH_QUEUE_URL=redis://host:6379/0`, with the `redis` package installed), so several
worker machines can share it. Periodic jobs are enqueued by the consumer's scheduler, so run
exactly one `skillpath worker` with the scheduler on (the default) per deployment.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from huey import Huey, RedisHuey, SqliteHuey, crontab
from sqlalchemy.orm import Session

from skillpath.config import get_settings
from skillpath.core.clock import utcnow
from skillpath.db.session import make_engine, make_session_factory, transaction
from skillpath.domains.campaigns import service as campaigns_service
from skillpath.domains.evidence import service as evidence_service
from skillpath.domains.gaps import service as gaps_service
from skillpath.domains.learning import paths
from skillpath.domains.mentoring import service as mentoring_service

logger = logging.getLogger("skillpath.worker")


@dataclass(frozen=True)
class Cron:
    """When a job runs, as cron fields in UTC (huey's `crontab`)."""

    minute: str = "*"
    hour: str = "*"
    day: str = "*"
    month: str = "*"
    day_of_week: str = "*"

    def describe(self) -> str:
        """The five fields as a cron line."""
        return f"{self.minute} {self.hour} {self.day} {self.month} {self.day_of_week}"


@dataclass(frozen=True)
class Job:
    """A scheduled job: a name, when it runs, and the function that calls one service."""

    name: str
    when: Cron
    run: Callable[[Session], str]
    description: str


# The jobs (each opens no transaction itself: `run_job` gives it one).


def rebuild_profiles(session: Session) -> str:
    """Rebuild every consolidated profile from all evidence (docs/consolidation.md)."""
    build = evidence_service.rebuild_profiles(session)
    return f"rebuilt {build.rows:,} profile rows for {build.employees:,} employees"


def send_campaign_reminders(session: Session) -> str:
    """Record the campaign reminders due now as in-app notifications (docs/campaigns.md)."""
    return f"sent {campaigns_service.send_reminders(session):,} campaign reminders"


def take_gap_snapshot(session: Session) -> str:
    """Store this month's gap roll-ups, replacing the month's earlier snapshot (docs/gaps.md)."""
    snapshot = gaps_service.take_gap_snapshot(session, utcnow())
    return f"gap snapshot of {snapshot.as_of}: {snapshot.lines:,} lines for {snapshot.employees:,}"


def replan_paths(session: Session) -> str:
    """Mark path steps completed elsewhere and re-plan paths that fell behind or went stale
    (docs/paths.md)."""
    return f"re-planned {paths.replan_due_paths(session):,} learning paths"


def end_leavers_mentoring(session: Session) -> str:
    """End mentoring relationships of people who left and count overdue check-ins
    (docs/mentoring.md)."""
    day = utcnow().date()
    ended = mentoring_service.end_matches_of_leavers(session, day)
    overdue = len(mentoring_service.overdue_checkins(session, day))
    return f"ended {ended:,} mentoring matches of leavers; {overdue:,} check-ins overdue"


SCHEDULE: tuple[Job, ...] = (
    Job(
        "nightly-profile-rebuild",
        Cron(minute="30", hour="2"),
        rebuild_profiles,
        "Rebuild every consolidated skill profile (recency decay moves levels every day).",
    ),
    Job(
        "nightly-gap-snapshot",
        Cron(minute="15", hour="3"),
        take_gap_snapshot,
        "Refresh this month's gap snapshot after the profile rebuild (one kept per month).",
    ),
    Job(
        "nightly-path-replan",
        Cron(minute="45", hour="3"),
        replan_paths,
        "Re-plan learning paths that fell behind, whose skills were learned elsewhere, or whose "
        "items changed in the catalog (after the profile rebuild).",
    ),
    Job(
        "nightly-mentoring-leavers",
        Cron(minute="0", hour="4"),
        end_leavers_mentoring,
        "End mentoring relationships whose mentor or mentee left the company (the mentees "
        "re-enter the next round) and count overdue check-ins.",
    ),
    Job(
        "campaign-reminders",
        Cron(minute="5"),
        send_campaign_reminders,
        "Remind raters with unfinished campaign tasks on each campaign's schedule (in-app).",
    ),
)
"""Every scheduled job. Add one line to add a job (see the module docstring)."""


def job_named(name: str, schedule: Sequence[Job] = SCHEDULE) -> Job:
    """The scheduled job of that name (KeyError when there is none)."""
    for job in schedule:
        if job.name == name:
            return job
    raise KeyError(name)


def run_job(job: Job, database_url: str | None = None) -> str:
    """Run one job in its own transaction (committed when it succeeds); returns its log line."""
    engine = make_engine(database_url or get_settings().database_url)
    try:
        with transaction(make_session_factory(engine)) as session:
            line = job.run(session)
    finally:
        engine.dispose()
    logger.info("%s: %s", job.name, line)
    return line


def make_queue(queue_url: str | None = None) -> Huey:
    """The huey queue: a SQLite file (`sqlite:///path`) or Redis (`redis://…`)."""
    url = queue_url or get_settings().queue_url
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        path = url.removeprefix("sqlite:///")
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        return SqliteHuey(name="skillpath", filename=path)
    if parsed.scheme in ("redis", "rediss"):
        return RedisHuey(name="skillpath", url=url)
    raise ValueError(f"unsupported queue URL {url!r}: use sqlite:///PATH or redis://HOST")


def register(queue: Huey, schedule: Sequence[Job] = SCHEDULE) -> None:
    """Declare every job of the schedule as a periodic task of the queue."""
    for job in schedule:
        when = job.when

        def task(job: Job = job) -> str:
            return run_job(job)

        queue.periodic_task(
            crontab(
                minute=when.minute,
                hour=when.hour,
                day=when.day,
                month=when.month,
                day_of_week=when.day_of_week,
            ),
            name=job.name,
        )(task)
