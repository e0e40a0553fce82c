"""A shop's monthly payments statement: per order, what was paid, kept as fees, refunded,
transferred and taken back, read from our records and the ledger (Stripe is never called).

An order belongs to the month it was paid in (online: when the payment arrived; at the
counter: when it was collected), in the town's time zone. Its later movements (a refund, a
reversal after a dispute) stay on that month's statement; their dates say when they happened.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select

from marketplace.campaigns.order_hooks import charged_cents
from marketplace.extensions import db
from marketplace.orders.models import AT_PICKUP, Checkout, Order, OrderEvent
from marketplace.orders.status import ACTIVE, COLLECTED, REFUNDED
from payments.fees import shop_shares
from payments.models import (
    DISPUTE_OPENED,
    FAILED,
    REFUND,
    REVERSAL,
    SUCCEEDED,
    TRANSFER,
    LedgerEntry,
)
from shops.models import Shop

# What happened to the shop's transfer for an order (labels in payments/statement_files.py).
TRANSFER_SENT = "sent"  # at least one transfer succeeded at Stripe
TRANSFER_PLANNED = "planned"  # written, not confirmed by Stripe yet (sent by the jobs)
TRANSFER_FAILED = "failed"  # only failed rows: the office follows it up (`flask payments`)
TRANSFER_HELD = "held"  # collected, but the payment is disputed: held until the bank decides
TRANSFER_AWAITING = "awaiting"  # not collected yet: the shop is paid at collection
TRANSFER_NONE = "none"  # nothing to transfer (cancelled, or fully refunded before)

MONTH = re.compile(r"(\d{4})-(\d{2})")
FIRST_YEAR, LAST_YEAR = 2000, 2999  # a month typed in the address bar stays within these


class InvalidMonth(ValueError):
    """A month that is not written YYYY-MM (or is out of range)."""


@dataclass
class OnlineRow:
    """An order paid online, and the money it moved."""

    order: Order
    paid_at: datetime | None  # never None here: the query asks for paid checkouts
    amount: int
    stripe_fee: int
    platform_fee: int
    refunds: int
    transfers: int
    reversals: int
    transfer_state: str
    transferred_at: datetime | None
    dispute_status: str | None
    disputed: int

    @property
    def net(self) -> int:
        """What the shop holds for the order: transfers less reversals."""
        return self.transfers - self.reversals


@dataclass
class CounterRow:
    """An order paid at the counter: no money went through Stripe."""

    order: Order
    collected_at: datetime
    amount: int
    refunds: int


ONLINE_SUMS = ("amount", "stripe_fee", "platform_fee", "refunds", "transfers", "reversals")


@dataclass
class Statement:
    """One shop's month: its online and counter orders, with totals."""

    shop: Shop
    month: date  # the first day of the month
    online: list[OnlineRow] = field(default_factory=list)
    counter: list[CounterRow] = field(default_factory=list)

    @property
    def online_totals(self) -> dict[str, int]:
        """Sums of the online table's money columns (and `net`, `disputed`)."""
        totals = {key: sum(getattr(r, key) for r in self.online) for key in ONLINE_SUMS}
        totals["disputed"] = sum(r.disputed for r in self.online if r.dispute_status)
        totals["net"] = totals["transfers"] - totals["reversals"]
        return totals

    @property
    def counter_totals(self) -> dict[str, int]:
        """Sums of the counter table's amount and refunds."""
        return {key: sum(getattr(r, key) for r in self.counter) for key in ("amount", "refunds")}

    @property
    def is_empty(self) -> bool:
        """True when no order was paid in the month."""
        return not (self.online or self.counter)


def parse_month(text: str | None, today: date) -> date:
    """The first day of the month written YYYY-MM; `today`'s month when none is given."""
    if not text:
        return today.replace(day=1)
    found = MONTH.fullmatch(text)
    if (
        found is None
        or not FIRST_YEAR <= int(found[1]) <= LAST_YEAR
        or not 1 <= int(found[2]) <= 12
    ):
        raise InvalidMonth(text)
    return date(int(found[1]), int(found[2]), 1)


def next_month(month: date) -> date:
    """The first day of the following month."""
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def previous_month(month: date) -> date:
    """The first day of the month before."""
    return date(month.year - (month.month == 1), (month.month - 2) % 12 + 1, 1)


def order_fees(order: Order, fee_bps: int, fees_paid_by: str) -> dict[str, int]:
    """The order's platform fee and share of Stripe's fee, from what we recorded (no Stripe call).

    The same split as payments.ledger.order_share; a fee Stripe has not told us yet counts 0.
    """
    checkout = order.checkout
    shares = shop_shares(
        [charged_cents(o) for o in checkout.orders],
        checkout.stripe_fee_cents or 0,
        fee_bps,
        fees_paid_by,
    )
    return shares[[o.id for o in checkout.orders].index(order.id)]


