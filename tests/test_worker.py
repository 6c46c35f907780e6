"""The job schedule: what runs when, and that a job runs one service in its own transaction."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from huey import MemoryHuey
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from skillpath import worker
from skillpath.db.session import make_engine, make_session_factory, transaction
from skillpath.domains.evidence.models import EmployeeSkill, ProfileBuild
from skillpath.migrations import upgrade_to_head
from tests.factories import make_employee, make_evidence, make_skill


def test_the_schedule_rebuilds_profiles_every_night() -> None:
    job = worker.job_named("nightly-profile-rebuild")
    assert job.run is worker.rebuild_profiles
    assert (job.when.minute, job.when.hour) == ("30", "2")
    assert (job.when.day, job.when.month, job.when.day_of_week) == ("*", "*", "*")
    assert len({job.name for job in worker.SCHEDULE}) == len(worker.SCHEDULE)


def test_unknown_jobs_are_refused() -> None:
    with pytest.raises(KeyError):
        worker.job_named("no-such-job")


def test_every_job_becomes_a_periodic_task_of_the_queue() -> None:
    queue = MemoryHuey(name="test", utc=True)
    worker.register(queue)
    start = datetime(2026, 3, 2)
    names = {
        task.name
        for minute in range(7 * 24 * 60)
        for task in queue.read_periodic(start + timedelta(minutes=minute))
    }
    assert names == {job.name for job in worker.SCHEDULE}
    # The nightly rebuild is due at 02:30 UTC and not a minute later.
    due = [task.name for task in queue.read_periodic(datetime(2026, 3, 2, 2, 30))]
    assert "nightly-profile-rebuild" in due
    assert "nightly-profile-rebuild" not in [
        task.name for task in queue.read_periodic(datetime(2026, 3, 2, 2, 31))
    ]


def test_the_rebuild_job_calls_the_service(session: Session) -> None:
    person = make_employee(session)
    make_evidence(session, person, make_skill(session), observed_at=datetime.now(UTC))
    line = worker.rebuild_profiles(session)
    assert line == "rebuilt 1 profile rows for 1 employees"
    assert session.scalar(select(func.count()).select_from(EmployeeSkill)) == 1
    build = session.scalars(select(ProfileBuild)).one()
    assert build.kind == "full"


def test_run_job_commits_in_its_own_transaction(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'jobs.db'}"
    upgrade_to_head(url)
    engine = make_engine(url)
    factory = make_session_factory(engine)
    with transaction(factory) as session:
        person = make_employee(session)
        make_evidence(
            session, person, make_skill(session), observed_at=datetime.now(UTC) - timedelta(days=1)
        )
    line = worker.run_job(worker.job_named("nightly-profile-rebuild"), url)
    assert line.startswith("rebuilt 1 profile rows")
    with factory() as session:
        assert session.scalar(select(func.count()).select_from(EmployeeSkill)) == 1
    engine.dispose()


def test_queues_are_sqlite_files_or_redis(tmp_path: Path) -> None:
    queue = worker.make_queue(f"sqlite:///{tmp_path / 'q' / 'queue.db'}")
    assert (tmp_path / "q").is_dir()
    assert queue.name == "skillpath"
    with pytest.raises(ValueError, match="unsupported queue URL"):
        worker.make_queue("amqp://localhost")
