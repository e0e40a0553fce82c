"""A campaign's measured effect: public money, residents, orders and sales at the participating
shops, by category, postcode and shop, new customers, against the same length just before."""

from __future__ import annotations

from datetime import date

import pytest

from marketplace.campaigns.effect import TITLES, measure
from marketplace.campaigns.effect_tables import by_category, by_shop, public_money, sales
from marketplace.campaigns.models import MATCHED
from marketplace.orders.status import COLLECTED
from tests.campaigns.helpers import make_campaign, make_curator
from tests.campaigns.settle_helpers import NOV_30, OCT_1, join, order_with_part, paris
from tests.curation.helpers import add_order
from tests.factories import login, make_shop, make_user

TZ = "Europe/Paris"
DECEMBER_6 = date(2026, 12, 6)


@pytest.fixture
def season(app):
    """October-November with the town's part at a bakery and a florist; orders before and beside."""
    office = make_curator()
    campaign = make_campaign(office, MATCHED, starts_on=OCT_1, ends_on=NOV_30)
    bakery = make_shop(name="Boulangerie Moreau")
    florist = make_shop(name="Fleurs de Lune", category="fleuriste", postcode="75012")
    elsewhere = make_shop(name="Cave Voltaire", category="caviste")  # not in the campaign
    for shop in (bakery, florist):
        join(campaign, shop, office)
    alice, bruno = make_user("alice@example.org"), make_user("bruno@example.org")
    carol, dan = make_user("carol@example.org"), make_user("dan@example.org")
    add_order(bakery, alice, paris(2026, 7, 1), COLLECTED, 1000)  # long before: alice is known
    add_order(bakery, carol, paris(2026, 9, 10), COLLECTED, 2000)  # the period before
    order_with_part(campaign, bakery, alice, paris(2026, 10, 3), 5000, 1000)
    order_with_part(campaign, bakery, bruno, paris(2026, 10, 5), 2500, 500)
    add_order(bakery, dan, paris(2026, 10, 10), COLLECTED, 3000)  # without the town's part
    order_with_part(campaign, florist, bruno, paris(2026, 11, 2), 1500, 300)
    add_order(elsewhere, dan, paris(2026, 10, 11), COLLECTED, 9900)
    return office, campaign


def test_the_campaign_is_compared_with_the_same_length_just_before(season):
    _, campaign = season
    effect = measure(campaign, DECEMBER_6, TZ)
    assert (effect.periods.before.start, effect.periods.before.end) == (
        date(2026, 8, 1),
        date(2026, 9, 30),
    )
    during, before = sales(effect).as_dicts()
    assert during == {
        "period": str(TITLES["during"]),
        "start": "2026-10-01",
        "end": "2026-11-30",
        "orders": 4,
        "customers": 3,
        "new_customers": 3,  # bruno at two shops, dan at the bakery; alice came before
        "sales_eur": 12000,
    }
    assert (before["orders"], before["sales_eur"], before["new_customers"]) == (1, 2000, 1)
    assert public_money(effect).as_dicts() == [
        {
            "campaign_orders": 3,
            "residents": 2,
            "public_money_eur": 1800,
            "sales_per_public_euro": 5.0,  # 9 000 of those orders for 1 800
            "extra_sales_per_public_euro": 5.56,  # (12 000 - 2 000) / 1 800
        }
    ]
    assert effect.budget_used == 1800


def test_the_effect_by_category_and_by_shop(season):
    _, campaign = season
    effect = measure(campaign, DECEMBER_6, TZ)
    rows = {row["category"]: row for row in by_category(effect).as_dicts()}
    assert rows["Boulangerie - pâtisserie"] == {
        "category": "Boulangerie - pâtisserie",
        "shops": 1,
        "campaign_orders": 2,
        "public_money_eur": 1500,
        "sales_eur": 10500,
        "sales_before_eur": 2000,
        "sales_change_pct": 425.0,
        "new_customers": 2,
        "new_customers_before": 1,
        "sales_per_public_euro": 5.0,
    }
    assert rows["Fleuriste"]["sales_change_pct"] is None  # nothing sold before
    assert [r["shop"] for r in by_shop(effect).as_dicts()] == [
        "Boulangerie Moreau",
        "Fleurs de Lune",
    ]


def test_the_office_reads_the_effect_and_downloads_each_table(season, client):
    office, campaign = season
    login(client, office)
    page = client.get(f"/curation/campaigns/{campaign.id}/effect")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Fleurs de Lune" in text and "Cave Voltaire" not in text
    sent = client.get(f"/curation/campaigns/{campaign.id}/effect/effect-by-postcode.csv")
    assert sent.status_code == 200 and sent.mimetype == "text/csv"
    lines = sent.get_data(as_text=True).splitlines()
    assert lines[0].startswith("postcode,shops,campaign_orders,public_money_eur")
    assert lines[1].startswith("75011,1,2,15.00,105.00,20.00")
    assert client.get(f"/curation/campaigns/{campaign.id}/effect/nope.csv").status_code == 404


def test_the_effect_is_for_the_office_only(season, client):
    _, campaign = season
    login(client, make_user("bob@example.org", "shopkeeper"))
    assert client.get(f"/curation/campaigns/{campaign.id}/effect").status_code == 403
    assert client.get(f"/curation/campaigns/{campaign.id}/review").status_code == 403
