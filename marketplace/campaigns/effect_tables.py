"""The measured effect as dashboard tables (each with its CSV): summary, by category, postcode, shop."""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import lazy_gettext as _l

from marketplace.campaigns.effect import TITLES, Effect, Figures, per_public_euro
from marketplace.curation.tables import COUNT, MONEY, PERCENT, RATIO, TEXT, Column, Table, share
from marketplace.templating import category_label
from shops.models import Shop

NOTE = _l(
    "Sales: collected orders of the participating shops minus refunds, counted from the day "
    "they were placed. Public money: the town's part of collected orders, less refunds. "
    "A new customer is an account whose first collected order at a shop falls in the period "
    "(counted once per shop)."
)


def sales(effect: Effect) -> Table:
    """The participating shops' orders, customers and sales: the campaign against just before."""
    rows = []
    for key in ("during", "before"):
        one, period = effect.total(key), getattr(effect.periods, key)
        rows.append(
            [
                str(TITLES[key]),
                period.start.isoformat(),
                period.end.isoformat(),
                one.orders,
                len(one.customers),
                one.new_customers,
                one.sales,
            ]
        )
    return Table(
        "effect-sales",
        _l("Sales at participating shops"),
        [
            Column("period", _l("Period")),
            Column("start", _l("From")),
            Column("end", _l("To")),
            Column("orders", _l("Orders collected"), COUNT),
            Column("customers", _l("Customers"), COUNT),
            Column("new_customers", _l("New customers"), COUNT),
            Column("sales_eur", _l("Sales"), MONEY),
        ],
        rows,
        chart=("period", "sales_eur"),
    )


def public_money(effect: Effect) -> Table:
    """The town's part: orders, residents, money, and the sales that went with each public euro."""
    during, before = effect.total("during"), effect.total("before")
    extra = per_public_euro(during.sales - before.sales, during.public_money)
    return Table(
        "effect-public-money",
        _l("The town's part"),
        [
            Column("campaign_orders", _l("Orders with the town's part"), COUNT),
            Column("residents", _l("Residents helped"), COUNT),
            Column("public_money_eur", _l("Public money"), MONEY),
            Column("sales_per_public_euro", _l("Sales of those orders per public euro"), RATIO),
            Column("extra_sales_per_public_euro", _l("Extra sales per public euro"), RATIO),
        ],
        [
            [
                during.campaign_orders,
                len(during.residents),
                during.public_money,
                per_public_euro(during.campaign_sales, during.public_money),
                extra,
            ]
        ],
        note=_l(
            "Extra sales per public euro = (sales during − sales before) ÷ public money: "
            "what the shops sold beyond the period before, for each euro the town paid."
        ),
    )


def _grouped(
    effect: Effect, key: str, title, first: Column, key_of: Callable[[Shop], str], label
) -> Table:
    during, before = effect.group(key_of, "during"), effect.group(key_of, "before")
    shops: dict[str, int] = {}
    for shop in effect.shops.values():
        shops[key_of(shop)] = shops.get(key_of(shop), 0) + 1
    rows = []
    for group in sorted(shops, key=lambda g: (-during.get(g, Figures()).public_money, g)):
        now, then = during.get(group, Figures()), before.get(group, Figures())
        change = share(now.sales - then.sales, then.sales) if then.sales else None
        rows.append(
            [
                label(group),
                shops[group],
                now.campaign_orders,
                now.public_money,
                now.sales,
                then.sales,
                change,
                now.new_customers,
                then.new_customers,
                per_public_euro(now.campaign_sales, now.public_money),
            ]
        )
    return Table(
        key,
        title,
        [
            first,
            Column("shops", _l("Shops"), COUNT),
            Column("campaign_orders", _l("Orders with the town's part"), COUNT),
            Column("public_money_eur", _l("Public money"), MONEY),
            Column("sales_eur", _l("Sales during"), MONEY),
            Column("sales_before_eur", _l("Sales before"), MONEY),
            Column("sales_change_pct", _l("Change in sales"), PERCENT),
            Column("new_customers", _l("New customers during"), COUNT),
            Column("new_customers_before", _l("New customers before"), COUNT),
            Column("sales_per_public_euro", _l("Sales per public euro"), RATIO),
        ],
        rows,
        chart=(first.key, "public_money_eur"),
    )


def by_category(effect: Effect) -> Table:
    """Public money and sales per shop category."""
    return _grouped(
        effect,
        "effect-by-category",
        _l("By shop category"),
        Column("category", _l("Category"), TEXT),
        lambda shop: shop.category,
        category_label,
    )


def by_postcode(effect: Effect) -> Table:
    """Public money and sales per postcode (the neighbourhood)."""
    return _grouped(
        effect,
        "effect-by-postcode",
        _l("By neighbourhood (postcode)"),
        Column("postcode", _l("Postcode"), TEXT),
        lambda shop: shop.postcode,
        str,
    )


def by_shop(effect: Effect) -> Table:
    """Public money, sales and new customers of each participating shop."""
    names = {str(shop.id): shop.name for shop in effect.shops.values()}
    return _grouped(
        effect,
        "effect-by-shop",
        _l("By shop"),
        Column("shop", _l("Shop"), TEXT),
        lambda shop: str(shop.id),
        names.__getitem__,
    )


TABLES: dict[str, Callable[[Effect], Table]] = {
    "effect-public-money": public_money,
    "effect-sales": sales,
    "effect-by-category": by_category,
    "effect-by-postcode": by_postcode,
    "effect-by-shop": by_shop,
}
