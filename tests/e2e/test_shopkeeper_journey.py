"""The shopkeeper's journey in a real browser: from signing up to being paid online."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.live import DEVICES
from tests.e2e.steps import email_for, fits_the_screen, open_menu_link, sign_up, unique
from tests.factories import image_bytes

CATALOGUE = (
    "sku,name,description,price,stock,category,active\n"
    'CROISS,Croissant pur beurre,AOP butter,"1,20",40,Viennoiserie,1\n'
    "PAIN-CHOC,Pain au chocolat,,1.40,,Viennoiserie,1\n"
)


def create_shop(page: Page, name: str) -> None:
    """Fill in the shop form and save it (a draft)."""
    open_menu_link(page, "My shops")
    page.get_by_role("link", name="Create a shop").click()
    page.get_by_label("Shop name").fill(name)
    page.get_by_label("Category").select_option(label="Bakery")
    page.get_by_label("Description").fill("Sourdough bread baked at dawn.")
    page.get_by_label("Street address").fill("12 rue Oberkampf")
    page.get_by_label("Postcode").fill("75011")
    page.get_by_label("City").fill("Paris")
    # Nobody types coordinates. The e2e server reaches no register (offline, as in `make run`
    # without a network): the pin waits at the town centre and the shopkeeper places it.
    pin = page.locator("#pin-map .leaflet-marker-icon")
    expect(pin).to_be_visible()
    pin.scroll_into_view_if_needed()
    box = pin.bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] - 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 40, y + 30, steps=5)
    page.mouse.up()
    expect(page.locator("#position_source")).to_have_value("pin")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your shop is created as a draft.")).to_be_visible()


def set_hours(page: Page) -> None:
    """Open Tuesday to Saturday, with a lunch break, and Sunday morning."""
    expect(page.get_by_role("heading", name=re.compile("^Hours and closures"))).to_be_visible()
    for day in ("Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"):
        page.get_by_label(day).fill("07:30-13:00, 15:30-19:30")
    page.get_by_label("Sunday").fill("08:00-12:30")
    page.get_by_role("button", name="Save the hours").click()
    expect(page.get_by_label("Sunday")).to_have_value(re.compile("08:00"))
    fits_the_screen(page)


def add_photo(page: Page, shop: str) -> None:
    """Upload the shop front's photo with its alternative text."""
    page.get_by_role("navigation", name=f"Manage {shop}").get_by_role("link", name="Photo").click()
    page.get_by_label(re.compile("^Photo \\(JPEG")).set_input_files(
        {"name": "front.jpg", "mimeType": "image/jpeg", "buffer": image_bytes("JPEG", (800, 600))}
    )
    page.get_by_label("Describe the photo in a few words").fill("The bakery's blue shop front")
    page.get_by_role("button", name="Save the photo").click()
    expect(
        page.get_by_text("Photo received: it appears on your page once it is ready.")
    ).to_be_visible()
    expect(page.locator("img.shop__photo")).to_be_visible()  # the job ran (immediate in e2e)


def add_product(page: Page, shop: str, name: str, price: str, stock: str = "") -> None:
    """Add one product through the product form."""
    page.get_by_role("navigation", name=f"Manage {shop}").get_by_role(
        "link", name="Products"
    ).click()
    page.get_by_role("link", name="Add a product").click()
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Price (€, VAT included)").fill(price)
    page.get_by_label("Stock", exact=True).fill(stock)
    page.get_by_role("button", name=re.compile("^(Save|Add)")).click()
    expect(page.get_by_role("link", name=name)).to_be_visible()


def import_catalogue(page: Page) -> None:
    """Import two more products from a CSV file, from the products page."""
    page.get_by_text("Import a CSV file").click()  # opens the <details>
    page.get_by_label("CSV file").set_input_files(
        {"name": "catalogue.csv", "mimeType": "text/csv", "buffer": CATALOGUE.encode()}
    )
    products = page.url
    page.get_by_role("button", name="Import").click()
    # The import's own page says what it did (a small file is imported at once), then the list.
    expect(page.get_by_text(re.compile(r"Import done: 2 added"))).to_be_visible()
    page.goto(products)
    expect(page.get_by_role("link", name="Pain au chocolat")).to_be_visible()
    expect(page.get_by_role("link", name="Croissant pur beurre")).to_be_visible()
    fits_the_screen(page)


def submit_for_review(page: Page, shop: str) -> None:
    """Send the shop to the town's office."""
    open_menu_link(page, "My shops")
    panel = page.get_by_role("region", name=re.compile(f"^{re.escape(shop)}"))
    panel.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_text("The town's office will review your shop shortly.")).to_be_visible()
    expect(panel.get_by_text("Waiting for review")).to_be_visible()


def connect_stripe(page: Page, shop: str) -> None:
    """Open Stripe's (emulated) onboarding, submit it, and come back connected."""
    nav = page.get_by_role("navigation", name=f"Manage {shop}")
    nav.get_by_role("link", name="Online payment").first.click()
    page.get_by_role("button", name="Connect a Stripe account").click()
    expect(page.get_by_role("heading", name=re.compile("^Set up payouts"))).to_be_visible()
    page.get_by_role("button", name="Submit test details").click()
    expect(page.get_by_text("Your Stripe account is connected: you can be paid")).to_be_visible()


@pytest.mark.parametrize("device", DEVICES)
def test_shopkeeper_opens_a_shop(open_page, live_town, device):
    """Sign up, create the shop with hours and photo, add products by hand and CSV, submit, connect."""
    page = open_page(device, "en")
    person, shop = unique("Louise Baker"), unique("Boulangerie Louise")
    sign_up(page, live_town, person, email_for(person), shopkeeper=True)
    create_shop(page, shop)
    set_hours(page)
    add_photo(page, shop)
    add_product(page, shop, "Baguette tradition", "1,30")
    add_product(page, shop, "Pain de campagne", "4.50", stock="12")
    import_catalogue(page)
    submit_for_review(page, shop)
    connect_stripe(page, shop)
    # What the shopkeeper built is what the products page lists, prices in the page's locale.
    page.get_by_role("navigation", name=f"Manage {shop}").get_by_role(
        "link", name="Products"
    ).click()
    rows = page.get_by_role("table", name="Products").get_by_role("row")
    expect(rows).to_have_count(5)  # header + 4 products
    expect(page.get_by_role("row", name=re.compile("Pain de campagne"))).to_contain_text("12")
