"""Import the curator's route modules so they attach to the blueprint; export the blueprints."""

from __future__ import annotations

from marketplace.campaigns import office_views  # noqa: F401
from marketplace.curation import agent, dashboard_views, editorial_views, review_views  # noqa: F401
from marketplace.curation.assisted import bp as assisted_bp
from marketplace.curation.blueprint import bp
from marketplace.curation.collections_public import bp as collections_bp
from marketplace.curation.open_data_views import bp as open_data_bp

BLUEPRINTS = (bp, assisted_bp, collections_bp, open_data_bp)
