"""API tokens: issue (shown once), find by the presented secret, record use, revoke."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.api.models import SCOPES, ApiToken
from marketplace.db import utcnow
from marketplace.extensions import db
from shops.models import Shop

TOKEN_PREFIX = "vtr_"  # noqa: S105 - not a secret: lets secret scanners and people recognise a Vitrine token
# last_used_at is written at most this often, so that a busy till does not write on every call.
USE_RESOLUTION = timedelta(seconds=60)
MAX_ACTIVE_TOKENS = 20


class TooManyTokens(ValueError):
    """The shop already has the most active tokens allowed."""


def hash_token(secret: str) -> str:
    """The stored form of a token: sha256 hex (the secret has 256 bits of entropy)."""
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def issue_token(
    shop: Shop,
    user: User,
    name: str,
    scopes: Iterable[str] = tuple(SCOPES),
    expires_at: datetime | None = None,
) -> tuple[ApiToken, str]:
    """Create a token for `shop` with `scopes`; return it with the plain secret (never stored)."""
    granted = [scope for scope in SCOPES if scope in set(scopes)]
    if not granted:
        raise ValueError("a token needs at least one scope")
    active = [t for t in tokens_of_shop(shop) if t.is_active]
    if len(active) >= MAX_ACTIVE_TOKENS:
        raise TooManyTokens()
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        shop_id=shop.id,
        user_id=user.id,
        name=name.strip()[:80],
        prefix=secret[:10],
        token_hash=hash_token(secret),
        scopes=" ".join(granted),
        expires_at=expires_at,
    )
    db.session.add(token)
    db.session.flush()
    return token, secret


def revoke_token(token: ApiToken, now: datetime | None = None) -> None:
    """Refuse the token from now on (kept, revoked, for the shop's record)."""
    if token.revoked_at is None:
        token.revoked_at = now or utcnow()


def find_active_token(secret: str) -> ApiToken | None:
    """The live token for this secret: not revoked nor expired, shop still owned by its user."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(secret)))
    if token is None or not token.is_active:
        return None
    if token.user.deleted_at is not None or token.shop.owner_id != token.user_id:
        return None  # the owner left or the shop changed hands: the token dies with it
    return token


def record_use(token: ApiToken, now: datetime | None = None) -> None:
    """Note when the token was last used (to the minute)."""
    now = now or utcnow()
    if token.last_used_at is None or now - token.last_used_at >= USE_RESOLUTION:
        token.last_used_at = now


def tokens_of_shop(shop: Shop) -> list[ApiToken]:
    """The shop's tokens, newest first, revoked ones included."""
    return list(
        db.session.scalars(
            select(ApiToken)
            .where(ApiToken.shop_id == shop.id)
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        )
    )
