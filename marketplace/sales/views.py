"""The shop's Sales page: weekly and per-product sales, audience, a chart and a CSV per table."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, abort, current_app, render_template, request
from flask_babel import gettext as _

from marketplace.accounts.auth import roles_required
from marketplace.accounts.models import SHOPKEEPER
from marketplace.curation.charts import bar_chart
from marketplace.curation.periods import Period, make_period, period_from_args
from marketplace.curation.tables import Table, table_csv
from marketplace.db import utcnow
from marketplace.sales import audience, figures
from marketplace.templating import money_filter
from shops.access import closed_to_agent_mode, get_owned_shop
from shops.models import Shop

# A shop's sales are its owner's business: a curator acting for the shop does not see them.
bp = closed_to_agent_mode(Blueprint("sales", __name__, url_prefix="/merchant/shops/<slug>/sales"))

DEFAULT_WEEKS = 12
# The tables of the page, in its order; the key is also the CSV's name.
TABLE_KEYS = (
    "sales-by-week",
    "sales-by-product",
    "sales-by-week-and-product",
    "views-by-week",
    "most-viewed-pages",
    "searches",
)


@bp.before_request
@roles_required(SHOPKEEPER)
def require_shopkeeper():
    """A shop's sales are for its owner's eyes."""


def sales_period(args, tz: str) -> Period:
    """Whole ISO weeks covering ?start..?end; by default the last 12 weeks, this one included."""
    today = utcnow().astimezone(ZoneInfo(tz)).date()
    chosen = period_from_args(args, tz, today, default_days=DEFAULT_WEEKS * 7 - 6)
    start = chosen.start - timedelta(days=chosen.start.weekday())
    end = chosen.end + timedelta(days=6 - chosen.end.weekday())
    return make_period(start, end, tz)


def build_tables(shop: Shop, period: Period, tz: str) -> dict[str, Table]:
    """Every table of the Sales page for the period, by key."""
    lines = figures.sold_lines(shop.id, period, tz)
    tables = [
        figures.sales_by_week(lines, period),
        figures.sales_by_product(lines),
        figures.sales_by_week_and_product(lines),
        audience.views_by_week(shop.id, period),
        audience.most_viewed_pages(shop.id, period),
        audience.searches_that_led_here(shop.id, period),
    ]
    return {t.key: t for t in tables}


def _chart(table: Table):
    if table.key == "sales-by-product":  # the top products only; the table below lists them all
        table = replace(table, rows=table.rows[: figures.TOP_PRODUCTS])
    labels = {c.key: c.label for c in table.columns}
    if table.chart is None:
        return bar_chart(table)
    label_key, value_key = table.chart
    desc = _(
        "Bars: %(value)s by %(label)s. The table below gives the same figures.",
        value=str(labels[value_key]).lower(),
        label=str(labels[label_key]).lower(),
    )
    return bar_chart(table, money_filter, desc)


@bp.get("")
def page(slug: str):
    """Show the shop's sales and audience for the chosen weeks (the last 12 by default)."""
    shop = get_owned_shop(slug)
    tz = current_app.config["TIMEZONE"]
    period = sales_period(request.args, tz)
    tables = build_tables(shop, period, tz)
    return render_template(
        "sales/sales.html",
        shop=shop,
        period=period,
        tables=[tables[k] for k in TABLE_KEYS],
        charts={k: _chart(t) for k, t in tables.items()},
    )


@bp.get("/<key>.csv")
def table_file(slug: str, key: str):
    """Download one table of the Sales page as CSV, for the same weeks."""
    shop = get_owned_shop(slug)
    if key not in TABLE_KEYS:
        abort(404)
    tz = current_app.config["TIMEZONE"]
    period = sales_period(request.args, tz)
    table = build_tables(shop, period, tz)[key]
    name = f"{shop.slug}_{key}_{period.start.isoformat()}_{period.end.isoformat()}.csv"
    return Response(
        table_csv(table),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
