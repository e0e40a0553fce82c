"""The rate limits of the public endpoints, read from the configuration at each request.

Counters live in RATELIMIT_STORAGE_URI: memory (one process) by default, Redis in production so
that every gunicorn worker and app server counts together. Login, registration and password reset
use LOGIN_RATE_LIMIT (marketplace/accounts/views.py); the API has its own (marketplace/api/rate_limits.py).
"""

from __future__ import annotations

from flask import current_app, request
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user
from limits import parse as parse_limit


def search() -> str:
    """Searches (page and JSON API) per client address."""
    return current_app.config["SEARCH_RATE_LIMIT"]


def suggest() -> str:
    """Autocomplete calls per client address (one per keystroke, hence higher)."""
    return current_app.config["SUGGEST_RATE_LIMIT"]


def checkout() -> str:
    """Checkout submissions per client address (card testing, stock hoarding)."""
    return current_app.config["CHECKOUT_RATE_LIMIT"]


def may_read_payment(checkout_id: int) -> bool:
    """Whether the return page may ask Stripe about this checkout now (one budget per checkout)."""
    from marketplace.extensions import limiter

    budget = current_app.config["PAYMENT_RETURN_STRIPE_READS"]
    if not budget:  # turned off: the page waits for the webhook only
        return False
    if not limiter.enabled:
        return True
    item = parse_limit(budget)
    return limiter.limiter.hit(item, "payment-return", str(checkout_id))


def photo_upload() -> str:
    """Requests carrying photos per account (each one costs a decode and two resizes)."""
    return current_app.config["PHOTO_UPLOAD_RATE_LIMIT"]


def account_key() -> str:
    """Count per account, so that changing address does not reset it (the address if anonymous)."""
    if current_user.is_authenticated:
        return f"account:{current_user.get_id()}"
    return get_remote_address()


def carries_no_photo() -> bool:
    """A form sent without any file does not count against the photo limit."""
    return not any(f.filename for f in request.files.values())


def photo_upload_message() -> str:
    """What the uploader reads on a 429."""
    return _("You sent many photos in a short time. Please wait a few minutes and try again.")


def limit_photo_uploads(view):
    """Give each account one photo budget shared by every upload form (shop, products, collections).

    One scope for all of them: a limit per route would let an account spend it once per form.
    """
    from marketplace.extensions import limiter

    return limiter.shared_limit(
        photo_upload,
        scope="photo-upload",
        key_func=account_key,
        methods=["POST"],
        exempt_when=carries_no_photo,
        error_message=photo_upload_message,
    )(view)
