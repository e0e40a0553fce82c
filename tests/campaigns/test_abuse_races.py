"""One resident racing themself: ten checkouts opened at once stay under the per-resident cap."""

from __future__ import annotations

import pytest

from marketplace.campaigns import budget
from marketplace.campaigns.models import MATCHED, Campaign, CampaignResident
from marketplace.extensions import db
from tests.campaigns.helpers import assert_ledger_balanced, make_campaign, make_curator
from tests.campaigns.test_concurrency import NOW
from tests.factories import make_product, make_shop, make_user
from tests.orders.helpers import paris, place, run_together, set_hours

pytestmark = pytest.mark.slow  # threads; `make test-fast` leaves them out


def test_one_resident_with_ten_checkouts_at_once_gets_the_cap_and_no_more(app):
    office = make_curator()
    campaign = make_campaign(office, kind=MATCHED, resident_cap_cents=1500)
    shop = make_shop(name="Librairie du coin", category="librairie", slot_capacity=1000)
    set_hours(shop)
    book = make_product(shop, "Roman", 2000, stock=None)
    resident = make_user("lea@example.org")
    slot = paris(2026, 12, 7, 10)
    orders = [place(resident, {book: 1}, {shop: slot}, NOW).orders[0].id for _ in range(10)]
    campaign_id, shop_id, user_id = campaign.id, shop.id, resident.id

    def redeem(i: int):
        mine = db.session.get(Campaign, campaign_id)
        held = budget.hold_redemption(mine, orders[i], shop_id, 700, user_id)  # 7 € each
        db.session.commit()
        return held is not None

    outcomes = run_together(app, 10, redeem)

    assert outcomes.count(True) == 2, outcomes  # 2 x 7 € fit under 15 €, a third does not
    row = db.session.get(CampaignResident, {"campaign_id": campaign_id, "user_id": user_id})
    db.session.refresh(row)
    assert row.spent_cents == 1400
    assert assert_ledger_balanced(campaign_id).held == 1400
