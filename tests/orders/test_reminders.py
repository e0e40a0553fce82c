"""On pickup day, `flask orders remind` emails each resident once per order to collect."""

from datetime import datetime, time, timedelta

from marketplace.db import utcnow
from marketplace.extensions import db
from marketplace.orders import emails, operations
from tests.conftest import outbox
from tests.factories import make_product, make_shop, make_user
from tests.orders.helpers import PARIS, TZ, place, run_together, set_hours


def test_one_reminder_per_order_due_today_and_none_the_second_time(app):
    shop = make_shop(name="Fromagerie B", prep_minutes=0)
    set_hours(shop)  # open all day, every day
    brie = make_product(shop, "Brie de Meaux", 650, stock=None)
    alice, bruno, chloe = (
        make_user(f"{n}@example.org", name=n) for n in ("alice", "bruno", "chloe")
    )
    for user in (alice, bruno, chloe):
        user.locale = "en"
    # Everything below is "today" and "tomorrow" in the town, whatever the hour of the run.
    midnight = datetime.combine(utcnow().astimezone(PARIS).date(), time(0), PARIS)
    at_ten, tomorrow_at_ten = midnight + timedelta(hours=10), midnight + timedelta(days=1, hours=10)

    alice_today = place(alice, {brie: 1}, {shop: at_ten}, midnight).orders[0]
    place(alice, {brie: 1}, {shop: tomorrow_at_ten}, midnight)  # tomorrow: not yet
    bruno_today = place(bruno, {brie: 2}, {shop: at_ten + timedelta(hours=6)}, midnight).orders[0]
    operations.mark_ready(bruno_today, shop.owner_id)  # ready orders are reminded too
    chloe_today = place(chloe, {brie: 1}, {shop: at_ten}, midnight).orders[0]
    operations.cancel_by_customer(chloe_today, chloe.id)  # cancelled: no reminder
    db.session.commit()
    runner = app.test_cli_runner()

    first = runner.invoke(args=["orders", "remind"])

    assert first.exit_code == 0, first.output
    assert "2 reminder(s) queued." in first.output
    mails = outbox(app)
    assert sorted(m.split("\n")[0] for m in mails) == [
        "To: alice@example.org",
        "To: bruno@example.org",
    ]
    assert all("Subject: Today: collect your order at Fromagerie B" in m for m in mails)
    assert alice_today.display_code in next(m for m in mails if "alice@" in m)

    second = runner.invoke(args=["orders", "remind"])

    assert second.exit_code == 0 and "0 reminder(s) queued." in second.output
    assert len(outbox(app)) == 2


def test_two_reminder_runs_at_once_send_each_reminder_once(app):
    shop = make_shop(name="Fromagerie B", prep_minutes=0)
    set_hours(shop)
    brie = make_product(shop, "Brie de Meaux", 650, stock=None)
    midnight = datetime.combine(utcnow().astimezone(PARIS).date(), time(0), PARIS)
    for i in range(6):
        customer = make_user(f"resident{i}@example.org")
        place(customer, {brie: 1}, {shop: midnight + timedelta(hours=9 + i)}, midnight)

    def remind(_i: int) -> int:
        """What `flask orders remind` does (click's runner swaps sys.stdout: one per thread fails)."""
        due = operations.due_reminders(utcnow(), TZ)
        db.session.commit()
        for order in due:
            emails.send_pickup_reminder(order)
        return len(due)

    sent = run_together(app, 2, remind)

    assert sum(sent) == 6, sent  # the two runs shared the work, neither sent a reminder twice
    assert sorted(m.split("\n")[0] for m in outbox(app)) == [
        f"To: resident{i}@example.org" for i in range(6)
    ]
