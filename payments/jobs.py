"""The payments' periodic tasks: the same services as `flask payments retry-transfers | reconcile`."""

from __future__ import annotations

from marketplace.extensions import db
from marketplace.jobs import DailyAt, Every, periodic
from payments.client import is_configured
from payments.ledger import retry_unfinished
from payments.reconcile import reconcile
from payments.sweep import sweep_missing_entries


class StillDifferent(RuntimeError):
    """Money still differs after the run: shown on /admin/jobs like a failed command's exit 1."""


@periodic(Every(minutes=15))
def retry_transfers() -> int:
    """Plan missing transfers and refunds, then execute every unfinished one (fails if any still fail)."""
    if not is_configured():
        return 0
    sweep_missing_entries()
    db.session.commit()
    failed = [e for e in retry_unfinished() if e.status != "succeeded"]
    if failed:  # the ledger keeps them and the next run tries again; the admin sees this one
        raise StillDifferent(
            "; ".join(
                f"order {e.order_id} {e.kind} {e.amount_cents} cents: {e.error}" for e in failed
            )
        )
    return 0


@periodic(DailyAt(3, 30))
def reconcile_with_stripe() -> int:
    """Compare with Stripe and apply the events never received (fails while differences remain)."""
    if not is_configured():
        return 0
    report = reconcile(apply_missed_events=True)  # recovered events send their own emails
    db.session.commit()
    found = report.differences + report.errors
    if found:
        raise StillDifferent(f"{len(found)} difference(s) or error(s): " + "; ".join(found))
    return 0
