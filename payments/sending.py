"""Sending ledger rows to Stripe: planned rows are sent, sent rows are looked up first.

No row lock is held while Stripe is called: the row is committed as sent, the call is made
outside any transaction, and its outcome is recorded in a new short one.
"""

from __future__ import annotations

import stripe
from flask import current_app
from sqlalchemy import update

from marketplace.extensions import db
from marketplace.orders.models import Order
from payments.client import PaymentsUnavailable, StripeError, get_client
from payments.ledger_states import InvalidLedgerTransition, move_entry
from payments.models import FAILED, PLANNED, REFUND, SENT, SUCCEEDED, TRANSFER, LedgerEntry
from payments.sessions import transfer_group

# Stripe read the request and said no. Replaying the key returns the same answer, so the row
# is failed for good. Any other error (timeout, connection, 5xx, 409) leaves the outcome
# unknown: the row stays sent and is looked up before any retry.
REFUSED = (stripe.InvalidRequestError, stripe.CardError)


def _not_ready(entry: LedgerEntry) -> str | None:
    """Why a planned row cannot be sent yet (it stays planned), or None."""
    if entry.kind == TRANSFER:
        shop = entry.order.shop
        if not (shop.stripe_account_id and shop.payouts_enabled):
            return f"shop {shop.slug} cannot receive payouts yet"
    elif entry.kind != REFUND and (entry.parent is None or entry.parent.status != SUCCEEDED):
        return "waiting for its transfer to be confirmed by Stripe"
    return None


def request_for(entry: LedgerEntry) -> dict:
    """The parameters sent with the row's key: always the same for one row."""
    order = entry.order
    metadata = {
        "order_id": str(order.id),
        "ledger_id": str(entry.id),
        "ledger_key": entry.idempotency_key,
    }
    if entry.kind == REFUND:
        return {
            "payment_intent": order.checkout.stripe_payment_intent_id,
            "amount": entry.amount_cents,
            "metadata": metadata,
        }
    if entry.kind == TRANSFER:
        return {
            "amount": entry.amount_cents,
            "currency": "eur",
            "destination": order.shop.stripe_account_id,
            "source_transaction": order.checkout.stripe_charge_id,
            "transfer_group": transfer_group(order.checkout),
            "metadata": metadata,
        }
    return {"amount": entry.amount_cents, "metadata": metadata}


def _create(client: stripe.StripeClient, kind: str, parent_id: str | None, params, key: str):
    options: stripe.RequestOptions = {"idempotency_key": key}
    if kind == REFUND:
        return client.v1.refunds.create(params=params, options=options)
    if kind == TRANSFER:
        return client.v1.transfers.create(params=params, options=options)
    return client.v1.transfers.reversals.create(str(parent_id), params=params, options=options)


def _find(client: stripe.StripeClient, kind: str, parent_id: str | None, params, key: str):
    """The object an earlier call with `key` made at Stripe, or None."""
    listed: stripe.ListObject
    if kind == REFUND:
        listed = client.v1.refunds.list(params={"payment_intent": params["payment_intent"]})
    elif kind == TRANSFER:
        listed = client.v1.transfers.list(
            params={
                "transfer_group": params["transfer_group"],
                "destination": params["destination"],
            }
        )
    else:
        listed = client.v1.transfers.reversals.list(str(parent_id))
    for found in listed.auto_paging_iter():
        metadata = getattr(found, "metadata", None)  # a StripeObject, not a dict
        if metadata is not None and metadata.to_dict().get("ledger_key") == key:
            return found
    return None


def release_refund(entry: LedgerEntry) -> None:
    """Give a refused refund's amount back to what the order can still refund."""
    db.session.execute(
        update(Order)
        .where(Order.id == entry.order_id, Order.refunded_cents >= entry.amount_cents)
        .values(refunded_cents=Order.refunded_cents - entry.amount_cents)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(entry.order, ["refunded_cents"])


def _record_success(entry: LedgerEntry, stripe_id: str) -> None:
    move_entry(entry, SUCCEEDED, stripe_id=stripe_id)
    if entry.kind == TRANSFER and entry.order.transfer_id is None:
        entry.order.transfer_id = stripe_id


def _record_refusal(entry: LedgerEntry, error: str) -> None:
    move_entry(entry, FAILED, error=error)
    if entry.kind == REFUND:
        release_refund(entry)


def send_entry(entry_id: int) -> LedgerEntry | None:
    """Carry out one row at Stripe and commit its outcome; Stripe's errors are recorded, not raised."""
    entry = db.session.get(LedgerEntry, entry_id)
    if entry is None or entry.status in (SUCCEEDED, FAILED):
        return entry
    if entry.status == PLANNED:
        if entry.kind != TRANSFER and entry.parent is not None and entry.parent.status == FAILED:
            move_entry(entry, FAILED, error="its transfer failed: nothing to take back")
            db.session.commit()
            return entry
        problem = _not_ready(entry)
        if problem:
            entry.error, entry.attempts = problem, entry.attempts + 1
            db.session.commit()
            return entry
    try:
        client = get_client()
    except PaymentsUnavailable as error:
        entry.error = str(error)[:500]
        db.session.commit()
        return entry
    kind, key, params = entry.kind, entry.idempotency_key, request_for(entry)
    parent_id = entry.parent.stripe_id if entry.parent is not None else None
    looked_up = entry.status == SENT
    if not looked_up:
        try:
            move_entry(entry, SENT)
        except InvalidLedgerTransition:
            db.session.rollback()  # another worker took it
            return db.session.get_one(LedgerEntry, entry_id)
    entry.attempts += 1
    db.session.commit()  # the row says "sent" before the call; no transaction stays open
    try:
        found = _find(client, kind, parent_id, params, key) if looked_up else None
        result = found or _create(client, kind, parent_id, params, key)
    except REFUSED as error:
        entry = db.session.get_one(LedgerEntry, entry_id)
        _record_refusal(entry, str(error))
        current_app.logger.warning("Ledger entry %s (%s) refused: %s", entry_id, kind, error)
        db.session.commit()
        return entry
    except StripeError as error:
        entry = db.session.get_one(LedgerEntry, entry_id)
        entry.error = str(error)[:500]
        current_app.logger.warning("Ledger entry %s (%s) unconfirmed: %s", entry_id, kind, error)
        db.session.commit()
        return entry
    entry = db.session.get_one(LedgerEntry, entry_id)
    if entry.status == SENT:  # another worker may have recorded the same answer meanwhile
        _record_success(entry, result["id"])
    db.session.commit()
    return entry
