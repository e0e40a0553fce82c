"""Reading what Stripe and the ledger hold about one order, for the refund stories."""

from __future__ import annotations

from sqlalchemy import select

from marketplace.extensions import db
from marketplace.orders.models import Checkout, Order
from payments.models import LedgerEntry
from tests.payments.town import hand_over, paid_cart


def collected_bread(town):
    """The bakery's part of Camille's cart, paid by card, collected, and its transfer made."""
    _, checkout = paid_cart(town)
    bread = checkout.orders[0]
    hand_over(town, bread)
    return db.session.get(Checkout, checkout.id), bread


def refunds_at_stripe(town, checkout) -> list[int]:
    """The amounts Stripe refunded on the checkout's payment."""
    listed = town.stripe.v1.refunds.list({"payment_intent": checkout.stripe_payment_intent_id})
    return sorted(r.amount for r in listed.data)


def bakery_transfers(town, checkout, bread) -> list:
    """The transfers Stripe holds for the order's shop on this checkout."""
    listed = town.stripe.v1.transfers.list(
        {"transfer_group": f"checkout-{checkout.id}", "destination": bread.shop.stripe_account_id}
    )
    return list(listed.data)


def bakery_transfer(town, checkout, bread):
    """The one transfer Stripe holds for the order's shop."""
    [transfer] = bakery_transfers(town, checkout, bread)
    return transfer


def ledger(order) -> list[tuple[str, int, str]]:
    """The order's ledger rows: (kind, amount, status), oldest first."""
    db.session.expire_all()
    rows = db.session.scalars(
        select(LedgerEntry).where(LedgerEntry.order_id == order.id).order_by(LedgerEntry.id)
    )
    return [(r.kind, r.amount_cents, r.status) for r in rows]


def refunded_cents(order) -> int:
    """What the order records as given back, read from the database."""
    db.session.expire_all()
    return db.session.get(Order, order.id).refunded_cents
