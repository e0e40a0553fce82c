"""Stripe's webhook endpoint and the page the resident comes back to after paying."""

from __future__ import annotations

import stripe
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError

from marketplace.cart import storage
from marketplace.cart.services import put_back
from marketplace.db import utcnow
from marketplace.extensions import csrf, db
from marketplace.orders import emails
from marketplace.orders.models import Checkout
from payments.client import PaymentsUnavailable
from payments.events import apply_event
from payments.ledger import execute_and_commit
from payments.models import StripeEvent
from payments.sessions import CheckoutClosed, abandon_checkout
from payments.signals import stripe_event_applied

bp = Blueprint("payments", __name__)

SIGNATURE_TOLERANCE_SECONDS = 300


def _bad_request(message: str):
    return jsonify({"error": {"code": 400, "message": message, "details": {}}}), 400


def verified_event(payload: bytes, header: str, secrets: list[str]) -> stripe.Event:
    """The event signed with one of `secrets`; raise SignatureVerificationError otherwise.

    Stripe signs each endpoint with its own secret: the platform endpoint and the Connect
    endpoint (account.updated) have one each, and rolling a secret keeps the old one a while.
    """
    for secret in secrets[:-1]:
        try:
            return stripe.Webhook.construct_event(
                payload, header, secret, tolerance=SIGNATURE_TOLERANCE_SECONDS
            )
        except stripe.SignatureVerificationError:
            continue
    return stripe.Webhook.construct_event(
        payload, header, secrets[-1], tolerance=SIGNATURE_TOLERANCE_SECONDS
    )


@bp.post("/payments/stripe/webhook")
@csrf.exempt  # Stripe signs its requests instead; the signature is checked on the raw body
def stripe_webhook():
    """Receive a Stripe event: verify its signature, apply it once, acknowledge it."""
    secrets = (current_app.config.get("STRIPE_WEBHOOK_SECRET") or "").split(",")
    secrets = [s.strip() for s in secrets if s.strip()]
    if not secrets:
        return _bad_request("webhooks are not configured")
    try:
        event = verified_event(
            request.get_data(), request.headers.get("Stripe-Signature", ""), secrets
        )
    except (ValueError, stripe.SignatureVerificationError):
        return _bad_request("invalid signature or payload")
    if db.session.get(StripeEvent, event["id"]) is not None:
        return jsonify({"status": "already applied"})
    record = StripeEvent(event_id=event["id"], type=event["type"])
    db.session.add(record)
    try:
        db.session.flush()  # claims the event id first: a concurrent twin waits here, then fails
        outcome = apply_event(event["type"], event["data"]["object"])
        record.outcome = outcome.summary[:200]
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return jsonify({"status": "already applied"})
    for order in outcome.confirmed:
        emails.send_order_confirmed(order)
    execute_and_commit(outcome.refunds)
    stripe_event_applied.send(
        current_app._get_current_object(),
        event_id=event["id"],
        event_type=event["type"],
        object_id=getattr(event["data"]["object"], "id", None),
        outcome=outcome.summary,
    )
    return jsonify({"status": "applied", "outcome": outcome.summary})


def get_own_checkout(checkout_id: int) -> Checkout:
    """Return the current resident's checkout; anyone else's is a 404."""
    checkout = db.session.get(Checkout, checkout_id)
    if checkout is None or checkout.customer_id != current_user.id:
        abort(404)
    return checkout


@bp.get("/checkout/<int:checkout_id>/return")
@login_required
def checkout_return(checkout_id: int):
    """Show the true state of a payment, read from our database (never from the URL)."""
    checkout = get_own_checkout(checkout_id)
    return render_template("payments/return.html", checkout=checkout)


def closed_message(error: CheckoutClosed) -> str:
    """Say in the resident's words why a checkout can no longer be cancelled."""
    return {
        CheckoutClosed.PAID: _("This order is already paid: the payment cannot be cancelled."),
        CheckoutClosed.CONFIRMED: _("This order is already confirmed, to be paid at pickup."),
    }.get(error.state, _("This payment is already cancelled; nothing was charged."))


@bp.post("/checkout/<int:checkout_id>/abandon")
@login_required
def abandon(checkout_id: int):
    """Give up an unpaid checkout: the stock goes back and the products return to the cart."""
    checkout = get_own_checkout(checkout_id)
    back = url_for("payments.checkout_return", checkout_id=checkout.id)
    try:
        given_up = abandon_checkout(checkout, utcnow())
    except PaymentsUnavailable:
        db.session.rollback()
        flash(
            _("The payment service cannot be reached. Nothing was charged; try again later."),
            "error",
        )
        return redirect(back, 303)
    except CheckoutClosed as error:
        db.session.rollback()
        flash(closed_message(error), "error")
        return redirect(back, 303)
    items = storage.load_items()
    # Only what this request gave up: a second click gets CheckoutClosed and adds nothing.
    left_out = put_back(items, [(ln.product, ln.quantity) for o in given_up for ln in o.lines])
    storage.save_items(items)
    db.session.commit()
    flash(_("The payment is cancelled; your products are back in your cart."), "info")
    if left_out:
        flash(_("Some products of this order are no longer sold."), "info")
    return redirect(url_for("cart.show"), 303)
