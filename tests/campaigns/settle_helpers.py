"""Helpers of the settlement, effect and review tests: orders with the town's part, refunds.

Redemptions are written as the redemption path (F2) leaves them: the budget taken through
take_budget, the row held, then redeemed at collection; a refund gives the town's part back
through restore_budget after claiming it on the row.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import update

from marketplace.campaigns.budget import restore_budget, take_budget
from marketplace.campaigns.models import HELD, REDEEMED, CampaignRedemption
from marketplace.campaigns.participation import opt_in_shop
from marketplace.extensions import db
from marketplace.orders.status import COLLECTED, CONFIRMED, REFUNDED
from tests.curation.helpers import add_order

PARIS = ZoneInfo("Europe/Paris")
# A campaign over (so its months can be issued): October and November 2026.
OCT_1, NOV_30 = date(2026, 10, 1), date(2026, 11, 30)


def paris(year: int, month: int, day: int, hour: int = 12) -> datetime:
    """A town wall-clock time as an aware UTC datetime."""
    return datetime(year, month, day, hour, tzinfo=PARIS).astimezone(UTC)


def join(campaign, shop, actor) -> None:
    """Opt the shop in (on the campaign's first day) and commit."""
    opt_in_shop(campaign, shop, actor, on_date=campaign.starts_on)
    db.session.commit()


def order_with_part(
    campaign,
    shop,
    customer,
    placed_at: datetime,
    total_cents: int,
    town_cents: int,
    collected: bool = True,
) -> CampaignRedemption:
    """An order at `shop` of which the town pays `town_cents`; collected an hour after by default."""
    status = COLLECTED if collected else CONFIRMED
    order = add_order(
        shop, customer, placed_at, status, total_cents,
        collected_after=timedelta(hours=1) if collected else None,
    )  # fmt: skip
    user_id = customer.id if customer else None
    assert take_budget(campaign, town_cents, user_id)
    redemption = CampaignRedemption(
        campaign_id=campaign.id,
        order_id=order.id,
        shop_id=shop.id,
        user_id=user_id,
        amount_cents=town_cents,
        status=REDEEMED if collected else HELD,
        created_at=placed_at,
        collected_at=placed_at + timedelta(hours=1) if collected else None,
    )
    db.session.add(redemption)
    db.session.commit()
    return redemption


def refund_town_part(redemption: CampaignRedemption, cents: int) -> None:
    """A refund after collection that gives `cents` of the town's part back to the budget."""
    db.session.execute(
        update(CampaignRedemption)
        .where(CampaignRedemption.id == redemption.id)
        .values(returned_cents=CampaignRedemption.returned_cents + cents)
    )
    restore_budget(redemption.campaign_id, redemption.user_id, cents)
    order = redemption_order(redemption)
    order.status, order.refunded_cents = REFUNDED, order.refunded_cents + cents
    db.session.commit()
    db.session.expire_all()


def redemption_order(redemption: CampaignRedemption):
    """The order of a redemption."""
    from marketplace.orders.models import Order

    return db.session.get(Order, redemption.order_id)


def residents(count: int, prefix: str = "resident") -> list:
    """`count` resident accounts (no password: these tests never log them in)."""
    from marketplace.accounts.models import User

    users = [User(email=f"{prefix}{n}@example.org", name=f"R{n}") for n in range(count)]
    db.session.add_all(users)
    db.session.commit()
    return users
