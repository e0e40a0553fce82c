"""Reading a payment's charge and Stripe's fee, whichever event told us it was paid."""

from __future__ import annotations

from marketplace.orders.models import Checkout
from payments.client import get_client
from payments.incoming import id_of


def fetch_charge(payment_intent_id: str) -> tuple[str | None, int | None]:
    """The charge id of a payment intent and Stripe's fee on it, read from Stripe."""
    intent = (
        get_client()
        .v1.payment_intents.retrieve(
            payment_intent_id, params={"expand": ["latest_charge.balance_transaction"]}
        )
        .to_dict()
    )
    charge = intent.get("latest_charge")
    if charge is None:
        charges = (intent.get("charges") or {}).get("data") or []
        charge = charges[0] if charges else None
    if charge is None or isinstance(charge, str):
        return id_of(charge), None
    balance = charge.get("balance_transaction")
    fee = int(balance["fee"]) if isinstance(balance, dict) and "fee" in balance else None
    return charge["id"], fee


def ensure_charge(checkout: Checkout) -> None:
    """Fill in the checkout's charge and fee from Stripe when an event did not carry them.

    `checkout.session.completed` names the payment intent but not its charge: without the
    charge a transfer has no `source_transaction` and the shop's fee share is unknown.
    """
    if checkout.stripe_charge_id or not checkout.stripe_payment_intent_id:
        return
    charge_id, fee = fetch_charge(checkout.stripe_payment_intent_id)
    checkout.stripe_charge_id = charge_id
    if fee is not None and checkout.stripe_fee_cents is None:
        checkout.stripe_fee_cents = fee
