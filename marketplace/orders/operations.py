"""What residents and shopkeepers do to orders: cancel, prepare, hand over; expiry and reminders."""

from __future__ import annotations

import hmac
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.orm.attributes import set_committed_value

from marketplace.domain_errors import ReasonRequired
from marketplace.extensions import db
from marketplace.orders.models import (
    CHECKOUT_EXPIRED,
    CHECKOUT_OPEN,
    Checkout,
    Order,
)
from marketplace.orders.reasons import BY_CUSTOMER, NOT_PAID_IN_TIME
from marketplace.orders.status import (
    CANCELLED,
    COLLECTED,
    CONFIRMED,
    EXPIRED,
    PENDING_PAYMENT,
    READY,
    InvalidTransition,
    transition_order,
)


class WrongPickupCode(ValueError):
    """The code given at the counter is not the order's."""


def normalize_code(text: str) -> str:
    """Accept the code as people type it: lower case, spaces, a dash."""
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())


def cancel_by_customer(order: Order, actor_id: int | None) -> None:
    """The resident cancels; allowed until the shop has prepared the order."""
    if order.status != CONFIRMED:
        raise InvalidTransition(order.status, CANCELLED)
    transition_order(order, CANCELLED, actor_id, BY_CUSTOMER)


def cancel_by_shop(order: Order, actor_id: int, reason: str) -> None:
    """The shop cancels a confirmed or ready order, saying why."""
    if not (reason or "").strip():
        raise ReasonRequired()
    transition_order(order, CANCELLED, actor_id, reason)


def mark_ready(order: Order, actor_id: int) -> None:
    """The shop has prepared the order: it waits at the counter."""
    transition_order(order, READY, actor_id)


def confirm_collection(order: Order, code: str, actor_id: int) -> None:
    """Hand the order over after checking its pickup code; a wrong code changes nothing."""
    if order.status != READY:
        raise InvalidTransition(order.status, COLLECTED)
    if not hmac.compare_digest(normalize_code(code), order.pickup_code):
        raise WrongPickupCode()
    transition_order(order, COLLECTED, actor_id)


def expire_checkout(checkout: Checkout, reason: str, actor_id: int | None = None) -> list[Order]:
    """Expire the unpaid orders of `checkout` and close it; return the orders this call expired.

    Each order goes through the state machine (one event row, stock back once), so a second
    call, or a race with the webhook or the expiry command, expires nothing more. An order
    confirmed meanwhile (the payment won the race) raises InvalidTransition: the caller rolls back.
    """
    if not checkout.awaits_payment:
        return []
    expired = []
    for order in checkout.orders:
        if order.status != PENDING_PAYMENT:
            continue
        try:
            transition_order(order, EXPIRED, actor_id, reason)
        except InvalidTransition as error:
            if error.current != EXPIRED:
                raise
            continue  # expired meanwhile by another request: same outcome
        expired.append(order)
    checkout.status = CHECKOUT_EXPIRED
    return expired


def expire_overdue(now: datetime) -> list[Order]:
    """Expire unpaid checkouts whose reservation has run out; their stock goes back once."""
    overdue = db.session.scalars(
        select(Checkout)
        .where(
            Checkout.status == CHECKOUT_OPEN,
            Checkout.paid_at.is_(None),
            Checkout.expires_at < now,
        )
        .order_by(Checkout.id)
    ).all()
    expired = []
    for checkout in overdue:
        try:
            expired += expire_checkout(checkout, NOT_PAID_IN_TIME)
        except InvalidTransition:
            continue  # paid meanwhile: the payment confirmed its orders
    return expired


def due_reminders(now: datetime, tz: str) -> list[Order]:
    """Orders to collect today (town time) whose reminder has not been sent; marks them sent."""
    zone = ZoneInfo(tz)
    today = now.astimezone(zone).date()
    start = datetime.combine(today, datetime.min.time(), zone)
    end = start + timedelta(days=1)
    orders = db.session.scalars(
        select(Order).where(
            Order.status.in_((CONFIRMED, READY)),
            Order.reminder_sent_at.is_(None),
            Order.pickup_starts_at >= start,
            Order.pickup_starts_at < end,
        )
    ).all()
    claimed = []
    for order in orders:
        # Claim with a conditional UPDATE: two runs at once (two timers, two servers) then
        # cannot both send it; the loser's UPDATE finds it already claimed.
        taken = db.session.execute(  # type: ignore[attr-defined]  # execute() is typed Result; an UPDATE returns a CursorResult (rowcount)
            update(Order)
            .where(Order.id == order.id, Order.reminder_sent_at.is_(None))
            .values(reminder_sent_at=now)
            .execution_options(synchronize_session=False)
        ).rowcount
        if taken == 1:
            set_committed_value(order, "reminder_sent_at", now)
            claimed.append(order)
    return claimed


def orders_of_customer(customer_id: int) -> list[Order]:
    """A resident's orders, newest first, without the checkouts they gave up before paying."""
    # Giving up on the payment page is the resident's "never mind", not an order to list.
    return list(
        db.session.scalars(
            select(Order)
            .join(Order.checkout)
            .where(Order.customer_id == customer_id, Checkout.abandoned_at.is_(None))
            .order_by(Order.created_at.desc(), Order.id.desc())
        )
    )
