"""A correctly signed event is still checked against our records before it changes anything."""

from __future__ import annotations

import json
import time

import pytest
import stripe
from sqlalchemy import select

from marketplace.audit import AuditLog
from marketplace.extensions import db
from payments.models import StripeEvent
from tests.payments.webhook_helpers import (  # noqa: F401 - webhook_secret is a fixture
    SECRET,
    envelope,
    make_online_checkout,
    payment_intent_object,
    post_event,
    session_object,
    shape,
    statuses,
    webhook_secret,
)

pytestmark = pytest.mark.usefixtures("webhook_secret")


@pytest.mark.parametrize(
    "tamper",
    [{"amount_total": 1}, {"currency": "usd"}, {"amount_total": 10**6}],
    ids=["amount-lowered", "other-currency", "amount-raised"],
)
def test_a_session_whose_amount_or_currency_is_not_ours_confirms_nothing(app, client, tamper):
    checkout, _ = make_online_checkout()
    session = dict(session_object(checkout), **tamper)
    response = post_event(client, envelope("checkout.session.completed", session, "evt_amt"))
    assert response.status_code == 200  # Stripe must not retry it forever
    assert statuses(checkout) == ["pending_payment"]
    assert db.session.get(type(checkout), checkout.id).paid_at is None
    actions = db.session.scalars(select(AuditLog.action)).all()
    assert "payment.mismatch" in actions


def test_a_payment_intent_for_another_amount_confirms_nothing(app, client):
    checkout, _ = make_online_checkout()
    intent = payment_intent_object(checkout)
    intent["amount"] = intent["amount_received"] = 100
    post_event(client, envelope("payment_intent.succeeded", intent, "evt_pi_amt"))
    assert statuses(checkout) == ["pending_payment"]


def test_a_live_mode_event_does_not_pay_a_test_deployment(app, client):
    checkout, _ = make_online_checkout()
    event = envelope(
        "checkout.session.completed", session_object(checkout), "evt_live", livemode=True
    )
    assert post_event(client, event).status_code == 200
    assert statuses(checkout) == ["pending_payment"]
    assert "refused" in db.session.get(StripeEvent, "evt_live").outcome


def test_an_event_of_another_connected_account_does_not_pay_our_checkout(app, client):
    checkout, _ = make_online_checkout()
    event = envelope(
        "checkout.session.completed", session_object(checkout), "evt_acct", account="acct_other"
    )
    post_event(client, event)
    assert statuses(checkout) == ["pending_payment"]


def test_an_account_event_naming_another_account_leaves_our_shop_alone(app, client):
    checkout, _ = make_online_checkout()
    shop = checkout.orders[0].shop
    account = shape("account")
    account.update({"id": shop.stripe_account_id, "payouts_enabled": False})
    post_event(client, envelope("account.updated", account, "evt_x", account="acct_intruder"))
    post_event(client, envelope("account.updated", account, "evt_y"))  # the platform's own
    db.session.refresh(shop)
    assert shop.payouts_enabled is True


def test_an_older_account_state_delivered_late_does_not_win(app, client):
    checkout, _ = make_online_checkout()
    shop = checkout.orders[0].shop
    now = int(time.time())
    newer, older = shape("account"), shape("account")
    newer.update({"id": shop.stripe_account_id, "payouts_enabled": True, "capabilities": {}})
    older.update({"id": shop.stripe_account_id, "payouts_enabled": False, "capabilities": {}})
    acct = shop.stripe_account_id
    post_event(client, envelope("account.updated", newer, "evt_new", account=acct, created=now))
    post_event(
        client, envelope("account.updated", older, "evt_old", account=acct, created=now - 60)
    )
    db.session.refresh(shop)
    assert shop.payouts_enabled is True
    assert "older" in db.session.get(StripeEvent, "evt_old").outcome


def test_payouts_follow_the_transfers_capability_not_charges(app, client):
    checkout, _ = make_online_checkout()
    shop = checkout.orders[0].shop
    account = shape("account")
    account.update(
        {
            "id": shop.stripe_account_id,
            "payouts_enabled": True,
            "charges_enabled": True,
            "capabilities": {"card_payments": "active", "transfers": "inactive"},
        }
    )
    post_event(client, envelope("account.updated", account, "evt_cap", account=account["id"]))
    db.session.refresh(shop)
    assert shop.payouts_enabled is False
    account["charges_enabled"] = False
    account["capabilities"] = {"card_payments": "inactive", "transfers": "active"}
    post_event(client, envelope("account.updated", account, "evt_cap2", account=account["id"]))
    db.session.refresh(shop)
    assert shop.payouts_enabled is True


@pytest.mark.parametrize(
    "body",
    ["[]", "[1, 2]", '{"id": "evt_1", "type": "checkout.session.completed"}', '"text"', "{}"],
    ids=["empty-array", "array", "no-data", "string", "empty-object"],
)
def test_a_signed_body_that_is_not_an_event_is_a_400(app, client, body):
    header = stripe.WebhookSignature.generate_signature_header(body, SECRET)
    response = client.post(
        "/payments/stripe/webhook",
        data=body,
        headers={"Stripe-Signature": header, "Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert "error" in json.loads(response.get_data())
