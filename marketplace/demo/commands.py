"""`flask demo load` and `flask demo reset`: the demo town, built from real Paris shops."""

from __future__ import annotations

import time

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from marketplace.demo.accounts import echo_access
from marketplace.demo.card_payment import CARD_SHARE, connect_demo_shops
from marketplace.demo.loading import empty_database, load_town
from marketplace.extensions import db
from payments.demo_accounts import on_emulator
from shops.models import Product, Shop

demo_cli = AppGroup("demo", help="Load or rebuild the demo town.")


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


@demo_cli.command("connect-shops")
@click.option(
    "--share",
    type=click.FloatRange(0, 1),
    default=CARD_SHARE,
    show_default=True,
    help="Share of the published shops that take card payment.",
)
def connect_shops_command(share: float) -> None:
    """On the offline Stripe emulator: give most shops an onboarded Stripe account (make run)."""
    if not on_emulator():
        raise click.UsageError(
            "Only on the offline Stripe emulator (STRIPE_API_BASE): real shops connect themselves."
        )
    connected, published = connect_demo_shops(share)
    click.echo(
        f"Card payment online: {connected} of {published} published shops (Stripe emulator)."
    )
