"""Stripe's webhooks: only genuine events count, each is applied once, late ones change nothing."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import func, select

from marketplace.extensions import db
from marketplace.orders.models import OrderEvent
from payments.models import StripeEvent
from shops.models import Product
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


def event_count() -> int:
    return db.session.scalar(select(func.count()).select_from(OrderEvent))


def test_a_paid_session_confirms_every_order_of_the_checkout(app, client):
    checkout, _ = make_online_checkout(shops=3)
    response = post_event(
        client, envelope("checkout.session.completed", session_object(checkout), "evt_1")
    )
    assert response.status_code == 200
    assert statuses(checkout) == ["confirmed"] * 3
    assert checkout.stripe_payment_intent_id == f"pi_test_{checkout.id}"


@pytest.mark.parametrize("old_shape", [False, True])
def test_payment_intent_succeeded_records_the_charge_in_both_shapes(app, client, old_shape):
    checkout, _ = make_online_checkout()
    intent = payment_intent_object(checkout, old_shape=old_shape)
    assert (
        post_event(client, envelope("payment_intent.succeeded", intent, "evt_pi")).status_code
        == 200
    )
    db.session.refresh(checkout)
    assert checkout.stripe_charge_id == f"ch_test_{checkout.id}"
    assert statuses(checkout) == ["confirmed"]


@pytest.mark.parametrize("forgery", ["wrong_secret", "stale", "tampered", "missing"])
def test_a_forged_event_is_refused_and_changes_nothing(app, client, forgery):
    checkout, _ = make_online_checkout()
    event = envelope("checkout.session.completed", session_object(checkout), "evt_forged")
    before = event_count()
    if forgery == "wrong_secret":
        response = post_event(client, event, secret="whsec_not_ours")
    elif forgery == "stale":
        response = post_event(client, event, timestamp=int(time.time()) - 301)
    elif forgery == "tampered":
        tampered = dict(event, type="checkout.session.completed")
        tampered["data"] = {"object": dict(event["data"]["object"], amount_total=1)}
        import json

        response = post_event(client, event, body=json.dumps(tampered))
    else:
        response = client.post("/payments/stripe/webhook", json=event)
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == 400
    assert statuses(checkout) == ["pending_payment"]
    assert event_count() == before
    assert db.session.get(StripeEvent, "evt_forged") is None


def test_the_same_event_twice_is_applied_once(app, client):
    checkout, _ = make_online_checkout()
    event = envelope("checkout.session.completed", session_object(checkout), "evt_twice")
    first = post_event(client, event)
    before = event_count()
    second = post_event(client, event)
    assert first.get_json()["status"] == "applied"
    assert second.status_code == 200 and second.get_json()["status"] == "already applied"
    assert event_count() == before


def test_the_same_event_delivered_concurrently_is_applied_once(app):
    checkout, _ = make_online_checkout()
    event = envelope("checkout.session.completed", session_object(checkout), "evt_race")
    start = threading.Barrier(4)
    answers = []

    def deliver():
        client = app.test_client()
        start.wait()
        answers.append(post_event(client, event).get_json()["status"])

    threads = [threading.Thread(target=deliver) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(answers) == ["already applied"] * 3 + ["applied"]
    confirmations = db.session.scalar(
        select(func.count()).where(OrderEvent.to_status == "confirmed")
    )
    assert confirmations == 1


def test_a_failure_after_success_is_ignored(app, client):
    checkout, _ = make_online_checkout()
    post_event(
        client, envelope("payment_intent.succeeded", payment_intent_object(checkout), "evt_ok")
    )
    failed = payment_intent_object(checkout, status="requires_payment_method")
    response = post_event(
        client, envelope("payment_intent.payment_failed", failed, "evt_late_fail")
    )
    assert response.status_code == 200
    assert statuses(checkout) == ["confirmed"]
    assert "ignored" in db.session.get(StripeEvent, "evt_late_fail").outcome


def test_an_event_for_an_unknown_checkout_is_acknowledged_and_logged(app, client):
    session = shape("checkout.session")
    session.update({"id": "cs_unknown", "metadata": {}, "payment_status": "paid"})
    response = post_event(client, envelope("checkout.session.completed", session, "evt_unknown"))
    assert response.status_code == 200
    assert "unknown" in db.session.get(StripeEvent, "evt_unknown").outcome


def test_an_unhandled_event_type_is_acknowledged(app, client):
    response = post_event(client, envelope("payout.paid", shape("payout"), "evt_payout"))
    assert response.status_code == 200
    assert db.session.get(StripeEvent, "evt_payout").outcome == "ignored: payout.paid"


def test_an_expired_session_returns_the_stock_once(app, client):
    checkout, products = make_online_checkout(stock=5)
    event = envelope(
        "checkout.session.expired", session_object(checkout, "expired", False), "evt_exp"
    )
    post_event(client, event)
    post_event(client, dict(event, id="evt_exp_again"))
    assert statuses(checkout) == ["expired"]
    assert db.session.get(Product, products[0].id).stock == 5


def test_a_payment_after_expiry_confirms_nothing_and_plans_a_refund(app, client):
    checkout, _ = make_online_checkout(stock=5)
    post_event(
        client,
        envelope("checkout.session.expired", session_object(checkout, "expired", False), "evt_e"),
    )
    post_event(client, envelope("checkout.session.completed", session_object(checkout), "evt_late"))
    assert statuses(checkout) == ["expired"]
    from payments.models import LedgerEntry

    refund = db.session.scalar(select(LedgerEntry).where(LedgerEntry.kind == "refund"))
    assert refund is not None and refund.amount_cents == checkout.total_cents


def test_account_updated_keeps_payouts_current(app, client):
    checkout, _ = make_online_checkout()
    shop = checkout.orders[0].shop
    account = shape("account")
    account.update(
        {"id": shop.stripe_account_id, "payouts_enabled": False, "charges_enabled": True}
    )
    post_event(
        client, envelope("account.updated", account, "evt_acct", account=shop.stripe_account_id)
    )
    db.session.refresh(shop)
    assert shop.payouts_enabled is False


def test_another_session_naming_the_same_checkout_id_changes_nothing(app, client):
    # Stripe timed out at checkout: the session it made anyway names a checkout that was rolled
    # back, whose id the resident's next checkout got again (SQLite reuses ids).
    checkout, products = make_online_checkout(stock=5)
    orphan = session_object(checkout, "expired", False)
    orphan["id"] = "cs_test_orphan"
    post_event(client, envelope("checkout.session.expired", orphan, "evt_orphan"))
    assert statuses(checkout) == ["pending_payment"]
    assert db.session.get(Product, products[0].id).stock == 3
    assert "unknown" in db.session.get(StripeEvent, "evt_orphan").outcome


def test_the_connect_endpoint_s_own_secret_is_accepted_too(app, client):
    # Stripe signs the Connect endpoint (account.updated) with a secret of its own.
    app.config["STRIPE_WEBHOOK_SECRET"] = f"{SECRET}, whsec_connect_endpoint"
    checkout, _ = make_online_checkout()
    shop = checkout.orders[0].shop
    account = shape("account")
    account.update({"id": shop.stripe_account_id, "payouts_enabled": False})
    event = envelope("account.updated", account, "evt_connect", account=shop.stripe_account_id)
    assert post_event(client, event, secret="whsec_connect_endpoint").status_code == 200
    db.session.refresh(shop)
    assert shop.payouts_enabled is False
    assert post_event(client, dict(event, id="evt_x"), secret="whsec_other").status_code == 400
