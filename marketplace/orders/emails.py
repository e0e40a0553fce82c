"""Order emails, sent after the commit, each in its recipient's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from marketplace.mail import send_email
from marketplace.orders.models import Order
from marketplace.orders.qr import qr_png_data_uri
from marketplace.urls import external_url


def _tell_customer(order: Order, subject, template: str, with_code: bool, **context) -> None:
    """Email the resident about their order, unless their account was deleted."""
    customer = order.customer
    if customer is None or customer.deleted_at is not None:
        return
    if with_code:
        context["qr"] = qr_png_data_uri(order)
    send_email(
        customer.email,
        subject,
        template,
        locale=customer.locale,
        order=order,
        link=external_url("orders.detail", order_id=order.id),
        **context,
    )


def _tell_shop(order: Order, subject, template: str, **context) -> None:
    """Email the shop (its contact address, else its owner's) in the owner's language."""
    owner = order.shop.owner
    send_email(
        order.shop.email or owner.email,
        subject,
        template,
        locale=owner.locale,
        order=order,
        **context,
    )


def send_order_confirmed(order: Order) -> None:
    """Tell the resident (with code and slot) and the shop that the order is confirmed."""
    shop = order.shop.name
    _tell_customer(
        order, _l("Your order at %(shop)s is confirmed", shop=shop), "order_confirmed", True
    )
    _tell_shop(
        order,
        _l("New order #%(id)s", id=order.id),
        "order_new_for_shop",
        link=external_url("board.order", slug=order.shop.slug, order_id=order.id),
    )


def send_order_ready(order: Order) -> None:
    """Tell the resident the order waits at the counter."""
    shop = order.shop.name
    _tell_customer(order, _l("Your order at %(shop)s is ready", shop=shop), "order_ready", True)


def send_order_cancelled(order: Order, reason: str | None, by_shop: bool) -> None:
    """Tell the resident (and the shop, when the resident cancelled) with the reason."""
    _tell_customer(
        order,
        _l("Your order at %(shop)s is cancelled", shop=order.shop.name),
        "order_cancelled",
        False,
        reason=reason,
        by_shop=by_shop,
    )
    if not by_shop:
        _tell_shop(
            order, _l("Order #%(id)s was cancelled", id=order.id), "order_cancelled_for_shop"
        )


def send_pickup_reminder(order: Order) -> None:
    """Remind the resident to collect today."""
    shop = order.shop.name
    subject = _l("Today: collect your order at %(shop)s", shop=shop)
    _tell_customer(order, subject, "order_reminder", True)
