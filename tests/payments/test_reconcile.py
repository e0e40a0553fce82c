"""`flask payments reconcile`: bounded to what can still change, never stopped by one error."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import update

from marketplace.db import utcnow
from marketplace.extensions import db
from marketplace.orders.models import Checkout, Order
from tests.payments.conftest import pay
from tests.payments.town import (
    VISA,
    check_out,
    fill_cart,
    hand_over,
    last_checkout,
    paid_cart,
    refund_at_counter,
)


def buy_again(town, browser, product) -> Checkout:
    """The same resident pays for one more `product`: a second checkout."""
    fill_cart(browser, {product: 1})
    sent = check_out(browser)
    checkout = last_checkout()
    assert pay(sent.headers["Location"], VISA).status_code == 303
    town.wait_for("checkout.session.completed", checkout.stripe_session_id)
    return db.session.get(Checkout, checkout.id)


def test_an_object_stripe_does_not_know_is_reported_and_the_rest_still_checked(town):
    browser, checkout = paid_cart(town)
    ghost_id = checkout.id
    db.session.execute(  # a checkout whose session Stripe never made (or another account's)
        update(Checkout).where(Checkout.id == ghost_id).values(stripe_session_id="cs_unknown")
    )
    db.session.commit()
    other = buy_again(town, browser, checkout.orders[0].lines[0].product)
    db.session.execute(
        update(Order).where(Order.id == other.orders[0].id).values(refunded_cents=100)
    )
    db.session.commit()
    report = town.cli("payments", "reconcile")
    assert report.exit_code == 1
    assert f"error: checkout {ghost_id}: could not be checked" in report.output
    assert f"checkout {other.id}: refunded 0 at Stripe, 100 recorded on its orders" in report.output
    assert "Traceback" not in report.output


def test_the_report_reads_as_json_and_a_clean_town_exits_zero(town):
    _, checkout = paid_cart(town)
    hand_over(town, checkout.orders[0])
    refund_at_counter(town, checkout.orders[0], "1,00", "pain rassis")
    report = town.cli("payments", "reconcile", "--json")
    assert report.exit_code == 0, report.output
    data = json.loads(report.output)
    assert data["differences"] == [] and data["errors"] == []
    assert data["checkouts_checked"] == 1


def test_final_checkouts_older_than_the_window_are_not_asked_again(town):
    _, checkout = paid_cart(town)
    for order in checkout.orders:
        hand_over(town, order)
    long_ago = utcnow() - timedelta(days=30)
    db.session.execute(  # settled a month ago; Stripe no longer knows it (data retention)
        update(Checkout)
        .where(Checkout.id == checkout.id)
        .values(created_at=long_ago, stripe_session_id="cs_pruned")
    )
    db.session.execute(
        update(Order).where(Order.checkout_id == checkout.id).values(updated_at=long_ago)
    )
    from payments.models import LedgerEntry

    db.session.execute(update(LedgerEntry).values(updated_at=long_ago))
    db.session.commit()
    assert json.loads(town.cli("payments", "reconcile", "--json").output)["checkouts_checked"] == 0
    wide = json.loads(town.cli("payments", "reconcile", "--json", "--days", "60").output)
    assert wide["checkouts_checked"] == 1 and wide["errors"]
