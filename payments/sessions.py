"""Paying a checkout online: one Stripe Checkout Session for the whole cart."""

from __future__ import annotations

from flask_babel import get_locale
from stripe.params.checkout import SessionCreateParams, SessionCreateParamsLineItem

from marketplace.orders.models import Checkout
from marketplace.urls import external_url
from payments.client import UNREACHABLE, PaymentsUnavailable, StripeError, get_client


def transfer_group(checkout: Checkout) -> str:
    """The Stripe transfer group that ties the payment to the shops' transfers."""
    return f"checkout-{checkout.id}"


def session_params(checkout: Checkout) -> SessionCreateParams:
    """The Checkout Session for `checkout`: a line per product, named with its shop."""
    line_items: list[SessionCreateParamsLineItem] = [
        {
            "price_data": {
                "currency": "eur",
                "unit_amount": line.unit_price_cents,
                "product_data": {"name": f"{line.name} — {order.shop.name}"},
            },
            "quantity": line.quantity,
        }
        for order in checkout.orders
        for line in order.lines
    ]
    metadata = {"checkout_id": str(checkout.id)}
    params: SessionCreateParams = {
        "mode": "payment",
        "line_items": line_items,
        "client_reference_id": str(checkout.id),
        "metadata": metadata,
        "payment_intent_data": {"transfer_group": transfer_group(checkout), "metadata": metadata},
        "success_url": external_url("payments.checkout_return", checkout_id=checkout.id),
        "cancel_url": external_url("payments.checkout_return", checkout_id=checkout.id),
        "locale": "en" if str(get_locale() or "fr").startswith("en") else "fr",
    }
    if checkout.expires_at is not None:  # always set by place_checkout
        params["expires_at"] = int(checkout.expires_at.timestamp())
    if checkout.customer is not None:
        params["customer_email"] = checkout.customer.email
    return params


def start_online_payment(checkout: Checkout) -> str:
    """Create (or find again) the checkout's Stripe session; return the URL to send the resident to.

    The idempotency key is derived from the checkout, so a retry after a network error
    returns the same session instead of creating a second payment. It includes the creation
    time because an id alone comes back: a checkout rolled back after a timeout leaves its id
    free (SQLite reuses it), and a reset database starts again at 1.
    """
    key = f"vitrine-checkout-{checkout.id}-{checkout.created_at:%Y%m%d%H%M%S%f}-session"
    try:
        session = get_client().v1.checkout.sessions.create(
            params=session_params(checkout), options={"idempotency_key": key}
        )
    except UNREACHABLE as exc:
        raise PaymentsUnavailable(str(exc)) from exc
    except StripeError as exc:
        raise PaymentsUnavailable(str(exc)) from exc
    checkout.stripe_session_id = session.id
    if session.url is None:  # only embedded sessions have none; ours are hosted
        raise PaymentsUnavailable("the payment session has no page to pay on")
    return session.url


def abandon_checkout(checkout: Checkout) -> None:
    """Expire the unpaid Stripe session and our orders (stock back); raise if Stripe is unreachable."""
    from marketplace.orders.models import CHECKOUT_EXPIRED, CHECKOUT_OPEN
    from marketplace.orders.status import (
        EXPIRED,
        PENDING_PAYMENT,
        InvalidTransition,
        transition_order,
    )

    if checkout.status != CHECKOUT_OPEN or checkout.paid_at is not None:
        return
    if checkout.stripe_session_id:
        try:
            session = get_client().v1.checkout.sessions.expire(checkout.stripe_session_id)
        except UNREACHABLE as exc:
            raise PaymentsUnavailable(str(exc)) from exc
        except StripeError:
            session = get_client().v1.checkout.sessions.retrieve(checkout.stripe_session_id)
        if session["payment_status"] == "paid":
            return  # paid meanwhile: the webhook will confirm the orders
    for order in checkout.orders:
        if order.status == PENDING_PAYMENT:
            try:
                transition_order(order, EXPIRED, checkout.customer_id, "payment abandoned")
            except InvalidTransition as error:
                if error.current != EXPIRED:
                    raise
                # Stripe's checkout.session.expired webhook got there first: same outcome.
    checkout.status = CHECKOUT_EXPIRED
