"""Applying Stripe webhook events: one handler per type, each safe to receive late or twice."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from sqlalchemy import select

from marketplace.audit import record_action
from marketplace.db import utcnow
from marketplace.extensions import db
from marketplace.orders.checkout import confirm_checkout
from marketplace.orders.models import CHECKOUT_COMPLETED, Checkout, Order
from marketplace.orders.operations import expire_checkout
from marketplace.orders.status import EXPIRED
from payments.ledger import plan_refund
from shops.models import Shop

log = logging.getLogger(__name__)


@dataclass
class Outcome:
    """What applying an event did, and what to do once it is committed."""

    summary: str
    confirmed: list[Order] = field(default_factory=list)
    refunds: list[int] = field(default_factory=list)  # ledger entry ids to execute


def _get(obj, key, default=None):
    try:
        value = obj[key]
    except (KeyError, TypeError):
        return default
    return default if value is None else value


def _id_of(value) -> str | None:
    """An expandable field is an id string, or the embedded object."""
    if value is None or isinstance(value, str):
        return value
    return _get(value, "id")


def find_checkout(obj) -> Checkout | None:
    """Find our checkout from a session or payment intent: metadata first, then Stripe ids.

    A checkout that already records another session (or payment intent) is not this object's:
    its id came back after a rollback (SQLite reuses ids) or a reset of the database.
    """
    object_id = _get(obj, "id")
    column = (
        Checkout.stripe_session_id
        if _get(obj, "object") == "checkout.session"
        else Checkout.stripe_payment_intent_id
    )
    checkout_id = str(_get(_get(obj, "metadata", {}), "checkout_id", "") or "")
    if checkout_id.isdigit():
        found = db.session.get(Checkout, int(checkout_id))
        if found is not None and getattr(found, column.key) in (None, object_id):
            return found
    return db.session.scalar(select(Checkout).where(column == object_id)) if object_id else None


def charge_id_of(payment_intent) -> str | None:
    """The charge of a payment intent, in the current shape (latest_charge) or the old one (charges)."""
    latest = _id_of(_get(payment_intent, "latest_charge"))
    if latest:
        return latest
    charges = _get(_get(payment_intent, "charges", {}), "data", [])
    return _id_of(charges[0]) if charges else None


def record_payment(
    checkout: Checkout, payment_intent_id: str | None, charge_id: str | None
) -> Outcome:
    """The money arrived: confirm pending orders; refund any that expired before it came."""
    if payment_intent_id and not checkout.stripe_payment_intent_id:
        checkout.stripe_payment_intent_id = payment_intent_id
    if charge_id and not checkout.stripe_charge_id:
        checkout.stripe_charge_id = charge_id
    if checkout.paid_at is not None:
        return Outcome(f"checkout {checkout.id} already paid")
    checkout.paid_at = utcnow()
    late = [o for o in checkout.orders if o.status == EXPIRED]
    confirmed = confirm_checkout(checkout, actor_id=None)
    refunds = [_refund_late(o) for o in late]
    checkout.status = CHECKOUT_COMPLETED
    return Outcome(
        f"checkout {checkout.id} paid: {len(confirmed)} order(s) confirmed, "
        f"{len(late)} refunded (late payment)",
        confirmed,
        refunds,
    )


def _refund_late(order) -> int:
    """Give back an order that expired before its payment came; the order shows it as refunded."""
    amount = order.total_cents - order.refunded_cents
    order.refunded_cents += amount
    return plan_refund(order, amount, "paid after the reservation expired").id


def on_session_completed(session) -> Outcome:
    checkout = find_checkout(session)
    if checkout is None:
        return Outcome(f"unknown checkout session {_get(session, 'id')}")
    if _get(session, "payment_status") != "paid":
        return Outcome(f"checkout {checkout.id}: session completed, payment not settled yet")
    return record_payment(checkout, _id_of(_get(session, "payment_intent")), None)


def on_payment_succeeded(payment_intent) -> Outcome:
    checkout = find_checkout(payment_intent)
    if checkout is None:
        return Outcome(f"unknown payment intent {_get(payment_intent, 'id')}")
    return record_payment(checkout, _get(payment_intent, "id"), charge_id_of(payment_intent))


def on_payment_failed(payment_intent) -> Outcome:
    checkout = find_checkout(payment_intent)
    if checkout is None:
        return Outcome(f"unknown payment intent {_get(payment_intent, 'id')}")
    if checkout.paid_at is not None:
        return Outcome(f"checkout {checkout.id}: failure after success ignored")
    # The Checkout page lets the resident try another card; the reservation expires otherwise.
    return Outcome(f"checkout {checkout.id}: card declined, waiting for another try or expiry")


def on_session_expired(session) -> Outcome:
    checkout = find_checkout(session)
    if checkout is None:
        return Outcome(f"unknown checkout session {_get(session, 'id')}")
    if not checkout.awaits_payment:
        return Outcome(f"checkout {checkout.id}: expiry ignored ({checkout.status})")
    expired = expire_checkout(checkout, "payment session expired")
    return Outcome(f"checkout {checkout.id}: {len(expired)} order(s) expired, stock returned")


def on_charge_refunded(charge) -> Outcome:
    # Our refunds are recorded when we make them; this event only confirms them. A refund made
    # in Stripe's dashboard is reported by `flask payments reconcile`.
    return Outcome(
        f"charge {_get(charge, 'id')} refunded {_get(charge, 'amount_refunded', 0)} cents"
    )


def on_dispute_created(dispute) -> Outcome:
    charge_id = _id_of(_get(dispute, "charge"))
    checkout = db.session.scalar(select(Checkout).where(Checkout.stripe_charge_id == charge_id))
    if checkout is not None:
        record_action(None, "payment.dispute", "checkout", checkout.id, _get(dispute, "reason"))
    return Outcome(f"dispute on charge {charge_id} ({_get(dispute, 'reason')})")


def on_account_updated(account) -> Outcome:
    shop = db.session.scalar(select(Shop).where(Shop.stripe_account_id == _get(account, "id")))
    if shop is None:
        return Outcome(f"unknown account {_get(account, 'id')}")
    shop.payouts_enabled = bool(_get(account, "payouts_enabled", False)) and bool(
        _get(account, "charges_enabled", False)
    )
    return Outcome(f"shop {shop.slug}: payouts {'enabled' if shop.payouts_enabled else 'disabled'}")


HANDLERS = {
    "checkout.session.completed": on_session_completed,
    "checkout.session.async_payment_succeeded": on_session_completed,
    "checkout.session.expired": on_session_expired,
    "payment_intent.succeeded": on_payment_succeeded,
    "payment_intent.payment_failed": on_payment_failed,
    "charge.refunded": on_charge_refunded,
    "charge.dispute.created": on_dispute_created,
    "account.updated": on_account_updated,
}


def apply_event(event_type: str, obj) -> Outcome:
    """Apply one event's object with its handler; unknown types are acknowledged and logged."""
    handler = HANDLERS.get(event_type)
    if handler is None:
        log.info("Stripe event %s ignored (no handler)", event_type)
        return Outcome(f"ignored: {event_type}")
    outcome = handler(obj)
    log.info("Stripe event %s: %s", event_type, outcome.summary)
    return outcome
