"""A transfer Stripe made although we timed out, then lowered by a refund: never resent changed."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from marketplace.extensions import db
from payments.models import LedgerEntry
from tests.payments.refund_helpers import bakery_transfers, ledger
from tests.payments.town import hand_over, paid_cart, refund_at_counter


@pytest.mark.parametrize("town_settings", [{"STRIPE_TIMEOUT_SECONDS": 0.5}], ids=["timeout-0.5s"])
def test_a_timed_out_transfer_lowered_by_a_refund_leaves_the_shop_the_right_net(town):
    _, checkout = paid_cart(town)
    bread, brie, _ = checkout.orders
    hand_over(town, brie)  # Stripe's fee on the payment is read while Stripe answers

    town.emulator.pause()
    hand_over(town, bread)  # the transfer is asked for, and Stripe does not answer in time
    town.emulator.resume()
    # Stripe made it anyway: the queued request is handled once the emulator runs again.
    assert [t.amount for t in bakery_transfers(town, checkout, bread)] == [879]
    [sent] = db.session.scalars(
        select(LedgerEntry).where(LedgerEntry.order_id == bread.id, LedgerEntry.kind == "transfer")
    )
    key = sent.idempotency_key

    shown = refund_at_counter(town, bread, "2,00", "Une baguette manquait.")
    assert [category for category, _ in shown] == ["success"]
    retried = town.cli("payments", "retry-transfers")
    assert (retried.exit_code, retried.output) == (0, "0 planned, 0 tried, 0 still failing.\n")

    # One transfer of 8,79 € under its first key, and 2,00 € taken back by a row of its own.
    [transfer] = bakery_transfers(town, checkout, bread)
    assert (transfer.amount, transfer.amount_reversed) == (879, 200)
    assert ledger(bread) == [
        ("transfer", 879, "succeeded"),
        ("refund", 200, "succeeded"),
        ("reversal", 200, "succeeded"),
    ]
    assert db.session.get(LedgerEntry, sent.id).idempotency_key == key
    assert town.cli("payments", "reconcile").output.endswith("0 difference(s).\n")
