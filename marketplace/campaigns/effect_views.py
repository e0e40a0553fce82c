"""The office's pages on a campaign's measured effect and its unusual patterns (tables with CSV)."""

from __future__ import annotations

from flask import Response, abort, current_app, render_template

from marketplace.campaigns.effect import measure
from marketplace.campaigns.effect_tables import NOTE, TABLES
from marketplace.campaigns.participation import town_today as today
from marketplace.campaigns.patterns import RULES, review_tables
from marketplace.campaigns.settle_blueprints import office_bp
from marketplace.campaigns.settle_views import campaign_or_404
from marketplace.curation.charts import bar_chart
from marketplace.curation.tables import Table, table_csv
from marketplace.templating import money_filter


def _csv(table: Table, name: str) -> Response:
    return Response(
        table_csv(table),
        mimetype="text/csv",
        headers={"Content-Disposition": f"attachment; filename={name}.csv"},
    )


@office_bp.get("/<int:campaign_id>/effect")
def effect(campaign_id: int):
    """Budget used, residents, orders and sales against the period just before, by group."""
    campaign = campaign_or_404(campaign_id)
    measured = measure(campaign, today(), current_app.config["TIMEZONE"])
    tables = [make(measured) for make in TABLES.values()]
    return render_template(
        "campaigns/effect.html",
        campaign=campaign,
        effect=measured,
        tables=tables,
        charts={t.key: bar_chart(t, money_filter) for t in tables},
        note=NOTE,
    )


@office_bp.get("/<int:campaign_id>/effect/<key>.csv")
def effect_csv(campaign_id: int, key: str):
    """Download one effect table as CSV."""
    campaign = campaign_or_404(campaign_id)
    if key not in TABLES:
        abort(404)
    measured = measure(campaign, today(), current_app.config["TIMEZONE"])
    return _csv(TABLES[key](measured), f"{campaign.slug}_{key}")


@office_bp.get("/<int:campaign_id>/review")
def review(campaign_id: int):
    """Unusual patterns in the campaign's redemptions, with the rules that found them."""
    campaign = campaign_or_404(campaign_id)
    tables = review_tables(campaign, current_app.config["TIMEZONE"])
    return render_template("campaigns/review.html", campaign=campaign, tables=tables, rules=RULES)


@office_bp.get("/<int:campaign_id>/review/<key>.csv")
def review_csv(campaign_id: int, key: str):
    """Download one review table as CSV (for the office only: it names accounts)."""
    campaign = campaign_or_404(campaign_id)
    tables = {t.key: t for t in review_tables(campaign, current_app.config["TIMEZONE"])}
    if key not in tables:
        abort(404)
    return _csv(tables[key], f"{campaign.slug}_{key}")
