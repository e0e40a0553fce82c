"""The money ledger: each transfer, refund or reversal is a row, planned before Stripe is called.

A row is committed before Stripe is asked anything, with an idempotency key of its own that
is used for one set of parameters forever (payments/ledger_states.py has its states,
payments/sending.py the calls, payments/settle.py what a shop is owed).
"""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from marketplace.campaigns.order_hooks import charged_cents
from marketplace.extensions import db
from marketplace.orders.models import Checkout, Order
from payments.charges import ensure_charge
from payments.client import get_client
from payments.fees import shop_shares
from payments.keys import new_idempotency_key
from payments.models import PLANNED, REFUND, SUCCEEDED, LedgerEntry


def new_entry(
    order: Order,
    kind: str,
    amount: int,
    reason: str | None,
    *,
    status: str = PLANNED,
    request_token: str | None = None,
    parent: LedgerEntry | None = None,
) -> LedgerEntry:
    """Write a ledger row with a fresh idempotency key (flushes)."""
    entry = LedgerEntry(
        order_id=order.id,
        kind=kind,
        amount_cents=amount,
        status=status,
        idempotency_key=new_idempotency_key(kind, order.id),
        request_token=request_token,
        parent_id=parent.id if parent is not None else None,
        reason=reason,
    )
    db.session.add(entry)
    db.session.flush()
    return entry


def entries_for(order: Order, kind: str, status: str | tuple = SUCCEEDED) -> list[LedgerEntry]:
    """The order's ledger rows of one kind and status (or statuses), oldest first."""
    statuses = (status,) if isinstance(status, str) else status
    return list(
        db.session.scalars(
            select(LedgerEntry)
            .where(
                LedgerEntry.order_id == order.id,
                LedgerEntry.kind == kind,
                LedgerEntry.status.in_(statuses),
            )
            .order_by(LedgerEntry.id)
        )
    )


def paid_online(order: Order) -> bool:
    """True when the order's money went through Stripe (so refunds go back to the card)."""
    return (
        order.checkout.paid_at is not None and order.checkout.stripe_payment_intent_id is not None
    )


def plan_refund(
    order: Order, amount: int, reason: str | None, request_token: str | None = None
) -> LedgerEntry:
    """Write a refund row; for an order paid at the counter it is recorded as done there.

    The caller has already counted `amount` in `order.refunded_cents`.
    """
    if not paid_online(order):  # given back in the shop, nothing to ask Stripe
        return new_entry(
            order, REFUND, amount, reason, status=SUCCEEDED, request_token=request_token
        )
    return new_entry(order, REFUND, amount, reason, request_token=request_token)


def fetch_stripe_fee(checkout: Checkout) -> None:
    """Read Stripe's fee on the checkout's charge once (a call: never under a row lock)."""
    ensure_charge(checkout)  # a payment known only from its session: read its charge first
    if checkout.stripe_fee_cents is not None or not checkout.stripe_charge_id:
        return
    charge = get_client().v1.charges.retrieve(
        checkout.stripe_charge_id, params={"expand": ["balance_transaction"]}
    )
    balance = charge["balance_transaction"]
    checkout.stripe_fee_cents = int(balance["fee"]) if not isinstance(balance, str) else 0


def order_share(order: Order) -> dict[str, int]:
    """The order's total, platform fee, share of Stripe's fee and payout to the shop."""
    fetch_stripe_fee(order.checkout)
    checkout = order.checkout
    config = current_app.config
    # What the resident paid for each order: the town's part reaches the shop by its statement.
    totals = [charged_cents(o) for o in checkout.orders]
    shares = shop_shares(
        totals,
        checkout.stripe_fee_cents or 0,
        config["PLATFORM_FEE_BPS"],
        config["STRIPE_FEES_PAID_BY"],
    )
    return shares[[o.id for o in checkout.orders].index(order.id)]


def execute_and_commit(entry_ids: list[int]) -> None:
    """Send committed rows to Stripe, committing each outcome; a refund done settles its shop."""
    from payments.settle import send_and_settle  # settle builds on this module

    send_and_settle(entry_ids)


def retry_unfinished() -> list[LedgerEntry]:
    """Send every planned row and look up every sent one (the `flask payments retry` command)."""
    from payments.settle import retry_unfinished_entries

    return retry_unfinished_entries()
