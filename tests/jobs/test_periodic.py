"""The periodic tasks that replaced the timers call the same services as the commands."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import func, insert, select

from marketplace.db import utcnow
from marketplace.extensions import db
from marketplace.jobs import DailyAt, Every
from marketplace.jobs.maintenance import (
    expire_unpaid_checkouts,
    purge_old_records,
    send_pickup_reminders,
)
from marketplace.jobs.models import FAILED, RECOVERED, JobFailure
from marketplace.orders.models import Order
from marketplace.orders.status import EXPIRED, PENDING_PAYMENT
from search.models import PRUNED, UPSERT, SearchOutbox
from tests.conftest import drain_jobs, outbox
from tests.factories import make_product, make_shop, make_user
from tests.orders.helpers import PARIS, make_order, place, set_hours


def test_every_periodic_task_is_on_the_queue_with_its_schedule(app):
    from marketplace.jobs.queue import queue_of

    huey = queue_of(app).huey
    due = lambda moment: sorted(t.name for t in huey.read_periodic(moment))  # noqa: E731
    # 05:00 UTC is 07:00 in Paris in July; 06:00 UTC is 07:00 in January.
    at_seven = [
        "expire_unpaid_checkouts",
        "resend_stranded",
        "retry_transfers",
        "send_pickup_reminders",
    ]
    assert due(datetime(2026, 7, 1, 5, 0)) == at_seven
    assert due(datetime(2026, 1, 15, 6, 0)) == at_seven
    assert due(datetime(2026, 1, 15, 5, 0)) == [
        "expire_unpaid_checkouts",
        "resend_stranded",
        "retry_transfers",
    ]
    assert due(datetime(2026, 1, 15, 5, 5)) == ["expire_unpaid_checkouts"]
    assert due(datetime(2026, 1, 15, 2, 30)) == [
        "expire_unpaid_checkouts",
        "reconcile_with_stripe",
        "resend_stranded",
        "retry_transfers",
    ]
    assert due(datetime(2026, 1, 15, 3, 0)) == [
        "expire_unpaid_checkouts",
        "purge_old_records",
        "resend_stranded",
        "retry_transfers",
    ]
    assert due(datetime(2026, 1, 15, 3, 7)) == []


def test_schedules_read_the_town_clock():
    assert Every(5).matcher("Europe/Paris")(datetime(2026, 3, 29, 0, 55))
    assert not Every(5).matcher("Europe/Paris")(datetime(2026, 3, 29, 0, 57))
    seven = DailyAt(7, 0).matcher("Europe/Paris")
    assert seven(datetime(2026, 3, 30, 5, 0)) and not seven(datetime(2026, 3, 27, 5, 0))


def test_expiring_unpaid_checkouts_returns_their_stock(app):
    order = make_order(PENDING_PAYMENT, 2, 5, now=utcnow() - timedelta(hours=2))

    expire_unpaid_checkouts.delay()  # through the queue (immediate in the tests)

    db.session.expire_all()
    assert db.session.get(Order, order.id).status == EXPIRED
    assert order.lines[0].product.stock == 5


def test_pickup_reminders_are_queued_once_and_sent_by_their_jobs(app, queued_jobs):
    shop = make_shop(name="Fromagerie B", prep_minutes=0)
    set_hours(shop)
    brie = make_product(shop, "Brie de Meaux", 650, stock=None)
    alice = make_user("alice@example.org")
    midnight = datetime.combine(utcnow().astimezone(PARIS).date(), time(0), PARIS)
    place(alice, {brie: 1}, {shop: midnight + timedelta(hours=10)}, midnight)

    send_pickup_reminders.delay()
    assert drain_jobs(app) == 2  # the periodic task, then the email it queued
    send_pickup_reminders.delay()
    assert drain_jobs(app) == 1  # nothing more to remind

    [mail] = outbox(app)
    assert mail.startswith("To: alice@example.org")


def test_the_retention_purge_drops_old_outbox_rows_and_old_resolved_failures(app):
    long_ago = utcnow() - timedelta(days=200)
    db.session.execute(
        insert(SearchOutbox).values(kind="shop", entity_id=1, op=UPSERT, created_at=long_ago)
    )
    db.session.add_all(
        [
            JobFailure(task_id="old", task_name="x", status=RECOVERED, resolved_at=long_ago),
            JobFailure(task_id="open", task_name="x", status=FAILED, last_failed_at=long_ago),
            JobFailure(task_id="new", task_name="x", status=RECOVERED, resolved_at=utcnow()),
        ]
    )
    db.session.commit()

    purge_old_records.delay()

    db.session.expire_all()
    kinds = db.session.scalars(select(SearchOutbox.kind)).all()
    assert kinds == [PRUNED]
    left = db.session.scalars(select(JobFailure.task_id).order_by(JobFailure.task_id)).all()
    assert left == ["new", "open"]
    assert db.session.scalar(select(func.count()).select_from(JobFailure)) == 2
