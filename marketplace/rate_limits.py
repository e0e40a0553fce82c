"""The rate limits of the public endpoints, read from the configuration at each request.

Counters live in RATELIMIT_STORAGE_URI: memory (one process) by default, Redis in production so
that every gunicorn worker and app server counts together. Login, registration and password reset
use LOGIN_RATE_LIMIT (marketplace/accounts/views.py); the API has its own (marketplace/api/rate_limits.py).
"""

from __future__ import annotations

from flask import current_app


def search() -> str:
    """Searches (page and JSON API) per client address."""
    return current_app.config["SEARCH_RATE_LIMIT"]


def suggest() -> str:
    """Autocomplete calls per client address (one per keystroke, hence higher)."""
    return current_app.config["SUGGEST_RATE_LIMIT"]


def checkout() -> str:
    """Checkout submissions per client address (card testing, stock hoarding)."""
    return current_app.config["CHECKOUT_RATE_LIMIT"]
