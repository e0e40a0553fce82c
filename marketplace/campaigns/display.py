"""What an order page, a counter card or an email says of the town's part: who pays what."""

from __future__ import annotations

from dataclasses import dataclass

from marketplace.campaigns.models import HELD, REDEEMED
from marketplace.campaigns.order_hooks import redemptions_of
from marketplace.orders.models import Order


@dataclass(frozen=True)
class TownShare:
    """The town's part of an order still standing, what the resident pays, and which campaigns."""

    town_cents: int
    pay_cents: int
    campaigns: str


def town_share(order: Order) -> TownShare | None:
    """The town's part of `order` (None when the town pays nothing, or its part was released)."""
    live = [r for r in redemptions_of(order) if r.status in (HELD, REDEEMED)]
    town = sum(r.amount_cents - r.returned_cents for r in live)
    if not live:
        return None
    names = ", ".join(dict.fromkeys(r.campaign.name for r in live))
    return TownShare(town, order.total_cents - sum(r.amount_cents for r in live), names)
