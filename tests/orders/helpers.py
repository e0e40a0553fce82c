"""Helpers shared by the order tests: town-time dates, shops open all week, checkouts, row counts."""

from __future__ import annotations

import re
import threading
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from marketplace.db import utcnow
from marketplace.extensions import db
from marketplace.orders.checkout import CheckoutRequest, place_checkout
from marketplace.orders.models import AT_PICKUP, ONLINE, Checkout, Order, OrderEvent, OrderLine
from marketplace.orders.slots import pickup_slots_for
from marketplace.orders.status import (
    CANCELLED,
    COLLECTED,
    CONFIRMED,
    EXPIRED,
    FAILED,
    PENDING_PAYMENT,
    READY,
    REFUNDED,
    transition_order,
)
from shops import services
from shops.hours import END_OF_DAY, Interval
from shops.models import Product
from tests.factories import make_product, make_shop, make_user

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


# How an order reaches each status through the state machine, from an unpaid online checkout.
PATH_TO_STATUS = {
    PENDING_PAYMENT: [],
    CONFIRMED: [CONFIRMED],
    READY: [CONFIRMED, READY],
    COLLECTED: [CONFIRMED, READY, COLLECTED],
    EXPIRED: [EXPIRED],
    FAILED: [FAILED],
    CANCELLED: [CONFIRMED, CANCELLED],
    REFUNDED: [CONFIRMED, READY, COLLECTED, REFUNDED],
}


def make_order(status: str = CONFIRMED, quantity: int = 2, stock: int = 5, now=None) -> Order:
    """Create a customer's order of `quantity` units at a shop open all week, walked to `status`."""
    now = now or utcnow()
    shop = make_shop(name="Fromagerie B", category="fromagerie", prep_minutes=0)
    shop.payouts_enabled = True  # so that an unpaid online checkout is possible
    set_hours(shop)
    cheese = make_product(shop, "Brie de Meaux", 650, stock=stock)
    customer = make_user("alice@example.org")
    slot = pickup_slots_for(shop, now, TZ)[0].starts_at
    order = place(customer, {cheese: quantity}, {shop: slot}, now, method=ONLINE).orders[0]
    for target in PATH_TO_STATUS[status]:
        transition_order(order, target, shop.owner_id, "a reason" if target == CANCELLED else None)
    db.session.commit()
    return order


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


def checkout_form(client) -> dict[str, str]:
    """The hidden fields of the checkout form, as a browser gets them: CSRF and one-time token."""
    page = client.get("/checkout").get_data(as_text=True)
    return dict(re.findall(r'name="(csrf_token|checkout_token)" value="([^"]+)"', page))


def run_together(app, count: int, work) -> list:
    """Run `work(i)` in `count` threads released at the same instant; return each outcome.

    Each thread has its own app context, hence its own session and connection, like a
    request served by another worker.
    """
    start = threading.Barrier(count)
    outcomes: list = [None] * count

    def worker(i: int) -> None:
        with app.app_context():
            start.wait()
            try:
                outcomes[i] = work(i)
            except Exception as error:  # the outcome is what the test checks
                db.session.rollback()
                outcomes[i] = error

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a checkout is stuck"
    return outcomes


def in_english(client):
    """Make `client` a browser that asks for English pages (the French catalogue may change)."""
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


# A hidden input or a radio button of a form, as the templates write them.
INPUT_RE = re.compile(r'<input type="(hidden|radio)"[^>]*? name="([^"]+)" value="([^"]*)"([^>]*)>')


def form_as_shown(page: str) -> dict[str, str]:
    """What a browser sends for the checkout page as shown: its hidden fields, the radios
    checked, the first pickup time at each shop (nothing changed by the resident)."""
    fields = {
        name: value
        for kind, name, value, rest in INPUT_RE.findall(page)
        if kind == "hidden" or " checked" in rest
    }
    return {**fields, **slot_keys(page)}
