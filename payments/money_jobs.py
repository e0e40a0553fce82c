"""Money moved by the jobs worker, never in a request: transfers, refunds, reversals, disputes.

A request (or a webhook) commits the rows and the flags first, then queues one of these; each
re-reads the database and the ledger, so running it twice, late, or after a crash is safe
(every row carries its idempotency key, and a sent row is looked up at Stripe before a retry).
Stripe unreachable: the job raises and the queue retries it with backoff.
"""

from __future__ import annotations

from marketplace.jobs import job
from payments.client import is_configured
from payments.disputes import settle_disputed_orders
from payments.ledger import execute_and_commit
from payments.settle import settle_order


@job(retries=8, retry_delay=30, retry_backoff=2.0)
def settle_order_money(order_id: int, reason: str = "collected") -> None:
    """Send a collected order's shop what it is owed (a transfer, or reversals after refunds)."""
    if is_configured():
        settle_order(order_id, reason)


@job(retries=8, retry_delay=30, retry_backoff=2.0)
def send_ledger_entries(entry_ids: list[int]) -> None:
    """Send committed ledger rows (refunds, reversals) to Stripe, settling the shop after."""
    if is_configured():
        execute_and_commit(entry_ids)


@job(retries=8, retry_delay=30, retry_backoff=2.0)
def settle_disputes(dispute_ids: list[int]) -> None:
    """Bring the transfers of disputed orders to what their shops are owed now."""
    if is_configured():
        settle_disputed_orders(dispute_ids)
