"""The Stripe client, built from configuration: real Stripe, or the offline emulator."""

from __future__ import annotations

import time
from typing import Any

import stripe
from flask import current_app

from marketplace.orders.checkout import PaymentServiceUnavailable
from marketplace.outside_time import note_outside_call

# Stripe errors that mean "we could not talk to Stripe": nothing was charged by this call.
UNREACHABLE = (stripe.APIConnectionError, stripe.RateLimitError)
StripeError = stripe.StripeError
# The longest a TCP connect to Stripe may take, whatever the budget (it is quick when Stripe is up).
MAX_CONNECT_SECONDS = 2.0


class PaymentsUnavailable(PaymentServiceUnavailable):
    """Online payment is not configured, or Stripe cannot be reached right now."""


def is_configured() -> bool:
    """True when a secret key is set (real Stripe, or the emulator's test key)."""
    return bool(current_app.config.get("STRIPE_SECRET_KEY"))


def retry_pauses(retries: int) -> float:
    """The longest the stripe SDK sleeps between attempts over `retries` retries, in seconds."""
    first, longest = stripe.HTTPClient.INITIAL_DELAY, stripe.HTTPClient.MAX_DELAY
    # The SDK doubles the pause each time (capped), and jitters it down, never below the first.
    return sum(max(first, min(first * 2 ** (n - 1), longest)) for n in range(1, retries + 1))


def call_timeouts(budget: float, retries: int, read_cap: float) -> tuple[float, float]:
    """(connect, read) timeouts so that a call, its retries and their pauses fit in `budget` s.

    A hung Stripe costs each attempt at most connect + read; the attempts and the SDK's
    pauses between them then add up to the budget, kept well under the worker timeout.
    """
    per_attempt = (budget - retry_pauses(retries)) / (retries + 1)
    if per_attempt < 0.2:
        raise ValueError(
            f"STRIPE_TIME_BUDGET_SECONDS={budget} is too short for {retries} network retries"
        )
    connect = min(MAX_CONNECT_SECONDS, per_attempt / 4)
    return connect, min(read_cap, per_attempt - connect)


class TimedRequestsClient(stripe.RequestsClient):
    """The SDK's HTTP client, adding each call's time (retries and pauses included) to the request's."""

    def request_with_retries(self, *args, **kwargs):
        """Call Stripe as the SDK does; note how long the request waited for it."""
        started = time.perf_counter()
        try:
            return super().request_with_retries(*args, **kwargs)
        finally:
            note_outside_call("stripe", time.perf_counter() - started)


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
    retries = config["STRIPE_MAX_NETWORK_RETRIES"]
    timeouts = call_timeouts(
        config["STRIPE_TIME_BUDGET_SECONDS"], retries, config["STRIPE_TIMEOUT_SECONDS"]
    )
    client = stripe.StripeClient(
        config["STRIPE_SECRET_KEY"],
        http_client=TimedRequestsClient(timeout=timeouts),
        max_network_retries=retries,  # safe: every create carries an idempotency key
        **options,
    )
    current_app.extensions["vitrine.stripe"] = client
    return client
