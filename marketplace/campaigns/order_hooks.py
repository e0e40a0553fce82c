"""The town's part follows its order: released once on cancel/expiry/failure, redeemed at collection,
given back to the budget by a refund after the resident's part (orders/status.py calls on_transition).
"""

from __future__ import annotations

from sqlalchemy import select, update

from marketplace.campaigns.budget import give_back_budget, mark_redeemed, restore_budget
from marketplace.campaigns.models import HELD, REDEEMED, CampaignRedemption
from marketplace.extensions import db
from marketplace.orders.models import Order
from marketplace.rows_changed import rows_changed

RELEASING = ("expired", "failed", "cancelled")  # orders/status.py RELEASES_STOCK
COLLECTED = "collected"


def redemptions_of(order: Order) -> list[CampaignRedemption]:
    """The order's redemption rows, in the order they were taken."""
    return list(
        db.session.scalars(
            select(CampaignRedemption)
            .where(CampaignRedemption.order_id == order.id)
            .order_by(CampaignRedemption.id)
        )
    )


def town_part_cents(order: Order) -> int:
    """What the town pays of the order now (live redemptions less what refunds gave back)."""
    return sum(
        r.amount_cents - r.returned_cents
        for r in redemptions_of(order)
        if r.status in (HELD, REDEEMED)
    )


def charged_cents(order: Order) -> int:
    """What the resident was asked to pay for the order: its total less every town part taken.

    A released part still counts: the card was charged without it (a cancelled order is refunded
    this amount, the town's part having gone back to its budget).
    """
    return order.total_cents - sum(r.amount_cents for r in redemptions_of(order))


def on_transition(order: Order, target: str) -> None:
    """Follow the order's move (called by orders.status.transition_order, in its transaction)."""
    if target not in RELEASING and target != COLLECTED:
        return
    for redemption in redemptions_of(order):
        if target == COLLECTED:
            mark_redeemed(redemption)  # held -> redeemed, once
        else:
            give_back_budget(redemption)  # held -> released, once: budget, cap and voucher back


def return_to_budget(order: Order, amount: int) -> int:
    """Give up to `amount` of the order's redeemed town parts back to their budgets; return it.

    A refund calls it for what exceeds the resident's part: the town's money never goes to the
    resident's card. Each row's returned_cents grows with a conditional UPDATE (never above its
    amount) and its campaign's spent_cents shrinks by the same.
    """
    returned = 0
    for redemption in redemptions_of(order):
        if redemption.status != REDEEMED or returned >= amount:
            continue
        part = min(amount - returned, redemption.amount_cents - redemption.returned_cents)
        if part <= 0:
            continue
        changed = rows_changed(
            update(CampaignRedemption)
            .where(
                CampaignRedemption.id == redemption.id,
                CampaignRedemption.returned_cents + part <= CampaignRedemption.amount_cents,
            )
            .values(returned_cents=CampaignRedemption.returned_cents + part)
        )
        if changed != 1:
            continue
        restore_budget(redemption.campaign_id, redemption.user_id, part)
        db.session.refresh(redemption)
        returned += part
    return returned
