"""Input that used to give a 500: superscripts, integers beyond the database's range, NUL
characters, extreme dates, CR/LF in `next`, a cart total no payment can hold. Each is a 4xx
with a message now, and nothing is written."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from marketplace.accounts.models import CURATOR, SHOPKEEPER
from marketplace.extensions import db
from marketplace.orders.models import Checkout
from tests.conftest import alerts, csrf_token, english_client, page_text, post_form
from tests.factories import PASSWORD, login, make_product, make_shop, make_user
from tests.orders.helpers import checkout_form, set_hours, slot_keys

HUGE = "99999999999999999999"


@pytest.mark.parametrize(
    "path",
    [
        f"/orders/{HUGE}",
        "/orders/2147483648",
        f"/merchant/shops/x/products/{HUGE}",
        f"/curation/collections/{HUGE}",
        "/orders/²",
    ],
)
def test_an_id_beyond_the_database_range_is_not_found(app, path):
    client = english_client(app)
    login(client, make_user("c@example.org", CURATOR))
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    ("path", "who"),
    [
        ("/shops", None),
        ("/map", None),
        ("/curation/audit", CURATOR),
        ("/merchant/shops/{slug}/products/", SHOPKEEPER),
    ],
)
@pytest.mark.parametrize("page", ["10" + "0" * 30, "2147483648", "²", "-3", "１"])
def test_odd_page_numbers_are_a_404_or_the_first_page(app, path, who, page):
    shop = make_shop(make_user("owner@example.org", SHOPKEEPER))
    client = english_client(app)
    if who == SHOPKEEPER:
        login(client, shop.owner)
    elif who == CURATOR:
        login(client, make_user("c@example.org", CURATOR))
    response = client.get(path.format(slug=shop.slug), query_string={"page": page})
    assert response.status_code in (200, 404), (path, page, response.status_code)


def test_superscripts_and_huge_ids_in_office_forms_are_ignored(app):
    shop = make_shop(published=False)
    client = english_client(app)
    login(client, make_user("c@example.org", CURATOR))
    for target in ("²", HUGE):
        assert client.get("/curation/audit", query_string={"target_id": target}).status_code == 200
    response = post_form(
        client,
        "/curation/queue/bulk",
        {"shop_ids": ["²", HUGE, str(shop.id)], "action": "approve", "reason": ""},
    )
    assert response.status_code < 500


@pytest.mark.parametrize(
    "query",
    [
        {"end": "0001-01-01"},
        {"start": "0001-01-01", "end": "9999-12-31"},
        {"start": "9999-12-31"},
        {"start": "0000-01-01", "end": "99999-01-01"},
    ],
)
def test_extreme_dates_in_the_office_filters_fall_back_to_sane_periods(app, query):
    client = english_client(app)
    login(client, make_user("c@example.org", CURATOR))
    for path in (
        "/curation/dashboard",
        "/curation/dashboard/orders-by-week.csv",
        "/curation/audit",
    ):
        assert client.get(path, query_string=query).status_code == 200, (path, query)


def test_a_nul_character_at_login_is_a_form_error(app):
    user = make_user("rose@example.org")
    client = english_client(app)
    response = post_form(
        client, "/account/login", {"email": "rose@example.org\x00", "password": PASSWORD}
    )
    assert response.status_code in (200, 400)
    assert "This field contains a character that is not allowed." in page_text(response)
    assert client.get("/account/settings").status_code == 302  # not logged in
    assert user.email == "rose@example.org"


def test_a_nul_character_in_a_shop_form_is_a_form_error_and_nothing_changes(app):
    shop = make_shop(make_user("owner@example.org", SHOPKEEPER), name="Primeur Paul")
    client = english_client(app)
    login(client, shop.owner)
    from tests.factories import shop_form_data

    response = post_form(
        client, f"/merchant/shops/{shop.slug}", shop_form_data(name="Primeur\x00Paul")
    )
    assert response.status_code == 400
    assert "This field contains a character that is not allowed." in page_text(response)
    db.session.refresh(shop)
    assert shop.name == "Primeur Paul"


def test_a_nul_character_in_a_query_string_is_a_400(app, client):
    assert client.get("/shops", query_string={"q": "pain\x00"}).status_code == 400


@pytest.mark.parametrize(
    "next_url",
    ["/orders\r\nSet-Cookie: pwned=1", "/orders\nX: y", "/\\evil.example", "/orders\x00"],
)
def test_a_control_character_in_next_after_login_is_ignored(app, next_url):
    user = make_user("rose@example.org")
    client = english_client(app)
    token = csrf_token(client, "/account/login")
    response = client.post(
        "/account/login",
        query_string={"next": next_url},
        data={"csrf_token": token, "email": user.email, "password": PASSWORD},
    )
    if "\x00" in next_url:
        assert response.status_code == 400  # refused before the login
        return
    assert response.status_code == 302
    location = response.headers["Location"]
    assert "\r" not in location and "\n" not in location and "evil" not in location
    assert "pwned" not in response.headers.get("Set-Cookie", "")


def test_a_cart_whose_total_no_payment_can_hold_is_refused(app, client):
    shop = make_shop(name="Bijouterie", pay_at_pickup=True, prep_minutes=0)
    set_hours(shop)
    jewel = make_product(shop, "Rivière de diamants", 100_000_000, stock=None)  # 1 000 000 €
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    login(client, make_user())
    token = csrf_token(client, "/cart/")
    client.post("/cart/add", data={"csrf_token": token, "product_id": jewel.id, "quantity": 99})
    key = slot_keys(client.get("/checkout").get_data(as_text=True))[f"slot-{shop.id}"]
    response = client.post(
        "/checkout", data={**checkout_form(client), f"slot-{shop.id}": key, "method": "at_pickup"}
    )
    assert response.status_code == 400
    assert (
        "error",
        "This cart is too large for one payment (999 999,99 € at most). "
        "Please split it into several orders.",
    ) in alerts(response)
    assert db.session.scalar(select(func.count()).select_from(Checkout)) == 0
