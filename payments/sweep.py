"""Finding money movements that should exist but do not (after a crash between two commits)."""

from __future__ import annotations

from sqlalchemy import select

from marketplace.extensions import db
from marketplace.orders.models import Checkout, Order
from marketplace.orders.status import CANCELLED, COLLECTED, REFUNDED
from payments.ledger import entries_for, plan_transfer
from payments.models import FAILED, PENDING, TRANSFER
from payments.refunds import refund_cancelled_order


def sweep_missing_entries() -> int:
    """Plan the transfer of every collected paid order and the refund of every cancelled one."""
    planned = 0
    paid_orders = db.session.scalars(
        select(Order)
        .join(Order.checkout)
        .where(
            Checkout.paid_at.is_not(None),
            Checkout.stripe_payment_intent_id.is_not(None),
            Order.status.in_((COLLECTED, REFUNDED, CANCELLED)),
        )
    ).all()
    for order in paid_orders:
        if order.status == CANCELLED:
            planned += len(refund_cancelled_order(order))
        elif not any(entries_for(order, TRANSFER, s) for s in ("succeeded", PENDING, FAILED)):
            planned += 1 if plan_transfer(order) is not None else 0
    return planned
