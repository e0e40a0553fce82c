"""Paying a checkout online: one Stripe Checkout Session for the whole cart."""

from __future__ import annotations

from flask_babel import get_locale

from marketplace.orders.models import Checkout
from marketplace.urls import external_url
from payments.client import UNREACHABLE, PaymentsUnavailable, StripeError, get_client


def transfer_group(checkout: Checkout) -> str:
    """The Stripe transfer group that ties the payment to the shops' transfers."""
    return f"checkout-{checkout.id}"


def session_params(checkout: Checkout) -> dict:
    """The Checkout Session for `checkout`: a line per product, named with its shop."""
    line_items = [
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
    params = {
        "mode": "payment",
        "line_items": line_items,
        "client_reference_id": str(checkout.id),
        "metadata": metadata,
        "payment_intent_data": {"transfer_group": transfer_group(checkout), "metadata": metadata},
        "success_url": external_url("payments.checkout_return", checkout_id=checkout.id),
        "cancel_url": external_url("payments.checkout_return", checkout_id=checkout.id),
        "expires_at": int(checkout.expires_at.timestamp()),
        "locale": "en" if str(get_locale() or "fr").startswith("en") else "fr",
    }
    if checkout.customer is not None:
        params["customer_email"] = checkout.customer.email
    return params


def start_online_payment(checkout: Checkout) -> str:
    """Create (or find again) the checkout's Stripe session; return the URL to send the resident to.

    Call it on a committed checkout: no row lock may be held while Stripe answers (the client
    gives up within STRIPE_TIME_BUDGET_SECONDS). The session id is set on the checkout; the
    caller commits it. The idempotency key is derived from the checkout, so a retry after a
    network error, or a second submission of the checkout form, returns the same session
    instead of creating a second payment. It includes the creation time because an id alone
    comes back: a reset database starts again at 1.
    """
    key = f"vitrine-checkout-{checkout.id}-{checkout.created_at:%Y%m%d%H%M%S%f}-session"
    params = session_params(checkout)  # read before the call: the call itself holds no lock
    try:
        session = get_client().v1.checkout.sessions.create(
            params=params, options={"idempotency_key": key}
        )
    except UNREACHABLE as exc:
        raise PaymentsUnavailable(str(exc)) from exc
    except StripeError as exc:
        raise PaymentsUnavailable(str(exc)) from exc
    checkout.stripe_session_id = session.id
    return session.url


def start_checkout_payment(checkout: Checkout) -> str:
    """Start paying a just-committed checkout; if Stripe fails, expire it and raise.

    On PaymentsUnavailable nothing was charged (no session reached the resident) and the
    checkout's orders are expired in the session, their stock back: the caller commits that.
    """
    try:
        return start_online_payment(checkout)
    except PaymentsUnavailable:
        give_up_unstarted_payment(checkout)
        raise


def give_up_unstarted_payment(checkout: Checkout) -> None:
    """Expire a checkout whose payment never started, so its stock and slots go back now."""
    # The checkout has no session id here, so this does not call (hung) Stripe. The one call
    # to the checkout expiry of this path: it becomes
    # expire_checkout(checkout, "payment service unavailable") once that exists.
    abandon_checkout(checkout)


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
