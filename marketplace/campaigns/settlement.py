"""Monthly settlement: what the town owes each shop for a campaign, issued as frozen statements.

A statement of month M lists the shop's redemptions collected in M (town time) that no statement
holds yet, and an adjustment for each redemption paid on an earlier month's statement whose amount
changed since (a refund gave the town's part back): never an edit to the statement that paid it.
A month is issued once it is over, so nothing can still be collected in it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import func, select, update

from marketplace.accounts.models import User
from marketplace.audit import record_action
from marketplace.campaigns.models import REDEEMED, Campaign, CampaignRedemption
from marketplace.campaigns.statement_models import (
    ADJUSTMENT,
    ORDER_LINE,
    CampaignStatement,
    CampaignStatementLine,
)
from marketplace.extensions import db
from marketplace.orders.models import Order
from shops.models import Shop
from shops.register_checks import latest_sirene_check


class MonthNotOver(ValueError):
    """A month is issued once it is over: orders can still be collected in it."""


class AlreadyIssued(Exception):
    """Another request issued (part of) this month's statements first."""


@dataclass
class Owed:
    """What one shop is owed for a month before issue: its collected orders and adjustments."""

    shop_id: int
    orders: list[CampaignRedemption] = field(default_factory=list)
    adjustments: list[tuple[CampaignRedemption, int]] = field(default_factory=list)

    @property
    def total_cents(self) -> int:
        """Town's part less returns of the orders, plus the adjustments."""
        return sum(r.amount_cents - r.returned_cents for r in self.orders) + sum(
            delta for _, delta in self.adjustments
        )


def month_bounds(month: date, tz: str) -> tuple[datetime, datetime]:
    """The month's [start, end) as aware datetimes in the town's zone."""
    zone = ZoneInfo(tz)
    following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return datetime.combine(month, time(), zone), datetime.combine(following, time(), zone)


def local_month(moment: datetime, tz: str) -> date:
    """The first day of the town-time month `moment` falls in."""
    return moment.astimezone(ZoneInfo(tz)).date().replace(day=1)


def statement_number(campaign: Campaign, shop_id: int, month: date) -> str:
    """A number the treasury can file: C<campaign>-<YYYY-MM>-S<shop>, one per statement."""
    return f"C{campaign.id:03d}-{month:%Y-%m}-S{shop_id:04d}"


def town_details() -> tuple[str, str, str]:
    """The payer: the town's legal name, SIRET and address (config TOWN_LEGAL_NAME, ...)."""
    config = current_app.config
    return config["TOWN_LEGAL_NAME"], config["TOWN_SIRET"], config["TOWN_ADDRESS"]


def shop_details(shop: Shop) -> tuple[str, str, str]:
    """The payee: legal name (Sirene's when it answered, else the shop's), SIRET, address."""
    check = latest_sirene_check(shop) if shop.siret else None
    legal = check.legal_name if check is not None and check.legal_name else shop.name
    return legal, shop.siret or "", f"{shop.address}, {shop.postcode} {shop.city}"


def collected_at(r: CampaignRedemption) -> datetime:
    """When the redemption's order was collected (a redeemed row always says)."""
    if r.collected_at is None:
        raise ValueError(f"redemption {r.id} is redeemed without a collection date")
    return r.collected_at


def _unissued(campaign: Campaign, until: datetime) -> list[CampaignRedemption]:
    return list(
        db.session.scalars(
            select(CampaignRedemption)
            .where(
                CampaignRedemption.campaign_id == campaign.id,
                CampaignRedemption.status == REDEEMED,
                CampaignRedemption.statement_id.is_(None),
                CampaignRedemption.collected_at < until,
            )
            .order_by(CampaignRedemption.collected_at, CampaignRedemption.id)
        )
    )


def unissued_by_month(campaign: Campaign, tz: str, until: datetime) -> dict[date, dict[int, Owed]]:
    """Collected redemptions no statement holds yet, by town month then shop (for the page)."""
    months: dict[date, dict[int, Owed]] = defaultdict(dict)
    for r in _unissued(campaign, until):
        shops = months[local_month(collected_at(r), tz)]
        shops.setdefault(r.shop_id, Owed(r.shop_id)).orders.append(r)
    return dict(months)


