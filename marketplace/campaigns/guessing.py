"""Wrong voucher codes counted per account, per client address and per shop, to stop guessing.

A code has 60 random bits, but a script trying codes at the checkout or a counter must still be
stopped early: each unknown code counts in the rate limiter's storage (RATELIMIT_STORAGE_URI,
shared by every worker) under the account, the address and, at a counter, the shop; once one of
them reaches VOUCHER_GUESS_LIMIT no code is looked up until its window ends. A code that exists
(used, cancelled, other shop) does not count: the person holds a real voucher.
"""

from __future__ import annotations

import math
import time

from flask import current_app
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user
from limits import RateLimitItem, parse

from marketplace.extensions import limiter


def _limit() -> RateLimitItem:
    return parse(current_app.config["VOUCHER_GUESS_LIMIT"])


def guess_keys(shop_id: int | None = None) -> list[str]:
    """The counters a wrong code from this request adds to: account, address, and shop if any."""
    item = _limit()
    prefix = current_app.config["RATELIMIT_KEY_PREFIX"]
    keys = [f"ip:{get_remote_address()}"]
    if current_user.is_authenticated:
        keys.append(f"account:{current_user.get_id()}")
    if shop_id is not None:
        keys.append(f"shop:{shop_id}")
    return [item.key_for(prefix, "voucher-guesses", key) for key in keys]


def seconds_blocked(keys: list[str]) -> int:
    """Seconds before codes are looked up again for these counters (0: not blocked)."""
    if not limiter.enabled:
        return 0
    storage, item = limiter.storage, _limit()
    waits = [
        max(1, math.ceil(storage.get_expiry(key) - time.time()))
        for key in keys
        if storage.get(key) >= item.amount
    ]
    return max(waits, default=0)


def note_wrong_code(keys: list[str]) -> None:
    """Count one unknown code against each counter."""
    if limiter.enabled:
        item = _limit()
        for key in keys:
            limiter.storage.incr(key, item.get_expiry())


def blocked_message(seconds: int) -> str:
    """What the resident or the shopkeeper reads while codes are not looked up."""
    minutes = max(1, math.ceil(seconds / 60))
    return _(
        "Too many wrong voucher codes were tried. Wait %(minutes)s min before trying another code.",
        minutes=minutes,
    )
