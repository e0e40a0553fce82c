"""Write the planned demo town through the CSV import services, or empty the database."""

from __future__ import annotations

import random
import sys

import click
from flask import current_app
from sqlalchemy import select, text

from marketplace.accounts.models import CURATOR
from marketplace.demo.accounts import ensure_accounts
from marketplace.demo.catalogues import catalogue, pick_featured
from marketplace.demo.town import build_town
from marketplace.extensions import db
from search.sync import batched_indexing
from shops import csv_products, csv_shops
from shops.csv_io import write_table
from shops.models import Shop


def _csv(columns: list[str], rows: list[dict]) -> bytes:
    return write_table(columns, ([row.get(c, "") for c in columns] for row in rows)).encode()


def _check(report, what: str) -> None:
    if report.ok:
        return
    db.session.rollback()
    if report.file_error is not None:
        raise click.ClickException(f"{what}: {report.file_error.code} {report.file_error.detail}")
    first = "; ".join(f"line {e.line} {e.column}: {e.message}" for e in report.errors[:5])
    raise click.ClickException(f"{what}: {len(report.errors)} error(s), {first}")


def load_town(postcode: str, products: int | None, seed: int, shops: int | None = None) -> None:
    """Create or update the demo town through the import services, committing shop by shop."""
    town = build_town(postcode, seed, products, shops)
    users = ensure_accounts()
    columns = csv_shops.COLUMNS
    # The curator approves the town's shops; the draft waits for its shopkeeper to submit it.
    rows = [s.row for s in town[:-1]]
    _check(csv_shops.import_shops(_csv(columns, rows), True, users[CURATOR].id), "shops")
    _check(csv_shops.import_shops(_csv(columns, [town[-1].row])), "draft shop")
    slugs = [s.slug for s in town]
    by_slug = {s.slug: s for s in db.session.scalars(select(Shop).where(Shop.slug.in_(slugs)))}
    featured = pick_featured(town[:-1], random.Random(f"{seed}:featured"))  # noqa: S311
    for planned in town:
        shop = by_slug[planned.slug]
        for key, value in planned.settings.items():
            setattr(shop, key, value)
        shop.featured = shop.featured or planned.slug in featured
        if shop.owner.name == shop.owner.email.split("@")[0]:
            shop.owner.name = shop.name  # new owners are named after their shop, not their email
    db.session.commit()
    label = f"Catalogues of {len(town)} shops"
    with (
        batched_indexing(current_app._get_current_object()),  # type: ignore[attr-defined]  # current_app is a proxy typed as Flask
        click.progressbar(town, label=label, file=sys.stderr) as bar,
    ):
        for planned in bar:
            rows = catalogue(planned)
            if rows:
                data = _csv(csv_products.COLUMNS, rows)
                _check(csv_products.import_products(by_slug[planned.slug], data), planned.slug)
                # One commit per shop: a 100,000-product load never holds them all in memory.
                db.session.commit()


def empty_database() -> None:
    """Delete every row of every table, children first; the schema stays."""
    tables = list(reversed(db.metadata.sorted_tables))
    if db.engine.dialect.name == "postgresql":
        # TRUNCATE, not DELETE: the append-only trigger of audit_log refuses row deletes, and a
        # reset of the demo is the one deliberate exception.
        names = ", ".join(db.engine.dialect.identifier_preparer.format_table(t) for t in tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY"))
    else:
        for table in tables:
            db.session.execute(table.delete())
    db.session.commit()
