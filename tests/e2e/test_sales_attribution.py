"""In a real browser, opening a shop from a search result counts a view and the words searched."""

from __future__ import annotations

import re
from urllib.parse import quote

from playwright.sync_api import expect
from sqlalchemy import select

from marketplace.extensions import db
from marketplace.sales.models import SHOP_PAGE, PageView, SearchReferral
from search.sync import sync_now
from tests.e2e.steps import unique
from tests.factories import make_product, make_shop

# Headless Chromium calls itself HeadlessChrome, a robot by the counter's rule: this one does not.
DESKTOP_CHROME = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)


def test_a_search_result_opened_counts_the_view_and_the_words(open_page, live_town):
    shop = make_shop(name=unique("Fromagerie Trouvaille"))
    make_product(shop, "Tomme de brebis", 1290)
    db.session.commit()
    sync_now(live_town.app)  # the new shop is in the index before the search
    page = open_page("desktop", "fr", user_agent=DESKTOP_CHROME)

    page.goto(f"/search?q={quote(shop.name)}")
    page.locator(f'main a[href="/shops/{shop.slug}"]').first.click()
    expect(page).to_have_url(re.compile(f"/shops/{shop.slug}$"))

    db.session.commit()  # a fresh read of what the server wrote
    views = db.session.execute(
        select(PageView.product_id, PageView.views).where(PageView.shop_id == shop.id)
    ).all()
    assert views == [(SHOP_PAGE, 1)]
    searches = db.session.execute(
        select(SearchReferral.query, SearchReferral.visits).where(SearchReferral.shop_id == shop.id)
    ).all()
    assert searches == [(shop.name.lower(), 1)]
