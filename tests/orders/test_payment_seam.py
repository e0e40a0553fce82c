"""The online-payment seam: orders calls the starter payments registered, never payments itself."""

from __future__ import annotations

import pytest

from marketplace.orders.checkout import PaymentServiceUnavailable
from marketplace.orders.payment import (
    online_payment_available,
    payment_starter,
    register_payment_starter,
    start_online_payment,
)
from payments.setup import init_payments


def test_without_stripe_keys_online_payment_is_not_offered(app):
    assert not app.config.get("STRIPE_SECRET_KEY")
    assert not online_payment_available()
    with pytest.raises(PaymentServiceUnavailable):
        start_online_payment(checkout=None)


def test_payments_registers_stripe_checkout_as_the_starter_when_keys_are_set(app):
    app.config["STRIPE_SECRET_KEY"] = "sk_test_seam"
    init_payments(app)
    assert online_payment_available()
    assert payment_starter().__module__ == "payments.sessions"  # Stripe Checkout Sessions


def test_orders_sends_the_resident_where_the_registered_starter_says(app):
    register_payment_starter(app, lambda checkout: f"https://pay.example/{checkout}")
    assert start_online_payment("c42") == "https://pay.example/c42"
