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


def token_required(scope: str | None = None):
    """Let a request through only with a live token (given `scope`); it names the shop it acts for."""

    def decorator(view):
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
            if scope is not None and not token.allows(scope):
                raise ApiError(
                    403,
                    _("This token was not given the permission “%(scope)s”.", scope=scope),
                    headers={
                        "WWW-Authenticate": f'Bearer realm="vitrine", error="insufficient_scope", '
                        f'scope="{scope}"'
                    },
                    code="insufficient-scope",
                )
            record_use(token)
            g.api_token, g.api_shop = token, token.shop
            return view(*args, **kwargs)

        wrapped.required_scope = scope  # type: ignore[attr-defined]  # read by the OpenAPI document
        return wrapped

    return decorator
