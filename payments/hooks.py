"""Following orders after their commit: transfer at collection, refund at cancellation.

The receivers are connected to the order signals by register_hooks in marketplace/app.py.
"""

from __future__ import annotations

from flask import current_app

from marketplace.extensions import db
from payments.client import PaymentsUnavailable, StripeError, is_configured
from payments.ledger import execute_and_commit
from payments.refunds import refund_cancelled_order
from payments.settle import settle_order


def on_order_collected(sender, order, **extra) -> None:
    """Send the shop its share of an order paid online."""
    if not is_configured():
        return
    try:
        settle_order(order.id)  # reads Stripe's fee for the shop's share first
    except (StripeError, PaymentsUnavailable) as error:
        # The order is collected (committed); `flask payments retry-transfers` plans it later.
        db.session.rollback()
        current_app.logger.warning("Transfer of order %s not planned yet: %s", order.id, error)


def on_order_cancelled(sender, order, **extra) -> None:
    """Give the resident their money back when a paid order is cancelled."""
    entries = refund_cancelled_order(order)
    db.session.commit()
    if entries and is_configured():
        execute_and_commit([e.id for e in entries])
