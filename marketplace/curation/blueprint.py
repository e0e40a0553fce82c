"""The curator's blueprint: every URL under /curation is for the city office (and admins)."""

from __future__ import annotations

from flask import Blueprint

from marketplace.accounts.auth import roles_required
from marketplace.accounts.models import CURATOR

bp = Blueprint("curation", __name__, url_prefix="/curation")


@bp.before_request
@roles_required(CURATOR)
def require_curator():
    """Shopkeepers and residents get a 403 on every curator page."""
