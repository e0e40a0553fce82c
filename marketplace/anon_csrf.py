"""CSRF tokens for visitors without a session, so that browsing creates no session and no cookie.

Flask-WTF ties a token to a secret kept in the session: rendering a form for a new visitor
creates their session and sets a cookie. The public pages (home, directory, shop, product,
search) show forms to everybody (add to cart), so every visitor would cost a session. Instead,
a visitor whose session holds no CSRF secret gets the *visitors' token*: a Flask-WTF token of a
secret derived from SECRET_KEY, timestamped on the hour (the same bytes for every visitor in
that hour, so an anonymous page can be cached and served to anyone).

It is accepted only from a visitor who is not logged in, only if at most VISITOR_TOKEN_HOURS
old, and only from this site: a browser sends Origin (or at least Referer) with a form posted
from another site, and either must then name this host. On acceptance the check itself is
Flask-WTF's (CSRFProtect, unchanged): the visitors' secret stands in the session for the check,
and right after it the visitor's own random secret replaces it (created now if they had none),
so the pages of their next requests carry their own token, as before. Logged-in people are never
offered nor accepted the visitors' token.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from urllib.parse import urlsplit

from flask import Flask, current_app, g, request, session
from flask_login import current_user
from flask_wtf.csrf import CSRFProtect, generate_csrf
from itsdangerous import BadData, TimestampSigner, URLSafeTimedSerializer

FIELD = "csrf_token"  # Flask-WTF's session key and form field (WTF_CSRF_FIELD_NAME default)
VISITOR_TOKEN_HOURS = 24


class _HourSigner(TimestampSigner):
    """Timestamps rounded down to the hour: one token per hour, the same in every process."""

    def get_timestamp(self) -> int:
        return _this_hour()


def _this_hour() -> int:
    now = int(time.time())
    return now - now % 3600


def init_app(app: Flask, csrf: CSRFProtect) -> None:
    """Bind CSRFProtect to `app` with the visitors' token around its check."""
    app.before_request(_stand_in_visitor_secret)  # before CSRFProtect's own check
    csrf.init_app(app)
    app.before_request(_restore_own_secret)  # after it
    # And if the request stopped before that (refused by another check), still never keep the
    # visitors' secret as anybody's own.
    app.after_request(_restore_after)
    app.jinja_env.globals["csrf_token"] = csrf_token


def csrf_token() -> str:
    """The token of a page's forms: the visitor's own, or the visitors' token if they have none."""
    if FIELD in g:  # already made for this request (or the page cache's placeholder)
        return g.get(FIELD)
    if FIELD in session or current_user.is_authenticated:
        return generate_csrf()
    return visitor_token()


def visitor_token() -> str:
    """The visitors' token of this hour."""
    key = (current_app.config["SECRET_KEY"], _this_hour())
    token = _TOKENS.get(key)
    if token is None:  # once an hour per process (two threads may both make it: same bytes)
        token = _serializer(_HourSigner).dumps(_visitor_secret())
        _TOKENS.clear()
        _TOKENS[key] = token
    return token


_TOKENS: dict[tuple[str, int], str] = {}


def _visitor_secret() -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, b"vitrine visitors' CSRF secret", hashlib.sha256).hexdigest()


def _serializer(signer=TimestampSigner) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(
        current_app.config["SECRET_KEY"], salt="wtf-csrf-token", signer=signer
    )


def _submitted() -> str:
    return (
        request.form.get(FIELD)
        or request.headers.get("X-CSRFToken")
        or request.headers.get("X-CSRF-Token")
        or ""
    )


def _is_visitor_token(token: str) -> bool:
    try:
        secret = _serializer().loads(token, max_age=VISITOR_TOKEN_HOURS * 3600)
    except BadData:
        return False
    return isinstance(secret, str) and hmac.compare_digest(secret, _visitor_secret())


def _from_this_site() -> bool:
    # Origin first (sent by browsers with every cross-site POST; "null" when hidden), then
    # Referer; a client sending neither is not a browser tricked by another site.
    source = request.headers.get("Origin") or request.headers.get("Referer")
    if source is None:
        return True
    parts = urlsplit(source)
    return parts.scheme == request.scheme and parts.netloc == request.host


def _stand_in_visitor_secret() -> None:
    if (
        request.method not in current_app.config["WTF_CSRF_METHODS"]
        or not current_app.config["WTF_CSRF_ENABLED"]
        or current_user.is_authenticated
        or not _from_this_site()
        or not _is_visitor_token(_submitted())
    ):
        return
    g.vitrine_own_csrf_secret = session.get(FIELD)
    session[FIELD] = _visitor_secret()


def _restore_own_secret() -> None:
    if "vitrine_own_csrf_secret" not in g:
        return
    own = g.pop("vitrine_own_csrf_secret")
    if own is None:
        session.pop(FIELD, None)
        generate_csrf()  # the visitor's own secret, from now on
    else:
        session[FIELD] = own


def _restore_after(response):
    _restore_own_secret()
    return response
