"""`flask demo ...`: the demo town, built from real Paris shops through the CSV import services."""

from __future__ import annotations

import csv
import gzip
import itertools
import json
import os
import random
import sys
import time
from collections import defaultdict

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import func, select, text

from config import ROOT
from marketplace import demo_data
from marketplace.accounts import services as accounts
from marketplace.accounts.models import ADMIN, CURATOR, RESIDENT, SHOPKEEPER, User
from marketplace.extensions import db
from search.sync import batched_indexing
from shops import csv_products, csv_shops
from shops.csv_io import write_table
from shops.models import Product, Shop
from shops.services import slugify

demo_cli = AppGroup("demo", help="Load or rebuild the demo town.")

DEMO_DIR = ROOT / "data" / "demo"
PASSWORD = "vitrine-demo"  # noqa: S105 - printed on purpose: everyone may try the demo
ACCOUNTS = (
    ("resident@demo.vitrine.localhost", "Camille Martin", RESIDENT),
    ("shopkeeper@demo.vitrine.localhost", "Julien Moreau", SHOPKEEPER),
    ("curator@demo.vitrine.localhost", "Service du développement économique", CURATOR),
    ("admin@demo.vitrine.localhost", "Administration Vitrine", ADMIN),
)
SHOPKEEPER_EMAIL = ACCOUNTS[1][0]
# The demo shopkeeper's second shop, left as a draft so the review flow can be tried.
DRAFT_SHOP = {
    "slug": "l-epicerie-de-leonie",
    "name": "L'Épicerie de Léonie",
    "description": "Conserves, huiles et douceurs de petits producteurs, choisies par Julien.",
}


