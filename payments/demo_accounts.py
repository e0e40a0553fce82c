"""Onboarded Stripe accounts for demo shops, on the offline Stripe emulator only.

Real shops connect their account themselves (payments/connect.py). On the emulator, which keeps
nothing across restarts, `flask demo connect-shops` (run by `make run` once the emulator is up)
gives the demo town's shops accounts that are onboarded at once, so most of them take card
payment online; an account id left from an earlier run of the emulator is replaced.
"""

from __future__ import annotations

from flask import current_app

from marketplace.db import utcnow
from payments.accounts import can_receive_transfers
from payments.client import StripeError, get_client
from payments.connect import ensure_account
from payments.emulator.process import control
from shops.models import Shop


def on_emulator() -> bool:
    """True when payments go to the offline emulator (STRIPE_API_BASE and a test key)."""
    config = current_app.config
    key = config.get("STRIPE_SECRET_KEY") or ""
    return bool(config.get("STRIPE_API_BASE")) and key.startswith("sk_test_")


def forget_lost_account(shop: Shop) -> bool:
    """Drop the shop's account id when the emulator no longer knows it; True if dropped."""
    if shop.stripe_account_id is None:
        return False
    try:
        get_client().v1.accounts.retrieve(shop.stripe_account_id)
        return False
    except StripeError as error:
        if getattr(error, "code", None) != "resource_missing":
            raise
    shop.stripe_account_id, shop.payouts_enabled = None, False
    return True


def onboard_on_emulator(shop: Shop) -> bool:
    """Give `shop` an account the emulator has onboarded; return whether it can be paid out.

    The caller commits. Stripe then sends account.updated, which the webhook applies again.
    """
    forget_lost_account(shop)
    account_id = ensure_account(shop)
    flags = {"charges_enabled": "true", "payouts_enabled": "true"}
    account = control(
        current_app.config["STRIPE_API_BASE"], f"/_config/accounts/{account_id}", **flags
    )
    shop.payouts_enabled = can_receive_transfers(account)
    shop.stripe_account_synced_at = utcnow()
    return shop.payouts_enabled
