"""The public open-data file of campaign results."""

from __future__ import annotations

from flask import Response, current_app

from marketplace.campaigns.participation import town_today as today
from marketplace.campaigns.results import results, results_csv
from marketplace.campaigns.settle_blueprints import open_data_bp


@open_data_bp.get("/results.csv")
def results_file():
    """Each campaign's results, whole and per category, small groups suppressed (CSV)."""
    rows = results(today(), current_app.config["TIMEZONE"])
    return Response(
        results_csv(rows),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=campaign-results.csv"},
    )
