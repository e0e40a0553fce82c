"""Guest orders join an account only on proof; signing up or in from the checkout keeps the cart."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from marketplace.accounts.models import User
from marketplace.extensions import db
from marketplace.orders.models import GuestContact, Order
from tests.conftest import alerts, page_text, post_form
from tests.factories import PASSWORD, login, make_user
from tests.orders.guest_helpers import check_out_as_guest, guest_shop, mailed_links, visitor_with
from tests.orders.helpers import in_english


def sign_up(client, email: str, next_page: str | None = None):
    """Create an account through the sign-up form (from `next_page`'s link when given)."""
    path = "/account/register" + (f"?next={next_page}" if next_page else "")
    form = {"name": "Zoé", "email": email, "password": PASSWORD, "confirm": PASSWORD}
    response = post_form(client, path, form)
    db.session.expire_all()
    return response


def owners() -> list:
    """The customer id of every order, oldest first."""
    return list(db.session.scalars(select(Order.customer_id).order_by(Order.id)))


def test_signing_up_from_the_offer_with_the_same_email_takes_the_orders(app):
    _, brie = guest_shop()
    visitor = visitor_with(app, brie)
    placed = check_out_as_guest(visitor).headers["Location"]
    offer = re.search(r'href="(/account/register\?[^"]+)"', page_text(visitor.get(placed)))
    assert offer, "no offer to create an account"
    form = page_text(visitor.get(offer.group(1)))
    assert 'value="zoe.guest@example.org"' in form

    done = sign_up(visitor, "zoe.guest@example.org", placed)

    assert done.headers["Location"] == placed
    user = db.session.scalars(select(User).where(User.email == "zoe.guest@example.org")).one()
    assert owners() == [user.id]
    assert db.session.scalar(select(func.count()).select_from(GuestContact)) == 0
    page = visitor.get(placed)
    assert ("success", "Your orders placed as a guest are now in your account.") in alerts(page)
    assert "Fromagerie Oberkampf" in page_text(visitor.get("/orders"))


def test_signing_up_with_another_email_takes_nothing(app):
    _, brie = guest_shop()
    visitor = visitor_with(app, brie)
    check_out_as_guest(visitor)

    sign_up(visitor, "someone.else@example.org")

    assert owners() == [None]


def test_typing_a_guest_email_in_another_browser_claims_nothing(app):
    """Signing up needs no proof of the address: so it gives no one the guest's orders."""
    _, brie = guest_shop()
    check_out_as_guest(visitor_with(app, brie))
    mallory = in_english(app.test_client())

    sign_up(mallory, "zoe.guest@example.org")

    assert owners() == [None]
    assert "You have no order yet." in page_text(mallory.get("/orders"))


def test_opening_a_mailed_link_while_logged_in_proves_the_email_and_takes_its_orders(app):
    _, brie = guest_shop()
    check_out_as_guest(visitor_with(app, brie))  # at home
    check_out_as_guest(visitor_with(app, brie))  # on the phone
    zoe = make_user("zoe.guest@example.org", name="Zoé")
    laptop = in_english(app.test_client())
    login(laptop, zoe)
    assert owners() == [None, None]  # logging in proves nothing

    first_link = mailed_links(app, "zoe.guest@example.org")[0]
    opened = laptop.get(first_link)

    assert opened.status_code == 303
    assert owners() == [zoe.id, zoe.id]  # every guest order of the proven address
    assert "Brie de Meaux" in page_text(laptop.get(opened.headers["Location"]))
    assert laptop.get(first_link).headers["Location"] == opened.headers["Location"]
    stranger = in_english(app.test_client())
    assert stranger.get(first_link).headers["Location"] == opened.headers["Location"]
    assert stranger.get(opened.headers["Location"]).status_code == 302  # to log in


def test_opening_a_link_while_logged_in_as_someone_else_shows_it_and_takes_nothing(app):
    _, brie = guest_shop()
    check_out_as_guest(visitor_with(app, brie))
    neighbour = in_english(app.test_client())
    login(neighbour, make_user("neighbour@example.org"))

    opened = neighbour.get(mailed_links(app, "zoe.guest@example.org")[0])

    assert neighbour.get(opened.headers["Location"]).status_code == 200
    assert owners() == [None]


def test_signing_up_from_the_checkout_comes_back_to_it_with_the_cart(app):
    _, brie = guest_shop()
    visitor = visitor_with(app, brie, 3)
    login_page = page_text(visitor.get(visitor.get("/checkout").headers["Location"]))
    assert 'href="/account/register?next=/checkout"' in login_page

    done = sign_up(visitor, "new.resident@example.org", "/checkout")

    assert done.headers["Location"] == "/checkout"
    checkout = page_text(visitor.get("/checkout"))
    assert "Pickup and payment" in checkout and "3 × Brie de Meaux" in checkout


def test_logging_in_from_the_checkout_comes_back_to_it_with_both_carts(app, resident):
    _, brie = guest_shop()
    at_home = in_english(app.test_client())
    login(at_home, resident)
    post_form(at_home, "/cart/add", {"product_id": brie.id, "quantity": 1}, "/cart/")
    visitor = visitor_with(app, brie, 2)
    to_login = visitor.get("/checkout").headers["Location"]

    done = post_form(visitor, to_login, {"email": resident.email, "password": PASSWORD})

    assert done.headers["Location"] == "/checkout"
    assert "3 × Brie de Meaux" in page_text(visitor.get("/checkout"))


def test_a_next_page_elsewhere_is_ignored_after_signing_up(app):
    visitor = in_english(app.test_client())
    done = sign_up(visitor, "new.resident@example.org", "https://evil.example/checkout")
    assert done.headers["Location"] == "/"


def test_logging_out_leaves_no_guest_order_open_in_the_browser(app, resident):
    """A shared computer: whoever comes next does not find the guest's order or data."""
    _, brie = guest_shop()
    browser = visitor_with(app, brie)
    check_out_as_guest(browser)
    order_page = f"/orders/{db.session.scalars(select(Order)).one().id}"
    browser.get(mailed_links(app, "zoe.guest@example.org")[0])
    login(browser, resident)
    assert browser.get(order_page).status_code == 200  # another email: held, not claimed

    post_form(browser, "/account/logout", token_from="/account/settings")

    assert browser.get(order_page).status_code == 302
    assert browser.get("/guest/data").status_code == 403
