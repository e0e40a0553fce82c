"""A resident follows a shop, hears of its new product by email in their language, and stops it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from marketplace.extensions import db
from marketplace.follows.digest import send_shop_news
from marketplace.money import format_money
from tests.conftest import outbox
from tests.e2e.modes import MODES, Person
from tests.e2e.steps import email_for, fits_the_screen, log_in, open_menu_link, unique
from tests.e2e.test_shopkeeper_journey import add_product
from tests.factories import make_shop, make_user
from tests.follows.helpers import stop_paths


def follow_the_shop(person: Person, shop_name: str, slug: str) -> None:
    """On the shop's page press Follow; the button turns to Following; the account lists it."""
    page, say = person.page, person.say
    page.goto(f"/shops/{slug}")
    person.press(page.get_by_role("button", name=f"{say('Follow')} {shop_name}", exact=True))
    expect(page.get_by_role("status")).to_contain_text(
        say("You follow %(shop)s: its news will come by email.", shop=shop_name)
    )
    following = re.compile(f"^{re.escape(say('Following'))} {re.escape(shop_name)}")
    expect(page.get_by_role("button", name=following)).to_be_visible()
    if person.mode.device == "phone":
        fits_the_screen(page)
    menu = page.get_by_role("navigation", name=say("Main menu"))
    person.press(menu.get_by_role("link", name=say("My account")))
    person.press(page.get_by_role("link", name=say("Shops I follow")))
    expect(page.get_by_role("link", name=shop_name)).to_be_visible()


def the_news_email(town, address: str) -> str:
    """The one email of shop news sent to `address`."""
    mails = [m for m in outbox(town.app) if m.startswith(f"To: {address}\n")]
    assert len(mails) == 1, mails
    return mails[0]


@pytest.mark.parametrize("mode", MODES)
def test_a_resident_follows_a_shop_and_stops_its_news(open_page, live_town, mode):
    shop = make_shop(name=unique("Boulangerie Moreau"))
    resident = make_user(email_for(unique("Léa")), name="Léa")
    # The town's default is French: an English reader's email must still be English.
    resident.locale = MODES[mode].locale
    db.session.commit()
    person = Person(open_page, live_town.app, MODES[mode])
    page, say = person.page, person.say
    person.log_in(resident.email)
    follow_the_shop(person, shop.name, shop.slug)

    counter = open_page("desktop", "en")
    log_in(counter, shop.owner.email)
    open_menu_link(counter, re.compile("^My shops"))
    add_product(counter, shop.name, "Fougasse aux olives", "4,50")
    db.session.commit()  # end the test's read transaction before the job writes
    send_shop_news.delay()  # the morning's job, run now

    mail = the_news_email(live_town, resident.email)
    assert f"Subject: {say('New at %(shop)s', shop=shop.name)}\n" in mail
    assert f"Fougasse aux olives, {format_money(450, person.mode.locale)}" in mail
    this_shop, _ = stop_paths(mail)
    page.goto(this_shop)
    person.press(
        page.get_by_role("button", name=say("Stop the news from %(shop)s", shop=shop.name))
    )
    expect(page.get_by_role("status")).to_contain_text(
        say("You no longer follow %(shop)s: its news will not be emailed to you.", shop=shop.name)
    )
    if person.mode.device == "phone":
        fits_the_screen(page)
    person.press(page.get_by_role("link", name=shop.name))
    follow = f"{say('Follow')} {shop.name}"
    expect(page.get_by_role("button", name=follow, exact=True)).to_be_visible()
