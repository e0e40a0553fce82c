"""The online-payment seam: how orders asks for a payment page without importing payments.

Dependencies point one way (orders <- payments): orders never imports payments. Instead,
payments registers a `PaymentStarter` here at start-up (`payments.setup.init_payments`, called
from `register_hooks` in marketplace/app.py), and only when Stripe keys are configured. Orders
then calls `start_online_payment(checkout)` for the URL where the resident pays, and
`online_payment_available()` to decide whether to offer paying online at all.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from flask import Flask, current_app

from marketplace.orders.checkout import PaymentServiceUnavailable

if TYPE_CHECKING:
    from marketplace.orders.models import Checkout

# Where the starter is kept: one per app, so two apps in one process (the tests) stay apart.
EXTENSION_KEY = "vitrine.start_online_payment"


class PaymentStarter(Protocol):
    """Open a payment for a placed checkout and return the URL to send the resident to.

    Raises PaymentServiceUnavailable (or a subclass) when the payment provider cannot be reached.
    """

    def __call__(self, checkout: Checkout) -> str: ...


def register_payment_starter(app: Flask, starter: PaymentStarter) -> None:
    """Make `starter` the way `app` takes online payments (called by payments at start-up)."""
    app.extensions[EXTENSION_KEY] = starter


def payment_starter() -> PaymentStarter | None:
    """The current app's payment starter, or None when online payment is not configured."""
    return current_app.extensions.get(EXTENSION_KEY)


def online_payment_available() -> bool:
    """Whether the current app can take online payment (a starter was registered)."""
    return payment_starter() is not None


def start_online_payment(checkout: Checkout) -> str:
    """Return the URL where the resident pays `checkout`, through the registered starter."""
    starter = payment_starter()
    if starter is None:
        raise PaymentServiceUnavailable("online payment is not configured")
    return starter(checkout)
