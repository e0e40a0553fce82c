"""At the counter: the code the customer shows (typed any way, or scanned) finds this shop's order only."""

from __future__ import annotations

from datetime import timedelta

import pytest

from marketplace.extensions import db
from marketplace.orders.counter import code_from_input
from marketplace.orders.qr import _payload
from tests.conftest import page_text
from tests.factories import login, make_shop
from tests.orders.helpers import PARIS, in_english, make_order


def board_client(app, order):
    """The shopkeeper's phone, logged in: (client, board URL)."""
    client = in_english(app.test_client())
    login(client, order.shop.owner)
    return client, f"/merchant/shops/{order.shop.slug}/orders"


@pytest.mark.parametrize("typed", ["{dashed}", "{plain}", "  {lower}  ", "{lower_dashed}"])
def test_a_typed_code_opens_the_order_with_the_code_filled_in(app, typed):
    order = make_order("ready")
    code = order.pickup_code
    client, board = board_client(app, order)
    text = typed.format(
        dashed=order.display_code,
        plain=code,
        lower=code.lower(),
        lower_dashed=order.display_code.lower(),
    )
    response = client.get(f"{board}/find", query_string={"code": text})
    assert response.status_code == 303
    assert f"/orders/{order.id}?code={code}" in response.headers["Location"]
    page = client.get(response.headers["Location"])
    assert "Check the code and hand over" in page_text(page)
    assert f'value="{code}"' in page.get_data(as_text=True)


def test_the_scanned_qr_link_finds_its_order(app):
    order = make_order("ready")
    client, board = board_client(app, order)
    scanned = _payload(order)
    assert code_from_input(scanned) == order.pickup_code
    response = client.get(f"{board}/find", query_string={"code": scanned})
    assert response.status_code == 303
    assert f"/orders/{order.id}?" in response.headers["Location"]


def test_another_shops_code_is_not_found(app):
    order = make_order("ready")
    other = make_shop(name="Épicerie Voisine")
    client = in_english(app.test_client())
    login(client, other.owner)
    response = client.get(
        f"/merchant/shops/{other.slug}/orders/find", query_string={"code": order.pickup_code}
    )
    assert response.status_code == 404
    assert f"No order of this shop has the code {order.pickup_code}." in page_text(response)
    assert f"Order #{order.id}" not in page_text(response)


def test_an_empty_code_asks_for_one(app):
    order = make_order("ready")
    client, board = board_client(app, order)
    response = client.get(f"{board}/find", query_string={"code": " - "})
    assert response.status_code == 400
    assert "Type the pickup code the customer shows" in page_text(response)


def test_the_board_lists_items_and_first_names_and_links_later_days(app):
    order = make_order("confirmed", quantity=3)
    order.customer.name = "Alice Martin"
    db.session.commit()
    client, board = board_client(app, order)
    day = order.pickup_starts_at.astimezone(PARIS).date()
    text = page_text(client.get(f"{board}/", query_string={"day": day.isoformat()}))
    assert "3 × Brie de Meaux" in text
    assert "Alice" in text and "Alice Martin" not in text
    earlier = client.get(
        f"{board}/", query_string={"day": (day - timedelta(days=2)).isoformat()}
    ).get_data(as_text=True)
    assert f"?day={day.isoformat()}" in earlier and "Later days" in earlier


def test_after_collecting_the_board_shows_the_day_the_shopkeeper_came_from(app):
    order = make_order("ready")
    client, board = board_client(app, order)
    before = (order.pickup_starts_at.astimezone(PARIS).date() - timedelta(days=1)).isoformat()
    page = client.get(f"{board}/{order.id}", query_string={"day": before})
    token = page.get_data(as_text=True).split('name="csrf_token" value="')[1].split('"')[0]
    response = client.post(
        f"{board}/{order.id}/collect",
        data={"csrf_token": token, "code": order.pickup_code, "day": before},
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"?day={before}")
