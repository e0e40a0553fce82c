"""The demo town: `flask demo load` builds a believable town through the import services."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import func, select

from marketplace.accounts import services as accounts
from marketplace.accounts.models import User
from marketplace.demo.accounts import ACCOUNTS, PASSWORD
from marketplace.demo.categories import FOOD, shop_category
from marketplace.demo.shop_details import HABITS, opening_hours, siret
from marketplace.demo.town import build_town
from marketplace.extensions import db
from search.indexer import has_pending
from shops.models import DRAFT, PUBLISHED, OpeningHours, Product, Shop
from shops.osm_hours import parse_opening_hours
from shops.siret import is_valid_siret
from tests.conftest import outbox
from tests.factories import login

# 75001 is the smallest arrondissement of the data (56 shops); capping the catalogue keeps
# each load to a couple of seconds.
SMALL_TOWN = ["demo", "load", "--postcode", "75001", "--products", "300"]


def run(app, *args: str, input: str | None = None):
    """Run a `flask ...` command and check that it succeeded."""
    result = app.test_cli_runner().invoke(args=list(args), input=input)
    assert result.exit_code == 0, result.output + repr(result.exception)
    return result


def counts() -> dict[str, int]:
    """Count what a demo load creates."""
    return {
        model.__name__: db.session.scalar(select(func.count()).select_from(model))
        for model in (Shop, Product, User, OpeningHours)
    }


def test_load_builds_a_published_town_with_hours_products_and_accounts(app):
    result = run(app, *SMALL_TOWN)

    shops = db.session.scalars(select(Shop)).all()
    published = [s for s in shops if s.status == PUBLISHED]
    assert len(published) >= 50
    assert all(s.hours and s.city == "Paris" and is_valid_siret(s.siret) for s in shops)
    assert counts()["Product"] == 300
    # Every product has a type of the taxonomy (issue 14).
    untyped = select(func.count()).select_from(Product).where(Product.product_type.is_(None))
    assert db.session.scalar(untyped) == 0
    assert sum(s.featured for s in published) == 6
    assert "vitrine-demo" in result.output and "http://127.0.0.1:" in result.output
    assert "300 products" in result.output

    keeper = accounts.find_user_by_email("shopkeeper@demo.vitrine.localhost")
    own = {s.status: s for s in shops if s.owner_id == keeper.id}
    assert set(own) == {PUBLISHED, DRAFT}
    assert own[PUBLISHED].category in FOOD
    # One shopkeeper per shop, and nobody was sent an invitation.
    assert len({s.owner_id for s in shops}) == len(shops) - 1
    assert outbox(app) == []
    # The catalogues are indexed in one go at the end of the load, before anyone searches.
    assert not has_pending(app.config["SEARCH_INDEX_DIR"], db.engine)
    product = db.session.scalar(select(Product).where(Product.is_active).order_by(Product.id))
    query = {"q": product.name, "per_page": 50}
    found = app.test_client().get("/api/v1/search", query_string=query).get_json()["results"]
    assert product.name in {hit["name"] for hit in found}

    for email, _name, role in ACCOUNTS:
        user = accounts.find_user_by_email(email)
        assert user.role == role
        login(app.test_client(), user, PASSWORD)


def test_load_if_empty_leaves_an_existing_town_alone(app):
    run(app, *SMALL_TOWN)
    before = counts()
    stamp = db.session.scalar(select(func.max(Product.updated_at)))

    result = run(app, *SMALL_TOWN, "--if-empty")

    assert "not loaded" in result.output and "resident@demo.vitrine.localhost" in result.output
    db.session.expire_all()
    assert counts() == before
    assert db.session.scalar(select(func.max(Product.updated_at))) == stamp


def test_loading_twice_updates_instead_of_duplicating(app):
    run(app, *SMALL_TOWN)
    before = counts()
    run(app, *SMALL_TOWN)
    db.session.expire_all()
    assert counts() == before


def test_products_option_scales_the_catalogue_beyond_the_pool(app):
    run(app, "demo", "load", "--postcode", "75001", "--products", "2500")

    skus = db.session.execute(select(Product.shop_id, Product.sku)).all()
    assert len(skus) == 2500
    assert len(set(skus)) == 2500
    assert any("-v" in sku for _shop, sku in skus)  # variants once a shop's list runs out


def test_reset_empties_every_table_then_loads_again(app):
    run(app, *SMALL_TOWN)
    accounts.register_user("someone@example.org", "a long password", "Someone")
    db.session.commit()

    run(app, "demo", "reset", "--postcode", "75001", "--products", "100", input="y\n")

    db.session.expire_all()
    assert accounts.find_user_by_email("someone@example.org") is None
    assert counts()["Product"] == 100
    assert accounts.find_user_by_email("admin@demo.vitrine.localhost") is not None


def test_default_town_is_the_11th_arrondissement(app):
    """The town `make run` loads, as planned (the loading itself is tested on smaller towns above:
    a full 18,000-product load costs a minute per database and proves nothing more)."""
    town = build_town("75011", 42, None)
    assert {shop.row["postcode"] for shop in town} == {"75011"}
    assert len(town) >= 100
    assert sum(shop.size for shop in town) >= 5000


@pytest.mark.parametrize("category", [*sorted(HABITS), "traiteur", "librairie"])
def test_generated_hours_are_valid_and_plausible(category):
    for seed in range(30):
        intervals = parse_opening_hours(opening_hours(category, random.Random(seed)))
        days = {i.weekday for i in intervals}
        assert 5 <= len(days) <= 7
        if category == "boulangerie":
            assert min(i.opens for i in intervals).hour == 7


def test_generated_sirets_pass_the_checksum():
    rng = random.Random(1)
    assert all(is_valid_siret(siret(rng)) for _ in range(500))


@pytest.mark.parametrize(
    ("name", "description", "category"),
    [
        ("ANNA COLORE", "Meubles objets industriel vintage et béton", "maison"),
        ("La Bougie", "Atelier de bougies parfumées. Vente de bougie", "maison"),
        ("Café ou Thé", "Nous vous proposons les cafés et les thés", "epicerie-fine"),
        ("Relma", "", "maison"),
    ],
)
def test_other_shops_get_a_category_from_their_words(name, description, category):
    assert shop_category("Autre", name, description) == category
