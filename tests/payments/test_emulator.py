"""The offline Stripe emulator, driven over HTTP by the official stripe SDK and a form-posting browser."""

from __future__ import annotations

import time

import pytest
import requests
import stripe

from payments.emulator.process import EmulatorProcess
from tests.payments.conftest import WEBHOOK_SECRET, checkout_params, pay, verified


def test_sdk_globals_and_client_both_reach_the_emulator(stripe_emulator, monkeypatch):
    monkeypatch.setattr(stripe, "api_key", stripe_emulator.api_key)
    monkeypatch.setattr(stripe, "api_base", stripe_emulator.url)
    account = stripe.Account.create(type="express", country="FR", email="boulangerie@example.org")
    same = stripe_emulator.client().v1.accounts.retrieve(account.id)
    assert (same.id, same.email, same.payouts_enabled) == (account.id, account.email, False)
    assert requests.get(stripe_emulator.url + "/healthz", timeout=5).json()["status"] == "ok"


def test_checkout_is_idempotent_and_4242_pays_it(stripe_emulator, group):
    client = stripe_emulator.client()
    options = {"idempotency_key": f"{group}-session"}
    params = checkout_params(group)  # once: a retry sends the very same parameters
    session = client.v1.checkout.sessions.create(params, options)
    again = client.v1.checkout.sessions.create(params, options)
    assert again.id == session.id
    assert [s.id for s in client.v1.checkout.sessions.list().data].count(session.id) == 1
    assert (session.status, session.payment_status) == ("open", "unpaid")
    assert session.amount_total == 3490

    page = requests.get(session.url, timeout=5)
    assert page.status_code == 200
    assert '<html lang="en">' in page.text and "TEST MODE — no real payment" in page.text
    assert '<label for="cardnumber">Card number</label>' in page.text
    assert "Pain de campagne" in page.text and "€34.90" in page.text
    assert '<a href="http://127.0.0.1:5000/cart">Cancel' in page.text

    response = pay(session.url, "4242 4242 4242 4242")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/payments/return?session_id={session.id}")

    event = verified(stripe_emulator.webhooks.wait_for("checkout.session.completed", session.id))
    assert event.data.object.payment_status == "paid"
    assert event.data.object.metadata.to_dict() == {"checkout": group}
    assert event.livemode is False and event.id.startswith("evt_") and event.api_version
    session = client.v1.checkout.sessions.retrieve(
        session.id, {"expand": ["payment_intent.latest_charge.balance_transaction"]}
    )
    succeeded = stripe_emulator.webhooks.wait_for(
        "payment_intent.succeeded", session.payment_intent.id
    )
    intent = verified(succeeded).data.object
    assert intent.transfer_group == group and intent.latest_charge.startswith("ch_")
    assert (session.status, session.payment_status, session.url) == ("complete", "paid", None)
    charge = session.payment_intent.latest_charge
    assert (charge.amount, charge.transfer_group, charge.paid) == (3490, group, True)
    fee = 52 + 25  # 1.5 % of 34.90 EUR is 52.35 cents, rounded, + 0.25 EUR
    assert (charge.balance_transaction.fee, charge.balance_transaction.net) == (fee, 3490 - fee)
    replay = requests.get(f"{stripe_emulator.url}/c/pay/{session.id}", timeout=5)
    assert "This checkout session has been paid." in replay.text


def test_reusing_an_idempotency_key_with_other_parameters_is_refused(stripe_emulator, group):
    client = stripe_emulator.client()
    options = {"idempotency_key": f"{group}-reused"}
    client.v1.checkout.sessions.create(checkout_params(group), options)
    with pytest.raises(stripe.IdempotencyError):
        client.v1.checkout.sessions.create(checkout_params(group, customer_email="x@y.z"), options)


