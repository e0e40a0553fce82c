"""Stripe's real behaviour the emulator reproduces on demand, over the official stripe SDK."""

from __future__ import annotations

import pytest
import requests
import stripe

from payments.emulator.disputes import DISPUTE_FEE
from payments.emulator.process import ControlError, EmulatorProcess
from tests.payments.conftest import checkout_params, pay, verified

WEEK = 7 * 86400


@pytest.fixture
def fresh():
    """An emulator of the test's own (an empty platform balance), and a client for it."""
    with EmulatorProcess() as process:
        options = {"http_client": stripe.RequestsClient(timeout=0.5), "max_network_retries": 0}
        yield (
            process,
            stripe.StripeClient("sk_test_fresh", base_addresses={"api": process.url}, **options),
        )


def _paid_charge(client, group: str, card: str = "4242 4242 4242 4242", **params):
    session = client.v1.checkout.sessions.create(checkout_params(group, **params))
    assert pay(session.url, card).status_code == 303
    intent = client.v1.checkout.sessions.retrieve(session.id).payment_intent
    return client.v1.charges.retrieve(client.v1.payment_intents.retrieve(intent).latest_charge)


def _shop(process, client) -> str:
    account = client.v1.accounts.create({"type": "express", "country": "FR"})
    process.set_account(account.id, charges_enabled=True, payouts_enabled=True)
    return account.id


def _available(client, account: str | None = None) -> tuple[int, int]:
    options = {"stripe_account": account} if account else {}
    balance = client.v1.balance.retrieve(options=options)
    return balance.available[0].amount, balance.pending[0].amount


def test_a_key_replayed_with_other_parameters_is_an_idempotency_error(
    stripe_emulator, paid_session, onboarded_account
):
    client = stripe_emulator.client()
    params = {
        "amount": 2000,
        "currency": "eur",
        "destination": onboarded_account.id,
        "source_transaction": paid_session.payment_intent.latest_charge.id,
    }
    options = {"idempotency_key": f"{paid_session.id}-transfer"}
    first = client.v1.transfers.create(params, options)  # its answer is lost: a timeout
    with pytest.raises(stripe.IdempotencyError) as error:  # lowered by a refund, retried
        client.v1.transfers.create({**params, "amount": 1500}, options)
    assert error.value.http_status == 400 and error.value.error.type == "idempotency_error"
    assert client.v1.transfers.create(params, options).id == first.id


def test_a_replayed_failed_call_returns_its_saved_error(stripe_emulator, paid_session):
    client = stripe_emulator.client()
    account = client.v1.accounts.create({"type": "express", "country": "FR"})  # not onboarded
    params = {
        "amount": 1000,
        "currency": "eur",
        "destination": account.id,
        "source_transaction": paid_session.payment_intent.latest_charge.id,
    }
    options = {"idempotency_key": f"{paid_session.id}-early-transfer"}
    with pytest.raises(stripe.InvalidRequestError) as first:
        client.v1.transfers.create(params, options)
    stripe_emulator.process.set_account(account.id, charges_enabled=True, payouts_enabled=True)
    with pytest.raises(stripe.InvalidRequestError) as replayed:  # onboarded since: same error
        client.v1.transfers.create(params, options)
    assert first.value.code == "insufficient_capabilities_for_transfer"
    assert (replayed.value.http_status, replayed.value.http_body) == (
        first.value.http_status,
        first.value.http_body,
    )
    assert replayed.value.headers["Idempotent-Replayed"] == "true"
    assert client.v1.transfers.create(params, {"idempotency_key": f"{paid_session.id}-new"}).id


def test_transfers_without_source_transaction_are_limited_by_the_available_balance(fresh, group):
    process, client = fresh
    shop = _shop(process, client)
    process.set_funds_delay(WEEK)  # card payments stay pending, as on Stripe
    charge = _paid_charge(client, group)
    fee = client.v1.balance_transactions.retrieve(charge.balance_transaction).fee
    assert _available(client) == (0, 3490 - fee)
    with pytest.raises(stripe.InvalidRequestError) as error:
        client.v1.transfers.create({"amount": 100, "currency": "eur", "destination": shop})
    assert error.value.code == "balance_insufficient" and error.value.http_status == 400
    params = {"amount": 2000, "currency": "eur", "destination": shop}
    transfer = client.v1.transfers.create({**params, "source_transaction": charge.id})
    assert transfer.source_transaction == charge.id  # drawn on the charge, pending or not
    assert _available(client, shop) == (0, 2000)  # the shop's funds follow the charge's

    now = process.advance_clock(WEEK)
    assert _available(client) == (3490 - fee - 2000, 0)
    assert _available(client, shop) == (2000, 0)
    with pytest.raises(stripe.InvalidRequestError, match="insufficient available funds"):
        client.v1.transfers.create({**params, "amount": 3490 - fee - 2000 + 1})
    client.v1.transfers.create({**params, "amount": 3490 - fee - 2000})
    _paid_charge(client, f"{group}-b", "4000 0000 0000 0077", expires_at=now + 3600)
    assert _available(client)[0] == 3490 - fee


