"""The API's rate limits: a hook, not a decorator, so that it also covers the nested search."""

from __future__ import annotations

import hashlib
import math
import time

from flask import current_app
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from limits import parse as parse_limit

from marketplace.api.auth import bearer
from marketplace.api.errors import ApiError
from marketplace.extensions import limiter


def _retry_after(limit_text: str, *key: str) -> int | None:
    """Count this request against `limit_text` for `key`; seconds to wait if over it."""
    item = parse_limit(limit_text)
    if limiter.limiter.hit(item, "api", *key):
        return None
    reset_at, _remaining = limiter.limiter.get_window_stats(item, "api", *key)
    return max(1, math.ceil(reset_at - time.time()))


def enforce_rate_limits():
    """One budget per client address, and one per presented token on top; 429 with Retry-After."""
    if not limiter.enabled:
        return
    config = current_app.config
    wait = _retry_after(config["API_RATE_LIMIT_PER_IP"], "ip", get_remote_address())
    if wait is None and (secret := bearer()):
        digest = hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()[:24]
        wait = _retry_after(config["API_RATE_LIMIT_PER_TOKEN"], "token", digest)
    if wait is not None:
        raise ApiError(
            429,
            _("Too many attempts. Please wait a moment and try again."),
            headers={"Retry-After": str(wait)},
        )
