"""Comparing our records with Stripe's, and recovering events we never received."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from marketplace.extensions import db
from marketplace.orders.models import Checkout
from payments.client import get_client
from payments.events import HANDLERS, apply_event, fetch_fresh
from payments.incoming import incoming_from
from payments.ledger import entries_for
from payments.models import REFUND, REVERSAL, TRANSFER, StripeEvent
from payments.sessions import transfer_group


def _sum(orders, kind: str) -> int:
    return sum(e.amount_cents for o in orders for e in entries_for(o, kind))


def compare_checkout(checkout: Checkout) -> list[str]:
    """Differences between one checkout and its Stripe session, charge and transfers."""
    client = get_client()
    found = []
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
        charge = client.v1.charges.retrieve(checkout.stripe_charge_id)
        ours = _sum(checkout.orders, REFUND)
        if charge["amount_refunded"] != ours:
            found.append(
                f"checkout {checkout.id}: refunded {charge['amount_refunded']} at Stripe, "
                f"{ours} in Vitrine"
            )
    transfers = client.v1.transfers.list(params={"transfer_group": transfer_group(checkout)})
    sent = sum(t["amount"] for t in transfers.auto_paging_iter())
    back = sum(t["amount_reversed"] for t in transfers.auto_paging_iter())
    if sent != _sum(checkout.orders, TRANSFER):
        found.append(
            f"checkout {checkout.id}: transferred {sent} at Stripe, "
            f"{_sum(checkout.orders, TRANSFER)} in Vitrine"
        )
    if back != _sum(checkout.orders, REVERSAL):
        found.append(
            f"checkout {checkout.id}: reversed {back} at Stripe, "
            f"{_sum(checkout.orders, REVERSAL)} in Vitrine"
        )
    return found


def missed_events(apply: bool, confirmed: list) -> list[str]:
    """Events Stripe sent that we never applied; apply them (oldest first) when asked."""
    found = []
    # Only the types we handle: the webhook endpoint is subscribed to those alone, so any
    # other type is never received and is no difference.
    events = get_client().v1.events.list(params={"limit": 100, "types": sorted(HANDLERS)})
    missing = [e for e in events.auto_paging_iter() if db.session.get(StripeEvent, e["id"]) is None]
    missing.reverse()  # Stripe lists newest first; the stable sort keeps one second's order
    for event in sorted(missing, key=lambda e: e["created"]):
        if not apply:
            found.append(f"event {event['id']} ({event['type']}) was never received")
            continue
        record = StripeEvent(event_id=event["id"], type=event["type"])
        db.session.add(record)
        db.session.flush()
        incoming = incoming_from(event)
        fetch_fresh(incoming)
        outcome = apply_event(incoming, current_app.config.get("STRIPE_SECRET_KEY"))
        confirmed.extend(outcome.confirmed)
        record.outcome = f"recovered: {outcome.summary}"[:200]
    return found


def reconcile(apply_missed_events: bool = False, confirmed: list | None = None) -> list[str]:
    """Every difference between Vitrine and Stripe, one line each (orders confirmed go in `confirmed`)."""
    differences = missed_events(apply_missed_events, confirmed if confirmed is not None else [])
    checkouts = db.session.scalars(
        select(Checkout).where(Checkout.stripe_session_id.is_not(None)).order_by(Checkout.id)
    ).all()
    for checkout in checkouts:
        differences.extend(compare_checkout(checkout))
    return differences
