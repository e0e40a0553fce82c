"""Preparation tickets (PDF and print page) and the board's live feed, each for the shop's owner only."""

from __future__ import annotations

from datetime import timedelta

from marketplace.extensions import db
from marketplace.orders.tickets import tickets_pdf
from tests.conftest import page_text
from tests.factories import login, make_shop, make_user
from tests.orders.helpers import PARIS, in_english, make_order


def owner_client(app, shop):
    client = in_english(app.test_client())
    login(client, shop.owner)
    return client


def test_an_orders_pdf_ticket_lists_what_to_prepare_for_whom(app):
    order = make_order("confirmed", quantity=3)
    order.customer.name = "Élodie Martin"
    db.session.commit()  # before logging in: the login records itself, and SQLite has one writer
    client = owner_client(app, order.shop)
    sent = client.get(f"/merchant/shops/{order.shop.slug}/orders/{order.id}/ticket.pdf?size=80mm")
    assert sent.status_code == 200 and sent.mimetype == "application/pdf"
    assert sent.data.startswith(b"%PDF-")
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        plain = tickets_pdf(order.shop, [order], "80mm", compress=False)
    for text in (f"Commande n° {order.id}", "3 x  Brie de Meaux", "Élodie", "Payée en ligne"):
        assert text.encode("cp1252") in plain, text
    assert b"Martin" not in plain  # the first name is enough on a bag
    assert b"/MediaBox [0 0 226.77 " in plain  # the page is 80 mm wide


def test_a_slots_tickets_print_every_order_of_that_slot(app):
    order = make_order("confirmed")
    client = owner_client(app, order.shop)
    slot = order.pickup_starts_at.astimezone(PARIS).strftime("%Y-%m-%dT%H:%M")
    base = f"/merchant/shops/{order.shop.slug}/orders"
    page = client.get(f"{base}/tickets", query_string={"slot": slot})
    assert page.status_code == 200
    assert f"Order #{order.id}" in page_text(page) and "Brie de Meaux" in page_text(page)
    assert b"tickets-a4.css" in page.data
    pdf = client.get(f"{base}/tickets.pdf", query_string={"slot": slot, "size": "a4"})
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF-")
    refused = client.get(f"{base}/tickets", query_string={"slot": "midi"})
    assert refused.status_code == 303


def test_another_shopkeeper_gets_no_ticket_and_no_feed(app):
    order = make_order("confirmed")
    intruder = make_shop(name="Épicerie Voisine")
    client = owner_client(app, intruder)
    base = f"/merchant/shops/{order.shop.slug}/orders"
    assert client.get(f"{base}/{order.id}/ticket.pdf").status_code == 404
    assert client.get(f"{base}/{order.id}/ticket").status_code == 404
    assert client.get(f"{base}/feed.json").status_code == 404
    # Their own shop's URL with the other shop's order id is a 404 too.
    own = f"/merchant/shops/{intruder.slug}/orders/{order.id}/ticket.pdf"
    assert client.get(own).status_code == 404


def test_the_feed_needs_a_logged_in_shopkeeper(app):
    order = make_order("confirmed")
    url = f"/merchant/shops/{order.shop.slug}/orders/feed.json"
    anonymous = app.test_client().get(url)
    assert anonymous.status_code in (302, 401) and b"Brie" not in anonymous.data
    resident = in_english(app.test_client())
    login(resident, make_user("bob@example.org"))
    assert resident.get(url).status_code == 403


def test_the_feed_sends_the_orders_the_board_does_not_show_and_the_header_count(app):
    order = make_order("confirmed")
    client = owner_client(app, order.shop)
    day = order.pickup_starts_at.astimezone(PARIS).date().isoformat()
    url = f"/merchant/shops/{order.shop.slug}/orders/feed.json"
    fresh = client.get(url, query_string={"day": day, "known": ""}).get_json()
    assert [o["id"] for o in fresh["orders"]] == [order.id]
    assert "Brie de Meaux" in fresh["orders"][0]["html"]
    assert fresh["to_prepare"] == 1 and fresh["to_prepare_label"] == "(1 to prepare)"
    known = client.get(url, query_string={"day": day, "known": str(order.id)}).get_json()
    assert known["orders"] == [] and known["to_prepare"] == 1


def test_the_feed_also_sends_orders_for_later_days_placed_since_the_board_opened(app):
    order = make_order("confirmed")
    client = owner_client(app, order.shop)
    pickup = order.pickup_starts_at.astimezone(PARIS).date()
    board_day = (pickup - timedelta(days=1)).isoformat()  # the board of another day is open
    url = f"/merchant/shops/{order.shop.slug}/orders/feed.json"
    opened = (order.created_at - timedelta(seconds=5)).isoformat()
    fresh = client.get(url, query_string={"day": board_day, "since": opened}).get_json()
    assert [o["id"] for o in fresh["orders"]] == [order.id]
    # Its card says the day, not only the time, and links to the order on its own day.
    card = fresh["orders"][0]["html"]
    assert pickup.strftime("%B") in card and f"day={pickup.isoformat()}" in card
    # Placed before the board was opened, or with an unreadable time: the board already said so.
    for since in [(order.created_at + timedelta(seconds=1)).isoformat(), "yesterday", ""]:
        later = client.get(url, query_string={"day": board_day, "since": since}).get_json()
        assert later["orders"] == [], since
