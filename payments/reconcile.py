"""Comparing our records with Stripe's, and recovering events we never received.

Bounded: only checkouts that are not final, or that changed within the window, are compared
(three Stripe calls each), and events are listed from the window's start. One object Stripe
does not know, or one failed call, is reported and the rest is still checked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import or_, select

from marketplace.db import utcnow
from marketplace.extensions import db
from marketplace.orders.models import CHECKOUT_OPEN, Checkout, Order
from marketplace.orders.status import ACTIVE
from payments.client import UNREACHABLE, StripeError, get_client
from payments.events import HANDLERS
from payments.incoming import incoming_from
from payments.ledger import entries_for
from payments.models import (
    DISPUTE_OPENED,
    PLANNED,
    REFUND,
    REVERSAL,
    SENT,
    TRANSFER,
    LedgerEntry,
    StripeEvent,
)
from payments.sessions import transfer_group
from payments.webhook import apply_once

DEFAULT_WINDOW_DAYS = 7


@dataclass
class Report:
    """What a reconciliation found: differences with Stripe, and what could not be checked."""

    since: datetime
    checked: int = 0
    differences: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        """The report as JSON-ready data (`flask payments reconcile --json`)."""
        return {
            "since": self.since.isoformat(),
            "checkouts_checked": self.checked,
            "differences": self.differences,
            "errors": self.errors,
        }


def _sum(orders, kind: str) -> int:
    return sum(e.amount_cents for o in orders for e in entries_for(o, kind))


def compare_checkout(checkout: Checkout) -> list[str]:
    """Differences between one checkout and its Stripe session, charge and transfers."""
    client = get_client()
    found: list[str] = []
    if checkout.stripe_session_id is None:
        return found  # never sent to Stripe: nothing to compare
    session = client.v1.checkout.sessions.retrieve(checkout.stripe_session_id)
    paid_there = session["payment_status"] == "paid"
    if paid_there != (checkout.paid_at is not None):
        found.append(
            f"checkout {checkout.id}: Stripe says {'paid' if paid_there else 'unpaid'}, "
            f"Vitrine says {'paid' if checkout.paid_at else 'unpaid'}"
        )
    if session["amount_total"] is not None and session["amount_total"] != checkout.total_cents:
        found.append(
            f"checkout {checkout.id}: amount {session['amount_total']} at Stripe, "
            f"{checkout.total_cents} in Vitrine"
        )
    if checkout.stripe_charge_id:
        refunded = client.v1.charges.retrieve(checkout.stripe_charge_id)["amount_refunded"]
        ledger, orders = (
            _sum(checkout.orders, REFUND),
            sum(o.refunded_cents for o in checkout.orders),
        )
        if refunded != ledger:
            found.append(
                f"checkout {checkout.id}: refunded {refunded} at Stripe, {ledger} in Vitrine"
            )
        if refunded != orders:
            found.append(
                f"checkout {checkout.id}: refunded {refunded} at Stripe, "
                f"{orders} recorded on its orders"
            )
    transfers = list(
        client.v1.transfers.list(
            params={"transfer_group": transfer_group(checkout)}
        ).auto_paging_iter()
    )
    for kind, there in (
        (TRANSFER, sum(t["amount"] for t in transfers)),
        (REVERSAL, sum(t["amount_reversed"] for t in transfers)),
    ):
        ours = _sum(checkout.orders, kind)
        if there != ours:
            verb = "transferred" if kind == TRANSFER else "reversed"
            found.append(f"checkout {checkout.id}: {verb} {there} at Stripe, {ours} in Vitrine")
    return found


def checkouts_to_compare(since: datetime) -> list[Checkout]:
    """Checkouts not final yet, or changed since `since`: the only ones worth asking Stripe."""
    unsettled_orders = select(Order.checkout_id).where(
        or_(Order.status.in_(ACTIVE), Order.dispute_status == DISPUTE_OPENED)
    )
    unfinished_money = (
        select(Order.checkout_id)
        .join(LedgerEntry, LedgerEntry.order_id == Order.id)
        .where(or_(LedgerEntry.status.in_((PLANNED, SENT)), LedgerEntry.updated_at >= since))
    )
    recent_orders = select(Order.checkout_id).where(Order.updated_at >= since)
    return list(
        db.session.scalars(
            select(Checkout)
            .where(
                Checkout.stripe_session_id.is_not(None),
                or_(
                    Checkout.status == CHECKOUT_OPEN,
                    Checkout.created_at >= since,
                    Checkout.id.in_(unsettled_orders),
                    Checkout.id.in_(unfinished_money),
                    Checkout.id.in_(recent_orders),
                ),
            )
            .order_by(Checkout.id)
        )
    )


def missed_events(report: Report, apply: bool) -> None:
    """Events Stripe sent since the window's start that we never applied; apply them if asked."""
    # Only the types we handle: the webhook endpoint is subscribed to those alone, so any
    # other type is never received and is no difference.
    events = get_client().v1.events.list(
        params={
            "limit": 100,
            "types": sorted(HANDLERS),
            "created": {"gte": int(report.since.timestamp())},
        }
    )
    missing = [e for e in events.auto_paging_iter() if db.session.get(StripeEvent, e["id"]) is None]
    missing.reverse()  # Stripe lists newest first; the stable sort keeps one second's order
    for event in sorted(missing, key=lambda e: e["created"]):
        if not apply:
            report.differences.append(f"event {event['id']} ({event['type']}) was never received")
            continue
        apply_once(incoming_from(event.to_dict()), note="recovered: ")


def reconcile(apply_missed_events: bool = False, window_days: int = DEFAULT_WINDOW_DAYS) -> Report:
    """Every difference between Vitrine and Stripe in the window; errors never stop the run."""
    report = Report(since=utcnow() - timedelta(days=window_days))
    try:
        missed_events(report, apply_missed_events)
    except (*UNREACHABLE, StripeError) as error:
        db.session.rollback()
        report.errors.append(f"events: could not be listed ({error})")
    checkouts = checkouts_to_compare(report.since)
    db.session.commit()  # no transaction stays open while Stripe answers
    for checkout in checkouts:
        report.checked += 1
        try:
            report.differences.extend(compare_checkout(checkout))
        except (*UNREACHABLE, StripeError) as error:
            report.errors.append(f"checkout {checkout.id}: could not be checked ({error})")
    return report
