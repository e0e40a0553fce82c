"""A resident follows a shop, hears of its new product by email in their language, and stops it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from marketplace.extensions import db
from marketplace.follows.digest import send_shop_news
from tests.conftest import outbox
from tests.e2e.live import DEVICES
from tests.e2e.steps import email_for, fits_the_screen, log_in, open_menu_link, unique
from tests.e2e.test_shopkeeper_journey import add_product
from tests.factories import make_shop, make_user
from tests.follows.helpers import stop_paths


def follow_the_shop(page: Page, shop_name: str, slug: str) -> None:
    """On the shop's page press Follow; the button turns to Following; the account lists it."""
    page.goto(f"/shops/{slug}")
    page.get_by_role("button", name=f"Follow {shop_name}", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(f"You follow {shop_name}")
    expect(
        page.get_by_role("button", name=re.compile(f"^Following {re.escape(shop_name)}"))
    ).to_be_visible()
    fits_the_screen(page)
    open_menu_link(page, "My account")
    page.get_by_role("link", name="Shops I follow").click()
    expect(page.get_by_role("link", name=shop_name)).to_be_visible()


def the_news_email(town, address: str) -> str:
    """The one email of shop news sent to `address`."""
    mails = [m for m in outbox(town.app) if m.startswith(f"To: {address}\n")]
    assert len(mails) == 1, mails
    return mails[0]


@pytest.mark.parametrize("device", DEVICES)
def test_a_resident_follows_a_shop_and_stops_its_news(open_page, live_town, device):
    shop = make_shop(name=unique("Boulangerie Moreau"))
    resident = make_user(email_for(unique("Léa")), name="Léa")
    resident.locale = "en"  # the town's default is French: the email must still be English
    db.session.commit()
    page = open_page(device, "en")
    log_in(page, resident.email)
    follow_the_shop(page, shop.name, shop.slug)

    counter = open_page("desktop", "en")
    log_in(counter, shop.owner.email)
    open_menu_link(counter, re.compile("^My shops"))
    add_product(counter, shop.name, "Fougasse aux olives", "4,50")
    db.session.commit()  # end the test's read transaction before the job writes
    send_shop_news.delay()  # the morning's job, run now

    mail = the_news_email(live_town, resident.email)
    assert f"Subject: New at {shop.name}\n" in mail
    assert "Fougasse aux olives, €4.50" in mail
    this_shop, _ = stop_paths(mail)
    page.goto(this_shop)
    page.get_by_role("button", name=f"Stop the news from {shop.name}").click()
    expect(page.get_by_role("status")).to_contain_text(f"You no longer follow {shop.name}")
    fits_the_screen(page)
    page.get_by_role("link", name=shop.name).click()
    expect(page.get_by_role("button", name=f"Follow {shop.name}", exact=True)).to_be_visible()
