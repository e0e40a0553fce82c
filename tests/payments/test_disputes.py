"""Disputes: the orders of a contested payment are flagged, the shops' share held or taken back,
the shop and the office told, and the money settled when the bank decides."""

from __future__ import annotations

import itertools
import time

from sqlalchemy import select

from marketplace.accounts.models import CURATOR
from marketplace.extensions import db
from marketplace.orders.models import Checkout, Order
from payments.models import REVERSAL, SUCCEEDED, TRANSFER, Dispute, LedgerEntry
from tests.conftest import outbox
from tests.factories import make_user
from tests.payments.delivery import deliver
from tests.payments.town import hand_over, paid_cart, subjects_to
from tests.payments.webhook_helpers import shape

_ids = itertools.count(1)


def send_dispute_event(town, checkout, event_type: str, status: str, amount=None) -> str:
    """Deliver a signed `charge.dispute.*` event about the checkout's charge, as Stripe would."""
    dispute = shape("dispute")
    dispute.update(
        {
            "id": f"dp_{checkout.id}",
            "charge": checkout.stripe_charge_id,
            "payment_intent": checkout.stripe_payment_intent_id,
            "amount": checkout.total_cents if amount is None else amount,
            "currency": "eur",
            "reason": "fraudulent",
            "status": status,
        }
    )
    event = shape("event")
    event.update({"id": f"evt_dp_{next(_ids)}", "type": event_type, "created": int(time.time())})
    event["data"] = {"object": dispute}
    return deliver(town, event)["outcome"]


def net_paid(order: Order) -> int:
    """What the shop holds for the order at Stripe: transfers less reversals (from Stripe)."""
    rows = db.session.scalars(
        select(LedgerEntry).where(LedgerEntry.order_id == order.id, LedgerEntry.status == SUCCEEDED)
    ).all()
    return sum(r.amount_cents for r in rows if r.kind == TRANSFER) - sum(
        r.amount_cents for r in rows if r.kind == REVERSAL
    )


def stripe_net(town, checkout) -> int:
    """Transfers less reversals of the checkout's transfer group, as Stripe holds them."""
    transfers = town.stripe.v1.transfers.list({"transfer_group": f"checkout-{checkout.id}"})
    return sum(t.amount - t.amount_reversed for t in transfers.auto_paging_iter())


def test_an_open_dispute_holds_the_transfer_and_a_win_releases_it(town):
    _, checkout = paid_cart(town)
    curator = make_user("office@example.org", role=CURATOR)
    db.session.commit()
    send_dispute_event(town, checkout, "charge.dispute.created", "needs_response")
    checkout = db.session.get(Checkout, checkout.id)
    assert {o.dispute_status for o in checkout.orders} == {"opened"}
    bread = checkout.orders[0]
    hand_over(town, bread)  # collected while the bank decides: the shop is not paid yet
    assert net_paid(bread) == 0
    # Each in their own language: French, the town's, for these two.
    assert any("contesté" in s for s in subjects_to(town.app, curator.email))
    assert any("contesté" in s for s in subjects_to(town.app, bread.shop.owner.email))
    # Stripe's reason code ("fraudulent") reads in words, in the shop's language.
    to_shop = [m for m in outbox(town.app) if m.startswith(f"To: {bread.shop.owner.email}\n")]
    assert "fraude (paiement non autorisé par le titulaire de la carte)" in to_shop[-1]
    assert "fraudulent" not in to_shop[-1]
    send_dispute_event(town, checkout, "charge.dispute.closed", "won")
    bread = db.session.get(Order, bread.id)
    assert bread.dispute_status == "won"
    assert net_paid(bread) > 0
    assert stripe_net(town, checkout) == net_paid(bread)


def test_withdrawn_funds_take_back_the_share_already_paid_and_a_loss_keeps_it(town):
    _, checkout = paid_cart(town)
    bread = checkout.orders[0]
    hand_over(town, bread)
    paid_before = net_paid(bread)
    assert paid_before > 0
    send_dispute_event(town, checkout, "charge.dispute.created", "needs_response")
    send_dispute_event(town, checkout, "charge.dispute.funds_withdrawn", "needs_response")
    bread = db.session.get(Order, bread.id)
    assert net_paid(bread) == paid_before - min(bread.disputed_cents, paid_before)
    send_dispute_event(town, checkout, "charge.dispute.closed", "lost")
    send_dispute_event(town, checkout, "charge.dispute.funds_withdrawn", "lost")  # twice: no-op
    bread = db.session.get(Order, bread.id)
    assert bread.dispute_status == "lost"
    assert net_paid(bread) == paid_before - min(bread.disputed_cents, paid_before)
    assert stripe_net(town, checkout) == net_paid(bread)
    brie = checkout.orders[1]
    hand_over(town, brie)  # collected after the loss: paid less its disputed share
    brie = db.session.get(Order, brie.id)
    assert bread.disputed_cents + brie.disputed_cents <= checkout.total_cents
    dispute = db.session.scalar(select(Dispute))
    assert dispute.outcome == "lost" and dispute.closed_at is not None


def test_a_dispute_closed_before_its_other_events_arrive_ends_the_same(town):
    _, checkout = paid_cart(town)
    bread = checkout.orders[0]
    hand_over(town, bread)
    paid_before = net_paid(bread)
    send_dispute_event(town, checkout, "charge.dispute.closed", "won")
    send_dispute_event(town, checkout, "charge.dispute.funds_withdrawn", "won")
    send_dispute_event(town, checkout, "charge.dispute.created", "won")
    bread = db.session.get(Order, bread.id)
    assert bread.dispute_status == "won"
    assert net_paid(bread) == paid_before
    assert stripe_net(town, checkout) == paid_before
