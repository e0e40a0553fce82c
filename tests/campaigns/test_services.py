"""The office runs a campaign: create, change, start, pause, resume, close; the ledger always adds up."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from marketplace.audit import AuditLog
from marketplace.campaigns import services
from marketplace.campaigns.budget import (
    give_back_budget,
    hold_redemption,
    mark_redeemed,
    matched_amount,
    take_budget,
)
from marketplace.campaigns.models import (
    ACTIVE,
    CLOSED,
    DRAFT,
    MATCHED,
    PAUSED,
    RELEASED,
    VOUCHER,
    CampaignResident,
)
from marketplace.campaigns.services import InvalidCampaign
from marketplace.domain_errors import InvalidTransition
from marketplace.extensions import db
from tests.campaigns.helpers import (
    assert_ledger_balanced,
    make_campaign,
    make_curator,
)
from tests.orders.helpers import make_order


def audit_actions(campaign_id: int) -> list[str]:
    return list(
        db.session.scalars(
            select(AuditLog.action)
            .where(AuditLog.target_kind == "campaign", AuditLog.target_id == campaign_id)
            .order_by(AuditLog.id)
        )
    )


def test_a_campaign_goes_from_draft_to_closed_and_gives_back_what_is_left(app):
    office = make_curator()
    campaign = make_campaign(office, status=DRAFT)
    assert campaign.status == DRAFT and campaign.slug == "noel-dans-nos-rues"
    assert_ledger_balanced(campaign.id)

    for target in (ACTIVE, PAUSED, ACTIVE):
        services.transition_campaign(campaign, target, office)
        db.session.commit()
        assert campaign.status == target
        assert_ledger_balanced(campaign.id)
    order = make_order()
    assert hold_redemption(campaign, order.id, order.shop_id, 3000, order.customer_id)
    db.session.commit()
    assert campaign.remaining_cents == 97_000
    assert_ledger_balanced(campaign.id)

    services.transition_campaign(campaign, CLOSED, office)
    db.session.commit()

    assert campaign.status == CLOSED and campaign.closed_at is not None
    assert campaign.released_cents == 97_000 and campaign.remaining_cents == 0
    assert_ledger_balanced(campaign.id)
    assert audit_actions(campaign.id) == [
        "campaign.created",
        "campaign.start",
        "campaign.pause",
        "campaign.resume",
        "campaign.close",
    ]
    entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "campaign.close"))
    assert entry.actor_id == office.id


@pytest.mark.parametrize(
    ("source", "target"),
    [(DRAFT, PAUSED), (DRAFT, CLOSED), (CLOSED, ACTIVE), (PAUSED, PAUSED), (ACTIVE, DRAFT)],
)
def test_the_table_refuses_other_changes(app, source, target):
    office = make_curator()
    campaign = make_campaign(office, status=source)
    with pytest.raises(InvalidTransition):
        services.transition_campaign(campaign, target, office)
    assert_ledger_balanced(campaign.id)


def test_a_paused_or_draft_campaign_gives_nothing(app):
    office = make_curator()
    draft = make_campaign(office, status=DRAFT)
    paused = make_campaign(office, status=PAUSED, name="Autre")
    assert not take_budget(draft, 100, None)
    assert not take_budget(paused, 100, None)
    assert draft.spent_cents == paused.spent_cents == 0


@pytest.mark.parametrize(
    ("fields", "field", "code"),
    [
        ({"budget_cents": 0}, "budget_cents", "positive"),
        ({"ends_on": date(2026, 11, 1)}, "ends_on", "before_start"),
        ({"voucher_face_cents": None}, "voucher_face_cents", "required"),
        ({"voucher_face_cents": 200_000}, "voucher_face_cents", "above_budget"),
        ({"kind": MATCHED, "match_bps": 0}, "match_bps", "range"),
        ({"kind": MATCHED, "match_bps": 10_001}, "match_bps", "range"),
        ({"categories": ["armurerie"]}, "categories", "unknown"),
        ({"postcodes": ["750"]}, "postcodes", "format"),
        ({"name": "  "}, "name", "required"),
    ],
)
def test_bad_values_are_refused_and_nothing_is_written(app, fields, field, code):
    office = make_curator()
    with pytest.raises(InvalidCampaign) as refused:
        make_campaign(office, status=DRAFT, **fields)
    assert (refused.value.field, refused.value.code) == (field, code)
    db.session.rollback()
    assert audit_actions(1) == []


def test_a_started_campaign_keeps_its_rule_but_its_budget_can_grow(app):
    office = make_curator()
    campaign = make_campaign(office, kind=MATCHED)
    order = make_order()
    assert hold_redemption(campaign, order.id, order.shop_id, 60_000, None)
    with pytest.raises(InvalidCampaign) as refused:
        services.update_campaign(campaign, office, match_bps=5000)
    assert refused.value.code == "locked"
    with pytest.raises(InvalidCampaign) as refused:
        services.update_campaign(campaign, office, budget_cents=50_000)  # below what was taken
    assert refused.value.code == "below_spent"

    services.update_campaign(campaign, office, budget_cents=150_000, name="Coup de pouce+")
    db.session.commit()

    assert campaign.budget_cents == 150_000 and campaign.remaining_cents == 90_000
    assert audit_actions(campaign.id)[-1] == "campaign.updated"
    assert_ledger_balanced(campaign.id)


def test_a_matched_campaign_pays_its_share_within_the_order_cap(app):
    office = make_curator()
    campaign = make_campaign(office, kind=MATCHED, match_bps=2000, match_order_cap_cents=1000)
    assert campaign.voucher_face_cents is None
    assert matched_amount(campaign, 2499) == 499  # 20 %, rounded down: the town never overpays
    assert matched_amount(campaign, 10_000) == 1000  # capped per order
    assert matched_amount(campaign, 0) == 0
    voucher_campaign = make_campaign(office, kind=VOUCHER, name="Bons")
    assert matched_amount(voucher_campaign, 10_000) == 0


def test_the_resident_cap_is_taken_and_given_back(app):
    office = make_curator()
    campaign = make_campaign(office, kind=MATCHED, resident_cap_cents=1500)
    order = make_order()
    alice = order.customer_id

    assert take_budget(campaign, 1000, alice)
    assert not take_budget(campaign, 600, alice)  # 1600 > 1500: nothing taken at all
    assert campaign.spent_cents == 1000
    assert not take_budget(campaign, 100, None)  # matched spending needs an account
    cap = db.session.get(CampaignResident, (campaign.id, alice))
    assert cap.spent_cents == 1000
    assert take_budget(campaign, 500, alice)  # exactly up to the cap
    assert campaign.spent_cents == 1500
    db.session.rollback()


def test_a_cancelled_order_gives_its_part_back_exactly_once(app):
    office = make_curator()
    campaign = make_campaign(office, kind=MATCHED, resident_cap_cents=2000)
    order = make_order()
    redemption = hold_redemption(campaign, order.id, order.shop_id, 260, order.customer_id)
    db.session.commit()
    ledger = assert_ledger_balanced(campaign.id)
    assert (ledger.held, ledger.remaining) == (260, 99_740)

    assert give_back_budget(redemption)
    assert not give_back_budget(redemption)  # a second cancellation, an expiry after it
    db.session.commit()

    assert redemption.status == RELEASED and redemption.released_at is not None
    ledger = assert_ledger_balanced(campaign.id)
    assert (ledger.held, ledger.remaining) == (0, 100_000)
    assert db.session.get(CampaignResident, (campaign.id, order.customer_id)).spent_cents == 0


def test_a_redeemed_part_stays_spent_and_a_late_release_after_close_goes_to_the_town(app):
    office = make_curator()
    campaign = make_campaign(office, kind=MATCHED)
    first, second = make_order(), None
    kept = hold_redemption(campaign, first.id, first.shop_id, 500, first.customer_id)
    db.session.commit()
    assert mark_redeemed(kept) and not mark_redeemed(kept)
    assert not give_back_budget(kept)  # a collected order's part is owed to the shop
    second = make_order_for_same_shop(first)
    late = hold_redemption(campaign, second.id, second.shop_id, 300, None)
    db.session.commit()

    services.transition_campaign(campaign, CLOSED, office)
    db.session.commit()
    ledger = assert_ledger_balanced(campaign.id)
    assert (ledger.redeemed, ledger.held, ledger.released) == (500, 300, 99_200)

    assert give_back_budget(late)
    db.session.commit()
    ledger = assert_ledger_balanced(campaign.id)
    assert (ledger.redeemed, ledger.held, ledger.remaining, ledger.released) == (500, 0, 0, 99_500)


def make_order_for_same_shop(order):
    """Another order (a second checkout) at the same shop."""
    from marketplace.orders.checkout import CheckoutRequest, place_checkout
    from marketplace.orders.slots import pickup_slots_for
    from tests.orders.helpers import TZ

    product = order.lines[0].product
    slot = pickup_slots_for(order.shop, order.created_at, TZ)[0].starts_at
    request = CheckoutRequest({product.id: 1}, {order.shop_id: slot}, "at_pickup")
    checkout = place_checkout(order.customer_id, request, order.created_at, TZ)
    db.session.commit()
    return checkout.orders[0]
