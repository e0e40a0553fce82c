"""Delivering a Stripe event to the live town ourselves, signed as Stripe signs it."""

from __future__ import annotations

import json

import requests
import stripe

from marketplace.extensions import db
from tests.payments.town import WEBHOOK_SECRET


def deliver(town, event: dict) -> dict:
    """POST `event` to the town's webhook endpoint, signed; return the app's JSON answer."""
    payload = json.dumps(event)
    header = stripe.WebhookSignature.generate_signature_header(payload, WEBHOOK_SECRET)
    response = requests.post(
        f"{town.url}/payments/stripe/webhook",
        data=payload,
        headers={"Stripe-Signature": header, "Content-Type": "application/json"},
        timeout=15,
    )
    assert response.status_code == 200, response.text
    db.session.expire_all()
    return response.json()