def test_declined_card_then_another_card(stripe_emulator, group):
    client = stripe_emulator.client()
    session = client.v1.checkout.sessions.create(checkout_params(group))
    bad_number = pay(session.url, "4242 4242 4242 4241")
    assert "Your card number is incorrect." in bad_number.text

    declined = pay(session.url, "4000 0000 0000 0002")
    assert declined.status_code == 200 and "Your card was declined." in declined.text
    assert 'role="alert"' in declined.text and 'aria-invalid="true"' in declined.text
    intent_id = client.v1.checkout.sessions.retrieve(session.id).payment_intent
    failed = verified(stripe_emulator.webhooks.wait_for("payment_intent.payment_failed", intent_id))
    assert failed.data.object.metadata.to_dict() == {"checkout": group}
    assert failed.data.object.last_payment_error.code == "card_declined"
    assert client.v1.checkout.sessions.retrieve(session.id).status == "open"

    assert pay(session.url, "4242424242424242").status_code == 303
    stripe_emulator.webhooks.wait_for("checkout.session.completed", session.id)
    intent = client.v1.payment_intents.retrieve(failed.data.object.id)
    assert intent.status == "succeeded"


def test_three_d_secure_can_fail_then_succeed(stripe_emulator, group):
    client = stripe_emulator.client()
    session = client.v1.checkout.sessions.create(checkout_params(group, locale="en"))
    challenge = pay(session.url, "4000 0025 0000 3155")
    assert challenge.status_code == 303
    page = requests.get(challenge.headers["Location"], timeout=5)
    assert "Complete authentication" in page.text and "Fail authentication" in page.text
    intent = client.v1.payment_intents.retrieve(
        client.v1.checkout.sessions.retrieve(session.id).payment_intent
    )
    assert intent.status == "requires_action"

    failed = requests.post(challenge.headers["Location"], data={"outcome": "fail"}, timeout=5)
    assert "unable to authenticate" in failed.text
    stripe_emulator.webhooks.wait_for("payment_intent.payment_failed", intent.id)
    assert client.v1.payment_intents.retrieve(intent.id).status == "requires_payment_method"

    challenge = pay(session.url, "4000002500003155")
    done = requests.post(
        challenge.headers["Location"],
        data={"outcome": "complete"},
        allow_redirects=False,
        timeout=5,
    )
    assert done.status_code == 303 and session.id in done.headers["Location"]
    stripe_emulator.webhooks.wait_for("checkout.session.completed", session.id)


def test_french_page(stripe_emulator, group):
    session = stripe_emulator.client().v1.checkout.sessions.create(
        checkout_params(group, locale="fr")
    )
    declined = pay(session.url, "4000 0000 0000 0002")
    assert (
        '<html lang="fr">' in declined.text and "MODE TEST — aucun paiement réel" in declined.text
    )
    assert "Votre carte a été refusée." in declined.text and "34,90" in declined.text


def test_expire_endpoint_and_expiry_rules(stripe_emulator, group):
    client = stripe_emulator.client()
    session = client.v1.checkout.sessions.create(checkout_params(group))
    expired = client.v1.checkout.sessions.expire(session.id)
    assert (expired.status, expired.url) == ("expired", None)
    stripe_emulator.webhooks.wait_for("checkout.session.expired", session.id)
    assert requests.get(session.url, timeout=5).status_code == 410
    with pytest.raises(stripe.InvalidRequestError):
        client.v1.checkout.sessions.expire(session.id)
    with pytest.raises(stripe.InvalidRequestError, match="30 minutes"):
        client.v1.checkout.sessions.create(checkout_params(group, expires_at=int(time.time()) + 60))


def test_sessions_expire_when_their_time_comes(stripe_emulator, group):
    receiver = stripe_emulator.webhooks
    with EmulatorProcess(webhook_url=receiver.url, webhook_secret=WEBHOOK_SECRET) as other:
        client = stripe.StripeClient("sk_test_other", base_addresses={"api": other.url})
        expires_at = int(time.time()) + 31 * 60
        session = client.v1.checkout.sessions.create(checkout_params(group, expires_at=expires_at))
        other.advance_clock(32 * 60)
        event = verified(receiver.wait_for("checkout.session.expired", session.id))
        assert event.data.object.status == "expired"
        assert client.v1.checkout.sessions.retrieve(session.id).status == "expired"


