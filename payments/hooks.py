"""Following orders after their commit: transfer at collection, refund at cancellation.

The receivers are connected to the order signals by register_hooks in marketplace/app.py.
"""

from __future__ import annotations

from marketplace.extensions import db
from payments.client import is_configured
from payments.money_jobs import send_ledger_entries, settle_order_money
from payments.refunds import refund_cancelled_order


def on_order_collected(sender, order, **extra) -> None:
    """Queue the transfer of the shop's share of an order paid online (after the commit)."""
    if is_configured():
        settle_order_money.delay(order.id)


def on_order_cancelled(sender, order, **extra) -> None:
    """Record the resident's refund of a paid order, and queue sending it."""
    entries = refund_cancelled_order(order)
    db.session.commit()
    if entries and is_configured():
        send_ledger_entries.delay([e.id for e in entries])
