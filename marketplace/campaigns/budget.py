"""A campaign's budget and residents' caps: taken and given back with conditional UPDATEs, like stock.

Lock order, everywhere: the resident's row first, then the campaign's row (two requests never wait
on each other in opposite orders). Nothing here commits: the caller's transaction holds it all.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm.util import identity_key

from marketplace.campaigns.models import (
    ACTIVE,
    CLOSED,
    HELD,
    MATCHED,
    REDEEMED,
    RELEASED,
    VOUCHER_HELD,
    VOUCHER_ISSUED,
    VOUCHER_REDEEMED,
    VOUCHER_VOID,
    Campaign,
    CampaignRedemption,
    CampaignResident,
    Voucher,
)
from marketplace.db import utcnow
from marketplace.extensions import db
from marketplace.rows_changed import rows_changed


def take_budget(campaign: Campaign, amount_cents: int, user_id: int | None) -> bool:
    """Take `amount_cents` from the campaign and the resident's cap; False (nothing taken) if short.

    The condition and the increment are one statement each, so racing residents can never take
    more than the budget. Matched spending needs an account (the cap is per account); a voucher
    may be redeemed without one (its code is the limit).
    """
    if amount_cents <= 0:
        raise ValueError("amount_cents must be positive")
    capped = campaign.resident_cap_cents is not None
    if user_id is None and (capped and campaign.kind == MATCHED):
        return False
    if user_id is not None and capped:
        _ensure_resident_row(campaign.id, user_id)
        if not rows_changed(
            update(CampaignResident)
            .where(
                CampaignResident.campaign_id == campaign.id,
                CampaignResident.user_id == user_id,
                CampaignResident.spent_cents + amount_cents <= campaign.resident_cap_cents,
            )
            .values(spent_cents=CampaignResident.spent_cents + amount_cents)
        ):
            return False
    taken = rows_changed(
        update(Campaign)
        .where(
            Campaign.id == campaign.id,
            Campaign.status == ACTIVE,
            Campaign.spent_cents + Campaign.released_cents + amount_cents <= Campaign.budget_cents,
        )
        .values(spent_cents=Campaign.spent_cents + amount_cents)
    )
    if not taken:
        if user_id is not None and capped:  # undo the cap taken just above (same transaction)
            _give_back_cap(campaign.id, user_id, amount_cents)
        return False
    _expire(Campaign, campaign.id, "spent_cents")
    return True


def _ensure_resident_row(campaign_id: int, user_id: int) -> None:
    # INSERT ... ON CONFLICT DO NOTHING: two first redemptions of one resident both find a row.
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    db.session.execute(
        dialect.insert(CampaignResident)
        .values(campaign_id=campaign_id, user_id=user_id, spent_cents=0)
        .on_conflict_do_nothing(index_elements=["campaign_id", "user_id"])
    )


def _give_back_cap(campaign_id: int, user_id: int, amount_cents: int) -> None:
    # Never below zero: a cap set after the start has no record of what came before it.
    left = CampaignResident.spent_cents - amount_cents
    rows_changed(
        update(CampaignResident)
        .where(CampaignResident.campaign_id == campaign_id, CampaignResident.user_id == user_id)
        .values(spent_cents=case((left < 0, 0), else_=left))
    )


def _expire(model, ident: int, *attrs: str) -> None:
    # The UPDATEs bypass the session: objects it holds re-read these columns on next access.
    loaded = db.session.identity_map.get(identity_key(model, ident))
    if loaded is not None:
        db.session.expire(loaded, list(attrs))


def restore_budget(campaign_id: int, user_id: int | None, amount_cents: int) -> None:
    """Put `amount_cents` back in the resident's cap and the budget (a closed campaign releases it).

    No guard of its own: the caller claims the amount first (a redemption's status, a refund's
    returned_cents) so that it is given back once.
    """
    if amount_cents <= 0:
        return
    if user_id is not None:
        _give_back_cap(campaign_id, user_id, amount_cents)
    closed = Campaign.status == CLOSED
    rows_changed(
        update(Campaign)
        .where(Campaign.id == campaign_id)
        .values(
            spent_cents=Campaign.spent_cents - amount_cents,
            # After the close, what comes back goes to the town with the rest of the budget.
            released_cents=case(
                (closed, Campaign.released_cents + amount_cents), else_=Campaign.released_cents
            ),
        )
    )
    _expire(Campaign, campaign_id, "spent_cents", "released_cents")


def give_back_budget(redemption: CampaignRedemption) -> bool:
    """Release a held redemption once (order cancelled, expired, failed); False if already done."""
    now = utcnow()
    if not rows_changed(
        update(CampaignRedemption)
        .where(CampaignRedemption.id == redemption.id, CampaignRedemption.status == HELD)
        .values(status=RELEASED, released_at=now)
    ):
        return False
    db.session.expire(redemption, ["status", "released_at", "returned_cents"])
    amount = redemption.amount_cents - redemption.returned_cents
    restore_budget(redemption.campaign_id, redemption.user_id, amount)
    if redemption.voucher_id is not None:
        closed = db.session.scalar(
            select(Campaign.status).where(Campaign.id == redemption.campaign_id)
        )
        rows_changed(
            update(Voucher)
            .where(Voucher.id == redemption.voucher_id, Voucher.status == VOUCHER_HELD)
            .values(status=VOUCHER_VOID if closed == CLOSED else VOUCHER_ISSUED)
        )
        _expire(Voucher, redemption.voucher_id, "status")
    return True


def hold_voucher(voucher: Voucher) -> bool:
    """Mark an issued voucher as held by an order (once: a second request gets False)."""
    held = rows_changed(
        update(Voucher)
        .where(Voucher.id == voucher.id, Voucher.status == VOUCHER_ISSUED)
        .values(status=VOUCHER_HELD)
    )
    db.session.expire(voucher, ["status"])
    return bool(held)


def hold_redemption(
    campaign: Campaign,
    order_id: int,
    shop_id: int,
    amount_cents: int,
    user_id: int | None,
    voucher: Voucher | None = None,
) -> CampaignRedemption | None:
    """Take the budget (and hold the voucher) for an order and write its held redemption.

    None when the budget, the resident's cap or the voucher is gone: nothing is then taken.
    """
    if voucher is not None and not hold_voucher(voucher):
        return None
    if not take_budget(campaign, amount_cents, user_id):
        if voucher is not None:  # put the voucher back for its next use
            rows_changed(
                update(Voucher)
                .where(Voucher.id == voucher.id, Voucher.status == VOUCHER_HELD)
                .values(status=VOUCHER_ISSUED)
            )
            _expire(Voucher, voucher.id, "status")
        return None
    redemption = CampaignRedemption(
        campaign_id=campaign.id,
        order_id=order_id,
        shop_id=shop_id,
        user_id=user_id,
        voucher_id=voucher.id if voucher is not None else None,
        amount_cents=amount_cents,
        status=HELD,
    )
    db.session.add(redemption)
    db.session.flush()
    return redemption


def mark_redeemed(redemption: CampaignRedemption) -> bool:
    """The order was collected: the held amount is now owed to the shop (once)."""
    now = utcnow()
    if not rows_changed(
        update(CampaignRedemption)
        .where(CampaignRedemption.id == redemption.id, CampaignRedemption.status == HELD)
        .values(status=REDEEMED, collected_at=now)
    ):
        return False
    db.session.expire(redemption, ["status", "collected_at"])
    if redemption.voucher_id is not None:
        rows_changed(
            update(Voucher)
            .where(Voucher.id == redemption.voucher_id)
            .values(status=VOUCHER_REDEEMED, redeemed_at=now)
        )
        _expire(Voucher, redemption.voucher_id, "status", "redeemed_at")
    return True


def matched_amount(campaign: Campaign, order_total_cents: int) -> int:
    """The town's part of an order: match_bps of it, rounded down, within the cap per order."""
    if campaign.kind != MATCHED or not campaign.match_bps or order_total_cents <= 0:
        return 0
    amount = order_total_cents * campaign.match_bps // 10_000
    if campaign.match_order_cap_cents is not None:
        amount = min(amount, campaign.match_order_cap_cents)
    return amount


