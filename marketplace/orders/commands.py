"""`flask orders ...`: expire unpaid reservations, send pickup-day reminders."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from marketplace.db import utcnow
from marketplace.extensions import db
from marketplace.orders import emails, operations

orders_cli = AppGroup(
    "orders", help="Order maintenance (the jobs worker also runs them periodically)."
)


@orders_cli.command("expire")
def expire() -> None:
    """Expire unpaid orders whose reservation ran out, returning their stock."""
    expired = operations.expire_overdue(utcnow())
    db.session.commit()
    click.echo(f"{len(expired)} order(s) expired.")


@orders_cli.command("remind")
def remind() -> None:
    """Queue the reminder of each resident whose pickup is today (once per order)."""
    orders = operations.due_reminders(utcnow(), current_app.config["TIMEZONE"])
    db.session.commit()
    for order in orders:
        emails.send_pickup_reminder(order)
    click.echo(f"{len(orders)} reminder(s) queued.")
