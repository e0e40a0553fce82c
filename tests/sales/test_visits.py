"""Page views and the searches that led to a page, counted per day without personal data."""

from __future__ import annotations

from sqlalchemy import select

from marketplace.extensions import db
from marketplace.public import visits
from marketplace.sales.models import SHOP_PAGE, PageView, SearchReferral
from tests.factories import login, make_product, make_shop

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36"
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


def counters(model) -> dict:
    db.session.expire_all()
    rows = db.session.scalars(select(model)).all()
    if model is PageView:
        return {(r.shop_id, r.product_id): r.views for r in rows}
    return {(r.shop_id, r.product_id, r.query): r.visits for r in rows}


def visit(client, url: str, agent: str = BROWSER, referrer: str | None = None):
    headers = {"User-Agent": agent}
    if referrer:
        headers["Referer"] = referrer
    response = client.get(url, headers=headers)
    assert response.status_code == 200
    return response


def test_a_shop_page_view_is_counted_and_a_robot_s_or_the_owner_s_is_not(app, client):
    shop = make_shop(name="Boulangerie Vue")
    bread = make_product(shop, "Pain de seigle", 320)
    product_url = f"/shops/{shop.slug}/products/{bread.id}-{bread.slug}"

    visit(client, f"/shops/{shop.slug}")
    visit(client, f"/shops/{shop.slug}")  # the second comes from the page cache
    visit(client, product_url)
    visit(client, f"/shops/{shop.slug}", agent=GOOGLEBOT)
    visit(client, product_url, agent="")
    owner = app.test_client()
    login(owner, shop.owner)
    visit(owner, f"/shops/{shop.slug}")  # the owner checking their own page is not a visit

    assert counters(PageView) == {(shop.id, SHOP_PAGE): 2, (shop.id, bread.id): 1}
    row = db.session.scalars(select(PageView)).first()
    assert {c.name for c in PageView.__table__.columns} == {  # nothing about the visitor
        "id", "shop_id", "product_id", "day", "views"
    }  # fmt: skip
    assert row is not None


def test_a_visit_from_a_search_records_its_words_and_other_referrers_do_not(app, client):
    shop = make_shop(name="Fromagerie Trouvée")
    brie = make_product(shop, "Brie de Meaux", 990)
    product_url = f"/shops/{shop.slug}/products/{brie.id}-{brie.slug}"

    visit(client, f"/shops/{shop.slug}", referrer="http://localhost/search?q=Fromage++Affiné")
    visit(client, product_url, referrer="http://localhost/search?q=fromage%20affin%C3%A9&page=2")
    visit(client, product_url, referrer=f"http://localhost/shops/{shop.slug}?q=brie")
    visit(client, product_url, referrer="https://www.example.com/search?q=brie")  # elsewhere
    visit(client, product_url, referrer="http://localhost/shops")  # not a search
    visit(client, product_url, referrer="http://localhost/search?q=%3Cscript%3E")  # junk
    visit(client, product_url, agent=GOOGLEBOT, referrer="http://localhost/search?q=brie")

    assert counters(SearchReferral) == {
        (shop.id, SHOP_PAGE, "fromage affiné"): 1,
        (shop.id, brie.id, "fromage affiné"): 1,
        (shop.id, brie.id, "brie"): 1,
    }


def test_the_owner_sees_the_views_and_searches_on_the_sales_page(app, client):
    shop = make_shop(name="Épicerie Vue")
    visit(client, f"/shops/{shop.slug}", referrer="http://localhost/search?q=épices")
    visit(app.test_client(), f"/shops/{shop.slug}")

    login(client, shop.owner)
    page = client.get(f"/merchant/shops/{shop.slug}/sales").get_data(as_text=True)
    assert "épices" in page and "La page de la boutique" in page
    searches = client.get(f"/merchant/shops/{shop.slug}/sales/searches.csv").get_data(as_text=True)
    assert searches.splitlines()[1] == "épices,La page de la boutique,1"
    views = client.get(f"/merchant/shops/{shop.slug}/sales/views-by-week.csv").get_data(
        as_text=True
    )
    assert sum(int(line.split(",")[3]) for line in views.splitlines()[1:]) == 2


def test_visits_are_tallied_in_the_process_and_written_together(app, client):
    app.config["VISIT_FLUSH_SECONDS"] = 3600.0  # nothing due during the test
    shop = make_shop(name="Épicerie Comptée")
    product = make_product(shop, "Riz rond", 250)
    search = "http://localhost/search?q=riz"
    for _ in range(3):
        visit(client, f"/shops/{shop.slug}")
    visit(client, f"/shops/{shop.slug}/products/{product.id}-{product.slug}", referrer=search)
    assert counters(PageView) == {}  # a page view under load is no write of its own
    visits.flush_visits(app)
    assert counters(PageView) == {(shop.id, SHOP_PAGE): 3, (shop.id, product.id): 1}
    assert counters(SearchReferral) == {(shop.id, product.id, "riz"): 1}
    visits.flush_visits(app)  # nothing new: nothing added
    assert counters(PageView)[(shop.id, SHOP_PAGE)] == 3
