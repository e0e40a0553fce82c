"""At the counter: find an order by the code the customer shows, typed or scanned from its QR."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import case, select

from marketplace.extensions import db
from marketplace.orders.models import Order, with_lines_and_buyer
from marketplace.orders.operations import normalize_code
from marketplace.orders.status import COLLECTED, CONFIRMED, READY
from shops.models import Shop

# The orders a code can lead to at the counter; an expired or failed one was never handed over.
FINDABLE = (READY, CONFIRMED, COLLECTED)
MAX_INPUT = 500  # a scanned URL is longer than a code; anything longer is not ours


def code_from_input(text: str) -> str:
    """The pickup code in what was typed or scanned: "abc-123", " ABC123 ", or the QR's URL."""
    text = (text or "").strip()[:MAX_INPUT]
    if "://" in text:
        # The resident's QR encodes the board's order URL with ?code=...; a USB scanner types it.
        text = parse_qs(urlsplit(text).query).get("code", [""])[0]
    return normalize_code(text)[:12]


def find_orders_by_code(shop: Shop, text: str) -> list[Order]:
    """This shop's orders with the code in `text`: those to hand over first, newest first."""
    code = code_from_input(text)
    if not code:
        return []
    rank = case((Order.status == READY, 0), (Order.status == CONFIRMED, 1), else_=2)
    return list(
        db.session.scalars(
            select(Order)
            .where(Order.shop_id == shop.id, Order.pickup_code == code, Order.status.in_(FINDABLE))
            .options(*with_lines_and_buyer())
            .order_by(rank, Order.pickup_starts_at.desc(), Order.id.desc())
        )
    )


def orders_placed_since(shop: Shop, since: datetime, limit: int) -> list[Order]:
    """The shop's orders to prepare placed after `since`, whatever their pickup day."""
    query = (
        select(Order)
        .where(Order.shop_id == shop.id, Order.status == CONFIRMED, Order.created_at > since)
        .options(*with_lines_and_buyer())
        .order_by(Order.id)
        .limit(limit)
    )
    return list(db.session.scalars(query))
