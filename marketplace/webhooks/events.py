"""Turning order and stock changes into webhook deliveries, written in the change's transaction
and queued once it commits (a rolled-back change sends nothing; a committed one is never lost:
its deliveries wait in the table if the queue was down, see jobs.resend_stranded)."""

from __future__ import annotations

import json
import logging
import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from marketplace.db import utcnow
from marketplace.extensions import db
from marketplace.orders.models import ONLINE, Order
from marketplace.orders.status import CANCELLED, COLLECTED, CONFIRMED, PENDING_PAYMENT, READY
from marketplace.webhooks.models import (
    ORDER_CANCELLED,
    ORDER_COLLECTED,
    ORDER_CREATED,
    ORDER_PAID,
    ORDER_READY,
    PRODUCT_LOW_STOCK,
    WebhookDelivery,
    WebhookEndpoint,
)
from shops.models import Product

log = logging.getLogger(__name__)

_QUEUE = "vitrine.webhook_deliveries"  # in Session.info: delivery ids to queue after the commit

# Which transitions of the order state machine shop software hears about.
TRANSITION_EVENTS = {
    READY: ORDER_READY,
    CANCELLED: ORDER_CANCELLED,
    COLLECTED: ORDER_COLLECTED,
}


def event_body(event_id: str, event_type: str, created: datetime, data: dict) -> str:
    """The JSON body of an event, the same for every endpoint and every attempt."""
    return json.dumps(
        {
            "id": event_id,
            "type": event_type,
            "created": int(created.timestamp()),
            "data": {"object": data},
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )


def emit(
    shop_id: int, event_type: str, data: dict, session: Session | None = None, only=None
) -> list[WebhookDelivery]:
    """Write one delivery per endpoint of the shop that wants `event_type` (or just `only`)."""
    session = session or db.session()
    if only is not None:
        endpoints = [only]
    else:
        endpoints = [
            e
            for e in session.scalars(
                select(WebhookEndpoint).where(
                    WebhookEndpoint.shop_id == shop_id, WebhookEndpoint.enabled.is_(True)
                )
            )
            if e.wants(event_type)
        ]
    if not endpoints:
        return []
    event_id = f"evt_{uuid.uuid4().hex}"
    body = event_body(event_id, event_type, utcnow(), data)
    deliveries = [
        WebhookDelivery(endpoint_id=e.id, event_id=event_id, event_type=event_type, payload=body)
        for e in endpoints
    ]
    session.add_all(deliveries)
    session.flush()
    session.info.setdefault(_QUEUE, []).extend(d.id for d in deliveries)
    return deliveries


def queue_after_commit(session: Session) -> None:
    """after_commit: queue the deliveries the transaction wrote (never fails the commit)."""
    from marketplace.webhooks.jobs import deliver_webhook

    for delivery_id in session.info.pop(_QUEUE, []):
        try:
            deliver_webhook.delay(delivery_id)
        except Exception:
            log.exception("webhook delivery %s not queued; resend_stranded will", delivery_id)


def forget_after_rollback(session: Session) -> None:
    """after_rollback: the deliveries of a rolled-back transaction do not exist."""
    session.info.pop(_QUEUE, None)


def order_object(order: Order) -> dict:
    """What an order event says about the order (no personal data of the buyer)."""
    return {
        "object": "order",
        "id": order.id,
        "shop": order.shop.slug,
        "status": order.status,
        "payment_method": order.checkout.method,
        "total_cents": order.total_cents,
        "refunded_cents": order.refunded_cents,
        "currency": "EUR",
        "pickup_code": order.pickup_code,
        "pickup_starts_at": order.pickup_starts_at.isoformat(),
        "pickup_ends_at": order.pickup_ends_at.isoformat(),
        "created_at": order.created_at.isoformat() if order.created_at else None,
        "lines": [
            {
                "product_id": line.product_id,
                "name": line.name,
                "unit_price_cents": line.unit_price_cents,
                "quantity": line.quantity,
            }
            for line in order.lines
        ],
    }


def product_object(product: Product) -> dict:
    """What a product event says about the product."""
    return {
        "object": "product",
        "id": product.id,
        "shop": product.shop.slug,
        "sku": product.sku,
        "name": product.name,
        "stock": product.stock,
        "low_stock_threshold": product.low_stock_threshold,
    }


def on_orders_placed(sender, orders, **extra) -> None:
    """Receive `orders_placed` (inside the checkout's transaction): order.created."""
    for order in orders:
        emit(order.shop_id, ORDER_CREATED, order_object(order))


def on_order_transitioned(sender, order, from_status, to_status, **extra) -> None:
    """Receive `order_transitioned` (inside its transaction): the matching order event."""
    if (from_status, to_status) == (PENDING_PAYMENT, CONFIRMED):
        event_type = ORDER_PAID if order.checkout.method == ONLINE else None
    else:
        event_type = TRANSITION_EVENTS.get(to_status)
    if event_type is not None:
        emit(order.shop_id, event_type, order_object(order))


def on_product_low_stock(sender, session, product_ids, **extra) -> None:
    """Receive `product_low_stock` (just before its commit): product.low_stock."""
    products = session.scalars(select(Product).where(Product.id.in_(product_ids)))
    for product in products:
        session.refresh(product, ["stock", "low_stock_threshold"])
        emit(product.shop_id, PRODUCT_LOW_STOCK, product_object(product), session=session)
