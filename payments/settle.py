"""What a shop is owed on an order, and the transfer or reversal that brings it there.

The shop is owed its payout less the refunds Stripe has made: a refund still in flight or
refused takes nothing back. Planning happens with the order's row locked (two refunds
finishing at once cannot both reverse), sending after the commit, never under the lock.
"""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select, update

from marketplace.extensions import db
from marketplace.orders.models import Order
from marketplace.orders.status import COLLECTED, REFUNDED
from payments.client import PaymentsUnavailable, StripeError
from payments.disputes_state import disputed_share_kept
from payments.ledger import entries_for, fetch_stripe_fee, new_entry, order_share, paid_online
from payments.ledger_states import InvalidLedgerTransition, move_entry
from payments.models import (
    DISPUTE_OPENED,
    FAILED,
    PLANNED,
    REFUND,
    REVERSAL,
    SENT,
    SUCCEEDED,
    TRANSFER,
    LedgerEntry,
)
from payments.sending import send_entry

PAID_OUT = (COLLECTED, REFUNDED)  # a shop is paid at collection


def lock_order(order: Order) -> None:
    """Hold the order's row until this transaction ends (SQLite: the database's write lock)."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(select(Order.id).where(Order.id == order.id).with_for_update())
    else:
        db.session.execute(
            update(Order)
            .where(Order.id == order.id)
            .values(updated_at=Order.updated_at)
            .execution_options(synchronize_session=False)
        )
    db.session.refresh(order)


def owed_to_shop(order: Order) -> int:
    """The shop's payout on the order less the refunds Stripe made and a disputed share.

    The disputed share is kept back once the dispute is lost, or while it is open once
    Stripe has withdrawn the funds from the platform (docs/payments.md, disputes).
    """
    refunded = sum(e.amount_cents for e in entries_for(order, REFUND))
    return max(order_share(order)["payout"] - refunded - disputed_share_kept(order), 0)


def _counts(reversal: LedgerEntry) -> bool:
    parent = reversal.parent
    return reversal.status != FAILED and parent is not None and parent.status != FAILED


def _plan_once(order: Order, reason: str) -> list[LedgerEntry]:
    transfers = entries_for(order, TRANSFER, (PLANNED, SENT, SUCCEEDED))
    made = [t for t in transfers if t.status != PLANNED]  # sent ones are found or resent as is
    waiting = [t for t in transfers if t.status == PLANNED]
    reversals = entries_for(order, REVERSAL, (PLANNED, SENT, SUCCEEDED, FAILED))
    taken_back = {t.id: 0 for t in made}
    for reversal in reversals:
        if _counts(reversal) and reversal.parent_id is not None:
            taken_back[reversal.parent_id] = taken_back.get(reversal.parent_id, 0) + (
                reversal.amount_cents
            )
    has = sum(t.amount_cents for t in made) - sum(taken_back.values())
    owed = owed_to_shop(order)
    if has + sum(t.amount_cents for t in waiting) == owed:
        return []
    for transfer in waiting:  # its amount is wrong now; its key stays with that amount
        move_entry(transfer, FAILED, error=f"replaced: the shop is owed {owed - has} cents now")
    if owed > has and order.dispute_status == DISPUTE_OPENED:
        return []  # held while the bank decides; planned again when the dispute closes
    if owed > has:
        return [new_entry(order, TRANSFER, owed - has, reason)]
    if any(
        r.status == FAILED and r.parent is not None and r.parent.status == SUCCEEDED
        for r in reversals
    ):
        # Stripe refused to take money back (the shop was paid out): a person settles it.
        current_app.logger.warning("Order %s: reversal refused before, not replanned", order.id)
        return []
    planned, left = [], has - owed
    for transfer in reversed(made):
        part = min(transfer.amount_cents - taken_back[transfer.id], left)
        if part > 0:
            planned.append(new_entry(order, REVERSAL, part, reason, parent=transfer))
            left -= part
    return planned


def plan_settlement(order: Order, reason: str = "collected") -> list[LedgerEntry]:
    """Lock the order and plan the transfer or reversals that make the shop's net right (flushes).

    Stripe's fee must be known already (fetch_stripe_fee): nothing here calls Stripe.
    """
    checkout = order.checkout
    if not paid_online(order) or order.status not in PAID_OUT:
        return []
    if checkout.stripe_fee_cents is None and checkout.stripe_charge_id:
        return []  # the fee is read first, outside the lock
    lock_order(order)
    if order.status not in PAID_OUT:
        return []
    try:
        return _plan_once(order, reason)
    except InvalidLedgerTransition:
        # A worker sent the planned transfer meanwhile: count it as made and plan again.
        return _plan_once(order, reason)


def _unfinished_money_rows(order_id: int) -> list[int]:
    return list(
        db.session.scalars(
            select(LedgerEntry.id)
            .where(
                LedgerEntry.order_id == order_id,
                LedgerEntry.kind.in_((TRANSFER, REVERSAL)),
                LedgerEntry.status.in_((PLANNED, SENT)),
            )
            .order_by(LedgerEntry.id)
        )
    )


def settle_order(order_id: int, reason: str = "collected") -> list[LedgerEntry]:
    """Plan what the shop's transfer needs, commit, then send it and any row still unfinished.

    Raises the Stripe errors of reading the fee (nothing is planned then).
    """
    order = db.session.get(Order, order_id)
    if order is None or not paid_online(order) or order.status not in PAID_OUT:
        return []
    fetch_stripe_fee(order.checkout)
    db.session.commit()
    plan_settlement(order, reason)
    db.session.commit()
    sent = [send_entry(entry_id) for entry_id in _unfinished_money_rows(order_id)]
    return [entry for entry in sent if entry is not None]


def _settle_quietly(order_id: int, reason: str) -> None:
    try:
        settle_order(order_id, reason)
    except (StripeError, PaymentsUnavailable) as error:
        db.session.rollback()  # `flask payments retry-transfers` settles it later
        current_app.logger.warning("Order %s not settled yet: %s", order_id, error)


def send_and_settle(entry_ids: list[int]) -> list[LedgerEntry]:
    """Send committed rows one by one; a refund Stripe made then takes back the shop's share."""
    done = [send_entry(entry_id) for entry_id in entry_ids]
    for entry in done:
        if entry is not None and entry.kind == REFUND and entry.status == SUCCEEDED:
            _settle_quietly(entry.order_id, entry.reason or "refund")
    return [entry for entry in done if entry is not None]


def retry_unfinished_entries() -> list[LedgerEntry]:
    """Send every planned row and look up every sent one, oldest first."""
    entry_ids = list(
        db.session.scalars(
            select(LedgerEntry.id)
            .where(LedgerEntry.status.in_((PLANNED, SENT)))
            .order_by(LedgerEntry.id)
        )
    )
    return send_and_settle(entry_ids)
