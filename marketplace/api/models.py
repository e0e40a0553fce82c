"""ApiToken: a shop's key to the merchant API, stored as a hash only; and its Idempotency-Keys."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.accounts.models import User
from marketplace.db import UTCDateTime, utcnow
from marketplace.extensions import db
from shops.models import Shop

# What a token may do, chosen when it is created.
CATALOGUE_READ = "catalogue:read"
CATALOGUE_WRITE = "catalogue:write"
ORDERS_READ = "orders:read"
ORDERS_MANAGE = "orders:manage"  # ready, collected, cancelled (and so refunded)
SCOPES = {
    CATALOGUE_READ: _l("Read the catalogue"),
    CATALOGUE_WRITE: _l("Change the catalogue (products, stock, prices)"),
    ORDERS_READ: _l("Read the orders"),
    ORDERS_MANAGE: _l("Manage the orders (ready, handed over, cancelled and refunded)"),
}


class ApiToken(db.Model):
    """A bearer token scoped to one shop; the plain token is shown once and never stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    prefix: Mapped[str] = mapped_column(String(16))  # the first characters, to recognise it
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 hex
    scopes: Mapped[str] = mapped_column(String(200))  # space-separated, as in OAuth
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    shop: Mapped[Shop] = relationship()
    user: Mapped[User] = relationship()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.is_expired

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= utcnow()

    @property
    def scope_list(self) -> list[str]:
        """The token's scopes, in the vocabulary's order."""
        granted = set(self.scopes.split())
        return [scope for scope in SCOPES if scope in granted]

    def allows(self, scope: str) -> bool:
        """True when the token was given `scope`."""
        return scope in self.scopes.split()

    def __repr__(self) -> str:
        return f"<ApiToken {self.id} {self.prefix}… shop={self.shop_id}>"


class IdempotencyKey(db.Model):
    """The first answer to a POST sent with an Idempotency-Key, replayed to its retries."""

    __tablename__ = "api_idempotency_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_id: Mapped[int] = mapped_column(ForeignKey("api_tokens.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(255))
    fingerprint: Mapped[str] = mapped_column(String(64))  # sha256 of method, path and body
    # None while the first request runs: a concurrent retry is told to wait.
    status_code: Mapped[int | None] = mapped_column(Integer)
    response_body: Mapped[str | None] = mapped_column(Text)
    response_headers: Mapped[str | None] = mapped_column(Text)  # JSON object
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    # Insert-first: of two concurrent requests with one key, the second insert fails here.
    __table_args__ = (UniqueConstraint("token_id", "key"),)
