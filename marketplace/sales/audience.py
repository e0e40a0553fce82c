"""How residents found a shop: page views per week and per page, and the searches that led there.

Read from the daily counters that marketplace.public.visits keeps (nothing personal is kept).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from marketplace.curation.periods import Period
from marketplace.curation.tables import COUNT, TEXT, Column, Table, weeks_between
from marketplace.extensions import db
from marketplace.sales.figures import iso_week
from marketplace.sales.models import SHOP_PAGE, PageView, SearchReferral
from shops.models import Product

TOP_PAGES = 20
TOP_SEARCHES = 20


def _page_names(shop_id: int, product_ids) -> dict[int, str]:
    names = dict(
        db.session.execute(
            select(Product.id, Product.name).where(
                Product.shop_id == shop_id, Product.id.in_(set(product_ids) - {SHOP_PAGE})
            )
        ).all()
    )
    names[SHOP_PAGE] = str(_l("The shop's page"))
    return names


def _name(names: dict[int, str], product_id: int) -> str:
    return names.get(product_id) or str(_l("Product #%(id)s (deleted)", id=product_id))


def views_by_week(shop_id: int, period: Period) -> Table:
    """Views of the shop's page and of its product pages, per ISO week."""
    rows = db.session.execute(
        select(PageView.day, PageView.product_id, PageView.views).where(
            PageView.shop_id == shop_id, PageView.day >= period.start, PageView.day <= period.end
        )
    ).all()
    shop_views: dict = defaultdict(int)
    product_views: dict = defaultdict(int)
    for day, product_id, views in rows:  # one row per page and day: a few thousand at most
        monday = day - timedelta(days=day.weekday())
        (shop_views if product_id == SHOP_PAGE else product_views)[monday] += views
    weeks = weeks_between(period.start, period.end)
    return Table(
        "views-by-week",
        _l("Page views per week"),
        [
            Column("week", _l("Week"), TEXT),
            Column("shop_page_views", _l("Views of the shop's page"), COUNT),
            Column("product_page_views", _l("Views of product pages"), COUNT),
            Column("all_views", _l("All views"), COUNT),
        ],
        [
            [iso_week(w), shop_views[w], product_views[w], shop_views[w] + product_views[w]]
            for w in weeks
        ],
        chart=("week", "all_views"),
        note=_l("Visits by robots are not counted, and nothing is kept about who visited."),
    )


def most_viewed_pages(shop_id: int, period: Period) -> Table:
    """The shop's pages seen most in the period (its own page and its products)."""
    total = func.sum(PageView.views)
    rows = db.session.execute(
        select(PageView.product_id, total)
        .where(
            PageView.shop_id == shop_id, PageView.day >= period.start, PageView.day <= period.end
        )
        .group_by(PageView.product_id)
        .order_by(total.desc(), PageView.product_id)
        .limit(TOP_PAGES)
    ).all()
    names = _page_names(shop_id, [r[0] for r in rows])
    return Table(
        "most-viewed-pages",
        _l("Pages seen most"),
        [Column("page", _l("Page"), TEXT), Column("views", _l("Views"), COUNT)],
        [[_name(names, pid), int(views)] for pid, views in rows],
        chart=("page", "views"),
    )


def searches_that_led_here(shop_id: int, period: Period) -> Table:
    """The words residents searched before opening the shop's pages, most frequent first."""
    total = func.sum(SearchReferral.visits)
    rows = db.session.execute(
        select(SearchReferral.query, SearchReferral.product_id, total)
        .where(
            SearchReferral.shop_id == shop_id,
            SearchReferral.day >= period.start,
            SearchReferral.day <= period.end,
        )
        .group_by(SearchReferral.query, SearchReferral.product_id)
        .order_by(total.desc(), SearchReferral.query, SearchReferral.product_id)
        .limit(TOP_SEARCHES)
    ).all()
    names = _page_names(shop_id, [r[1] for r in rows])
    return Table(
        "searches",
        _l("Searches that led to your pages"),
        [
            Column("search", _l("Words searched"), TEXT),
            Column("page", _l("Page opened"), TEXT),
            Column("visits", _l("Visits"), COUNT),
        ],
        [[query, _name(names, pid), int(visits)] for query, pid, visits in rows],
        note=_l(
            "Searches made on Vitrine (the town search or your shop's search box) after which "
            "a visitor opened your page; the words only, never who searched."
        ),
    )
