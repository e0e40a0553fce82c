"""Order emails, sent after the commit, each in its recipient's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from marketplace.mail import send_email
from marketplace.orders.models import Order
from marketplace.orders.qr import qr_png_data_uri
from marketplace.urls import external_url


def _customer(order: Order):
    return order.customer if order.customer and order.customer.deleted_at is None else None


def send_order_confirmed(order: Order) -> None:
    """Tell the resident (with code and slot) and the shop that the order is confirmed."""
    customer = _customer(order)
    link = external_url("orders.detail", order_id=order.id)
    if customer:
        send_email(
            customer.email,
            _l("Your order at %(shop)s is confirmed", shop=order.shop.name),
            "order_confirmed",
            locale=customer.locale,
            order=order,
            link=link,
            qr=qr_png_data_uri(order),
        )
    owner = order.shop.owner
    send_email(
        order.shop.email or owner.email,
        _l("New order #%(id)s", id=order.id),
        "order_new_for_shop",
        locale=owner.locale,
        order=order,
        link=external_url("board.order", slug=order.shop.slug, order_id=order.id),
    )


def send_order_ready(order: Order) -> None:
    """Tell the resident the order waits at the counter."""
    customer = _customer(order)
    if customer:
        send_email(
            customer.email,
            _l("Your order at %(shop)s is ready", shop=order.shop.name),
            "order_ready",
            locale=customer.locale,
            order=order,
            link=external_url("orders.detail", order_id=order.id),
            qr=qr_png_data_uri(order),
        )


def send_order_cancelled(order: Order, reason: str | None, by_shop: bool) -> None:
    """Tell the resident (and the shop, when the resident cancelled) with the reason."""
    customer = _customer(order)
    if customer:
        send_email(
            customer.email,
            _l("Your order at %(shop)s is cancelled", shop=order.shop.name),
            "order_cancelled",
            locale=customer.locale,
            order=order,
            reason=reason,
            by_shop=by_shop,
            link=external_url("orders.detail", order_id=order.id),
        )
    if not by_shop:
        owner = order.shop.owner
        send_email(
            order.shop.email or owner.email,
            _l("Order #%(id)s was cancelled", id=order.id),
            "order_cancelled_for_shop",
            locale=owner.locale,
            order=order,
        )


def send_pickup_reminder(order: Order) -> None:
    """Remind the resident to collect today."""
    customer = _customer(order)
    if customer:
        send_email(
            customer.email,
            _l("Today: collect your order at %(shop)s", shop=order.shop.name),
            "order_reminder",
            locale=customer.locale,
            order=order,
            link=external_url("orders.detail", order_id=order.id),
            qr=qr_png_data_uri(order),
        )