def test_a_reversal_after_a_payout_fails_for_want_of_funds(
    stripe_emulator, paid_session, onboarded_account
):
    client, shop = stripe_emulator.client(), onboarded_account.id
    transfer = client.v1.transfers.create(
        {
            "amount": 2000,
            "currency": "eur",
            "destination": shop,
            "source_transaction": paid_session.payment_intent.latest_charge.id,
        }
    )
    assert _available(client, shop) == (2000, 0)
    client.v1.transfers.reversals.create(transfer.id, {"amount": 300})
    payout = stripe_emulator.process.payout(shop)
    assert (payout["object"], payout["amount"], payout["status"]) == ("payout", 1700, "paid")
    event = verified(stripe_emulator.webhooks.wait_for("payout.paid", payout["id"]))
    assert event.account == shop
    assert client.v1.payouts.retrieve(payout["id"]).amount == 1700
    assert _available(client, shop) == (0, 0)
    with pytest.raises(stripe.InvalidRequestError) as error:
        client.v1.transfers.reversals.create(transfer.id, {"amount": 500})
    assert error.value.code == "balance_insufficient" and shop in error.value.user_message
    assert client.v1.transfers.retrieve(transfer.id).amount_reversed == 300
    with pytest.raises(ControlError) as empty:
        stripe_emulator.process.payout(shop)
    assert empty.value.error["code"] == "balance_insufficient"


def test_capabilities_are_separate_from_payouts_enabled(
    stripe_emulator, paid_session, onboarded_account
):
    client, process, shop = stripe_emulator.client(), stripe_emulator.process, onboarded_account.id
    process.set_capabilities(shop, transfers="inactive", card_payments="pending")
    event = verified(stripe_emulator.webhooks.wait_for("account.updated", shop))
    assert event.data.previous_attributes.capabilities.transfers == "active"
    capability = verified(stripe_emulator.webhooks.wait_for("capability.updated", "transfers"))
    assert (capability.account, capability.data.object.status) == (shop, "inactive")
    account = client.v1.accounts.retrieve(shop)
    assert (account.payouts_enabled, account.charges_enabled) == (True, True)
    assert account.capabilities.to_dict() == {"transfers": "inactive", "card_payments": "pending"}
    params = {
        "amount": 500,
        "currency": "eur",
        "destination": shop,
        "source_transaction": paid_session.payment_intent.latest_charge.id,
    }
    with pytest.raises(stripe.InvalidRequestError, match="capabilities"):
        client.v1.transfers.create(params)
    process.set_capabilities(shop, transfers="active")
    assert client.v1.transfers.create(params).destination == shop
    with pytest.raises(ControlError):
        process.set_capabilities(shop, transfers="sleepy")


def test_a_dispute_withdraws_the_funds_and_reinstates_them_when_won(stripe_emulator, paid_session):
    client, process, hooks = (
        stripe_emulator.client(),
        stripe_emulator.process,
        stripe_emulator.webhooks,
    )
    charge = paid_session.payment_intent.latest_charge
    before = _available(client)[0]
    opened = process.open_dispute(charge.id, reason="product_not_received")
    created = verified(hooks.wait_for("charge.dispute.created", opened["id"]))
    assert (created.data.object.charge, created.data.object.status) == (charge.id, "needs_response")
    withdrawn = verified(hooks.wait_for("charge.dispute.funds_withdrawn", opened["id"]))
    txn = withdrawn.data.object.balance_transactions[0]
    assert (txn.amount, txn.fee, txn.reporting_category) == (-3490, DISPUTE_FEE, "dispute")
    assert _available(client)[0] == before - 3490 - DISPUTE_FEE
    assert client.v1.charges.retrieve(charge.id).disputed is True
    with pytest.raises(stripe.InvalidRequestError) as refused:
        client.v1.refunds.create({"charge": charge.id, "amount": 100})
    assert refused.value.code == "charge_disputed"

    evidence = {"evidence": {"uncategorized_text": "Collected at the counter on Saturday."}}
    client.v1.disputes.update(opened["id"], evidence)
    updated = verified(hooks.wait_for("charge.dispute.updated", opened["id"]))
    assert updated.data.object.status == "under_review"
    assert updated.data.previous_attributes.status == "needs_response"
    process.close_dispute(opened["id"], won=True)
    closed = verified(hooks.wait_for("charge.dispute.closed", opened["id"]))
    assert closed.data.object.status == "won"
    hooks.wait_for("charge.dispute.funds_reinstated", opened["id"])
    assert _available(client)[0] == before - DISPUTE_FEE
    assert client.v1.disputes.retrieve(opened["id"]).status == "won"
    listed = client.v1.disputes.list({"charge": charge.id})
    assert [d.id for d in listed.data] == [opened["id"]]