@dataclass(frozen=True)
class Ledger:
    """Where a campaign's budget is: budget = redeemed + held + remaining + released."""

    budget: int
    redeemed: int
    held: int
    remaining: int
    released: int
    spent: int  # the campaign's counter, which must equal held + redeemed

    @property
    def balanced(self) -> bool:
        """The identity holds and the counter agrees with the redemption rows."""
        return (
            self.budget == self.redeemed + self.held + self.remaining + self.released
            and self.spent == self.held + self.redeemed
            and self.remaining >= 0
        )


def ledger_of(campaign_id: int) -> Ledger:
    """Read the campaign's counters and sum its redemption rows (refunded parts left out)."""
    campaign = db.session.execute(
        select(Campaign.budget_cents, Campaign.spent_cents, Campaign.released_cents).where(
            Campaign.id == campaign_id
        )
    ).one()
    live = CampaignRedemption.amount_cents - CampaignRedemption.returned_cents
    sums = dict(
        db.session.execute(
            select(CampaignRedemption.status, func.coalesce(func.sum(live), 0))
            .where(CampaignRedemption.campaign_id == campaign_id)
            .group_by(CampaignRedemption.status)
        ).all()
    )
    budget, spent, released = campaign
    return Ledger(
        budget=budget,
        redeemed=int(sums.get(REDEEMED, 0)),
        held=int(sums.get(HELD, 0)),
        remaining=budget - spent - released,
        released=released,
        spent=spent,
    )
