"""Finding money movements that should exist but do not (after a crash between two commits)."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from marketplace.extensions import db
from marketplace.orders.models import Checkout, Order
from marketplace.orders.status import CANCELLED, COLLECTED, REFUNDED
from payments.client import PaymentsUnavailable, StripeError
from payments.ledger import fetch_stripe_fee
from payments.refunds import refund_cancelled_order
from payments.settle import plan_settlement


def sweep_missing_entries() -> int:
    """Plan what each paid order's shop is owed, and the refund of every cancelled one (commits)."""
    planned = 0
    order_ids = db.session.scalars(
        select(Order.id)
        .join(Order.checkout)
        .where(
            Checkout.paid_at.is_not(None),
            Checkout.stripe_payment_intent_id.is_not(None),
            Order.status.in_((COLLECTED, REFUNDED, CANCELLED)),
        )
        .order_by(Order.id)
    ).all()
    for order_id in order_ids:
        order = db.session.get_one(Order, order_id)
        try:
            if order.status == CANCELLED:
                planned += len(refund_cancelled_order(order))
            else:
                fetch_stripe_fee(order.checkout)  # a call: made before the order is locked
                db.session.commit()
                planned += len(plan_settlement(order))
        except (StripeError, PaymentsUnavailable) as error:
            db.session.rollback()
            current_app.logger.warning("Order %s not swept: %s", order_id, error)
            continue
        db.session.commit()  # one order at a time: its lock is not held while the next is read
    return planned
