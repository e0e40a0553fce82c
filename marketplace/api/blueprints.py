"""The API's blueprints, assembled: every operation attached (importing the views registers them)
and the hooks every /api/v1 operation shares, in the order they run."""

from marketplace.api import merchant, public, sessions, spec  # noqa: F401 - routes join v1.bp
from marketplace.api.errors import ApiError, answer_api_error
from marketplace.api.parsing import refuse_unknown_params
from marketplace.api.rate_limits import add_rate_limit_headers, enforce_rate_limits
from marketplace.api.responses import add_caching_headers
from marketplace.api.token_views import bp as api_tokens_bp
from marketplace.api.v1 import bp as api_bp

api_bp.record_once(sessions.install)  # no session cookie on the API: public reads stay cacheable
api_bp.register_error_handler(ApiError, answer_api_error)
# App-wide (on /api/v1 paths only), so that an unknown path or method counts and is told too;
# app hooks run before the blueprint's: an over-budget client is told to wait first.
api_bp.before_app_request(enforce_rate_limits)
api_bp.after_app_request(add_rate_limit_headers)
api_bp.before_request(refuse_unknown_params)
api_bp.after_request(add_caching_headers)

__all__ = ["api_bp", "api_tokens_bp"]
