"""Building signed Stripe events from Stripe's own object shapes (tests/payments/fixtures)."""

from __future__ import annotations

import copy
import json
import time
from datetime import timedelta
from pathlib import Path

import pytest
import stripe

from marketplace.db import utcnow
from marketplace.extensions import db
from marketplace.orders.checkout import CheckoutRequest, place_checkout
from marketplace.orders.models import ONLINE
from tests.factories import make_product, make_shop, make_user

FIXTURES = Path(__file__).parent / "fixtures"
SECRET = "whsec_test_vitrine"
TZ = "Europe/Paris"


@pytest.fixture
def webhook_secret(app):
    """The app accepts events signed with SECRET (use it with pytest.mark.usefixtures)."""
    app.config["STRIPE_WEBHOOK_SECRET"] = SECRET


def statuses(checkout) -> list[str]:
    """The statuses of the checkout's orders, read again from the database."""
    db.session.expire_all()
    return [o.status for o in checkout.orders]


def shape(resource: str) -> dict:
    """A fresh copy of Stripe's sample object for `resource` (e.g. 'payment_intent')."""
    return copy.deepcopy(json.loads((FIXTURES / f"openapi_{resource}.json").read_text()))


def envelope(
    event_type: str, obj: dict, event_id: str, account: str | None = None, **fields
) -> dict:
    """Wrap `obj` in Stripe's event envelope (`account`: a connected account's event)."""
    event = shape("event")
    event.update({"id": event_id, "type": event_type, "created": int(time.time()), **fields})
    if account is not None:
        event["account"] = account
    event["data"] = {"object": obj}
    return event


def post_event(
    client, event: dict, secret: str = SECRET, timestamp: int | None = None, body: str | None = None
):
    """POST an event signed like Stripe does; `body` replaces the signed payload (tampering)."""
    payload = json.dumps(event)
    header = stripe.WebhookSignature.generate_signature_header(payload, secret, timestamp)
    return client.post(
        "/payments/stripe/webhook",
        data=body if body is not None else payload,
        headers={"Stripe-Signature": header, "Content-Type": "application/json"},
    )


def make_online_checkout(stock: int = 5, shops: int = 1):
    """A resident's unpaid online checkout with one order per shop, as the checkout page makes it."""
    resident = make_user("payer@example.org")
    items, slots, products = {}, {}, []
    for n in range(shops):
        shop = make_shop(name=f"Boutique {n}", slot_capacity=50, prep_minutes=0)
        shop.payouts_enabled = True
        shop.stripe_account_id = f"acct_test_{n}"
        product = make_product(shop, f"Produit {n}", 1000 + n * 250, stock=stock)
        from marketplace.orders.slots import pickup_slots_for

        slots[shop.id] = pickup_slots_for(shop, utcnow() + timedelta(days=1), TZ)[0].starts_at
        items[product.id] = 2
        products.append(product)
    db.session.commit()
    checkout = place_checkout(resident.id, CheckoutRequest(items, slots, ONLINE), utcnow(), TZ)
    checkout.stripe_session_id = f"cs_test_{checkout.id}"
    db.session.commit()
    return checkout, products


def session_object(checkout, status: str = "complete", paid: bool = True) -> dict:
    """A checkout.session object for our checkout."""
    session = shape("checkout.session")
    session.update(
        {
            "id": checkout.stripe_session_id,
            "amount_total": checkout.total_cents,
            "currency": "eur",
            "metadata": {"checkout_id": str(checkout.id)},
            "status": status,
            "payment_status": "paid" if paid else "unpaid",
            "payment_intent": f"pi_test_{checkout.id}",
        }
    )
    return session


def payment_intent_object(checkout, status: str = "succeeded", old_shape: bool = False) -> dict:
    """A payment_intent object for our checkout, in the current or the older (localstripe) shape."""
    intent = shape("payment_intent")
    intent.update(
        {
            "id": f"pi_test_{checkout.id}",
            "amount": checkout.total_cents,
            "amount_received": checkout.total_cents if status == "succeeded" else 0,
            "currency": "eur",
            "status": status,
            "metadata": {"checkout_id": str(checkout.id)},
            "transfer_group": f"checkout-{checkout.id}",
        }
    )
    if old_shape:
        charge = shape("charge")
        charge.update({"id": f"ch_test_{checkout.id}", "amount": checkout.total_cents})
        intent["latest_charge"] = charge
        intent["charges"] = {"object": "list", "data": [charge]}
    else:
        intent["latest_charge"] = f"ch_test_{checkout.id}"
    return intent
