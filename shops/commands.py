"""`flask shops ...`: approve a shop, import products and shops from CSV files."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from marketplace.db import utcnow
from marketplace.domain_errors import InvalidTransition
from marketplace.extensions import db
from shops.csv_products import import_products
from shops.csv_shops import import_shops
from shops.import_registers import queue_after_import
from shops.models import Shop
from shops.orphan_photos import remove_orphan_photos
from shops.photo_uploads import settle_stale_uploads
from shops.status import transition_by_verb, transition_shop

shops_cli = AppGroup("shops", help="Manage shops and catalogues.")


def _shop(slug: str) -> Shop:
    shop = db.session.scalar(select(Shop).where(Shop.slug == slug))
    if shop is None:
        raise click.ClickException(f"no shop with slug {slug!r}")
    return shop


def _print_errors(errors, file_error) -> None:
    if file_error is not None:
        detail = f" ({file_error.detail})" if file_error.detail else ""
        raise click.ClickException(f"file not imported: {file_error.code}{detail}")
    for error in errors:
        click.echo(f"line {error.line}, {error.column}: {error.message}", err=True)
    raise click.ClickException(f"nothing imported: {len(errors)} error(s)")


@shops_cli.command("approve")
@click.argument("slug")
def approve(slug: str) -> None:
    """Publish a shop that is pending review (the curator's decision, for the demo)."""
    shop = _shop(slug)
    try:
        transition_shop(shop, transition_by_verb("approve", shop.status).target, None)
    except InvalidTransition as error:
        raise click.ClickException(f"cannot publish a {error.current} shop") from error
    db.session.commit()
    click.echo(f"{slug} published.")


@shops_cli.command("import-products")
@click.argument("slug")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_products_command(slug: str, path: Path) -> None:
    """Import a catalogue CSV into the shop SLUG (all rows or none)."""
    report = import_products(_shop(slug), path.read_bytes())
    if not report.ok:
        db.session.rollback()
        _print_errors(report.errors, report.file_error)
    db.session.commit()
    click.echo(f"{report.created} created, {report.updated} updated, {report.unchanged} unchanged.")


@shops_cli.command("import-shops")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--publish", is_flag=True, help="Publish the new shops at once.")
@click.option("--no-invite", is_flag=True, help="Do not email invitations to new owners.")
@click.option(
    "--skip-invalid", is_flag=True, help="Import the lines without problems, list the others."
)
def import_shops_command(path: Path, publish: bool, no_invite: bool, skip_invalid: bool) -> None:
    """Create or update shops from the town's CSV (all rows or none, unless --skip-invalid)."""
    report = import_shops(path.read_bytes(), publish=publish, skip_invalid=skip_invalid)
    if not report.ok and (report.file_error is not None or not skip_invalid):
        db.session.rollback()
        _print_errors(report.errors, report.file_error)
    invited = [user.id for user in report.invited]
    db.session.commit()
    for error in report.errors:  # the lines left out
        click.echo(f"line {error.line}, {error.column}: {error.message}", err=True)
    queue_after_import(report, invite=not no_invite)
    skipped = f"{report.skipped} line(s) skipped, " if skip_invalid else ""
    click.echo(
        f"{report.created} created, {report.updated} updated, {skipped}"
        f"{len(invited)} owner(s) invited."
    )


@shops_cli.command("prune-photos")
@click.option(
    "--grace-hours",
    type=float,
    default=None,
    help="Only files older than this (default: ORPHAN_PHOTO_GRACE_HOURS, 24).",
)
@click.option("--dry-run", is_flag=True, help="List what would go; remove nothing.")
def prune_photos(grace_hours: float | None, dry_run: bool) -> None:
    """Remove uploaded photo files that no shop, product or collection names."""
    hours = current_app.config["ORPHAN_PHOTO_GRACE_HOURS"] if grace_hours is None else grace_hours
    if hours < 0:
        raise click.BadParameter("0 or more", param_hint="--grace-hours")
    if not dry_run:
        stuck, _ = settle_stale_uploads(
            utcnow(), current_app.config["UPLOAD_DIR"], timedelta(hours=hours)
        )
        db.session.commit()
        if stuck:
            click.echo(f"{stuck} upload(s) waiting for more than {hours} h given up.")
    removed = remove_orphan_photos(
        current_app.config["UPLOAD_DIR"], timedelta(hours=hours), dry_run=dry_run
    )
    for path in removed:
        click.echo(f"{'would remove' if dry_run else 'removed'} {path}")
    click.echo(f"{len(removed)} orphan file(s) {'found' if dry_run else 'removed'}.")
