"""Paying a checkout online: one Stripe Checkout Session for the whole cart."""

from __future__ import annotations

from datetime import datetime

from flask_babel import get_locale
from flask_babel import gettext as _
from stripe.params.checkout import SessionCreateParams, SessionCreateParamsLineItem

from marketplace.campaigns.order_hooks import charged_cents
from marketplace.money import format_money
from marketplace.orders.models import CHECKOUT_COMPLETED, Checkout, Order
from marketplace.orders.operations import expire_checkout
from marketplace.orders.reasons import PAYMENT_ABANDONED, PAYMENT_UNAVAILABLE
from marketplace.orders.status import InvalidTransition
from marketplace.urls import external_url
from payments.client import UNREACHABLE, PaymentsUnavailable, StripeError, get_client
from payments.keys import idempotency_prefix


def transfer_group(checkout: Checkout) -> str:
    """The Stripe transfer group that ties the payment to the shops' transfers."""
    return f"checkout-{checkout.id}"


def _order_items(order: Order) -> list[SessionCreateParamsLineItem]:
    """A line per product; one line for the resident's part when the town pays some of it.

    Stripe takes no negative line, so an order the town helps pay is one line of what is left
    (the products and the town's part are on the order page and in the emails).
    """
    charged = charged_cents(order)
    if charged == order.total_cents:
        return [
            {
                "price_data": {
                    "currency": "eur",
                    "unit_amount": line.unit_price_cents,
                    "product_data": {"name": f"{line.name} — {order.shop.name}"},
                },
                "quantity": line.quantity,
            }
            for line in order.lines
        ]
    town = format_money(order.total_cents - charged, str(get_locale() or "fr"))
    name = _(
        "Order #%(id)s at %(shop)s, less %(town)s paid by the town",
        id=order.id,
        shop=order.shop.name,
        town=town,
    )
    return [
        {
            "price_data": {
                "currency": "eur",
                "unit_amount": charged,
                "product_data": {"name": name},
            },
            "quantity": 1,
        }
    ]


def session_params(checkout: Checkout) -> SessionCreateParams:
    """The Checkout Session for `checkout`: what the resident pays, a line per product or order."""
    line_items = [
        item
        for order in checkout.orders
        if charged_cents(order) > 0
        for item in _order_items(order)
    ]
    metadata = {"checkout_id": str(checkout.id)}
    params: SessionCreateParams = {
        "mode": "payment",
        # Immediate methods only (cards, and the wallets that ride on them): a delayed method
        # (SEPA debit, bank transfer) would confirm days after the stock and the pickup slot
        # were reserved, which click-and-collect cannot hold (docs/payments.md).
        "allowed_payment_method_types": ["card"],
        "line_items": line_items,
        "client_reference_id": str(checkout.id),
        "metadata": metadata,
        "payment_intent_data": {"transfer_group": transfer_group(checkout), "metadata": metadata},
        "success_url": external_url("payments.checkout_return", checkout_id=checkout.id),
        "cancel_url": external_url("payments.cancelled_on_stripe", checkout_id=checkout.id),
        "locale": "en" if str(get_locale() or "fr").startswith("en") else "fr",
    }
    if checkout.expires_at is not None:  # always set by place_checkout
        params["expires_at"] = int(checkout.expires_at.timestamp())
    if checkout.buyer is not None:  # the account's email, or the guest's
        params["customer_email"] = checkout.buyer.email
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
    stamp = f"{checkout.created_at:%Y%m%d%H%M%S%f}"
    key = f"{idempotency_prefix()}-checkout-{checkout.id}-{stamp}-session"
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
    if session.url is None:  # only embedded sessions have none; ours are hosted
        raise PaymentsUnavailable("the payment session has no page to pay on")
    return session.url


def start_checkout_payment(checkout: Checkout) -> str:
    """Start paying a just-committed checkout; if Stripe fails, expire it and raise.

    On PaymentsUnavailable nothing was charged (no session reached the resident) and the
    checkout's orders are expired in the session, their stock back: the caller commits that.
    """
    try:
        return start_online_payment(checkout)
    except PaymentsUnavailable:
        expire_checkout(checkout, PAYMENT_UNAVAILABLE)
        raise


class CheckoutClosed(Exception):
    """The checkout cannot be given up any more; `state` says why: paid, confirmed or expired."""

    PAID = "paid"  # the money arrived (or is arriving: Stripe says the session is paid)
    CONFIRMED = "confirmed"  # accepted for payment at pickup
    EXPIRED = "expired"  # already given up, expired or failed: nothing was charged

    def __init__(self, state: str) -> None:
        super().__init__(state)
        self.state = state


def _closed_state(checkout: Checkout) -> str:
    if checkout.paid_at is not None:
        return CheckoutClosed.PAID
    if checkout.status == CHECKOUT_COMPLETED:
        return CheckoutClosed.CONFIRMED
    return CheckoutClosed.EXPIRED


def abandon_checkout(checkout: Checkout, now: datetime) -> list[Order]:
    """Expire the unpaid Stripe session and our orders (stock back); return the orders to put back.

    Raise CheckoutClosed when there is nothing left to give up (paid, at pickup, already
    given up: a second click), and PaymentsUnavailable if Stripe cannot be reached.
    """
    if not checkout.awaits_payment:
        raise CheckoutClosed(_closed_state(checkout))
    closed_page = checkout.stripe_session_id is not None and _expire_session(checkout, now)
    try:
        expired = expire_checkout(checkout, PAYMENT_ABANDONED, checkout.customer_id)
    except InvalidTransition as error:
        raise CheckoutClosed(CheckoutClosed.PAID) from error  # the payment won the race
    checkout.abandoned_at = now
    if closed_page:
        # This click closed the Stripe page, so its orders are this click's to put back, even
        # when the checkout.session.expired webhook that followed expired them first.
        return list(checkout.orders)
    if not expired:
        raise CheckoutClosed(CheckoutClosed.EXPIRED)  # another request expired them first
    return expired


def _expire_session(checkout: Checkout, now: datetime) -> bool:
    """Expire the checkout's Stripe session; True if this call did (Stripe lets only one do so)."""
    sessions = get_client().v1.checkout.sessions
    session_id = str(checkout.stripe_session_id)  # the caller checked there is one
    try:
        sessions.expire(session_id)
        return True
    except UNREACHABLE as exc:
        raise PaymentsUnavailable(str(exc)) from exc
    except StripeError:
        pass  # no longer open: paid, or expired already
    try:
        session = sessions.retrieve(session_id)
    except UNREACHABLE as exc:
        raise PaymentsUnavailable(str(exc)) from exc
    if session["payment_status"] == "paid":
        raise CheckoutClosed(CheckoutClosed.PAID)  # paid meanwhile: the webhook confirms
    if now.timestamp() < session["expires_at"]:
        # Not run out of time, so another click expired it a moment ago: that click puts back.
        raise CheckoutClosed(CheckoutClosed.EXPIRED)
    return False  # Stripe's page ran out of time with our reservation
