"""The town office sets up a voucher campaign and a matched one; a bookshop joins the matched one."""

from __future__ import annotations

import re
from datetime import date, timedelta

from playwright.sync_api import Page, expect

from marketplace.accounts.models import CURATOR
from marketplace.extensions import db
from tests.e2e.steps import email_for, log_in, unique
from tests.factories import make_shop, make_user

# The shop's dashboard offers the campaigns running around the town's today.
FIRST, LAST = date.today() - timedelta(days=1), date.today() + timedelta(days=30)


def create_campaign(page: Page, name: str, rule: str, fill: dict[str, str]) -> None:
    """From the campaigns list, create a campaign, then start it after confirming."""
    office_nav = page.get_by_role("navigation", name="Town office")
    office_nav.get_by_role("link", name="Campaigns").click()
    page.get_by_role("link", name="Create a campaign").click()
    page.get_by_label("Name").fill(name)
    page.get_by_label(rule).check()
    page.get_by_label("First day").fill(FIRST.isoformat())
    page.get_by_label("Last day (included)").fill(LAST.isoformat())
    for label, value in fill.items():
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Campaign saved.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Draft")
    page.get_by_role("link", name="Start", exact=True).click()
    expect(page.get_by_text("Start this campaign?")).to_be_visible()
    page.get_by_role("button", name="Start", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Campaign started.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Active")


def test_the_office_creates_both_kinds_and_a_shop_joins(open_page, live_town):
    office_name = unique("Office")
    make_user(email_for(office_name), CURATOR, office_name)
    shop = make_shop(name=unique("Librairie des Quais"), category="librairie")
    owner_email = shop.owner.email
    db.session.commit()
    vouchers, matched = unique("Noël dans nos rues"), unique("Coup de pouce aux libraires")

    page = open_page("desktop", "en")
    log_in(page, email_for(office_name))
    page.goto("/curation/")
    create_campaign(
        page,
        vouchers,
        "Vouchers: single-use codes of a face value",
        {"Budget (€)": "5000", "Value of a voucher (€)": "10"},
    )
    page.get_by_label("Number of vouchers to print").fill("3")
    page.get_by_role("button", name="Issue the vouchers").click()
    expect(page.get_by_role("status")).to_contain_text("3 vouchers issued: print the sheet.")
    expect(page.get_by_role("link", name="Printed sheet (PDF)")).to_be_visible()

    create_campaign(
        page,
        matched,
        "Matched spending: the town pays a share of each order",
        {"Budget (€)": "2000", "Share paid by the town (%)": "20", "Cap per order (€)": "10"},
    )
    page.get_by_role("navigation", name="Town office").get_by_role("link", name="Campaigns").click()
    row = page.get_by_role("row").filter(has_text=matched)
    expect(row).to_contain_text("€2,000.00")  # all of it remains
    expect(row).to_contain_text("The town pays 20 % of each order, up to €10.00 an order")

    shopkeeper = open_page("desktop", "en")
    log_in(shopkeeper, owner_email)
    shopkeeper.goto("/merchant/")
    offers = shopkeeper.get_by_role("region", name="Town campaigns")
    offer = offers.get_by_role("listitem").filter(has_text=matched)
    offer.get_by_role("button", name="Take part").click()
    expect(shopkeeper.get_by_role("status")).to_contain_text(
        f"{shop.name} takes part in {matched}."
    )
    expect(offer.get_by_text("Your shop takes part")).to_be_visible()

    row.get_by_role("link", name=matched).click()
    taking_part = page.get_by_role("region", name=re.compile("^Shops taking part"))
    expect(taking_part.get_by_role("link", name=shop.name)).to_be_visible()