def _month_bounds(month: date, tz: str) -> tuple[datetime, datetime]:
    zone = ZoneInfo(tz)
    return (
        datetime.combine(month, datetime.min.time(), zone),
        datetime.combine(next_month(month), datetime.min.time(), zone),
    )


def _ledger_of(order_ids: list[int]) -> dict[int, list[LedgerEntry]]:
    rows: dict[int, list[LedgerEntry]] = {order_id: [] for order_id in order_ids}
    if order_ids:
        query = select(LedgerEntry).where(LedgerEntry.order_id.in_(order_ids))
        for entry in db.session.scalars(query.order_by(LedgerEntry.id)):
            rows[entry.order_id].append(entry)
    return rows


def _sum(entries: list[LedgerEntry], kind: str) -> int:
    return sum(e.amount_cents for e in entries if e.kind == kind and e.status == SUCCEEDED)


def transfer_state(order: Order, entries: list[LedgerEntry]) -> str:
    """Where the shop's transfer for this order stands (one of the TRANSFER_* codes)."""
    transfers = [e for e in entries if e.kind == TRANSFER]
    # Neither succeeded nor failed: written and on its way to Stripe (whatever the step).
    on_the_way = [e for e in transfers if e.status not in (SUCCEEDED, FAILED)]
    handed_over = order.status in (COLLECTED, REFUNDED)
    if on_the_way:
        return TRANSFER_HELD if order.dispute_status == DISPUTE_OPENED else TRANSFER_PLANNED
    if any(e.status == SUCCEEDED for e in transfers):
        return TRANSFER_SENT
    if handed_over and order.dispute_status == DISPUTE_OPENED:
        return TRANSFER_HELD
    if transfers:
        return TRANSFER_FAILED
    if order.status in ACTIVE:
        return TRANSFER_AWAITING
    return TRANSFER_NONE


def _online_row(
    order: Order, paid_at: datetime | None, entries: list[LedgerEntry], fees: dict[str, int]
) -> OnlineRow:
    sent = [e for e in entries if e.kind == TRANSFER and e.status == SUCCEEDED]
    return OnlineRow(
        order=order,
        paid_at=paid_at,
        amount=order.total_cents,
        stripe_fee=fees["stripe_fee"],
        platform_fee=fees["platform_fee"],
        refunds=_sum(entries, REFUND),
        transfers=_sum(entries, TRANSFER),
        reversals=_sum(entries, REVERSAL),
        transfer_state=transfer_state(order, entries),
        transferred_at=max((e.updated_at for e in sent), default=None),
        dispute_status=order.dispute_status,
        disputed=order.disputed_cents if order.dispute_status else 0,
    )


def monthly_statement(shop: Shop, month: date) -> Statement:
    """The shop's statement for the month starting on `month` (town time)."""
    config = current_app.config
    start, end = _month_bounds(month, config["TIMEZONE"])
    online = list(
        db.session.execute(
            select(Order, Checkout.paid_at)
            .join(Checkout, Order.checkout_id == Checkout.id)
            .where(
                Order.shop_id == shop.id,
                Checkout.stripe_payment_intent_id.is_not(None),
                Checkout.paid_at >= start,
                Checkout.paid_at < end,
            )
            .order_by(Checkout.paid_at, Order.id)
        )
    )
    counter = list(
        db.session.execute(
            select(Order, OrderEvent.created_at)
            .join(Checkout, Order.checkout_id == Checkout.id)
            .join(OrderEvent, OrderEvent.order_id == Order.id)
            .where(
                Order.shop_id == shop.id,
                Checkout.method == AT_PICKUP,
                OrderEvent.to_status == COLLECTED,
                OrderEvent.created_at >= start,
                OrderEvent.created_at < end,
            )
            .order_by(OrderEvent.created_at, Order.id)
        )
    )
    ledger = _ledger_of([o.id for o, _ in online] + [o.id for o, _ in counter])
    fee_bps, paid_by = config["PLATFORM_FEE_BPS"], config["STRIPE_FEES_PAID_BY"]
    return Statement(
        shop=shop,
        month=month,
        online=[
            _online_row(o, paid_at, ledger[o.id], order_fees(o, fee_bps, paid_by))
            for o, paid_at in online
        ],
        counter=[
            CounterRow(o, collected_at, o.total_cents, _sum(ledger[o.id], REFUND))
            for o, collected_at in counter
        ],
    )
