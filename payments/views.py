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
from marketplace.extensions import csrf, db
from marketplace.orders import emails
from marketplace.orders.models import CHECKOUT_OPEN, ONLINE, Checkout
from payments.client import PaymentsUnavailable
from payments.events import apply_event
from payments.ledger import execute_and_commit
from payments.models import StripeEvent
from payments.sessions import abandon_checkout, start_online_payment
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


@bp.get("/checkout/<int:checkout_id>/pay")
@login_required
def resume_payment(checkout_id: int):
    """Go to the Stripe page of my unpaid checkout (the same session however often I come)."""
    checkout = get_own_checkout(checkout_id)
    back = url_for("payments.checkout_return", checkout_id=checkout.id)
    if checkout.method != ONLINE or checkout.status != CHECKOUT_OPEN or checkout.paid_at:
        return redirect(back, 303)
    try:
        pay_url = start_online_payment(checkout)
    except PaymentsUnavailable:
        db.session.rollback()
        flash(
            _("The payment service cannot be reached. Nothing was charged; try again later."),
            "error",
        )
        return redirect(back, 303)
    db.session.commit()
    return redirect(pay_url, 303)


@bp.post("/checkout/<int:checkout_id>/abandon")
@login_required
def abandon(checkout_id: int):
    """Give up an unpaid checkout: the stock goes back and the products return to the cart."""
    checkout = get_own_checkout(checkout_id)
    try:
        abandon_checkout(checkout)
    except PaymentsUnavailable:
        db.session.rollback()
        flash(
            _("The payment service cannot be reached. Nothing was charged; try again later."),
            "error",
        )
        return redirect(url_for("payments.checkout_return", checkout_id=checkout.id), 303)
    items = storage.load_items()
    for order in checkout.orders:
        for line in order.lines:
            if line.product_id is not None:
                items[line.product_id] = items.get(line.product_id, 0) + line.quantity
    storage.save_items(items)
    db.session.commit()
    flash(_("The payment is cancelled; your products are back in your cart."), "info")
    return redirect(url_for("cart.show"), 303)
