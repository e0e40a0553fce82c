"""The API's rate limits: app-wide hooks on /api/v1 paths, so that they also cover the nested
search and the answers of unknown paths, and tell every client its budget (RateLimit-* headers)."""

from __future__ import annotations

import hashlib
import math
import time
from typing import NamedTuple

from flask import current_app, g, request
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from limits import parse as parse_limit

from marketplace.api.auth import bearer
from marketplace.api.errors import ApiError
from marketplace.extensions import limiter

API_PATH = "/api/v1/"


class Budget(NamedTuple):
    """Where a client stands in one rate limit after this request."""

    limit: int
    remaining: int
    reset: int  # seconds until the window resets
    allowed: bool


def _count(limit_text: str, *key: str) -> Budget:
    """Count this request against `limit_text` for `key`."""
    item = parse_limit(limit_text)
    allowed = limiter.limiter.hit(item, "api", *key)
    reset_at, remaining = limiter.limiter.get_window_stats(item, "api", *key)
    return Budget(item.amount, remaining, max(1, math.ceil(reset_at - time.time())), allowed)


def enforce_rate_limits():
    """One budget per client address, and one per presented token on top; 429 with Retry-After."""
    if not limiter.enabled or not request.path.startswith(API_PATH):
        return
    config = current_app.config
    budgets = [_count(config["API_RATE_LIMIT_PER_IP"], "ip", get_remote_address())]
    if budgets[0].allowed and (secret := bearer()):
        digest = hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()[:24]
        budgets.append(_count(config["API_RATE_LIMIT_PER_TOKEN"], "token", digest))
    refused = [b for b in budgets if not b.allowed]
    # The headers tell the budget that refused, or else the one that runs out first.
    g.api_rate = refused[0] if refused else min(budgets, key=lambda b: (b.remaining, -b.reset))
    if refused:
        raise ApiError(
            429,
            _("Too many attempts. Please wait a moment and try again."),
            headers={"Retry-After": str(refused[0].reset)},
        )


def add_rate_limit_headers(response):
    """RateLimit-Limit, -Remaining and -Reset on every answer of the API, not only on 429."""
    budget = g.get("api_rate")
    if budget is not None:
        response.headers["RateLimit-Limit"] = str(budget.limit)
        response.headers["RateLimit-Remaining"] = str(budget.remaining)
        response.headers["RateLimit-Reset"] = str(budget.reset)
    return response
