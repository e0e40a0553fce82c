"""The blueprints of settlement, effect and review: the office's pages and the shop's statements."""

from __future__ import annotations

from flask import Blueprint

from marketplace.accounts.auth import roles_required
from marketplace.accounts.models import CURATOR, SHOPKEEPER
from shops.access import closed_to_agent_mode

office_bp = Blueprint("campaign_office", __name__, url_prefix="/curation/campaigns")
# The shop's money is the owner's business, as on its payments statements.
shop_bp = closed_to_agent_mode(
    Blueprint("campaign_statements", __name__, url_prefix="/merchant/shops/<slug>/campaigns")
)


@office_bp.before_request
@roles_required(CURATOR)
def require_curator():
    """The town's office only."""


@shop_bp.before_request
@roles_required(SHOPKEEPER)
def require_shopkeeper():
    """A shop's statements are for its owner's eyes."""


# Public: the campaigns' aggregated, anonymised results beside the other open-data files.
open_data_bp = Blueprint("campaign_open_data", __name__, url_prefix="/open-data/campaigns")
