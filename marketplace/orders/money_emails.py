"""Emails about a resident's money: the receipt at collection, and each refund with its reason.

Like the other order emails they are queued after the commit and sent by a job that re-reads
the order, in the resident's language.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from marketplace.extensions import db
from marketplace.jobs import job
from marketplace.mail import send_email
from marketplace.orders.guest_links import order_page_url
from marketplace.orders.models import ONLINE, Order


def send_receipt(order: Order) -> None:
    """Queue the resident's itemised receipt once the order is handed over."""
    email_money.delay(order.id, "receipt")


def send_receipt_at_collection(sender, order: Order, **extra) -> None:
    """Receive `order_collected`: queue the receipt (registered in app.register_hooks)."""
    send_receipt(order)


def send_refund_notice(order: Order, amount_cents: int, reason: str | None) -> None:
    """Queue the email telling the resident how much is given back for an order, and why."""
    email_money.delay(order.id, "refund", amount_cents=amount_cents, reason=reason)


@job()
def email_money(order_id: int, kind: str, amount_cents: int = 0, reason: str | None = None):
    """Send the buyer their receipt or a refund notice (not to a deleted account or erased guest)."""
    order = db.session.get(Order, order_id)
    buyer = order.buyer if order is not None else None
    if order is None or buyer is None:
        return
    shop, number = order.shop.name, order.id
    if kind == "receipt":
        subject = _l("Your receipt from %(shop)s, order #%(id)s", shop=shop, id=number)
    elif amount_cents < order.total_cents:
        subject = _l("%(shop)s refunds part of order #%(id)s", shop=shop, id=number)
    else:
        subject = _l("%(shop)s refunds order #%(id)s", shop=shop, id=number)
    send_email(
        buyer.email,
        subject,
        "order_receipt" if kind == "receipt" else "order_refunded",
        locale=buyer.locale,
        order=order,
        buyer=buyer,
        link=order_page_url(order),
        paid_online=order.checkout.method == ONLINE,
        amount_cents=amount_cents,
        reason=reason,
    )
