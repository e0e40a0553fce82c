"""Connecting a shop to Stripe (Express account) so that it can be paid for online orders."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from marketplace.accounts.auth import roles_required
from marketplace.accounts.models import SHOPKEEPER
from marketplace.extensions import db
from marketplace.urls import external_url
from payments.accounts import can_receive_transfers
from payments.client import UNREACHABLE, PaymentsUnavailable, StripeError, get_client, is_configured
from payments.fees import platform_fee
from shops.access import closed_to_agent_mode, get_owned_shop
from shops.models import Shop

bp = closed_to_agent_mode(
    Blueprint("connect", __name__, url_prefix="/merchant/shops/<slug>/payments")
)


@bp.before_request
@roles_required(SHOPKEEPER)
def require_shopkeeper():
    """Payment settings are for the shop's owner."""


def ensure_account(shop: Shop) -> str:
    """Create the shop's Express account once (idempotent) and return its id."""
    if shop.stripe_account_id:
        return shop.stripe_account_id
    account = get_client().v1.accounts.create(
        params={
            "type": "express",
            "country": "FR",
            "email": shop.email or shop.owner.email,
            "business_profile": {"name": shop.name},
            "capabilities": {"transfers": {"requested": True}},
            "metadata": {"shop_id": str(shop.id)},
        },
        options={"idempotency_key": f"vitrine-account-shop-{shop.id}"},
    )
    shop.stripe_account_id = account["id"]
    return account["id"]


def refresh_account(shop: Shop) -> None:
    """Read the account's payout status from Stripe (the return page does not trust the URL)."""
    if shop.stripe_account_id is None:
        return  # no account yet: nothing to read
    account = get_client().v1.accounts.retrieve(shop.stripe_account_id)
    shop.payouts_enabled = can_receive_transfers(account)


@bp.get("/")
def settings(slug: str):
    """Show whether the shop can be paid online, and who pays which fees."""
    shop = get_owned_shop(slug)
    config = current_app.config
    return render_template(
        "payments/connect.html",
        shop=shop,
        configured=is_configured(),
        fee_bps=config["PLATFORM_FEE_BPS"],
        fees_paid_by=config["STRIPE_FEES_PAID_BY"],
        example_fee=platform_fee(10_000, config["PLATFORM_FEE_BPS"]),
    )


@bp.post("/connect")
def connect(slug: str):
    """Send the shopkeeper to Stripe's onboarding for their Express account."""
    shop = get_owned_shop(slug)
    try:
        account_id = ensure_account(shop)
        db.session.commit()
        link = get_client().v1.account_links.create(
            params={
                "account": account_id,
                "type": "account_onboarding",
                "refresh_url": external_url("connect.settings", slug=shop.slug),
                "return_url": external_url("connect.returned", slug=shop.slug),
            }
        )
    except (*UNREACHABLE, StripeError, PaymentsUnavailable):
        db.session.rollback()
        flash(_("Stripe cannot be reached right now. Please try again in a few minutes."), "error")
        return redirect(url_for("connect.settings", slug=shop.slug), 303)
    return redirect(link["url"], 303)


@bp.get("/return")
def returned(slug: str):
    """Back from Stripe's onboarding: read the account's real status."""
    shop = get_owned_shop(slug)
    if shop.stripe_account_id:
        try:
            refresh_account(shop)
            db.session.commit()
        except (*UNREACHABLE, StripeError, PaymentsUnavailable):
            db.session.rollback()
    if shop.payouts_enabled:
        flash(_("Your Stripe account is connected: you can be paid for online orders."), "success")
    else:
        flash(_("Your Stripe account is not complete yet."), "info")
    return redirect(url_for("connect.settings", slug=shop.slug), 303)
