"""Receiving one Stripe webhook: verify, read fresh state, apply once, then act after commit."""

from __future__ import annotations

from dataclasses import dataclass

import stripe
from flask import current_app
from sqlalchemy.exc import IntegrityError

from marketplace.extensions import db
from marketplace.orders import emails
from payments import dispute_notices, money_jobs
from payments.events import apply_event, fetch_fresh
from payments.incoming import Incoming, MalformedEvent, Outcome, incoming_from, parse_body
from payments.models import StripeEvent
from payments.signals import stripe_event_applied

SIGNATURE_TOLERANCE_SECONDS = 300


@dataclass
class Receipt:
    """The answer to give Stripe: HTTP status and a short JSON body."""

    status: int
    body: dict


def _refused(message: str) -> Receipt:
    return Receipt(400, {"error": {"code": 400, "message": message, "details": {}}})


def verified_body(payload: bytes, header: str, secrets: list[str]) -> dict:
    """The event signed with one of `secrets`; raise SignatureVerificationError otherwise.

    Stripe signs each endpoint with its own secret: the platform endpoint and the Connect
    endpoint (account.updated) have one each, and rolling a secret keeps the old one a while.
    """
    error: Exception | None = None
    for secret in secrets:
        try:
            stripe.WebhookSignature.verify_header(
                payload,
                header,
                secret,
                tolerance=SIGNATURE_TOLERANCE_SECONDS,
            )
            return parse_body(payload)
        except stripe.SignatureVerificationError as refused:
            error = refused
    raise error or stripe.SignatureVerificationError("no webhook secret", header)


def receive_event(payload: bytes, header: str) -> Receipt:
    """Verify a webhook's signature and shape, apply it once, and act on it after commit."""
    secrets = [
        s.strip() for s in (current_app.config.get("STRIPE_WEBHOOK_SECRET") or "").split(",")
    ]
    secrets = [s for s in secrets if s]
    if not secrets:
        return _refused("webhooks are not configured")
    try:
        event = incoming_from(verified_body(payload, header, secrets))
    except stripe.SignatureVerificationError:
        return _refused("invalid signature")
    except MalformedEvent as error:
        return _refused(f"invalid payload: {error}")
    outcome = apply_once(event)
    if outcome is None:
        return Receipt(200, {"status": "already applied"})
    return Receipt(200, {"status": "applied", "outcome": outcome.summary})


def apply_once(event: Incoming, note: str = "") -> Outcome | None:
    """Apply an event unless it was already; act on it after the commit (None: already applied)."""
    if db.session.get(StripeEvent, event.id) is not None:
        return None
    db.session.rollback()  # no transaction stays open while Stripe is asked below
    fetch_fresh(event)
    record = StripeEvent(event_id=event.id, type=event.type)
    db.session.add(record)
    try:
        db.session.flush()  # claims the event id first: a concurrent twin waits here, then fails
        outcome = apply_event(event, current_app.config.get("STRIPE_SECRET_KEY"))
        record.outcome = f"{note}{outcome.summary}"[:200]
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return None
    _after_commit(event, outcome)
    return outcome


def _after_commit(event: Incoming, outcome: Outcome) -> None:
    for order in outcome.confirmed:
        emails.send_order_confirmed(order)
    # Stripe is called by the jobs worker, not while Stripe waits for our answer.
    if outcome.refunds:
        money_jobs.send_ledger_entries.delay(outcome.refunds)
    if outcome.disputes:
        money_jobs.settle_disputes.delay(outcome.disputes)
    if outcome.notices:
        dispute_notices.send_dispute_notices.delay(outcome.notices)
    stripe_event_applied.send(
        current_app._get_current_object(),  # type: ignore[attr-defined]  # current_app is a proxy typed as Flask
        event_id=event.id,
        event_type=event.type,
        object_id=event.obj.get("id"),
        outcome=outcome.summary,
    )
