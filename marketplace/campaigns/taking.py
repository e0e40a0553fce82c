"""Taking the town's part in the order's transaction: conditional UPDATEs, like stock, never above budget.

The campaign's budget, the resident's cap and the voucher are each taken with one UPDATE whose
WHERE clause says it still fits (campaigns/budget.py): two residents racing for the last euros
cannot both get them, and the loser's checkout is refused with nothing written (the caller
rolls back). At the counter a voucher is applied to a pay-at-pickup order the same way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime

from sqlalchemy import select

from marketplace.audit import record_action
from marketplace.campaigns.budget import hold_redemption
from marketplace.campaigns.models import HELD, REDEEMED, VOUCHER_ISSUED, CampaignRedemption
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


def take_part(order: Order, part: TownPart, user_id: int | None) -> CampaignRedemption:
    """Take one planned part for `order` (budget.hold_redemption); RedemptionRefused if gone."""
    voucher = part.voucher
    redemption = hold_redemption(
        part.campaign, order.id, order.shop_id, part.amount_cents, user_id, voucher
    )
    if redemption is not None:
        return redemption
    if voucher is not None:
        db.session.refresh(voucher)
        if voucher.status != VOUCHER_ISSUED:
            raise RedemptionRefused(USED, order.shop)  # another checkout took it meanwhile
        raise RedemptionRefused(EXHAUSTED, order.shop)
    raise RedemptionRefused(CHANGED, order.shop)


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
    takes = []
    for order in orders:
        parts = plan.get(order.shop_id, [])
        amount = sum(p.amount_cents for p in parts)
        if shown is not None and shown.get(order.shop_id, 0) != amount:
            raise RedemptionRefused(CHANGED, order.shop)
        takes += [(part.campaign.id, order.id, order, part) for part in parts]
        town[order.id] = amount
    # Campaign rows are locked in id order, in every checkout: two cannot wait on each other.
    for _campaign_id, _order_id, order, part in sorted(takes, key=lambda t: t[:2]):
        take_part(order, part, user_id)
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


def redeem_voucher_at_counter(order: Order, text: str, today: date, now: datetime, actor_id=None):
    """Apply a voucher shown at the counter to a pay-at-pickup order not collected yet.

    The shopkeeper (`actor_id`) moves the town's money to their own shop: the audit log names them.
    """
    # The order's row is held: two vouchers shown at once cannot both fit in what is left.
    db.session.execute(select(Order.id).where(Order.id == order.id).with_for_update())
    db.session.refresh(order)
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
    redemption = take_part(order, part, order.customer_id)
    order.checkout.total_cents -= part.amount_cents  # what the resident pays at the counter
    record_action(
        actor_id,
        "campaign.voucher_redeemed_at_counter",
        "campaign",
        part.campaign.id,
        None,
        {
            "order": [None, order.id],
            "shop": [None, order.shop_id],
            "voucher": [None, part.voucher.id if part.voucher else None],
            "amount_cents": [None, part.amount_cents],
        },
    )
    return redemption
