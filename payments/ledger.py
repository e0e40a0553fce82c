"""The money ledger: plan a transfer, refund or reversal as a row, then execute it at Stripe.

A row is written (and committed) before Stripe is called, with a deterministic idempotency
key; executing it again after a crash or a timeout can therefore never pay twice.
"""

from __future__ import annotations

from flask import current_app
from sqlalchemy import func, select

from marketplace.extensions import db
from marketplace.orders.models import Order
from payments.charges import ensure_charge
from payments.client import UNREACHABLE, StripeError, get_client
from payments.fees import shop_shares
from payments.models import (
    DISPUTE_LOST,
    DISPUTE_OPENED,
    FAILED,
    PENDING,
    REFUND,
    REVERSAL,
    SUCCEEDED,
    TRANSFER,
    LedgerEntry,
)
from payments.sessions import transfer_group


def _next_key(order: Order, kind: str) -> str:
    count = db.session.scalar(
        select(func.count()).where(LedgerEntry.order_id == order.id, LedgerEntry.kind == kind)
    )
    return f"vitrine-{kind}-order-{order.id}-{count + 1}"


def _entry(order: Order, kind: str, amount: int, reason: str | None) -> LedgerEntry:
    entry = LedgerEntry(
        order_id=order.id,
        kind=kind,
        amount_cents=amount,
        status=PENDING,
        idempotency_key=_next_key(order, kind),
        reason=reason,
    )
    db.session.add(entry)
    db.session.flush()
    return entry


def entries_for(order: Order, kind: str, status: str = SUCCEEDED) -> list[LedgerEntry]:
    """The order's ledger rows of one kind and status."""
    return list(
        db.session.scalars(
            select(LedgerEntry).where(
                LedgerEntry.order_id == order.id,
                LedgerEntry.kind == kind,
                LedgerEntry.status == status,
            )
        )
    )


def paid_online(order: Order) -> bool:
    """True when the order's money went through Stripe (so refunds go back to the card)."""
    return (
        order.checkout.paid_at is not None and order.checkout.stripe_payment_intent_id is not None
    )


def plan_refund(order: Order, amount: int, reason: str | None) -> LedgerEntry:
    """Write a refund row; for an order paid at the counter it is recorded as done there."""
    entry = _entry(order, REFUND, amount, reason)
    if not paid_online(order):
        entry.status = SUCCEEDED  # given back in the shop, nothing to ask Stripe
    return entry


def plan_reversal(order: Order, amount: int, reason: str | None) -> LedgerEntry | None:
    """Write a reversal row taking back up to `amount` of the order's transfer, if any."""
    transferred = sum(e.amount_cents for e in entries_for(order, TRANSFER))
    reversed_ = sum(e.amount_cents for e in entries_for(order, REVERSAL))
    reversed_ += sum(e.amount_cents for e in entries_for(order, REVERSAL, PENDING))
    amount = min(amount, transferred - reversed_)
    return _entry(order, REVERSAL, amount, reason) if amount > 0 else None


def order_share(order: Order) -> dict[str, int]:
    """The order's total, platform fee, share of Stripe's fee and payout to the shop."""
    checkout = order.checkout
    ensure_charge(checkout)  # a payment known only from its session: read its charge
    if checkout.stripe_fee_cents is None and checkout.stripe_charge_id:
        charge = get_client().v1.charges.retrieve(
            checkout.stripe_charge_id, params={"expand": ["balance_transaction"]}
        )
        balance = charge["balance_transaction"]
        checkout.stripe_fee_cents = int(balance["fee"]) if not isinstance(balance, str) else 0
    config = current_app.config
    totals = [o.total_cents for o in checkout.orders]
    shares = shop_shares(
        totals,
        checkout.stripe_fee_cents or 0,
        config["PLATFORM_FEE_BPS"],
        config["STRIPE_FEES_PAID_BY"],
    )
    return shares[[o.id for o in checkout.orders].index(order.id)]


def plan_transfer(order: Order) -> LedgerEntry | None:
    """Write the transfer row of a collected order paid online (once per order).

    While a dispute on the payment is open the transfer is held (planned when it closes);
    a dispute lost keeps the disputed share back.
    """
    if (
        not paid_online(order)
        or order.dispute_status == DISPUTE_OPENED
        or entries_for(order, TRANSFER)
        or entries_for(order, TRANSFER, PENDING)
    ):
        return None
    payout = order_share(order)["payout"] - order.refunded_cents
    payout -= order.disputed_cents if order.dispute_status == DISPUTE_LOST else 0
    return _entry(order, TRANSFER, payout, "collected") if payout > 0 else None


def add_transfer(order: Order, amount: int, reason: str) -> LedgerEntry:
    """Write a further transfer row for an order (a disputed share sent again once won)."""
    return _entry(order, TRANSFER, amount, reason)


def execute(entry: LedgerEntry) -> None:
    """Carry out a pending or failed row at Stripe; record success or the error (no raise)."""
    if entry.status == SUCCEEDED:
        return
    order = entry.order
    client = get_client()
    options = {"idempotency_key": entry.idempotency_key}
    metadata = {"order_id": str(order.id), "ledger_id": str(entry.id)}
    entry.attempts += 1
    try:
        if entry.kind == REFUND:
            result = client.v1.refunds.create(
                params={
                    "payment_intent": order.checkout.stripe_payment_intent_id,
                    "amount": entry.amount_cents,
                    "metadata": metadata,
                },
                options=options,
            )
        elif entry.kind == TRANSFER:
            shop = order.shop
            if not (shop.stripe_account_id and shop.payouts_enabled):
                raise RuntimeError(f"shop {shop.slug} cannot receive payouts yet")
            if order.dispute_status == DISPUTE_OPENED:
                raise RuntimeError(f"order {order.id}: held while its payment is disputed")
            result = client.v1.transfers.create(
                params={
                    "amount": entry.amount_cents,
                    "currency": "eur",
                    "destination": shop.stripe_account_id,
                    "source_transaction": order.checkout.stripe_charge_id,
                    "transfer_group": transfer_group(order.checkout),
                    "metadata": metadata,
                },
                options=options,
            )
        else:
            transfer = entries_for(order, TRANSFER)[0]
            result = client.v1.transfers.reversals.create(
                transfer.stripe_id,
                params={"amount": entry.amount_cents, "metadata": metadata},
                options=options,
            )
    except (*UNREACHABLE, StripeError, RuntimeError) as error:
        entry.status = FAILED
        entry.error = str(error)[:500]
        current_app.logger.warning("Ledger entry %s (%s) failed: %s", entry.id, entry.kind, error)
        return
    entry.status = SUCCEEDED
    entry.stripe_id = result["id"]
    entry.error = None
    if entry.kind == TRANSFER:
        order.transfer_id = result["id"]


def execute_and_commit(entry_ids: list[int]) -> None:
    """Execute rows (already committed) one by one, committing each outcome."""
    for entry_id in entry_ids:
        entry = db.session.get(LedgerEntry, entry_id)
        if entry is not None:
            execute(entry)
            db.session.commit()


def retry_unfinished() -> list[LedgerEntry]:
    """Execute again every pending or failed row (the `flask payments retry` command)."""
    entries = list(
        db.session.scalars(
            select(LedgerEntry)
            .where(LedgerEntry.status.in_((PENDING, FAILED)))
            .order_by(LedgerEntry.id)
        )
    )
    for entry in entries:
        execute(entry)
        db.session.commit()
    return entries
