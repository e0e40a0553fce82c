"""Order emails: queued after the commit, then rendered and sent by a job in each person's language.

Views and commands call the `send_*` functions after their commit; each queues a job that
re-reads the order (so it is sent as it is when the job runs, or skipped once the order moved
on) and sends one email. A failure is retried with backoff; the request never waits for mail.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

from marketplace.extensions import db
from marketplace.jobs import job
from marketplace.mail import send_email
from marketplace.orders.guest_links import order_page_url
from marketplace.orders.models import Order
from marketplace.orders.qr import qr_png_data_uri
from marketplace.orders.status import CANCELLED, CONFIRMED, READY
from marketplace.urls import external_url


@dataclass(frozen=True)
class Kind:
    """One order email: its subject, template, whether it shows the code, when it still applies."""

    subject: Callable[[Order], Any]  # Order -> lazy string
    template: str
    with_code: bool
    statuses: tuple[str, ...]


CUSTOMER_EMAILS = {
    "confirmed": Kind(
        lambda o: _l("Your order at %(shop)s is confirmed", shop=o.shop.name),
        "order_confirmed",
        True,
        (CONFIRMED, READY),
    ),
    "ready": Kind(
        lambda o: _l("Your order at %(shop)s is ready", shop=o.shop.name),
        "order_ready",
        True,
        (READY,),
    ),
    "reminder": Kind(
        lambda o: _l("Today: collect your order at %(shop)s", shop=o.shop.name),
        "order_reminder",
        True,
        (CONFIRMED, READY),
    ),
    "cancelled": Kind(
        lambda o: _l("Your order at %(shop)s is cancelled", shop=o.shop.name),
        "order_cancelled",
        False,
        (CANCELLED,),
    ),
}
SHOP_EMAILS = {
    "new": Kind(
        lambda o: _l("New order #%(id)s", id=o.id),
        "order_new_for_shop",
        False,
        (CONFIRMED, READY),
    ),
    "cancelled": Kind(
        lambda o: _l("Order #%(id)s was cancelled", id=o.id),
        "order_cancelled_for_shop",
        False,
        (CANCELLED,),
    ),
}


def send_order_confirmed(order: Order) -> None:
    """Queue the resident's confirmation (code and slot) and the shop's new-order email."""
    email_customer.delay(order.id, "confirmed")
    email_shop.delay(order.id, "new")


def send_order_ready(order: Order) -> None:
    """Queue the email telling the resident the order waits at the counter."""
    email_customer.delay(order.id, "ready")


def send_order_cancelled(order: Order, reason: str | None, by_shop: bool) -> None:
    """Queue the resident's email with the reason (and the shop's, when the resident cancelled)."""
    email_customer.delay(order.id, "cancelled", reason=reason, by_shop=by_shop)
    if not by_shop:
        email_shop.delay(order.id, "cancelled")


def send_pickup_reminder(order: Order) -> None:
    """Queue the reminder to collect today."""
    email_customer.delay(order.id, "reminder")


def send_order_link(order: Order) -> None:
    """Queue a fresh signed link to a guest's order (the one they had expired)."""
    email_order_link.delay(order.id)


@job()
def email_customer(order_id: int, kind: str, reason: str | None = None, by_shop: bool = False):
    """Send the buyer one order email, unless the order moved on or their details were erased."""
    spec = CUSTOMER_EMAILS[kind]
    order = db.session.get(Order, order_id)
    if order is None or order.status not in spec.statuses:
        return
    buyer = order.buyer  # an account, or a guest's contact; None once deleted or erased
    if buyer is None:
        return
    context = {"reason": reason, "by_shop": by_shop} if kind == "cancelled" else {}
    if spec.with_code:
        context["qr"] = qr_png_data_uri(order)
    send_email(
        buyer.email,
        spec.subject(order),
        spec.template,
        locale=buyer.locale,
        order=order,
        buyer=buyer,
        link=order_page_url(order),  # a guest's is signed: it opens the order without login
        **context,
    )


@job()
def email_order_link(order_id: int) -> None:
    """Send a guest a fresh link to their order (not once it joined an account or was erased)."""
    order = db.session.get(Order, order_id)
    buyer = order.buyer if order is not None and order.customer_id is None else None
    if order is None or buyer is None:
        return
    send_email(
        buyer.email,
        _l("Your link to order #%(id)s at %(shop)s", id=order.id, shop=order.shop.name),
        "order_link",
        locale=buyer.locale,
        order=order,
        buyer=buyer,
        link=order_page_url(order),
    )


@job()
def email_shop(order_id: int, kind: str) -> None:
    """Send the shop one order email (its contact address, else its owner's), in the owner's language."""
    spec = SHOP_EMAILS[kind]
    order = db.session.get(Order, order_id)
    if order is None or order.status not in spec.statuses:
        return
    owner = order.shop.owner
    context = {}
    if kind == "new":
        context["link"] = external_url("board.order", slug=order.shop.slug, order_id=order.id)
    send_email(
        order.shop.email or owner.email,
        spec.subject(order),
        spec.template,
        locale=owner.locale,
        order=order,
        **context,
    )
