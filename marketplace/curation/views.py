"""Import the curator's route modules so they attach to the blueprint; export the blueprints."""

from __future__ import annotations

from marketplace.campaigns import office_views  # noqa: F401
from marketplace.curation import (  # noqa: F401
    agent,
    collection_item_views,
    dashboard_views,
    editorial_views,
    onboarding_views,
    review_views,
)
from marketplace.curation.assisted import bp as assisted_bp
from marketplace.curation.blueprint import bp
from marketplace.curation.collections_public import bp as collections_bp
from marketplace.curation.open_data_views import bp as open_data_bp

BLUEPRINTS = (bp, assisted_bp, collections_bp, open_data_bp)