def read_shops() -> list[dict[str, str]]:
    """Return the 2,503 Paris shops of data/demo/, each with a slug unique among them all."""
    with gzip.open(DEMO_DIR / "shops_paris.csv.gz", "rt", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    taken: set[str] = set()
    for row in rows:
        base = slugify(row["name"], 64)
        # Chains (Naturalia, Eric Kayser...) get their arrondissement, then a number.
        slug = base if base not in taken else f"{base}-paris-{int(row['postcode'][-2:])}"
        if slug in taken:
            slug = next(f"{slug}-{n}" for n in itertools.count(2) if f"{slug}-{n}" not in taken)
        taken.add(slug)
        row["slug"] = slug
    return rows


def read_pool() -> list[dict]:
    """Return the committed Open Food Facts products (those of the 75011 shops)."""
    with gzip.open(DEMO_DIR / "products.jsonl.gz", "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def build_town(
    postcode: str, seed: int, products: int | None, shops: int | None = None
) -> list[demo_data.TownShop]:
    """Plan the town: shop rows (hours, SIRET, owner), settings and catalogues.

    `postcode` may list several postcodes ("75011,75015"), taken in that order; `shops` caps
    the town (its draft shop included), for the scaled benchmark town.
    """
    sources = read_shops()
    postcodes = postcode.split(",")
    category_of = {
        s["shop_id"]: demo_data.shop_category(s["type"], s["name"], s["description"])
        for s in sources
    }
    by_shop: dict[str, list[dict]] = defaultdict(list)
    by_category: dict[str, list[dict]] = defaultdict(list)
    for product in read_pool():
        by_shop[product["shop_id"]].append(product)
        by_category[category_of[product["shop_id"]]].append(product)
    chosen = sorted(
        (s for s in sources if s["postcode"] in postcodes),
        key=lambda s: postcodes.index(s["postcode"]),
    )
    if shops is not None:
        chosen = chosen[: max(shops - 1, 0)]
    town = [_town_shop(s, category_of[s["shop_id"]], seed) for s in chosen]
    if not town:
        raise click.ClickException(f"no shop in postcode {postcode}")
    for shop in town:
        demo_data.plan_catalogue(shop, by_shop.get(shop.source_id, []), by_category)
    # The demo shopkeeper runs the bakery with the most products (any food shop if none).
    bakery = max(
        town, key=lambda s: (s.category == "boulangerie", s.category in demo_data.FOOD, len(s.own))
    )
    bakery.row["owner_email"] = SHOPKEEPER_EMAIL
    street = bakery.row["address"].split(" ", 1)[-1]
    draft = _town_shop(
        {**bakery.row, **DRAFT_SHOP, "address": f"2 {street}"}, "epicerie-fine", seed
    )
    draft.row["owner_email"] = SHOPKEEPER_EMAIL
    demo_data.plan_catalogue(draft, [], by_category)
    draft.size = min(12, draft.size)
    town.append(draft)
    if products is not None:
        demo_data.scale_catalogues(town, products)
    return town


def _town_shop(source: dict[str, str], category: str, seed: int) -> demo_data.TownShop:
    rng = random.Random(f"{seed}:{source['slug']}")  # noqa: S311 - seeded on purpose
    row = {
        "slug": source["slug"],
        "name": source["name"].strip(),
        "category": category,
        "address": source["address"].strip(),
        "postcode": source["postcode"],
        "city": "Paris",
        "lat": source["lat"],
        "lon": source["lon"],
        "siret": demo_data.siret(rng),
        "phone": demo_data.phone(rng),
        "opening_hours": demo_data.opening_hours(category, rng),
        "owner_email": f"shop-{source['slug'][:58]}@demo.vitrine.localhost",
        "description": source.get("description", "").strip(),
    }
    settings = demo_data.pickup_settings(category, rng)
    return demo_data.TownShop(source.get("shop_id", ""), category, row, rng, settings)


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


def ensure_accounts() -> dict[str, User]:
    """Create (or repair) the four demo accounts; return them by role."""
    users = {}
    for email, name, role in ACCOUNTS:
        user = accounts.find_user_by_email(email) or accounts.register_user(email, None, name, role)
        user.role = role
        if accounts.authenticate(email, PASSWORD) is None:
            accounts.set_password(user, PASSWORD)
        users[role] = user
    db.session.flush()
    return users


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
    featured = demo_data.pick_featured(town[:-1], random.Random(f"{seed}:featured"))  # noqa: S311
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
            rows = demo_data.catalogue(planned)
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


def echo_access() -> None:
    """Print the demo accounts and the address to open."""
    click.echo(f"Demo accounts (password: {PASSWORD}):")
    for email, _name, role in ACCOUNTS:
        click.echo(f"  {role:<10} {email}")
    click.echo(f"Open http://127.0.0.1:{os.environ.get('PORT', '5000')}")


def _town_options(command):
    command = click.option("--seed", default=42, show_default=True, help="Random seed.")(command)
    command = click.option(
        "--products", type=click.IntRange(min=0), help="Scale the catalogue to N products."
    )(command)
    command = click.option(
        "--shops", type=click.IntRange(min=2), help="At most N shops (benchmarks: 500)."
    )(command)
    return click.option(
        "--postcode",
        default="75011",
        show_default=True,
        help="Postcode, or several in order: 75011,75015,75012.",
    )(command)


def _load(postcode: str, products: int | None, seed: int, shops: int | None = None) -> None:
    started = time.perf_counter()
    load_town(postcode, products, seed, shops)
    shops, count = db.session.execute(
        select(func.count(func.distinct(Shop.id)), func.count(Product.id))
        .select_from(Shop)
        .outerjoin(Product, Product.shop_id == Shop.id)
        .where(Shop.postcode.in_(postcode.split(",")))
    ).one()
    took = time.perf_counter() - started
    click.echo(f"Demo town {postcode}: {shops} shops, {count} products, loaded in {took:.1f} s.")
    echo_access()


@demo_cli.command("load")
@click.option("--if-empty", is_flag=True, help="Do nothing when a shop already exists.")
@_town_options
def load_command(
    if_empty: bool, postcode: str, products: int | None, seed: int, shops: int | None
) -> None:
    """Create or update the demo town (real Paris shops, products and demo accounts)."""
    if if_empty and db.session.scalar(select(Shop.id).limit(1)) is not None:
        click.echo("The database already has shops: demo town not loaded.")
        echo_access()
        return
    _load(postcode, products, seed, shops)


@demo_cli.command("reset")
@click.confirmation_option(prompt="Delete every row of every table and load the demo town?")
@_town_options
def reset_command(postcode: str, products: int | None, seed: int, shops: int | None) -> None:
    """Empty every table, then load the demo town again."""
    empty_database()
    _load(postcode, products, seed, shops)
