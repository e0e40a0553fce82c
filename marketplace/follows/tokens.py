"""The signed token of an email's "stop" link: whose news, and which shop's (or every shop's)."""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

ALL_SHOPS = 0  # in a token: stop the news of every shop


class BadStopToken(Exception):
    """The link was not made by us (tampered with, truncated, or signed with another key)."""


def _serializer() -> URLSafeSerializer:
    # No expiry: a stop link must work in an old email. Keys being rotated out still open it.
    keys = [*current_app.config.get("SECRET_KEY_FALLBACKS", []), current_app.config["SECRET_KEY"]]
    return URLSafeSerializer(keys, salt="vitrine-shop-news-stop")


def make_stop_token(user_id: int, shop_id: int = ALL_SHOPS) -> str:
    """Return the token that stops one shop's news for a person, or all of it (ALL_SHOPS)."""
    return _serializer().dumps([user_id, shop_id])


def read_stop_token(token: str) -> tuple[int, int]:
    """Return (user id, shop id or ALL_SHOPS) of a token we signed; raise BadStopToken otherwise."""
    try:
        data = _serializer().loads(token)
    except BadSignature as error:
        raise BadStopToken(token) from error
    if not (
        isinstance(data, list)
        and len(data) == 2
        and all(isinstance(n, int) and not isinstance(n, bool) for n in data)
    ):
        raise BadStopToken(token)
    return data[0], data[1]
