"""What a dispute on an order's payment keeps back from its shop (read by the settlement)."""

from __future__ import annotations

from sqlalchemy import select

from marketplace.extensions import db
from marketplace.orders.models import Order
from payments.models import DISPUTE_LOST, DISPUTE_OPENED, Dispute


def disputed_share_kept(order: Order) -> int:
    """The order's disputed share while Stripe holds it back from the platform, else 0."""
    if order.dispute_status == DISPUTE_LOST:
        return order.disputed_cents
    if order.dispute_status != DISPUTE_OPENED:
        return 0
    withdrawn = db.session.scalar(
        select(Dispute.funds_withdrawn).where(Dispute.checkout_id == order.checkout_id)
    )
    return order.disputed_cents if withdrawn else 0
