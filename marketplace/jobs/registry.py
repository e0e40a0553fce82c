"""Declaring jobs: `@job` and `@periodic` record a function; each app's queue registers them all.

Declaring is separate from the huey instance because the queue is built from the app's
configuration in create_app (nothing reads configuration at import time).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import current_app

# Every declared job by name ("module.function"), the name huey stores in each message.
JOBS: dict[str, Job] = {}


@dataclass(frozen=True)
class Every:
    """A periodic schedule: every `minutes` minutes (on the clock: :00, :05 ...)."""

    minutes: int

    def matcher(self, timezone: str) -> Callable[[datetime], bool]:
        """Return huey's test on a naive UTC minute."""
        return lambda moment: (moment.hour * 60 + moment.minute) % self.minutes == 0


@dataclass(frozen=True)
class DailyAt:
    """A periodic schedule: once a day at the town's wall-clock `hour`:`minute` (TIMEZONE)."""

    hour: int
    minute: int = 0

    def matcher(self, timezone: str) -> Callable[[datetime], bool]:
        """Return huey's test on a naive UTC minute, read in the town's zone (DST included)."""
        zone = ZoneInfo(timezone)

        def matches(moment: datetime) -> bool:
            local = moment.replace(tzinfo=UTC).astimezone(zone)
            return (local.hour, local.minute) == (self.hour, self.minute)

        return matches


class Job:
    """A function run by a worker: arguments are ids and plain values (JSON), never objects."""

    def __init__(
        self,
        func: Callable,
        retries: int,
        retry_delay: int,
        retry_backoff: float,
        schedule: Every | DailyAt | None = None,
    ) -> None:
        self.func = func
        self.name = f"{func.__module__}.{func.__name__}"
        self.retries = retries
        self.retry_delay = retry_delay
        self.retry_backoff = retry_backoff
        self.schedule = schedule
        self.__doc__ = func.__doc__

    def delay(self, *args, **kwargs) -> None:
        """Queue a run on the current app's queue (call it after the commit it depends on)."""
        from marketplace.jobs.queue import queue_of

        queue_of(current_app).enqueue_job(self, args, kwargs)

    def run_now(self, *args, **kwargs):
        """Run the job's function here, in the current app context (tests and commands)."""
        return self.func(*args, **kwargs)

    def __repr__(self) -> str:
        return f"<Job {self.name}>"


def job(retries: int = 5, retry_delay: int = 30, retry_backoff: float = 2.0) -> Callable:
    """Declare a background job, retried `retries` times after 30 s, 60 s, 120 s ... by default."""

    def decorator(func: Callable) -> Job:
        return _register(Job(func, retries, retry_delay, retry_backoff))

    return decorator


def periodic(schedule: Every | DailyAt, retries: int = 0) -> Callable:
    """Declare a job the scheduler queues on `schedule` (it replaces a cron line)."""

    def decorator(func: Callable) -> Job:
        return _register(Job(func, retries, 60, 2.0, schedule))

    return decorator


def run_again_at(eta: datetime) -> Exception:
    """The exception a job raises to run again at `eta` (aware UTC), not recorded as a failure.

    For jobs that keep their own attempts and schedule (webhook deliveries): huey's own
    retries would record each expected failure for the admin.
    """
    from huey.exceptions import RetryTask

    return RetryTask(eta=eta.astimezone(UTC))


def _register(declared: Job) -> Job:
    if declared.name in JOBS and JOBS[declared.name].func is not declared.func:
        raise ValueError(f"two jobs are named {declared.name}")
    JOBS[declared.name] = declared
    return declared
