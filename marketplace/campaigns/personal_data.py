"""A resident's campaign data for the personal-data export, and what account deletion does to it.

The town keeps every redemption's amount for its accounts (statements, budget, measured effect):
deletion unlinks the person from them, as orders are cut off a deleted account. The per-resident
counters and the address on emailed vouchers are the person's and go with the account.
"""

from __future__ import annotations

from sqlalchemy import delete, select, update

from marketplace.campaigns.models import Campaign, CampaignRedemption, CampaignResident, Voucher
from marketplace.extensions import db


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def campaign_data(user) -> dict:
    """The town's parts of the resident's orders, what they took per campaign, vouchers sent to them."""
    redemptions = db.session.scalars(
        select(CampaignRedemption)
        .where(CampaignRedemption.user_id == user.id)
        .order_by(CampaignRedemption.id)
    )
    caps = db.session.execute(
        select(Campaign.name, CampaignResident.spent_cents)
        .join(Campaign, Campaign.id == CampaignResident.campaign_id)
        .where(CampaignResident.user_id == user.id)
        .order_by(Campaign.id)
    )
    vouchers = db.session.scalars(
        select(Voucher).where(Voucher.email == user.email.lower()).order_by(Voucher.id)
    )
    return {
        "town_parts": [
            {
                "campaign": r.campaign.name,
                "order_id": r.order_id,
                "amount_cents": r.amount_cents,
                "returned_cents": r.returned_cents,
                "status": r.status,
                "voucher": r.voucher.display_code if r.voucher else None,
                "created_at": _iso(r.created_at),
                "collected_at": _iso(r.collected_at),
            }
            for r in redemptions
        ],
        "taken_per_campaign": [{"campaign": name, "cents": cents} for name, cents in caps],
        "vouchers_emailed": [
            {
                "campaign": v.campaign.name,
                "code": v.display_code,
                "face_cents": v.face_cents,
                "status": v.status,
                "sent_at": _iso(v.sent_at),
            }
            for v in vouchers
        ],
    }


def forget_resident(user) -> None:
    """Unlink the person from the town's records: amounts stay, their counters and address go."""
    db.session.execute(
        update(CampaignRedemption).where(CampaignRedemption.user_id == user.id).values(user_id=None)
    )
    db.session.execute(delete(CampaignResident).where(CampaignResident.user_id == user.id))
    # The voucher stays valid (it is the town's money, held by whoever has the code).
    db.session.execute(
        update(Voucher).where(Voucher.email == user.email.lower()).values(email=None)
    )
