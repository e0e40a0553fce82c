"""A visitor without an account orders with an email and a phone, and follows the order by email."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from marketplace.extensions import db
from marketplace.orders.models import Checkout, GuestContact, Order
from tests.conftest import alerts, outbox, page_text, post_form
from tests.factories import login, make_user
from tests.orders.guest_helpers import (
    check_out_as_guest,
    guest_checkout_form,
    guest_shop,
    mailed_links,
    visitor_with,
)
from tests.orders.helpers import in_english, stock_of, written


def test_the_checkout_offers_a_guest_path_beside_logging_in(app):
    _, brie = guest_shop()
    visitor = visitor_with(app, brie)

    to_login = visitor.get("/checkout")
    assert to_login.status_code == 302
    login_page = page_text(visitor.get(to_login.headers["Location"]))
    assert "Order without an account" in login_page
    assert 'href="/checkout/guest"' in login_page
    assert 'href="/account/register?next=/checkout"' in login_page
    form = page_text(visitor.get("/checkout/guest"))
    for label in ("Email", "Phone", "Name (optional)", "Paid at the counter when collecting"):
        assert label in form


def test_a_guest_orders_with_email_and_phone_and_is_mailed_a_signed_link(app):
    _, brie = guest_shop()
    visitor = visitor_with(app, brie, 2)

    placed = check_out_as_guest(visitor, phone="+33 6 12 34 56 78")

    assert placed.status_code == 303
    checkout = db.session.scalars(select(Checkout)).one()
    assert placed.headers["Location"] == f"/checkout/{checkout.id}/placed"
    assert checkout.customer_id is None and checkout.orders[0].status == "confirmed"
    guest = checkout.guest
    assert (guest.email, guest.phone, guest.name, guest.locale) == (
        "zoe.guest@example.org",
        "0612345678",
        "Zoé",
        "en",
    )
    assert stock_of(brie) == 3
    thanks = page_text(visitor.get(placed.headers["Location"]))
    assert "Your order is confirmed" in thanks
    assert "is on its way to zoe.guest@example.org" in thanks
    assert "Create an account with zoe.guest@example.org" in thanks
    assert "Your cart is empty." in page_text(visitor.get("/cart/"))
    [mail] = [m for m in outbox(app) if m.startswith("To: zoe.guest@example.org")]
    assert "Hello Zoé," in mail and checkout.orders[0].display_code in mail
    [link] = mailed_links(app, "zoe.guest@example.org")
    assert link.startswith(f"/orders/{checkout.orders[0].id}/link/")


@pytest.mark.parametrize(
    ("contact", "message"),
    [
        ({"email": "zoe-at-example.org"}, "Invalid email address."),
        ({"email": ""}, "This field is required."),
        ({"phone": "+44 7911 123456"}, "Give a French phone number, for example 06 12 34 56 78."),
        ({"phone": "06 12 34 56"}, "Give a French phone number, for example 06 12 34 56 78."),
        ({"phone": ""}, "This field is required."),
    ],
)
def test_a_wrong_contact_is_shown_again_and_nothing_is_reserved(app, contact, message):
    _, brie = guest_shop()
    visitor = visitor_with(app, brie, 2)
    before = written()

    response = check_out_as_guest(visitor, **contact)

    assert response.status_code == 400
    assert message in page_text(response)
    assert "Please correct the highlighted fields." in page_text(response)
    assert written() == before and stock_of(brie) == 5
    assert outbox(app) == []


def test_an_email_that_has_an_account_orders_as_a_guest_all_the_same(app):
    """No account enumeration: the answer is the same, and the order does not join that account."""
    _, brie = guest_shop()
    owner = make_user("zoe.guest@example.org", name="Zoé")
    visitor = visitor_with(app, brie)

    placed = check_out_as_guest(visitor)

    assert placed.status_code == 303 and "/placed" in placed.headers["Location"]
    assert db.session.scalars(select(Order)).one().customer_id is None
    assert "account" not in " ".join(t for _, t in alerts(visitor.get(placed.headers["Location"])))
    account = in_english(app.test_client())
    login(account, owner)
    assert "You have no order yet." in page_text(account.get("/orders"))


def test_the_guest_follows_and_cancels_the_order_in_the_browser_that_placed_it(app):
    _, brie = guest_shop()
    visitor = visitor_with(app, brie, 2)
    check_out_as_guest(visitor)
    order = db.session.scalars(select(Order)).one()

    page = page_text(visitor.get(f"/orders/{order.id}"))
    assert order.display_code in page and "zoe.guest@example.org · 06 12 34 56 78" in page
    cancelled = post_form(visitor, f"/orders/{order.id}/cancel", token_from=f"/orders/{order.id}")

    assert cancelled.status_code == 303
    db.session.expire_all()
    assert db.session.get(Order, order.id).status == "cancelled" and stock_of(brie) == 5
    assert any("is cancelled" in m for m in outbox(app) if m.startswith("To: zoe.guest@"))


def test_another_browser_without_the_link_cannot_open_a_guest_order(app):
    _, brie = guest_shop()
    check_out_as_guest(visitor_with(app, brie))
    order = db.session.scalars(select(Order)).one()
    stranger = in_english(app.test_client())

    assert stranger.get(f"/orders/{order.id}").headers["Location"].startswith("/account/login")
    assert stranger.get(f"/checkout/{order.checkout_id}/placed").status_code == 302
    other = in_english(app.test_client())
    login(other, make_user("mallory@example.org"))
    assert other.get(f"/orders/{order.id}").status_code == 404
    assert other.get(f"/checkout/{order.checkout_id}/placed").status_code == 404


def test_the_shop_sees_the_guest_name_phone_and_email(app):
    shop, brie = guest_shop()
    shop.owner.locale = "en"  # the shop's email in English, like its pages here
    db.session.commit()
    check_out_as_guest(visitor_with(app, brie))
    order = db.session.scalars(select(Order)).one()
    counter = in_english(app.test_client())
    login(counter, shop.owner)

    page = page_text(counter.get(f"/merchant/shops/{shop.slug}/orders/{order.id}"))

    assert "Customer: Zoé (guest)" in page
    assert 'href="tel:0612345678"' in page and "mailto:zoe.guest@example.org" in page
    [mail] = [m.replace("\r\n", "\n") for m in outbox(app) if "New order" in m]
    assert "Customer: Zoé (guest)\nPhone: 06 12 34 56 78\nEmail: zoe.guest@example.org" in mail


def test_a_guest_without_a_name_is_greeted_and_listed_plainly(app):
    shop, brie = guest_shop()
    check_out_as_guest(visitor_with(app, brie), name="")
    order = db.session.scalars(select(Order)).one()
    counter = in_english(app.test_client())
    login(counter, shop.owner)

    board = page_text(counter.get(f"/merchant/shops/{shop.slug}/orders/{order.id}"))

    assert "Customer: Guest" in board
    mails = [m.replace("\r\n", "\n") for m in outbox(app) if m.startswith("To: zoe.guest@")]
    assert mails and all(m.split("\n\n", 1)[1].startswith("Hello,\n") for m in mails)


def test_a_second_submission_of_the_guest_form_shows_the_first_order(app):
    _, brie = guest_shop()
    visitor = visitor_with(app, brie)
    form = guest_checkout_form(visitor)
    first = visitor.post("/checkout/guest", data=form)
    again = visitor.post("/checkout/guest", data=form)

    assert again.status_code == 303 and again.headers["Location"] == first.headers["Location"]
    assert db.session.scalar(select(db.func.count()).select_from(Checkout)) == 1
    assert db.session.scalar(select(db.func.count()).select_from(GuestContact)) == 1


def test_a_logged_in_resident_is_sent_to_the_usual_checkout(app, resident):
    client = in_english(app.test_client())
    login(client, resident)
    assert client.get("/checkout/guest").headers["Location"] == "/checkout"
