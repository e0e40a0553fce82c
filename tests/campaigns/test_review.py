"""The office's review list: shops whose redemptions come from few accounts, one account again and
again at one shop, accounts at the per-order maximum on many days; the rules are on the page."""

from __future__ import annotations

from datetime import timedelta

import pytest

from marketplace.campaigns.budget import give_back_budget
from marketplace.campaigns.models import MATCHED
from marketplace.campaigns.patterns import review_tables
from tests.campaigns.helpers import make_campaign, make_curator
from tests.campaigns.settle_helpers import NOV_30, OCT_1, join, order_with_part, paris, residents
from tests.conftest import page_text
from tests.factories import login, make_shop

TZ = "Europe/Paris"


@pytest.fixture
def campaign(app):
    """A matched campaign (20 %, at most 10 € an order) with two shops."""
    office = make_curator()
    campaign = make_campaign(
        office, MATCHED, starts_on=OCT_1, ends_on=NOV_30, match_order_cap_cents=1000
    )
    return office, campaign


def _tables(campaign) -> dict[str, list[dict]]:
    return {t.key: t.as_dicts() for t in review_tables(campaign, TZ)}


def test_a_shop_fed_by_few_accounts_and_an_account_coming_back_are_listed(campaign):
    office, campaign = campaign
    busy, honest = make_shop(name="Épicerie Nord"), make_shop(name="Primeur Sud")
    join(campaign, busy, office)
    join(campaign, honest, office)
    eve, fred, *others = residents(12)
    day = paris(2026, 10, 1)
    for n, who in enumerate([eve] * 6 + [fred] * 4 + others[:2]):  # 10 of 12 from two accounts
        order_with_part(campaign, busy, who, day + timedelta(hours=n), 2000, 400)
    for n, who in enumerate(others):  # 10 accounts, once each
        order_with_part(campaign, honest, who, day + timedelta(hours=n), 2000, 400)
    released = order_with_part(campaign, honest, fred, day, 2000, 400, collected=False)
    for _ in range(5):  # released redemptions never count
        give_back_budget(released)

    tables = _tables(campaign)
    assert tables["review-concentrated-shops"] == [
        {"shop": "Épicerie Nord", "redemptions": 12, "accounts": 4, "top_share_pct": 91.7}
    ]
    assert tables["review-repeat-accounts"] == [
        {"account": eve.email, "shop": "Épicerie Nord", "redemptions": 6}
    ]
    assert tables["review-cap-days"] == []


def test_an_account_at_the_maximum_on_three_days_is_listed(campaign):
    office, campaign = campaign
    shop = make_shop(name="Cave Voltaire", category="caviste")
    join(campaign, shop, office)
    gina, hugo = residents(2)
    for day in (3, 4, 9):  # 20 % of 80 € is above 10 €: the cap, three days
        order_with_part(campaign, shop, gina, paris(2026, 10, day), 8000, 1000)
    for day in (3, 4):
        order_with_part(campaign, shop, hugo, paris(2026, 10, day), 8000, 1000)
    order_with_part(campaign, shop, hugo, paris(2026, 10, 9), 2000, 400)  # below the cap

    assert _tables(campaign)["review-cap-days"] == [{"account": gina.email, "days": 3}]


def test_the_page_explains_the_rules_and_offers_each_list_as_csv(campaign, client):
    office, campaign = campaign
    login(client, office)
    page = client.get(
        f"/curation/campaigns/{campaign.id}/review", headers={"Accept-Language": "en"}
    )
    text = page_text(page)
    assert page.status_code == 200
    assert "at least 10 redemptions, of which more than 50 % come from its 3 most" in text
    assert "5 redemptions or more by the same account" in text
    assert "on 3 different days or more" in text
    sent = client.get(f"/curation/campaigns/{campaign.id}/review/review-cap-days.csv")
    assert sent.status_code == 200 and sent.get_data(as_text=True).startswith("account,days")
