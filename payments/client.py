"""The Stripe client, built from configuration: real Stripe, or the offline emulator."""

from __future__ import annotations

from typing import Any

import stripe
from flask import current_app

from marketplace.orders.checkout import PaymentServiceUnavailable

# Stripe errors that mean "we could not talk to Stripe": nothing was charged by this call.
UNREACHABLE = (stripe.APIConnectionError, stripe.RateLimitError)
StripeError = stripe.StripeError


class PaymentsUnavailable(PaymentServiceUnavailable):
    """Online payment is not configured, or Stripe cannot be reached right now."""


def is_configured() -> bool:
    """True when a secret key is set (real Stripe, or the emulator's test key)."""
    return bool(current_app.config.get("STRIPE_SECRET_KEY"))


def get_client() -> stripe.StripeClient:
    """Return a StripeClient for this app (cached on the app, it is thread-safe)."""
    cached = current_app.extensions.get("vitrine.stripe")
    if cached is not None:
        return cached
    config = current_app.config
    if not config.get("STRIPE_SECRET_KEY"):
        raise PaymentsUnavailable("STRIPE_SECRET_KEY is not set")
    options: dict[str, Any] = {}
    if config.get("STRIPE_API_BASE"):
        options["base_addresses"] = {"api": config["STRIPE_API_BASE"]}
    client = stripe.StripeClient(
        config["STRIPE_SECRET_KEY"],
        http_client=stripe.RequestsClient(timeout=config["STRIPE_TIMEOUT_SECONDS"]),
        max_network_retries=2,  # safe: every create carries an idempotency key
        **options,
    )
    current_app.extensions["vitrine.stripe"] = client
    return client
