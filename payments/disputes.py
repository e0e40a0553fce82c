"""Disputes (chargebacks): flag the disputed payment's orders, hold or take back the shops'
share, tell the shop and the office, and settle when Stripe closes the dispute.

The policy (docs/payments.md): while a dispute is open, a transfer not yet sent is held.
When Stripe withdraws the disputed amount from the platform, the disputed share of each
transfer already sent is reversed from its shop. A dispute won sends the reversed share again
and releases held transfers; a dispute lost keeps the reversals and lowers held transfers by
the disputed share. Each handler is safe to receive late, twice, or before its predecessors:
the money converges on the same state whatever the delivery order.
"""

from __future__ import annotations

import logging

from sqlalchemy import or_, select

from marketplace.audit import record_action
from marketplace.campaigns.order_hooks import charged_cents
from marketplace.db import utcnow
from marketplace.extensions import db
from marketplace.orders.models import Checkout
from payments.client import UNREACHABLE, PaymentsUnavailable, StripeError
from payments.fees import split_largest_remainder
from payments.incoming import Incoming, Outcome, id_of
from payments.models import DISPUTE_LOST, DISPUTE_OPENED, DISPUTE_WON, Dispute

log = logging.getLogger(__name__)
CLOSED_STATUSES = {"won": DISPUTE_WON, "lost": DISPUTE_LOST}


def _checkout_of(obj, checkout_id: str | None = None) -> Checkout | None:
    intent_id = id_of(obj.get("payment_intent"))
    if checkout_id and str(checkout_id).isdigit():
        found = db.session.get(Checkout, int(checkout_id))
        if found is not None and found.stripe_payment_intent_id in (None, intent_id):
            return found
    charge_id = id_of(obj.get("charge"))
    clauses = []
    if charge_id:
        clauses.append(Checkout.stripe_charge_id == charge_id)
    if intent_id:
        clauses.append(Checkout.stripe_payment_intent_id == intent_id)
    return db.session.scalar(select(Checkout).where(or_(*clauses)).limit(1)) if clauses else None


def _record(event: Incoming) -> Dispute | None:
    """Our row for this dispute, created by whichever of its events comes first."""
    obj = event.obj
    dispute = db.session.scalar(select(Dispute).where(Dispute.stripe_dispute_id == obj["id"]))
    if dispute is not None:
        return dispute
    checkout = _checkout_of(obj, event.fetched.get("checkout_id"))
    if checkout is None:
        return None
    dispute = Dispute(
        stripe_dispute_id=obj["id"],
        checkout_id=checkout.id,
        charge_id=id_of(obj.get("charge")),
        amount_cents=int(obj.get("amount") or checkout.total_cents),
        reason=obj.get("reason"),
        stripe_status=obj.get("status") or "needs_response",
        outcome=DISPUTE_OPENED,
    )
    db.session.add(dispute)
    db.session.flush()
    shares = split_largest_remainder(
        # By what each order's resident paid by card (the town's part was never charged).
        min(dispute.amount_cents, checkout.total_cents),
        [charged_cents(o) for o in checkout.orders],
    )
    for order, share in zip(checkout.orders, shares, strict=True):
        order.dispute_status = DISPUTE_OPENED
        order.disputed_cents = share
    record_action(None, "payment.dispute", "checkout", checkout.id, dispute.reason)
    return dispute


def _flag(dispute: Dispute) -> None:
    """Put the dispute's outcome on the orders of its payment."""
    checkout = db.session.get(Checkout, dispute.checkout_id)
    for order in checkout.orders if checkout else []:
        order.dispute_status = dispute.outcome


def _outcome(dispute: Dispute | None, obj, what: str) -> Outcome:
    if dispute is None:
        return Outcome(f"dispute {obj.get('id')} on an unknown payment ({what})")
    _flag(dispute)
    return Outcome(
        f"dispute {dispute.stripe_dispute_id} on checkout {dispute.checkout_id}: {what}",
        disputes=[dispute.id],
        notices=[dispute.id],
    )


def on_dispute_created(event: Incoming) -> Outcome:
    """A payment is contested: flag its orders; their unsent transfers are held."""
    dispute = _record(event)
    return _outcome(dispute, event.obj, f"opened ({event.obj.get('reason')})")


def on_dispute_updated(event: Incoming) -> Outcome:
    """Evidence or status changed: keep Stripe's status (the outcome comes with `closed`)."""
    dispute = _record(event)
    if dispute is not None and dispute.outcome == DISPUTE_OPENED:
        dispute.stripe_status = event.obj.get("status") or dispute.stripe_status
    outcome = _outcome(dispute, event.obj, f"updated ({event.obj.get('status')})")
    outcome.notices = []
    return outcome


def on_funds_withdrawn(event: Incoming) -> Outcome:
    """Stripe took the disputed amount from the platform: take back the shops' share of it."""
    dispute = _record(event)
    if dispute is not None:
        dispute.funds_withdrawn = True
    outcome = _outcome(dispute, event.obj, "funds withdrawn")
    outcome.notices = []
    return outcome


def on_funds_reinstated(event: Incoming) -> Outcome:
    """Funds came back (a won dispute): `closed` settles; this only keeps the record."""
    return on_dispute_updated(event)


def on_dispute_closed(event: Incoming) -> Outcome:
    """The bank decided: won sends the shops their share again, lost keeps it back."""
    dispute = _record(event)
    status = event.obj.get("status")
    if dispute is not None and dispute.outcome == DISPUTE_OPENED:
        dispute.stripe_status = status or dispute.stripe_status
        # Stripe closes a dispute "won" or "lost"; "warning_closed" (an inquiry) is won.
        dispute.outcome = CLOSED_STATUSES.get(status, DISPUTE_WON)
        dispute.closed_at = utcnow()
    return _outcome(dispute, event.obj, f"closed ({status})")


def settle_disputed_orders(dispute_ids: list[int]) -> None:
    """Bring each disputed order's transfers to what its shop is owed now (after the commit)."""
    from payments.settle import settle_order  # settle reads disputes_state, not this module

    for dispute_id in dispute_ids:
        dispute = db.session.get(Dispute, dispute_id)
        checkout = db.session.get(Checkout, dispute.checkout_id) if dispute else None
        if dispute is None or checkout is None:
            continue
        reason = f"dispute {dispute.stripe_dispute_id} {dispute.outcome}"
        for order_id in [o.id for o in checkout.orders]:
            try:
                settle_order(order_id, reason)
            except (*UNREACHABLE, StripeError, PaymentsUnavailable) as error:
                db.session.rollback()  # `flask payments retry-transfers` settles it later
                log.warning("Order %s not settled after dispute: %s", order_id, error)
