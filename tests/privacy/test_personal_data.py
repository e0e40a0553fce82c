"""A resident downloads their data and deletes their account; orders stay, anonymised."""

from __future__ import annotations

from sqlalchemy import select

from marketplace.extensions import db
from marketplace.follows.services import follow_shop
from marketplace.orders.models import Checkout, Order
from tests.conftest import post_form
from tests.curation.helpers import add_order, paris
from tests.factories import PASSWORD, login, make_shop
from tests.follows.helpers import follows_of


def test_a_resident_downloads_all_their_data(app, client, resident):
    shop = make_shop(name="Fromagerie Oberkampf")
    add_order(shop, resident, paris(2026, 10, 2), "collected", 1250)
    login(client, resident)
    response = client.get("/account/data/export.json")
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    data = response.get_json()
    assert data["account"]["email"] == "resident@example.org"
    assert data["account"]["name"] == "Alice"
    [order] = data["orders"]
    assert (order["shop"], order["status"], order["total_cents"]) == (
        "Fromagerie Oberkampf",
        "collected",
        1250,
    )


def test_deleting_the_account_anonymises_orders_and_logs_out(app, client, resident):
    shop = make_shop(name="Fromagerie Oberkampf")
    order = add_order(shop, resident, paris(2026, 10, 2), "collected", 1250)
    login(client, resident)
    response = post_form(
        client, "/account/delete", {"password": "wrong one"}, token_from="/account/data"
    )
    assert response.status_code == 400
    response = post_form(
        client, "/account/delete", {"password": PASSWORD}, token_from="/account/data"
    )
    assert response.status_code == 302
    db.session.expire_all()
    kept = db.session.get(Order, order.id)
    assert (kept.customer_id, kept.total_cents, kept.status) == (None, 1250, "collected")
    assert (
        db.session.scalar(select(Checkout.customer_id).where(Checkout.id == kept.checkout_id))
        is None
    )
    db.session.refresh(resident)
    assert resident.deleted_at is not None
    assert "resident@example.org" not in resident.email and resident.name == ""
    assert client.get("/account/data").status_code == 302  # logged out
    again = app.test_client()
    refused = post_form(
        again, "/account/login", {"email": "resident@example.org", "password": PASSWORD}
    )
    assert refused.status_code == 200  # the form again: no such account


def test_orders_in_progress_block_the_deletion(app, client, resident):
    shop = make_shop()
    add_order(shop, resident, paris(2026, 10, 2), "confirmed", 500)
    login(client, resident)
    response = post_form(
        client, "/account/delete", {"password": PASSWORD}, token_from="/account/data"
    )
    assert response.status_code == 400
    db.session.refresh(resident)
    assert resident.deleted_at is None


def test_a_shopkeeper_with_a_shop_cannot_delete_the_account_alone(app, client):
    shop = make_shop()
    login(client, shop.owner)
    response = post_form(
        client, "/account/delete", {"password": PASSWORD}, token_from="/account/data"
    )
    assert response.status_code == 400
    assert shop.owner.deleted_at is None


def test_the_shops_i_follow_are_in_my_data_and_go_with_my_account(app, client, resident):
    shop = make_shop(name="Fromagerie Oberkampf")
    follow_shop(resident, shop)
    db.session.commit()
    login(client, resident)

    [followed] = client.get("/account/data/export.json").get_json()["follows"]
    assert followed["shop"] == "Fromagerie Oberkampf" and followed["since"]

    deleted = post_form(
        client, "/account/delete", {"password": PASSWORD}, token_from="/account/data"
    )
    assert deleted.status_code == 302
    assert follows_of(resident) == []
