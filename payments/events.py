"""Applying Stripe webhook events: one handler per type, each safe to receive late or twice."""

from __future__ import annotations

import logging

from sqlalchemy import select, update
from sqlalchemy.orm.attributes import set_committed_value

from marketplace.audit import record_action
from marketplace.campaigns.order_hooks import charged_cents
from marketplace.db import utcnow
from marketplace.extensions import db
from marketplace.orders.checkout import confirm_checkout
from marketplace.orders.models import CHECKOUT_COMPLETED, Checkout
from marketplace.orders.operations import expire_checkout
from marketplace.orders.status import EXPIRED
from marketplace.rows_changed import rows_changed
from payments import disputes
from payments.accounts import can_receive_transfers
from payments.charges import fetch_charge
from payments.client import UNREACHABLE, StripeError, get_client, is_configured
from payments.incoming import Incoming, Outcome, id_of, refusal
from payments.ledger import plan_refund
from shops.models import Shop

CURRENCY = "eur"

log = logging.getLogger(__name__)


def _get(obj, key, default=None):
    try:
        value = obj[key]
    except (KeyError, TypeError):
        return default
    return default if value is None else value


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


def chargeid_of(payment_intent) -> str | None:
    """The charge of a payment intent, in the current shape (latest_charge) or the old one (charges)."""
    latest = id_of(_get(payment_intent, "latest_charge"))
    if latest:
        return latest
    charges = _get(_get(payment_intent, "charges", {}), "data", [])
    return id_of(charges[0]) if charges else None


def record_payment(
    checkout: Checkout, payment_intent_id: str | None, charge_id: str | None
) -> Outcome:
    """The money arrived: confirm pending orders; refund any that expired before it came."""
    if payment_intent_id and not checkout.stripe_payment_intent_id:
        checkout.stripe_payment_intent_id = payment_intent_id
    if charge_id and not checkout.stripe_charge_id:
        checkout.stripe_charge_id = charge_id
    if not _claim_payment(checkout):
        return Outcome(f"checkout {checkout.id} already paid")
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


def _claim_payment(checkout: Checkout) -> bool:
    """Mark the checkout paid unless another path already did; True when this one did.

    A compare-and-set UPDATE, as for orders: the webhook's two events and the return page may
    record the same payment at the same moment, and only one of them may confirm the orders or
    refund the expired ones (the others wait on the row, then find it paid).
    """
    if checkout.paid_at is not None:
        return False
    now = utcnow()
    claimed = rows_changed(
        update(Checkout)
        .where(Checkout.id == checkout.id, Checkout.paid_at.is_(None))
        .values(paid_at=now)
    )
    if claimed != 1:
        db.session.refresh(checkout)
        return False
    set_committed_value(checkout, "paid_at", now)
    return True


def _refund_late(order) -> int:
    """Give back an order that expired before its payment came; the order shows it as refunded."""
    # Only what the card paid: the town's part went back to its budget when the order expired.
    amount = max(charged_cents(order) - order.refunded_cents, 0)
    order.refunded_cents += amount
    return plan_refund(order, amount, "paid after the reservation expired").id


def _amount_refusal(checkout: Checkout, amount, currency) -> str | None:
    """Why a payment's amount or currency is not our checkout's, or None when they match."""
    if str(currency or "").lower() != CURRENCY or amount != checkout.total_cents:
        return (
            f"checkout {checkout.id}: paid {amount} {currency}, expected "
            f"{checkout.total_cents} {CURRENCY}; not confirmed"
        )
    return None


def _refuse_payment(checkout: Checkout, reason: str) -> Outcome:
    """Record a payment that does not match our checkout for the office, and confirm nothing."""
    record_action(None, "payment.mismatch", "checkout", checkout.id, reason)
    log.error("Stripe payment refused: %s", reason)
    return Outcome(f"refused: {reason}")


def on_session_completed(event: Incoming) -> Outcome:
    session = event.obj
    checkout = find_checkout(session)
    if checkout is None:
        return Outcome(f"unknown checkout session {_get(session, 'id')}")
    if _get(session, "payment_status") != "paid":
        return Outcome(f"checkout {checkout.id}: session completed, payment not settled yet")
    refused = _amount_refusal(checkout, _get(session, "amount_total"), _get(session, "currency"))
    if refused:
        return _refuse_payment(checkout, refused)
    charge_id, fee = event.fetched.get("charge", (None, None))
    if fee is not None and checkout.stripe_fee_cents is None:
        checkout.stripe_fee_cents = fee
    return record_payment(checkout, id_of(_get(session, "payment_intent")), charge_id)


def on_payment_succeeded(event: Incoming) -> Outcome:
    payment_intent = event.obj
    checkout = find_checkout(payment_intent)
    if checkout is None:
        return Outcome(f"unknown payment intent {_get(payment_intent, 'id')}")
    amount = _get(payment_intent, "amount_received", _get(payment_intent, "amount"))
    refused = _amount_refusal(checkout, amount, _get(payment_intent, "currency"))
    if refused:
        return _refuse_payment(checkout, refused)
    return record_payment(checkout, _get(payment_intent, "id"), chargeid_of(payment_intent))


