"""A payment known only from `checkout.session.completed` still pays the shop from its charge."""

from __future__ import annotations

from marketplace.extensions import db
from marketplace.orders.models import Checkout
from payments.models import TRANSFER, LedgerEntry
from tests.payments.conftest import pay
from tests.payments.delivery import deliver
from tests.payments.town import VISA, check_out, hand_over, last_checkout, three_shop_cart


def test_a_transfer_draws_on_the_charge_and_deducts_the_fee_without_payment_intent_event(town):
    browser, _ = three_shop_cart(town)
    town.webhooks_to("http://127.0.0.1:9/lost")  # Stripe's deliveries are all lost...
    sent = check_out(browser)
    checkout = last_checkout()
    assert pay(sent.headers["Location"], VISA).status_code == 303
    events = town.stripe.v1.events.list({"type": "checkout.session.completed"})
    (completed,) = [e for e in events.data if e.data.object.id == checkout.stripe_session_id]
    deliver(town, completed.to_dict())  # ...but the session's own event, redelivered
    checkout = db.session.get(Checkout, checkout.id)
    assert [o.status for o in checkout.orders] == ["confirmed"] * 3
    intent = town.stripe.v1.payment_intents.retrieve(
        checkout.stripe_payment_intent_id, {"expand": ["latest_charge.balance_transaction"]}
    )
    assert checkout.stripe_charge_id == intent.latest_charge.id
    fee = intent.latest_charge.balance_transaction.fee
    assert fee > 0 and checkout.stripe_fee_cents == fee
    bread = checkout.orders[0]
    hand_over(town, bread)
    entry = db.session.query(LedgerEntry).filter_by(order_id=bread.id, kind=TRANSFER).one()
    transfer = town.stripe.v1.transfers.retrieve(entry.stripe_id)
    assert transfer.source_transaction == intent.latest_charge.id
    assert transfer.amount < bread.total_cents  # the shop's share of Stripe's fee is deducted
