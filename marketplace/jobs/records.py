"""Keeping failures for the admin: huey's signals write job_failures; a person can queue one again."""

from __future__ import annotations

import json
from datetime import timedelta

from flask import current_app
from huey import signals
from huey.api import PeriodicTask
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from marketplace.db import utcnow
from marketplace.extensions import db
from marketplace.jobs.models import FAILED, OPEN, RECOVERED, REQUEUED, RETRYING, JobFailure
from marketplace.jobs.queue import queue_of
from marketplace.jobs.registry import JOBS


class NotRetryable(Exception):
    """This failure cannot be queued again (not failed, or its job no longer exists)."""


def connect(queue) -> None:
    """Record errors and recoveries of the queue's tasks in job_failures."""
    app = queue.app

    def on_error(signal, task, exc=None) -> None:
        retries = type(task).default_retries
        with app.app_context():
            _record_error(task, exc, attempts=retries - task.retries + 1, final=not task.retries)

    def on_complete(signal, task) -> None:
        periodic = isinstance(task, PeriodicTask)
        if not periodic and task.retries >= type(task).default_retries:
            return  # first attempt succeeded: nothing was recorded, no write needed
        with app.app_context():
            _record_recovery(task, periodic)

    queue.huey.signal(signals.SIGNAL_ERROR)(on_error)
    queue.huey.signal(signals.SIGNAL_COMPLETE)(on_complete)


def _task_name(task) -> str:
    return f"{type(task).__module__}.{task.name}"


def _error_text(exc: BaseException | None) -> str:
    if exc is None:
        return ""
    return f"{type(exc).__name__}: {exc}"[:2000]


def _same_failure(task):
    # A periodic task is a new task at each tick: its failures add up on one open row.
    if isinstance(task, PeriodicTask):
        return (JobFailure.task_name == _task_name(task)) & JobFailure.status.in_(OPEN)
    return JobFailure.task_id == task.id


def _record_error(task, exc, attempts: int, final: bool) -> None:
    # Its own short transaction: the task's session is gone, and a caller's (immediate mode,
    # inside a request) must not be touched.
    now = utcnow()
    periodic = isinstance(task, PeriodicTask)
    with Session(db.engine) as session, session.begin():
        row = session.scalar(select(JobFailure).where(_same_failure(task)).limit(1))
        if periodic and row is not None:
            attempts = row.attempts + 1
        if row is None:
            row = JobFailure(
                task_id=task.id,
                task_name=_task_name(task),
                arguments=json.dumps(
                    {"args": list(task.args), "kwargs": dict(task.kwargs)}, default=str
                ),
                first_failed_at=now,
            )
            session.add(row)
        row.attempts = attempts
        row.last_error = _error_text(exc)
        row.last_failed_at = now
        row.status = FAILED if final else RETRYING


def _record_recovery(task, periodic: bool) -> None:
    with Session(db.engine) as session, session.begin():
        session.execute(
            update(JobFailure)
            .where(_same_failure(task) if periodic else JobFailure.task_id == task.id)
            .values(status=RECOVERED, resolved_at=utcnow())
        )


def open_failures(limit: int = 200) -> list[JobFailure]:
    """Failures still retrying or given up, most recent first."""
    return list(
        db.session.scalars(
            select(JobFailure)
            .where(JobFailure.status.in_(OPEN))
            .order_by(JobFailure.last_failed_at.desc(), JobFailure.id.desc())
            .limit(limit)
        )
    )


def recent_resolved(limit: int = 20) -> list[JobFailure]:
    """Failures that recovered or were queued again, most recent first."""
    return list(
        db.session.scalars(
            select(JobFailure)
            .where(JobFailure.status.in_((RECOVERED, REQUEUED)))
            .order_by(JobFailure.resolved_at.desc(), JobFailure.id.desc())
            .limit(limit)
        )
    )


def retry_failure(failure: JobFailure) -> None:
    """Queue a failed task again with its arguments; the caller commits the row's new status."""
    if failure.status != FAILED:
        raise NotRetryable(f"job {failure.id} is {failure.status}, not failed")
    declared = JOBS.get(failure.task_name)
    if declared is None:
        raise NotRetryable(f"job {failure.id}: no job is named {failure.task_name} any more")
    saved = json.loads(failure.arguments or "{}")
    # Queued before the row changes: in immediate mode the run may record a new failure in
    # its own transaction, which must not wait behind ours.
    queue_of(current_app).enqueue_job(
        declared, tuple(saved.get("args", ())), saved.get("kwargs", {})
    )
    failure.status, failure.resolved_at = REQUEUED, utcnow()


def purge_resolved(days: int) -> int:
    """Delete failures resolved more than `days` ago; return how many went."""
    cutoff = utcnow() - timedelta(days=days)
    result = db.session.execute(
        delete(JobFailure).where(
            JobFailure.status.in_((RECOVERED, REQUEUED)), JobFailure.resolved_at < cutoff
        )
    )
    return result.rowcount or 0  # type: ignore[attr-defined]  # a DELETE returns a CursorResult