def on_payment_failed(event: Incoming) -> Outcome:
    checkout = find_checkout(event.obj)
    if checkout is None:
        return Outcome(f"unknown payment intent {_get(event.obj, 'id')}")
    if checkout.paid_at is not None:
        return Outcome(f"checkout {checkout.id}: failure after success ignored")
    # The Checkout page lets the resident try another card; the reservation expires otherwise.
    return Outcome(f"checkout {checkout.id}: card declined, waiting for another try or expiry")


def on_session_expired(event: Incoming) -> Outcome:
    session = event.obj
    checkout = find_checkout(session)
    if checkout is None:
        return Outcome(f"unknown checkout session {_get(session, 'id')}")
    if not checkout.awaits_payment:
        return Outcome(f"checkout {checkout.id}: expiry ignored ({checkout.status})")
    expired = expire_checkout(checkout, "payment session expired")
    return Outcome(f"checkout {checkout.id}: {len(expired)} order(s) expired, stock returned")


def on_charge_refunded(event: Incoming) -> Outcome:
    # Our refunds are recorded when we make them; this event only confirms them. A refund made
    # in Stripe's dashboard is reported by `flask payments reconcile`.
    charge = event.obj
    return Outcome(
        f"charge {_get(charge, 'id')} refunded {_get(charge, 'amount_refunded', 0)} cents"
    )


def on_account_updated(event: Incoming) -> Outcome:
    """Keep a shop's payout status; the freshest state wins, never the latest arrival."""
    account = event.fetched.get("account") or event.obj
    shop = db.session.scalar(select(Shop).where(Shop.stripe_account_id == _get(account, "id")))
    if shop is None:
        return Outcome(f"unknown account {_get(account, 'id')}")
    if "account" not in event.fetched:
        # Not read from Stripe (unreachable): apply the payload only if it is newer.
        seen = shop.stripe_account_synced_at
        if seen is not None and event.created is not None and event.created < seen:
            return Outcome(f"shop {shop.slug}: older account state ignored")
    shop.payouts_enabled = can_receive_transfers(account)
    shop.stripe_account_synced_at = event.created or utcnow()
    return Outcome(f"shop {shop.slug}: payouts {'enabled' if shop.payouts_enabled else 'disabled'}")


HANDLERS = {
    "checkout.session.completed": on_session_completed,
    "checkout.session.async_payment_succeeded": on_session_completed,
    "checkout.session.expired": on_session_expired,
    "payment_intent.succeeded": on_payment_succeeded,
    "payment_intent.payment_failed": on_payment_failed,
    "charge.refunded": on_charge_refunded,
    "charge.dispute.created": disputes.on_dispute_created,
    "charge.dispute.updated": disputes.on_dispute_updated,
    "charge.dispute.funds_withdrawn": disputes.on_funds_withdrawn,
    "charge.dispute.funds_reinstated": disputes.on_funds_reinstated,
    "charge.dispute.closed": disputes.on_dispute_closed,
    "account.updated": on_account_updated,
}


def apply_event(event: Incoming, secret_key: str | None) -> Outcome:
    """Apply one event with its handler; events not ours, or of unknown types, change nothing."""
    refused = refusal(event, secret_key)
    if refused is not None:
        log.warning("Stripe event %s (%s) refused: %s", event.id, event.type, refused)
        return Outcome(f"refused: {refused}")
    handler = HANDLERS.get(event.type)
    if handler is None:
        log.info("Stripe event %s ignored (no handler)", event.type)
        return Outcome(f"ignored: {event.type}")
    outcome = handler(event)
    log.info("Stripe event %s: %s", event.type, outcome.summary)
    return outcome


def fetch_fresh(event: Incoming) -> None:
    """Read from Stripe what the payload cannot be trusted for (before any transaction).

    An account's state is read again, so that events delivered out of order cannot win; a
    completed session names its payment intent but not its charge and fee. Stripe being
    unreachable is no failure here: the handler falls back on the payload.
    """
    if not is_configured():
        return
    try:
        if event.type == "account.updated" and not refusal(event, _secret_key()):
            account = get_client().v1.accounts.retrieve(_get(event.obj, "id"))
            event.fetched["account"] = account.to_dict()
        elif event.type.startswith("checkout.session.") and _get(event.obj, "payment_intent"):
            event.fetched["charge"] = fetch_charge(str(id_of(_get(event.obj, "payment_intent"))))
        elif event.type.startswith("charge.dispute.") and _get(event.obj, "payment_intent"):
            # A dispute may arrive before the payment's own events: its intent names our checkout.
            intent = get_client().v1.payment_intents.retrieve(
                str(id_of(_get(event.obj, "payment_intent")))
            )
            event.fetched["checkout_id"] = (intent.to_dict().get("metadata") or {}).get(
                "checkout_id"
            )
    except (*UNREACHABLE, StripeError) as error:
        log.warning("Stripe event %s: could not read fresh state (%s)", event.id, error)


def _secret_key() -> str | None:
    from flask import current_app

    return current_app.config.get("STRIPE_SECRET_KEY")