def pending_adjustments(campaign: Campaign, before: date) -> dict[int, Owed]:
    """Per shop, changes to redemptions paid on statements of months before `before`."""
    settled = (
        select(
            CampaignStatementLine.redemption_id,
            func.sum(CampaignStatementLine.owed_cents).label("paid"),
        )
        .join(CampaignStatement, CampaignStatement.id == CampaignStatementLine.statement_id)
        .where(CampaignStatement.campaign_id == campaign.id, CampaignStatement.month < before)
        .group_by(CampaignStatementLine.redemption_id)
        .subquery()
    )
    rows = db.session.execute(
        select(CampaignRedemption, settled.c.paid)
        .join(settled, settled.c.redemption_id == CampaignRedemption.id)
        .where(
            CampaignRedemption.amount_cents - CampaignRedemption.returned_cents != settled.c.paid
        )
        .order_by(CampaignRedemption.id)
    ).all()
    owed: dict[int, Owed] = {}
    for redemption, paid in rows:
        delta = redemption.amount_cents - redemption.returned_cents - paid
        owed.setdefault(redemption.shop_id, Owed(redemption.shop_id)).adjustments.append(
            (redemption, delta)
        )
    return owed


def owed_for_month(campaign: Campaign, month: date, tz: str) -> dict[int, Owed]:
    """Per shop not issued yet for `month`: its orders collected in it and pending adjustments."""
    start, end = month_bounds(month, tz)
    owed: dict[int, Owed] = {}
    for r in _unissued(campaign, end):
        if collected_at(r) >= start:
            owed.setdefault(r.shop_id, Owed(r.shop_id)).orders.append(r)
    for shop_id, adjusted in pending_adjustments(campaign, month).items():
        owed.setdefault(shop_id, Owed(shop_id)).adjustments = adjusted.adjustments
    issued = set(
        db.session.scalars(
            select(CampaignStatement.shop_id).where(
                CampaignStatement.campaign_id == campaign.id, CampaignStatement.month == month
            )
        )
    )
    return {shop_id: o for shop_id, o in owed.items() if shop_id not in issued}


def _line(statement: CampaignStatement, r: CampaignRedemption, kind: str, owed: int, total: int):
    line = CampaignStatementLine(
        statement=statement,
        redemption_id=r.id,
        kind=kind,
        order_id=r.order_id,
        collected_at=collected_at(r),
        order_total_cents=total,
        town_cents=r.amount_cents,
        returned_cents=r.returned_cents,
        owed_cents=owed,
    )
    db.session.add(line)


def _issue_one(campaign: Campaign, shop: Shop, month: date, owed: Owed, actor: User):
    town, town_siret, town_address = town_details()
    name, siret, address = shop_details(shop)
    statement = CampaignStatement(
        number=statement_number(campaign, shop.id, month),
        campaign_id=campaign.id,
        shop_id=shop.id,
        month=month,
        total_cents=owed.total_cents,
        order_count=len(owed.orders),
        issued_by_id=actor.id,
        campaign_name=campaign.name,
        town_name=town,
        town_siret=town_siret,
        town_address=town_address,
        shop_name=name[:300],
        shop_siret=siret,
        shop_address=address[:300],
    )
    db.session.add(statement)
    ids = [r.order_id for r in owed.orders] + [r.order_id for r, _ in owed.adjustments]
    query = select(Order.id, Order.total_cents).where(Order.id.in_(ids))
    totals: dict[int, int] = dict(db.session.execute(query).all())
    for r in owed.orders:
        _line(statement, r, ORDER_LINE, r.amount_cents - r.returned_cents, totals[r.order_id])
    for r, delta in owed.adjustments:
        _line(statement, r, ADJUSTMENT, delta, totals[r.order_id])
    db.session.flush()
    return statement


def issue_statements(
    campaign: Campaign, month: date, actor: User, today: date, tz: str
) -> list[CampaignStatement]:
    """Issue the month's statement of every shop owed something; frozen from here on.

    Raises MonthNotOver for the current or a future month, AlreadyIssued when another request
    took one of the redemptions first (the caller rolls back).
    """
    if month >= today.replace(day=1):
        raise MonthNotOver(month.isoformat())
    statements = []
    for shop_id, owed in sorted(owed_for_month(campaign, month, tz).items()):
        shop = db.session.execute(select(Shop).where(Shop.id == shop_id)).scalar_one()
        statement = _issue_one(campaign, shop, month, owed, actor)
        ids = [r.id for r in owed.orders]
        if ids:
            taken = db.session.execute(  # type: ignore[attr-defined]  # an UPDATE's CursorResult
                update(CampaignRedemption)
                .where(CampaignRedemption.id.in_(ids), CampaignRedemption.statement_id.is_(None))
                .values(statement_id=statement.id)
                .execution_options(synchronize_session=False)
            ).rowcount
            if taken != len(ids):
                raise AlreadyIssued(statement.number)
        record_action(
            actor.id,
            "campaign.statement_issued",
            "campaign_statement",
            statement.id,
            changes={
                "total_cents": [None, statement.total_cents],
                "number": [None, statement.number],
            },
        )
        statements.append(statement)
    db.session.expire_all()  # the redemptions' statement_id changed behind the session's back
    return statements
