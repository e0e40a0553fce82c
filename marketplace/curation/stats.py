"""Monthly statistics for open data: orders and sales per category, small cells suppressed.

Only orders are counted (never who placed them), only whole past months are published, and a
cell of fewer than MIN_ORDERS orders is suppressed (orders and sales left empty): a small count
could point at one household or reveal one shop's takings.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import select

from marketplace.curation.tables import csv_value
from marketplace.extensions import db
from marketplace.orders.models import Order
from shops.categories import get_category
from shops.csv_io import write_csv
from shops.models import Shop

MIN_ORDERS = 5
MONTHS = 24
SOLD = ("collected", "refunded")
STATS_FIELDS = ("month", "category", "osm_tag", "orders", "sales_eur", "suppressed")


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _months_back(first: date, count: int) -> date:
    year, month = first.year, first.month - count
    while month <= 0:
        year, month = year - 1, month + 12
    return date(year, month, 1)


def monthly_stats(now: datetime, tz: str) -> list[dict]:
    """Sold orders and net sales (cents) per local month and category, over the past months."""
    zone = ZoneInfo(tz)
    this_month = _month_start(now.astimezone(zone).date())
    first = _months_back(this_month, MONTHS)
    since = datetime.combine(first, time(), zone).astimezone(UTC)
    until = datetime.combine(this_month, time(), zone).astimezone(UTC)
    rows = db.session.execute(
        select(Order.created_at, Order.total_cents, Order.refunded_cents, Shop.category)
        .join(Shop, Shop.id == Order.shop_id)
        .where(Order.status.in_(SOLD), Order.created_at >= since, Order.created_at < until)
    ).all()
    cells: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for created, total, refunded, category in rows:
        month = created.astimezone(zone).strftime("%Y-%m")
        cell = cells[(month, category)]
        cell[0] += 1
        cell[1] += total - refunded
    out = []
    for (month, code), (orders, sales) in sorted(cells.items()):
        known = get_category(code)
        small = orders < MIN_ORDERS
        out.append(
            {
                "month": month,
                "category": code,
                "osm_tag": known.osm if known else None,
                "orders": None if small else orders,
                "sales_cents": None if small else sales,
                "suppressed": small,
            }
        )
    return out


def stats_csv(stats: list[dict]) -> str:
    """The statistics as CSV (sales in euros with a dot; suppressed cells empty)."""
    rows = (
        [
            s["month"],
            s["category"],
            s["osm_tag"] or "",  # from OpenStreetMap: anyone may edit it
            "" if s["orders"] is None else s["orders"],
            csv_value(s["sales_cents"], "money"),
            "true" if s["suppressed"] else "false",
        ]
        for s in stats
    )
    return write_csv(STATS_FIELDS, rows)
