"""`flask privacy retention`: apply the retention policy now, or show what it would do."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from marketplace.privacy.jobs import run_retention

privacy_cli = AppGroup("privacy", help="Personal data (the jobs worker applies retention daily).")


@privacy_cli.command("retention")
@click.option("--dry-run", is_flag=True, help="Print what would be done and change nothing.")
def retention(dry_run: bool) -> None:
    """Warn or delete inactive accounts, purge old search logs, pseudonymise old orders."""
    report = run_retention(dry_run=dry_run)
    click.echo("Dry run, nothing changed. Would do:" if dry_run else "Done:")
    for line in report.lines():
        click.echo(f"  {line}")
