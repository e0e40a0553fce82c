"""A small shop's sales: orders with lines at known times, one refunded, one cancelled."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import pytest

from marketplace.extensions import db
from marketplace.orders.models import AT_PICKUP, Checkout, Order, OrderLine
from payments.refunds import refund_collected_order
from tests.curation.helpers import paris
from tests.factories import make_product, make_shop

START, END = "2026-11-02", "2026-11-15"  # ISO weeks 2026-W45 and 2026-W46


def add_sale(shop, created_at: datetime, status: str, *lines) -> Order:
    """Store an order of `shop` placed at `created_at`, with (product, quantity) lines."""
    total = sum(p.price_cents * qty for p, qty in lines)
    checkout = Checkout(total_cents=total, method=AT_PICKUP, status="completed")
    db.session.add(checkout)
    db.session.flush()
    order = Order(
        checkout_id=checkout.id,
        shop_id=shop.id,
        status=status,
        pickup_starts_at=created_at + timedelta(hours=2),
        pickup_ends_at=created_at + timedelta(hours=3),
        pickup_code="".join(random.choices("ABCDEFGHJK", k=3)) + "123",
        total_cents=total,
        created_at=created_at,
        lines=[
            OrderLine(product_id=p.id, name=p.name, unit_price_cents=p.price_cents, quantity=qty)
            for p, qty in lines
        ],
    )
    db.session.add(order)
    db.session.commit()
    return order


@pytest.fixture
def bakery(app):
    """Two weeks of a bakery's orders, with a partial refund, a cancelled and an expired order."""
    shop = make_shop(name="Boulangerie Ventes")
    baguette = make_product(shop, "Baguette", 130)
    croissant = make_product(shop, "Croissant", 110)
    tart = make_product(shop, "Tarte aux pommes", 1850)
    add_sale(shop, paris(2026, 11, 3, 9), "collected", (baguette, 3), (croissant, 2))
    # Sunday 23:30 in town is still week 45 (22:30 UTC); Monday 00:30 is week 46 (Sunday in UTC).
    refunded = add_sale(shop, paris(2026, 11, 8, 23, 30), "collected", (tart, 1), (baguette, 1))
    refund_collected_order(refunded, 500, "Tarte abîmée", actor_id=shop.owner_id)
    db.session.commit()
    add_sale(shop, paris(2026, 11, 9, 0, 30), "confirmed", (croissant, 2))
    add_sale(shop, paris(2026, 11, 10, 12), "cancelled", (baguette, 5))
    add_sale(shop, paris(2026, 11, 11, 12), "expired", (tart, 1))
    add_sale(shop, paris(2026, 11, 16, 12), "collected", (tart, 2))  # after the period
    other = make_shop(name="Fromagerie Ailleurs")
    add_sale(other, paris(2026, 11, 4, 12), "collected", (make_product(other, "Brie", 990), 1))
    return shop
