"""Residents race for the last euros of a campaign: exactly the budget is spent, given back once.

Each racer is a thread with its own app context, session and connection (tests/orders/helpers.py
run_together), like requests served by different workers. On SQLite writers queue on the
database lock; on PostgreSQL they race on the campaign's row, the real test of the conditional
UPDATE (`VITRINE_TEST_DB=postgres`).
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from marketplace.campaigns import budget
from marketplace.campaigns.models import (
    HELD,
    MATCHED,
    VOUCHER_HELD,
    VOUCHER_ISSUED,
    Campaign,
    CampaignRedemption,
    Voucher,
)
from marketplace.campaigns.vouchers import issue_vouchers
from marketplace.extensions import db
from tests.campaigns.helpers import assert_ledger_balanced, make_campaign, make_curator
from tests.factories import make_product, make_shop, make_user
from tests.orders.helpers import paris, place, run_together, set_hours

pytestmark = pytest.mark.slow  # threads; `make test-fast` leaves them out

NOW = paris(2026, 12, 7, 8)  # a Monday morning of the campaign


def orders_of(count: int, prefix: str = "r") -> list[tuple[int, int, int]]:
    """`count` residents with one order each at a shop: (order id, shop id, resident id)."""
    shop = make_shop(name=f"Librairie {prefix}", category="librairie", slot_capacity=1000)
    set_hours(shop)
    book = make_product(shop, "Roman", 2000, stock=None)
    slot = paris(2026, 12, 7, 10)
    rows = []
    for i in range(count):
        resident = make_user(f"{prefix}{i}@example.org")
        order = place(resident, {book: 1}, {shop: slot}, NOW).orders[0]
        rows.append((order.id, shop.id, resident.id))
    return rows


def spend_first(campaign: Campaign, cents: int) -> None:
    """Hold `cents` of the budget on an order of its own, so that only the rest is raced for."""
    order_id, shop_id, user_id = orders_of(1, prefix="first")[0]
    assert budget.hold_redemption(campaign, order_id, shop_id, cents, user_id)
    db.session.commit()


def test_thirty_residents_racing_for_the_last_fifty_euros_spend_exactly_fifty(app):
    office = make_curator()
    campaign = make_campaign(office, kind=MATCHED, budget_cents=100_000, resident_cap_cents=95_000)
    spend_first(campaign, 95_000)
    racers = orders_of(30)
    campaign_id = campaign.id

    def redeem(i: int):
        order_id, shop_id, user_id = racers[i]
        mine = db.session.get(Campaign, campaign_id)
        held = budget.hold_redemption(mine, order_id, shop_id, 700, user_id)  # 7 € each
        db.session.commit()
        return held is not None

    outcomes = run_together(app, 30, redeem)

    assert all(isinstance(o, bool) for o in outcomes), outcomes
    assert outcomes.count(True) == 7  # 7 x 7 € = 49 €; the last euro is too little for anyone
    ledger = assert_ledger_balanced(campaign_id)
    assert (ledger.held, ledger.remaining) == (95_000 + 4900, 100)
    live = select(func.count()).select_from(CampaignRedemption)
    assert db.session.scalar(live.where(CampaignRedemption.status == HELD)) == 1 + 7


def test_thirty_voucher_holders_for_five_vouchers_worth_of_budget(app):
    office = make_curator()
    campaign = make_campaign(office, budget_cents=100_000, voucher_face_cents=1000)
    spend_first(campaign, 95_000)
    batch = issue_vouchers(campaign, 30, office)
    db.session.commit()
    codes = [v.id for v in batch.vouchers]
    racers = orders_of(30)
    campaign_id = campaign.id

    def redeem(i: int):
        order_id, shop_id, user_id = racers[i]
        mine = db.session.get(Campaign, campaign_id)
        voucher = db.session.get(Voucher, codes[i])
        held = budget.hold_redemption(mine, order_id, shop_id, 1000, user_id, voucher)
        db.session.commit()
        return held is not None

    outcomes = run_together(app, 30, redeem)

    assert outcomes.count(True) == 5, outcomes
    ledger = assert_ledger_balanced(campaign_id)
    assert ledger.remaining == 0
    statuses = db.session.scalars(select(Voucher.status).where(Voucher.batch_id == batch.id))
    counted = list(statuses)
    assert counted.count(VOUCHER_HELD) == 5 and counted.count(VOUCHER_ISSUED) == 25


def test_one_voucher_used_by_ten_orders_at_once_goes_to_one(app):
    office = make_curator()
    campaign = make_campaign(office)
    voucher_id = issue_vouchers(campaign, 1, office).vouchers[0].id
    db.session.commit()
    racers = orders_of(10)
    campaign_id = campaign.id

    def redeem(i: int):
        order_id, shop_id, user_id = racers[i]
        mine = db.session.get(Campaign, campaign_id)
        voucher = db.session.get(Voucher, voucher_id)
        held = budget.hold_redemption(mine, order_id, shop_id, 1000, user_id, voucher)
        db.session.commit()
        return held is not None

    outcomes = run_together(app, 10, redeem)

    assert outcomes.count(True) == 1, outcomes
    assert assert_ledger_balanced(campaign_id).held == 1000


def test_two_cancellations_at_once_give_the_amount_back_once(app):
    office = make_curator()
    campaign = make_campaign(office, kind=MATCHED, resident_cap_cents=3000)
    order_id, shop_id, user_id = orders_of(1)[0]
    redemption_id = budget.hold_redemption(campaign, order_id, shop_id, 2500, user_id).id
    db.session.commit()

    def release(_i: int):
        given = budget.give_back_budget(db.session.get(CampaignRedemption, redemption_id))
        db.session.commit()
        return given

    outcomes = run_together(app, 2, release)

    assert sorted(outcomes) == [False, True]
    ledger = assert_ledger_balanced(campaign.id)
    assert (ledger.held, ledger.remaining) == (0, 100_000)
