"""The Checkout Session Vitrine asks Stripe for: immediate payment methods only."""

from __future__ import annotations

from payments.sessions import session_params
from tests.payments.webhook_helpers import make_online_checkout


def test_checkout_offers_only_immediate_payment_methods(app):
    checkout, _ = make_online_checkout()
    with app.test_request_context():
        params = session_params(checkout)
    # A delayed method (SEPA debit, bank transfer) would confirm after the stock and slot
    # reservation ran out: cards, and the wallets that ride on them, only.
    assert params["allowed_payment_method_types"] == ["card"]
