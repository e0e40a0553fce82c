"""The payments' periodic tasks do what `flask payments retry-transfers | reconcile` do."""

from __future__ import annotations

import pytest

from marketplace.extensions import db
from marketplace.jobs.models import FAILED, RECOVERED, JobFailure
from payments.jobs import reconcile_with_stripe, retry_transfers
from tests.payments.town import hand_over, paid_cart, statuses


def failures_of(name: str) -> list[tuple[str, int]]:
    db.session.expire_all()
    rows = db.session.scalars(db.select(JobFailure).where(JobFailure.task_name == name))
    return [(r.status, r.attempts) for r in rows]


@pytest.mark.parametrize("town_settings", [{"STRIPE_TIMEOUT_SECONDS": 0.5}], ids=["timeout-0.5s"])
def test_a_transfer_missed_while_stripe_was_down_is_paid_by_the_periodic_task(town):
    _, checkout = paid_cart(town)
    bread = checkout.orders[0]
    town.emulator.pause()
    hand_over(town, bread)
    assert statuses(checkout) == ["collected", "confirmed", "confirmed"]

    with town.app.app_context():
        retry_transfers.delay()  # Stripe still down: the run fails, the admin sees why
        assert failures_of(retry_transfers.name) == [(FAILED, 1)]
        town.emulator.resume()
        retry_transfers.delay()
        reconcile_with_stripe.delay()
        assert failures_of(retry_transfers.name) == [(RECOVERED, 1)]
        assert failures_of(reconcile_with_stripe.name) == []

    group = {"transfer_group": f"checkout-{checkout.id}"}
    [transfer] = town.stripe.v1.transfers.list(group).data
    assert (transfer.destination, transfer.amount) == (bread.shop.stripe_account_id, 879)
