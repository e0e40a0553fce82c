"""`flask payments ...`: retry unfinished transfers and refunds, reconcile with Stripe."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from marketplace.extensions import db
from marketplace.orders import emails
from payments.ledger import retry_unfinished
from payments.reconcile import reconcile
from payments.sweep import sweep_missing_entries

payments_cli = AppGroup("payments", help="Online payments maintenance.")


@payments_cli.command("retry-transfers")
def retry_transfers() -> None:
    """Plan what is missing (transfers of collected orders, refunds of cancelled ones) and retry failures."""
    planned = sweep_missing_entries()
    db.session.commit()
    entries = retry_unfinished()
    failed = [e for e in entries if e.status != "succeeded"]
    click.echo(f"{planned} planned, {len(entries)} tried, {len(failed)} still failing.")
    for entry in failed:
        click.echo(
            f"  order {entry.order_id} {entry.kind} {entry.amount_cents} cents: {entry.error}"
        )
    if failed:
        raise SystemExit(1)


@payments_cli.command("reconcile")
@click.option("--apply-missed-events", is_flag=True, help="Apply Stripe events we never received.")
def reconcile_command(apply_missed_events: bool) -> None:
    """Compare our checkouts, orders, refunds and transfers with Stripe; list every difference."""
    confirmed: list = []
    differences = reconcile(apply_missed_events, confirmed)
    db.session.commit()
    for order in confirmed:
        emails.send_order_confirmed(order)
    for line in differences:
        click.echo(line)
    click.echo(f"{len(differences)} difference(s).")
    if differences:
        raise SystemExit(1)
