"""Plugging payments into the app: the online-payment starter that orders calls through its seam."""

from __future__ import annotations

from flask import Flask

from marketplace.orders.payment import register_payment_starter


def init_payments(app: Flask) -> None:
    """Register Stripe Checkout as the app's payment starter when Stripe keys are configured."""
    from payments.sessions import start_checkout_payment

    if app.config.get("STRIPE_SECRET_KEY"):
        register_payment_starter(app, start_checkout_payment)