def test_a_dispute_accepted_or_lost_keeps_the_funds_withdrawn(stripe_emulator, paid_session):
    client, process, hooks = (
        stripe_emulator.client(),
        stripe_emulator.process,
        stripe_emulator.webhooks,
    )
    charge = paid_session.payment_intent.latest_charge
    opened = process.open_dispute(charge.id, amount=1000)
    process.update_dispute(opened["id"], status="warning_under_review")
    hooks.wait_for("charge.dispute.updated", opened["id"])
    before = _available(client)[0]
    lost = client.v1.disputes.close(opened["id"])  # the platform accepts the dispute
    assert lost.status == "lost"
    assert (
        verified(hooks.wait_for("charge.dispute.closed", opened["id"])).data.object.status == "lost"
    )
    assert _available(client)[0] == before
    with pytest.raises(ControlError):
        process.close_dispute(opened["id"], won=True)  # already closed
    shape = client.v1.disputes.retrieve(opened["id"]).to_dict()
    assert {"evidence", "evidence_details", "balance_transactions", "is_charge_refundable"} <= set(
        shape
    )


def test_events_can_be_held_then_delivered_late_twice_and_shuffled(stripe_emulator):
    client, process, hooks = (
        stripe_emulator.client(),
        stripe_emulator.process,
        stripe_emulator.webhooks,
    )
    account = client.v1.accounts.create({"type": "express", "country": "FR"})
    process.set_delivery(hold=True, duplicate=True, shuffle=True, seed=13)
    try:
        for step in range(5):
            client.v1.accounts.update(account.id, {"metadata": {"step": str(step)}})
        made = [e.id for e in client.v1.events.list({"type": "account.updated", "limit": 5}).data][
            ::-1
        ]
        attempted = requests.get(f"{process.url}/_config/deliveries", timeout=5).json()["data"]
        assert not {d["event"] for d in attempted} & set(made)  # held: none posted yet
        order = [d["event"] for d in process.release_events()]
    finally:
        process.set_delivery()
    assert sorted(order) == sorted(made * 2) and order != sorted(order, key=made.index)
    received = [hooks.wait_for("account.updated", account.id).event["id"] for _ in order]
    assert received == order  # posted in the released order, each one twice


def test_some_event_types_can_arrive_late(stripe_emulator, group):
    client, process, hooks = (
        stripe_emulator.client(),
        stripe_emulator.process,
        stripe_emulator.webhooks,
    )
    process.set_delivery(hold=["payment_intent.succeeded"])
    try:
        session = client.v1.checkout.sessions.create(checkout_params(group))
        assert pay(session.url, "4242 4242 4242 4242").status_code == 303
        hooks.wait_for("checkout.session.completed", session.id)
        intent = client.v1.checkout.sessions.retrieve(session.id).payment_intent
        with hooks.condition:
            late = [(d.event["type"], d.event["data"]["object"]["id"]) for d in hooks.received]
            assert ("payment_intent.succeeded", intent) not in late
    finally:
        process.set_delivery()
    assert [d["type"] for d in process.release_events()] == ["payment_intent.succeeded"]
    hooks.wait_for("payment_intent.succeeded", intent)


def test_a_hung_api_answers_nothing_then_carries_the_request_out(fresh):
    process, client = fresh
    options = {"idempotency_key": "hung-account"}
    process.hang(60)  # unlike pause(), the control API still answers
    with pytest.raises(stripe.APIConnectionError, match="timed out"):
        client.v1.accounts.create({"type": "express", "email": "hung@example.org"}, options)
    process.hang(0)  # answers once the held request has been carried out
    made = client.v1.accounts.list().data
    assert [a.email for a in made] == ["hung@example.org"]  # Stripe made it anyway
    assert (
        client.v1.accounts.create({"type": "express", "email": "hung@example.org"}, options).id
        == made[0].id
    )
