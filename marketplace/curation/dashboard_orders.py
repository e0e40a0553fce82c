"""Dashboard figures about orders: per week, per category, outcomes and pickup delays.

Definitions (docs/curator-guide.md repeats them): an order counts from its creation date;
"placed" = it was confirmed at some point (paid, or accepted for payment at pickup); "sales" =
what collected orders brought, minus refunds; "average basket" = sales / collected orders.
"""

from __future__ import annotations

from collections import defaultdict
from statistics import median

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from marketplace.curation.periods import Period
from marketplace.curation.tables import (
    COUNT,
    MONEY,
    PERCENT,
    Column,
    Table,
    average_cents,
    share,
    week_of,
    weeks_between,
)
from marketplace.extensions import db
from marketplace.orders.models import Order, OrderEvent
from marketplace.templating import category_label
from shops.models import Shop

PLACED = ("confirmed", "ready", "collected", "refunded", "cancelled")
SOLD = ("collected", "refunded")
OUTCOMES = (
    ("collected", _l("Collected"), ("collected", "refunded")),
    ("cancelled", _l("Cancelled"), ("cancelled",)),
    ("expired", _l("Expired or payment failed"), ("expired", "failed")),
    ("open", _l("Still in progress"), ("pending_payment", "confirmed", "ready")),
)


def _orders(period: Period):
    return db.session.execute(
        select(
            Order.status, Order.created_at, Order.total_cents, Order.refunded_cents, Shop.category
        )
        .join(Shop, Shop.id == Order.shop_id)
        .where(Order.created_at >= period.since, Order.created_at < period.until)
    ).all()


def _sales_columns(first: Column) -> list[Column]:
    return [
        first,
        Column("orders", _l("Orders placed"), COUNT),
        Column("collected", _l("Orders collected"), COUNT),
        Column("sales_eur", _l("Sales"), MONEY),
        Column("average_basket_eur", _l("Average basket"), MONEY),
    ]


def _sums(orders) -> dict:
    placed = sum(1 for o in orders if o.status in PLACED)
    sold = [o for o in orders if o.status in SOLD]
    sales = sum(o.total_cents - o.refunded_cents for o in sold)
    return {"placed": placed, "collected": len(sold), "sales": sales}


def orders_by_week(period: Period, tz: str) -> Table:
    """Orders placed, collected, sales and average basket per week."""
    per_week = defaultdict(list)
    for order in _orders(period):
        per_week[week_of(order.created_at, tz)].append(order)
    rows = []
    for week in weeks_between(period.start, period.end):
        s = _sums(per_week[week])
        rows.append(
            [
                week.isoformat(),
                s["placed"],
                s["collected"],
                s["sales"],
                average_cents(s["sales"], s["collected"]),
            ]
        )
    return Table(
        "orders-by-week",
        _l("Orders and sales per week"),
        _sales_columns(Column("week", _l("Week of"))),
        rows,
        chart=("week", "sales_eur"),
        chronological=True,
    )


def orders_by_category(period: Period, tz: str) -> Table:
    """Orders placed, collected, sales and average basket per shop category."""
    per_category = defaultdict(list)
    for order in _orders(period):
        per_category[order.category].append(order)
    rows = []
    for code, orders in per_category.items():
        s = _sums(orders)
        if s["placed"]:
            rows.append(
                [
                    category_label(code),
                    s["placed"],
                    s["collected"],
                    s["sales"],
                    average_cents(s["sales"], s["collected"]),
                ]
            )
    rows.sort(key=lambda r: (-r[3], r[0]))
    return Table(
        "orders-by-category",
        _l("Orders and sales per category"),
        _sales_columns(Column("category", _l("Category"))),
        rows,
        chart=("category", "sales_eur"),
    )


def order_outcomes(period: Period, tz: str) -> Table:
    """How the orders created in the period ended: collected, cancelled, expired, in progress."""
    statuses = [o.status for o in _orders(period)]
    total = len(statuses)
    rows = []
    for _key, label, group in OUTCOMES:
        count = sum(1 for s in statuses if s in group)
        rows.append([label, count, share(count, total)])
    return Table(
        "order-outcomes",
        _l("Orders collected, cancelled or expired"),
        [
            Column("outcome", _l("Outcome")),
            Column("orders", _l("Orders"), COUNT),
            Column("share_percent", _l("Share (%)"), PERCENT),
        ],
        rows,
        chart=("outcome", "orders"),
    )


def pickup_delays(period: Period, tz: str) -> Table:
    """Time from order to collection, for orders collected that were created in the period."""
    rows = db.session.execute(
        select(Order.created_at, OrderEvent.created_at)
        .join(OrderEvent, OrderEvent.order_id == Order.id)
        .where(
            OrderEvent.to_status == "collected",
            Order.created_at >= period.since,
            Order.created_at < period.until,
        )
    ).all()
    hours = [(collected - created).total_seconds() / 3600 for created, collected in rows]
    bands = (
        (_l("Under 2 hours"), 0, 2),
        (_l("2 to 24 hours"), 2, 24),
        (_l("1 to 3 days"), 24, 72),
        (_l("Over 3 days"), 72, float("inf")),
    )
    table_rows = [[label, sum(1 for h in hours if lo <= h < hi)] for label, lo, hi in bands]
    note = _l("No order collected in this period.")
    if hours:
        note = _l(
            "Median %(median).1f h, average %(mean).1f h over %(n)s collected orders.",
            median=median(hours),
            mean=sum(hours) / len(hours),
            n=len(hours),
        )
    return Table(
        "pickup-delays",
        _l("Time from order to collection"),
        [Column("delay", _l("Delay")), Column("orders", _l("Orders"), COUNT)],
        table_rows,
        chart=("delay", "orders"),
        note=note,
    )