def test_express_onboarding(stripe_emulator):
    client = stripe_emulator.client()
    capabilities = {"transfers": {"requested": True}}
    params = {"type": "express", "country": "FR", "capabilities": capabilities}
    account = client.v1.accounts.create({**params, "metadata": {"shop": "7"}})
    assert not (account.charges_enabled or account.payouts_enabled or account.details_submitted)
    link = client.v1.account_links.create(
        {
            "account": account.id,
            "refresh_url": "http://127.0.0.1:5000/shop/stripe/refresh",
            "return_url": "http://127.0.0.1:5000/shop/stripe/return",
            "type": "account_onboarding",
        }
    )
    page = requests.get(link.url, timeout=5)
    assert page.status_code == 200 and "TEST MODE — no real payment" in page.text
    done = requests.post(
        link.url, data={"business_name": "Fromagerie"}, allow_redirects=False, timeout=5
    )
    assert done.headers["Location"] == "http://127.0.0.1:5000/shop/stripe/return"
    event = verified(stripe_emulator.webhooks.wait_for("account.updated", account.id))
    assert event.data.object.payouts_enabled is True and event.account == account.id
    assert event.data.previous_attributes.payouts_enabled is False
    account = client.v1.accounts.retrieve(account.id)
    assert (account.charges_enabled, account.details_submitted) == (True, True)
    stale = requests.get(link.url, allow_redirects=False, timeout=5)
    assert stale.headers["Location"] == "http://127.0.0.1:5000/shop/stripe/refresh"


def test_transfers_from_a_charge_and_reversal(stripe_emulator, paid_session, onboarded_account):
    client = stripe_emulator.client()
    charge = paid_session.payment_intent.latest_charge
    group = paid_session.client_reference_id
    newcomer = client.v1.accounts.create({"type": "express", "country": "FR"})
    params = {
        "amount": 2000,
        "currency": "eur",
        "source_transaction": charge.id,
        "transfer_group": group,
        "metadata": {"order": "1"},
    }
    with pytest.raises(stripe.InvalidRequestError, match="capabilities"):
        client.v1.transfers.create({**params, "destination": newcomer.id})

    params["destination"] = onboarded_account.id
    options = {"idempotency_key": f"{group}-transfer-1"}
    transfer = client.v1.transfers.create(params, options)
    assert client.v1.transfers.create(params, options).id == transfer.id
    assert (transfer.amount, transfer.source_transaction, transfer.reversed) == (
        2000,
        charge.id,
        False,
    )
    stripe_emulator.webhooks.wait_for("transfer.created", transfer.id)
    with pytest.raises(stripe.InvalidRequestError, match="exceeds what is left"):
        client.v1.transfers.create({**params, "amount": 1491})
    listed = client.v1.transfers.list({"transfer_group": group})
    assert [t.id for t in listed.data] == [transfer.id]

    reversal = client.v1.transfers.reversals.create(transfer.id, {"amount": 500})
    assert (reversal.amount, reversal.transfer) == (500, transfer.id)
    event = verified(stripe_emulator.webhooks.wait_for("transfer.reversed", transfer.id))
    assert event.data.object.amount_reversed == 500
    assert [r.id for r in client.v1.transfers.reversals.list(transfer.id).data] == [reversal.id]
    with pytest.raises(stripe.InvalidRequestError, match="greater than the amount left"):
        client.v1.transfers.reversals.create(transfer.id, {"amount": 1501})


