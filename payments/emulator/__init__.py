"""Offline Stripe emulator: localstripe extended with Checkout, Connect, transfers and webhooks.

A development and test tool only: `python -m payments.emulator` serves the Stripe API over HTTP so
that the official stripe SDK can be pointed at it when no real STRIPE_SECRET_KEY is configured.
See docs/stripe-emulator.md.
"""
