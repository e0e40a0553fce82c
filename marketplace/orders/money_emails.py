"""Emails about a resident's money: the receipt at collection, and each refund with its reason."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from marketplace.orders.emails import _tell_customer
from marketplace.orders.models import ONLINE, Order


def send_receipt(order: Order) -> None:
    """Send the resident an itemised receipt once the order is handed over."""
    _tell_customer(
        order,
        _l("Your receipt from %(shop)s, order #%(id)s", shop=order.shop.name, id=order.id),
        "order_receipt",
        False,
        paid_online=order.checkout.method == ONLINE,
    )


def send_refund_notice(order: Order, amount_cents: int, reason: str | None) -> None:
    """Tell the resident how much is given back for an order, and why."""
    _tell_customer(
        order,
        _l("%(shop)s refunds part of order #%(id)s", shop=order.shop.name, id=order.id)
        if amount_cents < order.total_cents
        else _l("%(shop)s refunds order #%(id)s", shop=order.shop.name, id=order.id),
        "order_refunded",
        False,
        amount_cents=amount_cents,
        reason=reason,
        paid_online=order.checkout.method == ONLINE,
    )
