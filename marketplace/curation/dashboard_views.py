"""The local-economy dashboard: tables with bar charts, a date range, a CSV per table."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import Response, abort, current_app, render_template, request

from marketplace.curation import dashboard, dashboard_orders
from marketplace.curation.blueprint import bp
from marketplace.curation.charts import bar_chart
from marketplace.curation.periods import Period, period_from_args
from marketplace.curation.tables import Table, table_csv
from marketplace.db import utcnow
from marketplace.templating import money_filter

# Each table shows this many rows (its latest, by week) and links to itself whole: a busy town's
# dashboard was 18,000 px tall. Its CSV always holds every row.
TOP_ROWS = 10
# Every table of the dashboard, in the order of the page; the key is also the CSV's name.
TABLES = {
    "shops-by-category": dashboard.shops_by_category,
    "shops-by-postcode": dashboard.shops_by_postcode,
    "signups-by-week": dashboard.signups_by_week,
    "orders-by-week": dashboard_orders.orders_by_week,
    "orders-by-category": dashboard_orders.orders_by_category,
    "order-outcomes": dashboard_orders.order_outcomes,
    "pickup-delays": dashboard_orders.pickup_delays,
    "top-searches": dashboard.top_searches,
    "searches-without-result": dashboard.searches_without_result,
    "dormant-shops": dashboard.dormant_shops,
}


def _period() -> tuple[Period, str]:
    tz = current_app.config["TIMEZONE"]
    today = utcnow().astimezone(ZoneInfo(tz)).date()
    return period_from_args(request.args, tz, today), tz


def build_tables(period: Period, tz: str) -> list[Table]:
    """Every dashboard table for the period."""
    return [make(period, tz) for make in TABLES.values()]


@bp.get("/dashboard")
def dashboard_page():
    """Show the dashboard for the chosen period: each table's top 10, or one table whole (?all=)."""
    period, tz = _period()
    whole = request.args.get("all")
    tables = build_tables(period, tz)
    row_counts = {t.key: len(t.rows) for t in tables}
    shown = [t if t.key == whole else t.top(TOP_ROWS) for t in tables]
    charts = {t.key: bar_chart(t, money_filter) for t in shown}
    return render_template(
        "curation/dashboard.html",
        period=period,
        tables=shown,
        charts=charts,
        row_counts=row_counts,
        whole=whole,
    )


@bp.get("/dashboard/<key>.csv")
def dashboard_csv(key: str):
    """Download one dashboard table as CSV, for the same period."""
    if key not in TABLES:
        abort(404)
    period, tz = _period()
    name = f"{key}_{period.start.isoformat()}_{period.end.isoformat()}.csv"
    return Response(
        table_csv(TABLES[key](period, tz)),
        mimetype="text/csv",
        headers={"Content-Disposition": f"attachment; filename={name}"},
    )
