"""Open data: each campaign's results, whole and per shop category, aggregated and anonymised.

No personal data: only counts and sums over groups of shops. A group with fewer than MIN_RESIDENTS
residents (accounts that had the town's part on a collected order) has its figures left empty and
says why in `note`; when a campaign hides exactly one of its categories, the next smallest is
hidden too, so that the hidden one cannot be worked out from the campaign's total.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from marketplace.campaigns.effect import Effect, Figures, measure, per_public_euro
from marketplace.campaigns.models import DRAFT, Campaign
from marketplace.curation.tables import csv_value
from marketplace.extensions import db
from shops.categories import get_category
from shops.csv_io import write_csv

MIN_RESIDENTS = 5
ALL = "all"
FIELDS = (
    "campaign",
    "name",
    "kind",
    "status",
    "starts_on",
    "ends_on",
    "budget_eur",
    "category",
    "osm_tag",
    "shops",
    "residents",
    "orders",
    "public_money_eur",
    "sales_eur",
    "sales_before_eur",
    "sales_per_public_euro",
    "suppressed",
    "note",
)
# Stable words for the file's readers (its field names are English, like the shop files').
FEW_RESIDENTS = f"suppressed: fewer than {MIN_RESIDENTS} residents"
COMPLEMENT = "suppressed: another category of this campaign is, and the total would reveal it"
FIGURES = ("residents", "orders", "public_money_eur", "sales_eur", "sales_before_eur")


def _row(campaign: Campaign, category: str, shops: int, now: Figures, then: Figures) -> dict:
    known = get_category(category) if category != ALL else None
    return {
        "campaign": campaign.slug,
        "name": campaign.name,
        "kind": campaign.kind,
        "status": campaign.status,
        "starts_on": campaign.starts_on.isoformat(),
        "ends_on": campaign.ends_on.isoformat(),
        "budget_eur": csv_value(campaign.budget_cents, "money"),
        "category": category,
        "osm_tag": known.osm if known else "",
        "shops": shops,
        "residents": len(now.residents),
        "orders": now.campaign_orders,
        "public_money_eur": csv_value(now.public_money, "money"),
        "sales_eur": csv_value(now.sales, "money"),
        "sales_before_eur": csv_value(then.sales, "money"),
        "sales_per_public_euro": csv_value(
            per_public_euro(now.campaign_sales, now.public_money), "ratio"
        ),
        "suppressed": False,
        "note": "",
    }


def _suppress(row: dict, note: str) -> None:
    row.update(dict.fromkeys((*FIGURES, "sales_per_public_euro"), ""))
    row.update(suppressed=True, note=note)


def campaign_rows(campaign: Campaign, effect: Effect) -> list[dict]:
    """The campaign's total row, then one row per category, small groups suppressed."""
    counts: dict[str, int] = {}
    for shop in effect.shops.values():
        counts[shop.category] = counts.get(shop.category, 0) + 1
    during, before = (effect.group(lambda s: s.category, p) for p in ("during", "before"))
    total = _row(campaign, ALL, len(effect.shops), effect.total("during"), effect.total("before"))
    rows = [
        _row(campaign, code, counts[code], during.get(code, Figures()), before.get(code, Figures()))
        for code in sorted(counts)
    ]
    residents = {row["category"]: row["residents"] for row in rows}
    small = [row for row in rows if row["residents"] < MIN_RESIDENTS]
    for row in small:
        _suppress(row, FEW_RESIDENTS)
    if total["residents"] < MIN_RESIDENTS:
        _suppress(total, FEW_RESIDENTS)
    elif len(small) == 1:
        shown = [row for row in rows if not row["suppressed"]]
        if shown:
            smallest = min(shown, key=lambda row: (residents[row["category"]], row["category"]))
            _suppress(smallest, COMPLEMENT)
    return [total, *rows]


def results(today: date, tz: str) -> list[dict]:
    """Every campaign past its draft, oldest first, as open-data rows."""
    campaigns = db.session.scalars(
        select(Campaign).where(Campaign.status != DRAFT).order_by(Campaign.starts_on, Campaign.id)
    )
    rows: list[dict] = []
    for campaign in campaigns:
        rows += campaign_rows(campaign, measure(campaign, today, tz))
    return rows


def results_csv(rows: list[dict]) -> str:
    """The rows as CSV (UTF-8, comma, euros with a dot); names typed by people kept formula-safe."""
    return write_csv(
        FIELDS,
        (
            [str(row[key]).lower() if isinstance(row[key], bool) else row[key] for key in FIELDS]
            for row in rows
        ),
    )
