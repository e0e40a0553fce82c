"""`make run` offline: most demo shops take card payment, on accounts the emulator onboarded."""

from __future__ import annotations

from sqlalchemy import select

from marketplace.demo.accounts import SHOPKEEPER_EMAIL
from marketplace.demo.card_payment import takes_card
from marketplace.extensions import db
from shops.models import PUBLISHED, Shop

# The smallest arrondissement of the demo data (56 shops), with a small catalogue.
SMALL_TOWN = ("demo", "load", "--postcode", "75001", "--products", "100")


def published_shops() -> list[Shop]:
    db.session.expire_all()
    return list(db.session.scalars(select(Shop).where(Shop.status == PUBLISHED).order_by(Shop.id)))


def test_most_demo_shops_are_onboarded_on_the_emulator(town):
    assert town.cli(*SMALL_TOWN).exit_code == 0
    assert not any(s.payouts_enabled for s in published_shops())  # demo load alone: none

    done = town.cli("demo", "connect-shops")

    assert done.exit_code == 0, done.output
    shops = published_shops()
    paid = [s for s in shops if s.payouts_enabled]
    assert f"Card payment online: {len(paid)} of {len(shops)} published shops" in done.output
    assert 0.6 * len(shops) <= len(paid) < len(shops)  # most shops, not all: some at the counter
    keeper = next(s for s in shops if s.owner.email == SHOPKEEPER_EMAIL)
    assert not keeper.payouts_enabled  # left for the demo shopkeeper to connect
    for shop in paid[:3]:
        account = town.stripe.v1.accounts.retrieve(shop.stripe_account_id)
        assert account.payouts_enabled and account.capabilities["transfers"] == "active"


def test_accounts_the_emulator_forgot_are_replaced_or_forgotten(town):
    assert town.cli(*SMALL_TOWN).exit_code == 0
    shops = published_shops()
    chosen = next(s for s in shops if takes_card(s.slug) and s.owner.email != SHOPKEEPER_EMAIL)
    other = next(s for s in shops if not takes_card(s.slug))
    # Left by the previous run of `make run`: the emulator remembers nothing across restarts.
    chosen.stripe_account_id, chosen.payouts_enabled = "acct_from_yesterday", True
    other.stripe_account_id = "acct_half_onboarded_yesterday"
    db.session.commit()

    assert town.cli("demo", "connect-shops").exit_code == 0

    db.session.expire_all()
    assert chosen.stripe_account_id not in (None, "acct_from_yesterday")
    assert town.stripe.v1.accounts.retrieve(chosen.stripe_account_id).payouts_enabled
    assert (other.stripe_account_id, other.payouts_enabled) == (None, False)


def test_connecting_demo_shops_is_refused_off_the_emulator(app):
    refused = app.test_cli_runner().invoke(args=["demo", "connect-shops"])

    assert refused.exit_code != 0
    assert "Only on the offline Stripe emulator" in refused.output