def test_partial_refunds(stripe_emulator, paid_session):
    client = stripe_emulator.client()
    intent = paid_session.payment_intent
    options = {"idempotency_key": f"{paid_session.id}-refund-1"}
    params = {"payment_intent": intent.id, "amount": 1250, "metadata": {"order": "2"}}
    refund = client.v1.refunds.create(params, options)
    assert client.v1.refunds.create(params, options).id == refund.id
    event = verified(stripe_emulator.webhooks.wait_for("charge.refunded", intent.latest_charge.id))
    assert (event.data.object.amount_refunded, event.data.object.refunded) == (1250, False)
    with pytest.raises(stripe.InvalidRequestError, match="greater than unrefunded"):
        client.v1.refunds.create({"charge": intent.latest_charge.id, "amount": 2241})
    client.v1.refunds.create({"charge": intent.latest_charge.id})
    charge = client.v1.charges.retrieve(intent.latest_charge.id)
    assert (charge.amount_refunded, charge.refunded) == (3490, True)


def test_dispute_card(stripe_emulator, group):
    client = stripe_emulator.client()
    session = client.v1.checkout.sessions.create(checkout_params(group))
    assert pay(session.url, "4000 0000 0000 0259").status_code == 303
    intent_id = client.v1.checkout.sessions.retrieve(session.id).payment_intent
    event = verified(
        stripe_emulator.webhooks.wait_for("charge.dispute.created", payment_intent=intent_id)
    )
    assert (event.data.object.amount, event.data.object.reason) == (3490, "fraudulent")


def test_unknown_ids_and_bad_keys(stripe_emulator):
    client = stripe_emulator.client()
    with pytest.raises(stripe.InvalidRequestError) as error:
        client.v1.checkout.sessions.retrieve("cs_test_nope")
    assert error.value.code == "resource_missing" and error.value.http_status == 404
    with pytest.raises(stripe.InvalidRequestError, match="No such account"):
        client.v1.accounts.retrieve("acct_nope")
    with pytest.raises(stripe.InvalidRequestError, match="No such transfer"):
        client.v1.transfers.retrieve("tr_nope")
    with pytest.raises(stripe.InvalidRequestError, match="No such payment_intent"):
        client.v1.refunds.create({"payment_intent": "pi_nope"})
    with pytest.raises(stripe.AuthenticationError):
        stripe.StripeClient(
            "pk_test_x", base_addresses={"api": stripe_emulator.url}
        ).v1.events.list()


def test_failed_webhooks_are_retried_and_events_listed(stripe_emulator):
    receiver = stripe_emulator.webhooks
    client = stripe_emulator.client()
    with receiver.condition:
        receiver.refuse["account.updated"] = 1
    account = client.v1.accounts.create({"type": "express", "country": "FR"})
    stripe_emulator.process.set_account(account.id, payouts_enabled=True)
    delivery = receiver.wait_for("account.updated", account.id)
    assert verified(delivery).data.object.payouts_enabled is True
    event_id = delivery.event["id"]
    assert client.v1.events.retrieve(event_id).type == "account.updated"
    assert event_id in [e.id for e in client.v1.events.list({"type": "account.*"}).data]
    stripe_emulator.process.resend_event(event_id)
    assert receiver.wait_for("account.updated", account.id).event["id"] == event_id
    log = stripe_emulator.process.logs()
    assert f"{event_id} account.updated -> {receiver.url} failed (attempt 1): HTTP 500" in log


def test_paused_or_stopped_emulator_is_unreachable(stripe_emulator):
    with EmulatorProcess() as other:
        options = {"http_client": stripe.RequestsClient(timeout=0.5), "max_network_retries": 0}
        client = stripe.StripeClient("sk_test_x", base_addresses={"api": other.url}, **options)
        other.pause()
        with pytest.raises(stripe.APIConnectionError):
            client.v1.accounts.list()
        other.resume()
        assert client.v1.accounts.list().data == []
    with pytest.raises(stripe.APIConnectionError):
        client.v1.accounts.list()
