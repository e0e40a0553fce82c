"""A guest downloads or erases their data once a mailed link proved the address; old contacts expire."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from marketplace.db import utcnow
from marketplace.extensions import db
from marketplace.orders.models import GuestContact, Order
from marketplace.orders.status import CANCELLED, COLLECTED, CONFIRMED, READY, transition_order
from marketplace.privacy.guests import purge_guest_contacts
from marketplace.privacy.jobs import apply_retention_policy
from tests.conftest import outbox, page_text, post_form
from tests.orders.guest_helpers import check_out_as_guest, guest_shop, mailed_links, visitor_with
from tests.orders.helpers import in_english


def guest_order(app, email: str = "zoe.guest@example.org"):
    """A guest's order paid at the counter, and a browser that opened its mailed link."""
    _, brie = guest_shop(f"Fromagerie {email.split('@')[0]}")
    check_out_as_guest(visitor_with(app, brie), email=email)
    order = db.session.scalars(select(Order).order_by(Order.id.desc())).first()
    browser = in_english(app.test_client())
    assert browser.get(mailed_links(app, email)[-1]).status_code == 303
    return order, browser


def contacts() -> int:
    return db.session.scalar(select(func.count()).select_from(GuestContact))


def test_a_guest_downloads_their_data_after_opening_the_link(app):
    order, browser = guest_order(app)

    page = page_text(browser.get("/guest/data"))
    data = browser.get("/guest/data/export.json")

    assert "For your orders as a guest with zoe.guest@example.org" in page
    assert "attachment" in data.headers["Content-Disposition"]
    body = data.get_json()
    [contact] = body["contacts"]
    assert (contact["email"], contact["phone"], contact["name"]) == (
        "zoe.guest@example.org",
        "0612345678",
        "Zoé",
    )
    assert [o["id"] for o in body["orders"]] == [order.id]


def test_without_a_link_opened_here_the_guest_data_is_not_shown(app):
    guest_order(app)
    placed_it = in_english(app.test_client())  # even the browser that placed it proves no mailbox

    for path in ("/guest/data", "/guest/data/export.json"):
        refused = placed_it.get(path)
        assert refused.status_code == 403
        assert "first open the link to an order from one of our emails" in page_text(refused)
    erase = post_form(placed_it, "/guest/data/erase", {"confirm": "y"}, token_from="/cart/")
    assert erase.status_code == 403 and contacts() == 1


def test_erasing_waits_for_orders_in_progress_then_removes_the_contact(app):
    order, browser = guest_order(app)

    refused = post_form(browser, "/guest/data/erase", {"confirm": "y"}, token_from="/guest/data")
    assert refused.status_code == 400
    assert "You have orders in progress: collect or cancel them first." in page_text(refused)
    assert contacts() == 1
    unticked = post_form(browser, "/guest/data/erase", {}, token_from="/guest/data")
    assert unticked.status_code == 400 and "Tick the box to confirm." in page_text(unticked)

    post_form(browser, f"/orders/{order.id}/cancel", token_from=f"/orders/{order.id}")
    mails_before = len(outbox(app))
    erased = post_form(browser, "/guest/data/erase", {"confirm": "y"}, token_from="/guest/data")

    assert erased.status_code == 303 and contacts() == 0
    db.session.expire_all()
    kept = db.session.get(Order, order.id)
    assert (kept.status, kept.total_cents, kept.buyer) == ("cancelled", 1290, None)
    assert browser.get("/guest/data").status_code == 403  # the proof went with the data
    assert (
        in_english(app.test_client()).get(mailed_links(app, "zoe.guest@example.org")[0]).status_code
        == 404
    )
    assert len(outbox(app)) == mails_before


def test_erasing_keeps_the_contacts_of_other_emails(app):
    _, browser = guest_order(app)
    other, _ = guest_order(app, "camille@example.org")
    transition_order(db.session.get(Order, 1), CANCELLED, None, "test")
    db.session.commit()

    post_form(browser, "/guest/data/erase", {"confirm": "y"}, token_from="/guest/data")

    assert list(db.session.scalars(select(GuestContact.email))) == ["camille@example.org"]
    assert other.buyer is not None


def test_old_contacts_of_finished_orders_expire_and_the_others_stay(app):
    now = utcnow()
    finished, _ = guest_order(app, "old.finished@example.org")
    busy, _ = guest_order(app, "old.busy@example.org")
    recent, _ = guest_order(app, "recent@example.org")
    for order in (finished, busy):
        order.checkout.guest.created_at = now - timedelta(days=200)
    transition_order(finished, READY, None)
    transition_order(finished, COLLECTED, None)
    transition_order(recent, CANCELLED, None, "test")
    db.session.commit()
    assert busy.status == CONFIRMED

    assert purge_guest_contacts(now, 180) == 1
    db.session.commit()

    kept = sorted(db.session.scalars(select(GuestContact.email)))
    assert kept == ["old.busy@example.org", "recent@example.org"]


def test_the_daily_purge_applies_the_guest_retention(app):
    finished, _ = guest_order(app)
    transition_order(finished, CANCELLED, None, "test")
    finished.checkout.guest.created_at = utcnow() - timedelta(days=400)
    db.session.commit()

    apply_retention_policy.delay()  # the tests run jobs at once (immediate mode)

    db.session.expire_all()
    assert contacts() == 0
