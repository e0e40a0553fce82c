"""Changes requested in a real browser: the office sends a list back, the shopkeeper reads it on
the dashboard and resubmits, the office is told and publishes."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from marketplace.accounts.models import CURATOR
from marketplace.extensions import db
from shops.models import PENDING_REVIEW
from tests.e2e.steps import email_for, log_in, open_menu_link, unique
from tests.factories import make_shop, make_user


def test_a_shop_goes_through_changes_requested_to_publication(open_page, live_town):
    shop = make_shop(name=unique("Droguerie des Halles"), status=PENDING_REVIEW)
    curator_name = unique("Office")
    make_user(email_for(curator_name), CURATOR, curator_name)
    db.session.commit()

    office = open_page("desktop", "en")
    log_in(office, email_for(curator_name))
    office.goto(f"/curation/shops/{shop.id}")
    expect(office.get_by_role("heading", name="What the public will see")).to_be_visible()
    office.get_by_label("Reason").fill("Add a photo of the shop front\nGive a phone number")
    office.get_by_role("button", name="Request changes").click()
    expect(office.get_by_role("heading", level=1)).to_contain_text("Changes requested")

    keeper = open_page("desktop", "en")
    log_in(keeper, shop.owner.email)
    open_menu_link(keeper, "My shops")
    panel = keeper.get_by_role("region", name=re.compile(re.escape(shop.name)))
    expect(panel).to_contain_text("Changes requested")
    changes = panel.locator(".requested-changes").get_by_role("listitem")
    expect(changes).to_have_text(["Add a photo of the shop front", "Give a phone number"])
    panel.get_by_role("button", name="Submit for review").click()
    expect(keeper.get_by_role("status")).to_contain_text("will review your shop")

    office.goto("/")
    expect(office.locator("[data-review-count]")).to_contain_text("to review")
    office.goto(f"/curation/shops/{shop.id}")
    expect(office.get_by_role("heading", level=1)).to_contain_text("Waiting for review")
    office.get_by_role("button", name="Approve and publish").click()
    expect(office.get_by_role("heading", level=1)).to_contain_text("Published")
