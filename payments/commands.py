"""`flask payments ...`: retry unfinished transfers and refunds, reconcile with Stripe."""

from __future__ import annotations

import json

import click
from flask import current_app
from flask.cli import AppGroup

from marketplace.extensions import db
from payments.ledger import retry_unfinished
from payments.reconcile import DEFAULT_WINDOW_DAYS, reconcile
from payments.smoke import run_smoke
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
@click.option(
    "--days",
    default=DEFAULT_WINDOW_DAYS,
    show_default=True,
    type=click.IntRange(1, 400),
    help="Also compare final checkouts changed in the last N days.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def reconcile_command(apply_missed_events: bool, days: int, as_json: bool) -> None:
    """Compare unfinished and recent checkouts with Stripe; list every difference.

    Exits 1 when a difference remains or something could not be checked.
    """
    report = reconcile(apply_missed_events, days)
    db.session.commit()
    if as_json:
        click.echo(json.dumps(report.as_dict(), indent=2))
    else:
        for line in report.differences:
            click.echo(line)
        for line in report.errors:
            click.echo(f"error: {line}")
        if report.errors:
            click.echo(f"{len(report.errors)} error(s).")
        click.echo(f"{len(report.differences)} difference(s).")
    if report.differences or report.errors:
        raise SystemExit(1)


@payments_cli.command("smoke")
@click.option("--account", help="An onboarded connected test account (acct_...) for transfers.")
@click.option(
    "--allow-emulator", is_flag=True, help="Run against STRIPE_API_BASE (tests of this command)."
)
def smoke_command(account: str | None, allow_emulator: bool) -> None:
    """Run the money path once against Stripe's test mode (docs/payments.md, checklist)."""
    config = current_app.config
    key = config.get("STRIPE_SECRET_KEY") or ""
    if not key.startswith(("sk_test_", "rk_test_")):
        raise click.UsageError(
            "Set STRIPE_SECRET_KEY to a test-mode key (sk_test_...): never live."
        )
    if config.get("STRIPE_API_BASE") and not allow_emulator:
        raise click.UsageError(
            "STRIPE_API_BASE points at the emulator: unset it to smoke-test real Stripe."
        )
    run = run_smoke(account)
    for line in run.lines:
        click.echo(line)
    click.echo(f"{run.failed} step(s) failed.")
    if run.failed:
        raise SystemExit(1)
