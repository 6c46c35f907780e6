"""The reminder rule: which step of a schedule is due for an unfinished task on a given day."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from skillpath.domains.campaigns.engine.reminders import (
    OpenTask,
    ReminderSchedule,
    Step,
    due_reminders,
    due_step,
    steps_until,
)

DEADLINE = date(2030, 3, 20)
LAUNCH = date(2030, 3, 1)
DEFAULT = ReminderSchedule((7, 2), overdue_every_days=7)


def _due(today: date, sent: tuple[str, ...] = (), launched: date = LAUNCH) -> str | None:
    step = due_step(
        deadline=DEADLINE, launched_on=launched, today=today, schedule=DEFAULT, sent=sent
    )
    return None if step is None else step.key


def test_nothing_is_due_before_the_first_step() -> None:
    """Launched on the 1st, deadline the 20th: nothing until the 13th (7 days before)."""
    assert _due(date(2030, 3, 12)) is None
    assert _due(date(2030, 3, 13)) == "before-7"


def test_the_latest_step_on_or_before_today_is_due_until_sent() -> None:
    """A step stays due until it is sent; then nothing until the next step's day."""
    assert _due(date(2030, 3, 15)) == "before-7"
    assert _due(date(2030, 3, 15), sent=("before-7",)) is None
    assert _due(date(2030, 3, 18), sent=("before-7",)) == "before-2"
    assert _due(date(2030, 3, 20), sent=("before-7", "before-2")) is None


def test_overdue_steps_start_the_day_after_the_deadline_and_repeat() -> None:
    """overdue-1 on the 21st, overdue-2 a week later, each once."""
    sent = ("before-7", "before-2")
    assert _due(date(2030, 3, 21), sent=sent) == "overdue-1"
    assert _due(date(2030, 3, 27), sent=(*sent, "overdue-1")) is None
    assert _due(date(2030, 3, 28), sent=(*sent, "overdue-1")) == "overdue-2"


def test_a_stopped_worker_sends_only_the_latest_missed_step() -> None:
    """Nothing sent for weeks: only the newest step, never an older one afterwards."""
    assert _due(date(2030, 3, 29)) == "overdue-2"
    assert _due(date(2030, 3, 29), sent=("overdue-2",)) is None


def test_steps_on_or_before_the_launch_day_are_skipped() -> None:
    """Launched two days before the deadline: the assignment notice covers that day; the
    before-7 step, already past at launch, is never sent."""
    late_launch = date(2030, 3, 18)
    assert _due(date(2030, 3, 18), launched=late_launch) is None
    assert _due(date(2030, 3, 19), launched=late_launch) is None
    assert _due(date(2030, 3, 21), launched=late_launch) == "overdue-1"


def test_a_single_overdue_notice_when_the_interval_is_zero() -> None:
    """overdue_every_days = 0: one overdue notice and no more."""
    schedule = ReminderSchedule((3,), overdue_every_days=0)
    keys = [s.key for s in steps_until(DEADLINE, schedule, DEADLINE + timedelta(days=60))]
    assert keys == ["before-3", "overdue-1"]


def test_steps_are_in_date_order() -> None:
    """Days before are sorted from the furthest, overdue steps follow the deadline."""
    schedule = ReminderSchedule((1, 14, 3), overdue_every_days=2)
    steps = steps_until(DEADLINE, schedule, DEADLINE + timedelta(days=5))
    assert [s.key for s in steps] == [
        "before-14",
        "before-3",
        "before-1",
        "overdue-1",
        "overdue-2",
        "overdue-3",
    ]
    assert [s.day for s in steps] == sorted(s.day for s in steps)
    assert steps[3] == Step("overdue-1", DEADLINE + timedelta(days=1))
    assert steps[3].overdue
    assert not steps[0].overdue


@pytest.mark.parametrize(
    ("days", "every"), [((0,), 7), ((91,), 7), ((7, 7), 7), ((7,), -1), ((7,), 91)]
)
def test_bad_schedules_are_refused(days: tuple[int, ...], every: int) -> None:
    """Days outside 1–90, repeated days and a bad overdue interval raise ValueError."""
    with pytest.raises(ValueError, match="must"):
        ReminderSchedule(days, every)


def test_due_reminders_group_tasks_by_campaign_rater_and_step() -> None:
    """Two unfinished tasks of one rater make one reminder; a sent step is left out."""

    def task(task_id: int, campaign: int, rater: int) -> OpenTask:
        return OpenTask(task_id, campaign, rater, DEADLINE, LAUNCH, DEFAULT)

    tasks = [task(3, 1, 10), task(1, 1, 10), task(2, 1, 11), task(4, 2, 10)]
    due = due_reminders(tasks, today=date(2030, 3, 14), sent={(1, 11, "before-7")})
    assert [(d.campaign_id, d.rater_id, d.step.key, d.task_ids) for d in due] == [
        (1, 10, "before-7", (1, 3)),
        (2, 10, "before-7", (4,)),
    ]
    assert due_reminders(tasks, today=date(2030, 3, 12), sent=set()) == []


@given(
    days=st.sets(st.integers(1, 30), min_size=0, max_size=4),
    every=st.integers(0, 10),
    launch_offset=st.integers(1, 40),
    horizon=st.integers(0, 80),
)
def test_sending_every_due_step_day_by_day_sends_each_step_at_most_once(
    days: set[int], every: int, launch_offset: int, horizon: int
) -> None:
    """Simulate a daily worker: no step twice, steps in date order, none dated at or before
    launch, and every step after launch is sent when the worker runs every day."""
    schedule = ReminderSchedule(tuple(days), every)
    launched = DEADLINE - timedelta(days=launch_offset)
    sent: list[str] = []
    day = launched
    end = DEADLINE + timedelta(days=horizon)
    while day <= end:
        step = due_step(
            deadline=DEADLINE, launched_on=launched, today=day, schedule=schedule, sent=sent
        )
        if step is not None:
            assert step.day <= day
            assert step.day > launched
            sent.append(step.key)
        day += timedelta(days=1)
    assert len(sent) == len(set(sent))
    expected = [s.key for s in steps_until(DEADLINE, schedule, end) if s.day > launched]
    assert sent == expected
