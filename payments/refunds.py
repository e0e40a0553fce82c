"""Refunds: a cancelled paid order is refunded in full; a collected one in part or in full.

When the town paid part of the order (campaigns), a refund gives back the resident's part first
(to their card, or at the counter), then the town's part to the campaign's budget: the town's
money never goes to the resident's card. A cancelled order's town part went back to the budget
when it was cancelled (campaigns/order_hooks.py), so only the resident's part is refunded.

Asking for a refund only reserves it: the order's refundable amount is taken with a
compare-and-set UPDATE and a planned row is written, in the request's transaction. Stripe is
called after the commit, by the jobs worker (payments/money_jobs.py); the shop's transfer is reduced only once Stripe
made the refund, and a refund Stripe refused gives its amount back to the order.
"""

from __future__ import annotations

from sqlalchemy import select, update

from marketplace.campaigns.order_hooks import charged_cents, return_to_budget
from marketplace.extensions import db
from marketplace.orders.models import Order
from marketplace.orders.status import COLLECTED, REFUNDED, InvalidTransition, transition_order
from payments.ledger import new_entry, paid_online, plan_refund
from payments.models import FAILED, REFUND, SUCCEEDED, LedgerEntry


class InvalidRefund(ValueError):
    """An amount that is not between 1 cent and what is left to refund."""


class RefundAlreadyRequested(Exception):
    """The form's one-time token was used already: the refund it asked for exists."""

    def __init__(self, entry: LedgerEntry) -> None:
        super().__init__(f"ledger entry {entry.id}")
        self.entry = entry


def refundable_cents(order: Order) -> int:
    """What can still be given back on this order."""
    return order.total_cents - order.refunded_cents


def split_refund(order: Order, amount: int) -> tuple[int, int]:
    """(resident's part, town's part) of refunding `amount` now: the resident's part first."""
    charged = charged_cents(order)
    resident_left = max(charged - min(order.refunded_cents, charged), 0)
    resident = min(amount, resident_left)
    return resident, amount - resident


def reserve_refund(order: Order, amount: int) -> None:
    """Count `amount` as refunded if it still fits; raise InvalidRefund otherwise (flushes).

    One conditional UPDATE: two requests at once cannot both take the same cents, and on
    PostgreSQL the row stays locked until the request commits.
    """
    changed = db.session.execute(  # type: ignore[attr-defined]  # an UPDATE returns a CursorResult (rowcount)
        update(Order)
        .where(Order.id == order.id, Order.refunded_cents + amount <= Order.total_cents)
        .values(refunded_cents=Order.refunded_cents + amount)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.refresh(order)
    if changed != 1:
        raise InvalidRefund("amount")


def refund_cancelled_order(order: Order) -> list[LedgerEntry]:
    """Plan the full refund of a cancelled order that was paid online (none otherwise)."""
    if not paid_online(order) or order.refunded_cents >= charged_cents(order):
        return []
    refused = db.session.scalar(
        select(LedgerEntry.id).where(
            LedgerEntry.order_id == order.id,
            LedgerEntry.kind == REFUND,
            LedgerEntry.status == FAILED,
        )
    )
    if refused is not None:
        return []  # Stripe refused it once: asking again with a new key needs a person
    amount = charged_cents(order) - order.refunded_cents  # the resident's part only
    try:
        reserve_refund(order, amount)
    except InvalidRefund:
        return []  # planned meanwhile by another worker
    return [plan_refund(order, amount, "order cancelled")]


def refund_for_token(token: str) -> LedgerEntry | None:
    """The refund asked for by the form carrying `token`, if any."""
    return db.session.scalar(select(LedgerEntry).where(LedgerEntry.request_token == token))


def refund_collected_order(
    order: Order, amount: int, reason: str, actor_id: int, request_token: str | None = None
) -> list[LedgerEntry]:
    """Reserve part or all of a collected order's refund, with a reason; send it after commit.

    `request_token` comes from the form: a second submit of the same form raises
    RefundAlreadyRequested with the first one's row instead of refunding twice.
    """
    if request_token is not None and (twin := refund_for_token(request_token)) is not None:
        raise RefundAlreadyRequested(twin)
    if order.status not in (COLLECTED, REFUNDED):
        raise InvalidTransition(order.status, REFUNDED)
    if not reason.strip():
        raise InvalidRefund("reason")
    if amount <= 0 or amount > refundable_cents(order):
        raise InvalidRefund("amount")
    resident, town = split_refund(order, amount)
    # The token's unique index makes a concurrent twin wait here, then fail with an
    # IntegrityError: the caller rolls back and finds the first one with refund_for_token.
    # A refund all of the town's money is a row too (done at once): the token and the notice
    # need one; the card or the counter gives back nothing.
    entry = (
        plan_refund(order, resident, reason, request_token)
        if resident > 0
        else new_entry(order, REFUND, 0, reason, status=SUCCEEDED, request_token=request_token)
    )
    if town > 0 and return_to_budget(order, town) != town:
        raise InvalidRefund("amount")  # the caller rolls back: nothing is refunded
    if order.status == COLLECTED:
        try:
            transition_order(order, REFUNDED, actor_id, reason)
        except InvalidTransition as error:
            if error.current != REFUNDED:  # another refund of this order got there first
                raise
    reserve_refund(order, amount)
    return [entry]
