"""Payments behind Checkout: test cards, PaymentIntents, charges with Stripe fees, disputes."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from localstripe import resources as ls

from . import balances
from .disputes import open_dispute
from .events import emit

# Test card numbers -> (outcome, decline code, message). Anything else Luhn-valid is declined as
# a non-test card, as Stripe does in test mode.
TEST_CARDS = {
    "4242424242424242": ("succeed", None, None),
    "5555555555554444": ("succeed", None, None),
    "4000000000000259": ("dispute", None, None),
    "4000000000000077": ("available", None, None),
    "4000002500003155": ("authenticate", None, None),
    "4000000000000002": ("decline", "generic_decline", "Your card was declined."),
    "4000000000009995": ("decline", "insufficient_funds", "Your card has insufficient funds."),
}
NON_TEST_CARD = (
    "Your card was declined. Your request was in test mode, but used a non test card. "
    "For a list of valid test cards, visit: https://stripe.com/docs/testing."
)
AUTH_FAILED = (
    "We are unable to authenticate your payment method. "
    "Please choose a different payment method and try again."
)
# Stripe's standard pricing for European Economic Area cards (France): 1.5 % + 0.25 EUR.
EEA_FEE_BPS, EEA_FEE_FIXED = 150, 25
EEA = frozenset(
    "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IS IT LI LT LU LV MT NL NO PL PT RO SE SI SK".split()  # noqa: SIM905
)


def luhn_ok(number: str) -> bool:
    """True when number is 13 to 19 digits with a valid Luhn check digit."""
    if not number.isdigit() or not 13 <= len(number) <= 19:
        return False
    digits = [int(d) for d in reversed(number)]
    total = sum(digits[0::2]) + sum(sum(divmod(2 * d, 10)) for d in digits[1::2])
    return total % 10 == 0


def card_outcome(number: str) -> tuple[str, str | None, str | None]:
    """Return (outcome, decline_code, message) for a card number typed on the hosted page."""
    return TEST_CARDS.get(number, ("decline", "generic_decline", NON_TEST_CARD))


def stripe_fee(amount: int, country: str = "FR") -> int:
    """Stripe's processing fee in cents: 1.5 % + 25 for EEA cards, 3.25 % + 25 otherwise."""
    bps = EEA_FEE_BPS if country in EEA else 325
    variable = (Decimal(amount) * bps / Decimal(10000)).quantize(Decimal(1), ROUND_HALF_UP)
    return int(variable) + EEA_FEE_FIXED


def create_intent(amount: int, currency: str, intent_data: dict, email: str | None):
    """Create the session's PaymentIntent (payment_intent.created)."""
    pi = ls.PaymentIntent(amount=amount, currency=currency, metadata=intent_data["metadata"])
    pi.payment_method_types = ["card"]
    pi.transfer_group = intent_data.get("transfer_group")
    pi.description = intent_data.get("description")
    pi.receipt_email = intent_data.get("receipt_email") or email
    pi.statement_descriptor = intent_data.get("statement_descriptor")
    pi.amount_received = 0
    pi.amount_capturable = 0
    pi.confirmation_method = "automatic"
    emit("payment_intent.created", pi)
    return pi


def new_card(number: str, exp_month: int, exp_year: int, cvc: str, name: str, email: str | None):
    """Create a card PaymentMethod from the hosted form."""
    card = {"number": number, "exp_month": exp_month, "exp_year": exp_year, "cvc": cvc}
    details = {"name": name or None, "email": email, "address": {"country": "FR"}, "phone": None}
    return ls.PaymentMethod(type="card", card=card, billing_details=details)


def charge(pi, pm, decline: tuple[str | None, str | None] | None = None, outcome: str = "succeed"):
    """Charge pi with pm: succeeds (fee, events) or fails with decline=(code, message).

    outcome "dispute" opens a dispute right after the payment; "available" makes the funds
    available at once (test card 4000 0000 0000 0077), whatever the pending delay.
    """
    pi.payment_method = pm.id
    pi.next_action = None
    pi._authentication_failed = False
    ch = ls.Charge(amount=pi.amount, currency=pi.currency, source=pm.id, metadata=dict(pi.metadata))
    ch._authorized = decline is None
    ch.payment_intent = pi.id
    ch.description = pi.description
    ch.transfer_group = pi.transfer_group
    ch.receipt_email = pi.receipt_email
    ch.billing_details = pm.billing_details
    ch.amount_captured = 0
    ch.disputed = False
    ch.outcome = None
    ch.payment_method_details = {"type": "card", "card": dict(pm.card, network="visa")}
    pi.latest_charge = ch
    decline_code, decline_message = decline if decline is not None else (None, None)

    def succeeded():
        txn = balances.replace_charge_txn(ch, stripe_fee(ch.amount, pm.card["country"]))
        if outcome == "available":
            txn.available_on = txn.created
        ch.amount_captured = ch.amount
        ch.outcome = {
            "network_status": "approved_by_network",
            "type": "authorized",
            "seller_message": "Payment complete.",
            "risk_level": "normal",
        }
        pi.amount_received = ch.amount
        emit("charge.succeeded", ch)
        emit("payment_intent.succeeded", pi)
        if outcome == "dispute":
            open_dispute(ch)

    def failed():
        ch.failure_code = "card_declined"
        ch.failure_message = decline_message
        ch.outcome = {
            "network_status": "declined_by_network",
            "type": "issuer_declined",
            "reason": decline_code,
            "seller_message": "The bank did not return any further details with this decline.",
        }
        emit("charge.failed", ch)
        emit("payment_intent.payment_failed", pi)

    ch._initialize_charge(on_success=succeeded, on_failure_now=failed)
    return ch


def require_action(pi, pm, url: str) -> None:
    """Put pi in requires_action with a 3-D Secure redirect (payment_intent.requires_action)."""
    pi.payment_method = pm.id
    pi.next_action = {"type": "redirect_to_url", "redirect_to_url": {"url": url, "return_url": url}}
    emit("payment_intent.requires_action", pi)


def fail_authentication(pi) -> None:
    """3-D Secure failed: pi needs a new payment method (payment_intent.payment_failed)."""
    pi.next_action = None
    pi.payment_method = None
    pi._authentication_failed = True
    emit("payment_intent.payment_failed", pi)


def cancel_intent(pi) -> None:
    """Cancel an unpaid PaymentIntent (payment_intent.canceled)."""
    if pi.status in ("succeeded", "canceled", "processing"):
        return
    pi._canceled = True
    pi.next_action = None
    pi.cancellation_reason = "abandoned"
    pi.canceled_at = pi.created
    emit("payment_intent.canceled", pi)
