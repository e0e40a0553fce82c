"""Screenshots of the key pages, in French and English, on a desktop and a phone.

`make screenshots` (scripts/screenshots.py) serves the demo town and saves them to
docs/screenshots/<page>-<lang>-<device>.png; tests/e2e/test_screenshots.py takes a few into a
temporary folder so that this code keeps working. Each file is the viewport, not the full page.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

from PIL import Image, ImageDraw
from playwright.sync_api import Page, expect
from sqlalchemy import select

from marketplace.accounts.services import find_user_by_email
from marketplace.extensions import db
from marketplace.orders.models import Order
from shops.models import Product, Shop
from tests.e2e.live import TIMEZONE, new_context
from tests.e2e.steps import fits_the_screen
from tests.factories import login, make_shop_photo
from tests.payments.town import check_out, fill_cart

PAGES = (
    "home",
    "search",
    "shop",
    "map",
    "cart",
    "order",
    "board",
    "curator-queue",
    "curator-dashboard",
)
LANGS = ("fr", "en")
DEMO_PASSWORD = "vitrine-demo"
RESIDENT, SHOPKEEPER, CURATOR = (
    f"{role}@demo.vitrine.localhost" for role in ("resident", "shopkeeper", "curator")
)
LOGIN = {
    "fr": ("Adresse e-mail", "Mot de passe", "Se connecter", "Se déconnecter"),
    "en": ("Email", "Password", "Log in", "Log out"),
}
SEARCH = {"fr": "chocolat", "en": "chocolat"}


@dataclass
class Scene:
    """What the screenshots show: the demo town, a shop with a photo, an order ready to collect."""

    shop_slug: str
    order_id: int
    board_day: date


def shop_front() -> bytes:
    """A drawn shop front (awning, window, door): a photo without shipping a photo."""
    image = Image.new("RGB", (960, 640), "#f3ead8")
    draw = ImageDraw.Draw(image)
    for i in range(12):  # the striped awning
        draw.rectangle((i * 80, 60, i * 80 + 40, 200), fill="#00605a")
    draw.rectangle((0, 200, 960, 230), fill="#0b3d3a")
    draw.rectangle((80, 280, 560, 600), fill="#cfe3e8", outline="#1b1b1b", width=8)
    draw.rectangle((640, 280, 860, 640), fill="#7a4b2a", outline="#1b1b1b", width=8)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def build_scene(town) -> Scene:
    """Load the demo town, give the shopkeeper's shop a photo, and place the resident's order."""
    from marketplace.demo.loading import load_town
    from marketplace.demo.town import DRAFT_SHOP
    from shops.models import PENDING_REVIEW
    from shops.status import transition_shop

    load_town("75011", 300, 42, 12)
    owner = find_user_by_email(SHOPKEEPER)
    shop = db.session.scalars(
        select(Shop).where(Shop.owner_id == owner.id, Shop.status == "published")
    ).first()
    config = town.app.config
    make_shop_photo(
        shop,
        config["UPLOAD_DIR"],
        "La devanture de la boutique, un store à rayures vertes",
        shop_front(),
    )
    other = db.session.scalars(
        select(Shop).where(Shop.status == "published", Shop.id != shop.id).order_by(Shop.id)
    ).first()
    ours = _products(shop, 2)
    client = town.app.test_client()
    login(client, find_user_by_email(RESIDENT), DEMO_PASSWORD)
    fill_cart(client, {ours[0]: 2, ours[1]: 1})
    assert check_out(client, "at_pickup").status_code == 303
    # The cart is filled again for the "cart with pickup times" page.
    fill_cart(client, {ours[0]: 1, _products(other, 1)[0]: 2})
    order = db.session.scalars(
        select(Order).where(Order.shop_id == shop.id).order_by(Order.id.desc())
    ).first()
    day = order.pickup_starts_at.astimezone(ZoneInfo(TIMEZONE)).date()
    # The shopkeeper's draft shop is sent for review, so that the curator's queue is not empty.
    draft = db.session.scalars(select(Shop).where(Shop.slug == DRAFT_SHOP["slug"])).one()
    transition_shop(draft, PENDING_REVIEW, owner.id)
    db.session.commit()
    return Scene(shop.slug, order.id, day)


def _products(shop: Shop, count: int) -> list[Product]:
    return list(
        db.session.scalars(
            select(Product)
            .where(Product.shop_id == shop.id, Product.is_active, Product.stock.is_(None))
            .order_by(Product.id)
            .limit(count)
        )
    )


def log_in(page: Page, email: str, lang: str) -> None:
    """Log in with the labels of the page's language."""
    email_label, password_label, button, logout = LOGIN[lang]
    page.goto("/account/login")
    page.get_by_label(email_label).fill(email)
    page.get_by_label(password_label, exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name=button).click()
    expect(page.get_by_role("button", name=logout)).to_be_visible()


def curator_dashboard(app) -> str | None:
    """The path of the curator's dashboard, or None while the curation screens do not exist."""
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("curation.dashboard") and not rule.arguments:
            return rule.rule
    return None


def take(browser, town, scene: Scene, lang: str, device: str, folder: Path, pages=PAGES):
    """Save the screenshots of `pages` in `lang` on `device`; return the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []

    def shot(page: Page, name: str, focus=None) -> None:
        if name not in pages:
            return
        expect(page.locator("h1").first).to_be_visible()
        fits_the_screen(page)
        if focus is not None:
            focus.scroll_into_view_if_needed()
        path = folder / f"{name}-{lang}-{device}.png"
        page.screenshot(path=path, animations="disabled", caret="hide")
        written.append(path)

    contexts = []

    def open_as(email: str | None) -> Page:
        # Scale 1 on the phone too: the files stay small and still read well.
        context = new_context(browser, town.url, device, lang, device_scale_factor=1)
        contexts.append(context)
        page = context.new_page()
        if email:
            log_in(page, email, lang)
        return page

    try:
        visitor = open_as(None)
        visitor.goto("/")
        shot(visitor, "home")
        visitor.goto(f"/search?q={SEARCH[lang]}")
        shot(visitor, "search", visitor.locator("#results-title") if device == "phone" else None)
        visitor.goto(f"/shops/{scene.shop_slug}")
        shot(visitor, "shop")
        visitor.goto("/map?open_now=1")  # clustered markers (tiles need the internet), the list
        shot(visitor, "map")

        resident = open_as(RESIDENT)
        resident.goto("/checkout")
        shot(resident, "cart")
        resident.goto(f"/orders/{scene.order_id}")
        shot(resident, "order", resident.locator(".pickup-code") if device == "phone" else None)

        shopkeeper = open_as(SHOPKEEPER)
        shopkeeper.goto(f"/merchant/shops/{scene.shop_slug}/orders/?day={scene.board_day}")
        shot(shopkeeper, "board", shopkeeper.locator(".board:visible").first)

        if {"curator-queue", "curator-dashboard"} & set(pages):
            curator = open_as(CURATOR)
            curator.goto("/curation/")
            shot(curator, "curator-queue")
            if "curator-dashboard" in pages:
                curator.goto(curator_dashboard(town.app))
                shot(curator, "curator-dashboard")
    finally:
        for context in contexts:
            context.close()
    return written
