"""A shopkeeper sets a low-stock threshold and is told, once each time, when sales reach it."""

from __future__ import annotations

import io

import pytest

from marketplace.db import utcnow
from marketplace.extensions import db
from marketplace.orders.slots import pickup_slots_for
from marketplace.orders.status import CANCELLED, transition_order
from shops.models import Product
from tests.conftest import english_client, outbox, page_text, post_form
from tests.factories import login, make_product, make_shop, make_user, product_form_data
from tests.orders.helpers import TZ, place, set_hours


@pytest.fixture
def shop(app):
    shop = make_shop(name="Fromagerie B", category="fromagerie", prep_minutes=0)
    set_hours(shop)
    return shop


def buy(shop, product, quantity: int, email: str = "alice@example.org"):
    """A resident checks out `quantity` units (paid at the counter); return the order."""
    now = utcnow()
    customer = make_user(email)
    slot = pickup_slots_for(shop, now, TZ)[0].starts_at
    return place(customer, {product: quantity}, {shop: slot}, now).orders[0]


def low_stock_mails(app) -> list[str]:
    return [m for m in outbox(app) if "Subject: Low stock" in m or "Stock bas" in m]


def test_a_sale_to_the_threshold_emails_the_owner_once_in_their_language(app, shop):
    shop.owner.locale = "en"
    brie = make_product(shop, "Brie de Meaux", 650, stock=6, low_stock_threshold=3)

    buy(shop, brie, 2)  # 4 left: above the threshold
    assert low_stock_mails(app) == []

    buy(shop, brie, 1, "bea@example.org")  # 3 left: at the threshold
    [mail] = low_stock_mails(app)
    assert mail.startswith(f"To: {shop.owner.email}\nSubject: Low stock: Brie de Meaux")
    assert "Brie de Meaux: 3 left (your alert threshold: 3)" in mail

    buy(shop, brie, 1, "carl@example.org")  # 2 left: still low, no second email
    assert len(low_stock_mails(app)) == 1


def test_a_restock_above_the_threshold_arms_the_alert_again(app, shop):
    brie = make_product(shop, "Brie de Meaux", 650, stock=4, low_stock_threshold=3)
    order = buy(shop, brie, 2)  # 2 left: alert
    assert len(low_stock_mails(app)) == 1

    transition_order(order, CANCELLED, shop.owner_id, "Rupture")  # back to 4: re-armed
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Product, brie.id).low_stock_alerted_at is None

    buy(shop, brie, 1, "bea@example.org")  # 3 left: a new crossing, a new email
    mails = low_stock_mails(app)
    assert len(mails) == 2
    assert "Stock bas\u202f: Brie de Meaux" in mails[1]  # the owner's language: French by default


def test_an_edit_in_the_product_form_sets_the_threshold_and_can_alert(app, shop):
    client = english_client(app)
    login(client, shop.owner)
    brie = make_product(shop, "Brie de Meaux", 650, stock=10)
    url = f"/merchant/shops/{shop.slug}/products/{brie.id}"

    response = post_form(client, url, product_form_data(stock="10", low_stock_threshold="abc"))
    assert response.status_code == 400
    assert "Alert threshold: a whole number of units, or empty for no alert." in page_text(response)
    assert low_stock_mails(app) == []

    response = post_form(client, url, product_form_data(stock="2", low_stock_threshold="3"))
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Product, brie.id).low_stock_threshold == 3
    assert len(low_stock_mails(app)) == 1
    assert 'value="3"' in page_text(client.get(url))  # shown again in the form


def test_the_board_and_the_product_list_show_how_many_products_are_low(app, shop):
    client = english_client(app)
    login(client, shop.owner)
    make_product(shop, "Brie", 650, stock=1, low_stock_threshold=2)
    make_product(shop, "Comté", 1250, stock=0, low_stock_threshold=0)
    make_product(shop, "Tomme", 900, stock=9, low_stock_threshold=2)
    make_product(shop, "Beurre", 300)  # unlimited: never low

    for path in ("products/", "orders/"):
        page = page_text(client.get(f"/merchant/shops/{shop.slug}/{path}"))
        assert "2 products low on stock" in page

    listed = page_text(client.get(f"/merchant/shops/{shop.slug}/products/?low=1"))
    assert "Brie" in listed and "Comté" in listed and "Tomme" not in listed


def test_a_csv_column_sets_the_thresholds_and_one_email_lists_what_is_low(app, shop):
    shop.owner.locale = "en"
    db.session.commit()
    client = english_client(app)
    login(client, shop.owner)
    many = "".join(f"P{i};Produit {i};1,00;0;0\n" for i in range(600))  # more than one batch
    data = f"sku;name;price;stock;seuil d'alerte\nB;Brie;6,50;8;3\nC;Comté;12,50;4;\n{many}"

    response = post_form(
        client,
        f"/merchant/shops/{shop.slug}/products/import",
        {"file": (io.BytesIO(data.encode()), "catalogue.csv")},
        token_from=f"/merchant/shops/{shop.slug}/products/",
    )

    assert response.status_code == 302, page_text(response)[:1000]
    db.session.expire_all()
    products = db.session.scalars(db.select(Product).where(Product.shop_id == shop.id))
    thresholds = {p.sku: p.low_stock_threshold for p in products}
    assert (thresholds.pop("B"), thresholds.pop("C"), set(thresholds.values())) == (3, None, {0})
    [mail] = low_stock_mails(app)
    assert "Subject: Low stock: 600 products" in mail
    assert "Produit 599: 0 left (your alert threshold: 0)" in mail


def test_concurrent_sales_across_the_threshold_alert_once(app, shop):
    from tests.orders.helpers import run_together

    brie = make_product(shop, "Brie de Meaux", 650, stock=10, low_stock_threshold=8)
    now = utcnow()
    slot = pickup_slots_for(shop, now, TZ)[0].starts_at
    buyers = [make_user(f"buyer{i}@example.org").id for i in range(4)]

    def sale(i: int):
        customer = db.session.get(type(shop.owner), buyers[i])
        product = db.session.get(Product, brie.id)
        return place(customer, {product: 1}, {db.session.get(type(shop), shop.id): slot}, now)

    outcomes = run_together(app, 4, sale)

    assert not [o for o in outcomes if isinstance(o, Exception)]
    assert len(low_stock_mails(app)) == 1


def test_the_sale_only_queues_the_email_and_a_job_sends_it(app, shop, queued_jobs):
    from tests.conftest import drain_jobs

    brie = make_product(shop, "Brie de Meaux", 650, stock=3, low_stock_threshold=2)
    buy(shop, brie, 1)

    assert low_stock_mails(app) == []  # the checkout did not send it
    assert [(t.name, t.args) for t in queued_jobs.pending()] == [
        ("shops.stock_alerts.email_low_stock", (shop.id, [brie.id]))
    ]
    drain_jobs(app)
    assert len(low_stock_mails(app)) == 1
