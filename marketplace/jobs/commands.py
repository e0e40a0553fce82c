"""`flask jobs worker | list | retry`: run the queue, see what waits and what failed, retry."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from marketplace.extensions import db
from marketplace.jobs import records
from marketplace.jobs.models import JobFailure
from marketplace.jobs.queue import queue_of

jobs_cli = AppGroup("jobs", help="Background jobs (huey): the worker and the failed jobs.")


@jobs_cli.command("worker")
@click.option("-w", "--workers", type=int, default=2, show_default=True, help="Worker threads.")
@click.option(
    "--periodic/--no-periodic",
    default=True,
    show_default=True,
    help="Queue the periodic tasks (one machine is enough; the others: --no-periodic).",
)
def worker(workers: int, periodic: bool) -> None:
    """Run the jobs until stopped (SIGINT finishes the running jobs, SIGTERM interrupts)."""
    from marketplace.jobs.worker import run_worker

    if workers < 1:
        raise click.BadParameter("at least 1", param_hint="--workers")
    click.echo(f"jobs worker: {workers} thread(s), periodic tasks {'on' if periodic else 'off'}.")
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # a proxy typed as Flask
    run_worker(app, workers, periodic)


@jobs_cli.command("list")
def list_jobs() -> None:
    """Print the pending, scheduled (waiting to retry) and failed jobs with their last error."""
    queue = queue_of(current_app)
    pending, scheduled = queue.pending(), queue.scheduled()
    failures = records.open_failures()
    click.echo(f"pending: {len(pending)}")
    for task in pending:
        click.echo(f"  {task.task_id} {task.name}{task.call}")
    click.echo(f"scheduled: {len(scheduled)}")
    for task in scheduled:
        eta = f"{task.eta:%Y-%m-%d %H:%M:%S} UTC" if task.eta else "-"
        click.echo(f"  {task.task_id} {task.name}{task.call} at {eta}")
    click.echo(f"failed: {len(failures)}")
    for failure in failures:
        click.echo(
            f"  #{failure.id} {failure.task_name} {failure.arguments} {failure.status},"
            f" {failure.attempts} attempt(s), last {failure.last_failed_at:%Y-%m-%d %H:%M} UTC:"
            f" {failure.last_error}"
        )


@jobs_cli.command("retry")
@click.argument("failure_id", type=int)
def retry(failure_id: int) -> None:
    """Queue a failed job again (ID from `flask jobs list`)."""
    failure = db.session.get(JobFailure, failure_id)
    if failure is None:
        raise click.ClickException(f"no failed job #{failure_id}")
    try:
        records.retry_failure(failure)
    except records.NotRetryable as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"job #{failure_id} ({failure.task_name}) queued again.")
