"""Following orders after their commit: transfer at collection, refund at cancellation."""

from __future__ import annotations

from flask import Flask

from marketplace.extensions import db
from marketplace.orders.signals import order_cancelled, order_collected
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


def connect_signals(app: Flask) -> None:
    """Subscribe payments to the order signals of `app`."""
    order_collected.connect(on_order_collected, app)
    order_cancelled.connect(on_order_cancelled, app)
