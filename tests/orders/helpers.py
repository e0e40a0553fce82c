"""Helpers shared by the order tests: town-time dates, shops open all week, checkouts, row counts."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from marketplace.extensions import db
from marketplace.orders.checkout import CheckoutRequest, place_checkout
from marketplace.orders.models import AT_PICKUP, Checkout, Order, OrderEvent, OrderLine
from shops import services
from shops.hours import END_OF_DAY, Interval
from shops.models import Product

TZ = "Europe/Paris"
PARIS = ZoneInfo(TZ)


def paris(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """Return a town wall-clock time as an aware UTC datetime."""
    return datetime(year, month, day, hour, minute, tzinfo=PARIS).astimezone(UTC)


def set_hours(shop, weekdays=range(7), spans=((time(0), END_OF_DAY),)) -> None:
    """Open `shop` on `weekdays` during `spans` (local times) and commit."""
    services.set_opening_hours(
        shop, [Interval(d, opens, closes) for d in weekdays for opens, closes in spans]
    )
    db.session.commit()


def place(customer, lines: dict, slots: dict, now: datetime, method: str = AT_PICKUP) -> Checkout:
    """Check out {product: quantity} with {shop: slot start} through the service, and commit."""
    request = CheckoutRequest(
        {p.id: q for p, q in lines.items()}, {s.id: at for s, at in slots.items()}, method
    )
    checkout = place_checkout(customer.id, request, now, TZ)
    db.session.commit()
    return checkout


def written() -> dict[str, int]:
    """Count the rows a checkout or a transition writes, to prove that nothing was written."""
    return {
        model.__tablename__: db.session.scalar(select(func.count()).select_from(model))
        for model in (Checkout, Order, OrderLine, OrderEvent)
    }


def stock_of(product) -> int | None:
    """Read a product's stock from the database (not from the session's copy)."""
    db.session.expire_all()
    return db.session.scalar(select(Product.stock).where(Product.id == product.id))


def slot_keys(page: str) -> dict[str, str]:
    """Return {select name: first offered slot value} from the checkout page."""
    return dict(re.findall(r'name="(slot-\d+)"[^>]*>\s*<option value="([^"]+)"', page))
