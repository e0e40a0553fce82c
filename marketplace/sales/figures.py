"""A shop's sales per week and per product, in integer cents.

The rule (the Sales page's help text says the same): an order counts as a sale when the shop
took it on, paid online or to be paid at the counter, and did not cancel it: status confirmed,
ready, collected or refunded. Pending, expired, failed and cancelled orders never count (a
cancelled order paid online is refunded in full: neither its sale nor its refund shows).
It counts in the ISO week (Monday to Sunday, town time) in which it was placed. Revenue is the
sum of its lines (unit price as sold x quantity); its refunds (Order.refunded_cents, the sum of
its refunds not refused) are shown in the same week, and shared between its products in
proportion to what each line cost, rounded so that the shares add up to the cent.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from marketplace.curation.periods import Period
from marketplace.curation.tables import COUNT, MONEY, TEXT, Column, Table, week_of, weeks_between
from marketplace.extensions import db
from marketplace.orders.models import Order, OrderLine
from marketplace.orders.status import COLLECTED, CONFIRMED, READY, REFUNDED
from shops.models import Product

SALE_STATUSES = (CONFIRMED, READY, COLLECTED, REFUNDED)
TOP_PRODUCTS = 10


@dataclass
class Sums:
    """Units, revenue and refunds of a group of lines, and how many orders they came from."""

    orders: set[int] = field(default_factory=set)
    units: int = 0
    revenue: int = 0
    refunds: int = 0

    def add(self, order_id: int, units: int, revenue: int, refunds: int) -> None:
        """Count one line (or one line's share of its order's refunds)."""
        self.orders.add(order_id)
        self.units += units
        self.revenue += revenue
        self.refunds += refunds

    @property
    def net(self) -> int:
        """Revenue minus refunds."""
        return self.revenue - self.refunds


@dataclass(frozen=True)
class SoldLine:
    """One line of an order that counts as a sale, with its share of the order's refunds."""

    order_id: int
    week: date
    product_key: int | str  # the product id, or the name sold for a product since deleted
    name: str
    units: int
    revenue: int
    refunds: int


def share_out(amount: int, weights: list[int]) -> list[int]:
    """Split `amount` cents in proportion to `weights`; the parts add up to `amount` exactly.

    Largest remainder: each part is rounded down, and the cents left go to the largest
    remainders (the first line on a tie).
    """
    total = sum(weights)
    if not total:
        return [0] * len(weights)
    parts = [amount * w // total for w in weights]
    remainders = sorted(range(len(weights)), key=lambda i: (-(amount * weights[i] % total), i))
    for i in remainders[: amount - sum(parts)]:
        parts[i] += 1
    return parts


def sold_lines(shop_id: int, period: Period, tz: str) -> list[SoldLine]:
    """Every line of the shop's orders placed in the period that count as sales."""
    rows = db.session.execute(
        select(
            Order.id,
            Order.created_at,
            Order.refunded_cents,
            OrderLine.product_id,
            OrderLine.name.label("sold_name"),
            OrderLine.unit_price_cents,
            OrderLine.quantity,
            Product.name.label("current_name"),
        )
        .join(OrderLine, OrderLine.order_id == Order.id)
        .outerjoin(Product, Product.id == OrderLine.product_id)
        .where(
            Order.shop_id == shop_id,
            Order.status.in_(SALE_STATUSES),
            Order.created_at >= period.since,
            Order.created_at < period.until,
        )
        .order_by(Order.id, OrderLine.id)
    ).all()
    by_order = defaultdict(list)
    for row in rows:
        by_order[row.id].append(row)
    lines = []
    for order_id, order_rows in by_order.items():
        costs = [r.unit_price_cents * r.quantity for r in order_rows]
        refunds = share_out(order_rows[0].refunded_cents, costs)
        week = week_of(order_rows[0].created_at, tz)
        for r, cost, refund in zip(order_rows, costs, refunds, strict=True):
            key = r.product_id if r.product_id is not None else f"name:{r.sold_name}"
            name = r.current_name or r.sold_name  # today's name; the name sold if deleted
            lines.append(SoldLine(order_id, week, key, name, r.quantity, cost, refund))
    return lines


def iso_week(monday: date) -> str:
    """The ISO week of a Monday, as 2026-W45."""
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def _money_columns() -> list[Column]:
    return [
        Column("units", _l("Units sold"), COUNT),
        Column("revenue_eur", _l("Revenue"), MONEY),
        Column("refunds_eur", _l("Refunds"), MONEY),
        Column("net_eur", _l("Net"), MONEY),
    ]


def sales_by_week(lines: list[SoldLine], period: Period) -> Table:
    """Orders, units, revenue, refunds and net per ISO week, every week of the period shown."""
    weeks: dict[date, Sums] = defaultdict(Sums)
    for line in lines:
        weeks[line.week].add(line.order_id, line.units, line.revenue, line.refunds)
    rows = []
    for monday in weeks_between(period.start, period.end):
        s = weeks[monday]
        rows.append(
            [
                iso_week(monday),
                monday.isoformat(),
                len(s.orders),
                s.units,
                s.revenue,
                s.refunds,
                s.net,
            ]
        )
    return Table(
        "sales-by-week",
        _l("Sales per week"),
        [
            Column("week", _l("Week"), TEXT),
            Column("monday", _l("From Monday"), TEXT),
            Column("orders", _l("Orders"), COUNT),
            *_money_columns(),
        ],
        rows,
        chart=("week", "revenue_eur"),
    )


def _by_product(lines: list[SoldLine]) -> list[tuple[str, Sums]]:
    names: dict = {}
    sums: dict = defaultdict(Sums)
    for line in lines:
        names[line.product_key] = line.name
        sums[line.product_key].add(line.order_id, line.units, line.revenue, line.refunds)
    found = [(names[key], s) for key, s in sums.items()]
    return sorted(found, key=lambda item: (-item[1].net, -item[1].units, item[0].lower()))


def sales_by_product(lines: list[SoldLine]) -> Table:
    """Units, revenue, refunds and net per product over the period, best sellers first."""
    return Table(
        "sales-by-product",
        _l("Sales per product (best first)"),
        [Column("product", _l("Product"), TEXT), *_money_columns()],
        [[name, s.units, s.revenue, s.refunds, s.net] for name, s in _by_product(lines)],
        chart=("product", "net_eur"),
        note=_l(
            "The chart shows the ten products that brought the most; the table shows them all."
        ),
    )


def sales_by_week_and_product(lines: list[SoldLine]) -> Table:
    """Units, revenue, refunds and net per week and product (weeks with sales only)."""
    weeks: dict[date, list[SoldLine]] = defaultdict(list)
    for line in lines:
        weeks[line.week].append(line)
    rows = []
    for monday in sorted(weeks):
        for name, s in _by_product(weeks[monday]):
            rows.append([iso_week(monday), name, s.units, s.revenue, s.refunds, s.net])
    return Table(
        "sales-by-week-and-product",
        _l("Sales per week and product"),
        [
            Column("week", _l("Week"), TEXT),
            Column("product", _l("Product"), TEXT),
            *_money_columns(),
        ],
        rows,
    )
