"""Taking the town's part in the order's transaction: conditional UPDATEs, like stock, never above budget.

The campaign's budget, the resident's cap and the voucher are each taken with one UPDATE whose
WHERE clause says it still fits: two residents racing for the last euros cannot both get them,
and the loser's checkout is refused with nothing written (the caller rolls back).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from marketplace.campaigns.models import (
    ACTIVE,
    HELD,
    REDEEMED,
    VOUCHER_HELD,
    VOUCHER_ISSUED,
    Campaign,
    CampaignRedemption,
    CampaignResident,
    Voucher,
)
from marketplace.campaigns.redemption import (
    CHANGED,
    EXHAUSTED,
    USED,
    RedemptionRefused,
    TownPart,
    find_voucher,
    plan_town_parts,
    voucher_part,
)
from marketplace.extensions import db
from marketplace.orders.models import AT_PICKUP, Order
from marketplace.orders.status import CONFIRMED, READY


def _rowcount(statement) -> int:
    return db.session.execute(statement.execution_options(synchronize_session=False)).rowcount  # type: ignore[attr-defined]  # an UPDATE returns a CursorResult


def take_budget(campaign: Campaign, amount: int, user_id: int | None) -> bool:
    """Take `amount` from the campaign's budget and the resident's cap if both still fit (flushes)."""
    taken = _rowcount(
        update(Campaign)
        .where(
            Campaign.id == campaign.id,
            Campaign.status == ACTIVE,
            Campaign.spent_cents + Campaign.released_cents + amount <= Campaign.budget_cents,
        )
        .values(spent_cents=Campaign.spent_cents + amount)
    )
    if taken != 1:
        return False
    if campaign.resident_cap_cents is not None and user_id is not None:
        _ensure_resident_row(campaign.id, user_id)
        fits = _rowcount(
            update(CampaignResident)
            .where(
                CampaignResident.campaign_id == campaign.id,
                CampaignResident.user_id == user_id,
                CampaignResident.spent_cents + amount <= campaign.resident_cap_cents,
            )
            .values(spent_cents=CampaignResident.spent_cents + amount)
        )
        if fits != 1:
            return False  # the caller rolls back, the campaign's UPDATE with it
    db.session.refresh(campaign)
    return True


def _ensure_resident_row(campaign_id: int, user_id: int) -> None:
    """Insert the resident's row at 0 once; a concurrent twin's insert wins harmlessly."""
    key = {"campaign_id": campaign_id, "user_id": user_id}
    if db.session.get(CampaignResident, key) is not None:
        return
    try:
        with db.session.begin_nested():
            db.session.execute(insert(CampaignResident).values(**key, spent_cents=0))
    except IntegrityError:
        pass  # inserted meanwhile by another checkout of the same resident


def hold_voucher(voucher: Voucher) -> bool:
    """Mark an issued voucher held by an order; False when it was used meanwhile."""
    held = _rowcount(
        update(Voucher)
        .where(Voucher.id == voucher.id, Voucher.status == VOUCHER_ISSUED)
        .values(status=VOUCHER_HELD)
    )
    db.session.refresh(voucher)
    return held == 1


def take_part(order: Order, part: TownPart, user_id: int | None, now: datetime):
    """Take one planned part for `order` and write its redemption row; RedemptionRefused if gone."""
    if part.voucher is not None and not hold_voucher(part.voucher):
        raise RedemptionRefused(USED, order.shop)
    if not take_budget(part.campaign, part.amount_cents, user_id):
        raise RedemptionRefused(EXHAUSTED if part.voucher else CHANGED, order.shop)
    redemption = CampaignRedemption(
        campaign_id=part.campaign.id,
        order_id=order.id,
        shop_id=order.shop_id,
        user_id=user_id,
        voucher_id=part.voucher.id if part.voucher else None,
        amount_cents=part.amount_cents,
        status=HELD,
        created_at=now,
    )
    db.session.add(redemption)
    db.session.flush()
    return redemption


def redeem_at_checkout(
    user,
    orders: Sequence[Order],
    voucher_code: str,
    shown: Mapping[int, int] | None,
    today: date,
    now: datetime,
) -> dict[int, int]:
    """Take the town's parts of freshly placed orders; return {order id: town's part}.

    `shown` is what the checkout page showed per shop id: a different plan now (the budget ran
    out, a campaign was paused) refuses the checkout, so nobody pays more than they saw.
    """
    plan = plan_town_parts(user, [(o.shop, o.total_cents) for o in orders], voucher_code, today)
    user_id = user.id if user is not None else None
    town: dict[int, int] = {}
    for order in orders:
        parts = plan.get(order.shop_id, [])
        amount = sum(p.amount_cents for p in parts)
        if shown is not None and shown.get(order.shop_id, 0) != amount:
            raise RedemptionRefused(CHANGED, order.shop)
        for part in parts:
            take_part(order, part, user_id, now)
        town[order.id] = amount
    return town


def live_town_cents(order: Order) -> int:
    """The town's part of the order still standing (held or redeemed, less what was returned)."""
    rows = db.session.scalars(
        select(CampaignRedemption).where(
            CampaignRedemption.order_id == order.id,
            CampaignRedemption.status.in_((HELD, REDEEMED)),
        )
    )
    return sum(r.amount_cents - r.returned_cents for r in rows)


def redeem_voucher_at_counter(order: Order, text: str, today: date, now: datetime):
    """Apply a voucher shown at the counter to a pay-at-pickup order not collected yet."""
    if order.checkout.method != AT_PICKUP or order.status not in (CONFIRMED, READY):
        raise RedemptionRefused("counter_not_pay_at_pickup", order.shop)
    left = order.total_cents - live_town_cents(order)
    voucher = find_voucher(text)
    part = voucher_part(voucher, order.shop, left, order.customer_id, today)
    if part.amount_cents <= 0:
        raise RedemptionRefused("counter_nothing_left", order.shop)
    exists = db.session.scalar(
        select(CampaignRedemption.id).where(
            CampaignRedemption.order_id == order.id,
            CampaignRedemption.campaign_id == part.campaign.id,
        )
    )
    if exists is not None:
        raise RedemptionRefused("counter_same_campaign", order.shop)
    redemption = take_part(order, part, order.customer_id, now)
    order.checkout.total_cents -= part.amount_cents  # what the resident pays at the counter
    return redemption
