"""Which shops take part in a campaign: a shop opts in or out; eligibility by status, period, place."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import delete, select

from marketplace.audit import record_action
from marketplace.campaigns.models import ACTIVE, CLOSED, Campaign, CampaignShop
from marketplace.db import utcnow
from marketplace.extensions import db
from shops.models import PUBLISHED, Shop


def town_today() -> date:
    """Today in the town (campaign periods are town dates, ends_on included)."""
    return utcnow().astimezone(ZoneInfo(current_app.config["TIMEZONE"])).date()


class NotEligible(Exception):
    """The shop cannot join this campaign (closed, over, or outside its categories or postcodes)."""


def restrictions_allow(campaign: Campaign, shop: Shop) -> bool:
    """Whether the office's category and postcode restrictions let `shop` in (empty: everyone)."""
    return (not campaign.categories or shop.category in campaign.categories) and (
        not campaign.postcodes or shop.postcode in campaign.postcodes
    )


def may_join(campaign: Campaign, shop: Shop, on_date: date) -> bool:
    """Whether `shop` may opt in: published, inside the restrictions, campaign not closed or over."""
    return (
        shop.status == PUBLISHED
        and campaign.status != CLOSED
        and campaign.ends_on >= on_date
        and restrictions_allow(campaign, shop)
    )


def campaigns_open_to(shop: Shop, on_date: date) -> list[tuple[Campaign, bool]]:
    """The campaigns `shop` may join or has joined, with whether it is in (its dashboard's list)."""
    joined = set(
        db.session.scalars(select(CampaignShop.campaign_id).where(CampaignShop.shop_id == shop.id))
    )
    candidates = db.session.scalars(
        select(Campaign)
        .where(Campaign.status != CLOSED, Campaign.ends_on >= on_date)
        .order_by(Campaign.starts_on, Campaign.id)
    ).all()
    return [(c, c.id in joined) for c in candidates if c.id in joined or may_join(c, shop, on_date)]


def opt_in_shop(campaign: Campaign, shop: Shop, actor, on_date: date | None = None) -> bool:
    """Add `shop` to the campaign; False if it already was; raise NotEligible if it may not join."""
    if not may_join(campaign, shop, on_date or town_today()):
        raise NotEligible(campaign.id)
    if db.session.get(CampaignShop, (campaign.id, shop.id)) is not None:
        return False
    db.session.add(CampaignShop(campaign_id=campaign.id, shop_id=shop.id))
    record_action(
        actor.id, "campaign.shop_joined", "campaign", campaign.id, None, {"shop": [None, shop.id]}
    )
    db.session.flush()
    return True


def opt_out_shop(campaign: Campaign, shop: Shop, actor) -> bool:
    """Take `shop` out of the campaign (orders already placed keep their part); False if it was not in."""
    removed = db.session.execute(  # type: ignore[attr-defined]  # a DELETE's CursorResult has rowcount
        delete(CampaignShop)
        .where(CampaignShop.campaign_id == campaign.id, CampaignShop.shop_id == shop.id)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not removed:
        return False
    db.session.expire(campaign, ["shops"])
    record_action(
        actor.id, "campaign.shop_left", "campaign", campaign.id, None, {"shop": [shop.id, None]}
    )
    return True


def eligible_campaigns(shop: Shop, on_date: date) -> list[Campaign]:
    """The active campaigns an order at `shop` on `on_date` (town date) can draw from."""
    if shop.status != PUBLISHED:
        return []
    rows = db.session.scalars(
        select(Campaign)
        .join(CampaignShop, CampaignShop.campaign_id == Campaign.id)
        .where(
            CampaignShop.shop_id == shop.id,
            Campaign.status == ACTIVE,
            Campaign.starts_on <= on_date,
            Campaign.ends_on >= on_date,
        )
        .order_by(Campaign.id)
    ).all()
    # Restrictions are read again: the office may have narrowed them after the shop joined.
    return [c for c in rows if restrictions_allow(c, shop)]


def is_eligible(campaign: Campaign, shop: Shop, on_date: date) -> bool:
    """Whether an order at `shop` on `on_date` may draw from `campaign`."""
    return campaign in eligible_campaigns(shop, on_date)


def shop_campaigns(shop: Shop) -> list[tuple[Campaign, bool]]:
    """The campaigns a published shop may join or has joined, today (its dashboard's panel)."""
    if shop.status != PUBLISHED:
        return []
    return campaigns_open_to(shop, town_today())
