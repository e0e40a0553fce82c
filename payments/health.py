"""Is Stripe (or the emulator) reachable with our key? Asked by the readiness probe."""

from __future__ import annotations

from typing import Any

import stripe
from flask import current_app


def check_stripe(timeout: float) -> str:
    """Return "ok", or "not configured" without a key; raise RuntimeError when unreachable."""
    config = current_app.config
    if not config.get("STRIPE_SECRET_KEY"):
        return "not configured"
    options: dict[str, Any] = {}
    if config.get("STRIPE_API_BASE"):
        options["base_addresses"] = {"api": config["STRIPE_API_BASE"]}
    # A client of its own: short timeout and no retries, the probe must answer quickly.
    client = stripe.StripeClient(
        config["STRIPE_SECRET_KEY"],
        http_client=stripe.RequestsClient(timeout=timeout),
        max_network_retries=0,
        **options,
    )
    try:
        client.v1.balance.retrieve()
    except stripe.AuthenticationError as error:
        raise RuntimeError("Stripe refused the secret key") from error
    except (stripe.APIConnectionError, stripe.RateLimitError) as error:
        raise RuntimeError(f"Stripe unreachable: {error.user_message or error}") from error
    except stripe.StripeError:
        pass  # Stripe answered (e.g. an emulator without this endpoint): it is reachable
    return "ok"
