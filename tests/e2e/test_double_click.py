"""A resident double-clicks "Place my order": the page sends the form once.

The server places one checkout per form whatever arrives (tests/payments/test_double_submit.py);
the page, as a courtesy, disables the button after the first click (static/js/submit-once.js).
"""

from __future__ import annotations

from playwright.sync_api import expect
from sqlalchemy import func, select

from marketplace.extensions import db
from marketplace.orders.models import Checkout
from tests.e2e.steps import email_for, log_in, press_add, unique
from tests.factories import make_product, make_shop, make_user
from tests.orders.helpers import set_hours


def test_a_second_click_on_place_my_order_sends_nothing(open_page, live_town):
    # A toy shop: the map's tests count the florists of the shared live town.
    florist = make_shop(name=unique("Jouets Rose"), category="jouets", pay_at_pickup=True)
    set_hours(florist)
    tulips = make_product(florist, "Tulipes", 1500, stock=5)
    name = unique("Rose Martin")
    rose = make_user(email_for(name), name=name)
    db.session.commit()
    page = open_page(locale="en")
    log_in(page, rose.email)
    page.goto(f"/shops/{florist.slug}/products/{tulips.id}-{tulips.slug}")
    press_add(page, page.get_by_role("button", name="Add to cart"))

    page.goto("/checkout")
    expect(page.get_by_text("Paid at the counter when collecting")).to_be_visible()  # no Stripe
    # Count the submissions that would leave the page, and keep them from leaving: the page
    # stays as it is between the clicks, as while a slow first request is on its way.
    page.evaluate(
        """() => {
          window.sent = 0;
          document.querySelector("form[data-submit-once]").addEventListener("submit", (event) => {
            if (!event.defaultPrevented) { window.sent += 1; }
            event.preventDefault();
          });
        }"""
    )
    button = page.get_by_role("button", name="Place my order")
    button.dblclick()
    expect(button).to_be_disabled()
    button.click(force=True)  # a third, later click on the disabled button
    assert page.evaluate("window.sent") == 1
    db.session.commit()
    assert (
        db.session.scalar(
            select(func.count()).select_from(Checkout).where(Checkout.customer_id == rose.id)
        )
        == 0
    )  # nothing left the page
