"""Stripe's webhook endpoint and the page the resident comes back to after paying."""

from __future__ import annotations

import time

from flask import (
    Blueprint,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _

from marketplace.cart import storage
from marketplace.cart.services import put_back
from marketplace.db import utcnow
from marketplace.extensions import csrf, db
from marketplace.orders.checkout_messages import counter_part_stands
from marketplace.orders.guest_access import own_checkout  # mine, or a guest one this browser holds
from marketplace.orders.models import CHECKOUT_OPEN, ONLINE, Checkout
from marketplace.outside_time import note_outside_call
from marketplace.rate_limits import may_read_payment
from payments.client import PaymentsUnavailable
from payments.returning import settle_from_stripe
from payments.sessions import CheckoutClosed, abandon_checkout, start_online_payment
from payments.webhook import receive_event

bp = Blueprint("payments", __name__)


@bp.post("/payments/stripe/webhook")
@csrf.exempt  # Stripe signs its requests instead; the signature is checked on the raw body
def stripe_webhook():
    """Receive a Stripe event: verify its signature, apply it once, acknowledge it."""
    receipt = receive_event(request.get_data(), request.headers.get("Stripe-Signature", ""))
    return jsonify(receipt.body), receipt.status


@bp.get("/checkout/<int:checkout_id>/return")
def checkout_return(checkout_id: int):
    """Show the true state of a payment, read from our database (never from the URL)."""
    checkout = own_checkout(checkout_id)
    waiting = checkout.awaits_payment and checkout.method == ONLINE
    # Stripe's answer first (its webhook may come later than the resident), then the webhook.
    if waiting and not (may_read_payment(checkout.id) and settle_from_stripe(checkout)):
        wait_for_payment(checkout, current_app.config["PAYMENT_RETURN_WAIT_SECONDS"])
    return render_template("payments/return.html", checkout=checkout)


def wait_for_payment(checkout: Checkout, seconds: float) -> None:
    """Re-read the checkout in short steps until the webhook settles it or `seconds` pass."""
    # Stripe sends the resident back and its webhook at the same moment: waiting briefly here
    # shows "paid" at once most of the time; the page refreshes itself otherwise. The webhook
    # is usually a few milliseconds behind: the first re-reads come quickly (one primary-key
    # read each), then further apart, so a late webhook costs no more reads than before.
    started = time.monotonic()
    deadline = started + seconds
    step = FIRST_STEP_SECONDS
    while checkout.awaits_payment and time.monotonic() < deadline:
        time.sleep(min(step, max(deadline - time.monotonic(), 0)))
        step = min(step * 2, LAST_STEP_SECONDS)
        db.session.rollback()  # end the read transaction: the next read sees the webhook's commit
    if seconds > 0:  # the wait is Stripe's (its webhook), not ours: said apart in the logs
        note_outside_call("stripe-webhook", time.monotonic() - started)


FIRST_STEP_SECONDS = 0.01  # 10, 20, 40, 80, 160, then 200 ms between reads
LAST_STEP_SECONDS = 0.2


@bp.get("/checkout/<int:checkout_id>/pay")
def resume_payment(checkout_id: int):
    """Go to the Stripe page of my unpaid checkout (the same session however often I come)."""
    checkout = own_checkout(checkout_id)
    back = url_for("payments.checkout_return", checkout_id=checkout.id)
    if checkout.method != ONLINE or checkout.status != CHECKOUT_OPEN or checkout.paid_at:
        return redirect(back, 303)
    try:
        pay_url = start_online_payment(checkout)
    except PaymentsUnavailable:
        return _stripe_unreachable(back)
    db.session.commit()
    return redirect(pay_url, 303)


def _stripe_unreachable(back: str):
    db.session.rollback()
    flash(
        _("The payment service cannot be reached. Nothing was charged; try again later."),
        "error",
    )
    return redirect(back, 303)


def closed_message(error: CheckoutClosed) -> str:
    """Say in the resident's words why a checkout can no longer be cancelled."""
    return {
        CheckoutClosed.PAID: _("This order is already paid: the payment cannot be cancelled."),
        CheckoutClosed.CONFIRMED: _("This order is already confirmed, to be paid at pickup."),
    }.get(error.state, _("This payment is already cancelled; nothing was charged."))


@bp.post("/checkout/<int:checkout_id>/abandon")
def abandon(checkout_id: int):
    """Give up an unpaid checkout: the stock goes back and the products return to the cart."""
    return give_up(own_checkout(checkout_id))


@bp.get("/checkout/<int:checkout_id>/cancelled")
def cancelled_on_stripe(checkout_id: int):
    """Come back from Stripe's "back" link: give the checkout up and show the cart again."""
    # A GET because Stripe's cancel_url is a plain link; it only gives up my own unpaid checkout.
    return give_up(own_checkout(checkout_id))


def give_up(checkout: Checkout):
    """Abandon `checkout`, put its products back in the cart, and show the cart (or say why not)."""
    back = url_for("payments.checkout_return", checkout_id=checkout.id)
    try:
        given_up = abandon_checkout(checkout, utcnow())
    except PaymentsUnavailable:
        return _stripe_unreachable(back)
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
    if checkout.counter_part is not None:  # a mixed cart: the shops paid at the counter stand
        flash(counter_part_stands(checkout.counter_part.orders), "info")
    if left_out:
        flash(_("Some products of this order are no longer sold."), "info")
    return redirect(url_for("cart.show"), 303)
