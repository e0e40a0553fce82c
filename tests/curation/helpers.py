"""Helpers of the curation tests: a curator, orders with known dates and amounts, audit rows."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from marketplace.accounts.models import CURATOR
from marketplace.audit import AuditLog
from marketplace.extensions import db
from marketplace.orders.models import AT_PICKUP, Checkout, Order, OrderEvent
from tests.factories import make_user

PARIS = ZoneInfo("Europe/Paris")


def make_curator(email: str = "office@example.org", name: str = "Claire Office"):
    """A curator of the town's economic office."""
    return make_user(email, CURATOR, name)


def paris(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> datetime:
    """A town wall-clock time, as an aware UTC datetime."""
    return datetime(year, month, day, hour, minute, tzinfo=PARIS).astimezone(UTC)


def add_order(
    shop,
    customer,
    created_at: datetime,
    status: str,
    total_cents: int,
    refunded_cents: int = 0,
    collected_after: timedelta | None = None,
) -> Order:
    """Store an order with a fixed date, status and amount (and its collection event)."""
    checkout = Checkout(
        customer_id=customer.id if customer else None,
        total_cents=total_cents,
        method=AT_PICKUP,
        status="completed",
        created_at=created_at,
    )
    db.session.add(checkout)
    db.session.flush()
    order = Order(
        checkout_id=checkout.id,
        shop_id=shop.id,
        customer_id=customer.id if customer else None,
        status=status,
        pickup_starts_at=created_at + timedelta(hours=2),
        pickup_ends_at=created_at + timedelta(hours=2, minutes=30),
        pickup_code="".join(random.choices("ABCDEFGHJK", k=3)) + "123",
        total_cents=total_cents,
        refunded_cents=refunded_cents,
        created_at=created_at,
    )
    db.session.add(order)
    db.session.flush()
    if collected_after is not None:
        db.session.add(
            OrderEvent(
                order_id=order.id,
                from_status="ready",
                to_status="collected",
                created_at=created_at + collected_after,
            )
        )
    db.session.commit()
    return order


def audit_entries(**where) -> list[AuditLog]:
    """Audit rows matching column=value filters, oldest first."""
    db.session.expire_all()
    query = select(AuditLog).order_by(AuditLog.id)
    for column, value in where.items():
        query = query.where(getattr(AuditLog, column) == value)
    return list(db.session.scalars(query))
