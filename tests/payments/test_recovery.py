"""When messages get lost: `flask payments reconcile` finds and applies them, transfers are retried."""

from __future__ import annotations

import pytest

from marketplace.extensions import db
from shops.models import Shop
from tests.payments.conftest import pay
from tests.payments.town import (
    VISA,
    check_out,
    hand_over,
    last_checkout,
    paid_cart,
    refund_at_counter,
    statuses,
    subjects_to,
    three_shop_cart,
)


def test_a_payment_whose_webhooks_were_lost_is_recovered_by_reconcile(town, elsewhere):
    browser, _ = three_shop_cart(town)
    sent = check_out(browser)
    checkout = last_checkout()

    town.webhooks_to(elsewhere.url)  # Vitrine hears nothing while Camille pays
    assert pay(sent.headers["Location"], VISA).status_code == 303
    elsewhere.wait_for("checkout.session.completed", checkout.stripe_session_id)
    town.webhooks_to_app()
    assert statuses(checkout) == ["pending_payment"] * 3

    report = town.cli("payments", "reconcile")
    assert report.exit_code == 1
    lines = report.output.splitlines()
    assert [line.split(" (")[1] for line in lines if line.startswith("event ")] == [
        "payment_intent.succeeded) was never received",
        "checkout.session.completed) was never received",
    ]
    assert f"checkout {checkout.id}: Stripe says paid, Vitrine says unpaid" in lines
    assert lines[-1] == "3 difference(s)."

    recovered = town.cli("payments", "reconcile", "--apply-missed-events")
    assert recovered.exit_code == 0 and recovered.output == "0 difference(s).\n"
    assert statuses(checkout) == ["confirmed"] * 3
    assert len(subjects_to(town.app, "camille@example.org")) == 3  # her confirmations

    after = town.cli("payments", "reconcile")
    assert (after.exit_code, after.output) == (0, "0 difference(s).\n")


def test_a_transfer_refused_for_a_shop_without_payouts_is_retried_once_it_is_onboarded(town):
    _, checkout = paid_cart(town)
    bread = checkout.orders[0]
    account = bread.shop.stripe_account_id
    town.emulator.set_account(account, payouts_enabled=False)  # Stripe wants more documents
    town.wait_for("account.updated", account)
    assert db.session.get(Shop, bread.shop_id).payouts_enabled is False

    hand_over(town, bread)
    group = {"transfer_group": f"checkout-{checkout.id}"}
    assert town.stripe.v1.transfers.list(group).data == []
    failing = town.cli("payments", "retry-transfers")
    assert failing.exit_code == 1
    assert failing.output.splitlines() == [
        "0 planned, 1 tried, 1 still failing.",
        f"  order {bread.id} transfer 879 cents: shop boulangerie-moreau cannot receive "
        "payouts yet",
    ]

    town.emulator.set_account(account, payouts_enabled=True)  # the bakery completes its file
    town.wait_for("account.updated", account)
    retried = town.cli("payments", "retry-transfers")
    assert (retried.exit_code, retried.output) == (0, "0 planned, 1 tried, 0 still failing.\n")
    # 9,00 € less its part of Stripe's fee (21 of 73 cents); no commission by default
    [transfer] = town.stripe.v1.transfers.list(group).data
    assert (transfer.destination, transfer.amount) == (account, 879)
    assert transfer.source_transaction == checkout.stripe_charge_id

    again = town.cli("payments", "retry-transfers")
    assert again.output == "0 planned, 0 tried, 0 still failing.\n"
    assert len(town.stripe.v1.transfers.list(group).data) == 1
    assert town.cli("payments", "reconcile").output == "0 difference(s).\n"


@pytest.mark.parametrize("town_settings", [{"STRIPE_TIMEOUT_SECONDS": 0.5}], ids=["timeout-0.5s"])
def test_a_collection_while_stripe_is_unreachable_is_paid_to_the_shop_later(town):
    _, checkout = paid_cart(town)
    bread = checkout.orders[0]

    town.emulator.pause()
    hand_over(town, bread)  # the counter is not held up by Stripe
    town.emulator.resume()
    assert statuses(checkout) == ["collected", "confirmed", "confirmed"]

    retried = town.cli("payments", "retry-transfers")
    assert retried.exit_code == 0, retried.output
    group = {"transfer_group": f"checkout-{checkout.id}"}
    [transfer] = town.stripe.v1.transfers.list(group).data
    assert (transfer.destination, transfer.amount) == (bread.shop.stripe_account_id, 879)
    assert town.cli("payments", "reconcile").output == "0 difference(s).\n"


@pytest.mark.parametrize("town_settings", [{"STRIPE_TIMEOUT_SECONDS": 0.5}], ids=["timeout-0.5s"])
def test_a_refund_while_stripe_is_unreachable_says_so_and_is_sent_once_later(town):
    _, checkout = paid_cart(town)
    bread = checkout.orders[0]
    hand_over(town, bread)

    town.emulator.pause()
    shown = refund_at_counter(town, bread, "2,00", "Une baguette manquait.")
    town.emulator.resume()
    assert [category for category, _ in shown] == ["warning"]
    assert "did not confirm it yet" in shown[0][1]
    # Stripe may have done the refund before our timeout: the retries reuse the same
    # idempotency key, so the card is refunded exactly once whatever happened.
    assert town.cli("payments", "retry-transfers").exit_code == 0
    assert town.cli("payments", "retry-transfers").exit_code == 0
    charge_id = db.session.get(type(checkout), checkout.id).stripe_charge_id
    assert town.stripe.v1.charges.retrieve(charge_id).amount_refunded == 200
