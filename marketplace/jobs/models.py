"""What the admin reads about jobs that went wrong: one row per failing task, with its last error."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.db import UTCDateTime, utcnow
from marketplace.extensions import db

# A failure's status.
RETRYING = "retrying"  # huey runs it again after its backoff delay
FAILED = "failed"  # out of retries: waits for a person (`flask jobs retry ID`, /admin/jobs)
RECOVERED = "recovered"  # a later attempt succeeded
REQUEUED = "requeued"  # a person queued it again (a new task; it gets a row of its own if it fails)
OPEN = (RETRYING, FAILED)


class JobFailure(db.Model):
    """A task that raised: its name and arguments (to run it again), attempts, last error."""

    __tablename__ = "job_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[str] = mapped_column(String(64), unique=True)  # huey's id of the task
    task_name: Mapped[str] = mapped_column(String(200))  # marketplace.jobs.registry JOBS key
    arguments: Mapped[str] = mapped_column(Text, default="{}")  # {"args": [...], "kwargs": {...}}
    status: Mapped[str] = mapped_column(String(20), default=RETRYING, index=True)
    attempts: Mapped[int] = mapped_column(default=1)
    last_error: Mapped[str] = mapped_column(Text, default="")
    first_failed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_failed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
