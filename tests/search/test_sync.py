"""Every change the public could see reaches search right after the request or commit that made it."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from sqlalchemy import func, select

from marketplace.db import utcnow
from marketplace.extensions import db
from marketplace.orders.status import CANCELLED, CONFIRMED, transition_order
from marketplace.orders.stock import reserve_stock
from search.models import SearchOutbox
from shops import catalogue, services
from shops.hours import END_OF_DAY, Interval
from shops.models import PUBLISHED, SUSPENDED
from shops.status import transition_shop
from tests.conftest import post_form
from tests.factories import login, make_product, make_shop, product_form_data, shop_form_data
from tests.orders.helpers import make_order
from tests.search.conftest import found, search_api


@pytest.fixture
def shop(app):
    return make_shop(name="Fromagerie Oberkampf", category="fromagerie")


def test_a_product_created_edited_and_taken_off_sale_through_the_form(app, client, shop):
    login(client, shop.owner)
    new = f"/merchant/shops/{shop.slug}/products/new"
    assert post_form(client, new, product_form_data(name="Tomme de Savoie")).status_code == 302
    assert found(client, "tomme") == ["Tomme de Savoie"]

    product = db.session.scalar(db.select(catalogue.Product).filter_by(name="Tomme de Savoie"))
    edit = f"/merchant/shops/{shop.slug}/products/{product.id}"
    post_form(client, edit, product_form_data(name="Tomme des Pyrénées"))
    assert found(client, "tomme") == ["Tomme des Pyrénées"]
    assert found(client, "savoie") == []

    data = product_form_data(name="Tomme des Pyrénées")
    del data["active"]  # an unticked box is not sent
    post_form(client, edit, data)
    assert found(client, "tomme") == []


def test_a_price_change_is_searchable_at_once(app, client, shop):
    product = make_product(shop, "Brie de Meaux", 900)
    catalogue.update_product(product, {"price_cents": 450})
    db.session.commit()
    assert found(client, "brie", max_price="5") == ["Brie de Meaux"]


def test_out_of_stock_products_leave_the_in_stock_filter(app, client, shop):
    product = make_product(shop, "Comté 24 mois", 1250, stock=2)
    assert found(client, "comte", in_stock="1") == ["Comté 24 mois"]
    catalogue.update_product(product, {"stock": 0})
    db.session.commit()
    assert found(client, "comte", in_stock="1") == []
    assert found(client, "comte") == ["Comté 24 mois"]


def test_a_checkout_taking_the_last_unit_is_seen_by_search(app, client, shop):
    product = make_product(shop, "Saint-Marcellin", 390, stock=1)
    reserve_stock(product.id, 1)  # the conditional UPDATE a checkout runs
    db.session.commit()
    assert found(client, "marcellin", in_stock="1") == []


def test_a_cancelled_order_putting_the_last_units_back_is_seen_by_search(app, client):
    order = make_order(CONFIRMED, quantity=2, stock=2)  # sold out by this order
    assert found(client, "brie", in_stock="1") == []
    transition_order(order, CANCELLED, order.shop.owner_id, "a reason")  # releases the stock
    db.session.commit()
    assert found(client, "brie", in_stock="1") == ["Brie de Meaux"]


def test_a_sale_that_leaves_units_in_stock_leaves_the_index_alone(app, client, shop):
    # The index knows only "in stock or not": re-indexing each sale would write a segment and a
    # new snapshot of the whole index at every checkout (issue 20, the checkout's p95).
    product = make_product(shop, "Saint-Nectaire", 690, stock=3)
    before = outbox_rows()
    reserve_stock(product.id, 2)
    db.session.commit()
    assert outbox_rows() == before
    assert found(client, "nectaire", in_stock="1") == ["Saint-Nectaire"]
    reserve_stock(product.id, 1)  # the last one: now it is news for search
    db.session.commit()
    assert outbox_rows() == before + 1
    assert found(client, "nectaire", in_stock="1") == []


def outbox_rows() -> int:
    """The number of rows ever written to the search outbox."""
    return db.session.scalar(select(func.count()).select_from(SearchOutbox))


def test_a_product_hidden_by_the_city_office_disappears(app, client, shop):
    product = make_product(shop, "Fromage douteux", 500)
    product.hidden_reason = "Photo trompeuse"
    db.session.commit()
    assert found(client, "douteux") == []


def test_unpublished_shops_and_their_products_never_appear(app, client):
    draft = make_shop(name="Cave Brouillon", category="caviste", published=False)
    make_product(draft, "Vin brouillon", 1200)
    assert found(client, "brouillon") == []
    transition_shop(draft, "pending_review", draft.owner_id)
    db.session.commit()
    assert found(client, "brouillon") == []
    transition_shop(draft, "rejected", None, "Adresse incomplète")
    db.session.commit()
    assert found(client, "brouillon") == []


def test_publishing_suspending_and_reinstating_a_shop(app, client):
    shop = make_shop(name="Cave Oberkampf", category="caviste", published=False)
    make_product(shop, "Côtes du Rhône", 1200)
    transition_shop(shop, "pending_review", shop.owner_id)
    transition_shop(shop, PUBLISHED, None)
    db.session.commit()
    assert found(client, "cave oberkampf")[0] == "Cave Oberkampf"
    assert found(client, "rhone") == ["Côtes du Rhône"]
    transition_shop(shop, SUSPENDED, None, "Plainte")
    db.session.commit()
    assert found(client, "rhone") == [] and found(client, "cave") == []
    transition_shop(shop, PUBLISHED, None, "Plainte classée")
    db.session.commit()
    assert found(client, "rhone") == ["Côtes du Rhône"]


def test_a_shop_renamed_through_the_form_renames_its_products_shop(app, client, shop):
    make_product(shop, "Beaufort d'été", 2400)
    login(client, shop.owner)
    post_form(client, f"/merchant/shops/{shop.slug}", shop_form_data(name="Fromagerie Parmentier"))
    [result] = search_api(client, q="beaufort")["results"]
    assert result["shop"]["name"] == "Fromagerie Parmentier"
    assert found(client, "parmentier")[0] == "Fromagerie Parmentier"


def test_hours_and_closures_change_open_now(app, client, shop):
    make_product(shop, "Reblochon", 700)
    services.set_opening_hours(shop, [Interval(d, time(0), END_OF_DAY) for d in range(7)])
    db.session.commit()
    assert found(client, "reblochon", open_now="1") == ["Reblochon"]
    today = utcnow().date()
    services.add_closure(shop, today - timedelta(days=1), today + timedelta(days=1), "Congés")
    db.session.commit()
    assert found(client, "reblochon", open_now="1") == []
    services.set_opening_hours(shop, [])
    db.session.commit()
    assert found(client, "reblochon", open_now="1") == []
    assert found(client, "reblochon") == ["Reblochon"]


def test_a_deleted_product_leaves_the_index(app, client, shop):
    product = make_product(shop, "Mimolette vieille", 800)
    db.session.delete(product)
    db.session.commit()
    assert found(client, "mimolette") == []


def test_every_search_is_logged_without_who_searched(app, client, shop):
    from search.models import SearchLog

    make_product(shop, "Cantal entre-deux", 650)
    search_api(client, q="cantal", in_stock="1")
    [entry] = db.session.scalars(db.select(SearchLog)).all()
    assert (entry.query, entry.result_count) == ("cantal", 1)
    assert entry.filters == '{"in_stock": true}'
    assert {c.name for c in SearchLog.__table__.columns} == {
        "id",
        "query",
        "filters",
        "result_count",
        "created_at",
    }


def test_a_bulk_update_of_several_products_is_seen(app, client, shop):
    from sqlalchemy import update

    from shops.models import Product

    first = make_product(shop, "Tomme blanche", 500)
    second = make_product(shop, "Tomme grise", 600)
    db.session.execute(
        update(Product)
        .where(Product.id.in_([first.id, second.id]))
        .values(is_active=False)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    assert found(client, "tomme") == []
