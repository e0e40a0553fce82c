"""Stripe's events of a day, delivered in any order and some twice, end in the same state.

A day: three checkouts paid (one after a declined card), one disputed before its orders are
collected (and lost), one disputed after (and won), every order collected, one partly
refunded. The events are caught instead of delivered, then handed to the app in an order
Hypothesis draws, with duplicates. At the end the money adds up, per order and per shop.
"""

from __future__ import annotations

import itertools
import random
import time
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from marketplace.extensions import db
from marketplace.orders.models import Checkout
from payments.ledger import order_share
from payments.models import REVERSAL, SUCCEEDED, TRANSFER, LedgerEntry
from tests.payments.conftest import pay
from tests.payments.delivery import deliver
from tests.payments.town import (
    DECLINED,
    VISA,
    check_out,
    fill_cart,
    hand_over,
    last_checkout,
    refund_at_counter,
    resident,
)
from tests.payments.webhook_helpers import shape

pytestmark = pytest.mark.slow
_ids = itertools.count(1)


def dispute_events(checkout: Checkout, closing: str) -> list[dict]:
    """Stripe's events of a dispute on the checkout's charge, closed `closing` (won or lost)."""
    dispute = shape("dispute")
    dispute.update(
        {
            "id": f"dp_{checkout.id}",
            "charge": checkout.stripe_charge_id,
            "payment_intent": checkout.stripe_payment_intent_id,
            "amount": checkout.total_cents,
            "currency": "eur",
            "reason": "fraudulent",
        }
    )
    steps = [
        ("charge.dispute.created", "needs_response"),
        ("charge.dispute.funds_withdrawn", "needs_response"),
        ("charge.dispute.updated", "under_review"),
        ("charge.dispute.closed", closing),
    ]
    events = []
    for event_type, status in steps:
        event = shape("event")
        event.update(
            {"id": f"evt_dp_{next(_ids)}", "type": event_type, "created": int(time.time())}
        )
        event["data"] = {"object": dict(dispute, status=status)}
        events.append(event)
    return events


def deliver_shuffled(town, events: list[dict], seed: int) -> None:
    """Deliver `events` in an order drawn from `seed`, some of them twice."""
    draw = random.Random(seed)
    shuffled = events + draw.sample(events, k=min(3, len(events)))
    draw.shuffle(shuffled)
    for event in shuffled:
        deliver(town, event)


def buy(town, browser, items: dict, cards: tuple[str, ...] = (VISA,)) -> Checkout:
    """Put `items` in the cart, check out online, and pay with each card in turn."""
    fill_cart(browser, items)
    sent = check_out(browser)
    checkout = last_checkout()
    for card in cards:
        pay(sent.headers["Location"], card)
    return checkout


def net_paid(order) -> int:
    rows = db.session.scalars(
        select(LedgerEntry).where(LedgerEntry.order_id == order.id, LedgerEntry.status == SUCCEEDED)
    ).all()
    return sum(r.amount_cents for r in rows if r.kind == TRANSFER) - sum(
        r.amount_cents for r in rows if r.kind == REVERSAL
    )


@pytest.mark.parametrize(
    "town_settings", [{"LOGIN_RATE_LIMIT": "1000 per minute"}], ids=["counter-logins"]
)
@settings(
    max_examples=3,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(seed=st.integers(0, 2**32 - 1))
def test_a_day_of_events_in_any_order_ends_in_the_same_state(town, elsewhere, seed):
    if not getattr(town, "day_shops", None):
        town.day_shops = [
            town.connected_shop(f"Boutique {n}", {f"Produit {n}": (450 + 310 * n, 10_000)})[1][0]
            for n in range(3)
        ]
        town.day_browser = town.browser(resident())
    bread, brie, honey = town.day_shops
    browser = town.day_browser
    sink = elsewhere  # Stripe's deliveries go there: the test delivers them itself
    town.webhooks_to(sink.url)
    paid = buy(town, browser, {bread: 1, brie: 2})
    disputed_early = buy(town, browser, {brie: 1, honey: 1}, cards=(DECLINED, VISA))
    disputed_late = buy(town, browser, {bread: 2, honey: 1})
    day = [paid, disputed_early, disputed_late]
    events = []
    for checkout in day:
        meta = {"checkout_id": str(checkout.id)}
        events.append(sink.wait_for("payment_intent.succeeded", metadata=meta).event)
        events.append(sink.wait_for("checkout.session.completed", metadata=meta).event)
    events += [d.event for d in sink.received]  # the others of the day (failures, charges...)
    sink.received.clear()
    # The dispute names the charge as Stripe does; our records learn it from the events.
    intent = town.stripe.v1.payment_intents.retrieve(_intent_of(town, disputed_early))
    early = SimpleNamespace(
        id=disputed_early.id,
        total_cents=disputed_early.total_cents,
        stripe_charge_id=intent.latest_charge,
        stripe_payment_intent_id=intent.id,
    )
    deliver_shuffled(town, events + dispute_events(early, "lost"), seed)

    for checkout in day:
        checkout = db.session.get(Checkout, checkout.id)
        assert checkout.paid_at is not None
        assert checkout.total_cents == sum(o.total_cents for o in checkout.orders)
        for order in checkout.orders:
            hand_over(town, order)
    refund_at_counter(town, db.session.get(Checkout, paid.id).orders[0], "1,00", "abîmé")
    late = db.session.get(Checkout, disputed_late.id)
    deliver_shuffled(town, dispute_events(late, "won"), seed + 1)
    town.webhooks_to_app()

    db.session.expire_all()
    for checkout, dispute in ((paid, None), (disputed_early, "lost"), (disputed_late, "won")):
        checkout = db.session.get(Checkout, checkout.id)
        stripe_intent = town.stripe.v1.payment_intents.retrieve(checkout.stripe_payment_intent_id)
        assert stripe_intent.amount == checkout.total_cents  # payment = sum of orders
        for order in checkout.orders:
            assert order.dispute_status == dispute
            withheld = order.disputed_cents if dispute == "lost" else 0
            owed = order_share(order)["payout"] - order.refunded_cents - withheld
            assert net_paid(order) == max(owed, 0), (order.id, dispute)
        transfers = town.stripe.v1.transfers.list({"transfer_group": f"checkout-{checkout.id}"})
        at_stripe = sum(t.amount - t.amount_reversed for t in transfers.auto_paging_iter())
        assert at_stripe == sum(net_paid(o) for o in checkout.orders)


def _intent_of(town, checkout) -> str:
    session = town.stripe.v1.checkout.sessions.retrieve(checkout.stripe_session_id)
    return session.payment_intent
