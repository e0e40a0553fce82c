"""A new shop from its SIRET to publication, through "changes requested", in a real browser.

A shopkeeper signs up and creates the shop from the Sirene register (fake Sirene and BAN servers
answer the live app), confirms the pin, fills the hours and submits; the office asks for changes;
the shopkeeper reads the list, makes them and submits again; the office publishes; a visitor
sees the shop.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from marketplace.accounts.models import CURATOR
from marketplace.extensions import db
from tests.e2e.steps import email_for, log_in, open_menu_link, sign_up, unique
from tests.factories import make_user
from tests.shops.fake_registers import ACTIVE_SIRET, fake_registers


@pytest.fixture
def live_registers(live_town):
    """The live app asks fake Sirene and BAN servers for this test, then forgets them."""
    config = live_town.app.config
    keys = ("SIRENE_API_URL", "BAN_API_URL")
    before = {key: config[key] for key in keys}
    with fake_registers() as fake:
        config.update(SIRENE_API_URL=fake.sirene_url, BAN_API_URL=fake.ban_url)
        yield fake
        config.update(before)


def create_shop_from_siret(page: Page, name: str) -> None:
    """Look the SIRET up, keep the register's address, rename the shop, confirm the pin, save."""
    open_menu_link(page, "My shops")
    page.get_by_role("link", name="Create a shop").click()
    page.get_by_label("SIRET").fill("732 829 320 00074")
    page.get_by_role("button", name="Look up").click()
    expect(page.get_by_text("Sirene register: BOULANGERIE OBERKAMPF")).to_be_visible()
    expect(page.get_by_text("The establishment is active.")).to_be_visible()
    expect(page.get_by_label("Shop name")).to_have_value("BOULANGERIE OBERKAMPF")
    expect(page.get_by_label("Street address")).to_have_value("80 rue Oberkampf")
    expect(page.get_by_label("Category")).to_have_value("boulangerie")
    page.get_by_label("Shop name").fill(name)
    page.get_by_label("Description").fill("Pain au levain, cuit à l'aube.")
    # The geocoder placed the pin at the address; the shopkeeper nudges it onto the door.
    pin = page.locator("#pin-map .leaflet-marker-icon")
    expect(pin).to_be_visible()
    pin.scroll_into_view_if_needed()
    box = pin.bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] - 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 12, y + 8, steps=4)
    page.mouse.up()
    expect(page.locator("#position_source")).to_have_value("pin")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Your shop is created as a draft.")).to_be_visible()


def fill_hours(page: Page) -> None:
    """Open Tuesday to Saturday with a lunch break."""
    expect(page.get_by_role("heading", name=re.compile("^Hours and closures"))).to_be_visible()
    for day in ("Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"):
        page.get_by_label(day).fill("07:30-13:00, 15:30-19:30")
    page.get_by_role("button", name="Save the hours").click()
    expect(page.get_by_label("Saturday")).to_have_value(re.compile("07:30"))


def submit(page: Page, name: str) -> None:
    """Send the shop to the town's office from "My shops"."""
    open_menu_link(page, "My shops")
    panel = page.get_by_role("region", name=re.compile(re.escape(name)))
    panel.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_role("status")).to_contain_text("will review your shop")


def open_file(office: Page, name: str) -> None:
    """From the review queue, open the shop's file."""
    office.goto("/curation/")
    expect(office.locator("[data-review-count]")).to_contain_text("to review")
    office.get_by_role("region", name=name).get_by_role(
        "link", name=re.compile("^Open the shop's file")
    ).click()
    expect(office.get_by_role("heading", level=1)).to_contain_text("Waiting for review")


def test_a_new_shop_goes_from_its_siret_to_publication_through_changes_requested(
    open_page, live_town, live_registers
):
    curator_name = unique("Office")
    make_user(email_for(curator_name), CURATOR, curator_name)
    db.session.commit()
    person, name = unique("Louis Fournil"), unique("Fournil Oberkampf")

    keeper = open_page("desktop", "en")
    sign_up(keeper, live_town, person, email_for(person), shopkeeper=True)
    create_shop_from_siret(keeper, name)
    fill_hours(keeper)
    submit(keeper, name)

    office = open_page("desktop", "en")
    log_in(office, email_for(curator_name))
    open_file(office, name)
    expect(
        office.get_by_text(re.compile("Sirene register, on .*BOULANGERIE OBERKAMPF"))
    ).to_be_visible()
    office.get_by_label("Reason").fill("Give a phone number\nSay when the bread comes out")
    office.get_by_role("button", name="Request changes").click()
    expect(office.get_by_role("heading", level=1)).to_contain_text("Changes requested")

    open_menu_link(keeper, "My shops")
    panel = keeper.get_by_role("region", name=re.compile(re.escape(name)))
    expect(panel).to_contain_text("Changes requested")
    expect(panel.locator(".requested-changes").get_by_role("listitem")).to_have_text(
        ["Give a phone number", "Say when the bread comes out"]
    )
    panel.get_by_role("link", name="Profile").click()
    keeper.get_by_label("Phone").fill("01 43 55 12 34")
    keeper.get_by_label("Description").fill("Pain au levain, sorti du four à 7 h et à 16 h.")
    keeper.get_by_role("button", name="Save", exact=True).click()
    expect(keeper.get_by_role("status").first).to_be_visible()
    submit(keeper, name)

    open_file(office, name)
    office.get_by_role("button", name="Approve and publish").click()
    expect(office.get_by_role("heading", level=1)).to_contain_text("Published")

    open_menu_link(keeper, "My shops")
    public_page = keeper.get_by_role("link", name="See the public page").get_attribute("href")
    visitor = open_page("desktop", "en")
    visitor.goto(public_page)
    expect(visitor.get_by_role("heading", level=1)).to_contain_text(name)
    expect(visitor.get_by_text("01 43 55 12 34")).to_be_visible()
    assert live_registers.questions("sirene") == [ACTIVE_SIRET]
