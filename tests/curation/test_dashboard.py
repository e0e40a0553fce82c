"""The local-economy dashboard, checked figure by figure against a known data set."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest

from marketplace.accounts.models import RESIDENT, SHOPKEEPER
from marketplace.audit import record_action
from marketplace.curation.dashboard_views import TABLES
from marketplace.curation.periods import make_period
from marketplace.extensions import db
from search.models import SearchLog
from shops.models import SUSPENDED
from tests.curation.helpers import add_order, paris
from tests.factories import make_shop, make_user

START, END = "2026-11-02", "2026-11-15"  # two whole weeks, Monday to Sunday
H = timedelta(hours=1)


@pytest.fixture
def town(app):
    """Five published shops, one suspended, orders, sign-ups, approvals and searches."""
    bakery = make_shop(name="Boulangerie A", category="boulangerie", postcode="75011")
    cheese = make_shop(name="Fromagerie B", category="fromagerie", postcode="75011")
    books = make_shop(name="Librairie C", category="librairie", postcode="75012")
    make_shop(name="Boulangerie F", category="boulangerie", postcode="75012")
    old = make_shop(name="Caviste G", category="caviste", postcode="75012")
    make_shop(name="Boulangerie D", category="boulangerie", postcode="75012", status=SUSPENDED)
    alice = make_user("alice@example.org", RESIDENT, "Alice Dupont")
    add_order(bakery, alice, paris(2026, 11, 3, 10), "collected", 1250, collected_after=3 * H)
    add_order(bakery, alice, paris(2026, 11, 4, 10), "refunded", 2000, 500, collected_after=26 * H)
    add_order(cheese, alice, paris(2026, 11, 5, 11), "cancelled", 900)
    add_order(cheese, alice, paris(2026, 11, 5, 12), "expired", 700)
    add_order(cheese, alice, paris(2026, 11, 10, 9), "collected", 3333, collected_after=H)
    add_order(books, alice, paris(2026, 11, 12, 12), "collected", 1001, collected_after=80 * H)
    add_order(books, alice, paris(2026, 11, 13, 12), "confirmed", 450)
    add_order(bakery, alice, paris(2026, 11, 14, 12), "failed", 300)
    add_order(bakery, alice, paris(2026, 11, 20, 12), "collected", 9999, collected_after=H)
    add_order(bakery, alice, paris(2026, 10, 30, 12), "collected", 5000, collected_after=H)
    add_order(old, alice, paris(2026, 9, 30, 12), "collected", 4200, collected_after=24 * H)

    for email, role, when in (
        ("r1@example.org", RESIDENT, paris(2026, 11, 3)),
        ("s1@example.org", SHOPKEEPER, paris(2026, 11, 4)),
        ("r2@example.org", RESIDENT, paris(2026, 11, 10)),
        ("r3@example.org", RESIDENT, paris(2026, 11, 11)),
        ("r4@example.org", RESIDENT, paris(2026, 11, 16, 1)),  # the day after the period
    ):
        make_user(email, role, "X").created_at = when
    for shop, before, when in (
        (bakery, "pending_review", paris(2026, 11, 4)),
        (cheese, "suspended", paris(2026, 11, 10)),  # a reinstatement, not an approval
        (books, "pending_review", paris(2026, 11, 12)),
    ):
        entry = record_action(
            None, "shop.published", "shop", shop.id, None, {"status": [before, "published"]}
        )
        entry.created_at = when
    for query, count, when in (
        ("pain", 5, paris(2026, 11, 3)),
        ("pain", 5, paris(2026, 11, 4)),
        ("pain", 4, paris(2026, 11, 9)),
        (" Pain ", 4, paris(2026, 11, 10)),
        ("vélo", 0, paris(2026, 11, 5)),
        ("vélo", 0, paris(2026, 11, 6)),
        ("cordonnier", 0, paris(2026, 11, 7)),
        ("cordonnier", 0, paris(2026, 10, 1)),  # before the period
    ):
        db.session.add(SearchLog(query=query, filters="{}", result_count=count, created_at=when))
    db.session.commit()


def build(key: str, start: str = START, end: str = END):
    period = make_period(date.fromisoformat(start), date.fromisoformat(end), "Europe/Paris")
    return TABLES[key](period, "Europe/Paris")


def table(key: str, start: str = START, end: str = END) -> list[dict]:
    return build(key, start, end).as_dicts()


def test_published_shops_by_category_and_postcode(town):
    assert [(r["category"], r["shops"]) for r in table("shops-by-category")] == [
        ("Boulangerie - pâtisserie", 2),
        ("Caviste", 1),
        ("Fromagerie", 1),
        ("Librairie", 1),
    ]
    assert table("shops-by-postcode") == [
        {"postcode": "75011", "shops": 2},
        {"postcode": "75012", "shops": 3},
    ]


def test_sign_ups_and_approvals_per_week(town):
    assert table("signups-by-week") == [
        {"week": "2026-11-02", "residents": 1, "shopkeepers": 1, "approvals": 1},
        {"week": "2026-11-09", "residents": 2, "shopkeepers": 0, "approvals": 1},
    ]


def test_orders_sales_and_average_basket_per_week_exact_to_the_cent(town):
    assert table("orders-by-week") == [
        {
            "week": "2026-11-02",
            "orders": 3,
            "collected": 2,
            "sales_eur": 2750,
            "average_basket_eur": 1375,
        },
        {
            "week": "2026-11-09",
            "orders": 3,
            "collected": 2,
            "sales_eur": 4334,
            "average_basket_eur": 2167,
        },
    ]


def test_orders_per_category(town):
    assert table("orders-by-category") == [
        {
            "category": "Fromagerie",
            "orders": 2,
            "collected": 1,
            "sales_eur": 3333,
            "average_basket_eur": 3333,
        },
        {
            "category": "Boulangerie - pâtisserie",
            "orders": 2,
            "collected": 2,
            "sales_eur": 2750,
            "average_basket_eur": 1375,
        },
        {
            "category": "Librairie",
            "orders": 2,
            "collected": 1,
            "sales_eur": 1001,
            "average_basket_eur": 1001,
        },
    ]


def test_share_of_orders_collected_cancelled_expired(town):
    assert [(r["orders"], r["share_percent"]) for r in table("order-outcomes")] == [
        (4, 50.0),
        (1, 12.5),
        (2, 25.0),
        (1, 12.5),
    ]


def test_time_from_order_to_collection(town):
    assert [r["orders"] for r in table("pickup-delays")] == [1, 1, 1, 1]
    note = str(build("pickup-delays").note)
    assert "14.5 h" in note and "27.5 h" in note and " 4 " in note


def test_searches_and_searches_without_result(town):
    assert table("top-searches") == [
        {"term": "pain", "searches": 4},
        {"term": "vélo", "searches": 2},
        {"term": "cordonnier", "searches": 1},
    ]
    assert table("searches-without-result") == [
        {"term": "vélo", "searches": 2, "corrected": ""},
        {"term": "cordonnier", "searches": 1, "corrected": ""},
    ]


def test_shops_with_no_sale_in_30_days(town):
    assert table("dormant-shops") == [
        {"shop": "Boulangerie F", "postcode": "75012", "last_sale": ""},
        {"shop": "Caviste G", "postcode": "75012", "last_sale": "2026-10-01"},
    ]


def test_the_date_range_filters_the_orders(town):
    assert table("orders-by-week", "2026-11-09", "2026-11-15") == [
        {
            "week": "2026-11-09",
            "orders": 3,
            "collected": 2,
            "sales_eur": 4334,
            "average_basket_eur": 2167,
        },
    ]


def test_each_table_downloads_as_csv_for_the_chosen_period(town, office):
    response = office.get(
        "/curation/dashboard/orders-by-week.csv", query_string={"start": START, "end": END}
    )
    assert response.mimetype == "text/csv"
    assert response.get_data(as_text=True).splitlines() == [
        "week,orders,collected,sales_eur,average_basket_eur",
        "2026-11-02,3,2,27.50,13.75",
        "2026-11-09,3,2,43.34,21.67",
    ]
    for key in TABLES:
        body = office.get(
            f"/curation/dashboard/{key}.csv", query_string={"start": START, "end": END}
        )
        assert body.status_code == 200
        header = next(csv.reader(io.StringIO(body.get_data(as_text=True))))
        assert header == [c.key for c in build(key).columns]
    assert office.get("/curation/dashboard/unknown.csv").status_code == 404


def test_the_page_shows_tables_and_server_drawn_charts_without_personal_data(town, office):
    page = office.get("/curation/dashboard", query_string={"start": START, "end": END})
    html = page.get_data(as_text=True)
    assert html.count("<svg") >= 8
    assert "<script" not in html.split("<main", 1)[1].split("</main>", 1)[0]
    assert "43,34" in html  # sales of the second week, in French
    assert "Alice" not in html and "alice@example.org" not in html


def test_a_bad_date_falls_back_to_the_default_period(town, office):
    assert (
        office.get("/curation/dashboard", query_string={"start": "2026-13-45"}).status_code == 200
    )


def test_searches_without_result_leave_junk_out_and_show_the_correction(town):
    when = paris(2026, 11, 12)
    for query in (
        "<script>alert(1)</script>",
        "x" * 200,  # a pasted 2,000 characters, as the log keeps them
        "12345 678",
        "a",
        "' OR 1=1 --",
        "boulangrie",
        "boulangrie",
    ):
        db.session.add(SearchLog(query=query, filters="{}", result_count=0, created_at=when))
    db.session.commit()
    assert table("searches-without-result") == [
        {"term": "boulangrie", "searches": 2, "corrected": "boulangerie"},
        {"term": "vélo", "searches": 2, "corrected": ""},
        {"term": "cordonnier", "searches": 1, "corrected": ""},
    ]
