"""`flask jobs list | retry | worker`, and the consumer thread of `make run`."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

from huey import signals

from marketplace.extensions import db
from marketplace.jobs.models import FAILED, REQUEUED, JobFailure
from marketplace.jobs.worker import start_consumer_thread
from marketplace.orders import emails
from marketplace.orders.status import CONFIRMED
from tests.conftest import drain_jobs, outbox
from tests.jobs.flaky import always_fails
from tests.orders.helpers import make_order

ROOT = Path(__file__).resolve().parents[2]


def test_list_shows_pending_jobs_and_failures_with_their_last_error(app, queued_jobs):
    always_fails.delay(3)
    drain_jobs(app, include_retries=True)
    always_fails.delay(4)
    runner = app.test_cli_runner()

    result = runner.invoke(args=["jobs", "list"])

    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "pending: 1"
    assert lines[1].endswith(" tests.jobs.flaky.always_fails(4)")
    assert lines[2] == "scheduled: 0"
    assert lines[3] == "failed: 1"
    assert "tests.jobs.flaky.always_fails" in lines[4]
    assert "failed, 2 attempt(s)" in lines[4] and lines[4].endswith("Unwell: order 3: mailbox full")


def test_retry_queues_a_failed_job_again_once(app, queued_jobs):
    always_fails.delay(3)
    drain_jobs(app, include_retries=True)
    failure = db.session.scalars(db.select(JobFailure)).one()
    assert failure.status == FAILED
    runner = app.test_cli_runner()

    result = runner.invoke(args=["jobs", "retry", str(failure.id)])

    assert result.exit_code == 0, result.output
    assert "queued again" in result.output
    db.session.expire_all()
    assert db.session.get(JobFailure, failure.id).status == REQUEUED
    assert [t.args for t in queued_jobs.pending()] == [(3,)]
    again = runner.invoke(args=["jobs", "retry", str(failure.id)])
    assert again.exit_code == 1 and "is requeued, not failed" in again.output
    unknown = runner.invoke(args=["jobs", "retry", "999"])
    assert unknown.exit_code == 1 and "no failed job #999" in unknown.output
    assert len(queued_jobs.pending()) == 1


def test_the_dev_servers_consumer_thread_runs_queued_jobs(app, queued_jobs):
    order = make_order(CONFIRMED)
    finished, both = [], threading.Event()

    def complete(signal, task) -> None:
        finished.append(task.id)
        if len(finished) == 2:
            both.set()

    queued_jobs.huey.signal(signals.SIGNAL_COMPLETE)(complete)
    emails.send_order_ready(order)  # queued: the order is not ready, so the job sends nothing
    emails.send_pickup_reminder(order)

    consumer = start_consumer_thread(app, workers=1)
    try:
        assert both.wait(timeout=30), finished
    finally:
        consumer.stop(graceful=True)
    assert [m.split("\n")[1] for m in outbox(app)] == [
        "Subject: Aujourd'hui\u202f: retirez votre commande chez Fromagerie B"
    ]


def test_flask_jobs_worker_runs_the_queue_until_interrupted(app, queued_jobs, tmp_path):
    order = make_order(CONFIRMED)
    emails.send_pickup_reminder(order)
    env = dict(
        os.environ,
        FLASK_APP="wsgi:app",
        VITRINE_ENV="testing",
        TEST_DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
        JOBS_IMMEDIATE="0",
        JOBS_SQLITE_PATH=app.config["JOBS_SQLITE_PATH"],
        MAIL_OUTBOX_DIR=app.config["MAIL_OUTBOX_DIR"],
        SEARCH_INDEX_DIR=app.config["SEARCH_INDEX_DIR"],
    )
    worker = subprocess.Popen(
        [sys.executable, "-m", "flask", "jobs", "worker", "-w", "1", "--no-periodic"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    watchdog = threading.Timer(60, worker.kill)  # a stuck worker fails the test, never hangs it
    watchdog.start()
    try:
        seen = []
        for line in worker.stdout:  # ends when the worker exits
            seen.append(line)
            if "email_customer" in line and "executed in" in line:
                break
        assert any("executed in" in line for line in seen), "".join(seen)
        worker.send_signal(signal.SIGINT)  # graceful: finishes what runs, then exits
        assert worker.wait(timeout=30) == 0
    finally:
        watchdog.cancel()
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    [mail] = outbox(app)
    assert "Subject: Aujourd'hui\u202f: retirez votre commande chez Fromagerie B" in mail
    assert queued_jobs.pending() == []
