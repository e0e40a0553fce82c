"""Helpers of the redemption tests: shops that opted in, checkouts on a fixed town date, vouchers."""

from __future__ import annotations

from sqlalchemy import select

from marketplace.campaigns.models import CampaignRedemption
from marketplace.campaigns.participation import opt_in_shop
from marketplace.campaigns.vouchers import issue_vouchers
from marketplace.extensions import db
from marketplace.orders.checkout import CheckoutRequest, place_checkout
from marketplace.orders.models import AT_PICKUP
from marketplace.orders.slots import pickup_slots_for
from tests.campaigns.helpers import assert_ledger_balanced
from tests.factories import make_product, make_shop
from tests.orders.helpers import TZ, paris, set_hours

NOW = paris(2026, 12, 10, 9)  # inside the test campaigns' period (December 2026)


def town_shop(name: str, price: int, category: str = "boulangerie", online: bool = False):
    """A published shop open all week with one product of `price` cents (10 in stock)."""
    shop = make_shop(name=name, category=category, slot_capacity=50, prep_minutes=0)
    shop.payouts_enabled = online  # so that it may be paid online when asked
    set_hours(shop)
    product = make_product(shop, f"Produit {name}", price, stock=10)
    db.session.commit()
    return shop, product


def join(campaign, *shops) -> None:
    """The shops opt in to the campaign (as from their dashboards)."""
    for shop in shops:
        opt_in_shop(campaign, shop, shop.owner, NOW.date())
    db.session.commit()


def one_voucher(campaign, actor):
    """Issue one voucher of the campaign's face value; return it."""
    batch = issue_vouchers(campaign, 1, actor)
    db.session.commit()
    return batch.vouchers[0]


def check_out(user, items: dict, method: str = AT_PICKUP, voucher: str = "", shown=None):
    """Place {product: quantity} at the first slot of each shop through the service, and commit."""
    shops = {p.shop_id: p.shop for p in items}
    request = CheckoutRequest(
        {p.id: q for p, q in items.items()},
        {s.id: pickup_slots_for(s, NOW, TZ)[0].starts_at for s in shops.values()},
        method,
        voucher=voucher,
        town_parts=shown,
    )
    checkout = place_checkout(user.id if user else None, request, NOW, TZ)
    db.session.commit()
    return checkout


def redemptions(order) -> list[CampaignRedemption]:
    """The order's redemption rows, read from the database."""
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(CampaignRedemption)
            .where(CampaignRedemption.order_id == order.id)
            .order_by(CampaignRedemption.id)
        )
    )


def balanced(*campaigns):
    """Assert the ledger identity of each campaign; return the last one's ledger."""
    ledger = None
    for campaign in campaigns:
        ledger = assert_ledger_balanced(campaign.id)
    return ledger
