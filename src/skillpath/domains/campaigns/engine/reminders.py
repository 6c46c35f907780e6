"""Reminder schedules: which step of a campaign's schedule is due for an unfinished task today.

A schedule has steps on calendar days: "before-K" on the deadline minus K days (for each K of
`days_before`), then "overdue-1" the day after the deadline and, when `overdue_every_days` is
above 0, "overdue-2", "overdue-3" … every that many days after it.

A step is *due* for an unfinished task on `today` when it is the latest step dated on or before
`today`, it is dated after the launch day (the notice of assignment covers the launch day
itself), and it has not been sent to the rater yet. Only the latest step counts: a worker that
was stopped for a week sends one reminder when it comes back, not one per missed step, and an
older step is never sent after a newer one.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

BEFORE_PREFIX = "before-"
OVERDUE_PREFIX = "overdue-"
MAX_DAYS_BEFORE = 90
MAX_OVERDUE_EVERY = 90


@dataclass(frozen=True)
class ReminderSchedule:
    """When raters with unfinished tasks are reminded, relative to the deadline."""

    days_before: tuple[int, ...] = (7, 2)
    overdue_every_days: int = 7

    def __post_init__(self) -> None:
        if any(not 1 <= days <= MAX_DAYS_BEFORE for days in self.days_before):
            raise ValueError(f"reminder days must be between 1 and {MAX_DAYS_BEFORE}")
        if len(set(self.days_before)) != len(self.days_before):
            raise ValueError("reminder days must not repeat")
        if not 0 <= self.overdue_every_days <= MAX_OVERDUE_EVERY:
            raise ValueError(f"the overdue interval must be between 0 and {MAX_OVERDUE_EVERY}")


@dataclass(frozen=True)
class Step:
    """One step of a schedule: its key (unique within a campaign and rater) and its day."""

    key: str
    day: date

    @property
    def overdue(self) -> bool:
        """Whether the step comes after the deadline."""
        return self.key.startswith(OVERDUE_PREFIX)


def steps_until(deadline: date, schedule: ReminderSchedule, today: date) -> list[Step]:
    """Every step of a schedule dated on or before `today`, in date order."""
    steps = [
        Step(f"{BEFORE_PREFIX}{days}", deadline - timedelta(days=days))
        for days in sorted(schedule.days_before, reverse=True)
    ]
    first_overdue = deadline + timedelta(days=1)
    if today >= first_overdue:
        if schedule.overdue_every_days == 0:
            count = 1
        else:
            count = (today - first_overdue).days // schedule.overdue_every_days + 1
        steps.extend(
            Step(
                f"{OVERDUE_PREFIX}{n + 1}",
                first_overdue + timedelta(days=n * schedule.overdue_every_days),
            )
            for n in range(count)
        )
    return [step for step in steps if step.day <= today]


def due_step(
    *,
    deadline: date,
    launched_on: date,
    today: date,
    schedule: ReminderSchedule,
    sent: Collection[str] = (),
) -> Step | None:
    """The step to send now for an unfinished task, or None (see the module docstring)."""
    passed = steps_until(deadline, schedule, today)
    if not passed:
        return None
    latest = passed[-1]
    if latest.day <= launched_on or latest.key in sent:
        return None
    return latest


@dataclass(frozen=True)
class OpenTask:
    """What the reminder rule needs to know about one unfinished task."""

    task_id: int
    campaign_id: int
    rater_id: int
    deadline: date
    launched_on: date
    schedule: ReminderSchedule


@dataclass(frozen=True)
class DueReminder:
    """A step due for one rater in one campaign, with the unfinished tasks it is about."""

    campaign_id: int
    rater_id: int
    step: Step
    task_ids: tuple[int, ...]


def due_reminders(
    tasks: Sequence[OpenTask], *, today: date, sent: Collection[tuple[int, int, str]]
) -> list[DueReminder]:
    """The reminders due today for unfinished tasks, one per (campaign, rater) and step.

    `sent` holds the (campaign id, rater id, step key) of every notification already sent.
    The result is ordered by campaign, rater and step, so it is the same for any task order.
    """
    grouped: dict[tuple[int, int, str], tuple[Step, list[int]]] = {}
    for task in tasks:
        step = due_step(
            deadline=task.deadline,
            launched_on=task.launched_on,
            today=today,
            schedule=task.schedule,
        )
        if step is None:
            continue
        key = (task.campaign_id, task.rater_id, step.key)
        if key in sent:
            continue
        grouped.setdefault(key, (step, []))[1].append(task.task_id)
    return [
        DueReminder(campaign_id, rater_id, step, tuple(sorted(task_ids)))
        for (campaign_id, rater_id, _key), (step, task_ids) in sorted(grouped.items())
    ]
