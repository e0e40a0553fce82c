"""The order state machine: the allowed transitions and the one function that applies them."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import update

from marketplace.db import utcnow
from marketplace.domain_errors import InvalidTransition  # the one both state machines raise
from marketplace.extensions import db
from marketplace.orders.models import Order, OrderEvent
from marketplace.orders.signals import order_transitioned
from marketplace.rows_changed import rows_changed

PENDING_PAYMENT = "pending_payment"  # stock reserved, waiting for the online payment
CONFIRMED = "confirmed"  # paid, or accepted for payment at pickup: the shop prepares it
READY = "ready"  # prepared, waiting at the counter
COLLECTED = "collected"  # handed over (pickup code checked)
EXPIRED = "expired"  # not paid in time
FAILED = "failed"  # payment refused
CANCELLED = "cancelled"  # by the resident (before ready) or the shop (with a reason)
REFUNDED = "refunded"  # money given back after collection, in part or in full

ACTIVE = (PENDING_PAYMENT, CONFIRMED, READY)  # orders that hold stock and a pickup slot
RELEASES_STOCK = (EXPIRED, FAILED, CANCELLED)

TRANSITIONS: frozenset[tuple[str, str]] = frozenset({
    (PENDING_PAYMENT, CONFIRMED),
    (PENDING_PAYMENT, EXPIRED),
    (PENDING_PAYMENT, FAILED),
    (CONFIRMED, READY),
    (CONFIRMED, CANCELLED),
    (READY, COLLECTED),
    (READY, CANCELLED),
    (COLLECTED, REFUNDED),
})  # fmt: skip


def transition_order(
    order: Order, target: str, actor_id: int | None, reason: str | None = None
) -> OrderEvent:
    """Move `order` to `target` if the table allows it; write the event; release stock once.

    The change is a compare-and-set UPDATE, so two requests racing for the same order (a
    double click, the expiry command beside a webhook) cannot both apply it.
    """
    current = order.status
    if (current, target) not in TRANSITIONS:
        raise InvalidTransition(current, target)
    changed = rows_changed(
        update(Order)
        .where(Order.id == order.id, Order.status == current)
        .values(status=target, updated_at=utcnow())
    )
    if changed != 1:
        db.session.refresh(order)
        raise InvalidTransition(order.status, target)
    order.status = target
    db.session.flush()
    event = OrderEvent(
        order_id=order.id,
        from_status=current,
        to_status=target,
        actor_id=actor_id,
        reason=(reason or "").strip() or None,
    )
    db.session.add(event)
    if target in RELEASES_STOCK:
        from marketplace.orders.stock import release_stock

        release_stock(order)
    # The town's part of the order follows it: released once, or redeemed at collection.
    from marketplace.campaigns.order_hooks import on_transition

    on_transition(order, target)
    db.session.flush()
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # a proxy typed as Flask
    order_transitioned.send(app, order=order, from_status=current, to_status=target)
    return event
