"""A request only enqueues; jobs run later, are retried with growing delays, and failures are kept."""

from __future__ import annotations

from pathlib import Path

from marketplace.extensions import db
from marketplace.jobs.models import FAILED, RECOVERED, REQUEUED, RETRYING, JobFailure
from marketplace.orders.status import CONFIRMED
from tests.conftest import drain_jobs, outbox, post_form
from tests.factories import login
from tests.jobs.flaky import always_fails, fails_twice
from tests.orders.helpers import make_order


def failures() -> list[JobFailure]:
    db.session.expire_all()
    return list(db.session.scalars(db.select(JobFailure).order_by(JobFailure.id)))


def test_a_cancellation_only_queues_its_emails_and_the_job_sends_them(app, queued_jobs):
    order = make_order(CONFIRMED)
    client = app.test_client()
    login(client, order.customer)

    response = post_form(client, f"/orders/{order.id}/cancel", token_from=f"/orders/{order.id}")

    assert response.status_code == 303
    assert outbox(app) == []  # the request did not send anything
    assert [(t.name, t.args) for t in queued_jobs.pending()] == [
        ("marketplace.orders.emails.email_customer", (order.id, "cancelled")),
        ("marketplace.orders.emails.email_shop", (order.id, "cancelled")),
    ]

    assert drain_jobs(app) == 2

    mails = outbox(app)
    assert [m.split("\n")[0] for m in mails] == [
        "To: alice@example.org",
        f"To: {order.shop.owner.email}",
    ]
    assert queued_jobs.pending() == []


def test_an_email_job_of_an_order_that_moved_on_sends_nothing(app, queued_jobs):
    from marketplace.orders import emails, operations

    order = make_order(CONFIRMED)
    emails.send_order_ready(order)  # queued, but the order is cancelled before it runs
    operations.cancel_by_shop(order, order.shop.owner_id, "Rupture de stock.")
    db.session.commit()

    assert drain_jobs(app) == 1
    assert outbox(app) == []


def test_a_failing_job_is_retried_with_growing_delays_then_succeeds(app, queued_jobs, tmp_path):
    counter = str(tmp_path / "runs")
    fails_twice.delay(counter)

    assert drain_jobs(app) == 1  # first attempt fails; the retry waits for its delay
    [row] = failures()
    assert (row.status, row.attempts, row.task_name) == (RETRYING, 1, fails_twice.name)
    assert row.last_error == "Unwell: attempt 1: the shop's mail server said no"
    [waiting] = queued_jobs.huey.scheduled()
    assert (waiting.retries, waiting.retry_delay) == (2, 20)  # waited 10 s, next time 20 s

    assert drain_jobs(app) == 0  # a retry does not run before its time

    assert drain_jobs(app, include_retries=True) == 2  # fails again, then succeeds
    assert Path(counter).read_text() == "3"
    [row] = failures()
    assert (row.status, row.attempts) == (RECOVERED, 2)
    assert row.resolved_at is not None
    assert queued_jobs.scheduled() == []


def test_a_job_out_of_retries_waits_for_the_admin_who_queues_it_again(app, queued_jobs, admin):
    always_fails.delay(42)
    drain_jobs(app, include_retries=True)

    [row] = failures()
    assert (row.status, row.attempts) == (FAILED, 2)
    assert row.last_error == "Unwell: order 42: mailbox full"
    assert queued_jobs.pending() == queued_jobs.scheduled() == []

    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    login(client, admin)
    page = client.get("/admin/jobs").get_data(as_text=True)
    assert "tests.jobs.flaky.always_fails" in page and "order 42: mailbox full" in page

    response = post_form(client, f"/admin/jobs/{row.id}/retry", token_from="/admin/jobs")

    assert response.status_code == 303
    assert failures()[0].status == REQUEUED
    [task] = queued_jobs.pending()
    assert (task.name, task.args) == (always_fails.name, (42,))

    again = post_form(client, f"/admin/jobs/{row.id}/retry", token_from="/admin/jobs")
    assert again.status_code == 303  # a second click: said, and nothing queued twice
    assert len(queued_jobs.pending()) == 1
    assert client.post("/admin/jobs/999/retry", data={"csrf_token": "x"}).status_code in (400, 404)


def test_in_immediate_mode_a_failing_job_never_breaks_the_request(app):
    always_fails.delay(7)  # the tests' default mode: the job runs here, fails, is recorded

    [row] = failures()
    assert (row.status, row.attempts) == (RETRYING, 1)
