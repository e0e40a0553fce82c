"""The office's dashboard stays short in a busy town: each table shows its top 10, and a link
shows one table whole; the page's height is printed (pytest -s) for the record."""

from __future__ import annotations

from playwright.sync_api import expect

from marketplace.accounts.models import CURATOR
from marketplace.extensions import db
from search.models import SearchLog
from tests.e2e.steps import email_for, follow, log_in, unique
from tests.factories import make_shop, make_user

CATEGORIES = ("boulangerie", "boucherie", "fromagerie", "primeur", "caviste", "librairie")


def busy_town(shops: int = 30, terms: int = 25) -> None:
    """Shops in many postcodes, none of them selling; many searches, found or not."""
    for n in range(shops):
        make_shop(
            name=unique("Commerce calme"),
            category=CATEGORIES[n % len(CATEGORIES)],
            postcode=f"750{n % 20 + 1:02d}",
        )
    for n in range(terms):
        db.session.add(SearchLog(query=f"{unique('pain')} {n}", result_count=3))
        # Last in the alphabet: the table keeps 20 terms, other journeys look for theirs there.
        db.session.add(SearchLog(query=f"{unique('zeste')} {n}", result_count=0))
    db.session.commit()


def test_each_table_shows_its_top_ten_and_a_link_shows_it_whole(open_page, live_town):
    busy_town()
    name = unique("Office")
    make_user(email_for(name), CURATOR, name)
    db.session.commit()
    page = open_page("desktop", "en")
    log_in(page, email_for(name))
    page.goto("/curation/dashboard")
    expect(page.get_by_role("heading", name="Local economy dashboard")).to_be_visible()
    height = page.evaluate("document.documentElement.scrollHeight")
    print(f"\ndashboard height (desktop 1280 px wide): {height} px")

    panels = page.locator("section.panel")
    for i in range(panels.count()):
        assert panels.nth(i).locator("tbody tr").count() <= 10
    dormant = page.get_by_role("region", name="Shops with no sale in 30 days")
    expect(dormant.get_by_role("link", name="Download this table (CSV)")).to_be_visible()
    follow(page, dormant.get_by_role("link", name="Show all"))
    whole = page.get_by_role("region", name="Shops with no sale in 30 days")
    assert whole.locator("tbody tr").count() >= 30
    expect(whole.get_by_role("link", name="Show fewer rows")).to_be_visible()
    print(
        f"dashboard height with one table whole: {page.evaluate('document.documentElement.scrollHeight')} px"
    )
