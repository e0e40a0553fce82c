"""A campaign's measured effect: what its public money went with, against the period just before.

Definitions (docs/curator-guide.md repeats them): participating shops = those opted in, or with a
redemption; sales = their collected orders minus refunds, counted from the day an order was placed
(as on the dashboard); public money = the town's part of collected orders, less what refunds gave
back; a shop's new customer = an account whose first collected order at that shop falls in the
period. The period before has the campaign's length and ends the day before it starts.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from marketplace.campaigns.models import REDEEMED, Campaign, CampaignRedemption, CampaignShop
from marketplace.curation.dashboard_orders import SOLD
from marketplace.curation.periods import Period, make_period
from marketplace.extensions import db
from marketplace.orders.models import Order
from shops.models import Shop


@dataclass(frozen=True)
class Periods:
    """The campaign's period (cut at today while it runs) and the same length just before."""

    during: Period
    before: Period


def campaign_periods(campaign: Campaign, today: date, tz: str) -> Periods:
    """The campaign's days so far, and as many days immediately before its start."""
    end = max(campaign.starts_on, min(campaign.ends_on, today))
    days = (end - campaign.starts_on).days + 1
    start_before = campaign.starts_on - timedelta(days=days)
    return Periods(
        during=make_period(campaign.starts_on, end, tz),
        before=make_period(start_before, campaign.starts_on - timedelta(days=1), tz),
    )


@dataclass
class Figures:
    """One group's figures (a whole campaign, a category, a postcode, a shop) in one period."""

    orders: int = 0
    sales: int = 0
    customers: set[int] = field(default_factory=set)
    new_customers: int = 0
    campaign_orders: int = 0
    campaign_sales: int = 0  # what the orders the town paid part of brought
    residents: set[int] = field(default_factory=set)
    public_money: int = 0


@dataclass
class Effect:
    """Figures per shop and period ('during', 'before'); the groups add shops up."""

    periods: Periods
    shops: dict[int, Shop]
    figures: dict[tuple[int, str], Figures]
    budget_used: int  # held + redeemed, now

    def group(self, key_of, period: str) -> dict[str, Figures]:
        """Add the shops' figures up by `key_of(shop)` (category, postcode, or '' for all)."""
        groups: dict[str, Figures] = defaultdict(Figures)
        for shop in self.shops.values():
            one, total = self.figures[(shop.id, period)], groups[key_of(shop)]
            total.orders += one.orders
            total.sales += one.sales
            total.customers |= one.customers
            total.new_customers += one.new_customers
            total.campaign_orders += one.campaign_orders
            total.campaign_sales += one.campaign_sales
            total.residents |= one.residents
            total.public_money += one.public_money
        return dict(groups)

    def total(self, period: str) -> Figures:
        """The whole campaign's figures in one period."""
        return self.group(lambda shop: "", period).get("", Figures())


def participating_shops(campaign: Campaign) -> dict[int, Shop]:
    """Shops opted in to the campaign, or with a redemption in it (an opt-out keeps its past)."""
    opted = select(CampaignShop.shop_id).where(CampaignShop.campaign_id == campaign.id)
    redeemed = select(CampaignRedemption.shop_id).where(
        CampaignRedemption.campaign_id == campaign.id
    )
    shops = db.session.scalars(select(Shop).where(Shop.id.in_(opted.union(redeemed))))
    return {shop.id: shop for shop in shops}


def _first_orders(shop_ids: list[int]) -> dict[tuple[int, int | None], datetime]:
    rows = db.session.execute(
        select(Order.shop_id, Order.customer_id, func.min(Order.created_at))
        .where(Order.shop_id.in_(shop_ids), Order.status.in_(SOLD), Order.customer_id.is_not(None))
        .group_by(Order.shop_id, Order.customer_id)
    ).all()
    return {(shop_id, customer_id): first for shop_id, customer_id, first in rows}


def measure(campaign: Campaign, today: date, tz: str) -> Effect:
    """Read the orders of the participating shops over both periods and the redemptions."""
    periods = campaign_periods(campaign, today, tz)
    shops = participating_shops(campaign)
    figures = {(s, p): Figures() for s in shops for p in ("during", "before")}
    redeemed = {
        order_id: (amount - returned, user_id)
        for order_id, amount, returned, user_id in db.session.execute(
            select(
                CampaignRedemption.order_id,
                CampaignRedemption.amount_cents,
                CampaignRedemption.returned_cents,
                CampaignRedemption.user_id,
            ).where(
                CampaignRedemption.campaign_id == campaign.id,
                CampaignRedemption.status == REDEEMED,
            )
        )
    }
    orders = db.session.execute(
        select(
            Order.id, Order.shop_id, Order.customer_id, Order.created_at, Order.total_cents,
            Order.refunded_cents,
        ).where(
            Order.shop_id.in_(list(shops)),
            Order.status.in_(SOLD),
            Order.created_at >= periods.before.since,
            Order.created_at < periods.during.until,
        )
    ).all()  # fmt: skip
    firsts = _first_orders(list(shops))
    for order_id, shop_id, customer_id, created, total, refunded in orders:
        period = "during" if created >= periods.during.since else "before"
        one = figures[(shop_id, period)]
        one.orders += 1
        one.sales += total - refunded
        if customer_id is not None:
            one.customers.add(customer_id)
            one.new_customers += firsts.get((shop_id, customer_id)) == created
        if order_id in redeemed:
            public, user_id = redeemed[order_id]
            one.campaign_orders += 1
            one.campaign_sales += total - refunded
            one.public_money += public
            if user_id is not None:
                one.residents.add(user_id)
    return Effect(periods, shops, figures, campaign.spent_cents)


def per_public_euro(sales: int, public_money: int) -> float | None:
    """Euros of sales for each euro of public money (None without public money)."""
    return round(sales / public_money, 2) if public_money else None


TITLES = {
    "during": _l("During the campaign"),
    "before": _l("Same length just before"),
}
