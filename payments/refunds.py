"""Refunds: a cancelled paid order is refunded in full; a collected one in part or in full."""

from __future__ import annotations

from marketplace.orders.models import Order
from marketplace.orders.status import COLLECTED, REFUNDED, InvalidTransition, transition_order
from payments.ledger import entries_for, paid_online, plan_refund, plan_reversal
from payments.models import FAILED, PENDING, TRANSFER, LedgerEntry


class InvalidRefund(ValueError):
    """An amount that is not between 1 cent and what is left to refund."""


def refundable_cents(order: Order) -> int:
    """What can still be given back on this order."""
    return order.total_cents - order.refunded_cents


def _shrink_unsent_transfer(order: Order, amount: int) -> int:
    """Take a refund out of a transfer not yet made; return what is left to reverse."""
    for entry in entries_for(order, TRANSFER, PENDING) + entries_for(order, TRANSFER, FAILED):
        taken = min(entry.amount_cents, amount)
        entry.amount_cents -= taken
        amount -= taken
    return amount


def refund_cancelled_order(order: Order) -> list[LedgerEntry]:
    """Plan the full refund of a cancelled order that was paid online (none otherwise)."""
    if not paid_online(order) or order.refunded_cents >= order.total_cents:
        return []
    amount = refundable_cents(order)
    order.refunded_cents += amount
    return [plan_refund(order, amount, "order cancelled")]


def refund_collected_order(
    order: Order, amount: int, reason: str, actor_id: int
) -> list[LedgerEntry]:
    """Refund part or all of a collected order, with a reason; reverse the shop's transfer alike."""
    if order.status not in (COLLECTED, REFUNDED):
        raise InvalidTransition(order.status, REFUNDED)
    if not reason.strip():
        raise InvalidRefund("reason")
    if amount <= 0 or amount > refundable_cents(order):
        raise InvalidRefund("amount")
    if order.status == COLLECTED:
        transition_order(order, REFUNDED, actor_id, reason)
    order.refunded_cents += amount
    entries = [plan_refund(order, amount, reason)]
    to_reverse = _shrink_unsent_transfer(order, amount)
    reversal = plan_reversal(order, to_reverse, reason) if to_reverse else None
    if reversal is not None:
        entries.append(reversal)
    return entries
