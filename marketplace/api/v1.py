"""The /api/v1 blueprint, with search's JSON operation nested in it.

Its operations join it from public.py, merchant.py and spec.py; the hooks they all share (errors,
rate limits, strict query strings, caching headers) are attached in blueprints.py.
"""

from __future__ import annotations

from flask import Blueprint

from marketplace.extensions import csrf
from search.views import api_bp as search_api_bp

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# One implementation of GET /api/v1/search (search/views.py), under this blueprint's rules.
bp.register_blueprint(search_api_bp, url_prefix="/")
csrf.exempt(bp)  # bearer tokens, never cookies: nothing for a forged form to ride on
