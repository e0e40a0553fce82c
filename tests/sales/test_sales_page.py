"""The shop's Sales page: figures to the cent, the owner alone, safe CSV, accessible charts."""

from __future__ import annotations

import csv
import io

from marketplace.accounts.models import RESIDENT, SHOPKEEPER
from marketplace.money import format_money
from marketplace.sales.figures import share_out
from tests.conftest import page_text
from tests.curation.helpers import paris
from tests.factories import login, make_product, make_user
from tests.sales.conftest import END, START, add_sale
from tests.security.test_csv_exports import live_cells


def sales_url(shop, what: str = "") -> str:
    return f"/merchant/shops/{shop.slug}/sales{what}?start={START}&end={END}"


def csv_rows(client, shop, key: str) -> list[dict]:
    response = client.get(sales_url(shop, f"/{key}.csv"))
    assert response.status_code == 200 and response.mimetype == "text/csv"
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def test_weekly_and_product_figures_are_right_to_the_cent(app, client, bakery):
    login(client, bakery.owner)

    assert csv_rows(client, bakery, "sales-by-week") == [
        # 3 baguettes + 2 croissants, and the tart + a baguette refunded 5.00 on Sunday night
        {"week": "2026-W45", "monday": "2026-11-02", "orders": "2", "units": "7",
         "revenue_eur": "25.90", "refunds_eur": "5.00", "net_eur": "20.90"},
        # the croissants of Monday 00:30 (still Sunday in UTC); cancelled and expired left out
        {"week": "2026-W46", "monday": "2026-11-09", "orders": "1", "units": "2",
         "revenue_eur": "2.20", "refunds_eur": "0.00", "net_eur": "2.20"},
    ]  # fmt: skip
    # The 5.00 refund is shared 18.50 : 1.30 between the tart and the baguette: 4.67 + 0.33.
    assert csv_rows(client, bakery, "sales-by-product") == [
        {"product": "Tarte aux pommes", "units": "1", "revenue_eur": "18.50",
         "refunds_eur": "4.67", "net_eur": "13.83"},
        {"product": "Baguette", "units": "4", "revenue_eur": "5.20",
         "refunds_eur": "0.33", "net_eur": "4.87"},
        {"product": "Croissant", "units": "4", "revenue_eur": "4.40",
         "refunds_eur": "0.00", "net_eur": "4.40"},
    ]  # fmt: skip
    detail = csv_rows(client, bakery, "sales-by-week-and-product")
    assert [(r["week"], r["product"], r["units"], r["net_eur"]) for r in detail] == [
        ("2026-W45", "Tarte aux pommes", "1", "13.83"),
        ("2026-W45", "Baguette", "4", "4.87"),
        ("2026-W45", "Croissant", "2", "2.20"),
        ("2026-W46", "Croissant", "2", "2.20"),
    ]


def test_the_page_shows_euros_the_french_way_with_a_chart_and_its_table(app, client, bakery):
    login(client, bakery.owner)
    response = client.get(sales_url(bakery))

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert format_money(2090, "fr") in html and "20,90\u202f€" in html
    # Sales per week, per product, and page views per week (none yet: no "pages seen most").
    assert html.count('<svg class="chart"') == 3
    assert "<title>Ventes par semaine</title>" in html
    assert "<desc>Barres\u202f: chiffre d&#39;affaires par semaine." in html
    assert html.count('<caption class="visually-hidden">') == 6  # each chart's figures as text
    assert "confirmée, prête, retirée ou remboursée" in page_text(response)  # the rule, written


def test_another_shopkeeper_or_a_resident_cannot_see_a_shop_s_sales(app, client, bakery):
    login(client, make_user("rival@example.org", SHOPKEEPER, "Rival"))
    assert client.get(sales_url(bakery)).status_code == 404
    assert client.get(sales_url(bakery, "/sales-by-week.csv")).status_code == 404

    resident = app.test_client()
    login(resident, make_user("alice@example.org", RESIDENT, "Alice"))
    assert resident.get(sales_url(bakery)).status_code == 403
    assert app.test_client().get(sales_url(bakery)).status_code in (302, 401)


def test_an_unknown_table_or_bad_dates_change_nothing_and_never_fail(app, client, bakery):
    login(client, bakery.owner)
    assert client.get(sales_url(bakery, "/nope.csv")).status_code == 404
    response = client.get(f"/merchant/shops/{bakery.slug}/sales?start=2026-99-01&end=x")
    assert response.status_code == 200  # the last 12 weeks instead
    assert page_text(response).count("-W") >= 12


def test_no_sales_csv_hands_a_spreadsheet_a_formula(app, client, bakery):
    hostile = make_product(bakery, '=HYPERLINK("http://evil.example";"x")', 100)
    add_sale(bakery, paris(2026, 11, 4, 12), "collected", (hostile, 1))
    login(client, bakery.owner)
    for key in ("sales-by-product", "sales-by-week-and-product"):
        body = client.get(sales_url(bakery, f"/{key}.csv")).get_data(as_text=True)
        assert "HYPERLINK" in body and live_cells(body) == [], key
    visitor = app.test_client()  # opens the hostile product from a search for "-pain complet"
    visitor.get(
        f"/shops/{bakery.slug}/products/{hostile.id}-{hostile.slug}",
        headers={"User-Agent": "Mozilla/5.0", "Referer": "http://localhost/search?q=-pain+complet"},
    )
    body = client.get(f"/merchant/shops/{bakery.slug}/sales/searches.csv").get_data(as_text=True)
    assert "-pain complet" in body and "HYPERLINK" in body and live_cells(body) == []


def test_refunds_are_shared_out_to_the_cent():
    assert share_out(500, [1850, 130]) == [467, 33]
    assert share_out(100, [1, 1, 1]) == [34, 33, 33]
    assert share_out(0, [5, 5]) == [0, 0]
    assert sum(share_out(999, [7, 13, 29, 51])) == 999
