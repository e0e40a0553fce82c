"""Requests and webhooks only record and enqueue: Stripe is called by the jobs worker."""

from __future__ import annotations

from sqlalchemy import select

from marketplace.extensions import db
from marketplace.jobs.queue import queue_of
from payments.models import PLANNED, REFUND, SUCCEEDED, TRANSFER, LedgerEntry
from tests.payments.test_disputes import send_dispute_event
from tests.payments.town import hand_over, paid_cart, refund_at_counter, subjects_to


def rows(order, kind: str) -> list[tuple[str, int]]:
    db.session.expire_all()
    found = db.session.scalars(
        select(LedgerEntry).where(LedgerEntry.order_id == order.id, LedgerEntry.kind == kind)
    )
    return [(r.status, r.amount_cents) for r in found]


def test_collection_refund_and_dispute_move_money_only_when_the_worker_runs(town):
    _, checkout = paid_cart(town)
    bread = checkout.orders[0]
    queue = queue_of(town.app)
    queue.huey.immediate = False  # as in production: a worker runs the jobs
    try:
        hand_over(town, bread)
        assert rows(bread, TRANSFER) == []  # the request queued the transfer, no more
        assert (
            town.stripe.v1.transfers.list({"transfer_group": f"checkout-{checkout.id}"}).data == []
        )
        queue.drain()
        [(status, sent)] = rows(bread, TRANSFER)
        assert status == SUCCEEDED and sent > 0

        refund_at_counter(town, bread, "1,00", "Pain rassis")
        assert rows(bread, REFUND) == [(PLANNED, 100)]
        assert (
            town.stripe.v1.refunds.list({"payment_intent": checkout.stripe_payment_intent_id}).data
            == []
        )
        queue.drain()
        assert rows(bread, REFUND) == [(SUCCEEDED, 100)]

        send_dispute_event(town, checkout, "charge.dispute.created", "needs_response")
        owner = bread.shop.owner.email
        assert not any("contesté" in s for s in subjects_to(town.app, owner))  # French: the owner's
        queue.drain()
        assert any("contesté" in s for s in subjects_to(town.app, owner))
    finally:
        queue.huey.immediate = True
