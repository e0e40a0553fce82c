"""The signed link in a guest's emails: it opens that order only, for a while, in any browser."""

from __future__ import annotations

import pytest
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import select

from marketplace.extensions import db
from marketplace.orders.guest_links import SALT, email_fingerprint
from marketplace.orders.models import Order
from tests.conftest import outbox, page_text, post_form
from tests.orders.guest_helpers import check_out_as_guest, guest_shop, mailed_links, visitor_with
from tests.orders.helpers import in_english

INVALID = "This link to an order is not valid"


@pytest.fixture
def guest_order(app):
    """A guest's order paid at the counter, and the signed link of its confirmation email."""
    _, brie = guest_shop()
    check_out_as_guest(visitor_with(app, brie))
    order = db.session.scalars(select(Order)).one()
    [link] = mailed_links(app, "zoe.guest@example.org")
    return order, link


def test_the_link_opens_the_order_in_any_browser_without_login(app, guest_order):
    order, link = guest_order
    phone = in_english(app.test_client())

    opened = phone.get(link)

    assert opened.status_code == 303 and opened.headers["Location"] == f"/orders/{order.id}"
    page = page_text(phone.get(opened.headers["Location"]))
    assert order.display_code in page and "QR code of the pickup code" in page
    assert "Cancel this order" in page and "Download or erase my data" in page
    cancelled = post_form(phone, f"/orders/{order.id}/cancel", token_from=f"/orders/{order.id}")
    assert cancelled.status_code == 303
    db.session.expire_all()
    assert db.session.get(Order, order.id).status == "cancelled"


def tampered(link: str) -> str:
    """The link with one character inside its signature changed (the last one may carry only
    base64 padding bits, and changing those would change nothing)."""
    return link[:-5] + ("x" if link[-5] != "x" else "y") + link[-4:]


def test_an_altered_link_is_refused_with_a_message(app, guest_order):
    order, link = guest_order
    browser = in_english(app.test_client())

    for bad in (tampered(link), link.rsplit("/", 1)[0] + "/not-a-token", link + "x"):
        refused = browser.get(bad)
        assert refused.status_code == 404, bad
        assert INVALID in page_text(refused)
    assert browser.get(f"/orders/{order.id}").status_code == 302  # still no access


def test_a_link_is_refused_for_another_order_and_when_signed_with_another_key(app, guest_order):
    order, link = guest_order
    _, honey = guest_shop("Épicerie Lune")
    check_out_as_guest(visitor_with(app, honey), email="other@example.org")
    other = db.session.scalars(select(Order).where(Order.id != order.id)).one()
    token = link.rsplit("/", 1)[1]
    browser = in_english(app.test_client())

    on_other = browser.get(f"/orders/{other.id}/link/{token}")
    payload = {"o": order.id, "e": email_fingerprint("zoe.guest@example.org")}
    forged = URLSafeTimedSerializer("guessed-secret", salt=SALT).dumps(payload)
    with_forged = browser.get(f"/orders/{order.id}/link/{forged}")

    assert on_other.status_code == with_forged.status_code == 404
    assert INVALID in page_text(on_other) and INVALID in page_text(with_forged)
    assert browser.get(f"/orders/{other.id}").status_code == 302


def test_a_link_stops_working_once_the_guest_details_are_erased(app, guest_order):
    order, link = guest_order
    db.session.delete(order.checkout.guest)
    db.session.commit()

    refused = in_english(app.test_client()).get(link)

    assert refused.status_code == 404 and INVALID in page_text(refused)


def test_an_expired_link_says_so_and_a_fresh_one_is_mailed_to_the_order_address(app, guest_order):
    order, link = guest_order
    browser = in_english(app.test_client())
    app.config["GUEST_ORDER_LINK_MAX_AGE"] = -1  # every link is now too old

    expired = browser.get(link)

    assert expired.status_code == 403
    assert "This link has expired" in page_text(expired)
    renew = f"{link}/renew"
    sent = post_form(browser, renew, token_from=link)
    assert sent.status_code == 303
    home = page_text(browser.get(sent.headers["Location"]))
    assert "A new link to your order is on its way" in home
    app.config["GUEST_ORDER_LINK_MAX_AGE"] = 3600
    links = mailed_links(app, "zoe.guest@example.org")
    assert len(links) == 2  # the confirmation's, and the fresh one (signed now)
    assert any("Your link to order" in m for m in outbox(app))
    assert browser.get(links[1]).headers["Location"] == f"/orders/{order.id}"
    assert order.display_code in page_text(browser.get(f"/orders/{order.id}"))


def test_renewing_an_altered_link_sends_nothing(app, guest_order):
    _, link = guest_order
    browser = in_english(app.test_client())
    before = len(outbox(app))

    refused = post_form(browser, f"{tampered(link)}/renew", token_from="/cart/")

    assert refused.status_code == 404 and len(outbox(app)) == before


def test_asking_for_a_new_link_needs_the_form_token(app, guest_order):
    _, link = guest_order
    browser = in_english(app.test_client())
    app.config["GUEST_ORDER_LINK_MAX_AGE"] = -1
    before = len(outbox(app))

    forged = browser.post(f"{link}/renew", headers={"Origin": "https://evil.example"})

    assert forged.status_code == 400 and len(outbox(app)) == before
