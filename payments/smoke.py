"""`flask payments smoke`: the money path run once against a real Stripe test account.

The emulator proves our side; this proves Stripe's: the keys, a real charge and its fee, a
transfer drawn on that charge to a connected test account and its reversal, a refund, an
idempotency key refused with other parameters, and the webhook endpoint's subscription.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from flask import current_app

from payments.client import StripeError, get_client
from payments.events import HANDLERS


class SmokeFailure(Exception):
    """A step saw something other than what real Stripe must answer."""


def expect(condition: bool, message: str) -> None:
    """Fail the step with `message` unless `condition` holds."""
    if not condition:
        raise SmokeFailure(message)


@dataclass
class SmokeRun:
    """The steps run, each with its outcome line."""

    lines: list[str] = field(default_factory=list)
    failed: int = 0

    def step(self, name: str, action: Callable[[], str]) -> bool:
        """Run one step; record `ok: detail` or `FAILED: error`. Return True when it passed."""
        try:
            self.lines.append(f"ok      {name}: {action()}")
            return True
        except (StripeError, SmokeFailure, KeyError) as error:
            self.failed += 1
            self.lines.append(f"FAILED  {name}: {error}")
            return False


def _test_card(client) -> str:
    """A card payment method: Stripe's test token, or a card made on the emulator."""
    if not current_app.config.get("STRIPE_API_BASE"):
        return "pm_card_visa"
    card = {"number": "4242424242424242", "exp_month": 12, "exp_year": 2034, "cvc": "123"}
    return client.v1.payment_methods.create({"type": "card", "card": card}).id


def run_smoke(account: str | None = None) -> SmokeRun:
    """Run the smoke steps; `account`: an onboarded connected test account for transfers."""
    client, run, tag = get_client(), SmokeRun(), uuid.uuid4().hex[:12]
    state: dict = {}

    def keys() -> str:
        balance = client.v1.balance.retrieve().to_dict()
        return f"balance readable, livemode={balance.get('livemode', False)}"

    def charge() -> str:
        intent = client.v1.payment_intents.create(
            {
                "amount": 1000,
                "currency": "eur",
                "payment_method": _test_card(client),
                "confirm": True,
                "metadata": {"vitrine_smoke": tag},
            },
            {"idempotency_key": f"vitrine-smoke-{tag}-pi"},
        ).to_dict()
        expect(intent["status"] == "succeeded", f"payment intent {intent['status']}")
        charges = (intent.get("charges") or {}).get("data") or [{}]
        state["intent"], state["charge"] = intent["id"], intent.get("latest_charge") or charges[0]
        state["charge"] = (
            state["charge"]["id"] if isinstance(state["charge"], dict) else state["charge"]
        )
        return f"{intent['id']} charged 10,00 EUR ({state['charge']})"

    def fee() -> str:
        found = client.v1.charges.retrieve(
            state["charge"], {"expand": ["balance_transaction"]}
        ).to_dict()
        balance = found.get("balance_transaction")
        if not isinstance(balance, dict):
            raise SmokeFailure("no balance transaction on the charge")
        return f"Stripe's fee {balance['fee']} cents"

    def transfer() -> str:
        made = client.v1.transfers.create(
            {
                "amount": 500,
                "currency": "eur",
                "destination": str(account),
                "source_transaction": state["charge"],
                "metadata": {"vitrine_smoke": tag},
            },
            {"idempotency_key": f"vitrine-smoke-{tag}-tr"},
        )
        back = client.v1.transfers.reversals.create(made.id, {"amount": 100})
        return f"{made.id} 5,00 EUR to {account}, reversal {back.id} of 1,00 EUR"

    def refund() -> str:
        key = f"vitrine-smoke-{tag}-re"
        made = client.v1.refunds.create(
            {"payment_intent": state["intent"], "amount": 200}, {"idempotency_key": key}
        )
        try:
            client.v1.refunds.create(
                {"payment_intent": state["intent"], "amount": 300}, {"idempotency_key": key}
            )
        except StripeError:
            return f"{made.id} 2,00 EUR; the same key with another amount is refused"
        raise SmokeFailure("the same idempotency key with another amount was accepted")

    def webhooks() -> str:
        wanted = set(HANDLERS)
        endpoints = [e.to_dict() for e in client.v1.webhook_endpoints.list({"limit": 100}).data]
        for endpoint in endpoints:
            events = set(endpoint.get("enabled_events") or [])
            if endpoint.get("url", "").endswith("/payments/stripe/webhook") and (
                "*" in events or wanted <= events
            ):
                return f"{endpoint['url']} receives every type Vitrine handles"
        raise SmokeFailure(f"no endpoint subscribed to all of: {', '.join(sorted(wanted))}")

    run.step("keys", keys)
    if run.step("charge", charge):
        run.step("fee", fee)
        if account:
            run.step("transfer", transfer)
        else:
            run.lines.append(
                "skipped transfer: pass --account acct_... (an onboarded test account)"
            )
        run.step("refund", refund)
    run.step("webhook endpoint", webhooks)
    return run
