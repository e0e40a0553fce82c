"""Unusual patterns in a campaign's redemptions, for the office to review (never acted on alone).

Three rules, over live redemptions (held or redeemed; released ones are left out). Each finds
something a fraud would leave, and something an honest regular can too: the office looks.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.campaigns.models import HELD, MATCHED, REDEEMED, Campaign, CampaignRedemption
from marketplace.curation.tables import COUNT, PERCENT, Column, Table, share
from marketplace.extensions import db
from shops.models import Shop

# Rule 1: a shop whose redemptions come mostly from a few accounts.
MIN_SHOP_REDEMPTIONS = 10  # below this a shop's share says nothing
TOP_ACCOUNTS = 3
TOP_SHARE_PCT = 50.0
# Rule 2: many redemptions at one shop by one account.
REPEAT_AT_SHOP = 5
# Rule 3: an account taking the campaign's most per order (the matched cap, a voucher's face)
# on many different days.
CAP_DAYS = 3

RULES = (
    _l(
        "Few accounts behind a shop: a shop with at least %(min)s redemptions, of which more "
        "than %(share)s %% come from its %(top)s most frequent accounts.",
        min=MIN_SHOP_REDEMPTIONS,
        share=int(TOP_SHARE_PCT),
        top=TOP_ACCOUNTS,
    ),
    _l(
        "One account, one shop, again and again: %(n)s redemptions or more by the same account "
        "at the same shop.",
        n=REPEAT_AT_SHOP,
    ),
    _l(
        "At the maximum on many days: an account whose redemptions reached the campaign's most "
        "per order (the matched cap, or a voucher's face value) on %(days)s different days or more.",
        days=CAP_DAYS,
    ),
)


def _live(campaign: Campaign) -> list[CampaignRedemption]:
    return list(
        db.session.scalars(
            select(CampaignRedemption).where(
                CampaignRedemption.campaign_id == campaign.id,
                CampaignRedemption.status.in_((HELD, REDEEMED)),
            )
        )
    )


def _names(shop_ids, user_ids) -> tuple[dict[int, str], dict[int, str]]:
    shops = dict(db.session.execute(select(Shop.id, Shop.name).where(Shop.id.in_(shop_ids))).all())
    users = dict(db.session.execute(select(User.id, User.email).where(User.id.in_(user_ids))).all())
    return shops, users


def concentrated_shops(campaign: Campaign, live: list[CampaignRedemption]) -> Table:
    """Rule 1: shops whose top accounts hold more than TOP_SHARE_PCT of their redemptions."""
    per_shop: dict[int, Counter] = defaultdict(Counter)
    for r in live:
        per_shop[r.shop_id][r.user_id] += 1
    names, _ = _names(list(per_shop), [])
    rows: list[list] = []
    for shop_id, accounts in per_shop.items():
        count = sum(accounts.values())
        top = sum(
            n
            for _, n in Counter({u: n for u, n in accounts.items() if u}).most_common(TOP_ACCOUNTS)
        )
        pct = share(top, count)
        if count >= MIN_SHOP_REDEMPTIONS and pct > TOP_SHARE_PCT:
            rows.append([names[shop_id], count, len([u for u in accounts if u]), pct])
    rows.sort(key=lambda row: (-row[3], row[0]))
    return Table(
        "review-concentrated-shops",
        _l("Few accounts behind a shop"),
        [
            Column("shop", _l("Shop")),
            Column("redemptions", _l("Redemptions"), COUNT),
            Column("accounts", _l("Accounts"), COUNT),
            Column("top_share_pct", _l("Share of its top 3 accounts"), PERCENT),
        ],
        rows,
        note=RULES[0],
    )


def repeat_accounts(campaign: Campaign, live: list[CampaignRedemption]) -> Table:
    """Rule 2: (account, shop) pairs with REPEAT_AT_SHOP redemptions or more."""
    pairs = Counter((r.user_id, r.shop_id) for r in live if r.user_id is not None)
    found = [(pair, n) for pair, n in pairs.items() if n >= REPEAT_AT_SHOP]
    shops, users = _names([s for (_, s), _ in found], [u for (u, _), _ in found])
    rows: list[list] = sorted(
        ([users[u], shops[s], n] for (u, s), n in found), key=lambda r: (-r[2], r[0])
    )
    return Table(
        "review-repeat-accounts",
        _l("One account, one shop, again and again"),
        [
            Column("account", _l("Account")),
            Column("shop", _l("Shop")),
            Column("redemptions", _l("Redemptions"), COUNT),
        ],
        rows,
        note=RULES[1],
    )


def cap_days(campaign: Campaign, live: list[CampaignRedemption], tz: str) -> Table:
    """Rule 3: accounts at the per-order maximum on CAP_DAYS different days or more."""
    most = campaign.match_order_cap_cents if campaign.kind == MATCHED else None
    zone, days = ZoneInfo(tz), defaultdict(set)
    for r in live:
        at_most = r.amount_cents == most if campaign.kind == MATCHED else r.voucher_id is not None
        if r.user_id is not None and at_most:
            days[r.user_id].add(r.created_at.astimezone(zone).date())
    found = {u: len(d) for u, d in days.items() if len(d) >= CAP_DAYS}
    _, users = _names([], list(found))
    rows: list[list] = sorted(
        ([users[u], n] for u, n in found.items()), key=lambda r: (-r[1], r[0])
    )
    return Table(
        "review-cap-days",
        _l("At the maximum on many days"),
        [Column("account", _l("Account")), Column("days", _l("Days at the maximum"), COUNT)],
        rows,
        note=RULES[2],
    )


def review_tables(campaign: Campaign, tz: str) -> list[Table]:
    """Every rule's findings for the campaign, one table each."""
    live = _live(campaign)
    return [
        concentrated_shops(campaign, live),
        repeat_accounts(campaign, live),
        cap_days(campaign, live, tz),
    ]
