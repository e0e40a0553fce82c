"""What the town pays on a cart: matched spending and a voucher, planned per shop before anything is taken.

The plan is read without locks (to show the resident, then again inside the checkout's
transaction); taking.py takes it with conditional UPDATEs. Rules decided here (docs in
docs/campaigns-redemption.md): a voucher applies to ONE shop's order, the first eligible shop of
the cart in the cart's order; it covers at most that order (no change is given, as with the
paper chèques commerce); matched spending is applied to each eligible order of an account whose
email is verified, on what the voucher left, capped per order and by what the resident has left.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from marketplace.accounts.models import User
from marketplace.campaigns.budget import matched_amount
from marketplace.campaigns.models import (
    ACTIVE,
    MATCHED,
    VOUCHER_ISSUED,
    VOUCHER_VOID,
    Campaign,
    CampaignResident,
    Voucher,
)
from marketplace.campaigns.participation import eligible_campaigns, is_eligible
from marketplace.campaigns.vouchers import find_voucher
from marketplace.extensions import db
from shops.models import Shop

# Why a voucher is refused (checkout and counter): each has its own message (messages.py).
UNKNOWN = "voucher_unknown"
USED = "voucher_used"
VOID = "voucher_void"
EXPIRED = "voucher_expired"
NOT_ELIGIBLE = "voucher_not_eligible"
EXHAUSTED = "voucher_exhausted"
CAP_REACHED = "voucher_cap_reached"
# A shopkeeper's own order at their shop: the town would pay the shop for its owner's purchase.
OWN_SHOP = "voucher_own_shop"
# The town's part changed between the page the resident saw and the confirmation.
CHANGED = "town_part_changed"


class RedemptionRefused(Exception):
    """The town's part cannot be applied as asked; `code` says why, `shop` where if known."""

    def __init__(self, code: str, shop: Shop | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.shop = shop


@dataclass(frozen=True)
class TownPart:
    """What one campaign pays on one shop's order (a voucher's campaign names its voucher)."""

    campaign: Campaign
    amount_cents: int
    voucher: Voucher | None = None


def normalize_voucher_code(text: str | None) -> str:
    """The code's letters and digits, upper-case, from what was typed or scanned (even a link).

    Not checked against the alphabet: a mistyped code stays visible, and is refused as unknown
    by vouchers.find_voucher, which reads it.
    """
    text = (text or "").strip()[:500]
    if "://" in text:
        # A voucher's QR may hold a link: its code is the last part of the path or ?code=.
        from urllib.parse import parse_qs, urlsplit

        parts = urlsplit(text)
        text = parse_qs(parts.query).get("code", [parts.path.rstrip("/").rsplit("/", 1)[-1]])[0]
    return "".join(ch for ch in text.upper() if ch.isalnum())[:40]


def is_open(campaign: Campaign, today: date) -> bool:
    """True when budget can be taken from the campaign today (town date)."""
    return campaign.status == ACTIVE and campaign.starts_on <= today <= campaign.ends_on


def matched_campaigns(shop: Shop, today: date) -> list[Campaign]:
    """The open matched-spending campaigns this shop takes part in, oldest first."""
    return [c for c in eligible_campaigns(shop, today) if c.kind == MATCHED]


def resident_left(campaign: Campaign, user_id: int | None) -> int | None:
    """What the resident may still take from the campaign (None: no cap)."""
    if campaign.resident_cap_cents is None or user_id is None:
        return None
    row = db.session.get(CampaignResident, {"campaign_id": campaign.id, "user_id": user_id})
    return max(campaign.resident_cap_cents - (row.spent_cents if row else 0), 0)


def voucher_part(voucher: Voucher | None, shop: Shop, total: int, user_id: int | None, today):
    """The voucher's part on one shop's order of `total`; RedemptionRefused says why not."""
    if voucher is None:
        raise RedemptionRefused(UNKNOWN)
    if voucher.status == VOUCHER_VOID:
        raise RedemptionRefused(VOID)
    if voucher.status != VOUCHER_ISSUED:
        raise RedemptionRefused(USED)
    campaign = voucher.campaign
    if not is_open(campaign, today):
        raise RedemptionRefused(EXPIRED)
    if user_id is not None and shop.owner_id == user_id:
        raise RedemptionRefused(OWN_SHOP, shop)
    if not is_eligible(campaign, shop, today):
        raise RedemptionRefused(NOT_ELIGIBLE, shop)
    amount = min(voucher.face_cents, total)
    if amount > campaign.remaining_cents:
        raise RedemptionRefused(EXHAUSTED, shop)
    left = resident_left(campaign, user_id)
    if left is not None and amount > left:
        raise RedemptionRefused(CAP_REACHED, shop)
    return TownPart(campaign, amount, voucher)


def plan_town_parts(
    user: User | None, orders: Sequence[tuple[Shop, int]], voucher_code: str, today: date
) -> dict[int, list[TownPart]]:
    """The town's parts per shop id for a cart of (shop, total) in the cart's order.

    Raises RedemptionRefused when a code was given that cannot be used on this cart.
    """
    user_id = user.id if user is not None else None
    parts: dict[int, list[TownPart]] = {shop.id: [] for shop, _total in orders}
    if voucher_code.strip():
        parts.update(_voucher_plan(orders, voucher_code, user_id, today))
    if user is None or not user.is_confirmed:
        return parts  # matched spending: one verified account per person
    for shop, total in orders:
        if shop.owner_id == user.id:
            continue  # no matched spending on a shopkeeper's purchases at their own shop
        for campaign in matched_campaigns(shop, today):
            rest = total - sum(p.amount_cents for p in parts[shop.id])
            amount = min(matched_amount(campaign, rest), campaign.remaining_cents)
            left = resident_left(campaign, user_id)
            amount = amount if left is None else min(amount, left)
            if amount > 0:
                parts[shop.id].append(TownPart(campaign, amount))
    return parts


def _voucher_plan(orders, voucher_code: str, user_id: int | None, today):
    voucher = find_voucher(voucher_code)  # vouchers.py reads O as 0, I and L as 1
    refused: RedemptionRefused | None = None
    for shop, total in orders:
        try:
            return {shop.id: [voucher_part(voucher, shop, total, user_id, today)]}
        except RedemptionRefused as error:
            if error.code not in (NOT_ELIGIBLE, OWN_SHOP):
                raise
            refused = error
    raise RedemptionRefused(NOT_ELIGIBLE) if refused is None else refused


def town_total(parts: dict[int, list[TownPart]]) -> dict[int, int]:
    """The town's total per shop id."""
    return {
        shop_id: sum(p.amount_cents for p in shop_parts) for shop_id, shop_parts in parts.items()
    }
