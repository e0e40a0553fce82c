"""The campaigns' results in the open data: aggregated per campaign and category, no personal
data, and no figure for a group of fewer than 5 residents (nor one the total would reveal)."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest

from marketplace.campaigns.models import DRAFT, MATCHED
from marketplace.campaigns.results import COMPLEMENT, FEW_RESIDENTS
from tests.campaigns.helpers import make_campaign, make_curator
from tests.campaigns.settle_helpers import NOV_30, OCT_1, join, order_with_part, paris, residents
from tests.factories import make_shop


def _file(client) -> list[dict]:
    sent = client.get("/open-data/campaigns/results.csv")
    assert sent.status_code == 200 and sent.mimetype == "text/csv"
    return list(csv.DictReader(io.StringIO(sent.get_data(as_text=True))))


def _spend(campaign, shop, people, day: int = 5) -> None:
    for n, who in enumerate(people):
        order_with_part(campaign, shop, who, paris(2026, 10, day) + timedelta(minutes=n), 2000, 400)


@pytest.fixture
def office(app):
    return make_curator()


def test_a_category_of_fewer_than_5_residents_is_suppressed_and_so_is_its_complement(
    office, client
):
    campaign = make_campaign(office, MATCHED, starts_on=OCT_1, ends_on=NOV_30)
    make_campaign(office, MATCHED, name="Pas encore", status=DRAFT)
    bakery = make_shop(name="Boulangerie Moreau")
    florist = make_shop(name="Fleurs de Lune", category="fleuriste")
    cellar = make_shop(name="Cave Voltaire", category="caviste")
    for shop in (bakery, florist, cellar):
        join(campaign, shop, office)
    people = residents(15)
    _spend(campaign, bakery, people[:6])
    _spend(campaign, florist, people[6:10])  # 4 residents: suppressed
    _spend(campaign, cellar, people[10:15])  # 5: shown alone, but would reveal the florist

    rows = {row["category"]: row for row in _file(client)}
    assert set(rows) == {"all", "boulangerie", "fleuriste", "caviste"}  # no draft campaign
    total, bakery_row = rows["all"], rows["boulangerie"]
    assert (total["residents"], total["orders"], total["public_money_eur"]) == ("15", "15", "60.00")
    assert (total["suppressed"], total["note"]) == ("false", "")
    assert (bakery_row["residents"], bakery_row["sales_eur"], bakery_row["shops"]) == (
        "6",
        "120.00",
        "1",
    )
    assert (rows["fleuriste"]["suppressed"], rows["fleuriste"]["note"]) == ("true", FEW_RESIDENTS)
    assert (rows["caviste"]["suppressed"], rows["caviste"]["note"]) == ("true", COMPLEMENT)
    for hidden in ("fleuriste", "caviste"):
        figures = ("residents", "orders", "public_money_eur", "sales_eur", "sales_before_eur")
        assert [rows[hidden][key] for key in figures] == [""] * 5
    assert "fewer than 5 residents" in FEW_RESIDENTS


def test_a_campaign_of_fewer_than_5_residents_publishes_no_figure_and_no_personal_data(
    office, client
):
    campaign = make_campaign(office, MATCHED, starts_on=OCT_1, ends_on=NOV_30)
    bakery = make_shop(name="Boulangerie Moreau")
    join(campaign, bakery, office)
    people = residents(4)
    _spend(campaign, bakery, people)

    sent = client.get("/open-data/campaigns/results.csv").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(sent)))
    assert [(r["category"], r["suppressed"], r["orders"]) for r in rows] == [
        ("all", "true", ""),
        ("boulangerie", "true", ""),
    ]
    assert rows[0]["budget_eur"] == "1000.00"  # the budget is public anyway
    for person in people:
        assert person.email not in sent and person.name not in sent


def test_the_open_data_page_lists_the_campaign_results_file(office, client):
    page = client.get("/open-data/")
    assert "/open-data/campaigns/results.csv" in page.get_data(as_text=True)
