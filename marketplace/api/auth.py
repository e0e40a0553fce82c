"""Bearer tokens: reading the Authorization header, and the decorator of the merchant operations."""

from __future__ import annotations

from functools import wraps

from flask import g, request
from flask_babel import gettext as _

from marketplace.api.errors import ApiError


def bearer() -> str | None:
    """The secret of an `Authorization: Bearer …` header, if one was sent."""
    header = request.headers.get("Authorization", "")
    scheme, _sep, secret = header.partition(" ")
    return secret.strip() if scheme.lower() == "bearer" and secret.strip() else None


def token_required(view):
    """Let a request through only with a live token; the token names the shop it acts for."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        from marketplace.api.tokens import find_active_token, record_use

        secret = bearer()
        token = find_active_token(secret) if secret else None
        if token is None:
            raise ApiError(
                401,
                _("A valid API token is required (Authorization: Bearer …)."),
                headers={"WWW-Authenticate": 'Bearer realm="vitrine"'},
            )
        record_use(token)
        g.api_token, g.api_shop = token, token.shop
        return view(*args, **kwargs)

    return wrapped
