"""Each app's job queue: a huey instance built from the configuration, with every declared job."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import import_module

from flask import Flask
from huey import RedisHuey, SqliteHuey
from huey.api import Huey, TaskWrapper

from config import ConfigError
from marketplace.extensions import db
from marketplace.jobs.registry import JOBS, Job

# The modules that declare jobs: imported before the queue is built, so that a worker knows
# every task a web process may enqueue. A new module with @job or @periodic goes here.
JOB_MODULES = (
    "marketplace.accounts.emails",
    "marketplace.orders.emails",
    "marketplace.follows.digest",
    "marketplace.jobs.maintenance",
    "marketplace.privacy.jobs",
    "payments.jobs",
    "shops.import_jobs",
    "shops.import_registers",
    "shops.photo_jobs",
    "shops.review_emails",
    # Declares how a finished photo becomes the collection's (shops/photo_uploads.py).
    "marketplace.curation.collections",
    "shops.stock_alerts",
    "marketplace.webhooks.jobs",
    "marketplace.campaigns.emails",
)
# Far enough ahead that every retry waiting for its time is due (drain with retries).
END_OF_TIME = datetime(9999, 1, 1)


@dataclass(frozen=True)
class QueuedTask:
    """A task waiting in the queue (eta: a retry's or a scheduled run's time, naive UTC)."""

    task_id: str
    name: str
    args: tuple
    kwargs: dict
    eta: datetime | None
    retries_left: int

    @property
    def call(self) -> str:
        """The arguments as written in a call: (12, 'confirmed', reason='...')."""
        shown = [repr(a) for a in self.args] + [f"{k}={v!r}" for k, v in self.kwargs.items()]
        return f"({', '.join(shown)})"


def build_huey(config) -> Huey:
    """Return the huey of JOBS_BACKEND: Redis on REDIS_URL, or a SQLite file (JOBS_SQLITE_PATH)."""
    name, immediate = config["JOBS_QUEUE_NAME"], config["JOBS_IMMEDIATE"]
    backend = config["JOBS_BACKEND"]
    if backend == "redis":
        if not config.get("REDIS_URL"):
            raise ConfigError("JOBS_BACKEND=redis needs REDIS_URL (redis://host:6379/0).")
        return RedisHuey(name, url=config["REDIS_URL"], immediate=immediate, results=False)
    if backend == "sqlite":
        return SqliteHuey(
            name, filename=config["JOBS_SQLITE_PATH"], immediate=immediate, results=False
        )
    raise ConfigError(f"Unknown JOBS_BACKEND {backend!r}; use redis or sqlite.")


class JobQueue:
    """The app's huey plus the task registered for each declared job."""

    def __init__(self, app: Flask, huey: Huey) -> None:
        self.app = app
        self.huey = huey
        self.tasks: dict[str, TaskWrapper] = {}

    def register(self, declared: Job) -> None:
        """Make `declared` a huey task that runs in an app context with a fresh session."""
        app, func = self.app, declared.func
        lock = self.huey.lock_task(declared.name) if declared.schedule else None

        def run(*args, **kwargs):
            with app.app_context():
                try:
                    if lock is None:
                        return func(*args, **kwargs)
                    # Schedulers on several machines may queue the same tick: one run at a time.
                    with lock:
                        return func(*args, **kwargs)
                except BaseException:
                    db.session.rollback()
                    raise
                finally:
                    db.session.remove()

        # huey names a task "module.function": the same name as the Job's.
        run.__module__, run.__name__ = func.__module__, func.__name__
        settings = {"retries": declared.retries, "name": func.__name__}
        if declared.schedule is not None:
            matcher = declared.schedule.matcher(app.config["TIMEZONE"])
            wrapper = self.huey.periodic_task(matcher, **settings)(run)
        else:
            wrapper = self.huey.task(
                retry_delay=declared.retry_delay, retry_backoff=declared.retry_backoff, **settings
            )(run)
        self.tasks[declared.name] = wrapper

    def enqueue_job(self, declared: Job, args: tuple, kwargs: dict) -> None:
        """Queue one run of `declared` (in immediate mode, run it now)."""
        try:
            task = self.tasks[declared.name]
        except KeyError:
            raise RuntimeError(
                f"job {declared.name} is not registered: add its module to JOB_MODULES"
            ) from None
        task(*args, **kwargs)

    def pending(self, limit: int = 100) -> list[QueuedTask]:
        """Tasks waiting for a worker, oldest first."""
        return [_describe(t) for t in self.huey.pending(limit)]

    def scheduled(self, limit: int = 100) -> list[QueuedTask]:
        """Tasks waiting for their time (retries after a failure), soonest first."""
        tasks = [_describe(t) for t in self.huey.scheduled(limit)]
        return sorted(tasks, key=lambda t: t.eta or END_OF_TIME.replace(tzinfo=UTC))

    def drain(self, include_retries: bool = False) -> int:
        """Run every queued task here until the queue is empty; return how many ran.

        With include_retries, the retries waiting for their delay run too (as if it had passed).
        """
        ran = 0
        while True:
            task = self.huey.dequeue()
            if task is not None:
                self.huey.execute(task)
                ran += 1
                continue
            due = self.huey.read_schedule(END_OF_TIME) if include_retries else []
            if not due:
                return ran
            for task in due:
                self.huey.execute(task, task.eta)
                ran += 1


def _describe(task) -> QueuedTask:
    return QueuedTask(
        task_id=task.id,
        name=f"{type(task).__module__}.{task.name}",
        args=tuple(task.args),
        kwargs=dict(task.kwargs),
        eta=task.eta.replace(tzinfo=UTC) if task.eta else None,  # huey keeps naive UTC
        retries_left=task.retries,
    )


def init_jobs(app: Flask) -> None:
    """Build the app's queue from its configuration and register every declared job."""
    from marketplace.jobs import records

    for module in JOB_MODULES:
        import_module(module)
    queue = JobQueue(app, build_huey(app.config))
    for declared in JOBS.values():
        queue.register(declared)
    records.connect(queue)
    app.extensions["vitrine.jobs"] = queue
    if app.config["JOBS_CONSUMER_THREAD"] and not app.config["JOBS_IMMEDIATE"]:
        from marketplace.jobs.worker import start_consumer_thread

        start_consumer_thread(app)


def queue_of(app: Flask) -> JobQueue:
    """Return the job queue of `app` (built by init_jobs in create_app)."""
    return app.extensions["vitrine.jobs"]
