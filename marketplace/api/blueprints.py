"""The API's blueprints with every operation attached (importing the views registers them)."""

from marketplace.api import merchant, public, spec  # noqa: F401 - their routes join core.bp
from marketplace.api.core import bp as api_bp
from marketplace.api.token_views import bp as api_tokens_bp

__all__ = ["api_bp", "api_tokens_bp"]
