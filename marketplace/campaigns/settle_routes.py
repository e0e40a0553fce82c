"""Import the route modules so they attach to their blueprints; export the blueprints."""

from __future__ import annotations

from marketplace.campaigns import effect_views, results_views, settle_views  # noqa: F401
from marketplace.campaigns.settle_blueprints import office_bp, open_data_bp, shop_bp

BLUEPRINTS = (office_bp, shop_bp, open_data_bp)
